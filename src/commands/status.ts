import { NotFoundError } from '../core/errors.js';
import { refOf, type CommandContext, type CommandResult } from './context.js';

export async function status(ctx: CommandContext): Promise<CommandResult> {
  const preview = await ctx.provider.find(refOf(ctx.settings));
  if (!preview) {
    throw new NotFoundError(`status: preview ${ctx.settings.name} does not exist`, { hint: 'run `preview-kit up` to create it' });
  }
  return { command: 'status', name: preview.name, id: preview.id, url: preview.url, exists: true, preview };
}
