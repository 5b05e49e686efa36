/**
 * `deploy`: the workloads with the commit on their pod template — so that an unchanged image tag
 * still rolls out — and the hash of the Secrets they read, then a wait for the rollout as
 * `kubectl rollout status` waits (rollout-wait.ts). Everything comes from the call's spec, so a
 * lone `deploy` renders exactly what the same `up` would; what the run has read already comes
 * with the Preview (snapshot.ts). A sleeping preview is woken first (sleep.ts), and every
 * workload written or woken gets the deploy time that `list` reads (activity.ts).
 */
import { ProviderError } from '../../core/errors.js';
import type { DeployResult, Preview, PreviewSpec, SourceRef } from '../types.js';
import { stampDeployedAt } from './activity.js';
import { ForbiddenError } from './api-errors.js';
import type { Cluster } from './cluster.js';
import { applyGuarded } from './ensure.js';
import { isOwn, previewFrom, typeOf } from './find.js';
import { COMMIT_ANNOTATION, RESTARTED_AT_ANNOTATION, type KubeObject } from './labels.js';
import { guardTargets } from './ownership.js';
import { configHashOf, databaseSecretName, envSecretName, secretObject } from './render.js';
import { DERIVED_TYPES, resourceType } from './resources.js';
import type { RolloutStatus } from './rollout.js';
import { waitForRollout, type RolloutSource } from './rollout-wait.js';
import { wakeWorkloads } from './sleep.js';
import { snapshotFor } from './snapshot.js';
import { ownerOf, phaseOf, render, renderContext } from './targets.js';
import { ObjectWatch } from './watch.js';

type Template = { template?: { metadata?: { annotations?: Record<string, string> } } };
const templateAnnotations = (d: KubeObject | undefined) => (d?.spec as Template | undefined)?.template?.metadata?.annotations ?? {};

export async function deployPreview(cluster: Cluster, preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
  const { context } = cluster;
  const owner = ownerOf(spec);
  const objects = snapshotFor(cluster, spec, preview);
  const name = spec.name;
  const base = renderContext(cluster, spec);
  const envSecret = secretObject(base, envSecretName(name), spec.env, 'env');
  // The database Secret as it is (ensure wrote it): its content goes into the config hash.
  let dbSecret: KubeObject | undefined;
  if (cluster.database) {
    const live = await objects.get(typeOf('Secret'), base.namespace, databaseSecretName(name));
    if (live && isOwn(live, spec)) dbSecret = secretObject(base, databaseSecretName(name), {}, 'database');
    if (dbSecret) dbSecret.data = live!.data;
  }
  const configHash = configHashOf([envSecret, ...(dbSecret ? [dbSecret] : [])]);
  const databaseSecret = dbSecret ? databaseSecretName(name) : undefined;
  const probe = render(cluster, { ...base, commit: source.commit, configHash, databaseSecret }).filter((o) => phaseOf(o) === 'deploy');
  if (!probe.length) throw new ProviderError(`deploy ${name}: nothing to deploy`, { hint: 'the manifests hold no Deployment or other workload' });
  await objects.prefetch(probe.map((o) => resourceType(o.apiVersion, o.kind)));
  const guarded = await guardTargets(objects, probe, owner, { identity: owner.identity, adopt: context.adopt, logger: context.logger });

  // A sleeping preview wakes first: its pods come back with the template they had.
  const woken = await wakeWorkloads(cluster, guarded.map((g) => g.live), objects);
  const lives = new Map(guarded.map((g) => [`${g.object.kind}/${g.object.metadata.name}`, g.live]));
  for (const [key, object] of woken) lives.set(key, object);
  const liveOf = (o: KubeObject) => lives.get(`${o.kind}/${o.metadata.name}`);
  // Keep the restart marker of the live pods unless --force asks for a new one.
  const live = guarded.filter((g) => g.object.kind === 'Deployment').map((g) => liveOf(g.object));
  const sameCommit = live.length > 0 && live.every((d) => templateAnnotations(d)[COMMIT_ANNOTATION] === source.commit);
  let restartedAt = templateAnnotations(live[0])[RESTARTED_AT_ANNOTATION];
  if (source.force && sameCommit) restartedAt = new Date().toISOString();
  const rendered = render(cluster, { ...base, commit: source.commit, configHash, restartedAt, databaseSecret }).filter((o) => phaseOf(o) === 'deploy');
  const workloads = stampDeployedAt(rendered, liveOf, new Date().toISOString());
  const outcomes = await applyGuarded(
    cluster,
    objects,
    workloads.map((object) => ({ object, live: liveOf(object) })),
    owner,
  );
  const wrote = outcomes.some((o) => o.action !== 'unchanged') || woken.size > 0;
  const url = preview.url || previewFrom(name, base.namespace, [], spec.domains).url;
  const short = source.commit.slice(0, 12);
  if (context.plan.dryRun) return { deployed: wrote, url, ...(wrote ? {} : { reason: `commit ${short} already live` }) };
  const statuses: RolloutStatus[] = [];
  const pods = podLister(cluster);
  // From the Deployment as the apply answered it (or as read, when unchanged): no read before the wait.
  for (const o of outcomes.filter((x) => x.object.kind === 'Deployment')) {
    statuses.push(await waitForRollout(o.object, source.commit, rolloutSource(cluster, o.object, pods), rolloutOptions(cluster)));
  }
  const state = statuses.every((s) => s.state === 'complete') ? 'ok' : 'running';
  const first = workloads.find((o) => o.kind === 'Deployment');
  const deployment = { id: `${base.namespace}/${first?.metadata.name ?? name}`, state, commit: source.commit };
  if (!wrote) return { deployed: false, url, reason: `commit ${short} already live`, deployment };
  return { deployed: true, url, deployment };
}

function rolloutOptions(cluster: Cluster) {
  const { context, settings, pollInitialMs, pollMaxMs } = cluster;
  const backoff = { ...(pollInitialMs !== undefined ? { initialMs: pollInitialMs } : {}), ...(pollMaxMs !== undefined ? { maxMs: pollMaxMs } : {}) };
  return { deadline: context.deadline, logger: context.logger, failFast: settings.rolloutFailFast, backoff };
}

function rolloutSource(cluster: Cluster, deployment: KubeObject, pods: (namespace: string, selector: string) => Promise<KubeObject[]>): RolloutSource {
  const type = typeOf('Deployment');
  const namespace = deployment.metadata.namespace!;
  const name = deployment.metadata.name!;
  return {
    read: () => cluster.store.get(type, namespace, name),
    watch: (resourceVersion) => ObjectWatch.open(cluster.client, type, namespace, name, resourceVersion, `Deployment ${namespace}/${name}`),
    pods: () => pods(namespace, podSelector(deployment)),
  };
}

/** Lists a Deployment's pods; none when the account may not list them (said once per call): the Deployment's status still decides. */
function podLister(cluster: Cluster): (namespace: string, selector: string) => Promise<KubeObject[]> {
  let warned = false;
  return async (namespace, selector) => {
    try {
      return await cluster.store.list(DERIVED_TYPES[1]!, namespace, selector);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      if (!warned) cluster.context.logger.warn(`cannot list pods in ${namespace} (forbidden): a failing rollout will be seen only at its progress deadline, without the pods' reasons`);
      warned = true;
      return [];
    }
  };
}

function podSelector(deployment: KubeObject): string {
  const matchLabels = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
