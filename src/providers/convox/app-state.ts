/**
 * Reading an app off the rack: the app, its newest release with the environment that holds our
 * marks, and whether it has anything in it at all. The newest release is listed (`limit=1`); a v3
 * rack lists it with its env, a v2 rack with `"env": ""`, so there the env is read with
 * `GET /apps/{app}/releases/{id}`, as the rack's own `helpers.ReleaseLatest` does.
 */
import { ProviderError } from '../../core/errors.js';
import type { Rack } from './client.js';
import { parseEnv, type Env } from './env.js';
import type { RackApi, RackApp, RackRelease, ReadOptions } from './rack-api.js';

export interface AppState {
  app: RackApp;
  /** Newest release (promoted or not), env included: the rack forks every new release from it. */
  latest: RackRelease | undefined;
  env: Env;
  /** Whether the app has any build; only asked when it has no release. */
  hasBuild: boolean;
}

/** The newest-created release with its env, or undefined when the app has none. */
export async function latestRelease(api: RackApi, app: string, options?: ReadOptions): Promise<RackRelease | undefined> {
  const [first] = await api.listReleases(app, 1, options);
  if (!first) return undefined;
  // v3 (provider/k8s/release.go) lists the env; v2 (releaseFromItem) never does.
  return first.env ? first : api.getRelease(app, first.id);
}

/**
 * An app with no release and no build: what `POST /apps` leaves until the first release is
 * written. It holds no code, no configuration and no environment.
 */
export function isEmptyApp(state: AppState): boolean {
  return !state.latest && !state.hasBuild;
}

/**
 * The app and what it holds, or undefined when the rack says it does not exist. `reuse`: what this
 * command read since its last write will do (see RackApi); waits and settles read afresh.
 */
export async function inspect(rack: Rack, name: string, options?: ReadOptions): Promise<AppState | undefined> {
  const app = await rack.api.getApp(name, options);
  if (!app) return undefined;
  try {
    const latest = await latestRelease(rack.api, name, options);
    const hasBuild = latest ? true : (await rack.api.listBuilds(name, 1, options)).length > 0;
    return { app, latest, env: parseEnv(latest?.env), hasBuild };
  } catch (error) {
    // Deleted between the calls (404 on v2, a 500 naming the missing object on v3): absent is the
    // truth only if the app says so too.
    if (error instanceof ProviderError && (error.status === 404 || (error.status ?? 0) >= 500)) {
      const again = await rack.api.getApp(name);
      if (!again) return undefined;
      // An app being deleted may have lost its releases already: nothing of it can be read.
      if (again.status === 'deleting') return { app: again, latest: undefined, env: {}, hasBuild: true };
    }
    throw error;
  }
}

/** The state a dry run plans in place of an app it would create. */
export function plannedState(name: string): AppState {
  return { app: { name, status: 'creating', release: '' }, latest: undefined, env: {}, hasBuild: false };
}
