/**
 * Running one command: flags → settings → provider → command → result. Shared by the CLI and the
 * library API (which must not load the CLI's parser and help).
 */
import { resolve } from 'node:path';
import type { CommandResult } from '../commands/context.js';
import type { LineSink, Logger } from '../core/logger.js';
import { PlainLogger } from '../core/logger.js';
import { urlOf } from '../core/naming.js';
import { describeStep, Plan } from '../core/plan.js';
import type { Redactor } from '../core/redact.js';
import { Deadline } from '../core/retry.js';
import { loadSettings, secretValues, type CommonSettings, type FlagValues, type SettingsSources } from '../core/settings.js';
import { changeOfEvent, ciInfoFromEnv, gitFallback, resolveCommit, type CiInfo } from '../forges/generic/ci-env.js';
import { ConfigError } from '../core/errors.js';
import { providerChoice, providerModule, providerModules } from '../providers/registry.js';
import { childEnvFrom } from './child-env.js';
import { loadCommand, type CommandName } from './commands.js';
import { checkOutputFiles, flagsOfOtherProviders } from './preflight.js';
import { allSecretSpecs, isDebug, normaliseFlags, overlaySettings, readSettingsFile, redactorFor } from './edge.js';

export interface Io {
  stdout: LineSink;
  stderr: LineSink;
  env: Record<string, string | undefined>;
  cwd: string;
}

async function makeLogger(ci: CiInfo, io: Pick<Io, 'stderr'>, redactor: Redactor, debug: boolean): Promise<Logger> {
  const options = { redactor, sink: io.stderr, debug };
  if (ci.forge === 'github') return new (await import('../forges/github/index.js')).GitHubLogger(options);
  if (ci.forge === 'gitlab') return new (await import('../forges/gitlab/index.js')).GitLabLogger(options);
  return new PlainLogger(options);
}

export async function publish(ci: CiInfo, result: CommandResult, settings: CommonSettings, startedAt: number, logger: Logger, env: Io['env']): Promise<void> {
  const values = { PREVIEW_NAME: result.name, PREVIEW_URL: result.url, PREVIEW_ID: result.id };
  if (settings.dotenv) await (await import('../forges/gitlab/index.js')).writeDotenv(settings.dotenv, values);
  // Outputs, step summary, sticky PR comment and deployment; a GitHub API failure is one warning, never an error.
  if (ci.forge === 'github') await (await import('../forges/github/index.js')).reportToGitHub({ result, settings, env, logger, startedAt });
  // The end of the job log shows the same table as GitHub's comment and summary.
  if (ci.forge === 'gitlab' && result.command !== 'name') await (await import('../forges/gitlab/index.js')).reportToGitLab({ result, logger });
}

export interface ExecuteOptions {
  ci?: CiInfo;
  redactor?: Redactor;
  /** Library callers may bring their own logger. */
  logger?: Logger;
}

/** Runs one command from parsed flags; throws PreviewError on failure. Shared by the CLI and the library API. */
export async function execute(
  command: CommandName,
  flags: FlagValues,
  io: Pick<Io, 'env' | 'cwd' | 'stderr'>,
  options: ExecuteOptions = {},
): Promise<{ result: CommandResult; settings: CommonSettings; logger: Logger }> {
  flags = normaliseFlags(flags);
  const ci = options.ci ?? ciInfoFromEnv(io.env);
  if (ci.forge === 'github') (await import('../forges/github/index.js')).assertForkAllowed(command, io.env);
  const redactor = options.redactor ?? redactorFor(io.env);
  for (const value of secretValues(allSecretSpecs(), { flags, env: {} })) redactor.add(value);
  const cwd = io.cwd;
  // An empty variable counts as unset, as it does for every other setting.
  const configFlag = (flags.config as string | undefined) || io.env.PREVIEW_CONFIG || undefined;
  const sourceDir = resolve(cwd, (flags.source as string | undefined) || io.env.PREVIEW_SOURCE || '.');
  const settingsText = (flags.settings as string | undefined) || io.env.PREVIEW_SETTINGS || undefined;
  const file = overlaySettings(await readSettingsFile(resolve(sourceDir, configFlag ?? '.preview.yml'), configFlag !== undefined), settingsText);
  const needBranch = !ci.branch && flags.branch === undefined && flags.pr === undefined && !io.env.PREVIEW_BRANCH;
  const needApp = !ci.app && flags.app === undefined && !io.env.PREVIEW_APP;
  const childEnv = childEnvFrom(io.env);
  const found = needBranch || needApp ? await gitFallback(sourceDir, ci, { branch: needBranch, app: needApp }, childEnv) : ci;
  const detected = { ...found, ...changeOfEvent(io.env) };
  const sources: SettingsSources = { flags, env: io.env, file, detected };
  const loaded = loadSettings(sources, providerChoice, { providerOptional: command === 'name', branchOptional: command === 'prune' || command === 'list' });
  const settings = { ...loaded.common, source: sourceDir };
  const logger = options.logger ?? (await makeLogger(ci, io, redactor, settings.debug || isDebug(io.env, flags)));
  for (const secret of redactor.values()) logger.addSecret(secret);
  if (command !== 'name') {
    for (const warning of flagsOfOtherProviders(flags, settings.provider)) logger.warn(warning);
  }
  checkOutputFiles({ dotenv: settings.dotenv, cwd, env: io.env, github: ci.forge === 'github' });
  if (settings.dotenv) settings.dotenv = resolve(cwd, settings.dotenv);

  let result: CommandResult;
  if (command === 'name') {
    const url = settings.domains[0] ? urlOf(settings.domains[0]) : undefined;
    result = { command, name: settings.name, ...(url ? { url } : {}), domains: settings.domains };
  } else {
    const plan = new Plan(settings.dryRun, (step) => logger.info(`  ${settings.dryRun ? 'would' : '+'} ${describeStep(step)}`));
    const deadline = new Deadline(settings.timeoutMs);
    const context = { logger, deadline, plan, adopt: settings.adopt, childEnv };
    const module = providerModule(settings.provider!);
    if (settings.basicAuth && !module.capabilities.basicAuth) {
      const able = providerModules.filter((m) => m.capabilities.basicAuth).map((m) => m.id);
      throw new ConfigError(`invalid settings: --basic-auth / PREVIEW_BASIC_AUTH: the ${module.id} provider cannot put a preview behind basic auth`, {
        hint: `providers that can: ${able.join(', ')}; or protect the preview in the application itself`,
      });
    }
    const provider = await module.create(loaded.provider, context);
    const commandFn = await loadCommand(command);
    let commit: Promise<string> | undefined;
    result = await commandFn({
      settings,
      provider,
      context,
      resolveCommit: () => (commit ??= resolveCommit(sourceDir, settings.commit ?? 'HEAD', childEnv)),
    });
    // Each planned step was logged as it came; an empty plan deserves a word too.
    if (settings.dryRun && plan.steps.length === 0) logger.info('dry run: nothing to change');
  }
  return { result, settings, logger };
}
