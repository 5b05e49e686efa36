/**
 * Following a deployment from the moment something started it (a push, a restart) until it ends,
 * the way clever-tools does — find it among the application's recent deployments, then read it by
 * id until it leaves WIP — but with a backoff rather than clever-tools' fixed 5 s (deploy.ts's
 * timing: reads 100 ms apart at first, then growing up to one second), so the end is seen at most
 * one step after it happened, and a ten-minute build costs about six hundred small reads. One request per look: the listing until the deployment shows, then the
 * deployment by id (a read by id right after a restart may answer 404: the listing is asked first).
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { poll, type BackoffOptions } from '../../core/retry.js';
import type { ProviderContext } from '../types.js';
import type { CleverApi, CleverDeployment } from './api.js';
import { newestFirst } from './preview-state.js';

export interface WatchInput {
  api: CleverApi;
  context: ProviderContext;
  /** Spacing of the reads (deploy.ts: `DEFAULT_DEPLOY_TIMING.poll`). */
  backoff: BackoffOptions;
  appId: string;
  appName: string;
  commit: string;
  /** When the deploy began (clock ms), for the elapsed time in progress lines. */
  startedAt?: number;
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * Waits for the deployment `pick` finds among the recent ones, then for its end, and returns it
 * when it ended OK; any other end is a failure. `seen`: the deployment as just read, when the
 * caller already has it (the first look then waits one step instead of asking again at once).
 */
export async function awaitDeployment(
  input: WatchInput,
  pick: (newestFirst: CleverDeployment[]) => CleverDeployment | undefined,
  seen?: CleverDeployment,
): Promise<CleverDeployment> {
  const { api, context, appId, commit } = input;
  const t0 = input.startedAt ?? context.deadline.clock.now();
  const elapsed = () => Math.round((context.deadline.clock.now() - t0) / 1000);
  let current = seen;
  let fresh = seen !== undefined;
  const ended =
    current && current.state !== 'WIP'
      ? current
      : await poll(
          async () => {
            if (fresh) {
              fresh = false;
              return undefined;
            }
            if (!current) {
              current = pick(newestFirst(await api.deployments(appId, 5)));
            } else {
              // Gone from the by-id route (404) is read as "not readable yet": the next look asks again.
              current = (await api.deployment(appId, current.uuid)) ?? current;
            }
            return current && current.state !== 'WIP' ? current : undefined;
          },
          {
            ...input.backoff,
            deadline: context.deadline,
            what: `the deployment of ${short(commit)}`,
            onWait: () =>
              context.logger.progress(
                current ? `deployment ${short(commit)}: ${current.state} ${elapsed()}s` : `deployment ${short(commit)}: waiting to start ${elapsed()}s`,
              ),
          },
        ).catch((error: unknown) => {
          if (!(error instanceof TimeoutError)) throw error;
          if (!current) throw context.deadline.timeoutError(`the deployment of ${short(commit)} to start`);
          // Our deadline ended, not the deployment: say that it goes on and how to pick it up again.
          throw new TimeoutError(`deploy ${input.appName}: ${context.deadline.timeoutError(`deployment ${current.uuid} of ${short(commit)} to end`).message}`, {
            hint: 'the deployment goes on at Clever Cloud; the same command run again follows it without pushing again, or raise --timeout',
            cause: error,
          });
        });
  if (ended.state !== 'OK') {
    throw new ProviderError(`deploy ${input.appName}: deployment ${ended.uuid} of ${short(commit)} ended ${ended.state}${ended.cause ? ` (started by ${ended.cause})` : ''}`, {
      hint: `read the build logs: clever logs --app ${appId} --deployment-id ${ended.uuid}`,
    });
  }
  context.logger.info(`deployment ${short(commit)}: OK after ${elapsed()}s`);
  return ended;
}
