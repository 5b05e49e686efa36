/**
 * Waiting for a Deployment's rollout at the cluster's pace. Like `kubectl rollout status`, the
 * wait follows the Deployment through a watch from the version it already holds (the answer to
 * the apply, or the object as read), so it ends on the event that says the rollout is done
 * (rollout.ts decides, as kubectl does); a watch silent for 5 s is checked with a read. Where the
 * account may not watch, or watches keep failing, it polls instead: 100 ms at first, doubling to
 * 1 s. Meanwhile the pods are looked at with the same back-off, to fail fast on pods that cannot
 * start and to name what they wait for.
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { backoffDelay, WAIT_BACKOFF, type BackoffOptions, type Deadline } from '../../core/retry.js';
import type { KubeObject } from './labels.js';
import { deploymentRollout, describeProblems, FATAL_WAITING_REASONS, notReadyPods, podProblems, type RolloutStatus } from './rollout.js';
import type { WatchEvent } from './watch.js';

/** What the wait reads: the Deployment, a watch of it, its pods. */
export interface RolloutSource {
  read(): Promise<KubeObject | undefined>;
  /** A watch from `resourceVersion`, or undefined when watching is not possible here. */
  watch(resourceVersion: string | undefined): Promise<EventStream | undefined>;
  /** The Deployment's pods (none when they may not be listed). */
  pods(): Promise<KubeObject[]>;
}

export interface EventStream {
  next(waitMs: number): Promise<WatchEvent>;
  close(): void;
}

export interface RolloutWaitOptions {
  deadline: Deadline;
  logger: Logger;
  /** Fail as soon as the new pods show a reason that will not clear by itself (seen twice in a row). */
  failFast: boolean;
  /** The pace of polls and pod looks; WAIT_BACKOFF unless given. */
  backoff?: BackoffOptions;
}

/** Watches that ended in a row without an event before the wait falls back to polling. */
const WATCH_ATTEMPTS = 3;
/**
 * A watch silent this long is checked with a read: a proxy that holds events back, or a
 * connection that died without a word, must not keep a finished rollout waiting.
 */
const QUIET_READ_MS = 5_000;

export async function waitForRollout(first: KubeObject, commit: string, source: RolloutSource, o: RolloutWaitOptions): Promise<RolloutStatus> {
  const clock = o.deadline.clock;
  const pace = (attempt: number) => backoffDelay(attempt, { ...WAIT_BACKOFF, ...o.backoff });
  const namespace = first.metadata.namespace ?? '';
  const name = first.metadata.name ?? '';
  const what = `rollout of Deployment ${namespace}/${name}`;
  const disappeared = () => new ProviderError(`${what}: the Deployment disappeared`, { hint: 'another job may have stopped this preview; run up again to recreate it' });
  const read = async () => {
    const live = await source.read();
    if (!live) throw disappeared();
    return live;
  };
  const problemsOf = async () => {
    const problems = podProblems(await source.pods(), commit);
    const current = problems.filter((p) => p.current);
    return describeProblems(current.length ? current : problems);
  };

  let live = first;
  let stream: EventStream | undefined;
  let canWatch = true;
  let emptyWatches = 0;
  let polls = 0;
  let podLooks = 0;
  let nextPodLook = clock.now();
  let lastNews = clock.now();
  let fatalLooks = 0;
  // What the pods said at the last look: once the deadline has passed no request can be made.
  let lastPods = '';
  try {
    for (;;) {
      const status = deploymentRollout(live);
      o.logger.progress(`${name}: ${status.message}`);
      if (status.state === 'complete') return status;
      if (status.state === 'failed') {
        const problems = await problemsOf();
        throw new ProviderError(`${what} failed: ${status.message}${problems ? `: ${problems}` : ''}`, { hint: 'check the image and the app logs (kubectl logs)' });
      }
      o.deadline.check(what);
      const observed = !status.message.includes('spec update');
      if (observed && clock.now() >= nextPodLook) {
        // Old pods may still be available while the new ones cannot start: look at the pods.
        const pods = await source.pods();
        lastPods = describeProblems(notReadyPods(pods, commit));
        if (o.failFast && status.updated > 0) {
          const fatal = podProblems(pods, commit).filter((p) => p.current && FATAL_WAITING_REASONS.has(p.reason));
          // Seen twice in a row: a pull retry or a single crash is not yet a verdict.
          fatalLooks = fatal.length ? fatalLooks + 1 : 0;
          if (fatalLooks >= 2) throw new ProviderError(`${what} failed: ${describeProblems(fatal)}`, { hint: 'check the image and the app logs (kubectl logs)' });
        }
        nextPodLook = clock.now() + pace(podLooks++);
      }
      if (canWatch && !stream) {
        stream = await source.watch(live.metadata.resourceVersion);
        if (!stream) {
          canWatch = false;
          o.logger.debug(`cannot watch Deployment ${namespace}/${name}: polling its status instead`);
        }
      }
      if (stream) {
        const untilPods = observed ? nextPodLook - clock.now() : Number.POSITIVE_INFINITY;
        const untilRead = lastNews + QUIET_READ_MS - clock.now();
        const event = await stream.next(Math.max(0, Math.min(untilPods, untilRead, o.deadline.remaining())));
        if (event.type === 'quiet') {
          if (clock.now() - lastNews >= QUIET_READ_MS) {
            live = await read();
            lastNews = clock.now();
          }
          continue;
        }
        lastNews = clock.now();
        if (event.type === 'DELETED') throw disappeared();
        if (event.type === 'ended') {
          stream.close();
          stream = undefined;
          if (++emptyWatches >= WATCH_ATTEMPTS) canWatch = false;
          o.logger.debug(`watch of Deployment ${namespace}/${name}: ${event.why}`);
          live = await read();
          continue;
        }
        emptyWatches = 0;
        live = event.object;
        continue;
      }
      await clock.sleep(Math.min(pace(polls++), o.deadline.remaining()));
      o.deadline.check(what);
      live = await read();
    }
  } catch (error) {
    if (error instanceof TimeoutError) {
      const problems = lastPods || (await problemsOf().catch(() => ''));
      throw new TimeoutError(`${o.deadline.timeoutError(what).message}${problems ? `: ${problems}` : ''}`, {
        hint: problems ? 'check the image, the readiness probe and the app logs (kubectl describe pod / kubectl logs), or raise --timeout' : error.hint,
      });
    }
    throw error;
  } finally {
    stream?.close();
  }
}
