/**
 * actions/prune and examples/github/prune.yml, run as a runner would on `schedule` and
 * `workflow_dispatch`: the live branches come from `git ls-remote --heads origin` of the checkout,
 * the open pull requests from the fake GitHub API (paginated), and the previews live on the fake
 * Clever Cloud API. Previews of live branches and open pull requests stay; the others go; the job
 * summary shows the one report table.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { previewName } from '../../../src/core/naming.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/server.js';
import type { PullRequestSeed } from '../../fakes/github/state.js';
import { baseEnv, ROOT, runCli } from '../../helpers/cli.js';
import { runAction, runWorkflowJob } from './runner.js';
import { commandLines, leaks, runnerEnv } from './workflow-env.js';

const TOKEN = 'tok_gh_prune_8d1c3b5a7e9f0d2c4b6a';
const SECRET = 'sec_gh_prune_1a3c5e7b9d0f2e4c6a8b';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const GH_TOKEN = 'ghs_fakePruneToken000000000000000000001';
const NO_PULLS_TOKEN = 'ghs_fakePruneTokenWithoutPulls00000002';
const WORKFLOW = join(ROOT, 'examples', 'github', 'prune.yml');

/** Open pull requests #1…#130, except #44, which was closed: 129 open, two pages of 100. */
const PULLS: PullRequestSeed[] = Array.from({ length: 130 }, (_, i) => (i + 1 === 44 ? { number: 44, state: 'closed' as const, headRepo: 'stranger/shop' } : i + 1));

const name = (spec: { branch?: string; pr?: number; app?: string }) => previewName({ app: spec.app ?? 'shop', ...spec });
const LIVE = name({ branch: 'feature/live' });
const GONE = name({ branch: 'feature/gone' });
const PR_OLD_OPEN = name({ pr: 3 }); // on the second page of open pull requests
const PR_NEW_OPEN = name({ pr: 129 });
const PR_CLOSED = name({ pr: 44 });
const OTHER_PROJECT = name({ app: 'other', branch: 'feature/gone' });

let clever: FakeCleverCloud;
let gh: FakeGitHub;
let work: string;
let checkout: string;

const cleverEnv = () => ({ PREVIEW_PROVIDER: 'clever-cloud', CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_ORG: ORG, CLEVER_API_URL: clever.url });
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, env: baseEnv(), extendEnv: false });
const appNames = () => clever.apps().map((a) => a.name).sort();
const cleverMutations = () => clever.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

async function ensurePreview(app: string, which: string[]): Promise<void> {
  const r = await runCli(['ensure-app', '--app', app, ...which], { cwd: checkout, env: cleverEnv() });
  expect(r.code, r.stderr).toBe(0);
}

async function scheduled(options: { token?: string; eventName?: 'schedule' | 'workflow_dispatch'; inputs?: Record<string, boolean>; cwd?: string } = {}) {
  const eventName = options.eventName ?? 'schedule';
  const event = eventName === 'schedule' ? { schedule: '41 3 * * *' } : { inputs: options.inputs ?? {}, ref: 'refs/heads/main' };
  const eventPath = join(work, `event-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(eventPath, JSON.stringify(event));
  const cwd = options.cwd ?? checkout;
  // The fake API stands where api.clever-cloud.com would: the runner's env points there.
  const env = await runnerEnv({ dir: work, eventPath, eventName, apiUrl: gh.url, workspace: cwd, extra: { CLEVER_API_URL: clever.url } });
  const job = await runWorkflowJob({
    workflow: WORKFLOW,
    job: 'prune',
    event,
    eventName,
    env,
    cwd,
    githubToken: options.token ?? GH_TOKEN,
    secrets: { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET },
    vars: { CLEVER_ORG: ORG },
    actionsRoot: join(ROOT, 'actions'),
    ...(options.inputs ? { inputs: options.inputs } : {}),
  });
  return { ...job, summary: await readFile(env.GITHUB_STEP_SUMMARY!, 'utf8') };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pk-gh-prune-'));
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG });
  gh = await startFakeGitHub({
    pullRequests: PULLS,
    tokens: { [GH_TOKEN]: { permissions: { pull_requests: 'read' } }, [NO_PULLS_TOKEN]: { permissions: { deployments: 'write' } } },
  });
  // origin has main and feature/live; feature/gone was deleted after its merge.
  const origin = join(work, 'origin.git');
  await mkdir(origin);
  await git(origin, 'init', '-q', '--bare', '-b', 'main');
  const seed = join(work, 'seed');
  await mkdir(seed);
  await git(seed, 'init', '-q', '-b', 'main');
  await writeFile(join(seed, 'index.html'), '<h1>shop</h1>\n');
  await git(seed, 'add', '.');
  await git(seed, 'commit', '-q', '-m', 'first');
  await git(seed, 'branch', 'feature/live');
  await git(seed, 'push', '-q', origin, 'main', 'feature/live');
  // What actions/checkout leaves: a clone of the default branch whose origin is the repository.
  checkout = join(work, 'checkout');
  await execa('git', ['clone', '-q', '--depth', '1', `file://${origin}`, checkout], { env: baseEnv(), extendEnv: false });

  for (const [app, which] of [
    ['shop', ['--branch', 'feature/live']],
    ['shop', ['--branch', 'feature/gone']],
    ['shop', ['--pr', '3']],
    ['shop', ['--pr', '129']],
    ['shop', ['--pr', '44']],
    ['other', ['--branch', 'feature/gone']],
  ] as const) {
    await ensurePreview(app, [...which]);
  }
  expect(appNames()).toEqual([GONE, LIVE, OTHER_PROJECT, PR_NEW_OPEN, PR_OLD_OPEN, PR_CLOSED].sort());
}, 60_000);

afterAll(async () => {
  await clever?.close();
  await gh?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  clever.resetLog();
  gh.requests.length = 0;
});

describe('examples/github/prune.yml', () => {
  it('without pull-requests: read on the token: exit 3, one ::error, nothing asked of the platform', async () => {
    const run = await scheduled({ token: NO_PULLS_TOKEN });
    expect(run.exitCode).toBe(3);
    expect(commandLines(run, 'error')).toEqual([
      expect.stringMatching(/^::error title=preview-kit prune failed \(exit 3\)::prune: listing the open pull requests: HTTP 403 Resource not accessible by integration \(give the job permissions: pull-requests: read/),
    ]);
    expect(clever.requests).toEqual([]);
    expect(leaks(run, NO_PULLS_TOKEN, TOKEN, SECRET)).toEqual([]);
  });

  it('run by hand with dry-run: says what would go, removes nothing', async () => {
    const run = await scheduled({ eventName: 'workflow_dispatch', inputs: { 'dry-run': true } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(cleverMutations()).toEqual([]);
    expect(run.summary).toContain('### preview-kit prune (dry run)');
    expect(run.summary).toContain(`| \`${GONE}\` | — | would remove | `);
    expect(run.summary).toContain(`| \`${PR_CLOSED}\` | — | would remove | `);
  });

  it('on schedule: keeps the previews of live branches and open pull requests, removes the others, and tables it', async () => {
    const run = await scheduled();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.used).toEqual(['actions/checkout@v4', 'preview-kit/preview-kit/actions/prune@v0']);
    expect(appNames()).toEqual([LIVE, OTHER_PROJECT, PR_NEW_OPEN, PR_OLD_OPEN].sort());
    expect(run.steps.prune!.removed!.split(',').sort()).toEqual([GONE, PR_CLOSED].sort());
    expect(run.steps.prune!.kept!.split(',').sort()).toEqual([LIVE, PR_NEW_OPEN, PR_OLD_OPEN].sort());
    expect(run.stdout).toContain('::notice title=Previews pruned::');

    // Both pages of open pull requests were read with the workflow token; nothing was written to GitHub.
    const pulls = gh.requests.filter((r) => r.path === '/repos/octo-org/shop/pulls');
    expect(pulls.map((r) => [r.query.state, r.query.page ?? '1', r.token, r.status])).toEqual([
      ['open', '1', GH_TOKEN, 200],
      ['open', '2', GH_TOKEN, 200],
    ]);
    expect(gh.mutations()).toEqual([]);
    expect(run.stderr).toContain('prune keeps the previews of 2 live branches, 129 open pull requests');

    expect(run.summary).toContain('### preview-kit prune\n');
    expect(run.summary).toContain('| Preview | Commit | State | URL | Last deployed | Changed in this run |');
    expect(run.summary).toContain(`| \`${GONE}\` | — | removed | `);
    expect(run.summary).toMatch(new RegExp(`\\| \`${GONE}\` \\|.*\\| branch is gone \\|`));
    expect(run.summary).toMatch(new RegExp(`\\| \`${PR_CLOSED}\` \\|.*\\| pull request #44 is not open \\|`));
    for (const kept of [LIVE, PR_OLD_OPEN, PR_NEW_OPEN]) expect(run.summary).toContain(`| \`${kept}\` | — | kept | `);
    expect(run.summary).not.toContain(OTHER_PROJECT);
    expect(leaks(run, GH_TOKEN, TOKEN, SECRET)).toEqual([]);
  });

  it('a second run has nothing left to remove and changes nothing', async () => {
    const run = await scheduled();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(cleverMutations()).toEqual([]);
    expect(run.steps.prune).toMatchObject({ removed: '' });
  });
});

describe('actions/prune', () => {
  it('keep-branches without a checkout: exit 2 and one ::error that says to check out first', async () => {
    const empty = await mkdtemp(join(work, 'no-checkout-'));
    const env = await runnerEnv({ dir: work, eventPath: join(work, 'none.json'), eventName: 'schedule', apiUrl: gh.url, workspace: empty });
    const r = await runAction({ action: join(ROOT, 'actions', 'prune', 'action.yml'), with: { provider: 'clever-cloud', 'clever-token': TOKEN, 'clever-secret': SECRET, settings: `clever-cloud:\n  org: ${ORG}\n  api-url: ${clever.url}\n` }, env, cwd: empty, githubToken: GH_TOKEN });
    expect(r.exitCode).toBe(2);
    expect(commandLines(r, 'error')).toEqual([expect.stringMatching(/^::error title=preview-kit prune failed \(exit 2\)::prune: listing the live branches: .*\(run actions\/checkout before this step, or set keep-branches: false\)$/)]);
    expect(clever.requests).toEqual([]);
  });

  it('keeps what the keep input names, one entry a line, branch names with commas included', async () => {
    await ensurePreview('shop', ['--branch', 'feature/a,b']);
    await ensurePreview('shop', ['--pr', '700']);
    const env = await runnerEnv({ dir: work, eventPath: join(work, 'none.json'), eventName: 'schedule', apiUrl: gh.url, workspace: checkout });
    const r = await runAction({
      action: join(ROOT, 'actions', 'prune', 'action.yml'),
      with: { provider: 'clever-cloud', 'clever-token': TOKEN, 'clever-secret': SECRET, settings: `clever-cloud:\n  org: ${ORG}\n  api-url: ${clever.url}\n`, keep: 'feature/a,b\n#700\n', 'keep-pull-requests': 'false' },
      env,
      cwd: checkout,
      githubToken: GH_TOKEN,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(appNames()).toEqual(expect.arrayContaining([name({ branch: 'feature/a,b' }), name({ pr: 700 }), LIVE]));
    // keep-pull-requests: false — the open pull requests' previews are no longer protected.
    expect(appNames()).not.toContain(PR_OLD_OPEN);
    expect(r.outputs.removed!.split(',').sort()).toEqual([PR_NEW_OPEN, PR_OLD_OPEN].sort());
  });
});
