/**
 * Sleep and wake: a preview's compute is stopped by scaling its services to zero, as
 * `convox scale <service> --count 0` does (`PUT /apps/{app}/services/{name}`, form `count`), and
 * brought back to the counts its convox.yml asks for. Domains, environment, releases and resources
 * stay. Where the rack generations differ:
 *
 * - v2: a count is the app stack's `<Service>Formation` parameter; every change is a CloudFormation
 *   update (the app is `updating` until it ends, one update at a time). A promotion keeps the
 *   parameter, so a new release of a sleeping app still runs nothing until it is woken.
 * - v3: a count is the Deployment's replicas, changed at once; the pods then take their grace period
 *   to stop. A promotion brings a service at zero back to its manifest count by itself.
 *
 * A wake restores the manifest's count (`scale.count`, the minimum of a range, 1 when not given):
 * what the rack gives a new service and what a v3 promotion restores. Counts a person set by hand
 * are not remembered: the rack keeps nothing per app that a listing returns and that we could write
 * without a new release, and a wake must not need one (the same commit wakes without a rollout).
 */
import { parse as parseYaml } from 'yaml';
import { isRetryable, ProviderError, TimeoutError } from '../../core/errors.js';
import { backoffDelay, Deadline, poll } from '../../core/retry.js';
import type { SleepResult } from '../types.js';
import type { AppState } from './app-state.js';
import type { Rack } from './client.js';
import type { RackApp, RackRelease, RackService } from './rack-api.js';
import { SETTLED, waitAppSettled } from './waiting.js';

/** Scale requests answered 5xx or dropped, tried again (after a look) at most this often. */
const SCALE_ATTEMPTS = 4;
/** How long processes get to stop after a scale to zero: pods' grace period (30 s by default) and then some. */
const STOP_WAIT_MS = 120_000;

/** Process statuses that hold compute (`processFromPod`): everything but ended ones. */
export const liveProcess = (status: string): boolean => status !== 'complete' && status !== 'failed';

const isV3 = (app: RackApp) => app.generation === '3';

/** `scale.count` as the rack reads it (`ServiceScaleCount`): `2`, `"1-3"`, `{min, max}`; its minimum. */
function countMin(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*(-\s*\d+\s*)?$/.test(value)) return Number.parseInt(value, 10);
  if (value && typeof value === 'object' && 'min' in value) return Number((value as { min: unknown }).min) || 0;
  return undefined;
}

/** Each service's count by the manifest: `scale` as a number or range, or `scale.count`; 1 when not given. */
export function manifestCounts(manifest: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  let services: Record<string, { scale?: unknown } | null> = {};
  try {
    services = (parseYaml(manifest ?? '') as { services?: typeof services } | null)?.services ?? {};
  } catch {
    return out;
  }
  for (const [name, s] of Object.entries(services)) {
    const scale = s?.scale;
    const count = scale && typeof scale === 'object' && !Array.isArray(scale) ? countMin((scale as { count?: unknown }).count) : countMin(scale);
    out.set(name, count ?? 1);
  }
  return out;
}

/**
 * Sets one service's count; on v2 waits until the stack update ends, since the next change (or a
 * promotion) is refused while it runs. A request answered 5xx may have been applied: look (after
 * the update it started, on v2) before sending it again.
 */
async function setCount(rack: Rack, app: RackApp, service: string, count: number): Promise<void> {
  const { deadline, logger } = rack.context;
  for (let attempt = 1; ; attempt++) {
    try {
      await rack.api.scaleService(app.name, service, count);
      break;
    } catch (error) {
      // v2: CloudFormation refuses an update that changes nothing: the count is there already.
      if (/no updates are to be performed/i.test((error as Error).message)) return;
      if (!isRetryable(error) || attempt >= SCALE_ATTEMPTS) throw error;
      logger.warn(`scale service ${service} of ${app.name}: ${(error as Error).message}; looking before trying again`);
      const now = await rack.api.getApp(app.name);
      if (!now) throw new ProviderError(`app ${app.name} disappeared while it was scaled`, { hint: 'did another job stop this preview?' });
      if (!SETTLED.has(now.status)) await waitAppSettled(rack, app.name, false);
      const current = (await rack.api.listServices(app.name)).find((s) => s.name === service);
      if (!current) throw new ProviderError(`scale service ${service} of ${app.name}: the app no longer has that service`, { hint: `see \`convox services -a ${app.name}\`` });
      if (current.count === count) return;
      await deadline.clock.sleep(Math.min(backoffDelay(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
    }
  }
  if (!isV3(app)) await waitAppSettled(rack, app.name, false);
}

/** After the changes: the rack runs what was asked (a v2 update may have rolled back). */
async function confirmCounts(rack: Rack, name: string, wanted: Map<string, number>, what: string): Promise<void> {
  const off = (await rack.api.listServices(name)).filter((s) => wanted.has(s.name) && (s.count ?? 0) !== wanted.get(s.name));
  if (off.length === 0) return;
  throw new ProviderError(`${what} ${name}: the rack left ${off.map((s) => `${s.name} at ${s.count ?? 0}`).join(', ')}`, {
    hint: `see \`convox apps info ${name}\` and \`convox services -a ${name}\`; the stack update may have rolled back`,
  });
}

/**
 * v3: the pods of the services scaled to zero take their grace period to stop; asleep means
 * stopped. A process that outlives that (a one-off `convox run` of the service) is said, not fatal:
 * the services are at zero, and a listing shows the app running as long as it runs.
 */
async function waitStopped(rack: Rack, name: string, services: Set<string>): Promise<void> {
  const { deadline, logger } = rack.context;
  let left = 0;
  try {
    await poll(
      async () => {
        left = (await rack.api.listProcesses(name)).filter((p) => services.has(p.name) && liveProcess(p.status)).length;
        return left === 0 ? true : undefined;
      },
      {
        ...rack.pollOptions(`the processes of ${name} to stop`, new Deadline(Math.min(STOP_WAIT_MS, deadline.remaining()), deadline.clock)),
        onWait: (ms) => logger.progress(`${name}: ${left} processes stopping (${Math.round(ms / 1000)}s)`),
      },
    );
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    logger.warn(`app ${name}: its services are scaled to zero, but ${left} of their processes still run (a one-off \`convox run\`?); see \`convox ps -a ${name}\``);
  }
}

/** The app's services as the rack runs them, once any update under way has ended. */
async function servicesOf(rack: Rack, app: RackApp): Promise<{ app: RackApp; services: RackService[] }> {
  const settled = SETTLED.has(app.status) || rack.context.plan.dryRun;
  const ready = settled ? app : await waitAppSettled(rack, app.name, false);
  // What this command read already will do, unless an update ran meanwhile.
  return { app: ready, services: await rack.api.listServices(app.name, { reuse: settled }) };
}

/** Scales every running service of the app to zero; nothing when none runs (asleep, never deployed). */
export async function sleepApp(rack: Rack, state: AppState): Promise<SleepResult> {
  const { plan, logger } = rack.context;
  const name = state.app.name;
  if (!state.app.release || state.app.status === 'deleting') return { slept: false, stopped: [] };
  const { app, services } = await servicesOf(rack, state.app);
  const awake = services.filter((s) => (s.count ?? 0) > 0);
  if (awake.length === 0) return { slept: false, stopped: [] };
  const stopped: string[] = [];
  for (const s of awake) {
    await plan.apply({ kind: 'update', target: `service ${s.name} of app ${name}`, detail: `scale ${s.count} → 0 (sleep)` }, () => setCount(rack, app, s.name, 0), undefined);
    stopped.push(`service ${s.name} of app ${name} (${s.count} → 0)`);
  }
  if (!plan.dryRun) {
    await confirmCounts(rack, name, new Map(awake.map((s) => [s.name, 0])), 'sleep');
    if (isV3(app)) await waitStopped(rack, name, new Set(awake.map((s) => s.name)));
    logger.info(`app ${name} is asleep: ${awake.map((s) => s.name).join(', ')} scaled to zero; its domains, environment and releases stay`);
  }
  return { slept: true, stopped };
}

/**
 * Brings the services the app runs at zero back to their manifest count (`promoted` saves reading
 * the live release again when the caller has it). Answers what was started; nothing, with no
 * write, when every service runs or the app has no live release.
 */
export async function wakeApp(rack: Rack, current: RackApp, promoted?: RackRelease): Promise<string[]> {
  const { plan, logger } = rack.context;
  const name = current.name;
  if (!current.release || current.status === 'deleting') return [];
  const { app, services } = await servicesOf(rack, current);
  const asleep = services.filter((s) => (s.count ?? 0) === 0);
  if (asleep.length === 0) return [];
  let fromManifest: Map<string, number> | undefined;
  const wanted = new Map<string, number>();
  for (const s of asleep) {
    // v3 says the manifest's count with each service; on v2 it is read from the live release.
    if (s.min === undefined && !fromManifest) {
      const release = promoted?.id === app.release ? promoted : await rack.api.getRelease(name, app.release);
      fromManifest = manifestCounts(release.manifest);
    }
    const count = s.min ?? fromManifest?.get(s.name) ?? 1;
    if (count > 0) wanted.set(s.name, count);
  }
  const started: string[] = [];
  for (const [service, count] of wanted) {
    await plan.apply({ kind: 'update', target: `service ${service} of app ${name}`, detail: `scale 0 → ${count} (wake)` }, () => setCount(rack, app, service, count), undefined);
    started.push(`service ${service} of app ${name} (0 → ${count})`);
  }
  if (started.length > 0 && !plan.dryRun) {
    await confirmCounts(rack, name, wanted, 'wake');
    logger.info(`app ${name} is awake again: ${[...wanted.keys()].join(', ')} back to the counts of its convox.yml`);
  }
  return started;
}
