/**
 * The library API: the same commands as the CLI, for people who script previews in Node.
 *
 *   import { up, stop } from 'preview-kit';
 *   const preview = await up({ provider: 'docker', app: 'shop', branch: 'feature/cart' });
 *
 * Options use the CLI's flag names (`'wait-url': true`, `env: ['KEY=VALUE']`); environment
 * variables and `.preview.yml` fill in the rest. Failures throw a PreviewError with `exitCode`.
 */
import type { CommandName } from './run/commands.js';
import { execute } from './run/execute.js';
import type { CommandResult } from './commands/context.js';
import type { Logger } from './core/logger.js';
import type { FlagValues } from './core/settings.js';

export { AuthError, ConfigError, NotFoundError, PreviewError, ProviderError, SafetyError, TimeoutError } from './core/errors.js';
export type { Logger } from './core/logger.js';
export { expandDomain, nameOfIdentity, previewName, slugify } from './core/naming.js';
export { describeIdentity, identityKey, type PreviewIdentity } from './core/identity.js';
export type { CommandResult } from './commands/context.js';
export type { Preview, Provider } from './providers/types.js';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  logger?: Logger;
}

function runner(command: CommandName) {
  return async (flags: FlagValues = {}, options: RunOptions = {}): Promise<CommandResult> => {
    const { result } = await execute(command, flags, {
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
      stderr: { write: (text) => void process.stderr.write(text) },
    }, options.logger ? { logger: options.logger } : {});
    return result;
  };
}

export const up = runner('up');
export const stop = runner('stop');
export const status = runner('status');
export const ensureApp = runner('ensure-app');
export const setDomain = runner('set-domain');
export const deploy = runner('deploy');
export const prune = runner('prune');
export const list = runner('list');
export const name = runner('name');
