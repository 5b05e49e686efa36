/**
 * `list`: every app of ours on the rack, with identity, state, creation and last deploy. A rack's
 * app listing (`GET /apps`) carries names, statuses and the live release's id, but not the release
 * environment that holds our marks, and the rack keeps nothing else per app we could mark (no tags,
 * unknown parameters dropped): one read per app is unavoidable. It is the live release
 * (`GET /apps/{app}/releases/{id}`), which gives the marks, the last deploy time (the release's
 * `created`) and the commit (its description) in one answer; an app whose live release is unmarked
 * (never deployed, or adopted since) is looked at once more, at its newest release.
 *
 * Whether a preview sleeps comes from listings: on a v2 rack `GET /apps` itself says each
 * service's count (the `<Service>Formation` stack parameters); on a v3 rack one
 * `GET /system/processes?all=true` says which apps run anything. Reads run a few at a time.
 */
import { AuthError, ProviderError } from '../../core/errors.js';
import { mapLimit } from '../../core/parallel.js';
import type { Preview } from '../types.js';
import type { Rack } from './client.js';
import { isOwned, marksOf, parseEnv, type Env } from './env.js';
import { commitOfRelease, liveDeployment, previewState, toPreview } from './preview.js';
import type { RackApp, RackRelease } from './rack-api.js';
import { liveProcess } from './scale.js';

/** Reads in flight at once: enough to list a thousand apps in seconds, few enough for any rack. */
export const LIST_CONCURRENCY = 8;

interface Listed {
  app: RackApp;
  /** The live release, env included. */
  live: RackRelease | undefined;
  env: Env;
}

/** The app's marks and live release, or undefined when it is not ours (or went away meanwhile). */
async function readApp(rack: Rack, app: RackApp): Promise<Listed | undefined> {
  try {
    const live = app.release ? await rack.api.getRelease(app.name, app.release) : undefined;
    let env = parseEnv(live?.env);
    if (!isOwned(env, app.name)) {
      const [newest] = await rack.api.listReleases(app.name, 1);
      // A v2 rack lists releases with an empty env: only GET of the release has it.
      if (newest && newest.id !== live?.id) env = parseEnv(newest.env || (await rack.api.getRelease(app.name, newest.id)).env);
    }
    return marksOf(env, app.name).marker ? { app, live, env } : undefined;
  } catch (error) {
    // Deleted meanwhile, or being deleted: gone is the truth only if the rack says so.
    const now = await rack.api.getApp(app.name);
    if (!now || now.status === 'deleting') return undefined;
    throw error;
  }
}

/** v2: each service's count, from the `<Service>Formation` parameters (`count,cpu,memory`) of the listing. */
export function formationCounts(app: RackApp): number[] | undefined {
  const counts = Object.entries(app.parameters ?? {})
    .filter(([key]) => key.endsWith('Formation'))
    .map(([, value]) => Number.parseInt(String(value).split(',')[0] ?? '', 10))
    .filter((n) => Number.isFinite(n));
  return counts.length > 0 ? counts : undefined;
}

/** v3: the instances each app runs, from one listing of the rack's processes (or each app's services when that is refused). */
async function v3Counts(rack: Rack, apps: RackApp[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  try {
    const running = new Map<string, number>();
    for (const p of await rack.api.systemProcesses()) if (liveProcess(p.status)) running.set(p.app, (running.get(p.app) ?? 0) + 1);
    for (const app of apps) out.set(app.name, [running.get(app.name) ?? 0]);
    return out;
  } catch (error) {
    if (!(error instanceof AuthError || error instanceof ProviderError)) throw error;
    rack.logger.debug(`${(error as Error).message}: reading the services of each app instead`);
  }
  await mapLimit(apps, LIST_CONCURRENCY, async (app) => {
    const services = await rack.api.listServices(app.name).catch(() => undefined);
    if (services) out.set(app.name, services.map((s) => s.count ?? 0));
  });
  return out;
}

export async function listPreviews(rack: Rack): Promise<Preview[]> {
  // An app being deleted is on its way out: no preview any more, and not worth a read.
  const apps = (await rack.api.listApps()).filter((app) => app.status !== 'deleting');
  const ours = (await mapLimit(apps, LIST_CONCURRENCY, (app) => readApp(rack, app))).filter((l): l is Listed => l !== undefined);
  // Only an app that runs its release can be asleep; the others' state is their status.
  const settled = ours.filter((l) => l.app.status === 'running' && l.app.release).map((l) => l.app);
  const v3 = settled.filter((app) => app.generation === '3');
  const counts = v3.length > 0 ? await v3Counts(rack, v3) : new Map<string, number[]>();
  for (const app of settled) if (app.generation !== '3') counts.set(app.name, formationCounts(app) ?? []);

  return Promise.all(
    ours.map(async ({ app, live, env }) => {
      const base = await toPreview(rack, { app, latest: live, env, hasBuild: live !== undefined }, false);
      const deployment = liveDeployment(app, live, commitOfRelease(live));
      return {
        ...base,
        ...(deployment ? { lastDeployment: deployment } : {}),
        ...(live?.created ? { lastDeployedAt: live.created } : {}),
        state: previewState(app, counts.get(app.name)),
      };
    }),
  );
}
