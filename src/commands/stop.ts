import { refOf, withPlan, type CommandContext, type CommandResult } from './context.js';

export async function stop(ctx: CommandContext): Promise<CommandResult> {
  const result = await ctx.context.logger.group(`stop ${ctx.settings.name}`, () => ctx.provider.destroy(refOf(ctx.settings)));
  if (!result.deleted) ctx.context.logger.info(`preview ${ctx.settings.name} does not exist: nothing to remove`);
  return withPlan({ command: 'stop', name: ctx.settings.name, deleted: result.deleted, removed: result.removed }, ctx);
}
