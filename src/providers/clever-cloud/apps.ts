/**
 * Finding, creating and adopting the preview's application. App names are not unique on Clever
 * Cloud, so an app is ours only when it has the preview name *and* our marker tag. There is no
 * lock either: after creating we list again, and when a concurrent run created the same preview
 * the older app wins and the newer one is removed by the run that created it.
 */
import { ConfigError, ProviderError, SafetyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { Deadline } from '../../core/retry.js';
import { OWNER_MARKER } from '../types.js';
import type { CleverApi, CleverApp, CleverInstanceProduct, CreateAppBody, ScalabilityBody } from './api.js';
import { createOrFindAgain } from './look-again.js';
import type { CleverSettings } from './settings.js';
import { hasOwnerMarker } from './tags.js';

export interface AppRecord {
  app: CleverApp;
  tags: string[];
}

export interface AppLookup {
  /** Same-name apps with our marker, oldest first: the first one is the preview. */
  ours: AppRecord[];
  /** Same-name apps without it: never touched unless adopted. */
  foreign: AppRecord[];
}

/** `creationDate` in ms since the epoch (the API sends a number; ISO text is accepted too). */
export function creationTime(item: { creationDate?: number | string }): number {
  const raw = item.creationDate;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isFinite(n)) return n;
  }
  return Number.POSITIVE_INFINITY;
}

/** Oldest first; ties broken by id, so every concurrent run picks the same winner. */
export function olderFirst(a: { id: string; creationDate?: number | string }, b: { id: string; creationDate?: number | string }): number {
  const ta = creationTime(a);
  const tb = creationTime(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const byAge = (a: AppRecord, b: AppRecord): number => olderFirst(a.app, b.app);

function isGone(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Tags of each app, read only where the list view did not carry them; apps deleted meanwhile are dropped. */
export async function withTags(api: CleverApi, apps: CleverApp[]): Promise<AppRecord[]> {
  const records = await mapLimit(apps, 8, async (app): Promise<AppRecord | undefined> => {
    if (Array.isArray(app.tags)) return { app, tags: app.tags };
    try {
      return { app, tags: await api.appTags(app.id) };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  });
  return records.filter((r): r is AppRecord => r !== undefined);
}

/** Lists the owner's apps and sorts those named `name` into ours and foreign. Errors propagate: never "absent". */
export async function lookupApps(api: CleverApi, name: string): Promise<AppLookup> {
  const sameName = (await api.listApps()).filter((app) => app.name === name);
  const records = await withTags(api, sameName);
  return {
    ours: records.filter((r) => hasOwnerMarker(r.tags)).sort(byAge),
    foreign: records.filter((r) => !hasOwnerMarker(r.tags)).sort(byAge),
  };
}

export type AppChoice = { kind: 'ours'; record: AppRecord } | { kind: 'adopt'; record: AppRecord } | { kind: 'absent' };

function describeApps(records: AppRecord[]): string {
  return records.map((r) => r.app.id).join(', ');
}

/** What `ensure` does with a lookup: use ours, adopt a foreign one (only when asked), or create. */
export function chooseApp(lookup: AppLookup, name: string, adopt: boolean, logger: Logger): AppChoice {
  if (lookup.ours.length > 0) {
    if (lookup.ours.length > 1) {
      logger.warn(`${lookup.ours.length} applications named ${name} carry our tag (${describeApps(lookup.ours)}); using the oldest, ${lookup.ours[0]!.app.id}`);
    }
    return { kind: 'ours', record: lookup.ours[0]! };
  }
  if (lookup.foreign.length === 0) return { kind: 'absent' };
  if (lookup.foreign.length > 1) {
    throw new SafetyError(`ensure ${name}: ${lookup.foreign.length} applications have this name and none carries the ${OWNER_MARKER} tag (${describeApps(lookup.foreign)})`, {
      hint: 'remove or rename the extra ones; --adopt takes over only a single application',
    });
  }
  if (!adopt) {
    throw new SafetyError(`ensure ${name}: application ${lookup.foreign[0]!.app.id} has this name but not the ${OWNER_MARKER} tag: refusing to change it`, {
      hint: 'pass --adopt to take it over, or remove it',
    });
  }
  return { kind: 'adopt', record: lookup.foreign[0]! };
}

/** Adds the tags an app lacks (adoption, or an API that ignored the tags of the create body). */
export async function addMissingTags(api: CleverApi, plan: Plan, record: AppRecord, tags: string[], why: string): Promise<AppRecord> {
  const missing = tags.filter((t) => !record.tags.includes(t));
  if (missing.length === 0) return record;
  await plan.apply(
    { kind: 'update', target: `application ${record.app.name}`, detail: `${why}: tag ${missing.join(', ')}` },
    async () => {
      for (const tag of missing) await api.addAppTag(record.app.id, tag);
    },
    undefined,
  );
  return { app: record.app, tags: [...record.tags, ...missing] };
}

function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The enabled runtime whose variant slug is `type`, newest version first (what clever-tools picks). */
export function pickRuntime(products: CleverInstanceProduct[], type: string): CleverInstanceProduct {
  const matching = products.filter((p) => p.enabled && p.variant?.slug === type);
  if (matching.length === 0) {
    const known = [...new Set(products.filter((p) => p.enabled && p.variant?.slug).map((p) => p.variant!.slug))].sort();
    throw new ConfigError(`invalid settings: --type ${type}: Clever Cloud has no such runtime`, { hint: `available: ${known.join(', ') || 'none listed'}` });
  }
  return matching.sort((a, b) => compareVersions(b.version, a.version))[0]!;
}

export function createBody(input: {
  name: string;
  description: string;
  settings: CleverSettings;
  runtime: CleverInstanceProduct;
  env: Record<string, string>;
  tags: string[];
}): CreateAppBody {
  const { settings, runtime } = input;
  const flavor = settings.flavor ?? runtime.defaultFlavor?.name;
  if (!flavor || !runtime.variant) {
    throw new ProviderError(`create application ${input.name}: the runtime catalogue has no default flavor or variant for ${settings.type}`, {
      hint: 'give --flavor',
    });
  }
  const instances = settings.instances ?? 1;
  const body: CreateAppBody = {
    deploy: 'git',
    name: input.name,
    description: input.description,
    zone: settings.zone,
    instanceType: runtime.type,
    instanceVersion: runtime.version,
    instanceVariant: runtime.variant.id,
    minFlavor: flavor,
    maxFlavor: flavor,
    minInstances: instances,
    maxInstances: instances,
    instanceLifetime: 'REGULAR',
    env: input.env,
    // In the create body, so that no concurrent run ever sees our new app untagged.
    tags: input.tags,
  };
  if (settings.buildFlavor === 'disabled') body.separateBuild = false;
  else if (settings.buildFlavor) Object.assign(body, { separateBuild: true, buildFlavor: settings.buildFlavor });
  return body;
}

const sameName = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** The scaler fields that differ from what is asked, or undefined when nothing does. */
export function scalabilityChanges(app: CleverApp, settings: CleverSettings): ScalabilityBody | undefined {
  const body: ScalabilityBody = {};
  const inst = app.instance ?? {};
  if (settings.flavor && !(sameName(inst.minFlavor?.name, settings.flavor) && sameName(inst.maxFlavor?.name, settings.flavor))) {
    body.minFlavor = settings.flavor;
    body.maxFlavor = settings.flavor;
  }
  if (settings.instances !== undefined && !(inst.minInstances === settings.instances && inst.maxInstances === settings.instances)) {
    body.minInstances = settings.instances;
    body.maxInstances = settings.instances;
  }
  if (settings.buildFlavor === 'disabled') {
    if (app.separateBuild) body.separateBuild = false;
  } else if (settings.buildFlavor && !(app.separateBuild && sameName(app.buildFlavor?.name, settings.buildFlavor))) {
    body.separateBuild = true;
    body.buildFlavor = settings.buildFlavor;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

export interface CreateInput {
  api: CleverApi;
  plan: Plan;
  logger: Logger;
  deadline: Deadline;
  body: CreateAppBody;
  /** Backoff base between a failed create and the next look, ms. */
  retryInitialMs: number;
}

/**
 * POSTs the app, looking for it again before any new attempt (see look-again.ts). `createdId` is
 * set only when our own POST returned the app. Undefined in a dry run.
 */
export async function createApp(input: CreateInput): Promise<{ record: AppRecord; createdId?: string } | undefined> {
  const { api, body } = input;
  return input.plan.apply(
    { kind: 'create', target: `application ${body.name}`, detail: `${body.instanceType} ${body.minFlavor} in ${body.zone}` },
    async () => {
      const { value, found } = await createOrFindAgain<AppRecord>({
        what: `create application ${body.name}`,
        create: async () => {
          const app = await api.createApp(body);
          return { app, tags: Array.isArray(app.tags) ? app.tags : body.tags };
        },
        findAgain: async () => (await lookupApps(api, body.name)).ours[0],
        logger: input.logger,
        deadline: input.deadline,
        retryInitialMs: input.retryInitialMs,
      });
      return found ? { record: value } : { record: value, createdId: value.app.id };
    },
    undefined,
  );
}

/**
 * Lists again after a create. When several apps of ours share the name, the oldest wins; if it is
 * not the one this run created, ours is deleted (it has nothing attached yet: add-ons come after
 * this step) and the run continues with the winner.
 */
export async function settleRace(input: {
  api: CleverApi;
  plan: Plan;
  logger: Logger;
  created: AppRecord;
  tags: string[];
}): Promise<{ record: AppRecord; created: boolean }> {
  const { api, plan, logger, created } = input;
  const again = await lookupApps(api, created.app.name);
  let ours = again.ours;
  if (!ours.some((r) => r.app.id === created.app.id)) {
    const listedUntagged = again.foreign.find((r) => r.app.id === created.app.id);
    // An API that ignores `tags` in the create body: tag it now. A list that lags: trust the create.
    const mine = listedUntagged ? await addMissingTags(api, plan, listedUntagged, input.tags, 'tags the create body did not set') : created;
    ours = [...ours, mine].sort(byAge);
  }
  const winner = ours[0]!;
  if (winner.app.id === created.app.id) return { record: winner, created: true };
  logger.warn(`another run created ${created.app.name} at the same time: keeping the older ${winner.app.id}, removing ${created.app.id}`);
  await plan.apply(
    { kind: 'delete', target: `application ${created.app.name}`, detail: `${created.app.id}, duplicate of ${winner.app.id} from a concurrent run` },
    () => api.deleteApp(created.app.id),
    true,
  );
  return { record: winner, created: false };
}
