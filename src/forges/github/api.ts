/**
 * The few GitHub REST calls preview-kit makes, behind a narrow interface. Built on
 * `@actions/github` (octokit), imported lazily so the CLI does not load it unless it reports.
 */
import type { Logger } from '../../core/logger.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface IssueComment {
  id: number;
  body: string;
  createdAt: string;
}

export interface Deployment {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
}

export interface DeploymentStatus {
  id: number;
  state: string;
  environmentUrl?: string;
}

export interface NewDeployment {
  ref: string;
  environment: string;
  description: string;
}

export interface NewDeploymentStatus {
  state: 'success' | 'failure' | 'error' | 'inactive' | 'in_progress' | 'queued' | 'pending';
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
}

export interface GitHubApi {
  listComments(issue: number): Promise<IssueComment[]>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<void>;
  deleteComment(id: number): Promise<void>;
  listDeployments(environment: string): Promise<Deployment[]>;
  createDeployment(deployment: NewDeployment): Promise<Deployment>;
  /** Newest first, as GitHub returns them. */
  listStatuses(deploymentId: number): Promise<DeploymentStatus[]>;
  createStatus(deploymentId: number, status: NewDeploymentStatus): Promise<void>;
  /** False when the environment did not exist. */
  deleteEnvironment(name: string): Promise<boolean>;
}

/** A failed GitHub call, with what the caller needs to decide "warn and go on". */
export class GitHubCallError extends Error {
  constructor(
    readonly call: string,
    readonly status: number | undefined,
    readonly reason: string,
  ) {
    super(`${call}: ${status ? `HTTP ${status}: ` : ''}${reason}`);
  }
  /** The token may not do this (GitHub answers 403, or 404 to hide what it cannot see). */
  get denied(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

interface OctokitError {
  status?: number;
  message?: string;
  response?: { data?: unknown };
}

function reasonOf(error: OctokitError): string {
  const data = error.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') return (data as { message: string }).message;
  return error.message?.split('\n')[0] ?? String(error);
}

async function call<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const e = error as OctokitError;
    throw new GitHubCallError(name, typeof e.status === 'number' ? e.status : undefined, reasonOf(e));
  }
}

export async function createGitHubApi(options: { token: string; baseUrl: string; repo: RepoRef; logger: Logger }): Promise<GitHubApi> {
  const { getOctokit } = await import('@actions/github');
  const { logger, repo } = options;
  const octokit = getOctokit(options.token, {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    log: { debug: (m: string) => logger.debug(`github: ${m}`), info: (m: string) => logger.debug(`github: ${m}`), warn: (m: string) => logger.debug(`github: ${m}`), error: (m: string) => logger.debug(`github: ${m}`) },
  });
  const rest = octokit.rest;

  return {
    listComments: (issue) =>
      call('list pull request comments', async () => {
        const all = await octokit.paginate(rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 });
        return all.map((c: { id: number; body?: string | null; created_at: string }) => ({ id: c.id, body: c.body ?? '', createdAt: c.created_at }));
      }),
    createComment: (issue, body) =>
      call('create pull request comment', async () => {
        const { data } = await rest.issues.createComment({ ...repo, issue_number: issue, body });
        return { id: data.id, body: data.body ?? '', createdAt: data.created_at };
      }),
    updateComment: (id, body) =>
      call('update pull request comment', async () => {
        await rest.issues.updateComment({ ...repo, comment_id: id, body });
      }),
    deleteComment: (id) =>
      call('delete duplicate pull request comment', async () => {
        await rest.issues.deleteComment({ ...repo, comment_id: id });
      }),
    listDeployments: (environment) =>
      call('list deployments', async () => {
        const all = await octokit.paginate(rest.repos.listDeployments, { ...repo, environment, per_page: 100 });
        return all.map((d: { id: number; sha: string; environment: string; created_at: string }) => ({ id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at }));
      }),
    createDeployment: (deployment) =>
      call('create deployment', async () => {
        const response = await rest.repos.createDeployment({
          ...repo,
          ref: deployment.ref,
          environment: deployment.environment,
          description: deployment.description,
          task: 'deploy',
          // The preview is of this exact commit: no merge of the default branch, no status gate.
          auto_merge: false,
          required_contexts: [],
          transient_environment: true,
          production_environment: false,
        });
        if (response.status !== 201 || !('id' in response.data)) {
          throw Object.assign(new Error((response.data as { message?: string }).message ?? 'deployment not created'), { status: response.status });
        }
        const d = response.data;
        return { id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at };
      }),
    listStatuses: (deploymentId) =>
      call('list deployment statuses', async () => {
        const { data } = await rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deploymentId, per_page: 100 });
        return data.map((s: { id: number; state: string; environment_url?: string }) => ({ id: s.id, state: s.state, ...(s.environment_url ? { environmentUrl: s.environment_url } : {}) }));
      }),
    createStatus: (deploymentId, status) =>
      call(`set deployment status ${status.state}`, async () => {
        await rest.repos.createDeploymentStatus({
          ...repo,
          deployment_id: deploymentId,
          state: status.state,
          ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
          ...(status.logUrl ? { log_url: status.logUrl } : {}),
          ...(status.description ? { description: status.description.slice(0, 140) } : {}),
          auto_inactive: status.state === 'success',
        });
      }),
    deleteEnvironment: async (name) => {
      // Look first: a second stop then makes no mutating call at all.
      try {
        await call('look up environment', () => rest.repos.getEnvironment({ ...repo, environment_name: name }));
      } catch (error) {
        if (error instanceof GitHubCallError && error.status === 404) return false;
        throw error;
      }
      await call('delete environment', () => rest.repos.deleteAnEnvironment({ ...repo, environment_name: name }));
      return true;
    },
  };
}
