/**
 * Waiting on facts, not clocks: a deadline shared by a whole command, retry with
 * exponential backoff and jitter, and polling until a condition holds.
 */
import { isRetryable, ProviderError, TimeoutError } from './errors.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Parses `90`, `90s`, `10m`, `1h30m`, `500ms` into milliseconds. Bare numbers are seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    const n = Number(m[1]);
    const unit = m[2];
    total += n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new Error(`"${text}" is not a duration (use e.g. 90s, 10m, 1h)`);
  }
  return total;
}

/** The overall deadline of a command (`--timeout`). */
export class Deadline {
  readonly at: number;
  constructor(
    readonly totalMs: number,
    readonly clock: Clock = realClock,
  ) {
    this.at = clock.now() + totalMs;
  }
  remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }
  expired(): boolean {
    return this.remaining() <= 0;
  }
  /** Throws a TimeoutError naming what we were waiting for. */
  check(waitingFor: string): void {
    if (this.expired()) throw this.timeoutError(waitingFor);
  }
  /** The error for a wait the deadline ended; `last` is the failure of the last attempt, if any. */
  timeoutError(waitingFor: string, last?: unknown): TimeoutError {
    const lastText = last instanceof Error ? ` (last attempt: ${last.message})` : '';
    return new TimeoutError(`timed out after ${Math.round(this.totalMs / 1000)}s waiting for ${waitingFor}${lastText}`, {
      hint: 'raise --timeout or check the platform',
      ...(last === undefined ? {} : { cause: last }),
    });
  }
}

export interface BackoffOptions {
  /** First delay in ms. */
  initialMs?: number;
  /** Largest delay in ms. */
  maxMs?: number;
  factor?: number;
  /** 0..1: share of each delay randomised, so concurrent jobs spread out. */
  jitter?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 250;
  const max = options.maxMs ?? 5_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.3;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * factor ** attempt);
  return Math.round(base * (1 - jitter + jitter * 2 * random()));
}

/**
 * A `Retry-After` header in seconds (a number of seconds or an HTTP date), at most 60; undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), 60);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, (date - now) / 1000), 60);
}

/** What the platform asked us to wait after this error (its Retry-After), in ms; 0 when nothing. */
export function retryAfterMs(error: unknown): number {
  return error instanceof ProviderError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
}

/** The pause before attempt `attempt + 1`: our backoff step, or longer when the platform asked. */
export function pauseAfter(error: unknown, attempt: number, options: BackoffOptions = {}): number {
  return Math.max(backoffDelay(attempt, options), retryAfterMs(error));
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  deadline?: Deadline;
  /** Which errors are worth another attempt; default: retryable ProviderErrors. */
  retryIf?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log "retrying in 2s". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Describes the operation for timeout messages. */
  what?: string;
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const retryIf = options.retryIf ?? isRetryable;
  const clock = options.deadline?.clock ?? realClock;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !retryIf(error)) throw error;
      const delay = pauseAfter(error, attempt, options);
      // The last error alone would read like a plain failure; say the deadline ended the retries.
      if (options.deadline && options.deadline.remaining() < delay) {
        throw options.deadline.timeoutError(options.what ?? 'a retry', error);
      }
      options.onRetry?.(error, attempt + 1, delay);
      await clock.sleep(delay);
    }
  }
}

/**
 * How waits on a platform fact back off unless a caller says otherwise: fast at first (most facts
 * become true within a second or two on a healthy platform), then gently up to one second, so a
 * wait never ends more than about one step after the fact became true.
 */
export const WAIT_BACKOFF: Required<Pick<BackoffOptions, 'initialMs' | 'maxMs' | 'factor' | 'jitter'>> = {
  initialMs: 100,
  maxMs: 1_000,
  factor: 2,
  jitter: 0.2,
};

export interface PollOptions extends BackoffOptions {
  deadline: Deadline;
  /** What we wait for, for the timeout message. */
  what: string;
  /** Called after each unsuccessful check with the elapsed time, for progress lines. */
  onWait?: (elapsedMs: number) => void;
}

/**
 * Calls `check` until it returns a value other than undefined, waiting with backoff between
 * calls (WAIT_BACKOFF unless given), until the deadline. Errors thrown by `check` end the poll
 * unless retryable; a retryable error's Retry-After is honoured.
 */
export async function poll<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const { deadline } = options;
  const started = deadline.clock.now();
  for (let attempt = 0; ; attempt++) {
    let value: T | undefined;
    let asked = 0;
    try {
      value = await check();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      asked = retryAfterMs(error);
    }
    if (value !== undefined) return value;
    deadline.check(options.what);
    options.onWait?.(deadline.clock.now() - started);
    const step = backoffDelay(attempt, { ...WAIT_BACKOFF, ...options });
    const delay = Math.min(Math.max(step, asked), deadline.remaining());
    await deadline.clock.sleep(delay);
    if (deadline.expired()) {
      const last = await check().catch(() => undefined);
      if (last !== undefined) return last;
      deadline.check(options.what);
    }
  }
}
