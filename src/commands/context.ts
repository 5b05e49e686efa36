/**
 * What every command receives: validated settings, the provider, the shared context.
 */
import type { CommonSettings } from '../core/settings.js';
import type { Preview, PreviewSpec, Provider, ProviderContext } from '../providers/types.js';

export interface CommandContext {
  settings: CommonSettings;
  provider: Provider;
  context: ProviderContext;
  /** Resolves the commit to deploy to a full SHA (git at the edge); asks git once per run. */
  resolveCommit: () => Promise<string>;
}

/** The result every command returns; the CLI prints it (text or `--json`) and forges publish it. */
export interface CommandResult {
  command: string;
  name: string;
  id?: string;
  url?: string;
  created?: boolean;
  changed?: boolean;
  deployed?: boolean;
  commit?: string;
  deleted?: boolean;
  removed?: string[];
  exists?: boolean;
  preview?: Preview;
  /** What was done (or, in a dry run, would be done). */
  plan?: string[];
  dryRun?: boolean;
  [key: string]: unknown;
}

export function specOf(settings: CommonSettings): PreviewSpec {
  return {
    name: settings.name,
    app: settings.app,
    branch: settings.branch,
    pr: settings.pr,
    env: settings.env,
    domains: settings.domains,
    favourite: settings.favourite,
  };
}

export function withPlan(result: CommandResult, ctx: CommandContext): CommandResult {
  const plan = ctx.context.plan;
  return { ...result, plan: plan.describe(), ...(plan.dryRun ? { dryRun: true } : {}) };
}
