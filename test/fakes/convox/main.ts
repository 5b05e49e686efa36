/**
 * Runs the fake Convox rack as its own process (CLI-as-process tests, demos, manual runs):
 *
 *   npx tsx test/fakes/convox/main.ts --port 0 --password secret --build-ms 200
 *
 * Options come from flags, else from FAKE_CONVOX_* env vars. Prints one JSON line
 * `{"url":…,"rackUrl":…,"pid":…}` on stdout once listening (rackUrl carries the password, as
 * RACK_URL does); stops on SIGTERM/SIGINT. Inspect it through `GET /__fake/requests`,
 * `GET /__fake/state`, `POST /__fake/reset-log`, `POST /__fake/faults` ({"faults":[…]}),
 * `POST /__fake/fail-next-build` ({"logTail":"…"}), `POST /__fake/fail-next-promote`,
 * `POST /__fake/fault-writes` ({"rate":0.2,"seed":1,"appliedShare":0.5}), `POST /__fake/credentials`
 * ({"mode":"ok"|"unauthorized"|"forbidden"}), `POST /__fake/seed-app` ({"name":…,"env":{…}}) and
 * `POST /__fake/plant-deployed` ({"name","env","manifest","gitSha","created","asleep"}).
 * `--generation 2|3` picks the rack generation (default 2).
 */
import { startFakeRack, type FakeRackOptions } from './server.js';
import { flagReader } from '../shared/flags.js';

const FLAGS = {
  generation: 'GENERATION',
  host: 'HOST',
  port: 'PORT',
  password: 'PASSWORD',
  'rack-name': 'RACK_NAME',
  domain: 'DOMAIN',
  'create-ms': 'CREATE_MS',
  'build-ms': 'BUILD_MS',
  'promote-ms': 'PROMOTE_MS',
  'delete-ms': 'DELETE_MS',
  'terminate-ms': 'TERMINATE_MS',
  'fault-rate': 'FAULT_RATE',
  'fault-seed': 'FAULT_SEED',
} as const;

function readOptions(argv: string[], env: NodeJS.ProcessEnv): FakeRackOptions {
  const { get, num } = flagReader(FLAGS, 'FAKE_CONVOX_', argv, env);
  const delays: FakeRackOptions['delays'] = {};
  if (num('create-ms') !== undefined) delays.create = num('create-ms');
  if (num('build-ms') !== undefined) delays.build = num('build-ms');
  if (num('promote-ms') !== undefined) delays.promote = num('promote-ms');
  if (num('delete-ms') !== undefined) delays.delete = num('delete-ms');
  if (num('terminate-ms') !== undefined) delays.terminate = num('terminate-ms');
  const rate = num('fault-rate');
  const generation = get('generation');
  if (generation !== undefined && generation !== '2' && generation !== '3') throw new Error(`--generation must be 2 or 3, got ${generation}`);
  return {
    ...(generation ? { generation } : {}),
    host: get('host'),
    port: num('port'),
    password: get('password'),
    rackName: get('rack-name'),
    domain: get('domain'),
    delays,
    ...(rate ? { chaos: { rate, seed: num('fault-seed') } } : {}),
  };
}

async function main(): Promise<void> {
  const rack = await startFakeRack(readOptions(process.argv.slice(2), process.env));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await rack.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write(`${JSON.stringify({ url: rack.url, rackUrl: rack.urlWithPassword, pid: process.pid })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-convox: ${(error as Error).message}\n`);
  process.exit(1);
});
