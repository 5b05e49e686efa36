/**
 * What --debug shows of Engine requests: build argument values (where registry tokens go) stay
 * out of it, their names stay in, and the engine still receives the real values.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlainLogger } from '../../../src/core/logger.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { DockerEngine, loggedPath } from '../../../src/providers/docker/engine.js';

let server: http.Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  // Answers POST /build the way the Engine does: 200 and newline-delimited JSON.
  server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ stream: 'STEP 1/1: FROM scratch\n' })}\n${JSON.stringify({ aux: { ID: 'sha256:abc' } })}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('--debug lines of Engine requests', () => {
  it('leave build argument values out, keep their names, and still send the values', async () => {
    const lines: string[] = [];
    const logger = new PlainLogger({ redactor: new Redactor(), sink: { write: (t) => void lines.push(t) }, debug: true });
    const engine = new DockerEngine({ dockerHost: `tcp://127.0.0.1:${port}`, logger, deadline: new Deadline(10_000) });
    const buildargs = JSON.stringify({ COMMIT: 'abc123', NPM_TOKEN: 'npm_s3cr3tvalue' });
    await engine.stream(
      { method: 'POST', path: '/build', query: { t: 'localhost/shop:abc', buildargs }, body: Readable.from([Buffer.from('')]), what: 'build localhost/shop:abc' },
      () => undefined,
    );
    const shown = lines.join('');
    expect(shown).toContain('docker POST /v1.41/build');
    expect(shown).not.toContain('npm_s3cr3tvalue');
    expect(decodeURIComponent(shown)).toContain('"NPM_TOKEN":"***"');
    expect(decodeURIComponent(received[0]!)).toContain('"NPM_TOKEN":"npm_s3cr3tvalue"');
  });

  it('show other queries as sent', () => {
    expect(loggedPath('/containers/json', { all: 1 })).toBe('/v1.41/containers/json?all=1');
    expect(decodeURIComponent(loggedPath('/build', { t: 'x', buildargs: '{"A":"1"}' }))).toBe('/v1.41/build?t=x&buildargs={"A":"***"}');
  });
});
