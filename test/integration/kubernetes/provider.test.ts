import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ProviderError, SafetyError } from '../../../src/core/errors.js';
import { startFakeKubernetes, type FakeKubernetes } from '../../fakes/kubernetes/server.js';
import { writeKubeconfig } from '../../fakes/kubernetes/kubeconfig.js';
import { COMMIT_A, COMMIT_B, COMMIT_C, providerMaker, refOf } from './helpers.js';

const OURS = 'app.kubernetes.io/managed-by=preview-kit';

type Obj = Record<string, any>;

describe('kubernetes provider against the fake API server', () => {
  let fake: FakeKubernetes;
  let dir: string;
  let kubeconfig: string;
  const { make, closeAll } = providerMaker(() => kubeconfig);

  beforeEach(async () => {
    fake = await startFakeKubernetes({ readyDelayMs: 20, deletionDelayMs: 10, controllerIntervalMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'k8s-provider-'));
    kubeconfig = writeKubeconfig(fake, dir, { namespace: 'previews' });
    fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'previews' } });
  });

  afterEach(async () => {
    closeAll();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first up creates labelled objects with server-side apply and waits for the rollout', async () => {
    const { up, name } = make();
    const { ensured, deployed } = await up(COMMIT_A);
    expect(ensured.created).toBe(true);
    expect(deployed.deployed).toBe(true);
    expect(deployed.url).toBe(`https://${name}.preview.example.com`);

    const deployment = fake.get('Deployment', 'previews', name) as Obj;
    expect(deployment.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': name, 'app.kubernetes.io/instance': name });
    expect(deployment.spec.template.metadata.annotations['preview-kit/commit']).toBe(COMMIT_A);
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.example.com/shop:aaaaaaa');
    expect(deployment.status.observedGeneration).toBe(deployment.metadata.generation);
    expect(deployment.status.availableReplicas).toBe(1);
    expect(deployment.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`)).toContain('preview-kit/Apply');

    const ingress = fake.get('Ingress', 'previews', name) as Obj;
    expect(ingress.spec.rules[0].host).toBe(`${name}.preview.example.com`);
    const secret = fake.get('Secret', 'previews', `${name}-env`) as Obj;
    expect(Buffer.from(secret.data.GREETING, 'base64').toString()).toBe('hello');
    expect(fake.get('Service', 'previews', name)).toBeDefined();

    const writes = fake.writes();
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(w.method).toBe('PATCH');
      expect(w.contentType).toBe('application/apply-patch+yaml');
      expect(w.query.fieldManager).toBe('preview-kit');
    }
  });

  it('a rerun with nothing to change sends no write request', async () => {
    await make().up(COMMIT_A);
    const before = fake.writes().length;
    const again = make();
    const { ensured, domainResult, deployed } = await again.up(COMMIT_A);
    expect(fake.writes().length).toBe(before);
    expect(ensured.changed).toBe(false);
    expect(ensured.created).toBe(false);
    expect(domainResult.changed).toBe(false);
    expect(deployed.deployed).toBe(false);
    expect(deployed.reason).toContain('already live');
    expect(again.plan.steps).toEqual([]);
  });

  it('a new commit with the same image tag changes the pod template and waits for that rollout', async () => {
    const settings = { image: 'registry.example.com/shop:nightly', strategy: 'Recreate', commitLabel: true };
    const first = make({ settings });
    await first.up(COMMIT_A);
    const before = fake.get('Deployment', 'previews', first.name) as Obj;
    const writesBefore = fake.writes().length;

    const nightly = make({ settings });
    const { deployed } = await nightly.up(COMMIT_B);
    expect(deployed.deployed).toBe(true);
    const after = fake.get('Deployment', 'previews', first.name) as Obj;
    expect(after.spec.template.spec.containers[0].image).toBe('registry.example.com/shop:nightly');
    expect(after.spec.template.metadata.annotations['preview-kit/commit']).toBe(COMMIT_B);
    expect(after.spec.template.metadata.labels['preview-kit/commit']).toBe(COMMIT_B.slice(0, 15));
    expect(after.spec.strategy).toEqual({ type: 'Recreate' });
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    // deploy returned only once the new generation was rolled out
    expect(after.status.observedGeneration).toBe(after.metadata.generation);
    expect(after.status.updatedReplicas).toBe(1);
    const pods = fake.objects({ kind: 'Pod', namespace: 'previews' }) as Obj[];
    expect(pods.map((p) => p.metadata.annotations['preview-kit/commit'])).toEqual([COMMIT_B]);
    // only the Deployment changed
    const newWrites = fake.writes().slice(writesBefore);
    expect(newWrites.map((w) => w.path)).toEqual([`/apis/apps/v1/namespaces/previews/deployments/${first.name}`]);
  });

  it('switches an existing Deployment from RollingUpdate to Recreate (the defaulted rollingUpdate goes)', async () => {
    await make().up(COMMIT_A);
    expect((fake.get('Deployment', 'previews', make().name) as Obj).spec.strategy.rollingUpdate).toBeDefined();
    const p = make({ settings: { strategy: 'Recreate' } });
    await p.up(COMMIT_B);
    const d = fake.get('Deployment', 'previews', p.name) as Obj;
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.status.updatedReplicas).toBe(1);
    const count = fake.writes().length;
    await make({ settings: { strategy: 'Recreate' } }).up(COMMIT_B);
    expect(fake.writes().length).toBe(count);
  });

  it('--force with the same commit restarts the pods once, and later runs stay quiet', async () => {
    const first = make();
    await first.up(COMMIT_A);
    const forced = make();
    const { deployed } = await forced.up(COMMIT_A, true);
    expect(deployed.deployed).toBe(true);
    const restarted = (fake.get('Deployment', 'previews', first.name) as Obj).spec.template.metadata.annotations['preview-kit/restarted-at'];
    expect(restarted).toMatch(/^\d{4}-/);
    const count = fake.writes().length;
    await make().up(COMMIT_A);
    expect(fake.writes().length).toBe(count);
  });

  it('a failing rollout ends with exit 5 and the pods’ reason', async () => {
    const first = make();
    await first.up(COMMIT_A);
    fake.failRollout(first.name, 'ImagePullBackOff');
    const second = make();
    const error = await second.up(COMMIT_C).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).exitCode).toBe(5);
    expect((error as Error).message).toContain('ImagePullBackOff');
    expect((error as Error).message).toContain(first.name);
    // the old pod keeps serving while the new one cannot start (RollingUpdate)
    const pods = fake.objects({ kind: 'Pod', namespace: 'previews' }) as Obj[];
    expect(pods.some((p) => p.metadata.annotations['preview-kit/commit'] === COMMIT_A)).toBe(true);
  });

  it('without fail-fast, a rollout past its progress deadline fails with the reason', async () => {
    await fake.close();
    fake = await startFakeKubernetes({ readyDelayMs: 10, controllerIntervalMs: 5, progressDeadlineMs: 150 });
    kubeconfig = writeKubeconfig(fake, dir, { namespace: 'default' });
    const p = make({ settings: { rolloutFailFast: false } });
    fake.failRollout(p.name, 'CrashLoopBackOff');
    const error = await p.up(COMMIT_A).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/exceeded its progress deadline.*CrashLoopBackOff/);
  });

  it('stop removes everything with our labels and waits; a second stop is a no-op', async () => {
    const p = make();
    await p.up(COMMIT_A);
    expect(fake.objects({ labelSelector: `${OURS},preview-kit/name=${p.name}` }).map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'ReplicaSet', 'Pod', 'Service', 'Ingress', 'Secret']),
    );
    const other = fake.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'previews' }, data: { a: 'b' } });

    const result = await make().provider.destroy(p.ref);
    expect(result.deleted).toBe(true);
    expect(result.removed).toEqual(expect.arrayContaining([`deployment previews/${p.name}`, `service previews/${p.name}`]));
    expect(fake.objects({ labelSelector: OURS })).toEqual([]);
    expect(fake.get('ConfigMap', 'previews', 'unrelated')?.metadata).toMatchObject({ uid: (other.metadata as Obj).uid });
    const deletes = fake.writes().filter((w) => w.method === 'DELETE');
    expect(deletes.length).toBeGreaterThan(0);
    for (const d of deletes) expect(JSON.parse(d.body!).propagationPolicy).toBe('Foreground');

    const writes = fake.writes().length;
    const again = await make().provider.destroy(p.ref);
    expect(again).toEqual({ deleted: false, removed: [] });
    expect(fake.writes().length).toBe(writes);
  });

  it('a bad token is an AuthError (exit 3), never "not found"', async () => {
    kubeconfig = writeKubeconfig(fake, dir, { token: 'wrong-token', file: 'bad' });
    const p = make();
    const error = await p.provider.find(p.ref).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(3);
    expect((error as Error).message).toContain('Unauthorized');
    expect(fake.writes()).toEqual([]);
  });

  it('an object with our name but without our label is refused (exit 6) unless adopting', async () => {
    const p = make();
    fake.seed({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.name, namespace: 'previews', labels: { team: 'payments' } },
      spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] },
    });
    const error = await p.provider.ensure(p.spec).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as SafetyError).exitCode).toBe(6);
    expect((error as Error).message).toContain(`Service previews/${p.name}`);
    // refused before any write, not halfway through
    expect(fake.writes()).toEqual([]);

    const adopting = make({ adopt: true });
    await adopting.provider.ensure(adopting.spec);
    const service = fake.get('Service', 'previews', p.name) as Obj;
    expect(service.metadata.labels['app.kubernetes.io/managed-by']).toBe('preview-kit');
    expect(service.spec.selector).toEqual({ 'preview-kit/name': p.name, 'app.kubernetes.io/component': 'app' });
  });

  it('restores fields someone changed by hand, and only those objects', async () => {
    const p = make();
    await p.up(COMMIT_A);
    const path = `/apis/apps/v1/namespaces/previews/deployments/${p.name}`;
    const res = await fetch(`${fake.url}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/merge-patch+json', 'user-agent': 'kubectl/v1.32' },
      body: JSON.stringify({ spec: { replicas: 3 } }),
    });
    expect(res.status).toBe(200);
    const before = fake.writes().length;
    const again = make();
    await again.up(COMMIT_A);
    const newWrites = fake.writes().slice(before);
    expect(newWrites.map((w) => w.path)).toEqual([path]);
    expect((fake.get('Deployment', 'previews', p.name) as Obj).spec.replicas).toBe(1);
    expect(again.logger.lines.join('\n')).toContain('changed outside preview-kit (.spec.replicas)');
  });

  it('a changed env value rolls the pods through the config hash', async () => {
    await make().up(COMMIT_A);
    const p = make({ env: { GREETING: 'bonjour' } });
    const before = (fake.get('Deployment', 'previews', p.name) as Obj).spec.template.metadata.annotations['preview-kit/config-hash'];
    const { deployed } = await p.up(COMMIT_A);
    expect(deployed.deployed).toBe(true);
    const after = (fake.get('Deployment', 'previews', p.name) as Obj).spec.template.metadata.annotations['preview-kit/config-hash'];
    expect(after).not.toBe(before);
  });

  it('dry run reports the plan and writes nothing', async () => {
    const p = make({ dryRun: true });
    const { deployed } = await p.up(COMMIT_A);
    expect(deployed.deployed).toBe(true);
    expect(fake.writes()).toEqual([]);
    expect(p.plan.describe()).toEqual(
      expect.arrayContaining([`create Secret previews/${p.name}-env`, `create Service previews/${p.name}`, `create Ingress previews/${p.name}`, `create Deployment previews/${p.name}`]),
    );
  });

  it('removes the Ingress when the domains go away', async () => {
    await make().up(COMMIT_A);
    const p = make({ domains: [] });
    const { domainResult } = await p.up(COMMIT_A);
    expect(domainResult.changed).toBe(true);
    expect(fake.get('Ingress', 'previews', p.name)).toBeUndefined();
  });

  it('find and list report previews with their rollout state', async () => {
    const a = make();
    await a.up(COMMIT_A);
    const b = make({ branch: 'feature/other' });
    await b.up(COMMIT_B);
    const found = await make().provider.find(a.ref);
    expect(found?.id).toBe(`previews/${a.name}`);
    expect(found?.lastDeployment).toMatchObject({ state: 'ok', commit: COMMIT_A });
    expect(found?.identity).toEqual({ project: 'shop', branch: 'feature/cart' });
    expect(found?.domains.map((d) => d.host)).toEqual([`${a.name}.preview.example.com`]);
    expect(await make({ branch: 'nothing-here' }).provider.find(refOf({ branch: 'nothing-here' }))).toBeUndefined();
    const listed = await make().provider.list();
    expect(listed.map((p) => p.name).sort()).toEqual([a.name, b.name].sort());
  });

  it('one namespace per preview: created labelled, deleted whole on stop', async () => {
    const p = make({ settings: { namespacePerPreview: true } });
    await p.up(COMMIT_A);
    const ns = fake.get('Namespace', undefined, p.name) as Obj;
    expect(ns.metadata.labels['preview-kit/name']).toBe(p.name);
    expect(fake.get('Deployment', p.name, p.name)).toBeDefined();
    const count = fake.writes().length;
    await make({ settings: { namespacePerPreview: true } }).up(COMMIT_A);
    expect(fake.writes().length).toBe(count);
    const listed = await make({ settings: { namespacePerPreview: true } }).provider.list();
    expect(listed.map((x) => x.name)).toEqual([p.name]);
    const result = await make({ settings: { namespacePerPreview: true } }).provider.destroy(p.ref);
    expect(result.removed).toEqual([`namespace ${p.name}`]);
    expect(fake.get('Namespace', undefined, p.name)).toBeUndefined();
    expect(fake.objects({ namespace: p.name })).toEqual([]);
  });

  it('applies a manifests directory with our prefix, labels and references', async () => {
    const manifests = join(dir, 'k8s');
    mkdirSync(manifests);
    writeFileSync(
      join(manifests, 'app.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.example.com/web:{commit}
        envFrom: [{configMapRef: {name: settings}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {PUBLIC_URL: "https://{host}", JSON: '{"a": {b}}'}
`,
    );
    const p = make({ settings: { manifests, image: undefined } });
    await p.up(COMMIT_A);
    const deployment = fake.get('Deployment', 'previews', `${p.name}-web`) as Obj;
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'web', 'preview-kit/name': p.name });
    expect(deployment.spec.template.spec.containers[0].image).toBe(`registry.example.com/web:${COMMIT_A}`);
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: `${p.name}-settings` } }, { secretRef: { name: `${p.name}-env` } }]);
    const service = fake.get('Service', 'previews', `${p.name}-web`) as Obj;
    expect(service.spec.selector).toEqual({ app: 'web', 'preview-kit/name': p.name });
    const config = fake.get('ConfigMap', 'previews', `${p.name}-settings`) as Obj;
    expect(config.data).toEqual({ PUBLIC_URL: `https://${p.name}.preview.example.com`, JSON: '{"a": {b}}' });
    const ingress = fake.get('Ingress', 'previews', p.name) as Obj;
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: `${p.name}-web`, port: { number: 80 } });
    const count = fake.writes().length;
    await make({ settings: { manifests, image: undefined } }).up(COMMIT_A);
    expect(fake.writes().length).toBe(count);
    await make({ settings: { manifests, image: undefined } }).provider.destroy(p.ref);
    expect(fake.objects({ labelSelector: OURS })).toEqual([]);
  });
});
