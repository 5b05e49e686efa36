/**
 * Deploying a commit: a git push of `<sha>:refs/heads/master` to the app's remote, then following
 * the deployment the push starts until it ends (deployment-watch.ts). What the remote holds is read
 * off the API, not asked of git: the newest deployment is of the commit the remote's branch last
 * moved to (every push that moves it starts one), and the app's `commitId` is what its instances
 * run. So a deploy is skipped when that commit runs and its deployment succeeded; restarted
 * through the API when the remote has the commit but its deployment failed (a push of the same
 * commit would start nothing), and started again from its build, without a push or a rebuild, when
 * the preview sleeps (its instances were stopped). A repository that never received code may
 * still be being made: the push waits until it answers (repository.ts) instead of being refused.
 */
import { isRetryable, ProviderError } from '../../core/errors.js';
import { backoffDelay, WAIT_BACKOFF, type BackoffOptions } from '../../core/retry.js';
import type { ProviderContext } from '../types.js';
import type { CleverApi, CleverDeployment } from './api.js';
import { awaitDeployment } from './deployment-watch.js';
import type { GitRemote } from './git.js';
import { isDeploy, newestFirst } from './preview-state.js';
import { PROBE_BACKOFF, waitForRepository } from './repository.js';

export { newestFirst };

export const DEPLOY_REF = 'refs/heads/master';

export interface DeployTiming {
  /** Spacing of deployment reads. */
  poll: BackoffOptions;
  /** Spacing of repository probes while a new repository is made. */
  probe: BackoffOptions;
  /** Spacing of pushes again after one failed for a passing reason (5xx, network). */
  push: BackoffOptions;
  /** Pushes in all, the first included (the deadline may end them sooner). */
  pushAttempts: number;
}

export const DEFAULT_DEPLOY_TIMING: DeployTiming = {
  // WAIT_BACKOFF's 100 ms to 1 s, growing by a quarter rather than doubling: a look lands at most about
  // a quarter of the time already waited after the end (doubling: up to all of it), which is what
  // a short deployment's end costs; past four seconds it is one read a second all the same, four
  // reads more per deployment in all.
  poll: { ...WAIT_BACKOFF, factor: 1.25 },
  probe: PROBE_BACKOFF,
  // A push that failed is a whole git run; starting at a quarter of a second keeps a passing
  // hiccup cheap without hammering a git front that is in trouble.
  push: { ...WAIT_BACKOFF, initialMs: 250, maxMs: 2_000 },
  pushAttempts: 10,
};

export interface DeployInput {
  api: CleverApi;
  git: GitRemote;
  context: ProviderContext;
  timing: DeployTiming;
  appId: string;
  appName: string;
  /** The app's `deployment.httpUrl`. */
  remoteUrl: string;
  commit: string;
  dir: string;
  force: boolean;
  /** Recent deployments already read in this process (newest first), to save a read. */
  known?: CleverDeployment[];
  /** Commit of the running instances (`commitId` of the app). */
  runningCommit?: string | null;
  /** When this deploy began (clock ms), for the elapsed time in progress lines. */
  startedAt?: number;
  /**
   * Why the running instances must restart even when their commit is live (e.g. the environment
   * changed in this run: Clever Cloud applies variables only when instances start).
   */
  restart?: string;
  /** The instances are stopped (the preview sleeps): a live commit is started again, not skipped. */
  asleep?: boolean;
}

export interface DeployOutcome {
  deployed: boolean;
  reason?: string;
  deployment?: CleverDeployment;
}

const short = (sha: string) => sha.slice(0, 7);

const sameCommit = (d: CleverDeployment, sha: string) => (d.commit ?? '').toLowerCase() === sha.toLowerCase();

/** Checks the remote URL before git sees it: http(s) only, no credentials inside. */
export function checkRemoteUrl(url: string | undefined, appName: string): string {
  if (!url) {
    throw new ProviderError(`deploy ${appName}: the application has no git remote (deployment.httpUrl is empty)`, {
      hint: 'is it a git-deployed application?',
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProviderError(`deploy ${appName}: the application's git remote "${url}" is not a URL`);
  }
  // Plain http is for self-hosted setups and the local fake; the real API hands out https.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ProviderError(`deploy ${appName}: unsupported git remote scheme ${parsed.protocol}`, { hint: 'an http(s) remote is needed' });
  }
  if (parsed.username || parsed.password) {
    parsed.username = '';
    parsed.password = '';
  }
  return parsed.toString();
}

export async function deployCommit(request: DeployInput): Promise<DeployOutcome> {
  const input: DeployInput = { ...request, startedAt: request.context.deadline.clock.now() };
  const { api, context, appId, commit } = input;
  const sha = commit.toLowerCase();
  const remoteUrl = checkRemoteUrl(input.remoteUrl, input.appName);
  const known = input.known ?? newestFirst(await api.deployments(appId, 5));
  const running = input.runningCommit?.toLowerCase();
  // The newest deployment that ran code is of the commit the remote's branch last moved to.
  const newest = known.find(isDeploy);
  const remoteHas = newest !== undefined && sameCommit(newest, sha);

  if (!input.force) {
    if (remoteHas && newest.state === 'WIP') {
      context.logger.info(`commit ${short(sha)} is already being deployed (${newest.uuid}); following it`);
      const ended = await awaitDeployment(watchInput(input), (list) => list.find((d) => d.uuid === newest.uuid), newest);
      return { deployed: false, reason: `commit ${short(sha)} was already being deployed; it ended OK`, deployment: ended };
    }
    const live = remoteHas ? newest.state === 'OK' && (!running || running === sha) : newest === undefined && running === sha;
    if (live) {
      // Waking: the build of this commit is there, so the instances start from it (build cache).
      if (input.asleep) return redeploy(input, known, 'the preview was asleep', true);
      if (input.restart) return redeploy(input, known, input.restart, true);
      return { deployed: false, reason: `commit ${short(sha)} is already live`, ...(newest ? { deployment: newest } : {}) };
    }
  }
  if (remoteHas) {
    // The remote has the commit: a push would start nothing, so restart through the API.
    const why = input.force ? 'forced' : newest.state !== 'OK' ? `its last deployment ended ${newest.state}` : `the instances run ${short(running ?? 'another commit')}`;
    return redeploy(input, known, why);
  }

  // A repository that never received code may still be being made (a new application).
  const untouched = known.length === 0 && !running;
  const upToDate = await push(input, remoteUrl, untouched);
  if (upToDate === undefined) return { deployed: false, reason: 'dry run' };
  if (upToDate) return redeploy(input, known, 'the remote already had it');
  const seen = new Set(known.map((d) => d.uuid));
  const started = await awaitDeployment(watchInput(input), (list) => list.find((d) => sameCommit(d, sha) && !seen.has(d.uuid)));
  return { deployed: true, deployment: started };
}

function watchInput(input: DeployInput) {
  const { api, context, appId, appName, commit, startedAt } = input;
  return { api, context, appId, appName, commit, backoff: input.timing.poll, ...(startedAt !== undefined ? { startedAt } : {}) };
}

/**
 * Pushes once the repository exists: a new one is probed until it answers, so no push is refused
 * for being early. A push that fails for a passing reason is tried again: at once when a probe
 * shows the repository is (again) not there and then answers, else after a backoff step.
 * Undefined in a dry run.
 */
async function push(input: DeployInput, url: string, untouched: boolean): Promise<boolean | undefined> {
  const { context, timing, commit } = input;
  const { deadline, logger } = context;
  const repository = { probe: (u: string) => input.git.probe(u), deadline, logger, backoff: timing.probe, appName: input.appName };
  return context.plan.apply(
    { kind: 'deploy', target: `application ${input.appName}`, detail: `push ${short(commit)}` },
    async () => {
      if (untouched && (await waitForRepository(repository, url))) logger.debug(`the git repository of ${input.appName} answers: pushing`);
      for (let attempt = 1; ; attempt++) {
        try {
          return (await input.git.push(url, commit, DEPLOY_REF, input.dir)).upToDate;
        } catch (error) {
          if (!isRetryable(error) || attempt >= timing.pushAttempts) throw error;
          logger.debug(`${(error as Error).message}; pushing again (attempt ${attempt + 1})`);
          logger.progress(`push ${short(commit)}: waiting for the repository to accept it`);
          if ((await input.git.probe(url)) === 'absent') {
            await waitForRepository(repository, url);
            continue;
          }
          const delay = backoffDelay(attempt - 1, timing.push);
          // The last error alone would read like a plain failure; say the deadline ended the attempts.
          if (deadline.remaining() < delay) throw deadline.timeoutError(`push ${short(commit)}`, error);
          await deadline.clock.sleep(delay);
        }
      }
    },
    undefined,
  );
}

async function redeploy(input: DeployInput, known: CleverDeployment[], why: string, useCache = false): Promise<DeployOutcome> {
  const { api, context, appId, commit } = input;
  const id = await context.plan.apply(
    { kind: 'deploy', target: `application ${input.appName}`, detail: `restart ${short(commit)}${useCache ? '' : ' without build cache'}: ${why}` },
    async () => (await api.redeploy(appId, commit, useCache)) ?? '',
    undefined,
  );
  if (id === undefined) return { deployed: false, reason: 'dry run' };
  const seen = new Set(known.map((d) => d.uuid));
  const pick = id ? (list: CleverDeployment[]) => list.find((d) => d.uuid === id) : (list: CleverDeployment[]) => list.find((d) => sameCommit(d, commit) && !seen.has(d.uuid));
  return { deployed: true, deployment: await awaitDeployment(watchInput(input), pick) };
}
