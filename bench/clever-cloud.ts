/**
 * Clever Cloud bench: first `up`, no-op `up`, new-commit `up` and `stop` through the built CLI,
 * next to bench/clever-cloud-shell.sh (the seed script teams run today: link-or-create, sleep 10,
 * domain add || true, push, poll the deployments every 5 s; delete), both against the Clever Cloud
 * simulator (test/fakes/clever-cloud) with the latencies the issue names: a new repository answers
 * 3 s after its application is created, a deployment runs 1.5 s, every API request waits the
 * fake's default latency. Requests are counted from the fake's logs: reads are API GETs plus git
 * `info/refs?service=git-upload-pack` requests (repository probes), writes are every other API
 * request plus every push attempt (refused ones included).
 *
 * Floors (what the simulator itself needs, whoever the client):
 *   first up      = gitReadyDelay + deployDuration + latency × 5 + push
 *   new-commit up =                 deployDuration + latency × 3 + push
 * where 5 = the requests a first up needs (find the app, read the runtime catalogue, create it with
 * its tags, add the domain, one read that sees the deployment end), 3 = those of a new commit
 * (find the app, read its tags to know it is this preview's, one read that sees the end), and
 * `push` = a bare `git push` of the same repository to the simulator's remote, measured (git
 * requests have no configured latency: their time is git http-backend's own). The first up may
 * make a request while the repository is being created, so its floor is a little above a strict
 * lower bound; Node's start-up is preview-kit's own cost and is not in either floor.
 *
 *   PREVIEW_KIT_DIST=/tmp/dist node --import tsx bench/clever-cloud.ts   # prints the rows as JSON
 *   runCleverCloudBench()                                                 # what bench/run.ts calls
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiAuthorization, credentialsFrom, gitAuthorization } from '../src/providers/clever-cloud/auth.js';
import { DEFAULT_API_LATENCY_MS, startFakeCleverCloud, type FakeCleverCloud } from '../test/fakes/clever-cloud/server.js';
import { baseEnv, CLI, ROOT, runCli, tempRepo } from '../test/helpers/cli.js';
import { median, round, row, medianMeasure, nodeStartSeconds, readsAndWrites, spreadOf, type Measure, type ProviderBench } from './types.js';

const SHELL = join(ROOT, 'bench', 'clever-cloud-shell.sh');
const TOKEN = 'bench_token_0123456789';
const SECRET = 'bench_secret_0123456789';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
/** The simulator's pace for this bench (the numbers). */
export const SIMULATOR = { gitReadyDelayMs: 3_000, deployDurationMs: 1_500, latencyMs: DEFAULT_API_LATENCY_MS };
/** Requests the work needs (see the floors above). */
const FIRST_UP_REQUESTS = 5;
const NEW_COMMIT_REQUESTS = 3;
const RUNS = { first: 3, noop: 5, commit: 3 };
const DOMAIN = '{name}.preview.example.test';
const APP = 'hello';

interface Run extends Measure {
  seconds: number;
  reads: number;
  writes: number;
  refusedPushes: number;
}

function counts(fake: FakeCleverCloud): { reads: number; writes: number; refusedPushes: number } {
  const api = readsAndWrites(fake.requests);
  const probes = fake.gitRequests.filter((r) => r.service === 'git-upload-pack').length;
  return { reads: api.reads + probes, writes: api.writes + fake.pushes.length, refusedPushes: fake.pushes.filter((p) => !p.ok).length };
}

async function measured(fake: FakeCleverCloud, what: string, fn: () => Promise<{ code: number; stdout?: string; stderr: string }>, deployed?: boolean): Promise<Run> {
  fake.resetLog();
  const t = performance.now();
  const r = await fn();
  const seconds = (performance.now() - t) / 1000;
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.slice(-2_000)}`);
  // The step measured is the step meant: a deploy where one was due, none on a no-op.
  if (deployed !== undefined && (JSON.parse(r.stdout ?? '{}') as { deployed?: boolean }).deployed !== deployed) {
    throw new Error(`${what}: expected deployed=${deployed}, got ${r.stdout}`);
  }
  return { seconds, ...counts(fake) };
}

/** A bare push of `commits` in turn to a scratch application's remote, as preview-kit pushes (median seconds). */
async function barePushSeconds(fake: FakeCleverCloud, dir: string, commits: string[], gitAuth: string, apiAuth: string): Promise<number> {
  const base = `${fake.url}/v2/organisations/${ORG}`;
  const headers = { authorization: apiAuth, 'content-type': 'application/json' };
  const products = (await (await fetch(`${fake.url}/v2/products/instances`, { headers })).json()) as Array<{ type: string; version: string; enabled: boolean; variant: { id: string; slug: string } }>;
  const node = products.filter((p) => p.variant.slug === 'node' && p.enabled).sort((a, b) => b.version.localeCompare(a.version))[0]!;
  const body = { deploy: 'git', name: 'bench-bare-push', zone: 'par', instanceType: node.type, instanceVersion: node.version, instanceVariant: node.variant.id, minFlavor: 'XS', maxFlavor: 'XS', minInstances: 1, maxInstances: 1, env: {} };
  const app = (await (await fetch(`${base}/applications`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id: string; deployment: { httpUrl: string } };
  const url = app.deployment.httpUrl;
  for (;;) {
    const res = await fetch(`${url}/info/refs?service=git-upload-pack`, { headers: { authorization: gitAuth } });
    await res.arrayBuffer();
    if (res.ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const env = { ...baseEnv(), GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${url}.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: ${gitAuth}` };
  const times: number[] = [];
  for (const commit of commits) {
    const t = performance.now();
    await execa('git', ['push', '--force', '--no-verify', '--porcelain', url, `${commit}:refs/heads/master`], { cwd: dir, env, extendEnv: false });
    times.push((performance.now() - t) / 1000);
  }
  await fetch(`${base}/applications/${app.id}`, { method: 'DELETE', headers });
  return median(times);
}

export async function runCleverCloudBench(): Promise<ProviderBench> {
  if (!existsSync(CLI)) throw new Error(`no built CLI at ${CLI}: run npm run build (or set PREVIEW_KIT_DIST)`);
  const fake = await startFakeCleverCloud({ token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: SIMULATOR.gitReadyDelayMs, deployDurationMs: SIMULATOR.deployDurationMs, latencyMs: SIMULATOR.latencyMs });
  const repo = await tempRepo({ 'index.html': '<h1>bench</h1>\n', 'package.json': '{"name":"hello","scripts":{"start":"node -e 0"}}\n' }, 'main');
  const commits = [repo.first];
  for (let i = 1; i <= RUNS.commit + 1; i++) commits.push(await repo.commit({ 'index.html': `<h1>bench ${i}</h1>\n` }, `change ${i}`));
  const creds = credentialsFrom({ token: TOKEN, secret: SECRET });
  const apiAuth = apiAuthorization(creds);
  const gitAuth = gitAuthorization(creds);
  const env = { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG };
  const shellEnv = { ...baseEnv(), CLEVER_API_URL: fake.url, CLEVER_ORG: ORG, API_AUTHORIZATION: apiAuth, GIT_AUTHORIZATION: gitAuth };
  const branch = (i: number) => `bench/pk-${i}`;
  const cli = (command: 'up' | 'stop', i: number, commit = commits[0]!) =>
    runCli([command, '--provider', 'clever-cloud', '--app', APP, '--branch', branch(i), ...(command === 'up' ? ['--domain', DOMAIN, '--commit', commit, '--json'] : [])], { cwd: repo.dir, env });
  const shell = async (...args: string[]) => {
    const r = await execa('bash', [SHELL, ...args], { env: shellEnv, extendEnv: false, reject: false, cwd: repo.dir });
    return { code: r.exitCode ?? -1, stderr: r.stderr };
  };
  const shellName = 'hello-bench-shell';
  const shellUp = (commit: string) => shell('up', shellName, `${shellName}.preview.example.test`, repo.dir, commit);

  const pk = { first: [] as Run[], noop: [] as Run[], commit: [] as Run[], stop: [] as Run[] };
  const sh = { first: [] as Run[], noop: [] as Run[], commit: [] as Run[], stop: [] as Run[] };
  try {
    const push = await barePushSeconds(fake, repo.dir, commits.slice(0, 3), gitAuth, apiAuth);
    const nodeStart = nodeStartSeconds();

    for (let i = 0; i < RUNS.first; i++) pk.first.push(await measured(fake, 'first up', () => cli('up', i), true));
    sh.first.push(await measured(fake, 'seed script first up', () => shellUp(commits[0]!)));
    for (let i = 0; i < RUNS.noop; i++) pk.noop.push(await measured(fake, 'no-op up', () => cli('up', 0), false));
    sh.noop.push(await measured(fake, 'seed script no-op up', () => shellUp(commits[0]!)));
    for (let i = 1; i <= RUNS.commit; i++) pk.commit.push(await measured(fake, 'new-commit up', () => cli('up', 0, commits[i]!), true));
    sh.commit.push(await measured(fake, 'seed script new-commit up', () => shellUp(commits[RUNS.commit + 1]!)));
    for (let i = 0; i < RUNS.first; i++) pk.stop.push(await measured(fake, 'stop', () => cli('stop', i)));
    sh.stop.push(await measured(fake, 'seed script stop', () => shell('stop', shellName)));

    const latency = SIMULATOR.latencyMs / 1000;
    const deploy = SIMULATOR.deployDurationMs / 1000;
    const firstFloor = SIMULATOR.gitReadyDelayMs / 1000 + deploy + latency * FIRST_UP_REQUESTS + push;
    const commitFloor = deploy + latency * NEW_COMMIT_REQUESTS + push;
    const noop = medianMeasure(pk.noop);
    const refused = pk.first.reduce((n, r) => n + r.refusedPushes, 0);
    return {
      provider: 'clever-cloud',
      baselineName: 'seed script: bash + curl + jq + git (bench/clever-cloud-shell.sh: link-or-create, sleep 10, domain add || true, push, poll every 5 s; delete)',
      rows: [
        row('first up', medianMeasure(pk.first), medianMeasure(sh.first), { floorSeconds: firstFloor, runs: RUNS.first }),
        row('no-op up', noop, medianMeasure(sh.noop), { runs: RUNS.noop }),
        row('new-commit up', medianMeasure(pk.commit), medianMeasure(sh.commit), { floorSeconds: commitFloor, runs: RUNS.commit }),
        row('stop', medianMeasure(pk.stop), medianMeasure(sh.stop), { runs: RUNS.first }),
      ],
      notes: [
        `simulator: repository ready ${SIMULATOR.gitReadyDelayMs} ms after create, deployment ${SIMULATOR.deployDurationMs} ms, ${SIMULATOR.latencyMs} ms per API request; a bare git push measured ${round(push, 3)} s`,
        `floors: first up = ${SIMULATOR.gitReadyDelayMs / 1000} + ${deploy} + ${latency} × ${FIRST_UP_REQUESTS} requests + push = ${round(firstFloor)} s; new-commit up = ${deploy} + ${latency} × ${NEW_COMMIT_REQUESTS} + push = ${round(commitFloor)} s (requests the work needs: find, runtimes, create with tags, domain, one read of the end; find, tags, one read of the end); Node's start-up is not in them`,
        `no-op up: ${round(noop.seconds, 3)} s against Node's start-up (${round(nodeStart, 3)} s, node -e 0) + ${noop.reads} reads × ${latency} s = ${round(nodeStart + noop.reads! * latency, 3)} s`,
        `preview-kit runs (median of): first up ${RUNS.first} (${spreadOf(pk.first)}), no-op ${RUNS.noop} (${spreadOf(pk.noop)}), new commit ${RUNS.commit} (${spreadOf(pk.commit)}), stop ${RUNS.first}; the seed script once per step (its time is its sleeps); pushes refused over all first ups: ${refused}`,
        'reads: API GETs + git info/refs probes; writes: other API requests + push attempts',
      ],
    };
  } finally {
    for (let i = 0; i < RUNS.first; i++) if (pk.stop.length <= i) await cli('stop', i).catch(() => undefined);
    if (sh.stop.length === 0) await shell('stop', shellName).catch(() => undefined);
    await fake.close();
    await repo.remove();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await runCleverCloudBench(), null, 2)}\n`);
}
