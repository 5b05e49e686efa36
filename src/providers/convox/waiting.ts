/**
 * Waiting on the rack's facts: an app that runs, an app that is gone, an empty app claimed by
 * the run that created it. Every wait polls `GET /apps/{name}` on the command's deadline and
 * says, when it runs out, which status the app was stuck in.
 */
import { Deadline, poll } from '../../core/retry.js';
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { inspect, isEmptyApp, type AppState } from './app-state.js';
import type { Rack } from './client.js';
import type { RackApp } from './rack-api.js';

/**
 * Statuses in which nothing moves until someone acts. `rollback` is not one: on both generations
 * it ends in `running` (or, for a v2 app whose creation failed, `failed`).
 */
export const SETTLED = new Set(['running', 'failed', 'unknown']);
export const FAILED = new Set(['rollback', 'failed']);

/** A wait that ran out of time says the status the app was stuck in, and where to look. */
export async function sayStatusOnTimeout<T>(name: string, status: () => string, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    const busy = status() === 'updating' ? '; another deploy or a change of its parameters may still be under way' : '';
    throw new TimeoutError(`${error.message}: the app was still "${status()}"${busy}`, {
      hint: `see \`convox apps info ${name}\` and \`convox logs -a ${name}\`, or raise --timeout`,
    });
  }
}

/**
 * Waits until the app's status is settled. `justCreated`: we created it, so a failed creation
 * (`rollback`, `failed`) is our failure (exit 5), and the app may not be listed yet. An existing
 * app left `failed` is returned as it is, for the next promotion to repair.
 */
export async function waitAppSettled(rack: Rack, name: string, justCreated: boolean): Promise<RackApp> {
  let status = 'unknown';
  const { logger } = rack.context;
  const check = async (): Promise<RackApp | undefined> => {
    const app = await rack.api.getApp(name);
    if (!app) {
      if (justCreated) return undefined;
      throw new ProviderError(`app ${name} disappeared while we waited for it`, { hint: 'did another job stop this preview?' });
    }
    status = app.status;
    if (justCreated && FAILED.has(app.status)) {
      throw new ProviderError(`create app ${name}: the rack left it in status "${app.status}"`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
    }
    if (app.status === 'deleting') throw new ProviderError(`app ${name} is being deleted`, { hint: 'another job is stopping this preview; run again once it is gone' });
    if (!SETTLED.has(app.status)) return undefined;
    if (app.status === 'failed') logger.warn(`app ${name} is in status "failed"; the next promotion may repair it`);
    if (app.status === 'unknown') logger.warn(`the rack reports app ${name} in status "unknown"; going on`);
    return app;
  };
  return sayStatusOnTimeout(name, () => status, poll(check, { ...rack.pollOptions(`app ${name} to be running`), onWait: (ms) => logger.progress(`app ${name}: ${status} (${Math.round(ms / 1000)}s)`) }));
}

/** Waits until the rack no longer knows the app. */
export async function waitGone(rack: Rack, name: string): Promise<void> {
  let runningSeen = 0;
  await poll(
    async () => {
      const app = await rack.api.getApp(name);
      if (!app) return true;
      // A rack that failed to delete puts the app back to running (CloudFormation DELETE_FAILED).
      runningSeen = app.status === 'running' ? runningSeen + 1 : 0;
      if (runningSeen >= 3) throw new ProviderError(`stop: the rack did not delete app ${name}: it is running again`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
      return undefined;
    },
    { ...rack.pollOptions(`app ${name} to be deleted`), onWait: (ms) => rack.context.logger.progress(`deleting app ${name} (${Math.round(ms / 1000)}s)`) },
  );
}

/**
 * An empty app may be another run's, between its `POST /apps` and its first release: give that
 * run `claimWait` to write its marks. Answers the app as it is then (still empty when nobody
 * claimed it), or undefined when it went away meanwhile.
 */
export async function waitForClaim(rack: Rack, state: AppState): Promise<AppState | undefined> {
  const name = state.app.name;
  const limit = Math.min(rack.settings.claimWaitMs, rack.context.deadline.remaining());
  const local = new Deadline(limit, rack.context.deadline.clock);
  rack.context.logger.info(`app ${name} exists without any release or build yet; waiting up to ${Math.round(limit / 1000)}s for the run that created it to mark it`);
  try {
    return await poll(async () => {
      const now = await inspect(rack, name);
      if (!now) return { gone: true } as const;
      return isEmptyApp(now) ? undefined : { state: now };
    }, rack.pollOptions(`the marks of app ${name}`, local)).then((r) => ('gone' in r ? undefined : r.state));
  } catch (error) {
    if (error instanceof TimeoutError) return (await inspect(rack, name)) ?? undefined;
    throw error;
  }
}
