/**
 * A misbehaving HTTP proxy on 127.0.0.1 in front of a real API (a unix socket or a TCP port): the
 * Docker Engine API of podman, Caddy's admin API. It forwards everything as is — streamed bodies
 * both ways, trailers included (Caddy sends its config Etag as a trailer) — except what a test
 * asks it to break:
 *
 * - `faultWrites(rate, seed, kinds?, appliedShare?)`: a seeded share of writes (POST/PUT/PATCH/DELETE)
 *   is answered 503 without being forwarded, or forwarded, applied, and then answered 502 (the
 *   answer got lost) — half each, or `appliedShare` of them applied;
 * - `credentials('unauthorized' | 'forbidden')`: every request is answered 401 or 403, with a body
 *   shaped like the Engine API's errors (`{"message": …}`; a 403 as moby's authorization plugins
 *   word it, pkg/authorization/authz.go).
 *
 * It counts the requests it receives, by method (reads included), so a test can tell how many
 * requests and writes a run made.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen, readBody } from './http.js';
import { seededRandom, type Random } from './prng.js';

export interface ProxyUpstream {
  /** A unix socket (podman's Engine API). */
  socketPath?: string;
  host?: string;
  port?: number;
  /**
   * Host header sent upstream. Caddy's admin API refuses a Host that is not its own loopback
   * address (403), so in front of it the proxy must send the upstream's address, not its own.
   */
  hostHeader?: string;
}

/** `refuse`: 503, not forwarded. `apply`: forwarded, then 502. `drop`: forwarded, then the connection is cut. */
export type WriteFault = 'refuse' | 'apply' | 'drop';

export type CredentialsMode = 'ok' | 'unauthorized' | 'forbidden';

export interface ProxyCounts {
  byMethod: Record<string, number>;
  total: number;
  /** POST, PUT, PATCH and DELETE received (faulted ones included). */
  mutating: number;
  /** Writes answered with a fault, by kind. */
  faults: Record<WriteFault, number>;
}

export interface ProxyRequest {
  method: string;
  path: string;
  fault?: WriteFault;
  /** The request body when it is JSON (what a test may want to read back: names, labels). */
  json?: unknown;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

function forwardHeaders(headers: IncomingHttpHeaders, hostHeader: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  if (hostHeader) out.host = hostHeader;
  return out;
}

function answer(res: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export class FaultProxy {
  private random: Random = seededRandom(1);
  private rate = 0;
  private kinds: WriteFault[] = ['refuse', 'apply'];
  private appliedShare: number | undefined;
  private mode: CredentialsMode = 'ok';
  private counts: ProxyCounts = FaultProxy.emptyCounts();
  /** Every request received, oldest first (bodies of JSON writes kept). */
  readonly requests: ProxyRequest[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly upstream: ProxyUpstream,
    readonly port: number,
  ) {}

  static async start(upstream: ProxyUpstream): Promise<FaultProxy> {
    if (!upstream.socketPath && !(upstream.host && upstream.port)) throw new Error('fault proxy: give an upstream socket path or host and port');
    let proxy: FaultProxy | undefined;
    const server = http.createServer((req, res) => {
      proxy!.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) answer(res, 502, `fault proxy: ${(error as Error).message}`);
        else res.destroy();
      });
    });
    const address: AddressInfo = await listen(server, '127.0.0.1', 0);
    proxy = new FaultProxy(server, upstream, address.port);
    return proxy;
  }

  private static emptyCounts(): ProxyCounts {
    return { byMethod: {}, total: 0, mutating: 0, faults: { refuse: 0, apply: 0, drop: 0 } };
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The same, as `DOCKER_HOST` takes it. */
  get dockerHost(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /**
   * From now on `rate` of the writes fail, each with one of `kinds` (seeded: the same requests get
   * the same faults) — or, with `appliedShare`, that share of them applied then answered 502 and
   * the rest refused with 503.
   */
  faultWrites(rate: number, seed: number, kinds: WriteFault[] = ['refuse', 'apply'], appliedShare?: number): void {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${rate}`);
    if (kinds.length === 0) throw new Error('give at least one kind of fault');
    if (appliedShare !== undefined && !(appliedShare >= 0 && appliedShare <= 1)) throw new Error(`applied share must be within [0, 1], got ${appliedShare}`);
    this.rate = rate;
    this.kinds = kinds;
    this.appliedShare = appliedShare;
    this.random = seededRandom(seed);
  }

  credentials(mode: CredentialsMode): void {
    this.mode = mode;
  }

  stats(): ProxyCounts {
    return { ...this.counts, byMethod: { ...this.counts.byMethod }, faults: { ...this.counts.faults } };
  }

  resetCounts(): void {
    this.counts = FaultProxy.emptyCounts();
    this.requests.length = 0;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Two draws per write, whatever the outcome, so a seed gives the same faults for the same writes. */
  private decide(method: string): WriteFault | undefined {
    if (!WRITES.has(method) || this.rate === 0) return undefined;
    const hit = this.random();
    const pick = this.random();
    if (hit >= this.rate) return undefined;
    if (this.appliedShare !== undefined) return pick < this.appliedShare ? 'apply' : 'refuse';
    return this.kinds[Math.min(this.kinds.length - 1, Math.floor(pick * this.kinds.length))];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    this.counts.byMethod[method] = (this.counts.byMethod[method] ?? 0) + 1;
    this.counts.total++;
    if (WRITES.has(method)) this.counts.mutating++;
    const entry: ProxyRequest = { method, path: req.url ?? '/' };
    this.requests.push(entry);

    if (this.mode !== 'ok') {
      await readBody(req).catch(() => undefined);
      if (this.mode === 'unauthorized') answer(res, 401, 'unauthorized: authentication required');
      else answer(res, 403, 'authorization denied by plugin policy: this request is not allowed');
      return;
    }
    const fault = this.decide(method);
    if (fault) {
      entry.fault = fault;
      this.counts.faults[fault]++;
    }
    if (fault === 'refuse') {
      // The whole body first: a client still sending a build context would see a reset instead.
      await readBody(req, Number.POSITIVE_INFINITY).catch(() => undefined);
      answer(res, 503, 'fault proxy: service unavailable (not forwarded)');
      return;
    }
    await this.forward(req, res, entry, fault);
  }

  private forward(req: IncomingMessage, res: ServerResponse, entry: ProxyRequest, fault: WriteFault | undefined): Promise<void> {
    const { socketPath, host, port, hostHeader } = this.upstream;
    const json = /json/.test(req.headers['content-type'] ?? '');
    return new Promise((resolve, reject) => {
      const upstreamReq = http.request(
        {
          ...(socketPath ? { socketPath } : { host, port }),
          method: req.method,
          path: req.url,
          headers: forwardHeaders(req.headers, hostHeader),
          agent: false,
        },
        (upstreamRes) => {
          if (fault) {
            // Applied upstream; the client never hears how it went.
            upstreamRes.resume();
            upstreamRes.on('end', () => {
              if (fault === 'drop') res.socket?.destroy();
              else answer(res, 502, 'fault proxy: bad gateway (the request was forwarded, its answer lost)');
              resolve();
            });
            upstreamRes.on('error', reject);
            return;
          }
          res.writeHead(upstreamRes.statusCode ?? 502, forwardHeaders(upstreamRes.headers, undefined));
          upstreamRes.on('data', (chunk: Buffer) => res.write(chunk));
          upstreamRes.on('end', () => {
            if (Object.keys(upstreamRes.trailers).length) res.addTrailers(upstreamRes.trailers as Record<string, string>);
            res.end();
            resolve();
          });
          upstreamRes.on('error', (error) => {
            res.destroy(error);
            resolve();
          });
        },
      );
      upstreamReq.on('error', reject);
      if (json) {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          try {
            if (body.length) entry.json = JSON.parse(body.toString('utf8'));
          } catch {
            // not JSON after all: forwarded as is
          }
          upstreamReq.end(body);
        });
      } else {
        req.pipe(upstreamReq);
      }
      // A client that goes away (an interrupted run) takes its upstream request with it.
      res.on('close', () => {
        if (!res.writableFinished) upstreamReq.destroy();
      });
    });
  }
}
