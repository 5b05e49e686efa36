/**
 * The add-ons of a preview (a database per branch, typically): found, repaired, adopted or
 * created through the reconcile algorithm, linked to the preview's app, re-used on every later
 * run; and, on `stop`, the ones that are this preview's, removed before its app.
 */
import { AuthError, isRetryable } from '../../core/errors.js';
import { pauseAfter } from '../../core/retry.js';
import { classify, ensureResource, lookup, refusal, teardownTargets, type ReconcileContext } from '../reconcile.js';
import type { PreviewRef, PreviewSpec } from '../types.js';
import { addonHooks, addonName, isKind, resolvePlan, withAddonTags, type AddonHooksInput, type AddonItem } from './addon-hooks.js';
import type { CleverAddon, CleverApi, CleverSummaryAddon, CreateAddonBody } from './api.js';
import { isGone } from './app-hooks.js';
import type { AddonRequest } from './settings.js';
import { untouched } from './tags.js';

export interface EnsureAddonsInput {
  api: CleverApi;
  reconcile: ReconcileContext;
  spec: PreviewSpec;
  /** The preview's app; undefined when it is only planned (dry run). */
  appId: string | undefined;
  /** The app was made by this run: nothing of it can be linked yet, so its links are not read first. */
  fresh: boolean;
  /** The app's linked add-ons, when the lookup read them already. */
  linked?: CleverAddon[];
  requests: AddonRequest[];
  region: string;
}

/** Finds or makes each requested add-on and links it; a re-run with nothing to do only reads. */
export async function ensureAddons(input: EnsureAddonsInput): Promise<{ changed: boolean; addons: CleverAddon[] }> {
  const { api, reconcile: ctx, spec, appId } = input;
  if (input.requests.length === 0) return { changed: false, addons: [] };
  // One read of the app's links answers a re-run: our add-ons are linked to our app.
  const linked = input.linked ?? (appId && !input.fresh ? await api.linkedAddons(appId) : []);
  const linkedIds = new Set(linked.map((a) => a.id));
  let changed = false;
  const addons: CleverAddon[] = [];
  for (const request of input.requests) {
    const name = addonName(spec.name, request.provider);
    let body: CreateAddonBody | undefined;
    const base: AddonHooksInput = {
      api,
      ref: spec,
      appId,
      provider: request.provider,
      body: () => body!,
      planned: () => ({ addon: { id: `(new add-on ${name})`, name, provider: { id: request.provider }, plan: { id: '', slug: request.plan } }, tags: [], linked: true }),
    };
    let hooks = addonHooks(base);
    const seen = classify(await withAddonTags(api, linked.filter((a) => a.name === name && isKind(a, request.provider)), linkedIds), hooks, spec.identity);
    const found = seen.ours.length > 0 ? seen : await lookup(hooks, ctx);
    const refused = refusal(found, hooks, ctx);
    if (refused) throw refused;
    if (found.ours.length + found.repairable.length + found.foreign.length === 0) {
      const { providerId, planId } = resolvePlan(await api.addonProviders(), request, input.region);
      // Linked in the create request itself: the link is the add-on's proof of ownership until
      // its key tag lands, one request later.
      body = { name, plan: planId, providerId, region: input.region, options: {}, ...(appId ? { linkedApp: appId } : {}) };
      hooks = addonHooks({ ...base, createDetail: `${request.provider} ${request.plan} in ${input.region}` });
    }
    const outcome = await ensureResource(hooks, ctx, found);
    changed ||= outcome.changed;
    let item = outcome.item;
    // A create joined after a lost answer, or a race's winner made by another run, may still lack tags.
    if (!outcome.planned && hooks.needsRepair!(item)) {
      item = await ctx.plan.apply({ kind: 'update', target: `add-on ${name}`, detail: 'complete its preview-kit tags' }, () => hooks.mark!(item), item);
      changed = true;
    }
    if (appId && !outcome.planned && !item.linked) changed = (await ensureLinked(api, ctx, appId, spec.name, item.addon)) || changed;
    if (item.addon.plan?.slug && item.addon.plan.slug.toLowerCase() !== request.plan.toLowerCase()) {
      ctx.logger.warn(`add-on ${name} has plan ${item.addon.plan.slug}, not ${request.plan}: plans are not changed (stop the preview to recreate it)`);
    }
    addons.push(item.addon);
  }
  return { changed, addons };
}

/**
 * Links the add-on unless it is linked already. A link answered with an error may have been made
 * all the same (and what the API says to a second link is not known), so the links are read
 * again before anything is sent twice.
 */
async function ensureLinked(api: CleverApi, ctx: ReconcileContext, appId: string, appName: string, addon: CleverAddon): Promise<boolean> {
  const isLinked = async () => (await api.linkedAddons(appId)).some((a) => a.id === addon.id);
  if (await isLinked()) return false;
  await ctx.plan.apply(
    { kind: 'update', target: `application ${appName}`, detail: `link add-on ${addon.name}` },
    async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await api.linkAddon(appId, addon.id);
        } catch (error) {
          if (error instanceof AuthError) throw error;
          if (await isLinked()) return;
          if (!isRetryable(error) || attempt >= 3) throw error;
          // The platform's pace first: a Retry-After it sent outweighs our own step.
          const delay = pauseAfter(error, attempt - 1, { initialMs: 300, maxMs: 2_000 });
          if (ctx.deadline.remaining() < delay) throw ctx.deadline.timeoutError(`link add-on ${addon.name}`, error);
          await ctx.deadline.clock.sleep(delay);
        }
      }
    },
    undefined,
  );
  return true;
}

export interface TeardownAddonsInput {
  api: CleverApi;
  reconcile: ReconcileContext;
  ref: PreviewRef;
  /** The apps `stop` removes: add-ons linked to them count as this preview's even untagged. */
  appIds: string[];
  /** The owner's add-ons with their tags from a fresh summary (`list()`'s fleet), instead of listing them again. */
  listed?: CleverSummaryAddon[];
  /** The owner's add-ons and each app's links, when they were read already (along with the lookup). */
  read?: AddonsRead;
}

export interface AddonsRead {
  owned: CleverAddon[];
  /** Linked add-ons by app id; an app missing here has its links read. */
  linked: ReadonlyMap<string, CleverAddon[]>;
}

/**
 * The add-ons named after the preview, from the fleet's summary: enough on their own when each
 * carries tags of ours or another preview's; undefined when one carries none, since only the
 * app's links can tell whether such a one is this preview's.
 */
function addonsFromSummary(listed: CleverSummaryAddon[], previewName: string): AddonItem[] | undefined {
  const named = listed.filter((a) => a.providerId !== undefined && a.name === addonName(previewName, a.providerId));
  const items = named.map((a) => ({ addon: { id: a.id, name: a.name, ...(a.realId ? { realId: a.realId } : {}), provider: { id: a.providerId! } }, tags: a.customerTags ?? [], linked: false }));
  return items.some((i) => untouched(i.tags)) ? undefined : items;
}

/** Every add-on named after the preview, with its tags and whether it is linked to one of `appIds`. */
async function addonsToJudge(api: CleverApi, ref: PreviewRef, appIds: string[], read?: AddonsRead): Promise<AddonItem[]> {
  // The owner's add-ons and the apps' links are read at once (unless read already): neither depends on the other.
  const [owned, ...linkedLists] = await Promise.all([
    read?.owned ?? api.listAddons(),
    ...appIds.map(
      (id) =>
        read?.linked.get(id) ??
        api.linkedAddons(id).catch((error: unknown) => {
          if (isGone(error)) return [] as CleverAddon[];
          throw error;
        }),
    ),
  ]);
  const linked = linkedLists.flat();
  const byId = new Map<string, CleverAddon>();
  for (const addon of [...owned, ...linked]) {
    if (addon.provider?.id && addon.name === addonName(ref.name, addon.provider.id)) byId.set(addon.id, addon);
  }
  if (byId.size === 0) return [];
  return withAddonTags(api, [...byId.values()], new Set(linked.map((a) => a.id)));
}

/**
 * Removes the add-ons of this preview — named after it and carrying its key, or untagged and
 * linked to its app — and leaves another preview's and unmarked ones alone, with a warning.
 * Deleting an app is not known to delete its add-ons, so they go first, while the app still
 * proves the untagged ones ours.
 */
export async function teardownAddons(input: TeardownAddonsInput): Promise<{ removed: string[]; ids: string[] }> {
  const { api, reconcile: ctx, ref } = input;
  const items = (input.listed && addonsFromSummary(input.listed, ref.name)) ?? (await addonsToJudge(api, ref, input.appIds, input.read));
  const removed: string[] = [];
  const ids: string[] = [];
  for (const provider of [...new Set(items.map((i) => i.addon.provider!.id))].sort()) {
    const hooks = addonHooks({ api, ref, appId: undefined, provider, body: () => undefined as never, planned: () => undefined as never });
    const found = classify(
      items.filter((i) => i.addon.provider!.id === provider),
      hooks,
      ref.identity,
    );
    for (const target of teardownTargets(found, hooks, ctx)) {
      await ctx.plan.apply({ kind: 'delete', target: `add-on ${hooks.name}`, detail: target.id }, () => api.deleteAddon(target.id), true);
      removed.push(`addon ${hooks.name} (${target.id})`);
      ids.push(target.id);
    }
  }
  return { removed, ids };
}
