/**
 * `deploy`: the workloads with the commit on their pod template — so that an unchanged image tag
 * still rolls out — and the hash of the Secrets they read, then a wait for the rollout as
 * `kubectl rollout status` waits. Everything comes from the call's spec, so a lone `deploy`
 * renders exactly what the same `up` would. A sleeping preview is woken first (sleep.ts), and every
 * workload written or woken gets the deploy time that `list` reads (activity.ts).
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { poll } from '../../core/retry.js';
import type { DeployResult, Preview, PreviewSpec, SourceRef } from '../types.js';
import { stampDeployedAt } from './activity.js';
import { ForbiddenError } from './client.js';
import type { Cluster } from './cluster.js';
import { applyGuarded } from './ensure.js';
import { isOwn, previewFrom, typeOf } from './find.js';
import { COMMIT_ANNOTATION, RESTARTED_AT_ANNOTATION, type KubeObject } from './labels.js';
import { guardTargets } from './ownership.js';
import { configHashOf, databaseSecretName, envSecretName, secretObject } from './render.js';
import { DERIVED_TYPES } from './resources.js';
import { deploymentRollout, describeProblems, FATAL_WAITING_REASONS, notReadyPods, podProblems, type RolloutStatus } from './rollout.js';
import { wakeWorkloads } from './sleep.js';
import { ownerOf, phaseOf, render, renderContext } from './targets.js';

type Template = { template?: { metadata?: { annotations?: Record<string, string> } } };
const templateAnnotations = (d: KubeObject | undefined) => (d?.spec as Template | undefined)?.template?.metadata?.annotations ?? {};

export async function deployPreview(cluster: Cluster, preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
  const { store, context } = cluster;
  const owner = ownerOf(spec);
  const name = spec.name;
  const base = renderContext(cluster, spec);
  const envSecret = secretObject(base, envSecretName(name), spec.env, 'env');
  // The database Secret as it is (ensure wrote it): its content goes into the config hash.
  let dbSecret: KubeObject | undefined;
  if (cluster.database) {
    const live = await store.get(typeOf('Secret'), base.namespace, databaseSecretName(name));
    if (live && isOwn(live, spec)) dbSecret = secretObject(base, databaseSecretName(name), {}, 'database');
    if (dbSecret) dbSecret.data = live!.data;
  }
  const configHash = configHashOf([envSecret, ...(dbSecret ? [dbSecret] : [])]);
  const databaseSecret = dbSecret ? databaseSecretName(name) : undefined;
  const probe = render(cluster, { ...base, commit: source.commit, configHash, databaseSecret }).filter((o) => phaseOf(o) === 'deploy');
  if (!probe.length) throw new ProviderError(`deploy ${name}: nothing to deploy`, { hint: 'the manifests hold no Deployment or other workload' });
  const guarded = await guardTargets(store, probe, owner, { identity: owner.identity, adopt: context.adopt, logger: context.logger });

  // A sleeping preview wakes first: its pods come back with the template they had.
  const woken = await wakeWorkloads(cluster, guarded.map((g) => g.live));
  const lives = new Map(guarded.map((g) => [`${g.object.kind}/${g.object.metadata.name}`, g.live]));
  for (const [key, object] of woken) lives.set(key, object);
  const liveOf = (o: KubeObject) => lives.get(`${o.kind}/${o.metadata.name}`);
  // Keep the restart marker of the live pods unless --force asks for a new one.
  const live = guarded.filter((g) => g.object.kind === 'Deployment').map((g) => liveOf(g.object));
  const sameCommit = live.length > 0 && live.every((d) => templateAnnotations(d)[COMMIT_ANNOTATION] === source.commit);
  let restartedAt = templateAnnotations(live[0])[RESTARTED_AT_ANNOTATION];
  if (source.force && sameCommit) restartedAt = new Date().toISOString();
  const rendered = render(cluster, { ...base, commit: source.commit, configHash, restartedAt, databaseSecret }).filter((o) => phaseOf(o) === 'deploy');
  const objects = stampDeployedAt(rendered, liveOf, new Date().toISOString());
  const outcomes = await applyGuarded(
    cluster,
    objects.map((object) => ({ object, live: liveOf(object) })),
    owner,
  );
  const wrote = outcomes.some((o) => o.action !== 'unchanged') || woken.size > 0;
  const url = preview.url || previewFrom(name, base.namespace, [], spec.domains).url;
  const short = source.commit.slice(0, 12);
  if (context.plan.dryRun) return { deployed: wrote, url, ...(wrote ? {} : { reason: `commit ${short} already live` }) };
  const statuses: RolloutStatus[] = [];
  const waiter = new RolloutWaiter(cluster);
  for (const o of outcomes.filter((x) => x.object.kind === 'Deployment')) statuses.push(await waiter.wait(o.object, source.commit));
  const state = statuses.every((s) => s.state === 'complete') ? 'ok' : 'running';
  const first = objects.find((o) => o.kind === 'Deployment');
  const deployment = { id: `${base.namespace}/${first?.metadata.name ?? name}`, state, commit: source.commit };
  if (!wrote) return { deployed: false, url, reason: `commit ${short} already live`, deployment };
  return { deployed: true, url, deployment };
}

/** Waits for rollouts; one per deploy call, so that a warning about pods is said once per call. */
class RolloutWaiter {
  private warnedPods = false;

  constructor(private readonly cluster: Cluster) {}

  /** Polls the Deployment until `kubectl rollout status` would say done; fails fast on pods that cannot start. */
  async wait(deployment: KubeObject, commit: string): Promise<RolloutStatus> {
    const { store, context, settings } = this.cluster;
    const namespace = deployment.metadata.namespace!;
    const name = deployment.metadata.name!;
    const what = `rollout of Deployment ${namespace}/${name}`;
    const selector = podSelector(deployment);
    let fatalPolls = 0;
    // What the pods said at the last look: once the deadline has passed no request can be made.
    let lastPods = '';
    try {
      return await poll(
        async () => {
          const live = await store.get(typeOf('Deployment'), namespace, name);
          if (!live) throw new ProviderError(`${what}: the Deployment disappeared`, { hint: 'another job may have stopped this preview; run up again to recreate it' });
          const status = deploymentRollout(live);
          context.logger.progress(`${name}: ${status.message}`);
          if (status.state === 'complete') return status;
          if (status.state === 'failed') throw await this.failure(what, status.message, namespace, selector, commit);
          if (status.message.includes('spec update')) return undefined;
          // Old pods may still be available while the new ones cannot start: look at the pods.
          const pods = await this.pods(namespace, selector);
          lastPods = describeProblems(notReadyPods(pods, commit));
          if (settings.rolloutFailFast && status.updated > 0) {
            const problems = podProblems(pods, commit).filter((p) => p.current && FATAL_WAITING_REASONS.has(p.reason));
            // Seen twice in a row: a pull retry or a single crash is not yet a verdict.
            fatalPolls = problems.length ? fatalPolls + 1 : 0;
            if (fatalPolls >= 2) throw new ProviderError(`${what} failed: ${describeProblems(problems)}`, { hint: 'check the image and the app logs (kubectl logs)' });
          }
          return undefined;
        },
        { deadline: context.deadline, what, initialMs: this.cluster.pollInitialMs, maxMs: this.cluster.pollMaxMs },
      );
    } catch (error) {
      if (error instanceof TimeoutError) {
        const problems = lastPods || (await this.problems(namespace, selector, commit).catch(() => ''));
        throw new TimeoutError(`${error.message}${problems ? `: ${problems}` : ''}`, {
          hint: problems ? 'check the image, the readiness probe and the app logs (kubectl describe pod / kubectl logs), or raise --timeout' : error.hint,
        });
      }
      throw error;
    }
  }

  /** The pods, or none when the account may not list them: the Deployment's status still decides. */
  private async pods(namespace: string, selector: string): Promise<KubeObject[]> {
    try {
      return await this.cluster.store.list(DERIVED_TYPES[1]!, namespace, selector);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      if (!this.warnedPods) this.cluster.context.logger.warn(`cannot list pods in ${namespace} (forbidden): a failing rollout will be seen only at its progress deadline, without the pods' reasons`);
      this.warnedPods = true;
      return [];
    }
  }

  private async problems(namespace: string, selector: string, commit: string): Promise<string> {
    const problems = podProblems(await this.pods(namespace, selector), commit);
    return describeProblems(problems.filter((p) => p.current).length ? problems.filter((p) => p.current) : problems);
  }

  private async failure(what: string, message: string, namespace: string, selector: string, commit: string): Promise<ProviderError> {
    const problems = await this.problems(namespace, selector, commit);
    return new ProviderError(`${what} failed: ${message}${problems ? `: ${problems}` : ''}`, { hint: 'check the image and the app logs (kubectl logs)' });
  }
}

function podSelector(deployment: KubeObject): string {
  const matchLabels = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
