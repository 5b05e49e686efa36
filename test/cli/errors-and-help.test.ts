/**
 * The CLI as a pipeline meets it, without a platform: one-line errors with the contract's exit
 * codes, help that fits each command, empty variables that count as unset.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DIST, runCli, tempRepo } from '../helpers/cli.js';

let repo: Awaited<ReturnType<typeof tempRepo>>;
beforeAll(async () => {
  repo = await tempRepo();
});
afterAll(async () => {
  await repo.remove();
});

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^preview-kit: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('usage errors are one line with exit 2', () => {
  it.each([
    ['no command', [], /^preview-kit: usage: no command given \(commands: name, ensure-app, .*\)$/],
    ['an inherited property is no command', ['toString'], /unknown command "toString"/],
    ['a value that looks like a flag', ['name', '--app', 'a', '--pr', '-3'], /^preview-kit: usage: --pr needs a value \(a value starting with - is written --pr=-VALUE/],
    ['a directory as --config', ['name', '--app', 'a', '--branch', 'b', '--config', '.'], /cannot be read \(it is a directory\)/],
    ['{branch} that expands to nothing', ['up', '--provider', 'clever-cloud', '--app', 'a', '--branch', '日本', '--domain', '{branch}.x.io'], /--domain: "\{branch\}\.x\.io" expands to "\.x\.io"/],
  ])('%s', async (_label, args, pattern) => {
    const r = await runCli(args, { cwd: repo.dir, env: { CLEVER_TOKEN: 'tok_aaaa', CLEVER_SECRET: 'sec_aaaa', CLEVER_API_URL: 'http://127.0.0.1:9' } });
    expect(r.code, r.stderr).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(pattern);
    expect(r.stdout).toBe('');
  });

  it('an empty PREVIEW_CONFIG or PREVIEW_SOURCE counts as unset', async () => {
    const r = await runCli(['name', '--app', 'a', '--json'], { cwd: repo.dir, env: { PREVIEW_CONFIG: '', PREVIEW_SOURCE: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ name: string }>().name).toMatch(/^a-feature-login-/);
  });
});

describe('help', () => {
  it('shows each command only the options it reads, aligned', async () => {
    const up = await runCli(['up', '--help']);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('--commit SHA');
    expect(up.stdout).not.toContain('--ttl');
    const prune = await runCli(['prune', '--help']);
    expect(prune.stdout).toContain('--ttl DURATION');
    expect(prune.stdout).not.toContain('--commit SHA');
    const name = await runCli(['help', 'name']);
    expect(name.stdout).not.toContain('clever-cloud (');
    // Every description starts in the same column, however long its flag or variable names are.
    const columns = new Set(
      up.stdout
        .split('\n')
        .filter((l) => /^ {2}(-|\s{4}[-A-Z])/.test(l) && /\S {2,}\S/.test(l.trim()))
        .map((l) => l.search(/(?<=\S {2,})\S/)),
    );
    expect([...columns]).toEqual([34]);
  });
});

describe('an unreachable API', () => {
  it('exits 5 at once with one line that says why, asking only once', async () => {
    const port = await closedPort();
    const r = await runCli(['status', '--provider', 'clever-cloud', '--app', 'a', '--branch', 'b', '--debug'], {
      cwd: repo.dir,
      env: { CLEVER_TOKEN: 'tok_aaaa', CLEVER_SECRET: 'sec_aaaa', CLEVER_API_URL: `http://127.0.0.1:${port}` },
    });
    expect(r.code).toBe(5);
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('preview-kit: '));
    expect(errorLines).toEqual([expect.stringMatching(/unreachable at http:\/\/127\.0\.0\.1:\d+: connection refused .*\(check the API URL/)]);
    // No retry of a refused connection: one request, then the error.
    expect(r.stderr.split('\n').filter((l) => /^debug: GET \/v2\//.test(l))).toHaveLength(1);
  });
});

describe('the library API', () => {
  it('refuses unknown options instead of ignoring them, and takes setting names and objects', async () => {
    // The built bundle, as `import { name } from 'preview-kit'` loads it.
    const lib = (await import(pathToFileURL(join(DIST, 'lib', 'index.js')).href)) as typeof import('../../src/index.js');
    const cwd = repo.dir;
    await expect(lib.name({ app: 'shop', branch: 'b', domian: '{name}.x.io' } as never, { cwd, env: {} })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/unknown option "domian" \(did you mean "domain"\?\)/),
    });
    const r = await lib.name({ app: 'shop', pr: 42, domain: '{name}.x.io' } as never, { cwd, env: {} });
    expect(r).toMatchObject({ name: 'shop-pr-42', url: 'https://shop-pr-42.x.io' });
  });
});

describe('running outside a checkout', () => {
  it('up fails with exit 2 before creating anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-no-repo-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    // No API listens on this port: reaching it would fail with exit 5, not 2.
    const r = await runCli(['up', '--provider', 'clever-cloud', '--app', 'a', '--branch', 'b'], {
      cwd: dir,
      env: { CLEVER_TOKEN: 'tok_aaaa', CLEVER_SECRET: 'sec_aaaa', CLEVER_API_URL: `http://127.0.0.1:${await closedPort()}` },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(oneErrorLine(r.stderr)).toMatch(/cannot resolve commit "HEAD" .*\(run inside a git checkout or pass --source\)/);
  });
});
