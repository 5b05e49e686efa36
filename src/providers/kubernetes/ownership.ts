/**
 * Whose each object is, judged by the one reconcile algorithm (`classify` + `refusal`). Server-side
 * apply creates what is absent, so a run cannot find out object by object: every target it will
 * write is read and judged before the first write, and one refusal stops the run with nothing
 * written. Object names are unique in a namespace, so there is no race to settle afterwards.
 */
import { classify, refusal, teardownTargets, type Lookup, type ReconcileContext, type ResourceHooks } from '../reconcile.js';
import { KEY_LABEL, marksOf, MANAGED_BY, type KubeObject, type Owner } from './labels.js';
import { describeObject, settled } from './objects.js';
import type { Objects } from './snapshot.js';

function where(object: KubeObject): string {
  return `${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
}

/** The reconcile hooks of one object, for judging what was read (nothing is listed or created here). */
export function objectHooks(object: KubeObject, owner: Pick<Owner, 'key'>): ResourceHooks<KubeObject> {
  return {
    noun: object.kind,
    name: where(object),
    uniqueNames: true,
    list: async () => [],
    id: (o) => o.metadata.uid ?? where(o),
    createdAt: (o) => (o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : undefined),
    marks: marksOf,
    // Our identity key without the managed-by marker: someone stripped a label; the apply restores it.
    provablyOurs: (o) => o.metadata.labels?.[KEY_LABEL] === owner.key && o.metadata.labels?.[MANAGED_BY] === undefined,
    create: async () => object,
    planned: () => object,
    remove: async () => undefined,
  };
}

export type Judge = Pick<ReconcileContext, 'identity' | 'adopt' | 'logger'>;

/** Sorts one live object (or none) into ours / another preview's / foreign. Objects being deleted do not count. */
export function judgeObject(desired: KubeObject, live: KubeObject | undefined, owner: Owner): Lookup<KubeObject> {
  const present = live && !live.metadata.deletionTimestamp ? [live] : [];
  return classify(present, objectHooks(desired, owner), owner.identity);
}

export interface Guarded {
  object: KubeObject;
  live: KubeObject | undefined;
}

/**
 * Reads every target and refuses the whole set, before any write, when one of them belongs to
 * another preview or is unmarked (unless `--adopt`). Returns what was read, for the applies.
 */
export async function guardTargets(store: Pick<Objects, 'read'>, targets: KubeObject[], owner: Owner, ctx: Judge): Promise<Guarded[]> {
  // Read together; every read is settled before a failure is told.
  const reads = await settled(targets.map((object) => store.read(object)));
  const read: Guarded[] = reads.map((r, i) => {
    if ('error' in r) throw r.error;
    return { object: targets[i]!, live: r.value };
  });
  const refusals = read.flatMap(({ object, live }) => {
    const refused = refusal(judgeObject(object, live, owner), objectHooks(object, owner), ctx);
    return refused ? [refused] : [];
  });
  if (refusals.length > 1) ctx.logger.warn(`${refusals.length} objects of preview ${owner.name} are not its own: ${refusals.map((r) => r.message).join('; ')}`);
  if (refusals[0]) throw refusals[0];
  return read;
}

/** What `stop` may delete among listed objects: ours; another preview's are left with a warning. */
export function deletable(items: KubeObject[], owner: Owner, ctx: Pick<ReconcileContext, 'logger' | 'adopt'>): KubeObject[] {
  const out: KubeObject[] = [];
  for (const item of items) {
    const found = classify([item], objectHooks(item, owner), owner.identity);
    out.push(...teardownTargets(found, { noun: item.kind, name: where(item) }, ctx).map((c) => c.item));
  }
  return out;
}

/** Our objects among listed ones; the others are named in debug output. */
export function oursAmong(items: KubeObject[], owner: Owner, ctx: Pick<ReconcileContext, 'logger'>): KubeObject[] {
  return items.filter((item) => {
    const found = classify([item], objectHooks(item, owner), owner.identity);
    if (found.ours.length || found.repairable.length) return true;
    for (const c of found.others) ctx.logger.debug(`${describeObject(item)} belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}`);
    return false;
  });
}
