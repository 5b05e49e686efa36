/**
 * One deploy at a time per preview. The engine has no lock, but creating a network whose name is
 * taken fails atomically, so `<name>.lock` (labelled ours, with an expiry for crashed runs) is
 * one. Only runs that change something take it: a no-op re-run stays free of writes.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { backoffDelay } from '../../core/retry.js';
import { OWNER_MARKER } from '../types.js';
import { LABEL } from './labels.js';
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

export interface DeployLock {
  release(): Promise<void>;
}

export async function acquireDeployLock(rt: DockerRuntime, name: string): Promise<DeployLock> {
  const { engine, context } = rt;
  const lock = lockName(name);
  const started = context.deadline.clock.now();
  const run = randomBytes(6).toString('hex');
  const waited = () => Math.round((context.deadline.clock.now() - started) / 1000);
  const timedOut = () =>
    new TimeoutError(`timed out after ${waited()}s waiting for another deploy of ${name} to finish`, {
      hint: `raise --timeout, or remove a stale lock: docker network rm ${lock}`,
    });
  for (let attempt = 0; ; attempt++) {
    const until = context.deadline.clock.now() + Math.max(60_000, context.deadline.remaining());
    try {
      heldHere.add(run);
      await engine.createNetwork(lock, { [LABEL.managedBy]: OWNER_MARKER, [LABEL.name]: name, [LOCK_UNTIL]: String(until), [LOCK_HOLDER]: `${thisProcess.host} ${thisProcess.pid} ${run}` });
      if (attempt > 0) context.logger.info(`the other deploy of ${name} is done; going on`);
      return {
        release: async () => {
          await engine.removeNetwork(lock).catch((error: unknown) => context.logger.warn(`could not remove the deploy lock ${lock}: ${(error as Error).message}`));
          heldHere.delete(run);
        },
      };
    } catch (error) {
      heldHere.delete(run);
      // The deadline ran out inside the engine call: say what we were waiting for.
      if (error instanceof TimeoutError && attempt > 0) throw timedOut();
      if (!(error instanceof ProviderError) || error.status !== 409) throw error;
    }
    const held = await engine.inspectNetwork(lock);
    if (held && held.Labels?.[LABEL.managedBy] !== OWNER_MARKER) {
      throw new ProviderError(`network ${lock} exists but was not created by preview-kit; it blocks deploys of ${name}`, { hint: `remove it: docker network rm ${lock}` });
    }
    const expiry = Number(held?.Labels?.[LOCK_UNTIL] ?? 0);
    const gone = holderIsGone(held?.Labels?.[LOCK_HOLDER]);
    if (held && (expiry < Date.now() || gone)) {
      context.logger.warn(`removing the stale deploy lock of ${name} (${gone ? 'the run that took it on this machine is gone' : 'a run that crashed?'})`);
      // By id: when another waiter removed it first and took a new lock, that one stays.
      await engine.removeNetwork(held.Id || lock);
      continue;
    }
    if (attempt === 0) context.logger.info(`another deploy of ${name} is running; waiting for it`);
    const delay = Math.min(backoffDelay(attempt, { initialMs: 200, maxMs: 2_000 }), context.deadline.remaining());
    if (delay <= 0) throw timedOut();
    context.logger.progress(`waiting for another deploy of ${name} (${waited()}s)`);
    await context.deadline.clock.sleep(delay);
  }
}
