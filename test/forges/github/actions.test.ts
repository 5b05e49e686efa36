/**
 * The composite actions run as a runner runs them (bash, env from `env:`, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH with real pull_request payloads), calling the built
 * CLI against the fake Clever Cloud API and the fake GitHub API. Needs `npm run build` first.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewName } from '../../../src/core/naming.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/server.js';
import { parse } from 'yaml';
import { ROOT, tempRepo } from '../../helpers/cli.js';
import { loadAction, runAction, runWorkflowJob, type ActionRun } from './runner.js';
import { leaks, pullRequestEvent, runnerEnv as jobEnv, type PullRequestEventKind } from './workflow-env.js';

const TOKEN = 'tok_gh_actions_4b1d9e2f7c3a5b6d8e9f0a1b';
const SECRET = 'sec_gh_actions_9a8b7c6d5e4f3a2b1c0d9e8f';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const GH_TOKEN = 'ghs_fakeWorkflowToken000000000000000001';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github');
/** Computed as a person would, without calling anything. */
const NAME = previewName({ app: 'shop', branch: 'feature/cart' });
const URL_ = `https://${NAME}.preview.example.com`;
const action = (name: string) => join(ROOT, 'actions', name, 'action.yml');

let clever: FakeCleverCloud;
let gh: FakeGitHub;
let repo: Awaited<ReturnType<typeof tempRepo>>;
let work: string;

const cleverMutations = () => clever.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

/** The event payload the runner would write, with the head commit of our test repository. */
const event = (kind: PullRequestEventKind, headSha: string) => pullRequestEvent(work, kind, headSha);

/** What a hosted runner puts in the environment of a `pull_request` job. */
const runnerEnv = (eventPath: string, extra: Record<string, string> = {}) => jobEnv({ dir: work, eventPath, eventName: 'pull_request', apiUrl: gh.url, workspace: repo.dir, extra });

/** Credentials as inputs; the provider's other settings in the one `settings` input, as in .preview.yml. */
const cleverInputs = () => ({ provider: 'clever-cloud', 'clever-token': TOKEN, 'clever-secret': SECRET, settings: `clever-cloud:\n  org: ${ORG}\n  api-url: ${clever.url}\n`, timeout: '2m' });

async function run(name: string, eventKind: Parameters<typeof event>[0], inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<ActionRun> {
  const ev = await event(eventKind, (await repo.git('rev-parse', 'HEAD')).stdout.trim());
  return runAction({ action: action(name), with: inputs, env: await runnerEnv(ev.path, extraEnv), cwd: repo.dir, githubToken: GH_TOKEN, github: { event: ev.payload } });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pk-gh-actions-'));
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 300, deployDurationMs: 200 });
  gh = await startFakeGitHub({ tokens: { [GH_TOKEN]: { permissions: { pull_requests: 'write', deployments: 'write' } } } });
  repo = await tempRepo({ 'index.html': '<h1>cart v1</h1>\n', 'package.json': '{"name":"shop","scripts":{"start":"node -e 0"}}\n' }, 'feature/cart');
});

afterAll(async () => {
  await clever?.close();
  await gh?.close();
  await repo?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('actions/up and actions/stop on a pull request', () => {
  let appId = '';

  it('opened: creates the app with its env, domain and deployment, reports outputs, summary, comment and deployment', async () => {
    const r = await run('up', 'opened', {
      ...cleverInputs(),
      domain: '{name}.preview.example.com',
      env: 'GREETING=hello world\n# a comment line\n\n  MODE=preview\r\n',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ name: NAME, url: URL_, created: 'true', changed: 'true', deployed: 'true', commit: repo.first });
    appId = r.outputs['app-id']!;
    expect(appId).toMatch(/^app_/);

    const apps = clever.apps().filter((a) => a.name === NAME);
    expect(apps.map((a) => a.id)).toEqual([appId]);
    expect(apps[0]!.env).toMatchObject({ GREETING: 'hello world', MODE: 'preview' });

    expect(r.summary).toContain('### preview-kit up');
    expect(r.summary).toContain('| Preview | Commit | State | URL | Last deployed | Changed in this run |');
    expect(r.summary).toMatch(new RegExp(`^\\| \`${NAME}\` \\| \`${repo.first.slice(0, 12)}\` \\| deployed \\| <${URL_}> \\| \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z \\| `, 'm'));
    expect(r.stderr).toContain('::group::');
    expect(r.stderr).toContain('::endgroup::');
    expect(r.stderr).toContain(`::add-mask::${TOKEN}`);
    expect(r.stderr).toContain(`::add-mask::${SECRET}`);
    expect(leaks(r, TOKEN, SECRET, GH_TOKEN)).toEqual([]);

    const calls = gh.mutations().map((m) => `${m.method} ${m.path}`);
    expect(calls).toEqual([
      'POST /repos/octo-org/shop/deployments',
      expect.stringMatching(/^POST \/repos\/octo-org\/shop\/deployments\/\d+\/statuses$/),
      'POST /repos/octo-org/shop/issues/42/comments',
    ]);
    expect(gh.mutations().every((m) => m.token === GH_TOKEN)).toBe(true);
    expect(gh.mutations()[0]!.body).toMatchObject({ ref: repo.first, environment: `preview/${NAME}` });
    expect(gh.mutations()[1]!.body).toMatchObject({ state: 'success', environment_url: URL_, log_url: 'https://github.com/octo-org/shop/actions/runs/9001' });
  });

  it('synchronize with nothing new: no mutating call on Clever Cloud nor on GitHub', async () => {
    clever.resetLog();
    const before = gh.mutations().length;
    const r = await run('up', 'synchronize', { ...cleverInputs(), domain: '{name}.preview.example.com', env: 'GREETING=hello world\nMODE=preview' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ 'app-id': appId, created: 'false', changed: 'false', deployed: 'false' });
    expect(cleverMutations()).toEqual([]);
    expect(clever.pushes).toEqual([]);
    expect(gh.mutations().length).toBe(before);
  });

  it('synchronize with a new commit: one push to the same app, the comment edited in place', async () => {
    const second = await repo.commit({ 'index.html': '<h1>cart v2</h1>\n' }, 'second');
    const [commentId] = gh.state.comments.keys();
    gh.requests.length = 0;
    const r = await run('up', 'synchronize', { ...cleverInputs(), domain: '{name}.preview.example.com', env: 'GREETING=hello world\nMODE=preview' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ 'app-id': appId, created: 'false', deployed: 'true', commit: second });
    expect(gh.mutations().map((m) => `${m.method} ${m.path}`)).toContain(`PATCH /repos/octo-org/shop/issues/comments/${commentId}`);
    expect(gh.state.comments.size).toBe(1);
    expect(gh.state.comments.get(commentId!)!.body).toContain(`| \`${NAME}\` | \`${second.slice(0, 12)}\` | deployed | <${URL_}> |`);
  });

  it('closed: stop removes the app, marks the deployment inactive, says "removed", and with the default inputs warns about nothing', async () => {
    gh.requests.length = 0;
    const r = await run('stop', 'closed', cleverInputs());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs).toEqual({ name: NAME, deleted: 'true', removed: expect.stringContaining(appId) });
    expect(clever.apps().filter((a) => a.name === NAME)).toEqual([]);
    for (const id of gh.state.deployments.keys()) expect(gh.state.latestState(id)).toBe('inactive');
    const comment = [...gh.state.comments.values()][0]!.body;
    expect(comment).toContain(`### Preview \`${NAME}\` removed`);
    expect(comment).toContain(`| \`${NAME}\` | — | removed |`);
    // The environment is only deleted when asked: the workflow token never may, so no call and no warning.
    expect(gh.requests.filter((q) => q.path.includes('/environments/'))).toEqual([]);
    expect(r.stderr).not.toMatch(/^::warning/m);
    expect(r.summary).toContain('### preview-kit stop');
    expect(r.summary).toContain(`| \`${NAME}\` | — | removed |`);
  });

  it('closed again: stop is a no-op that exits 0', async () => {
    clever.resetLog();
    const r = await run('stop', 'closed', cleverInputs());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs.deleted).toBe('false');
    expect(cleverMutations()).toEqual([]);
  });
});

describe('actions/ensure-app, set-domain, deploy as separate steps', () => {
  it('chain into one preview, and leave credentials set in the job env alone when the inputs are empty', async () => {
    const { 'clever-token': _t, 'clever-secret': _s, ...noCredentials } = cleverInputs();
    const jobEnv = { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET };
    const inputs = { ...noCredentials, branch: 'feature/split' };
    const ensured = await run('ensure-app', 'opened', inputs, jobEnv);
    expect(ensured.exitCode, ensured.stderr).toBe(0);
    expect(ensured.outputs.created).toBe('true');
    const domained = await run('set-domain', 'opened', { ...inputs, domain: 'split.preview.example.com' }, jobEnv);
    expect(domained.exitCode, domained.stderr).toBe(0);
    expect(domained.outputs).toMatchObject({ 'app-id': ensured.outputs['app-id'], url: 'https://split.preview.example.com', changed: 'true' });
    const deployed = await run('deploy', 'opened', { ...inputs, domain: 'split.preview.example.com' }, jobEnv);
    expect(deployed.exitCode, deployed.stderr).toBe(0);
    expect(deployed.outputs).toMatchObject({ 'app-id': ensured.outputs['app-id'], deployed: 'true' });
    expect(clever.apps().filter((a) => a.name === ensured.outputs.name)).toHaveLength(1);
    const stopped = await run('stop', 'closed', { ...inputs }, jobEnv);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect(clever.apps().filter((a) => a.name === ensured.outputs.name)).toEqual([]);
  });
});

describe('fork pull requests', () => {
  it('are refused with exit 6 and a clear message, creating nothing', async () => {
    clever.resetLog();
    gh.requests.length = 0;
    const r = await run('up', 'opened.fork', { ...cleverInputs(), branch: 'feature/from-fork' });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('comes from a fork (stranger/shop)');
    expect(r.stderr).toContain('allow-forks');
    expect(cleverMutations()).toEqual([]);
    expect(gh.requests).toEqual([]);
  });
});

describe("a fork's pull request with the same branch name as an internal one", () => {
  it("closing it (stop without any fork filter) leaves the internal pull request's preview and deployments alone", async () => {
    const head = (await repo.git('rev-parse', 'HEAD')).stdout.trim();
    const opened = await run('up', 'opened', cleverInputs());
    expect(opened.exitCode, opened.stderr).toBe(0);
    const internalId = opened.outputs['app-id'];

    // Pull request #44 from stranger/shop's own feature/cart, closed: what pull_request_target delivers.
    const payload = JSON.parse(await readFile(join(FIXTURES, 'pull_request.closed.json'), 'utf8')) as Record<string, any>;
    const fork = JSON.parse(await readFile(join(FIXTURES, 'pull_request.opened.fork.json'), 'utf8')) as Record<string, any>;
    payload.number = 44;
    payload.pull_request.number = 44;
    payload.pull_request.head = { ...fork.pull_request.head, sha: head, ref: 'feature/cart' };
    const path = join(work, 'event-closed-fork-44.json');
    await writeFile(path, JSON.stringify(payload));
    gh.requests.length = 0;
    clever.resetLog();
    const stop = await runAction({
      action: action('stop'),
      with: cleverInputs(),
      env: await runnerEnv(path, { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' }),
      cwd: repo.dir,
      githubToken: GH_TOKEN,
      github: { event: payload },
    });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.stdout + stop.stderr).toMatch(/shop-pr-44/);
    expect(clever.apps().filter((a) => a.name === NAME).map((a) => a.id)).toEqual([internalId]);
    expect(cleverMutations()).toEqual([]);
    // Nothing marked inactive or deleted on GitHub for the internal preview.
    expect(gh.requests.filter((r) => r.method !== 'GET' && JSON.stringify(r).includes(NAME))).toEqual([]);

    const cleanup = await run('stop', 'closed', cleverInputs());
    expect(cleanup.exitCode, cleanup.stderr).toBe(0);
  });
});

describe('an input left at its default', () => {
  it('is not passed on: the same setting in .preview.yml still applies (force: true there redeploys a live commit)', async () => {
    const forced = await tempRepo({ 'index.html': '<h1>forced</h1>\n', '.preview.yml': 'force: true\n' }, 'feature/forced');
    try {
      const ev = await event('opened', forced.first);
      const up = async () => runAction({ action: action('up'), with: { ...cleverInputs(), branch: 'feature/forced', comment: 'false', deployment: 'false' }, env: await runnerEnv(ev.path), cwd: forced.dir, githubToken: GH_TOKEN, github: { event: ev.payload } });
      const first = await up();
      expect(first.exitCode, first.stderr).toBe(0);
      const again = await up();
      expect(again.exitCode, again.stderr).toBe(0);
      // The action's force input is "false" (its default), yet the file's force: true decided.
      expect(again.outputs).toMatchObject({ created: 'false', deployed: 'true', commit: forced.first });
      const stopped = await runAction({ action: action('stop'), with: { ...cleverInputs(), branch: 'feature/forced', comment: 'false', deployment: 'false' }, env: await runnerEnv(ev.path), cwd: forced.dir, githubToken: GH_TOKEN, github: { event: ev.payload } });
      expect(stopped.exitCode, stopped.stderr).toBe(0);
    } finally {
      await forced.remove();
    }
  });
});

describe('actions/stop with delete-environment: true', () => {
  it('and the workflow token: the preview goes, the step succeeds, and one ::warning says which permission is missing', async () => {
    const opened = await run('up', 'opened', cleverInputs());
    expect(opened.exitCode, opened.stderr).toBe(0);
    gh.requests.length = 0;
    const r = await run('stop', 'closed', { ...cleverInputs(), 'delete-environment': 'true' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.outputs.deleted).toBe('true');
    expect(gh.requests.filter((q) => q.method === 'DELETE').map((q) => `${q.path} ${q.status}`)).toEqual([`/repos/octo-org/shop/environments/preview%2F${NAME} 403`]);
    const warnings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('administration: write');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/^::error/m);
  });
});

describe('examples/github/preview.yml', () => {
  it('runs the up job on opened and the stop job on closed', async () => {
    const workflow = join(ROOT, 'examples', 'github', 'preview.yml');
    const head = (await repo.git('rev-parse', 'HEAD')).stdout.trim();
    const common = {
      workflow,
      cwd: repo.dir,
      githubToken: GH_TOKEN,
      secrets: { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET },
      vars: { CLEVER_ORG: ORG },
      actionsRoot: join(ROOT, 'actions'),
    };
    // The fake API stands where api.clever-cloud.com would: the runner's env points there.
    const opened = await event('opened', head);
    const up = await runWorkflowJob({ ...common, job: 'up', event: opened.payload, eventName: 'pull_request', env: await runnerEnv(opened.path, { CLEVER_API_URL: clever.url }) });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.used).toEqual(['actions/checkout@v4', 'preview-kit/preview-kit/actions/up@v0']);
    expect(up.steps.preview).toMatchObject({ name: NAME, url: URL_, created: 'true', deployed: 'true' });
    expect(up.stdout).toContain(`::notice title=Preview::${URL_} (deployed by this run: true)`);
    expect(clever.apps().find((a) => a.name === NAME)?.env).toMatchObject({ NODE_ENV: 'production', PREVIEW_OF_PR: '42' });
    const skipped = await runWorkflowJob({ ...common, job: 'stop', event: opened.payload, eventName: 'pull_request', env: await runnerEnv(opened.path) });
    expect(skipped.skipped).toBe(true);
    const fork = await event('opened.fork', head);
    expect((await runWorkflowJob({ ...common, job: 'up', event: fork.payload, eventName: 'pull_request', env: await runnerEnv(fork.path) })).skipped).toBe(true);

    const closed = await event('closed', head);
    const stop = await runWorkflowJob({ ...common, job: 'stop', event: closed.payload, eventName: 'pull_request', env: await runnerEnv(closed.path, { CLEVER_API_URL: clever.url }) });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(stop.used).toEqual(['preview-kit/preview-kit/actions/stop@v0']);
    expect(clever.apps().filter((a) => a.name === NAME)).toEqual([]);
  });
});

/** The first ```yaml block of a Markdown section. */
function yamlBlockOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown.slice(start))?.[1];
  expect(block, `a yaml block under ${heading}`).toBeDefined();
  return block!;
}

describe('the README\'s "### GitHub Actions" workflow, copied as it is', () => {
  it('runs up on opened and stop on closed, with the inputs and defaults it shows', async () => {
    const workflow = join(work, 'readme-preview.yml');
    await writeFile(workflow, yamlBlockOf(await readFile(join(ROOT, 'README.md'), 'utf8'), '### GitHub Actions'));
    const head = (await repo.git('rev-parse', 'HEAD')).stdout.trim();
    const common = { workflow, cwd: repo.dir, githubToken: GH_TOKEN, secrets: { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET }, vars: { CLEVER_ORG: ORG }, actionsRoot: join(ROOT, 'actions') };
    const opened = await event('opened', head);
    const up = await runWorkflowJob({ ...common, job: 'up', event: opened.payload, eventName: 'pull_request', env: await runnerEnv(opened.path, { CLEVER_API_URL: clever.url }) });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.used).toEqual(['actions/checkout@v4', 'preview-kit/preview-kit/actions/up@v0']);
    expect(clever.apps().filter((a) => a.name === NAME)).toHaveLength(1);
    const closed = await event('closed', head);
    const stop = await runWorkflowJob({ ...common, job: 'stop', event: closed.payload, eventName: 'pull_request', env: await runnerEnv(closed.path, { CLEVER_API_URL: clever.url }) });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(`${stop.stdout}${stop.stderr}`).not.toMatch(/^::(warning|error)/m);
    expect(clever.apps().filter((a) => a.name === NAME)).toEqual([]);
  });

  it("actions/README.md's example step uses only inputs actions/up has", async () => {
    const steps = parse(yamlBlockOf(await readFile(join(ROOT, 'actions', 'README.md'), 'utf8'), '# GitHub Actions')) as Array<{ uses: string; with?: Record<string, string> }>;
    const up = steps.find((s) => s.uses.includes('/actions/up@'))!;
    const inputs = Object.keys((await loadAction(action('up'))).inputs ?? {});
    expect(Object.keys(up.with ?? {}).filter((k) => !inputs.includes(k))).toEqual([]);
  });
});
