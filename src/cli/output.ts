/**
 * What a command prints for people on stdout: one line saying what was done (or, in a dry run,
 * would be) and how long it took; `status` a few lines more.
 */
import type { CommandResult } from '../commands/context.js';
import type { ListedPreview } from '../commands/list.js';
import type { PruneDecision } from '../commands/prune.js';
import { describeIdentity } from '../core/identity.js';
import { formatDuration } from '../core/logger.js';

function took(ms: number): string {
  return ` in ${formatDuration(ms)}`;
}

/** The human summary on stdout: what was done (or would be, in a dry run) and how long it took. */
export function resultLines(result: CommandResult, elapsedMs: number): string[] {
  const dry = result.dryRun === true;
  const removed = result.removed ?? [];
  switch (result.command) {
    case 'stop':
      if (!result.deleted) return [`${result.name}: already gone`];
      return [`${dry ? 'dry run: would remove' : 'removed'} ${result.name}: ${removed.join(', ') || 'nothing else'}${dry ? '' : took(elapsedMs)}`];
    case 'prune':
      return pruneLines(result, dry, dry ? '' : took(elapsedMs));
    case 'sleep':
      if (!result.slept) return [`${result.name}: asleep already, or absent`];
      return [`${dry ? 'dry run: would put to sleep' : 'asleep'} ${result.name}: ${((result.stopped as string[] | undefined) ?? []).join(', ') || 'its compute'} stopped${dry ? '' : took(elapsedMs)}`];
    case 'status':
      return statusLines(result);
    case 'list':
      return listLines(result);
    default: {
      const short = result.commit ? String(result.commit).slice(0, 7) : '';
      const deploys = dry && (result.plan ?? []).some((step) => step.startsWith('deploy '));
      const facts = [
        result.created ? (dry ? 'would create' : 'created') : undefined,
        result.changed && !result.created ? (dry ? 'would update' : 'updated') : undefined,
        result.deployed || deploys ? `${dry ? 'would deploy' : 'deployed'} ${short}` : short ? `${short} already live` : undefined,
      ].filter(Boolean);
      if (dry && facts.length === 0) facts.push('nothing to change');
      const head = `${dry ? 'dry run: ' : ''}${result.name}${result.url ? ` ${result.url}` : ''}`;
      return [`${head}${facts.length ? ` (${facts.join(', ')})` : ''}${dry || result.command === 'name' ? '' : took(elapsedMs)}`];
    }
  }
}

function statusLines(result: CommandResult): string[] {
  const p = result.preview;
  const lines = [`${result.name}${result.url ? ` ${result.url}` : ''}`];
  if (!p) return lines;
  lines.push(`  id: ${p.id}`);
  if (p.identity) lines.push(`  preview of: ${describeIdentity(p.identity)}`);
  if (p.state) lines.push(`  state: ${p.state}`);
  if (p.lastDeployedAt) lines.push(`  last deployed: ${p.lastDeployedAt}`);
  if (p.createdAt) lines.push(`  created: ${p.createdAt}`);
  const domains = p.domains.map((d) => `${d.host}${d.favourite ? ' (favourite)' : ''}${d.builtIn ? ' (default)' : ''}`);
  if (domains.length) lines.push(`  domains: ${domains.join(', ')}`);
  if (p.addons?.length) lines.push(`  add-ons: ${p.addons.map((a) => `${a.name} (${a.kind}${a.plan ? ` ${a.plan}` : ''})`).join(', ')}`);
  const d = p.lastDeployment;
  lines.push(`  last deployment: ${d ? `${d.state}${d.commit ? ` ${d.commit.slice(0, 7)}` : ''}${d.createdAt ? ` at ${d.createdAt}` : ''} (${d.id})` : 'none'}`);
  return lines;
}

/** The first line counts what happened; then one line a preview that was removed, slept or failed. */
function pruneLines(result: CommandResult, dry: boolean, took: string): string[] {
  const count = (key: string) => ((result[key] as string[] | undefined) ?? []).length;
  const images = (result.removedImages as string[] | undefined) ?? [];
  const parts = [`${count('removed')} removed`, `${count('slept')} put to sleep`, `${count('kept')} kept`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (images.length) parts.push(`${images.length} image(s) removed`);
  const lines = [`${dry ? 'dry run: prune would leave' : 'pruned'}: ${parts.join(', ')}${took}`];
  for (const d of (result.decisions as PruneDecision[] | undefined) ?? []) {
    if (d.action !== 'kept') lines.push(`  ${d.action} ${d.name}${d.why ? `: ${d.why}` : ''}`);
  }
  return lines;
}

/** A table a preview: name, whose it is, state, commit, last deployed, URL. */
function listLines(result: CommandResult): string[] {
  const previews = (result.previews as ListedPreview[] | undefined) ?? [];
  if (previews.length === 0) return [`no preview of ${result.name}`];
  const rows = [
    ['PREVIEW', 'OF', 'STATE', 'COMMIT', 'LAST DEPLOYED', 'URL'],
    ...previews.map((p) => [p.name, describeIdentity(p.identity), p.state ?? '-', p.commit?.slice(0, 7) ?? '-', p.lastDeployedAt?.replace(/\.\d+Z$/, 'Z') ?? '-', p.url || '-']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  '));
}
