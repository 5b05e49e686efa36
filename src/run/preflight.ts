/**
 * Checks made before a command changes anything: the files it must write at the end can be
 * written (a preview created, then a failed write of its URL, is a failed job that made things),
 * and flags meant for another provider are said to be ignored.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { OptionSpec } from '../core/options.js';
import type { FlagValues } from '../core/settings.js';
import { commonOptions } from '../core/settings.js';
import { providerModules } from '../providers/registry.js';

/** Why `path` cannot be written (created or appended to), or undefined when it can. */
export function unwritable(path: string): string | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) return 'it is a directory';
  if (stat) {
    try {
      accessSync(path, constants.W_OK);
      return undefined;
    } catch {
      return 'it is not writable';
    }
  }
  const folder = dirname(path);
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is not a directory`;
  } catch {
    return `the folder ${folder} does not exist`;
  }
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch {
    return `the folder ${folder} is not writable`;
  }
}

export function checkOutputFiles(input: { dotenv?: string; cwd: string; env: Record<string, string | undefined>; github: boolean }): void {
  if (input.dotenv) {
    const path = resolve(input.cwd, input.dotenv);
    const why = unwritable(path);
    if (why) throw new ConfigError(`invalid settings: --dotenv ${input.dotenv}: cannot write it: ${why}`, { hint: 'create the folder first, or write the file in the job\'s working directory' });
  }
  if (input.github && input.env.GITHUB_OUTPUT) {
    const why = unwritable(input.env.GITHUB_OUTPUT);
    if (why) throw new ConfigError(`GITHUB_OUTPUT ${input.env.GITHUB_OUTPUT}: cannot write the step outputs: ${why}`, { hint: 'the runner sets GITHUB_OUTPUT; do not override it' });
  }
}

/** Flags given on the command line that only another provider reads: each gets one warning. */
export function flagsOfOtherProviders(flags: FlagValues, provider: string): string[] {
  const mine = new Set([...commonOptions, ...(providerModules.find((m) => m.id === provider)?.options ?? [])].map((o: OptionSpec) => o.flag));
  const out: string[] = [];
  for (const flag of Object.keys(flags)) {
    if (flags[flag] === undefined || mine.has(flag)) continue;
    const owners = providerModules.filter((m) => (m.options as OptionSpec[]).some((o) => o.flag === flag)).map((m) => m.id);
    if (owners.length) out.push(`--${flag} is a ${owners.join('/')} option: the ${provider} provider ignores it`);
  }
  return out;
}
