/**
 * The fake cluster's controllers, run on a short timer: the Deployment controller (a ReplicaSet per
 * pod-template hash, RollingUpdate keeps old pods until new ones are available, Recreate removes
 * them first), a ReplicaSet controller making fake pods that become ready after a delay — or sit in
 * a waiting reason when told to fail — and the garbage collector (foreground deletion, namespace
 * termination, orphaned dependents).
 *
 * Like the real controllers they work from what changed: store events put the affected Deployment,
 * ReplicaSet, pod or deleted object on a queue, and a tick works through the queues only. What waits
 * on time (a pod not ready yet, a rollout before its deadline, a deletion delay) stays queued. A
 * cluster of a thousand settled previews costs a tick nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isObject, type JsonObject } from './fields.js';
import { FAKE_RESOURCES, TRAEFIK_RESOURCES, type FakeResource } from './resources.js';
import { matchesLabels, requirementsOfSelector } from './selectors.js';
import { meta, now, type Store, type StoreEvent } from './store.js';

const R = (kind: string): FakeResource => [...FAKE_RESOURCES, ...TRAEFIK_RESOURCES].find((r) => r.kind === kind)!;

export interface ControllerOptions {
  readyDelayMs: number;
  deletionDelayMs: number;
  /** Overrides spec.progressDeadlineSeconds for failing rollouts (tests want it short). */
  progressDeadlineMs?: number;
}

export interface Failure {
  reason: string;
  message: string;
}

type Obj = JsonObject;

function ownerRef(owner: Obj, kind: string, apiVersion: string): Obj {
  return { apiVersion, kind, name: meta(owner).name!, uid: meta(owner).uid!, controller: true, blockOwnerDeletion: true };
}

function templateHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

type Queue = Set<string>;

/** `namespace/name` of an object. */
const at = (o: Obj): string => `${meta(o).namespace ?? ''}/${meta(o).name}`;
const split = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

export class Controllers {
  /** Failing rollouts by Deployment name (or namespace/name). */
  readonly failures = new Map<string, Failure>();
  private readonly rolloutStarted = new Map<string, { generation: number; at: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly syncDeployments: Queue = new Set();
  private readonly statusDeployments: Queue = new Set();
  private readonly syncReplicaSets: Queue = new Set();
  private readonly syncPods: Queue = new Set();
  /** Objects being deleted, and dependents whose owner went: `kind|namespace/name`. */
  private readonly collect: Queue = new Set();
  /**
   * When each pod was created and each object got its deletionTimestamp, by uid, in milliseconds:
   * the API's timestamps have whole seconds only, and measuring the delays from them would make a
   * pod ready (or a deletion finish) up to a second early.
   */
  private readonly createdAt = new Map<string, number>();
  private readonly deletingSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly options: ControllerOptions,
  ) {
    store.subscribe((event) => this.observe(event));
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        // A controller bug must show up in the test output, not kill the server.
        console.error('fake kubernetes controller:', error);
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Objects queued for the next tick (0: the cluster is settled and a tick costs nothing). */
  pending(): number {
    return this.syncDeployments.size + this.statusDeployments.size + this.syncReplicaSets.size + this.syncPods.size + this.collect.size;
  }

  /** A failure was set or healed: every pod and Deployment is looked at again. */
  touchAll(): void {
    for (const d of this.store.select(R('Deployment'), undefined)) this.touchDeployment(at(d));
    for (const pod of this.store.select(R('Pod'), undefined)) this.syncPods.add(at(pod));
  }

  /** What a change means for the controllers: the object, its owner and its owner's owner are looked at. */
  private observe(event: StoreEvent): void {
    const o = event.object;
    const kind = event.res.kind;
    const uid = String(meta(o).uid);
    if (event.type === 'DELETED') {
      this.createdAt.delete(uid);
      this.deletingSince.delete(uid);
      for (const child of this.store.childrenOf(meta(o).uid)) this.collect.add(`${child.res.kind}|${at(child.object)}`);
    } else if (meta(o).deletionTimestamp) {
      if (!this.deletingSince.has(uid)) this.deletingSince.set(uid, Date.now());
      this.collect.add(`${kind}|${at(o)}`);
    }
    if (event.type === 'ADDED' && kind === 'Pod') this.createdAt.set(uid, Date.now());
    const ns = String(meta(o).namespace ?? '');
    const owner = (meta(o).ownerReferences as Obj[] | undefined)?.[0];
    if (kind === 'Deployment') {
      this.syncDeployments.add(at(o));
      this.statusDeployments.add(at(o));
    } else if (kind === 'ReplicaSet') {
      if (event.type !== 'DELETED') this.syncReplicaSets.add(at(o));
      if (owner?.kind === 'Deployment') this.touchDeployment(`${ns}/${String(owner.name)}`);
    } else if (kind === 'Pod') {
      if (event.type !== 'DELETED') this.syncPods.add(at(o));
      if (owner?.kind === 'ReplicaSet') {
        this.syncReplicaSets.add(`${ns}/${String(owner.name)}`);
        const rs = this.store.get(R('ReplicaSet'), ns, String(owner.name));
        const dRef = rs && (meta(rs).ownerReferences as Obj[] | undefined)?.[0];
        if (dRef?.kind === 'Deployment') this.touchDeployment(`${ns}/${String(dRef.name)}`);
      }
    }
  }

  private touchDeployment(key: string): void {
    this.syncDeployments.add(key);
    this.statusDeployments.add(key);
  }

  private static take(queue: Queue): string[] {
    const keys = [...queue];
    queue.clear();
    return keys;
  }

  tick(): void {
    this.collectGarbage(Controllers.take(this.collect));
    for (const key of Controllers.take(this.syncDeployments)) {
      const d = this.store.get(R('Deployment'), ...split(key));
      if (d && !meta(d).deletionTimestamp) this.syncDeployment(d);
    }
    for (const key of Controllers.take(this.syncReplicaSets)) {
      const rs = this.store.get(R('ReplicaSet'), ...split(key));
      if (rs && !meta(rs).deletionTimestamp) this.syncReplicaSet(rs);
    }
    for (const key of Controllers.take(this.syncPods)) {
      const pod = this.store.get(R('Pod'), ...split(key));
      if (pod && !this.syncPod(pod)) this.syncPods.add(key);
    }
    for (const key of Controllers.take(this.statusDeployments)) {
      const d = this.store.get(R('Deployment'), ...split(key));
      if (d && !meta(d).deletionTimestamp && !this.deploymentStatus(d)) this.statusDeployments.add(key);
    }
  }

  private failureFor(deployment: Obj): Failure | undefined {
    const m = meta(deployment);
    return this.failures.get(`${m.namespace}/${m.name}`) ?? this.failures.get(String(m.name));
  }

  private replicaSetsOf(d: Obj): Obj[] {
    return this.store.childrenOf(meta(d).uid).flatMap((c) => (c.res.kind === 'ReplicaSet' ? [c.object] : []));
  }

  private podsOf(owner: Obj): Obj[] {
    return this.store.childrenOf(meta(owner).uid).flatMap((c) => (c.res.kind === 'Pod' && !meta(c.object).deletionTimestamp ? [c.object] : []));
  }

  private syncDeployment(d: Obj): void {
    const spec = d.spec as Obj;
    const template = spec.template as Obj;
    const hash = templateHash(template);
    const name = `${meta(d).name}-${hash}`;
    const sets = this.replicaSetsOf(d);
    let current = sets.find((rs) => meta(rs).name === name);
    const desired = Number(spec.replicas ?? 1);
    const old = sets.filter((rs) => rs !== current);
    const oldPods = old.reduce((n, rs) => n + this.podsOf(rs).length, 0);
    const recreate = (spec.strategy as Obj | undefined)?.type === 'Recreate';
    const newReady = current ? this.podsOf(current).filter((p) => podReady(p)).length : 0;
    for (const rs of old) {
      const keep = recreate ? 0 : Math.max(0, Math.min(Number((rs.spec as Obj).replicas ?? 0), desired - newReady));
      if (Number((rs.spec as Obj).replicas) !== keep) this.store.write(R('ReplicaSet'), { ...rs, spec: { ...(rs.spec as Obj), replicas: keep } }, rs);
    }
    // Recreate: the new pods start only once every old pod is gone.
    const newReplicas = recreate && oldPods > 0 ? 0 : desired;
    const labels = { ...((template.metadata as Obj | undefined)?.labels as Obj | undefined), 'pod-template-hash': hash };
    if (!current) {
      const revision = 1 + Math.max(0, ...sets.map((rs) => Number((meta(rs).annotations as Obj | undefined)?.['deployment.kubernetes.io/revision'] ?? 0)));
      current = this.store.write(
        R('ReplicaSet'),
        {
          metadata: {
            name,
            namespace: meta(d).namespace!,
            labels,
            annotations: { 'deployment.kubernetes.io/revision': String(revision) },
            ownerReferences: [ownerRef(d, 'Deployment', 'apps/v1')],
          },
          spec: {
            replicas: newReplicas,
            selector: { matchLabels: { ...(((spec.selector as Obj).matchLabels as Obj) ?? {}), 'pod-template-hash': hash } },
            template: { ...template, metadata: { ...((template.metadata as Obj) ?? {}), labels } },
          },
        },
        undefined,
        { keepStatus: false },
      ).object;
    } else if (Number((current.spec as Obj).replicas) !== newReplicas) {
      this.store.write(R('ReplicaSet'), { ...current, spec: { ...(current.spec as Obj), replicas: newReplicas } }, current);
    }
  }

  private syncReplicaSet(rs: Obj): void {
    const want = Number((rs.spec as Obj).replicas ?? 0);
    const pods = this.podsOf(rs);
    for (const pod of pods.slice(want)) this.store.remove(R('Pod'), pod);
    const template = (rs.spec as Obj).template as Obj;
    for (let i = pods.length; i < want; i++) {
      const tm = (template.metadata as Obj) ?? {};
      this.store.write(
        R('Pod'),
        {
          metadata: {
            name: `${meta(rs).name}-${randomBytes(3).toString('hex').slice(0, 5)}`,
            namespace: meta(rs).namespace!,
            labels: (tm.labels as Obj) ?? {},
            annotations: (tm.annotations as Obj) ?? {},
            ownerReferences: [ownerRef(rs, 'ReplicaSet', 'apps/v1')],
          },
          spec: { ...((template.spec as Obj) ?? {}), nodeName: 'fake-node' },
          status: {
            phase: 'Pending',
            containerStatuses: containers(template).map((c) => ({ name: c, ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } })),
          },
        },
        undefined,
        { keepStatus: false },
      );
    }
    const all = this.podsOf(rs);
    const ready = all.filter(podReady).length;
    this.store.writeStatus(R('ReplicaSet'), rs, { replicas: all.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: meta(rs).generation ?? 1 });
  }

  private deploymentOfPod(pod: Obj): Obj | undefined {
    const rsRef = (meta(pod).ownerReferences as Obj[] | undefined)?.[0];
    if (!rsRef) return undefined;
    const rs = this.store.get(R('ReplicaSet'), meta(pod).namespace as string, String(rsRef.name));
    const dRef = rs && (meta(rs).ownerReferences as Obj[] | undefined)?.[0];
    return dRef ? this.store.get(R('Deployment'), meta(pod).namespace as string, String(dRef.name)) : undefined;
  }

  /** Moves a pod to ready (or to its failure) once it is old enough; false while it is not. */
  private syncPod(pod: Obj): boolean {
    if (meta(pod).deletionTimestamp) return true;
    const created = this.createdAt.get(String(meta(pod).uid)) ?? Date.parse(String(meta(pod).creationTimestamp));
    if (Date.now() - created < this.options.readyDelayMs) return false;
    const deployment = this.deploymentOfPod(pod);
    // Only pods of the template being rolled out fail; the old ones keep serving.
    const currentTemplate = deployment && (meta(pod).labels as Obj | undefined)?.['pod-template-hash'] === templateHash((deployment.spec as Obj).template);
    const failure = deployment && currentTemplate ? this.failureFor(deployment) : undefined;
    const names = containers({ spec: pod.spec } as Obj);
    let status: Obj;
    if (failure) {
      const crash = failure.reason === 'CrashLoopBackOff';
      status = {
        phase: crash ? 'Running' : 'Pending',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: names.map((c) => ({
          name: c,
          ready: false,
          restartCount: crash ? 3 : 0,
          state: { waiting: { reason: failure.reason, message: failure.message } },
          ...(crash ? { lastState: { terminated: { exitCode: 1, reason: 'Error' } } } : {}),
        })),
      };
    } else {
      status = {
        phase: 'Running',
        podIP: '10.244.0.10',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: names.map((c) => ({ name: c, ready: true, restartCount: 0, state: { running: { startedAt: meta(pod).creationTimestamp ?? now() } } })),
      };
    }
    const previous = pod.status as Obj | undefined;
    if (previous && JSON.stringify(previous.containerStatuses) === JSON.stringify(status.containerStatuses) && previous.phase === status.phase) return true;
    this.store.writeStatus(R('Pod'), pod, status);
    return true;
  }

  /** Writes the Deployment's status; false while its rollout is not complete (its deadline is a matter of time). */
  private deploymentStatus(d: Obj): boolean {
    const spec = d.spec as Obj;
    const key = `${meta(d).namespace}/${meta(d).name}`;
    const generation = Number(meta(d).generation ?? 1);
    const started = this.rolloutStarted.get(key);
    if (!started || started.generation !== generation) this.rolloutStarted.set(key, { generation, at: Date.now() });
    const hash = templateHash(spec.template);
    const sets = this.replicaSetsOf(d);
    const current = sets.find((rs) => meta(rs).name === `${meta(d).name}-${hash}`);
    const newPods = current ? this.podsOf(current) : [];
    const allPods = sets.flatMap((rs) => this.podsOf(rs));
    const desired = Number(spec.replicas ?? 1);
    const available = allPods.filter(podReady).length;
    const updatedAvailable = newPods.filter(podReady).length;
    const complete = newPods.length === desired && allPods.length === desired && updatedAvailable === desired;
    const deadline = this.options.progressDeadlineMs ?? Number(spec.progressDeadlineSeconds ?? 600) * 1000;
    const stuck = !complete && Date.now() - this.rolloutStarted.get(key)!.at > deadline;
    const progressing = complete
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${current ? meta(current).name : ''}" has successfully progressed.` }
      : stuck
        ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${current ? meta(current).name : ''}" has timed out progressing.` }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${current ? meta(current).name : ''}" is progressing.` };
    const status: Obj = {
      observedGeneration: generation,
      replicas: allPods.length,
      updatedReplicas: newPods.length,
      readyReplicas: available,
      availableReplicas: available,
      ...(allPods.length - available > 0 ? { unavailableReplicas: allPods.length - available } : {}),
      conditions: [
        available >= desired
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
        progressing,
      ],
    };
    this.store.writeStatus(R('Deployment'), d, status);
    return complete || stuck;
  }

  /**
   * Foreground deletion, namespace termination and orphans whose owner is gone, for the queued
   * objects; what must wait (a deletion delay, dependents still there) is queued again.
   */
  private collectGarbage(keys: string[]): void {
    for (const key of keys) {
      const bar = key.indexOf('|');
      const res = R(key.slice(0, bar));
      const [ns, name] = split(key.slice(bar + 1));
      const object = this.store.get(res, res.namespaced ? ns : undefined, name);
      if (!object) continue;
      const m = meta(object);
      if (m.deletionTimestamp) {
        const since = Date.now() - (this.deletingSince.get(String(m.uid)) ?? Date.parse(String(m.deletionTimestamp)));
        let done = false;
        if (res.kind === 'Namespace') {
          const inside = this.store.inNamespace(String(m.name));
          for (const i of inside) this.store.remove(i.res, i.object);
          done = !inside.length && since >= this.options.deletionDelayMs;
        } else {
          const dependents = this.store.childrenOf(m.uid);
          const foreground = Array.isArray(m.finalizers) && m.finalizers.includes('foregroundDeletion');
          if (foreground) {
            for (const dep of dependents) {
              if (dep.res.kind === 'Pod') this.store.remove(dep.res, dep.object);
              else if (!meta(dep.object).deletionTimestamp) this.store.writeMeta(dep.res, dep.object, { deletionTimestamp: now(), finalizers: ['foregroundDeletion'] });
            }
          }
          done = (!foreground || dependents.length === 0) && since >= this.options.deletionDelayMs;
        }
        if (done) this.store.remove(res, object);
        else this.collect.add(key);
        continue;
      }
      const refs = m.ownerReferences;
      if (Array.isArray(refs) && refs.length && refs.every((r) => isObject(r) && !this.store.hasUid(String(r.uid)))) this.store.remove(res, object);
    }
  }
}

function containers(template: Obj): string[] {
  const spec = template.spec as Obj | undefined;
  return (Array.isArray(spec?.containers) ? spec.containers : []).map((c) => String((c as Obj).name));
}

export function podReady(pod: Obj): boolean {
  const conditions = (pod.status as Obj | undefined)?.conditions;
  return Array.isArray(conditions) && conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/** Pods of a Deployment by its selector (for tests). */
export function selectsPod(deployment: Obj, pod: Obj): boolean {
  return matchesLabels(requirementsOfSelector((deployment.spec as Obj).selector as never), meta(pod).labels as Record<string, string>);
}
