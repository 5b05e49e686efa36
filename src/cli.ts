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
import { formatDuration, PlainLogger, type LineSink, type Logger } from './core/logger.js';
import { urlOf } from './core/naming.js';
import type { OptionSpec } from './core/options.js';
import { describeStep, Plan } from './core/plan.js';
import { Redactor } from './core/redact.js';
import { Deadline } from './core/retry.js';
import { closest, commonOptions, loadSettings, secretValues, type CommonSettings, type FlagValues, type SettingsSources } from './core/settings.js';
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

/** Own keys only: `toString` or `constructor` are no commands. */
function isCommand(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

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

/** Options that only some commands read; any other common option applies to every command. */
const ONLY_FOR: Record<string, CommandName[]> = {
  ttl: ['prune'],
  max: ['prune'],
  keep: ['prune'],
  commit: ['deploy', 'up'],
  force: ['deploy', 'up'],
  waitUrl: ['deploy', 'up'],
  healthPath: ['deploy', 'up'],
  env: ['ensure-app', 'up'],
  favourite: ['set-domain', 'up'],
  adopt: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop'],
  dryRun: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'prune'],
  timeout: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status', 'prune'],
  branch: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status'],
  pr: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status'],
};

function appliesTo(spec: OptionSpec, command: CommandName | undefined): boolean {
  return command === undefined || !(spec.key in ONLY_FOR) || ONLY_FOR[spec.key]!.includes(command);
}

const HELP_WIDTH = 34;

function helpRows(rows: ReadonlyArray<readonly [string, string]>): string[] {
  // A left column too long for the alignment gets its description on the next line.
  return rows.map(([l, r]) => (l.length + 2 < HELP_WIDTH ? `  ${l.padEnd(HELP_WIDTH - 2)}${r}` : `  ${l}\n  ${''.padEnd(HELP_WIDTH - 2)}${r}`));
}

function optionLines(specs: OptionSpec[]): string[] {
  return helpRows(
    specs
      .filter((s) => s.flag)
      .map((s) => {
        const left = `${s.short ? `-${s.short}, ` : '    '}--${s.flag}${s.type === 'boolean' ? '' : ` ${s.value ?? 'VALUE'}`}`;
        const env = s.env?.length ? ` [env ${s.env.join(', ')}]` : '';
        const def = s.defaultText ? ` (default: ${s.defaultText})` : '';
        return [left, `${s.description}${def}${env}`] as const;
      }),
  );
}

export function helpText(command?: CommandName, provider?: string): string {
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
  lines.push(
    'Options:',
    ...optionLines(commonOptions.filter((s) => appliesTo(s, command))),
    ...helpRows([
      ['-h, --help', 'show help'],
      ['-V, --version', 'print the version'],
    ]),
  );
  // With a provider chosen, only its options; `name` never talks to a platform.
  const modules = command === 'name' ? [] : providerModules.filter((m) => !provider || m.id === provider);
  for (const module of modules.length || command === 'name' ? modules : providerModules) {
    const specs = (module.options as OptionSpec[]).filter((s) => s.flag || s.env?.length);
    if (!specs.length) continue;
    lines.push('', `${module.id} (${module.description}):`, ...optionLines(specs.filter((s) => s.flag)));
    lines.push(...helpRows(specs.filter((s) => !s.flag).map((s) => [`    ${s.env!.join(', ')}`, s.description] as const)));
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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`invalid settings: ${path}: cannot be read (${code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message)})`, {
      hint: 'point --config / PREVIEW_CONFIG at a YAML file',
    });
  }
  try {
    return { path, data: parseYaml(text) ?? {} };
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    const why = (error as Error).message.split('\n')[0];
    throw new ConfigError(`invalid settings: ${path}${where}: not valid YAML: ${why}`);
  }
}

/** node:util's parse errors span several lines; the contract wants one. */
export function usageError(message: string): ConfigError {
  const ambiguous = /^Option '(--?[\w-]+)' argument is ambiguous/.exec(message);
  if (ambiguous) {
    return new ConfigError(`usage: ${ambiguous[1]} needs a value`, { hint: `a value starting with - is written ${ambiguous[1]}=-VALUE; see preview-kit --help` });
  }
  const first = message
    .replace(/\. To specify a positional.*$/s, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  return new ConfigError(`usage: ${first}`, { hint: 'see preview-kit --help' });
}

export interface Io {
  stdout: LineSink;
  stderr: LineSink;
  env: Record<string, string | undefined>;
  cwd: string;
}

function took(ms: number): string {
  return ` in ${formatDuration(ms)}`;
}

/** The human summary on stdout: what was done (or would be, in a dry run) and how long it took. */
export function resultLines(result: CommandResult, elapsedMs: number): string[] {
  const dry = result.dryRun === true;
  const removed = result.removed ?? [];
  switch (result.command) {
    case 'stop':
      if (!result.deleted) return [`${result.name}: already gone`];
      return [`${dry ? 'dry run: would remove' : 'removed'} ${result.name}: ${removed.join(', ') || 'nothing else'}${dry ? '' : took(elapsedMs)}`];
    case 'prune':
    {
      const images = (result.removedImages as string[] | undefined) ?? [];
      const imagePart = images.length ? ` and ${images.length} image(s): ${images.join(', ')}` : '';
      return [`${dry ? 'dry run: would prune' : 'pruned'} ${removed.length} preview(s)${removed.length ? `: ${removed.join(', ')}` : ''}${imagePart}${dry ? '' : took(elapsedMs)}`];
    }
    case 'status':
      return statusLines(result);
    default: {
      const short = result.commit ? String(result.commit).slice(0, 7) : '';
      const deploys = dry && (result.plan ?? []).some((step) => step.startsWith('deploy '));
      const facts = [
        result.created ? (dry ? 'would create' : 'created') : undefined,
        result.changed && !result.created ? (dry ? 'would update' : 'updated') : undefined,
        result.deployed || deploys ? `${dry ? 'would deploy' : 'deployed'} ${short}` : short ? `${short} already live` : undefined,
      ].filter(Boolean);
      if (dry && facts.length === 0) facts.push('nothing to change');
      const head = `${dry ? 'dry run: ' : ''}${result.name}${result.url ? ` ${result.url}` : ''}`;
      return [`${head}${facts.length ? ` (${facts.join(', ')})` : ''}${dry || result.command === 'name' ? '' : took(elapsedMs)}`];
    }
  }
}

function statusLines(result: CommandResult): string[] {
  const p = result.preview;
  const lines = [`${result.name}${result.url ? ` ${result.url}` : ''}`];
  if (!p) return lines;
  lines.push(`  id: ${p.id}`);
  if (p.branch !== undefined) lines.push(`  branch: ${p.branch}`);
  if (p.createdAt) lines.push(`  created: ${p.createdAt}`);
  const domains = p.domains.map((d) => `${d.host}${d.favourite ? ' (favourite)' : ''}${d.builtIn ? ' (default)' : ''}`);
  if (domains.length) lines.push(`  domains: ${domains.join(', ')}`);
  if (p.addons?.length) lines.push(`  add-ons: ${p.addons.map((a) => `${a.name} (${a.kind}${a.plan ? ` ${a.plan}` : ''})`).join(', ')}`);
  const d = p.lastDeployment;
  lines.push(`  last deployment: ${d ? `${d.state}${d.commit ? ` ${d.commit.slice(0, 7)}` : ''}${d.createdAt ? ` at ${d.createdAt}` : ''} (${d.id})` : 'none'}`);
  return lines;
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

/**
 * Flags as the library API may pass them: keyed by flag (`wait-url`) or setting (`waitUrl`),
 * `env` as an object, numbers for `pr` or `max`. Unknown keys are refused, not ignored: a typo
 * would otherwise silently change nothing.
 */
export function normaliseFlags(flags: Record<string, unknown>): FlagValues {
  const specs = allOptions();
  const out: FlagValues = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const spec = specs.find((o) => o.flag === key) ?? specs.find((o) => o.key === key);
    if (!spec) {
      if (key === 'help' || key === 'version') continue;
      const guess = closest(key, specs.flatMap((o) => [o.flag!, o.key]));
      throw new ConfigError(`usage: unknown option "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, { hint: 'see preview-kit --help' });
    }
    const flag = spec.flag!;
    if (spec.type === 'map' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[flag] = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`);
    } else if ((spec.type === 'map' || spec.type === 'list') && !Array.isArray(value)) {
      out[flag] = [String(value)];
    } else if (Array.isArray(value)) {
      out[flag] = value.map(String);
    } else if (spec.type === 'boolean') {
      out[flag] = typeof value === 'boolean' ? value : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
    } else {
      out[flag] = String(value);
    }
  }
  return out;
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
  if (ci.forge === 'github') (await import('./forges/github/index.js')).assertForkAllowed(command, io.env);
  const redactor = options.redactor ?? redactorFor(io.env);
  for (const value of secretValues(allSecretSpecs(), { flags, env: {} })) redactor.add(value);
  const cwd = io.cwd;
  // An empty variable counts as unset, as it does for every other setting.
  const configFlag = (flags.config as string | undefined) || io.env.PREVIEW_CONFIG || undefined;
  const sourceDir = resolve(cwd, (flags.source as string | undefined) || io.env.PREVIEW_SOURCE || '.');
  const file = await readSettingsFile(resolve(sourceDir, configFlag ?? '.preview.yml'), configFlag !== undefined);
  const needBranch = !ci.branch && flags.branch === undefined && flags.pr === undefined && !io.env.PREVIEW_BRANCH;
  const needApp = !ci.app && flags.app === undefined && !io.env.PREVIEW_APP;
  const detected = needBranch || needApp ? await gitFallback(sourceDir, ci, { branch: needBranch, app: needApp }) : ci;
  const sources: SettingsSources = { flags, env: io.env, file, detected };
  const loaded = loadSettings(sources, (id) => providerModule(id), { providerOptional: command === 'name', branchOptional: command === 'prune' });
  const settings = { ...loaded.common, source: sourceDir };
  const logger = options.logger ?? (await makeLogger(ci, io, redactor, settings.debug || isDebug(io.env, flags)));
  for (const secret of redactor.values()) logger.addSecret(secret);

  let result: CommandResult;
  if (command === 'name') {
    const url = settings.domains[0] ? urlOf(settings.domains[0]) : undefined;
    result = { command, name: settings.name, ...(url ? { url } : {}), domains: settings.domains };
  } else {
    const plan = new Plan(settings.dryRun, (step) => logger.info(`  ${settings.dryRun ? 'would' : '+'} ${describeStep(step)}`));
    const deadline = new Deadline(settings.timeoutMs);
    const context = { logger, deadline, plan, adopt: settings.adopt };
    const provider = providerModule(settings.provider!).create(loaded.provider, settings, context);
    const commandFn = await loadCommand(command);
    let commit: Promise<string> | undefined;
    result = await commandFn({
      settings,
      provider,
      context,
      resolveCommit: () => (commit ??= resolveCommit(sourceDir, settings.commit ?? 'HEAD')),
    });
    // Each planned step was logged as it came; an empty plan deserves a word too.
    if (settings.dryRun && plan.steps.length === 0) logger.info('dry run: nothing to change');
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
  let json = false;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: parseConfig(specs), allowPositionals: true, strict: true });
    } catch (error) {
      throw usageError((error as Error).message);
    }
    const flags = parsed.values as FlagValues;
    json = flags.json === true;
    if (flags.version) {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.ok;
    }
    const [commandWord, ...extra] = parsed.positionals;
    const command = commandWord as CommandName | undefined;
    if (command === undefined && !flags.help) {
      // A pipeline that lost its command word gets the contract's one line, not a page of help.
      throw new ConfigError('usage: no command given', { hint: `commands: ${Object.keys(COMMANDS).join(', ')}; see preview-kit --help` });
    }
    if (flags.help || command === undefined || (command as string) === 'help') {
      const target = command === undefined || (command as string) === 'help' ? (extra[0] as CommandName | undefined) : command;
      const provider = (flags.provider as string | undefined) || io.env.PREVIEW_PROVIDER || undefined;
      io.stdout.write(helpText(target && isCommand(target) ? target : undefined, provider));
      return ExitCode.ok;
    }
    if (!isCommand(command)) {
      throw new ConfigError(`usage: unknown command "${command}"`, { hint: `commands: ${Object.keys(COMMANDS).join(', ')}` });
    }
    if (extra.length) throw new ConfigError(`usage: unexpected argument "${extra[0]}"`, { hint: `see preview-kit ${command} --help` });

    const { result, settings, logger } = await execute(command, flags, io, { ci, redactor });
    await publish(ci, result, settings, startedAt, logger, io.env);
    if (json) io.stdout.write(`${redactor.redact(JSON.stringify(result))}\n`);
    else for (const line of resultLines(result, Date.now() - startedAt)) io.stdout.write(`${redactor.redact(line)}\n`);
    return ExitCode.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    // Anything but our typed errors is a bug of ours: say so, and where to look.
    const line = error instanceof PreviewError ? `preview-kit: ${describeError(error)}` : `preview-kit: unexpected error: ${describeError(error)} (run again with --debug for the stack trace, and report it)`;
    io.stderr.write(`${redactor.redact(line)}\n`);
    const stack = (error as Error | undefined)?.stack;
    if (debugWanted && stack) io.stderr.write(`${redactor.redact(stack)}\n`);
    if (json) io.stdout.write(`${redactor.redact(JSON.stringify({ error: describeError(error), exitCode: code }))}\n`);
    return code;
  }
}

/**
 * Ctrl-C or a cancelled CI job: stop at once with one line and 130/143. Every step converges on
 * a re-run (the app is found by name and tag, a deployment under way is followed), so nothing is
 * rolled back; git children die with us (execa's cleanup).
 */
function exitOnSignals(argv: string[]): void {
  const command = argv.find(isCommand) ?? 'run';
  const onSignal = (signal: NodeJS.Signals) => {
    const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
    process.stderr.write(`${clear}preview-kit: ${command}: interrupted by ${signal} (run the same command again to finish, or stop to remove what was made)\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

export async function main(argv: string[]): Promise<void> {
  exitOnSignals(argv);
  const code = await run(argv, {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
    env: process.env,
    cwd: process.cwd(),
  });
  // Let stdout drain before exiting: a pipe may still hold our JSON.
  process.exitCode = code;
}
