import { ConfigError, SafetyError } from '../core/errors.js';
import { identityKey, sameProject } from '../core/identity.js';
import type { Preview } from '../providers/types.js';
import { withPlan, type CommandContext, type CommandResult } from './context.js';

/** `90m` → `1h30m`, `7d` → `7d`: the way people write --ttl. */
export function durationText(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}

/**
 * The previews of one project. Names cannot tell `shop` + branch `api-x` from `shop-api` + branch
 * `x`, so only the identity recorded on a preview decides; a preview without one is never judged.
 */
export function previewsOfProject(previews: Preview[], app: string, prefix?: string): Preview[] {
  return previews.filter((p) => p.identity !== undefined && sameProject(p.identity, app, prefix));
}

export interface PruneChoice {
  remove: Array<{ preview: Preview; why: string }>;
  keep: Preview[];
}

/**
 * Which previews to remove: those whose branch is not in `keep` (when a keep list is given),
 * those older than the TTL, then the oldest beyond `max`. Pure, so it is tested on its own.
 */
export function choosePrunes(
  previews: Preview[],
  options: { keepBranches?: string[]; ttlMs?: number; max?: number; now: number },
): PruneChoice {
  const remove = new Map<string, { preview: Preview; why: string }>();
  const age = (p: Preview) => (p.createdAt ? options.now - Date.parse(p.createdAt) : 0);
  for (const p of previews) {
    if (options.keepBranches && options.keepBranches.length > 0 && !(p.identity?.branch !== undefined && options.keepBranches.includes(p.identity.branch))) {
      remove.set(p.name, { preview: p, why: 'branch is gone' });
    } else if (options.ttlMs !== undefined && age(p) > options.ttlMs) {
      remove.set(p.name, { preview: p, why: `older than ${durationText(options.ttlMs)}` });
    }
  }
  if (options.max !== undefined) {
    const left = previews.filter((p) => !remove.has(p.name)).sort((a, b) => age(b) - age(a));
    for (const p of left.slice(0, Math.max(0, left.length - options.max))) remove.set(p.name, { preview: p, why: `over --max ${options.max}` });
  }
  return { remove: [...remove.values()], keep: previews.filter((p) => !remove.has(p.name)) };
}

export async function prune(ctx: CommandContext): Promise<CommandResult> {
  const s = ctx.settings;
  if (s.ttl === undefined && s.max === undefined && s.keep.length === 0) {
    throw new ConfigError('prune: nothing to decide on', { hint: 'give --ttl, --max or --keep (the branches that still exist)' });
  }
  const previews = previewsOfProject(await ctx.provider.list(), s.app, s.prefix);
  const choice = choosePrunes(previews, { keepBranches: s.keep, ttlMs: s.ttl, max: s.max, now: Date.now() });
  if (s.keep.length > 0 && choice.keep.length === 0 && previews.length > 1) {
    throw new SafetyError(`prune: --keep matches none of the ${previews.length} previews; refusing to remove them all`, {
      hint: 'check --keep and --app',
    });
  }
  const removed: string[] = [];
  for (const { preview, why } of choice.remove) {
    ctx.context.logger.info(`${ctx.context.plan.dryRun ? 'would remove' : 'removing'} ${preview.name}: ${why}`);
    const identity = preview.identity!;
    const result = await ctx.provider.destroy({ name: preview.name, identity, key: identityKey(identity) });
    if (result.deleted) removed.push(preview.name);
  }
  // Builds outlive their previews on some platforms; only an age says when they are stale.
  const removedImages: string[] = [];
  if (s.ttl !== undefined && ctx.provider.pruneImages) {
    removedImages.push(...(await ctx.provider.pruneImages(s.ttl, { app: s.app, removedPreviews: removed })));
  }
  return withPlan({ command: 'prune', name: s.app, removed, removedImages, kept: choice.keep.map((p) => p.name) }, ctx);
}
