/**
 * Running the GitLab definitions with gitlab-ci-local (scripts/gitlab-ci-local.sh, shell executor)
 * in a project checkout as a runner has it, in each kind of pipeline GitLab makes. gitlab-ci-local
 * derives the branch variables from the checked-out branch and the project from `origin`; a
 * pipeline of another kind is the same checkout with GitLab's variables for it.
 */
import { execa } from 'execa';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { baseEnv, CLI, ROOT, tempRepo } from '../../helpers/cli.js';

export const SCRIPT = join(ROOT, 'scripts', 'gitlab-ci-local.sh');
/** The project's numeric id, as gitlab-ci-local reports it (CI_PROJECT_ID). */
export const PROJECT_ID = 1217;
/** What the templates run instead of the published package: the bundle of this working tree. */
export const LOCAL_CLI = `node ${CLI}`;

/** A project checkout on a branch, with an origin on gitlab.example.com and its default branch `main`. */
export async function project(files: Record<string, string>, options: { branch?: string; name?: string; cleanups: Array<() => Promise<void>> }) {
  const repo = await tempRepo(files, options.branch ?? 'feature/cart');
  options.cleanups.push(repo.remove);
  await repo.git('remote', 'add', 'origin', `https://gitlab.example.com/octo-org/${options.name ?? 'shop'}.git`);
  await repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  await repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return repo;
}

/**
 * Makes `include: component: $CI_SERVER_FQDN/preview-kit/preview-kit/<provider>@<version>` and
 * `include: project: preview-kit/preview-kit` (ref v<version>) resolve to this working tree's
 * files: gitlab-ci-local reads another project's files from its includes folder, so the examples
 * and the README run as they are written.
 */
export async function publishIncludes(dir: string, version: string): Promise<void> {
  for (const ref of [version, `v${version}`]) {
    const target = join(dir, '.gitlab-ci-local', 'includes', 'gitlab.example.com', 'preview-kit', 'preview-kit', ref);
    await mkdir(target, { recursive: true });
    await cp(join(ROOT, 'templates'), join(target, 'templates'), { recursive: true });
    await cp(join(ROOT, 'gitlab-templates'), join(target, 'gitlab-templates'), { recursive: true });
  }
}

export async function copyIntoProject(files: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) out[f] = await readFile(join(ROOT, f), 'utf8');
  return out;
}

/** Predefined variables the pipelines below set for themselves: gitlab-ci-local warns about each unless told. */
const OVERRIDDEN = ['GITLAB_CI', 'CI_PIPELINE_SOURCE', 'CI_COMMIT_BRANCH'];

export async function gcl(dir: string, args: string[], home: string) {
  const r = await execa('bash', [SCRIPT, ...args, '--ignore-predefined-vars', OVERRIDDEN.join(',')], { cwd: dir, env: baseEnv({ HOME: home }), extendEnv: false, reject: false, stdin: 'ignore', timeout: 180_000, all: true });
  return { code: r.exitCode ?? -1, output: r.all ?? '' };
}

const variables = (values: Record<string, string>) => Object.entries(values).flatMap(([k, v]) => ['--variable', `${k}=${v}`]);

/** gitlab-ci-local sets GITLAB_CI=false on purpose; GitLab's runners set true, and so the CLI logs GitLab's way. */
export const AS_ON_GITLAB = variables({ GITLAB_CI: 'true' });

/** A branch pipeline of a branch with an open merge request (which runs the preview jobs instead). */
export const BRANCH_WITH_OPEN_MR = variables({ CI_OPEN_MERGE_REQUESTS: 'octo-org/shop!7' });

export const SCHEDULE = variables({ CI_PIPELINE_SOURCE: 'schedule' });

/**
 * A merge request pipeline: no CI_COMMIT_BRANCH, the source branch in the MR variables. From a
 * fork, the source project differs.
 */
export function mergeRequestPipeline(mr: { iid: number; sourceBranch: string; fork?: string }): string[] {
  const values = {
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_COMMIT_BRANCH: '',
    CI_MERGE_REQUEST_IID: String(mr.iid),
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: mr.sourceBranch,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_MERGE_REQUEST_PROJECT_ID: String(PROJECT_ID),
    CI_MERGE_REQUEST_SOURCE_PROJECT_ID: mr.fork ? '4242' : String(PROJECT_ID),
    CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: mr.fork ?? 'octo-org/shop',
    CI_MERGE_REQUEST_REF_PATH: `refs/merge-requests/${mr.iid}/head`,
    CI_MERGE_REQUEST_EVENT_TYPE: 'detached',
    CI_OPEN_MERGE_REQUESTS: `octo-org/shop!${mr.iid}`,
  };
  return variables(values);
}

export { variables as gclVariables };

/** The dotenv report of the last review job, as GitLab reads it. */
export async function dotenvOf(dir: string): Promise<Record<string, string>> {
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

/** Jobs gitlab-ci-local would run in this pipeline (`--list`), by name. */
export function listedJobs(output: string): string[] {
  const lines = output.split('\n');
  const head = lines.findIndex((l) => /^name\s+description\s+stage/.test(l));
  if (head < 0) return [];
  return lines.slice(head + 1).map((l) => l.trim().split(/\s+/)[0]!).filter((n) => n !== '');
}
