/**
 * `list` on racks of both generations: what it reports (identity, state, created, last deployed,
 * commit) and what it costs. A rack's app listing does not carry the release env that holds our
 * marks, so one read per app is the floor; whether a preview sleeps must come from listings
 * (v2: the `<Service>Formation` parameters of `GET /apps`; v3: one `GET /system/processes?all=true`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { CREATED_KEY } from '../../../src/providers/convox/env.js';
import { startFakeRack, type FakeRack } from '../../fakes/convox/server.js';
import { APP_FILES, GENERATIONS, harness, marksFor, refFor, settingsFor, specFor, TempRepo } from './helpers.js';

const MANIFEST = 'services:\n  web:\n    build: .\n    port: 3000\n  worker:\n    build: .\n';
const DAY = 86_400_000;

let rack: FakeRack;

function plant(name: string, identity: PreviewIdentity, i: number, asleep = false) {
  rack.plantDeployed(name, {
    env: { ...marksFor(name, identity), [CREATED_KEY]: new Date(Date.UTC(2025, 0, 1) + i * DAY).toISOString(), NODE_ENV: 'preview' },
    manifest: MANIFEST,
    gitSha: `${String(i).padStart(4, '0')}${'a'.repeat(36)}`,
    created: new Date(Date.UTC(2025, 5, 1) + i * DAY),
    asleep,
  });
}

/** Requests the rack received, by route shape. */
function byRoute(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rack.requests) {
    const shape = r.path.replace(/^\/apps\/[^/]+/, '/apps/:app').replace(/\/releases\/R[A-Z]+$/, '/releases/:id');
    const key = `${r.method} ${shape}${r.query.all ? `?all=${r.query.all}` : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe.each(GENERATIONS)('convox list on a fake $label', ({ generation }) => {
  beforeEach(async () => {
    rack = await startFakeRack({ generation, delays: { create: 20, buildStart: 5, build: 20, promote: 20, delete: 20, terminate: 40 } });
  });

  afterEach(() => rack.close());

  it('reports identity, state, creation, last deploy and commit from one listing plus one read per app', async () => {
    for (let i = 0; i < 12; i++) plant(`shop-b${i}`, { project: 'shop', branch: `b${i}` }, i, i % 3 === 0);
    rack.seedApp('billing', { env: { DATABASE_URL: 'postgres://x' } }); // someone else's, never ours
    rack.seedApp('shop-gone', { env: marksFor('shop-gone', { project: 'shop', branch: 'gone' }), status: 'deleting' }); // on its way out
    rack.resetLog();
    const previews = await harness(settingsFor(rack)).provider.list();

    expect(previews.map((p) => p.name).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `shop-b${i}`).sort());
    const b3 = previews.find((p) => p.name === 'shop-b3')!;
    expect(b3).toMatchObject({
      identity: { project: 'shop', branch: 'b3' },
      state: 'sleeping',
      createdAt: '2025-01-04T00:00:00.000Z',
      lastDeployedAt: '2025-06-04T00:00:00.000Z',
      lastDeployment: { state: 'ok', commit: `0003${'a'.repeat(36)}`, createdAt: '2025-06-04T00:00:00.000Z' },
    });
    expect(previews.find((p) => p.name === 'shop-b4')?.state).toBe('running');
    expect(previews.filter((p) => p.state === 'sleeping').map((p) => p.name).sort()).toEqual(['shop-b0', 'shop-b3', 'shop-b6', 'shop-b9']);

    // The cost: one listing, the live release of each app, and on v3 one listing of processes.
    // The unmarked app has no live release: its newest is listed (v2 lists it without env, so one GET more).
    expect(byRoute()).toEqual({
      'GET /apps': 1,
      'GET /apps/:app/releases/:id': generation === '2' ? 13 : 12,
      'GET /apps/:app/releases': 1,
      ...(generation === '3' ? { 'GET /system/processes?all=true': 1 } : {}),
    });
    expect(rack.mutatingRequests()).toEqual([]);
  });

  it('1 000 previews: one listing call, one read per preview, no per-app state call', async () => {
    for (let i = 0; i < 1000; i++) plant(`p${i}`, { project: 'big', pr: i + 1 }, i % 200, i % 2 === 0);
    rack.resetLog();
    const previews = await harness(settingsFor(rack)).provider.list();
    expect(previews).toHaveLength(1000);
    expect(previews.filter((p) => p.state === 'sleeping')).toHaveLength(500);
    expect(rack.requests).toHaveLength(generation === '2' ? 1001 : 1002);
  });

  it('after sleep the listing says sleeping, after a wake running again', async () => {
    const repo = new TempRepo(APP_FILES);
    try {
      const spec = specFor('shop-feature-cart');
      const h = harness(settingsFor(rack));
      const ensured = await h.provider.ensure(spec);
      await h.provider.deploy(ensured.preview, spec, { dir: repo.dir, commit: repo.commit('first'), force: false });
      const state = async () => (await harness(settingsFor(rack)).provider.list()).find((p) => p.name === spec.name)?.state;
      expect(await state()).toBe('running');
      await harness(settingsFor(rack)).provider.sleep(refFor(spec.name));
      expect(await state()).toBe('sleeping');
      await harness(settingsFor(rack)).provider.ensure(spec);
      expect(await state()).toBe('running');
    } finally {
      repo.remove();
    }
  });

  it('an adopted app whose live release predates our marks is listed from its newest release', async () => {
    rack.plantDeployed('shop-old', { env: { NODE_ENV: 'theirs' }, manifest: MANIFEST, gitSha: 'b'.repeat(40) });
    const spec = specFor('shop-old', { identity: { project: 'shop', branch: 'old' }, domains: [] });
    await harness(settingsFor(rack), { adopt: true }).provider.ensure(spec);
    const listed = (await harness(settingsFor(rack)).provider.list()).find((p) => p.name === 'shop-old');
    expect(listed?.identity).toEqual({ project: 'shop', branch: 'old' });
    expect(listed?.state).toBe('running');
    expect(identityKey(listed!.identity!)).toBe(spec.key);
  });

  it.runIf(generation === '3')('v3: a rack that refuses the process listing (403) is read service by service instead', async () => {
    plant('shop-a', { project: 'shop', branch: 'a' }, 1, true);
    plant('shop-b', { project: 'shop', branch: 'b' }, 2, false);
    rack.setFaults([{ method: 'GET', path: '/system/processes', status: 403, body: 'you are unauthorized to access this\n' }]);
    rack.resetLog();
    const previews = await harness(settingsFor(rack)).provider.list();
    expect(Object.fromEntries(previews.map((p) => [p.name, p.state]))).toEqual({ 'shop-a': 'sleeping', 'shop-b': 'running' });
    expect(byRoute()['GET /apps/:app/services']).toBe(2);
  });

  it('the state follows the app: deploying while it updates, failed when the rack says so', async () => {
    plant('shop-up', { project: 'shop', branch: 'up' }, 1);
    rack.seedApp('shop-bad', { env: marksFor('shop-bad', { project: 'shop', branch: 'bad' }), status: 'failed' });
    // Another client's scale of a v2 app is a stack update: `updating` until it ends.
    await fetch(`${rack.url}/apps/shop-up/services/web`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`convox:${rack.password}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'count=3',
    });
    const states = Object.fromEntries((await harness(settingsFor(rack)).provider.list()).map((p) => [p.name, p.state]));
    expect(states).toEqual({ 'shop-up': generation === '2' ? 'deploying' : 'running', 'shop-bad': 'failed' });
  });
});
