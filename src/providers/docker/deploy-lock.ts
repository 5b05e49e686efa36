/**
 * One deploy at a time per preview. The engine has no lock, but creating a network whose name is
 * taken fails atomically, so `<name>.lock` (labelled ours, with an expiry for crashed runs) is
 * one. Only runs that change something take it: a no-op re-run stays free of writes.
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { backoffDelay } from '../../core/retry.js';
import { OWNER_MARKER } from '../types.js';
import { LABEL } from './labels.js';
import type { DockerRuntime } from './runtime.js';

export const LOCK_UNTIL = 'preview-kit.lock-until';

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
  for (let attempt = 0; ; attempt++) {
    const until = context.deadline.clock.now() + Math.max(60_000, context.deadline.remaining());
    try {
      await engine.createNetwork(lock, { [LABEL.managedBy]: OWNER_MARKER, [LABEL.name]: name, [LOCK_UNTIL]: String(until) });
      if (attempt > 0) context.logger.info(`the other deploy of ${name} is done; going on`);
      return {
        release: async () => {
          await engine.removeNetwork(lock).catch((error: unknown) => context.logger.warn(`could not remove the deploy lock ${lock}: ${(error as Error).message}`));
        },
      };
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status !== 409) throw error;
    }
    const held = await engine.inspectNetwork(lock);
    if (held && held.Labels?.[LABEL.managedBy] !== OWNER_MARKER) {
      throw new ProviderError(`network ${lock} exists but was not created by preview-kit; it blocks deploys of ${name}`, { hint: `remove it: docker network rm ${lock}` });
    }
    const expiry = Number(held?.Labels?.[LOCK_UNTIL] ?? 0);
    if (held && expiry < Date.now()) {
      context.logger.warn(`removing the stale deploy lock of ${name} (a run that crashed?)`);
      await engine.removeNetwork(lock);
      continue;
    }
    if (attempt === 0) context.logger.info(`another deploy of ${name} is running; waiting for it`);
    const delay = Math.min(backoffDelay(attempt, { initialMs: 200, maxMs: 2_000 }), context.deadline.remaining());
    if (delay <= 0) {
      throw new TimeoutError(`timed out after ${Math.round((context.deadline.clock.now() - started) / 1000)}s waiting for another deploy of ${name} to finish`, {
        hint: `raise --timeout, or remove a stale lock: docker network rm ${lock}`,
      });
    }
    context.logger.progress(`waiting for another deploy of ${name} (${Math.round((context.deadline.clock.now() - started) / 1000)}s)`);
    await context.deadline.clock.sleep(delay);
  }
}
