/**
 * What a command leaves at the end of a GitLab job log: the same compact table the GitHub PR
 * comment and job summary show (report-table.ts), in an open section whose header names the run,
 * right before the job's end (or, when the command failed, the failure section instead).
 */
import type { CommandResult } from '../../commands/context.js';
import type { Logger } from '../../core/logger.js';
import { reportRows, textTable } from '../report-table.js';
import { GitLabLogger } from './logger.js';

export async function reportToGitLab(input: { result: CommandResult; logger: Logger; now?: Date }): Promise<void> {
  const rows = reportRows(input.result, input.now);
  if (rows.length === 0) return;
  const title = `preview-kit ${input.result.command}: ${input.result.name}`;
  const lines = textTable(rows);
  if (input.logger instanceof GitLabLogger) input.logger.section('preview_kit_report', title, lines);
  else await input.logger.group(title, async () => lines.forEach((line) => input.logger.info(line)));
}
