/**
 * The `/v2` API entry: splits the path into segments (each percent-decoded, so an encoded
 * `foo.com%2Fapi` vhost stays one segment), resolves the owner (`/self` or
 * `/organisations/{id}`, 403 for an organisation the user is not in) and dispatches.
 */
import { ADDON_PROVIDERS, addonProviderFullView, RUNTIMES, runtimeView } from './catalog.js';
import type { Repos } from './repos.js';
import { addonRoutes } from './routes-addons.js';
import { applicationRoutes } from './routes-applications.js';
import {
  ApiFailure,
  apiError,
  ERROR_IDS,
  matchRoute,
  notFound,
  ok,
  type ApiContext,
  type ApiResult,
  type Route,
} from './router.js';
import type { CleverStore, Owner } from './state.js';

const ownerRoutes: Route[] = [...applicationRoutes, ...addonRoutes];

const globalRoutes: Route[] = [
  { pattern: 'self', methods: { GET: (ctx) => ok(ctx.store.selfView()) } },
  { pattern: 'summary', methods: { GET: (ctx) => ok(ctx.store.summaryView()) } },
  { pattern: 'products/instances', methods: { GET: () => ok(RUNTIMES.map(runtimeView)) } },
  { pattern: 'products/addonproviders', methods: { GET: () => ok(ADDON_PROVIDERS.map(addonProviderFullView)) } },
  {
    pattern: 'products/addonproviders/:providerId',
    methods: {
      GET: (ctx) => {
        const provider = ADDON_PROVIDERS.find((p) => p.id === ctx.params.providerId);
        return provider ? ok(addonProviderFullView(provider)) : notFound('Add-on provider');
      },
    },
  },
  { pattern: 'organisations', methods: { GET: (ctx) => ok([ctx.store.organisationView(ctx.store.organisation)]) } },
];

export interface ApiRequest {
  method: string;
  /** Path after `/v2`, e.g. `/self/applications`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  badJson: boolean;
}

function splitSegments(path: string): string[] | undefined {
  const raw = path.split('/').filter((s) => s !== '');
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export async function handleApi(request: ApiRequest, store: CleverStore, repos: Repos): Promise<ApiResult> {
  const segments = splitSegments(request.path);
  if (!segments) return apiError(400, ERROR_IDS.badRequest, 'Malformed percent-encoding in the path');

  let owner: Owner | undefined;
  let rest = segments;
  let viaSelf = false;
  let routes = globalRoutes;
  if (segments[0] === 'self' && segments.length > 1) {
    owner = store.user;
    rest = segments.slice(1);
    viaSelf = true;
    routes = ownerRoutes;
  } else if (segments[0] === 'organisations' && segments.length >= 2) {
    owner = store.ownerById(segments[1]!);
    if (!owner) return apiError(403, ERROR_IDS.forbidden, `You don't have access to the organisation ${segments[1]}`);
    rest = segments.slice(2);
    routes = ownerRoutes;
    if (rest.length === 0) {
      if (request.method !== 'GET') return { ...apiError(405, ERROR_IDS.methodNotAllowed, 'Method not allowed'), headers: { allow: 'GET' } };
      return ok(store.organisationView(owner));
    }
  }

  const match = matchRoute(routes, request.method, rest);
  if (match.kind === 'not-found') return apiError(404, ERROR_IDS.notFound, 'Not Found');
  if (match.kind === 'method-not-allowed') {
    return { ...apiError(405, ERROR_IDS.methodNotAllowed, 'Method not allowed'), headers: { allow: match.allow.join(', ') } };
  }
  const ctx: ApiContext = {
    method: request.method,
    params: match.params,
    query: request.query,
    body: request.body,
    badJson: request.badJson,
    store,
    repos,
    owner: owner ?? store.user,
    viaSelf,
  };
  try {
    return await match.handler(ctx);
  } catch (error) {
    if (error instanceof ApiFailure) return error.result;
    throw error;
  }
}
