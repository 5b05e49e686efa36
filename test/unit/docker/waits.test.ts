/**
 * Waits on facts at the platform's pace, on a fake clock (no wall-clock assertion): a poll starts
 * fast, backs off to at most about a second, and sees a fact within one step of it becoming true;
 * a Retry-After from the engine's or Caddy's side is honoured; reads a run already made are not
 * made again while nothing was written since.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/core/errors.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { Deadline, WAIT_BACKOFF, type Clock } from '../../../src/core/retry.js';
import { CaddyAdmin } from '../../../src/providers/docker/caddy-admin.js';
import { liveRoute, syncRoutes, type CaddyRoute } from '../../../src/providers/docker/caddy-routes.js';
import { acquireDeployLock, lockName } from '../../../src/providers/docker/deploy-lock.js';
import type { ServiceStep } from '../../../src/providers/docker/deploy-steps.js';
import { DockerEngine, type NetworkInspect } from '../../../src/providers/docker/engine.js';
import { carryReads, freshReads, READS_FRESH_MS, type CaddyView, type DockerRuntime } from '../../../src/providers/docker/runtime.js';
import { waitServing } from '../../../src/providers/docker/wait-serving.js';

/** The longest step a wait may take: the backoff's ceiling plus its jitter. */
const MAX_STEP_MS = WAIT_BACKOFF.maxMs * (1 + WAIT_BACKOFF.jitter);
const FIRST_STEP_MS = WAIT_BACKOFF.initialMs * (1 + WAIT_BACKOFF.jitter);

const IDENTITY: PreviewIdentity = { project: 'shop', branch: 'main' };
const REF = { name: 'shop-main', identity: IDENTITY, key: identityKey(IDENTITY) };

/** Time moves only when someone sleeps; every sleep is recorded. */
function fakeClock(): Clock & { sleeps: number[] } {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)) };
}

const quiet = () => new PlainLogger({ redactor: new Redactor(), sink: { write: () => undefined }, debug: false });

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function serve(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('waiting for a new container to serve through Caddy', () => {
  it('checks fast at first, never waits more than one step past the moment it serves', async () => {
    const clock = fakeClock();
    const deadline = new Deadline(120_000, clock);
    const readyAt = clock.now() + 3_000;
    const checks: number[] = [];
    const port = await serve((_req, res) => {
      checks.push(clock.now());
      res.writeHead(clock.now() >= readyAt ? 200 : 502).end();
    });
    const running = { State: { Running: true, Status: 'running', ExitCode: 0 } };
    const rt = { context: { logger: quiet() }, engine: { inspectContainer: async () => running } } as unknown as DockerRuntime;
    const view = { listener: { host: '127.0.0.1', port, tls: false } } as CaddyView;
    const step = { plan: { service: 'web', hosts: ['shop-main.localhost'], healthPath: '/' }, containerId: 'c1' } as unknown as ServiceStep;

    await waitServing(rt, view, [{ step, headers: {} }], deadline);

    expect(clock.sleeps[0]).toBeLessThanOrEqual(FIRST_STEP_MS);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(MAX_STEP_MS);
    const seen = checks[checks.length - 1]!;
    expect(seen).toBeGreaterThanOrEqual(readyAt);
    expect(seen - readyAt).toBeLessThanOrEqual(MAX_STEP_MS);
  });
});

describe('waiting for another deploy of the same preview', () => {
  it('takes the lock within one step of its release, starting with short steps', async () => {
    const clock = fakeClock();
    const deadline = new Deadline(120_000, clock);
    const releasedAt = clock.now() + 5_000;
    const held: NetworkInspect = {
      Id: 'other',
      Name: lockName(REF.name),
      Created: '',
      Labels: {
        'preview-kit.managed-by': 'preview-kit',
        'preview-kit.name': REF.name,
        'preview-kit.key': REF.key,
        'preview-kit.lock-until': String(Date.now() + 3_600_000),
        'preview-kit.lock-holder': 'another-machine 1 r1',
      },
    };
    let takenAt = 0;
    const engine = {
      async createNetwork(name: string) {
        if (clock.now() < releasedAt) throw new ProviderError(`create network ${name}: conflict`, { status: 409 });
        takenAt = clock.now();
        return 'ours';
      },
      inspectNetwork: async () => (clock.now() < releasedAt ? held : undefined),
      removeNetwork: async () => true,
    };
    const rt = { engine, context: { logger: quiet(), deadline, plan: new Plan(false), adopt: false } } as unknown as DockerRuntime;

    const lock = await acquireDeployLock(rt, REF);
    await lock.release();

    expect(clock.sleeps[0]).toBeLessThanOrEqual(FIRST_STEP_MS);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(MAX_STEP_MS);
    expect(takenAt - releasedAt).toBeLessThanOrEqual(MAX_STEP_MS);
  });
});

describe('Retry-After', () => {
  it("from a proxy in front of Caddy's admin API: the next read waits what it asks", async () => {
    const clock = fakeClock();
    let calls = 0;
    const port = await serve((_req, res) => {
      if (calls++ === 0) return void res.writeHead(503, { 'retry-after': '2', 'content-type': 'text/html' }).end('<h1>busy</h1>');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"srv0":{}}');
    });
    const admin = new CaddyAdmin({ adminUrl: `http://127.0.0.1:${port}`, logger: quiet(), deadline: new Deadline(60_000, clock) });
    const read = await admin.get('/config/apps/http/servers', 'read the servers');
    expect(read.body).toEqual({ srv0: {} });
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('from a proxy in front of the Docker Engine: the next read waits what it asks', async () => {
    const clock = fakeClock();
    let calls = 0;
    const port = await serve((_req, res) => {
      if (calls++ === 0) return void res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"message":"busy"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    const engine = new DockerEngine({ dockerHost: `tcp://127.0.0.1:${port}`, logger: quiet(), deadline: new Deadline(60_000, clock) });
    expect(await engine.listContainers([])).toEqual([]);
    expect(clock.sleeps).toEqual([1_000]);
  });

  it('without one, a failed read is tried again after a short first step', async () => {
    const clock = fakeClock();
    let calls = 0;
    const port = await serve((_req, res) => {
      if (calls++ === 0) return void res.writeHead(502).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    const engine = new DockerEngine({ dockerHost: `tcp://127.0.0.1:${port}`, logger: quiet(), deadline: new Deadline(60_000, clock) });
    await engine.listContainers([]);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(FIRST_STEP_MS);
  });
});

/** Caddy's admin API as syncRoutes uses it, recording every call. */
function recordingAdmin(routes: CaddyRoute[]) {
  const calls: string[] = [];
  const admin = {
    get: async (path: string) => (calls.push(`GET ${path}`), { status: 200, body: routes, etag: '"routes fresh"' }),
    write: async (method: string, path: string, _what: string, _body: unknown, ifMatch: string | undefined) => void calls.push(`${method} ${path} ${ifMatch}`),
  } as unknown as CaddyAdmin;
  return { admin, calls };
}

describe('route sync from a snapshot the run just read', () => {
  const ours = liveRoute('preview-kit-shop-main-web-0123456789abcdef0123', ['shop-main.localhost'], '127.0.0.1:40000');
  const catchAll: CaddyRoute = { handle: [{ handler: 'static_response', status_code: 404 }] };
  const ctx = (admin: CaddyAdmin) => ({ admin, plan: new Plan(false), logger: quiet(), deadline: new Deadline(60_000, fakeClock()) });

  it('makes no request when the snapshot already matches', async () => {
    const { admin, calls } = recordingAdmin([ours, catchAll]);
    const written = await syncRoutes(ctx(admin), 'srv0', new Map([[ours['@id']!, ours]]), { ensureCatchAll: true, initial: { routes: [ours, catchAll], etag: '"/config/apps/http/servers abc"' } });
    expect(written).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("writes first with the snapshot's Etag, and reads only to confirm", async () => {
    const { admin, calls } = recordingAdmin([ours, catchAll]);
    await syncRoutes(ctx(admin), 'srv0', new Map([[ours['@id']!, ours]]), { ensureCatchAll: true, initial: { routes: [catchAll], etag: '"/config/apps/http/servers abc"' } });
    expect(calls).toEqual(['PUT /config/apps/http/servers/srv0/routes/0 "/config/apps/http/servers abc"', 'GET /config/apps/http/servers/srv0/routes']);
  });
});

describe("ensure's reads handed on to deploy", () => {
  function rtWith(clock: Clock) {
    const engine = { stats: { mutating: 0 } };
    const caddy = { stats: { mutating: 0 } };
    const rt = { engine, caddy, context: { deadline: new Deadline(60_000, clock) } } as unknown as DockerRuntime;
    return { rt, engine, caddy };
  }
  const view = { writes: 0 } as CaddyView;
  const targets = { containers: [], networks: [], writes: 0 };

  it('stand while nothing was written and for a few seconds, for the same preview only', async () => {
    const clock = fakeClock();
    const { rt } = rtWith(clock);
    const preview = carryReads({ name: REF.name, id: 'n1', url: '', domains: [] }, REF, view, targets, clock.now());
    expect(freshReads(rt, REF, preview)?.view).toBe(view);
    expect(freshReads(rt, REF, { ...preview })?.view).toBe(view);
    expect(freshReads(rt, { ...REF, key: 'another' }, preview)).toBeUndefined();
    await clock.sleep(READS_FRESH_MS + 1);
    expect(freshReads(rt, REF, preview)).toBeUndefined();
  });

  it('are read again after any write of the run', () => {
    const clock = fakeClock();
    const { rt, caddy } = rtWith(clock);
    const preview = carryReads({ name: REF.name, id: 'n1', url: '', domains: [] }, REF, view, targets, clock.now());
    caddy.stats.mutating = 1;
    expect(freshReads(rt, REF, preview)).toBeUndefined();
  });

  it('never show in a printed preview', () => {
    const preview = carryReads({ name: 'shop-main', id: 'n1', url: '', domains: [] }, REF, view, targets, 0);
    expect(JSON.parse(JSON.stringify(preview))).toEqual({ name: 'shop-main', id: 'n1', url: '', domains: [] });
    expect(inspect(preview)).not.toContain('servers');
    expect(inspect(preview)).toContain('[docker reads of this run]');
  });
});
