/**
 * A small client for the Kubernetes REST API on node:http(s) — node's fetch cannot present a client
 * certificate or trust a private CA per request. It maps the API's `Status` answers to our error
 * types, retries what is safe to retry, applies the command's deadline and counts requests. The
 * credential is asked for before each request (an exec plugin's may change); after a 401 the
 * source may renew it once and the request is sent once more.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, type Deadline } from '../../core/retry.js';
import { RequestStats } from '../http.js';
import { errorFor, isStatus, UnauthorizedError } from './api-errors.js';
import type { Credential, CredentialSource } from './credentials.js';
import type { ClusterConnection } from './kubeconfig.js';
import { FIELD_MANAGER } from './labels.js';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  method: KubeMethod;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** What this call does, for messages: `apply Deployment x`. */
  what: string;
  /** Statuses handed back instead of thrown. */
  allow?: number[];
  /** Defaults to true: every call we make is idempotent (reads, server-side apply, deletes). */
  retry?: boolean;
}

export interface KubeResponse<T> {
  status: number;
  body: T;
}

export { ForbiddenError, isStatus, UnauthorizedError, type KubeStatus } from './api-errors.js';

export interface KubeClientOptions {
  connection: ClusterConnection;
  credentials: CredentialSource;
  logger: Logger;
  deadline: Deadline;
  requestTimeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
}

interface KubeList<T> {
  items?: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

export class KubeClient {
  readonly stats = new RequestStats();
  private agent: HttpAgent | HttpsAgent | undefined;
  /** The client certificate the pooled TLS connections present. */
  private agentCert: Buffer | undefined;
  private readonly https: boolean;
  private readonly base: URL;

  constructor(private readonly options: KubeClientOptions) {
    this.base = new URL(options.connection.server);
    this.https = this.base.protocol === 'https:';
  }

  get server(): string {
    return this.options.connection.server;
  }

  /** Releases pooled connections (the CLI exits anyway; tests and library callers want this). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** A new client certificate needs new TLS connections (client-go closes the old ones too). */
  private agentFor(credential: Credential): HttpAgent | HttpsAgent {
    if (this.agent && (!this.https || this.agentCert === credential.cert)) return this.agent;
    this.agent?.destroy();
    const c = this.options.connection;
    this.agentCert = credential.cert;
    this.agent = this.https
      ? new HttpsAgent({
          keepAlive: true,
          ca: c.ca,
          cert: credential.cert,
          key: credential.key,
          rejectUnauthorized: !c.insecureSkipTlsVerify,
          servername: c.tlsServerName,
        })
      : new HttpAgent({ keepAlive: true });
    return this.agent;
  }

  async request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    try {
      return await this.attempts<T>(req);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !error.credential) throw error;
      if (!(await this.options.credentials.renew(error.credential))) throw error;
      return this.attempts<T>(req);
    }
  }

  private attempts<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    // A refused or dropped request is an API server under load or restarting: retried from 300 ms
    // (a `Retry-After` it sends wins). Not a wait on a fact: those are polls and watches.
    return retry(() => this.once<T>(req), {
      attempts: req.retry === false ? 1 : (this.options.attempts ?? 5),
      deadline: this.options.deadline,
      initialMs: this.options.backoffMs ?? 300,
      maxMs: 5_000,
      what: req.what,
      onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${(error as Error).message}; attempt ${attempt + 1} in ${delay}ms`),
    });
  }

  /** The object, or undefined when the API says it does not exist (404 with a NotFound Status). */
  async get<T>(path: string, what: string): Promise<T | undefined> {
    const res = await this.request<unknown>({ method: 'GET', path, what, allow: [404] });
    if (res.status === 404) return this.absent(res.body, what);
    return res.body as T;
  }

  /** All items of a collection matching the selector, following `continue` tokens. */
  async list<T>(path: string, what: string, labelSelector?: string): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const res = await this.request<KubeList<T>>({ method: 'GET', path, what, query: { labelSelector, limit: '500', continue: token } });
      items.push(...(res.body.items ?? []));
      token = res.body.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  /** Server-side apply as our field manager. */
  async apply<T>(path: string, object: unknown, what: string, force: boolean): Promise<T> {
    const res = await this.request<T>({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER, force: force ? 'true' : undefined },
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
      what,
    });
    return res.body;
  }

  /** Replaces the object (PUT), guarded by the resourceVersion inside it. */
  async replace<T>(path: string, object: unknown, what: string): Promise<T> {
    const res = await this.request<T>({ method: 'PUT', path, query: { fieldManager: FIELD_MANAGER }, body: JSON.stringify(object), contentType: 'application/json', what, retry: false });
    return res.body;
  }

  async mergePatch<T>(path: string, patch: unknown, what: string): Promise<T> {
    const res = await this.request<T>({
      method: 'PATCH',
      path,
      query: { fieldManager: FIELD_MANAGER },
      body: JSON.stringify(patch),
      contentType: 'application/merge-patch+json',
      what,
    });
    return res.body;
  }

  /** Deletes with the given propagation; false when it was already gone. */
  async delete(path: string, what: string, propagationPolicy: 'Foreground' | 'Background' = 'Foreground'): Promise<boolean> {
    const res = await this.request<unknown>({
      method: 'DELETE',
      path,
      body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy }),
      contentType: 'application/json',
      what,
      allow: [404],
    });
    if (res.status === 404) {
      this.absent(res.body, what);
      return false;
    }
    return true;
  }

  /** A 404 is "absent" only when the API said NotFound; a bare 404 means the path is not served. */
  private absent(body: unknown, what: string): undefined {
    if (isStatus(body) && body.reason === 'NotFound') return undefined;
    throw new ProviderError(`${what}: the API server at ${this.server} does not serve this path (404)`, {
      status: 404,
      hint: 'check the server URL and that the API group is installed',
    });
  }

  /** URL, headers and body of a request, with the credential of this moment. */
  private async prepare(req: KubeRequest): Promise<{ url: URL; headers: Record<string, string>; body?: Buffer; credential: Credential }> {
    const credential = await this.options.credentials.get();
    const url = new URL(this.base.toString());
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${req.path}`;
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'preview-kit' };
    if (credential.token) headers.authorization = `Bearer ${credential.token}`;
    else if (credential.basic) headers.authorization = `Basic ${Buffer.from(`${credential.basic.username}:${credential.basic.password}`).toString('base64')}`;
    let body: Buffer | undefined;
    if (req.body !== undefined) {
      body = Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(body.length);
    }
    this.options.deadline.check(req.what);
    this.stats.record(req.method);
    this.options.logger.debug(`${req.method} ${url.pathname}${url.search}`);
    return { url, headers, body, credential };
  }

  private unreachable(req: KubeRequest, url: URL, why: string): ProviderError {
    return new ProviderError(`${req.what}: Kubernetes API unreachable at ${url.origin}: ${why}`, {
      retryable: true,
      hint: `check the server in ${this.options.connection.source} and the network`,
    });
  }

  /**
   * A GET whose answer is a stream of lines (a watch): resolves with the open response once the
   * headers arrive, or rejects with the API's error. `idleMs`: a connection silent that long is
   * closed (a dead connection must not hold a wait until its deadline). Not retried: the caller
   * decides what a failed or ended stream means.
   */
  async stream(req: KubeRequest, idleMs: number): Promise<IncomingMessage> {
    try {
      return await this.streamOnce(req, idleMs);
    } catch (error) {
      if (!(error instanceof UnauthorizedError) || !error.credential) throw error;
      if (!(await this.options.credentials.renew(error.credential))) throw error;
      return this.streamOnce(req, idleMs);
    }
  }

  private async streamOnce(req: KubeRequest, idleMs: number): Promise<IncomingMessage> {
    const { url, headers, credential } = await this.prepare(req);
    const send = this.https ? httpsRequest : httpRequest;
    return new Promise<IncomingMessage>((resolvePromise, reject) => {
      const r = send(url, { method: 'GET', headers, agent: this.agentFor(credential), timeout: idleMs }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolvePromise(res);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(this.unreachable(req, url, error.message)));
        res.on('end', () => {
          const error = errorFor(this.options.connection, req, status, parseBody(Buffer.concat(chunks).toString('utf8')), res.headers['retry-after']);
          if (error instanceof UnauthorizedError) error.credential = credential;
          reject(error);
        });
      });
      r.on('timeout', () => r.destroy(new Error(`no data within ${Math.round(idleMs / 1000)}s`)));
      r.on('error', (error: NodeJS.ErrnoException) => reject(this.unreachable(req, url, error.code ?? error.message)));
      r.end();
    });
  }

  private async once<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    const { url, headers, body, credential } = await this.prepare(req);
    const timeout = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
    const send = this.https ? httpsRequest : httpRequest;
    const agent = this.agentFor(credential);
    return new Promise<KubeResponse<T>>((resolvePromise, reject) => {
      const unreachable = (why: string) => this.unreachable(req, url, why);
      const r = send(url, { method: req.method, headers, agent, timeout }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(unreachable(error.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          this.options.logger.debug(`→ ${status} ${req.method} ${url.pathname}`);
          const parsed = parseBody(text);
          if ((status >= 200 && status < 300) || req.allow?.includes(status)) {
            resolvePromise({ status, body: parsed as T });
            return;
          }
          const error = errorFor(this.options.connection, req, status, parsed, res.headers['retry-after']);
          if (error instanceof UnauthorizedError) error.credential = credential;
          reject(error);
        });
      });
      r.on('timeout', () => r.destroy(new Error(`no answer within ${Math.round(timeout / 1000)}s`)));
      r.on('error', (error: NodeJS.ErrnoException) => reject(unreachable(error.code ?? error.message)));
      r.end(body);
    });
  }
}

/** A JSON answer parsed, anything else as the text it is. */
function parseBody(text: string): unknown {
  if (!text || !/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
