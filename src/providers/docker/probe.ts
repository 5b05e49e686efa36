/**
 * One request through Caddy's listener with a service's Host header: the same path a visitor's
 * request takes, without needing DNS for the preview's host name.
 */
import http from 'node:http';
import https from 'node:https';
import type { Listener } from './caddy-routes.js';

export interface ProbeResult {
  /** HTTP status, or undefined when no answer came. */
  status?: number;
  /** What happened, for progress lines and timeout messages. */
  summary: string;
}

export function probe(listener: Listener, host: string, path: string, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const options: https.RequestOptions = {
      host: listener.host,
      port: listener.port,
      method: 'GET',
      path,
      headers: { host, 'user-agent': 'preview-kit', ...headers },
      agent: false,
      ...(listener.tls ? { servername: host, rejectUnauthorized: false } : {}),
    };
    const req = (listener.tls ? https : http).request(options, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, summary: `HTTP ${res.statusCode}` }));
      res.on('error', (error) => resolve({ summary: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: `no answer within ${Math.round(timeoutMs / 1000)}s` })));
    req.on('error', (error) => resolve({ summary: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

/** Answers that mean the service itself responded: not a Caddy 502/503/504 and not the catch-all 404. */
export function isServing(result: ProbeResult): boolean {
  return result.status !== undefined && result.status < 500 && result.status !== 404;
}
