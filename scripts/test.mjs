#!/usr/bin/env node
// The test command (`npm test`): installs what the system tests need (fast when present),
// builds dist/, starts the local services (podman's Docker API, Caddy, PostgreSQL), runs the
// whole vitest suite, stops what it started, and ends with one line `tests: N passed, N failed`.
// Extra arguments go to vitest, e.g. `npm test -- test/unit`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const step = (title) => process.stderr.write(`\n== ${title}\n`);

function sh(cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: options.env ?? process.env });
  if (r.status !== 0 && !options.allowFail) {
    process.stderr.write(`test: ${cmd} ${cmdArgs.join(' ')} failed (exit ${r.status})\n`);
    process.exit(1);
  }
  return r;
}

step('system packages');
sh('bash', ['scripts/install-system-deps.sh']);

step('build dist/');
sh('node', ['scripts/build.mjs']);

step('services');
const env = { ...process.env };
const started = [];
if (existsSync(join(root, 'scripts/services.sh'))) {
  const running = sh('bash', ['scripts/services.sh', 'status'], { allowFail: true, capture: true }).status === 0;
  sh('bash', ['scripts/services.sh', 'start']);
  if (!running) started.push(['scripts/services.sh', 'stop']);
  const exports = sh('bash', ['scripts/services.sh', 'env'], { capture: true }).stdout;
  for (const m of exports.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2].replace(/^['"]|['"]$/g, '');
}
if (existsSync(join(root, 'scripts/postgres.sh'))) {
  const pg = sh('bash', ['scripts/postgres.sh', 'start'], { capture: true });
  const url = pg.stdout.trim().split('\n').pop();
  if (url) env.PREVIEW_TEST_POSTGRES_URL = url;
  started.push(['scripts/postgres.sh', 'stop']);
}

step('vitest');
const out = mkdtempSync(join(tmpdir(), 'pk-test-'));
const report = join(out, 'report.json');
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  { cwd: root, stdio: 'inherit', env },
);

for (const [script, verb] of started) sh('bash', [script, verb], { allowFail: true });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
rmSync(out, { recursive: true, force: true });
if (vitest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(vitest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
