/**
 * What a hosted runner gives a job: the event payload file (real webhook payloads from the
 * fixtures) and the GITHUB_* / RUNNER_* environment of a `pull_request` or `schedule` run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseEnv } from '../../helpers/cli.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github');

export type PullRequestEventKind = 'opened' | 'synchronize' | 'closed' | 'opened.fork';

/** Writes a pull_request payload (with the given head commit) where the runner would, and returns it. */
export async function pullRequestEvent(dir: string, kind: PullRequestEventKind, headSha: string): Promise<{ path: string; payload: Record<string, unknown> }> {
  const payload = JSON.parse(await readFile(join(FIXTURES, `pull_request.${kind}.json`), 'utf8')) as { pull_request: { head: { sha: string } } };
  payload.pull_request.head.sha = headSha;
  const path = join(dir, `event-${kind}-${headSha.slice(0, 7)}-${Math.random().toString(36).slice(2, 8)}.json`);
  await writeFile(path, JSON.stringify(payload));
  return { path, payload: payload as unknown as Record<string, unknown> };
}

export interface RunnerEnvOptions {
  dir: string;
  eventPath: string;
  eventName: 'pull_request' | 'pull_request_target' | 'schedule' | 'workflow_dispatch';
  apiUrl: string;
  workspace: string;
  extra?: Record<string, string>;
}

/** The environment of a job on a hosted runner, with a fresh step summary file. */
export async function runnerEnv(options: RunnerEnvOptions): Promise<Record<string, string>> {
  const summary = join(options.dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  await writeFile(summary, '');
  const pullRequest = options.eventName.startsWith('pull_request');
  return baseEnv({
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/shop',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: options.eventPath,
    ...(pullRequest
      ? { GITHUB_HEAD_REF: 'feature/cart', GITHUB_BASE_REF: 'main', GITHUB_REF: 'refs/pull/42/merge', GITHUB_REF_NAME: '42/merge' }
      : { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' }),
    GITHUB_SHA: '1b6453892473a467d07372d45eb05abc2031647a',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_RUN_ID: '9001',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: options.dir,
    ...options.extra,
  }) as Record<string, string>;
}

/** The workflow command lines of a step's output: `::error …`, `::warning …`. */
export function commandLines(output: { stdout: string; stderr: string }, command: 'error' | 'warning'): string[] {
  return `${output.stdout}\n${output.stderr}`.split('\n').filter((line) => line.startsWith(`::${command} `) || line.startsWith(`::${command}::`));
}

/** Lines that show a secret; `::add-mask::` commands are consumed by the runner and never shown. */
export function leaks(output: { stdout: string; stderr: string; summary?: string; outputs?: Record<string, string> }, ...secrets: string[]): string[] {
  const text = `${output.stdout}\n${output.stderr}\n${output.summary ?? ''}\n${JSON.stringify(output.outputs ?? {})}`;
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .filter((line) => secrets.some((s) => line.includes(s)));
}
