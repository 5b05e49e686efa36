/**
 * GitLab CI: the job log's sections (logger.ts), the report table at its end (report.ts), and the
 * dotenv report that feeds `environment:url`.
 */
import { writeFile } from 'node:fs/promises';

function dotenvValue(value: string): string {
  // GitLab's dotenv parser takes the raw value; newlines are not allowed.
  return value.replace(/[\r\n]/g, ' ');
}

export async function writeDotenv(path: string, values: Record<string, string | undefined>): Promise<void> {
  const lines = Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([k, v]) => `${k}=${dotenvValue(v)}`);
  await writeFile(path, `${lines.join('\n')}\n`);
}

export { GitLabLogger } from './logger.js';
export { reportToGitLab } from './report.js';
