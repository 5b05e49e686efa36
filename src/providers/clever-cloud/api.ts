/**
 * Typed calls to the Clever Cloud API v2 over our HttpClient, on the paths clever-client.js uses.
 * The owner part of every path is `/self` or `/organisations/{id}`; an organisation given by name
 * is resolved once through `/v2/summary`, as clever-tools does.
 */
import { ConfigError } from '../../core/errors.js';
import type { HttpClient } from '../http.js';
import type { CleverVhost, CleverApp, CleverDeployment, CleverAddon, CreateAddonBody, CleverInstanceProduct, CleverAddonProvider, CleverSummary, CreateAppBody, ScalabilityBody } from './api-types.js';

export type * from './api-types.js';

const e = encodeURIComponent;

/** Calls `load` once and keeps its answer; a failure is forgotten, so the next call tries again. */
function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** Ids that name an owner directly; anything else given as `--org` is an organisation name. */
const OWNER_ID = /^(orga|user)_[0-9A-Za-z-]+$/;

export class CleverApi {
  /** The summary read to resolve an organisation name, handed to the first `summary()` call. */
  private resolvedSummary: CleverSummary | undefined;

  constructor(
    readonly http: HttpClient,
    private readonly org: string | undefined,
  ) {}

  /** `/v2/self` or `/v2/organisations/{id}`, resolving an organisation name once. */
  readonly owner = memo(() => this.resolveOwner());

  private async resolveOwner(): Promise<{ path: string; id?: string }> {
    const org = this.org;
    if (org === undefined) return { path: '/v2/self' };
    if (OWNER_ID.test(org)) return { path: `/v2/organisations/${e(org)}`, id: org };
    const summary = await this.http.json<CleverSummary>({ method: 'GET', path: '/v2/summary', what: `resolve organisation "${org}"` });
    this.resolvedSummary = summary;
    const orgs = summary?.organisations ?? [];
    let matches = orgs.filter((o) => o.name === org);
    if (matches.length === 0) matches = orgs.filter((o) => o.name.toLowerCase() === org.toLowerCase());
    if (matches.length === 0) {
      throw new ConfigError(`invalid settings: organisation "${org}" is not one of this token's organisations`, {
        hint: `known: ${orgs.map((o) => `${o.name} (${o.id})`).join(', ') || 'none'}; or give its orga_… id`,
      });
    }
    if (matches.length > 1) {
      throw new ConfigError(`invalid settings: organisation name "${org}" is ambiguous`, {
        hint: `give one of the ids: ${matches.map((o) => o.id).join(', ')}`,
      });
    }
    return { path: `/v2/organisations/${e(matches[0]!.id)}`, id: matches[0]!.id };
  }

  /**
   * `GET /v2/summary`: every owner of the token with all its applications and add-ons, their tags
   * (`customerTags`), state and commit, in one call. The one read for an organisation name is
   * used once more rather than asked again.
   */
  async summary(): Promise<CleverSummary> {
    const resolved = this.resolvedSummary;
    this.resolvedSummary = undefined;
    return resolved ?? (await this.http.json<CleverSummary>({ method: 'GET', path: '/v2/summary', what: 'list applications with their tags' })) ?? {};
  }

  private async app(appId: string, rest = ''): Promise<string> {
    return `${(await this.owner()).path}/applications/${e(appId)}${rest}`;
  }

  // — applications —

  async listApps(): Promise<CleverApp[]> {
    const path = `${(await this.owner()).path}/applications`;
    return (await this.http.json<CleverApp[]>({ method: 'GET', path, what: 'list applications' })) ?? [];
  }

  async getApp(appId: string): Promise<CleverApp | undefined> {
    const res = await this.http.request<CleverApp>({ method: 'GET', path: await this.app(appId), allow: [404], what: `read application ${appId}` });
    return res.status === 404 ? undefined : res.body;
  }

  /** Never retried here: a create answered 5xx may have been applied, callers look again first. */
  async createApp(body: CreateAppBody): Promise<CleverApp> {
    const path = `${(await this.owner()).path}/applications`;
    return this.http.json<CleverApp>({ method: 'POST', path, body, retry: false, what: `create application ${body.name}` });
  }

  async updateApp(appId: string, body: ScalabilityBody): Promise<CleverApp> {
    return this.http.json<CleverApp>({ method: 'PUT', path: await this.app(appId), body, what: `update application ${appId}` });
  }

  /** False when it was already gone. */
  async deleteApp(appId: string): Promise<boolean> {
    const res = await this.http.request({ method: 'DELETE', path: await this.app(appId), allow: [404], what: `delete application ${appId}` });
    return res.status !== 404;
  }

  /** Tags are not part of any application view: they have their own route. */
  async appTags(appId: string): Promise<string[]> {
    return (await this.http.json<string[]>({ method: 'GET', path: await this.app(appId, '/tags'), what: `read tags of ${appId}` })) ?? [];
  }

  /** Returns the tag list after the write, as the API answers it. */
  async addAppTag(appId: string, tag: string): Promise<string[] | undefined> {
    const body = await this.http.json<unknown>({ method: 'PUT', path: await this.app(appId, `/tags/${e(tag)}`), what: `tag application ${appId}` });
    return Array.isArray(body) ? (body as string[]) : undefined;
  }

  // — domains —

  async vhosts(appId: string): Promise<CleverVhost[]> {
    return (await this.http.json<CleverVhost[]>({ method: 'GET', path: await this.app(appId, '/vhosts'), what: `list domains of ${appId}` })) ?? [];
  }

  async addVhost(appId: string, fqdn: string): Promise<void> {
    await this.http.request({ method: 'PUT', path: await this.app(appId, `/vhosts/${e(fqdn)}`), what: `add domain ${fqdn}` });
  }

  /** The favourite domain, or undefined when none is set (404, error id 4021). */
  async favouriteVhost(appId: string): Promise<string | undefined> {
    const res = await this.http.request<CleverVhost>({ method: 'GET', path: await this.app(appId, '/vhosts/favourite'), allow: [404], what: `read favourite domain of ${appId}` });
    return res.status === 404 ? undefined : res.body?.fqdn;
  }

  async setFavouriteVhost(appId: string, fqdn: string): Promise<void> {
    await this.http.request({ method: 'PUT', path: await this.app(appId, '/vhosts/favourite'), body: { fqdn }, what: `make ${fqdn} the favourite domain` });
  }

  // — environment —

  async env(appId: string): Promise<Array<{ name: string; value: string }>> {
    return (await this.http.json<Array<{ name: string; value: string }>>({ method: 'GET', path: await this.app(appId, '/env'), what: `read environment of ${appId}` })) ?? [];
  }

  async setEnv(appId: string, name: string, value: string): Promise<void> {
    await this.http.request({ method: 'PUT', path: await this.app(appId, `/env/${e(name)}`), body: { value }, what: `set ${name} on ${appId}` });
  }

  // — catalogue —

  /** Runtimes, fetched at most once per process and only when an app is created. */
  readonly instanceProducts = memo(async () =>
    (await this.http.json<CleverInstanceProduct[]>({ method: 'GET', path: '/v2/products/instances', what: 'list runtimes' })) ?? [],
  );

  readonly addonProviders = memo(async () =>
    (await this.http.json<CleverAddonProvider[]>({ method: 'GET', path: '/v2/products/addonproviders', what: 'list add-on providers' })) ?? [],
  );

  // — add-ons —

  async listAddons(): Promise<CleverAddon[]> {
    return (await this.http.json<CleverAddon[]>({ method: 'GET', path: `${(await this.owner()).path}/addons`, what: 'list add-ons' })) ?? [];
  }

  /** Never retried here, like `createApp`. */
  async createAddon(body: CreateAddonBody): Promise<CleverAddon> {
    return this.http.json<CleverAddon>({ method: 'POST', path: `${(await this.owner()).path}/addons`, body, retry: false, what: `create add-on ${body.name}` });
  }

  async deleteAddon(addonId: string): Promise<boolean> {
    const res = await this.http.request({ method: 'DELETE', path: `${(await this.owner()).path}/addons/${e(addonId)}`, allow: [404], what: `delete add-on ${addonId}` });
    return res.status !== 404;
  }

  async addonTags(addonId: string): Promise<string[]> {
    return (await this.http.json<string[]>({ method: 'GET', path: `${(await this.owner()).path}/addons/${e(addonId)}/tags`, what: `read tags of ${addonId}` })) ?? [];
  }

  /** Returns the tag list after the write, as the API answers it. */
  async addAddonTag(addonId: string, tag: string): Promise<string[] | undefined> {
    const path = `${(await this.owner()).path}/addons/${e(addonId)}/tags/${e(tag)}`;
    const body = await this.http.json<unknown>({ method: 'PUT', path, what: `tag add-on ${addonId}` });
    return Array.isArray(body) ? (body as string[]) : undefined;
  }

  async linkedAddons(appId: string): Promise<CleverAddon[]> {
    return (await this.http.json<CleverAddon[]>({ method: 'GET', path: await this.app(appId, '/addons'), what: `list add-ons of ${appId}` })) ?? [];
  }

  /** The body is the add-on id as a JSON string, as clever-tools sends it. */
  async linkAddon(appId: string, addonId: string): Promise<void> {
    await this.http.request({ method: 'POST', path: await this.app(appId, '/addons'), body: JSON.stringify(addonId), headers: { 'content-type': 'application/json' }, what: `link add-on ${addonId}` });
  }

  // — deployments —

  async deployments(appId: string, limit = 5): Promise<CleverDeployment[]> {
    return (await this.http.json<CleverDeployment[]>({ method: 'GET', path: await this.app(appId, `/deployments?limit=${limit}`), what: `list deployments of ${appId}` })) ?? [];
  }

  async deployment(appId: string, deploymentId: string): Promise<CleverDeployment | undefined> {
    const res = await this.http.request<CleverDeployment>({ method: 'GET', path: await this.app(appId, `/deployments/${e(deploymentId)}`), allow: [404], what: `read deployment ${deploymentId}` });
    return res.status === 404 ? undefined : res.body;
  }

  /**
   * `GET /v2/organisations/{id}/deployments` (the personal space too, by its `user_…` id): every
   * application's deployments, keyed by application id. A 404 is "none", as clever-client.js reads it.
   */
  async ownerDeployments(ownerId: string): Promise<Record<string, CleverDeployment[]>> {
    const path = `/v2/organisations/${e(ownerId)}/deployments`;
    const res = await this.http.request<Record<string, CleverDeployment[]>>({ method: 'GET', path, allow: [404], what: 'list deployments' });
    const body = res.status === 404 ? undefined : res.body;
    return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  }

  /** Stops the application's instances (`DELETE …/instances`); its domains, env and add-ons stay. */
  async stopInstances(appId: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: await this.app(appId, '/instances'), what: `stop the instances of ${appId}` });
  }

  /** Redeploys `commit`, without the build cache unless `useCache` (a plain restart); returns the new deployment's id. */
  async redeploy(appId: string, commit: string, useCache = false): Promise<string | undefined> {
    const body = await this.http.json<{ deploymentId?: string }>({
      method: 'POST',
      path: await this.app(appId, `/instances?commit=${e(commit)}${useCache ? '' : '&useCache=no'}`),
      what: `redeploy ${appId}`,
    });
    return body?.deploymentId;
  }
}
