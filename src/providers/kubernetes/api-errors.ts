/**
 * The API's `Status` answers mapped to our error types: 401 (with the refused credential, so it
 * can be renewed once), 403 (RBAC), a namespace that does not exist, conflicts, rejected objects,
 * and what is worth retrying (429, 5xx, with `Retry-After`).
 */
import { AuthError, ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import { parseRetryAfter } from '../../core/retry.js';
import type { Credential } from './credentials.js';
import type { ClusterConnection } from './kubeconfig.js';

/** The API's error object. */
export interface KubeStatus {
  kind: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: Array<{ reason?: string; message?: string; field?: string }> };
}

export function isStatus(body: unknown): body is KubeStatus {
  return !!body && typeof body === 'object' && (body as { kind?: unknown }).kind === 'Status';
}

/** A 403: the account lacks RBAC rights for this call. */
export class ForbiddenError extends AuthError {}

/** A 401, with the credential the API refused (to renew it once). */
export class UnauthorizedError extends AuthError {
  credential?: Credential;
}

export function errorFor(c: ClusterConnection, req: { what: string }, status: number, body: unknown, retryAfter: string | string[] | undefined): Error {
  const said = isStatus(body) ? body.message || body.reason : typeof body === 'string' ? body.trim().slice(0, 200) : undefined;
  const detail = `${status}${said ? ` ${said}` : ''}`;
  if (status === 401) {
    return new UnauthorizedError(`${req.what}: the Kubernetes API refused the credentials (${detail})`, {
      hint: c.exec ? `the credential of exec plugin ${c.exec.commandText} (${c.source}) was refused: check the plugin's login and the cluster's access entries` : `check the token or client certificate from ${c.source}`,
    });
  }
  if (status === 403) {
    return new ForbiddenError(`${req.what}: forbidden by the Kubernetes API (${detail})`, {
      hint: 'grant the account RBAC rights on this resource in this namespace',
    });
  }
  // Writing into a namespace that does not exist: the API names the namespace, not the object.
  if (status === 404 && isStatus(body) && body.reason === 'NotFound' && body.details?.kind === 'namespaces') {
    const ns = body.details.name ?? '';
    return new ConfigError(`${req.what}: namespace "${ns}" does not exist`, {
      hint: `create it with \`kubectl create namespace ${ns}\`, choose another with --namespace / K8S_NAMESPACE, or use --namespace-per-preview`,
    });
  }
  if (status === 409) return new ConflictError(`${req.what}: conflict (${detail})`, { status });
  if (status === 422 || status === 400) {
    const causes = isStatus(body) ? (body.details?.causes ?? []).map((cause) => `${cause.field ?? ''} ${cause.message ?? ''}`.trim()) : [];
    return new ProviderError(`${req.what}: the Kubernetes API rejected it (${detail})`, {
      status,
      hint: causes.length ? causes.join('; ') : 'check the rendered object or your manifests',
    });
  }
  const retryable = status === 429 || status >= 500;
  // Seconds or an HTTP date, capped, as every client here reads it (core/retry.ts).
  const after = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
  return new ProviderError(`${req.what}: the Kubernetes API answered ${detail}`, { status, retryable, ...(after !== undefined ? { retryAfterSeconds: after } : {}) });
}
