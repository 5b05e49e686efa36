/**
 * `ensureResource`: find, repair, adopt or create one resource, and settle a race of concurrent
 * creates (oldest wins, every younger one is removed) on platforms whose names are not unique.
 */
import { isRetryable, ProviderError, SafetyError, TimeoutError } from '../../core/errors.js';
import { backoffDelay, Deadline, poll } from '../../core/retry.js';
import { byAge, ids, lookup, refusal } from './classify.js';
import { timingOf, type Candidate, type Lookup, type ReconcileContext, type ReconcileTiming, type ResourceHooks } from './types.js';

export type EnsureHow = 'found' | 'repaired' | 'adopted' | 'created' | 'joined';

export interface EnsureOutcome<R> {
  item: R;
  id: string;
  /** This run created it (or, in a dry run, would). */
  created: boolean;
  /** Something was written (created, repaired, adopted, a duplicate removed). */
  changed: boolean;
  how: EnsureHow;
  /** In a dry run: the planned stand-in, never sent to the platform. */
  planned?: boolean;
}

/**
 * Finds our resource, or repairs, adopts or creates it. Another preview's resource and an unmarked
 * one (without `--adopt`) are refused with exit 6 before anything is written. After a create on a
 * platform whose names are not unique, the listing is read again until the new resource shows
 * (listings may lag); when several of ours then share the name, the oldest wins and a run that
 * created a younger one removes it and goes on with the winner.
 */
export async function ensureResource<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, known?: Lookup<R>): Promise<EnsureOutcome<R>> {
  const found = known ?? (await lookup(hooks, ctx));
  const t = timingOf(ctx);
  if (found.ours.length > 0) {
    const winner = found.ours[0]!;
    let changed = await removeStaleDuplicates(hooks, ctx, found.ours, t);
    let item = winner.item;
    if (hooks.needsRepair?.(item) && hooks.mark) {
      item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'complete its preview-kit identity' }, () => hooks.mark!(item), item);
      changed = true;
    }
    return { item, id: winner.id, created: false, changed, how: 'found' };
  }
  if (found.repairable.length > 0 && hooks.mark) {
    const target = found.repairable[0]!;
    ctx.logger.warn(`${hooks.noun} ${hooks.name} (${target.id}) is this preview's but lost its preview-kit marks: repairing them`);
    const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'repair its preview-kit marks' }, () => hooks.mark!(target.item), target.item);
    return { item, id: target.id, created: false, changed: true, how: 'repaired' };
  }
  const refused = refusal(found, hooks, ctx);
  if (refused) throw refused;
  if (found.foreign.length === 1) {
    const target = found.foreign[0]!;
    if (!hooks.mark) throw new SafetyError(`${hooks.noun} ${hooks.name} (${target.id}) cannot be adopted`, { hint: 'remove it, or choose another --app or --prefix' });
    ctx.logger.warn(`adopting ${hooks.noun} ${hooks.name} (${target.id}), which preview-kit did not create (--adopt)`);
    const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'adopt: record the preview-kit marks' }, () => hooks.mark!(target.item), target.item);
    return { item, id: target.id, created: false, changed: true, how: 'adopted' };
  }
  return createResource(hooks, ctx, t);
}

async function createResource<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, t: ReconcileTiming): Promise<EnsureOutcome<R>> {
  const planned = hooks.planned();
  const step = { kind: 'create' as const, target: `${hooks.noun} ${hooks.name}`, ...(hooks.createDetail ? { detail: hooks.createDetail } : {}) };
  const made = await ctx.plan.apply(step, () => createOrJoin(hooks, ctx, t), undefined);
  if (!made) return { item: planned, id: hooks.id(planned), created: true, changed: true, how: 'created', planned: true };
  if (hooks.uniqueNames) {
    return made.joined
      ? repairIfNeeded(hooks, ctx, { item: made.item.item, id: made.item.id, created: false, changed: false, how: 'joined' })
      : { item: made.item.item, id: made.item.id, created: true, changed: true, how: 'created' };
  }
  // Found after a failed attempt: it may be the one that attempt made, or a concurrent run's.
  // Settling it like our own is right either way: a loser is removed by every run that sees it.
  const settled = await settle(hooks, ctx, made.item, t);
  const outcome = made.joined && settled.how === 'created' ? { ...settled, how: 'joined' as const } : settled;
  return repairIfNeeded(hooks, ctx, outcome);
}

/** A resource we took without creating it may lack some of its marks (an interrupted tagging): complete them. */
async function repairIfNeeded<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, outcome: EnsureOutcome<R>): Promise<EnsureOutcome<R>> {
  const incomplete = hooks.needsRepair?.(outcome.item) === true || (hooks.marks(outcome.item).marker === false && hooks.provablyOurs?.(outcome.item) === true);
  if (!incomplete || !hooks.mark || outcome.how === 'created') return outcome;
  const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'complete its preview-kit marks' }, () => hooks.mark!(outcome.item), outcome.item);
  return { ...outcome, item, changed: true };
}

/**
 * POSTs the resource. An error that may hide an applied create (5xx, no answer) is followed by a
 * look before any new attempt; a "name taken" answer by a look that decides whose it is.
 */
async function createOrJoin<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, t: ReconcileTiming): Promise<{ item: Candidate<R>; joined: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const item = await hooks.create();
      const createdAt = hooks.createdAt?.(item);
      return { item: { item, id: hooks.id(item), ownership: { kind: 'ours' }, ...(createdAt !== undefined ? { createdAt } : {}) }, joined: false };
    } catch (error) {
      const taken = hooks.isNameTaken?.(error) === true;
      if (!taken && (!isRetryable(error) || attempt >= t.createAttempts)) throw error;
      if (!taken) {
        const delay = backoffDelay(attempt - 1, { initialMs: t.retryInitialMs, maxMs: 5_000 });
        if (ctx.deadline.remaining() < delay) throw error;
        ctx.logger.warn(`create ${hooks.noun} ${hooks.name}: ${(error as Error).message}; looking again before retrying`);
        await ctx.deadline.clock.sleep(delay);
      }
      const again = await lookup(hooks, ctx);
      const joined = again.ours[0] ?? again.repairable[0];
      if (joined) return { item: joined, joined: true };
      if (taken) {
        // Taken by someone we may not touch: say whose. Taken by nobody we can see yet (a
        // listing that lags behind): try again, the platform will say it again if it is so.
        const refused = refusal(again, hooks, { ...ctx, adopt: false });
        if (refused) throw refused;
        if (attempt >= t.createAttempts) {
          throw new ProviderError(`create ${hooks.noun} ${hooks.name}: the name is taken but nothing of that name can be seen`, { hint: 'run again in a moment' });
        }
        await ctx.deadline.clock.sleep(backoffDelay(attempt - 1, { initialMs: t.settleInitialMs, maxMs: t.settleMaxMs }));
      }
    }
  }
}

/**
 * After our create: list until our resource shows — or one of ours older than it, which makes ours
 * a loser whether it shows or not (another run may already have removed it) — bounded by the
 * settle window. Then the oldest of ours wins, and every younger one is removed.
 */
async function settle<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, mine: Candidate<R>, t: ReconcileTiming): Promise<EnsureOutcome<R>> {
  const window = new Deadline(Math.min(t.settleWindowMs, ctx.deadline.remaining()), ctx.deadline.clock);
  const olderThanMine = (c: Candidate<R>) => mine.createdAt !== undefined && c.createdAt !== undefined && byAge(c, mine) < 0;
  let seen: Lookup<R>;
  try {
    seen = await poll(
      async () => {
        const again = await lookup(hooks, ctx);
        return oursAndRepairable(again).some((c) => c.id === mine.id || olderThanMine(c)) ? again : undefined;
      },
      { deadline: window, what: `${hooks.noun} ${hooks.name} to be listed`, initialMs: t.settleInitialMs, maxMs: t.settleMaxMs },
    );
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    ctx.logger.warn(`${hooks.noun} ${hooks.name} (${mine.id}) is not listed yet ${Math.round(window.totalMs / 1000)}s after its creation: going on with it`);
    return { item: mine.item, id: mine.id, created: true, changed: true, how: 'created' };
  }
  const candidates = oursAndRepairable(seen);
  const listed = candidates.find((c) => c.id === mine.id);
  const ours = [...candidates.filter((c) => c.id !== mine.id), listed && listed.createdAt !== undefined ? listed : { ...(listed ?? mine), createdAt: mine.createdAt }]
    .filter((c): c is Candidate<R> => c !== undefined)
    .sort(byAge);
  const winner = ours[0]!;
  // Every younger one is a loser of this race: ours, or one a failed attempt of ours made without
  // telling us its id, or a concurrent run's, which that run removes too (a second delete of the
  // same resource finds it gone, which is fine).
  const losers = ours.slice(1);
  if (losers.length > 0) {
    ctx.logger.warn(`another run created ${hooks.noun} ${hooks.name} at the same time: keeping the oldest, ${winner.id}, removing ${ids(losers)}`);
  }
  for (const loser of losers) {
    await ctx.plan.apply(
      { kind: 'delete', target: `${hooks.noun} ${hooks.name}`, detail: `${loser.id}, duplicate of ${winner.id} from a concurrent run` },
      () => hooks.remove(loser.item),
      undefined,
    );
  }
  if (winner.id === mine.id) return { item: listed?.item ?? mine.item, id: mine.id, created: true, changed: true, how: 'created' };
  return { item: winner.item, id: winner.id, created: false, changed: true, how: 'joined' };
}

/** Ours and the provably ours, oldest first: both take part in a race of this preview. */
function oursAndRepairable<R>(found: Lookup<R>): Candidate<R>[] {
  return [...found.ours, ...found.repairable].sort(byAge);
}

/**
 * Duplicates of ours that a concurrent run left behind because it was interrupted before it could
 * remove its own: younger than the winner and older than the settle window (a run still settling
 * removes its own). Only on platforms whose names are not unique.
 */
async function removeStaleDuplicates<R>(hooks: ResourceHooks<R>, ctx: ReconcileContext, ours: Candidate<R>[], t: ReconcileTiming): Promise<boolean> {
  if (hooks.uniqueNames || ours.length < 2) return false;
  const now = ctx.deadline.clock.now();
  const stale = ours.slice(1).filter((c) => c.createdAt !== undefined && now - c.createdAt > t.settleWindowMs);
  const young = ours.length - 1 - stale.length;
  if (young > 0) ctx.logger.warn(`${ours.length} resources of this preview are named ${hooks.name} (${ids(ours)}); using the oldest, ${ours[0]!.id}`);
  for (const duplicate of stale) {
    ctx.logger.warn(`${hooks.noun} ${hooks.name} (${duplicate.id}) duplicates ${ours[0]!.id} (left by an interrupted run): removing it`);
    await ctx.plan.apply({ kind: 'delete', target: `${hooks.noun} ${hooks.name}`, detail: `${duplicate.id}, duplicate of ${ours[0]!.id}` }, () => hooks.remove(duplicate.item), undefined);
  }
  return stale.length > 0;
}

/** Ours only (oldest first), for reads: another preview's or an unmarked resource is "not ours", said in debug output. */
