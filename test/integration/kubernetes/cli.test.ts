/**
 * The Kubernetes flow end to end: the built CLI as a process, pointed at the fake API server by a
 * kubeconfig in KUBECONFIG, the way a pipeline runs it. What a person would audit after a run is
 * what is checked: the objects left in the cluster, the write requests the server received, the
 * exit code and the one `preview-kit:` line on failure.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../../fakes/github/server.js';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes, type RecordedRequest } from '../../fakes/kubernetes/index.js';
import { runWorkflowJob } from '../../forges/github/runner.js';
import { baseEnv, ROOT, runCli, tempRepo, type CliRun } from '../../helpers/cli.js';

type Obj = Record<string, any>;

const TOKEN = 'k8s-sa-token-4b7e1f09c2d84a6e9f35';
const NAMESPACE = 'previews';
const OURS = 'app.kubernetes.io/managed-by=preview-kit';

let fake: FakeKubernetes;
let dir: string;
let kubeconfig: string;
let repo: Awaited<ReturnType<typeof tempRepo>>;

const common = ['--provider', 'kubernetes', '--app', 'shop', '--timeout', '1m'];
const env = (extra: Record<string, string> = {}) => ({ KUBECONFIG: kubeconfig, ...extra });
const writesSince = (n: number) => fake.writes().slice(n);
const previewLines = (r: CliRun) => r.stderr.split('\n').filter((l) => l.startsWith('preview-kit:'));
const templateOf = (d: Obj | undefined): Obj => d?.spec?.template ?? {};
const podsOf = (name: string, namespace = NAMESPACE) => fake.objects({ kind: 'Pod', namespace, labelSelector: `preview-kit/name=${name}` }) as Obj[];
const podReady = (p: Obj) => (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

function up(branch: string, extra: string[] = [], envExtra: Record<string, string> = {}) {
  return runCli(['up', ...common, '--branch', branch, '--domain', '{name}.preview.example.com', '--image', 'registry.example.com/shop:{shortCommit}', '--json', ...extra], {
    cwd: repo.dir,
    env: env(envExtra),
  });
}

async function previewNameOf(branch: string): Promise<string> {
  const r = await runCli(['name', '--app', 'shop', '--branch', branch, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json<{ name: string }>().name;
}

/**
 * Runs the CLI while the new pods of `name` cannot start (a slow image pull, not a failure),
 * checks that it is still waiting once the new pod template is applied, then lets the pods start.
 * A CLI that returned before the rollout ended would be seen as exited here.
 */
async function runDuringSlowPull<T>(name: string, commit: string, start: () => Promise<T>, namespace = NAMESPACE): Promise<{ run: T; whileBlocked: { exited: boolean; template: Obj; pods: Obj[] } }> {
  fake.failRollout(`${namespace}/${name}`, 'ContainerCreating', 'Pulling image "registry.example.com/shop:nightly"');
  let exited = false;
  const pending = start().then((r) => {
    exited = true;
    return r;
  });
  try {
    // Wait for facts: the new template is stored, a pod of it waits, and the CLI looked at the
    // Deployment since (read it, or watches it).
    const looksAt = (q: RecordedRequest) =>
      q.method === 'GET' && (q.path.endsWith(`/deployments/${name}`) || (q.path.endsWith('/deployments') && q.query.watch === 'true' && q.query.fieldSelector === `metadata.name=${name}`));
    for (;;) {
      const d = fake.get('Deployment', namespace, name) as Obj | undefined;
      const applied = templateOf(d).metadata?.annotations?.['preview-kit/commit'] === commit;
      const lastPatch = fake.requests.findLastIndex((q) => q.method === 'PATCH' && q.path.endsWith(`/deployments/${name}`));
      const lookedSince = lastPatch >= 0 && fake.requests.slice(lastPatch + 1).some(looksAt);
      const waiting = podsOf(name, namespace).some((p) => p.metadata.annotations?.['preview-kit/commit'] === commit && !podReady(p));
      if (exited || (applied && lookedSince && waiting)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const whileBlocked = { exited, template: templateOf(fake.get('Deployment', namespace, name) as Obj), pods: podsOf(name, namespace) };
    fake.healRollout(`${namespace}/${name}`);
    return { whileBlocked, run: await pending };
  } finally {
    fake.healRollout(`${namespace}/${name}`);
  }
}

beforeAll(async () => {
  fake = await startFakeKubernetes({ token: TOKEN, namespaces: ['default', 'kube-system', NAMESPACE, 'nightly'] });
  dir = mkdtempSync(join(tmpdir(), 'pk-k8s-cli-'));
  kubeconfig = writeKubeconfig(fake, dir, { namespace: NAMESPACE });
  repo = await tempRepo({ 'index.html': '<h1>one</h1>\n', Dockerfile: 'FROM nginx:alpine\nCOPY index.html /usr/share/nginx/html/\n' });
});

afterAll(async () => {
  await fake?.close();
  await repo?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kubernetes CLI: up, re-run, new commit, failed rollout, status, stop', () => {
  const branch = 'feature/login';
  let name = '';

  it('first up applies labelled objects, waits for the rollout and prints name, url, created, deployed', async () => {
    const r = await up(branch);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ name: string; id: string; url: string; created: boolean; deployed: boolean; commit: string }>();
    name = out.name;
    expect(out).toMatchObject({ created: true, deployed: true, commit: repo.first, id: `${NAMESPACE}/${name}`, url: `https://${name}.preview.example.com` });
    const d = fake.get('Deployment', NAMESPACE, name) as Obj;
    expect(d.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': name });
    expect(templateOf(d).metadata.annotations['preview-kit/commit']).toBe(repo.first);
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, updatedReplicas: 1, availableReplicas: 1 });
    expect((fake.get('Ingress', NAMESPACE, name) as Obj).spec.rules[0].host).toBe(`${name}.preview.example.com`);
    expect(fake.objects({ namespace: NAMESPACE, labelSelector: `${OURS},preview-kit/name=${name}` }).map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Secret', 'Service', 'Ingress', 'Deployment']),
    );
  });

  it('a second up with nothing to change sends no write request', async () => {
    const before = fake.writes().length;
    const r = await up(branch);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name, created: false, changed: false, deployed: false });
    expect(writesSince(before)).toEqual([]);
  });

  it('a new commit changes the pod-template commit annotation and the CLI waits for that rollout', async () => {
    const second = await repo.commit({ 'index.html': '<h1>two</h1>\n' }, 'second');
    const { run, whileBlocked } = await runDuringSlowPull(name, second, () => up(branch));
    expect(whileBlocked.exited, 'the CLI returned while the new pods could not start').toBe(false);
    expect(whileBlocked.template.metadata.annotations['preview-kit/commit']).toBe(second);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ name, created: false, deployed: true, commit: second });
    const d = fake.get('Deployment', NAMESPACE, name) as Obj;
    expect(templateOf(d).spec.containers[0].image).toBe(`registry.example.com/shop:${second.slice(0, 7)}`);
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, updatedReplicas: 1, availableReplicas: 1 });
  });

  it('a rollout whose pods cannot pull their image exits 5 with the pods’ reason in one preview-kit line', async () => {
    fake.failRollout(name, 'ImagePullBackOff');
    const third = await repo.commit({ 'index.html': '<h1>three</h1>\n' }, 'third');
    const r = await up(branch);
    fake.healRollout(name);
    expect(r.code, r.stderr).toBe(5);
    const lines = previewLines(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^preview-kit: rollout of Deployment ${NAMESPACE}/${name} failed: .*ImagePullBackOff`));
    const earlier = r.stderr.slice(0, r.stderr.indexOf(lines[0]!));
    expect(earlier).toMatch(new RegExp(`update(d)? Deployment ${NAMESPACE}/${name}`));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.json<{ exitCode: number }>().exitCode).toBe(5);

    // Once the image can be pulled, the same command converges.
    const again = await up(branch);
    expect(again.code, again.stderr).toBe(0);
    expect(templateOf(fake.get('Deployment', NAMESPACE, name) as Obj).metadata.annotations['preview-kit/commit']).toBe(third);
  });

  it('status shows the preview and its commit; an absent preview is exit 4', async () => {
    const s = await runCli(['status', ...common, '--branch', branch, '--json'], { cwd: repo.dir, env: env() });
    expect(s.code, s.stderr).toBe(0);
    const out = s.json<{ id: string; preview: { lastDeployment: { commit: string; state: string } } }>();
    expect(out.id).toBe(`${NAMESPACE}/${name}`);
    expect(out.preview.lastDeployment).toMatchObject({ commit: (await repo.git('rev-parse', 'HEAD')).stdout.trim(), state: 'ok' });

    const absent = await runCli(['status', ...common, '--branch', 'feature/never-deployed'], { cwd: repo.dir, env: env() });
    expect(absent.code).toBe(4);
    expect(previewLines(absent)).toHaveLength(1);
  });

  it('stop removes everything with our labels; a second stop exits 0 without writing', async () => {
    const r = await runCli(['stop', ...common, '--branch', branch, '--json'], { cwd: repo.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name, deleted: true });
    expect(fake.objects({ labelSelector: `preview-kit/name=${name}` })).toEqual([]);

    const before = fake.writes().length;
    const again = await runCli(['stop', ...common, '--branch', branch, '--json'], { cwd: repo.dir, env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ name, deleted: false });
    expect(writesSince(before)).toEqual([]);
  });
});

describe('kubernetes CLI: nightly redeploy of the same image tag', () => {
  it('two ups with the same :nightly tag and different commits change the pod template and wait for a Recreate rollout', async () => {
    const nightly = await tempRepo({ 'index.html': '<h1>monday</h1>\n' }, 'main');
    try {
      const args = ['up', ...common, '--branch', 'nightly', '--image', 'registry.example.com/shop:nightly', '--strategy', 'Recreate', '--commit-label', '--json'];
      const first = await runCli(args, { cwd: nightly.dir, env: env() });
      expect(first.code, first.stderr).toBe(0);
      const { name } = first.json<{ name: string }>();
      const before = structuredClone(templateOf(fake.get('Deployment', NAMESPACE, name) as Obj));
      expect(before.spec.containers[0]).toMatchObject({ image: 'registry.example.com/shop:nightly', imagePullPolicy: 'Always' });

      const tuesday = await nightly.commit({ 'index.html': '<h1>tuesday</h1>\n' }, 'tuesday');
      const { run, whileBlocked } = await runDuringSlowPull(name, tuesday, () => runCli(args, { cwd: nightly.dir, env: env() }));
      expect(whileBlocked.exited, 'the CLI returned while the new pods could not start').toBe(false);
      // Recreate: the old pods are gone before the new ones run.
      expect(whileBlocked.pods.filter((p) => p.metadata.annotations?.['preview-kit/commit'] === nightly.first)).toEqual([]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json()).toMatchObject({ name, deployed: true, commit: tuesday });

      const d = fake.get('Deployment', NAMESPACE, name) as Obj;
      const after = templateOf(d);
      expect(d.spec.strategy.type).toBe('Recreate');
      expect(after.spec.containers[0].image).toBe(before.spec.containers[0].image);
      expect(after.metadata.annotations['preview-kit/commit']).toBe(tuesday);
      expect(before.metadata.annotations['preview-kit/commit']).toBe(nightly.first);
      expect(after.metadata.labels['preview-kit/commit']).toBe(tuesday.slice(0, 15));
      expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, updatedReplicas: 1, availableReplicas: 1 });
      const pods = podsOf(name);
      expect(pods.length).toBeGreaterThan(0);
      for (const pod of pods) expect(pod.metadata.annotations['preview-kit/commit']).toBe(tuesday);

      const stop = await runCli(['stop', ...common, '--branch', 'nightly'], { cwd: nightly.dir, env: env() });
      expect(stop.code, stop.stderr).toBe(0);
    } finally {
      await nightly.remove();
    }
  });
});

describe('examples/github/nightly.yml', () => {
  it('on schedule, builds the same :nightly tag, rolls each new commit out with Recreate, and changes nothing on a quiet night', async () => {
    const GH_TOKEN = 'ghs_fakeNightlyToken0000000000000000001';
    const REGISTRY_PASSWORD = 'registry-pw-5e0c1a9b7d3f';
    const gh = await startFakeGitHub({ tokens: { [GH_TOKEN]: { permissions: { deployments: 'write' } } } });
    const work = mkdtempSync(join(tmpdir(), 'pk-nightly-'));
    const runnerTemp = join(work, 'runner-temp');
    const bin = join(work, 'bin');
    mkdirSync(runnerTemp);
    mkdirSync(bin);
    // No Docker daemon here: a stand-in docker records what the build step asks for.
    const dockerLog = join(work, 'docker.log');
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$DOCKER_STUB_LOG"\ncase " $* " in *" --password-stdin "*) cat > /dev/null ;; esac\n');
    chmodSync(join(bin, 'docker'), 0o755);
    const nightly = await tempRepo({ 'index.html': '<h1>monday</h1>\n', Dockerfile: 'FROM nginx:alpine\n' }, 'main');
    const name = await previewNameOf('nightly');
    const previousTmp = process.env.TMPDIR;
    // The job's `${{ runner.temp }}` is the test runner's tmpdir(): keep it private to this test.
    process.env.TMPDIR = runnerTemp;
    const night = async () => {
      const sha = (await nightly.git('rev-parse', 'HEAD')).stdout.trim();
      const eventPath = join(work, 'event.json');
      writeFileSync(eventPath, JSON.stringify({ schedule: '17 2 * * *' }));
      return runWorkflowJob({
        workflow: join(ROOT, 'examples', 'github', 'nightly.yml'),
        job: 'nightly',
        event: { schedule: '17 2 * * *' },
        eventName: 'schedule',
        env: baseEnv({
          PATH: `${bin}:${process.env.PATH}`,
          DOCKER_STUB_LOG: dockerLog,
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_REPOSITORY: 'octo-org/shop',
          GITHUB_REPOSITORY_OWNER: 'octo-org',
          GITHUB_EVENT_NAME: 'schedule',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_REF: 'refs/heads/main',
          GITHUB_REF_NAME: 'main',
          GITHUB_SHA: sha,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_API_URL: gh.url,
          GITHUB_RUN_ID: '7001',
          GITHUB_WORKSPACE: nightly.dir,
          RUNNER_OS: 'Linux',
          RUNNER_TEMP: runnerTemp,
        }) as Record<string, string>,
        cwd: nightly.dir,
        githubToken: GH_TOKEN,
        secrets: { KUBECONFIG_DATA: readFileSync(kubeconfig, 'utf8'), REGISTRY_USER: 'ci', REGISTRY_PASSWORD },
        vars: {},
        actionsRoot: join(ROOT, 'actions'),
      });
    };
    try {
      const monday = await night();
      expect(monday.exitCode, monday.stderr).toBe(0);
      expect(monday.used).toEqual(['actions/checkout@v4', 'preview-kit/preview-kit/actions/up@v0']);
      expect(monday.steps.nightly).toMatchObject({ name, url: 'https://nightly.shop.example.com', deployed: 'true', commit: nightly.first });
      const first = fake.get('Deployment', 'nightly', name) as Obj;
      expect(first.spec.strategy.type).toBe('Recreate');
      expect(templateOf(first).spec.containers[0]).toMatchObject({ image: 'registry.example.com/shop:nightly', imagePullPolicy: 'Always' });
      expect((fake.get('Ingress', 'nightly', name) as Obj).metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');

      const tuesday = await nightly.commit({ 'index.html': '<h1>tuesday</h1>\n' }, 'tuesday');
      const { run, whileBlocked } = await runDuringSlowPull(name, tuesday, night, 'nightly');
      expect(whileBlocked.exited, 'the job ended while the new pods could not start').toBe(false);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.steps.nightly).toMatchObject({ deployed: 'true', commit: tuesday });
      const after = templateOf(fake.get('Deployment', 'nightly', name) as Obj);
      expect(after.spec.containers[0].image).toBe('registry.example.com/shop:nightly');
      expect(after.metadata.annotations['preview-kit/commit']).toBe(tuesday);
      expect(after.metadata.labels['preview-kit/commit']).toBe(tuesday.slice(0, 15));
      expect(run.stdout).toContain(`::notice title=Nightly::https://nightly.shop.example.com runs ${tuesday} (rolled out by this run: true)`);

      const writes = fake.writes().length;
      const quiet = await night();
      expect(quiet.exitCode, quiet.stderr).toBe(0);
      expect(quiet.steps.nightly).toMatchObject({ deployed: 'false', commit: tuesday });
      expect(writesSince(writes)).toEqual([]);

      const docker = readFileSync(dockerLog, 'utf8');
      expect(docker.match(/^push registry\.example\.com\/shop:nightly$/gm)).toHaveLength(3);
      expect(docker).not.toContain(REGISTRY_PASSWORD);
      const deployments = [...gh.state.deployments.values()];
      // One GitHub deployment per rollout; the quiet night deployed nothing.
      expect(deployments.map((d) => [d.environment, d.sha])).toEqual([
        ['nightly', nightly.first],
        ['nightly', tuesday],
      ]);
      const last = deployments.at(-1)!;
      expect(gh.state.statusesOf(last.id).at(-1)).toMatchObject({ state: 'success', environmentUrl: 'https://nightly.shop.example.com' });
      // `::add-mask::` is how a step tells the runner to mask a value; the runner never prints it.
      const shown = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      for (const r of [monday, run, quiet]) {
        expect(`${r.stdout}${r.stderr}`).toContain(`::add-mask::${TOKEN}`);
        expect(shown(r)).not.toContain(TOKEN);
      }
    } finally {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      await runCli(['stop', ...common, '--branch', 'nightly', '--namespace', 'nightly'], { cwd: nightly.dir, env: env() });
      await gh.close();
      await nightly.remove();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('kubernetes CLI: credentials, ownership, secrets', () => {
  it('a token the API server refuses exits 3, writes nothing, and is never read as "absent"', async () => {
    const wrong = writeKubeconfig(fake, dir, { namespace: NAMESPACE, token: 'k8s-wrong-token-000000000000', file: 'kubeconfig-wrong' });
    const before = fake.writes().length;
    const r = await up('feature/badauth', [], { KUBECONFIG: wrong });
    expect(r.code, r.stderr).toBe(3);
    expect(previewLines(r)).toHaveLength(1);
    expect(writesSince(before)).toEqual([]);
    const status = await runCli(['status', ...common, '--branch', 'feature/badauth'], { cwd: repo.dir, env: env({ KUBECONFIG: wrong }) });
    expect(status.code).toBe(3);
    expect(r.stdout + r.stderr + status.stdout + status.stderr).not.toContain('k8s-wrong-token-000000000000');
  });

  it('an object with the preview’s name but without our labels is refused (exit 6) and left as it was', async () => {
    const name = await previewNameOf('feature/taken');
    const theirs = fake.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NAMESPACE, labels: { team: 'payments' } }, spec: { ports: [{ port: 80 }] } });
    const before = fake.writes().length;
    const r = await up('feature/taken');
    expect(r.code, r.stderr).toBe(6);
    expect(previewLines(r)).toHaveLength(1);
    expect(previewLines(r)[0]).toMatch(/--adopt/);
    expect(writesSince(before)).toEqual([]);
    expect(fake.get('Service', NAMESPACE, name)).toEqual(theirs);
    expect(fake.get('Deployment', NAMESPACE, name)).toBeUndefined();
  });

  it('with --debug, the token never reaches stdout or stderr, from the kubeconfig or from K8S_TOKEN', async () => {
    const r = await up('feature/secrets', ['--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('debug:');
    // K8S_TOKEN replaces a kubeconfig user whose token the server would refuse.
    const other = writeKubeconfig(fake, dir, { namespace: NAMESPACE, token: 'k8s-stale-token-111111111111', file: 'kubeconfig-stale' });
    const s = await runCli(['status', ...common, '--branch', 'feature/secrets', '--debug', '--json'], { cwd: repo.dir, env: env({ KUBECONFIG: other, K8S_TOKEN: TOKEN }) });
    expect(s.code, s.stderr).toBe(0);
    const stop = await runCli(['stop', ...common, '--branch', 'feature/secrets', '--debug'], { cwd: repo.dir, env: env() });
    expect(stop.code, stop.stderr).toBe(0);
    for (const out of [r, s, stop]) {
      expect(out.stdout + out.stderr).not.toContain(TOKEN);
      expect(out.stdout + out.stderr).not.toContain(TOKEN.slice(0, 20));
    }
  });
});

describe('kubernetes CLI: dry run', () => {
  it('--dry-run on a new preview prints the plan, says what it would do, and writes nothing', async () => {
    const before = fake.writes().length;
    const r = await up('feature/dry', ['--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ name: string; dryRun: boolean; plan: string[] }>();
    expect(out.dryRun).toBe(true);
    expect(out.plan).toContain(`create Deployment ${NAMESPACE}/${out.name}`);
    expect(r.stderr).toMatch(new RegExp(`would .*create Deployment ${NAMESPACE}/${out.name}`));
    // Nothing was created: no line may say so.
    expect(r.stderr).not.toMatch(/^\s*(created|updated) /m);
    expect(writesSince(before)).toEqual([]);
    expect(fake.get('Deployment', NAMESPACE, out.name)).toBeUndefined();
  });
});

describe('kubernetes CLI: the example settings file', () => {
  it('examples/kubernetes/.preview.yml is accepted and renders what it says', async () => {
    const example = await tempRepo({ 'index.html': '<h1>example</h1>\n' }, 'feature/example');
    try {
      cpSync(join(ROOT, 'examples', 'kubernetes', '.preview.yml'), join(example.dir, '.preview.yml'));
      const r = await runCli(['up', '--json'], { cwd: example.dir, env: env() });
      expect(r.code, r.stderr).toBe(0);
      const { name, url } = r.json<{ name: string; url: string }>();
      expect(url).toBe(`https://${name}.preview.example.com`);
      const d = fake.get('Deployment', NAMESPACE, name) as Obj;
      const container = templateOf(d).spec.containers[0];
      expect(container.image).toBe(`registry.example.com/shop:${example.first}`);
      expect(container.ports[0].containerPort).toBe(3000);
      expect(container.resources.requests).toMatchObject({ cpu: '100m', memory: '128Mi' });
      const ingress = fake.get('Ingress', NAMESPACE, name) as Obj;
      expect(ingress.spec.ingressClassName).toBe('nginx');
      expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
      const stop = await runCli(['stop'], { cwd: example.dir, env: env() });
      expect(stop.code, stop.stderr).toBe(0);
    } finally {
      await example.remove();
    }
  });
});
