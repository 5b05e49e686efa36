import { NotFoundError } from '../core/errors.js';
import type { Preview } from '../providers/types.js';
import { refOf, specOf, withPlan, type CommandContext, type CommandResult } from './context.js';

/** Looks the preview up for commands that need it to exist already. */
export async function requirePreview(ctx: CommandContext, command: string): Promise<Preview> {
  const preview = await ctx.provider.find(refOf(ctx.settings));
  if (!preview) {
    throw new NotFoundError(`${command}: preview ${ctx.settings.name} does not exist`, {
      hint: 'run `preview-kit ensure-app` or `preview-kit up` first',
    });
  }
  return preview;
}

export async function setDomainStep(ctx: CommandContext, preview: Preview, options: { quiet?: boolean } = {}): Promise<{ changed: boolean; preview: Preview }> {
  if (ctx.settings.domains.length === 0) {
    // Asked for by name (not as part of `up`), saying nothing would look like a silent success.
    if (!options.quiet) ctx.context.logger.info('no domain given (--domain or PREVIEW_DOMAIN): nothing to attach; the preview keeps its default domain');
    return { changed: false, preview };
  }
  const result = await ctx.context.logger.group(`set domains ${ctx.settings.domains.join(', ')}`, () =>
    ctx.provider.setDomains(preview, specOf(ctx.settings)),
  );
  const url = ctx.settings.domains[0] ? `https://${ctx.settings.domains[0]}` : preview.url;
  return { changed: result.changed, preview: { ...preview, domains: result.domains, url } };
}

export async function setDomain(ctx: CommandContext): Promise<CommandResult> {
  const preview = await requirePreview(ctx, 'set-domain');
  const { changed, preview: updated } = await setDomainStep(ctx, preview);
  return withPlan(
    { command: 'set-domain', name: updated.name, id: updated.id, url: updated.url, changed, domains: updated.domains.map((d) => d.host) },
    ctx,
  );
}
