/**
 * `destroy`: everything of this preview — its own namespace, or in a shared namespace every object
 * with its name label and identity key, workloads first — then the database. Objects of that name
 * that belong to another preview are left alone with a warning; the run still succeeds. A run that
 * removes several previews (prune) looks for the kinds its settings do not make only where an
 * inventory of the namespace, taken once, found anything of ours.
 */
import { ProviderError } from '../../core/errors.js';
import { OWNER_MARKER, type DestroyResult, type PreviewRef } from '../types.js';
import { ForbiddenError } from './client.js';
import type { Cluster } from './cluster.js';
import { isOwn, typeOf } from './find.js';
import { MANAGED_BY, ownSelector, PREVIEW_LABEL, previewSelector, type KubeObject } from './labels.js';
import { KindCensus } from './census.js';
import { settled } from './objects.js';
import { deletable } from './ownership.js';
import { DERIVED_TYPES, MIDDLEWARE_TYPE, RESOURCE_TYPES, type ResourceType } from './resources.js';
import { kindsToFind, ownerOf, renderContext } from './targets.js';

/** Removals made so far by each connection (one per run), and its census of kinds. */
const removals = new WeakMap<Cluster, number>();
const censuses = new WeakMap<Cluster, KindCensus>();

function censusOf(cluster: Cluster): KindCensus {
  let census = censuses.get(cluster);
  if (!census) censuses.set(cluster, (census = new KindCensus(cluster.store, `${MANAGED_BY}=${OWNER_MARKER}`)));
  return census;
}

export async function destroyPreview(cluster: Cluster, ref: PreviewRef): Promise<DestroyResult> {
  const { store, context } = cluster;
  const owner = ownerOf(ref);
  const namespace = cluster.namespaceOf(ref.name);
  const removed: string[] = [];
  if (cluster.settings.namespacePerPreview) {
    const ns = await store.get(typeOf('Namespace'), undefined, namespace);
    const targets = ns ? deletable([{ ...ns, apiVersion: 'v1', kind: 'Namespace' }], owner, context) : [];
    for (const target of targets) {
      if (await store.delete(target)) removed.push(`namespace ${namespace}`);
      if (!context.plan.dryRun) await store.waitGone(target);
    }
  } else {
    // A Traefik Middleware exists only for --basic-auth behind Traefik: looked for only then.
    const traefik = cluster.settings.ingressController === 'traefik' ? [MIDDLEWARE_TYPE] : [];
    const types = [...RESOURCE_TYPES.filter((t) => t.namespaced), ...traefik, ...DERIVED_TYPES];
    const found: ResourceType[] = [];
    const unchecked: ResourceType[] = [];
    // Kinds these settings make must be listed; other kinds are looked at in case older settings
    // made them, but a deployer role without rights on them (or a cluster without the API) must
    // not make every stop fail.
    const expected = new Set(kindsToFind(cluster, renderContext(cluster, ref)).map((t) => t.kind));
    // From the second removal of a run on (a prune), the other kinds are looked for only where the
    // run's inventory found anything of ours, and a dry run plans from it alone (census.ts).
    const runs = (removals.get(cluster) ?? 0) + 1;
    removals.set(cluster, runs);
    const inventory = runs > 1 ? await censusOf(cluster).of(types, namespace) : undefined;
    // What to look at, kind by kind (workloads first); the listings go out together.
    const order = [...types].reverse();
    const listings = await settled(
      order.map(async (type): Promise<KubeObject[] | 'unchecked' | undefined> => {
        const known = inventory?.get(type);
        if (known && !expected.has(type.kind) && known.presence !== 'some') return known.presence === 'unchecked' ? 'unchecked' : undefined;
        // A dry run plans from the inventory; a real removal looks at the cluster as it is now.
        if (known && known.presence !== 'unchecked' && context.plan.dryRun) return known.items.filter((item) => item.metadata.labels?.[PREVIEW_LABEL] === ref.name);
        try {
          return await store.list(type, namespace, previewSelector(ref.name));
        } catch (error) {
          const unserved = error instanceof ProviderError && error.status === 404;
          if (expected.has(type.kind) || !(error instanceof ForbiddenError || unserved)) throw error;
          return 'unchecked';
        }
      }),
    );
    const deleted: KubeObject[] = [];
    // Workloads first, so their pods stop before the Secrets and Service they use go.
    for (const [i, listing] of listings.entries()) {
      const type = order[i]!;
      if ('error' in listing) throw listing.error;
      const items = listing.value;
      if (items === 'unchecked') unchecked.push(type);
      if (!items || items === 'unchecked') continue;
      // Going already, or going with their owner (a Deployment's ReplicaSets and pods).
      const candidates = items.filter((item) => !item.metadata.deletionTimestamp && !(DERIVED_TYPES.includes(type) && item.metadata.ownerReferences));
      const targets = deletable(candidates, owner, context);
      if (items.some((item) => isOwn(item, ref))) found.push(type);
      for (const item of targets) {
        await store.delete(item);
        deleted.push(item);
        removed.push(`${item.kind.toLowerCase()} ${namespace}/${item.metadata.name}`);
      }
    }
    if (unchecked.length) {
      context.logger.warn(`stop ${ref.name}: could not look for ${unchecked.map((t) => t.plural).join(', ')} in ${namespace} (forbidden or not served); these settings make none of them`);
    }
    if (found.length && !context.plan.dryRun) {
      // Each deleted object is followed until it is gone (with its dependents, deleted in the
      // foreground); then one look confirms that nothing of the preview is left.
      for (const gone of await settled(deleted.map((item) => store.waitGone(item)))) if ('error' in gone) throw gone.error;
      await store.waitNoneLeft(found, namespace, ownSelector(owner));
    }
  }
  const db = cluster.database;
  if (db) removed.push(...(await db.drop(owner)).removed.map((r) => `PostgreSQL ${r}`));
  return { deleted: removed.length > 0, removed };
}
