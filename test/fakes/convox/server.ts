/**
 * An in-process fake Convox rack, in either generation: `2` follows convox/rack (AWS), `3`
 * convox/convox (Kubernetes); README.md beside this file lists the source files each behaviour
 * comes from. The HTTP side lives here — basic auth with the rack password, form-encoded
 * parameters, error bodies as the generation writes them, 404/405 without a body for what is not
 * a route — plus what tests need: a request log, targeted faults, seeded faults on writes (half
 * of them applied before the failure is answered), a switch that answers 401 or 403 to
 * everything, and admin routes under `/__fake/` for another process (see main.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultInjector, LOAD_BALANCER_503_HTML, type FaultOptions } from '../shared/faults.js';
import { closeServer, listen, readBody, sleep } from '../shared/http.js';
import { seededRandom, type Random } from '../shared/prng.js';
import { rulesFor, type Generation } from './generation.js';
import { BUILD_LOGS_PATH, serveBuildLogs } from './log-socket.js';
import { cleanKey, matchRoute, RackModel, type FakeRackDelays, type Reply } from './routes.js';
import { formatEnvText, type AppRecord } from './state.js';

export type { AppRecord, BuildRecord, ReleaseRecord } from './state.js';
export type { FakeRackDelays } from './routes.js';
export type { Generation } from './generation.js';

export const DEFAULT_DELAYS: FakeRackDelays = { create: 30, buildStart: 10, build: 40, promote: 30, delete: 30, terminate: 30 };

export interface FakeRackOptions {
  /** Which rack to be: `2` (convox/rack, AWS) or `3` (convox/convox, Kubernetes). Default `2`. */
  generation?: Generation;
  host?: string;
  port?: number;
  /** Rack password; a random one when absent. */
  password?: string;
  /** Rack name: namespaces and stacks are `<rack>-<app>`. */
  rackName?: string;
  /** Router domain of service hosts: `<service>.<app>.<domain>`. */
  domain?: string;
  delays?: Partial<FakeRackDelays>;
  /** Seeded random faults on every request (503 pages, 429, latency, applied-then-503). */
  chaos?: FaultOptions;
}

/** A targeted fault: the next `times` requests matching method and path get it. */
export interface FakeRackFault {
  method?: string;
  /** Exact path, or a pattern. */
  path?: string | RegExp;
  /** Status to answer; absent with `latencyMs` = only slow. */
  status?: number;
  /** Body of the fault answer; default: the rack's error for the status. */
  body?: string;
  times?: number;
  latencyMs?: number;
  /** Do the work, then answer the fault (a change applied but reported as failed). */
  applied?: boolean;
}

export type CredentialsMode = 'ok' | 'unauthorized' | 'forbidden';

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Form parameters of the body (urlencoded). */
  form: Record<string, string>;
  contentType?: string;
  bodyBytes: number;
  headers: Record<string, string | undefined>;
  authorized: boolean;
  status: number;
  fault?: string;
}

export interface FakeRack {
  generation: Generation;
  /** Base URL without credentials. */
  url: string;
  /** `http://convox:PASSWORD@127.0.0.1:PORT`, what RACK_URL holds. */
  urlWithPassword: string;
  password: string;
  requests: FakeRequest[];
  /** Authorized requests that try to change something (not GET/HEAD), whatever their answer. */
  writes(): FakeRequest[];
  /** Every request that tries to change something (not GET/HEAD), authorized or not. */
  mutatingRequests(): FakeRequest[];
  apps(): AppRecord[];
  app(name: string): AppRecord | undefined;
  object(app: string, key: string): Buffer | undefined;
  /** An app made outside preview-kit: no owner record unless `env` has one. */
  seedApp(name: string, options?: { env?: Record<string, string>; status?: string; locked?: boolean }): AppRecord;
  /**
   * An app as a deploy of `gitSha` leaves it, written straight into the state (fast enough for a
   * thousand): a complete build, its release (`env`, `manifest`, created at `created`) promoted,
   * services scaled as the manifest says — or to zero when `asleep`.
   */
  plantDeployed(name: string, options: { env: Record<string, string>; manifest: string; gitSha: string; created?: Date; asleep?: boolean }): void;
  /**
   * The next `POST /apps` for `name` loses a race: another client creates the app first (and
   * writes a release with `env` after `envDelayMs`, once the app can hold one), then the request
   * gets the generation's "already exists".
   */
  raceNextCreate(name: string, options?: { env?: Record<string, string>; envDelayMs?: number }): void;
  /** The next build fails with this text at the end of its log. */
  failNextBuild(logTail: string): void;
  /** The next promotion rolls back. */
  failNextPromote(): void;
  /** The next promotion of `app` meets an update another client started a moment before (403 "app is currently updating"). */
  busyBeforeNextPromote(app: string): void;
  /** The next app created fails (v2: `rollback` then `failed`; v3: `rollback` then `running`). */
  failNextCreate(): void;
  setFaults(faults: FakeRackFault[]): void;
  /**
   * `rate` of the writes fail from now on: `appliedShare` of them (default half) applied first and
   * then answered 5xx or dropped, the others answered 5xx untouched.
   */
  faultWrites(rate: number, seed?: number, appliedShare?: number): void;
  credentials(mode: CredentialsMode): void;
  resetLog(): void;
  close(): Promise<void>;
}

function formOf(contentType: string | undefined, body: Buffer): Record<string, string> {
  return contentType?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
}

function passwordOf(req: IncomingMessage): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

const MUTATING = (method: string) => method !== 'GET' && method !== 'HEAD';

export async function startFakeRack(options: FakeRackOptions = {}): Promise<FakeRack> {
  const generation: Generation = options.generation ?? '2';
  const rules = rulesFor(generation);
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const rackName = options.rackName ?? 'fake-rack';
  const domain = options.domain ?? `${rackName}.convox.test`;
  const model = new RackModel({ rules, rackName, domain, delays: { ...DEFAULT_DELAYS, ...options.delays } });
  const requests: FakeRequest[] = [];
  let faults: Array<FakeRackFault & { left: number }> = [];
  let writeFaults: { rate: number; random: Random; appliedShare: number } | undefined;
  let credentials: CredentialsMode = 'ok';
  const chaos = options.chaos ? new FaultInjector(options.chaos) : undefined;
  const sockets = new Set<Socket>();

  function send(res: ServerResponse, reply: Reply, acceptsJson: boolean): void {
    const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
    if (generation === '3') headers['x-frame-options'] = 'DENY';
    let body: Buffer;
    if ('empty' in reply) body = Buffer.alloc(0);
    else if ('error' in reply) {
      // v2 stdapi: http.Error, always text. v3 stdapi: JSON when Accept asks for it.
      if (acceptsJson && rules.jsonErrors) {
        headers['content-type'] = 'application/json';
        body = Buffer.from(`${JSON.stringify({ error: reply.error })}\n`);
      } else {
        headers['content-type'] = 'text/plain; charset=utf-8';
        body = Buffer.from(`${reply.error}\n`);
      }
    } else if ('json' in reply) {
      headers['content-type'] = 'application/json';
      body = Buffer.from(`${JSON.stringify(reply.json, null, 2)}\n`);
    } else if ('raw' in reply) {
      headers['content-type'] = reply.contentType;
      body = reply.raw;
    } else {
      headers['content-type'] = 'text/plain; charset=utf-8';
      body = Buffer.from(reply.text);
    }
    if (reply.status === 401 && generation === '3') headers['www-authenticate'] = 'Basic realm="convox"';
    headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  function takeFault(method: string, path: string): (FakeRackFault & { left: number }) | undefined {
    const rule = faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || (typeof f.path === 'string' ? f.path === path : f.path.test(path))));
    if (rule) rule.left--;
    return rule;
  }

  /** One draw per write: undefined, or how it fails. Always three numbers, so a seed replays. */
  function writeFault(method: string): 'reject' | 'applied-503' | 'applied-drop' | undefined {
    if (!writeFaults || !MUTATING(method)) return undefined;
    const [hit, applied, how] = [writeFaults.random(), writeFaults.random(), writeFaults.random()];
    if (hit >= writeFaults.rate) return undefined;
    if (applied < 1 - writeFaults.appliedShare) return 'reject';
    return how < 0.5 ? 'applied-503' : 'applied-drop';
  }

  function admin(method: string, path: string, body: Buffer): Reply | undefined {
    const text = body.toString('utf8');
    const input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const done = () => ({ status: 200, json: { ok: true } }) as Reply;
    if (method === 'GET' && path === '/__fake/requests') return { status: 200, json: requests };
    if (method === 'GET' && path === '/__fake/state') return { status: 200, json: [...model.apps.values()] };
    if (method !== 'POST') return undefined;
    switch (path) {
      case '/__fake/reset-log':
        requests.length = 0;
        return done();
      case '/__fake/fail-next-build':
        model.buildFailures.push(String(input.logTail ?? 'build step failed'));
        return done();
      case '/__fake/fail-next-promote':
        model.promoteFailures++;
        return done();
      case '/__fake/faults':
        faults = ((input.faults as FakeRackFault[] | undefined) ?? []).map((f) => ({ ...f, left: f.times ?? 1 }));
        return done();
      case '/__fake/fault-writes':
        api.faultWrites(Number(input.rate ?? 0), Number(input.seed ?? 1), input.appliedShare === undefined ? 0.5 : Number(input.appliedShare));
        return done();
      case '/__fake/credentials':
        api.credentials((input.mode as CredentialsMode | undefined) ?? 'ok');
        return done();
      case '/__fake/seed-app':
        model.seed(String(input.name), { env: input.env as Record<string, string> | undefined });
        return done();
      case '/__fake/plant-deployed':
        api.plantDeployed(String(input.name), {
          env: (input.env as Record<string, string> | undefined) ?? {},
          manifest: String(input.manifest ?? ''),
          gitSha: String(input.gitSha ?? ''),
          ...(input.created ? { created: new Date(String(input.created)) } : {}),
          asleep: input.asleep === true,
        });
        return done();
      default:
        return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://rack');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (url.pathname.startsWith('/__fake/')) {
      return send(res, admin(method, url.pathname, body) ?? { status: 404, error: 'no such admin route' }, true);
    }
    const acceptsJson = (req.headers.accept ?? '').includes('application/json');
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'];
    const form = formOf(contentType, body);
    const credentialsGiven = passwordOf(req);
    const authorized = credentials === 'ok' && credentialsGiven !== undefined && credentialsGiven.user !== 'jwt' && credentialsGiven.pass === password;
    const entry: FakeRequest = {
      method,
      path: url.pathname,
      query,
      form,
      ...(contentType ? { contentType } : {}),
      bodyBytes: body.length,
      headers: { 'user-agent': req.headers['user-agent'], rack: req.headers.rack as string | undefined, accept: req.headers.accept },
      authorized,
      status: 0,
    };
    requests.push(entry);
    const respond = (reply: Reply) => {
      entry.status = reply.status;
      send(res, reply, acceptsJson);
    };
    const parts = url.pathname
      .split('/')
      .slice(1)
      .filter((p, i, all) => p !== '' || i < all.length - 1)
      .map((p) => decodeURIComponent(p));
    // Unmatched paths and methods never reach the authenticating middleware.
    const match = matchRoute(method, parts);
    if (match !== 'ok') return respond({ status: match === 'unknown' ? 404 : 405, empty: true });

    const rule = takeFault(method, url.pathname);
    if (rule?.latencyMs) await sleep(rule.latencyMs);
    const faultReply = (status: number, text?: string): Reply => (text !== undefined ? { status, text } : { status, error: status === 401 ? 'invalid authentication' : `injected fault ${status}` });
    if (rule?.status && !rule.applied) {
      entry.fault = `rule ${rule.status}`;
      return respond(faultReply(rule.status, rule.body));
    }
    const random = chaos?.next();
    if (random === 'latency') await sleep(chaos!.latencyMs);
    if (random === '503-html' || random === '503-json' || random === '429') {
      entry.fault = random;
      return respond(random === '503-html' ? { status: 503, text: LOAD_BALANCER_503_HTML } : random === '429' ? { status: 429, error: 'too many requests' } : { status: 503, error: 'rack unavailable' });
    }

    if (credentials === 'forbidden') return respond({ status: 403, error: 'you are unauthorized to access this' });
    if (!authorized) return respond({ status: 401, error: 'invalid authentication' });
    const writeFailure = writeFault(method);
    if (writeFailure === 'reject') {
      entry.fault = 'write 503';
      return respond({ status: 503, text: LOAD_BALANCER_503_HTML });
    }
    const reply = model.route(method, parts, query, form, body);
    if (writeFailure === 'applied-503' || random === 'applied-503') {
      entry.fault = `${writeFailure ?? random} (was ${reply.status})`;
      return respond({ status: 503, text: LOAD_BALANCER_503_HTML });
    }
    if (writeFailure === 'applied-drop') {
      entry.fault = `applied-drop (was ${reply.status})`;
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (rule?.applied && rule.status) {
      entry.fault = `applied ${rule.status}`;
      return respond(faultReply(rule.status, rule.body));
    }
    respond(reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, error: (error as Error).message }, false);
      else res.destroy();
    });
  });
  // The build log websocket (log-socket.ts): logged like any request, authenticated after the upgrade.
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://rack');
    const match = BUILD_LOGS_PATH.exec(url.pathname);
    const given = passwordOf(req);
    const authorized = credentials === 'ok' && given !== undefined && given.user !== 'jwt' && given.pass === password;
    const entry: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: {},
      bodyBytes: 0,
      headers: { 'user-agent': req.headers['user-agent'], rack: req.headers.rack as string | undefined, accept: req.headers.accept, upgrade: req.headers.upgrade },
      authorized,
      status: match && req.method === 'GET' ? 101 : 404,
    };
    requests.push(entry);
    if (entry.status !== 101) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const refused = credentials === 'forbidden' ? 'you are unauthorized to access this' : authorized ? undefined : 'invalid authentication';
    serveBuildLogs(model, req, socket, { app: decodeURIComponent(match![1]!), id: decodeURIComponent(match![2]!), refused });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const copy = <T>(v: T): T => structuredClone(v);

  const api: FakeRack = {
    generation,
    url: `http://${address.address}:${address.port}`,
    urlWithPassword: `http://convox:${encodeURIComponent(password)}@${address.address}:${address.port}`,
    password,
    requests,
    writes: () => requests.filter((r) => r.authorized && MUTATING(r.method)),
    mutatingRequests: () => requests.filter((r) => MUTATING(r.method)),
    apps: () => [...model.apps.values()].map(copy),
    app: (name) => {
      const app = model.apps.get(name);
      return app ? copy(app) : undefined;
    },
    object: (app, key) => model.objects.get(`${app}/${cleanKey(key)}`),
    seedApp: (name, seed = {}) => copy(model.seed(name, seed)),
    plantDeployed(name, plant) {
      model.plantDeployed(name, { ...plant, created: (plant.created ?? new Date()).toISOString() });
    },
    raceNextCreate(name, race = {}) {
      model.races.set(name, { ...(race.env ? { env: formatEnvText(race.env) } : {}), envDelayMs: race.envDelayMs ?? 0 });
    },
    failNextBuild(logTail) {
      model.buildFailures.push(logTail);
    },
    failNextPromote() {
      model.promoteFailures++;
    },
    busyBeforeNextPromote(app) {
      model.busyBeforePromote.add(app);
    },
    failNextCreate() {
      model.createFailures++;
    },
    setFaults(list) {
      faults = list.map((f) => ({ ...f, left: f.times ?? 1 }));
    },
    faultWrites(rate, seed = 1, appliedShare = 0.5) {
      if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${rate}`);
      if (!(appliedShare >= 0 && appliedShare <= 1)) throw new Error(`applied share must be within [0, 1], got ${appliedShare}`);
      writeFaults = rate > 0 ? { rate, random: seededRandom(seed), appliedShare } : undefined;
    },
    credentials(mode) {
      credentials = mode;
    },
    resetLog() {
      requests.length = 0;
    },
    async close() {
      for (const t of model.timers) clearTimeout(t);
      model.timers.clear();
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
  return api;
}

