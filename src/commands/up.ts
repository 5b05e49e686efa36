import { withPlan, type CommandContext, type CommandResult } from './context.js';
import { enforceCap } from './fleet-cap.js';
import { deployStep } from './deploy.js';
import { ensureAppStep } from './ensure-app.js';
import { setDomainStep } from './set-domain.js';

/** ensure-app + set-domain + deploy in one process, sharing what each step learnt. */
export async function up(ctx: CommandContext): Promise<CommandResult> {
  // An unknown --commit or a directory that is no checkout must fail before the app is created.
  await ctx.resolveCommit();
  const evicted = await enforceCap(ctx);
  const ensured = await ensureAppStep(ctx);
  const domains = await setDomainStep(ctx, ensured.preview, { quiet: true });
  const deployed = await deployStep(ctx, domains.preview);
  return withPlan(
    {
      command: 'up',
      name: ensured.preview.name,
      id: ensured.preview.id,
      url: deployed.url || domains.preview.url,
      created: ensured.created,
      changed: ensured.changed || domains.changed,
      deployed: deployed.deployed,
      commit: deployed.commit,
      ...(evicted ? { evicted } : {}),
    },
    ctx,
  );
}
