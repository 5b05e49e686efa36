/**
 * One HTTP exchange over node:http, for the two APIs `fetch` cannot serve: the Docker Engine API
 * (unix sockets, `ssh` stdio tunnels) and Caddy's admin API (its Etag arrives as a trailer).
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { parseRetryAfter } from '../../core/retry.js';

/** Where requests go: a unix socket, a TCP host, or a custom agent (the ssh tunnel). */
export interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: boolean;
  /** A custom agent (the ssh tunnel), or false for a fresh connection per request. */
  agent?: http.Agent | false;
  /** Host header value; the admin API refuses non-loopback hosts, the engine ignores it. */
  hostHeader: string;
  /** How to name this endpoint in messages (never holds credentials). */
  display: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  timeoutMs: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: Buffer;
}

/** A network-level failure (refused, reset, timeout), as opposed to an HTTP answer. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** ECONNREFUSED and friends say enough; an ssh tunnel's failure says it in words. */
function transportCode(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ESSH') return e.message;
  return e.code ?? e.message ?? 'error';
}

/** Starts a request; resolves with the response head so callers can stream the body. */
export function openRequest(endpoint: Endpoint, req: RawRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: endpoint.hostHeader, ...req.headers };
    if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) headers['content-length'] = String(Buffer.byteLength(req.body));
    const options: http.RequestOptions = {
      method: req.method,
      path: req.path,
      headers,
      ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port }),
      ...(endpoint.agent !== undefined ? { agent: endpoint.agent } : {}),
    };
    const request = (endpoint.tls ? https : http).request(options, (res) => {
      request.setTimeout(0);
      resolve(res);
    });
    request.setTimeout(req.timeoutMs, () => {
      request.destroy(new TransportError(`no answer within ${Math.round(req.timeoutMs / 1000)}s`, 'ETIMEDOUT'));
    });
    request.on('error', (error) => {
      reject(error instanceof TransportError ? error : new TransportError(transportCode(error), (error as NodeJS.ErrnoException).code ?? 'error'));
    });
    const body = req.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      request.end(body);
    } else {
      body.on('error', (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

/** Reads the whole body and the trailers that follow it. */
export function readResponse(res: http.IncomingMessage, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => res.destroy(new TransportError(`body not received within ${Math.round(timeoutMs / 1000)}s`, 'ETIMEDOUT')), timeoutMs);
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof TransportError ? error : new TransportError(transportCode(error), (error as NodeJS.ErrnoException).code ?? 'error'));
    });
    res.on('end', () => {
      clearTimeout(timer);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks) });
    });
  });
}

export async function exchange(endpoint: Endpoint, req: RawRequest): Promise<RawResponse> {
  const started = Date.now();
  const res = await openRequest(endpoint, req);
  return readResponse(res, Math.max(1, req.timeoutMs - (Date.now() - started)));
}

export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A `Retry-After` answer (seconds or an HTTP date), capped at a minute: what a proxy in front of
 * the engine or of Caddy asks a client to wait before trying again.
 */
export function retryAfterOf(headers: http.IncomingHttpHeaders, now = Date.now()): number | undefined {
  const value = headers['retry-after'];
  return parseRetryAfter(typeof value === 'string' ? value : undefined, now);
}
