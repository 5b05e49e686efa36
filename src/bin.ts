#!/usr/bin/env node
/**
 * Entry point of the `preview-kit` command. `--version` answers before anything else loads,
 * so that a cold start costs about as much as starting Node itself.
 */
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  import('./cli.js').then(
    (cli) => cli.main(argv),
    (error: unknown) => {
      process.stderr.write(`preview-kit: failed to start: ${(error as Error).message}\n`);
      process.exitCode = 5;
    },
  );
}
