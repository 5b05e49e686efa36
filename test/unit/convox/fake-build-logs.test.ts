/**
 * The fake rack's build log websocket (test/fakes/convox/log-socket.ts) answers as the racks do:
 * upgraded first and authenticated after, output as text messages, errors as `ERROR: …` text, the
 * end as an empty binary message sent once the build's status is saved; a v2 build still `created`
 * ends at once.
 */
import { gzipSync } from 'node:zlib';
import { WebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTar } from '../../../src/providers/convox/tar.js';
import { startFakeRack, type FakeRack, type Generation } from '../../fakes/convox/server.js';

let rack: FakeRack;
afterEach(() => rack?.close());

const auth = (password = rack.password) => `Basic ${Buffer.from(`convox:${password}`).toString('base64')}`;

async function call(path: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${rack.url}${path}`, { ...init, headers: { authorization: auth(), accept: 'application/json', ...(init.headers as Record<string, string>) } });
  return (await res.json()) as Record<string, unknown>;
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** A running app and a build of a valid tarball; answers the build id. */
async function startBuild(): Promise<string> {
  await call('/apps', form({ name: 'demo' }));
  for (let i = 0; i < 400 && (await call('/apps/demo')).status !== 'running'; i++) await new Promise((r) => setTimeout(r, 5));
  const tgz = gzipSync(writeTar([{ type: 'file', path: 'convox.yml', data: Buffer.from('services:\n  web:\n    port: 3000\n'), mode: 0o644 }], 0));
  await fetch(`${rack.url}/apps/demo/objects/tmp/src.tgz`, { method: 'POST', body: tgz, headers: { authorization: auth(), 'content-type': 'application/octet-stream' } });
  return String((await call('/apps/demo/builds', form({ url: 'object://demo/tmp/src.tgz' }))).id);
}

interface Streamed {
  text: string;
  /** Whether the stream ended with the empty binary message. */
  eof: boolean;
  /** The build as `GET` answered it at the moment the end arrived. */
  statusAtEnd?: string;
}

function follow(app: string, id: string, password?: string, atEnd?: () => Promise<string>): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${rack.url.replace('http', 'ws')}/apps/${app}/builds/${id}/logs`, { headers: { authorization: auth(password) } });
    ws.binaryType = 'arraybuffer';
    const out: Streamed = { text: '', eof: false };
    ws.addEventListener('message', (event) => {
      if (typeof event.data === 'string') return void (out.text += event.data);
      out.eof = (event.data as ArrayBuffer).byteLength === 0;
      void (atEnd ? atEnd() : Promise.resolve(undefined)).then((status) => {
        if (status) out.statusAtEnd = status;
        ws.close();
        resolve(out);
      });
    });
    ws.addEventListener('error', () => reject(new Error('websocket failed')));
  });
}

describe.each(['2', '3'] as Generation[])('fake rack v%s: build log websocket', (generation) => {
  it('follows a running build until its process exits, after the build was saved complete', async () => {
    rack = await startFakeRack({ generation, delays: { create: 10, buildStart: 50, build: 300 } });
    const id = await startBuild();
    // v2 answers BuildCreate `created`: the CLI (and preview-kit) follow it once it runs.
    for (let i = 0; i < 200 && (await call(`/apps/demo/builds/${id}`)).status !== 'running'; i++) await new Promise((r) => setTimeout(r, 5));
    const streamed = await follow('demo', id, undefined, async () => String((await call(`/apps/demo/builds/${id}`)).status));
    expect(streamed.eof).toBe(true);
    expect(streamed.statusAtEnd).toBe('complete');
    expect(streamed.text).toMatch(new RegExp(`^Building: \\.\\nBuild: ${id}\\n[\\s\\S]*Release: R[A-Z]{10}\\n$`));
    const socketRequest = rack.requests.find((r) => r.path.endsWith('/logs'))!;
    expect(socketRequest).toMatchObject({ method: 'GET', status: 101, authorized: true });
  });

  it('sends an ended build’s stored log whole', async () => {
    rack = await startFakeRack({ generation, delays: { create: 10, buildStart: 5, build: 10 } });
    const id = await startBuild();
    for (let i = 0; i < 200 && (await call(`/apps/demo/builds/${id}`)).status !== 'complete'; i++) await new Promise((r) => setTimeout(r, 5));
    const streamed = await follow('demo', id);
    expect(streamed).toMatchObject({ eof: true });
    expect(streamed.text).toBe(rack.object('demo', `build/${id}/logs`)!.toString('utf8'));
  });

  it('authenticates after the upgrade: a wrong password is an ERROR message, then the end', async () => {
    rack = await startFakeRack({ generation, delays: { create: 10 } });
    const id = await startBuild();
    const streamed = await follow('demo', id, 'wrong');
    expect(streamed).toEqual({ text: 'ERROR: invalid authentication\n', eof: true });
  });

  it('a build the rack does not know is an ERROR message in the generation’s words', async () => {
    rack = await startFakeRack({ generation });
    const streamed = await follow('demo', 'BNOPENOPENO');
    expect(streamed.eof).toBe(true);
    expect(streamed.text).toBe(generation === '2' ? 'ERROR: build not found: BNOPENOPENO\n' : 'ERROR: builds.convox.com "bnopenopeno" not found\n');
  });

  // v3 answers BuildCreate `running` (its build pod started): only a v2 build is ever seen `created`.
  it.runIf(generation === '2')('a build still created answers its empty Logs: the stream ends at once', async () => {
    rack = await startFakeRack({ generation, delays: { create: 10, buildStart: 300, build: 100 } });
    const id = await startBuild();
    expect((await call(`/apps/demo/builds/${id}`)).status).toBe('created');
    const streamed = await follow('demo', id, undefined, async () => String((await call(`/apps/demo/builds/${id}`)).status));
    expect(streamed).toEqual({ text: '', eof: true, statusAtEnd: 'created' });
  });
});
