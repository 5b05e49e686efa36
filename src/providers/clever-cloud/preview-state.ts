/**
 * What a preview is doing and when it was last deployed, read off what Clever Cloud says of its
 * application: the run state of the app (`SHOULD_BE_UP` while its instances should run,
 * `SHOULD_BE_DOWN` once `DELETE …/instances` stopped them or before a first start,
 * `WANTS_TO_BE_UP` while they start) and its deployments, newest first (a stop is recorded as an
 * `UNDEPLOY`, a push or restart as a `DEPLOY`). Pure: the same reading for `find`, `list` and after
 * `deploy`, and for the app view, the summary or the organisation's deployments alike.
 */
import type { PreviewState } from '../types.js';
import type { CleverDeployment } from './api.js';

/** A deployment that ran code (a push or a restart), not a stop or a scaling. */
export const isDeploy = (d: CleverDeployment): boolean => d.action === undefined || d.action === 'DEPLOY';

/** `date` in ms since the epoch (the API sends a number; digits or ISO text are accepted too), or NaN. */
export function deploymentTime(d: CleverDeployment): number {
  if (typeof d.date === 'number') return d.date;
  if (typeof d.date === 'string') return /^\d+$/.test(d.date) ? Number(d.date) : Date.parse(d.date);
  return Number.NaN;
}

/** Newest first, whatever order the API used. */
export function newestFirst(list: CleverDeployment[]): CleverDeployment[] {
  const time = (d: CleverDeployment) => deploymentTime(d) || 0;
  return [...list].sort((a, b) => time(b) - time(a) || (b.id ?? 0) - (a.id ?? 0));
}

/** The newest deployment that ran code (of `deployments`, newest first). */
export function lastDeployOf(deployments: readonly CleverDeployment[] | undefined): CleverDeployment | undefined {
  return deployments?.find(isDeploy);
}

/** When the preview was last deployed (ISO 8601): its newest push or restart, whatever its outcome. */
export function lastDeployedAt(deployments: readonly CleverDeployment[] | undefined): string | undefined {
  const last = lastDeployOf(deployments);
  const time = last ? deploymentTime(last) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}

/**
 * The preview's state from the app's run state and its deployments (newest first):
 * a deployment in progress or instances starting → `deploying`; a newest deployment that failed →
 * `failed`; instances that should run → `running`; stopped after having run → `sleeping`; stopped
 * by Clever Cloud (moderation, unpaid bills) → `failed`; never started, or a state we do not know →
 * `unknown`.
 */
export function previewStateOf(appState: string | undefined, deployments: readonly CleverDeployment[], hasRun: boolean): PreviewState {
  const newest = deployments[0];
  if (newest && (newest.state === 'WIP' || newest.state === 'TASK_RUNNING')) return 'deploying';
  if (appState === 'WANTS_TO_BE_UP') return 'deploying';
  if (newest && isDeploy(newest) && newest.state === 'FAIL') return 'failed';
  switch (appState) {
    case 'SHOULD_BE_UP':
      return 'running';
    case 'SHOULD_BE_DOWN':
      return hasRun || deployments.some((d) => isDeploy(d) && d.state === 'OK') ? 'sleeping' : 'unknown';
    case 'MODERATED':
    case 'DEFAULT_OF_PAYMENT':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** Stopped (asleep, or never started): a stop would change nothing. */
export function isStopped(appState: string | undefined): boolean {
  return appState === 'SHOULD_BE_DOWN';
}
