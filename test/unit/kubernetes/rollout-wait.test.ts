/**
 * The rollout wait's pace, on a fake clock: with a watch it ends on the event that completes the
 * rollout and never sleeps; without one it polls from 100 ms doubling to 1 s, so it ends at most
 * one step after the rollout completed; a watch that ends is followed by a read and a new watch
 * from the version read; pods that cannot start fail the wait on the second look.
 */
import { describe, expect, it } from 'vitest';
import { Deadline, type Clock } from '../../../src/core/retry.js';
import { ProviderError, TimeoutError } from '../../../src/core/errors.js';
import type { KubeObject } from '../../../src/providers/kubernetes/labels.js';
import { waitForRollout, type EventStream, type RolloutSource } from '../../../src/providers/kubernetes/rollout-wait.js';
import type { WatchEvent } from '../../../src/providers/kubernetes/watch.js';
import { MemoryLogger } from '../../integration/kubernetes/helpers.js';

const COMMIT = 'c'.repeat(40);

class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

/** A Deployment at `generation` whose status says `updated` of 1 replicas updated and `available` available. */
function deployment(rv: number, status: { observed?: number; updated?: number; available?: number; replicas?: number } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'previews', generation: 2, resourceVersion: String(rv) },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
    status: { observedGeneration: status.observed ?? 2, replicas: status.replicas ?? 1, updatedReplicas: status.updated ?? 0, availableReplicas: status.available ?? 0 },
  };
}

const applied = deployment(10, { observed: 1, updated: 1, available: 1 });
const done = (rv: number) => deployment(rv, { updated: 1, available: 1 });

function options(clock: Clock, extra: { failFast?: boolean; timeoutMs?: number } = {}) {
  return { deadline: new Deadline(extra.timeoutMs ?? 60_000, clock), logger: new MemoryLogger(), failFast: extra.failFast ?? true };
}

/** A stream that hands out `events` in order, each `afterMs` of the clock after the one before; then stays quiet. */
function scripted(clock: FakeClock, events: Array<{ afterMs: number; event: WatchEvent }>): EventStream & { closed: boolean } {
  const queue = [...events];
  return {
    closed: false,
    async next(waitMs: number) {
      const head = queue[0];
      if (!head || head.afterMs > waitMs) {
        clock.t += waitMs;
        if (head) head.afterMs -= waitMs;
        return { type: 'quiet' };
      }
      clock.t += head.afterMs;
      queue.shift();
      return head.event;
    },
    close() {
      this.closed = true;
    },
  };
}

describe('kubernetes rollout wait', () => {
  it('with a watch: ends on the event that completes the rollout, from the applied version, without sleeping or reading', async () => {
    const clock = new FakeClock();
    const watchedFrom: Array<string | undefined> = [];
    let reads = 0;
    const stream = scripted(clock, [
      { afterMs: 20, event: { type: 'MODIFIED', object: deployment(11, { updated: 1, available: 0, replicas: 2 }) } },
      { afterMs: 2_480, event: { type: 'MODIFIED', object: done(12) } },
    ]);
    const source: RolloutSource = {
      read: async () => (reads++, done(12)),
      watch: async (rv) => (watchedFrom.push(rv), stream),
      pods: async () => [],
    };
    const status = await waitForRollout(applied, COMMIT, source, options(clock));
    expect(status.state).toBe('complete');
    expect(watchedFrom).toEqual(['10']);
    expect(reads).toBe(0);
    expect(clock.sleeps).toEqual([]);
    // The event arrived at 2 500 ms: the wait ended then, not a poll step later.
    expect(clock.t).toBe(2_500);
    expect(stream.closed).toBe(true);
  });

  it('without a watch: polls from 100 ms doubling to 1 s, and ends within one step of the rollout completing', async () => {
    const clock = new FakeClock();
    const completesAt = 2_500;
    const source: RolloutSource = {
      read: async () => (clock.t >= completesAt ? done(20) : deployment(15, { updated: 1, available: 0, replicas: 2 })),
      watch: async () => undefined,
      pods: async () => [],
    };
    const status = await waitForRollout(applied, COMMIT, source, options(clock));
    expect(status.state).toBe('complete');
    expect(clock.sleeps[0]).toBeLessThanOrEqual(120);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(1_200);
    // Never a fixed wait: each step at most double the one before (with the jitter's margin).
    clock.sleeps.slice(1).forEach((ms, i) => expect(ms).toBeLessThanOrEqual(Math.max(clock.sleeps[i]! * 2 * 1.5, 1_200)));
    expect(clock.t).toBeGreaterThanOrEqual(completesAt);
    expect(clock.t - completesAt).toBeLessThanOrEqual(1_200);
  });

  it('a watch that ends (410, or the server’s timeout) is followed by a read and a new watch from the version read', async () => {
    const clock = new FakeClock();
    const watchedFrom: Array<string | undefined> = [];
    const streams = [
      scripted(clock, [{ afterMs: 50, event: { type: 'ended', why: 'the watch answered 410 too old resource version' } }]),
      scripted(clock, [{ afterMs: 300, event: { type: 'MODIFIED', object: done(31) } }]),
    ];
    const source: RolloutSource = {
      read: async () => deployment(30, { updated: 1, available: 0, replicas: 1 }),
      watch: async (rv) => (watchedFrom.push(rv), streams.shift()),
      pods: async () => [],
    };
    const status = await waitForRollout(applied, COMMIT, source, options(clock));
    expect(status.state).toBe('complete');
    expect(watchedFrom).toEqual(['10', '30']);
    expect(clock.sleeps).toEqual([]);
  });

  it('a watch that stays silent (a proxy holding events back) is checked with a read after 5 s', async () => {
    const clock = new FakeClock();
    let reads = 0;
    const source: RolloutSource = {
      read: async () => (reads++, done(50)),
      watch: async () => scripted(clock, []),
      pods: async () => [],
    };
    const status = await waitForRollout(applied, COMMIT, source, options(clock));
    expect(status.state).toBe('complete');
    expect(reads).toBe(1);
    expect(clock.t).toBe(5_000);
  });

  it('a Deployment deleted during the wait ends it with a message a person can act on', async () => {
    const clock = new FakeClock();
    const source: RolloutSource = {
      read: async () => undefined,
      watch: async () => scripted(clock, [{ afterMs: 10, event: { type: 'DELETED', object: done(40) } }]),
      pods: async () => [],
    };
    await expect(waitForRollout(applied, COMMIT, source, options(clock))).rejects.toThrow(/the Deployment disappeared/);
  });

  it('pods that cannot start fail the wait on the second look, while the watch is quiet', async () => {
    const clock = new FakeClock();
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', annotations: { 'preview-kit/commit': COMMIT } },
      status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] },
    };
    let looks = 0;
    const source: RolloutSource = {
      read: async () => undefined,
      watch: async () => scripted(clock, []),
      pods: async () => (looks++, [pod]),
    };
    const error = await waitForRollout(deployment(10, { updated: 1, available: 0, replicas: 2 }), COMMIT, source, options(clock)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/ImagePullBackOff/);
    expect(looks).toBe(2);
    // The second look came one step (about 100 ms) after the first.
    expect(clock.t).toBeLessThanOrEqual(120);
  });

  it('at the deadline: a timeout naming what the pods wait for, seen before the deadline passed', async () => {
    const clock = new FakeClock();
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', annotations: { 'preview-kit/commit': COMMIT } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] },
    };
    const source: RolloutSource = {
      read: async () => deployment(10, { updated: 1, available: 0, replicas: 1 }),
      watch: async () => scripted(clock, []),
      pods: async () => [pod],
    };
    const error = await waitForRollout(deployment(10, { updated: 1, available: 0, replicas: 1 }), COMMIT, source, options(clock, { timeoutMs: 8_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/rollout of Deployment previews\/web.*web-1.*running but not ready/);
  });
});
