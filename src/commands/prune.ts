/**
 * `prune`: removes — or puts to sleep — the project's previews that `prune-choice.ts` picks, a few
 * at a time (`--parallel`), each retried under the deadline; one failure does not stop the others.
 * The result says what was removed, slept, kept and what failed; any failure makes the run exit 5
 * once everything else is done and reported.
 */
import { ConfigError, describeError, isRetryable, SafetyError } from '../core/errors.js';
import { identityKey } from '../core/identity.js';
import { mapLimit } from '../core/parallel.js';
import { retry } from '../core/retry.js';
import type { Preview, PreviewRef } from '../providers/types.js';
import { withPlan, type CommandContext, type CommandResult } from './context.js';
import { choosePrunes, previewsOfProject } from './prune-choice.js';

export { choosePrunes, durationText, isKept, parseKeep, previewsOfProject, type PruneChoice } from './prune-choice.js';

/** One line of prune's report: what happened to a preview, and why. */
export interface PruneDecision {
  name: string;
  identity?: Preview['identity'];
  url?: string;
  lastDeployed?: string;
  commit?: string;
  state?: Preview['state'];
  action: 'removed' | 'would remove' | 'already gone' | 'slept' | 'would sleep' | 'asleep already' | 'kept' | 'failed';
  why?: string;
}

function decision(preview: Preview, action: PruneDecision['action'], why?: string): PruneDecision {
  const d = preview.lastDeployment;
  const last = preview.lastDeployedAt ?? d?.createdAt;
  return {
    name: preview.name,
    ...(preview.identity ? { identity: preview.identity } : {}),
    ...(preview.url ? { url: preview.url } : {}),
    ...(last ? { lastDeployed: last } : {}),
    ...(d?.commit ? { commit: d.commit } : {}),
    ...(preview.state ? { state: preview.state } : {}),
    action,
    ...(why ? { why } : {}),
  };
}

function refOfPreview(preview: Preview): PreviewRef {
  const identity = preview.identity!;
  return { name: preview.name, identity, key: identityKey(identity) };
}

export async function prune(ctx: CommandContext): Promise<CommandResult> {
  const s = ctx.settings;
  const { logger, plan, deadline } = ctx.context;
  if (s.ttl === undefined && s.max === undefined && s.keep.length === 0 && s.sleepAfter === undefined) {
    throw new ConfigError('prune: nothing to decide on', { hint: 'give --ttl, --sleep-after, --max or --keep (the branches and open pull requests)' });
  }
  const previews = previewsOfProject(await ctx.provider.list(), s.app, s.prefix);
  const choice = choosePrunes(previews, { keep: s.keep, ttlMs: s.ttl, ttlFrom: s.ttlFrom, sleepAfterMs: s.sleepAfter, max: s.max, now: Date.now() });
  if (s.keep.length > 0 && choice.keep.length === 0 && choice.sleep.length === 0 && previews.length > 1) {
    throw new SafetyError(`prune: --keep matches none of the ${previews.length} previews; refusing to remove them all`, {
      hint: 'check --keep and --app',
    });
  }
  const dry = plan.dryRun;
  // Each removal is retried while the platform says "try again", within the command's deadline.
  const again = <T>(what: string, fn: () => Promise<T>) => retry(fn, { attempts: 3, deadline, initialMs: 1_000, maxMs: 10_000, what, retryIf: isRetryable });
  const jobs = [
    ...choice.remove.map(({ preview, why }) => ({ preview, why, kind: 'remove' as const })),
    ...choice.sleep.map(({ preview, why }) => ({ preview, why, kind: 'sleep' as const })),
  ];
  const failures: string[] = [];
  const done = await mapLimit(jobs, s.parallel, async ({ preview, why, kind }): Promise<PruneDecision> => {
    logger.info(`${dry ? 'would' : kind === 'remove' ? 'removing' : 'putting to sleep'}${dry ? ` ${kind}` : ''} ${preview.name}: ${why}`);
    try {
      if (kind === 'remove') {
        const result = await again(`remove ${preview.name}`, () => ctx.provider.destroy(refOfPreview(preview), preview));
        return decision(preview, result.deleted ? (dry ? 'would remove' : 'removed') : 'already gone', why);
      }
      const result = await again(`put ${preview.name} to sleep`, () => ctx.provider.sleep(refOfPreview(preview), preview));
      return decision(preview, result.slept ? (dry ? 'would sleep' : 'slept') : 'asleep already', why);
    } catch (error) {
      const reason = describeError(error);
      failures.push(`${preview.name}: ${reason}`);
      logger.warn(`could not ${kind === 'remove' ? 'remove' : 'put to sleep'} ${preview.name}: ${reason}`);
      return decision(preview, 'failed', `${why}; ${reason}`);
    }
  });
  const removed = done.filter((d) => d.action === 'removed' || d.action === 'would remove').map((d) => d.name);
  // Builds outlive their previews on some platforms; only an age says when they are stale.
  const removedImages: string[] = [];
  if (s.ttl !== undefined && ctx.provider.pruneImages) {
    removedImages.push(...(await ctx.provider.pruneImages(s.ttl, { app: s.app, removedPreviews: removed })));
  }
  const decisions = [...done, ...choice.keep.map((preview) => decision(preview, 'kept'))];
  const slept = done.filter((d) => d.action === 'slept' || d.action === 'would sleep').map((d) => d.name);
  const result: CommandResult = {
    command: 'prune',
    name: s.app,
    removed,
    slept,
    removedImages,
    kept: choice.keep.map((p) => p.name),
    failed: failures.map((f) => f.split(':')[0]!),
    decisions,
  };
  if (failures.length > 0) {
    result.exitCode = 5;
    result.failure = `prune: ${failures.length} of ${jobs.length} previews failed: ${failures.join('; ')}`;
  }
  return withPlan(result, ctx);
}
