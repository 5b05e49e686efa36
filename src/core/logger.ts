/**
 * The logger seam. Commands and providers talk to a Logger; the CLI picks the flavour
 * (plain terminal, GitHub Actions, GitLab CI) and every flavour writes through a Redactor.
 */
import type { Redactor } from './redact.js';

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

export interface LineSink {
  write(text: string): void;
  isTTY?: boolean;
}

export interface LoggerOptions {
  redactor: Redactor;
  sink: LineSink;
  debug?: boolean;
  /** Clock used for group durations; injectable for tests. */
  now?: () => number;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)}s`;
}

/** Elapsed times (`12s`, `1.5s`, `2m3s`, `800ms`) standing alone in a progress message. */
const ELAPSED = /(?<=^|[\s(])(?:\d+(?:\.\d+)?(?:ms|s|m|h))+(?=$|[\s),;])/g;

/** What a progress message says once its elapsed times are left out. */
export function progressState(message: string): string {
  return message.replace(ELAPSED, '…');
}

/** Plain text logger, for a terminal or any CI. Base for the forge flavours. */
export class PlainLogger implements Logger {
  protected readonly redactor: Redactor;
  protected readonly sink: LineSink;
  protected readonly debugEnabled: boolean;
  protected readonly now: () => number;
  private lastProgress = '';
  /** State of the last progress line written to a non-TTY sink. */
  private lastProgressState = '';
  private progressOnLine = false;

  constructor(options: LoggerOptions) {
    this.redactor = options.redactor;
    this.sink = options.sink;
    this.debugEnabled = options.debug ?? false;
    this.now = options.now ?? (() => performance.now());
  }

  protected line(text: string): void {
    this.endProgress();
    this.sink.write(`${this.redactor.redact(text)}\n`);
  }

  info(message: string): void {
    this.line(message);
  }
  warn(message: string): void {
    this.line(`warning: ${message}`);
  }
  error(message: string): void {
    this.line(message);
  }
  debug(message: string): void {
    if (this.debugEnabled) this.line(`debug: ${message}`);
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const started = this.now();
    this.lastProgress = '';
    this.lastProgressState = '';
    this.line(`▸ ${title}`);
    try {
      const result = await fn();
      this.line(`  ${title}: done in ${formatDuration(this.now() - started)}`);
      return result;
    } catch (error) {
      this.line(`  ${title}: failed after ${formatDuration(this.now() - started)}`);
      throw error;
    }
  }

  progress(message: string): void {
    if (message === this.lastProgress) return;
    this.lastProgress = message;
    const text = this.redactor.redact(message);
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K  … ${text}`);
      this.progressOnLine = true;
      return;
    }
    const state = progressState(message);
    if (state === this.lastProgressState) return;
    this.lastProgressState = state;
    this.sink.write(`  … ${text}\n`);
  }

  addSecret(secret: string | undefined): void {
    this.redactor.add(secret);
  }

  private endProgress(): void {
    if (this.progressOnLine) {
      this.sink.write('\n');
      this.progressOnLine = false;
    }
  }
}

/** A logger that drops everything, for library callers who bring no logger. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  group: (_title, fn) => fn(),
  progress() {},
  addSecret() {},
};
