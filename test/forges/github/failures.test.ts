/**
 * Failures shown where people look: a failed action step ends with exactly one `::error
 * title=…::` annotation (the run page and the pull request's checks show it, not just "Process
 * completed with exit code N") carrying the CLI's one-line reason and hint, with every secret
 * masked. Run through the action harness against the fake Clever Cloud and GitHub APIs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/server.js';
import { ROOT, tempRepo } from '../../helpers/cli.js';
import { runAction, type ActionRun } from './runner.js';
import { commandLines, leaks, pullRequestEvent, runnerEnv, type PullRequestEventKind } from './workflow-env.js';

const TOKEN = 'tok_gh_failures_5c2e8a1f3b7d9e0c4a6b';
const SECRET = 'sec_gh_failures_0f9e8d7c6b5a4f3e2d1c';
const REVOKED = 'tok_gh_failures_revoked_77aa88bb99cc';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const GH_TOKEN = 'ghs_fakeWorkflowTokenFailures000000001';

let clever: FakeCleverCloud;
let gh: FakeGitHub;
let repo: Awaited<ReturnType<typeof tempRepo>>;
let work: string;

const settings = () => `clever-cloud:\n  org: ${ORG}\n  api-url: ${clever.url}\n`;
const cleverMutations = () => clever.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

async function run(command: string, kind: PullRequestEventKind, inputs: Record<string, string>): Promise<ActionRun> {
  const ev = await pullRequestEvent(work, kind, repo.first);
  const env = await runnerEnv({ dir: work, eventPath: ev.path, eventName: 'pull_request', apiUrl: gh.url, workspace: repo.dir });
  return runAction({ action: join(ROOT, 'actions', command, 'action.yml'), with: inputs, env, cwd: repo.dir, githubToken: GH_TOKEN, github: { event: ev.payload } });
}

/** The CLI's own line, `preview-kit: <reason (hint)>`, on stderr. */
function cliLine(r: ActionRun): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('preview-kit: '));
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pk-gh-failures-'));
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG });
  gh = await startFakeGitHub({ tokens: { [GH_TOKEN]: { permissions: { pull_requests: 'write', deployments: 'write' } } } });
  repo = await tempRepo({ 'index.html': '<h1>cart</h1>\n' }, 'feature/cart');
});

afterAll(async () => {
  await clever?.close();
  await gh?.close();
  await repo?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a bad token', () => {
  it.each(['up', 'stop'])('%s: exit 3, one ::error with the reason and the hint, the credentials masked, nothing changed', async (command) => {
    clever.resetLog();
    gh.requests.length = 0;
    const r = await run(command, command === 'up' ? 'opened' : 'closed', { provider: 'clever-cloud', settings: settings(), 'clever-token': REVOKED, 'clever-secret': SECRET });
    expect(r.exitCode).toBe(3);
    const line = cliLine(r);
    expect(line).toContain('Clever Cloud API refused the credentials (401');
    expect(line).toMatch(/\(check CLEVER_TOKEN and CLEVER_SECRET.*\)$/);
    expect(commandLines(r, 'error')).toEqual([`::error title=preview-kit ${command} failed (exit 3)::${line.slice('preview-kit: '.length)}`]);
    expect(commandLines(r, 'warning')).toEqual([]);
    expect(r.stderr).toContain(`::add-mask::${REVOKED}`);
    expect(leaks(r, REVOKED, SECRET, GH_TOKEN)).toEqual([]);
    expect(cleverMutations()).toEqual([]);
    // A failed command reports nothing to the pull request.
    expect(gh.requests).toEqual([]);
  });
});

describe("a fork's pull request", () => {
  it('up: exit 6, one ::error naming the fork and the way out, before anything is asked of the platform', async () => {
    clever.resetLog();
    gh.requests.length = 0;
    const r = await run('up', 'opened.fork', { provider: 'clever-cloud', settings: settings(), 'clever-token': TOKEN, 'clever-secret': SECRET });
    expect(r.exitCode).toBe(6);
    const line = cliLine(r);
    expect(commandLines(r, 'error')).toEqual([`::error title=preview-kit up failed (exit 6)::${line.slice('preview-kit: '.length)}`]);
    expect(line).toContain('pull request #42 comes from a fork (stranger/shop)');
    expect(line).toContain('(set the action input allow-forks: true');
    expect(leaks(r, TOKEN, SECRET, GH_TOKEN)).toEqual([]);
    expect(clever.requests).toEqual([]);
    expect(gh.requests).toEqual([]);
  });
});

describe('a secret pasted into the wrong input', () => {
  it('is masked in the CLI line and in the ::error annotation', async () => {
    const r = await run('up', 'opened', { provider: 'clever-cloud', settings: settings(), 'clever-token': TOKEN, 'clever-secret': SECRET, pr: TOKEN });
    expect(r.exitCode).toBe(2);
    const [annotation] = commandLines(r, 'error');
    expect(annotation).toMatch(/^::error title=preview-kit up failed \(exit 2\)::invalid settings: PREVIEW_PR: .*\*\*\*/);
    expect(commandLines(r, 'error')).toHaveLength(1);
    expect(leaks(r, TOKEN, SECRET)).toEqual([]);
  });
});

describe('settings that are not YAML', () => {
  it('exit 2 with one ::error naming the settings input', async () => {
    const r = await run('up', 'opened', { provider: 'clever-cloud', settings: 'clever-cloud: [org', 'clever-token': TOKEN, 'clever-secret': SECRET });
    expect(r.exitCode).toBe(2);
    expect(commandLines(r, 'error')).toEqual([expect.stringMatching(/^::error title=preview-kit up failed \(exit 2\)::invalid settings: --settings \/ PREVIEW_SETTINGS.*not valid YAML/)]);
  });
});
