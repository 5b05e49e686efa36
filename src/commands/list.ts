/**
 * `list`: the previews of the project (or, with `--all`, every preview of ours on the target), each
 * with the identity recorded on it. Read from one listing of the provider; never judged by name.
 */
import type { PreviewIdentity } from '../core/identity.js';
import type { Preview } from '../providers/types.js';
import type { CommandContext, CommandResult } from './context.js';
import { previewsOfProject } from './prune.js';

export interface ListedPreview {
  name: string;
  id: string;
  url: string;
  identity: PreviewIdentity;
  createdAt?: string;
  lastDeployedAt?: string;
  state?: string;
  commit?: string;
}

export function listed(preview: Preview & { identity: PreviewIdentity }): ListedPreview {
  const d = preview.lastDeployment;
  return {
    name: preview.name,
    id: preview.id,
    url: preview.url,
    identity: preview.identity,
    ...(preview.createdAt ? { createdAt: preview.createdAt } : {}),
    ...(preview.lastDeployedAt ?? d?.createdAt ? { lastDeployedAt: preview.lastDeployedAt ?? d?.createdAt } : {}),
    ...(preview.state ? { state: preview.state } : {}),
    ...(d?.commit ? { commit: d.commit } : {}),
  };
}

export async function list(ctx: CommandContext): Promise<CommandResult> {
  const s = ctx.settings;
  const ours = (await ctx.provider.list()).filter((p): p is Preview & { identity: PreviewIdentity } => p.identity !== undefined);
  const chosen = s.all ? ours : (previewsOfProject(ours, s.app, s.prefix) as Array<Preview & { identity: PreviewIdentity }>);
  const previews = chosen.map(listed).sort((a, b) => a.name.localeCompare(b.name));
  return { command: 'list', name: s.all ? '(all projects)' : s.app, previews };
}
