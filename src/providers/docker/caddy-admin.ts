/**
 * Caddy's admin API over node:http. Caddy sends a config's Etag as an HTTP trailer, after the
 * body, which `fetch()` never exposes; writes carry it back in If-Match so two pipelines editing
 * the same routes cannot overwrite each other (the loser gets 412 and reads again).
 */
import { AuthError, ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, WAIT_BACKOFF, type Deadline } from '../../core/retry.js';
import { errorMessageOf, RequestStats } from '../http.js';
import { exchange, parseJsonBody, retryAfterOf, TransportError, type Endpoint } from './node-http.js';

/**
 * Caddy restarts its admin listener on every config load, which resets idle keep-alive
 * connections (and concurrent ones): one connection per request.
 */
export function endpointFromAdminUrl(adminUrl: string): Endpoint {
  // Caddy itself writes unix sockets as `unix//path`; accept `unix:///path` too.
  const unix = /^unix:\/\/(\/.+)$/.exec(adminUrl) ?? /^unix\/(\/.+)$/.exec(adminUrl);
  if (unix) return { socketPath: unix[1], hostHeader: 'localhost', display: adminUrl, agent: false };
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    throw new ConfigError(`invalid settings: --caddy-admin: "${adminUrl}" is not a URL`, { hint: 'e.g. http://localhost:2019' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`invalid settings: --caddy-admin: "${adminUrl}" must be http://, https:// or unix//`);
  }
  const tls = url.protocol === 'https:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (tls ? 443 : 80)),
    tls,
    agent: false,
    hostHeader: url.host,
    display: `${url.protocol}//${url.host}`,
  };
}

export interface CaddyRead<T> {
  status: number;
  body: T;
  /** `"<config path> <hash>"`, quotes included, ready for If-Match. */
  etag: string | undefined;
}

export interface CaddyAdminOptions {
  adminUrl: string;
  logger: Logger;
  deadline: Deadline;
  requestTimeoutMs?: number;
  backoffMs?: number;
}

export class CaddyAdmin {
  readonly stats = new RequestStats();
  readonly endpoint: Endpoint;

  constructor(private readonly options: CaddyAdminOptions) {
    this.endpoint = endpointFromAdminUrl(options.adminUrl);
  }

  get display(): string {
    return this.endpoint.display;
  }

  private async send(method: string, path: string, what: string, body?: unknown, ifMatch?: string): Promise<CaddyRead<unknown>> {
    this.options.deadline.check(what);
    const timeoutMs = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
    const headers: Record<string, string> = { accept: 'application/json' };
    let text: string | undefined;
    if (body !== undefined) {
      text = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    if (ifMatch) headers['if-match'] = ifMatch;
    this.stats.record(method);
    this.options.logger.debug(`caddy ${method} ${path}`);
    let res;
    try {
      res = await exchange(this.endpoint, { method, path, headers, ...(text !== undefined ? { body: text } : {}), timeoutMs });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      throw new ProviderError(`${what}: Caddy admin API unreachable at ${this.display}: ${error.message}`, {
        retryable: true,
        hint: 'start Caddy or set --caddy-admin / CADDY_ADMIN',
      });
    }
    const parsed = parseJsonBody(res.body);
    this.options.logger.debug(`caddy → ${res.status} ${method} ${path}`);
    const etag = res.trailers.etag ?? (res.headers.etag as string | undefined);
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: parsed, etag };
    if (res.status === 404 && method === 'GET') return { status: 404, body: parsed, etag };
    const said = errorMessageOf(parsed);
    const detail = `${res.status}${said ? ` ${said}` : ''}`;
    if (res.status === 412) throw new ConflictError(`${what}: Caddy's config changed meanwhile (${detail})`, { status: 412 });
    if (res.status === 401 || res.status === 403) {
      throw new AuthError(`${what}: Caddy admin API refused the request (${detail})`, {
        hint: "use the admin address Caddy listens on (e.g. http://localhost:2019), or allow this origin in Caddy's admin.origins",
      });
    }
    // 502-504 come from something in front of Caddy (a proxy, a restarting listener): the write may or
    // may not have landed, which the If-Match guard makes safe to find out by reading again. A 500
    // is Caddy refusing the config itself: final.
    const retryable = res.status >= 502 && res.status <= 504;
    const retryAfterSeconds = retryable ? retryAfterOf(res.headers) : undefined;
    throw new ProviderError(`${what}: Caddy admin API answered ${detail}`, { status: res.status, retryable, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  }

  /** Reads a config path; 404 comes back as a status, not an error. */
  async get<T>(path: string, what: string): Promise<CaddyRead<T>> {
    return retry(() => this.send('GET', path, what) as Promise<CaddyRead<T>>, {
      attempts: 4,
      deadline: this.options.deadline,
      ...WAIT_BACKOFF,
      ...(this.options.backoffMs !== undefined ? { initialMs: this.options.backoffMs } : {}),
      what,
    });
  }

  /**
   * One write. Not retried here: callers guard writes with If-Match, read again and decide, so a
   * write whose answer was lost is never applied twice.
   */
  async write(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, what: string, body: unknown, ifMatch: string | undefined): Promise<void> {
    await this.send(method, path, what, body, ifMatch);
  }
}
