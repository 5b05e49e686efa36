/**
 * Convox bench: first `up`, no-op `up`, new-commit `up` and `stop` through the built CLI, against
 * the fake rack (test/fakes/convox) with a rack's latencies scaled down, next to
 * bench/convox-shell.sh (the same rack calls with curl + jq, polling every 0.1 s). The two ways
 * alternate, each on its own app, so that drift hits both alike; requests are counted from the
 * fake's request log. Runs on a v3 rack (convox/convox); `CONVOX_BENCH_GENERATIONS=3,2` adds a
 * shorter v2 pass (convox/rack), reported in the notes.
 *
 *   PREVIEW_KIT_DIST=/tmp/dist node --import tsx bench/convox.ts   # prints the rows as JSON
 *   runConvoxBench()                                                # what bench/run.ts calls
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeRack, type FakeRackDelays, type Generation } from '../test/fakes/convox/server.js';
import { ROOT, runCli, tempRepo } from '../test/helpers/cli.js';
import { row, medianMeasure, readsAndWrites, spreadOf, type ProviderBench, type Row, type Timed } from './types.js';

const SHELL = join(ROOT, 'bench', 'convox-shell.sh');

/**
 * A rack's own pace, about a tenth of a small app's on a v3 rack (namespace and atom for a new app,
 * a build pod, a rollout, a namespace deletion), so that the whole bench stays within minutes.
 */
export const BENCH_DELAYS: FakeRackDelays = { create: 2_000, buildStart: 500, build: 4_000, promote: 3_000, delete: 2_000, terminate: 1_000 };

const CONVOX_YML = 'services:\n  web:\n    build: .\n    port: 3000\n    domain: ${PREVIEW_HOST}\n';
const DOMAIN = '{name}.preview.example.test';

interface Plan {
  generation: Generation;
  /** First `up`s (and `stop`s) per way: each on an app of its own. */
  firstRuns: number;
  noopRuns: number;
  commitRuns: number;
}

async function runGeneration(plan: Plan): Promise<{ rows: Row[]; noise: string }> {
  const rack = await startFakeRack({ generation: plan.generation, delays: BENCH_DELAYS });
  const repo = await tempRepo({ 'convox.yml': CONVOX_YML, Dockerfile: 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n', 'server.js': 'console.log(0)\n' }, 'main');
  const commits: string[] = [];
  for (let i = 1; i <= 2 * plan.commitRuns; i++) commits.push(await repo.commit({ 'server.js': `console.log(${i})\n` }, `change ${i}`));
  const env = { RACK_URL: rack.urlWithPassword };
  const pkName = (i: number) => `pk${i}`;
  const shName = (i: number) => `sh${i}-main`;

  const measure = async (fn: () => Promise<void>): Promise<Timed> => {
    rack.resetLog();
    const t = performance.now();
    await fn();
    const seconds = (performance.now() - t) / 1000;
    return { seconds, ...readsAndWrites(rack.requests) };
  };
  const pk = (args: string[]) =>
    measure(async () => {
      const r = await runCli(args, { cwd: repo.dir, env, timeoutMs: 300_000 });
      if (r.code !== 0) throw new Error(`preview-kit ${args[0]} failed (${r.code}): ${r.stderr.slice(-800)}`);
    });
  const pkUp = (i: number, commit: string) => pk(['up', '--provider', 'convox', '--app', pkName(i), '--branch', 'main', '--commit', commit, '--domain', DOMAIN]);
  const pkStop = (i: number) => pk(['stop', '--provider', 'convox', '--app', pkName(i), '--branch', 'main']);
  const shell = (args: string[]) =>
    measure(async () => {
      const r = await execa('bash', [SHELL, ...args], { env: { ...process.env, RACK_URL: rack.urlWithPassword }, reject: false });
      if (r.exitCode !== 0) throw new Error(`convox-shell.sh ${args[0]} failed: ${r.stderr.slice(-800)}`);
    });
  const shUp = (i: number, commit: string) => shell(['up', shName(i), repo.dir, commit, `${shName(i)}.preview.example.test`]);
  const shStop = (i: number) => shell(['stop', shName(i)]);

  try {
    const first = { pk: [] as Timed[], sh: [] as Timed[] };
    for (let i = 0; i < plan.firstRuns; i++) {
      first.pk.push(await pkUp(i, repo.first));
      first.sh.push(await shUp(i, repo.first));
    }
    const noop = { pk: [] as Timed[], sh: [] as Timed[] };
    for (let i = 0; i < plan.noopRuns; i++) {
      noop.pk.push(await pkUp(0, repo.first));
      noop.sh.push(await shUp(0, repo.first));
    }
    const change = { pk: [] as Timed[], sh: [] as Timed[] };
    for (let i = 0; i < plan.commitRuns; i++) {
      change.pk.push(await pkUp(0, commits[2 * i]!));
      change.sh.push(await shUp(0, commits[2 * i + 1]!));
    }
    const stop = { pk: [] as Timed[], sh: [] as Timed[] };
    for (let i = 0; i < plan.firstRuns; i++) {
      stop.pk.push(await pkStop(i));
      stop.sh.push(await shStop(i));
    }
    const d = BENCH_DELAYS;
    const build = d.buildStart + d.build;
    const rows = [
      row('first up', medianMeasure(first.pk), medianMeasure(first.sh), { floorSeconds: (d.create + build + d.promote) / 1000, runs: plan.firstRuns }),
      row('no-op up', medianMeasure(noop.pk), medianMeasure(noop.sh), { runs: plan.noopRuns }),
      row('new-commit up', medianMeasure(change.pk), medianMeasure(change.sh), { floorSeconds: (build + d.promote) / 1000, runs: plan.commitRuns }),
      row('stop', medianMeasure(stop.pk), medianMeasure(stop.sh), { floorSeconds: d.delete / 1000, runs: plan.firstRuns }),
    ];
    const noise = `spread (min–max) preview-kit/shell: first ${spreadOf(first.pk)}/${spreadOf(first.sh)}, no-op ${spreadOf(noop.pk)}/${spreadOf(noop.sh)}, new commit ${spreadOf(change.pk)}/${spreadOf(change.sh)}, stop ${spreadOf(stop.pk)}/${spreadOf(stop.sh)}`;
    return { rows, noise };
  } finally {
    // Whatever a failed run left: the fake's state goes with it.
    await rack.close();
    await repo.remove();
  }
}

function generationsToRun(): Generation[] {
  const asked = (process.env.CONVOX_BENCH_GENERATIONS ?? '3').split(',').map((g) => g.trim());
  return asked.filter((g): g is Generation => g === '2' || g === '3');
}

export async function runConvoxBench(): Promise<ProviderBench> {
  const [main = '3', ...others] = generationsToRun();
  const d = BENCH_DELAYS;
  const { rows, noise } = await runGeneration({ generation: main, firstRuns: 3, noopRuns: 5, commitRuns: 3 });
  const notes = [
    `fake rack generation ${main} (${main === '3' ? 'convox/convox, Kubernetes' : 'convox/rack, AWS'}); latencies: app create ${d.create / 1000} s, build ${d.buildStart / 1000} s to start + ${d.build / 1000} s, promotion ${d.promote / 1000} s, delete ${d.delete / 1000} s (floors are their sums for each step)`,
    'baseline: bench/convox-shell.sh, the convox CLI’s calls (apps create, env set, deploy, apps delete) with curl + jq, polling every 0.1 s; preview-kit runs as the built CLI, Node start-up included',
    noise,
  ];
  for (const generation of others) {
    const other = await runGeneration({ generation, firstRuns: 1, noopRuns: 3, commitRuns: 1 });
    const text = other.rows.map((r) => `${r.step} ${r.previewKit.seconds} s (${r.previewKit.reads}/${r.previewKit.writes} r/w) vs ${r.baseline.seconds} s = ${r.ratio}×`).join('; ');
    notes.push(`generation ${generation} (one run each, three no-ops): ${text}`);
  }
  return { provider: 'convox', baselineName: 'curl + jq (bench/convox-shell.sh)', rows, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runConvoxBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
