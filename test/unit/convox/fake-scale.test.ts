/**
 * The fake rack's services scale like each generation's (README.md beside the fake names the
 * source of every answer checked here): v2 keeps counts in the app stack's `<Service>Formation`
 * parameters, changes them by stack update and keeps them across promotions; v3 keeps them as
 * Deployment replicas, changes them at once, and a promotion brings a zero back to the manifest's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRack, type FakeRack, type Generation } from '../../fakes/convox/server.js';
import { manifestServices, upperName } from '../../fakes/convox/scale.js';

const MANIFEST = 'services:\n  web:\n    port: 3000\n  my-worker:\n    scale:\n      count: 2-4\n      memory: 1024\n';
/** Long enough that "while it runs" holds on a loaded machine; what ends is polled for. */
const SLOW = 1500;

let rack: FakeRack;
afterEach(() => rack?.close());

async function start(generation: Generation): Promise<FakeRack> {
  rack = await startFakeRack({ generation, delays: { promote: SLOW, terminate: SLOW } });
  rack.plantDeployed('demo', { env: { A: '1' }, manifest: MANIFEST, gitSha: 'c'.repeat(40) });
  return rack;
}

function call(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Basic ${Buffer.from(`convox:${rack.password}`).toString('base64')}`);
  return fetch(`${rack.url}${path}`, { ...init, headers });
}
const scale = (service: string, fields: Record<string, string>) =>
  call(`/apps/demo/services/${service}`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const getJson = async <T>(path: string) => (await (await call(path)).json()) as T;
const appOf = async () => (await getJson<Array<{ name: string; status: string; parameters: Record<string, string> }>>('/apps')).find((a) => a.name === 'demo')!;
const services = () => getJson<Array<{ name: string; count: number; min?: number; max?: number; memory: number }>>('/apps/demo/services');

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('fake rack scale, both generations', () => {
  it('manifest scale as the rack reads it; service names as upperName writes them', () => {
    expect(manifestServices(MANIFEST, '2')).toEqual([
      { name: 'web', min: 1, max: 1, cpu: 256, memory: 512, port: 3000 },
      { name: 'my-worker', min: 2, max: 4, cpu: 256, memory: 1024 },
    ]);
    expect(manifestServices(MANIFEST, '3')[0]!.cpu).toBe(250);
    expect(upperName('my-worker')).toBe('MyWorker');
    expect(upperName('web_api')).toBe('WebApi');
  });

  it.each(['2', '3'] as const)('v%s: PUT of a service that is not there fails as the rack fails; GET of one service is 405', async (g) => {
    await start(g);
    const missing = await scale('nope', { count: '0' });
    expect(missing.status).toBe(500);
    expect(await missing.text()).toBe(g === '2' ? 'could not read formation for service: nope\n' : 'deployments.apps "nope" not found\n');
    expect((await scale('web', { count: 'x' })).status).toBe(500);
    expect((await call('/apps/demo/services/web')).status).toBe(405);
    expect((await call('/apps/ghost/services/web', { method: 'PUT', body: '' })).status).toBe(404);
  });
});

describe('fake rack scale as a v2 rack (convox/rack, AWS)', () => {
  it('counts are <Service>Formation parameters in GET /apps; a scale is a stack update, one at a time', async () => {
    await start('2');
    expect((await appOf()).parameters).toMatchObject({ WebFormation: '1,256,512', MyWorkerFormation: '2,256,1024' });
    const put = await scale('web', { count: '0' });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe('ok\n');
    // UPDATE_IN_PROGRESS: the app is updating, the parameter still the old one, a second update refused.
    expect(await appOf()).toMatchObject({ status: 'updating', parameters: { WebFormation: '1,256,512' } });
    const second = await scale('my-worker', { count: '0' });
    expect(second.status).toBe(500);
    expect(await second.text()).toMatch(/UPDATE_IN_PROGRESS state and can not be updated/);
    const done = await until(appOf, (a) => a.status === 'running');
    expect(done.parameters.WebFormation).toBe('0,256,512');
    expect((await services()).map((s) => [s.name, s.count])).toEqual([['web', 0], ['my-worker', 2]]);
    // CloudFormation refuses an update that changes nothing.
    const same = await scale('web', { count: '0' });
    expect(same.status).toBe(500);
    expect(await same.text()).toBe('ValidationError: No updates are to be performed.\n');
  });

  it('a promotion keeps the counts (UsePreviousValue); processes follow the counts', async () => {
    await start('2');
    await scale('web', { count: '0' });
    await until(appOf, (a) => a.status === 'running');
    const [release] = await getJson<Array<{ id: string }>>('/apps/demo/releases?limit=1');
    const created = (await (await call('/apps/demo/releases', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'env=A%3D2' })).json()) as { id: string };
    expect(created.id).not.toBe(release!.id);
    expect((await call(`/apps/demo/releases/${created.id}/promote`, { method: 'POST' })).status).toBe(200);
    await until(appOf, (a) => a.status === 'running');
    expect((await appOf()).parameters.WebFormation).toBe('0,256,512');
    const processes = await getJson<Array<{ name: string; app: string }>>('/apps/demo/processes');
    expect(processes.map((p) => p.name)).toEqual(['my-worker', 'my-worker']);
    const all = await getJson<Array<{ app: string }>>('/system/processes?all=true');
    expect(all.filter((p) => p.app === 'demo')).toHaveLength(2);
    expect((await getJson<Array<{ app: string }>>('/system/processes')).some((p) => p.app === 'demo')).toBe(false);
  });
});

describe('fake rack scale as a v3 rack (convox/convox, Kubernetes)', () => {
  it('counts are Deployment replicas: changed at once, the app stays running, the pods stop after their grace period', async () => {
    await start('3');
    expect((await appOf()).parameters).toEqual({});
    expect(await services()).toMatchObject([
      { name: 'web', count: 1, min: 1, max: 1 },
      { name: 'my-worker', count: 2, min: 2, max: 4, memory: 1024 },
    ]);
    expect((await scale('web', { count: '0' })).status).toBe(200);
    expect((await scale('my-worker', { count: '0' })).status).toBe(200);
    expect((await appOf()).status).toBe('running');
    expect((await services()).map((s) => s.count)).toEqual([0, 0]);
    // Terminating pods are still listed (phase Running) until they are gone.
    expect((await getJson<unknown[]>('/apps/demo/processes')).length).toBe(3);
    await until(() => getJson<unknown[]>('/apps/demo/processes'), (p) => p.length === 0);
    expect(await getJson<unknown[]>('/apps/ghost/processes')).toEqual([]);
  });

  it('a promotion brings a service at zero back to the manifest count (CoalesceInt(replicas, min))', async () => {
    await start('3');
    await scale('web', { count: '0' });
    await scale('my-worker', { count: '3' });
    const created = (await (await call('/apps/demo/releases', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'env=A%3D2' })).json()) as { id: string };
    expect((await call(`/apps/demo/releases/${created.id}/promote`, { method: 'POST' })).status).toBe(200);
    expect((await services()).map((s) => [s.name, s.count])).toEqual([['web', 1], ['my-worker', 3]]);
  });
});
