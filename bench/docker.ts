/**
 * Docker + Caddy bench: first `up`, no-op `up`, new-commit `up` and `stop` of one service (the
 * hello example's web page), through the built CLI and through bench/docker-shell.sh (the docker
 * CLI + curl doing the same job), on a private podman socket and Caddy started by
 * scripts/services.sh. Each cycle makes a fresh preview of each (new app, new commits, so a first
 * `up` builds), alternating which goes first so that drift and warm caches hit both alike.
 *
 * Seconds are wall time from process start to exit, talking to the engine and Caddy directly.
 * Requests are counted in one more cycle, run through counters on loopback in front of the engine
 * socket (a byte pipe counting request lines) and the admin API (test/fakes/shared/fault-proxy.ts,
 * no faults): reads are GET/HEAD, writes the rest, for both ways. Checks through Caddy's listener (both ways
 * poll the preview's URL) are not counted.
 *
 *   PREVIEW_KIT_DIST=/tmp/dist node --import tsx bench/docker.ts   # prints the rows as JSON
 *   runDockerBench()                                                 # what bench/run.ts calls
 */
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FaultProxy } from '../test/fakes/shared/fault-proxy.js';
import { baseEnv, CLI } from '../test/helpers/cli.js';
import { startServices, stopServices, type DockerServices } from '../test/integration/docker/services.js';
import { median, round, row, type Measure, type ProviderBench, type Step } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHELL = join(ROOT, 'bench', 'docker-shell.sh');
/** Timed cycles: first `up` and `stop` are medians of this many runs. */
const CYCLES = 5;
const NOOP_PER_CYCLE = 3;
const NEW_COMMIT_PER_CYCLE = 2;
const STEPS: Step[] = ['first up', 'no-op up', 'new-commit up', 'stop'];

interface Way {
  up(commit: string): Promise<void>;
  stop(): Promise<void>;
}

interface Endpoints {
  dockerHost: string;
  caddyAdmin: string;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const r = await execa('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@preview-kit.invalid', ...args]);
  return r.stdout.trim();
}

/** examples/hello's web service with COMMIT on the page, and `commits` commits that each change the page. */
async function benchRepo(commits: number): Promise<{ dir: string; shas: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-docker-bench-'));
  await cp(join(ROOT, 'examples/hello'), dir, { recursive: true });
  await writeFile(join(dir, '.preview.yml'), 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n');
  await git(dir, 'init', '-q', '-b', 'main');
  const page = await readFile(join(dir, 'index.html'), 'utf8');
  const shas: string[] = [];
  for (let i = 0; i < commits; i++) {
    await writeFile(join(dir, 'index.html'), page.replace('</body>', `  <p>bench change ${i}</p>\n</body>`));
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '-m', `bench ${i}`);
    shas.push(await git(dir, 'rev-parse', 'HEAD'));
  }
  return { dir, shas };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

function previewKit(app: string, dir: string, to: Endpoints): Way {
  const env = baseEnv({ DOCKER_HOST: to.dockerHost, CADDY_ADMIN: to.caddyAdmin });
  const cli = async (args: string[]) => {
    const r = await execa('node', [CLI, ...args, '--provider', 'docker', '--app', app, '--branch', 'main'], { cwd: dir, env, extendEnv: false, reject: false });
    if (r.exitCode !== 0) throw new Error(`preview-kit ${args[0]} failed: ${r.stderr}`);
  };
  return { up: (commit) => cli(['up', '--commit', commit]), stop: () => cli(['stop']) };
}

function shell(name: string, dir: string, to: Endpoints, services: DockerServices): Way {
  const env = {
    ...baseEnv(),
    DOCKER_HOST: to.dockerHost,
    CADDY_ADMIN: to.caddyAdmin,
    CADDY_SERVER: 'preview',
    CADDY_HTTP_PORT: String(services.caddyHttpPort),
    IMAGE_REPO: `localhost/${name}`,
  };
  const sh = async (args: string[]) => {
    const r = await execa('bash', [SHELL, ...args], { env, extendEnv: false, reject: false });
    if (r.exitCode !== 0) throw new Error(`docker-shell.sh ${args[0]} failed: ${r.stderr}`);
  };
  return { up: (commit) => sh(['up', name, dir, commit]), stop: () => sh(['stop', name]) };
}

type Samples = Record<Step, number[]>;
const emptySamples = (): Samples => ({ 'first up': [], 'no-op up': [], 'new-commit up': [], stop: [] });

/** One preview's life: first up, no-op ups, new-commit ups, stop; `measure` wraps each step. */
async function cycle(way: Way, commits: string[], noops: number, measure: (step: Step, fn: () => Promise<void>) => Promise<void>): Promise<void> {
  await measure('first up', () => way.up(commits[0]!));
  for (let i = 0; i < noops; i++) await measure('no-op up', () => way.up(commits[0]!));
  for (const commit of commits.slice(1)) await measure('new-commit up', () => way.up(commit));
  await measure('stop', () => way.stop());
}

const REQUEST_LINE = /(?:^|[^A-Z])(GET|HEAD|POST|PUT|PATCH|DELETE) \/\S* HTTP\/1\.[01]\r?$/;

/**
 * A byte-for-byte pipe from a loopback TCP port to the engine's unix socket that counts the HTTP
 * request lines clients send. Nothing is parsed or rewritten, so the docker CLI's long-lived and
 * hijacked connections (`run` attaches, waits) pass as they would on the socket.
 */
class CountingPipe {
  readonly counts = { reads: 0, writes: 0 };
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(socketPath: string): Promise<CountingPipe> {
    let pipe: CountingPipe | undefined;
    const server = createServer((client) => {
      const upstream = connect(socketPath);
      for (const socket of [client, upstream]) {
        pipe!.sockets.add(socket);
        socket.on('close', () => pipe!.sockets.delete(socket));
      }
      let partial = '';
      client.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('latin1')).split('\n');
        partial = lines.pop()!.slice(-8192);
        for (const line of lines) {
          const method = REQUEST_LINE.exec(line)?.[1];
          if (method) pipe!.counts[method === 'GET' || method === 'HEAD' ? 'reads' : 'writes']++;
        }
      });
      client.pipe(upstream).on('error', () => client.destroy());
      upstream.pipe(client).on('error', () => upstream.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pipe = new CountingPipe(server, (server.address() as AddressInfo).port);
    return pipe;
  }

  get dockerHost(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  reset(): void {
    this.counts.reads = 0;
    this.counts.writes = 0;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Requests per step, counted in front of the engine and Caddy's admin API: one run of each step. */
type Counts = Partial<Record<Step, { reads: number; writes: number }>>;

interface Counters {
  engine: CountingPipe;
  caddy: FaultProxy;
}

async function countedCycle(way: (to: Endpoints) => Way, counters: Counters, commits: string[]): Promise<Counts> {
  const counts: Counts = {};
  const to = { dockerHost: counters.engine.dockerHost, caddyAdmin: counters.caddy.url };
  await cycle(way(to), commits, 1, async (step, fn) => {
    counters.engine.reset();
    counters.caddy.resetCounts();
    await fn();
    const caddy = counters.caddy.stats();
    counts[step] = { reads: counters.engine.counts.reads + caddy.total - caddy.mutating, writes: counters.engine.counts.writes + caddy.mutating };
    progress(`counted ${step}: ${counts[step]!.reads} reads, ${counts[step]!.writes} writes`);
  });
  return counts;
}

function progress(line: string): void {
  process.stderr.write(`bench docker: ${line}\n`);
}

async function removeImages(services: DockerServices, apps: string[], shellRepos: string[]): Promise<void> {
  const docker = (...args: string[]) => execa('docker', args, { env: { ...baseEnv(), DOCKER_HOST: services.dockerHost }, extendEnv: false, reject: false });
  const ids = new Set<string>();
  for (const app of apps) for (const id of (await docker('images', '-q', '--filter', `label=preview-kit.app=${app}`)).stdout.split('\n')) if (id) ids.add(id);
  for (const repo of shellRepos) for (const id of (await docker('images', '-q', repo)).stdout.split('\n')) if (id) ids.add(id);
  if (ids.size) await docker('rmi', '-f', ...ids);
}

function get(options: http.RequestOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent: false, ...options }, (res) => res.resume().on('end', resolve).on('error', reject));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The no-op's floor: what it must ask, from a process already running — Caddy's servers, the
 * preview's containers, the networks named after it, its image tag, and one check of the service
 * through Caddy — plus Node's own start-up (`node -e 0`), measured between the no-op runs.
 */
async function floorParts(services: DockerServices, app: string): Promise<{ node: number; reads: number }> {
  const name = `${app}-main`;
  const socketPath = services.dockerHost.replace(/^unix:\/\//, '');
  const admin = new URL(services.caddyAdmin);
  const filters = (f: unknown) => encodeURIComponent(JSON.stringify(f));
  const reads = await timed(async () => {
    await get({ host: admin.hostname, port: Number(admin.port), path: '/config/apps/http/servers', headers: { host: admin.host } });
    await get({ socketPath, path: `/v1.41/containers/json?all=1&filters=${filters({ label: ['preview-kit.managed-by=preview-kit', `preview-kit.name=${name}`] })}` });
    await get({ socketPath, path: `/v4.0.0/libpod/networks/json?filters=${filters({ name: [name] })}` });
    await get({ socketPath, path: `/v1.41/images/${encodeURIComponent(`localhost/${app}:${name}`)}/json` });
    await get({ host: '127.0.0.1', port: services.caddyHttpPort, path: '/', headers: { host: `${name}.localhost` } });
  });
  const node = await timed(async () => void (await execa('node', ['-e', '0'])));
  return { node, reads };
}

function spread(xs: number[]): string {
  return xs.length ? `${round(Math.min(...xs), 3)}–${round(Math.max(...xs), 3)} s` : 'none';
}

export async function runDockerBench(): Promise<ProviderBench> {
  const services = await startServices();
  const commitsPerCycle = 1 + NEW_COMMIT_PER_CYCLE;
  const repo = await benchRepo((CYCLES + 1) * 2 * commitsPerCycle);
  const direct: Endpoints = { dockerHost: services.dockerHost, caddyAdmin: services.caddyAdmin };
  const tag = Math.random().toString(36).slice(2, 7);
  const apps: string[] = [];
  const shellNames: string[] = [];
  const ways = new Map<string, Way>();
  let counters: Counters | undefined;
  const load = loadavg()[0]!;
  try {
    let next = 0;
    const take = () => repo.shas.slice(next, (next += commitsPerCycle));
    const pk = emptySamples();
    const sh = emptySamples();
    const floor = { node: [] as number[], reads: [] as number[] };
    for (let c = 0; c < CYCLES; c++) {
      const app = `bench${tag}${c}`;
      const shellName = `${app}-sh`;
      apps.push(app);
      shellNames.push(shellName);
      const pkWay = previewKit(app, repo.dir, direct);
      const shWay = shell(shellName, repo.dir, direct, services);
      ways.set(app, pkWay).set(shellName, shWay);
      const runs = [
        { way: pkWay, samples: pk, commits: take() },
        { way: shWay, samples: sh, commits: take() },
      ];
      // Alternate which goes first: the second one finds podman's build cache and page cache warm.
      if (c % 2 === 1) runs.reverse();
      for (const r of runs) {
        const who = r.samples === pk ? 'preview-kit' : 'baseline';
        await cycle(r.way, r.commits, NOOP_PER_CYCLE, async (step, fn) => {
          const seconds = await timed(fn);
          r.samples[step].push(seconds);
          progress(`${who} ${step}: ${seconds.toFixed(3)} s`);
          if (step === 'no-op up' && r.samples === pk) {
            const parts = await floorParts(services, app);
            floor.node.push(parts.node);
            floor.reads.push(parts.reads);
          }
        });
      }
    }

    const socketPath = services.dockerHost.replace(/^unix:\/\//, '');
    const adminPort = Number(new URL(services.caddyAdmin).port);
    // The admin API refuses a Host that is not its own address: the proxy in front of it rewrites it.
    counters = { engine: await CountingPipe.start(socketPath), caddy: await FaultProxy.start({ host: '127.0.0.1', port: adminPort, hostHeader: `127.0.0.1:${adminPort}` }) };
    const countedApp = `bench${tag}n`;
    apps.push(countedApp);
    shellNames.push(`${countedApp}-sh`);
    ways.set(countedApp, previewKit(countedApp, repo.dir, direct)).set(`${countedApp}-sh`, shell(`${countedApp}-sh`, repo.dir, direct, services));
    const pkCounts = await countedCycle((to) => previewKit(countedApp, repo.dir, to), counters, take());
    const shCounts = await countedCycle((to) => shell(`${countedApp}-sh`, repo.dir, to, services), counters, take());

    const measure = (samples: Samples, counts: Counts, step: Step): Measure => ({ seconds: median(samples[step]), ...(counts[step] ?? {}) });
    return {
      provider: 'docker',
      baselineName: 'docker CLI + curl (bench/docker-shell.sh)',
      rows: STEPS.map((step) =>
        row(step, measure(pk, pkCounts, step), measure(sh, shCounts, step), {
          runs: pk[step].length,
          ...(step === 'no-op up' ? { floorSeconds: median(floor.node) + median(floor.reads) } : {}),
        }),
      ),
      notes: [
        `one service (examples/hello's web page) on podman ${await podmanVersion(services)} + Caddy, both on loopback; medians of ${CYCLES} fresh previews each way (first up, stop), ${CYCLES * NOOP_PER_CYCLE} no-op and ${CYCLES * NEW_COMMIT_PER_CYCLE} new-commit ups`,
        `spread preview-kit: ${STEPS.map((s) => `${s} ${spread(pk[s])}`).join(', ')}; baseline: ${STEPS.map((s) => `${s} ${spread(sh[s])}`).join(', ')}`,
        `no-op floor: Node's start-up ${round(median(floor.node), 3)} s (node -e 0) + the same reads and check from a running process ${round(median(floor.reads), 3)} s`,
        `requests: Engine API + Caddy admin API, counted in one more cycle through counting proxies; the checks both ways make through Caddy's listener are not counted`,
        `load average ${round(load, 1)} at start, ${round(loadavg()[0]!, 1)} at the end (${cpus().length} cores)`,
        'a new-commit up of preview-kit checks the new container on a staging route before switching it in (no downtime); the baseline removes the old container first',
      ],
    };
  } finally {
    for (const [name, way] of ways) await way.stop().catch((error: unknown) => process.stderr.write(`bench: could not stop ${name}: ${(error as Error).message}\n`));
    await counters?.engine.close();
    await counters?.caddy.close();
    await removeImages(services, apps, shellNames.map((n) => `localhost/${n}`));
    await rm(repo.dir, { recursive: true, force: true });
    await stopServices(services);
  }
}

async function podmanVersion(services: DockerServices): Promise<string> {
  const r = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...baseEnv(), DOCKER_HOST: services.dockerHost }, extendEnv: false, reject: false });
  return r.stdout.trim() || 'unknown';
}

// `node --import tsx bench/docker.ts` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await runDockerBench(), null, 2)}\n`);
}
