/**
 * The preview's application as the reconcile algorithm sees it (`../reconcile.ts`). Names are not
 * unique on Clever Cloud and there is no lock, so an app is this preview's only when it carries
 * the preview's key tag; a race between runs is settled by the algorithm (the oldest wins). Tags
 * travel in the create body, so a new app is never seen untagged; no application view carries
 * tags, so each candidate's tags are read from its own route.
 */
import { ProviderError } from '../../core/errors.js';
import type { ResourceHooks } from '../reconcile.js';
import type { PreviewRef } from '../types.js';
import type { CleverAddon, CleverApi, CleverApp, CleverDeployment, CreateAppBody } from './api.js';
import { creationTime } from './app-body.js';
import { newestFirst } from './preview-state.js';
import { marksOf, missingTags } from './tags.js';

export interface AppRecord {
  app: CleverApp;
  tags: string[];
  /** Its recent deployments, newest first, when they were read along with its tags. */
  deployments?: CleverDeployment[];
  /** The add-ons linked to it, when they were read along with its tags. */
  linkedAddons?: CleverAddon[];
}

/** What else to read of each candidate app, at the same time as its tags (what the caller needs next). */
export interface AlsoRead {
  deployments?: boolean;
  linkedAddons?: boolean;
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

export function isGone(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}

/**
 * Each app with its tags (and, asked for, its recent deployments and linked add-ons, read at the
 * same time); an app deleted meanwhile (404) is dropped.
 */
export async function withTags(api: CleverApi, apps: readonly CleverApp[], also: AlsoRead = {}): Promise<AppRecord[]> {
  const records = await mapLimit(apps, 8, async (app): Promise<AppRecord | undefined> => {
    try {
      const [tags, deployments, linkedAddons] = await Promise.all([
        api.appTags(app.id),
        also.deployments ? api.deployments(app.id, 5) : undefined,
        also.linkedAddons ? api.linkedAddons(app.id) : undefined,
      ]);
      return { app, tags, ...(deployments ? { deployments: newestFirst(deployments) } : {}), ...(linkedAddons ? { linkedAddons } : {}) };
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  });
  return records.filter((r): r is AppRecord => r !== undefined);
}

/** Every app of the owner named `name`, whoever made it. Errors propagate: never "absent". */
export async function namedApps(api: CleverApi, name: string, also: AlsoRead = {}): Promise<AppRecord[]> {
  return withTags(api, (await api.listApps()).filter((app) => app.name === name), also);
}

/** Ms since the epoch, or undefined when the API gave no usable date. */
export function createdAtOf(item: { creationDate?: number | string }): number | undefined {
  const time = creationTime(item);
  return Number.isFinite(time) ? time : undefined;
}

/** Writes the tags `ref` lacks on an app, in order (key first); returns the record with them. */
export async function tagApp(api: CleverApi, record: AppRecord, ref: Pick<PreviewRef, 'identity' | 'key'>): Promise<AppRecord> {
  let tags = record.tags;
  for (const tag of missingTags(tags, ref)) {
    const answered = await api.addAppTag(record.app.id, tag);
    tags = answered && answered.includes(tag) ? answered : [...tags, tag];
  }
  return { app: record.app, tags };
}

export interface AppHooksInput {
  api: CleverApi;
  ref: PreviewRef;
  /** The create body, tags included; prepared only when the lookup says an app must be made. */
  body: () => CreateAppBody;
  /** A dry run's stand-in for the app it would create. */
  planned: () => AppRecord;
  createDetail?: string;
  /** The apps named after the preview as a fresh listing showed them (`list()`'s fleet), instead of looking again. */
  candidates?: AppRecord[];
  /**
   * Read each candidate's recent deployments or linked add-ons along with its tags: what `up`,
   * `find` or `stop` need next, at no extra wait (the reads run at once).
   */
  alsoRead?: AlsoRead;
}

export function appHooks(input: AppHooksInput): ResourceHooks<AppRecord> {
  const { api, ref } = input;
  return {
    noun: 'application',
    name: ref.name,
    list: async () => input.candidates ?? (await namedApps(api, ref.name, input.alsoRead)),
    id: (r) => r.app.id,
    createdAt: (r) => createdAtOf(r.app),
    marks: (r) => marksOf(r.tags),
    create: async () => {
      const body = input.body();
      const app = await api.createApp(body);
      return { app, tags: [...body.tags] };
    },
    planned: input.planned,
    remove: async (r) => {
      await api.deleteApp(r.app.id);
    },
    mark: (r) => tagApp(api, r, ref),
    needsRepair: (r) => missingTags(r.tags, ref).length > 0,
    uniqueNames: false,
    ...(input.createDetail ? { createDetail: input.createDetail } : {}),
  };
}
