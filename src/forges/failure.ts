/**
 * Where a failure is shown, on each forge. The CLI always prints its one line
 * (`preview-kit: <what failed>: <why> (<hint>)`); on GitHub that line is also an `::error`
 * annotation, which the run page and the pull request's checks show (a failed step alone says only
 * "Process completed with exit code 3"); on GitLab it closes the log in a section of its own, so
 * the reason is the last thing on the job page and not scrolled away.
 */
import type { ForgeKind } from './generic/ci-env.js';

/** Workflow command data: `%`, CR and LF are escaped. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow command properties also escape `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubErrorAnnotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/** A GitLab section, collapsed, whose header line (always visible) carries the reason in red. */
export function gitlabFailureSection(title: string, message: string, details: string[] = [], now = Date.now()): string {
  const stamp = Math.floor(now / 1000);
  const id = 'preview_kit_failure';
  const body = details.map((line) => `${line}\n`).join('');
  return `\x1b[0Ksection_start:${stamp}:${id}[collapsed=true]\r\x1b[0K\x1b[31;1m${title}: ${message}\x1b[0m\n${body}\x1b[0Ksection_end:${stamp}:${id}\r\x1b[0K\n`;
}

/** What the forge shows of a failed command, after the CLI's own line; nothing elsewhere. */
export function failureReport(forge: ForgeKind, command: string, message: string, exitCode: number): string {
  const title = `preview-kit ${command} failed (exit ${exitCode})`;
  if (forge === 'github') return githubErrorAnnotation(title, message);
  if (forge === 'gitlab') return gitlabFailureSection(title, message, [`exit codes: 2 usage or settings, 3 credentials or rights, 4 not found, 5 platform failure or timeout, 6 refused for safety`]);
  return '';
}
