/**
 * Sleep and wake on racks of both generations: `sleep` scales the services to zero the way
 * `convox scale <service> --count 0` does, keeps the environment, releases and domains, and does
 * nothing when asleep already; `up` or `deploy` of the commit it runs brings the services back to
 * the counts of convox.yml without a build or a new release; a new commit wakes it too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { convoxModule } from '../../../src/providers/convox/module.js';
import { manifestCounts } from '../../../src/providers/convox/scale.js';
import { startFakeRack, type FakeRack } from '../../fakes/convox/server.js';
import { APP_FILES, GENERATIONS, harness, marksFor, refFor, settingsFor, specFor, TempRepo, up } from './helpers.js';

const NAME = 'shop-feature-cart';
/** web runs one instance, worker two: a wake must give each its own count back. */
const FILES = { ...APP_FILES, 'convox.yml': 'services:\n  web:\n    build: .\n    port: 3000\n    domain: ${PREVIEW_HOST}\n  worker:\n    build: .\n    scale:\n      count: 2\n' };

let rack: FakeRack;
let repo: TempRepo;
let commit: string;

const counts = (name = NAME) => Object.fromEntries(Object.entries(rack.app(name)?.scale ?? {}).map(([s, v]) => [s, v.count]));
const scaleWrites = () => rack.writes().filter((r) => r.method === 'PUT' && /^\/apps\/[^/]+\/services\/[^/]+$/.test(r.path));

describe('convox module', () => {
  it('says racks cannot put a preview behind basic auth (the router has no per-app auth)', () => {
    expect(convoxModule.capabilities).toEqual({ basicAuth: false });
  });

  it.each([
    ['no scale', 'services:\n  web:\n    port: 3000\n', { web: 1 }],
    ['a number', 'services:\n  web:\n    scale: 3\n', { web: 3 }],
    ['a range: its minimum', 'services:\n  web:\n    scale: 2-5\n', { web: 2 }],
    ['count as a string range', 'services:\n  web:\n    scale:\n      count: "1-3"\n      memory: 1024\n', { web: 1 }],
    ['count as min/max', 'services:\n  web:\n    scale:\n      count:\n        min: 0\n        max: 4\n', { web: 0 }],
    ['other scale keys only', 'services:\n  web:\n    scale:\n      memory: 1024\n', { web: 1 }],
    ['not YAML', 'services: [', {}],
  ])('manifest counts: %s', (_label, manifest, expected) => {
    expect(Object.fromEntries(manifestCounts(manifest))).toEqual(expected);
  });
});

describe.each(GENERATIONS)('convox sleep and wake on a fake $label', ({ generation }) => {
  beforeEach(async () => {
    rack = await startFakeRack({ generation, delays: { create: 20, buildStart: 5, build: 20, promote: 20, delete: 20, terminate: 60 } });
    repo = new TempRepo(FILES);
    commit = repo.commit('first');
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    rack.resetLog();
  });

  afterEach(async () => {
    await rack.close();
    repo.remove();
  });

  it('sleep scales every service to zero with PUT count=0, keeps env, releases and domains, and says so in find', async () => {
    expect(counts()).toEqual({ web: 1, worker: 2 });
    const before = rack.app(NAME)!;
    const h = harness(settingsFor(rack));
    const result = await h.provider.sleep(refFor(NAME));
    expect(result).toEqual({ slept: true, stopped: [`service web of app ${NAME} (1 → 0)`, `service worker of app ${NAME} (2 → 0)`] });
    expect(counts()).toEqual({ web: 0, worker: 0 });
    // Exactly what `convox scale <service> --count 0` sends, and nothing else written.
    expect(rack.writes().map((w) => [w.method, w.path, w.form])).toEqual([
      ['PUT', `/apps/${NAME}/services/web`, { count: '0' }],
      ['PUT', `/apps/${NAME}/services/worker`, { count: '0' }],
    ]);
    expect(scaleWrites().every((w) => w.status === 200 && w.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    const after = rack.app(NAME)!;
    expect(after.releases).toEqual(before.releases);
    expect(after.release).toBe(before.release);
    // The processes are gone by the time sleep returns (v3 pods take their grace period).
    const processes = rack.requests.filter((r) => r.path === `/apps/${NAME}/processes`);
    expect(processes.length > 0).toBe(generation === '3');
    const found = await harness(settingsFor(rack)).provider.find(refFor(NAME));
    expect(found).toMatchObject({ state: 'sleeping', url: `https://${NAME}.preview.example.test` });
    expect(h.logger.text()).toMatch(/is asleep/);
  });

  it('a second sleep writes nothing; sleep of an absent app or of another preview\'s writes nothing', async () => {
    await harness(settingsFor(rack)).provider.sleep(refFor(NAME));
    rack.resetLog();
    expect(await harness(settingsFor(rack)).provider.sleep(refFor(NAME))).toEqual({ slept: false, stopped: [] });
    expect(await harness(settingsFor(rack)).provider.sleep(refFor('shop-nothing-here'))).toEqual({ slept: false, stopped: [] });
    const other = { project: 'shop', branch: 'other' };
    rack.plantDeployed('shop-theirs', { env: marksFor('shop-theirs', other), manifest: FILES['convox.yml'], gitSha: commit });
    expect(await harness(settingsFor(rack)).provider.sleep(refFor('shop-theirs'))).toEqual({ slept: false, stopped: [] });
    expect(counts('shop-theirs')).toEqual({ web: 1, worker: 2 });
    expect(rack.mutatingRequests()).toEqual([]);
  });

  it('dry run: plans one scale per running service and writes nothing', async () => {
    const h = harness(settingsFor(rack), { dryRun: true });
    expect((await h.provider.sleep(refFor(NAME))).slept).toBe(true);
    expect(h.context.plan.describe()).toEqual([`update service web of app ${NAME} (scale 1 → 0 (sleep))`, `update service worker of app ${NAME} (scale 2 → 0 (sleep))`]);
    expect(rack.mutatingRequests()).toEqual([]);
    expect(counts()).toEqual({ web: 1, worker: 2 });
  });

  it('up of the commit it runs wakes it to the counts of convox.yml: no build, no release, no promotion', async () => {
    await harness(settingsFor(rack)).provider.sleep(refFor(NAME));
    const releases = rack.app(NAME)!.releases.length;
    rack.resetLog();
    const h = harness(settingsFor(rack));
    const { ensured, deployed } = await up(h, specFor(NAME), { dir: repo.dir, commit });
    expect(ensured.changed).toBe(true);
    expect(deployed.deployed).toBe(false);
    expect(counts()).toEqual({ web: 1, worker: 2 });
    expect(rack.app(NAME)!.releases).toHaveLength(releases);
    expect(rack.writes().map((w) => `${w.method} ${w.path} ${w.form.count}`)).toEqual([`PUT /apps/${NAME}/services/web 1`, `PUT /apps/${NAME}/services/worker 2`]);
    expect((await harness(settingsFor(rack)).provider.find(refFor(NAME)))?.state).toBe('running');
    // Awake: a further up writes nothing.
    rack.resetLog();
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(rack.writes()).toEqual([]);
  });

  it('deploy alone of the commit it runs wakes it without a build', async () => {
    await harness(settingsFor(rack)).provider.sleep(refFor(NAME));
    rack.resetLog();
    const result = await harness(settingsFor(rack)).provider.deploy({ name: NAME, id: NAME, url: '', domains: [] }, specFor(NAME), { dir: repo.dir, commit, force: false });
    expect(result.deployed).toBe(false);
    expect(result.reason).toMatch(/already live.*woke it up/);
    expect(counts()).toEqual({ web: 1, worker: 2 });
    expect(rack.writes().every((w) => w.method === 'PUT')).toBe(true);
  });

  it('a new commit deployed to a sleeping preview runs (v2 keeps a count of zero across promotions; v3 restores it)', async () => {
    await harness(settingsFor(rack)).provider.sleep(refFor(NAME));
    rack.resetLog();
    const second = repo.commit('second');
    const deployed = await harness(settingsFor(rack)).provider.deploy({ name: NAME, id: NAME, url: '', domains: [] }, specFor(NAME), { dir: repo.dir, commit: second, force: false });
    expect(deployed.deployed).toBe(true);
    // v3's promotion brought the services back itself: no scale request there.
    expect(scaleWrites().length).toBe(generation === '2' ? 2 : 0);
    expect(counts()).toEqual({ web: 1, worker: 2 });
    expect(rack.app(NAME)!.builds.at(-1)!.gitSha).toBe(second);
    // No request the rack refused (v2: one stack update at a time).
    expect(rack.requests.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('a scale applied but answered 503 is looked at, not sent into a refusal: the app sleeps', async () => {
    rack.setFaults([{ method: 'PUT', path: `/apps/${NAME}/services/web`, status: 503, applied: true }]);
    const result = await harness(settingsFor(rack)).provider.sleep(refFor(NAME));
    expect(result.slept).toBe(true);
    expect(counts()).toEqual({ web: 0, worker: 0 });
    // v2: a second PUT during the update it started would be refused; a PUT of the count it has, too.
    expect(rack.requests.filter((r) => r.status >= 400 && r.status !== 503)).toEqual([]);
  });
});

describe('convox sleep on a v3 rack whose processes outlive the wait', () => {
  it('says so and still reports the services asleep: they are at zero', async () => {
    const slow = await startFakeRack({ generation: '3', delays: { terminate: 60_000 } });
    try {
      slow.plantDeployed(NAME, { env: marksFor(NAME), manifest: FILES['convox.yml'], gitSha: 'd'.repeat(40) });
      const h = harness(settingsFor(slow), { timeoutMs: 1500 });
      expect((await h.provider.sleep(refFor(NAME))).slept).toBe(true);
      expect(Object.values(slow.app(NAME)!.scale).map((s) => s.count)).toEqual([0, 0]);
      expect(h.logger.text()).toMatch(/scaled to zero, but 3 of their processes still run/);
    } finally {
      await slow.close();
    }
  });
});
