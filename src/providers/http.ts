/**
 * A small JSON-over-HTTP client on `fetch` for the platforms' REST APIs: one place that maps
 * status codes to our error types, retries what is safe to retry, honours Retry-After, applies
 * the command's deadline, logs each request at debug level and counts requests for benchmarks.
 */
import { AuthError, ConfigError, ConflictError, ProviderError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { parseRetryAfter, retry, type Deadline } from '../core/retry.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface HttpRequest {
  method: Method;
  path: string;
  /** JSON-encoded unless a string or Uint8Array is given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses returned to the caller instead of thrown (typically 404). */
  allow?: number[];
  /**
   * Retry on 5xx/429/network errors. Defaults to true for GET/PUT/DELETE/HEAD (idempotent) and
   * false for POST/PATCH, whose retries callers must make safe themselves (look before creating again).
   */
  retry?: boolean;
  /** What this call does, for error messages: `list applications`. */
  what: string;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Returns the Authorization (or other) headers; called for each request. */
  authHeaders: () => Record<string, string>;
  logger: Logger;
  deadline: Deadline;
  /** Platform name for messages: `Clever Cloud API`. */
  label: string;
  /** Hint added to 401 errors (credentials refused), and to 403 errors unless `forbiddenHint` is given. */
  authHint: string;
  /** Hint added to 403 errors (credentials accepted, rights missing). */
  forbiddenHint?: string;
  /** Per-request timeout, ms. */
  requestTimeoutMs?: number;
  attempts?: number;
  /** Retry backoff base, ms (tests use small values). */
  backoffMs?: number;
  /** How to trust the server's certificate when the system's CAs are not enough. */
  tls?: HttpTlsOptions;
  /** Hint added to certificate errors: which settings make the server trusted. */
  tlsHint?: string;
}

export interface HttpTlsOptions {
  /** PEM certificate(s) trusted instead of the system's CAs. */
  ca?: string;
  /** Accept any certificate (no verification at all). */
  insecure?: boolean;
}

/** Counts of requests by method, for benchmarks and `--debug`. */
export class RequestStats {
  readonly byMethod: Record<string, number> = {};
  total = 0;
  record(method: string): void {
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    this.total++;
  }
  get mutating(): number {
    return this.total - (this.byMethod.GET ?? 0) - (this.byMethod.HEAD ?? 0);
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') || /^[[{"]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** The platform's own words from an error body, whatever its shape (JSON or an HTML error page). */
export function errorMessageOf(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const key of ['message', 'error', 'error_description', 'reason', 'details']) {
      if (typeof b[key] === 'string' && b[key]) return b[key] as string;
    }
    return undefined;
  }
  if (typeof body === 'string' && body.trim()) {
    const text = body
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text.length > 160 ? `${text.slice(0, 157)}...` : text || undefined;
  }
  return undefined;
}

/** Certificate verification errors (OpenSSL's names, as Node reports them): settings can fix these. */
const CERTIFICATE_ERRORS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  CERT_NOT_YET_VALID: 'TLS certificate not yet valid',
  CERT_UNTRUSTED: 'TLS certificate not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not verifiable (issuer unknown)',
  UNABLE_TO_GET_ISSUER_CERT: 'TLS certificate issuer unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer unknown',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

export interface NetworkFailure {
  why: string;
  retryable: boolean;
  /** `certificate`: the server's certificate was refused; `protocol`: no TLS spoken there. */
  tls?: 'certificate' | 'protocol';
}

/**
 * Why a request got no answer, in words, and whether asking again may help. Nothing listening
 * (ECONNREFUSED), a host name that does not resolve (ENOTFOUND), a refused certificate or a TLS
 * handshake with something that does not speak TLS is a wrong setting far more often than a blip:
 * retrying them only delays the error by seconds.
 */
export function networkFailure(error: unknown, timeoutMs: number): NetworkFailure {
  const e = error as Error & { cause?: Error & { code?: string } };
  if (e?.name === 'TimeoutError') return { why: `no answer within ${Math.round(timeoutMs / 1000)}s`, retryable: true };
  const code = e?.cause?.code;
  if (code && CERTIFICATE_ERRORS[code]) return { why: CERTIFICATE_ERRORS[code]!, retryable: false, tls: 'certificate' };
  // OpenSSL's handshake failures (ERR_SSL_WRONG_VERSION_NUMBER: plain HTTP on that port, alerts
  // from the server...) come back the same on every attempt.
  if (code?.startsWith('ERR_SSL_')) {
    const detail = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'TLS handshake failed (wrong version number: the server does not speak TLS there)' : `TLS handshake failed (${code})`;
    return { why: detail, retryable: false, tls: 'protocol' };
  }
  const final: Record<string, string> = {
    ECONNREFUSED: 'connection refused (nothing listens there)',
    ENOTFOUND: 'host name not found',
  };
  if (code && final[code]) return { why: final[code]!, retryable: false };
  const transient: Record<string, string> = { ECONNRESET: 'connection reset', ETIMEDOUT: 'connection timed out', EAI_AGAIN: 'DNS lookup failed (temporary)', UND_ERR_SOCKET: 'connection closed' };
  if (code) return { why: transient[code] ?? code, retryable: true };
  // undici puts the reason in the cause's message when it has no code.
  if (e?.cause?.message === 'bad port') return { why: 'port not allowed by fetch (bad port)', retryable: false };
  return { why: e?.cause?.message || e?.message || String(error), retryable: true };
}

/**
 * HTTP headers carry Latin-1 only: a token with a typographic quote or a non-breaking space pasted
 * in would make every request fail inside fetch, and look like a network error worth retrying.
 * It is a setting to fix: exit 2, before anything is sent. The value itself is never printed.
 */
export function assertSendable(headers: Record<string, string>, label: string, what: string): void {
  for (const [name, value] of Object.entries(headers)) {
    const bad = [...value].findIndex((ch) => ch.codePointAt(0)! > 0xff || ch === '\r' || ch === '\n');
    if (bad < 0) continue;
    const which = name.toLowerCase() === 'authorization' ? 'the credentials' : `the ${name} header`;
    throw new ConfigError(`${what}: ${which} for ${label} hold a character that cannot be sent in an HTTP header (character ${bad + 1} of the ${name} value)`, {
      hint: 'check the token or password for a pasted typographic quote, non-breaking space or line break',
    });
  }
}

export class HttpClient {
  readonly stats = new RequestStats();
  private dispatcher: Promise<unknown> | undefined;
  constructor(private readonly options: HttpClientOptions) {}

  /**
   * An undici Agent with the TLS settings, made on first use: fetch takes no TLS options of its
   * own, and loading undici only when they are set keeps it out of every other command's start.
   */
  private tlsDispatcher(): Promise<unknown> | undefined {
    const tls = this.options.tls;
    if (!tls?.ca && !tls?.insecure) return undefined;
    this.dispatcher ??= import('undici').then(
      ({ Agent }) => new Agent({ connect: { ...(tls.ca ? { ca: tls.ca } : {}), rejectUnauthorized: !tls.insecure } }),
    );
    return this.dispatcher;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const idempotent = req.method !== 'POST' && req.method !== 'PATCH';
    const shouldRetry = req.retry ?? idempotent;
    return retry((attempt) => this.once<T>(req, attempt), {
      attempts: shouldRetry ? (this.options.attempts ?? 5) : 1,
      deadline: this.options.deadline,
      initialMs: this.options.backoffMs ?? 300,
      maxMs: 5_000,
      what: req.what,
      onRetry: (error, attempt, delay) =>
        this.options.logger.debug(`${req.what}: ${(error as Error).message}; attempt ${attempt + 1} in ${delay}ms`),
    });
  }

  private async once<T>(req: HttpRequest, attempt: number): Promise<HttpResponse<T>> {
    const url = new URL(req.path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.authHeaders(), ...req.headers };
    assertSendable(headers, this.options.label, req.what);
    let body: string | Uint8Array | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || req.body instanceof Uint8Array) body = req.body;
      else {
        body = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    this.options.deadline.check(req.what);
    const timeout = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
    this.stats.record(req.method);
    this.options.logger.debug(`${req.method} ${url.pathname}${url.search}${attempt ? ` (attempt ${attempt + 1})` : ''}`);
    const dispatcher = await this.tlsDispatcher();
    let res: Response;
    try {
      // `dispatcher` is undici's extension of RequestInit, which Node's fetch honours.
      const init = { method: req.method, headers, body, signal: AbortSignal.timeout(timeout), ...(dispatcher ? { dispatcher } : {}) };
      res = await fetch(url, init as RequestInit);
    } catch (error) {
      const failure = networkFailure(error, timeout);
      const hint =
        failure.tls === 'certificate'
          ? (this.options.tlsHint ?? 'the server certificate is not trusted: check the URL, or trust its CA')
          : failure.tls === 'protocol'
            ? 'check the URL scheme (http:// or https://) and port'
            : 'check the API URL and the network';
      const where = failure.tls ? `TLS with ${this.options.label} at ${url.origin} failed` : `${this.options.label} unreachable at ${url.origin}`;
      throw new ProviderError(`${req.what}: ${where}: ${failure.why}`, {
        retryable: failure.retryable,
        hint,
      });
    }
    const text = await res.text();
    const parsed = parseBody(text, res.headers.get('content-type'));
    this.options.logger.debug(`→ ${res.status} ${req.method} ${url.pathname}`);
    if (res.ok || req.allow?.includes(res.status)) {
      return { status: res.status, headers: res.headers, body: parsed as T };
    }
    const said = errorMessageOf(parsed);
    const detail = `${res.status}${said ? ` ${said}` : ''}`;
    if (res.status === 401) {
      throw new AuthError(`${req.what}: ${this.options.label} refused the credentials (${detail})`, { hint: this.options.authHint });
    }
    if (res.status === 403) {
      throw new AuthError(`${req.what}: permission denied by ${this.options.label} (${detail})`, { hint: this.options.forbiddenHint ?? this.options.authHint });
    }
    if (res.status === 409 || res.status === 412) {
      throw new ConflictError(`${req.what}: conflict (${detail})`, { status: res.status });
    }
    const retryable = res.status === 429 || res.status >= 500;
    throw new ProviderError(`${req.what}: ${this.options.label} answered ${detail}`, {
      status: res.status,
      retryable,
      retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')),
    });
  }

  async json<T>(req: HttpRequest): Promise<T> {
    return (await this.request<T>(req)).body;
  }
}
