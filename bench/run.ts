/**
 * `npm run bench`: measures what the project promises and writes bench/results.json plus a
 * Markdown table on stdout. Everything runs on loopback against the fakes and local servers.
 *
 *  - cold start: `preview-kit --version` vs `node -e 0` (median of alternating runs);
 *  - Clever Cloud: requests made by a first `up` and by a no-op `up`; time-to-deployed of `up`
 *    vs the seed script (link-or-create, sleep 10, domain add, push, poll every 5 s);
 *  - Docker + Caddy (when the local services run): see bench/docker.ts.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeCleverCloud, type FakeCleverCloud } from '../test/fakes/clever-cloud/server.js';
import { baseEnv, CLI, ROOT, runCli, tempRepo } from '../test/helpers/cli.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function coldStart(runs = 21) {
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
  return { runs, nodeMs: round(median(node)), cliMs: round(median(cli)), ratio: round(median(cli) / median(node), 2), goal: '<= 1.5' };
}

const TOKEN = 'bench_token_0123456789';
const SECRET = 'bench_secret_0123456789';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';

/** The script teams run today, spelled out against the same API: the baseline we replace. */
async function seedWay(fake: FakeCleverCloud, dir: string, name: string, domain: string): Promise<number> {
  const started = performance.now();
  const base = `${fake.url}/v2/organisations/${ORG}`;
  const headers = { authorization: 'Bearer fake-api-token', 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };
  // clever link $APP || clever create --type node $APP
  const apps = (await call('GET', '/applications')).body as Array<{ id: string; name: string; deployment: { httpUrl: string } }>;
  let app = apps.find((a) => a.name === name);
  if (!app) {
    const instances = (await (await fetch(`${fake.url}/v2/products/instances`, { headers })).json()) as Array<{ type: string; version: string; variant: { id: string; slug: string }; enabled: boolean }>;
    const node = instances.filter((i) => i.variant.slug === 'node' && i.enabled).sort((a, b) => b.version.localeCompare(a.version))[0]!;
    app = (await call('POST', '/applications', {
      deploy: 'git', name, description: name, zone: 'par', instanceType: node.type, instanceVersion: node.version, instanceVariant: node.variant.id,
      minFlavor: 'XS', maxFlavor: 'XS', minInstances: 1, maxInstances: 1, instanceLifetime: 'REGULAR', env: {},
    })).body;
  }
  // sleep 10
  await new Promise((r) => setTimeout(r, 10_000));
  // clever domain add $APP.example.com || true
  await call('PUT', `/applications/${app!.id}/vhosts/${encodeURIComponent(domain)}`);
  // clever deploy -f: push, then poll the deployment every 5 s
  const auth = `Authorization: Basic ${Buffer.from(`${TOKEN}:${SECRET}`).toString('base64')}`;
  const sha = (await execa('git', ['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
  await execa('git', ['push', '-q', '-f', app!.deployment.httpUrl, 'HEAD:refs/heads/master'], {
    cwd: dir,
    env: { ...baseEnv(), GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: auth, GIT_TERMINAL_PROMPT: '0' },
    extendEnv: false,
  });
  for (;;) {
    await new Promise((r) => setTimeout(r, 5_000));
    const deployments = (await call('GET', `/applications/${app!.id}/deployments?limit=5`)).body as Array<{ commit: string; state: string }>;
    const mine = deployments.find((d) => d.commit === sha);
    if (mine && mine.state !== 'WIP') break;
  }
  return performance.now() - started;
}

async function clever() {
  const fake = await startFakeCleverCloud({ token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 3000, deployDurationMs: 1500 });
  const repo = await tempRepo({ 'index.html': '<h1>bench</h1>\n', 'package.json': '{"name":"hello"}\n' }, 'bench/first');
  try {
    const env = { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG };
    const args = (branch: string) => ['up', '--provider', 'clever-cloud', '--app', 'hello', '--branch', branch, '--domain', '{name}.preview.example.com', '--json'];
    const count = () => ({
      reads: fake.requests.filter((r) => r.method === 'GET').length,
      mutating: fake.requests.filter((r) => r.method !== 'GET').length,
      pushes: fake.pushes.filter((p) => p.ok).length,
      refusedPushes: fake.pushes.filter((p) => !p.ok).length,
    });

    fake.resetLog();
    let t = performance.now();
    const first = await runCli(args('bench/first'), { cwd: repo.dir, env });
    if (first.code !== 0) throw new Error(`first up failed: ${first.stderr}`);
    const firstMs = performance.now() - t;
    const firstCounts = count();

    fake.resetLog();
    t = performance.now();
    const noop = await runCli(args('bench/first'), { cwd: repo.dir, env });
    if (noop.code !== 0) throw new Error(`no-op up failed: ${noop.stderr}`);
    const noopMs = performance.now() - t;
    const noopCounts = count();

    const seedName = 'hello-bench-seed';
    const seedMs = await seedWay(fake, repo.dir, seedName, `${seedName}.preview.example.com`);
    return {
      fake: { gitReadyDelayMs: 3000, deployDurationMs: 1500 },
      firstUp: { ms: Math.round(firstMs), requests: firstCounts },
      noopUp: { ms: Math.round(noopMs), requests: noopCounts, goal: '0 mutating, <= 4 reads' },
      seedScript: { ms: Math.round(seedMs) },
      speedup: round(seedMs / firstMs, 2),
    };
  } finally {
    await fake.close();
    await repo.remove();
  }
}

async function main() {
  if (!existsSync(CLI)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  process.stderr.write('bench: cold start\n');
  results.coldStart = coldStart();
  process.stderr.write('bench: clever-cloud (includes the seed script with its sleep 10)\n');
  results.cleverCloud = await clever();
  const dockerBench = join(ROOT, 'bench', 'docker.ts');
  if (existsSync(dockerBench)) {
    process.stderr.write('bench: docker + caddy\n');
    try {
      const mod = (await import(dockerBench)) as { runDockerBench: () => Promise<unknown> };
      results.docker = await mod.runDockerBench();
    } catch (error) {
      results.docker = { skipped: (error as Error).message };
    }
  }
  await writeFile(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const c = results.coldStart as ReturnType<typeof coldStart>;
  const cc = results.cleverCloud as Awaited<ReturnType<typeof clever>>;
  const rows = [
    ['cold start `preview-kit --version` / `node -e 0`', `${c.cliMs} ms / ${c.nodeMs} ms = ${c.ratio}×`, '≤ 1.5×'],
    ['first `up` (Clever Cloud fake): reads / writes / pushes', `${cc.firstUp.requests.reads} / ${cc.firstUp.requests.mutating} / ${cc.firstUp.requests.pushes}`, ''],
    ['no-op `up`: reads / writes / pushes', `${cc.noopUp.requests.reads} / ${cc.noopUp.requests.mutating} / ${cc.noopUp.requests.pushes}`, '≤ 4 / 0 / 0'],
    ['time to deployed: `up` vs seed script', `${(cc.firstUp.ms / 1000).toFixed(1)} s vs ${(cc.seedScript.ms / 1000).toFixed(1)} s (${cc.speedup}× faster)`, 'faster'],
    ['no-op `up` wall time', `${(cc.noopUp.ms / 1000).toFixed(2)} s`, ''],
  ];
  const docker = results.docker as { table?: string[][] } | undefined;
  if (docker?.table) rows.push(...docker.table);
  process.stdout.write(`| measure | result | goal |\n|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
}

await main();
