/**
 * What the fake API server answers before a request reaches its handler, as the real server's
 * filter chain would: 401 from the authentication filter, 403 from the authorization filter (with
 * the RBAC authorizer's reason), and — for tests of convergence — seeded write faults: a share of
 * the mutating requests is refused with 503, dropped without an answer, or applied and then
 * answered 504 (the API server's request timeout, after which the write may well have happened).
 */
import { seededRandom, type Random } from '../shared/prng.js';
import { ApiError } from './store.js';

export type CredentialMode = 'ok' | 'unauthorized' | 'forbidden';

/** apiserver endpoints/filters/authentication.go `Unauthorized`: NewUnauthorized("Unauthorized"). */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

export interface RequestAttributes {
  method: string;
  group: string;
  plural: string;
  namespace?: string;
  name?: string;
  watch?: boolean;
}

/** The verb the authorizer sees (apiserver endpoints/request/requestinfo.go). */
function verbOf(a: RequestAttributes): string {
  switch (a.method) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return a.name === undefined ? 'deletecollection' : 'delete';
    default:
      return a.watch ? 'watch' : a.name === undefined ? 'list' : 'get';
  }
}

/** The user the fake's forbidden answers name. */
export const FORBIDDEN_USER = 'system:serviceaccount:ci:preview-kit';

/**
 * responsewriters `Forbidden` → apierrors.NewForbidden(resource, name, reason) with the message
 * `User %q cannot %s resource %q in API group %q in the namespace %q`.
 */
export function forbidden(a: RequestAttributes): ApiError {
  const resource = a.group ? `${a.plural}.${a.group}` : a.plural;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const reason = `User "${FORBIDDEN_USER}" cannot ${verbOf(a)} resource "${a.plural}" in API group "${a.group}" ${scope}`;
  const message = a.name === undefined ? `${resource} is forbidden: ${reason}` : `${resource} "${a.name}" is forbidden: ${reason}`;
  return new ApiError(403, 'Forbidden', message, { ...(a.name !== undefined ? { name: a.name } : {}), group: a.group, kind: a.plural });
}

/** apierrors.NewServiceUnavailable. */
export function serviceUnavailable(): ApiError {
  return new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
}

/** apierrors.NewTimeoutError as the request-timeout filter answers it. */
export function requestTimeout(): ApiError {
  return new ApiError(504, 'Timeout', 'Timeout: request did not complete within requested timeout - context deadline exceeded', { retryAfterSeconds: 0 });
}

export type WriteFault = 'refused' | 'dropped' | 'applied';

export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Seeded: the same seed and the same order of writes give the same faults. */
export class WriteFaults {
  private readonly random: Random;
  readonly counts: Record<WriteFault, number> = { refused: 0, dropped: 0, applied: 0 };

  constructor(
    readonly rate: number,
    seed: number,
  ) {
    if (!(rate >= 0 && rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${rate}`);
    this.random = seededRandom(seed);
  }

  /** The fault for the next write, or undefined. Always draws three numbers. */
  next(): WriteFault | undefined {
    const hit = this.random();
    const applied = this.random();
    const dropped = this.random();
    if (hit >= this.rate) return undefined;
    const fault: WriteFault = applied < 0.5 ? 'applied' : dropped < 0.5 ? 'dropped' : 'refused';
    this.counts[fault]++;
    return fault;
  }
}
