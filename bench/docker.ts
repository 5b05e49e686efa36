/**
 * Docker + Caddy bench (issue 4 §5): time of a no-op `up` and of an `up` with a new commit,
 * through preview-kit and through bench/docker-shell.sh (the docker CLI + curl doing the same
 * job), on a private podman socket and Caddy started by scripts/services.sh. One service (the
 * hello example's web), alternating the two ways so that drift hits both alike.
 *
 * preview-kit runs as the built CLI when dist/ knows the docker provider, else in-process through
 * the same settings loader and commands (then the request counts are reported too).
 *
 *   npx tsx bench/docker.ts        # prints a table and the JSON
 *   runDockerBench()               # what bench/run.ts calls
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../test/integration/docker/run-command.js';
import { startServices, stopServices, type DockerServices } from '../test/integration/docker/services.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');
const SHELL = join(ROOT, 'bench', 'docker-shell.sh');
const NOOP_RUNS = 5;
const COMMIT_RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => Math.round(x);
const seconds = (x: number) => `${(x / 1000).toFixed(2)} s`;

export interface DockerBenchResult {
  mode: 'cli' | 'in-process';
  services: number;
  firstUp: { previewKitMs: number; shellMs: number };
  noopUp: { previewKitMs: number; shellMs: number; ratio: number; runs: number; requests?: { engine: Record<string, number>; caddy: Record<string, number>; mutating: number } };
  newCommitUp: { previewKitMs: number; shellMs: number; ratio: number; runs: number };
  table: string[][];
}

async function cliKnowsDocker(): Promise<boolean> {
  if (!existsSync(CLI)) return false;
  const help = await execa('node', [CLI, '--help'], { reject: false });
  return /^docker \(/m.test(help.stdout);
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const r = await execa('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@preview-kit.invalid', ...args]);
  return r.stdout.trim();
}

/** examples/hello with one service and COMMIT on the page, and one commit per measured deploy. */
async function benchRepo(commits: number): Promise<{ dir: string; shas: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-docker-bench-'));
  await cp(join(ROOT, 'examples/hello'), dir, { recursive: true });
  await writeFile(join(dir, '.preview.yml'), 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'bench 0');
  const shas = [await git(dir, 'rev-parse', 'HEAD')];
  const page = await readFile(join(dir, 'index.html'), 'utf8');
  for (let i = 1; i < commits; i++) {
    await writeFile(join(dir, 'index.html'), page.replace('</body>', `  <p>bench change ${i}</p>\n</body>`));
    await git(dir, 'commit', '-q', '-am', `bench ${i}`);
    shas.push(await git(dir, 'rev-parse', 'HEAD'));
  }
  return { dir, shas };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await fn();
  return [performance.now() - t, value];
}

export async function runDockerBench(): Promise<DockerBenchResult> {
  const mode = (await cliKnowsDocker()) ? 'cli' : 'in-process';
  const services: DockerServices = await startServices();
  const app = `bench${Math.random().toString(36).slice(2, 7)}`;
  const repo = await benchRepo(1 + 2 * COMMIT_RUNS);
  const env = { DOCKER_HOST: services.dockerHost, CADDY_ADMIN: services.caddyAdmin };
  const shellEnv = {
    ...process.env,
    ...env,
    CADDY_SERVER: 'preview',
    CADDY_HTTP_PORT: String(services.caddyHttpPort),
    IMAGE_REPO: `localhost/${app}-shell`,
  };
  const shellName = `${app}-shell`;
  let noopRequests: DockerBenchResult['noopUp']['requests'];

  const previewKitUp = async (commit: string, record = false): Promise<void> => {
    if (mode === 'cli') {
      const r = await execa('node', [CLI, 'up', '--provider', 'docker', '--app', app, '--branch', 'main', '--commit', commit], { cwd: repo.dir, env, reject: false });
      if (r.exitCode !== 0) throw new Error(`preview-kit up failed: ${r.stderr}`);
      return;
    }
    const { provider } = await runCommand('up', { services, repo: { dir: repo.dir, commits: repo.shas }, app, branch: 'main', commit, timeoutMs: 120_000 });
    if (record) {
      noopRequests = {
        engine: { ...provider.engine.stats.byMethod },
        caddy: { ...provider.caddy.stats.byMethod },
        mutating: provider.engine.stats.mutating + provider.caddy.stats.mutating,
      };
    }
  };
  const shellUp = async (commit: string): Promise<void> => {
    const r = await execa('bash', [SHELL, shellName, repo.dir, commit], { env: shellEnv, reject: false });
    if (r.exitCode !== 0) throw new Error(`docker-shell.sh failed: ${r.stderr}`);
  };

  try {
    const [firstPk] = await timed(() => previewKitUp(repo.shas[0]!));
    const [firstShell] = await timed(() => shellUp(repo.shas[0]!));

    const noopPk: number[] = [];
    const noopShell: number[] = [];
    for (let i = 0; i < NOOP_RUNS; i++) {
      noopPk.push((await timed(() => previewKitUp(repo.shas[0]!, i === 0)))[0]);
      noopShell.push((await timed(() => shellUp(repo.shas[0]!)))[0]);
    }

    const commitPk: number[] = [];
    const commitShell: number[] = [];
    for (let i = 0; i < COMMIT_RUNS; i++) {
      commitPk.push((await timed(() => previewKitUp(repo.shas[1 + i]!)))[0]);
      commitShell.push((await timed(() => shellUp(repo.shas[1 + COMMIT_RUNS + i]!)))[0]);
    }

    const noop = { previewKitMs: ms(median(noopPk)), shellMs: ms(median(noopShell)) };
    const commit = { previewKitMs: ms(median(commitPk)), shellMs: ms(median(commitShell)) };
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const table = [
      [`Docker+Caddy no-op \`up\` (${mode}): preview-kit vs docker CLI + curl`, `${seconds(noop.previewKitMs)} vs ${seconds(noop.shellMs)} (${ratio(noop.previewKitMs, noop.shellMs)}×)`, ''],
      [`Docker+Caddy \`up\` with a new commit (${mode}): preview-kit vs docker CLI + curl`, `${seconds(commit.previewKitMs)} vs ${seconds(commit.shellMs)} (${ratio(commit.previewKitMs, commit.shellMs)}×)`, ''],
    ];
    if (noopRequests) table.push(['Docker+Caddy no-op `up`: mutating calls (engine + Caddy)', String(noopRequests.mutating), '0']);
    return {
      mode,
      services: 1,
      firstUp: { previewKitMs: ms(firstPk), shellMs: ms(firstShell) },
      noopUp: { ...noop, ratio: ratio(noop.previewKitMs, noop.shellMs), runs: NOOP_RUNS, ...(noopRequests ? { requests: noopRequests } : {}) },
      newCommitUp: { ...commit, ratio: ratio(commit.previewKitMs, commit.shellMs), runs: COMMIT_RUNS },
      table,
    };
  } finally {
    await runCommand('stop', { services, repo: { dir: repo.dir, commits: repo.shas }, app, branch: 'main', env: { PREVIEW_REMOVE_IMAGES: 'true' } }).catch(() => undefined);
    const docker = (...args: string[]) => execa('docker', args, { env: shellEnv, reject: false });
    await docker('rm', '-f', `${shellName}-web`);
    await docker('network', 'rm', shellName);
    const images = (await docker('images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}')).stdout;
    const shellImages = (await docker('images', shellEnv.IMAGE_REPO, '--format', '{{.ID}}')).stdout;
    const ids = [...new Set(`${images}\n${shellImages}`.split('\n').filter(Boolean))];
    if (ids.length) await docker('rmi', '-f', ...ids);
    await rm(repo.dir, { recursive: true, force: true });
    await stopServices(services);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runDockerBench();
  process.stdout.write(`| measure | result | goal |\n|---|---|---|\n${result.table.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify({ docker: result }, null, 2)}\n`);
}
