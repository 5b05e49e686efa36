/**
 * GitLab CI: collapsible log sections and the dotenv report that feeds `environment:url`.
 */
import { writeFile } from 'node:fs/promises';
import { PlainLogger } from '../../core/logger.js';

let sectionCounter = 0;

export class GitLabLogger extends PlainLogger {
  override async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const id = `preview_kit_${++sectionCounter}`;
    const stamp = () => Math.floor(Date.now() / 1000);
    this.sink.write(`\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${this.redactor.redact(title)}\n`);
    try {
      return await super.group(title, fn);
    } finally {
      this.sink.write(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
    }
  }
}

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

export { reportToGitLab } from './report.js';
