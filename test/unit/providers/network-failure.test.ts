import { describe, expect, it } from 'vitest';
import { networkFailure } from '../../../src/providers/http.js';

const fetchError = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), cause) });

describe('requests that get no answer', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, /connection refused/, false],
    [{ code: 'ENOTFOUND' }, /host name not found/, false],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, /certificate/, false],
    [{ message: 'bad port' }, /bad port/, false],
    [{ code: 'ECONNRESET' }, /connection reset/, true],
    [{ code: 'EAI_AGAIN' }, /temporary/, true],
  ])('%j', (cause, why, retryable) => {
    const failure = networkFailure(fetchError(cause), 30_000);
    expect(failure.why).toMatch(why);
    expect(failure.retryable).toBe(retryable);
  });

  it('a request timeout is worth another try', () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(networkFailure(timeout, 30_000)).toEqual({ why: 'no answer within 30s', retryable: true });
  });
});
