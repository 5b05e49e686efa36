/**
 * The `Preview` the provider hands out, and what it carries back in. The provider keeps nothing
 * between calls; what one step learnt about the app (its record and tags, domains, recent
 * deployments, a restart the next deploy owes) rides inside the returned Preview under a symbol
 * key — copied along when a command spreads the Preview, left out of its JSON — so that
 * ensure → set-domain → deploy in one process reads each thing once, and a Preview from `find`
 * makes `deploy` or `set-domain` alone behave as inside `up`.
 */
import { carry } from '../carry.js';
import type { Preview, PreviewDeployment, PreviewRef } from '../types.js';
import type { CleverAddon, CleverDeployment } from './api.js';
import { creationTime } from './app-body.js';
import type { AppRecord } from './app-hooks.js';
import { normaliseVhosts, previewDomains, primaryHost, urlOfHost, type DomainState } from './domains.js';
import { lastDeployedAt, lastDeployOf, previewStateOf } from './preview-state.js';
import { marksOf } from './tags.js';

const KNOWN = carry<AppKnowledge>('clever-cloud application');

/** What is known about the preview's app. Shared by reference between copies of one Preview. */
export interface AppKnowledge {
  /** The preview key it was found or made for: knowledge is never used for another preview. */
  key: string;
  record: AppRecord;
  /** A dry run's stand-in for an app that would be created: never sent to the API. */
  planned: boolean;
  domains?: DomainState;
  /** Recent deployments, newest first (stops included). */
  deployments?: CleverDeployment[];
  /** Why the instances must restart at the next deploy even if their commit is live. */
  restart?: string;
  addons?: CleverAddon[];
}

export function knowledgeOf(preview: Preview, ref: PreviewRef): AppKnowledge | undefined {
  return KNOWN.take(preview, (known) => known.key === ref.key && known.record.app.id === preview.id);
}

export function knowledgeFor(record: AppRecord, key: string, planned = false): AppKnowledge {
  return {
    key,
    record,
    planned,
    ...(record.app.vhosts ? { domains: { hosts: normaliseVhosts(record.app.vhosts) } } : {}),
    ...(record.deployments ? { deployments: record.deployments } : {}),
  };
}

const DEPLOYMENT_STATES: Record<string, PreviewDeployment['state']> = {
  WIP: 'running',
  OK: 'ok',
  FAIL: 'failed',
  CANCELLED: 'cancelled',
};

export function toPreviewDeployment(d: CleverDeployment): PreviewDeployment {
  const time = typeof d.date === 'number' ? d.date : typeof d.date === 'string' ? Date.parse(d.date) : NaN;
  return {
    id: d.uuid,
    state: DEPLOYMENT_STATES[d.state] ?? d.state.toLowerCase(),
    ...(d.commit ? { commit: d.commit } : {}),
    ...(Number.isFinite(time) ? { createdAt: new Date(time).toISOString() } : {}),
  };
}

export function toPreview(known: AppKnowledge, name: string): Preview {
  const { app, tags } = known.record;
  const hosts = known.domains?.hosts ?? (app.vhosts ? normaliseVhosts(app.vhosts) : []);
  const favourite = known.domains?.favourite ?? undefined;
  const { identity } = marksOf(tags);
  const created = creationTime(app);
  const last = lastDeployOf(known.deployments);
  const deployedAt = lastDeployedAt(known.deployments);
  const preview: Preview = {
    name,
    id: app.id,
    url: urlOfHost(primaryHost(hosts)),
    domains: previewDomains(hosts, favourite),
    ...(known.addons ? { addons: known.addons.map((a) => ({ id: a.id, name: a.name, kind: a.provider?.id ?? 'addon', ...(a.plan?.slug ? { plan: a.plan.slug } : {}) })) } : {}),
    ...(last ? { lastDeployment: toPreviewDeployment(last) } : {}),
    ...(identity ? { identity } : {}),
    ...(Number.isFinite(created) ? { createdAt: new Date(created).toISOString() } : {}),
    ...(deployedAt ? { lastDeployedAt: deployedAt } : {}),
    ...(known.planned ? {} : { state: previewStateOf(app.state, known.deployments ?? [], Boolean(app.commitId)) }),
    details: {
      appId: app.id,
      ...(app.ownerId ? { ownerId: app.ownerId } : {}),
      ...(app.zone ? { zone: app.zone } : {}),
      ...(app.instance?.variant?.slug ? { type: app.instance.variant.slug } : {}),
      ...(app.instance?.minFlavor?.name ? { flavor: app.instance.minFlavor.name } : {}),
      ...(app.instance?.minInstances !== undefined ? { instances: app.instance.minInstances } : {}),
      ...(app.deployment?.httpUrl ? { gitUrl: app.deployment.httpUrl } : {}),
      ...(app.commitId ? { runningCommit: app.commitId } : {}),
      ...(app.state ? { appState: app.state } : {}),
      tags,
      ...(known.planned ? { dryRun: true } : {}),
    },
  };
  return KNOWN.put(preview, known);
}
