/**
 * Applying one desired object: look, refuse what is not ours, skip what is already as wanted, else
 * server-side apply as `preview-kit`. This is where "a no-op rerun makes no write" is decided.
 */
import { SafetyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import { poll, type Deadline } from '../../core/retry.js';
import type { KubeClient } from './client.js';
import { upToDate } from './compare.js';
import { isOurs, type KubeObject } from './labels.js';
import { withHash } from './render.js';
import { resourcePath, resourceType, type ResourceType } from './resources.js';

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
  adopt: boolean;
  pollInitialMs: number;
  pollMaxMs: number;
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

  /** Refuses an object that has the name but not our marker (unless adopting). */
  checkOwnership(live: KubeObject, preview: string): void {
    if (isOurs(live, preview) || this.o.adopt) return;
    const labels = live.metadata.labels ?? {};
    const whose = labels['preview-kit/name'] ? `preview-kit preview "${labels['preview-kit/name']}"` : 'someone else';
    throw new SafetyError(`${describeObject(live)} exists but belongs to ${whose} (no preview-kit label for ${preview})`, {
      hint: 'remove or rename it, or pass --adopt to take it over',
    });
  }

  /** Server-side applies the object unless the live one already matches; see compare.ts. */
  /** Reads the live objects and refuses the whole set before any write if one is not ours. */
  async preflight(objects: KubeObject[], preview: string): Promise<Array<KubeObject | undefined>> {
    const lives: Array<KubeObject | undefined> = [];
    for (const object of objects) {
      const live = await this.o.client.get<KubeObject>(pathOf(object), `read ${describeObject(object)}`);
      if (live && !live.metadata.deletionTimestamp) this.checkOwnership(live, preview);
      lives.push(live);
    }
    return lives;
  }

  async apply(desired: KubeObject, preview: string, known?: { live: KubeObject | undefined }): Promise<ApplyOutcome> {
    const target = withHash(desired);
    const path = pathOf(target);
    const what = describeObject(target);
    let live = known ? known.live : await this.o.client.get<KubeObject>(path, `read ${what}`);
    if (live?.metadata.deletionTimestamp) {
      // Still being torn down by an earlier stop: wait for it to go, then create it anew.
      await this.waitGone(target);
      live = undefined;
    }
    if (live) {
      this.checkOwnership(live, preview);
      const { equal, drift } = upToDate(target, live);
      if (equal && isOurs(live, preview)) return { action: 'unchanged', object: live, before: live };
      if (drift.length) this.o.logger.info(`${what} was changed outside preview-kit (${drift.slice(0, 3).join(', ')}); restoring it`);
      await this.prepareStrategySwitch(target, live, path, what);
      if (!isOurs(live, preview)) await this.takeOver(target, live, path, what);
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
   * what the cluster assigned (a Service's cluster IP).
   */
  private async takeOver(target: KubeObject, live: KubeObject, path: string, what: string): Promise<void> {
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

  async waitGone(object: KubeObject): Promise<void> {
    const path = pathOf(object);
    const what = describeObject(object);
    await poll(async () => ((await this.o.client.get<KubeObject>(path, `read ${what}`)) ? undefined : true), {
      deadline: this.o.deadline,
      what: `${what} to be deleted`,
      initialMs: this.o.pollInitialMs,
      maxMs: this.o.pollMaxMs,
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
      { deadline: this.o.deadline, what: `the preview's objects to be deleted`, initialMs: this.o.pollInitialMs, maxMs: this.o.pollMaxMs },
    );
  }
}
