/**
 * The one compact table both forges show of a run — the GitHub PR comment and job summary, the
 * GitLab job log's end: preview, commit, state, URL, last deployed, what changed in this run.
 * One model, rendered as Markdown or as aligned text, so the two forges always say the same.
 */
import type { CommandResult } from '../commands/context.js';
import type { ListedPreview } from '../commands/list.js';
import type { PruneDecision } from '../commands/prune.js';

export interface ReportRow {
  preview: string;
  /** Short commit (12 characters), when the run deployed or found one. */
  commit?: string;
  /** `deployed`, `live`, `created`, `removed`, `already gone`, `kept`, `would deploy`… */
  state: string;
  url?: string;
  /** ISO time of the last deployment, when known. */
  lastDeployed?: string;
  /** What this run changed (or, in a dry run, would change), in words. */
  changed: string;
}

export const REPORT_COLUMNS: ReadonlyArray<[keyof ReportRow, string]> = [
  ['preview', 'Preview'],
  ['commit', 'Commit'],
  ['state', 'State'],
  ['url', 'URL'],
  ['lastDeployed', 'Last deployed'],
  ['changed', 'Changed in this run'],
];

function stateOf(result: CommandResult): string {
  const dry = result.dryRun === true;
  switch (result.command) {
    case 'stop':
      return result.deleted ? (dry ? 'would be removed' : 'removed') : 'already gone';
    case 'ensure-app':
      return result.created ? (dry ? 'would be created' : 'created') : 'exists';
    case 'set-domain':
      return result.changed ? (dry ? 'would be routed' : 'routed') : 'routed already';
    case 'status':
      return String(result.preview?.state ?? (result.preview?.lastDeployment?.state as string | undefined) ?? 'exists');
    case 'sleep':
      return result.slept ? (dry ? 'would sleep' : 'asleep') : 'asleep already';
    default:
      if (result.deployed || (dry && (result.plan ?? []).some((s) => s.startsWith('deploy ')))) return dry ? 'would deploy' : 'deployed';
      return result.commit ? 'live' : 'exists';
  }
}

function changedOf(result: CommandResult): string {
  const steps = result.plan ?? [];
  if (steps.length === 0) return 'nothing';
  return steps.length <= 3 ? steps.join('; ') : `${steps.slice(0, 3).join('; ')}; and ${steps.length - 3} more`;
}

/** The row of a single-preview command's result. `now` stands for the time of a deployment made by this run. */
export function reportRow(result: CommandResult, now: Date = new Date()): ReportRow {
  const deployedNow = result.deployed === true && result.dryRun !== true;
  const last = deployedNow ? now.toISOString() : (result.lastDeployedAt as string | undefined) ?? result.preview?.lastDeployedAt ?? result.preview?.lastDeployment?.createdAt;
  return {
    preview: result.name,
    ...(result.commit ? { commit: String(result.commit).slice(0, 12) } : {}),
    state: stateOf(result),
    ...(result.url ? { url: result.url } : {}),
    ...(last ? { lastDeployed: last.replace(/\.\d+Z$/, 'Z') } : {}),
    changed: changedOf(result),
  };
}

/** The rows of a run: one per preview it judged (`prune`), else the one preview. */
export function reportRows(result: CommandResult, now: Date = new Date()): ReportRow[] {
  if (result.command === 'list') {
    return ((result.previews as ListedPreview[] | undefined) ?? []).map((p) => ({
      preview: p.name,
      ...(p.commit ? { commit: p.commit.slice(0, 12) } : {}),
      state: p.state ?? 'unknown',
      ...(p.url ? { url: p.url } : {}),
      ...(p.lastDeployedAt ? { lastDeployed: p.lastDeployedAt.replace(/\.\d+Z$/, 'Z') } : {}),
      changed: 'nothing',
    }));
  }
  if (result.command !== 'prune') return [reportRow(result, now)];
  const decisions = (result.decisions as PruneDecision[] | undefined) ?? [];
  return decisions.map((d) => ({
    preview: d.name,
    ...(d.commit ? { commit: d.commit.slice(0, 12) } : {}),
    state: d.action,
    ...(d.url ? { url: d.url } : {}),
    ...(d.lastDeployed ? { lastDeployed: d.lastDeployed.replace(/\.\d+Z$/, 'Z') } : {}),
    changed: d.why ?? 'nothing',
  }));
}

function cell(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : value;
}

function markdownCell(key: keyof ReportRow, value: string | undefined): string {
  if (value === undefined || value === '') return '—';
  const escaped = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  if (key === 'url') return `<${escaped}>`;
  if (key === 'commit' || key === 'preview') return `\`${escaped}\``;
  return escaped;
}

export function markdownTable(rows: ReportRow[]): string {
  const head = `| ${REPORT_COLUMNS.map(([, title]) => title).join(' | ')} |`;
  const rule = `|${REPORT_COLUMNS.map(() => '---').join('|')}|`;
  const body = rows.map((row) => `| ${REPORT_COLUMNS.map(([key]) => markdownCell(key, row[key])).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** Aligned plain text, one line a row, for a job log. */
export function textTable(rows: ReportRow[]): string[] {
  const table = [REPORT_COLUMNS.map(([, title]) => title), ...rows.map((row) => REPORT_COLUMNS.map(([key]) => cell(row[key])))];
  const widths = REPORT_COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  return table.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}
