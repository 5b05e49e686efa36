/**
 * A small client for the Kubernetes REST API on node:http(s) — node's fetch cannot present a client
 * certificate or trust a private CA per request. It maps the API's `Status` answers to our error
 * types, retries what is safe to retry, applies the command's deadline and counts requests. The
 * credential is asked for before each request (an exec plugin's may change); after a 401 the
 * source may renew it once and the request is sent once more.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AuthError, ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { retry, type Deadline } from '../../core/retry.js';
import { RequestStats } from '../http.js';
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

/** The API's error object. */
export interface KubeStatus {
  kind: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> };
}

export function isStatus(body: unknown): body is KubeStatus {
  return !!body && typeof body === 'object' && (body as { kind?: unknown }).kind === 'Status';
}

/** A 403: the account lacks RBAC rights for this call. */
export class ForbiddenError extends AuthError {}

/** A 401, with the credential the API refused (to renew it once). */
export class UnauthorizedError extends AuthError {
  credential?: Credential;
}

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

  private async once<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    const credential = await this.options.credentials.get();
    const url = new URL(this.base.toString());
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${req.path}`;
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'preview-kit' };
    const c = this.options.connection;
    if (credential.token) headers.authorization = `Bearer ${credential.token}`;
    else if (credential.basic) headers.authorization = `Basic ${Buffer.from(`${credential.basic.username}:${credential.basic.password}`).toString('base64')}`;
    let body: Buffer | undefined;
    if (req.body !== undefined) {
      body = Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(body.length);
    }
    this.options.deadline.check(req.what);
    const timeout = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
    this.stats.record(req.method);
    this.options.logger.debug(`${req.method} ${url.pathname}${url.search}`);
    const send = this.https ? httpsRequest : httpRequest;
    const agent = this.agentFor(credential);
    return new Promise<KubeResponse<T>>((resolvePromise, reject) => {
      const unreachable = (why: string) =>
        new ProviderError(`${req.what}: Kubernetes API unreachable at ${url.origin}: ${why}`, {
          retryable: true,
          hint: `check the server in ${c.source} and the network`,
        });
      const r = send(url, { method: req.method, headers, agent, timeout }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(unreachable(error.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          this.options.logger.debug(`→ ${status} ${req.method} ${url.pathname}`);
          let parsed: unknown = text;
          if (text && /^\s*[[{]/.test(text)) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text;
            }
          }
          if ((status >= 200 && status < 300) || req.allow?.includes(status)) {
            resolvePromise({ status, body: parsed as T });
            return;
          }
          const error = this.errorFor(req, status, parsed, res.headers['retry-after']);
          if (error instanceof UnauthorizedError) error.credential = credential;
          reject(error);
        });
      });
      r.on('timeout', () => r.destroy(new Error(`no answer within ${Math.round(timeout / 1000)}s`)));
      r.on('error', (error: NodeJS.ErrnoException) => reject(unreachable(error.code ?? error.message)));
      r.end(body);
    });
  }

  private errorFor(req: KubeRequest, status: number, body: unknown, retryAfter: string | string[] | undefined): Error {
    const c = this.options.connection;
    const said = isStatus(body) ? body.message || body.reason : typeof body === 'string' ? body.trim().slice(0, 200) : undefined;
    const detail = `${status}${said ? ` ${said}` : ''}`;
    if (status === 401) {
      return new UnauthorizedError(`${req.what}: the Kubernetes API refused the credentials (${detail})`, {
        hint: c.exec ? `the credential of exec plugin ${c.exec.commandText} (${c.source}) was refused: check the plugin's login and the cluster's access entries` : `check the token or client certificate from ${c.source}`,
      });
    }
    if (status === 403) {
      return new ForbiddenError(`${req.what}: forbidden by the Kubernetes API (${detail})`, {
        hint: 'grant the account RBAC rights on this resource in this namespace',
      });
    }
    // Writing into a namespace that does not exist: the API names the namespace, not the object.
    if (status === 404 && isStatus(body) && body.reason === 'NotFound' && body.details?.kind === 'namespaces') {
      const ns = body.details.name ?? '';
      return new ConfigError(`${req.what}: namespace "${ns}" does not exist`, {
        hint: `create it with \`kubectl create namespace ${ns}\`, choose another with --namespace / K8S_NAMESPACE, or use --namespace-per-preview`,
      });
    }
    if (status === 409) return new ConflictError(`${req.what}: conflict (${detail})`, { status });
    if (status === 422 || status === 400) {
      const causes = isStatus(body) ? (body.details?.causes ?? []).map((cause) => `${cause.field ?? ''} ${cause.message ?? ''}`.trim()) : [];
      return new ProviderError(`${req.what}: the Kubernetes API rejected it (${detail})`, {
        status,
        hint: causes.length ? causes.join('; ') : 'check the rendered object or your manifests',
      });
    }
    const retryable = status === 429 || status >= 500;
    const after = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    return new ProviderError(`${req.what}: the Kubernetes API answered ${detail}`, {
      status,
      retryable,
      retryAfterSeconds: Number.isFinite(after) ? Math.min(after, 60) : undefined,
    });
  }
}
