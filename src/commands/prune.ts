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

/** `--keep` entries: branch names, and pull/merge request numbers written `#42`, `!42` or `42`. */
export interface KeepList {
  branches: Set<string>;
  prs: Set<number>;
}

export function parseKeep(entries: string[]): KeepList {
  const out: KeepList = { branches: new Set(), prs: new Set() };
  for (const entry of entries) {
    const number = /^[#!]?(\d{1,15})$/.exec(entry);
    if (number) out.prs.add(Number(number[1]));
    // A bare number may also be a branch's name: keeping more is the safe way to be wrong.
    if (!number || /^\d+$/.test(entry)) out.branches.add(entry);
  }
  return out;
}

/** A preview survives `--keep` when its recorded branch, or its pull request, is listed. */
export function isKept(preview: Preview, keep: KeepList): boolean {
  const id = preview.identity;
  if (!id) return true;
  if (id.pr !== undefined) return keep.prs.has(id.pr);
  return id.branch !== undefined && keep.branches.has(id.branch);
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
  options: { keep?: string[]; ttlMs?: number; max?: number; now: number },
): PruneChoice {
  const remove = new Map<string, { preview: Preview; why: string }>();
  const keep = options.keep && options.keep.length > 0 ? parseKeep(options.keep) : undefined;
  const age = (p: Preview) => (p.createdAt ? options.now - Date.parse(p.createdAt) : 0);
  for (const p of previews) {
    if (keep && !isKept(p, keep)) {
      remove.set(p.name, { preview: p, why: p.identity?.pr !== undefined ? `pull request #${p.identity.pr} is not open` : 'branch is gone' });
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
  const choice = choosePrunes(previews, { keep: s.keep, ttlMs: s.ttl, max: s.max, now: Date.now() });
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
  const dry = ctx.context.plan.dryRun;
  const decisions: PruneDecision[] = [
    ...choice.remove.map(({ preview, why }) => decision(preview, removed.includes(preview.name) ? (dry ? 'would remove' : 'removed') : 'already gone', why)),
    ...choice.keep.map((preview) => decision(preview, 'kept')),
  ];
  return withPlan({ command: 'prune', name: s.app, removed, removedImages, kept: choice.keep.map((p) => p.name), decisions }, ctx);
}

/** One line of prune's report: what happened to a preview, and why. */
export interface PruneDecision {
  name: string;
  identity?: Preview['identity'];
  url?: string;
  lastDeployed?: string;
  commit?: string;
  action: 'removed' | 'would remove' | 'already gone' | 'kept';
  why?: string;
}

function decision(preview: Preview, action: PruneDecision['action'], why?: string): PruneDecision {
  const d = preview.lastDeployment;
  return {
    name: preview.name,
    ...(preview.identity ? { identity: preview.identity } : {}),
    ...(preview.url ? { url: preview.url } : {}),
    ...(d?.createdAt ? { lastDeployed: d.createdAt } : {}),
    ...(d?.commit ? { commit: d.commit } : {}),
    action,
    ...(why ? { why } : {}),
  };
}
