#!/usr/bin/env node
/**
 * Entry point of the `preview-kit` command. `--version` answers before anything else loads,
 * so that a cold start costs about as much as starting Node itself. A job cancelled while the
 * CLI is still loading exits 130/143 like one cancelled later, not with a bare signal.
 * With `--debug` (or a debug run of the CI), the bundle's source maps are loaded first, so a
 * stack trace names the project's source files and lines rather than minified code.
 */
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  const early = (signal: NodeJS.Signals) => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('SIGINT', early);
  process.once('SIGTERM', early);
  const env = process.env;
  if (argv.includes('--debug') || env.RUNNER_DEBUG === '1' || env.PREVIEW_DEBUG === 'true' || env.PREVIEW_DEBUG === '1') {
    process.setSourceMapsEnabled(true);
  }
  import('./cli.js').then(
    (cli) => {
      // From here the CLI's own handler says what was interrupted and ends our children.
      process.off('SIGINT', early);
      process.off('SIGTERM', early);
      return cli.main(argv);
    },
    (error: unknown) => {
      process.stderr.write(`preview-kit: failed to start: ${(error as Error).message}\n`);
      process.exitCode = 5;
    },
  );
}
