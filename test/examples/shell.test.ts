/**
 * examples/shell/preview.sh against the fake Clever Cloud (its API and a real git smart-HTTP
 * remote), with `preview-kit` on PATH being the bundle under test: from a CI job's checkout (up on
 * a push, nothing to do on a re-run, stop on the branch's deletion, a second stop that succeeds),
 * and as a git server's post-receive hook, where `git push` and `git push --delete` are the
 * triggers and the bare repository is the source.
 */
import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewName } from '../../src/core/naming.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../fakes/clever-cloud/server.js';
import { baseEnv, CLI, ROOT, tempRepo } from '../helpers/cli.js';

const SCRIPT = join(ROOT, 'examples', 'shell', 'preview.sh');
const TOKEN = 'tok_shell_1c2d3e4f5a6b7c8d9e0f1a2b';
const SECRET = 'sec_shell_9e8d7c6b5a4f3e2d1c0b9a8f';
const ORG = 'orga_00000000-0000-4000-8000-0000000000e1';
const ZEROS = '0'.repeat(40);

let clever: FakeCleverCloud;
let work: string;
let env: Record<string, string>;

const appsNamed = (name: string) => clever.apps().filter((a) => a.name === name);
const deployed = (appId: string) => clever.pushes.filter((p) => p.appId === appId && p.ok).map((p) => p.commit);

function preview(args: string[], cwd: string) {
  return execa('sh', [SCRIPT, ...args], { cwd, env, extendEnv: false, reject: false, stdin: 'ignore', all: true, timeout: 120_000 });
}

beforeAll(async () => {
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 300, deployDurationMs: 200 });
  work = mkdtempSync(join(tmpdir(), 'pk-shell-'));
  // `preview-kit` on PATH, as `npm install --global` leaves it.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'preview-kit'), `#!/bin/sh\nexec node '${CLI}' "$@"\n`);
  chmodSync(join(bin, 'preview-kit'), 0o755);
  env = baseEnv({
    PATH: `${bin}:${process.env.PATH}`,
    CI: 'true',
    PREVIEW_PROVIDER: 'clever-cloud',
    PREVIEW_APP: 'shop',
    PREVIEW_DOMAIN: '{name}.preview.example.com',
    CLEVER_TOKEN: TOKEN,
    CLEVER_SECRET: SECRET,
    CLEVER_ORG: ORG,
    CLEVER_API_URL: clever.url,
  }) as Record<string, string>;
});

afterAll(async () => {
  await clever?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('examples/shell/preview.sh in a CI job', () => {
  it('up on a push, nothing on a re-run, stop on deletion, and a second stop still exits 0', async () => {
    const repo = await tempRepo({ 'index.html': '<h1>login</h1>\n', 'package.json': '{"name":"shop"}\n' }, 'feature/login');
    const name = previewName({ app: 'shop', branch: 'feature/login' });
    try {
      const pushed = await preview(['feature/login', repo.first], repo.dir);
      expect(pushed.exitCode, pushed.all).toBe(0);
      expect(appsNamed(name)).toHaveLength(1);
      const app = appsNamed(name)[0]!;
      expect(deployed(app.id)).toEqual([repo.first]);
      expect(pushed.all).toContain(`https://${name}.preview.example.com`);

      const requests = clever.requests.length;
      const again = await preview(['feature/login', repo.first], repo.dir);
      expect(again.exitCode, again.all).toBe(0);
      expect(clever.requests.slice(requests).filter((r) => r.method !== 'GET')).toEqual([]);
      expect(deployed(app.id)).toEqual([repo.first]);

      const deleted = await preview(['feature/login', ZEROS], work);
      expect(deleted.exitCode, deleted.all).toBe(0);
      expect(appsNamed(name)).toEqual([]);
      const twice = await preview(['feature/login', ZEROS], work);
      expect(twice.exitCode, twice.all).toBe(0);

      for (const run of [pushed, again, deleted, twice]) {
        expect(run.all).not.toContain(TOKEN);
        expect(run.all).not.toContain(SECRET);
      }
    } finally {
      await repo.remove();
    }
  });

  it('without a commit it stops with a usage line and changes nothing', async () => {
    const requests = clever.requests.length;
    const r = await preview(['feature/login'], work);
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toContain('usage: preview.sh BRANCH COMMIT');
    expect(clever.requests.length).toBe(requests);
  });
});

describe('examples/shell/preview.sh as a post-receive hook', () => {
  it('git push creates and deploys the preview from the bare repository; git push --delete removes it', async () => {
    const bare = join(work, 'shop.git');
    await execa('git', ['init', '-q', '--bare', bare], { env, extendEnv: false });
    writeFileSync(
      join(bare, 'hooks', 'post-receive'),
      [
        '#!/bin/sh',
        'while read -r old new ref; do',
        '  case $ref in',
        `    refs/heads/*) sh '${SCRIPT}' "\${ref#refs/heads/}" "$new" || echo "preview of \${ref#refs/heads/} failed" ;;`,
        '  esac',
        'done',
        '',
      ].join('\n'),
    );
    chmodSync(join(bare, 'hooks', 'post-receive'), 0o755);
    const repo = await tempRepo({ 'index.html': '<h1>hook</h1>\n', 'package.json': '{"name":"shop"}\n' }, 'feature/hook');
    const name = previewName({ app: 'shop', branch: 'feature/hook' });
    const git = (...args: string[]) => execa('git', args, { cwd: repo.dir, env, extendEnv: false, reject: false, stdin: 'ignore', all: true, timeout: 120_000 });
    try {
      await git('remote', 'add', 'server', bare);
      const push = await git('push', 'server', 'feature/hook');
      expect(push.exitCode, push.all).toBe(0);
      expect(push.all).toMatch(/^remote: .*created/m);
      expect(push.all).not.toContain('failed');
      const app = appsNamed(name)[0];
      expect(app, push.all).toBeDefined();
      expect(deployed(app!.id)).toEqual([repo.first]);

      const gone = await git('push', 'server', '--delete', 'feature/hook');
      expect(gone.exitCode, gone.all).toBe(0);
      expect(gone.all).not.toContain('failed');
      expect(appsNamed(name)).toEqual([]);
      expect(`${push.all}${gone.all}`).not.toContain(SECRET);
    } finally {
      await repo.remove();
    }
  });
});
