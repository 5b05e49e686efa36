/**
 * What a preview's workloads say about it, read from the objects a listing returns (no call per
 * preview): its state — asleep when every workload is scaled to zero, else the rollout state as
 * `kubectl rollout status` decides it — and when it was last deployed: the time `deploy` stamps on
 * each workload it writes or wakes, else (objects made before the stamp existed) the time of our
 * last apply in `managedFields`.
 */
import type { PreviewState } from '../types.js';
import { upToDate } from './compare.js';
import { DEPLOYED_AT_ANNOTATION, FIELD_MANAGER, SLEEPING_REPLICAS_ANNOTATION, type KubeObject } from './labels.js';
import { withHash } from './render.js';
import { deploymentRollout } from './rollout.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** Deployments and StatefulSets: what sleep scales to zero and wake scales back. */
export function isWorkload(object: KubeObject): boolean {
  return WORKLOAD_KINDS.has(object.kind);
}

/** `spec.replicas`, which the API server defaults to 1. */
export function replicasOf(object: KubeObject): number {
  const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

/** The replicas a sleeping workload ran before, when sleep recorded them. */
export function sleepingReplicas(object: KubeObject): number | undefined {
  const text = object.metadata.annotations?.[SLEEPING_REPLICAS_ANNOTATION];
  const n = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * A preview's state from its workloads: `sleeping` when all of them run zero replicas, `failed`
 * when a rollout passed its progress deadline, `deploying` while one progresses, else `running`;
 * `unknown` without workloads (made by `ensure-app`, never deployed).
 */
export function previewState(objects: KubeObject[]): PreviewState {
  const workloads = objects.filter(isWorkload);
  if (!workloads.length) return 'unknown';
  if (workloads.every((w) => replicasOf(w) === 0)) return 'sleeping';
  const rollouts = workloads.filter((w) => w.kind === 'Deployment' && replicasOf(w) > 0).map((d) => deploymentRollout(d).state);
  if (rollouts.includes('failed')) return 'failed';
  if (rollouts.includes('progressing')) return 'deploying';
  return 'running';
}

function applyTime(object: KubeObject): string | undefined {
  const entries = (object.metadata.managedFields ?? []) as Array<{ manager?: string; operation?: string; time?: string }>;
  return entries
    .filter((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && typeof e.time === 'string')
    .map((e) => e.time!)
    .sort()
    .at(-1);
}

/** The latest deploy time recorded on the workloads (ISO 8601), or undefined. */
export function lastDeployedAt(objects: KubeObject[]): string | undefined {
  const times = objects
    .filter(isWorkload)
    .map((w) => w.metadata.annotations?.[DEPLOYED_AT_ANNOTATION] ?? applyTime(w))
    .filter((t): t is string => typeof t === 'string' && Number.isFinite(Date.parse(t)));
  return times.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}

/**
 * Stamps the deploy time on the workloads about to be applied: a workload that is already as
 * wanted keeps its live time (so a re-run writes nothing); one that will be written gets `now`.
 */
export function stampDeployedAt(objects: KubeObject[], liveOf: (object: KubeObject) => KubeObject | undefined, now: string): KubeObject[] {
  return objects.map((object) => {
    if (!isWorkload(object)) return object;
    const live = liveOf(object);
    const kept = live?.metadata.annotations?.[DEPLOYED_AT_ANNOTATION];
    const stamp = (at: string): KubeObject => ({ ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations ?? {}), [DEPLOYED_AT_ANNOTATION]: at } } });
    if (kept && upToDate(withHash(stamp(kept)), live).equal) return stamp(kept);
    return stamp(now);
  });
}
