/**
 * What a command leaves behind on GitHub: step outputs, the step summary, the sticky PR comment
 * and the deployment. Reporting never fails the command: the preview is what matters, so a
 * missing permission or a GitHub outage becomes one warning at the end.
 */
import type { CommandResult } from '../../commands/context.js';
import type { Logger } from '../../core/logger.js';
import type { CommonSettings } from '../../core/settings.js';
import { markdownTable, reportRows } from '../report-table.js';
import type { ActionCommand } from './action-inputs.js';
import { ACTION_OUTPUTS } from './action-outputs.js';
import { createGitHubApi, GitHubCallError, type GitHubApi, type RepoRef } from './api.js';
import { recordDeployment, retireEnvironment } from './deployments.js';
import { readEvent } from './event.js';
import { environmentName, loadGitHubSettings, type GitHubSettings } from './options.js';
import { upsertComment } from './pr-comment.js';
import { appendSummary, writeOutputs } from './step-files.js';

type Env = Record<string, string | undefined>;

export interface GitHubReportInput {
  result: CommandResult;
  settings: CommonSettings;
  env: Env;
  logger: Logger;
  /** When the command started (Date.now()). */
  startedAt: number;
  now?: () => number;
  /** Tests may bring their own API; production builds one from the token. */
  api?: GitHubApi;
}

/** The step outputs of a result: exactly those the action of its command declares. */
export function outputsOf(result: CommandResult): Record<string, string> {
  const all: Record<string, string> = { name: result.name };
  if (result.url) all.url = result.url;
  if (result.id) all['app-id'] = result.id;
  for (const key of ['created', 'changed', 'deployed', 'deleted'] as const) if (result[key] !== undefined) all[key] = String(result[key]);
  if (result.commit) all.commit = String(result.commit);
  if (result.removed) all.removed = result.removed.join(',');
  if (Array.isArray(result.kept)) all.kept = (result.kept as string[]).join(',');
  const declared = ACTION_OUTPUTS[result.command as ActionCommand];
  if (!declared) return all;
  // A declared output is always written, empty when the run has no value for it.
  return Object.fromEntries(declared.map(([name]) => [name, all[name] ?? '']));
}

/** The job summary: the same compact table as the PR comment and the GitLab job log. */
export function summaryOf(result: CommandResult, now: Date): string {
  const title = `### preview-kit ${result.command}${result.dryRun ? ' (dry run)' : ''}`;
  const rows = reportRows(result, now);
  const lines = [title, ''];
  if (rows.length) lines.push(markdownTable(rows));
  else lines.push(result.command === 'prune' ? `No previews of \`${result.name}\` found.` : 'Nothing to show.');
  const images = result.removedImages as string[] | undefined;
  if (images?.length) lines.push('', `Also removed ${images.length} unused image${images.length === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n\n`;
}

/** The run changed nothing: no app made or changed, nothing deployed or removed, an empty plan. */
function quiet(result: CommandResult): boolean {
  return !result.created && !result.changed && !result.deployed && !result.deleted && (result.plan?.length ?? 0) === 0;
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
  environment: 'administration: write, which the workflow token never has (pass a fine-grained or GitHub App token as github-token, or leave delete-environment at false)',
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

async function reportRemote(input: GitHubReportInput, github: GitHubSettings, api: GitHubApi, now: Date): Promise<void> {
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
        const outcome = await upsertComment(api, issue, { kind: 'removed', name: result.name, rows: reportRows(result, now), quiet: quiet(result), ...(runUrl ? { runUrl } : {}) });
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
        const outcome = await upsertComment(api, issue, { kind: 'live', name: result.name, rows: reportRows(result, now), quiet: quiet(result), ...(runUrl ? { runUrl } : {}) });
        logger.info(`pull request #${issue} comment: ${outcome}`);
      });
    }
  }
  shortfalls.flush(logger);
}

/** Publishes a finished command to GitHub. Call only when GITHUB_ACTIONS=true. */
export async function reportToGitHub(input: GitHubReportInput): Promise<void> {
  const { result, env, logger } = input;
  const now = new Date((input.now ?? Date.now)());
  await writeOutputs(env, outputsOf(result));
  if (result.command !== 'name' && result.command !== 'list') await appendSummary(env, summaryOf(result, now));

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
    await reportRemote(input, github, api, now);
  });
}
