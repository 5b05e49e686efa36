/**
 * The GitLab CI definitions we ship: generated files up to date, components without global
 * keywords and with fully described inputs, every file accepted by gitlab-ci-local (which checks
 * GitLab's CI schema), and the Clever Cloud jobs run for real with the shell executor against the
 * fake Clever Cloud: the review job creates the preview and its dotenv, the stop job removes it
 * without the repository, and `include:` with inputs resolves. Needs `npm run build` and rsync.
 */
import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { previewName } from '../../../src/core/naming.js';
import { componentPath, includeTemplatePath, PROVIDERS, renderAll } from '../../../src/forges/gitlab/template-spec.js';
import { VERSION } from '../../../src/version.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { baseEnv, CLI, ROOT, tempRepo } from '../../helpers/cli.js';

const TOKEN = 'tok_gitlab_6a5b4c3d2e1f0a9b8c7d6e5f';
const SECRET = 'sec_gitlab_0f1e2d3c4b5a69788796a5b4';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const NAME = previewName({ app: 'shop', branch: 'feature/cart' });
const SCRIPT = join(ROOT, 'scripts', 'gitlab-ci-local.sh');

type Job = Record<string, unknown> & { variables?: Record<string, string>; environment?: Record<string, string>; rules?: Array<Record<string, string>>; script?: string[] };

let clever: FakeCleverCloud;
let home: string;
const cleanups: Array<() => Promise<void>> = [];

/** A project checkout as a runner sees it: a git repository on a branch with an origin. */
async function project(files: Record<string, string>, branch = 'feature/cart') {
  const repo = await tempRepo(files, branch);
  cleanups.push(repo.remove);
  await repo.git('remote', 'add', 'origin', 'https://gitlab.example.com/octo-org/shop.git');
  // The default branch gitlab-ci-local reports, as a clone from GitLab would have it.
  await repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  await repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return repo;
}

async function copyIntoProject(files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = await readFile(join(ROOT, f), 'utf8');
  return out;
}

async function gcl(dir: string, args: string[]) {
  const r = await execa('bash', [SCRIPT, ...args], { cwd: dir, env: baseEnv({ HOME: home }), extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000, all: true });
  return { code: r.exitCode ?? -1, output: r.all ?? '' };
}

/** gitlab-ci-local sets GITLAB_CI=false on purpose; GitLab's runners set true, and so the CLI logs GitLab's way. */
const AS_ON_GITLAB = ['--variable', 'GITLAB_CI=true', '--ignore-predefined-vars', 'GITLAB_CI'];
const fakeVariables = () => [...AS_ON_GITLAB, '--variable', `CLEVER_TOKEN=${TOKEN}`, '--variable', `CLEVER_SECRET=${SECRET}`, '--variable', `CLEVER_ORG=${ORG}`, '--variable', `CLEVER_API_URL=${clever.url}`];
/** What the templates run instead of the published package: the bundle of this working tree. */
const localCli = `node ${CLI}`;

async function dotenvOf(dir: string): Promise<Record<string, string>> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(d, entry.name));
      else if (entry.name === 'preview.env') found.push(join(d, entry.name));
    }
  };
  await walk(join(dir, '.gitlab-ci-local', 'artifacts'));
  expect(found, 'exactly one dotenv report').toHaveLength(1);
  const text = await readFile(found[0]!, 'utf8');
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const ours = () => clever.apps().filter((a) => a.name === NAME);

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'pk-gcl-home-'));
  clever = await startFakeCleverCloud({ token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 300, deployDurationMs: 200 });
});

afterAll(async () => {
  await clever?.close();
  for (const c of cleanups) await c();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('generated files', () => {
  it.each(renderAll(ROOT).map(([path, text]) => [path.slice(ROOT.length + 1), text]))('%s is what the generator writes', async (path, text) => {
    expect(await readFile(join(ROOT, path), 'utf8'), 'stale: run npx tsx src/forges/gitlab/template-spec.ts --write').toBe(text);
  });

  it.each(PROVIDERS.map((p) => p.file ?? p.id))('the %s component has only jobs (no global keywords) and fully described inputs', async (id) => {
    const [specDoc, bodyDoc, ...rest] = parseAllDocuments(await readFile(componentPath(ROOT, id), 'utf8'));
    expect(rest).toEqual([]);
    const inputs = (specDoc!.toJS() as { spec: { inputs: Record<string, { description: string; type: string; default: unknown; options?: unknown[]; regex?: string }> } }).spec.inputs;
    for (const [name, input] of Object.entries(inputs)) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(['string', 'number', 'boolean', 'array']).toContain(input.type);
      expect(input.default, name).toBeDefined();
      if (input.options) expect(input.options, name).toContain(input.default);
      if (input.regex) expect(String(input.default), `${name} default matches its regex`).toMatch(new RegExp(input.regex));
    }
    const body = bodyDoc!.toJS() as Record<string, Job>;
    expect(Object.keys(body)).toEqual(['$[[ inputs.as ]]:review', '$[[ inputs.as ]]:stop']);
    const used = JSON.stringify(body).match(/\$\[\[ inputs\.(\w+) \]\]/g)!.map((m) => m.slice(11, -3));
    expect(Object.keys(inputs).filter((i) => !used.includes(i)), 'inputs that reach no job').toEqual([]);
    expect(used.filter((i) => !(i in inputs)), 'undeclared inputs').toEqual([]);
  });

  it.each(PROVIDERS.map((p) => [p.file ?? p.id, p.id]))('the %s include template: review job with environment, resource_group and dotenv; stop job without checkout', async (file, id) => {
    const doc = parse(await readFile(includeTemplatePath(ROOT, file), 'utf8')) as Record<string, Job>;
    const review = doc['preview:review']!;
    const stop = doc['preview:stop']!;
    expect(review.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG', url: '$PREVIEW_URL', on_stop: 'preview:stop', auto_stop_in: '1 week' });
    expect(review.resource_group).toBe('review/$CI_COMMIT_REF_SLUG');
    expect(review.artifacts).toEqual({ reports: { dotenv: review.variables!.PREVIEW_DOTENV } });
    expect(review.variables!.PREVIEW_PROVIDER).toBe(id);
    expect(stop.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG', action: 'stop' });
    expect(stop.variables!.GIT_STRATEGY).toBe('none');
    expect(stop.resource_group).toBe(review.resource_group);
    expect(stop.rules).toEqual([{ if: review.rules![0]!.if, when: 'manual' }]);
    expect(stop.allow_failure).toBe(true);
    expect(stop.script).toEqual(['$PREVIEW_KIT_CLI stop']);
    expect((doc.variables as unknown as Record<string, string>).PREVIEW_KIT_CLI).toBe(`npx --yes preview-kit@${VERSION}`);
  });

  it('the GitLab example includes the component of this version', async () => {
    const text = await readFile(join(ROOT, 'examples', 'gitlab', '.gitlab-ci.yml'), 'utf8');
    expect(text).toContain(`/clever-cloud@${VERSION}\n`);
    expect(text).toContain(`ref: v${VERSION}\n`);
  });
});

describe('gitlab-ci-local accepts every file', () => {
  it('all four include templates, and all four components included with inputs in one pipeline', async () => {
    const files = await copyIntoProject([...PROVIDERS.map((p) => `gitlab-templates/${p.file ?? p.id}.yml`), ...PROVIDERS.map((p) => `templates/${p.file ?? p.id}/template.yml`)]);
    const components = PROVIDERS.map((p) => `  - local: templates/${p.file ?? p.id}/template.yml\n    inputs:\n      as: ${p.id.replace('-', '_')}\n`).join('');
    const repo = await project({ ...files, '.gitlab-ci.yml': `include:\n${components}` });
    const listed = await gcl(repo.dir, ['--list']);
    expect(listed.code, listed.output).toBe(0);
    for (const p of PROVIDERS) {
      expect(listed.output).toMatch(new RegExp(`${p.id.replace('-', '_')}:review\\s+deploy\\s+on_success`));
      expect(listed.output).toMatch(new RegExp(`${p.id.replace('-', '_')}:stop\\s+deploy\\s+manual`));
    }
    for (const p of PROVIDERS) {
      await writeFile(join(repo.dir, '.gitlab-ci.yml'), `include:\n  - local: gitlab-templates/${p.file ?? p.id}.yml\n`);
      const r = await gcl(repo.dir, ['--list']);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/preview:review\s+deploy\s+on_success\s+false\s+review\/feature-cart/);
      expect(r.output).toMatch(/preview:stop\s+deploy\s+manual\s+true\s+review\/feature-cart/);
    }
  });

  it('rejects an input the component does not allow (the check can fail)', async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': 'include:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n      as: "Bad Name!"\n' });
    const r = await gcl(repo.dir, ['--list']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('`as` input: `Bad Name!` does not match required regex');
  });
});

describe('Clever Cloud jobs run against the fake', () => {
  it('include template: review creates the preview and its dotenv; stop removes it with nothing of the repository', async () => {
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
    const repo = await project({ ...files, '.gitlab-ci.yml': ci, 'index.html': '<h1>cart</h1>\n', 'package.json': '{"name":"shop"}\n' });

    const review = await gcl(repo.dir, ['preview:review', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${localCli}`]);
    expect(review.code, review.output).toBe(0);
    expect(ours()).toHaveLength(1);
    const app = ours()[0]!;
    expect(await dotenvOf(repo.dir)).toEqual({ PREVIEW_NAME: NAME, PREVIEW_URL: `https://${NAME}.preview.example.com`, PREVIEW_ID: app.id });
    expect(clever.pushes.filter((p) => p.appId === app.id && p.ok).map((p) => p.commit)).toEqual([repo.first]);
    // Collapsible sections in the job log (gitlab-ci-local shows them as "<id> took <time>"), and no secret in it.
    expect(review.output).toMatch(/preview_kit_\d+ took \d/);
    expect(review.output).not.toContain(TOKEN.slice(4));
    expect(review.output).not.toContain(SECRET.slice(4));

    const check = await gcl(repo.dir, ['check']);
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain(`check saw ${NAME} at https://${NAME}.preview.example.com`);

    // The branch is gone: the stop job runs from a project holding nothing but the CI files.
    const bare = await project({ '.gitlab-ci.yml': 'include:\n  - local: gitlab-templates/clever-cloud.yml\n', ...files });
    const stop = await gcl(bare.dir, ['preview:stop', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${localCli}`]);
    expect(stop.code, stop.output).toBe(0);
    // A failing manual job still exits 0 (with a WARN line): only PASS means it worked.
    expect(stop.output).toContain('PASS  preview:stop');
    expect(ours()).toEqual([]);
    expect(clever.addons()).toEqual([]);

    clever.resetLog();
    const again = await gcl(bare.dir, ['preview:stop', ...fakeVariables(), '--variable', `PREVIEW_KIT_CLI=${localCli}`]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('PASS  preview:stop');
    expect(clever.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('examples/gitlab/.gitlab-ci.yml with the component and its inputs: review, announce, stop', async () => {
    // `include: component:` resolves only on a GitLab server; locally the same file is included by path.
    const example = await readFile(join(ROOT, 'examples', 'gitlab', '.gitlab-ci.yml'), 'utf8');
    const local = example.replace(/- component: \S+\/clever-cloud@\S+\n {4}inputs:\n/, `- local: templates/clever-cloud/template.yml\n    inputs:\n      cli: ${localCli}\n      api_url: ${clever.url}\n`);
    expect(local).not.toBe(example);
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...files, '.gitlab-ci.yml': local, 'index.html': '<h1>cart</h1>\n' });
    const credentials = [...AS_ON_GITLAB, '--variable', `CLEVER_TOKEN=${TOKEN}`, '--variable', `CLEVER_SECRET=${SECRET}`, '--variable', `CLEVER_ORG=${ORG}`];

    const listed = await gcl(repo.dir, ['--list']);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(/preview:review\s+deploy\s+on_success/);

    const review = await gcl(repo.dir, ['preview:review', ...credentials]);
    expect(review.code, review.output).toBe(0);
    expect(ours()).toHaveLength(1);
    expect((await dotenvOf(repo.dir)).PREVIEW_URL).toBe(`https://${NAME}.preview.example.com`);

    const announce = await gcl(repo.dir, ['announce']);
    expect(announce.code, announce.output).toBe(0);
    expect(announce.output).toContain(`Preview of feature/cart is ${NAME} at https://${NAME}.preview.example.com`);

    const stop = await gcl(repo.dir, ['preview:stop', ...credentials]);
    expect(stop.code, stop.output).toBe(0);
    expect(stop.output).toContain('PASS  preview:stop');
    expect(ours()).toEqual([]);
  });
});
