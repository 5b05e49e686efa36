/**
 * A preview's add-on (`<preview-name>-<provider>`) as the reconcile algorithm sees it. Add-on
 * names are not unique and the create body takes no tags, so a new add-on exists untagged for a
 * moment: it is created already linked to the preview's app (`linkedApp`), then tagged key first,
 * readable identity next, marker last. Whatever interrupts that sequence, the add-on stays provably
 * this preview's: by its key tag, or — before even that tag landed — by carrying the preview's
 * exact add-on name while being linked to the preview's app.
 */
import { ConfigError } from '../../core/errors.js';
import type { Marks, ResourceHooks } from '../reconcile.js';
import type { PreviewRef } from '../types.js';
import type { CleverAddon, CleverAddonProvider, CleverApi, CreateAddonBody } from './api.js';
import { createdAtOf, isGone, mapLimit } from './app-hooks.js';
import type { AddonRequest } from './settings.js';
import { marksOf, missingTags, untouched } from './tags.js';

export interface AddonItem {
  addon: CleverAddon;
  tags: string[];
  /** Linked to the preview's app (as last read). */
  linked: boolean;
}

export function addonName(previewName: string, provider: string): string {
  return `${previewName}-${provider}`;
}

export function isKind(addon: CleverAddon, provider: string): boolean {
  return addon.provider?.id === undefined || addon.provider.id === provider;
}

/** Provider and plan ids for a `provider:plan` request, checked against the catalogue. */
export function resolvePlan(providers: CleverAddonProvider[], request: AddonRequest, region: string): { providerId: string; planId: string } {
  const spec = `${request.provider}:${request.plan}`;
  const provider = providers.find((p) => p.id === request.provider);
  if (!provider) {
    throw new ConfigError(`invalid settings: --addon ${spec}: no add-on provider "${request.provider}"`, {
      hint: `available: ${providers.map((p) => p.id).sort().join(', ')}`,
    });
  }
  const plans = provider.plans ?? [];
  const plan = plans.find((p) => p.slug.toLowerCase() === request.plan.toLowerCase());
  if (!plan) {
    throw new ConfigError(`invalid settings: --addon ${spec}: ${request.provider} has no plan "${request.plan}"`, {
      hint: `available: ${plans.map((p) => p.slug).join(', ')}`,
    });
  }
  if (provider.regions && !provider.regions.includes(region)) {
    throw new ConfigError(`invalid settings: --addon ${spec}: ${request.provider} is not offered in region ${region}`, {
      hint: `set --addon-region to one of ${provider.regions.join(', ')}`,
    });
  }
  return { providerId: provider.id, planId: plan.id };
}

/** Each add-on with its tags (read from their own route: no add-on view has them); gone ones dropped. */
export async function withAddonTags(api: CleverApi, addons: readonly CleverAddon[], linkedIds: ReadonlySet<string>): Promise<AddonItem[]> {
  const items = await mapLimit(addons, 8, async (addon): Promise<AddonItem | undefined> => {
    try {
      return { addon, tags: await api.addonTags(addon.id), linked: linkedIds.has(addon.id) };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  });
  return items.filter((i): i is AddonItem => i !== undefined);
}

/**
 * Every add-on named `name` of that provider, whoever made it: the owner's listing, plus the app's
 * linked add-ons (a new add-on may be linked before the owner's listing shows it).
 */
export async function namedAddons(api: CleverApi, name: string, provider: string, appId: string | undefined): Promise<AddonItem[]> {
  const [all, linked] = await Promise.all([api.listAddons(), appId ? api.linkedAddons(appId) : Promise.resolve([])]);
  const byId = new Map<string, CleverAddon>();
  for (const addon of [...all, ...linked]) if (addon.name === name && isKind(addon, provider)) byId.set(addon.id, addon);
  return withAddonTags(api, [...byId.values()], new Set(linked.map((a) => a.id)));
}

/**
 * The marks of an add-on. One that carries no tag of ours but has our exact name (the listing
 * gives only such) and is linked to our app is ours with its tags missing: what a create looks
 * like until its first tag lands, whether that run goes on, was interrupted or lost its answer. It
 * is read as ours, to be completed (`needsRepair`), rather than as merely "provably ours", so
 * that a concurrent run settling a race counts it too.
 */
export function addonMarks(item: AddonItem, key: string): Marks {
  if (item.linked && untouched(item.tags)) return { marker: true, key };
  return marksOf(item.tags);
}

/** Writes the tags `ref` lacks on an add-on, in order (key first); returns the item with them. */
export async function tagAddon(api: CleverApi, item: AddonItem, ref: Pick<PreviewRef, 'identity' | 'key'>): Promise<AddonItem> {
  let tags = item.tags;
  for (const tag of missingTags(tags, ref)) {
    const answered = await api.addAddonTag(item.addon.id, tag);
    tags = answered && answered.includes(tag) ? answered : [...tags, tag];
  }
  return { ...item, tags };
}

export interface AddonHooksInput {
  api: CleverApi;
  ref: PreviewRef;
  /** The preview's app; undefined when it is only planned (dry run). */
  appId: string | undefined;
  provider: string;
  /** The create body; prepared only when the lookup says an add-on must be made. */
  body: () => CreateAddonBody;
  planned: () => AddonItem;
  createDetail?: string;
}

export function addonHooks(input: AddonHooksInput): ResourceHooks<AddonItem> {
  const { api, ref } = input;
  const name = addonName(ref.name, input.provider);
  return {
    noun: 'add-on',
    name,
    list: () => namedAddons(api, name, input.provider, input.appId),
    id: (i) => i.addon.id,
    createdAt: (i) => createdAtOf(i.addon),
    marks: (i) => addonMarks(i, ref.key),
    create: async () => {
      const body = input.body();
      const addon = await api.createAddon(body);
      // Key first: from its first write on, the add-on names its preview by itself. Gone before
      // its tags land: a concurrent run settling the same race removed it as the younger one;
      // the settle below finds the winner.
      const tagged = await tagAddon(api, { addon, tags: [], linked: false }, ref).catch((error: unknown) => {
        if (isGone(error)) return { addon, tags: [], linked: false };
        throw error;
      });
      // Whether `linkedApp` took is read back by the settle's listing; until then, unknown.
      return { ...tagged, linked: false };
    },
    planned: input.planned,
    remove: async (i) => {
      await api.deleteAddon(i.addon.id);
    },
    mark: (i) => tagAddon(api, i, ref),
    needsRepair: (i) => missingTags(i.tags, ref).length > 0,
    uniqueNames: false,
    ...(input.createDetail ? { createDetail: input.createDetail } : {}),
  };
}
