/**
 * What a test plants on the fake as "made earlier": an application of a given name with the tags
 * given (another preview's, or none), and add-ons named after it and linked to it (`plant`); or a
 * whole deployed preview, written straight into the store so that a benchmark can plant a thousand
 * of them in a second (`plantPreview`). Planted things are backdated past the listing lag, so they
 * show in listings at once, as anything made a while ago does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { findAddonProvider, RUNTIMES, type Runtime } from './catalog.js';
import type { Repos } from './repos.js';
import type { CleverStore, NewApp } from './state.js';

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

function nodeRuntime(): Runtime {
  return RUNTIMES.filter((r) => r.enabled && r.variant.slug === 'node').sort((a, b) => b.version.localeCompare(a.version))[0]!;
}

function newApp(name: string, description: string, tags: string[]): NewApp {
  const runtime = nodeRuntime();
  return {
    name,
    description,
    zone: 'par',
    runtime,
    minInstances: 1,
    maxInstances: 1,
    minFlavor: runtime.defaultFlavor,
    maxFlavor: runtime.defaultFlavor,
    lifetime: 'REGULAR',
    env: {},
    tags,
    branch: 'master',
    forceHttps: 'DISABLED',
    cancelOnPush: false,
    separateBuild: false,
    buildFlavor: runtime.buildFlavor,
    stickySessions: false,
    homogeneous: false,
  };
}

export async function plant(store: CleverStore, repos: Repos, input: PlantInput): Promise<Planted> {
  const createdAt = Date.now() - store.listLagMs - 1_000;
  const app = store.createApp(input.ownerId ?? store.organisation.id, newApp(input.name, 'made by someone else', input.tags), createdAt);
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

export interface PlantPreviewInput {
  name: string;
  /** The tags preview-kit writes on a preview's application. */
  tags: string[];
  /** ms since the epoch; default: just past the listing lag. */
  createdAt?: number;
  /** When its one deployment happened, ms since the epoch; default: its creation. */
  deployedAt?: number;
  /** Stopped instances (put to sleep after that deployment). */
  asleep?: boolean;
  /** The deployed commit; default: a stable SHA made from the name. */
  commit?: string;
  /** Default: the organisation. */
  ownerId?: string;
}

/**
 * A complete preview as preview-kit leaves it after `up` (and `sleep`): a tagged application, one
 * successful deployment at `deployedAt` whose commit runs, instances up — or stopped, with the
 * `UNDEPLOY` a stop records. No git runs: the repository is made on the first git request.
 */
export function plantPreview(store: CleverStore, input: PlantPreviewInput): { appId: string } {
  const createdAt = input.createdAt ?? Date.now() - store.listLagMs - 1_000;
  const deployedAt = input.deployedAt ?? createdAt;
  const commit = input.commit ?? createHash('sha1').update(input.name).digest('hex');
  const app = store.createApp(input.ownerId ?? store.organisation.id, newApp(input.name, `preview ${input.name}`, input.tags), createdAt);
  // Made "earlier" whatever its creation time says: listings show it at once.
  app.listedFrom = 0;
  const deployment = (id: number, date: number, action: 'DEPLOY' | 'UNDEPLOY') => ({
    id,
    uuid: `deployment_${randomUUID()}`,
    date,
    state: 'OK' as const,
    action,
    commit,
    cause: action === 'DEPLOY' ? 'git push' : 'stop',
    instances: action === 'DEPLOY' ? app.instance.minInstances : 0,
  });
  app.deployments.push(deployment(1, deployedAt, 'DEPLOY'));
  app.commitId = commit;
  app.state = 'SHOULD_BE_UP';
  if (input.asleep) {
    app.deployments.push(deployment(2, deployedAt + 1, 'UNDEPLOY'));
    app.state = 'SHOULD_BE_DOWN';
  }
  return { appId: app.id };
}
