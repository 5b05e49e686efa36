import { ProviderError } from '../core/errors.js';
import { poll } from '../core/retry.js';
import type { DeployResult, Preview } from '../providers/types.js';
import { specOf, withPlan, type CommandContext, type CommandResult } from './context.js';
import { requirePreview } from './set-domain.js';

export async function deployStep(ctx: CommandContext, preview: Preview): Promise<DeployResult & { commit: string }> {
  const commit = await ctx.resolveCommit();
  const result = await ctx.context.logger.group(`deploy ${commit.slice(0, 7)} to ${preview.name}`, () =>
    ctx.provider.deploy(preview, specOf(ctx.settings), { dir: ctx.settings.source, commit, force: ctx.settings.force }),
  );
  // In a dry run the plan printed at the end says what would be deployed.
  if (!result.deployed && result.reason && !(ctx.context.plan.dryRun && result.reason === 'dry run')) ctx.context.logger.info(`nothing to deploy: ${result.reason}`);
  if (ctx.settings.waitUrl && !ctx.context.plan.dryRun) await waitForUrl(ctx, result.url);
  return { ...result, commit };
}

/** Polls the preview's URL until it answers with a status below 500 other than 404. */
export async function waitForUrl(ctx: CommandContext, url: string): Promise<void> {
  const target = new URL(ctx.settings.healthPath, url).toString();
  let last = 'no answer yet';
  await ctx.context.logger.group(`wait for ${target}`, () =>
    poll(
      async () => {
        try {
          const res = await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
          await res.arrayBuffer().catch(() => undefined);
          last = `HTTP ${res.status}`;
          return res.status < 500 && res.status !== 404 ? true : undefined;
        } catch (error) {
          last = ((error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message) || 'error';
          return undefined;
        }
      },
      {
        deadline: ctx.context.deadline,
        what: `${target} to answer (last: ${last})`,
        initialMs: 500,
        maxMs: 5_000,
        onWait: (elapsed) => ctx.context.logger.progress(`${target}: ${last} after ${Math.round(elapsed / 1000)}s`),
      },
    ).catch((error: unknown) => {
      throw error instanceof ProviderError ? error : new ProviderError(`${(error as Error).message} (last: ${last})`, { hint: 'check the application logs' });
    }),
  );
}

export async function deploy(ctx: CommandContext): Promise<CommandResult> {
  await ctx.resolveCommit(); // a bad --commit is a usage error, found without asking the platform
  const preview = await requirePreview(ctx, 'deploy');
  const result = await deployStep(ctx, preview);
  return withPlan({ command: 'deploy', name: preview.name, id: preview.id, url: result.url, deployed: result.deployed, commit: result.commit }, ctx);
}
