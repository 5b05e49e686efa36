/**
 * `--help`: the commands, the options that apply to one command, and only the chosen provider's
 * options when one is chosen — read from the same option tables as the parser and the settings.
 */
import type { OptionSpec } from '../core/options.js';
import { commonOptions } from '../core/settings.js';
import { providerModules } from '../providers/registry.js';
import { COMMANDS, type CommandName } from '../run/commands.js';

/** Options that only some commands read; any other common option applies to every command. */
export const ONLY_FOR: Record<string, CommandName[]> = {
  all: ['list'],
  ttl: ['prune'],
  ttlFrom: ['prune'],
  sleepAfter: ['prune'],
  parallel: ['prune'],
  max: ['prune'],
  keep: ['prune'],
  maxPreviews: ['up'],
  capPolicy: ['up'],
  basicAuth: ['ensure-app', 'set-domain', 'deploy', 'up'],
  commit: ['deploy', 'up'],
  force: ['deploy', 'up'],
  waitUrl: ['deploy', 'up'],
  healthPath: ['deploy', 'up'],
  env: ['ensure-app', 'up'],
  favourite: ['set-domain', 'up'],
  adopt: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop'],
  dryRun: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'prune'],
  timeout: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status', 'list', 'prune'],
  branch: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status'],
  pr: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status'],
};

export function appliesTo(spec: OptionSpec, command: CommandName | undefined): boolean {
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
