/**
 * What every command receives: validated settings, the provider, the shared context.
 */
import { ConfigError } from '../core/errors.js';
import type { CommonSettings } from '../core/settings.js';
import type { Preview, PreviewRef, PreviewSpec, Provider, ProviderContext } from '../providers/types.js';

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
  /** Set when the command reported its result but failed in part (exit 5 for a prune with failures). */
  exitCode?: number;
  /** The one line saying what failed, when `exitCode` is set. */
  failure?: string;
  [key: string]: unknown;
}

/** Which preview the settings describe. */
export function refOf(settings: CommonSettings): PreviewRef {
  if (!settings.identity || !settings.key) {
    throw new ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', { hint: 'pass --branch or --pr' });
  }
  return { name: settings.name, identity: settings.identity, key: settings.key };
}

export function specOf(settings: CommonSettings): PreviewSpec {
  return {
    ...refOf(settings),
    env: settings.env,
    domains: settings.domains,
    favourite: settings.favourite,
    healthPath: settings.healthPath,
    ...(settings.basicAuth ? { basicAuth: settings.basicAuth } : {}),
  };
}

export function withPlan(result: CommandResult, ctx: CommandContext): CommandResult {
  const plan = ctx.context.plan;
  return { ...result, plan: plan.describe(), ...(plan.dryRun ? { dryRun: true } : {}) };
}
