/**
 * The sticky pull request comment: one per preview, found again by a hidden marker, edited in
 * place on every run and never duplicated; after `stop` it says the preview was removed.
 */
import type { GitHubApi } from './api.js';

export function commentMarker(name: string): string {
  return `<!-- preview-kit:preview=${name} -->`;
}

export interface LiveComment {
  kind: 'live';
  name: string;
  url?: string;
  commit?: string;
  commitUrl?: string;
  runUrl?: string;
}

export interface RemovedComment {
  kind: 'removed';
  name: string;
  removed: string[];
  runUrl?: string;
}

export type CommentContent = LiveComment | RemovedComment;

/** The run link changes on every run; it must not by itself cause an edit. */
const RUN_LINE = /^<sub>.*<\/sub>$/m;

function footer(runUrl: string | undefined): string {
  return `<sub>Kept up to date by preview-kit${runUrl ? ` · [last change](${runUrl})` : ''}</sub>`;
}

const removedHeading = (name: string) => `### Preview \`${name}\` removed`;

export function renderComment(content: CommentContent): string {
  const lines = [commentMarker(content.name)];
  if (content.kind === 'live') {
    const commit = content.commit ? (content.commitUrl ? `[\`${content.commit.slice(0, 7)}\`](${content.commitUrl})` : `\`${content.commit.slice(0, 7)}\``) : '—';
    lines.push(
      `### Preview \`${content.name}\` is ready`,
      '',
      '| | |',
      '|---|---|',
      `| URL | ${content.url ? `<${content.url}>` : '—'} |`,
      `| Commit | ${commit} |`,
    );
  } else {
    lines.push(
      removedHeading(content.name),
      '',
      content.removed.length ? `Torn down: ${content.removed.map((r) => `\`${r}\``).join(', ')}.` : 'Nothing was left to remove.',
    );
  }
  lines.push('', footer(content.runUrl));
  return lines.join('\n');
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
  // A repeated stop finds nothing to remove: the first "removed" notice says more, keep it.
  if (content.kind === 'removed' && content.removed.length === 0 && first.body.includes(removedHeading(content.name))) return 'unchanged';
  await api.updateComment(first.id, body);
  return 'updated';
}
