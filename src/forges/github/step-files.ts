/**
 * The runner's step files: GITHUB_OUTPUT (step outputs) and GITHUB_STEP_SUMMARY (the job page's
 * Markdown). Written from the env record we are given rather than process.env, so a test can
 * point them anywhere.
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';

/** The heredoc form the runner parses; the random delimiter cannot collide with a value. */
export function formatOutputs(outputs: Record<string, string>, delimiter = `ghadelimiter_${randomUUID()}`): string {
  return Object.entries(outputs)
    .map(([key, value]) => {
      if (value.includes(delimiter)) throw new Error(`output ${key} contains the delimiter`);
      return `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

export async function writeOutputs(env: Record<string, string | undefined>, outputs: Record<string, string>): Promise<boolean> {
  if (!env.GITHUB_OUTPUT) return false;
  await appendFile(env.GITHUB_OUTPUT, formatOutputs(outputs));
  return true;
}

export async function appendSummary(env: Record<string, string | undefined>, markdown: string): Promise<boolean> {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  await appendFile(env.GITHUB_STEP_SUMMARY, markdown);
  return true;
}
