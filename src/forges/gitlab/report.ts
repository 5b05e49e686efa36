/**
 * What a command leaves at the end of a GitLab job log: the same compact table the GitHub PR
 * comment and job summary show (report-table.ts), in a section of its own.
 */
import type { CommandResult } from '../../commands/context.js';
import type { Logger } from '../../core/logger.js';
import { reportRows, textTable } from '../report-table.js';

export async function reportToGitLab(input: { result: CommandResult; logger: Logger; now?: Date }): Promise<void> {
  const rows = reportRows(input.result, input.now);
  if (rows.length === 0) return;
  await input.logger.group(`preview-kit ${input.result.command}: ${input.result.name}`, async () => {
    for (const line of textTable(rows)) input.logger.info(line);
  });
}
