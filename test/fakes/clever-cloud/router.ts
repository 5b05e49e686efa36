/**
 * Routing for the fake `/v2` API: a table of segment patterns (`applications/:appId/vhosts`),
 * literal segments winning over parameters by table order, 404 for an unknown path and 405 with
 * `Allow` for a known path with another verb. Handlers return an `ApiResult` instead of writing
 * the response, so a fault can apply a request and still answer 503.
 */
import type { Repos } from './repos.js';
import type { CleverStore, Owner } from './state.js';

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  /** True when the body was present but not JSON. */
  badJson: boolean;
  store: CleverStore;
  repos: Repos;
  /** The owner of `/self/…` or `/organisations/{id}/…` routes. */
  owner: Owner;
  /** Reached through `/v2/self/…`. */
  viaSelf: boolean;
}

export type Handler = (ctx: ApiContext) => ApiResult | Promise<ApiResult>;

export interface Route {
  pattern: string;
  methods: Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', Handler>>;
}

/** Thrown by handlers to answer early (not found, bad request…). */
export class ApiFailure extends Error {
  constructor(readonly result: ApiResult) {
    super(`API failure ${result.status}`);
  }
}

/**
 * Error bodies have the real shape `{id, message, type: "error"}`. Only id 4021 (no favourite
 * vhost) is confirmed by public clients; the other ids are this fake's own.
 */
export const ERROR_IDS = {
  badRequest: 4000,
  unauthorized: 4001,
  forbidden: 4003,
  notFound: 4004,
  methodNotAllowed: 4005,
  vhostTaken: 4016,
  noFavouriteVhost: 4021,
  tooManyRequests: 4029,
  unavailable: 5003,
} as const;

export function apiError(status: number, id: number, message: string, extra: Record<string, unknown> = {}): ApiResult {
  return { status, body: { id, message, type: 'error', ...extra } };
}

export function fail(status: number, id: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new ApiFailure(apiError(status, id, message, extra));
}

export function notFound(what: string): never {
  return fail(404, ERROR_IDS.notFound, `${what} not found`);
}

export function badRequest(message: string, fields?: Record<string, string>): never {
  return fail(400, ERROR_IDS.badRequest, message, fields ? { fields } : {});
}

/** The real API's plain acknowledgement for writes that return no resource. */
export function success(message: string, extra: Record<string, unknown> = {}): ApiResult {
  return { status: 200, body: { id: 0, message, type: 'success', ...extra } };
}

export function ok(body: unknown): ApiResult {
  return { status: 200, body };
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export function matchRoute(routes: Route[], method: string, segments: string[]): RouteMatch {
  const allow = new Set<string>();
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    const handler = route.methods[method as keyof Route['methods']];
    if (handler) return { kind: 'found', handler, params };
    for (const m of Object.keys(route.methods)) allow.add(m);
  }
  return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern === '' ? [] : pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const seg = segments[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = seg;
    else if (part !== seg) return undefined;
  }
  return params;
}
