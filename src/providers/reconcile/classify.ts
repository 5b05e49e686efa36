/**
 * Lookup and classification: which resources with the preview's name are ours, provably ours,
 * another preview's or nobody's we know — and what `ensure` must refuse, decided before any write.
 */
import { describeIdentity, identityKey, type PreviewIdentity } from '../../core/identity.js';
import { SafetyError } from '../../core/errors.js';
import { ownershipOf, type Candidate, type Lookup, type ReconcileContext, type ResourceHooks } from './types.js';

export function byAge<R>(a: Candidate<R>, b: Candidate<R>): number {
  const ta = a.createdAt ?? Number.POSITIVE_INFINITY;
  const tb = b.createdAt ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Pure: sorts listed resources into ours, repairable, another preview's and foreign. */
export function classify<R>(items: readonly R[], hooks: ResourceHooks<R>, identity: PreviewIdentity): Lookup<R> {
  const key = identityKey(identity);
  const out: Lookup<R> = { ours: [], repairable: [], others: [], foreign: [] };
  for (const item of items) {
    const ownership = ownershipOf(hooks.marks(item), key);
    const createdAt = hooks.createdAt?.(item);
    const candidate: Candidate<R> = { item, id: hooks.id(item), ownership, ...(createdAt !== undefined && Number.isFinite(createdAt) ? { createdAt } : {}) };
    if (ownership.kind === 'ours') out.ours.push(candidate);
    else if (ownership.kind === 'other') out.others.push(candidate);
    else if (hooks.provablyOurs?.(item)) out.repairable.push(candidate);
    else out.foreign.push(candidate);
  }
  for (const list of Object.values(out) as Candidate<R>[][]) list.sort(byAge);
  return out;
}

export async function lookup<R>(hooks: ResourceHooks<R>, ctx: Pick<ReconcileContext, 'identity'>): Promise<Lookup<R>> {
  return classify(await hooks.list(), hooks, ctx.identity);
}

export function ids<R>(list: Candidate<R>[]): string {
  return list.map((c) => c.id).join(', ');
}

/** The one-line refusal for a resource of another preview's. */
export function otherPreviewError<R>(hooks: Pick<ResourceHooks<R>, 'noun' | 'name'>, candidate: Candidate<R>, ctx: Pick<ReconcileContext, 'identity'>): SafetyError {
  const whose = candidate.ownership.kind === 'other' ? candidate.ownership.whose : 'another preview';
  return new SafetyError(
    `${hooks.noun} ${hooks.name} (${candidate.id}) belongs to ${whose}, not to ${describeIdentity(ctx.identity)}: refusing to change it`,
    { hint: 'both previews get the same name: give this one a distinct name with --prefix (PREVIEW_PREFIX), e.g. --prefix review' },
  );
}

/**
 * What `ensure` would refuse in this lookup, or undefined when it may go on. Used on its own to
 * check every target of a preview before the first write (Kubernetes applies several objects).
 */
export function refusal<R>(found: Lookup<R>, hooks: Pick<ResourceHooks<R>, 'noun' | 'name'>, ctx: Pick<ReconcileContext, 'identity' | 'adopt'>): SafetyError | undefined {
  if (found.ours.length > 0 || found.repairable.length > 0) return undefined;
  if (found.others.length > 0) return otherPreviewError(hooks, found.others[0]!, ctx);
  if (found.foreign.length === 0) return undefined;
  if (found.foreign.length > 1) {
    return new SafetyError(`${hooks.noun} ${hooks.name}: ${found.foreign.length} resources have this name and none carries preview-kit's marker (${ids(found.foreign)})`, {
      hint: 'remove or rename the extra ones; --adopt takes over only a single one',
    });
  }
  if (!ctx.adopt) {
    return new SafetyError(`${hooks.noun} ${hooks.name} (${found.foreign[0]!.id}) exists but preview-kit did not create it: refusing to change it`, {
      hint: 'pass --adopt to take it over, or remove it, or choose another --app or --prefix',
    });
  }
  return undefined;
}
