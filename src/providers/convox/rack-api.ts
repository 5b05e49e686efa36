/**
 * The rack's HTTP API, route by route, as the convox CLI's sdk calls it: form-encoded parameters
 * (`application/x-www-form-urlencoded`), JSON answers, raw bodies for objects, errors as
 * `{"error": "…"}` when JSON is accepted (v3) and plain text otherwise (v2 always). Only the
 * routes we use, on both rack generations (pkg/api/routes.go of convox/rack and convox/convox).
 */
import { AuthError, ConflictError, ProviderError } from '../../core/errors.js';
import { errorMessageOf, type HttpClient } from '../http.js';

/** What a 403 that is not "currently updating" means: the password is right, the rights are not. */
export const FORBIDDEN_HINT =
  'the rack accepted the credentials but refuses this action: they lack the permission for it (a console role or rack API key without deploy rights)';

/** `GET /apps/{name}` (pkg/structs App). */
export interface RackApp {
  name: string;
  /** `creating`, `running`, `updating`, `deleting`, `rollback`, `failed`, `unknown`… */
  status: string;
  /** Id of the promoted release, empty before the first promotion. */
  release: string;
  generation?: string;
  locked?: boolean;
  router?: string;
  parameters?: Record<string, string>;
}

/** `GET /apps/{app}/builds/{id}` (pkg/structs Build). */
export interface RackBuild {
  id: string;
  app: string;
  description: string;
  'git-sha'?: string;
  /** `created`, `running`, `complete`, `failed`. */
  status: string;
  /** Release made by a complete build. */
  release: string;
  /** `object://{app}/build/{id}/logs` once the build has ended. */
  logs: string;
  manifest?: string;
  reason?: string;
  started?: string;
  ended?: string;
}

/** `GET /apps/{app}/releases/{id}` (pkg/structs Release). */
export interface RackRelease {
  id: string;
  app: string;
  build: string;
  /**
   * Newline-separated KEY=VALUE. Only `GET /apps/{app}/releases/{id}` is sure to carry it: a v2
   * rack lists releases with `"env": ""` (provider/aws/releases.go releaseFromItem).
   */
  env?: string;
  manifest?: string;
  description?: string;
  created?: string;
}

/** `GET /apps/{app}/services` (pkg/structs Service). */
export interface RackService {
  name: string;
  /** The rack's host for the service (`<service>.<app>.<rack domain>`). */
  domain: string;
  /** Instances it runs: v2 the `<Service>Formation` stack parameter, v3 the Deployment's replicas. */
  count?: number;
  /** v3 only: the manifest's `scale.count` (its minimum for a range). */
  min?: number;
  ports?: Array<{ balancer: number; container: number; certificate?: string }>;
}

/** `GET /apps/{app}/processes`, `GET /system/processes` (pkg/structs Process). */
export interface RackProcess {
  id: string;
  app: string;
  /** The service (or `build`, or the command's service of a one-off process). */
  name: string;
  release?: string;
  /** `running`, `pending`, `starting`, `unhealthy`, `crashed`, `complete`, `failed`, `unknown`. */
  status: string;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function form(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params.set(k, v);
  return params.toString();
}

const seg = encodeURIComponent;

/** Racks answer a taken name with 409 (v3) or a 500 saying so (v2: `app already exists: X`). */
export function isAlreadyExists(error: unknown): boolean {
  if (error instanceof ConflictError) return /already exists/i.test(error.message) || error.status === 409;
  return error instanceof ProviderError && /already exists/i.test(error.message);
}

const NOT_A_RACK_HINT = 'check RACK_URL: it must be the rack API (convox rack → Router/API), not a web page';

/**
 * The rack answers JSON: anything else (a web page served with 200, a proxy's sign-in page) means
 * RACK_URL points somewhere else, which must fail here rather than be read as an app or a list.
 */
function expectJson<T>(body: unknown, what: string, shape: 'object' | 'array'): T {
  const ok = shape === 'array' ? Array.isArray(body) : !!body && typeof body === 'object' && !Array.isArray(body);
  if (ok) return body as T;
  const said = typeof body === 'string' ? (errorMessageOf(body) ?? body).replace(/\s+/g, ' ').trim().slice(0, 120) : JSON.stringify(body ?? null).slice(0, 120);
  throw new ProviderError(`${what}: the rack answered ${typeof body === 'string' ? 'a page that is not JSON' : `JSON that is not ${shape === 'array' ? 'a list' : 'an object'}`} ("${said}")`, {
    hint: NOT_A_RACK_HINT,
  });
}

/** `reuse`: answer from the last read of the same thing when no write was sent since (see RackApi). */
export interface ReadOptions {
  reuse?: boolean;
}

const ENDED_BUILD = new Set(['complete', 'failed']);

/** How long a read may stand in for the same read: far longer than one command's steps, short enough that a library caller keeping a provider reads afresh later. */
const REUSE_MS = 5_000;

/**
 * The rack's routes. Reads remember their answer: a caller that asks `reuse` gets the last answer
 * read since this client's last write (a write, or a read overlapping one, forgets them all), so
 * one command's steps share what they looked up (a no-op `up` reads each thing once). Waits never
 * ask `reuse`: they read afresh, and their answers are the ones remembered. Releases by id and
 * ended builds never change on a rack: those are remembered for the whole command.
 */
export class RackApi {
  private readonly lastRead = new Map<string, { value: unknown; at: number }>();
  private readonly immutable = new Map<string, unknown>();
  /** Moves at the start and at the end of every write: a read that saw it move is not remembered. */
  private writes = 0;

  constructor(
    private readonly http: HttpClient,
    /** A second client with a longer per-request timeout, for source uploads. */
    private readonly upload: HttpClient = http,
  ) {}

  private async remembered<T>(path: string, options: ReadOptions | undefined, read: () => Promise<T>): Promise<T> {
    if (this.immutable.has(path)) return structuredClone(this.immutable.get(path) as T);
    const last = this.lastRead.get(path);
    if (options?.reuse && last && Date.now() - last.at <= REUSE_MS) return structuredClone(last.value as T);
    const before = this.writes;
    const value = await read();
    if (this.writes === before) this.lastRead.set(path, { value: structuredClone(value), at: Date.now() });
    return value;
  }

  private async write<T>(send: () => Promise<T>): Promise<T> {
    this.writes++;
    this.lastRead.clear();
    try {
      return await send();
    } finally {
      this.writes++;
      this.lastRead.clear();
    }
  }

  /**
   * The app, or undefined when the rack says it does not exist. A 404 that does not name the app
   * (a proxy's or a router's "page not found") means the URL is not a rack API: that is an error,
   * never "absent".
   */
  getApp(name: string, options?: ReadOptions): Promise<RackApp | undefined> {
    return this.remembered(`/apps/${seg(name)}`, options, () => this.readApp(name));
  }

  private async readApp(name: string): Promise<RackApp | undefined> {
    const res = await this.http.request<RackApp>({ method: 'GET', path: `/apps/${seg(name)}`, allow: [404], what: `look up app ${name}` });
    if (res.status === 404) {
      const said = errorMessageOf(res.body) ?? '';
      if (said.includes(name) || /^app not found/i.test(said)) return undefined;
      throw new ProviderError(`look up app ${name}: the rack answered 404 "${said || 'no body'}"`, {
        status: 404,
        hint: NOT_A_RACK_HINT,
      });
    }
    const app = expectJson<RackApp>(res.body, `look up app ${name}`, 'object');
    if (typeof app.name !== 'string' || typeof app.status !== 'string') {
      throw new ProviderError(`look up app ${name}: the rack answered an object that is not an app (no name or status)`, { hint: NOT_A_RACK_HINT });
    }
    return app;
  }

  listApps(): Promise<RackApp[]> {
    return this.http.json<unknown>({ method: 'GET', path: '/apps', what: 'list apps' }).then((v) => expectJson<RackApp[]>(v ?? [], 'list apps', 'array'));
  }

  createApp(name: string): Promise<RackApp> {
    return this.write(() => this.http.json<RackApp>({ method: 'POST', path: '/apps', body: form({ name, generation: '2' }), headers: FORM, what: `create app ${name}` }));
  }

  /**
   * False when the app was already gone. Not retried here: a delete answered 5xx may have been
   * applied, and a rack on Kubernetes refuses a second delete of a namespace it is removing, so
   * the caller looks at the app before trying again.
   */
  async deleteApp(name: string): Promise<boolean> {
    const res = await this.write(() => this.http.request({ method: 'DELETE', path: `/apps/${seg(name)}`, allow: [404], retry: false, what: `delete app ${name}` }));
    return res.status !== 404;
  }

  /** Newest first. */
  listReleases(app: string, limit: number, options?: ReadOptions): Promise<RackRelease[]> {
    const what = `list releases of ${app}`;
    const path = `/apps/${seg(app)}/releases?limit=${limit}`;
    return this.remembered(path, options, () => this.http.json<unknown>({ method: 'GET', path, what }).then((v) => expectJson<RackRelease[]>(v ?? [], what, 'array')));
  }

  /** A release never changes once made: read once per command. */
  async getRelease(app: string, id: string): Promise<RackRelease> {
    const what = `read release ${id} of ${app}`;
    const path = `/apps/${seg(app)}/releases/${seg(id)}`;
    const release = await this.remembered(path, undefined, () => this.http.json<unknown>({ method: 'GET', path, what }).then((v) => expectJson<RackRelease>(v, what, 'object')));
    this.immutable.set(path, structuredClone(release));
    return release;
  }

  /** A new release forked from the latest one, with this env (the rack's way to change env vars). */
  createRelease(app: string, fields: { env?: string; build?: string; description?: string }): Promise<RackRelease> {
    return this.write(() => this.http.json<RackRelease>({
      method: 'POST',
      path: `/apps/${seg(app)}/releases`,
      body: form(fields),
      headers: FORM,
      what: `create a release of ${app}`,
    }));
  }

  /**
   * Starts the promotion (the rack answers before the update ends). `busy`: the rack refused it
   * because the app is not `running` (403 "app is currently updating", ReleasePromoteValidate of
   * both generations) — a wait, not a permission problem. Any other 403 is one.
   */
  async promote(app: string, id: string): Promise<'started' | 'busy'> {
    const what = `promote release ${id} of ${app}`;
    const res = await this.write(() => this.http.request({ method: 'POST', path: `/apps/${seg(app)}/releases/${seg(id)}/promote`, body: '', headers: FORM, allow: [403], what }));
    if (res.status !== 403) return 'started';
    const said = errorMessageOf(res.body) ?? '';
    if (/currently updating/i.test(said)) return 'busy';
    throw new AuthError(`${what}: permission denied by the Convox rack (403${said ? ` ${said}` : ''})`, { hint: FORBIDDEN_HINT });
  }

  /** Newest first. */
  listBuilds(app: string, limit: number, options?: ReadOptions): Promise<RackBuild[]> {
    const what = `list builds of ${app}`;
    const path = `/apps/${seg(app)}/builds?limit=${limit}`;
    return this.remembered(path, options, () => this.http.json<unknown>({ method: 'GET', path, what }).then((v) => expectJson<RackBuild[]>(v ?? [], what, 'array')));
  }

  /** An ended build (complete, failed) never changes again: read once per command. */
  async getBuild(app: string, id: string, options?: ReadOptions): Promise<RackBuild> {
    const what = `read build ${id} of ${app}`;
    const path = `/apps/${seg(app)}/builds/${seg(id)}`;
    const build = await this.remembered(path, options, () => this.http.json<unknown>({ method: 'GET', path, what }).then((v) => expectJson<RackBuild>(v, what, 'object')));
    if (ENDED_BUILD.has(build.status)) this.immutable.set(path, structuredClone(build));
    return build;
  }

  createBuild(app: string, fields: { url: string; description: string; gitSha: string; manifest?: string }): Promise<RackBuild> {
    return this.write(() => this.http.json<RackBuild>({
      method: 'POST',
      path: `/apps/${seg(app)}/builds`,
      body: form({ url: fields.url, description: fields.description, 'git-sha': fields.gitSha, manifest: fields.manifest }),
      headers: FORM,
      what: `start a build of ${app}`,
    }));
  }

  /** Stores a blob under the app; answers its `object://` URL. Same key, same content: safe to retry. */
  async storeObject(app: string, key: string, data: Uint8Array): Promise<string> {
    const body = await this.upload.json<{ Url?: string; url?: string }>({
      method: 'POST',
      path: `/apps/${seg(app)}/objects/${key.split('/').map(seg).join('/')}`,
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
      retry: true,
      what: `upload the source of ${app}`,
    });
    // The rack's Object struct has no json tag, so the field is `Url`.
    const url = body?.Url ?? body?.url;
    if (!url) throw new ProviderError(`upload the source of ${app}: the rack answered no object URL`);
    return url;
  }

  async fetchObject(app: string, key: string): Promise<string> {
    const res = await this.http.request<unknown>({
      method: 'GET',
      path: `/apps/${seg(app)}/objects/${key.split('/').map(seg).join('/')}`,
      headers: { accept: '*/*' },
      what: `read object ${key} of ${app}`,
    });
    return typeof res.body === 'string' ? res.body : res.body === undefined ? '' : JSON.stringify(res.body);
  }

  listServices(app: string, options?: ReadOptions): Promise<RackService[]> {
    const what = `list services of ${app}`;
    const path = `/apps/${seg(app)}/services`;
    return this.remembered(path, options, () => this.http.json<unknown>({ method: 'GET', path, what }).then((v) => expectJson<RackService[]>(v ?? [], what, 'array')));
  }

  /**
   * Sets a service's count, as `convox scale <service> --count N` does (ServiceUpdate). Not
   * retried here: on a v2 rack it starts a stack update, and a second one while it runs is refused,
   * so the caller looks at the app before trying again.
   */
  async scaleService(app: string, service: string, count: number): Promise<void> {
    await this.write(() => this.http.request({
      method: 'PUT',
      path: `/apps/${seg(app)}/services/${seg(service)}`,
      body: form({ count: String(count) }),
      headers: FORM,
      retry: false,
      what: `scale service ${service} of ${app} to ${count}`,
    }));
  }

  listProcesses(app: string): Promise<RackProcess[]> {
    const what = `list processes of ${app}`;
    return this.http.json<unknown>({ method: 'GET', path: `/apps/${seg(app)}/processes`, what }).then((v) => expectJson<RackProcess[]>(v ?? [], what, 'array'));
  }

  /** Every process on the rack, the apps' included (`convox rack ps --all`). */
  systemProcesses(): Promise<RackProcess[]> {
    const what = 'list the processes of the rack';
    return this.http.json<unknown>({ method: 'GET', path: '/system/processes?all=true', what }).then((v) => expectJson<RackProcess[]>(v ?? [], what, 'array'));
  }
}
