/**
 * The Clever Cloud jobs run for real with gitlab-ci-local against the fake Clever Cloud, in branch
 * and merge request pipelines: the review job creates the preview, its dotenv and the report
 * table at the end of its log; the stop job removes it without the repository; a bad token fails
 * the job with exit 3 and GitLab's collapsed section, whose header is the reason, closing the log;
 * component inputs left empty leave the project's own variables alone; merge request pipelines name
 * the preview after the source branch, or after the merge request for a fork or with
 * `pr: $CI_MERGE_REQUEST_IID`; and the example file runs as it is. Needs a build and rsync.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewName } from '../../../src/core/naming.js';
import { VERSION } from '../../../src/version.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { CLI, ROOT } from '../../helpers/cli.js';
import { AS_ON_GITLAB, BRANCH_WITH_OPEN_MR, copyIntoProject, dotenvOf, gcl, gclVariables, listedJobs, LOCAL_CLI, mergeRequestPipeline, project, publishIncludes } from './gcl.js';

const TOKEN = 'tok_gitlab_6a5b4c3d2e1f0a9b8c7d6e5f';
const SECRET = 'sec_gitlab_0f1e2d3c4b5a69788796a5b4';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const NAME = previewName({ app: 'shop', branch: 'feature/cart' });

let clever: FakeCleverCloud;
let home: string;
let tools: string;
const cleanups: Array<() => Promise<void>> = [];

const credentials = (token = TOKEN) => [...AS_ON_GITLAB, ...gclVariables({ CLEVER_TOKEN: token, CLEVER_SECRET: SECRET, CLEVER_ORG: ORG })];
const fakeVariables = (token = TOKEN) => [...credentials(token), ...gclVariables({ CLEVER_API_URL: clever.url })];
const named = (name: string) => clever.apps().filter((a) => a.name === name);
const run = (dir: string, args: string[]) => gcl(dir, args, home);

/**
 * `cli` as a path on the runner: a wrapper that runs the bundle and keeps its stderr byte for byte
 * (gitlab-ci-local shows a section as `<id>_started`, GitLab shows its header line).
 */
async function rawCli(rawFile: string): Promise<string> {
  const path = join(tools, 'raw-cli.sh');
  await writeFile(path, `#!/bin/sh\nnode "${CLI}" "$@" 2>"${rawFile}"\ncode=$?\ncat "${rawFile}" >&2\nexit $code\n`);
  await chmod(path, 0o755);
  return `sh ${path}`;
}

/** GitLab's section markers in a raw log: each start matched by its end, properly nested. */
function sectionsOf(raw: string): Array<{ id: string; options: string; header: string; body: string; end: number }> {
  const marker = /\x1b\[0Ksection_(start|end):(\d+):([A-Za-z0-9_.-]+)(\[[^\]]*\])?\r\x1b\[0K([^\n]*)\n/g;
  const open: Array<{ id: string; options: string; header: string; at: number; stamp: number }> = [];
  const closed: Array<{ id: string; options: string; header: string; body: string; end: number }> = [];
  for (const m of raw.matchAll(marker)) {
    const [, kind, stamp, id, options = '', header] = m;
    if (kind === 'start') open.push({ id: id!, options, header: header!, at: m.index! + m[0].length, stamp: Number(stamp) });
    else {
      const last = open.pop();
      expect(last?.id, `section_end of ${id} closes the section opened last`).toBe(id);
      expect(Number(stamp)).toBeGreaterThanOrEqual(last!.stamp);
      expect(header, 'nothing follows an end marker on its line').toBe('');
      closed.push({ id: id!, options: last!.options, header: last!.header, body: raw.slice(last!.at, m.index), end: m.index! + m[0].length });
    }
  }
  expect(open.map((s) => s.id), 'sections left open').toEqual([]);
  return closed;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'pk-gcl-home-'));
  tools = await mkdtemp(join(tmpdir(), 'pk-gcl-tools-'));
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 300, deployDurationMs: 200 });
});

afterAll(async () => {
  await clever?.close();
  for (const c of cleanups) await c();
  for (const dir of [home, tools]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('include template in a branch pipeline', () => {
  it('review creates the preview, its dotenv and the report table at the end of the log; stop removes it with nothing of the repository', async () => {
    const files = await copyIntoProject(['gitlab-templates/clever-cloud.yml']);
    const ci = [
      'include:',
      '  - local: gitlab-templates/clever-cloud.yml',
      'variables:',
      '  PREVIEW_DOMAIN: "{name}.preview.example.com"',
      'check:',
      '  stage: .post',
      '  needs: [preview:review]',
      '  script:',
      '    - echo "check saw $PREVIEW_NAME at $PREVIEW_URL"',
      '',
    ].join('\n');
    const repo = await project({ ...files, '.gitlab-ci.yml': ci, 'index.html': '<h1>cart</h1>\n', 'package.json': '{"name":"shop"}\n' }, { cleanups });
    const raw = join(tools, 'review.raw');

    const review = await run(repo.dir, ['preview:review', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${await rawCli(raw)}`]);
    expect(review.code, review.output).toBe(0);
    expect(named(NAME)).toHaveLength(1);
    const app = named(NAME)[0]!;
    expect(await dotenvOf(repo.dir)).toEqual({ PREVIEW_NAME: NAME, PREVIEW_URL: `https://${NAME}.preview.example.com`, PREVIEW_ID: app.id });
    expect(clever.pushes.filter((p) => p.appId === app.id && p.ok).map((p) => p.commit)).toEqual([repo.first]);
    expect(review.output).not.toContain(TOKEN.slice(4));
    expect(review.output).not.toContain(SECRET.slice(4));
    // The job log ends with the report: the same table as GitHub's, in a section of its own.
    const table = review.output.split('\n').filter((l) => l.startsWith('preview:review > '));
    const head = table.findIndex((l) => /Preview\s+Commit\s+State\s+URL\s+Last deployed\s+Changed in this run$/.test(l));
    expect(head, review.output).toBeGreaterThan(0);
    expect(table[head + 1]).toMatch(new RegExp(`> ${NAME}\\s+${repo.first.slice(0, 12)}\\s+deployed\\s+https://${NAME}\\.preview\\.example\\.com\\s+\\d{4}-\\d\\d-\\d\\dT`));
    const sections = sectionsOf(await readFile(raw, 'utf8'));
    const report = sections.at(-1)!;
    expect(report.id).toBe('preview_kit_report');
    expect(report.header).toBe(`preview-kit up: ${NAME}`);
    expect(report.options).toBe('[collapsed=false]');
    expect(report.body).toContain('Changed in this run');

    const check = await run(repo.dir, ['check']);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain(`check saw ${NAME} at https://${NAME}.preview.example.com`);

    // The branch is gone: the stop job runs from a project holding nothing but the CI files.
    const bare = await project({ '.gitlab-ci.yml': 'include:\n  - local: gitlab-templates/clever-cloud.yml\n', ...files }, { cleanups });
    const stop = await run(bare.dir, ['preview:stop', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${LOCAL_CLI}`]);
    expect(stop.code, stop.output).toBe(0);
    // A failing manual job still exits 0 (with a WARN line): only PASS means it worked.
    expect(stop.output).toContain('PASS  preview:stop');
    expect(stop.output).toMatch(/Preview\s+Commit\s+State\s+URL/);
    expect(named(NAME)).toEqual([]);

    clever.resetLog();
    const again = await run(bare.dir, ['preview:stop', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${LOCAL_CLI}`]);
    expect(again.output).toContain('PASS  preview:stop');
    expect(clever.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a bad token fails the job with exit 3, and the log ends with a collapsed section whose header is the reason', async () => {
    const files = await copyIntoProject(['gitlab-templates/clever-cloud.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': 'include:\n  - local: gitlab-templates/clever-cloud.yml\n', 'index.html': '<h1>x</h1>\n' }, { branch: 'feature/bad-token', cleanups });
    const raw = join(tools, 'bad-token.raw');
    const wrong = 'tok_wrong_00000000000000000000';
    const review = await run(repo.dir, ['preview:review', ...fakeVariables(wrong), '--variable', `PREVIEW_KIT_CLI=${await rawCli(raw)}`]);
    expect(review.code).not.toBe(0);
    expect(review.output).toMatch(/preview:review finished in .* FAIL 3/);
    expect(review.output).toContain('preview_kit_failure_started');
    expect(named(previewName({ app: 'shop', branch: 'feature/bad-token' }))).toEqual([]);

    const text = await readFile(raw, 'utf8');
    const oneLine = /^preview-kit: (.+)$/m.exec(text);
    expect(oneLine, text).not.toBeNull();
    const sections = sectionsOf(text);
    const failure = sections.at(-1)!;
    expect(failure.id).toBe('preview_kit_failure');
    expect(failure.options).toBe('[collapsed=true]');
    expect(failure.header).toBe(`\x1b[31;1mpreview-kit up failed (exit 3): ${oneLine![1]}\x1b[0m`);
    expect(failure.body).toContain('3 credentials or rights');
    expect(failure.end, 'the failure section is the last thing in the log').toBe(text.length);
    expect(text).not.toContain(wrong.slice(4));
  });
});

describe('component inputs and the project variables', () => {
  it('inputs left empty leave the top-level variables alone; an input given wins over them', async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const include = (inputs: string) => `variables:\n  PREVIEW_APP: shop\ninclude:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n      cli: ${LOCAL_CLI}\n${inputs}`;
    // The project is "webapp": an empty input set as a job variable would have named the preview webapp-….
    const repo = await project({ ...files, '.gitlab-ci.yml': include(''), 'index.html': '<h1>x</h1>\n' }, { branch: 'feature/vars', name: 'webapp', cleanups });
    const vars = [...fakeVariables()];
    const first = await run(repo.dir, ['preview:review', ...vars]);
    expect(first.code, first.output).toBe(0);
    expect(named(previewName({ app: 'shop', branch: 'feature/vars' }))).toHaveLength(1);
    expect(named(previewName({ app: 'webapp', branch: 'feature/vars' }))).toEqual([]);

    await writeFile(join(repo.dir, '.gitlab-ci.yml'), include('      app: other\n'));
    const second = await run(repo.dir, ['preview:review', ...vars]);
    expect(second.code, second.output).toBe(0);
    expect(named(previewName({ app: 'other', branch: 'feature/vars' }))).toHaveLength(1);

    for (const app of ['shop', 'other']) {
      await writeFile(join(repo.dir, '.gitlab-ci.yml'), include(app === 'other' ? '      app: other\n' : ''));
      const stop = await run(repo.dir, ['preview:stop', ...vars]);
      expect(stop.output).toContain('PASS  preview:stop');
    }
    expect(named(previewName({ app: 'shop', branch: 'feature/vars' }))).toEqual([]);
    expect(named(previewName({ app: 'other', branch: 'feature/vars' }))).toEqual([]);
  });
});

describe('merge request pipelines', () => {
  const component = (inputs = '') => `include:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n      cli: ${LOCAL_CLI}\n${inputs}`;

  it('name the preview after the source branch; review and stop run there as in branch pipelines', async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': component(), 'index.html': '<h1>mr</h1>\n' }, { branch: 'feature/mr', cleanups });
    const mr = mergeRequestPipeline({ iid: 7, sourceBranch: 'feature/mr' });
    const name = previewName({ app: 'shop', branch: 'feature/mr' });
    const review = await run(repo.dir, ['preview:review', ...fakeVariables(), ...mr]);
    expect(review.code, review.output).toBe(0);
    expect(named(name)).toHaveLength(1);
    expect((await dotenvOf(repo.dir)).PREVIEW_NAME).toBe(name);
    const stop = await run(repo.dir, ['preview:stop', ...fakeVariables(), ...mr]);
    expect(stop.output).toContain('PASS  preview:stop');
    expect(named(name)).toEqual([]);
  });

  it('with pr: $CI_MERGE_REQUEST_IID, the merge request pipeline names it after the merge request and a branch pipeline after the branch', async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': component('      pr: $CI_MERGE_REQUEST_IID\n'), 'index.html': '<h1>pr</h1>\n' }, { branch: 'feature/numbered', cleanups });
    const byNumber = previewName({ app: 'shop', pr: 8 });
    const byBranch = previewName({ app: 'shop', branch: 'feature/numbered' });
    const mr = await run(repo.dir, ['preview:review', ...fakeVariables(), ...mergeRequestPipeline({ iid: 8, sourceBranch: 'feature/numbered' })]);
    expect(mr.code, mr.output).toBe(0);
    expect(named(byNumber)).toHaveLength(1);
    const branch = await run(repo.dir, ['preview:review', ...fakeVariables()]);
    expect(branch.code, branch.output).toBe(0);
    expect(named(byBranch)).toHaveLength(1);
    await run(repo.dir, ['preview:stop', ...fakeVariables(), ...mergeRequestPipeline({ iid: 8, sourceBranch: 'feature/numbered' })]);
    await run(repo.dir, ['preview:stop', ...fakeVariables()]);
    expect([...named(byNumber), ...named(byBranch)]).toEqual([]);
  });

  it("a fork's merge request is named after its number, never after the fork's branch", async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': component(), 'index.html': '<h1>fork</h1>\n' }, { branch: 'feature/cart', cleanups });
    const mr = mergeRequestPipeline({ iid: 9, sourceBranch: 'feature/cart', fork: 'someone/shop' });
    const review = await run(repo.dir, ['preview:review', ...fakeVariables(), ...mr]);
    expect(review.code, review.output).toBe(0);
    expect(named(previewName({ app: 'shop', pr: 9 }))).toHaveLength(1);
    expect(named(NAME)).toEqual([]);
    const stop = await run(repo.dir, ['preview:stop', ...fakeVariables(), ...mr]);
    expect(stop.output).toContain('PASS  preview:stop');
    expect(named(previewName({ app: 'shop', pr: 9 }))).toEqual([]);
  });
});

describe('examples/gitlab/.gitlab-ci.yml and the README, as they are', () => {
  it('branch pipeline: review, announce, stop; merge request pipeline: the same jobs; never both for one push', async () => {
    const example = await readFile(join(ROOT, 'examples', 'gitlab', '.gitlab-ci.yml'), 'utf8');
    const repo = await project({ '.gitlab-ci.yml': example, 'index.html': '<h1>cart</h1>\n' }, { cleanups });
    await publishIncludes(repo.dir, VERSION);
    // PREVIEW_KIT_CLI as a CI/CD variable (Settings > CI/CD > Variables) wins over the component's default.
    const settings = [...credentials(), ...gclVariables({ CLEVER_API_URL: clever.url, PREVIEW_KIT_CLI: LOCAL_CLI })];

    const listed = await run(repo.dir, ['--list']);
    expect(listedJobs(listed.output)).toEqual(['test', 'preview:review', 'preview:stop', 'announce']);
    const mr = mergeRequestPipeline({ iid: 7, sourceBranch: 'feature/cart' });
    expect(listedJobs((await run(repo.dir, ['--list', ...mr])).output)).toEqual(['test', 'preview:review', 'preview:stop', 'announce']);
    // The push to a branch with an open merge request: the workflow makes no branch pipeline (which
    // gitlab-ci-local 4.73 does not apply: it reads workflow:rules only for their variables), and the
    // preview jobs' own rules leave them to the merge request pipeline in any case.
    const withOpenMr = listedJobs((await run(repo.dir, ['--list', ...BRANCH_WITH_OPEN_MR])).output);
    expect(withOpenMr.filter((job) => job.startsWith('preview:') || job === 'announce')).toEqual([]);

    const review = await run(repo.dir, ['preview:review', ...settings, ...mr]);
    expect(review.code, review.output).toBe(0);
    expect(named(NAME)).toHaveLength(1);
    expect((await dotenvOf(repo.dir)).PREVIEW_URL).toBe(`https://${NAME}.preview.example.com`);

    const announce = await run(repo.dir, ['announce', ...mr]);
    expect(announce.code, announce.output).toBe(0);
    expect(announce.output).toContain(`Preview of feature/cart is ${NAME} at https://${NAME}.preview.example.com`);

    const stop = await run(repo.dir, ['preview:stop', ...settings]);
    expect(stop.output).toContain('PASS  preview:stop');
    expect(named(NAME)).toEqual([]);
  });

  it("the README's GitLab CI snippet: review and stop", async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### GitLab CI'), readme.indexOf('\n## ', readme.indexOf('### GitLab CI')));
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    expect(snippet).toContain('include:');
    const repo = await project({ '.gitlab-ci.yml': snippet, 'index.html': '<h1>readme</h1>\n' }, { branch: 'feature/readme', cleanups });
    await publishIncludes(repo.dir, VERSION);
    const settings = [...credentials(), ...gclVariables({ CLEVER_API_URL: clever.url, PREVIEW_KIT_CLI: LOCAL_CLI })];
    const name = previewName({ app: 'shop', branch: 'feature/readme' });
    const review = await run(repo.dir, ['preview:review', ...settings]);
    expect(review.code, review.output).toBe(0);
    expect(named(name)).toHaveLength(1);
    const stop = await run(repo.dir, ['preview:stop', ...settings]);
    expect(stop.output).toContain('PASS  preview:stop');
    expect(named(name)).toEqual([]);
  });
});
