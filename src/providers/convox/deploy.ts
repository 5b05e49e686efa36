/**
 * Deploying a commit the way `convox deploy` does: the commit's tree as a tarball object, a
 * build from it, the build's release promoted. Nothing is sent when the commit is already live;
 * a release of the commit that is not live yet (configuration written since, an interrupted
 * run) is promoted without a rebuild; a build of the commit under way is joined, not doubled.
 */
import { randomBytes } from 'node:crypto';
import { isRetryable, ProviderError } from '../../core/errors.js';
import { backoffDelay } from '../../core/retry.js';
import type { DeployResult, SourceRef } from '../types.js';
import { inspect, type AppState } from './app-state.js';
import { waitBuild } from './build-wait.js';
import type { Rack } from './client.js';
import { builtFrom, checkManifestRoutes, toPreview } from './preview.js';
import { promoteRelease } from './promote.js';
import type { RackBuild } from './rack-api.js';
import { packSource, type PackedSource } from './source.js';
import { FAILED, SETTLED, waitAppSettled } from './waiting.js';

export { BuildFailedError } from './build-wait.js';

/** Build requests answered 5xx or dropped, tried again (after a look) at most this often. */
const BUILD_ATTEMPTS = 4;

const underWay = (b: RackBuild, commit: string) => builtFrom(b, commit) && (b.status === 'created' || b.status === 'running');

async function startBuild(rack: Rack, name: string, commit: string, packed: PackedSource): Promise<RackBuild> {
  const { deadline, logger } = rack.context;
  const key = `tmp/${randomBytes(15).toString('hex')}.tgz`;
  const url = await rack.api.storeObject(name, key, packed.data);
  const fields = { url, description: `preview-kit ${commit}`, gitSha: commit, ...(rack.settings.manifest ? { manifest: rack.settings.manifest } : {}) };
  for (let attempt = 1; ; attempt++) {
    try {
      return await rack.api.createBuild(name, fields);
    } catch (error) {
      if (!isRetryable(error) || attempt >= BUILD_ATTEMPTS) throw error;
      // The build may have started before the error: a second one would build the same commit twice.
      const started = (await rack.api.listBuilds(name, 5)).find((b) => underWay(b, commit));
      if (started) return started;
      logger.warn(`start a build of ${name}: ${(error as Error).message}; trying again`);
      await deadline.clock.sleep(Math.min(backoffDelay(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
    }
  }
}

async function promoteAndReport(rack: Rack, state: AppState, releaseId: string, commit: string): Promise<DeployResult> {
  const name = state.app.name;
  const outcome = await promoteRelease(rack, name, releaseId, commit);
  if (rack.context.plan.dryRun) return { deployed: true, url: (await toPreview(rack, state, false)).url };
  // The wait's last look at the app, and the newest release read once since the promotion.
  const after = await inspect(rack, name, { reuse: true });
  const preview = after ? await toPreview(rack, after) : undefined;
  if (after) checkManifestRoutes(rack, after);
  const live = after?.app.release ?? releaseId;
  const deployment = { id: live, state: 'ok', commit, ...(preview?.lastDeployment?.createdAt ? { createdAt: preview.lastDeployment.createdAt } : {}) };
  if (outcome === 'already-live') return { deployed: false, reason: `commit ${commit.slice(0, 12)} went live meanwhile (release ${live})`, url: preview?.url ?? '', deployment };
  return { deployed: true, url: preview?.url ?? '', deployment };
}

/** Deploys `source` to the app of `state`, which the caller has found to be this preview's. */
export async function deployCommit(rack: Rack, state: AppState, source: SourceRef, fallbackUrl: string): Promise<DeployResult> {
  const { logger, plan } = rack.context;
  const name = state.app.name;
  const commit = source.commit;
  const short = commit.slice(0, 12);
  const app = SETTLED.has(state.app.status) ? state.app : await waitAppSettled(rack, name, false);
  const latest = state.latest;

  if (!source.force) {
    const liveRelease = app.release ? (latest?.id === app.release ? latest : await rack.api.getRelease(name, app.release)) : undefined;
    const liveBuild = liveRelease?.build ? await rack.api.getBuild(name, liveRelease.build, { reuse: true }) : undefined;
    if (builtFrom(liveBuild, commit) && (!latest || latest.id === app.release) && !FAILED.has(app.status)) {
      const current = await toPreview(rack, { ...state, app });
      return {
        deployed: false,
        reason: `commit ${short} is already live (release ${app.release}, build ${liveBuild!.id})`,
        url: current.url,
        ...(current.lastDeployment ? { deployment: current.lastDeployment } : {}),
      };
    }
    // A release of this commit that is not live: configuration written since, or a deploy that
    // stopped before its promotion. Promoting it is all that is left to do.
    if (latest && latest.id !== app.release && latest.build) {
      const latestBuild = latest.build === liveBuild?.id ? liveBuild : await rack.api.getBuild(name, latest.build);
      if (builtFrom(latestBuild, commit)) {
        logger.info(`release ${latest.id} of ${short} is not live yet: promoting it`);
        return promoteAndReport(rack, { ...state, app }, latest.id, commit);
      }
    }
  }

  let build: RackBuild | undefined;
  if (!source.force) {
    // Another pipeline may be building this very commit: wait for its build rather than start a second one.
    build = (await rack.api.listBuilds(name, 10)).find((b) => underWay(b, commit));
    if (build) logger.info(`build ${build.id} of ${short} is already under way: waiting for it`);
  }
  if (!build) {
    const packed = await packSource(source.dir, commit, rack.context.childEnv);
    logger.info(`packed ${packed.files} files of ${short} (${packed.ignored} left out by .dockerignore), ${Math.ceil(packed.data.length / 1024)} KiB`);
    const started = await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` }, () => startBuild(rack, name, commit, packed), undefined);
    if (!started) return { deployed: true, url: fallbackUrl };
    build = started;
    logger.info(`build ${build.id} started`);
  }
  const done = await waitBuild(rack, name, build.id, commit);
  if (!done.release) throw new ProviderError(`deploy: build ${done.id} of ${name} completed without a release`, { hint: `see \`convox builds info ${done.id} -a ${name}\`` });
  return promoteAndReport(rack, { ...state, app }, done.release, commit);
}
