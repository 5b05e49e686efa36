/**
 * The waits of a Clever Cloud deploy on a fake clock, with the provider's own default timings: the
 * push starts within one probe step of the repository answering (and none is refused for being
 * early), the end of a deployment is seen within one poll step of it, a long deployment is polled
 * at most about once a second, and a Retry-After is honoured. No wall clock: every sleep advances
 * the fake clock, and the stand-in platform's facts are functions of that clock.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/core/errors.js';
import { Plan } from '../../../src/core/plan.js';
import { Deadline, type Clock } from '../../../src/core/retry.js';
import type { CleverApi, CleverDeployment } from '../../../src/providers/clever-cloud/api.js';
import { DEFAULT_DEPLOY_TIMING, deployCommit, type DeployTiming } from '../../../src/providers/clever-cloud/deploy.js';
import type { GitRemote } from '../../../src/providers/clever-cloud/git.js';
import { RecordingLogger } from './harness.js';

/** Per-request latency of the stand-in API, ms of fake time. */
const LATENCY = 50;
const SHA = 'a'.repeat(40);

class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now() {
    return this.t;
  }
  sleep(ms: number) {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}

interface Platform {
  clock: FakeClock;
  /** Fake time at which the new repository answers. */
  readyAt: number;
  /** How long a deployment runs. */
  durationMs: number;
  deployments: Array<CleverDeployment & { endsAt: number }>;
  pushesAt: number[];
  refusedPushes: number;
  probesAt: number[];
  reads: Array<{ at: number; what: string }>;
  /** Errors the next deployment reads throw, in order. */
  failReads: ProviderError[];
}

function platform(readyAt: number, durationMs: number): Platform {
  return { clock: new FakeClock(), readyAt, durationMs, deployments: [], pushesAt: [], refusedPushes: 0, probesAt: [], reads: [], failReads: [] };
}

const view = (p: Platform, d: Platform['deployments'][number]): CleverDeployment => ({ ...d, state: p.clock.now() >= d.endsAt ? 'OK' : 'WIP' });

function api(p: Platform): CleverApi {
  const read = async <T>(what: string, answer: () => T): Promise<T> => {
    p.reads.push({ at: p.clock.now(), what });
    p.clock.t += LATENCY;
    const failure = p.failReads.shift();
    if (failure) throw failure;
    return answer();
  };
  return {
    deployments: (_app: string, limit: number) => read('list', () => p.deployments.slice(-limit).reverse().map((d) => view(p, d))),
    deployment: (_app: string, id: string) => read('by id', () => {
      const d = p.deployments.find((x) => x.uuid === id);
      return d ? view(p, d) : undefined;
    }),
  } as unknown as CleverApi;
}

function git(p: Platform): GitRemote {
  return {
    probe: async () => {
      p.probesAt.push(p.clock.now());
      p.clock.t += 2;
      return p.clock.now() >= p.readyAt ? 'ready' : 'absent';
    },
    push: async () => {
      p.clock.t += 80;
      if (p.clock.now() < p.readyAt) {
        p.refusedPushes += 1;
        throw new ProviderError("push: repository 'x' not found", { retryable: true });
      }
      p.pushesAt.push(p.clock.now());
      const n = p.deployments.length + 1;
      p.deployments.push({ uuid: `deployment_${n}`, id: n, date: p.clock.now(), state: 'WIP', action: 'DEPLOY', commit: SHA, endsAt: p.clock.now() + p.durationMs });
      return { upToDate: false };
    },
  };
}

async function deployNew(p: Platform, timing: DeployTiming = DEFAULT_DEPLOY_TIMING, known: CleverDeployment[] = []) {
  const logger = new RecordingLogger();
  const context = { logger, deadline: new Deadline(30 * 60_000, p.clock), plan: new Plan(false), adopt: false };
  const outcome = await deployCommit({
    api: api(p),
    git: git(p),
    context,
    timing,
    appId: 'app_x',
    appName: 'shop-x',
    remoteUrl: 'https://push.example.invalid/app_x.git',
    commit: SHA,
    dir: '.',
    force: false,
    known,
    runningCommit: known.length > 0 ? 'b'.repeat(40) : null,
  });
  return { outcome, endedAt: p.clock.now(), logger };
}

/** The largest step a wait may take with these options: the cap, plus its jitter. */
const largestStep = (o: { maxMs?: number; jitter?: number }) => o.maxMs! * (1 + o.jitter!);

/** Timings whose jitter always lands on one side: the longest or the shortest steps. */
const skewed = (side: 0 | 1): DeployTiming => ({
  ...DEFAULT_DEPLOY_TIMING,
  poll: { ...DEFAULT_DEPLOY_TIMING.poll, random: () => side },
  probe: { ...DEFAULT_DEPLOY_TIMING.probe, random: () => side },
});

describe('waits of a deploy (fake clock, default timings)', () => {
  it.each([
    { readyAt: 0, durationMs: 1_500, side: 1 as const },
    { readyAt: 2_730, durationMs: 1_500, side: 1 as const },
    { readyAt: 2_730, durationMs: 1_500, side: 0 as const },
    { readyAt: 9_999, durationMs: 42_000, side: 1 as const },
  ])('a new repository ready at $readyAt ms, a deployment of $durationMs ms (jitter side $side)', async ({ readyAt, durationMs, side }) => {
    const p = platform(readyAt, durationMs);
    const timing = skewed(side);
    const { outcome, endedAt } = await deployNew(p, timing);
    expect(outcome.deployed).toBe(true);
    expect(outcome.deployment).toMatchObject({ state: 'OK', commit: SHA });

    // No push before the repository answered, and the one push within one probe step of it.
    expect(p.refusedPushes).toBe(0);
    expect(p.pushesAt).toHaveLength(1);
    const pushStartedAt = p.pushesAt[0]! - 80;
    expect(pushStartedAt).toBeGreaterThanOrEqual(readyAt);
    expect(pushStartedAt - readyAt).toBeLessThanOrEqual(Math.max(0, largestStep(timing.probe)) + 2);
    // The first probe is at once: no sleep before asking.
    expect(p.probesAt[0]).toBe(0);

    // The end seen within one poll step (plus the read's own latency) of the deployment ending.
    const endsAt = p.deployments[0]!.endsAt;
    expect(endedAt).toBeGreaterThanOrEqual(endsAt);
    expect(endedAt - endsAt).toBeLessThanOrEqual(largestStep(timing.poll) + 2 * LATENCY);
    // The first read after the push is at once, and every sleep is one step of a backoff (no fixed waits).
    expect(p.reads[0]!.at).toBe(p.pushesAt[0]);
    expect(Math.max(...p.clock.sleeps)).toBeLessThanOrEqual(largestStep(timing.poll));
  });

  it('a long deployment is read about once a second, not more, and its end is still seen within a step', async () => {
    const p = platform(0, 10 * 60_000);
    const { endedAt } = await deployNew(p);
    const reads = p.reads.length;
    // Ten minutes at steps of 0.8–1.2 s (plus each read's latency): between ~470 and ~770 reads.
    expect(reads).toBeGreaterThan(450);
    expect(reads).toBeLessThan(800);
    expect(endedAt - p.deployments[0]!.endsAt).toBeLessThanOrEqual(largestStep(DEFAULT_DEPLOY_TIMING.poll) + 2 * LATENCY);
  });

  it('honours Retry-After on a deployment read, then goes back to its own pace', async () => {
    const p = platform(0, 5_000);
    p.failReads.push(new ProviderError('list deployments: 429 Too Many Requests', { status: 429, retryable: true, retryAfterSeconds: 3 }));
    const { outcome } = await deployNew(p);
    expect(outcome.deployed).toBe(true);
    const [first, second] = p.reads;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(3_000 + LATENCY);
    expect(second!.at - first!.at).toBeLessThan(3_000 + LATENCY + 100);
  });

  it('an app that already received code is pushed at once, without asking the repository first', async () => {
    const p = platform(0, 1_500);
    const old: CleverDeployment = { uuid: 'deployment_old', id: 0, date: -60_000, state: 'OK', action: 'DEPLOY', commit: 'b'.repeat(40) };
    await deployNew(p, DEFAULT_DEPLOY_TIMING, [old]);
    expect(p.probesAt).toEqual([]);
    expect(p.pushesAt).toEqual([80]);
  });
});
