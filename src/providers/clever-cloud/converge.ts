/**
 * Brings an application that already existed to what is asked: its scaler (flavor, instances,
 * build instance) in one update, its environment key by key. Runtime and zone of an existing app
 * are never changed (that would be a new app); a difference is said, not acted on.
 */
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { PreviewSpec } from '../types.js';
import type { CleverApi } from './api.js';
import { scalabilityChanges } from './app-body.js';
import type { AppRecord } from './app-hooks.js';
import { convergeEnv } from './env.js';
import type { CleverSettings } from './settings.js';

export interface Converged {
  record: AppRecord;
  changed: boolean;
  /** Why the instances must restart at the next deploy even if their commit is live. */
  restart?: string;
}

export async function convergeApp(input: {
  api: CleverApi;
  plan: Plan;
  logger: Logger;
  settings: CleverSettings;
  record: AppRecord;
  spec: PreviewSpec;
}): Promise<Converged> {
  const { api, plan, logger, settings, spec } = input;
  let record = input.record;
  const app = record.app;
  let changed = false;
  const slug = app.instance?.variant?.slug;
  if (slug && slug !== settings.type) {
    logger.warn(`${spec.name} runs ${slug}, not ${settings.type}: the runtime of an existing app is not changed (stop the preview to recreate it)`);
  }
  if (app.zone && app.zone !== settings.zone) {
    logger.warn(`${spec.name} is in zone ${app.zone}, not ${settings.zone}: the zone of an existing app is not changed`);
  }
  const scaling = scalabilityChanges(app, settings);
  if (scaling) {
    const detail = Object.entries(scaling)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
    const updated = await plan.apply({ kind: 'update', target: `application ${spec.name}`, detail }, () => api.updateApp(app.id, scaling), undefined);
    if (updated && typeof updated === 'object' && updated.id === app.id) {
      record = { ...record, app: { ...app, ...updated, ...(updated.vhosts ? {} : { vhosts: app.vhosts }) } };
    }
    changed = true;
  }
  if (await convergeEnv({ api, plan, appId: app.id, appName: spec.name, desired: spec.env })) {
    logger.info(`${spec.name}: environment changed; it applies when the instances restart (up restarts them; after ensure-app alone, run deploy --force)`);
    return { record, changed: true, restart: 'environment changed' };
  }
  return { record, changed };
}
