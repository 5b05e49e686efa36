import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTar } from '../../../src/providers/convox/tar.js';
import { startFakeRack, type FakeRack, type Generation } from '../../fakes/convox/server.js';

// The fake must answer like each rack generation, or provider tests prove nothing (README.md
// beside the fake names the source of every answer checked here).
let rack: FakeRack;
afterEach(() => rack?.close());

async function start(generation: Generation): Promise<FakeRack> {
  // Phases that a test sees under way last long enough to hold on a loaded machine; their ends are polled for.
  rack = await startFakeRack({ generation, delays: { create: 600, buildStart: 5, build: 10, promote: 600, delete: 600 } });
  return rack;
}

function call(path: string, init: RequestInit & { auth?: string | false } = {}) {
  const headers = new Headers(init.headers);
  if (init.auth !== false) headers.set('authorization', `Basic ${Buffer.from(`convox:${init.auth ?? rack.password}`).toString('base64')}`);
  return fetch(`${rack.url}${path}`, { ...init, headers });
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});
/** Polls `path` until its JSON matches `ok`. */
async function until(path: string, ok: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 400; i++) {
    const body = (await (await call(path)).json()) as Record<string, unknown>;
    if (ok(body)) return body;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} never reached the state waited for`);
}
const running = () => until('/apps/demo', (a) => a.status === 'running');

/** An app with a complete build, through the routes `convox deploy` uses; answers the build's release. */
async function appWithBuild(): Promise<{ release: string }> {
  await call('/apps', form({ name: 'demo' }));
  await running();
  const tgz = gzipSync(writeTar([{ type: 'file', path: 'convox.yml', data: Buffer.from('services:\n  web:\n    port: 3000\n'), mode: 0o644 }], 0));
  await call('/apps/demo/objects/tmp/src.tgz', { method: 'POST', body: tgz, headers: { 'content-type': 'application/octet-stream' } });
  const build = (await (await call('/apps/demo/builds', form({ url: 'object://demo/tmp/src.tgz' }))).json()) as { id: string };
  expect(build.id).toMatch(/^B[A-Z]{10}$/);
  const done = (await until(`/apps/demo/builds/${build.id}`, (b) => b.status !== 'running' && b.status !== 'created')) as { status: string; release: string };
  expect(done.status).toBe('complete');
  return { release: done.release };
}

describe('fake rack, both generations', () => {
  it.each(['2', '3'] as const)('v%s: a wrong password is 401 "invalid authentication"; unknown routes are 404 with no body, before auth', async (g) => {
    await start(g);
    const res = await call('/apps', { auth: 'nope' });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('invalid authentication\n');
    expect(res.headers.get('www-authenticate')).toBe(g === '3' ? 'Basic realm="convox"' : null);
    const unknown = await call('/nothing/here', { auth: false });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('');
    expect((await call('/apps/demo/services', { method: 'DELETE' })).status).toBe(405);
  });

  it.each(['2', '3'] as const)('v%s: ids are R/B and ten capitals; promote and delete answer ok; App.Release moves as the generation moves it', async (g) => {
    await start(g);
    const { release } = await appWithBuild();
    expect(release).toMatch(/^R[A-Z]{10}$/);
    const promoted = await call(`/apps/demo/releases/${release}/promote`, { method: 'POST' });
    expect(promoted.status).toBe(200);
    expect(await promoted.text()).toBe('ok\n');
    // v3: the atom's current version changes at once; v2: the stack's Release output when the update ends.
    expect(await (await call('/apps/demo')).json()).toMatchObject({ status: 'updating', release: g === '3' ? release : '' });
    expect(await running()).toMatchObject({ status: 'running', release });
    const del = await call('/apps/demo', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.text()).toBe('ok\n');
    expect(await (await call('/apps/demo')).json()).toMatchObject({ status: 'deleting' });
  });

  it('the switch answers 401 or 403 to everything, and the log keeps every method', async () => {
    await start('2');
    rack.credentials('forbidden');
    expect((await call('/apps')).status).toBe(403);
    rack.credentials('unauthorized');
    expect((await call('/apps', form({ name: 'x' }))).status).toBe(401);
    rack.credentials('ok');
    expect((await call('/apps')).status).toBe(200);
    expect(rack.mutatingRequests().map((r) => r.method)).toEqual(['POST']);
  });

  it('write faults: a share of writes fail, half of them applied first; reads never', async () => {
    await start('3');
    rack.faultWrites(0.5, 7);
    const answers: number[] = [];
    for (let i = 0; i < 40; i++) answers.push((await call('/apps', form({ name: `app-${i}` })).catch(() => ({ status: -1 }))).status);
    const failed = answers.filter((s) => s !== 200).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    const created = rack.apps().length;
    expect(created).toBeGreaterThan(answers.filter((s) => s === 200).length); // applied, then answered 5xx or dropped
    expect(created).toBeLessThan(40);
    for (let i = 0; i < 10; i++) expect((await call('/apps')).status).toBe(200);
    // A rack that refuses every change: nothing is applied.
    rack.faultWrites(1, 3, 0);
    for (let i = 0; i < 10; i++) expect((await call('/apps', form({ name: `refused-${i}` }))).status).toBe(503);
    expect(rack.apps().filter((a) => a.name.startsWith('refused-'))).toEqual([]);
  });
});

describe('fake rack as a v2 rack (convox/rack, AWS)', () => {
  it('lists releases with an empty env; only GET of the release has it, normalised', async () => {
    await start('2');
    await call('/apps', form({ name: 'demo' }));
    await running();
    const created = (await (await call('/apps/demo/releases', form({ env: 'B=2\nA=1\nnoequals' }))).json()) as { id: string; description: string; env: string };
    expect(created.description).toBe('env add:A add:B');
    const [listed] = (await (await call('/apps/demo/releases')).json()) as Array<{ env: string }>;
    expect(listed!.env).toBe('');
    expect(((await (await call(`/apps/demo/releases/${created.id}`)).json()) as { env: string }).env).toBe('A=1\nB=2');
  });

  it('a taken name is 500 "app already exists"; errors are text even when JSON is asked for; missing release is 404', async () => {
    await start('2');
    const first = (await (await call('/apps', form({ name: 'demo' }))).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ name: 'demo', status: 'creating', release: '', generation: '2', router: '' });
    // A release needs the app stack's bucket: not there while the stack is being created.
    expect((await call('/apps/demo/releases', form({ env: 'A=1' }))).status).toBe(500);
    const again = await call('/apps', form({ name: 'demo' }, { accept: 'application/json' }));
    expect(again.status).toBe(500);
    expect(await again.text()).toBe('app already exists: demo\n');
    const missing = await call('/apps/demo/releases/RNOPENOPENO', { headers: { accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('release not found: RNOPENOPENO\n');
    expect(await (await call('/apps/nope')).text()).toBe('app not found: nope\n');
  });

  it('promote: 403 while not running; App.Release moves only when the stack update ends', async () => {
    await start('2');
    await call('/apps', form({ name: 'demo' }));
    rack.seedApp('other');
    const busy = await call('/apps/demo/releases/RXXXXXXXXXX/promote', { method: 'POST' });
    expect(busy.status).toBe(403);
    expect(await busy.text()).toBe('app is currently updating\n');
    await running();
    const env = (await (await call('/apps/demo/releases', form({ env: 'A=1' }))).json()) as { id: string };
    // An env-only release of an app never built has no manifest.
    const empty = await call(`/apps/demo/releases/${env.id}/promote`, { method: 'POST' });
    expect(empty.status).toBe(500);
    expect(await empty.text()).toBe('can not promote a release with an empty manifest\n');
  });
});

describe('fake rack as a v3 rack (convox/convox, Kubernetes)', () => {
  it('lists releases with their env; a taken name is 409; errors are JSON when asked for', async () => {
    await start('3');
    const first = (await (await call('/apps', form({ name: 'demo' }))).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ name: 'demo', status: 'updating', generation: '3', router: 'router.fake-rack.convox.test' });
    const again = await call('/apps', form({ name: 'demo' }, { accept: 'application/json' }));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'app already exists: demo' });
    const asText = await call('/apps', form({ name: 'demo' }));
    expect(await asText.text()).toBe('app already exists: demo\n');
    const created = (await (await call('/apps/demo/releases', form({ env: 'B=2\nA=1' }))).json()) as { id: string };
    const [listed] = (await (await call('/apps/demo/releases?limit=1')).json()) as Array<{ env: string }>;
    expect(listed!.env).toBe('B=2\nA=1');
    const missing = await call('/apps/demo/releases/RNOPENOPENO');
    expect(missing.status).toBe(500);
    expect(await missing.text()).toBe('releases.convox.com "rnopenopeno" not found\n');
    // Ids are CRD names, looked up lower-cased.
    expect((await call(`/apps/demo/releases/${created.id.toLowerCase()}`)).status).toBe(200);
  });

  it('objects are stored raw under any app name, answered in the rack\'s `Url` field', async () => {
    await start('3');
    const res = await call('/apps/demo/objects/tmp/abc.tgz', { method: 'POST', body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/octet-stream' } });
    expect(await res.json()).toEqual({ Url: 'object://demo/tmp/abc.tgz' });
    expect([...new Uint8Array(await (await call('/apps/demo/objects/tmp/abc.tgz')).arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('a second delete of an app being deleted is refused, as the API server refuses it for a terminating namespace', async () => {
    await start('3');
    await call('/apps', form({ name: 'demo' }));
    expect((await call('/apps/demo', { method: 'DELETE' })).status).toBe(200);
    const second = await call('/apps/demo', { method: 'DELETE' });
    expect(second.status).toBe(500);
    expect(await second.text()).toMatch(/ensuring all content is removed/);
  });
});
