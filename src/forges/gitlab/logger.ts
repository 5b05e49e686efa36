/**
 * GitLab CI job logs: each phase in a collapsible section (GitLab shows its header and duration),
 * and sections of lines with no phase around them (the report at a job's end).
 */
import { PlainLogger } from '../../core/logger.js';

let sectionCounter = 0;

const stamp = () => Math.floor(Date.now() / 1000);

export class GitLabLogger extends PlainLogger {
  /**
   * Lines in an open section of their own, with no phase lines around them: GitLab shows the
   * title as the section's header (the report at the end of a job).
   */
  section(id: string, title: string, lines: string[]): void {
    this.sink.write(`\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${this.redactor.redact(title)}\n`);
    for (const text of lines) this.line(text);
    this.sink.write(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
  }

  override async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const id = `preview_kit_${++sectionCounter}`;
    this.sink.write(`\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${this.redactor.redact(title)}\n`);
    try {
      return await super.group(title, fn);
    } finally {
      this.sink.write(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
    }
  }
}
