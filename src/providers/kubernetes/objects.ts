/**
 * Reading, applying and deleting objects. Applying one desired object: skip it when it is already
 * as wanted, else server-side apply as `preview-kit`; this is where "a no-op rerun makes no write"
 * is decided. Whether an object may be written at all is decided before, for every target of a
 * run at once (ownership.ts).
 */
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import { poll, type Deadline } from '../../core/retry.js';
import type { KubeClient } from './client.js';
import { stableStringify, upToDate } from './compare.js';
import { ownershipOf } from '../reconcile.js';
import { marksOf, type KubeObject, type Owner } from './labels.js';
import { withHash } from './render.js';
import { resourcePath, resourceType, type ResourceType } from './resources.js';
import { ObjectWatch } from './watch.js';

/** Watches that may end before a wait falls back to polling. */
const WATCH_ATTEMPTS = 3;
/** A watch silent this long is checked with a read (a proxy may hold events back). */
const QUIET_READ_MS = 5_000;

export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface ApplyOutcome {
  action: ApplyAction;
  object: KubeObject;
  /** The object as it was before, when it existed. */
  before?: KubeObject;
}

export interface ObjectStoreOptions {
  client: KubeClient;
  plan: Plan;
  logger: Logger;
  deadline: Deadline;
  /** Pace of the waits for deletions; core/retry.ts WAIT_BACKOFF unless given. */
  pollInitialMs?: number;
  pollMaxMs?: number;
}

/** Each promise's value or error, in order, once all of them are settled (none left running). */
export async function settled<T>(promises: Array<Promise<T>>): Promise<Array<{ value: T } | { error: unknown }>> {
  return Promise.all(promises.map((p) => p.then((value) => ({ value }), (error: unknown) => ({ error }))));
}

export function describeObject(object: KubeObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name}`;
}

export function pathOf(object: KubeObject): string {
  return resourcePath(resourceType(object.apiVersion, object.kind), object.metadata.namespace, object.metadata.name);
}

export class ObjectStore {
  constructor(private readonly o: ObjectStoreOptions) {}

  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return this.o.client.get<KubeObject>(resourcePath(type, namespace, name), `read ${type.kind} ${namespace ? `${namespace}/` : ''}${name}`);
  }

  async list(type: ResourceType, namespace: string | undefined, selector: string): Promise<KubeObject[]> {
    const items = await this.o.client.list<KubeObject>(
      resourcePath(type, namespace),
      `list ${type.plural}${namespace ? ` in ${namespace}` : ''}`,
      selector,
    );
    // List items come without kind/apiVersion; put them back for messages and paths.
    return items.map((item) => ({ ...item, apiVersion: type.apiVersion, kind: type.kind }));
  }

  /** Whether any object of the type in the namespace carries the selector (one `limit=1` listing). */
  async any(type: ResourceType, namespace: string, selector: string): Promise<boolean> {
    const res = await this.o.client.request<{ items?: unknown[] }>({
      method: 'GET',
      path: resourcePath(type, namespace),
      query: { labelSelector: selector, limit: '1' },
      what: `look for ${type.plural} in ${namespace}`,
    });
    return (res.body.items ?? []).length > 0;
  }

  /** Every object of the type carrying the selector, in every namespace (one cluster-scope call). */
  async listEverywhere(type: ResourceType, selector: string): Promise<KubeObject[]> {
    const items = await this.o.client.list<KubeObject>(resourcePath(type, undefined, undefined, true), `list ${type.plural} in all namespaces`, selector);
    return items.map((item) => ({ ...item, apiVersion: type.apiVersion, kind: type.kind }));
  }

  /** A JSON merge patch of a live object (scaling for sleep and wake), through the plan. */
  async patch(live: KubeObject, patch: Record<string, unknown>, detail: string): Promise<KubeObject> {
    const what = describeObject(live);
    const patched = await this.o.plan.apply(
      { kind: 'update', target: what, detail },
      () => this.o.client.mergePatch<KubeObject>(pathOf(live), patch, `${detail}: ${what}`),
      live,
    );
    return { ...patched, apiVersion: live.apiVersion, kind: live.kind };
  }

  /** The live object for a desired one, or undefined. */
  async read(object: KubeObject): Promise<KubeObject | undefined> {
    const live = await this.o.client.get<KubeObject>(pathOf(object), `read ${describeObject(object)}`);
    return live ? { ...live, apiVersion: object.apiVersion, kind: object.kind } : undefined;
  }

  /**
   * Server-side applies the object unless the live one already matches (see compare.ts). `live`
   * is what was read when ownership was judged; an unmarked live object got here only by --adopt.
   */
  async apply(desired: KubeObject, owner: Pick<Owner, 'key'>, known: { live: KubeObject | undefined }): Promise<ApplyOutcome> {
    const target = withHash(desired);
    const path = pathOf(target);
    const what = describeObject(target);
    let live = known.live;
    if (live?.metadata.deletionTimestamp) {
      // Still being torn down by an earlier stop: wait for it to go, then create it anew.
      await this.waitGone(target);
      live = undefined;
    }
    if (live) {
      const ours = ownershipOf(marksOf(live), owner.key).kind === 'ours';
      const { equal, drift } = upToDate(target, live);
      if (equal && ours) return { action: 'unchanged', object: live, before: live };
      if (drift.length && ours) this.o.logger.info(`${what} was changed outside preview-kit (${drift.slice(0, 3).join(', ')}); restoring it`);
      await this.prepareStrategySwitch(target, live, path, what);
      if (!ours && (await this.takeOver(target, live, path, what))) live = undefined;
    }
    const applied = await this.o.plan.apply(
      { kind: live ? 'update' : 'create', target: what },
      () => this.o.client.apply<KubeObject>(path, target, `apply ${what}`, true),
      target,
    );
    return { action: live ? 'updated' : 'created', object: { ...applied, apiVersion: target.apiVersion, kind: target.kind }, before: live };
  }

  /**
   * Adopting: apply alone would keep the previous owner's fields next to ours (a Service selector
   * with their label and ours selects nothing), so the object is first replaced by ours, keeping
   * what the cluster assigned (a Service's cluster IP). A workload whose selector differs cannot
   * be changed that way (the selector is immutable): it is deleted and made anew, as
   * `kubectl replace --force` does. True when it is gone.
   */
  private async takeOver(target: KubeObject, live: KubeObject, path: string, what: string): Promise<boolean> {
    const selectorOf = (o: KubeObject) => stableStringify((o.spec as { selector?: unknown } | undefined)?.selector ?? null);
    if ((target.kind === 'Deployment' || target.kind === 'StatefulSet') && selectorOf(target) !== selectorOf(live)) {
      await this.o.plan.apply(
        { kind: 'delete', target: what, detail: 'adopted: its selector cannot change, so it is made anew' },
        () => this.o.client.delete(path, `delete ${what}`, 'Foreground'),
        undefined,
      );
      if (!this.o.plan.dryRun) await this.waitGone(target);
      return true;
    }
    const replacement: KubeObject = { ...target, metadata: { ...target.metadata, resourceVersion: live.metadata.resourceVersion } };
    const liveSpec = live.spec as Record<string, unknown> | undefined;
    if (target.kind === 'Service' && liveSpec) {
      replacement.spec = { ...(target.spec as Record<string, unknown>), clusterIP: liveSpec.clusterIP, clusterIPs: liveSpec.clusterIPs };
    }
    await this.o.plan.apply(
      { kind: 'update', target: what, detail: 'adopted: replaced by ours' },
      () => this.o.client.replace(path, replacement, `adopt ${what}`),
      undefined,
    );
    return false;
  }

  /**
   * A Deployment moving to Recreate still has the server-defaulted `rollingUpdate` block, which the
   * API rejects with Recreate and which apply alone does not remove (no manager owns it).
   */
  private async prepareStrategySwitch(target: KubeObject, live: KubeObject, path: string, what: string): Promise<void> {
    if (target.kind !== 'Deployment') return;
    const wanted = (target.spec as { strategy?: { type?: string } } | undefined)?.strategy?.type;
    const current = (live.spec as { strategy?: { type?: string; rollingUpdate?: unknown } } | undefined)?.strategy;
    if (wanted !== 'Recreate' || !current?.rollingUpdate) return;
    await this.o.plan.apply(
      { kind: 'update', target: what, detail: 'strategy Recreate' },
      () => this.o.client.mergePatch(path, { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }, `switch ${what} to Recreate`),
      undefined,
    );
  }

  async delete(object: KubeObject): Promise<boolean> {
    const what = describeObject(object);
    return this.o.plan.apply(
      { kind: 'delete', target: what },
      () => this.o.client.delete(pathOf(object), `delete ${what}`, 'Foreground'),
      true,
    );
  }

  /**
   * Waits until the object is gone, as `kubectl delete --wait` does: read it, then watch it from
   * that version until the API says DELETED (a finalizer, foreground deletion of its dependents).
   * A watch silent for a while is checked with a read; where watching is not possible (or keeps
   * failing) it polls instead.
   */
  async waitGone(object: KubeObject): Promise<void> {
    const path = pathOf(object);
    const what = describeObject(object);
    const type = resourceType(object.apiVersion, object.kind);
    for (let failures = 0; failures < WATCH_ATTEMPTS; ) {
      this.o.deadline.check(`${what} to be deleted`);
      const live = await this.o.client.get<KubeObject>(path, `read ${what}`);
      if (!live) return;
      const watch = await ObjectWatch.open(this.o.client, type, object.metadata.namespace, object.metadata.name!, live.metadata.resourceVersion, what);
      if (!watch) break;
      try {
        for (;;) {
          const event = await watch.next(Math.min(QUIET_READ_MS, this.o.deadline.remaining()));
          if (event.type === 'DELETED') return;
          if (event.type === 'ended') failures++;
          if (event.type === 'ended' || event.type === 'quiet') break;
        }
      } finally {
        watch.close();
      }
    }
    await poll(async () => ((await this.o.client.get<KubeObject>(path, `read ${what}`)) ? undefined : true), {
      deadline: this.o.deadline,
      what: `${what} to be deleted`,
      ...this.pace(),
    });
  }

  /** Waits until no object of these types carries the selector (foreground deletion takes a while). */
  async waitNoneLeft(types: readonly ResourceType[], namespace: string, selector: string): Promise<void> {
    let remaining = [...types];
    await poll(
      async () => {
        const still: ResourceType[] = [];
        for (const type of remaining) {
          const items = await this.list(type, namespace, selector);
          if (items.length) still.push(type);
        }
        remaining = still;
        if (still.length) this.o.logger.progress(`waiting for ${still.map((t) => t.plural).join(', ')} to be deleted`);
        return still.length ? undefined : true;
      },
      { deadline: this.o.deadline, what: `the preview's objects to be deleted`, ...this.pace() },
    );
  }

  private pace(): { initialMs?: number; maxMs?: number } {
    return { ...(this.o.pollInitialMs !== undefined ? { initialMs: this.o.pollInitialMs } : {}), ...(this.o.pollMaxMs !== undefined ? { maxMs: this.o.pollMaxMs } : {}) };
  }
}
