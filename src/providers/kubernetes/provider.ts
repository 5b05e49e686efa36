/**
 * The Kubernetes provider. A preview is a set of labelled objects in a namespace (or its own
 * namespace): `ensure` applies the Secrets, Service and the database, `setDomains` the Ingress,
 * `deploy` the workloads — with the commit on the pod template so that an unchanged image tag still
 * rolls out — and then waits for the rollout as `kubectl rollout status` would.
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { urlOf } from '../../core/naming.js';
import { poll } from '../../core/retry.js';
import type { CommonSettings } from '../../core/settings.js';
import type {
  DeployResult,
  DestroyResult,
  EnsureResult,
  Preview,
  PreviewAddon,
  PreviewDomain,
  PreviewSpec,
  Provider,
  ProviderContext,
  SourceRef,
} from '../types.js';
import { ForbiddenError, KubeClient } from './client.js';
import { resolveConnection, nodeFiles, type ClusterConnection, type ConfigFiles } from './kubeconfig.js';
import { PreviewDatabase } from './database.js';
import {
  anyPreviewSelector,
  BRANCH_ANNOTATION,
  COMMIT_ANNOTATION,
  isOurs,
  PREVIEW_LABEL,
  previewSelector,
  RESTARTED_AT_ANNOTATION,
  type KubeObject,
} from './labels.js';
import { readManifests, renderFromManifests } from './manifests.js';
import { describeObject, ObjectStore, type ApplyOutcome } from './objects.js';
import { configHashOf, databaseSecretName, envSecretName, ingressObject, renderFromSettings, secretObject, type RenderContext } from './render.js';
import { RESOURCE_TYPES, DERIVED_TYPES, resourceType, type ResourceType } from './resources.js';
import { deploymentRollout, describeProblems, FATAL_WAITING_REASONS, notReadyPods, podProblems, type RolloutStatus } from './rollout.js';
import type { KubernetesSettings } from './settings.js';

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface KubernetesTuning {
  pollInitialMs?: number;
  pollMaxMs?: number;
  requestTimeoutMs?: number;
  files?: ConfigFiles;
}

const TYPE = (kind: string) => RESOURCE_TYPES.find((t) => t.kind === kind)!;

export class KubernetesProvider implements Provider {
  readonly id = 'kubernetes' as const;
  private connectionValue: ClusterConnection | undefined;
  private clientValue: KubeClient | undefined;
  private storeValue: ObjectStore | undefined;
  private databaseValue: PreviewDatabase | undefined;
  private readonly pollInitialMs: number;
  private readonly pollMaxMs: number;
  private warnedPods = false;
  /** Env given to `ensure` in this process, else the common settings' env (a lone `deploy`). */
  private env: Record<string, string>;

  constructor(
    private readonly settings: KubernetesSettings,
    private readonly common: CommonSettings,
    private readonly context: ProviderContext,
    private readonly tuning: KubernetesTuning = {},
  ) {
    this.pollInitialMs = tuning.pollInitialMs ?? 500;
    this.pollMaxMs = tuning.pollMaxMs ?? 5_000;
    this.env = common.env;
    context.logger.addSecret(settings.token);
    if (settings.databaseUrl) context.logger.addSecret(settings.databaseUrl);
  }

  /** Requests made so far, by method (benchmarks, --debug). */
  get stats() {
    return this.clientValue?.stats;
  }

  close(): void {
    this.clientValue?.close();
  }

  private get connection(): ClusterConnection {
    if (!this.connectionValue) {
      this.connectionValue = resolveConnection(this.settings, this.tuning.files ?? nodeFiles);
      this.context.logger.addSecret(this.connectionValue.token);
      this.context.logger.addSecret(this.connectionValue.basic?.password);
      this.context.logger.addSecret(this.connectionValue.key?.toString('utf8'));
      this.context.logger.debug(`Kubernetes API ${this.connectionValue.server} from ${this.connectionValue.source}`);
    }
    return this.connectionValue;
  }

  private get client(): KubeClient {
    this.clientValue ??= new KubeClient({
      connection: this.connection,
      logger: this.context.logger,
      deadline: this.context.deadline,
      requestTimeoutMs: this.tuning.requestTimeoutMs,
      backoffMs: this.pollInitialMs,
    });
    return this.clientValue;
  }

  private get store(): ObjectStore {
    this.storeValue ??= new ObjectStore({
      client: this.client,
      plan: this.context.plan,
      logger: this.context.logger,
      deadline: this.context.deadline,
      adopt: this.context.adopt,
      pollInitialMs: this.pollInitialMs,
      pollMaxMs: this.pollMaxMs,
    });
    return this.storeValue;
  }

  private get database(): PreviewDatabase | undefined {
    if (!this.settings.databaseUrl) return undefined;
    this.databaseValue ??= new PreviewDatabase({
      adminUrl: this.settings.databaseUrl,
      appHost: this.settings.databaseAppHost,
      logger: this.context.logger,
      plan: this.context.plan,
      deadline: this.context.deadline,
      adopt: this.context.adopt,
    });
    return this.databaseValue;
  }

  namespaceOf(name: string): string {
    if (this.settings.namespacePerPreview) return name;
    return this.settings.namespace ?? this.connection.namespace ?? 'default';
  }

  private renderContext(name: string, extra: Partial<RenderContext> = {}): RenderContext {
    return {
      name,
      app: this.common.app,
      branch: this.common.branch,
      namespace: this.namespaceOf(name),
      env: this.env,
      domains: this.common.domains,
      configHash: '',
      ...extra,
    };
  }

  private render(ctx: RenderContext): KubeObject[] {
    if (this.settings.manifests) {
      const objects = renderFromManifests(readManifests(this.settings.manifests), ctx, this.settings);
      const extra: KubeObject[] = [];
      if (this.settings.namespacePerPreview) extra.push(renderFromSettings({ ...ctx, commit: undefined, domains: [] }, this.settings)[0]!);
      extra.push(secretObject(ctx, envSecretName(ctx.name), ctx.env, 'env'));
      return [...extra, ...objects];
    }
    return renderFromSettings(ctx, this.settings);
  }

  private phaseOf(object: KubeObject): ResourceType['phase'] {
    return resourceType(object.apiVersion, object.kind).phase;
  }

  /** Kinds a preview of this configuration may hold, for find/status. */
  private kindsToFind(ctx: RenderContext): ResourceType[] {
    const kinds = new Set<string>(['Secret', 'Service', 'Ingress', 'Deployment']);
    if (this.settings.manifests) {
      try {
        for (const o of this.render({ ...ctx, commit: ctx.commit ?? 'find' })) kinds.add(o.kind);
      } catch {
        // A stop/status job may run without the checkout: then look at every kind we know.
        for (const t of RESOURCE_TYPES) kinds.add(t.kind);
      }
    }
    kinds.delete('Namespace');
    return RESOURCE_TYPES.filter((t) => kinds.has(t.kind));
  }

  async find(name: string): Promise<Preview | undefined> {
    const ctx = this.renderContext(name);
    if (this.settings.namespacePerPreview) {
      const ns = await this.store.get(TYPE('Namespace'), undefined, ctx.namespace);
      if (!ns || !isOurs(ns, name)) return undefined;
    }
    const objects: KubeObject[] = [];
    for (const type of this.kindsToFind(ctx)) objects.push(...(await this.store.list(type, ctx.namespace, previewSelector(name))));
    if (!objects.length) return undefined;
    return this.previewFrom(name, ctx.namespace, objects);
  }

  private previewFrom(name: string, namespace: string, objects: KubeObject[]): Preview {
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    const domains: PreviewDomain[] = [];
    for (const ingress of ingresses) {
      const spec = (ingress.spec ?? {}) as { rules?: Array<{ host?: string }> };
      for (const rule of spec.rules ?? []) if (rule.host && !domains.some((d) => d.host === rule.host)) domains.push({ host: rule.host });
    }
    const service = objects.find((o) => o.kind === 'Service');
    // https even without a tls block: ingress controllers commonly serve a wildcard certificate.
    const url = domains[0]
      ? urlOf(domains[0].host)
      : this.common.domains[0]
        ? urlOf(this.common.domains[0])
        : service
          ? `http://${service.metadata.name}.${namespace}.svc.cluster.local`
          : '';
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const rollouts = deployments.map((d) => ({ name: d.metadata.name, ...deploymentRollout(d) }));
    const main = deployments.find((d) => d.metadata.name === name) ?? deployments[0];
    const template = (main?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
    const commit = template?.metadata?.annotations?.[COMMIT_ANNOTATION];
    const mainRollout = main ? deploymentRollout(main) : undefined;
    const addons: PreviewAddon[] = [];
    if (objects.some((o) => o.kind === 'Secret' && o.metadata.name === databaseSecretName(name))) {
      addons.push({ id: name.replace(/-/g, '_'), name: name.replace(/-/g, '_'), kind: 'postgresql' });
    }
    const created = objects.map((o) => o.metadata.creationTimestamp).filter((t): t is string => !!t).sort()[0];
    const branch = objects.map((o) => o.metadata.annotations?.[BRANCH_ANNOTATION]).find((b) => b);
    return {
      name,
      id: `${namespace}/${name}`,
      url,
      domains,
      addons,
      lastDeployment: main
        ? {
            id: `${namespace}/${main.metadata.name}`,
            state: mainRollout!.state === 'complete' ? 'ok' : mainRollout!.state === 'failed' ? 'failed' : 'running',
            commit,
            createdAt: main.metadata.creationTimestamp,
          }
        : undefined,
      branch,
      createdAt: created,
      details: {
        namespace,
        objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
        rollouts,
        commit,
      },
    };
  }

  /** Applies the objects in table order (Namespace first); returns what happened to each. */
  private async applyAll(objects: KubeObject[], name: string): Promise<ApplyOutcome[]> {
    const order = (o: KubeObject) => RESOURCE_TYPES.findIndex((t) => t.kind === o.kind && t.apiVersion === o.apiVersion);
    const sorted = [...objects].sort((a, b) => order(a) - order(b));
    const lives = await this.store.preflight(sorted, name);
    const outcomes: ApplyOutcome[] = [];
    for (const [i, object] of sorted.entries()) {
      const outcome = await this.store.apply(object, name, { live: lives[i] });
      // A dry run applied nothing: the plan reports what would happen, this line would claim it did.
      if (outcome.action !== 'unchanged' && !this.context.plan.dryRun) this.context.logger.info(`${outcome.action} ${describeObject(object)}`);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** The database Secret's desired content: ensures the database when `ensure` is true, else reads the live Secret. */
  private async databaseSecret(ctx: RenderContext, ensure: boolean): Promise<{ secret?: KubeObject; created: boolean; changed: boolean }> {
    const db = this.database;
    if (!db) return { created: false, changed: false };
    const secretName = databaseSecretName(ctx.name);
    const live = await this.store.get(TYPE('Secret'), ctx.namespace, secretName);
    if (live) this.store.checkOwnership(live, ctx.name);
    const stored = (live?.data as Record<string, string> | undefined)?.[this.settings.databaseEnv];
    const storedUrl = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
    this.context.logger.addSecret(storedUrl);
    if (!ensure) {
      return { secret: live ? secretObject(ctx, secretName, { [this.settings.databaseEnv]: storedUrl ?? '' }, 'database') : undefined, created: false, changed: false };
    }
    const ensured = await db.ensure(ctx.name, PreviewDatabase.passwordOf(storedUrl));
    return {
      secret: secretObject(ctx, secretName, { [this.settings.databaseEnv]: ensured.url }, 'database'),
      created: ensured.created,
      changed: ensured.changed,
    };
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    this.env = spec.env;
    const base = this.renderContext(spec.name, { env: spec.env, domains: spec.domains });
    // Render the workloads too, with a stand-in commit: a missing --image or a bad template is a
    // usage error to report before anything is created, not after the Service already exists.
    this.render({ ...base, commit: '0'.repeat(40), configHash: '', databaseSecret: this.database ? databaseSecretName(spec.name) : undefined });
    const objects = this.render(base).filter((o) => this.phaseOf(o) === 'ensure');
    // Refuse foreign objects before the database is touched, not after.
    if (this.database) await this.store.preflight(objects, spec.name);
    // The namespace must exist before the database Secret is read in it.
    const namespace = objects.filter((o) => o.kind === 'Namespace');
    const outcomes = await this.applyAll(namespace, spec.name);
    const db = await this.databaseSecret(base, true);
    if (db.secret) objects.push(db.secret);
    outcomes.push(...(await this.applyAll(objects.filter((o) => o.kind !== 'Namespace'), spec.name)));
    const created = outcomes.every((o) => o.action === 'created');
    const changed = db.changed || outcomes.some((o) => o.action !== 'unchanged');
    const preview = this.previewFrom(spec.name, base.namespace, outcomes.map((o) => o.object));
    return { preview, created, changed };
  }

  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const ctx = this.renderContext(preview.name, { env: spec.env, domains: spec.domains });
    let ingresses = this.render(ctx).filter((o) => this.phaseOf(o) === 'routes');
    if (this.settings.manifests && !ingresses.length && spec.domains.length) {
      const services = this.render(ctx).filter((o) => o.kind === 'Service');
      const port = ((services[0]?.spec as { ports?: Array<{ port?: number }> } | undefined)?.ports ?? [])[0]?.port;
      if (services.length === 1 && port) ingresses = [ingressObject(ctx, this.settings, services[0]!.metadata.name!, port)];
      else this.context.logger.warn('--domain is set but the manifests hold no Ingress and not exactly one Service: no route made');
    }
    const outcomes = await this.applyAll(ingresses, preview.name);
    let changed = outcomes.some((o) => o.action !== 'unchanged');
    // Domains removed from the settings: our Ingresses that are no longer wanted go.
    const wanted = new Set(ingresses.map((i) => i.metadata.name));
    const live = await this.store.list(TYPE('Ingress'), ctx.namespace, previewSelector(preview.name));
    for (const ingress of live.filter((i) => !wanted.has(i.metadata.name))) {
      await this.store.delete(ingress);
      if (!this.context.plan.dryRun) await this.store.waitGone(ingress);
      changed = true;
    }
    return { changed, domains: spec.domains.map((host) => ({ host })) };
  }

  async deploy(preview: Preview, source: SourceRef): Promise<DeployResult> {
    const name = preview.name;
    const namespace = this.namespaceOf(name);
    const envSecret = secretObject(this.renderContext(name), envSecretName(name), this.env, 'env');
    const db = await this.databaseSecret(this.renderContext(name), false);
    const configHash = configHashOf([envSecret, ...(db.secret ? [db.secret] : [])]);
    const probe = this.render(this.renderContext(name, { commit: source.commit, configHash, databaseSecret: db.secret ? databaseSecretName(name) : undefined }));
    const workloads = probe.filter((o) => this.phaseOf(o) === 'deploy');
    if (!workloads.length) throw new ProviderError(`deploy ${name}: nothing to deploy`, { hint: 'the manifests hold no Deployment or other workload' });

    // Keep the restart marker of the live pods unless --force asks for a new one.
    const deployments = workloads.filter((o) => o.kind === 'Deployment');
    const live = new Map<string, KubeObject | undefined>();
    for (const d of deployments) live.set(d.metadata.name!, await this.store.get(TYPE('Deployment'), namespace, d.metadata.name!));
    const liveTemplate = (d: KubeObject | undefined) =>
      (d?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations ?? {};
    const first = live.get(deployments[0]?.metadata.name ?? '');
    const sameCommit = deployments.length > 0 && [...live.values()].every((d) => liveTemplate(d)[COMMIT_ANNOTATION] === source.commit);
    let restartedAt = liveTemplate(first)[RESTARTED_AT_ANNOTATION];
    if (source.force && sameCommit) restartedAt = new Date().toISOString();
    const ctx = this.renderContext(name, {
      commit: source.commit,
      configHash,
      restartedAt,
      databaseSecret: db.secret ? databaseSecretName(name) : undefined,
    });
    const objects = this.render(ctx).filter((o) => this.phaseOf(o) === 'deploy');
    const outcomes = await this.applyAll(objects, name);
    const wrote = outcomes.some((o) => o.action !== 'unchanged');
    const url = preview.url || this.previewFrom(name, namespace, []).url;
    const short = source.commit.slice(0, 12);
    if (this.context.plan.dryRun) {
      return { deployed: wrote, url, reason: wrote ? undefined : `commit ${short} already live` };
    }
    const statuses: RolloutStatus[] = [];
    for (const o of outcomes.filter((x) => x.object.kind === 'Deployment')) {
      statuses.push(await this.waitForRollout(o.object, source.commit));
    }
    const state = statuses.every((s) => s.state === 'complete') ? 'ok' : 'running';
    const deployment = { id: `${namespace}/${deployments[0]?.metadata.name ?? name}`, state, commit: source.commit };
    if (!wrote) return { deployed: false, url, reason: `commit ${short} already live`, deployment };
    return { deployed: true, url, deployment };
  }

  /** Polls the Deployment until `kubectl rollout status` would say done; fails fast on pods that cannot start. */
  private async waitForRollout(deployment: KubeObject, commit: string): Promise<RolloutStatus> {
    const namespace = deployment.metadata.namespace!;
    const name = deployment.metadata.name!;
    const what = `rollout of Deployment ${namespace}/${name}`;
    const selector = this.podSelector(deployment);
    let fatalPolls = 0;
    // What the pods said at the last look: once the deadline has passed no request can be made.
    let lastPods = '';
    try {
      return await poll(
        async () => {
          const live = await this.store.get(TYPE('Deployment'), namespace, name);
          if (!live) throw new ProviderError(`${what}: the Deployment disappeared`, { hint: 'another job may have stopped this preview; run up again to recreate it' });
          const status = deploymentRollout(live);
          this.context.logger.progress(`${name}: ${status.message}`);
          if (status.state === 'complete') return status;
          if (status.state === 'failed') throw await this.rolloutFailure(what, status.message, namespace, selector, commit);
          if (status.message.includes('spec update')) return undefined;
          // Old pods may still be available while the new ones cannot start: look at the pods.
          const pods = await this.listPods(namespace, selector);
          lastPods = describeProblems(notReadyPods(pods, commit));
          if (this.settings.rolloutFailFast && status.updated > 0) {
            const problems = podProblems(pods, commit).filter((p) => p.current && FATAL_WAITING_REASONS.has(p.reason));
            // Seen twice in a row: a pull retry or a single crash is not yet a verdict.
            fatalPolls = problems.length ? fatalPolls + 1 : 0;
            if (fatalPolls >= 2) throw new ProviderError(`${what} failed: ${describeProblems(problems)}`, { hint: 'check the image and the app logs (kubectl logs)' });
          }
          return undefined;
        },
        { deadline: this.context.deadline, what, initialMs: this.pollInitialMs, maxMs: this.pollMaxMs },
      );
    } catch (error) {
      if (error instanceof TimeoutError) {
        const problems = lastPods || (await this.currentProblems(namespace, selector, commit).catch(() => ''));
        throw new TimeoutError(`${error.message}${problems ? `: ${problems}` : ''}`, {
          hint: problems ? 'check the image, the readiness probe and the app logs (kubectl describe pod / kubectl logs), or raise --timeout' : error.hint,
        });
      }
      throw error;
    }
  }

  /** The pods, or none when the account may not list them: the Deployment's status still decides. */
  private async listPods(namespace: string, selector: string): Promise<KubeObject[]> {
    try {
      return await this.store.list(DERIVED_TYPES[1]!, namespace, selector);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      if (!this.warnedPods) this.context.logger.warn(`cannot list pods in ${namespace} (forbidden): a failing rollout will be seen only at its progress deadline, without the pods' reasons`);
      this.warnedPods = true;
      return [];
    }
  }

  private podSelector(deployment: KubeObject): string {
    const matchLabels = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
    return Object.entries(matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }

  private async currentProblems(namespace: string, selector: string, commit: string): Promise<string> {
    const problems = podProblems(await this.listPods(namespace, selector), commit);
    return describeProblems(problems.filter((p) => p.current).length ? problems.filter((p) => p.current) : problems);
  }

  private async rolloutFailure(what: string, message: string, namespace: string, selector: string, commit: string): Promise<ProviderError> {
    const problems = await this.currentProblems(namespace, selector, commit);
    return new ProviderError(`${what} failed: ${message}${problems ? `: ${problems}` : ''}`, { hint: 'check the image and the app logs (kubectl logs)' });
  }

  async destroy(name: string): Promise<DestroyResult> {
    const namespace = this.namespaceOf(name);
    const removed: string[] = [];
    const selector = previewSelector(name);
    if (this.settings.namespacePerPreview) {
      const ns = await this.store.get(TYPE('Namespace'), undefined, namespace);
      if (ns) {
        this.store.checkOwnership(ns, name);
        if (await this.store.delete(ns)) removed.push(`namespace ${namespace}`);
        if (!this.context.plan.dryRun) await this.store.waitGone(ns);
      }
    } else {
      const types = [...RESOURCE_TYPES.filter((t) => t.namespaced), ...DERIVED_TYPES];
      const found: ResourceType[] = [];
      const unchecked: ResourceType[] = [];
      // Kinds these settings make must be listed; other kinds are looked at in case older settings
      // made them, but a deployer role without rights on them (or a cluster without the API) must
      // not make every stop fail.
      const expected = new Set(this.kindsToFind(this.renderContext(name)).map((t) => t.kind));
      // Workloads first, so their pods stop before the Secrets and Service they use go.
      for (const type of [...types].reverse()) {
        let items: KubeObject[];
        try {
          items = await this.store.list(type, namespace, selector);
        } catch (error) {
          const unserved = error instanceof ProviderError && error.status === 404;
          if (expected.has(type.kind) || !(error instanceof ForbiddenError || unserved)) throw error;
          unchecked.push(type);
          continue;
        }
        if (!items.length) continue;
        found.push(type);
        for (const item of items) {
          if (item.metadata.deletionTimestamp) continue;
          if (DERIVED_TYPES.includes(type) && item.metadata.ownerReferences) continue; // goes with its owner
          await this.store.delete(item);
          removed.push(`${item.kind.toLowerCase()} ${namespace}/${item.metadata.name}`);
        }
      }
      if (unchecked.length) {
        this.context.logger.warn(
          `stop ${name}: could not look for ${unchecked.map((t) => t.plural).join(', ')} in ${namespace} (forbidden or not served); these settings make none of them`,
        );
      }
      if (found.length && !this.context.plan.dryRun) await this.store.waitNoneLeft(types.filter((t) => !unchecked.includes(t)), namespace, selector);
    }
    const db = this.database;
    if (db) {
      const dropped = await db.drop(name);
      removed.push(...dropped.removed.map((r) => `PostgreSQL ${r}`));
    }
    return { deleted: removed.length > 0, removed };
  }

  async list(): Promise<Preview[]> {
    const selector = anyPreviewSelector();
    if (this.settings.namespacePerPreview) {
      const namespaces = await this.store.list(TYPE('Namespace'), undefined, selector);
      return namespaces.map((ns) => this.previewFrom(ns.metadata.labels![PREVIEW_LABEL]!, ns.metadata.name!, [ns]));
    }
    const namespace = this.namespaceOf('');
    const byName = new Map<string, KubeObject[]>();
    for (const kind of ['Secret', 'Service', 'Ingress', 'Deployment']) {
      for (const object of await this.store.list(TYPE(kind), namespace, selector)) {
        const name = object.metadata.labels?.[PREVIEW_LABEL];
        if (!name) continue;
        byName.set(name, [...(byName.get(name) ?? []), object]);
      }
    }
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, objects]) => this.previewFrom(name, namespace, objects));
  }
}
