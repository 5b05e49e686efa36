/**
 * Reads what the CI environment says about the run: which forge, the repository name, the branch,
 * the pull/merge request and the commit. Pure over an env record; git is asked only as a fallback.
 */
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { readEvent } from '../github/event.js';

export type ForgeKind = 'github' | 'gitlab' | 'generic';

export interface CiInfo {
  forge: ForgeKind;
  app?: string;
  branch?: string;
  commit?: string;
  /** Forge-specific: the event payload path (GitHub). */
  eventPath?: string;
}

type Env = Record<string, string | undefined>;

export function forgeOf(env: Env): ForgeKind {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  return 'generic';
}

export function ciInfoFromEnv(env: Env): CiInfo {
  const forge = forgeOf(env);
  const info: CiInfo = { forge };
  // CircleCI's variables are read too: the nightly and any-CI examples need no flags for them.
  const repo = env.GITHUB_REPOSITORY?.split('/').pop() || env.CI_PROJECT_NAME || env.CIRCLE_PROJECT_REPONAME;
  if (repo) info.app = repo;
  // A pull request's head branch comes first: GITHUB_REF_NAME is then `<n>/merge`.
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.CI_COMMIT_REF_NAME || env.CIRCLE_BRANCH;
  if (branch) info.branch = branch;
  const commit = env.CI_COMMIT_SHA || (env.GITHUB_HEAD_REF ? undefined : env.GITHUB_SHA) || env.CIRCLE_SHA1;
  if (commit) info.commit = commit;
  if (env.GITHUB_EVENT_PATH) info.eventPath = env.GITHUB_EVENT_PATH;
  return info;
}

/** The pull/merge request of the triggering event, and the fork it comes from when it does. */
export interface ChangeInfo {
  pr?: number;
  /** `owner/name` (GitHub) or `group/project` (GitLab) of the head repository, for a fork's change. */
  fork?: string;
}

/**
 * What the event says about the change: a GitHub pull request (from the event payload) or a
 * GitLab merge request (from the MR variables). A fork's change is one whose head lives in
 * another repository than the base; a repository that is itself a fork is not, by that alone.
 */
export function changeOfEvent(env: Env): ChangeInfo {
  const forge = forgeOf(env);
  if (forge === 'github') {
    const pr = readEvent(env).pullRequest;
    if (!pr) return {};
    return { pr: pr.number, ...(pr.fromFork ? { fork: pr.headRepo ?? '(deleted fork)' } : {}) };
  }
  if (forge === 'gitlab' && env.CI_MERGE_REQUEST_IID && /^\d+$/.test(env.CI_MERGE_REQUEST_IID)) {
    const pr = Number(env.CI_MERGE_REQUEST_IID);
    const source = env.CI_MERGE_REQUEST_SOURCE_PROJECT_ID;
    const target = env.CI_MERGE_REQUEST_PROJECT_ID;
    const fromFork = source !== undefined && target !== undefined && source !== '' && source !== target;
    return { pr, ...(fromFork ? { fork: env.CI_MERGE_REQUEST_SOURCE_PROJECT_PATH || `project ${source}` } : {}) };
  }
  return {};
}

/** Asks git for what the env did not say. Failures mean "unknown", never an error here. git sees only `childEnv`. */
export async function gitFallback(cwd: string, info: CiInfo, need: { branch: boolean; app: boolean }, childEnv: Record<string, string>): Promise<CiInfo> {
  const out = { ...info };
  const git = async (...args: string[]) => {
    try {
      const r = await runGit(cwd, args, childEnv);
      return r.exitCode === 0 ? r.stdout.trim() : undefined;
    } catch {
      return undefined;
    }
  };
  if (need.branch && !out.branch) {
    const b = await git('rev-parse', '--abbrev-ref', 'HEAD');
    if (b && b !== 'HEAD') out.branch = b;
  }
  if (need.app && !out.app) {
    const top = await git('rev-parse', '--show-toplevel');
    out.app = basename(top ?? cwd);
  }
  return out;
}

/**
 * Runs git with only `env` (no stdin) and never throws for a failed run: a git that cannot start
 * (missing, no such folder) is exit code -1 with the reason as stderr. Plain child_process, so
 * commands that ask git one question load no process library.
 */
function runGit(cwd: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ exitCode: 0, stdout, stderr });
      const code = (error as { code?: unknown }).code;
      resolve({ exitCode: typeof code === 'number' ? code : -1, stdout: stdout ?? '', stderr: stderr || error.message });
    });
    child.stdin?.end();
  });
}

/** Resolves a commit-ish to a full SHA in the source repository. */
export async function resolveCommit(dir: string, ref: string, childEnv: Record<string, string>): Promise<string> {
  const r = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], childEnv);
  if (r.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(r.stdout.trim())) {
    const hint = r.stderr.includes('dubious ownership')
      ? 'git refuses a checkout owned by another user: mark it safe (git config --global --add safe.directory <dir>)'
      : r.stderr.includes('not a git repository')
        ? 'run inside a git checkout or pass --source'
        : 'check --commit, or fetch more history (fetch-depth)';
    throw new ConfigError(`deploy: cannot resolve commit "${ref}" in ${dir}`, { hint });
  }
  return r.stdout.trim();
}
