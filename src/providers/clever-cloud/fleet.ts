/**
 * The fleet: every application of the owner with its tags, run state, creation time, domains and
 * deployments, and every add-on with its tags — read in three listing calls, however many
 * previews there are:
 *
 *   GET /v2/summary                          names, `customerTags`, `state`, `commit` of every app and add-on
 *   GET /v2{owner}/applications              creation dates and domains
 *   GET /v2/organisations/{id}/deployments   every app's deployments, keyed by app id
 *
 * No application view carries tags, so without the summary a listing costs one tag read per app.
 * Should a summary ever come without `customerTags`, the tags are read per app as before rather
 * than taken as "no tags" (which would hide every preview).
 *
 * Each Preview `list()` returns carries the fleet it was read from, so that `prune` and the fleet
 * cap — which hand that Preview back to `destroy` and `sleep` — act on the previews they decided on
 * without listing again for each. The provider itself keeps nothing.
 */
import type { Logger } from '../../core/logger.js';
import { carry } from '../carry.js';
import type { CleverApi, CleverApp, CleverDeployment, CleverSummary, CleverSummaryAddon, CleverSummaryApp, CleverSummaryOwner } from './api.js';
import { withTags, type AppRecord } from './app-hooks.js';
import { newestFirst } from './preview-state.js';

export interface FleetApp {
  record: AppRecord;
  /** Newest first (stops included). */
  deployments: CleverDeployment[];
}

export interface Fleet {
  /** Clock time of the read, ms. */
  takenAt: number;
  apps: FleetApp[];
  /** The owner's add-ons with their tags (`customerTags`), as the summary lists them. */
  addons: CleverSummaryAddon[];
}

function ownerIn(summary: CleverSummary, ownerId: string | undefined): CleverSummaryOwner | undefined {
  if (ownerId === undefined) return summary.user;
  return [summary.user, ...(summary.organisations ?? [])].find((o) => o?.id === ownerId);
}

const carriesTags = (owner: CleverSummaryOwner) => (owner.applications ?? []).every((a) => Array.isArray(a.customerTags));

/** Listing apps joined with the summary's: the view's fields, the summary's tags, state and commit where the view lacks them. */
function joined(apps: CleverApp[], items: CleverSummaryApp[]): AppRecord[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const records: AppRecord[] = [];
  for (const app of apps) {
    const item = byId.get(app.id);
    // Not in the summary yet (a listing lags): its tags are unknown, so it is nobody's preview for now.
    if (!item) continue;
    byId.delete(app.id);
    records.push({ app: { ...app, state: app.state ?? item.state, commitId: app.commitId ?? item.commit ?? null }, tags: item.customerTags ?? [] });
  }
  // In the summary only (the other listing lags): what the summary says is all there is.
  for (const item of byId.values()) {
    records.push({ app: { id: item.id, name: item.name, ...(item.state ? { state: item.state } : {}), commitId: item.commit ?? null }, tags: item.customerTags ?? [] });
  }
  return records;
}

export async function readFleet(api: CleverApi, now: number, logger: Logger): Promise<Fleet> {
  const owner = await api.owner();
  const deploymentsOf = async (id: string | undefined): Promise<Record<string, CleverDeployment[]>> => (id === undefined ? {} : api.ownerDeployments(id));
  // The owner's id is known unless it is the personal space: then the summary says it.
  const [summary, apps, early] = await Promise.all([api.summary(), api.listApps(), owner.id === undefined ? undefined : deploymentsOf(owner.id)]);
  const mine = ownerIn(summary, owner.id);
  const deployments = early ?? (await deploymentsOf(mine?.id));
  let records: AppRecord[];
  if (mine && carriesTags(mine)) {
    records = joined(apps, mine.applications ?? []);
  } else {
    logger.debug('the summary lists no tags for this owner: reading each application’s tags');
    records = await withTags(api, apps);
  }
  return {
    takenAt: now,
    apps: records.map((record) => ({ record, deployments: newestFirst(deployments[record.app.id] ?? []) })),
    addons: mine?.addons ?? [],
  };
}

/** The fleet's apps named `name`, when the fleet is fresh and shows any; else undefined (look them up). */
export function fleetRecords(fleet: Fleet | undefined, name: string): AppRecord[] | undefined {
  if (!fleet) return undefined;
  const named = fleet.apps.filter((a) => a.record.app.name === name).map((a) => a.record);
  return named.length > 0 ? named : undefined;
}

const FLEET = carry<Fleet>('clever-cloud fleet');

/** Attaches the fleet a Preview was listed from (left out of its JSON, copied along with it). */
export function withFleet<P extends object>(preview: P, fleet: Fleet): P {
  return FLEET.put(preview, fleet);
}

export function fleetOf(preview: object | undefined): Fleet | undefined {
  return FLEET.take(preview);
}

/** Forgets what was removed, so that a second `destroy` in the same run looks again rather than acting on the past. */
export function forget(fleet: Fleet | undefined, ids: ReadonlySet<string>): void {
  if (!fleet) return;
  fleet.apps = fleet.apps.filter((a) => !ids.has(a.record.app.id));
  fleet.addons = fleet.addons.filter((a) => !ids.has(a.id));
}
