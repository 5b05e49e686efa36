/**
 * Prune at scale, on each provider's local simulator (the conformance targets' backends): 1 000
 * previews of one project — 990 not deployed for 10 days, 10 deployed an hour ago — then
 * `prune --ttl 3d --dry-run` and the real `prune --ttl 3d`, with the requests each made and their
 * time, next to the time of the one listing call a client would make to see every app. The dry
 * run is timed twice: as a CLI process (Node's start-up and module loading included), and as the
 * decision alone, the CLI's `run` called again in a process that already ran it, as the listing
 * call is timed from a running process.
 *
 *   BENCH_PRUNE_PROVIDERS=clever-cloud,convox npm run bench -- --only prune   some providers only
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { mapLimit } from '../src/core/parallel.js';
import { apiAuthorization, credentialsFrom } from '../src/providers/clever-cloud/auth.js';
import { DEFAULT_API_LATENCY_MS } from '../test/fakes/clever-cloud/server.js';
import { run } from '../src/cli.js';
import { baseEnv, runCli } from '../test/helpers/cli.js';
import type { Backend, ConformanceTarget } from '../test/conformance/target.js';

const DAY = 86_400_000;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}

/** The one listing call a client makes to see every app of the target, timed (median of 5). */
async function oneListing(id: ConformanceTarget['id'], backend: Backend): Promise<number> {
  const call = listingCall(id, backend);
  const times: number[] = [];
  await call();
  for (let i = 0; i < 5; i++) times.push((await timed(call)).seconds);
  return times.sort((a, b) => a - b)[2]!;
}

function listingCall(id: ConformanceTarget['id'], backend: Backend): () => Promise<void> {
  const env = backend.env;
  const fetchText = async (url: string, headers: Record<string, string>) => {
    const res = await fetch(url, { headers });
    await res.text();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
  };
  switch (id) {
    case 'clever-cloud':
      return () => fetchText(`${env.CLEVER_API_URL}/v2/summary`, { authorization: apiAuthorization(credentialsFrom({ token: env.CLEVER_TOKEN, secret: env.CLEVER_SECRET } as never)) });
    case 'convox': {
      const url = new URL(env.RACK_URL!);
      const auth = `Basic ${Buffer.from(`convox:${decodeURIComponent(url.password)}`).toString('base64')}`;
      return () => fetchText(`${url.protocol}//${url.host}/apps`, { authorization: auth, accept: 'application/json' });
    }
    case 'kubernetes':
      return async () => {
        const config = parseYaml(await readFile(env.KUBECONFIG!, 'utf8')) as {
          clusters: Array<{ cluster: { server: string } }>;
          users: Array<{ user: { token?: string } }>;
          contexts: Array<{ context: { namespace?: string } }>;
        };
        const ns = config.contexts[0]?.context.namespace ?? 'default';
        await fetchText(`${config.clusters[0]!.cluster.server}/apis/apps/v1/namespaces/${ns}/deployments?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dpreview-kit`, { authorization: `Bearer ${config.users[0]!.user.token ?? ''}` });
      };
    case 'docker':
      return () =>
        new Promise<void>((resolve, reject) => {
          const target = new URL(env.DOCKER_HOST!.replace(/^tcp:/, 'http:'));
          const filters = encodeURIComponent(JSON.stringify({ label: ['preview-kit.managed-by=preview-kit'] }));
          const req = httpRequest({ host: target.hostname, port: target.port, path: `/v1.41/containers/json?all=true&filters=${filters}` }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          });
          req.on('error', reject);
          req.end();
        });
  }
}

/** The dry run from a process that has run it once already: median of 5, output discarded. */
async function decisionSeconds(argv: string[], backend: Backend): Promise<number> {
  const sink = { write: () => undefined, isTTY: false };
  const io = { stdout: sink, stderr: sink, env: baseEnv(backend.env), cwd: backend.repo };
  const once = async () => {
    const code = await run(argv, io);
    if (code !== 0) throw new Error(`dry-run prune in process: exit ${code}`);
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await timed(once)).seconds);
  return times.sort((a, b) => a - b)[2]!;
}

export interface PruneBench {
  previews: number;
  plantSeconds: number;
  oneListingSeconds: number;
  dryRun: { requests: number; seconds: number; ratioToListing: number; decision: { seconds: number; ratioToListing: number } };
  prune: { requests: number; seconds: number; removed: number };
}

export async function runPruneBench(target: ConformanceTarget, count = 1_000, recent = 10): Promise<PruneBench> {
  const backend = await target.start(target.variants[0]!.options);
  try {
    const app = `bench${Date.now().toString(36).slice(-5)}`;
    const planted = await timed(() =>
      mapLimit(Array.from({ length: count }, (_, i) => i), 16, (i) =>
        backend.plantPreview({ project: app, branch: `feature/${i}` }, i < recent ? { deployedAt: new Date(Date.now() - DAY / 24) } : { createdAt: new Date(Date.now() - 20 * DAY), deployedAt: new Date(Date.now() - 10 * DAY) }),
      ),
    );
    const listing = await oneListing(target.id, backend);
    const args = ['prune', '--app', app, '--ttl', '3d', '--timeout', '10m', '--json', ...backend.args];
    await backend.resetLog();
    const dry = await timed(() => runCli([...args, '--dry-run'], { env: backend.env, cwd: backend.repo, timeoutMs: 600_000 }));
    if (dry.value.code !== 0) throw new Error(`dry-run prune failed: ${dry.value.stderr.slice(-500)}`);
    const dryRequests = (await backend.requests()).length;
    const decision = await decisionSeconds([...args, '--dry-run'], backend);
    await backend.resetLog();
    const real = await timed(() => runCli([...args, '--parallel', '4'], { env: backend.env, cwd: backend.repo, timeoutMs: 600_000 }));
    if (real.value.code !== 0) throw new Error(`prune failed: ${real.value.stderr.slice(-500)}`);
    const realRequests = (await backend.requests()).length;
    return {
      previews: count,
      plantSeconds: round(planted.seconds, 1),
      oneListingSeconds: round(listing, 3),
      dryRun: {
        requests: dryRequests,
        seconds: round(dry.seconds),
        ratioToListing: round(dry.seconds / listing, 1),
        decision: { seconds: round(decision, 3), ratioToListing: round(decision / listing, 1) },
      },
      prune: { requests: realRequests, seconds: round(real.seconds, 1), removed: real.value.json<{ removed: string[] }>().removed.length },
    };
  } finally {
    await backend.stop();
  }
}

/** Every provider, one after the other; a provider whose backend cannot start here is skipped with the reason. */
export async function runPruneBenches(): Promise<Record<string, PruneBench | { skipped: string }>> {
  const out: Record<string, PruneBench | { skipped: string }> = {};
  // The Clever Cloud simulator answers with its default latency here, as the goal is stated against it.
  process.env.FAKE_CLEVER_LATENCY_MS ??= String(DEFAULT_API_LATENCY_MS);
  const all = ['clever-cloud', 'kubernetes', 'convox', 'docker'] as const;
  const wanted = process.env.BENCH_PRUNE_PROVIDERS?.split(',').filter(Boolean);
  for (const id of all.filter((id) => !wanted || wanted.includes(id))) {
    process.stderr.write(`bench: prune over 1 000 previews on ${id}\n`);
    try {
      const target = (await import(`../test/conformance/targets/${id}.js`)).default as ConformanceTarget;
      out[id] = await runPruneBench(target);
    } catch (error) {
      out[id] = { skipped: (error as Error).message.split('\n')[0]! };
    }
  }
  return out;
}

// `node --import tsx bench/prune.ts` runs it alone.
if (process.argv[1]?.endsWith('prune.ts')) {
  process.stdout.write(`${JSON.stringify(await runPruneBenches(), null, 2)}\n`);
}
