/**
 * The commands the CLI and the library offer, with the one line `--help` says of each, and the
 * loader that imports a command's code only when it runs.
 */
import type { CommandContext, CommandResult } from '../commands/context.js';

export type CommandName = 'name' | 'ensure-app' | 'set-domain' | 'deploy' | 'up' | 'sleep' | 'stop' | 'status' | 'list' | 'prune';

export const COMMANDS: Record<CommandName, string> = {
  name: 'print the preview name and URL for a branch (no network)',
  'ensure-app': 'find or create the app (and its add-ons), tagged as ours',
  'set-domain': 'attach the preview domain(s), idempotently',
  deploy: 'deploy the commit; skip when it is already live',
  up: 'ensure-app + set-domain + deploy (what most pipelines call)',
  sleep: 'stop the preview\'s compute, keep its data, domains and URL (up wakes it)',
  stop: 'tear the preview down completely; no-op when already gone',
  status: 'show what exists for a preview (exit 4 when absent)',
  list: "list the project's previews (--all: every preview of ours) with whose each is",
  prune: 'remove (or put to sleep) previews whose branch is gone, idle longer than --ttl, or over --max',
};

/** Own keys only: `toString` or `constructor` are no commands. */
export function isCommand(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}

export async function loadCommand(name: CommandName): Promise<(ctx: CommandContext) => Promise<CommandResult>> {
  switch (name) {
    case 'ensure-app':
      return (await import('../commands/ensure-app.js')).ensureApp;
    case 'set-domain':
      return (await import('../commands/set-domain.js')).setDomain;
    case 'deploy':
      return (await import('../commands/deploy.js')).deploy;
    case 'up':
      return (await import('../commands/up.js')).up;
    case 'stop':
      return (await import('../commands/stop.js')).stop;
    case 'status':
      return (await import('../commands/status.js')).status;
    case 'sleep':
      return (await import('../commands/sleep.js')).sleep;
    case 'list':
      return (await import('../commands/list.js')).list;
    case 'prune':
      return (await import('../commands/prune.js')).prune;
    case 'name':
      throw new Error('name has no provider command');
  }
}
