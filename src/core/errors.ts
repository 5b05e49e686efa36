/**
 * Typed errors. Every failure the tool reports is one of these; `exitCodeOf` is the
 * single place that maps them to the exit codes of the CLI contract.
 */

export const ExitCode = {
  ok: 0,
  usage: 2,
  auth: 3,
  notFound: 4,
  provider: 5,
  safety: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface PreviewErrorOptions {
  /** What the user can do about it; printed in parentheses after the message. */
  hint?: string;
  cause?: unknown;
}

export abstract class PreviewError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, options: PreviewErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flags, bad `.preview.yml`, missing settings: exit 2. */
export class ConfigError extends PreviewError {
  readonly exitCode = ExitCode.usage;
}

/** The platform refused our credentials (401) or rights (403): exit 3. Never read as "absent". */
export class AuthError extends PreviewError {
  readonly exitCode = ExitCode.auth;
}

/** The preview does not exist (only `status` turns this into a failure): exit 4. */
export class NotFoundError extends PreviewError {
  readonly exitCode = ExitCode.notFound;
}

/** The platform failed or answered something we cannot use: exit 5. */
export class ProviderError extends PreviewError {
  readonly exitCode = ExitCode.provider;
  /** HTTP status when the failure came from an HTTP answer. */
  readonly status: number | undefined;
  /** Whether trying the same call again may succeed (5xx, 429, network errors). */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    message: string,
    options: PreviewErrorOptions & { status?: number; retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(message, options);
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The overall `--timeout` ran out while waiting on the platform: exit 5. */
export class TimeoutError extends PreviewError {
  readonly exitCode = ExitCode.provider;
}

/** Refused for safety: not ours, ambiguous duplicates, over `--max`: exit 6. */
export class SafetyError extends PreviewError {
  readonly exitCode = ExitCode.safety;
}

/** A resource changed under us (409/412); callers usually look again and retry. */
export class ConflictError extends ProviderError {}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof PreviewError) return error.exitCode;
  return ExitCode.provider;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** The one-line form of the contract: `<what failed>: <why> (<hint>)`. */
export function describeError(error: unknown): string {
  if (error instanceof PreviewError) {
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
