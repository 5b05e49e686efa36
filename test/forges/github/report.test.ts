/**
 * The GitHub report (outputs, summary, sticky comment, deployment) against the fake GitHub API,
 * in process: every request GitHub would receive is checked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/commands/context.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Redactor } from '../../../src/core/redact.js';
import type { CommonSettings } from '../../../src/core/settings.js';
import { commentMarker } from '../../../src/forges/github/pr-comment.js';
import { reportToGitHub } from '../../../src/forges/github/report.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/server.js';
import { parseOutputs } from './runner.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github');
const SHA1 = '3f786850e387550fdab836ed7e6dc881de23001b';
const SHA2 = '89e6c98d92887913cadf06b2adb97f26cde4849b';
const WORKFLOW_TOKEN = 'ghs_workflowtoken0001';
const ADMIN_TOKEN = 'github_pat_admin0002';
const READONLY_TOKEN = 'ghs_readonly0003';

let gh: FakeGitHub;
let dir: string;
let lines: string[];

const settings = { app: 'shop', branch: 'feature/cart', name: 'shop-feature-cart' } as CommonSettings;

function logger(): PlainLogger {
  return new PlainLogger({ redactor: new Redactor(), sink: { write: (t) => void lines.push(...t.split('\n').filter(Boolean)) } });
}

async function env(event: string, token = WORKFLOW_TOKEN): Promise<Record<string, string>> {
  const eventPath = join(dir, `${event}.json`);
  await writeFile(eventPath, await readFile(join(FIXTURES, `pull_request.${event}.json`)));
  await writeFile(join(dir, 'out'), '');
  await writeFile(join(dir, 'summary'), '');
  return {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/shop',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '7001',
    GITHUB_API_URL: gh.url,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: join(dir, 'out'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_TOKEN: token,
  };
}

const upResult = (commit: string, extra: Partial<CommandResult> = {}): CommandResult => ({
  command: 'up',
  name: 'shop-feature-cart',
  id: 'app_1',
  url: 'https://shop-feature-cart.preview.example.com',
  created: true,
  changed: true,
  deployed: true,
  commit,
  plan: ['create application shop-feature-cart', `deploy ${commit.slice(0, 7)}`],
  ...extra,
});

const stopResult: CommandResult = { command: 'stop', name: 'shop-feature-cart', deleted: true, removed: ['application app_1'], plan: ['delete application app_1'] };

const report = async (result: CommandResult, e: Record<string, string>) => reportToGitHub({ result, settings, env: e, logger: logger(), startedAt: 0, now: () => 2500 });
const calls = () => gh.mutations().map((r) => `${r.method} ${r.path} ${r.status}`);
const warnings = () => lines.filter((l) => l.startsWith('warning:'));

beforeEach(async () => {
  lines = [];
  dir = await mkdtemp(join(tmpdir(), 'pk-gh-report-'));
  gh = await startFakeGitHub({
    tokens: {
      [WORKFLOW_TOKEN]: { permissions: { pull_requests: 'write', deployments: 'write' } },
      [ADMIN_TOKEN]: { permissions: { pull_requests: 'write', deployments: 'write', administration: 'write' }, login: 'mona' },
      [READONLY_TOKEN]: { permissions: { pull_requests: 'read', deployments: 'read' } },
    },
  });
});

afterEach(async () => {
  await gh.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reportToGitHub after up', () => {
  it('writes outputs and the summary, creates one comment and one deployment with its URL', async () => {
    const e = await env('opened');
    await report(upResult(SHA1), e);

    expect(parseOutputs(await readFile(e.GITHUB_OUTPUT, 'utf8'))).toEqual({
      name: 'shop-feature-cart',
      url: 'https://shop-feature-cart.preview.example.com',
      'app-id': 'app_1',
      created: 'true',
      changed: 'true',
      deployed: 'true',
      commit: SHA1,
    });
    // The same compact table as the PR comment and the GitLab job log.
    const row = `| \`shop-feature-cart\` | \`${SHA1.slice(0, 12)}\` | deployed | <https://shop-feature-cart.preview.example.com> | 1970-01-01T00:00:02Z | create application shop-feature-cart; deploy 3f78685 |`;
    const summary = await readFile(e.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toBe(`### preview-kit up\n\n| Preview | Commit | State | URL | Last deployed | Changed in this run |\n|---|---|---|---|---|---|\n${row}\n\n`);

    const repo = '/repos/octo-org/shop';
    expect(calls()).toEqual([`POST ${repo}/deployments 201`, `POST ${repo}/deployments/${[...gh.state.deployments.keys()][0]}/statuses 201`, `POST ${repo}/issues/42/comments 201`]);
    const [deploymentCall, statusCall, commentCall] = gh.mutations();
    expect(deploymentCall!.token).toBe(WORKFLOW_TOKEN);
    expect(deploymentCall!.body).toEqual({
      ref: SHA1,
      environment: 'preview/shop-feature-cart',
      description: 'preview shop-feature-cart',
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      production_environment: false,
    });
    expect(statusCall!.body).toEqual({
      state: 'success',
      environment_url: 'https://shop-feature-cart.preview.example.com',
      log_url: 'https://github.com/octo-org/shop/actions/runs/7001',
      description: 'preview shop-feature-cart',
      auto_inactive: true,
    });
    const body = (commentCall!.body as { body: string }).body;
    expect(body.startsWith(commentMarker('shop-feature-cart'))).toBe(true);
    expect(body).toContain('### Preview `shop-feature-cart` is ready');
    expect(body).toContain(row);
    expect(body).toContain('[last change](https://github.com/octo-org/shop/actions/runs/7001)');
    expect(warnings()).toEqual([]);
  });

  it('a second report of the same state makes no mutating call', async () => {
    const e = await env('opened');
    await report(upResult(SHA1), e);
    const before = gh.mutations().length;
    await report(upResult(SHA1, { created: false, changed: false, deployed: false, plan: [] }), { ...e, GITHUB_RUN_ID: '7002' });
    expect(gh.mutations().length).toBe(before);
    expect(gh.state.comments.size).toBe(1);
  });

  it('a new commit edits the same comment in place and records a new deployment', async () => {
    await report(upResult(SHA1), await env('opened'));
    const [commentId] = gh.state.comments.keys();
    gh.requests.length = 0;
    await report(upResult(SHA2, { created: false }), await env('synchronize'));
    expect(calls()).toEqual([
      'POST /repos/octo-org/shop/deployments 201',
      expect.stringMatching(/^POST \/repos\/octo-org\/shop\/deployments\/\d+\/statuses 201$/),
      `PATCH /repos/octo-org/shop/issues/comments/${commentId} 200`,
    ]);
    expect(gh.state.comments.size).toBe(1);
    expect(gh.state.comments.get(commentId!)!.body).toContain(`| \`${SHA2.slice(0, 12)}\` | deployed |`);
  });

  it('removes duplicate comments left by concurrent runs, keeping the oldest', async () => {
    const marker = commentMarker('shop-feature-cart');
    const e = await env('opened');
    for (const body of ['unrelated review comment', `${marker}\nold`, `${marker}\nraced`]) {
      await fetch(`${gh.url}/repos/octo-org/shop/issues/42/comments`, { method: 'POST', headers: { authorization: `token ${WORKFLOW_TOKEN}` }, body: JSON.stringify({ body }) });
    }
    const [unrelated, oldest, newer] = [...gh.state.comments.keys()];
    gh.requests.length = 0;
    await report(upResult(SHA1), e);
    expect(calls()).toContain(`DELETE /repos/octo-org/shop/issues/comments/${newer} 204`);
    expect(calls()).toContain(`PATCH /repos/octo-org/shop/issues/comments/${oldest} 200`);
    expect([...gh.state.comments.keys()]).toEqual([unrelated, oldest]);
  });

  it('follows pagination to find its comment among many', async () => {
    const e = await env('opened');
    await report(upResult(SHA1), e);
    const [ours] = gh.state.comments.keys();
    for (let i = 0; i < 120; i++) gh.state.comments.set(gh.state.id(), { id: gh.state.id(), issue: 42, body: `comment ${i}`, login: 'mona', createdAt: '2026-01-02T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z' });
    gh.requests.length = 0;
    await report(upResult(SHA2), await env('synchronize'));
    expect(gh.requests.filter((r) => r.path.endsWith('/issues/42/comments') && r.method === 'GET').length).toBe(2);
    expect(calls()).toContain(`PATCH /repos/octo-org/shop/issues/comments/${ours} 200`);
    expect([...gh.state.comments.values()].filter((c) => c.body.startsWith('<!-- preview-kit')).length).toBe(1);
  });

  it('warns once and does not throw when the token may not write', async () => {
    await report(upResult(SHA1), await env('opened', READONLY_TOKEN));
    expect(gh.state.comments.size).toBe(0);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('Resource not accessible by integration');
    expect(warnings()[0]).toContain('deployments: write');
    expect(warnings()[0]).toContain('pull-requests: write');
  });

  it('warns once on a bad token', async () => {
    await report(upResult(SHA1), await env('opened', 'ghs_revoked'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('Bad credentials');
  });

  it('without a pull request (push event) records the deployment but no comment', async () => {
    const e = await env('opened');
    delete (e as Record<string, string | undefined>).GITHUB_EVENT_PATH;
    e.GITHUB_EVENT_NAME = 'push';
    await report(upResult(SHA1), e);
    expect(gh.mutations().some((r) => r.path.includes('/comments'))).toBe(false);
    expect(gh.state.deployments.size).toBe(1);
  });

  it('honours comment: false, deployment: false and an environment template', async () => {
    const e = { ...(await env('opened')), PREVIEW_GITHUB_COMMENT: 'false', PREVIEW_GITHUB_ENVIRONMENT: 'review/pr-{pr}' };
    await report(upResult(SHA1), e);
    expect(gh.state.comments.size).toBe(0);
    expect([...gh.state.deployments.values()].map((d) => d.environment)).toEqual(['review/pr-42']);
    gh.requests.length = 0;
    await report(upResult(SHA2), { ...e, PREVIEW_GITHUB_DEPLOYMENT: 'false' });
    expect(gh.requests).toEqual([]);
  });

  it('makes no GitHub call in a dry run', async () => {
    await report(upResult(SHA1, { dryRun: true }), await env('opened'));
    expect(gh.requests).toEqual([]);
  });
});

describe('reportToGitHub after stop', () => {
  it('marks deployments inactive and says "removed" in the comment; by default the environment is left and nothing warns', async () => {
    await report(upResult(SHA1), await env('opened'));
    const [deploymentId] = gh.state.deployments.keys();
    const [commentId] = gh.state.comments.keys();
    gh.requests.length = 0;
    await report(stopResult, await env('closed'));
    expect(calls()).toEqual([`POST /repos/octo-org/shop/deployments/${deploymentId}/statuses 201`, `PATCH /repos/octo-org/shop/issues/comments/${commentId} 200`]);
    expect(gh.state.latestState(deploymentId!)).toBe('inactive');
    const body = gh.state.comments.get(commentId!)!.body;
    expect(body.startsWith(commentMarker('shop-feature-cart'))).toBe(true);
    expect(body).toContain('### Preview `shop-feature-cart` removed');
    expect(body).toContain('| `shop-feature-cart` | — | removed | — | — | delete application app_1 |');
    expect(warnings()).toEqual([]);
  });

  it('asked to delete the environment with the workflow token: tries once and warns once', async () => {
    await report(upResult(SHA1), await env('opened'));
    gh.requests.length = 0;
    await report(stopResult, { ...(await env('closed')), PREVIEW_GITHUB_DELETE_ENVIRONMENT: 'true' });
    expect(calls()).toContain('DELETE /repos/octo-org/shop/environments/preview%2Fshop-feature-cart 403');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('administration: write');
  });

  it('deletes the environment when asked with a token that may, and a second stop makes no mutating call', async () => {
    const asked = async () => ({ ...(await env('closed', ADMIN_TOKEN)), PREVIEW_GITHUB_DELETE_ENVIRONMENT: 'true' });
    await report(upResult(SHA1), await env('opened'));
    await report(stopResult, await asked());
    expect(gh.state.environments.has('preview/shop-feature-cart')).toBe(false);
    expect(warnings()).toEqual([]);
    gh.requests.length = 0;
    await report({ ...stopResult, deleted: false, removed: [], plan: [] }, await asked());
    expect(gh.mutations()).toEqual([]);
  });

  it('does not create a "removed" comment for a preview that never had one', async () => {
    await report(stopResult, await env('closed', ADMIN_TOKEN));
    expect(gh.state.comments.size).toBe(0);
  });
});

describe('outputs and summary of the other actions', () => {
  it('ensure-app writes exactly the outputs its action declares', async () => {
    const e = await env('opened');
    await report({ command: 'ensure-app', name: 'shop-feature-cart', id: 'app_1', url: 'https://app-1.example.com', created: true, changed: true, plan: ['create application'] }, e);
    expect(parseOutputs(await readFile(e.GITHUB_OUTPUT, 'utf8'))).toEqual({ name: 'shop-feature-cart', url: 'https://app-1.example.com', 'app-id': 'app_1', created: 'true', changed: 'true' });
    expect(gh.requests).toEqual([]);
  });

  it('prune: removed and kept as outputs, one table row per preview judged, no GitHub call', async () => {
    const e = await env('opened');
    const decisions = [
      { name: 'shop-feature-gone', url: 'https://gone.example.com', commit: SHA1, lastDeployed: '2026-01-02T03:04:05.000Z', action: 'removed', why: 'branch is gone' },
      { name: 'shop-pr-7', url: 'https://pr-7.example.com', action: 'kept' },
    ];
    await report({ command: 'prune', name: 'shop', removed: ['shop-feature-gone'], kept: ['shop-pr-7'], decisions, plan: ['delete application app_9'] }, e);
    expect(parseOutputs(await readFile(e.GITHUB_OUTPUT, 'utf8'))).toEqual({ removed: 'shop-feature-gone', kept: 'shop-pr-7' });
    const summary = await readFile(e.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('### preview-kit prune');
    expect(summary).toContain(`| \`shop-feature-gone\` | \`${SHA1.slice(0, 12)}\` | removed | <https://gone.example.com> | 2026-01-02T03:04:05Z | branch is gone |`);
    expect(summary).toContain('| `shop-pr-7` | — | kept | <https://pr-7.example.com> | — | nothing |');
    expect(gh.requests).toEqual([]);
  });

  it('prune with nothing to judge says so', async () => {
    const e = await env('opened');
    await report({ command: 'prune', name: 'shop', removed: [], kept: [], decisions: [], plan: [] }, e);
    expect(await readFile(e.GITHUB_STEP_SUMMARY, 'utf8')).toBe('### preview-kit prune\n\nNo previews of `shop` found.\n\n');
  });
});
