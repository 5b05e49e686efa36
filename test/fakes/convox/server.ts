/**
 * An in-process fake Convox rack for what preview-kit uses, following the real API (convox/convox
 * pkg/api routes, stdapi/stdsdk conventions): HTTP basic auth with the rack password, form-encoded
 * parameters, JSON answers, `ok` for RenderOK, errors as `{"error": …}` when JSON is accepted and
 * plain text otherwise, the real status codes (404 "app not found: x", 409 "app already exists:
 * x"). Apps go `creating → running`, `updating → running` on promotion and `deleting → gone`;
 * builds go `created → running → complete|failed` from the uploaded tarball and its convox.yml,
 * with their logs stored as an object. Faults can be injected per route or at random (seeded).
 * Admin routes under `/__fake/` let another process inspect it (see main.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FaultInjector, LOAD_BALANCER_503_HTML, type FaultOptions } from '../shared/faults.js';
import { closeServer, listen, readBody, sleep } from '../shared/http.js';
import {
  appJson,
  buildJson,
  envDiffDescription,
  rackId,
  releaseJson,
  ZERO_TIME,
  type AppRecord,
  type BuildRecord,
  type ReleaseRecord,
} from './state.js';
import { readTarGz } from './tar.js';

export type { AppRecord, BuildRecord, ReleaseRecord } from './state.js';

export interface FakeRackDelays {
  /** creating → running */
  create: number;
  /** build created → running */
  buildStart: number;
  /** build running → complete|failed */
  build: number;
  /** updating → running after a promotion */
  promote: number;
  /** deleting → gone */
  delete: number;
}

export const DEFAULT_DELAYS: FakeRackDelays = { create: 30, buildStart: 10, build: 40, promote: 30, delete: 30 };

export interface FakeRackOptions {
  host?: string;
  port?: number;
  /** Rack password; a random one when absent. */
  password?: string;
  /** Rack name (`GET /system`). */
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

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Form parameters (urlencoded body merged over the query, as Go's r.Form). */
  form: Record<string, string>;
  contentType?: string;
  bodyBytes: number;
  headers: Record<string, string | undefined>;
  authorized: boolean;
  status: number;
  fault?: string;
}

export interface FakeRack {
  /** Base URL without credentials. */
  url: string;
  /** `http://convox:PASSWORD@127.0.0.1:PORT`, what RACK_URL holds. */
  urlWithPassword: string;
  password: string;
  requests: FakeRequest[];
  /** Authorized requests that try to change something (not GET/HEAD), whatever their answer. */
  writes(): FakeRequest[];
  apps(): AppRecord[];
  app(name: string): AppRecord | undefined;
  object(app: string, key: string): Buffer | undefined;
  /** An app made outside preview-kit: no owner record unless `env` has one. */
  seedApp(name: string, options?: { env?: Record<string, string>; status?: string; locked?: boolean }): AppRecord;
  /**
   * The next `POST /apps` for `name` loses a race: another client creates the app first (and
   * writes a release with `env` after `envDelayMs`), then the request gets 409.
   */
  raceNextCreate(name: string, options?: { env?: Record<string, string>; envDelayMs?: number }): void;
  /** The next build fails with this text at the end of its log. */
  failNextBuild(logTail: string): void;
  /** The next promotion ends in `rollback`. */
  failNextPromote(): void;
  /** The next app created ends in `failed` instead of `running` (a stack that rolled back). */
  failNextCreate(): void;
  setFaults(faults: FakeRackFault[]): void;
  resetLog(): void;
  close(): Promise<void>;
}

type Reply =
  | { status: number; json: unknown }
  | { status: number; text: string }
  | { status: number; raw: Buffer; contentType: string }
  | { status: number; error: string };

const ok = (): Reply => ({ status: 200, text: 'ok\n' });
const json = (value: unknown): Reply => ({ status: 200, json: value });
const fail = (status: number, error: string): Reply => ({ status, error });

function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
}

function cleanKey(key: string): string | undefined {
  const cleaned = posix.normalize(`/${key}`).replace(/^\/+/, '').replace(/\/+$/, '');
  if (!cleaned || cleaned === '.' || key.split('/').includes('..')) return undefined;
  return cleaned;
}

interface ManifestService {
  port?: number | string;
  domain?: string | string[];
  scale?: { count?: number | string };
}

function portOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(String(value).split(':').pop());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function startFakeRack(options: FakeRackOptions = {}): Promise<FakeRack> {
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const rackName = options.rackName ?? 'fake-rack';
  const domain = options.domain ?? `${rackName}.convox.test`;
  const delays: FakeRackDelays = { ...DEFAULT_DELAYS, ...options.delays };
  const apps = new Map<string, AppRecord>();
  const objects = new Map<string, Buffer>();
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let faults: Array<FakeRackFault & { left: number }> = [];
  let buildFailures: string[] = [];
  let promoteFailures = 0;
  let createFailures = 0;
  const races = new Map<string, { env?: Record<string, string>; envDelayMs: number }>();
  const chaos = options.chaos ? new FaultInjector(options.chaos) : undefined;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const now = () => new Date().toISOString();

  function newApp(name: string, status: string): AppRecord {
    const app: AppRecord = { name, generation: '2', locked: false, status, release: '', parameters: {}, releases: [], builds: [], promotions: [] };
    apps.set(name, app);
    return app;
  }

  function latestRelease(app: AppRecord): ReleaseRecord | undefined {
    return app.releases[app.releases.length - 1];
  }

  function addRelease(app: AppRecord, fields: Partial<ReleaseRecord>): ReleaseRecord {
    const parent = latestRelease(app);
    const release: ReleaseRecord = {
      id: rackId('R'),
      app: app.name,
      build: parent?.build ?? '',
      env: parent?.env ?? '',
      manifest: parent?.manifest ?? '',
      description: '',
      created: now(),
      ...fields,
    };
    app.releases.push(release);
    return release;
  }

  function createApp(name: string): AppRecord {
    const app = newApp(name, 'creating');
    const failure = createFailures > 0;
    if (failure) createFailures--;
    later(delays.create, () => {
      if (apps.get(name) === app && app.status === 'creating') app.status = failure ? 'failed' : 'running';
    });
    return app;
  }

  function finishBuild(app: AppRecord, build: BuildRecord): void {
    if (apps.get(app.name) !== app) return;
    const log: string[] = ['Building: .', `Build: ${build.id}`];
    const end = (status: 'complete' | 'failed', error?: string) => {
      if (error) log.push(`ERROR: ${error}`);
      const key = `build/${build.id}/logs`;
      objects.set(`${app.name}/${key}`, Buffer.from(`${log.join('\n')}\n`));
      build.logs = `object://${app.name}/${key}`;
      build.ended = now();
      build.status = status;
    };
    const failure = buildFailures.shift();
    const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.url);
    const source = where ? objects.get(`${where[1]}/${cleanKey(where[2]!)}`) : undefined;
    if (!source) return end('failed', `object not found: ${where?.[2] ?? build.url}`);
    let files;
    try {
      files = readTarGz(source);
    } catch (error) {
      return end('failed', `could not extract source: ${(error as Error).message}`);
    }
    log.push(`Extracted ${files.filter((f) => f.type === 'file').length} files`);
    const manifestFile = files.find((f) => f.path === build.manifestPath && f.type === 'file');
    if (!manifestFile) return end('failed', `open ${build.manifestPath}: no such file or directory`);
    const manifest = manifestFile.data.toString('utf8');
    let services: Record<string, ManifestService>;
    try {
      services = ((parseYaml(manifest) as { services?: Record<string, ManifestService> } | null)?.services ?? {}) as Record<string, ManifestService>;
    } catch (error) {
      return end('failed', `could not parse ${build.manifestPath}: ${(error as Error).message}`);
    }
    for (const name of Object.keys(services)) log.push(`Building: ${name}`, `Running: docker build -t ${name} .`);
    if (failure !== undefined) {
      log.push(...failure.split('\n'));
      return end('failed', 'build failed');
    }
    const release = addRelease(app, { build: build.id, manifest, description: build.description });
    build.manifest = manifest;
    build.release = release.id;
    log.push(`Release: ${release.id}`);
    end('complete');
  }

  function servicesOf(app: AppRecord): unknown[] {
    const release = app.releases.find((r) => r.id === app.release);
    if (!release?.manifest) return [];
    const parsed = (parseYaml(release.manifest) as { services?: Record<string, ManifestService | null> } | null)?.services ?? {};
    return Object.entries(parsed).map(([name, s]) => {
      const port = portOf(s?.port);
      return {
        count: Number(s?.scale?.count ?? 1) || 1,
        cpu: 256,
        domain: `${name}.${app.name}.${domain}`,
        gpu: 0,
        'gpu-vendor': '',
        memory: 512,
        name,
        nlb: null,
        ports: port ? [{ balancer: 443, certificate: '', container: port }] : [],
      };
    });
  }

  function route(method: string, parts: string[], form: Record<string, string>, body: Buffer): Reply {
    const [root, name, sub, id, action] = parts;
    if (root === 'auth' && parts.length === 1 && method === 'GET') return ok();
    if (root === 'system' && parts.length === 1 && method === 'GET') {
      return json({ count: 3, domain, name: rackName, provider: 'fake', region: 'local', status: 'running', type: 'fake', version: '3.0.0-fake', parameters: {} });
    }
    if (root !== 'apps') return fail(404, '404 page not found');

    if (parts.length === 1) {
      if (method === 'GET') return json([...apps.values()].sort((a, b) => a.name.localeCompare(b.name)).map(appJson));
      if (method === 'POST') {
        const appName = form.name ?? '';
        if (!appName) return fail(400, 'name required');
        if (appName === 'rack' || appName === 'system') return fail(400, 'app name is reserved');
        if (!/^[a-z0-9][a-z0-9-]*$/.test(appName)) return fail(400, 'App name can only contain lowercase letters, numbers and hyphens');
        // Racks on Kubernetes make a namespace <rack>-<app>; the API server's refusal comes back as a 500.
        const namespace = `${rackName}-${appName}`;
        if (namespace.length > 63 && !apps.has(appName)) {
          return fail(500, `namespaces "${namespace}" is invalid: metadata.name: Invalid value: "${namespace}": must be no more than 63 characters`);
        }
        const generation = form.generation ?? '2';
        if (generation !== '2') return fail(500, 'unknown generation');
        const race = races.get(appName);
        if (race) {
          races.delete(appName);
          const other = createApp(appName);
          if (race.env) {
            const env = formatEnv(race.env);
            later(race.envDelayMs, () => {
              if (apps.get(appName) === other) addRelease(other, { env, description: envDiffDescription('', env) });
            });
          }
        }
        if (apps.has(appName)) return fail(409, `app already exists: ${appName}`);
        return json(appJson(createApp(appName)));
      }
      return fail(405, 'Method Not Allowed');
    }

    const app = apps.get(name!);
    if (parts.length === 2) {
      if (!['GET', 'PUT', 'DELETE'].includes(method)) return fail(405, 'Method Not Allowed');
      if (!app) return fail(404, `app not found: ${name}`);
      if (method === 'GET') return json(appJson(app));
      if (method === 'PUT') {
        if (form.lock !== undefined) app.locked = form.lock === 'true';
        // The rack keeps only the parameters it knows and drops the others.
        const known = new Set(['BuildCpu', 'BuildMem', 'BuildLabels']);
        for (const [k, v] of new URLSearchParams(form.parameters ?? '')) if (known.has(k)) app.parameters[k] = v;
        return ok();
      }
      if (app.locked) return fail(409, `app is locked: ${name}`);
      app.status = 'deleting';
      later(delays.delete, () => {
        if (apps.get(app.name) === app) apps.delete(app.name);
      });
      return ok();
    }

    if (sub === 'objects' && parts.length >= 4) {
      const key = cleanKey(parts.slice(3).join('/'));
      if (!key) return fail(400, 'invalid object key');
      const full = `${name}/${key}`;
      if (method === 'POST') {
        objects.set(full, body);
        return json({ Url: `object://${name}/${key}` });
      }
      const data = objects.get(full);
      if (method === 'HEAD') return data ? ok() : fail(404, `object not found: ${key}`);
      if (!data) return fail(404, `object not found: ${key}`);
      if (method === 'GET') return { status: 200, raw: data, contentType: 'application/octet-stream' };
      if (method === 'DELETE') {
        objects.delete(full);
        return ok();
      }
      return fail(405, 'Method Not Allowed');
    }

    if (!app) return fail(404, `app not found: ${name}`);

    if (sub === 'builds') {
      if (parts.length === 3 && method === 'GET') {
        const limit = Number(form.limit ?? 10) || 10;
        return json([...app.builds].reverse().slice(0, limit).map(buildJson));
      }
      if (parts.length === 3 && method === 'POST') {
        const build: BuildRecord = {
          id: rackId('B'),
          app: app.name,
          description: form.description ?? '',
          entrypoint: '',
          gitSha: form['git-sha'] ?? '',
          logs: '',
          manifest: '',
          process: '',
          release: '',
          reason: '',
          repository: '',
          status: 'created',
          started: now(),
          ended: ZERO_TIME,
          url: form.url ?? '',
          manifestPath: form.manifest || 'convox.yml',
        };
        app.builds.push(build);
        later(delays.buildStart, () => {
          if (build.status !== 'created') return;
          build.status = 'running';
          build.process = `build-${build.id.toLowerCase()}`;
          later(delays.build, () => finishBuild(app, build));
        });
        return json(buildJson(build));
      }
      if (parts.length === 4) {
        if (id!.endsWith('.tgz')) return fail(501, 'unimplemented');
        const build = app.builds.find((b) => b.id === id);
        if (method !== 'GET') return fail(405, 'Method Not Allowed');
        if (!build) return fail(404, `build not found: ${id}`);
        return json(buildJson(build));
      }
      if (parts.length === 5 && action === 'logs') {
        // A websocket route on the real rack: a plain request is refused by the upgrader.
        return fail(400, "Bad Request\nwebsocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header");
      }
    }

    if (sub === 'releases') {
      if (parts.length === 3 && method === 'GET') {
        const limit = Number(form.limit ?? 10) || 10;
        return json([...app.releases].reverse().slice(0, limit).map(releaseJson));
      }
      if (parts.length === 3 && method === 'POST') {
        const parentId = form['parent-release'];
        const parent = parentId ? app.releases.find((r) => r.id === parentId) : latestRelease(app);
        if (parentId && !parent) return fail(404, `release not found: ${parentId}`);
        const fields: Partial<ReleaseRecord> = { build: parent?.build ?? '', env: parent?.env ?? '', manifest: parent?.manifest ?? '' };
        if (form.build !== undefined) {
          const build = app.builds.find((b) => b.id === form.build);
          if (!build) return fail(404, `build not found: ${form.build}`);
          fields.build = build.id;
          fields.manifest = build.manifest;
          fields.description = build.description;
        }
        if (form.env !== undefined) {
          const description = envDiffDescription(fields.env ?? '', form.env);
          if (description) fields.description = description;
          fields.env = form.env;
        }
        if (form.description !== undefined) fields.description = form.description;
        return json(releaseJson(addRelease(app, fields)));
      }
      const release = app.releases.find((r) => r.id === id);
      if (parts.length === 4 && method === 'GET') return release ? json(releaseJson(release)) : fail(404, `release not found: ${id}`);
      if (parts.length === 5 && action === 'promote' && method === 'POST') {
        if (!release) return fail(404, `release not found: ${id}`);
        const previous = app.release;
        app.promotions.push(release.id);
        app.release = release.id;
        app.status = 'updating';
        const rollback = promoteFailures > 0;
        if (rollback) promoteFailures--;
        later(delays.promote, () => {
          if (apps.get(app.name) !== app || app.release !== release.id) return;
          if (rollback) {
            app.status = 'rollback';
            app.release = previous;
          } else app.status = 'running';
        });
        return ok();
      }
    }

    if (sub === 'services' && parts.length === 3 && method === 'GET') return json(servicesOf(app));
    return fail(404, '404 page not found');
  }

  function send(res: ServerResponse, reply: Reply, acceptsJson: boolean): void {
    const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };
    let body: Buffer;
    if ('error' in reply) {
      if (acceptsJson) {
        headers['content-type'] = 'application/json';
        body = Buffer.from(JSON.stringify({ error: reply.error }));
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
    if (reply.status === 401) headers['www-authenticate'] = 'Basic realm="convox"';
    headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  function passwordOf(req: IncomingMessage): { user: string; pass: string } | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
  }

  function takeFault(method: string, path: string): (FakeRackFault & { left: number }) | undefined {
    const rule = faults.find(
      (f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (rule) rule.left--;
    return rule;
  }

  function admin(method: string, path: string, body: Buffer): Reply | undefined {
    const text = body.toString('utf8');
    const input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (method === 'GET' && path === '/__fake/requests') return json(requests);
    if (method === 'GET' && path === '/__fake/state') return json([...apps.values()]);
    if (method === 'POST' && path === '/__fake/reset-log') {
      requests.length = 0;
      return ok();
    }
    if (method === 'POST' && path === '/__fake/fail-next-build') {
      buildFailures.push(String(input.logTail ?? 'build step failed'));
      return ok();
    }
    if (method === 'POST' && path === '/__fake/fail-next-promote') {
      promoteFailures++;
      return ok();
    }
    if (method === 'POST' && path === '/__fake/faults') {
      const list = (input.faults as FakeRackFault[] | undefined) ?? [];
      faults = list.map((f) => ({ ...f, left: f.times ?? 1 }));
      return ok();
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://rack');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const acceptsJson = (req.headers.accept ?? '').includes('application/json');
    if (url.pathname.startsWith('/__fake/')) {
      const reply = admin(method, url.pathname, body) ?? fail(404, '404 page not found');
      return send(res, reply, true);
    }
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'];
    const bodyForm = contentType?.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
    const form = { ...query, ...bodyForm };
    const credentials = passwordOf(req);
    const authorized = credentials !== undefined && credentials.user !== 'jwt' && credentials.pass === password;
    const entry: FakeRequest = {
      method,
      path: url.pathname,
      query,
      form: bodyForm,
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

    const rule = takeFault(method, url.pathname);
    if (rule?.latencyMs) await sleep(rule.latencyMs);
    const faultReply = (status: number, text?: string): Reply =>
      text !== undefined ? { status, text } : fail(status, status === 401 ? 'invalid authentication' : `injected fault ${status}`);
    if (rule?.status && !rule.applied) {
      entry.fault = `rule ${rule.status}`;
      return respond(faultReply(rule.status, rule.body));
    }
    const random = chaos?.next();
    if (random === 'latency') await sleep(chaos!.latencyMs);
    if (random === '503-html' || random === '503-json' || random === '429') {
      entry.fault = random;
      return respond(random === '503-html' ? { status: 503, text: LOAD_BALANCER_503_HTML } : random === '429' ? fail(429, 'too many requests') : fail(503, 'rack unavailable'));
    }

    if (!authorized) return respond(fail(401, 'invalid authentication'));
    const parts = url.pathname
      .split('/')
      .slice(1)
      .filter((p, i, all) => p !== '' || i < all.length - 1)
      .map((p) => decodeURIComponent(p));
    const reply = route(method, parts, form, body);
    if (rule?.applied && rule.status) {
      entry.fault = `applied ${rule.status}`;
      return respond(faultReply(rule.status, rule.body));
    }
    if (random === 'applied-503') {
      entry.fault = random;
      return respond({ status: 503, text: LOAD_BALANCER_503_HTML });
    }
    respond(reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, fail(500, (error as Error).message), false);
      else res.destroy();
    });
  });
  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const base = `http://${address.address}:${address.port}`;
  const copy = <T>(v: T): T => structuredClone(v);

  return {
    url: base,
    urlWithPassword: `http://convox:${encodeURIComponent(password)}@${address.address}:${address.port}`,
    password,
    requests,
    writes: () => requests.filter((r) => r.authorized && r.method !== 'GET' && r.method !== 'HEAD'),
    apps: () => [...apps.values()].map(copy),
    app: (name) => {
      const app = apps.get(name);
      return app ? copy(app) : undefined;
    },
    object: (app, key) => objects.get(`${app}/${cleanKey(key)}`),
    seedApp(name, seed = {}) {
      const app = newApp(name, seed.status ?? 'running');
      app.locked = seed.locked ?? false;
      if (seed.env) addRelease(app, { env: formatEnv(seed.env), description: 'env' });
      return copy(app);
    },
    raceNextCreate(name, race = {}) {
      races.set(name, { ...(race.env ? { env: race.env } : {}), envDelayMs: race.envDelayMs ?? 0 });
    },
    failNextBuild(logTail) {
      buildFailures.push(logTail);
    },
    failNextPromote() {
      promoteFailures++;
    },
    failNextCreate() {
      createFailures++;
    },
    setFaults(list) {
      faults = list.map((f) => ({ ...f, left: f.times ?? 1 }));
    },
    resetLog() {
      requests.length = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      buildFailures = [];
      await closeServer(server);
    },
  };
}
