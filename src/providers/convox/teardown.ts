/**
 * Removing a preview's app: `DELETE /apps/{name}` (the rack removes builds, releases and
 * resources with it), then a wait until the rack no longer knows the name. Only an app carrying
 * this preview's marks is removed; another preview's or an unmarked one is left with a warning.
 */
import { ConflictError, isRetryable, ProviderError } from '../../core/errors.js';
import { backoffDelay } from '../../core/retry.js';
import { classify, teardownTargets } from '../reconcile.js';
import type { DestroyResult, PreviewRef } from '../types.js';
import { readHooks } from './app-hooks.js';
import { inspect } from './app-state.js';
import type { Rack } from './client.js';
import { waitGone } from './waiting.js';

const DELETE_ATTEMPTS = 5;

/**
 * Sends the delete until the rack has taken it. A delete answered 5xx may have been applied, and
 * a v3 rack refuses a second delete of a namespace it is removing: look before sending another.
 */
async function deleteApp(rack: Rack, name: string): Promise<void> {
  const { deadline, logger } = rack.context;
  for (let attempt = 1; ; attempt++) {
    try {
      await rack.api.deleteApp(name);
      return;
    } catch (error) {
      const locked = error instanceof ConflictError || /TerminationProtection|is locked/i.test((error as Error).message);
      if (locked) throw new ProviderError(`stop: the rack refused to delete app ${name}: ${(error as Error).message}`, { hint: `if it is locked: convox apps unlock -a ${name}` });
      const now = await rack.api.getApp(name);
      if (!now || now.status === 'deleting') return;
      if (!isRetryable(error) || attempt >= DELETE_ATTEMPTS) throw error;
      logger.warn(`delete app ${name}: ${(error as Error).message}; trying again`);
      await deadline.clock.sleep(Math.min(backoffDelay(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
    }
  }
}

export async function destroyApp(rack: Rack, ref: PreviewRef): Promise<DestroyResult> {
  const { plan, logger, adopt } = rack.context;
  const name = ref.name;
  const hooks = readHooks(rack, ref);
  const state = await inspect(rack, name);
  if (!state) return { deleted: false, removed: [] };
  const found = classify([state], hooks, ref.identity);
  const [target] = teardownTargets(found, hooks, { logger, adopt });
  if (!target) {
    // Someone else's deletion under way: nothing of this preview's is there to wait for.
    return { deleted: false, removed: [] };
  }
  if (state.app.status !== 'deleting') {
    await plan.apply({ kind: 'delete', target: `app ${name}`, detail: 'with its builds, releases and resources' }, () => deleteApp(rack, name), undefined);
  } else logger.info(`app ${name} is being deleted already; waiting until it is gone`);
  if (!plan.dryRun) await waitGone(rack, name);
  return { deleted: true, removed: [`app ${name}`] };
}
