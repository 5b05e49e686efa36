/**
 * What a test plants on the fake as "made earlier by someone else": an application of a given
 * name with the tags given (another preview's, or none), and add-ons named after it and linked to
 * it. Planted things are backdated past the listing lag, so they show in listings at once, as
 * anything made a while ago does.
 */
import { findAddonProvider, RUNTIMES } from './catalog.js';
import type { Repos } from './repos.js';
import type { CleverStore } from './state.js';

export interface PlantInput {
  name: string;
  /** Tags of the application (none: unmarked). */
  tags: string[];
  /** Add-ons named `<name>-<providerId>`, linked to the application. */
  addons?: Array<{ providerId: string; planSlug?: string; tags: string[] }>;
  /** Default: the organisation. */
  ownerId?: string;
}

export interface Planted {
  appId: string;
  addonIds: string[];
}

export async function plant(store: CleverStore, repos: Repos, input: PlantInput): Promise<Planted> {
  const runtime = RUNTIMES.filter((r) => r.enabled && r.variant.slug === 'node').sort((a, b) => b.version.localeCompare(a.version))[0]!;
  const createdAt = Date.now() - store.listLagMs - 1_000;
  const app = store.createApp(
    input.ownerId ?? store.organisation.id,
    {
      name: input.name,
      description: 'made by someone else',
      zone: 'par',
      runtime,
      minInstances: 1,
      maxInstances: 1,
      minFlavor: runtime.defaultFlavor,
      maxFlavor: runtime.defaultFlavor,
      lifetime: 'REGULAR',
      env: {},
      tags: input.tags,
      branch: 'master',
      forceHttps: 'DISABLED',
      cancelOnPush: false,
      separateBuild: false,
      buildFlavor: runtime.buildFlavor,
      stickySessions: false,
      homogeneous: false,
    },
    createdAt,
  );
  await repos.init(app.id);
  const addonIds: string[] = [];
  for (const wanted of input.addons ?? []) {
    const provider = findAddonProvider(wanted.providerId);
    if (!provider) throw new Error(`unknown add-on provider ${wanted.providerId}`);
    const plan = provider.plans.find((p) => p.slug === (wanted.planSlug ?? 'dev')) ?? provider.plans[0]!;
    const addon = store.createAddon(
      app.ownerId,
      { name: `${input.name}-${provider.id}`, providerId: provider.id, planId: plan.id, region: 'par', tags: wanted.tags, linkedApp: app },
      createdAt,
    );
    addonIds.push(addon.id);
  }
  return { appId: app.id, addonIds };
}
