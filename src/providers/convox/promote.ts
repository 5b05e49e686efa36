/**
 * Promoting a release, and waiting until the app runs it. What makes this more than one call:
 *
 * - the rack refuses a promotion while the app is not `running` (403 "app is currently updating",
 *   ReleasePromoteValidate of both generations): we wait until it runs, as the convox CLI does,
 *   then look again — that is never a permission problem;
 * - a promotion may be applied and still answered 5xx. A v3 rack moves `App.Release` at once; a
 *   v2 rack shows `updating` and moves it only when the stack update ends. So after a 5xx we look,
 *   wait out an update under way, and promote again only if the app still runs another release;
 * - concurrent runs of the same commit each build a release: whichever of those runs in the end,
 *   the commit is live, and a rack's "can not promote an older release" then says just that.
 */
import { isRetryable, ProviderError } from '../../core/errors.js';
import { backoffDelay, poll } from '../../core/retry.js';
import type { Rack } from './client.js';
import { builtFrom } from './preview.js';
import type { RackApp } from './rack-api.js';
import { FAILED, sayStatusOnTimeout, waitAppSettled } from './waiting.js';

/** Promotions answered 5xx or dropped, tried again at most this often. */
const LOST_PROMOTE_ATTEMPTS = 5;

export type PromoteOutcome = 'promoted' | 'already-live';

/** Whether the app runs a release built from `commit` (a concurrent run may have promoted its own). */
async function runsCommit(rack: Rack, app: RackApp, commit: string): Promise<boolean> {
  if (!app.release) return false;
  const release = await rack.api.getRelease(app.name, app.release);
  return release.build ? builtFrom(await rack.api.getBuild(app.name, release.build), commit) : false;
}

async function getApp(rack: Rack, name: string): Promise<RackApp> {
  const app = await rack.api.getApp(name);
  if (!app) throw new ProviderError(`deploy: app ${name} disappeared during the promotion`, { hint: 'did another job stop this preview?' });
  return app;
}

/** Sends the promotion until the rack has taken it (or the app already runs it). */
async function startPromotion(rack: Rack, name: string, releaseId: string, commit: string): Promise<PromoteOutcome> {
  const { logger, deadline } = rack.context;
  let lost = 0;
  for (;;) {
    let app = await getApp(rack, name);
    if (app.release === releaseId) return lost > 0 ? 'promoted' : 'already-live';
    let answer: 'started' | 'busy';
    try {
      answer = await rack.api.promote(name, releaseId);
    } catch (error) {
      const said = (error as Error).message;
      // Validation refusals (v2 500, v3 400): final, whatever their status says.
      if (/can not promote/i.test(said)) {
        if (/older release/i.test(said) && (await runsCommit(rack, await getApp(rack, name), commit))) return 'already-live';
        throw new ProviderError(said, { hint: /older/i.test(said) ? 'a newer release runs already: deploy a newer commit, or roll back with `convox releases rollback`' : `see \`convox releases -a ${name}\`` });
      }
      if (!isRetryable(error) || ++lost >= LOST_PROMOTE_ATTEMPTS) throw error;
      logger.warn(`promote release ${releaseId} of ${name}: ${(error as Error).message}; looking at the app before trying again`);
      app = await getApp(rack, name);
      if (app.release === releaseId) return 'promoted';
      // v2: a promotion that was applied shows as an update under way; its release shows when it ends.
      if (app.status !== 'running') await waitAppSettled(rack, name, false);
      else await deadline.clock.sleep(Math.min(backoffDelay(lost - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
      continue;
    }
    if (answer === 'started') return 'promoted';
    logger.info(`app ${name} is updating (another deploy, a lost promotion or a change of its parameters): waiting until it runs before promoting ${releaseId}`);
    app = await waitAppSettled(rack, name, false);
    if (app.status === 'failed') {
      throw new ProviderError(`deploy: app ${name} is in status "failed" and the rack refuses to promote it`, { hint: `see \`convox apps info ${name}\`; a failed app may need \`convox apps delete ${name}\` and a new up` });
    }
  }
}

/**
 * Promotes the release and waits until the app runs it — or another release of the same commit,
 * which a concurrent run promoted. A rollback, or running a release of another commit, is exit 5.
 */
export async function promoteRelease(rack: Rack, name: string, releaseId: string, commit: string): Promise<PromoteOutcome> {
  const { plan, logger } = rack.context;
  const outcome = await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `promote release ${releaseId}` }, () => startPromotion(rack, name, releaseId, commit), 'promoted' as const);
  if (plan.dryRun) return outcome;
  let status = 'updating';
  await sayStatusOnTimeout(
    name,
    () => status,
    poll(
      async () => {
        const app = await getApp(rack, name);
        status = app.status;
        if (FAILED.has(app.status)) {
          throw new ProviderError(`deploy: release ${releaseId} of ${name} did not start: the app is in status "${app.status}"`, {
            hint: `see \`convox logs -a ${name}\` and \`convox releases -a ${name}\``,
          });
        }
        if (app.status !== 'running') return undefined;
        if (app.release === releaseId || (await runsCommit(rack, app, commit))) return app;
        throw new ProviderError(`deploy: release ${releaseId} of ${name} was not kept: the app runs ${app.release || 'no release'}`, {
          hint: 'it was rolled back, or a concurrent deploy promoted another commit',
        });
      },
      { ...rack.pollOptions(`release ${releaseId} of ${name} to be running`), onWait: (ms) => logger.progress(`promoting ${releaseId}: ${status} (${Math.round(ms / 1000)}s)`) },
    ),
  );
  return outcome;
}
