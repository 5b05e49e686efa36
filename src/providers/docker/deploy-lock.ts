/**
 * One deploy at a time per preview. The engine has no lock, but creating a network whose name is
 * taken fails atomically, so `<name>.lock` (labelled ours, with an expiry for crashed runs) is
 * one. Only runs that change something take it: a no-op re-run stays free of writes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { describeIdentity } from '../../core/identity.js';
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { backoffDelay, pauseAfter, WAIT_BACKOFF } from '../../core/retry.js';
import { ownershipOf } from '../reconcile.js';
import { OWNER_MARKER, type PreviewRef } from '../types.js';
import type { NetworkInspect } from './engine-types.js';
import { identityLabels, LABEL, marksOf } from './labels.js';
import type { DockerRuntime } from './runtime.js';

export const LOCK_UNTIL = 'preview-kit.lock-until';
/** `<host> <pid> <run>`: lets a run on the same machine see that the holder is gone. */
export const LOCK_HOLDER = 'preview-kit.lock-holder';

/** Runs of this process that hold a lock now (the library API may deploy several previews at once). */
const heldHere = new Set<string>();

export interface ThisProcess {
  host: string;
  pid: number;
  held: ReadonlySet<string>;
  /** True while a process with this pid runs. */
  alive(pid: number): boolean;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const thisProcess: ThisProcess = { host: hostname(), pid: process.pid, held: heldHere, alive: processAlive };

/**
 * A lock taken on this machine by a process that no longer runs (Ctrl-C, a killed job: the CLI
 * exits at once on a signal, without releasing) is stale now, not when its expiry comes, which
 * is the whole --timeout of the run that took it. Holders on other machines cannot be checked.
 */
export function holderIsGone(holder: string | undefined, here: ThisProcess = thisProcess): boolean {
  const [host, pidText, run] = (holder ?? '').split(' ');
  const pid = Number(pidText);
  if (!host || host !== here.host || !run || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === here.pid) return !here.held.has(run);
  return !here.alive(pid);
}

export function lockName(name: string): string {
  return `${name}.lock`;
}

/** The lock of preview `name` among networks listed by name (engine.networksMatching). */
export function lockOf(networks: NetworkInspect[], name: string): NetworkInspect | undefined {
  return networks.find((n) => n.Name === lockName(name));
}

export interface DeployLock {
  release(): Promise<void>;
}

/** A lock of this preview's whose run is gone (or expired): stale, whoever finds it may remove it. */
function isStale(held: NetworkInspect): boolean {
  return Number(held.Labels?.[LOCK_UNTIL] ?? 0) < Date.now() || holderIsGone(held.Labels?.[LOCK_HOLDER]);
}

/**
 * A re-run with nothing to deploy takes no lock; it still removes a stale one of this preview's
 * (a run interrupted after its switch, before its release), so the preview converges. `held` is
 * the lock as the run's network listing saw it.
 */
export async function removeStaleLock(rt: Pick<DockerRuntime, 'engine' | 'context'>, ref: PreviewRef, held: NetworkInspect | undefined): Promise<void> {
  if (!held || lockOwner(held, ref) !== 'ours' || !isStale(held)) return;
  rt.context.logger.warn(`removing the stale deploy lock of ${ref.name} (a run that was interrupted?)`);
  await rt.context.plan.apply({ kind: 'delete', target: `network ${held.Name}`, detail: 'stale deploy lock' }, () => rt.engine.removeNetwork(held.Id), true);
}

/** Whose lock a held lock network is, for the message when it is not ours to take. */
function lockOwner(held: NetworkInspect, ref: PreviewRef): 'ours' | string {
  const ownership = ownershipOf(marksOf(held.Labels), ref.key);
  if (ownership.kind === 'ours') return 'ours';
  if (ownership.kind === 'other') return ownership.whose;
  return 'nobody: it lacks preview-kit\'s marker';
}

export async function acquireDeployLock(rt: Pick<DockerRuntime, 'engine' | 'context'>, ref: PreviewRef): Promise<DeployLock> {
  const { engine, context } = rt;
  const name = ref.name;
  const lock = lockName(name);
  const started = context.deadline.clock.now();
  const run = randomBytes(6).toString('hex');
  const holder = `${thisProcess.host} ${thisProcess.pid} ${run}`;
  const waited = () => Math.round((context.deadline.clock.now() - started) / 1000);
  const timedOut = () =>
    new TimeoutError(`timed out after ${waited()}s waiting for another deploy of ${name} to finish`, {
      hint: `raise --timeout, or remove a stale lock: docker network rm ${lock}`,
    });
  const taken = (id: string): DeployLock => ({
    release: async () => {
      // By id: a lock that expired and was taken over by another run stays.
      await engine.removeNetwork(id).catch((error: unknown) => context.logger.warn(`could not remove the deploy lock ${lock}: ${(error as Error).message}`));
      heldHere.delete(run);
    },
  });
  for (let attempt = 0; ; attempt++) {
    const until = context.deadline.clock.now() + Math.max(60_000, context.deadline.remaining());
    let held: NetworkInspect | undefined;
    try {
      heldHere.add(run);
      const id = await engine.createNetwork(lock, { ...identityLabels(ref), [LOCK_UNTIL]: String(until), [LOCK_HOLDER]: holder });
      if (attempt > 0) context.logger.info(`the other deploy of ${name} is done; going on`);
      return taken(id);
    } catch (error) {
      // The deadline ran out inside the engine call: say what we were waiting for.
      if (error instanceof TimeoutError && attempt > 0) {
        heldHere.delete(run);
        throw timedOut();
      }
      const conflict = error instanceof ProviderError && error.status === 409;
      if (!conflict && !(error instanceof ProviderError && error.retryable)) {
        heldHere.delete(run);
        throw error;
      }
      // A create whose answer was lost may have been applied: the holder label tells.
      held = await engine.inspectNetwork(lock);
      if (held?.Labels?.[LOCK_HOLDER] === holder) return taken(held.Id);
      heldHere.delete(run);
      if (!conflict) {
        context.logger.debug(`create the deploy lock ${lock}: ${(error as Error).message}; trying again`);
        const pause = Math.min(pauseAfter(error, attempt, WAIT_BACKOFF), context.deadline.remaining());
        if (pause <= 0) throw error;
        await context.deadline.clock.sleep(pause);
        continue;
      }
    }
    if (held && held.Labels?.[LABEL.managedBy] !== OWNER_MARKER) {
      throw new ProviderError(`network ${lock} exists but was not created by preview-kit; it blocks deploys of ${name}`, { hint: `remove it: docker network rm ${lock}` });
    }
    const owner = held ? lockOwner(held, ref) : 'ours';
    if (owner !== 'ours') {
      throw new ProviderError(`network ${lock} is the deploy lock of ${owner}, not of ${describeIdentity(ref.identity)}; it blocks deploys of ${name}`, {
        hint: `stop that preview, or remove the lock if it is stale: docker network rm ${lock}`,
      });
    }
    const gone = holderIsGone(held?.Labels?.[LOCK_HOLDER]);
    if (held && isStale(held)) {
      context.logger.warn(`removing the stale deploy lock of ${name} (${gone ? 'the run that took it on this machine is gone' : 'a run that crashed?'})`);
      // By id: when another waiter removed it first and took a new lock, that one stays.
      await engine.removeNetwork(held.Id || lock);
      continue;
    }
    if (attempt === 0) context.logger.info(`another deploy of ${name} is running; waiting for it`);
    // The other run's release is the fact waited on: checked again within one step of it.
    const delay = Math.min(backoffDelay(attempt, WAIT_BACKOFF), context.deadline.remaining());
    if (delay <= 0) throw timedOut();
    context.logger.progress(`waiting for another deploy of ${name} (${waited()}s)`);
    await context.deadline.clock.sleep(delay);
  }
}
