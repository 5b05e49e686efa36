/**
 * GitHub Actions: grouped logs and masks (workflow commands), and the entry points the CLI calls:
 * the fork guard before a deploying command, the report (outputs, summary, PR comment,
 * deployment) after it. Loaded only when GITHUB_ACTIONS=true, so the CLI elsewhere does not pay
 * for it at start-up; octokit itself loads only when there is something to send.
 */
import { PlainLogger } from '../../core/logger.js';

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Workflow commands go to stderr so that stdout stays one JSON object with --json; the runner
 * reads both. `error()` stays a plain line: a failed command ends with exactly one `::error`
 * annotation (the CLI's top-level catch), and detail such as a build log's last lines belongs in
 * the log above it.
 */
export class GitHubLogger extends PlainLogger {
  override warn(message: string): void {
    this.sink.write(`::warning::${escapeData(this.redactor.redact(message))}\n`);
  }
  override async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.sink.write(`::group::${escapeData(this.redactor.redact(title))}\n`);
    try {
      return await super.group(title, fn);
    } finally {
      this.sink.write('::endgroup::\n');
    }
  }
  private readonly masked = new Set<string>();

  override addSecret(secret: string | undefined): void {
    super.addSecret(secret);
    // One mask command per value: the runner needs it once, and repeats only clutter the log.
    if (!secret || secret.length < 4 || this.masked.has(secret)) return;
    this.masked.add(secret);
    this.sink.write(`::add-mask::${escapeData(secret)}\n`);
  }
}

export { assertForkAllowed } from './fork-guard.js';
export { reportToGitHub, type GitHubReportInput } from './report.js';
