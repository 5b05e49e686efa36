/**
 * Runs the fake Clever Cloud API as its own process (demo, benchmark, manual runs):
 *
 *   npx tsx test/fakes/clever-cloud/main.ts --port 0 --git-ready-delay-ms 2000
 *
 * Options come from flags, else from FAKE_CLEVER_* env vars. Prints one JSON line
 * `{"url":…,"pid":…}` on stdout once listening; stops cleanly on SIGTERM/SIGINT. Inspect it
 * and disturb it through the admin routes listed in admin.ts.
 */
import type { CleverFaultKind } from './faults.js';
import { startFakeCleverCloud, type FakeCleverOptions } from './server.js';
import { flagReader } from '../shared/flags.js';

const FLAGS = {
  host: 'HOST',
  port: 'PORT',
  'consumer-key': 'CONSUMER_KEY',
  'consumer-secret': 'CONSUMER_SECRET',
  token: 'TOKEN',
  secret: 'SECRET',
  'api-token': 'API_TOKEN',
  'org-id': 'ORG_ID',
  'org-name': 'ORG_NAME',
  'git-ready-delay-ms': 'GIT_READY_DELAY_MS',
  'deploy-duration-ms': 'DEPLOY_DURATION_MS',
  'fault-rate': 'FAULT_RATE',
  'fault-seed': 'FAULT_SEED',
  'fault-kinds': 'FAULT_KINDS',
  'fault-latency-ms': 'FAULT_LATENCY_MS',
  'fault-writes-only': 'FAULT_WRITES_ONLY',
  'list-lag-ms': 'LIST_LAG_MS',
  'latency-ms': 'LATENCY_MS',
} as const;

function readOptions(argv: string[], env: NodeJS.ProcessEnv): FakeCleverOptions {
  const { get, num } = flagReader(FLAGS, 'FAKE_CLEVER_', argv, env);
  const rate = num('fault-rate');
  return {
    host: get('host'),
    port: num('port'),
    consumerKey: get('consumer-key'),
    consumerSecret: get('consumer-secret'),
    token: get('token'),
    secret: get('secret'),
    apiToken: get('api-token'),
    orgId: get('org-id'),
    orgName: get('org-name'),
    gitReadyDelayMs: num('git-ready-delay-ms'),
    deployDurationMs: num('deploy-duration-ms'),
    faults:
      rate === undefined || rate === 0
        ? undefined
        : {
            rate,
            seed: num('fault-seed'),
            kinds: get('fault-kinds')
              ?.split(',')
              .map((k) => k.trim())
              .filter(Boolean) as CleverFaultKind[] | undefined,
            latencyMs: num('fault-latency-ms'),
            writesOnly: get('fault-writes-only') === 'true',
          },
    listLagMs: num('list-lag-ms'),
    latencyMs: num('latency-ms'),
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  const fake = await startFakeCleverCloud(options);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fake.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write(`${JSON.stringify({ url: fake.url, pid: process.pid })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-clever-cloud: ${(error as Error).message}\n`);
  process.exit(1);
});
