/**
 * Preview routes in Caddy: which HTTP server gets them, what they look like, and how to converge
 * the server's route list to a wish list with as few writes as possible (none when it already
 * matches), each write guarded by the Etag of the snapshot it was computed from.
 */
import { ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import { backoffDelay, retryAfterMs, WAIT_BACKOFF, type Deadline } from '../../core/retry.js';
import type { CaddyAdmin } from './caddy-admin.js';
import { canonicalJson } from './labels.js';

export interface CaddyRoute {
  '@id'?: string;
  match?: Array<Record<string, unknown>>;
  handle?: Array<Record<string, unknown>>;
  terminal?: boolean;
  [key: string]: unknown;
}

export interface CaddyServer {
  listen?: string[];
  routes?: CaddyRoute[] | null;
  tls_connection_policies?: unknown[];
  [key: string]: unknown;
}

export const SERVERS_PATH = '/config/apps/http/servers';
export const CATCH_ALL_ID = 'preview-kit-catch-all';
export const STAGING_HEADER = 'X-Preview-Kit-Staging';

export function routesPath(server: string): string {
  return `${SERVERS_PATH}/${encodeURIComponent(server)}/routes`;
}

/**
 * A preview's route for one service: `preview-kit-<name>-<service>-<key>`. The name is for people
 * reading Caddy's config; the identity key makes the id this preview's alone, so a preview of
 * another project that got the same name (`shop-admin` + `main`, `shop` + `admin-main`) never
 * matches it, and our `stop` never removes its routes.
 */
export function routeId(ref: RouteOwner, service: string): string {
  return `preview-kit-${ref.name}-${service}-${ref.key}`;
}

/** The route a new container is checked through before it gets the real hosts. */
export function stagingRouteId(ref: RouteOwner, service: string): string {
  return `${routeId(ref, service)}.next`;
}

export interface RouteOwner {
  name: string;
  key: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Ids of routes named after a preview, whoever's: the key is captured. Service names have no `-`
 * and preview names no `.`, so the routes of `app-x` never match those of `app-x-y`.
 */
export function namedRoutePattern(name: string): RegExp {
  return new RegExp(`^preview-kit-${escapeRegExp(name)}-[a-z][a-z0-9]*-([0-9a-f]{20})(\\.next)?$`);
}

/** The key a route named after `name` was made for, or undefined when the id is not such a route. */
export function routeKey(id: string | undefined, name: string): string | undefined {
  return id ? namedRoutePattern(name).exec(id)?.[1] : undefined;
}

/** Whether a route id is one of this preview's (live or staging). */
export function isPreviewRoute(id: string | undefined, ref: RouteOwner): boolean {
  return routeKey(id, ref.name) === ref.key;
}

/** A service's route to its container; `auth` (basic auth, see basic-auth.ts) goes in front of the proxy. */
export function liveRoute(id: string, hosts: string[], dial: string, auth?: Record<string, unknown>): CaddyRoute {
  return { '@id': id, match: [{ host: hosts }], handle: [...(auth ? [auth] : []), { handler: 'reverse_proxy', upstreams: [{ dial }] }], terminal: true };
}

/**
 * The header value one service's staging route answers to. Staging routes match no host, so a
 * value shared by a run's services would let the first staging route in the list answer every
 * service's probe: a service that never serves would pass as healthy through its sibling.
 */
export function stagingToken(runToken: string, service: string): string {
  return `${runToken}-${service}`;
}

/** No host matcher, so Caddy's automatic HTTPS never tries to get a certificate for it. */
export function stagingRoute(id: string, token: string, dial: string): CaddyRoute {
  return { '@id': id, match: [{ header: { [STAGING_HEADER]: [token] } }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial }] }], terminal: true };
}

export function catchAllRoute(): CaddyRoute {
  return { '@id': CATCH_ALL_ID, handle: [{ handler: 'static_response', status_code: 404, body: 'no preview here' }], terminal: true };
}

function isCatchAll(route: CaddyRoute): boolean {
  return !route.match || route.match.length === 0;
}

/** Port of a Caddy listen address: `:443`, `0.0.0.0:80`, `tcp/[::]:8080`, `:8000-8010`. */
export function parseListen(address: string): { host: string; port: number } | undefined {
  const m = /^(?:(tcp|tcp4|tcp6|udp\d?)\/)?(\[[^\]]*\]|[^:/]*):(\d+)(?:-\d+)?$/.exec(address.trim());
  if (!m || (m[1] && m[1].startsWith('udp'))) return undefined;
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

/** Picks the server: the one asked for, else the only one, else the one on :443, else on :80. */
export function chooseServer(servers: Record<string, CaddyServer> | null | undefined, wanted: string | undefined): string {
  const names = Object.keys(servers ?? {});
  if (wanted) {
    if (!names.includes(wanted)) {
      throw new ConfigError(`invalid settings: --caddy-server: Caddy has no HTTP server "${wanted}"`, {
        hint: names.length ? `servers: ${names.join(', ')}` : 'Caddy has no HTTP server yet',
      });
    }
    return wanted;
  }
  if (names.length === 0) {
    throw new ProviderError('Caddy has no HTTP server to add preview routes to', { hint: 'configure one (e.g. a site on :80 or :443) or load a config with apps.http.servers' });
  }
  if (names.length === 1) return names[0]!;
  for (const port of [443, 80]) {
    const on = names.filter((n) => (servers![n]!.listen ?? []).some((a) => parseListen(a)?.port === port));
    if (on.length === 1) return on[0]!;
  }
  throw new ConfigError(`invalid settings: Caddy has several HTTP servers (${names.join(', ')}) and none is clearly the public one`, {
    hint: 'choose one with --caddy-server',
  });
}

export interface Listener {
  host: string;
  port: number;
  tls: boolean;
}

/**
 * Where to send requests that must go through the chosen server. A wildcard listen address is
 * reached on the host the admin API lives on (loopback when it is a unix socket).
 */
export function listenerOf(server: CaddyServer, adminHost: string | undefined): Listener {
  const parsed = (server.listen ?? []).map(parseListen).filter((l): l is { host: string; port: number } => l !== undefined);
  const first = parsed.find((l) => l.port !== 443) ?? parsed[0];
  if (!first) throw new ProviderError('the chosen Caddy server has no TCP listen address', { hint: 'choose another with --caddy-server' });
  const wildcard = first.host === '' || first.host === '0.0.0.0' || first.host === '::';
  const tls = first.port === 443 || (server.tls_connection_policies?.length ?? 0) > 0;
  return { host: wildcard ? (adminHost ?? '127.0.0.1') : first.host, port: first.port, tls };
}

export function publicUrl(host: string, listener: Listener): string {
  const scheme = listener.tls ? 'https' : 'http';
  const standard = listener.tls ? 443 : 80;
  return `${scheme}://${host}${listener.port === standard ? '' : `:${listener.port}`}`;
}

/** A server's routes as read, with the Etag that guards writes computed from them. */
export interface RouteSnapshot {
  routes: CaddyRoute[] | null | undefined;
  etag: string | undefined;
}

/** A wish per route id: the route it must be, or null for "must not exist". */
export type RouteWishes = Map<string, CaddyRoute | null>;

type RouteAction =
  | { kind: 'insert'; id: string; route: CaddyRoute }
  | { kind: 'replace'; id: string; index: number; route: CaddyRoute }
  | { kind: 'delete'; id: string; index: number }
  | { kind: 'append-catch-all' };

function sameRoute(a: CaddyRoute, b: CaddyRoute): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** What to do to a route list, in order; indexes are valid for the first action only. */
export function routeActions(routes: CaddyRoute[] | null | undefined, wishes: RouteWishes, ensureCatchAll: boolean): RouteAction[] {
  const list = routes ?? [];
  const actions: RouteAction[] = [];
  for (const [id, wish] of wishes) {
    const at = list.flatMap((r, i) => (r['@id'] === id ? [i] : []));
    if (wish === null) {
      for (const index of at.reverse()) actions.push({ kind: 'delete', id, index });
      continue;
    }
    // Duplicates of one @id (an earlier POST race) go, highest index first; the first copy stays.
    for (const index of at.slice(1).reverse()) actions.push({ kind: 'delete', id, index });
    if (at.length === 0) actions.push({ kind: 'insert', id, route: wish });
    else if (!sameRoute(list[at[0]!]!, wish)) actions.push({ kind: 'replace', id, index: at[0]!, route: wish });
  }
  if (ensureCatchAll && !list.some(isCatchAll)) actions.push({ kind: 'append-catch-all' });
  return actions;
}

function describe(action: RouteAction): { kind: 'create' | 'update' | 'delete'; target: string } {
  switch (action.kind) {
    case 'insert':
      return { kind: 'create', target: `caddy route ${action.id}` };
    case 'replace':
      return { kind: 'update', target: `caddy route ${action.id}` };
    case 'delete':
      return { kind: 'delete', target: `caddy route ${action.id}` };
    case 'append-catch-all':
      return { kind: 'create', target: `caddy route ${CATCH_ALL_ID}` };
  }
}

/** 502-504 answers to route writes tolerated in one sync before giving up. */
const MAX_GATEWAY_FAILURES = 6;

export interface SyncContext {
  admin: CaddyAdmin;
  plan: Plan;
  logger: Logger;
  deadline: Deadline;
}

/**
 * Converges one server's routes: read the list and its Etag, do the first needed write with
 * If-Match, read again, until nothing is left to do. A 412 (someone else wrote meanwhile) just
 * means reading again. `initial` is a snapshot the caller read moments ago (Caddy's servers, whose
 * Etag guards writes to any route below them): the first round decides from it instead of reading,
 * so a sync with nothing to do costs no request. Returns the ids written.
 */
export async function syncRoutes(ctx: SyncContext, server: string, wishes: RouteWishes, options: { ensureCatchAll: boolean; initial?: RouteSnapshot | undefined }): Promise<string[]> {
  const path = routesPath(server);
  const written: string[] = [];
  let gatewayFailures = 0;
  let snapshot = options.initial;
  for (let round = 0; round < 50; round++) {
    const read = snapshot ?? (await readRoutes(ctx, server));
    snapshot = undefined;
    const routes = read.routes;
    const actions = routeActions(routes, wishes, options.ensureCatchAll);
    if (actions.length === 0) return written;
    if (ctx.plan.dryRun) {
      for (const action of actions) await ctx.plan.apply(describe(action), async () => undefined, undefined);
      return actions.map((a) => (a.kind === 'append-catch-all' ? CATCH_ALL_ID : a.id));
    }
    const action = actions[0]!;
    const empty = !routes || routes.length === 0;
    try {
      await ctx.plan.apply(describe(action), async () => {
        switch (action.kind) {
          case 'insert':
            // In front, so a catch-all the user already has never shadows it.
            if (empty) await ctx.admin.write('POST', path, `add Caddy route ${action.id}`, [action.route], read.etag);
            else await ctx.admin.write('PUT', `${path}/0`, `add Caddy route ${action.id}`, action.route, read.etag);
            break;
          case 'replace':
            await ctx.admin.write('PATCH', `${path}/${action.index}`, `update Caddy route ${action.id}`, action.route, read.etag);
            break;
          case 'delete':
            await ctx.admin.write('DELETE', `${path}/${action.index}`, `remove Caddy route ${action.id}`, undefined, read.etag);
            break;
          case 'append-catch-all':
            await ctx.admin.write('POST', path, 'add the catch-all Caddy route', empty ? [catchAllRoute()] : catchAllRoute(), read.etag);
            break;
        }
      }, undefined);
      written.push(action.kind === 'append-catch-all' ? CATCH_ALL_ID : action.id);
    } catch (error) {
      // 412: someone wrote first. A reset connection or a 502-504: Caddy restarted its admin
      // listener for a concurrent write, or a proxy lost the answer, and ours may or may not have
      // landed. Either way the If-Match guard makes reading again and re-deciding safe; a gateway
      // that keeps failing is given up on after a few rounds.
      const lost = error instanceof ProviderError && error.retryable && !(error instanceof ConflictError);
      if (lost && error.status !== undefined && ++gatewayFailures > MAX_GATEWAY_FAILURES) throw error;
      if (!(error instanceof ConflictError) && !lost) throw error;
      ctx.plan.steps.pop();
      await pauseBeforeReading(ctx, server, round, error as ProviderError);
    }
  }
  throw new ProviderError(`Caddy routes of server ${server} kept changing; gave up after 50 attempts`, { retryable: true });
}

async function readRoutes(ctx: SyncContext, server: string): Promise<RouteSnapshot> {
  const read = await ctx.admin.get<CaddyRoute[] | null>(routesPath(server), `read Caddy routes of server ${server}`);
  if (read.status === 404) throw new ProviderError(`Caddy server ${server} disappeared while preview-kit was updating it`, { retryable: false });
  return { routes: read.body, etag: read.etag };
}

/**
 * Before reading again: a 412 means another writer is done, so the pause only spreads racing
 * runs apart (from 50 ms, below the usual wait step); a gateway error waits what its Retry-After
 * asks, else the usual steps.
 */
async function pauseBeforeReading(ctx: SyncContext, server: string, round: number, error: ProviderError): Promise<void> {
  const step = backoffDelay(Math.min(round, 4), { ...WAIT_BACKOFF, ...(error instanceof ConflictError ? { initialMs: 50 } : {}) });
  const delay = Math.min(Math.max(step, retryAfterMs(error)), ctx.deadline.remaining());
  ctx.logger.debug(`Caddy routes of ${server}: ${error.message}; reading again in ${delay}ms`);
  await ctx.deadline.clock.sleep(delay);
}
