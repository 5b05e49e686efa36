/**
 * The fake's in-memory world: owners (the user's personal space and one organisation),
 * applications, add-ons, their links, domains, tags, env and deployments, plus the JSON views
 * the API answers with. Views follow the real payloads (see catalog.ts for the sources).
 */
import { randomUUID } from 'node:crypto';
import {
  addonPlanView,
  addonProviderView,
  findAddonProvider,
  FLAVOR_NAMES,
  flavorView,
  RUNTIMES,
  type Runtime,
} from './catalog.js';

export type DeploymentStatus = 'WIP' | 'OK' | 'FAIL' | 'CANCELLED';

export interface DeploymentRecord {
  /** Per-app index, 1 for the first deployment. */
  id: number;
  /** `deployment_<uuid>`: what clients poll. */
  uuid: string;
  /** ms since epoch. */
  date: number;
  state: DeploymentStatus;
  action: 'DEPLOY' | 'UNDEPLOY';
  commit: string | null;
  cause: string;
  instances: number;
}

export interface AppState {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  zone: string;
  instance: {
    type: string;
    version: string;
    variantId: string;
    variantSlug: string;
    minInstances: number;
    maxInstances: number;
    minFlavor: string;
    maxFlavor: string;
    lifetime: 'REGULAR' | 'MIGRATION' | 'TASK';
  };
  branch: string;
  forceHttps: 'ENABLED' | 'DISABLED';
  cancelOnPush: boolean;
  separateBuild: boolean;
  buildFlavor: string;
  stickySessions: boolean;
  homogeneous: boolean;
  archived: boolean;
  favourite: boolean;
  creationDate: number;
  /** Listings show it from this time (ms epoch) on; default: `listLagMs` after its creation. */
  listedFrom?: number;
  /** Before this time (ms epoch) the git repository refuses pushes, like a freshly created app. */
  gitReadyAt: number;
  state: 'SHOULD_BE_UP' | 'SHOULD_BE_DOWN' | 'WANTS_TO_BE_UP';
  /** Commit of the last successful deployment. */
  commitId: string | null;
  env: Record<string, string>;
  tags: string[];
  /** As the API shows them, with the trailing slash (`{fqdn: 'foo.com/'}`). */
  vhosts: Array<{ fqdn: string }>;
  favouriteVhost: string | null;
  linkedAddons: string[];
  /** Oldest first. */
  deployments: DeploymentRecord[];
}

export interface AddonRecord {
  id: string;
  realId: string;
  ownerId: string;
  name: string;
  providerId: string;
  planId: string;
  region: string;
  version: string;
  creationDate: number;
  tags: string[];
  env: Record<string, string>;
}

/** An add-on as tests inspect it: the stored record plus the ids of the apps it is linked to. */
export interface AddonState extends AddonRecord {
  linkedApps: string[];
}

export interface Owner {
  id: string;
  name: string;
  kind: 'user' | 'organisation';
}

export interface NewApp {
  name: string;
  description: string;
  zone: string;
  runtime: Runtime;
  minInstances: number;
  maxInstances: number;
  minFlavor: string;
  maxFlavor: string;
  lifetime: AppState['instance']['lifetime'];
  env: Record<string, string>;
  tags: string[];
  branch: string;
  forceHttps: AppState['forceHttps'];
  cancelOnPush: boolean;
  separateBuild: boolean;
  buildFlavor: string;
  stickySessions: boolean;
  homogeneous: boolean;
}

export interface StoreOptions {
  user: Owner;
  organisation: Owner;
  gitReadyDelayMs: number;
  deployDurationMs: number;
  /** Base URL of the fake, for `deployment.httpUrl`. */
  baseUrl: () => string;
  now?: () => number;
  /**
   * Owner listings (`GET …/applications`, `GET …/addons`, `/v2/summary`) show an item only this
   * long after its creation; reads by id see it at once. 0: listings are up to date.
   */
  listLagMs?: number;
}

export function defaultVhostOf(appId: string): string {
  return `${appId.replace(/^app_/, 'app-')}.cleverapps.io/`;
}

/** `foo.com` → `foo.com/`; a path prefix (`foo.com/api`) is kept as given. Hosts are case-insensitive. */
export function normaliseVhost(fqdn: string): string {
  const slash = fqdn.indexOf('/');
  if (slash < 0) return `${fqdn.toLowerCase()}/`;
  return `${fqdn.slice(0, slash).toLowerCase()}${fqdn.slice(slash)}`;
}

export class CleverStore {
  readonly apps = new Map<string, AppState>();
  readonly addons = new Map<string, AddonRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly failCommits: string[] = [];
  private readonly now: () => number;
  /** See `StoreOptions.listLagMs`; changeable while running. */
  listLagMs: number;

  constructor(private readonly options: StoreOptions) {
    this.now = options.now ?? Date.now;
    this.listLagMs = options.listLagMs ?? 0;
  }

  /** Whether an owner listing shows the item yet (eventual consistency of listings). */
  listed(item: { creationDate: number; listedFrom?: number }): boolean {
    if (item.listedFrom !== undefined) return this.now() >= item.listedFrom;
    return this.listLagMs <= 0 || this.now() - item.creationDate >= this.listLagMs;
  }

  get user(): Owner {
    return this.options.user;
  }

  get organisation(): Owner {
    return this.options.organisation;
  }

  ownerById(id: string): Owner | undefined {
    if (id === this.options.user.id) return this.options.user;
    if (id === this.options.organisation.id) return this.options.organisation;
    return undefined;
  }

  appsOf(ownerId: string): AppState[] {
    return [...this.apps.values()].filter((a) => a.ownerId === ownerId);
  }

  addonsOf(ownerId: string): AddonRecord[] {
    return [...this.addons.values()].filter((a) => a.ownerId === ownerId);
  }

  /** An add-on by id or real id, as the API accepts both. */
  findAddon(ownerId: string, idOrRealId: string): AddonRecord | undefined {
    return this.addonsOf(ownerId).find((a) => a.id === idOrRealId || a.realId === idOrRealId);
  }

  /** Which app holds a vhost, across every owner (domains are global). */
  vhostHolder(vhost: string): AppState | undefined {
    return [...this.apps.values()].find((a) => a.vhosts.some((v) => v.fqdn === vhost));
  }

  /** `createdAt` backdates a resource planted by a test (something made earlier by someone else). */
  createApp(ownerId: string, spec: NewApp, createdAt?: number): AppState {
    const id = `app_${randomUUID()}`;
    const created = createdAt ?? this.now();
    const app: AppState = {
      id,
      ownerId,
      name: spec.name,
      description: spec.description,
      zone: spec.zone,
      instance: {
        type: spec.runtime.type,
        version: spec.runtime.version,
        variantId: spec.runtime.variant.id,
        variantSlug: spec.runtime.variant.slug,
        minInstances: spec.minInstances,
        maxInstances: spec.maxInstances,
        minFlavor: spec.minFlavor,
        maxFlavor: spec.maxFlavor,
        lifetime: spec.lifetime,
      },
      branch: spec.branch,
      forceHttps: spec.forceHttps,
      cancelOnPush: spec.cancelOnPush,
      separateBuild: spec.separateBuild,
      buildFlavor: spec.buildFlavor,
      stickySessions: spec.stickySessions,
      homogeneous: spec.homogeneous,
      archived: false,
      favourite: false,
      creationDate: created,
      gitReadyAt: created + this.options.gitReadyDelayMs,
      state: 'SHOULD_BE_DOWN',
      commitId: null,
      env: { ...spec.env },
      tags: [...new Set(spec.tags)],
      vhosts: [{ fqdn: defaultVhostOf(id) }],
      favouriteVhost: null,
      linkedAddons: [],
      deployments: [],
    };
    this.apps.set(id, app);
    return app;
  }

  /** Like the real API: add-ons linked to the app are unlinked, not deleted. */
  deleteApp(app: AppState): void {
    for (const d of app.deployments) if (d.state === 'WIP') d.state = 'CANCELLED';
    app.linkedAddons = [];
    app.vhosts = [];
    app.tags = [];
    app.deployments = [];
    this.apps.delete(app.id);
  }

  createAddon(
    ownerId: string,
    spec: { name: string; providerId: string; planId: string; region: string; version?: string; tags?: string[]; linkedApp?: AppState },
    createdAt?: number,
  ): AddonRecord {
    const provider = findAddonProvider(spec.providerId);
    if (!provider) throw new Error(`unknown provider ${spec.providerId}`);
    const uuid = randomUUID();
    const realId = `${provider.realIdPrefix}_${uuid}`;
    const version = spec.version ?? provider.defaultVersion;
    const host = `b${uuid.replace(/-/g, '').slice(0, 18)}-${provider.realIdPrefix}.services.clever-cloud.com`;
    const addon: AddonRecord = {
      id: `addon_${randomUUID()}`,
      realId,
      ownerId,
      name: spec.name,
      providerId: provider.id,
      planId: spec.planId,
      region: spec.region,
      version,
      creationDate: createdAt ?? this.now(),
      tags: [...new Set(spec.tags ?? [])],
      env: provider.env({ realId, version, host }),
    };
    this.addons.set(addon.id, addon);
    if (spec.linkedApp) spec.linkedApp.linkedAddons.push(addon.id);
    return addon;
  }

  deleteAddon(addon: AddonRecord): void {
    for (const app of this.apps.values()) app.linkedAddons = app.linkedAddons.filter((id) => id !== addon.id);
    this.addons.delete(addon.id);
  }

  failNextDeployOf(commit: string): void {
    this.failCommits.push(commit);
  }

  /** A new deployment, WIP now, OK (or FAIL) after `deployDurationMs`. */
  startDeployment(app: AppState, origin: { commit: string | null; cause: string }): DeploymentRecord {
    if (app.cancelOnPush) {
      for (const d of app.deployments) if (d.state === 'WIP') d.state = 'CANCELLED';
    }
    const record: DeploymentRecord = {
      id: app.deployments.length + 1,
      uuid: `deployment_${randomUUID()}`,
      date: this.now(),
      state: 'WIP',
      action: 'DEPLOY',
      commit: origin.commit,
      cause: origin.cause,
      instances: app.instance.minInstances,
    };
    app.deployments.push(record);
    // A stopped app (stopped by `DELETE …/instances`, or never started) is `WANTS_TO_BE_UP` while
    // its instances start, `SHOULD_BE_UP` once they run (clever-ripper's start/stop loop reads
    // exactly these states); a running one stays up while the new commit deploys.
    if (app.state !== 'SHOULD_BE_UP') app.state = 'WANTS_TO_BE_UP';
    const failIndex = origin.commit === null ? -1 : this.failCommits.indexOf(origin.commit);
    // Nothing to run without code: a restart of an app that never received a push fails.
    const fails = failIndex >= 0 || origin.commit === null;
    if (failIndex >= 0) this.failCommits.splice(failIndex, 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (record.state !== 'WIP') return;
      record.state = fails ? 'FAIL' : 'OK';
      if (this.apps.get(app.id) !== app) return;
      if (!fails) {
        app.commitId = record.commit;
        app.state = 'SHOULD_BE_UP';
      } else if (app.state === 'WANTS_TO_BE_UP') {
        app.state = 'SHOULD_BE_DOWN';
      }
    }, this.options.deployDurationMs);
    timer.unref();
    this.timers.add(timer);
    return record;
  }

  /** A deployment cancelled while a stopped app was starting leaves it stopped. */
  cancelDeployment(app: AppState, d: DeploymentRecord): void {
    if (d.state !== 'WIP') return;
    d.state = 'CANCELLED';
    if (app.state === 'WANTS_TO_BE_UP' && !app.deployments.some((x) => x.state === 'WIP')) app.state = 'SHOULD_BE_DOWN';
  }

  /**
   * `DELETE …/instances`: the instances stop, the app is `SHOULD_BE_DOWN` (what clever-ripper
   * reads back after its stop), and an `UNDEPLOY` joins the deployments. Stopping a stopped app
   * changes nothing.
   */
  stopApp(app: AppState): void {
    if (app.state === 'SHOULD_BE_DOWN' && !app.deployments.some((d) => d.state === 'WIP')) return;
    app.state = 'SHOULD_BE_DOWN';
    for (const d of app.deployments) if (d.state === 'WIP') d.state = 'CANCELLED';
    app.deployments.push({
      id: app.deployments.length + 1,
      uuid: `deployment_${randomUUID()}`,
      date: this.now(),
      state: 'OK',
      action: 'UNDEPLOY',
      commit: app.commitId,
      cause: 'stop',
      instances: 0,
    });
  }

  /** The deployment the instances run: the newest successful DEPLOY, while the app should be up. */
  runningDeployment(app: AppState): DeploymentRecord | undefined {
    if (app.state !== 'SHOULD_BE_UP') return undefined;
    for (let i = app.deployments.length - 1; i >= 0; i--) {
      const d = app.deployments[i]!;
      if (d.action === 'DEPLOY' && d.state === 'OK') return d;
    }
    return undefined;
  }

  /** How many instances run: `minInstances` while up with a successful deployment, else none. */
  runningInstances(app: AppState): number {
    return this.runningDeployment(app) ? app.instance.minInstances : 0;
  }

  addonState(addon: AddonRecord): AddonState {
    const linkedApps = [...this.apps.values()].filter((a) => a.linkedAddons.includes(addon.id)).map((a) => a.id);
    return { ...structuredClone(addon), linkedApps };
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  repoState(app: AppState): 'CREATING' | 'CREATED' {
    return this.now() < app.gitReadyAt ? 'CREATING' : 'CREATED';
  }

  /** The application as `GET …/applications/{id}` answers. Tags are not part of it: they have their own endpoint. */
  appView(app: AppState): Record<string, unknown> {
    const runtime = RUNTIMES.find((r) => r.type === app.instance.type && r.version === app.instance.version && r.variant.id === app.instance.variantId);
    const sshUrl = `git+ssh://git@push-n3-par-clevercloud-customers.services.clever-cloud.com/${app.id}.git`;
    return {
      id: app.id,
      name: app.name,
      description: app.description,
      zone: app.zone,
      zoneId: zoneIdOf(app.zone),
      instance: {
        type: app.instance.type,
        version: app.instance.version,
        variant: runtime?.variant ?? { id: app.instance.variantId, slug: app.instance.variantSlug },
        minInstances: app.instance.minInstances,
        maxInstances: app.instance.maxInstances,
        maxAllowedInstances: 40,
        minFlavor: flavorView(app.instance.minFlavor),
        maxFlavor: flavorView(app.instance.maxFlavor),
        flavors: FLAVOR_NAMES.map(flavorView),
        defaultEnv: runtime?.defaultEnv ?? {},
        lifetime: app.instance.lifetime,
        instanceAndVersion: `${app.instance.type}-${app.instance.version}`,
      },
      deployment: {
        shutdownable: false,
        type: 'GIT',
        repoState: this.repoState(app),
        url: sshUrl,
        httpUrl: `${this.options.baseUrl()}/git/${app.id}.git`,
      },
      vhosts: app.vhosts.map((v) => ({ fqdn: v.fqdn })),
      creationDate: app.creationDate,
      last_deploy: app.deployments.filter((d) => d.state === 'OK' && d.action === 'DEPLOY').length,
      archived: app.archived,
      stickySessions: app.stickySessions,
      homogeneous: app.homogeneous,
      favourite: app.favourite,
      cancelOnPush: app.cancelOnPush,
      webhookUrl: null,
      webhookSecret: null,
      separateBuild: app.separateBuild,
      buildFlavor: flavorView(app.buildFlavor),
      ownerId: app.ownerId,
      state: app.state,
      commitId: app.commitId,
      appliance: null,
      branch: app.branch,
      forceHttps: app.forceHttps,
      deployUrl: sshUrl,
      env: envArray(app.env),
    };
  }

  addonView(addon: AddonRecord): Record<string, unknown> {
    const provider = findAddonProvider(addon.providerId)!;
    return {
      id: addon.id,
      name: addon.name,
      realId: addon.realId,
      region: addon.region,
      zoneId: zoneIdOf(addon.region),
      provider: addonProviderView(provider),
      plan: addonPlanView(provider, addon.planId),
      creationDate: addon.creationDate,
      configKeys: Object.keys(addon.env).sort(),
    };
  }

  deploymentView(d: DeploymentRecord): Record<string, unknown> {
    return {
      id: d.id,
      uuid: d.uuid,
      date: d.date,
      state: d.state,
      action: d.action,
      commit: d.commit,
      cause: d.cause,
      instances: d.instances,
      author: { id: this.options.user.id, name: this.options.user.name },
    };
  }

  /**
   * `GET /v2/summary` (OpenAPI `getSummary`): the user, with the personal space's applications and
   * add-ons, and each organisation with its own, every item with `state`, `commit` (applications)
   * and `systemTags` / `customerTags`. `customerTags` are the tags written through the tag routes:
   * the name says so, and Clever Cloud's own tooling filters resources by tag from this listing
   * (clever-tools `terraform generate --tag`); no public test shows the two side by side.
   */
  summaryView(): Record<string, unknown> {
    const user = this.options.user;
    const org = this.options.organisation;
    return {
      user: {
        id: user.id,
        name: user.name,
        avatar: null,
        ...this.ownerItems(user),
        consumers: [],
        email: userEmail(user),
        lang: 'EN',
        admin: false,
        canSEPA: false,
        partnerId: null,
        partnerName: null,
        partnerConsoleUrl: null,
      },
      organisations: [
        {
          id: org.id,
          name: org.name,
          avatar: null,
          ...this.ownerItems(org),
          consumers: [],
          role: 'ADMIN',
          providers: [],
          vatState: 'NOT_NEEDED',
          canPay: true,
          canSEPA: false,
          cleverEnterprise: false,
          emergencyNumber: null,
          isTrusted: false,
        },
      ],
    };
  }

  /** The summary items of one owner's applications and add-ons (listing lag applies). */
  private ownerItems(owner: Owner): { applications: unknown[]; addons: unknown[] } {
    const applications = this.appsOf(owner.id)
      .filter((a) => this.listed(a))
      .map((a) => ({
        id: a.id,
        name: a.name,
        instanceType: a.instance.type,
        instanceVariant: a.instance.variantId,
        variantSlug: a.instance.variantSlug,
        archived: a.archived,
        homogeneous: a.homogeneous,
        variantLogoUrl: `https://assets.clever-cloud.com/logos/${a.instance.variantSlug}.svg`,
        state: a.state,
        commit: a.commitId,
        systemTags: [],
        customerTags: [...a.tags],
      }));
    const addons = this.addonsOf(owner.id)
      .filter((a) => this.listed(a))
      .map((a) => ({
        id: a.id,
        name: a.name,
        realId: a.realId,
        providerId: a.providerId,
        logoUrl: `https://assets.clever-cloud.com/logos/${findAddonProvider(a.providerId)!.logo}`,
        systemTags: [],
        customerTags: [...a.tags],
      }));
    return { applications, addons };
  }

  /**
   * `GET /v2/organisations/{id}/deployments` (OpenAPI `listOrganisationDeployments`): an object
   * keyed by application id, each value that app's deployments in the per-app view, newest first
   * (clever-client.js `ListOrganisationDeploymentCommand` reads it as `Object.entries`). Apps
   * never deployed have no key. `limit`, when given, is taken per application (the fake's
   * reading: the API does not say whether it is per app or overall).
   */
  ownerDeploymentsView(owner: Owner, limit?: number): Record<string, unknown[]> {
    const out: Record<string, unknown[]> = {};
    for (const app of this.appsOf(owner.id)) {
      if (!this.listed(app) || app.deployments.length === 0) continue;
      let list = [...app.deployments].reverse();
      if (limit !== undefined && limit >= 0) list = list.slice(0, limit);
      out[app.id] = list.map((d) => this.deploymentView(d));
    }
    return out;
  }

  selfView(): Record<string, unknown> {
    const user = this.options.user;
    return {
      id: user.id,
      email: userEmail(user),
      name: user.name,
      phone: null,
      address: null,
      city: null,
      zipcode: null,
      country: 'FRANCE',
      avatar: null,
      creationDate: 1_600_000_000_000,
      lang: 'EN',
      emailValidated: true,
      oauthApps: [],
      admin: false,
      canPay: true,
      preferredMFA: 'NONE',
      hasPassword: true,
      partnerId: null,
      partnerName: null,
      partnerConsoleUrl: null,
    };
  }

  organisationView(owner: Owner): Record<string, unknown> {
    return {
      id: owner.id,
      name: owner.name,
      description: owner.kind === 'user' ? 'Personal space' : `${owner.name} organisation`,
      billingEmail: userEmail(this.options.user),
      address: null,
      city: null,
      zipcode: null,
      country: 'FRANCE',
      company: null,
      VAT: null,
      avatar: null,
      vatState: 'NOT_NEEDED',
      customerFullName: this.options.user.name,
      canPay: true,
      cleverEnterprise: false,
      emergencyNumber: null,
      canSEPA: false,
      isTrusted: false,
    };
  }
}

export function envArray(env: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(env)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function userEmail(user: Owner): string {
  return `${user.name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`;
}

/** Stable per-zone ids, shaped like the real `zoneId` uuids. */
function zoneIdOf(zone: string): string {
  const hex = Buffer.from(zone.padEnd(16, '0')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
