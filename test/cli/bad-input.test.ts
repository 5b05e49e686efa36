/**
 * Bad input and process hygiene, through the built CLI as pipelines run it: each mistake is a
 * usage error (exit 2) found before anything talks to a platform or changes anything.
 */
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, CLI, runCli, tempRepo } from '../helpers/cli.js';

/** A rack URL on a port nothing listens on: reaching it would be exit 5, not 2. */
const CLOSED = { RACK_URL: 'https://convox:rack-password-123@127.0.0.1:9', PREVIEW_PROVIDER: 'convox', PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'main' };

let repo: Awaited<ReturnType<typeof tempRepo>>;
let scratch: string;
beforeAll(async () => {
  repo = await tempRepo();
  scratch = await mkdtemp(join(tmpdir(), 'pk-bad-input-'));
});
afterAll(async () => {
  await repo?.remove();
  await rm(scratch, { recursive: true, force: true });
});

describe('refused before anything is changed', () => {
  it('--dotenv into a folder that does not exist: exit 2 naming it', async () => {
    const r = await runCli(['up', '--dotenv', 'missing/dir/preview.env'], { env: CLOSED, cwd: repo.dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--dotenv missing\/dir\/preview\.env: cannot write it: the folder .*missing\/dir does not exist/);
    expect(r.stderr).not.toMatch(/unreachable|refused/);
  });

  it('a GITHUB_OUTPUT that cannot be written: exit 2 before the platform is asked anything', async () => {
    const r = await runCli(['up'], { env: { ...CLOSED, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: scratch }, cwd: repo.dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/GITHUB_OUTPUT .*: cannot write the step outputs: it is a directory/);
  });

  it.each([
    ['25d', /must be at most 24d/],
    ['0', /must be longer than 0/],
  ])('--timeout %s: exit 2 (a longer timer would fire at once and kill every git call)', async (timeout, message) => {
    const r = await runCli(['up', '--timeout', timeout], { env: CLOSED, cwd: repo.dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--pr beyond a safe integer: exit 2', async () => {
    const r = await runCli(['status', '--pr', '99999999999999999999'], { env: CLOSED, cwd: repo.dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--pr: .* is too large/);
  });

  it('a .preview.yml env value that is a mapping: exit 2 naming the key, never "[object Object]" sent', async () => {
    const dir = await mkdtemp(join(scratch, 'yml-'));
    await writeFile(join(dir, '.preview.yml'), 'env:\n  K:\n    a: 1\n');
    const r = await runCli(['status', '--source', dir], { env: CLOSED, cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.preview\.yml env\.K: expected a text value, got a mapping/);
  });

  it('a provider section that is not a mapping (`clever-cloud: 5`): exit 2 naming it', async () => {
    const dir = await mkdtemp(join(scratch, 'yml-'));
    await writeFile(join(dir, '.preview.yml'), 'provider: clever-cloud\nclever-cloud: 5\n');
    const r = await runCli(['status', '--source', dir], { env: { PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'main' }, cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.preview\.yml clever-cloud: expected a mapping of clever-cloud settings, got a number/);
  });

  it('a token with a character HTTP cannot carry: exit 2 at once, not network retries, the token never printed', async () => {
    const token = 'tok_\u201cq7w9e1\u201d';
    const r = await runCli(['status', '--debug'], {
      env: { PREVIEW_PROVIDER: 'clever-cloud', PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'main', CLEVER_TOKEN: token, CLEVER_SECRET: 'sec_123456789', CLEVER_API_URL: 'http://127.0.0.1:59999' },
      cwd: repo.dir,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/CLEVER_TOKEN: character 5 cannot be part of a credential/);
    expect(r.stderr).not.toMatch(/GET \/v2|attempt 2|unreachable/);
    expect(r.stderr + r.stdout).not.toContain('q7w9e1');
  });
});

describe('warnings', () => {
  it("an option of another provider (--kube-token with clever-cloud) is said to be ignored", async () => {
    const r = await runCli(['status', '--kube-token', 'abc', '--timeout', '2s'], {
      env: { PREVIEW_PROVIDER: 'clever-cloud', PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'main', CLEVER_TOKEN: 'tok_1', CLEVER_SECRET: 'sec_1', CLEVER_API_URL: 'http://127.0.0.1:9' },
      cwd: repo.dir,
    });
    expect(r.stderr).toMatch(/--kube-token is a kubernetes option: the clever-cloud provider ignores it/);
  });
});

describe('signals', () => {
  it('SIGTERM ends every process the CLI started, grandchildren included', async () => {
    // A `git` on PATH that starts a grandchild and waits: what a push's git-remote-http looks like.
    const bin = await mkdtemp(join(scratch, 'bin-'));
    const marker = `pk-signal-${process.pid}-${Date.now()}`;
    await writeFile(join(bin, 'git'), `#!/bin/sh\nsh -c 'sleep 300; :' ${marker}-grandchild &\nexec sh -c 'sleep 300; :' ${marker}-child\n`, { mode: 0o755 });
    // No branch given: the CLI asks git for it, and this git never answers.
    const child = execa('node', [CLI, 'status', '--provider', 'convox', '--app', 'shop'], {
      env: baseEnv({ PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, RACK_URL: CLOSED.RACK_URL }),
      extendEnv: false,
      cwd: repo.dir,
      reject: false,
      stdin: 'ignore',
    });
    await waitFor(async () => (await pgrep(marker)).length === 2);
    child.kill('SIGTERM');
    const done = await child;
    expect(done.exitCode).toBe(143);
    await waitFor(async () => (await pgrep(marker)).length === 0);
    expect(await pgrep(marker)).toEqual([]);
  });
});

async function pgrep(text: string): Promise<string[]> {
  const r = await execa('pgrep', ['-f', text], { reject: false });
  return r.stdout.split('\n').filter(Boolean);
}

async function waitFor(check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
