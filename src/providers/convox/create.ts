/**
 * Writing an app's marks and environment, and creating the app. A rack creates an app without
 * any environment (`POST /apps` takes a name and a generation, nothing else), so our marks go in
 * the first release, written as soon as the app can hold one: on a v2 rack that is once its
 * stack is created, since the release env lives in the stack's own bucket.
 */
import { ConfigError, isRetryable, ProviderError } from '../../core/errors.js';
import { retry } from '../../core/retry.js';
import type { PreviewSpec } from '../types.js';
import { inspect, latestRelease, type AppState } from './app-state.js';
import type { Rack } from './client.js';
import { desiredEnv, envChanges, formatEnv, parseEnv, sameEnv, type Env } from './env.js';
import type { RackRelease } from './rack-api.js';
import { waitAppSettled } from './waiting.js';

/** The env the preview must have, given what the app has now. */
export function wantedEnv(rack: Rack, spec: PreviewSpec, current: Env): Env {
  // Domains reach convox.yml through an env var; setting it with the rest saves a second release in `up`.
  const wanted = spec.domains.length > 0 ? { ...spec.env, [rack.settings.domainEnv]: spec.domains.join(',') } : spec.env;
  return desiredEnv(current, { appName: spec.name, wanted, identity: spec.identity, key: spec.key, now: rack.tuning.now() });
}

/** Writes the environment as a new release (not promoted: the next deploy carries it). */
export async function writeEnv(rack: Rack, name: string, from: Env, to: Env, why: string): Promise<RackRelease | undefined> {
  return rack.context.plan.apply(
    { kind: 'update', target: `environment of app ${name}`, detail: `${why}: ${envChanges(from, to).join(' ')}` },
    () =>
      retry(
        async () => {
          try {
            return await rack.api.createRelease(name, { env: formatEnv(to) });
          } catch (error) {
            // A release answered 5xx may exist all the same: look before writing it again.
            if (isRetryable(error)) {
              const latest = await latestRelease(rack.api, name).catch(() => undefined);
              if (latest && sameEnv(parseEnv(latest.env), to)) return latest;
            }
            throw error;
          }
        },
        { attempts: 4, deadline: rack.context.deadline, initialMs: rack.tuning.httpBackoffMs, what: `write the environment of ${name}` },
      ),
    undefined,
  );
}

/**
 * Writes our marks (with the preview's whole environment, so that one release does it all) onto
 * an app: one we created, an empty one left by an interrupted run, or one `--adopt` takes over.
 */
export async function markApp(rack: Rack, spec: PreviewSpec, state: AppState, why: string): Promise<AppState> {
  // v2 keeps the release env in the app stack's bucket, which exists once the stack is created.
  const app = state.app.status === 'creating' ? await waitAppSettled(rack, spec.name, false) : state.app;
  const wanted = wantedEnv(rack, spec, state.env);
  const release = await writeEnv(rack, spec.name, state.env, wanted, why);
  return { app, latest: release ?? state.latest, env: wanted, hasBuild: state.hasBuild };
}

/** Failures after `POST /apps` succeeded are final: another POST would only hear that the name is taken. */
function final(error: unknown): unknown {
  if (!isRetryable(error) || !(error instanceof ProviderError)) return error;
  return new ProviderError(error.message, { hint: error.hint, cause: error, ...(error.status !== undefined ? { status: error.status } : {}) });
}

/**
 * `POST /apps`, then the wait until the app can hold a release, then our marks. Errors of the
 * POST itself go to the reconcile algorithm: "already exists" (v2 500, v3 409) and 5xx (which may
 * hide an applied create) are followed by a look before anything else.
 */
export async function createApp(rack: Rack, spec: PreviewSpec): Promise<AppState> {
  const name = spec.name;
  try {
    await rack.api.createApp(name);
  } catch (error) {
    if (/no more than 63 characters/i.test((error as Error).message)) {
      throw new ConfigError(`create app ${name}: the rack refused the name: ${(error as Error).message}`, {
        hint: 'racks on Kubernetes name the namespace <rack>-<app>, 63 characters at most: shorten --app or set a shorter --prefix',
      });
    }
    throw error;
  }
  let marked = false;
  try {
    const app = await waitAppSettled(rack, name, true);
    const state = await markApp(rack, spec, { app, latest: undefined, env: {}, hasBuild: false }, 'record ownership');
    marked = true;
    return (await inspect(rack, name)) ?? state;
  } catch (error) {
    if (!marked) await removeUnmarked(rack, name);
    throw final(error);
  }
}

/**
 * Deletes an app we created but could not mark, so that nothing unmarked of ours is left behind
 * (`stop` never removes an unmarked app). Runs on its own short deadline, since the command's may
 * be what ran out.
 */
async function removeUnmarked(rack: Rack, name: string): Promise<void> {
  rack.context.logger.warn(`removing app ${name}: it was created but could not be marked as preview-kit's`);
  await rack
    .cleanupApi()
    .deleteApp(name)
    .catch((error: unknown) => {
      rack.context.logger.warn(`could not remove app ${name} (${(error as Error).message}); remove it with \`convox apps delete ${name}\``);
    });
}
