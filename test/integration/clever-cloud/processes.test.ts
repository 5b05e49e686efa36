/**
 * The git children of a Clever Cloud deploy, through the built CLI: they see only what they need
 * (the push's auth header, not the platform credentials or other secrets of the pipeline), and
 * none of them — `git` or its `git-remote-http` — outlives a CLI ended by SIGTERM.
 */
import { execa } from 'execa';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { baseEnv, CLI, runCli, tempRepo } from '../../helpers/cli.js';

const TOKEN = 'tok_6b8d0f2a4c6e8a0b2d4f6a8c0e2b4d6f';
const SECRET = 'sec_4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e';
const API_TOKEN = 'api_0c2e4a6c8e0a2c4e6b8d0f2a4c6e8b0d';
const OTHER_SECRET = 'npm_7d9f1b3d5f7a9c1e3b5d7f9a1c3e5b7d';

let fake: FakeCleverCloud;
let repo: Awaited<ReturnType<typeof tempRepo>>;
let work: string;

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, apiToken: API_TOKEN, gitReadyDelayMs: 0, deployDurationMs: 100 });
  repo = await tempRepo({ 'index.html': '<h1>children</h1>\n' });
  work = await mkdtemp(join(tmpdir(), 'pk-clever-procs-'));
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({
  CLEVER_TOKEN: TOKEN,
  CLEVER_SECRET: SECRET,
  CLEVER_API_TOKEN: API_TOKEN,
  CLEVER_API_URL: fake.url,
  PREVIEW_PROVIDER: 'clever-cloud',
  PREVIEW_APP: 'shop',
  NPM_TOKEN: OTHER_SECRET,
  ...extra,
});

/** Command lines of every process we can see, by pid. */
async function commandLines(): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.set(Number(entry), (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ').trim());
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

describe('git children of a deploy', () => {
  it('get the auth header through GIT_CONFIG_*, and none of the credentials or other secrets of the CLI', async () => {
    const realGit = (await execa('sh', ['-c', 'command -v git'])).stdout.trim();
    const bin = join(work, 'bin');
    const dump = join(work, 'git-env.txt');
    await execa('mkdir', ['-p', bin]);
    // A `git` first on PATH that writes down what it was given, then runs the real one.
    await writeFile(join(bin, 'git'), `#!/bin/sh\n{ echo "=== $1"; env; } >> '${dump}'\nexec '${realGit}' "$@"\n`);
    await chmod(join(bin, 'git'), 0o755);
    const r = await runCli(['up', '--branch', 'env-check', '--json'], { cwd: repo.dir, env: env({ PATH: `${bin}:${process.env.PATH}` }) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ deployed: boolean }>().deployed).toBe(true);

    const calls = (await readFile(dump, 'utf8')).split('=== ').filter(Boolean);
    const network = calls.filter((c) => /^(push|ls-remote|fetch)\n/.test(c));
    // One git process talks to the remote: the push (whether the repository exists is asked over HTTP).
    expect(network.map((c) => c.split('\n')[0])).toEqual(['push']);
    for (const call of network) {
      const vars = new Map(
        call
          .split('\n')
          .slice(1)
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      for (const name of ['CLEVER_TOKEN', 'CLEVER_SECRET', 'CLEVER_API_TOKEN', 'NPM_TOKEN', 'CLEVER_API_URL']) expect(vars.has(name), name).toBe(false);
      for (const secret of [TOKEN, SECRET, API_TOKEN, OTHER_SECRET]) expect(call).not.toContain(secret);
      expect(vars.get('PATH')).toContain(bin);
      expect(vars.get('HOME')).toBeTruthy();
      expect(vars.get('GIT_CONFIG_KEY_0')).toMatch(/^http\.http:\/\/127\.0\.0\.1:\d+\/git\/app_[\w-]+\.git\.extraHeader$/);
      expect(vars.get('GIT_CONFIG_VALUE_0')).toMatch(/^Authorization: Basic [A-Za-z0-9+/=]+$/);
      expect(vars.get('GIT_TERMINAL_PROMPT')).toBe('0');
    }
    await runCli(['stop', '--branch', 'env-check'], { cwd: repo.dir, env: env() });
  });

  it('end with the CLI: after a SIGTERM no git or git-remote-http of that run is left', async () => {
    // A preview that already runs code, so that the next commit goes straight to a push.
    const first = await runCli(['up', '--branch', 'sigterm-check'], { cwd: repo.dir, env: env() });
    expect(first.code, first.stderr).toBe(0);
    await repo.commit({ 'index.html': '<h1>children, again</h1>\n' }, 'again');
    // Every git request to this fake hangs: git (and its helper) wait on the remote forever.
    fake.setGitStall(true);
    const marker = `${fake.url}/git/`;
    const child = execa('node', [CLI, 'up', '--branch', 'sigterm-check'], { env: baseEnv(env()), extendEnv: false, cwd: repo.dir, reject: false, stdin: 'ignore' });
    try {
      const stalled = await until('a git process talking to the stalled remote', async () => {
        const found = [...(await commandLines()).entries()].filter(([, line]) => line.includes(marker));
        return found.length > 0 ? found : undefined;
      });
      expect(stalled.some(([, line]) => /git/.test(line))).toBe(true);
      child.kill('SIGTERM');
      const ended = await child;
      expect(ended.exitCode, ended.stderr).toBe(143);
      // Signals take a moment to land; a process that is still there after that is a leak.
      const left = await until('the git processes of that run to end', async () => {
        const remaining = [...(await commandLines()).values()].filter((line) => line.includes(marker));
        return remaining.length === 0 ? remaining : undefined;
      }, 10_000).catch(async () => [...(await commandLines()).values()].filter((line) => line.includes(marker)));
      expect(left).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      fake.setGitStall(false);
    }
  });
});
