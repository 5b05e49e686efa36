/**
 * The GitLab CI definitions we ship, as files: generated files up to date, components without
 * global keywords and with fully described inputs whose settings never become job variables of
 * their own name, the jobs' rules for each kind of pipeline, and every file accepted by
 * gitlab-ci-local (which checks GitLab's CI schema and the inputs' regexes) in branch, merge
 * request and scheduled pipelines. The jobs run for real in pipelines.test.ts and prune.test.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { componentInputs, DEFAULT_IMAGE, INPUT_PREFIX } from '../../../src/forges/gitlab/component-inputs.js';
import { componentPath, includeTemplatePath, PROVIDERS, renderAll } from '../../../src/forges/gitlab/template-spec.js';
import { VERSION } from '../../../src/version.js';
import { ROOT } from '../../helpers/cli.js';
import { BRANCH_WITH_OPEN_MR, copyIntoProject, gcl, listedJobs, mergeRequestPipeline, project, SCHEDULE } from './gcl.js';

type Rule = { if: string; when?: string };
type Job = Record<string, unknown> & { variables?: Record<string, string>; environment?: Record<string, string>; rules?: Rule[]; script?: string[] };

let home: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'pk-gcl-home-'));
});

afterAll(async () => {
  for (const c of cleanups) await c();
  if (home) await rm(home, { recursive: true, force: true });
});

const files = PROVIDERS.map((p) => [p.file ?? p.id, p.id] as const);

describe('generated files', () => {
  it.each(renderAll(ROOT).map(([path, text]) => [path.slice(ROOT.length + 1), text]))('%s is what the generator writes', async (path, text) => {
    expect(await readFile(join(ROOT, path), 'utf8'), 'stale: run npx tsx src/forges/gitlab/template-spec.ts --write').toBe(text);
  });

  it.each(files)('the %s component has only jobs (no global keywords), fully described inputs, and no input as a job variable of its setting', async (file) => {
    const [specDoc, bodyDoc, ...rest] = parseAllDocuments(await readFile(componentPath(ROOT, file), 'utf8'));
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
    expect(inputs.job_image!.default).toBe(DEFAULT_IMAGE);
    const body = bodyDoc!.toJS() as Record<string, Job>;
    expect(Object.keys(body)).toEqual(['$[[ inputs.as ]]:review', '$[[ inputs.as ]]:stop', '$[[ inputs.as ]]:prune']);
    const used = JSON.stringify(body).match(/\$\[\[ inputs\.(\w+) \]\]/g)!.map((m) => m.slice(11, -3));
    expect(Object.keys(inputs).filter((i) => !used.includes(i)), 'inputs that reach no job').toEqual([]);
    expect(used.filter((i) => !(i in inputs)), 'undeclared inputs').toEqual([]);
    for (const [name, job] of Object.entries(body)) {
      // An input as a job variable of the setting's own name would beat the project's top-level variables, even empty.
      for (const [variable, value] of Object.entries(job.variables ?? {})) {
        if (value.includes('$[[ inputs.') && variable !== 'PREVIEW_KIT_CLI') expect(variable, `${name}: ${variable}`).toMatch(new RegExp(`^${INPUT_PREFIX}`));
      }
      const carried = Object.keys(job.variables ?? {}).filter((v) => v.startsWith(INPUT_PREFIX));
      for (const variable of carried) expect(job.script![0], `${name} exports ${variable} only when set`).toContain(`[ -z "$${variable}" ] || export ${variable.slice(INPUT_PREFIX.length)}="$${variable}"`);
    }
  });

  it.each(files)('the %s include template: review in merge request and branch pipelines, stop the same but manual, prune on schedules', async (file, id) => {
    const doc = parse(await readFile(includeTemplatePath(ROOT, file), 'utf8')) as Record<string, Job>;
    const review = doc['preview:review']!;
    const stop = doc['preview:stop']!;
    const prune = doc['preview:prune']!;
    expect(review.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG', url: '$PREVIEW_URL', on_stop: 'preview:stop', auto_stop_in: '1 week' });
    expect(review.resource_group).toBe('review/$CI_COMMIT_REF_SLUG');
    expect(review.artifacts).toEqual({ reports: { dotenv: review.variables!.PREVIEW_DOTENV } });
    expect(review.variables!.PREVIEW_PROVIDER).toBe(id);
    expect(review.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' },
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_OPEN_MERGE_REQUESTS', when: 'never' },
      { if: '$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH' },
    ]);
    expect(stop.environment).toEqual({ name: 'review/$CI_COMMIT_REF_SLUG', action: 'stop' });
    expect(stop.variables!.GIT_STRATEGY).toBe('none');
    expect(stop.resource_group).toBe(review.resource_group);
    expect(stop.rules).toEqual(review.rules!.map((r) => (r.when === 'never' ? r : { ...r, when: 'manual' })));
    expect(stop.script).toEqual(['$PREVIEW_KIT_CLI stop']);
    expect(prune.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    expect(prune.allow_failure, 'a failed prune fails the scheduled pipeline').toBeUndefined();
    expect(prune.variables!.GIT_STRATEGY, 'prune needs the checkout').toBeUndefined();
    const variables = doc.variables as unknown as Record<string, string>;
    expect(variables.PREVIEW_KIT_CLI).toBe(`npx --yes preview-kit@${VERSION}`);
    expect(variables.PREVIEW_KIT_IMAGE).toBe(DEFAULT_IMAGE);
  });

  it('the default image is a maintained Node.js LTS line in the full Debian image (which has git)', () => {
    // Node.js 24 is maintained until 2028-04-30; 20 ended 2026-04-30. `-slim` and `-alpine` have no git.
    expect(DEFAULT_IMAGE).toMatch(/^node:(2[2468]|[3-9][02468])-(trixie|bookworm)$/);
    expect(DEFAULT_IMAGE).not.toMatch(/^node:20\b/);
  });

  it("the README's GitLab section names every input of the components, in their order", async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### GitLab CI'), readme.indexOf('\n### ', readme.indexOf('### GitLab CI') + 1));
    const listed = /The inputs: ([^.]+)\./.exec(section.replace(/\s+/g, ' '))![1]!.match(/`(\w+)`/g)!.map((m) => m.slice(1, -1));
    expect(listed).toEqual(componentInputs().map((i) => i.name));
  });

  it('the GitLab examples include the component and the template of this version', async () => {
    const text = await readFile(join(ROOT, 'examples', 'gitlab', '.gitlab-ci.yml'), 'utf8');
    expect(text).toContain(`/clever-cloud@${VERSION}\n`);
    const schedule = await readFile(join(ROOT, 'examples', 'gitlab', 'schedule', '.gitlab-ci.yml'), 'utf8');
    expect(schedule).toContain(`ref: v${VERSION}\n`);
  });
});

describe('gitlab-ci-local accepts every file and picks the jobs of each pipeline', () => {
  const asName = (id: string) => id.replace('-', '_');

  it('all four components included with inputs in one pipeline, and each include template', async () => {
    const copied = await copyIntoProject([...files.map(([f]) => `gitlab-templates/${f}.yml`), ...files.map(([f]) => `templates/${f}/template.yml`)]);
    const components = files.map(([f, id]) => `  - local: templates/${f}/template.yml\n    inputs:\n      as: ${asName(id)}\n`).join('');
    const repo = await project({ ...copied, '.gitlab-ci.yml': `include:\n${components}` }, { cleanups });
    const expectJobs = async (args: string[], jobs: (id: string) => string[]) => {
      const r = await gcl(repo.dir, ['--list', ...args], home);
      expect(r.code, r.output).toBe(0);
      expect(listedJobs(r.output).sort()).toEqual(files.flatMap(([, id]) => jobs(id)).sort());
      return r.output;
    };
    const branch = await expectJobs([], (id) => [`${asName(id)}:review`, `${asName(id)}:stop`]);
    for (const [, id] of files) {
      expect(branch).toMatch(new RegExp(`${asName(id)}:review\\s+deploy\\s+on_success\\s+false\\s+review/feature-cart`));
      expect(branch).toMatch(new RegExp(`${asName(id)}:stop\\s+deploy\\s+manual\\s+true\\s+review/feature-cart`));
    }
    await expectJobs(mergeRequestPipeline({ iid: 7, sourceBranch: 'feature/cart' }), (id) => [`${asName(id)}:review`, `${asName(id)}:stop`]);
    // The branch pipeline of a branch with an open merge request leaves the preview to the merge request pipeline.
    await expectJobs(BRANCH_WITH_OPEN_MR, () => []);
    await expectJobs(SCHEDULE, (id) => [`${asName(id)}:prune`]);

    for (const [f] of files) {
      await writeFile(join(repo.dir, '.gitlab-ci.yml'), `include:\n  - local: gitlab-templates/${f}.yml\n`);
      const r = await gcl(repo.dir, ['--list'], home);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/preview:review\s+deploy\s+on_success\s+false\s+review\/feature-cart/);
      expect(r.output).toMatch(/preview:stop\s+deploy\s+manual\s+true\s+review\/feature-cart/);
      const mr = await gcl(repo.dir, ['--list', ...mergeRequestPipeline({ iid: 7, sourceBranch: 'feature/cart' })], home);
      expect(listedJobs(mr.output)).toEqual(['preview:review', 'preview:stop']);
      const scheduled = await gcl(repo.dir, ['--list', ...SCHEDULE], home);
      expect(listedJobs(scheduled.output)).toEqual(['preview:prune']);
    }
  });

  it('on the default branch, no preview job runs', async () => {
    const copied = await copyIntoProject(['gitlab-templates/clever-cloud.yml']);
    const repo = await project({ ...copied, '.gitlab-ci.yml': 'include:\n  - local: gitlab-templates/clever-cloud.yml\n' }, { branch: 'main', cleanups });
    const r = await gcl(repo.dir, ['--list'], home);
    expect(r.code, r.output).toBe(0);
    expect(listedJobs(r.output)).toEqual([]);
  });

  it('stop_allow_failure: false makes the stop job one whose failure fails the pipeline', async () => {
    const copied = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...copied, '.gitlab-ci.yml': 'include:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n      stop_allow_failure: false\n' }, { cleanups });
    const r = await gcl(repo.dir, ['--list'], home);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/preview:stop\s+deploy\s+manual\s+false\s+review\/feature-cart/);
  });

  it('rejects an input the component does not allow (the check can fail)', async () => {
    const copied = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const repo = await project({ ...copied, '.gitlab-ci.yml': 'include:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n      as: "Bad Name!"\n' }, { cleanups });
    const r = await gcl(repo.dir, ['--list'], home);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('`as` input: `Bad Name!` does not match required regex');
  });
});
