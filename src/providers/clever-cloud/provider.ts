/**
 * The Clever Cloud provider: one application per preview (named after it, tagged as ours), its
 * domains, environment and add-ons, deployed by git push. What one step learns (the app, its
 * domains, its recent deployments) is kept per app id, so `up` (ensure → setDomains → deploy) in
 * one process reads each thing once: a run with nothing to change costs three or four reads.
 */
import { ProviderError, SafetyError } from '../../core/errors.js';
import { HttpClient } from '../http.js';
import { OWNER_MARKER, type DeployResult, type DestroyResult, type EnsureResult, type Preview, type PreviewDeployment, type PreviewDomain, type PreviewSpec, type Provider, type ProviderContext, type SourceRef } from '../types.js';
import { ensureAddons, ownedAddons } from './addons.js';
import { CleverApi, type CleverAddon, type CleverApp, type CleverDeployment } from './api.js';
import {
  addMissingTags,
  byAge,
  chooseApp,
  createApp,
  createBody,
  creationTime,
  lookupApps,
  pickRuntime,
  scalabilityChanges,
  settleRace,
  withTags,
  type AppRecord,
} from './apps.js';
import { apiAuthorization, apiBaseUrl, authHint, credentialsFrom, gitAuthorization, secretsOf } from './auth.js';
import { DEFAULT_DEPLOY_TIMING, deployCommit, newestFirst, type DeployTiming } from './deploy.js';
import { ensureDomains, normaliseVhosts, previewDomains, primaryHost, urlOfHost, type DomainState } from './domains.js';
import { convergeEnv } from './env.js';
import { SystemGit, type GitRemote } from './git.js';
import type { CleverSettings } from './settings.js';
import { hasOwnerMarker, identityOf, identityTag, identityTagIn, ownershipTags, type PreviewIdentity } from './tags.js';

export interface CleverProviderOptions {
  /** Replaces the system git (tests). */
  git?: GitRemote;
  timing?: Partial<DeployTiming>;
  /** Backoff base of HTTP retries and of create look-agains, ms. */
  retryInitialMs?: number;
  requestTimeoutMs?: number;
}

/** What this process knows about one app. */
interface AppState {
  record: AppRecord;
  /** A dry run's stand-in for an app that would be created: never sent to the API. */
  placeholder: boolean;
  domains?: DomainState;
  /** Recent deployments, newest first. */
  deployments?: CleverDeployment[];
  /** Why the instances must restart at the next deploy even if their commit is live. */
  restart?: string;
  addons?: CleverAddon[];
}

const DEPLOYMENT_STATES: Record<string, PreviewDeployment['state']> = {
  WIP: 'running',
  OK: 'ok',
  FAIL: 'failed',
  CANCELLED: 'cancelled',
};

export function toPreviewDeployment(d: CleverDeployment): PreviewDeployment {
  const time = typeof d.date === 'number' ? d.date : typeof d.date === 'string' ? Date.parse(d.date) : NaN;
  return {
    id: d.uuid,
    state: DEPLOYMENT_STATES[d.state] ?? d.state.toLowerCase(),
    ...(d.commit ? { commit: d.commit } : {}),
    ...(Number.isFinite(time) ? { createdAt: new Date(time).toISOString() } : {}),
  };
}

function identityOfSpec(spec: PreviewSpec): PreviewIdentity {
  return spec.pr !== undefined ? { app: spec.app, pr: spec.pr } : { app: spec.app, branch: spec.branch ?? '' };
}

function describeIdentity(identity: PreviewIdentity): string {
  return identity.pr !== undefined ? `pull request #${identity.pr}` : `branch ${identity.branch}`;
}

export class CleverCloudProvider implements Provider {
  readonly id = 'clever-cloud' as const;
  readonly http: HttpClient;
  readonly api: CleverApi;
  private readonly git: GitRemote;
  private readonly timing: DeployTiming;
  private readonly retryInitialMs: number;
  private readonly states = new Map<string, AppState>();

  constructor(
    private readonly settings: CleverSettings,
    private readonly context: ProviderContext,
    options: CleverProviderOptions = {},
  ) {
    const creds = credentialsFrom(settings);
    for (const secret of secretsOf(creds)) context.logger.addSecret(secret);
    const hint = authHint(creds);
    this.retryInitialMs = options.retryInitialMs ?? 1_000;
    this.http = new HttpClient({
      baseUrl: apiBaseUrl(creds, settings.apiUrl),
      authHeaders: () => ({ authorization: apiAuthorization(creds) }),
      logger: context.logger,
      deadline: context.deadline,
      label: 'Clever Cloud API',
      authHint: hint,
      backoffMs: options.retryInitialMs,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    this.api = new CleverApi(this.http, settings.org);
    this.git = options.git ?? new SystemGit(gitAuthorization(creds), context.deadline, context.logger, hint);
    this.timing = { ...DEFAULT_DEPLOY_TIMING, ...options.timing };
  }

  async find(name: string): Promise<Preview | undefined> {
    const lookup = await lookupApps(this.api, name);
    const record = lookup.ours[0];
    if (!record) {
      if (lookup.foreign.length > 0) this.context.logger.debug(`${name}: ${lookup.foreign.length} application(s) of that name without the ${OWNER_MARKER} tag, not ours`);
      return undefined;
    }
    const state = this.remember(record);
    await this.knownDomains(state);
    state.deployments = newestFirst(await this.api.deployments(record.app.id, 5));
    if (this.settings.addons.length > 0) state.addons = await this.api.linkedAddons(record.app.id);
    return this.toPreview(state, name);
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    const { plan, logger } = this.context;
    const tags = ownershipTags(identityOfSpec(spec));
    const { record, created, createdHere, placeholder, changed: obtained } = await this.obtainApp(spec, tags);
    let changed = obtained;

    const converged = !createdHere && !placeholder ? await this.converge(record, spec) : { changed: false };
    changed = converged.changed || changed;
    const state = this.remember(record, placeholder);
    if (converged.restart) state.restart = converged.restart;

    if (this.settings.addons.length > 0) {
      const result = await ensureAddons({
        api: this.api,
        plan,
        logger,
        deadline: this.context.deadline,
        appId: record.app.id,
        previewName: spec.name,
        requests: this.settings.addons,
        region: this.settings.region ?? this.settings.zone,
        // Same identity as the app, so that teardown can tell them apart from other previews' add-ons.
        tags: [OWNER_MARKER, identityTagIn(record.tags) ?? identityTag(identityOfSpec(spec))],
        adopt: this.context.adopt,
        retryInitialMs: this.retryInitialMs,
        fresh: createdHere || placeholder,
      });
      state.addons = result.addons;
      changed = result.changed || changed;
    }
    return { preview: this.toPreview(state, spec.name), created, changed };
  }

  /** Our app for the spec: found, adopted (when asked) or created, with the outcome of a create race settled. */
  private async obtainApp(
    spec: PreviewSpec,
    tags: string[],
  ): Promise<{ record: AppRecord; created: boolean; createdHere: boolean; placeholder: boolean; changed: boolean }> {
    const { plan, logger } = this.context;
    const choice = chooseApp(await lookupApps(this.api, spec.name), spec.name, this.context.adopt, logger);
    if (choice.kind === 'ours') {
      // An app of ours keeps the identity it was created with; only a missing one is added.
      const wanted = identityOf(choice.record.tags) ? [OWNER_MARKER] : tags;
      const record = await addMissingTags(this.api, plan, choice.record, wanted, 'record the preview identity');
      return { record, created: false, createdHere: false, placeholder: false, changed: record !== choice.record };
    }
    if (choice.kind === 'adopt') {
      logger.warn(`adopting application ${choice.record.app.id} (${spec.name}): it gets the ${OWNER_MARKER} tags`);
      const record = await addMissingTags(this.api, plan, choice.record, tags, 'adopt');
      return { record, created: false, createdHere: false, placeholder: false, changed: true };
    }
    const body = createBody({
      name: spec.name,
      description: `${OWNER_MARKER} preview of ${spec.app}, ${describeIdentity(identityOfSpec(spec))}`,
      settings: this.settings,
      runtime: pickRuntime(await this.api.instanceProducts(), this.settings.type),
      env: spec.env,
      tags,
    });
    const made = await createApp({ api: this.api, plan, logger, deadline: this.context.deadline, body, retryInitialMs: this.retryInitialMs });
    if (!made) {
      const record = { app: { id: `(new application ${spec.name})`, name: spec.name, zone: this.settings.zone, vhosts: [] }, tags };
      return { record, created: true, createdHere: false, placeholder: true, changed: true };
    }
    if (!made.createdId) {
      // Found after an answer that left it unclear whether our create went through.
      return { record: made.record, created: true, createdHere: false, placeholder: false, changed: true };
    }
    const settled = await settleRace({ api: this.api, plan, logger, created: made.record, tags });
    return { record: settled.record, created: settled.created, createdHere: settled.created, placeholder: false, changed: true };
  }

  /** Instance settings and environment of an app that already existed. */
  private async converge(record: AppRecord, spec: PreviewSpec): Promise<{ changed: boolean; restart?: string }> {
    const { plan, logger } = this.context;
    const app = record.app;
    let changed = false;
    const slug = app.instance?.variant?.slug;
    if (slug && slug !== this.settings.type) {
      logger.warn(`${spec.name} runs ${slug}, not ${this.settings.type}: the runtime of an existing app is not changed (stop the preview to recreate it)`);
    }
    if (app.zone && app.zone !== this.settings.zone) {
      logger.warn(`${spec.name} is in zone ${app.zone}, not ${this.settings.zone}: the zone of an existing app is not changed`);
    }
    const scaling = scalabilityChanges(app, this.settings);
    if (scaling) {
      const detail = Object.entries(scaling)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');
      const updated = await plan.apply({ kind: 'update', target: `application ${spec.name}`, detail }, () => this.api.updateApp(app.id, scaling), undefined);
      if (updated && typeof updated === 'object' && updated.id === app.id) record.app = { ...app, ...updated, ...(updated.vhosts ? {} : { vhosts: app.vhosts }) };
      changed = true;
    }
    if (await convergeEnv({ api: this.api, plan, appId: app.id, appName: spec.name, desired: spec.env })) {
      logger.info(`${spec.name}: environment changed; it applies when the instances restart (up restarts them; after ensure-app alone, run deploy --force)`);
      return { changed: true, restart: 'environment changed' };
    }
    return { changed };
  }

  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const state = await this.stateOf(preview);
    const current = state.placeholder ? { hosts: [], favourite: null } : await this.knownDomains(state);
    if (spec.domains.length === 0) return { changed: false, domains: previewDomains(current.hosts, current.favourite ?? undefined) };
    const result = await ensureDomains({
      api: this.api,
      plan: this.context.plan,
      appId: state.record.app.id,
      appName: preview.name,
      state: current,
      wanted: spec.domains,
      favourite: spec.favourite,
    });
    state.domains = result.state;
    return { changed: result.changed, domains: previewDomains(result.state.hosts, result.state.favourite ?? undefined) };
  }

  async deploy(preview: Preview, source: SourceRef): Promise<DeployResult> {
    const state = await this.stateOf(preview);
    const url = preview.url || this.toPreview(state, preview.name).url;
    if (state.placeholder) {
      await this.context.plan.apply({ kind: 'deploy', target: `application ${preview.name}`, detail: `push ${source.commit.slice(0, 7)}` }, async () => undefined, undefined);
      return { deployed: false, url, reason: 'dry run' };
    }
    const app = state.record.app;
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
      known: state.deployments,
      runningCommit: app.commitId,
      ...(state.restart ? { restart: state.restart } : {}),
    });
    state.restart = undefined;
    if (outcome.deployment) {
      const rest = (state.deployments ?? []).filter((d) => d.uuid !== outcome.deployment!.uuid);
      state.deployments = [outcome.deployment, ...rest];
    }
    return {
      deployed: outcome.deployed,
      url,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.deployment ? { deployment: toPreviewDeployment(outcome.deployment) } : {}),
    };
  }

  async destroy(name: string): Promise<DestroyResult> {
    const { plan, logger } = this.context;
    const lookup = await lookupApps(this.api, name);
    let targets = lookup.ours;
    if (targets.length === 0) {
      if (lookup.foreign.length === 0) return { deleted: false, removed: [] };
      if (!this.context.adopt) {
        // Not our preview, so there is nothing of ours to remove: a repeated stop still exits 0.
        logger.warn(`application ${lookup.foreign.map((r) => r.app.id).join(', ')} is named ${name} but lacks the ${OWNER_MARKER} tag: left alone (--adopt deletes it)`);
        return { deleted: false, removed: [] };
      }
      if (lookup.foreign.length > 1) {
        throw new SafetyError(`stop ${name}: ${lookup.foreign.length} applications have this name and none carries the ${OWNER_MARKER} tag`, { hint: 'remove them yourself' });
      }
      logger.warn(`deleting application ${lookup.foreign[0]!.app.id} (${name}) without the ${OWNER_MARKER} tag, as --adopt asks`);
      targets = lookup.foreign;
    }
    if (targets.length > 1) logger.warn(`${targets.length} applications of ours are named ${name}: removing them all`);
    const identityTags = [...new Set(targets.map((r) => identityTagIn(r.tags)).filter((t): t is string => t !== undefined))];
    const removed: string[] = [];
    // Add-ons first: if we stop halfway, the app is still there for the next run to find them by.
    const addons = await ownedAddons({ api: this.api, appIds: targets.map((r) => r.app.id), previewName: name, identityTags });
    for (const addon of addons) {
      const gone = await plan.apply({ kind: 'delete', target: `add-on ${addon.name}`, detail: addon.id }, () => this.api.deleteAddon(addon.id), true);
      if (gone) removed.push(`addon ${addon.name} (${addon.id})`);
    }
    for (const record of targets) {
      const gone = await plan.apply({ kind: 'delete', target: `application ${name}`, detail: record.app.id }, () => this.api.deleteApp(record.app.id), true);
      if (gone) removed.push(`application ${name} (${record.app.id})`);
      this.states.delete(record.app.id);
    }
    return { deleted: true, removed };
  }

  async list(): Promise<Preview[]> {
    const records = (await withTags(this.api, await this.api.listApps())).filter((r) => hasOwnerMarker(r.tags)).sort(byAge);
    const byName = new Map<string, AppRecord>();
    for (const record of records) if (!byName.has(record.app.name)) byName.set(record.app.name, record);
    return [...byName.values()].map((record) => this.toPreview({ record, placeholder: false }, record.app.name));
  }

  /** Keeps what we learnt about an app, refreshing the record itself. */
  private remember(record: AppRecord, placeholder = false): AppState {
    const state = this.states.get(record.app.id);
    if (state) {
      state.record = record;
      if (record.app.vhosts && !state.domains) state.domains = { hosts: normaliseVhosts(record.app.vhosts) };
      return state;
    }
    const fresh: AppState = { record, placeholder, ...(record.app.vhosts ? { domains: { hosts: normaliseVhosts(record.app.vhosts) } } : {}) };
    this.states.set(record.app.id, fresh);
    return fresh;
  }

  /** The app behind a Preview: from this process's memory, else read (and checked to be ours) again. */
  private async stateOf(preview: Preview): Promise<AppState> {
    const known = this.states.get(preview.id);
    if (known) return known;
    const app = await this.api.getApp(preview.id);
    if (!app) throw new ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });
    const [record] = await withTags(this.api, [app]);
    if (!record) throw new ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });
    if (!hasOwnerMarker(record.tags)) {
      throw new SafetyError(`${preview.name}: application ${preview.id} lacks the ${OWNER_MARKER} tag: refusing to change it`, { hint: 'run ensure-app with --adopt first' });
    }
    return this.remember(record);
  }

  /** Domains as known, read once when the app view did not carry them. */
  private async knownDomains(state: AppState): Promise<DomainState> {
    state.domains ??= { hosts: normaliseVhosts(await this.api.vhosts(state.record.app.id)) };
    return state.domains;
  }

  private toPreview(state: AppState, name: string): Preview {
    const app: CleverApp = state.record.app;
    const hosts = state.domains?.hosts ?? (app.vhosts ? normaliseVhosts(app.vhosts) : []);
    const favourite = state.domains?.favourite ?? undefined;
    const identity = identityOf(state.record.tags);
    const created = creationTime(app);
    const last = state.deployments?.[0];
    return {
      name,
      id: app.id,
      url: urlOfHost(primaryHost(hosts)),
      domains: previewDomains(hosts, favourite),
      ...(state.addons ? { addons: state.addons.map((a) => ({ id: a.id, name: a.name, kind: a.provider?.id ?? 'addon', ...(a.plan?.slug ? { plan: a.plan.slug } : {}) })) } : {}),
      ...(last ? { lastDeployment: toPreviewDeployment(last) } : {}),
      ...(identity?.branch !== undefined ? { branch: identity.branch } : {}),
      ...(identity ? { app: identity.app } : {}),
      ...(Number.isFinite(created) ? { createdAt: new Date(created).toISOString() } : {}),
      details: {
        appId: app.id,
        ...(app.ownerId ? { ownerId: app.ownerId } : {}),
        ...(app.zone ? { zone: app.zone } : {}),
        ...(app.instance?.variant?.slug ? { type: app.instance.variant.slug } : {}),
        ...(app.instance?.minFlavor?.name ? { flavor: app.instance.minFlavor.name } : {}),
        ...(app.instance?.minInstances !== undefined ? { instances: app.instance.minInstances } : {}),
        ...(app.deployment?.httpUrl ? { gitUrl: app.deployment.httpUrl } : {}),
        ...(app.commitId ? { runningCommit: app.commitId } : {}),
        ...(identity?.pr !== undefined ? { pr: identity.pr } : {}),
        tags: state.record.tags,
        ...(state.placeholder ? { dryRun: true } : {}),
      },
    };
  }
}
