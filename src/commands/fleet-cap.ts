/**
 * The fleet cap (`--max-previews N`): an `up` that would make preview N+1 of the project first
 * evicts the least recently deployed *other* preview — puts it to sleep or deletes it, by policy —
 * or refuses with exit 6. Only a preview that does not exist yet is judged: re-running `up` for a
 * preview that is there never evicts anything. Runs racing at the cap each evict at most one, so
 * they overshoot by at most their number; the preview being deployed is never a candidate.
 */
import { SafetyError } from '../core/errors.js';
import { describeIdentity, identityKey } from '../core/identity.js';
import type { Preview } from '../providers/types.js';
import { refOf, type CommandContext } from './context.js';
import { previewsOfProject } from './prune.js';

/** When the preview was last deployed, else created, else now: a preview never deployed counts as the newest. */
export function activityOf(preview: Preview, now: number): number {
  const at = preview.lastDeployedAt ?? preview.lastDeployment?.createdAt ?? preview.createdAt;
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? ms : now;
}

export interface CapDecision {
  /** The preview to evict, when one must go. */
  evict?: Preview;
  /** How many previews count against the cap. */
  counted: number;
}

/** Pure: what the cap asks for, given the project's previews (without the one being deployed). */
export function capDecision(others: Preview[], cap: number, policy: 'sleep' | 'delete' | 'refuse', now: number): CapDecision {
  // Sleeping previews cost no compute: under the sleep policy only awake ones count.
  const counted = policy === 'sleep' ? others.filter((p) => p.state !== 'sleeping') : others;
  if (counted.length < cap) return { counted: counted.length };
  const oldest = [...counted].sort((a, b) => activityOf(a, now) - activityOf(b, now) || a.name.localeCompare(b.name))[0];
  return { counted: counted.length, ...(oldest ? { evict: oldest } : {}) };
}

/** Applies the cap before `up` creates a preview; a no-op without --max-previews or when the preview exists. */
export async function enforceCap(ctx: CommandContext): Promise<string | undefined> {
  const s = ctx.settings;
  if (s.maxPreviews === undefined) return undefined;
  const ref = refOf(s);
  if (await ctx.provider.find(ref)) return undefined;
  const others = previewsOfProject(await ctx.provider.list(), s.app, s.prefix).filter((p) => p.identity && identityKey(p.identity) !== ref.key);
  const decision = capDecision(others, s.maxPreviews, s.capPolicy, Date.now());
  const victim = decision.evict;
  if (!victim) return undefined;
  const whose = describeIdentity(victim.identity!);
  if (s.capPolicy === 'refuse') {
    throw new SafetyError(`up ${ref.name}: the project has ${decision.counted} previews, the most --max-previews ${s.maxPreviews} allows`, {
      hint: `stop one (the least recently deployed is ${victim.name}, ${whose}), raise --max-previews, or choose --max-previews-policy sleep or delete`,
    });
  }
  const victimRef = { name: victim.name, identity: victim.identity!, key: identityKey(victim.identity!) };
  const { logger } = ctx.context;
  if (s.capPolicy === 'sleep') {
    logger.info(`--max-previews ${s.maxPreviews}: putting ${victim.name} (${whose}), the least recently deployed, to sleep`);
    await ctx.provider.sleep(victimRef, victim);
    return `slept ${victim.name}`;
  }
  logger.info(`--max-previews ${s.maxPreviews}: removing ${victim.name} (${whose}), the least recently deployed`);
  await ctx.provider.destroy(victimRef, victim);
  return `removed ${victim.name}`;
}
