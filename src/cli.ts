/**
 * The CLI: arguments → command → output and exit code. The only module that calls process.exit
 * (through `process.exitCode`), and the one top-level catch that turns errors into the contract's
 * line. Help, output and the settings edge live in `cli/` and `run/`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, describeError, ExitCode, exitCodeOf, PreviewError } from './core/errors.js';
import type { OptionSpec } from './core/options.js';
import type { FlagValues } from './core/settings.js';
import { helpText } from './cli/help.js';
import { resultLines } from './cli/output.js';
import { failureReport } from './forges/failure.js';
import { ciInfoFromEnv } from './forges/generic/ci-env.js';
import { COMMANDS, isCommand, type CommandName } from './run/commands.js';
import { signalDescendants } from './run/descendants.js';
import { allOptions, isDebug, redactorFor } from './run/edge.js';
import { execute, publish, type Io } from './run/execute.js';
import { VERSION } from './version.js';

export type { CommandName } from './run/commands.js';

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
    // A command that did most of its work and reported it can still fail (prune: one removal of many).
    if (result.exitCode !== undefined && result.exitCode !== ExitCode.ok) {
      const reason = redactor.redact(String(result.failure ?? `${result.command} failed`));
      io.stderr.write(`preview-kit: ${reason}\n`);
      io.stderr.write(failureReport(ci.forge, commandOf(argv), reason, result.exitCode as number));
      return result.exitCode as number;
    }
    return ExitCode.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    // Anything but our typed errors is a bug of ours: say so, and where to look.
    const line = error instanceof PreviewError ? `preview-kit: ${describeError(error)}` : `preview-kit: unexpected error: ${describeError(error)} (run again with --debug for the stack trace, and report it)`;
    io.stderr.write(`${redactor.redact(line)}\n`);
    const stack = (error as Error | undefined)?.stack;
    if (debugWanted && stack) io.stderr.write(`${redactor.redact(stack)}\n`);
    // Where people look: the run page's annotations on GitHub, the end of the job log on GitLab.
    const reason = redactor.redact(line.replace(/^preview-kit: /, ''));
    io.stderr.write(failureReport(ci.forge, commandOf(argv), reason, code));
    if (json) io.stdout.write(`${redactor.redact(JSON.stringify({ error: describeError(error), exitCode: code }))}\n`);
    return code;
  }
}

/**
 * Ctrl-C or a cancelled CI job: stop at once with one line and 130/143. Every step converges on
 * a re-run (the app is found by name and identity, a deployment under way is followed), so nothing
 * is rolled back. Every process we started ends with us, grandchildren included (a push's
 * `git-remote-http`), so nothing keeps working for a job that is gone.
 */
/** The command word of argv, for messages: `up`, or `run` when there is none. */
function commandOf(argv: string[]): string {
  return argv.find(isCommand) ?? 'run';
}

function exitOnSignals(argv: string[]): void {
  const command = commandOf(argv);
  const onSignal = (signal: NodeJS.Signals) => {
    signalDescendants('SIGTERM');
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
