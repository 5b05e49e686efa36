/**
 * `npm run bench`: measures what the project promises, writes bench/results.json and regenerates
 * the README's "Measured" section from it. Everything runs on loopback against the simulators and
 * local servers (podman + Caddy for Docker: started by scripts/services.sh when missing).
 *
 *   npm run bench                      everything (some 15 minutes on 2 cores)
 *   npm run bench -- --only docker     some parts: startup, clever-cloud, docker, kubernetes, convox, prune
 *
 * A partial run keeps the other parts' figures from the previous results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, ROOT } from '../test/helpers/cli.js';
import { withBenchSection, type BenchResults } from './report.js';
import { bundleSizes, coldStart, loadedChunks } from './startup.js';
import type { ProviderBench } from './types.js';

const PROVIDERS: Array<{ id: string; module: string; run: string }> = [
  { id: 'clever-cloud', module: './clever-cloud.js', run: 'runCleverCloudBench' },
  { id: 'docker', module: './docker.js', run: 'runDockerBench' },
  { id: 'kubernetes', module: './kubernetes.js', run: 'runKubernetesBench' },
  { id: 'convox', module: './convox.js', run: 'runConvoxBench' },
];
const PARTS = ['startup', ...PROVIDERS.map((p) => p.id), 'prune'];
const RESULTS = join(ROOT, 'bench', 'results.json');
const README = join(ROOT, 'README.md');

function chosenParts(argv: string[]): string[] {
  const i = argv.indexOf('--only');
  if (i < 0) return PARTS;
  const parts = (argv[i + 1] ?? '').split(',').filter(Boolean);
  const unknown = parts.filter((p) => !PARTS.includes(p));
  if (parts.length === 0 || unknown.length) {
    process.stderr.write(`bench: --only takes a comma-separated list of ${PARTS.join(', ')}\n`);
    process.exit(2);
  }
  return parts;
}

/** Whether this run started podman + Caddy, and so stops them when it ends. */
let startedServices = false;

/** Podman + Caddy for the Docker benches, started the way the tests start them (used as they are when already running). */
function services(): void {
  if (process.env.DOCKER_HOST && process.env.CADDY_ADMIN) return;
  const running = spawnSync('bash', ['scripts/services.sh', 'status'], { cwd: ROOT, stdio: 'ignore' }).status === 0;
  const start = spawnSync('bash', ['scripts/services.sh', 'start'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (start.status !== 0) return;
  startedServices ||= !running;
  const env = spawnSync('bash', ['scripts/services.sh', 'env'], { cwd: ROOT, encoding: 'utf8' }).stdout;
  for (const m of env.matchAll(/^export (\w+)=['"]?([^'"\n]*)['"]?$/gm)) process.env[m[1]!] ??= m[2]!;
}

async function main() {
  const parts = chosenParts(process.argv.slice(2));
  if (!existsSync(CLI)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Partial<BenchResults>) : {};
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    coldStart: previous.coldStart ?? { runs: 0, nodeMs: 0, cliMs: 0, ratio: 0 },
    providers: previous.providers && !('cleverCloud' in previous) ? previous.providers : {},
    ...(previous.bundle ? { bundle: previous.bundle } : {}),
    ...(previous.prune ? { prune: previous.prune } : {}),
  };
  if (parts.includes('startup')) {
    process.stderr.write('bench: start-up and bundle\n');
    results.coldStart = coldStart();
    const chunks = loadedChunks();
    results.bundle = { ...bundleSizes(), noopUpChunks: { shared: chunks.shared, ...chunks.perProvider } };
  }
  for (const p of PROVIDERS.filter((p) => parts.includes(p.id))) {
    process.stderr.write(`bench: ${p.id}\n`);
    if (p.id === 'docker') services();
    try {
      const mod = (await import(p.module)) as Record<string, () => Promise<ProviderBench>>;
      results.providers[p.id] = await mod[p.run]!();
    } catch (error) {
      results.providers[p.id] = { skipped: (error as Error).message.split('\n')[0]! } as never;
      process.stderr.write(`bench: ${p.id} not measured: ${(error as Error).message}\n`);
    }
  }
  if (parts.includes('prune')) {
    services();
    const { runPruneBenches } = await import('./prune.js');
    // Providers left out by BENCH_PRUNE_PROVIDERS keep their previous figures.
    results.prune = { ...results.prune, ...(await runPruneBenches()) } as BenchResults['prune'];
  }
  // The providers in their usual order, whatever order the parts ran in.
  results.providers = Object.fromEntries(PROVIDERS.filter((p) => results.providers[p.id]).map((p) => [p.id, results.providers[p.id]!]));
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const readme = withBenchSection(readFileSync(README, 'utf8'), results);
  if (readme === undefined) process.stderr.write('bench: README.md has no bench markers; its table is not updated\n');
  else await writeFile(README, readme);
  process.stdout.write(`${readme === undefined ? '' : readme.slice(readme.indexOf('| measure'), readme.indexOf('<!-- bench:end'))}`);
}

try {
  await main();
} finally {
  if (startedServices) spawnSync('bash', ['scripts/services.sh', 'stop'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
