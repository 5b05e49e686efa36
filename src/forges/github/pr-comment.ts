/**
 * The sticky pull request comment: one per preview, found again by a hidden marker, edited in
 * place and never duplicated. It shows the same compact table as the job summary and the GitLab
 * job log (report-table.ts); after `stop` it says the preview was removed.
 */
import { markdownTable, type ReportRow } from '../report-table.js';
import type { GitHubApi } from './api.js';

export function commentMarker(name: string): string {
  return `<!-- preview-kit:preview=${name} -->`;
}

export interface CommentContent {
  /** `live` after up/deploy, `removed` after stop. */
  kind: 'live' | 'removed';
  name: string;
  rows: ReportRow[];
  /**
   * The run changed nothing (a re-run, a repeated stop). The comment then keeps describing the
   * last run that did change something, and no edit is made.
   */
  quiet?: boolean;
  runUrl?: string;
}

/** The run link changes on every run; it must not by itself cause an edit. */
const RUN_LINE = /^<sub>.*<\/sub>$/m;

function footer(runUrl: string | undefined): string {
  return `<sub>Kept up to date by preview-kit${runUrl ? ` · [last change](${runUrl})` : ''}</sub>`;
}

const heading = (content: Pick<CommentContent, 'kind' | 'name'>) => `### Preview \`${content.name}\` ${content.kind === 'live' ? 'is ready' : 'removed'}`;

export function renderComment(content: CommentContent): string {
  return [commentMarker(content.name), heading(content), '', markdownTable(content.rows), '', footer(content.runUrl)].join('\n');
}

const comparable = (body: string) => body.replace(RUN_LINE, '').trimEnd();

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/**
 * Creates or edits the preview's comment. Duplicates left by concurrent runs are removed,
 * keeping the oldest, so readers always find one comment in the same place.
 */
export async function upsertComment(api: GitHubApi, issue: number, content: CommentContent): Promise<CommentOutcome> {
  const marker = commentMarker(content.name);
  const ours = (await api.listComments(issue)).filter((c) => c.body.startsWith(marker)).sort((a, b) => a.id - b.id);
  const body = renderComment(content);
  const [first, ...duplicates] = ours;
  for (const duplicate of duplicates) await api.deleteComment(duplicate.id);
  if (!first) {
    // A preview that never had a comment needs no "removed" notice.
    if (content.kind === 'removed') return 'skipped';
    await api.createComment(issue, body);
    return 'created';
  }
  if (comparable(first.body) === comparable(body)) return 'unchanged';
  // Nothing happened in this run, and the comment already says what the preview is: keep it.
  const saysSameKind = first.body.includes(heading(content));
  if (content.quiet && saysSameKind) return 'unchanged';
  await api.updateComment(first.id, body);
  return 'updated';
}
