/**
 * Runs one git command so that nothing of it outlives us. `git push` over HTTP starts
 * `git-remote-http` as its own child; killing git (what execa's cleanup does) leaves that helper
 * talking to the remote for a job that is gone. So each git command gets a process
 * group of its own, and the whole group is ended when the command times out or this process
 * exits (the CLI turns SIGTERM/SIGINT into an exit).
 */
import { execa } from 'execa';

/** Groups of git commands still running, by their leader's pid. */
const running = new Set<number>();
let exitHooked = false;

/** POSIX only: elsewhere a detached child is a new console window, not a process group. */
const GROUPS = process.platform !== 'win32';

function signalGroup(leader: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // Already gone.
  }
}

function endAllOnExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const leader of running) signalGroup(leader, 'SIGTERM');
  });
}

export interface GitRun {
  exitCode?: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  message?: string;
}

export interface GitRunOptions {
  cwd: string;
  /** The child's whole environment; undefined: this process's environment plus `extra`. */
  env: Record<string, string> | undefined;
  /** Set on top of `env` (credentials as GIT_CONFIG_*, no prompts). */
  extra: Record<string, string>;
  timeoutMs: number;
}

export async function runGit(args: string[], options: GitRunOptions): Promise<GitRun> {
  if (GROUPS) endAllOnExit();
  const child = execa('git', args, {
    cwd: options.cwd,
    env: options.env ? { ...options.env, ...options.extra } : options.extra,
    extendEnv: options.env === undefined,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    detached: GROUPS,
    // Our own exit hook ends the whole group; execa's would end only git itself.
    cleanup: !GROUPS,
  });
  const leader = child.pid;
  if (GROUPS && leader !== undefined) running.add(leader);
  try {
    const result = await child;
    // git was killed (timeout): its helpers are orphans of the group now.
    if (GROUPS && leader !== undefined && (result.timedOut || result.isTerminated)) signalGroup(leader, 'SIGKILL');
    return {
      exitCode: result.exitCode,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      timedOut: result.timedOut,
      message: (result as { message?: string }).message,
    };
  } finally {
    if (leader !== undefined) running.delete(leader);
  }
}
