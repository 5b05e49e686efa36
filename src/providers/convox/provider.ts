/**
 * Previews as Convox apps, on racks of both generations (v2 convox/rack on AWS, v3 convox/convox
 * on Kubernetes). One app per preview, named after it; the preview's identity lives in the app's
 * release environment (racks keep no tags or labels on apps), compared on every lookup. Code goes
 * up the way `convox deploy` sends it: source tarball as an object, a build from it, promotion of
 * the build's release, then a wait until the app runs that release.
 *
 * Nothing about a preview is kept here between calls: each call looks the app up again from the
 * ref or spec it is given, so `deploy` alone behaves as it does inside `up`. Those looks are
 * answered from what this command read since its last write (RackApi), so the steps of a no-op
 * `up` read each thing from the rack once.
 */
import { NotFoundError } from '../../core/errors.js';
import { ensureResource, lookup, oursOf, refusal, type ReconcileContext } from '../reconcile.js';
import type { DeployResult, DestroyResult, EnsureResult, Preview, PreviewDomain, PreviewRef, PreviewSpec, Provider, ProviderContext, SleepResult, SourceRef } from '../types.js';
import { ensureHooks, readHooks } from './app-hooks.js';
import type { AppState } from './app-state.js';
import { Rack, type ConvoxTuning } from './client.js';
import { markApp, wantedEnv, writeEnv } from './create.js';
import { deployCommit } from './deploy.js';
import { assertRepresentable, isOwned, sameEnv, withManagedVar } from './env.js';
import { listPreviews } from './listing.js';
import { checkManifestRoutes, plannedPreview, toPreview } from './preview.js';
import { sleepApp, wakeApp } from './scale.js';
import type { ConvoxSettings } from './settings.js';
import { destroyApp } from './teardown.js';
import { waitAppSettled } from './waiting.js';

export { BuildFailedError } from './deploy.js';
export { builtFrom } from './preview.js';
export { DEFAULT_TUNING, type ConvoxTuning } from './client.js';

export class ConvoxProvider implements Provider {
  readonly id = 'convox' as const;
  readonly rack: Rack;

  constructor(settings: ConvoxSettings, private readonly context: ProviderContext, tuning: Partial<ConvoxTuning> = {}) {
    this.rack = new Rack(settings, context, tuning);
  }

  private reconcileContext(ref: PreviewRef): ReconcileContext {
    const { plan, logger, deadline, adopt } = this.context;
    // A create retried after a 5xx looks again after a backoff of the rack client's own scale.
    const timing = { retryInitialMs: this.rack.tuning.httpBackoffMs * 3 };
    return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name, timing };
  }

  /** This preview's app, found by name and checked by key: undefined when absent or not ours. */
  private async findOurs(ref: PreviewRef): Promise<AppState | undefined> {
    const hooks = readHooks(this.rack, ref);
    return oursOf(await lookup(hooks, { identity: ref.identity }), hooks, this.context);
  }

  /**
   * The app for a step that needs it to be this preview's (`set-domain`, `deploy`). Another
   * preview's is refused; an unmarked one too, unless `--adopt`, which marks it first.
   */
  private async requireOurs(spec: PreviewSpec, action: string): Promise<AppState | undefined> {
    const hooks = readHooks(this.rack, spec);
    const found = await lookup(hooks, { identity: spec.identity });
    const ours = found.ours[0]?.item;
    if (ours) return ours;
    const refused = refusal(found, hooks, this.reconcileContext(spec));
    if (refused) throw refused;
    const foreign = found.foreign[0]?.item;
    if (!foreign) {
      if (this.context.plan.dryRun) return undefined;
      throw new NotFoundError(`${action}: app ${spec.name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
    }
    this.context.logger.warn(`adopting app ${spec.name}, which preview-kit did not create (--adopt)`);
    return markApp(this.rack, spec, foreign, 'adopt: record the preview-kit marks');
  }

  async find(ref: PreviewRef): Promise<Preview | undefined> {
    const state = await this.findOurs(ref);
    return state ? toPreview(this.rack, state) : undefined;
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    assertRepresentable(spec.env);
    const { plan, logger } = this.context;
    const outcome = await ensureResource(ensureHooks(this.rack, spec), this.reconcileContext(spec));
    if (outcome.planned) {
      await writeEnv(this.rack, spec.name, {}, wantedEnv(this.rack, spec, {}), 'record ownership');
      return { preview: plannedPreview(spec), created: true, changed: true };
    }
    let state = outcome.item;
    let changed = outcome.changed;
    const wanted = wantedEnv(this.rack, spec, state.env);
    if (!sameEnv(wanted, state.env)) {
      if (!isOwned(state.env, spec.name)) {
        // Joined an empty app after our own create attempt: it gets its first release now.
        state = await markApp(this.rack, spec, state, 'record ownership');
      } else {
        const release = await writeEnv(this.rack, spec.name, state.env, wanted, 'environment');
        state = { ...state, latest: release ?? state.latest, env: wanted };
      }
      changed = true;
      if (state.app.release) logger.info(`the new environment of ${spec.name} goes live with the next deploy`);
    }
    if (changed && !plan.dryRun) await this.confirmMarks(spec);
    // A sleeping preview wakes: its services go back to the counts of its convox.yml.
    if ((await wakeApp(this.rack, state.app, state.latest)).length > 0) changed = true;
    return { preview: await toPreview(this.rack, state), created: outcome.created, changed };
  }

  /**
   * After writing marks: the newest release must carry ours. An app two previews of different
   * identities raced for is refused here by the one whose marks did not last.
   */
  private async confirmMarks(spec: PreviewSpec): Promise<void> {
    const hooks = readHooks(this.rack, spec, false);
    const found = await lookup(hooks, { identity: spec.identity });
    if (found.ours.length > 0) return;
    const refused = refusal(found, hooks, { ...this.reconcileContext(spec), adopt: false });
    if (refused) throw refused;
  }

  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const state = await this.requireOurs(spec, 'set-domain');
    if (!state) return { changed: spec.domains.length > 0, domains: spec.domains.map((host) => ({ host })) };
    const key = this.rack.settings.domainEnv;
    const value = spec.domains.join(',');
    let changed = false;
    if ((state.env[key] ?? '') !== value) {
      const next = withManagedVar(state.env, key, value || undefined);
      await writeEnv(this.rack, preview.name, state.env, next, 'domains');
      state.env = next;
      changed = true;
      this.context.logger.info(`domains of ${preview.name} go live with the next deploy (Convox routes them from convox.yml \`domain: \${${key}}\`)`);
      checkManifestRoutes(this.rack, state);
    }
    return { changed, domains: (await toPreview(this.rack, state)).domains };
  }

  async deploy(preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
    const state = await this.requireOurs(spec, 'deploy');
    if (!state) {
      await this.context.plan.apply({ kind: 'deploy', target: `app ${spec.name}`, detail: `build and promote ${source.commit.slice(0, 12)}` }, async () => undefined, undefined);
      return { deployed: true, url: preview.url };
    }
    // v2: an app whose stack is still being created cannot build yet.
    const ready = state.app.status === 'creating' ? { ...state, app: await waitAppSettled(this.rack, spec.name, false) } : state;
    const result = await deployCommit(this.rack, ready, source, preview.url);
    // Asleep: the commit it runs starts again without a rebuild; a new release of it starts too
    // (v2 keeps a count of zero across promotions; v3 restores it, so nothing is left to do there).
    const app = this.context.plan.dryRun ? ready.app : await this.rack.api.getApp(spec.name, { reuse: true });
    const woke = app ? await wakeApp(this.rack, app) : [];
    if (woke.length > 0 && !result.deployed) return { ...result, reason: `${result.reason ?? 'nothing to deploy'}; woke it up` };
    return result;
  }

  destroy(ref: PreviewRef): Promise<DestroyResult> {
    return destroyApp(this.rack, ref);
  }

  list(): Promise<Preview[]> {
    return listPreviews(this.rack);
  }

  /** Scales the services of this preview's app to zero; an app of another preview or unmarked is not found, so left alone. */
  async sleep(ref: PreviewRef): Promise<SleepResult> {
    const state = await this.findOurs(ref);
    return state ? sleepApp(this.rack, state) : { slept: false, stopped: [] };
  }
}
