/**
 * `sleep`: the preview's compute stops, its data, domains and URL stay; `up` (or `deploy` of the
 * commit it runs) wakes it. Asleep already, or absent: nothing to do, and no mutating call.
 */
import { refOf, withPlan, type CommandContext, type CommandResult } from './context.js';

export async function sleep(ctx: CommandContext): Promise<CommandResult> {
  const ref = refOf(ctx.settings);
  const result = await ctx.context.logger.group(`sleep ${ref.name}`, () => ctx.provider.sleep(ref));
  if (!result.slept) ctx.context.logger.info(`preview ${ref.name} is asleep already, or does not exist: nothing to stop`);
  return withPlan({ command: 'sleep', name: ref.name, slept: result.slept, stopped: result.stopped }, ctx);
}
