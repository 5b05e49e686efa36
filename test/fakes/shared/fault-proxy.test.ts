/**
 * The fault proxy against small loopback upstreams (TCP and a unix socket): it forwards bodies,
 * statuses and trailers unchanged, refuses or loses writes as asked (reproducibly from a seed),
 * refuses credentials with Engine-API-shaped bodies, and counts what it received.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy.js';
import { closeServer, listen, readBody } from './http.js';

interface Seen {
  method: string;
  path: string;
  host: string | undefined;
  body: string;
}

/** An upstream that records what reaches it and answers with a trailer, as Caddy's admin API does. */
function upstream() {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const body = (await readBody(req)).toString('utf8');
    seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host, body });
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'no such thing' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', trailer: 'Etag' });
    res.write(JSON.stringify({ echo: body, path: req.url }));
    res.addTrailers({ Etag: '"/config/ 1234"' });
    res.end();
  });
  return { server, seen };
}

function request(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string; trailers: NodeJS.Dict<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, trailers: res.trailers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const tcp = upstream();
let tcpPort = 0;
const proxies: FaultProxy[] = [];

async function proxy(options: { hostHeader?: string } = {}): Promise<FaultProxy> {
  const p = await FaultProxy.start({ host: '127.0.0.1', port: tcpPort, ...options });
  proxies.push(p);
  return p;
}

beforeAll(async () => {
  tcpPort = (await listen(tcp.server, '127.0.0.1', 0)).port;
});

afterEach(() => {
  tcp.seen.length = 0;
});

afterAll(async () => {
  for (const p of proxies) await p.close();
  await closeServer(tcp.server);
});

describe('fault proxy: forwarding', () => {
  it('passes bodies, statuses and trailers through unchanged, and counts requests by method', async () => {
    const p = await proxy();
    const ok = await request(p.port, 'POST', '/networks/create', '{"Name":"n1"}');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ echo: '{"Name":"n1"}', path: '/networks/create' });
    expect(ok.trailers.etag).toBe('"/config/ 1234"');
    expect((await request(p.port, 'GET', '/missing')).status).toBe(404);
    expect(tcp.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /networks/create', 'GET /missing']);
    expect(p.stats()).toMatchObject({ byMethod: { POST: 1, GET: 1 }, total: 2, mutating: 1 });
    expect(p.requests[0]!.json).toEqual({ Name: 'n1' });
    p.resetCounts();
    expect(p.stats().total).toBe(0);
  });

  it("sends the upstream's own Host header when asked (Caddy's admin API refuses others)", async () => {
    const p = await proxy({ hostHeader: `127.0.0.1:${tcpPort}` });
    await request(p.port, 'GET', '/config/');
    expect(tcp.seen[0]!.host).toBe(`127.0.0.1:${tcpPort}`);
  });

  it('forwards to a unix socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-fault-proxy-'));
    const unix = upstream();
    await new Promise<void>((resolve) => unix.server.listen(join(dir, 'api.sock'), resolve));
    const p = await FaultProxy.start({ socketPath: join(dir, 'api.sock') });
    try {
      const res = await request(p.port, 'DELETE', '/containers/abc?force=1');
      expect(res.status).toBe(200);
      expect(unix.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['DELETE /containers/abc?force=1']);
    } finally {
      await p.close();
      await closeServer(unix.server);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('fault proxy: faults', () => {
  it('refused writes are answered 503 and never reach the upstream; reads are never faulted', async () => {
    const p = await proxy();
    p.faultWrites(1, 7, ['refuse']);
    const res = await request(p.port, 'POST', '/containers/create?name=x', '{}');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ message: expect.stringMatching(/service unavailable/) });
    expect((await request(p.port, 'GET', '/containers/json')).status).toBe(200);
    expect(tcp.seen.map((s) => s.method)).toEqual(['GET']);
    expect(p.stats().faults).toEqual({ refuse: 1, apply: 0, drop: 0 });
  });

  it('applied writes reach the upstream and are then answered 502', async () => {
    const p = await proxy();
    p.faultWrites(1, 7, ['apply']);
    const res = await request(p.port, 'PUT', '/config/apps/http/servers/a/routes/0', '{"@id":"r"}');
    expect(res.status).toBe(502);
    expect(tcp.seen.map((s) => `${s.method} ${s.body}`)).toEqual(['PUT {"@id":"r"}']);
  });

  it('a dropped answer cuts the connection after the upstream applied the write', async () => {
    const p = await proxy();
    p.faultWrites(1, 7, ['drop']);
    await expect(request(p.port, 'DELETE', '/networks/n1')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(tcp.seen.map((s) => s.method)).toEqual(['DELETE']);
  });

  it('faults a share of writes near the rate, the same ones for the same seed, and none at rate 0', async () => {
    const outcomes = async (seed: number) => {
      const p = await proxy();
      p.faultWrites(0.2, seed);
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) statuses.push((await request(p.port, 'POST', `/w/${i}`, '{}')).status);
      return { statuses, stats: p.stats() };
    };
    const a = await outcomes(42);
    const b = await outcomes(42);
    expect(b.statuses).toEqual(a.statuses);
    const faulted = a.statuses.filter((s) => s !== 200).length;
    expect(faulted).toBeGreaterThan(8);
    expect(faulted).toBeLessThan(35);
    expect(a.stats.faults.refuse).toBeGreaterThan(0);
    expect(a.stats.faults.apply).toBeGreaterThan(0);
    const p = await proxy();
    p.faultWrites(0, 42);
    for (let i = 0; i < 20; i++) expect((await request(p.port, 'POST', '/w', '{}')).status).toBe(200);
  });
});

describe('fault proxy: credentials', () => {
  it.each([
    ['unauthorized', 401, /unauthorized/],
    ['forbidden', 403, /authorization denied by plugin/],
  ] as const)('%s: every request is answered %i with an Engine API error body, nothing is forwarded', async (mode, status, message) => {
    const p = await proxy();
    p.credentials(mode);
    for (const method of ['GET', 'POST']) {
      const res = await request(p.port, method, '/containers/json', method === 'POST' ? '{}' : undefined);
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toEqual({ message: expect.stringMatching(message) });
    }
    expect(tcp.seen).toEqual([]);
    p.credentials('ok');
    expect((await request(p.port, 'GET', '/containers/json')).status).toBe(200);
  });
});
