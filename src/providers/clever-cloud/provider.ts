/**
 * The Clever Cloud provider: one application per preview (named after it, tagged with the
 * preview's identity), its domains, environment and add-ons, deployed by git push. The app and
 * each add-on go through the one reconcile algorithm (`../reconcile.ts`). Nothing about a preview
 * is kept here between calls: what a step learnt rides in the Preview it returns
 * (preview-view.ts), so `up` reads each thing once — a re-run with nothing to change costs three
 * or four reads and no write. A Preview from `list()` carries the fleet it was read from
 * (fleet.ts), so that `prune` and the fleet cap, handing it back, remove or stop what they decided
 * on without listing again.
 */
import { describeIdentity } from '../../core/identity.js';
import { ProviderError, SafetyError } from '../../core/errors.js';
import { HttpClient } from '../http.js';
import { ensureResource, lookup, oursOf, ownershipOf, refusal, teardownTargets, type ReconcileContext, type ReconcileTiming } from '../reconcile.js';
import type { DeployResult, DestroyResult, EnsureResult, Preview, PreviewDomain, PreviewRef, PreviewSpec, Provider, ProviderContext, SleepResult, SourceRef } from '../types.js';
import { resolvePlan } from './addon-hooks.js';
import { ensureAddons, teardownAddons } from './addons.js';
import { CleverApi, type CreateAppBody } from './api.js';
import { createBody, pickRuntime } from './app-body.js';
import { appHooks, createdAtOf, withTags, type AlsoRead, type AppHooksInput, type AppRecord } from './app-hooks.js';
import { apiAuthorization, apiBaseUrl, authHint, credentialsFrom, forbiddenHint, gitAuthorization, secretsOf } from './auth.js';
import { convergeApp } from './converge.js';
import { DEFAULT_DEPLOY_TIMING, deployCommit, newestFirst, type DeployTiming } from './deploy.js';
import { ensureDomains, normaliseVhosts, previewDomains, type DomainState } from './domains.js';
import { fleetOf, fleetRecords, forget, readFleet, withFleet } from './fleet.js';
import { SystemGit, type GitRemote } from './git.js';
import { isStopped } from './preview-state.js';
import { knowledgeFor, knowledgeOf, toPreview, toPreviewDeployment, type AppKnowledge } from './preview-view.js';
import type { CleverSettings } from './settings.js';
import { marksOf, ownershipTags } from './tags.js';

export { toPreviewDeployment };

export interface CleverProviderOptions {
  /** Replaces the system git (tests). */
  git?: GitRemote;
  timing?: Partial<DeployTiming>;
  /** Backoff base of HTTP retries and of create look-agains, ms. */
  retryInitialMs?: number;
  requestTimeoutMs?: number;
  /** Settle timings of the reconcile algorithm (tests). */
  reconcile?: Partial<ReconcileTiming>;
}

const gone = (preview: Preview) =>
  new ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });

export class CleverCloudProvider implements Provider {
  readonly id = 'clever-cloud' as const;
  readonly http: HttpClient;
  readonly api: CleverApi;
  private readonly git: GitRemote;
  private readonly timing: DeployTiming;
  private readonly reconcileTiming: Partial<ReconcileTiming>;
  /** What the last `list()` read, for the `destroy` and `sleep` that follow it. */

  constructor(
    private readonly settings: CleverSettings,
    private readonly context: ProviderContext,
    options: CleverProviderOptions = {},
  ) {
    const creds = credentialsFrom(settings);
    for (const secret of secretsOf(creds)) context.logger.addSecret(secret);
    const hint = authHint(creds);
    this.http = new HttpClient({
      baseUrl: apiBaseUrl(creds, settings.apiUrl),
      authHeaders: () => ({ authorization: apiAuthorization(creds) }),
      logger: context.logger,
      deadline: context.deadline,
      label: 'Clever Cloud API',
      authHint: hint,
      forbiddenHint: forbiddenHint(creds),
      backoffMs: options.retryInitialMs,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.api = new CleverApi(this.http, settings.org);
    this.git = options.git ?? new SystemGit(gitAuthorization(creds), context.deadline, context.logger, hint, context.childEnv);
    this.timing = { ...DEFAULT_DEPLOY_TIMING, ...options.timing };
    this.reconcileTiming = { ...(options.retryInitialMs !== undefined ? { retryInitialMs: options.retryInitialMs } : {}), ...options.reconcile };
  }

  private reconcileContext(ref: PreviewRef): ReconcileContext {
    const { plan, logger, deadline, adopt } = this.context;
    return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name, timing: this.reconcileTiming };
  }

  /** Read along with a found app's tags by `find` and `ensure`: what deploying it needs next. */
  private get alsoRead() {
    return { deployments: true, linkedAddons: this.settings.addons.length > 0 };
  }

  private get addonRegion(): string {
    return this.settings.region ?? this.settings.zone;
  }

  private appHooksInput(ref: PreviewRef, body: () => CreateAppBody): AppHooksInput {
    const planned = (): AppRecord => ({ app: { id: `(new application ${ref.name})`, name: ref.name, zone: this.settings.zone, vhosts: [] }, tags: ownershipTags(ref) });
    return { api: this.api, ref, body, planned };
  }

  /** Hooks whose lookup is answered by the fleet the caller's Preview was listed from, when it shows the preview. */
  private fleetHooks(ref: PreviewRef, known: Preview | undefined, alsoRead?: AlsoRead) {
    const fleet = fleetOf(known);
    const candidates = fleetRecords(fleet, ref.name);
    const input = { ...this.appHooksInput(ref, () => undefined as never), ...(candidates ? { candidates } : alsoRead ? { alsoRead } : {}) };
    return { hooks: appHooks(input), fleet: candidates ? fleet : undefined };
  }

  async find(ref: PreviewRef): Promise<Preview | undefined> {
    const hooks = appHooks({ ...this.appHooksInput(ref, () => undefined as never), alsoRead: this.alsoRead });
    const record = oursOf(await lookup(hooks, this.reconcileContext(ref)), hooks, this.context);
    if (!record) return undefined;
    const known = knowledgeFor(record, ref.key);
    known.deployments ??= newestFirst(await this.api.deployments(record.app.id, 5));
    if (this.settings.addons.length > 0) known.addons = record.linkedAddons ?? (await this.api.linkedAddons(record.app.id));
    return toPreview(known, ref.name);
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    const ctx = this.reconcileContext(spec);
    const app = await this.ensureApp(spec, ctx);
    let { record, changed } = app;
    let restart: string | undefined;
    if (!app.createdHere && !app.planned) {
      const converged = await convergeApp({ api: this.api, plan: this.context.plan, logger: this.context.logger, settings: this.settings, record, spec });
      ({ record, restart } = converged);
      changed ||= converged.changed;
    }
    const known = knowledgeFor(record, spec.key, app.planned);
    // An app this run made has no deployment yet: nothing to read before its first push.
    if (app.createdHere) known.deployments = [];
    if (restart) known.restart = restart;
    if (this.settings.addons.length > 0) {
      const result = await ensureAddons({
        api: this.api,
        reconcile: ctx,
        spec,
        appId: app.planned ? undefined : record.app.id,
        fresh: app.createdHere || app.planned,
        ...(record.linkedAddons && !app.createdHere ? { linked: record.linkedAddons } : {}),
        requests: this.settings.addons,
        region: this.addonRegion,
      });
      known.addons = result.addons;
      changed ||= result.changed;
    }
    return { preview: toPreview(known, spec.name), created: app.created, changed };
  }

  /** The preview's app: found, repaired, adopted (when asked) or created, with a create race settled. */
  private async ensureApp(spec: PreviewSpec, ctx: ReconcileContext) {
    let body: CreateAppBody | undefined;
    const base = this.appHooksInput(spec, () => body!);
    // The lookup reads the deployments (and links) too: `up` needs them next, and they come at no extra wait.
    let hooks = appHooks({ ...base, alsoRead: this.alsoRead });
    const found = await lookup(hooks, ctx);
    const refused = refusal(found, hooks, ctx);
    if (refused) throw refused;
    if (found.ours.length + found.repairable.length + found.foreign.length === 0) {
      // Everything a create needs is checked before the first write: runtime, add-on plans.
      const runtime = pickRuntime(await this.api.instanceProducts(), this.settings.type);
      for (const request of this.settings.addons) resolvePlan(await this.api.addonProviders(), request, this.addonRegion);
      body = createBody({
        name: spec.name,
        description: `preview-kit preview of ${describeIdentity(spec.identity)}`,
        settings: this.settings,
        runtime,
        env: spec.env,
        tags: ownershipTags(spec),
      });
      hooks = appHooks({ ...base, createDetail: `${body.instanceType} ${body.minFlavor} in ${body.zone}` });
    }
    const outcome = await ensureResource(hooks, ctx, found);
    const planned = outcome.planned === true;
    return { record: outcome.item, created: outcome.created, createdHere: outcome.how === 'created' && !planned, planned, changed: outcome.changed };
  }

  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const known = await this.knowledge(preview, spec);
    const current = known.planned ? { hosts: [], favourite: null } : await this.knownDomains(known);
    if (spec.domains.length === 0) return { changed: false, domains: previewDomains(current.hosts, current.favourite ?? undefined) };
    const result = await ensureDomains({
      api: this.api,
      plan: this.context.plan,
      appId: known.record.app.id,
      appName: preview.name,
      state: current,
      wanted: spec.domains,
      favourite: spec.favourite,
    });
    known.domains = result.state;
    return { changed: result.changed, domains: previewDomains(result.state.hosts, result.state.favourite ?? undefined) };
  }

  async deploy(preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
    const known = await this.knowledge(preview, spec);
    const url = preview.url || toPreview(known, preview.name).url;
    if (known.planned) {
      await this.context.plan.apply({ kind: 'deploy', target: `application ${preview.name}`, detail: `push ${source.commit.slice(0, 7)}` }, async () => undefined, undefined);
      return { deployed: false, url, reason: 'dry run' };
    }
    const app = known.record.app;
    const outcome = await deployCommit({
      api: this.api,
      git: this.git,
      context: this.context,
      timing: this.timing,
      appId: app.id,
      appName: preview.name,
      remoteUrl: app.deployment?.httpUrl ?? '',
      commit: source.commit,
      dir: source.dir,
      force: source.force,
      known: known.deployments,
      runningCommit: app.commitId,
      ...(known.restart ? { restart: known.restart } : {}),
      asleep: isStopped(app.state) && Boolean(app.commitId),
    });
    known.restart = undefined;
    if (outcome.deployment) known.deployments = [outcome.deployment, ...(known.deployments ?? []).filter((d) => d.uuid !== outcome.deployment!.uuid)];
    // A deployment followed to its end (they all end OK here) runs: the app is up with that commit.
    if (outcome.deployment?.state === 'OK') known.record = { ...known.record, app: { ...app, state: 'SHOULD_BE_UP', commitId: outcome.deployment.commit ?? source.commit } };
    return {
      deployed: outcome.deployed,
      url,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.deployment ? { deployment: toPreviewDeployment(outcome.deployment) } : {}),
    };
  }

  async destroy(ref: PreviewRef, known?: Preview): Promise<DestroyResult> {
    const { plan, logger } = this.context;
    const ctx = this.reconcileContext(ref);
    const { hooks, fleet } = this.fleetHooks(ref, known, { linkedAddons: true });
    // Without a fleet, the owner's add-ons are listed while the apps are looked up: the add-on
    // teardown needs both, and neither waits for the other.
    const [found, owned] = await Promise.all([lookup(hooks, ctx), fleet ? undefined : this.api.listAddons()]);
    const targets = teardownTargets(found, hooks, ctx);
    if (targets.length > 1) logger.warn(`${targets.length} applications of this preview are named ${ref.name}: removing them all`);
    // Add-ons first: deleting an app is not known to delete them, and until the app is gone its
    // links still prove an untagged add-on ours.
    const addons = await teardownAddons({
      api: this.api,
      reconcile: ctx,
      ref,
      appIds: targets.map((t) => t.id),
      ...(fleet ? { listed: fleet.addons } : { read: { owned: owned!, linked: new Map(targets.flatMap((t) => (t.item.linkedAddons ? [[t.id, t.item.linkedAddons] as const] : []))) } }),
    });
    const removed = addons.removed;
    for (const target of targets) {
      // Gone afterwards either way: a delete answered 5xx and retried finds it already gone.
      await plan.apply({ kind: 'delete', target: `application ${ref.name}`, detail: target.id }, () => this.api.deleteApp(target.id), true);
      removed.push(`application ${ref.name} (${target.id})`);
    }
    if (!plan.dryRun) forget(fleet, new Set([...addons.ids, ...targets.map((t) => t.id)]));
    return { deleted: removed.length > 0, removed };
  }

  async sleep(ref: PreviewRef, known?: Preview): Promise<SleepResult> {
    const ctx = this.reconcileContext(ref);
    const { hooks } = this.fleetHooks(ref, known);
    const found = await lookup(hooks, ctx);
    // Only this preview's apps are stopped: another preview's or an unmarked one is never touched.
    oursOf(found, hooks, this.context);
    const stopped: string[] = [];
    for (const { item: record } of [...found.ours, ...found.repairable]) {
      const app = record.app;
      if (isStopped(app.state)) continue;
      await this.context.plan.apply({ kind: 'update', target: `application ${ref.name}`, detail: `stop its instances (${app.id})` }, () => this.api.stopInstances(app.id), undefined);
      stopped.push(`instances of application ${ref.name} (${app.id})`);
      if (!this.context.plan.dryRun) record.app = { ...app, state: 'SHOULD_BE_DOWN' };
    }
    return { slept: stopped.length > 0, stopped };
  }

  async list(): Promise<Preview[]> {
    const fleet = await readFleet(this.api, this.context.deadline.clock.now(), this.context.logger);
    // Ours and attributable: an app without a readable identity names no preview `prune` could judge.
    const apps = fleet.apps.map((a) => ({ ...a, marks: marksOf(a.record.tags) })).filter((a) => a.marks.identity !== undefined);
    apps.sort((a, b) => (createdAtOf(a.record.app) ?? Infinity) - (createdAtOf(b.record.app) ?? Infinity) || (a.record.app.id < b.record.app.id ? -1 : 1));
    // One preview per name and identity: a duplicate of a past race is not another preview.
    const previews = new Map<string, Preview>();
    for (const { record, deployments, marks } of apps) {
      const { key } = marks;
      const id = `${record.app.name}\u0000${key ?? record.app.id}`;
      if (previews.has(id)) continue;
      const known = knowledgeFor(record, key ?? '');
      known.deployments = deployments;
      previews.set(id, withFleet(toPreview(known, record.app.name), fleet));
    }
    return [...previews.values()];
  }

  /** What the Preview carries, else the app read again — and checked to be this preview's. */
  private async knowledge(preview: Preview, ref: PreviewRef): Promise<AppKnowledge> {
    const carried = knowledgeOf(preview, ref);
    if (carried) return carried;
    const app = await this.api.getApp(preview.id);
    if (!app) throw gone(preview);
    const [record] = await withTags(this.api, [app]);
    if (!record) throw gone(preview);
    const ownership = ownershipOf(marksOf(record.tags), ref.key);
    if (ownership.kind !== 'ours') {
      const whose = ownership.kind === 'other' ? ownership.whose : 'nobody known to preview-kit (no preview-kit tags)';
      throw new SafetyError(`${preview.name}: application ${preview.id} belongs to ${whose}, not to ${describeIdentity(ref.identity)}: refusing to change it`, {
        hint: 'run ensure-app for this preview first (with --adopt for an app preview-kit did not create)',
      });
    }
    return knowledgeFor(record, ref.key);
  }

  /** Domains as known, read once when the app view did not carry them. */
  private async knownDomains(known: AppKnowledge): Promise<DomainState> {
    known.domains ??= { hosts: normaliseVhosts(await this.api.vhosts(known.record.app.id)) };
    return known.domains;
  }
}
