/**
 * Reads and teardown: what is this preview's to report, and what `stop`/`prune` may remove —
 * never another preview's resources, never unmarked ones unless `--adopt` says so.
 */
import { ids, lookup } from './classify.js';
import type { Candidate, Lookup, ReconcileContext, ResourceHooks } from './types.js';

export function oursOf<R>(found: Lookup<R>, hooks: Pick<ResourceHooks<R>, 'noun' | 'name'>, ctx: Pick<ReconcileContext, 'logger'>): R | undefined {
  const winner = found.ours[0] ?? found.repairable[0];
  if (winner) return winner.item;
  for (const c of found.others) ctx.logger.debug(`${hooks.noun} ${hooks.name} (${c.id}) belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}`);
  if (found.foreign.length) ctx.logger.debug(`${hooks.noun} ${hooks.name}: ${found.foreign.length} resource(s) without preview-kit's marker, not ours`);
  return undefined;
}

export async function findResource<R>(hooks: ResourceHooks<R>, ctx: Pick<ReconcileContext, 'identity' | 'logger'>): Promise<R | undefined> {
  return oursOf(await lookup(hooks, ctx), hooks, ctx);
}

/**
 * What `stop` and `prune` may remove: every resource of ours with this name (duplicates included)
 * and those provably ours. Another preview's and unmarked ones are left alone with a warning —
 * the run still exits 0, since nothing of this preview is left — except that `--adopt` removes a
 * single unmarked one.
 */
export function teardownTargets<R>(found: Lookup<R>, hooks: Pick<ResourceHooks<R>, 'noun' | 'name'>, ctx: Pick<ReconcileContext, 'logger' | 'adopt'>): Candidate<R>[] {
  const targets = [...found.ours, ...found.repairable];
  for (const c of found.others) {
    ctx.logger.warn(`${hooks.noun} ${hooks.name} (${c.id}) belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}: left alone`);
  }
  if (found.foreign.length > 0) {
    if (ctx.adopt && found.foreign.length === 1 && targets.length === 0) {
      ctx.logger.warn(`removing ${hooks.noun} ${hooks.name} (${found.foreign[0]!.id}) without preview-kit's marker, as --adopt asks`);
      targets.push(found.foreign[0]!);
    } else {
      ctx.logger.warn(`${hooks.noun} ${hooks.name} (${ids(found.foreign)}) lacks preview-kit's marker: left alone${found.foreign.length === 1 ? ' (--adopt removes it)' : ''}`);
    }
  }
  return targets;
}
