/**
 * The system `git` talking to the app's git remote. Credentials travel only as an
 * `http.extraHeader` passed through GIT_CONFIG_COUNT/KEY/VALUE environment variables (git 2.31+):
 * never in the URL, the argument list or `.git/config`, so no process list, log line or later git
 * command can see them. git gets the child environment the context provides (PATH, HOME, locale,
 * proxies, git's own certificate settings) plus that header — never the platform credentials
 * this process holds — and runs in a process group that ends with us (git-process.ts). Whether the
 * repository exists yet is asked with one HTTP request instead (repository.ts). Behind an
 * interface so deploy logic can be tested without a remote.
 */
import { AuthError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Deadline } from '../../core/retry.js';
import { runGit } from './git-process.js';
import { probeRepository, type RepositoryProbe } from './repository.js';

export interface GitRemote {
  /** Whether the remote repository exists yet (`info/refs`), without pushing. */
  probe(url: string): Promise<RepositoryProbe>;
  /** Pushes `commit` to `ref`, forced. `upToDate` when the remote already had it. */
  push(url: string, commit: string, ref: string, cwd: string): Promise<{ upToDate: boolean }>;
}

/** How a failed git command should be treated. */
export type GitFailure = 'auth' | 'fatal' | 'retry';

const AUTH = /authentication failed|could not read (username|password)|terminal prompts disabled|HTTP 40[13]|returned error: 40[13]|invalid credentials|access denied|not authorized/i;
const FATAL = /shallow update not allowed|src refspec .* does not match|does not point to a commit|bad revision|not a valid object|unknown revision|not a git repository|invalid refspec|unable to push to unqualified/i;

/** Auth failures end at once, local mistakes too; anything else (repository not ready yet, 5xx, network) is worth another try. */
export function classifyGitFailure(stderr: string): GitFailure {
  if (AUTH.test(stderr)) return 'auth';
  if (FATAL.test(stderr)) return 'fatal';
  return 'retry';
}

export class GitCommandError extends ProviderError {
  constructor(
    message: string,
    readonly failure: GitFailure,
    options: { hint?: string } = {},
  ) {
    super(message, { retryable: failure === 'retry', hint: options.hint });
  }
}

/** The last meaningful line git printed, for error messages. */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(hint|To |Everything up-to-date)/.test(l));
  return lines.at(-1) ?? 'no output';
}

/** The reason in a porcelain status line of a refused ref: `!\t<src>:<dst>\t[remote rejected] (why)`. */
export function rejectionOf(porcelain: string): string | undefined {
  for (const line of porcelain.split(/\r?\n/)) {
    if (!line.startsWith('!')) continue;
    const summary = line.split('\t')[2]?.trim() ?? '';
    const reason = /\(([^)]*)\)\s*$/.exec(summary)?.[1];
    return reason || summary.replace(/^\[|\]$/g, '') || 'rejected';
  }
  return undefined;
}

export class SystemGit implements GitRemote {
  constructor(
    private readonly authorization: string,
    private readonly deadline: Deadline,
    private readonly logger: Logger,
    private readonly authHint: string,
    /** What a child process may see of our environment; undefined: all of it (tests). */
    private readonly childEnv?: Record<string, string>,
  ) {}

  /** Scoped to the remote's URL: a redirect to another host never receives the header. */
  private env(url: string): Record<string, string> {
    return {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: `http.${url}.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: ${this.authorization}`,
      // An empty helper list: no keychain or store is asked (or filled) when the remote says 401.
      GIT_CONFIG_KEY_1: 'credential.helper',
      GIT_CONFIG_VALUE_1: '',
    };
  }

  private async run(url: string, args: string[], cwd: string, what: string): Promise<{ stdout: string; stderr: string }> {
    this.deadline.check(what);
    this.logger.debug(`git ${args.join(' ')}`);
    const result = await runGit(args, { cwd, env: this.childEnv, extra: this.env(url), timeoutMs: Math.max(1, this.deadline.remaining()) });
    const { stdout, stderr } = result;
    if (result.exitCode === 0) return { stdout, stderr };
    if (result.timedOut) this.deadline.check(what);
    // With --porcelain the remote's reason for refusing a ref is on stdout, not stderr.
    const rejected = rejectionOf(stdout);
    const said = rejected ? `${stderr}\n${rejected}` : stderr;
    const failure = classifyGitFailure(said);
    const why = rejected ? `the remote rejected it: ${rejected}` : lastLine(stderr || result.message || '');
    const message = `${what}: git ${args[0]} failed: ${why}`;
    if (failure === 'auth') throw new AuthError(`${what}: the git remote refused the credentials (${lastLine(said)})`, { hint: this.authHint });
    throw new GitCommandError(message, failure, {
      hint: /shallow/i.test(said) ? 'the checkout is shallow: fetch the full history (actions/checkout fetch-depth: 0, GitLab GIT_DEPTH: 0)' : undefined,
    });
  }

  /** An HTTP request of our own, not a git process: a probe repeated while the repository is made costs no process start. */
  probe(url: string): Promise<RepositoryProbe> {
    return probeRepository(url, this.authorization, this.deadline);
  }

  async push(url: string, commit: string, ref: string, cwd: string): Promise<{ upToDate: boolean }> {
    // Forced: the preview follows its branch, rewritten history included. No local hooks in CI.
    const { stdout, stderr } = await this.run(url, ['push', '--force', '--no-verify', '--porcelain', url, `${commit}:${ref}`], cwd, `push ${commit.slice(0, 7)}`);
    const out = `${stdout}\n${stderr}`;
    // Porcelain marks an unchanged ref with `=`.
    const upToDate = /^=\s/m.test(stdout) || /Everything up-to-date/i.test(out);
    return { upToDate };
  }
}
