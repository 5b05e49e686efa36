import { describe, expect, it } from 'vitest';
import { ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { backoffDelay, Deadline, parseDuration, parseRetryAfter, pauseAfter, poll, retry, retryAfterMs, type Clock } from '../../../src/core/retry.js';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'ten', '10x', '5m junk'])('rejects %j', (text) => expect(() => parseDuration(text)).toThrow(/not a duration/));
});

describe('retry', () => {
  it('retries retryable errors with growing delays, honouring Retry-After', async () => {
    const clock = fakeClock();
    const deadline = new Deadline(60_000, clock);
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls === 1) throw new ProviderError('busy', { retryable: true, retryAfterSeconds: 3 });
        if (calls < 4) throw new ProviderError('flaky', { retryable: true });
        return 'ok';
      },
      { deadline, random: () => 0.5, initialMs: 100 },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(4);
    expect(clock.slept).toEqual([3000, 200, 400]);
  });
  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new ProviderError('bad request', { status: 400 });
      }),
    ).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });
  it('stops when the deadline cannot cover the next wait', async () => {
    const clock = fakeClock();
    const deadline = new Deadline(1_000, clock);
    await expect(
      retry(
        async () => {
          throw new ProviderError('down', { retryable: true, retryAfterSeconds: 5 });
        },
        { deadline, attempts: 10 },
      ),
    ).rejects.toThrow('down');
    expect(clock.slept).toEqual([]);
  });
});

describe('poll', () => {
  it('waits until the check yields a value', async () => {
    const clock = fakeClock();
    let n = 0;
    const v = await poll(async () => (++n >= 3 ? n : undefined), { deadline: new Deadline(10_000, clock), what: 'x', random: () => 0.5 });
    expect(v).toBe(3);
  });
  it('times out with a TimeoutError naming what it waited for', async () => {
    const clock = fakeClock();
    await expect(poll(async () => undefined, { deadline: new Deadline(2_000, clock), what: 'the deployment' })).rejects.toThrow(TimeoutError);
    await expect(poll(async () => undefined, { deadline: new Deadline(2_000, clock), what: 'the deployment' })).rejects.toThrow(/the deployment/);
  });
  it('backoff is bounded', () => {
    expect(backoffDelay(50, { maxMs: 5000, jitter: 0 })).toBe(5000);
  });
});

describe('Retry-After', () => {
  it('reads seconds or an HTTP date, at most a minute; nothing readable is undefined', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5);
    expect(parseRetryAfter('600', now)).toBe(60);
    expect(parseRetryAfter('-3', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:12 GMT', now)).toBe(12);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('  ', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('a pause is the backoff step, or what the platform asked when that is longer', () => {
    const steady = { initialMs: 100, maxMs: 1_000, jitter: 0 };
    expect(pauseAfter(new Error('x'), 0, steady)).toBe(100);
    expect(pauseAfter(new ProviderError('busy', { retryable: true, retryAfterSeconds: 2 }), 0, steady)).toBe(2_000);
    expect(pauseAfter(new ProviderError('busy', { retryable: true, retryAfterSeconds: 0 }), 3, steady)).toBe(800);
    expect(retryAfterMs(new ProviderError('busy', { retryAfterSeconds: 1.5 }))).toBe(1_500);
    expect(retryAfterMs('not an error')).toBe(0);
  });
});
