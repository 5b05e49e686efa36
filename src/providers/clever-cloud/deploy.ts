/**
 * Deploying a commit: a git push of `<sha>:refs/heads/master` to the app's remote, then following
 * the deployment the push starts until it ends. Skipped when the remote already has the commit
 * and its last deployment succeeded; restarted through the API when the commit is there but its
 * deployment failed (a push of the same commit would start nothing), and started again from its
 * build, without a push or a rebuild, when the preview sleeps (its instances were stopped).
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { poll, retry } from '../../core/retry.js';
import type { ProviderContext } from '../types.js';
import type { CleverApi, CleverDeployment } from './api.js';
import { GitCommandError, type GitRemote } from './git.js';
import { isDeploy, newestFirst } from './preview-state.js';

export { newestFirst };

export const DEPLOY_REF = 'refs/heads/master';

export interface DeployTiming {
  /** First wait between deployment polls, ms (grows to `pollMaxMs`). */
  pollInitialMs: number;
  pollMaxMs: number;
  /** First wait before pushing again to a repository that is not ready, ms. */
  pushInitialMs: number;
  pushMaxMs: number;
  /** Pushes in all, the first included (the deadline may end them sooner). */
  pushAttempts: number;
}

// A deployment is usually noticed within a second of ending; polls stay at most 3 s apart
// (clever-tools waits 5 s), which is 20 reads a minute on a long build. A new repository
// accepts pushes within seconds, so push retries stay close together too.
export const DEFAULT_DEPLOY_TIMING: DeployTiming = {
  pollInitialMs: 750,
  pollMaxMs: 3_000,
  pushInitialMs: 500,
  pushMaxMs: 2_000,
  pushAttempts: 30,
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
  const remote = await readRemote(input, remoteUrl);
  const known = input.known ?? newestFirst(await api.deployments(appId, 5));

  if (remote === sha) {
    const last = known.find((d) => isDeploy(d) && sameCommit(d, sha));
    if (!input.force) {
      if (last?.state === 'OK' || (!last && input.runningCommit?.toLowerCase() === sha)) {
        // Waking: the build of this commit is there, so the instances start from it (build cache).
        if (input.asleep) return redeploy(input, known, 'the preview was asleep', true);
        if (input.restart) return redeploy(input, known, input.restart, true);
        return { deployed: false, reason: `commit ${short(sha)} is already live`, ...(last ? { deployment: last } : {}) };
      }
      if (last?.state === 'WIP') {
        context.logger.info(`commit ${short(sha)} is already being deployed (${last.uuid}); following it`);
        const ended = await followDeployment(input, last);
        return { deployed: false, reason: `commit ${short(sha)} was already being deployed; it ended OK`, deployment: ended };
      }
    }
    // The remote has the commit: a push would start nothing, so restart through the API.
    const why = input.force ? 'forced' : last ? `its last deployment ended ${last.state}` : 'no deployment of it is recorded';
    return redeploy(input, known, why);
  }

  const upToDate = await pushWithRetry(input, remoteUrl);
  if (upToDate === undefined) return { deployed: false, reason: 'dry run' };
  if (upToDate) return redeploy(input, known, 'the remote already had it');
  const started = await waitForNewDeployment(input, known);
  return { deployed: true, deployment: await followDeployment(input, started) };
}

/** The remote's commit, or undefined when it has none or cannot tell yet (a brand-new repository). */
async function readRemote(input: DeployInput, url: string): Promise<string | undefined> {
  try {
    return await input.git.lsRemote(url, DEPLOY_REF, input.dir);
  } catch (error) {
    if (error instanceof GitCommandError) {
      input.context.logger.debug(`reading the remote branch failed (${error.message}); pushing anyway`);
      return undefined;
    }
    throw error;
  }
}

/** Pushes, again with backoff while the new repository does not accept pushes yet. Undefined in a dry run. */
async function pushWithRetry(input: DeployInput, url: string): Promise<boolean | undefined> {
  const { context, timing, commit } = input;
  return context.plan.apply(
    { kind: 'deploy', target: `application ${input.appName}`, detail: `push ${short(commit)}` },
    async () => {
      const result = await retry(() => input.git.push(url, commit, DEPLOY_REF, input.dir), {
        attempts: timing.pushAttempts,
        deadline: context.deadline,
        initialMs: timing.pushInitialMs,
        maxMs: timing.pushMaxMs,
        what: `push ${short(commit)}`,
        // A new app's repository refuses pushes for a few seconds: expected, so one progress
        // line says so; each attempt's git error goes to the debug log.
        onRetry: (error, attempt, delay) => {
          context.logger.debug(`${(error as Error).message}; attempt ${attempt + 1} in ${(delay / 1000).toFixed(1)}s`);
          context.logger.progress(`push ${short(commit)}: waiting for the repository to accept it`);
        },
      });
      return result.upToDate;
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
  const started = id ? await waitForDeployment(input, (list) => list.find((d) => d.uuid === id)) : await waitForNewDeployment(input, known);
  return { deployed: true, deployment: await followDeployment(input, started) };
}

function waitForNewDeployment(input: DeployInput, known: CleverDeployment[]): Promise<CleverDeployment> {
  const seen = new Set(known.map((d) => d.uuid));
  return waitForDeployment(input, (list) => newestFirst(list).find((d) => sameCommit(d, input.commit) && !seen.has(d.uuid)));
}

/** Polls the recent deployments until `pick` finds the one we started. */
function waitForDeployment(input: DeployInput, pick: (list: CleverDeployment[]) => CleverDeployment | undefined): Promise<CleverDeployment> {
  const { api, context, timing, appId, commit } = input;
  return poll(async () => pick(await api.deployments(appId, 5)), {
    deadline: context.deadline,
    what: `the deployment of ${short(commit)} to start`,
    initialMs: timing.pollInitialMs,
    maxMs: timing.pollMaxMs,
    onWait: (ms) => context.logger.progress(`deployment ${short(commit)}: waiting to start ${Math.round(ms / 1000)}s`),
  });
}

/** Polls one deployment until it leaves WIP; anything but OK is a failure. */
async function followDeployment(input: DeployInput, started: CleverDeployment): Promise<CleverDeployment> {
  const { api, context, timing, appId, commit } = input;
  let current = started;
  const t0 = input.startedAt ?? context.deadline.clock.now();
  if (current.state === 'WIP') {
    current = await poll(
      async () => {
        // Right after the start the deployment may not be readable by id yet: keep polling.
        const d = await api.deployment(appId, started.uuid);
        if (d) current = d;
        return d && d.state !== 'WIP' ? d : undefined;
      },
      {
        deadline: context.deadline,
        what: `deployment ${started.uuid} of ${short(commit)} to end`,
        initialMs: timing.pollInitialMs,
        maxMs: timing.pollMaxMs,
        onWait: () => context.logger.progress(`deployment ${short(commit)}: ${current.state} ${Math.round((context.deadline.clock.now() - t0) / 1000)}s`),
      },
    ).catch((error: unknown) => {
      // Our deadline ended, not the deployment: say that it goes on and how to pick it up again.
      if (error instanceof TimeoutError) {
        throw new TimeoutError(`deploy ${input.appName}: ${error.message}`, {
          hint: `the deployment goes on at Clever Cloud; the same command run again follows it without pushing again, or raise --timeout`,
          cause: error,
        });
      }
      throw error;
    });
  }
  if (current.state !== 'OK') {
    throw new ProviderError(`deploy ${input.appName}: deployment ${current.uuid} of ${short(commit)} ended ${current.state}${current.cause ? ` (started by ${current.cause})` : ''}`, {
      hint: `read the build logs: clever logs --app ${appId} --deployment-id ${current.uuid}`,
    });
  }
  context.logger.info(`deployment ${short(commit)}: OK after ${Math.round((context.deadline.clock.now() - t0) / 1000)}s`);
  return current;
}
