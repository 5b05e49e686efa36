/**
 * What one run has read of one preview's objects, so that the calls of an `up` (ensure, then
 * setDomains, then deploy) read each kind once: a listing per kind by the preview's name label,
 * plus a read by name of each object the listing does not hold (one of that name without our
 * labels must still be seen, to be refused). Every write made through the snapshot updates it
 * with the API's answer, so later calls of the run see what the cluster holds after them.
 *
 * It travels with the Preview that `ensure` or `find` returns (../carry.ts); a Preview without
 * one, another preview's, or one older than MAX_AGE_MS gets a new snapshot, read afresh. Reads
 * that must be fresh (the database Secret, read inside the database's turn) go to the API and
 * are remembered.
 */
import type { Clock } from '../../core/retry.js';
import type { Cluster } from './cluster.js';
import { carry } from '../carry.js';
import { OWNER_MARKER, type Preview, type PreviewRef } from '../types.js';
import { ProviderError } from '../../core/errors.js';
import { ForbiddenError } from './api-errors.js';
import { MANAGED_BY, PREVIEW_LABEL, previewSelector, type KubeObject, type Owner } from './labels.js';
import { pathOf, settled, type ApplyOutcome, type ObjectStore } from './objects.js';
import { resourcePath, resourceType, type ResourceType } from './resources.js';

const SNAPSHOT = carry<Snapshot>('kubernetes objects read by this run');
/** A snapshot older than this is not trusted by a later call: it reads again. */
export const MAX_AGE_MS = 30_000;

/** What reads and writes of a preview's objects need: the ObjectStore itself, or a Snapshot over it. */
export type Objects = Pick<ObjectStore, 'read' | 'get' | 'list' | 'apply' | 'patch' | 'delete' | 'waitGone'>;

export class Snapshot implements Objects {
  private readonly known = new Map<string, KubeObject | undefined>();
  private readonly listed = new Set<ResourceType>();
  private readonly takenAt: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly dryRun: boolean,
    readonly ref: Pick<PreviewRef, 'name' | 'key'>,
    readonly namespace: string,
    private readonly clock: Clock,
  ) {
    this.takenAt = clock.now();
  }

  /** The snapshot a Preview carries, when it is this preview's, in this namespace, and recent. */
  static carried(preview: Preview | undefined, ref: Pick<PreviewRef, 'key'>, namespace: string): Snapshot | undefined {
    return SNAPSHOT.take(preview, (s) => s.ref.key === ref.key && s.namespace === namespace && s.clock.now() - s.takenAt <= MAX_AGE_MS);
  }

  /** Lets the Preview carry this snapshot to the next call of the run. */
  attach(preview: Preview): Preview {
    return SNAPSHOT.put(preview, this);
  }

  /**
   * Lists each of these kinds once, by the preview's name label. Kinds this account may not list,
   * or this cluster does not serve, are read by name later — unless `strict`: then that fails.
   */
  async prefetch(types: Iterable<ResourceType>, strict = false): Promise<void> {
    const wanted = [...new Set(types)].filter((type) => type.namespaced && !this.listed.has(type));
    // The listings go out together; every one is settled before a failure is told.
    const listings = await settled(wanted.map((type) => this.store.list(type, this.namespace, previewSelector(this.ref.name))));
    listings.forEach((listing, i) => {
      const type = wanted[i]!;
      if ('error' in listing) {
        const { error } = listing;
        // Not served here (a CRD not installed) or not listable by this account: read by name later.
        if (!strict && (error instanceof ForbiddenError || (error instanceof ProviderError && error.status === 404))) return;
        throw error;
      }
      for (const item of listing.value) this.known.set(pathOf(item), item);
      this.listed.add(type);
    });
  }

  /** Every object of the listed kinds that carries the preview's name label. */
  listedObjects(): KubeObject[] {
    return [...this.known.values()].filter((o): o is KubeObject => !!o && this.listed.has(resourceType(o.apiVersion, o.kind)) && o.metadata.labels?.[PREVIEW_LABEL] === this.ref.name);
  }

  async read(object: KubeObject): Promise<KubeObject | undefined> {
    const path = pathOf(object);
    if (this.known.has(path)) return this.known.get(path);
    return this.fresh(object);
  }

  /**
   * For an object that matters only when it is the preview's own (ours carry its name label): a
   * listing of its kind answers, absent included; without one, it is read.
   */
  async readLabelled(object: KubeObject): Promise<KubeObject | undefined> {
    if (object.metadata.namespace === this.namespace && this.listed.has(resourceType(object.apiVersion, object.kind))) return this.known.get(pathOf(object));
    return this.read(object);
  }

  /** Read from the API whatever is known, and remembered. */
  async fresh(object: KubeObject): Promise<KubeObject | undefined> {
    const live = await this.store.read(object);
    this.known.set(pathOf(object), live);
    return live;
  }

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const path = resourcePath(type, namespace, name);
    if (this.known.has(path)) return this.known.get(path);
    const live = await this.store.get(type, namespace, name);
    this.known.set(path, live && { ...live, apiVersion: type.apiVersion, kind: type.kind });
    return live;
  }

  /** From the listing when the selector is narrower than the preview's name label; else from the API. */
  async list(type: ResourceType, namespace: string | undefined, selector: string): Promise<KubeObject[]> {
    const terms = equalityTerms(selector);
    const narrower = terms && terms[MANAGED_BY] === OWNER_MARKER && terms[PREVIEW_LABEL] === this.ref.name;
    if (!narrower || !this.listed.has(type) || namespace !== this.namespace) return this.store.list(type, namespace, selector);
    return [...this.known.values()].filter(
      (o): o is KubeObject => !!o && o.kind === type.kind && o.apiVersion === type.apiVersion && Object.entries(terms).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
  }

  async apply(desired: KubeObject, owner: Pick<Owner, 'key'>, known: { live: KubeObject | undefined }): Promise<ApplyOutcome> {
    const outcome = await this.store.apply(desired, owner, known);
    if (!this.dryRun) this.known.set(pathOf(outcome.object), outcome.object);
    return outcome;
  }

  async patch(live: KubeObject, patch: Record<string, unknown>, detail: string): Promise<KubeObject> {
    const patched = await this.store.patch(live, patch, detail);
    if (!this.dryRun) this.known.set(pathOf(patched), patched);
    return patched;
  }

  async delete(object: KubeObject): Promise<boolean> {
    const deleted = await this.store.delete(object);
    // Still there until its dependents and finalizers are done: read it again when asked.
    if (!this.dryRun) this.known.delete(pathOf(object));
    this.listed.delete(resourceType(object.apiVersion, object.kind));
    return deleted;
  }

  async waitGone(object: KubeObject): Promise<void> {
    await this.store.waitGone(object);
    this.known.set(pathOf(object), undefined);
  }
}

/** The snapshot `preview` carries for this ref, or a new one (`fresh`: always a new one). */
export function snapshotFor(cluster: Cluster, ref: Pick<PreviewRef, 'name' | 'key'>, preview?: Preview, fresh = false): Snapshot {
  const namespace = cluster.namespaceOf(ref.name);
  return (!fresh && Snapshot.carried(preview, ref, namespace)) || new Snapshot(cluster.store, cluster.context.plan.dryRun, ref, namespace, cluster.context.deadline.clock);
}

/** `a=b,c=d` as a record; undefined for any other selector. */
function equalityTerms(selector: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const m = /^([^=!]+)==?([^=]*)$/.exec(term.trim());
    if (!m) return undefined;
    out[m[1]!] = m[2]!;
  }
  return out;
}
