import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRack, type FakeRack } from '../../fakes/convox/server.js';

// The fake must answer like a rack (stdapi/stdsdk conventions), or provider tests prove nothing.
let rack: FakeRack;
beforeEach(async () => {
  rack = await startFakeRack({ delays: { create: 10, buildStart: 5, build: 10, promote: 10, delete: 10 } });
});
afterEach(() => rack.close());

function call(path: string, init: RequestInit & { auth?: string | false } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth !== false) headers.set('authorization', `Basic ${Buffer.from(`convox:${init.auth ?? rack.password}`).toString('base64')}`);
  return fetch(`${rack.url}${path}`, { ...init, headers });
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('fake rack', () => {
  it('refuses a wrong password with 401 and a Basic challenge', async () => {
    const res = await call('/apps', { auth: 'nope' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="convox"');
    expect(await res.text()).toBe('invalid authentication\n');
    expect((await call('/apps', { auth: false })).status).toBe(401);
  });

  it('answers errors as JSON when JSON is accepted, as text otherwise', async () => {
    const asJson = await call('/apps/missing', { headers: { accept: 'application/json' } });
    expect(asJson.status).toBe(404);
    expect(asJson.headers.get('content-type')).toBe('application/json');
    expect(await asJson.json()).toEqual({ error: 'app not found: missing' });
    const asText = await call('/apps/missing');
    expect(asText.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await asText.text()).toBe('app not found: missing\n');
  });

  it('creates apps from a form, answers 409 for a taken name, moves creating → running', async () => {
    const created = await call('/apps', form({ name: 'demo', generation: '2' }));
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: 'demo', status: 'creating', release: '', generation: '2', locked: false, parameters: {} });
    const again = await call('/apps', { ...form({ name: 'demo' }), headers: { ...form({}).headers, accept: 'application/json' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'app already exists: demo' });
    await new Promise((r) => setTimeout(r, 40));
    expect(await (await call('/apps/demo')).json()).toMatchObject({ status: 'running' });
  });

  it('stores objects raw and answers their URL in the rack\'s `Url` field', async () => {
    const res = await call('/apps/demo/objects/tmp/abc.tgz', { method: 'POST', body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/octet-stream' } });
    expect(await res.json()).toEqual({ Url: 'object://demo/tmp/abc.tgz' });
    expect([...new Uint8Array(await (await call('/apps/demo/objects/tmp/abc.tgz')).arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('creates env releases forked from the newest one, with the rack\'s description', async () => {
    await call('/apps', form({ name: 'demo' }));
    const first = (await (await call('/apps/demo/releases', form({ env: 'A=1\nB=2' }))).json()) as { id: string };
    expect(first).toMatchObject({ app: 'demo', build: '', env: 'A=1\nB=2', description: 'env add:A,B' });
    expect(first.id).toMatch(/^R[A-Z]{10}$/);
    const second = (await (await call('/apps/demo/releases', form({ env: 'A=3' }))).json()) as { id: string; description: string };
    expect(second.description).toBe('env change:A remove:B');
    const listed = (await (await call('/apps/demo/releases?limit=1')).json()) as Array<{ id: string }>;
    expect(listed.map((r) => r.id)).toEqual([second.id]);
  });

  it('answers RenderOK bodies, 404 for unknown routes and a refusal for the websocket log route', async () => {
    await call('/apps', form({ name: 'demo' }));
    const del = await call('/apps/demo', { method: 'DELETE' });
    expect(await del.text()).toBe('ok\n');
    expect(await (await call('/apps/demo')).json()).toMatchObject({ status: 'deleting' });
    expect((await call('/nothing/here')).status).toBe(404);
    expect((await call('/apps/nope/builds/BXXXXXXXXXX/logs')).status).toBe(404);
  });
});
