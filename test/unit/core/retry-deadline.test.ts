import { describe, expect, it } from 'vitest';
import { ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { Deadline, retry, type Clock } from '../../../src/core/retry.js';

function fakeClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

describe('retry against the deadline', () => {
  it('ends with a TimeoutError that names the wait and the last failure', async () => {
    const deadline = new Deadline(1_000, fakeClock());
    const error = await retry(
      async () => {
        throw new ProviderError("git push failed: repository 'x' not found", { retryable: true });
      },
      { deadline, attempts: 30, initialMs: 400, maxMs: 400, jitter: 0, what: 'push abc1234' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).exitCode).toBe(5);
    expect((error as Error).message).toBe("timed out after 1s waiting for push abc1234 (last attempt: git push failed: repository 'x' not found)");
    expect((error as TimeoutError).hint).toMatch(/--timeout/);
  });

  it('still ends with the error itself when the attempts run out first', async () => {
    const deadline = new Deadline(60_000, fakeClock());
    const error = await retry(
      async () => {
        throw new ProviderError('busy', { retryable: true });
      },
      { deadline, attempts: 2, what: 'list applications' },
    ).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('busy');
  });
});
