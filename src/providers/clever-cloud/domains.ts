/**
 * Domains (Clever Cloud "vhosts"). The API lists them with a trailing slash (`foo.com/`), the
 * default one is `app-<uuid>.cleverapps.io/`; adding is `PUT …/vhosts/{fqdn}`, which is
 * idempotent but still a write, so we only send it for the hosts that are missing.
 */
import { ProviderError, SafetyError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { PreviewDomain } from '../types.js';
import type { CleverApi, CleverVhost } from './api.js';

/** `https://Foo.com/` → `foo.com`; a path prefix (`foo.com/api`) is kept. */
export function normaliseHost(fqdn: string): string {
  return fqdn
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

export function normaliseVhosts(vhosts: readonly CleverVhost[]): string[] {
  return vhosts.map((v) => normaliseHost(v.fqdn)).filter((h) => h !== '');
}

export function isBuiltInHost(host: string): boolean {
  return /(^|\.)cleverapps\.io(\/|$)/.test(host);
}

/** The preview's URL: the first custom domain, else the default `cleverapps.io` one. */
export function primaryHost(hosts: readonly string[]): string | undefined {
  return hosts.find((h) => !isBuiltInHost(h)) ?? hosts.find(isBuiltInHost);
}

export function urlOfHost(host: string | undefined): string {
  return host ? `https://${host}` : '';
}

export function previewDomains(hosts: readonly string[], favourite: string | undefined): PreviewDomain[] {
  return hosts.map((host) => ({
    host,
    ...(isBuiltInHost(host) ? { builtIn: true } : {}),
    ...(favourite !== undefined && host === favourite ? { favourite: true } : {}),
  }));
}

/** The platform refused a domain because another application holds it. */
function takenError(error: unknown, host: string): SafetyError | undefined {
  if (!(error instanceof ProviderError) || error.status === undefined || error.status >= 500) return undefined;
  if (!/already (taken|used|registered|exists|in use)|belongs to another/i.test(error.message)) return undefined;
  return new SafetyError(`set domain ${host}: the domain is attached to another Clever Cloud application`, {
    hint: 'remove it from that application first, or choose another --domain template',
    cause: error,
  });
}

export interface DomainState {
  hosts: string[];
  /** Known favourite host, `null` when none is set, undefined when not read. */
  favourite?: string | null;
}

/**
 * Adds the missing hosts and, when asked, makes the first one the favourite. `state` is what is
 * known so far (from the app's list view or an earlier read); reads only what it must.
 */
export async function ensureDomains(input: {
  api: CleverApi;
  plan: Plan;
  appId: string;
  appName: string;
  state: DomainState;
  wanted: readonly string[];
  favourite: boolean;
}): Promise<{ changed: boolean; state: DomainState }> {
  const { api, plan, appId, appName } = input;
  const wanted = [...new Set(input.wanted.map(normaliseHost).filter((h) => h !== ''))];
  const hosts = [...input.state.hosts];
  let favourite = input.state.favourite;
  let changed = false;
  for (const host of wanted.filter((h) => !hosts.includes(h))) {
    await plan.apply(
      { kind: 'create', target: `domain ${host}`, detail: `on application ${appName}` },
      async () => {
        try {
          await api.addVhost(appId, host);
        } catch (error) {
          throw takenError(error, host) ?? error;
        }
      },
      undefined,
    );
    hosts.push(host);
    changed = true;
  }
  const first = wanted[0];
  if (input.favourite && first !== undefined) {
    if (favourite === undefined) {
      const read = await api.favouriteVhost(appId);
      favourite = read === undefined ? null : normaliseHost(read);
    }
    if (favourite !== first) {
      await plan.apply({ kind: 'update', target: `domain ${first}`, detail: 'make it the favourite' }, () => api.setFavouriteVhost(appId, first), undefined);
      favourite = first;
      changed = true;
    }
  }
  return { changed, state: { hosts, favourite } };
}
