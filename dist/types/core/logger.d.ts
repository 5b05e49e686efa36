export interface Logger {
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
    /** Printed only with --debug / RUNNER_DEBUG=1. */
    debug(message: string): void;
    /** A phase of work, shown as a collapsible group where the forge supports it, with its duration. */
    group<T>(title: string, fn: () => Promise<T>): Promise<T>;
    /**
     * A progress line for long waits: rewritten in place on a TTY. Elsewhere (CI logs) a line is
     * printed only when the message says something new: elapsed times such as `12s` in it are
     * ignored for that, so a long wait costs one line per state, not one per poll.
     */
    progress(message: string): void;
    /** Register a secret for masking in this logger and in the forge (e.g. `core.setSecret`). */
    addSecret(secret: string | undefined): void;
}
