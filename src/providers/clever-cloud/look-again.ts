/**
 * Creating something through a POST that may have been applied even though the answer was a 5xx
 * or never came: before each new attempt, look for the thing again and take it when it is there.
 */
import { isRetryable } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { backoffDelay, type Deadline } from '../../core/retry.js';

export interface CreateOrFindInput<T> {
  /** For log lines: `create application my-app-x`. */
  what: string;
  create: () => Promise<T>;
  /** What the failed attempt may have made, or undefined when it is not there. */
  findAgain: () => Promise<T | undefined>;
  logger: Logger;
  deadline: Deadline;
  retryInitialMs: number;
  attempts?: number;
}

/** `found` tells that the value was seen again after a failed attempt rather than returned by the create. */
export async function createOrFindAgain<T>(input: CreateOrFindInput<T>): Promise<{ value: T; found: boolean }> {
  const attempts = input.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await input.create(), found: false };
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      const delay = backoffDelay(attempt - 1, { initialMs: input.retryInitialMs, maxMs: 5_000 });
      if (input.deadline.remaining() < delay) throw error;
      input.logger.warn(`${input.what}: ${(error as Error).message}; looking again before retrying`);
      await input.deadline.clock.sleep(delay);
      const again = await input.findAgain();
      if (again !== undefined) return { value: again, found: true };
    }
  }
}
