/**
 * The Convox app as a resource of the reconcile algorithm (src/providers/reconcile.ts). App names
 * are unique on a rack, so the rack settles a race itself ("already exists": v2 500, v3 409);
 * our marks are in the newest release's environment.
 *
 * The one gap: `POST /apps` makes an app with no environment, so between that call and the first
 * release the app carries no marks. What proves such an app is this preview's? Nothing the rack
 * keeps can tell an interrupted run's app from any other empty one (no tags, no creation time, no
 * parameter we may set). We take emptiness itself — no release and no build at all — as the
 * proof for `up`, after `claimWait` in which a run still creating it can mark it first: an app
 * with nothing in it holds no one's code, configuration or data, so marking it loses nothing,
 * while refusing it would block the interrupted preview until a person deletes the app. `stop`
 * and `prune` never count it as ours: deleting an unmarked app could remove one a person has just
 * made to deploy into, so they leave it with a warning (`--adopt` removes it).
 */
import { isAlreadyExists } from './rack-api.js';
import type { ResourceHooks } from '../reconcile.js';
import type { PreviewRef, PreviewSpec } from '../types.js';
import { inspect, isEmptyApp, plannedState, type AppState } from './app-state.js';
import type { Rack } from './client.js';
import { createApp, markApp } from './create.js';
import { marksOf } from './env.js';
import { waitForClaim, waitGone } from './waiting.js';

export const APP_NOUN = 'app';

/**
 * Reads for `find`, `set-domain`, `deploy`, `stop`: no waiting, and an unmarked app is never ours.
 * `reuse` (the default) takes what this command read since its last write; a look that must see
 * others' writes (the marks after ours) reads afresh.
 */
export function readHooks(rack: Rack, ref: PreviewRef, reuse = true): ResourceHooks<AppState> {
  return {
    noun: APP_NOUN,
    name: ref.name,
    async list() {
      const state = await inspect(rack, ref.name, { reuse });
      return state ? [state] : [];
    },
    id: (s) => s.app.name,
    marks: (s) => marksOf(s.env, ref.name),
    create: () => Promise.reject(new Error('read-only lookup')),
    planned: () => plannedState(ref.name),
    remove: async (s) => {
      await rack.api.deleteApp(s.app.name);
    },
    uniqueNames: true,
  };
}

/**
 * For `ensure`: a deletion under way is waited out (the name is free afterwards), an empty app
 * gets `claimWait` for its creator to mark it, and is then this preview's (see above). An empty
 * app found after this run's own `POST /apps` (answered 5xx, or "already exists") counts as
 * created by this run, so the algorithm joins it instead of trying to create it again.
 */
export function ensureHooks(rack: Rack, spec: PreviewSpec): ResourceHooks<AppState> {
  let attempted = false;
  const base = readHooks(rack, spec);
  return {
    ...base,
    async list() {
      // Afresh: after a create attempt the algorithm looks again for what the rack now holds.
      let state = await inspect(rack, spec.name);
      if (state?.app.status === 'deleting') {
        rack.context.logger.info(`app ${spec.name} is being deleted; waiting until it is gone before creating it again`);
        if (!rack.context.plan.dryRun) await waitGone(rack, spec.name);
        return [];
      }
      // A dry run changes nothing, so it has no one to wait for: it plans to take the app.
      if (state && isEmptyApp(state) && !rack.context.plan.dryRun) state = await waitForClaim(rack, state);
      return state ? [state] : [];
    },
    marks: (s) => (attempted && isEmptyApp(s) ? { marker: true, key: spec.key, identity: spec.identity } : marksOf(s.env, spec.name)),
    create: () => {
      attempted = true;
      return createApp(rack, spec);
    },
    mark: (s) => markApp(rack, spec, s, isEmptyApp(s) ? 'record ownership of an app left empty' : 'record ownership'),
    provablyOurs: (s) => isEmptyApp(s),
    isNameTaken: isAlreadyExists,
    createDetail: 'Convox app; its first release records the preview',
  };
}
