/**
 * Issue 10 on Clever Cloud, through the built CLI as a process against the fake API: names that
 * alias between projects, an add-on orphaned between its create and its tags, and duplicates made
 * by concurrent pipelines (with an up-to-date listing, and with one that lags behind creates).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { identityKey } from '../../../src/core/identity.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { runCli, tempRepo } from '../../helpers/cli.js';

const TOKEN = 'tok_3e5a7c9e1b3d5f7a9c2e4a6c8e0b1d3f';
const SECRET = 'sec_8c0e2a4c6e8a0c2e4b6d8f0a2c4e6a8c';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const PG = ['--addon', 'postgresql-addon:dev'];

let fake: FakeCleverCloud;
let repo: Awaited<ReturnType<typeof tempRepo>>;

const env = () => ({ CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG, PREVIEW_PROVIDER: 'clever-cloud' });
const cli = (args: string[]) => runCli([...args, '--timeout', '2m'], { cwd: repo.dir, env: env() });
const mutating = () => fake.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const appsNamed = (name: string) => fake.apps().filter((a) => a.name === name);
const addonsNamed = (name: string) => fake.addons().filter((a) => a.name === name);
const keyTagOf = (project: string, branch: string) => `preview-kit:key:${identityKey({ project, branch })}`;

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 300, deployDurationMs: 150 });
  repo = await tempRepo({ 'index.html': '<h1>identity</h1>\n' });
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
});
afterEach(() => {
  fake.setFaults(undefined);
  fake.setListLag(0);
});

describe('names that alias between projects', () => {
  it('shop + admin-main is refused on the app of shop-admin + main (exit 6, --prefix); its stop leaves that app and add-on', async () => {
    const first = await cli(['up', '--app', 'shop-admin', '--branch', 'main', ...PG, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const { name, id } = first.json<{ name: string; id: string }>();
    expect(name).toBe('shop-admin-main');
    const addon = addonsNamed(`${name}-postgresql-addon`)[0]!;
    expect(addon.tags).toContain(keyTagOf('shop-admin', 'main'));

    fake.resetLog();
    const pushes = fake.pushes.length;
    const second = await cli(['up', '--app', 'shop', '--branch', 'admin-main', ...PG, '--json']);
    expect(second.code, second.stderr).toBe(6);
    expect(second.stderr).toMatch(/^preview-kit: application shop-admin-main \(app_\S+\) belongs to the preview of shop-admin, branch main, not to shop, branch admin-main/m);
    expect(second.stderr).toMatch(/--prefix/);
    expect(mutating()).toEqual([]);
    expect(fake.pushes.length).toBe(pushes);

    const stop = await cli(['stop', '--app', 'shop', '--branch', 'admin-main']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toMatch(/belongs to the preview of shop-admin, branch main: left alone/);
    expect(mutating()).toEqual([]);
    expect(appsNamed(name).map((a) => a.id)).toEqual([id]);
    expect(addonsNamed(addon.name).map((a) => a.id)).toEqual([addon.id]);

    const own = await cli(['stop', '--app', 'shop-admin', '--branch', 'main']);
    expect(own.code, own.stderr).toBe(0);
    expect(appsNamed(name)).toEqual([]);
    expect(addonsNamed(addon.name)).toEqual([]);
  });
});

describe('an add-on orphaned between its create and its tags', () => {
  it('is repaired (tagged) by the next up, not refused, and removed by stop', async () => {
    const args = ['--app', 'shop', '--branch', 'orphan'];
    const made = await cli(['up', ...args, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { name, id } = made.json<{ name: string; id: string }>();
    // Every tag write of an add-on loses its answer: the create goes through, no tag does.
    fake.setFaults({ rate: 1, kinds: ['drop'], paths: '/addons/[^/]+/tags/' });
    const broken = await cli(['up', ...args, ...PG]);
    fake.setFaults(undefined);
    expect(broken.code, broken.stderr).toBe(5);
    const [orphan] = addonsNamed(`${name}-postgresql-addon`);
    expect(orphan!.tags).toEqual([]);
    expect(orphan!.linkedApps).toEqual([id]);

    const repaired = await cli(['up', ...args, ...PG, '--json']);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(addonsNamed(orphan!.name).map((a) => a.id)).toEqual([orphan!.id]);
    expect(addonsNamed(orphan!.name)[0]!.tags).toEqual([keyTagOf('shop', 'orphan'), 'preview-kit:id:shop:branch:orphan', 'preview-kit']);

    const stop = await cli(['stop', ...args]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(addonsNamed(orphan!.name)).toEqual([]);
    expect(appsNamed(name)).toEqual([]);
  });
});

describe('concurrent pipelines', () => {
  it('six concurrent ups with an add-on on one existing app leave one add-on', async () => {
    const args = ['--app', 'shop', '--branch', 'six'];
    const made = await cli(['up', ...args, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const { name, id } = made.json<{ name: string; id: string }>();
    fake.resetLog();
    // Making a database takes a while: every run looks before any create has landed.
    fake.setFaults({ rate: 1, kinds: ['latency'], latencyMs: 800, writesOnly: true, paths: '/addons$' });
    const runs = await Promise.all(Array.from({ length: 6 }, () => cli(['up', ...args, ...PG, '--json'])));
    fake.setFaults(undefined);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const creates = fake.requests.filter((r) => r.method === 'POST' && /\/addons$/.test(r.path) && !r.path.includes('/applications/')).length;
    const left = addonsNamed(`${name}-postgresql-addon`);
    expect(left, `${creates} add-on creates`).toHaveLength(1);
    expect(left[0]!.linkedApps).toEqual([id]);
    expect(new Set(runs.map((r) => r.json<{ id: string }>().id))).toEqual(new Set([id]));
    const stop = await cli(['stop', ...args]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(addonsNamed(`${name}-postgresql-addon`)).toEqual([]);
  });

  it('ten concurrent ups against a listing that lags 1 s behind creates leave one app, and every run reports its id', async () => {
    fake.setListLag(1_000);
    const args = ['--app', 'shop', '--branch', 'lagging'];
    fake.resetLog();
    const runs = await Promise.all(Array.from({ length: 10 }, () => cli(['up', ...args, '--json'])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const creates = fake.requests.filter((r) => r.method === 'POST' && /\/applications$/.test(r.path)).length;
    const name = runs[0]!.json<{ name: string }>().name;
    const left = appsNamed(name);
    expect(left, `${creates} app creates`).toHaveLength(1);
    expect([...new Set(runs.map((r) => r.json<{ id: string }>().id))]).toEqual([left[0]!.id]);
    const stop = await cli(['stop', ...args]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(appsNamed(name)).toEqual([]);
  });
});
