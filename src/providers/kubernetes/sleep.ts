/**
 * Sleep and wake. `sleep` scales every Deployment and StatefulSet of the preview to zero with one
 * merge patch each, recording on the workload the replicas it ran; the Service, Ingress, Secrets,
 * volumes and the database stay, so the URL and the data survive. A workload at zero already is
 * left alone: a second sleep makes no write. Waking (from `ensure` and `deploy`) restores the
 * recorded replicas and the deploy time with one merge patch, without touching the pod template —
 * the pods of the commit that ran come back, no new rollout — and `deploy` waits for them the way
 * it waits for a rollout. A HorizontalPodAutoscaler leaves a workload at zero alone (autoscaling
 * is off while the target has no replicas), so none needs changing.
 */
import type { PreviewRef, SleepResult } from '../types.js';
import { isWorkload, replicasOf, sleepingReplicas } from './activity.js';
import type { Cluster } from './cluster.js';
import { DEPLOYED_AT_ANNOTATION, ownSelector, SLEEPING_REPLICAS_ANNOTATION, type KubeObject } from './labels.js';
import { describeObject } from './objects.js';
import { oursAmong } from './ownership.js';
import type { Objects } from './snapshot.js';
import { kindsToFind, ownerOf, renderContext } from './targets.js';

export async function sleepPreview(cluster: Cluster, ref: PreviewRef): Promise<SleepResult> {
  const { store, context } = cluster;
  const owner = ownerOf(ref);
  const ctx = renderContext(cluster, ref);
  const workloads: KubeObject[] = [];
  for (const type of kindsToFind(cluster, ctx).filter((t) => t.workload)) {
    workloads.push(...(await store.list(type, ctx.namespace, ownSelector(owner))));
  }
  const stopped: string[] = [];
  for (const workload of oursAmong(workloads, owner, context)) {
    if (workload.metadata.deletionTimestamp) continue;
    const replicas = replicasOf(workload);
    if (replicas === 0) continue;
    await store.patch(workload, { metadata: { annotations: { [SLEEPING_REPLICAS_ANNOTATION]: String(replicas) } }, spec: { replicas: 0 } }, 'sleep: 0 replicas');
    stopped.push(`${describeObject(workload)} (${replicas} → 0 replicas)`);
  }
  if (stopped.length && !context.plan.dryRun) context.logger.info(`${ref.name} sleeps: ${stopped.join(', ')}; its Service, Ingress, Secrets and data stay`);
  return { slept: stopped.length > 0, stopped };
}

/** Whether sleep put this workload to zero (and recorded what to restore). */
export function isAsleep(object: KubeObject | undefined): object is KubeObject {
  return !!object && isWorkload(object) && replicasOf(object) === 0 && sleepingReplicas(object) !== undefined;
}

/**
 * Wakes the sleeping workloads among `lives` (objects read from the cluster): restores their
 * replicas and stamps the deploy time. Returns the objects as the API server answered, by
 * `Kind/name`, for the caller to use as the new live versions.
 */
export async function wakeWorkloads(cluster: Cluster, lives: Array<KubeObject | undefined>, objects: Pick<Objects, 'patch'> = cluster.store): Promise<Map<string, KubeObject>> {
  const woken = new Map<string, KubeObject>();
  const now = new Date().toISOString();
  for (const live of lives) {
    if (!isAsleep(live) || live.metadata.deletionTimestamp) continue;
    const replicas = sleepingReplicas(live)!;
    const patched = await objects.patch(
      live,
      { metadata: { annotations: { [SLEEPING_REPLICAS_ANNOTATION]: null, [DEPLOYED_AT_ANNOTATION]: now } }, spec: { replicas } },
      `wake: ${replicas} replica${replicas === 1 ? '' : 's'}`,
    );
    if (!cluster.context.plan.dryRun) cluster.context.logger.info(`woke ${describeObject(live)}: ${replicas} replica${replicas === 1 ? '' : 's'}`);
    woken.set(`${live.kind}/${live.metadata.name}`, patched);
  }
  return woken;
}
