/**
 * Start-up cost: `preview-kit --version` against `node -e 0`, the bundle's size, and which
 * chunks of the CLI bundle an `up` loads for each provider (it must load only that provider's
 * code besides the shared core).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CLI, DIST, ROOT } from '../test/helpers/cli.js';
import { median, round } from './types.js';

export function coldStart(runs = 21) {
  const time = (args: string[]) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const cli: number[] = [];
  const node: number[] = [];
  time([CLI, '--version']);
  for (let i = 0; i < runs; i++) {
    node.push(time(['-e', '0']));
    cli.push(time([CLI, '--version']));
  }
  return { runs, nodeMs: round(median(node), 1), cliMs: round(median(cli), 1), ratio: round(median(cli) / median(node)) };
}

function bytes(dir: string, suffix: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** Environments that make each provider fail at its first request, after its code has loaded. */
const unreachable: Record<string, Record<string, string>> = {
  'clever-cloud': { CLEVER_TOKEN: 'bench', CLEVER_SECRET: 'bench', CLEVER_API_URL: 'http://127.0.0.1:9' },
  docker: { DOCKER_HOST: 'tcp://127.0.0.1:9', CADDY_ADMIN: 'http://127.0.0.1:9' },
  kubernetes: {},
  convox: { RACK_URL: 'https://convox:bench@127.0.0.1:9' },
};

/** Bytes of the CLI's chunks each provider's `up` loads, split into shared and its own. */
export function loadedChunks(): { shared: number; perProvider: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'pk-chunks-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    const writeKube = `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: bench}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: bench}}]\ncurrent-context: x\n`;
    writeFileSync(kubeconfig, writeKube);
    const loaded: Record<string, Set<string>> = {};
    for (const [provider, env] of Object.entries(unreachable)) {
      const log = join(dir, `${provider}.log`);
      spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'chunk-log.mjs'), CLI, 'up', '--provider', provider, '--app', 'bench', '--branch', 'main', '--timeout', '2s'], {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, CHUNK_LOG: log, KUBECONFIG: kubeconfig, ...env },
        stdio: 'ignore',
      });
      const files = readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/cli/')).map((u) => basename(new URL(u).pathname));
      loaded[provider] = new Set(files);
    }
    const size = (f: string) => statSync(join(DIST, 'cli', f)).size;
    const sets = Object.values(loaded);
    const shared = [...sets[0]!].filter((f) => sets.every((s) => s.has(f)));
    const perProvider: Record<string, number> = {};
    for (const [provider, files] of Object.entries(loaded)) perProvider[provider] = [...files].filter((f) => !shared.includes(f)).reduce((n, f) => n + size(f), 0);
    return { shared: shared.reduce((n, f) => n + size(f), 0), perProvider };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function bundleSizes() {
  const cli = join(DIST, 'cli');
  const lib = join(DIST, 'lib');
  return { cliBytes: bytes(cli, '.js'), cliMapBytes: bytes(cli, '.js.map'), libBytes: bytes(lib, '.js'), libMapBytes: bytes(lib, '.js.map') };
}
