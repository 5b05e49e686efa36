/**
 * Runs the built CLI (dist/cli/index.js) as a separate process, the way pipelines run it, with a
 * clean environment so that the developer's or CI's own variables never leak into a test.
 */
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundle under test: the committed dist/, or the one PREVIEW_KIT_DIST names (a scratch build). */
export const DIST = process.env.PREVIEW_KIT_DIST || join(ROOT, 'dist');
export const CLI = join(DIST, 'cli', 'index.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when --json was given. */
  json: <T = Record<string, unknown>>() => T;
}

export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    GIT_AUTHOR_NAME: 'preview-kit tests',
    GIT_AUTHOR_EMAIL: 'tests@preview-kit.invalid',
    GIT_COMMITTER_NAME: 'preview-kit tests',
    GIT_COMMITTER_EMAIL: 'tests@preview-kit.invalid',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

export async function runCli(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const r = await execa('node', [CLI, ...args], {
    env: baseEnv(options.env),
    extendEnv: false,
    cwd: options.cwd ?? ROOT,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    code: r.exitCode ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    json: <T>() => JSON.parse(r.stdout) as T,
  };
}

/** A throwaway git repository with a first commit; returns its path and a function to add commits. */
export async function tempRepo(files: Record<string, string> = { 'index.html': '<h1>hello</h1>\n' }, branch = 'feature/login') {
  const { writeFile, mkdir } = await import('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'pk-repo-'));
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: baseEnv(), extendEnv: false });
  await git('init', '-q', '-b', branch);
  const commit = async (changes: Record<string, string>, message: string) => {
    for (const [path, content] of Object.entries(changes)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await git('add', '-A');
    await git('commit', '-q', '-m', message);
    return (await git('rev-parse', 'HEAD')).stdout.trim();
  };
  const first = await commit(files, 'first');
  return { dir, first, commit, git, remove: () => rm(dir, { recursive: true, force: true }) };
}
