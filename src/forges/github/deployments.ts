/**
 * GitHub deployments for a preview: a deployment of the commit with a `success` status carrying
 * `environment_url` (the "View deployment" button), and on stop every deployment marked
 * `inactive` and the environment deleted, so that no stale environment is left behind.
 */
import { GitHubCallError, type GitHubApi } from './api.js';

export interface DeploymentRecord {
  environment: string;
  /** Commit SHA the preview runs. */
  ref: string;
  url?: string;
  logUrl?: string;
  description: string;
}

export type DeploymentOutcome = 'created' | 'unchanged';

/** Records the deployment unless GitHub already shows this commit live at this URL. */
export async function recordDeployment(api: GitHubApi, record: DeploymentRecord): Promise<DeploymentOutcome> {
  const existing = (await api.listDeployments(record.environment)).filter((d) => d.sha === record.ref).sort((a, b) => b.id - a.id)[0];
  if (existing) {
    const [latest] = await api.listStatuses(existing.id);
    if (latest?.state === 'success' && (latest.environmentUrl ?? '') === (record.url ?? '')) return 'unchanged';
  }
  const deployment = await api.createDeployment({ ref: record.ref, environment: record.environment, description: record.description });
  await api.createStatus(deployment.id, {
    state: 'success',
    ...(record.url ? { environmentUrl: record.url } : {}),
    ...(record.logUrl ? { logUrl: record.logUrl } : {}),
    description: record.description,
  });
  return 'created';
}

export interface RetireResult {
  deactivated: number;
  /** `deleted`, `absent`, `kept` (not asked), or `denied` with the error. */
  environment: 'deleted' | 'absent' | 'kept' | 'denied';
  deniedError?: GitHubCallError;
}

/** Marks every deployment of the environment inactive, then deletes the environment when asked. */
export async function retireEnvironment(api: GitHubApi, options: { environment: string; deleteEnvironment: boolean; logUrl?: string }): Promise<RetireResult> {
  let deactivated = 0;
  for (const deployment of await api.listDeployments(options.environment)) {
    const [latest] = await api.listStatuses(deployment.id);
    if (latest?.state === 'inactive') continue;
    await api.createStatus(deployment.id, { state: 'inactive', description: 'preview removed', ...(options.logUrl ? { logUrl: options.logUrl } : {}) });
    deactivated += 1;
  }
  if (!options.deleteEnvironment) return { deactivated, environment: 'kept' };
  try {
    return { deactivated, environment: (await api.deleteEnvironment(options.environment)) ? 'deleted' : 'absent' };
  } catch (error) {
    if (error instanceof GitHubCallError && error.denied) return { deactivated, environment: 'denied', deniedError: error };
    throw error;
  }
}
