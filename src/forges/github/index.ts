/**
 * GitHub Actions: grouped logs, masks, step outputs and the step summary. Loaded only when
 * GITHUB_ACTIONS=true, so the CLI elsewhere does not pay for @actions/core at start-up.
 */
import * as core from '@actions/core';
import { PlainLogger } from '../../core/logger.js';

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow commands go to stderr so that stdout stays one JSON object with --json; the runner reads both. */
export class GitHubLogger extends PlainLogger {
  override warn(message: string): void {
    this.sink.write(`::warning::${escapeData(this.redactor.redact(message))}\n`);
  }
  override error(message: string): void {
    this.sink.write(`::error::${escapeData(this.redactor.redact(message))}\n`);
  }
  override async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.sink.write(`::group::${escapeData(this.redactor.redact(title))}\n`);
    try {
      return await super.group(title, fn);
    } finally {
      this.sink.write('::endgroup::\n');
    }
  }
  override addSecret(secret: string | undefined): void {
    super.addSecret(secret);
    if (secret && secret.length >= 4) this.sink.write(`::add-mask::${escapeData(secret)}\n`);
  }
}

export interface GitHubReport {
  outputs: Record<string, string>;
  summary?: { title: string; rows: Array<[string, string]> };
}

export async function publishToGitHub(report: GitHubReport): Promise<void> {
  if (process.env.GITHUB_OUTPUT) {
    for (const [key, value] of Object.entries(report.outputs)) core.setOutput(key, value);
  }
  if (report.summary && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addHeading(report.summary.title, 3)
      .addTable([
        [
          { data: 'field', header: true },
          { data: 'value', header: true },
        ],
        ...report.summary.rows,
      ])
      .write();
  }
}
