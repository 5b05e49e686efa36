/**
 * The real kubectl against the fake API server: if kubectl can get, apply (client- and server-side),
 * watch a rollout and delete through it, the fake behaves enough like a cluster for the provider
 * tests to mean something. kubectl sends bearer tokens only over TLS, so the fake serves HTTPS here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubernetes, type FakeKubernetes } from '../../fakes/kubernetes/server.js';
import { writeKubeconfig } from '../../fakes/kubernetes/kubeconfig.js';
import { makeCertificates, type TestCertificates } from '../../fakes/kubernetes/tls.js';
import { kubectlRuns } from '../../fakes/kubernetes/kubectl.js';
import { COMMIT_A, makeProvider } from './helpers.js';

const run = promisify(execFile);

const hasKubectl = kubectlRuns();
const certs: TestCertificates | undefined = hasKubectl ? makeCertificates() : undefined;
if (!hasKubectl) console.warn('SKIPPED kubectl-against-the-fake tests: kubectl is not installed');
else if (!certs) console.warn('SKIPPED kubectl-against-the-fake tests: openssl is not installed (kubectl needs TLS to send a token)');

type Obj = Record<string, any>;

const deployment = (replicas: number, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

describe.skipIf(!certs)('kubectl against the fake API server', () => {
  let fake: FakeKubernetes;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ tls: { key: certs!.serverKey, cert: certs!.serverCert, clientCa: certs!.ca }, readyDelayMs: 20 });
    dir = mkdtempSync(join(tmpdir(), 'kubectl-fake-'));
    kubeconfig = writeKubeconfig(fake, dir, { ca: certs!.ca });
  });

  afterAll(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** kubectl with the kubeconfig (CA-verified TLS, token); resolves stdout, rejects with stderr. */
  const kubectl = async (...args: string[]): Promise<string> => {
    try {
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], { timeout: 30_000 });
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr || e.message}`);
    }
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('answers get with --server, --token and --insecure-skip-tls-verify', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', '/dev/null', '--server', fake.url, '--token', fake.token, '--insecure-skip-tls-verify', 'get', 'namespaces', '-o', 'name']);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
    const bad = await run('kubectl', ['--kubeconfig', '/dev/null', '--server', fake.url, '--token', 'nope', '--insecure-skip-tls-verify', 'get', 'namespaces']).then(
      () => undefined,
      (e: { stderr: string }) => e.stderr,
    );
    expect(bad).toMatch(/Unauthorized|provide credentials|logged in/);
  });

  it('applies (with default validation), rolls out, reconfigures and deletes a Deployment', async () => {
    const manifest = file('web.yaml', deployment(2));
    expect(await kubectl('apply', '-f', manifest)).toContain('deployment.apps/web created');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain('successfully rolled out');
    const pods = (await kubectl('get', 'pods', '-l', 'app=web', '-o', 'name')).trim().split('\n');
    expect(pods).toHaveLength(2);
    expect(await kubectl('apply', '-f', manifest)).toContain('deployment.apps/web unchanged');

    writeFileSync(manifest, deployment(3, 'nginx:1.27'));
    expect(await kubectl('apply', '-f', manifest)).toContain('deployment.apps/web configured');
    const live = JSON.parse(await kubectl('get', 'deployment', 'web', '-o', 'json')) as Obj;
    expect(live.spec.replicas).toBe(3);
    expect(live.metadata.generation).toBe(2);
    expect(live.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).toContain('successfully rolled out');
    expect(fake.objects({ kind: 'Pod', labelSelector: 'app=web' })).toHaveLength(3);

    expect(await kubectl('delete', '-f', manifest, '--timeout=20s')).toContain('deployment.apps "web" deleted');
    await expect(kubectl('get', 'deployment', 'web')).rejects.toThrow(/NotFound|not found/);
  });

  it('server-side apply reports a conflict with another manager until forced', async () => {
    const manifest = file('api.yaml', deployment(1).replace(/web/g, 'api'));
    await kubectl('apply', '--server-side', '--field-manager=team-a', '-f', manifest);
    writeFileSync(manifest, deployment(4).replace(/web/g, 'api'));
    await expect(kubectl('apply', '--server-side', '--field-manager=team-b', '-f', manifest)).rejects.toThrow(/conflict with "team-a".*\.spec\.replicas/s);
    await kubectl('apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', manifest);
    const live = JSON.parse(await kubectl('get', 'deployment', 'api', '-o', 'json', '--show-managed-fields')) as Obj;
    expect(live.spec.replicas).toBe(4);
    const managers = live.metadata.managedFields.map((m: Obj) => m.manager);
    expect(managers).toContain('team-b');
    await kubectl('delete', 'deployment', 'api', '--wait=false');
  });

  it('sees what the provider made over verified TLS, by label, and its rollout as finished', async () => {
    const p = makeProvider(kubeconfig, { branch: 'feature/tls' });
    try {
      await p.up(COMMIT_A);
    } finally {
      p.provider.close();
    }
    const names = (await kubectl('get', 'deployments,services,ingresses,secrets', '-l', `preview-kit/name=${p.name}`, '-o', 'name')).trim().split('\n');
    expect(names.sort()).toEqual([`deployment.apps/${p.name}`, `ingress.networking.k8s.io/${p.name}`, `secret/${p.name}-env`, `service/${p.name}`].sort());
    expect(await kubectl('rollout', 'status', `deployment/${p.name}`, '--timeout=10s')).toContain('successfully rolled out');
    const annotation = await kubectl('get', 'deployment', p.name, '-o', "jsonpath={.spec.template.metadata.annotations['preview-kit/commit']}");
    expect(annotation).toBe(COMMIT_A);

    // someone scales it by hand: the next run puts our replicas back, with one write
    expect(await kubectl('scale', `deployment/${p.name}`, '--replicas=3')).toContain('scaled');
    const writes = fake.writes().length;
    const again = makeProvider(kubeconfig, { branch: 'feature/tls' });
    try {
      await again.up(COMMIT_A);
    } finally {
      again.provider.close();
    }
    expect(fake.writes().slice(writes).map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /apis/apps/v1/namespaces/default/deployments/${p.name}`]);
    expect(await kubectl('get', 'deployment', p.name, '-o', 'jsonpath={.spec.replicas}')).toBe('1');
  });

  it('lets the provider authenticate with a client certificate from the kubeconfig', async () => {
    const certConfig = writeKubeconfig(fake, dir, { ca: certs!.ca, clientCert: { cert: certs!.clientCert, key: certs!.clientKey }, file: 'cert-kubeconfig' });
    const p = makeProvider(certConfig, { branch: 'feature/tls' });
    try {
      const found = await p.provider.find(p.ref);
      expect(found?.name).toBe(p.name);
    } finally {
      p.provider.close();
    }
    const last = fake.requests.at(-1)!;
    expect(last.status).toBe(200);
  });
});
