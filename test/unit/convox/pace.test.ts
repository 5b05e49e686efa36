/**
 * The rack's pace, not ours. With the provider's default timings (DEFAULT_TUNING: core/retry's
 * WAIT_BACKOFF) on fake timers — no wall clock; the stand-in rack's facts are functions of the fake
 * time — every wait looks again within one poll step of the fact becoming true, starts looking at
 * once (no fixed wait), and on a long wait looks about once a second; the end of a build's log
 * stream ends the build wait at once. Against the fake rack over HTTP: a no-op `up` reads each
 * thing once and writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Plan } from '../../../src/core/plan.js';
import { Deadline, WAIT_BACKOFF } from '../../../src/core/retry.js';
import { waitBuild } from '../../../src/providers/convox/build-wait.js';
import type { BuildLogStream, FollowBuildLog } from '../../../src/providers/convox/build-stream.js';
import { Rack } from '../../../src/providers/convox/client.js';
import { promoteRelease } from '../../../src/providers/convox/promote.js';
import type { RackApi, RackApp, RackBuild } from '../../../src/providers/convox/rack-api.js';
import { waitAppSettled, waitGone } from '../../../src/providers/convox/waiting.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { GENERATIONS, harness, MemoryLogger, settingsFor, specFor, TempRepo, up, useRackAndRepo } from './helpers.js';

/** The longest step a wait may take: WAIT_BACKOFF's cap with its jitter. */
const STEP = WAIT_BACKOFF.maxMs * (1 + WAIT_BACKOFF.jitter);
/** The first step: WAIT_BACKOFF's start with its jitter. */
const FIRST_STEP = WAIT_BACKOFF.initialMs * (1 + WAIT_BACKOFF.jitter);

describe('convox waits on fake timers, default timings', () => {
  let looks: number[];
  let start: number;
  const now = () => Date.now() - start;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    start = Date.now();
    looks = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A rack whose API is `api` (the default tuning, a 30 min deadline on the faked clock). */
  function rackWith(api: Partial<RackApi>): Rack {
    const context = { logger: new MemoryLogger(), deadline: new Deadline(30 * 60_000), plan: new Plan(false), adopt: false };
    const rack = new Rack({ rackUrl: 'http://127.0.0.1:9', password: 'pw', domainEnv: 'PREVIEW_HOST', claimWaitMs: 1_000 }, context);
    Object.assign(rack, { api });
    return rack;
  }

  async function run<T>(waiting: Promise<T>): Promise<T> {
    const settled = waiting.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await vi.runAllTimersAsync();
    const outcome = await settled;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /** The wait started looking at once, never paused longer than a step, and saw the fact within one step. */
  function expectPace(factAt: number) {
    expect(looks[0]).toBe(0);
    expect(looks[1]! - looks[0]!).toBeLessThanOrEqual(FIRST_STEP);
    for (let i = 1; i < looks.length; i++) expect(looks[i]! - looks[i - 1]!).toBeLessThanOrEqual(STEP);
    expect(looks.at(-1)!).toBeGreaterThanOrEqual(factAt);
    expect(looks.at(-1)! - factAt).toBeLessThanOrEqual(STEP);
  }

  const app = (status: string, release = ''): RackApp => ({ name: 'demo', status, release });

  it('a new app that runs after 2 s is seen running within one step', async () => {
    const rack = rackWith({ getApp: async () => (looks.push(now()), app(now() < 2_000 ? 'updating' : 'running')) });
    await run(waitAppSettled(rack, 'demo', true));
    expectPace(2_000);
  });

  it('an app deleted after 20 s is seen gone within one step, looked at about once a second meanwhile', async () => {
    const rack = rackWith({ getApp: async () => (looks.push(now()), now() < 20_000 ? app('deleting') : undefined) });
    await run(waitGone(rack, 'demo'));
    expectPace(20_000);
    expect(looks.length).toBeLessThanOrEqual(5 + 20);
  });

  it('a promotion whose update ends after 3 s is seen running its release within one step', async () => {
    let promoted = false;
    const rack = rackWith({
      // A v3 rack: the release moves at the promotion, the app is `updating` until the rollout ends.
      getApp: async () => (promoted ? (looks.push(now()), app(now() < 3_000 ? 'updating' : 'running', 'RNEW')) : app('running', 'ROLD')),
      promote: async () => {
        promoted = true;
        start = Date.now();
        return 'started';
      },
    });
    expect(await run(promoteRelease(rack, 'demo', 'RNEW', 'a'.repeat(40)))).toBe('promoted');
    expectPace(3_000);
  });

  const build = (status: string): RackBuild => ({ id: 'BDEMO', app: 'demo', description: '', status, release: status === 'complete' ? 'RNEW' : '', logs: '' });

  it('the end of the build’s log stream ends the wait at once, between two polls', async () => {
    const endsAt = 4_321;
    const opened: number[] = [];
    const follow: FollowBuildLog = () => {
      opened.push(now());
      return { ended: new Promise<void>((resolve) => setTimeout(resolve, endsAt - now())), close: () => undefined } satisfies BuildLogStream;
    };
    const rack = rackWith({ getBuild: async () => (looks.push(now()), build(now() < endsAt ? 'running' : 'complete')) });
    expect((await run(waitBuild(rack, 'demo', 'BDEMO', 'a'.repeat(40), follow))).status).toBe('complete');
    expect(opened).toEqual([0]);
    expect(looks.at(-1)).toBe(endsAt);
    expectPace(endsAt);
  });

  it('a log stream that cannot open leaves the build wait to its polls, opened a bounded number of times', async () => {
    let opened = 0;
    const follow: FollowBuildLog = () => (opened++, { ended: Promise.resolve(), close: () => undefined });
    const rack = rackWith({ getBuild: async () => (looks.push(now()), build(now() < 6_000 ? 'running' : 'complete')) });
    await run(waitBuild(rack, 'demo', 'BDEMO', 'a'.repeat(40), follow));
    expect(opened).toBeLessThanOrEqual(3);
    expectPace(6_000);
  });
});

describe.each(GENERATIONS)('convox no-op up against a fake $label', ({ generation }) => {
  let rack: FakeRack;
  let repo: TempRepo;
  useRackAndRepo(generation, { create: 10, buildStart: 5, build: 10, promote: 10 }, (r, t) => {
    [rack, repo] = [r, t];
  });

  it('reads the app, its newest release, its services and its live build once each, and writes nothing', async () => {
    const NAME = 'shop-feature-cart';
    const commit = repo.commit('first');
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    const app = rack.app(NAME)!;
    rack.resetLog();
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(deployed.deployed).toBe(false);
    const read = rack.requests.map((r) => `${r.method} ${r.path}${r.query.limit ? `?limit=${r.query.limit}` : ''}`);
    const expected = [
      `GET /apps/${NAME}`,
      `GET /apps/${NAME}/releases?limit=1`,
      // v2 lists releases without their env: the newest one is read by id (helpers.ReleaseLatest).
      ...(generation === '2' ? [`GET /apps/${NAME}/releases/${app.release}`] : []),
      `GET /apps/${NAME}/services`,
      `GET /apps/${NAME}/builds/${app.builds[0]!.id}`,
    ];
    expect(read).toEqual(expected);
  });
});
