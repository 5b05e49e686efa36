/**
 * The source tarball a rack builds from: the tree of one commit (not the working directory, so
 * uncommitted files and `.git` never leave the machine), minus what the commit's `.dockerignore`
 * excludes, gzipped, the way `convox build` packs a directory.
 */
import { spawn } from 'node:child_process';
import { posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, ProviderError } from '../../core/errors.js';
import { IgnoreMatcher } from './dockerignore.js';
import { writeTar, type TarEntry } from './tar.js';

export interface PackedSource {
  /** gzip-compressed tar. */
  data: Buffer;
  files: number;
  /** Paths left out by `.dockerignore`. */
  ignored: number;
}

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** What git sees of our environment (none of the credentials); undefined: ours. */
type ChildEnv = Record<string, string> | undefined;

function git(dir: string, args: string[], env: ChildEnv, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(env ? { env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error) =>
      reject(new ConfigError(`deploy: cannot run git: ${error.message}`, { hint: 'install git; the source is packed from a commit' })),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
    if (child.stdin) {
      // git may exit before reading all of its input (a failed lookup): its exit code tells why.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

async function gitOk(dir: string, args: string[], what: string, env: ChildEnv, input?: string): Promise<Buffer> {
  const result = await git(dir, args, env, input);
  if (result.code !== 0) throw new ProviderError(`deploy: ${what}: git ${args[0]} failed: ${result.stderr || `exit ${result.code}`}`);
  return result.stdout;
}

interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

function parseTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, sha] = record.slice(0, tab).split(' ');
    entries.push({ mode: mode!, type: type!, sha: sha!, path: record.slice(tab + 1) });
  }
  return entries;
}

/** Reads many blobs in one `git cat-file --batch` run: `<sha> blob <size>\n<bytes>\n` per object. */
async function readBlobs(dir: string, shas: string[], env: ChildEnv): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  const unique = [...new Set(shas)];
  if (unique.length === 0) return blobs;
  const out = await gitOk(dir, ['cat-file', '--batch'], 'read files', env, `${unique.join('\n')}\n`);
  let offset = 0;
  for (const sha of unique) {
    const newline = out.indexOf(0x0a, offset);
    const head = out.subarray(offset, newline).toString('utf8').split(' ');
    if (head[1] === 'missing' || head.length < 3) throw new ProviderError(`deploy: object ${sha} is missing from the repository`);
    const size = Number(head[2]);
    blobs.set(head[0]!, out.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return blobs;
}

export async function resolveCommit(dir: string, commit: string, env?: ChildEnv): Promise<string> {
  const result = await git(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], env);
  if (result.code !== 0) {
    throw new ConfigError(`deploy: commit ${commit} is not in the repository at ${dir}`, {
      hint: 'check --source and --commit; in CI fetch the commit (e.g. a full checkout)',
    });
  }
  return result.stdout.toString('utf8').trim();
}

/** Packs the commit's tree, honouring the `.dockerignore` committed with it. */
export async function packSource(dir: string, commit: string, env?: ChildEnv): Promise<PackedSource> {
  const sha = await resolveCommit(dir, commit, env);
  const tree = parseTree(await gitOk(dir, ['ls-tree', '-r', '-z', '--full-tree', sha], 'list files', env));
  const time = Number((await gitOk(dir, ['show', '-s', '--format=%ct', sha], 'read the commit time', env)).toString('utf8').trim()) || 0;
  const ignoreEntry = tree.find((e) => e.path === '.dockerignore' && e.type === 'blob');
  const matcher = ignoreEntry ? IgnoreMatcher.fromFile((await readBlobs(dir, [ignoreEntry.sha], env)).get(ignoreEntry.sha)!.toString('utf8')) : new IgnoreMatcher([]);

  let ignored = 0;
  // Submodules (type commit) have no content in this repository; the rack could not build them either.
  const kept = tree.filter((e) => {
    if (e.type !== 'blob') return false;
    if (matcher.ignores(e.path)) {
      ignored++;
      return false;
    }
    return true;
  });
  const blobs = await readBlobs(dir, kept.map((e) => e.sha), env);

  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const e of kept) {
    // Parent directories first, so extractors that do not create them still work.
    const parents: string[] = [];
    for (let d = posix.dirname(e.path); d !== '.' && !dirs.has(d); d = posix.dirname(d)) parents.unshift(d);
    for (const d of parents) {
      dirs.add(d);
      entries.push({ type: 'dir', path: d, mode: 0o755 });
    }
    const data = blobs.get(e.sha)!;
    if (e.mode === '120000') entries.push({ type: 'symlink', path: e.path, target: data.toString('utf8') });
    else entries.push({ type: 'file', path: e.path, data, mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
  return { data: gzipSync(writeTar(entries, time)), files: kept.length, ignored };
}
