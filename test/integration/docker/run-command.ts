/**
 * Runs one preview-kit command in-process the way the CLI does (settings loader, plan, deadline,
 * provider, command), for the Docker provider. No vitest imports: bench/docker.ts uses it too.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CommandContext, CommandResult } from '../../../src/commands/context.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { loadSettings, type FlagValues } from '../../../src/core/settings.js';
import { dockerModule } from '../../../src/providers/docker/module.js';
import { DockerProvider, type DockerProviderInternals } from '../../../src/providers/docker/provider.js';
import type { DockerSettings } from '../../../src/providers/docker/settings.js';
import type { DockerServices } from './services.js';

export interface RepoRef {
  dir: string;
  commits: string[];
}

export type CommandName = 'up' | 'stop' | 'status' | 'ensure-app' | 'deploy' | 'set-domain' | 'prune' | 'sleep' | 'list';

export interface RunOptions {
  services: DockerServices;
  repo: RepoRef;
  app: string;
  branch: string;
  /** Commit to deploy; default: the repo's HEAD. */
  commit?: string;
  flags?: FlagValues;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Test seams of the provider (a fake `ssh`). */
  internals?: DockerProviderInternals;
}

export interface RunOutcome {
  result: CommandResult;
  provider: DockerProvider;
  logs: string[];
  settings: DockerSettings;
}

async function commandFn(name: CommandName): Promise<(ctx: CommandContext) => Promise<CommandResult>> {
  switch (name) {
    case 'up':
      return (await import('../../../src/commands/up.js')).up;
    case 'stop':
      return (await import('../../../src/commands/stop.js')).stop;
    case 'status':
      return (await import('../../../src/commands/status.js')).status;
    case 'ensure-app':
      return (await import('../../../src/commands/ensure-app.js')).ensureApp;
    case 'deploy':
      return (await import('../../../src/commands/deploy.js')).deploy;
    case 'set-domain':
      return (await import('../../../src/commands/set-domain.js')).setDomain;
    case 'prune':
      return (await import('../../../src/commands/prune.js')).prune;
    case 'sleep':
      return (await import('../../../src/commands/sleep.js')).sleep;
    case 'list':
      return (await import('../../../src/commands/list.js')).list;
  }
}

/** Runs one command the way the CLI does: settings loader, plan, deadline, provider, command. */
export async function runCommand(name: CommandName, options: RunOptions): Promise<RunOutcome> {
  const logs: string[] = [];
  const text = await readFile(join(options.repo.dir, '.preview.yml'), 'utf8').catch(() => undefined);
  const env = { DOCKER_HOST: options.services.dockerHost, CADDY_ADMIN: options.services.caddyAdmin, ...options.env };
  const loaded = loadSettings<DockerSettings>(
    {
      flags: { provider: 'docker', app: options.app, branch: options.branch, ...options.flags },
      env,
      ...(text !== undefined ? { file: { path: '.preview.yml', data: parseYaml(text) ?? {} } } : {}),
      detected: {},
    },
    { ids: ['docker'], pick: () => dockerModule },
  );
  const common = { ...loaded.common, source: options.repo.dir };
  const redactor = new Redactor();
  const logger = new PlainLogger({ redactor, sink: { write: (t) => void logs.push(...t.split('\n').filter(Boolean)) }, debug: false });
  const context = { logger, deadline: new Deadline(options.timeoutMs ?? 60_000), plan: new Plan(common.dryRun), adopt: common.adopt };
  const provider = options.internals ? new DockerProvider(loaded.provider!, context, options.internals) : ((await dockerModule.create(loaded.provider!, context)) as DockerProvider);
  const commit = options.commit ?? options.repo.commits[options.repo.commits.length - 1]!;
  const fn = await commandFn(name);
  try {
    const result = await fn({ settings: common, provider, context, resolveCommit: async () => commit });
    return { result, provider, logs, settings: loaded.provider! };
  } catch (error) {
    // What the run did before it failed: its log, and its provider's request counts.
    Object.assign(error as object, { logs, provider });
    throw error;
  }
}

