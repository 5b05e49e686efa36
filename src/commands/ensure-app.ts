import type { Preview } from '../providers/types.js';
import { specOf, withPlan, type CommandContext, type CommandResult } from './context.js';

export async function ensureAppStep(ctx: CommandContext): Promise<{ preview: Preview; created: boolean; changed: boolean }> {
  return ctx.context.logger.group(`ensure app ${ctx.settings.name}`, () => ctx.provider.ensure(specOf(ctx.settings)));
}

export async function ensureApp(ctx: CommandContext): Promise<CommandResult> {
  const { preview, created, changed } = await ensureAppStep(ctx);
  return withPlan({ command: 'ensure-app', name: preview.name, id: preview.id, url: preview.url, created, changed }, ctx);
}
