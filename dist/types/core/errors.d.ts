/**
 * Typed errors. Every failure the tool reports is one of these; `exitCodeOf` is the
 * single place that maps them to the exit codes of the CLI contract.
 */
export declare const ExitCode: {
    readonly ok: 0;
    readonly usage: 2;
    readonly auth: 3;
    readonly notFound: 4;
    readonly provider: 5;
    readonly safety: 6;
};
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
export interface PreviewErrorOptions {
    /** What the user can do about it; printed in parentheses after the message. */
    hint?: string;
    cause?: unknown;
}
export declare abstract class PreviewError extends Error {
    abstract readonly exitCode: ExitCode;
    readonly hint: string | undefined;
    constructor(message: string, options?: PreviewErrorOptions);
}
/** Bad flags, bad `.preview.yml`, missing settings: exit 2. */
export declare class ConfigError extends PreviewError {
    readonly exitCode: 2;
}
/** The platform refused our credentials (401) or rights (403): exit 3. Never read as "absent". */
export declare class AuthError extends PreviewError {
    readonly exitCode: 3;
}
/** The preview does not exist (only `status` turns this into a failure): exit 4. */
export declare class NotFoundError extends PreviewError {
    readonly exitCode: 4;
}
/** The platform failed or answered something we cannot use: exit 5. */
export declare class ProviderError extends PreviewError {
    readonly exitCode: 5;
    /** HTTP status when the failure came from an HTTP answer. */
    readonly status: number | undefined;
    /** Whether trying the same call again may succeed (5xx, 429, network errors). */
    readonly retryable: boolean;
    /** Seconds the server asked us to wait (Retry-After), when it did. */
    readonly retryAfterSeconds: number | undefined;
    constructor(message: string, options?: PreviewErrorOptions & {
        status?: number;
        retryable?: boolean;
        retryAfterSeconds?: number;
    });
}
/** The overall `--timeout` ran out while waiting on the platform: exit 5. */
export declare class TimeoutError extends PreviewError {
    readonly exitCode: 5;
}
/** Refused for safety: not ours, ambiguous duplicates, over `--max`: exit 6. */
export declare class SafetyError extends PreviewError {
    readonly exitCode: 6;
}
