/**
 * A small Docker Engine API client on node:http: unix socket, tcp, or an ssh tunnel, as
 * `DOCKER_HOST` says. Maps answers to our error types, including podman's habit of answering
 * 500 where Docker answers 409, and reads the build and pull streams, whose errors arrive
 * inside an HTTP 200.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { AuthError, ConflictError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, WAIT_BACKOFF, type Deadline } from '../../core/retry.js';
import { errorMessageOf, RequestStats } from '../http.js';
import { endpointFromDockerHost } from './docker-host.js';
import type { ContainerInspect, ContainerSummary, EngineCall, EngineResponse, ImageInspect, ImageSummary, NetworkInspect, VolumeSummary } from './engine-types.js';
import { API_VERSION, demuxLogs, loggedPath, queryString } from './engine-wire.js';
import { exchange, openRequest, parseJsonBody, retryAfterOf, TransportError, type Endpoint } from './node-http.js';
import { libpodNetwork, libpodNetworks } from './podman-api.js';

export type * from './engine-types.js';
export { endpointFromDockerHost } from './docker-host.js';
export { API_VERSION, demuxLogs, loggedPath } from './engine-wire.js';

export interface EngineOptions {
  dockerHost: string;
  logger: Logger;
  deadline: Deadline;
  /** Replaces the `ssh` binary (tests). */
  sshCommand?: string;
  /** The environment an `ssh` tunnel gets (none of the credentials this process holds). */
  childEnv?: Record<string, string>;
  requestTimeoutMs?: number;
  backoffMs?: number;
}


/** What a person can do about an engine that refuses us (401/403, or a socket we may not open). */
export const ENGINE_PERMISSION_HINT =
  'check the permissions of the Docker Engine socket (run as a user in the docker group), the TLS client certificate, or the rules of the proxy in front of the engine (--docker-host / DOCKER_HOST)';

/** podman answers 500 for a name already in use; Docker answers 409. Both mean the same. */
function looksLikeConflict(status: number, message: string | undefined): boolean {
  return status === 409 || (status === 500 && /already in use|already exists|is already connected/i.test(message ?? ''));
}

export class DockerEngine {
  readonly stats = new RequestStats();
  readonly endpoint: Endpoint;
  /** The podman version behind the Docker API, once an answer said so (its `Libpod-Api-Version` header). */
  libpodVersion: string | undefined;
  private readonly options: EngineOptions;

  constructor(options: EngineOptions) {
    this.options = options;
    this.endpoint = endpointFromDockerHost(options.dockerHost, { ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}), ...(options.childEnv ? { childEnv: options.childEnv } : {}) });
  }

  get display(): string {
    return this.endpoint.display;
  }

  /** Pauses between attempts: fast at first (a restarting engine or proxy is back within moments), then gently longer. */
  private backoff(): typeof WAIT_BACKOFF {
    return { ...WAIT_BACKOFF, ...(this.options.backoffMs !== undefined ? { initialMs: this.options.backoffMs } : {}) };
  }

  private timeout(what: string): number {
    this.options.deadline.check(what);
    return Math.min(this.options.requestTimeoutMs ?? 60_000, Math.max(1, this.options.deadline.remaining()));
  }

  private unreachable(error: TransportError, what: string): Error {
    if (error.code === 'EACCES') {
      return new AuthError(`${what}: permission denied on the Docker Engine socket ${this.display}`, { hint: ENGINE_PERMISSION_HINT });
    }
    return new ProviderError(`${what}: Docker Engine unreachable at ${this.display}: ${error.message}`, {
      retryable: true,
      hint: 'start the engine or set --docker-host / DOCKER_HOST',
    });
  }

  private fail(status: number, body: unknown, what: string, headers: IncomingHttpHeaders = {}): Error {
    const said = errorMessageOf(body);
    const detail = `${status}${said ? ` ${said}` : ''}`;
    // A socket proxy or a TLS front refusing us: never "not found", whatever the call was.
    if (status === 401 || status === 403) {
      return new AuthError(`${what}: the Docker Engine at ${this.display} refused access (${detail})`, { hint: ENGINE_PERMISSION_HINT });
    }
    if (looksLikeConflict(status, said)) return new ConflictError(`${what}: conflict (${detail})`, { status: 409 });
    const retryable = status === 502 || status === 503 || status === 504;
    const retryAfterSeconds = retryable ? retryAfterOf(headers) : undefined;
    return new ProviderError(`${what}: the Docker Engine answered ${detail}`, { status, retryable, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  }

  async call<T = unknown>(req: EngineCall): Promise<EngineResponse<T>> {
    // Reads, and writes whose repetition changes nothing (a second delete finds nothing, a second
    // start is a 304), are tried again when the engine or a proxy in front of it answers 502-504.
    const idempotent = req.method === 'GET' || req.method === 'HEAD' || req.idempotent === true;
    return retry(() => this.once<T>(req), {
      attempts: idempotent ? 4 : 1,
      deadline: this.options.deadline,
      ...this.backoff(),
      what: req.what,
      onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${(error as Error).message}; attempt ${attempt + 1} in ${delay}ms`),
    });
  }

  private async once<T>(req: EngineCall): Promise<EngineResponse<T>> {
    const path = `/${req.apiVersion ?? API_VERSION}${req.path}${queryString(req.query)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = this.timeout(req.what);
    this.stats.record(req.method);
    const shown = loggedPath(req.path, req.query, req.apiVersion);
    this.options.logger.debug(`docker ${req.method} ${shown}`);
    let res;
    try {
      res = await exchange(this.endpoint, { method: req.method, path, headers, ...(body !== undefined ? { body } : {}), timeoutMs });
    } catch (error) {
      if (error instanceof TransportError) throw this.unreachable(error, req.what);
      throw error;
    }
    const parsed = parseJsonBody(res.body);
    this.options.logger.debug(`docker → ${res.status} ${req.method} ${shown}`);
    const libpod = res.headers['libpod-api-version'];
    if (typeof libpod === 'string') this.libpodVersion = libpod;
    if ((res.status >= 200 && res.status < 300) || req.allow?.includes(res.status)) return { status: res.status, body: parsed as T };
    throw this.fail(res.status, parsed, req.what, res.headers);
  }

  /**
   * Sends a body (a tar stream for builds) and reads the newline-delimited JSON answer. The engine
   * reports failures inside the stream with HTTP 200, so the last `error` line decides.
   */
  async stream(
    req: { method: 'POST'; path: string; query?: EngineCall['query']; headers?: Record<string, string>; body?: Readable; what: string },
    onLine: (line: Record<string, unknown>) => void,
  ): Promise<void> {
    const path = `/${API_VERSION}${req.path}${queryString(req.query)}`;
    const timeoutMs = this.timeout(req.what);
    this.stats.record(req.method);
    this.options.logger.debug(`docker ${req.method} ${loggedPath(req.path, req.query)} (stream)`);
    let res;
    try {
      res = await openRequest(this.endpoint, { method: req.method, path, headers: req.headers ?? {}, ...(req.body ? { body: req.body } : {}), timeoutMs });
    } catch (error) {
      if (error instanceof TransportError) throw this.unreachable(error, req.what);
      throw error;
    }
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      throw this.fail(status, parseJsonBody(Buffer.concat(chunks)), req.what, res.headers);
    }
    // The body of a build may take minutes: bounded by the command's deadline, not a request timeout.
    const guard = setTimeout(() => res.destroy(new TransportError(`the command's --timeout ran out`, 'ETIMEDOUT')), Math.max(1, this.options.deadline.remaining()));
    let pending = '';
    let streamError: string | undefined;
    const handle = (text: string) => {
      if (!text.trim()) return;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { stream: `${text}\n` };
      }
      const detail = line.errorDetail as { message?: string } | undefined;
      if (typeof line.error === 'string' || detail?.message) streamError = String(detail?.message ?? line.error).trim();
      onLine(line);
    };
    try {
      for await (const chunk of res) {
        pending += (chunk as Buffer).toString('utf8');
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          handle(pending.slice(0, nl));
          pending = pending.slice(nl + 1);
          nl = pending.indexOf('\n');
        }
      }
    } catch (error) {
      throw new ProviderError(`${req.what}: the Docker Engine stream broke off: ${(error as Error).message}`, { retryable: true });
    } finally {
      clearTimeout(guard);
    }
    handle(pending);
    if (streamError !== undefined) throw new ProviderError(`${req.what}: ${streamError}`, { hint: 'see the build output above' });
  }

  // Typed calls used by the provider.

  async ping(): Promise<void> {
    await this.call({ method: 'GET', path: '/_ping', what: 'reach the Docker Engine' });
  }

  /**
   * One network by name or id. On podman its own inspect, which is cheap but says nothing of the
   * containers connected (podman-api.ts): ask for `containers` when they matter.
   */
  async inspectNetwork(name: string, options: { containers?: boolean } = {}): Promise<NetworkInspect | undefined> {
    if (this.libpodVersion && !options.containers) return libpodNetwork(this, name, `look up network ${name}`);
    const res = await this.call<NetworkInspect>({ method: 'GET', path: `/networks/${encodeURIComponent(name)}`, allow: [404], what: `look up network ${name}` });
    return res.status === 404 ? undefined : res.body;
  }

  /** Networks with all these labels (on podman through its own listing, see podman-api.ts). */
  async listNetworks(labels: string[]): Promise<NetworkInspect[]> {
    if (this.libpodVersion) return libpodNetworks(this, { label: labels }, 'list networks');
    const res = await this.call<NetworkInspect[]>({ method: 'GET', path: '/networks', query: { filters: JSON.stringify({ label: labels }) }, what: 'list networks' });
    return res.body ?? [];
  }

  /**
   * Every network whose name contains `name`: the engines' name filter matches parts of names
   * (Docker's and podman's are regular expressions), so this one listing holds the preview's
   * network (and any twin two racing creates made) and its deploy lock `<name>.lock`.
   */
  async networksMatching(name: string): Promise<NetworkInspect[]> {
    const what = `look up network ${name}`;
    if (this.libpodVersion) return libpodNetworks(this, { name: [name] }, what);
    return (await this.call<NetworkInspect[]>({ method: 'GET', path: '/networks', query: { filters: JSON.stringify({ name: [name] }) }, what })).body ?? [];
  }

  /** Every network called exactly `name` (two when two creates raced on Docker). */
  async networksNamed(name: string): Promise<NetworkInspect[]> {
    return (await this.networksMatching(name)).filter((n) => n.Name === name);
  }

  async createNetwork(name: string, labels: Record<string, string>): Promise<string> {
    const res = await this.call<{ Id: string }>({ method: 'POST', path: '/networks/create', body: { Name: name, Labels: labels, CheckDuplicate: true }, what: `create network ${name}` });
    return res.body.Id;
  }

  async removeNetwork(name: string): Promise<boolean> {
    const res = await this.call({ method: 'DELETE', path: `/networks/${encodeURIComponent(name)}`, allow: [404], idempotent: true, what: `remove network ${name}` });
    return res.status !== 404;
  }

  /** Running and stopped containers with all these labels; every container when none are given. */
  async listContainers(labels: string[]): Promise<ContainerSummary[]> {
    const res = await this.call<ContainerSummary[]>({
      method: 'GET',
      path: '/containers/json',
      query: { all: 1, ...(labels.length ? { filters: JSON.stringify({ label: labels }) } : {}) },
      what: 'list containers',
    });
    return res.body ?? [];
  }

  async inspectContainer(idOrName: string): Promise<ContainerInspect | undefined> {
    const res = await this.call<ContainerInspect>({ method: 'GET', path: `/containers/${encodeURIComponent(idOrName)}/json`, allow: [404], what: `inspect container ${idOrName}` });
    return res.status === 404 ? undefined : res.body;
  }

  async createContainer(name: string, body: Record<string, unknown>): Promise<string> {
    const res = await this.call<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name }, body, what: `create container ${name}` });
    return res.body.Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start`, allow: [304], idempotent: true, what: `start container ${id.slice(0, 12)}` });
  }

  /** Stops a container, keeping it; a stopped one answers 304. The engine waits the container's stop timeout, then kills. */
  async stopContainer(id: string): Promise<void> {
    await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/stop`, allow: [304], idempotent: true, what: `stop container ${id.slice(0, 12)}` });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/rename`, query: { name }, what: `rename container ${id.slice(0, 12)} to ${name}` });
  }

  /**
   * Force-removes a container and its anonymous volumes; false when it was already gone. podman
   * refuses (500 "container state improper") while its restart policy is restarting a container
   * that exited; that passes within moments, so those answers are tried again.
   */
  async removeContainer(id: string): Promise<boolean> {
    const res = await retry(
      () => this.call({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: 1, v: 1 }, allow: [404], idempotent: true, what: `remove container ${id.slice(0, 12)}` }),
      {
        attempts: 6,
        deadline: this.options.deadline,
        ...this.backoff(),
        retryIf: (error) => error instanceof ProviderError && error.status === 500 && /state improper|could not be stopped/i.test(error.message),
      },
    );
    return res.status !== 404;
  }

  /** The last lines a container wrote, for error messages. */
  async containerLogs(id: string, tail = 20): Promise<string> {
    const path = `/${API_VERSION}/containers/${encodeURIComponent(id)}/logs${queryString({ stdout: 1, stderr: 1, tail })}`;
    try {
      const res = await exchange(this.endpoint, { method: 'GET', path, timeoutMs: Math.min(10_000, Math.max(1, this.options.deadline.remaining())) });
      return res.status === 200 ? demuxLogs(res.body) : '';
    } catch {
      return '';
    }
  }

  async inspectImage(ref: string): Promise<ImageInspect | undefined> {
    const res = await this.call<ImageInspect>({ method: 'GET', path: `/images/${encodeURIComponent(ref)}/json`, allow: [404], what: `look up image ${ref}` });
    return res.status === 404 ? undefined : res.body;
  }

  async listImages(labels: string[]): Promise<ImageSummary[]> {
    const res = await this.call<ImageSummary[]>({ method: 'GET', path: '/images/json', query: { filters: JSON.stringify({ label: labels }) }, what: 'list images' });
    return res.body ?? [];
  }

  async tagImage(id: string, repo: string, tag: string): Promise<void> {
    await this.call({ method: 'POST', path: `/images/${encodeURIComponent(id)}/tag`, query: { repo, tag }, idempotent: true, what: `tag image ${repo}:${tag}` });
  }

  /** Removes one reference; the image itself goes with its last tag. 409 when a container still uses it. */
  async removeImage(ref: string): Promise<'removed' | 'missing' | 'in-use'> {
    const res = await this.call({ method: 'DELETE', path: `/images/${encodeURIComponent(ref)}`, allow: [404, 409], idempotent: true, what: `remove image ${ref}` });
    return res.status === 404 ? 'missing' : res.status === 409 ? 'in-use' : 'removed';
  }

  /** Volumes with these labels. podman 4 matches any one of several label filters here (Docker: all). */
  async listVolumes(labels: string[]): Promise<VolumeSummary[]> {
    const res = await this.call<{ Volumes: VolumeSummary[] | null }>({ method: 'GET', path: '/volumes', query: { filters: JSON.stringify({ label: labels }) }, what: 'list volumes' });
    return res.body?.Volumes ?? [];
  }

  async removeVolume(name: string): Promise<boolean> {
    const res = await this.call({ method: 'DELETE', path: `/volumes/${encodeURIComponent(name)}`, allow: [404], idempotent: true, what: `remove volume ${name}` });
    return res.status !== 404;
  }
}
