/**
 * The API's error answers as the provider's errors: what is retried, and how long the API asked
 * to wait — `Retry-After` in seconds or as an HTTP date, read as every client of the project
 * reads it (capped at a minute, never negative, nothing when absent or unreadable).
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/core/errors.js';
import { errorFor } from '../../../src/providers/kubernetes/api-errors.js';
import type { ClusterConnection } from '../../../src/providers/kubernetes/kubeconfig.js';

const CONNECTION = { server: 'https://127.0.0.1:6443', insecureSkipTlsVerify: false, source: 'a kubeconfig' } as ClusterConnection;
const TOO_MANY = { kind: 'Status', status: 'Failure', message: 'Too many requests, please try again later.', reason: 'TooManyRequests', code: 429 };

function answer(status: number, retryAfter: string | string[] | undefined): ProviderError {
  const error = errorFor(CONNECTION, { what: 'list deployments' }, status, TOO_MANY, retryAfter);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('Kubernetes API errors: retries and Retry-After', () => {
  it('429 and 5xx are retried, with the wait the API asked for in seconds', () => {
    expect(answer(429, '1')).toMatchObject({ retryable: true, retryAfterSeconds: 1, status: 429 });
    expect(answer(503, ['3'])).toMatchObject({ retryable: true, retryAfterSeconds: 3 });
  });

  it('an HTTP date counts from now; a long or past one is capped at a minute or taken as no wait', () => {
    const soon = new Date(Date.now() + 10_000).toUTCString();
    expect(answer(429, soon).retryAfterSeconds).toBeGreaterThan(8);
    expect(answer(429, soon).retryAfterSeconds).toBeLessThanOrEqual(10);
    expect(answer(429, new Date(Date.now() + 3_600_000).toUTCString()).retryAfterSeconds).toBe(60);
    expect(answer(429, 'Thu, 01 Jan 1970 00:00:00 GMT').retryAfterSeconds).toBe(0);
    expect(answer(429, '600').retryAfterSeconds).toBe(60);
  });

  it('no header, an empty or unreadable one: no wait of the API, our own backoff decides', () => {
    for (const header of [undefined, '', 'soon']) expect(answer(429, header).retryAfterSeconds).toBeUndefined();
  });
});
