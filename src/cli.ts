/**
 * The CLI: arguments → settings → command → output and exit code. The only module that
 * calls process.exit, and the one top-level catch that turns errors into the contract's line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { CommandContext, CommandResult } from './commands/context.js';
import { ConfigError, describeError, ExitCode, exitCodeOf, PreviewError } from './core/errors.js';
import { PlainLogger, type LineSink, type Logger } from './core/logger.js';
import { urlOf } from './core/naming.js';
import type { OptionSpec } from './core/options.js';
import { Plan } from './core/plan.js';
import { Redactor } from './core/redact.js';
import { Deadline } from './core/retry.js';
import { commonOptions, loadSettings, secretValues, type CommonSettings, type FlagValues, type SettingsSources } from './core/settings.js';
import { ciInfoFromEnv, gitFallback, resolveCommit, type CiInfo } from './forges/generic/ci-env.js';
import { providerModule, providerModules } from './providers/registry.js';
import { VERSION } from './version.js';

export type CommandName = 'name' | 'ensure-app' | 'set-domain' | 'deploy' | 'up' | 'stop' | 'status' | 'prune';

const COMMANDS: Record<CommandName, string> = {
  name: 'print the preview name and URL for a branch (no network)',
  'ensure-app': 'find or create the app (and its add-ons), tagged as ours',
  'set-domain': 'attach the preview domain(s), idempotently',
  deploy: 'deploy the commit; skip when it is already live',
  up: 'ensure-app + set-domain + deploy (what most pipelines call)',
  stop: 'tear the preview down completely; no-op when already gone',
  status: 'show what exists for a preview (exit 4 when absent)',
  prune: 'remove previews whose branch is gone, older than --ttl, or over --max',
};

async function loadCommand(name: CommandName): Promise<(ctx: CommandContext) => Promise<CommandResult>> {
  switch (name) {
    case 'ensure-app':
      return (await import('./commands/ensure-app.js')).ensureApp;
    case 'set-domain':
      return (await import('./commands/set-domain.js')).setDomain;
    case 'deploy':
      return (await import('./commands/deploy.js')).deploy;
    case 'up':
      return (await import('./commands/up.js')).up;
    case 'stop':
      return (await import('./commands/stop.js')).stop;
    case 'status':
      return (await import('./commands/status.js')).status;
    case 'prune':
      return (await import('./commands/prune.js')).prune;
    case 'name':
      throw new Error('name has no provider command');
  }
}

function allOptions(): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const spec of [...commonOptions, ...providerModules.flatMap((m) => m.options as OptionSpec[])]) {
    if (spec.flag && !seen.has(spec.flag)) seen.set(spec.flag, spec);
  }
  return [...seen.values()];
}

function parseConfig(specs: OptionSpec[]): ParseArgsConfig['options'] {
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
  };
  for (const spec of specs) {
    if (!spec.flag) continue;
    options[spec.flag] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.type === 'list' || spec.type === 'map' ? { multiple: true } : {}),
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  return options;
}

function optionLines(specs: OptionSpec[]): string[] {
  const rows = specs
    .filter((s) => s.flag)
    .map((s) => {
      const left = `${s.short ? `-${s.short}, ` : '    '}--${s.flag}${s.type === 'boolean' ? '' : ` ${s.value ?? 'VALUE'}`}`;
      const env = s.env?.length ? ` [env ${s.env.join(', ')}]` : '';
      const def = s.defaultText ? ` (default: ${s.defaultText})` : '';
      return [left, `${s.description}${def}${env}`] as const;
    });
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`);
}

export function helpText(command?: CommandName): string {
  const lines: string[] = [];
  if (command) {
    lines.push(`Usage: preview-kit ${command} [options]`, '', `${COMMANDS[command]}.`, '');
  } else {
    lines.push(
      'Usage: preview-kit <command> [options]',
      '',
      'One preview environment per branch: created, updated and removed in one reliable step.',
      '',
      'Commands:',
      ...Object.entries(COMMANDS).map(([n, d]) => `  ${n.padEnd(12)}${d}`),
      '',
    );
  }
  lines.push('Options:', ...optionLines(commonOptions), '  -h, --help                        show help', '  -V, --version                     print the version');
  for (const module of providerModules) {
    const specs = (module.options as OptionSpec[]).filter((s) => s.flag || s.env?.length);
    if (!specs.length) continue;
    lines.push('', `${module.id} (${module.description}):`, ...optionLines(specs.filter((s) => s.flag)));
    const envOnly = specs.filter((s) => !s.flag);
    for (const s of envOnly) lines.push(`    ${s.env!.join(', ')}`.padEnd(38) + s.description);
  }
  lines.push(
    '',
    'Settings come from flags, then environment variables, then .preview.yml.',
    'Exit codes: 0 ok, 2 usage/config, 3 auth, 4 not found (status), 5 provider failure or timeout, 6 refused for safety.',
  );
  return `${lines.join('\n')}\n`;
}

async function readSettingsFile(path: string, explicit: boolean): Promise<SettingsSources['file']> {
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`invalid settings: --config: ${path} does not exist`);
    return undefined;
  }
  const text = await readFile(path, 'utf8');
  try {
    return { path, data: parseYaml(text) ?? {} };
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    const why = (error as Error).message.split('\n')[0];
    throw new ConfigError(`invalid settings: ${path}${where}: not valid YAML: ${why}`);
  }
}

export interface Io {
  stdout: LineSink;
  stderr: LineSink;
  env: Record<string, string | undefined>;
  cwd: string;
}

function resultLines(result: CommandResult): string[] {
  switch (result.command) {
    case 'stop':
      return result.deleted ? [`removed ${result.name}: ${result.removed?.join(', ') || 'nothing else'}`] : [`${result.name}: already gone`];
    case 'prune':
      return [`pruned ${(result.removed as string[]).length} preview(s)${(result.removed as string[]).length ? `: ${(result.removed as string[]).join(', ')}` : ''}`];
    default: {
      const facts = [
        result.created ? 'created' : undefined,
        result.changed && !result.created ? 'updated' : undefined,
        result.deployed ? `deployed ${String(result.commit).slice(0, 7)}` : result.commit ? `${String(result.commit).slice(0, 7)} already live` : undefined,
      ].filter(Boolean);
      return [`${result.name}${result.url ? ` ${result.url}` : ''}${facts.length ? ` (${facts.join(', ')})` : ''}`];
    }
  }
}

async function makeLogger(ci: CiInfo, io: Pick<Io, 'stderr'>, redactor: Redactor, debug: boolean): Promise<Logger> {
  const options = { redactor, sink: io.stderr, debug };
  if (ci.forge === 'github') return new (await import('./forges/github/index.js')).GitHubLogger(options);
  if (ci.forge === 'gitlab') return new (await import('./forges/gitlab/index.js')).GitLabLogger(options);
  return new PlainLogger(options);
}

async function publish(ci: CiInfo, result: CommandResult, settings: CommonSettings, startedAt: number, logger: Logger, env: Io['env']): Promise<void> {
  const values = { PREVIEW_NAME: result.name, PREVIEW_URL: result.url, PREVIEW_ID: result.id };
  if (settings.dotenv) await (await import('./forges/gitlab/index.js')).writeDotenv(settings.dotenv, values);
  // Outputs, step summary, sticky PR comment and deployment; a GitHub API failure is one warning, never an error.
  if (ci.forge === 'github') await (await import('./forges/github/index.js')).reportToGitHub({ result, settings, env, logger, startedAt });
}

function allSecretSpecs(): OptionSpec[] {
  return [...commonOptions, ...providerModules.flatMap((m) => m.options as OptionSpec[])].filter((s) => s.secret);
}

/** A redactor that already knows every secret the environment holds for any provider. */
function redactorFor(env: Record<string, string | undefined>): Redactor {
  const redactor = new Redactor();
  for (const value of secretValues(allSecretSpecs(), { flags: {}, env })) redactor.add(value);
  return redactor;
}

function isDebug(env: Record<string, string | undefined>, flags: FlagValues): boolean {
  return flags.debug === true || env.RUNNER_DEBUG === '1' || env.PREVIEW_DEBUG === 'true' || env.PREVIEW_DEBUG === '1';
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
  const ci = options.ci ?? ciInfoFromEnv(io.env);
  if (ci.forge === 'github') (await import('./forges/github/index.js')).assertForkAllowed(command, io.env);
  const redactor = options.redactor ?? redactorFor(io.env);
  for (const value of secretValues(allSecretSpecs(), { flags, env: {} })) redactor.add(value);
  const cwd = io.cwd;
  const configFlag = (flags.config as string | undefined) ?? io.env.PREVIEW_CONFIG;
  const sourceDir = resolve(cwd, (flags.source as string | undefined) ?? io.env.PREVIEW_SOURCE ?? '.');
  const file = await readSettingsFile(resolve(sourceDir, configFlag ?? '.preview.yml'), configFlag !== undefined);
  const needBranch = !ci.branch && flags.branch === undefined && flags.pr === undefined && !io.env.PREVIEW_BRANCH;
  const needApp = !ci.app && flags.app === undefined && !io.env.PREVIEW_APP;
  const detected = needBranch || needApp ? await gitFallback(sourceDir, ci, { branch: needBranch, app: needApp }) : ci;
  const sources: SettingsSources = { flags, env: io.env, file, detected };
  const loaded = loadSettings(sources, (id) => providerModule(id), { providerOptional: command === 'name' });
  const settings = { ...loaded.common, source: sourceDir };
  const logger = options.logger ?? (await makeLogger(ci, io, redactor, settings.debug || isDebug(io.env, flags)));
  for (const secret of redactor.values()) logger.addSecret(secret);

  let result: CommandResult;
  if (command === 'name') {
    const url = settings.domains[0] ? urlOf(settings.domains[0]) : undefined;
    result = { command, name: settings.name, ...(url ? { url } : {}), domains: settings.domains };
  } else {
    const plan = new Plan(settings.dryRun);
    const deadline = new Deadline(settings.timeoutMs);
    const context = { logger, deadline, plan, adopt: settings.adopt };
    const provider = providerModule(settings.provider!).create(loaded.provider, settings, context);
    const commandFn = await loadCommand(command);
    result = await commandFn({
      settings,
      provider,
      context,
      resolveCommit: () => resolveCommit(sourceDir, settings.commit ?? 'HEAD'),
    });
    if (settings.dryRun) {
      logger.info(plan.steps.length ? `dry run: would ${plan.describe().join('; ')}` : 'dry run: nothing to change');
    }
  }
  return { result, settings, logger };
}

/** Runs the CLI and returns the exit code (the caller exits). */
export async function run(argv: string[], io: Io): Promise<number> {
  const startedAt = Date.now();
  const redactor = redactorFor(io.env);
  const specs = allOptions();
  const debugWanted = isDebug(io.env, { debug: argv.includes('--debug') });
  const ci = ciInfoFromEnv(io.env);
  let logger: Logger = new PlainLogger({ redactor, sink: io.stderr, debug: debugWanted });
  let json = false;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: parseConfig(specs), allowPositionals: true, strict: true });
    } catch (error) {
      throw new ConfigError(`usage: ${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}`, { hint: 'see preview-kit --help' });
    }
    const flags = parsed.values as FlagValues;
    json = flags.json === true;
    if (flags.version) {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    const [commandWord, ...extra] = parsed.positionals;
    const command = commandWord as CommandName | undefined;
    if (flags.help || command === undefined || (command as string) === 'help') {
      const target = command === undefined || (command as string) === 'help' ? (extra[0] as CommandName | undefined) : command;
      io.stdout.write(helpText(target && target in COMMANDS ? target : undefined));
      return command === undefined && !flags.help ? ExitCode.usage : ExitCode.ok;
    }
    if (!(command in COMMANDS)) {
      throw new ConfigError(`usage: unknown command "${command}"`, { hint: `commands: ${Object.keys(COMMANDS).join(', ')}` });
    }
    if (extra.length) throw new ConfigError(`usage: unexpected argument "${extra[0]}"`, { hint: `see preview-kit ${command} --help` });

    const { result, settings, logger: used } = await execute(command, flags, io, { ci, redactor });
    logger = used;
    await publish(ci, result, settings, startedAt, logger, io.env);
    if (json) io.stdout.write(`${redactor.redact(JSON.stringify(result))}\n`);
    else for (const line of resultLines(result)) io.stdout.write(`${redactor.redact(line)}\n`);
    return ExitCode.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    const line = `preview-kit: ${describeError(error)}`;
    io.stderr.write(`${redactor.redact(line)}\n`);
    if (logger && (debugWanted || (error instanceof PreviewError ? false : true))) {
      const stack = (error as Error)?.stack;
      if (stack && debugWanted) io.stderr.write(`${redactor.redact(stack)}\n`);
    }
    if (json) io.stdout.write(`${redactor.redact(JSON.stringify({ error: describeError(error), exitCode: code }))}\n`);
    return code;
  }
}

export async function main(argv: string[]): Promise<void> {
  const code = await run(argv, {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    cwd: process.cwd(),
  });
  // Let stdout drain before exiting: a pipe may still hold our JSON.
  process.exitCode = code;
}
