/**
 * What a namespace holds of ours, kind by kind, listed once per run (one label-selector listing per
 * kind). `stop` must look for every kind preview-kit knows — older settings or manifests may have
 * made kinds the current ones do not — and that is eighteen listings per preview. A prune removing
 * hundreds of previews takes this inventory once, then lists per preview only the kinds that hold
 * something of ours (kinds the current settings make are always listed); a dry run plans from the
 * inventory alone, without a call per preview.
 */
import { ProviderError } from '../../core/errors.js';
import { ForbiddenError } from './client.js';
import type { KubeObject } from './labels.js';
import type { ObjectStore } from './objects.js';
import type { ResourceType } from './resources.js';

/** What one kind holds: `unchecked` when listing it is forbidden or not served. */
export type KindInventory = { presence: 'some' | 'none'; items: KubeObject[] } | { presence: 'unchecked' };

export class KindCensus {
  private readonly byNamespace = new Map<string, Promise<Map<ResourceType, KindInventory>>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly selector: string,
  ) {}

  /** Each type's objects of ours in the namespace, listed on the first call of the run. */
  of(types: readonly ResourceType[], namespace: string): Promise<Map<ResourceType, KindInventory>> {
    let census = this.byNamespace.get(namespace);
    if (!census) {
      census = this.take(types, namespace);
      this.byNamespace.set(namespace, census);
      // A failed census (network) is taken again by the next caller, not remembered.
      census.catch(() => this.byNamespace.delete(namespace));
    }
    return census;
  }

  private async take(types: readonly ResourceType[], namespace: string): Promise<Map<ResourceType, KindInventory>> {
    const out = new Map<ResourceType, KindInventory>();
    for (const type of types) {
      try {
        const items = await this.store.list(type, namespace, this.selector);
        out.set(type, { presence: items.length ? 'some' : 'none', items });
      } catch (error) {
        const unserved = error instanceof ProviderError && error.status === 404;
        if (!(error instanceof ForbiddenError || unserved)) throw error;
        out.set(type, { presence: 'unchecked' });
      }
    }
    return out;
  }
}
