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
export declare const up: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const stop: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const status: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const ensureApp: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const setDomain: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const deploy: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const prune: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const list: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
export declare const name: (flags?: FlagValues, options?: RunOptions) => Promise<CommandResult>;
