/**
 * What a command leaves behind on GitHub: step outputs, the step summary, the sticky PR comment
 * and the deployment. Reporting never fails the command: the preview is what matters, so a
 * missing permission or a GitHub outage becomes one warning at the end.
 */
import type { CommandResult } from '../../commands/context.js';
import type { Logger } from '../../core/logger.js';
import type { CommonSettings } from '../../core/settings.js';
import { createGitHubApi, GitHubCallError, type GitHubApi, type RepoRef } from './api.js';
import { recordDeployment, retireEnvironment } from './deployments.js';
import { readEvent } from './event.js';
import { environmentName, loadGitHubSettings, type GitHubSettings } from './options.js';
import { upsertComment } from './pr-comment.js';
import { appendSummary, summaryMarkdown, writeOutputs } from './step-files.js';

type Env = Record<string, string | undefined>;

export interface GitHubReportInput {
  result: CommandResult;
  settings: CommonSettings;
  env: Env;
  logger: Logger;
  /** When the command started (Date.now()), for the summary's time row. */
  startedAt: number;
  now?: () => number;
  /** Tests may bring their own API; production builds one from the token. */
  api?: GitHubApi;
}

export function outputsOf(result: CommandResult): Record<string, string> {
  const outputs: Record<string, string> = { name: result.name };
  if (result.url) outputs.url = result.url;
  if (result.id) outputs['app-id'] = result.id;
  for (const key of ['created', 'changed', 'deployed', 'deleted'] as const) if (result[key] !== undefined) outputs[key] = String(result[key]);
  if (result.commit) outputs.commit = String(result.commit);
  if (result.removed) outputs.removed = result.removed.join(',');
  return outputs;
}

export function summaryRows(result: CommandResult, elapsedMs: number): Array<[string, string]> {
  const rows: Array<[string, string]> = [['preview', result.name]];
  if (result.url) rows.push(['URL', result.url]);
  if (result.commit) rows.push(['commit', String(result.commit).slice(0, 12)]);
  if (result.command === 'stop') rows.push(['removed', result.deleted ? result.removed?.join(', ') || 'the preview' : 'nothing (already gone)']);
  rows.push([result.dryRun ? 'would change' : 'changes', result.plan?.length ? result.plan.join('; ') : 'none']);
  rows.push(['time', `${(elapsedMs / 1000).toFixed(1)}s`]);
  return rows;
}

function repoOf(env: Env): RepoRef | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}

function runUrlOf(env: Env): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

const PERMISSION: Record<string, string> = {
  comment: 'pull-requests: write',
  deployment: 'deployments: write',
  environment: 'administration: write, which the workflow token never has (pass a fine-grained token or a GitHub App token as github-token, or set delete-environment: false)',
};

/** Collects what could not be done, for one warning at the end. */
class Shortfalls {
  private readonly items: string[] = [];
  async attempt(what: keyof typeof PERMISSION, label: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.note(what, label, error);
    }
  }
  note(what: keyof typeof PERMISSION, label: string, error: unknown): void {
    if (error instanceof GitHubCallError) {
      const needs = error.denied ? `; the token needs ${PERMISSION[what]}` : '';
      this.items.push(`${label} (${error.message}${needs})`);
    } else {
      this.items.push(`${label} (${(error as Error)?.message ?? String(error)})`);
    }
  }
  flush(logger: Logger): void {
    if (this.items.length) logger.warn(`GitHub reporting incomplete, the preview itself is fine: could not ${this.items.join('; could not ')}`);
  }
}

async function reportRemote(input: GitHubReportInput, github: GitHubSettings, api: GitHubApi): Promise<void> {
  const { result, settings, env, logger } = input;
  const event = readEvent(env);
  const issue = settings.pr ?? event.pullRequest?.number;
  const runUrl = runUrlOf(env);
  const environment = environmentName(github.environment, { name: result.name, branch: settings.branch, pr: issue, app: settings.app });
  const shortfalls = new Shortfalls();

  if (result.command === 'stop') {
    if (github.deployment) {
      await shortfalls.attempt('deployment', `retire the deployments of ${environment}`, async () => {
        const retired = await retireEnvironment(api, { environment, deleteEnvironment: github.deleteEnvironment, ...(runUrl ? { logUrl: runUrl } : {}) });
        logger.info(`GitHub environment ${environment}: ${retired.deactivated} deployment(s) marked inactive, environment ${retired.environment}`);
        if (retired.deniedError) shortfalls.note('environment', `delete the environment ${environment}`, retired.deniedError);
      });
    }
    if (github.comment && issue !== undefined) {
      await shortfalls.attempt('comment', `update the comment on #${issue}`, async () => {
        const outcome = await upsertComment(api, issue, { kind: 'removed', name: result.name, removed: result.removed ?? [], ...(runUrl ? { runUrl } : {}) });
        logger.info(`pull request #${issue} comment: ${outcome}`);
      });
    }
  } else if (result.command === 'up' || result.command === 'deploy') {
    const ref = result.commit ?? event.pullRequest?.headSha ?? env.GITHUB_SHA;
    if (github.deployment && ref) {
      await shortfalls.attempt('deployment', `record the deployment in ${environment}`, async () => {
        const outcome = await recordDeployment(api, {
          environment,
          ref,
          ...(result.url ? { url: result.url } : {}),
          ...(runUrl ? { logUrl: runUrl } : {}),
          description: `preview ${result.name}`,
        });
        logger.info(`GitHub deployment in ${environment}: ${outcome}`);
      });
    }
    if (github.comment && issue !== undefined) {
      await shortfalls.attempt('comment', `write the comment on #${issue}`, async () => {
        const commitUrl = ref && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/commit/${ref}` : undefined;
        const outcome = await upsertComment(api, issue, {
          kind: 'live',
          name: result.name,
          ...(result.url ? { url: result.url } : {}),
          ...(ref ? { commit: ref } : {}),
          ...(commitUrl ? { commitUrl } : {}),
          ...(runUrl ? { runUrl } : {}),
        });
        logger.info(`pull request #${issue} comment: ${outcome}`);
      });
    }
  }
  shortfalls.flush(logger);
}

/** Publishes a finished command to GitHub. Call only when GITHUB_ACTIONS=true. */
export async function reportToGitHub(input: GitHubReportInput): Promise<void> {
  const { result, env, logger } = input;
  const now = input.now ?? Date.now;
  await writeOutputs(env, outputsOf(result));
  await appendSummary(env, summaryMarkdown(`preview-kit ${result.command}${result.dryRun ? ' (dry run)' : ''}`, summaryRows(result, now() - input.startedAt)));

  if (result.dryRun || !['up', 'deploy', 'stop'].includes(result.command)) return;
  let github: GitHubSettings;
  try {
    github = loadGitHubSettings(env);
  } catch (error) {
    logger.warn(`GitHub reporting skipped: ${(error as Error).message}`);
    return;
  }
  logger.addSecret(github.token);
  const repo = repoOf(env);
  if (!github.comment && !github.deployment) return;
  if (!repo || (!github.token && !input.api)) {
    logger.debug('GitHub reporting skipped: no GITHUB_REPOSITORY or no token');
    return;
  }
  await logger.group('report to GitHub', async () => {
    const api = input.api ?? (await createGitHubApi({ token: github.token!, baseUrl: github.apiUrl, repo, logger }));
    await reportRemote(input, github, api);
  });
}
