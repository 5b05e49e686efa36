/**
 * Reads what the CI environment says about the run: which forge, the repository name, the branch,
 * the pull/merge request and the commit. Pure over an env record; git is asked only as a fallback.
 */
import { execa } from 'execa';
import { basename } from 'node:path';
import { ConfigError } from '../../core/errors.js';

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
  const repo = env.GITHUB_REPOSITORY?.split('/').pop() || env.CI_PROJECT_NAME;
  if (repo) info.app = repo;
  // A pull request's head branch comes first: GITHUB_REF_NAME is then `<n>/merge`.
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.CI_COMMIT_REF_NAME;
  if (branch) info.branch = branch;
  const commit = env.CI_COMMIT_SHA || (env.GITHUB_HEAD_REF ? undefined : env.GITHUB_SHA);
  if (commit) info.commit = commit;
  if (env.GITHUB_EVENT_PATH) info.eventPath = env.GITHUB_EVENT_PATH;
  return info;
}

/** Asks git for what the env did not say. Failures mean "unknown", never an error here. */
export async function gitFallback(cwd: string, info: CiInfo, need: { branch: boolean; app: boolean }): Promise<CiInfo> {
  const out = { ...info };
  const git = async (...args: string[]) => {
    try {
      const r = await execa('git', args, { cwd, reject: false, stdin: 'ignore' });
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

/** Resolves a commit-ish to a full SHA in the source repository. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  const r = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(r.stdout.trim())) {
    throw new ConfigError(`deploy: cannot resolve commit "${ref}" in ${dir}`, {
      hint: r.stderr.includes('not a git repository') ? 'run inside a git checkout or pass --source' : 'check --commit, or fetch more history (fetch-depth)',
    });
  }
  return r.stdout.trim();
}
