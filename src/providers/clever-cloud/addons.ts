/**
 * Add-ons of a preview (a database per branch, typically). Each is named
 * `<preview-name>-<provider>`, tagged like the app, created once, linked to the app and re-used on
 * every later run. Teardown deletes only add-ons that carry our marker.
 */
import { ConfigError, SafetyError, isRetryable } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { Deadline } from '../../core/retry.js';
import { OWNER_MARKER } from '../types.js';
import type { CleverAddon, CleverAddonProvider, CleverApi } from './api.js';
import { olderFirst } from './apps.js';
import { createOrFindAgain } from './look-again.js';
import type { AddonRequest } from './settings.js';
import { hasOwnerMarker } from './tags.js';

export function addonName(previewName: string, provider: string): string {
  return `${previewName}-${provider}`;
}

function isKind(addon: CleverAddon, provider: string): boolean {
  return addon.provider?.id === undefined || addon.provider.id === provider;
}

interface AddonRecord {
  addon: CleverAddon;
  tags: string[];
}

async function withAddonTags(api: CleverApi, addons: CleverAddon[]): Promise<AddonRecord[]> {
  return Promise.all(addons.map(async (addon) => ({ addon, tags: Array.isArray(addon.tags) ? addon.tags : await api.addonTags(addon.id) })));
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

export interface EnsureAddonsInput {
  api: CleverApi;
  plan: Plan;
  logger: Logger;
  deadline: Deadline;
  appId: string;
  /** Preview name: the add-ons are named after it. */
  previewName: string;
  requests: AddonRequest[];
  region: string;
  tags: string[];
  adopt: boolean;
  retryInitialMs: number;
  /** The app was just created: nothing can be linked yet, skip reading its links. */
  fresh: boolean;
}

/** Creates, tags and links the missing add-ons; reads nothing when none are configured. */
export async function ensureAddons(input: EnsureAddonsInput): Promise<{ changed: boolean; addons: CleverAddon[] }> {
  const { api, plan, requests } = input;
  if (requests.length === 0) return { changed: false, addons: [] };
  const linked = input.fresh ? [] : await api.linkedAddons(input.appId);
  const result: CleverAddon[] = [];
  const missing: AddonRequest[] = [];
  for (const request of requests) {
    const name = addonName(input.previewName, request.provider);
    const hit = linked.find((a) => a.name === name && isKind(a, request.provider));
    if (!hit) {
      missing.push(request);
      continue;
    }
    if (hit.plan?.slug && hit.plan.slug.toLowerCase() !== request.plan.toLowerCase()) {
      input.logger.warn(`add-on ${name} has plan ${hit.plan.slug}, not ${request.plan}: plans are not changed (stop the preview to recreate it)`);
    }
    result.push(hit);
  }
  if (missing.length === 0) return { changed: false, addons: result };

  const all = await api.listAddons();
  for (const request of missing) {
    const name = addonName(input.previewName, request.provider);
    const addon = await findOrCreateAddon(input, request, name, all);
    await plan.apply(
      { kind: 'update', target: `application ${input.previewName}`, detail: `link add-on ${name}` },
      () => linkOnce(input, addon.id),
      undefined,
    );
    result.push(addon);
  }
  return { changed: true, addons: result };
}

async function findOrCreateAddon(input: EnsureAddonsInput, request: AddonRequest, name: string, all: CleverAddon[]): Promise<CleverAddon> {
  const { api, plan } = input;
  const records = await withAddonTags(api, all.filter((a) => a.name === name && isKind(a, request.provider)));
  const ours = records.filter((r) => hasOwnerMarker(r.tags)).sort((a, b) => olderFirst(a.addon, b.addon));
  if (ours.length > 0) {
    const tagged = await tagAddon(input, ours[0]!, 'add missing identity tag');
    return tagged.addon;
  }
  if (records.length > 0) {
    if (!input.adopt) {
      throw new SafetyError(`ensure ${input.previewName}: add-on ${records[0]!.addon.id} is named ${name} but lacks the ${OWNER_MARKER} tag: refusing to use it`, {
        hint: 'pass --adopt to take it over, or remove it',
      });
    }
    if (records.length > 1) {
      throw new SafetyError(`ensure ${input.previewName}: ${records.length} add-ons are named ${name} and none carries the ${OWNER_MARKER} tag`, {
        hint: 'remove the extra ones',
      });
    }
    return (await tagAddon(input, records[0]!, 'adopt')).addon;
  }
  const { providerId, planId } = resolvePlan(await api.addonProviders(), request, input.region);
  const placeholder: CleverAddon = { id: `(new ${name})`, name, provider: { id: providerId } };
  return plan.apply(
    { kind: 'create', target: `add-on ${name}`, detail: `${request.provider} ${request.plan} in ${input.region}` },
    async () => {
      const created = await createAddonOnce(input, { name, plan: planId, providerId, region: input.region, options: {} });
      // Tagged right away: an add-on without our marker would be refused by the next run.
      for (const tag of input.tags) await api.addAddonTag(created.id, tag);
      return created;
    },
    placeholder,
  );
}

async function tagAddon(input: EnsureAddonsInput, record: AddonRecord, why: string): Promise<AddonRecord> {
  const missing = input.tags.filter((t) => !record.tags.includes(t));
  if (missing.length === 0) return record;
  await input.plan.apply(
    { kind: 'update', target: `add-on ${record.addon.name}`, detail: `${why}: tag ${missing.join(', ')}` },
    async () => {
      for (const tag of missing) await input.api.addAddonTag(record.addon.id, tag);
    },
    undefined,
  );
  return { addon: record.addon, tags: [...record.tags, ...missing] };
}

/**
 * An untagged add-on with exactly this name showing up right after our own failed attempt is
 * taken as the one that attempt made.
 */
async function createAddonOnce(
  input: EnsureAddonsInput,
  body: { name: string; plan: string; providerId: string; region: string; options: Record<string, string> },
): Promise<CleverAddon> {
  const { value } = await createOrFindAgain<CleverAddon>({
    what: `create add-on ${body.name}`,
    create: () => input.api.createAddon(body),
    findAgain: async () => (await input.api.listAddons()).filter((a) => a.name === body.name && isKind(a, body.providerId)).sort(olderFirst)[0],
    logger: input.logger,
    deadline: input.deadline,
    retryInitialMs: input.retryInitialMs,
  });
  return value;
}

/** POST is not retried blindly: after a failure, the link may exist all the same. */
async function linkOnce(input: EnsureAddonsInput, addonId: string): Promise<void> {
  try {
    await input.api.linkAddon(input.appId, addonId);
  } catch (error) {
    if (!isRetryable(error)) throw error;
    const linked = await input.api.linkedAddons(input.appId);
    if (linked.some((a) => a.id === addonId)) return;
    await input.api.linkAddon(input.appId, addonId);
  }
}

/**
 * Add-ons to delete with the preview: those linked to its app(s), plus unlinked ones named after
 * the preview (a run that stopped between creating and linking), in both cases only with our
 * marker and, for unlinked ones, the same identity tag as the app.
 */
export async function ownedAddons(input: { api: CleverApi; appIds: string[]; previewName: string; identityTags: string[] }): Promise<CleverAddon[]> {
  const { api } = input;
  const found = new Map<string, CleverAddon>();
  for (const appId of input.appIds) {
    for (const record of await withAddonTags(api, await api.linkedAddons(appId))) {
      if (hasOwnerMarker(record.tags)) found.set(record.addon.id, record.addon);
    }
  }
  if (input.identityTags.length > 0) {
    const prefix = `${input.previewName}-`;
    const named = (await api.listAddons()).filter((a) => a.name.startsWith(prefix) && !found.has(a.id));
    for (const record of await withAddonTags(api, named)) {
      if (hasOwnerMarker(record.tags) && record.tags.some((t) => input.identityTags.includes(t))) found.set(record.addon.id, record.addon);
    }
  }
  return [...found.values()];
}
