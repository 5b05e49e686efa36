/**
 * What a CI user sees and gets from the CLI against the fake Clever Cloud: logs that stay short,
 * nothing created when the input is wrong, changes that take effect, failures that say what to
 * do, an interrupted run that the next one finishes.
 */
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { baseEnv, CLI, runCli, tempRepo } from '../../helpers/cli.js';

const TOKEN = 'tok_7a1c3e5f9b2d4f6a8c0e1b3d5f7a9c2e';
const SECRET = 'sec_2e4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e';

/** Repositories accept pushes after a second; deployments take well under one. */
let quick: FakeCleverCloud;
/** Deployments that outlast a short --timeout. */
let slow: FakeCleverCloud;
let repo: Awaited<ReturnType<typeof tempRepo>>;

const env = (fake: FakeCleverCloud) => ({ CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, PREVIEW_PROVIDER: 'clever-cloud', PREVIEW_APP: 'shop' });
const mutating = (f: FakeCleverCloud) => f.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const appsNamed = (f: FakeCleverCloud, name: string) => f.apps().filter((a) => a.name === name);

beforeAll(async () => {
  [quick, slow] = await Promise.all([
    startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, gitReadyDelayMs: 1000, deployDurationMs: 300 }),
    startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, gitReadyDelayMs: 1500, deployDurationMs: 60_000 }),
  ]);
  repo = await tempRepo({ 'index.html': '<h1>ux</h1>\n' });
});
afterAll(async () => {
  await Promise.all([quick?.close(), slow?.close()]);
  await repo?.remove();
});

describe('a deployment that outlasts --timeout', () => {
  it('exits 5 with one line naming what it waited for, and the log holds one line per state', async () => {
    const r = await runCli(['up', '--branch', 'ux/timeout', '--timeout', '6s'], { cwd: repo.dir, env: env(slow) });
    expect(r.code, r.stderr).toBe(5);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('preview-kit: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^preview-kit: deploy shop-ux-timeout-[0-9a-f]{6}: timed out after 6s waiting for deployment deployment_\S+ of [0-9a-f]{7} to end \(the deployment goes on at Clever Cloud; the same command run again follows it/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Polls every second or so for 4 s, and the repository refuses pushes at first: still one line each.
    expect(r.stderr.split('\n').filter((l) => /deployment [0-9a-f]{7}: WIP/.test(l))).toHaveLength(1);
    expect(r.stderr.split('\n').filter((l) => /repository|not found/.test(l))).toHaveLength(1);
    // What was changed before the failure is in the log.
    expect(r.stderr).toMatch(/^ {2}\+ create application shop-ux-timeout-/m);
  });
});

describe('wrong input creates nothing', () => {
  it('an unknown --commit exits 2 before any change', async () => {
    quick.resetLog();
    const r = await runCli(['up', '--branch', 'ux/bad-commit', '--commit', 'no-such-ref'], { cwd: repo.dir, env: env(quick) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^preview-kit: deploy: cannot resolve commit "no-such-ref"/);
    expect(mutating(quick)).toEqual([]);
    expect(quick.requests).toEqual([]);
  });
});

describe('a shallow checkout (the default of actions/checkout)', () => {
  it('fails at once with exit 5 and says how to fix it, instead of retrying the push', async () => {
    const shallow = join(tmpdir(), `pk-shallow-${process.pid}`);
    await execa('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow], { env: baseEnv(), extendEnv: false });
    try {
      // The timeout bounds a regression: a push retried until the deadline would end in a timeout, not this.
      const r = await runCli(['up', '--branch', 'ux/shallow', '--timeout', '15s'], { cwd: shallow, env: env(quick) });
      expect(r.code, r.stderr).toBe(5);
      const last = r.stderr.trim().split('\n').at(-1)!;
      expect(last).toMatch(/^preview-kit: push [0-9a-f]{7}: git push failed: the remote rejected it: shallow update not allowed \(the checkout is shallow: fetch the full history \(actions\/checkout fetch-depth: 0/);
    } finally {
      await rm(shallow, { recursive: true, force: true });
    }
  });
});

describe('a changed environment takes effect', () => {
  it('restarts the app when only the environment changed, then makes no call at all', async () => {
    const first = await runCli(['up', '--branch', 'ux/env', '--env', 'GREETING=hello', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(first.code, first.stderr).toBe(0);
    const { id } = first.json<{ id: string }>();

    quick.resetLog();
    const changed = await runCli(['up', '--branch', 'ux/env', '--env', 'GREETING=bonjour', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json()).toMatchObject({ id, changed: true, deployed: true });
    expect(quick.apps().find((a) => a.id === id)!.env).toMatchObject({ GREETING: 'bonjour' });
    // A restart with the build cache, not a rebuild: same commit, new variables.
    expect(mutating(quick).map((q) => `${q.method} ${q.path.replace(/\?.*/, '')}`)).toEqual([
      expect.stringMatching(/^PUT .*\/applications\/app_[\w-]+\/env\/GREETING$/),
      expect.stringMatching(/^POST .*\/applications\/app_[\w-]+\/instances$/),
    ]);
    expect(mutating(quick)[1]!.path).not.toMatch(/useCache=no/);

    quick.resetLog();
    const again = await runCli(['up', '--branch', 'ux/env', '--env', 'GREETING=bonjour', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(again.json()).toMatchObject({ changed: false, deployed: false });
    expect(mutating(quick)).toEqual([]);
  });
});

describe('human output', () => {
  it('says what was done and how long it took; a dry run says "would"', async () => {
    const up = await runCli(['up', '--branch', 'ux/human'], { cwd: repo.dir, env: env(quick) });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.trim()).toMatch(/^shop-ux-human-[0-9a-f]{6} https:\/\/\S+ \(created, deployed [0-9a-f]{7}\) in \d+(\.\d)?s$/);

    const status = await runCli(['status', '--branch', 'ux/human'], { cwd: repo.dir, env: env(quick) });
    expect(status.stdout).toMatch(/^ {2}last deployment: ok [0-9a-f]{7} at \S+ \(deployment_\S+\)$/m);
    expect(status.stdout).toMatch(/^ {2}preview of: shop, branch ux\/human$/m);

    const noDomain = await runCli(['set-domain', '--branch', 'ux/human'], { cwd: repo.dir, env: env(quick) });
    expect(noDomain.code, noDomain.stderr).toBe(0);
    expect(noDomain.stderr).toMatch(/^no domain given \(--domain or PREVIEW_DOMAIN\): nothing to attach/m);

    quick.resetLog();
    const dry = await runCli(['stop', '--branch', 'ux/human', '--dry-run'], { cwd: repo.dir, env: env(quick) });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim()).toMatch(/^dry run: would remove shop-ux-human-[0-9a-f]{6}: application /);
    expect(dry.stderr).toMatch(/^ {2}would delete application shop-ux-human-/m);
    expect(mutating(quick)).toEqual([]);
  });
});

describe('a deployment that fails', () => {
  it('exits 5 with one line saying what started it and where the logs are; a re-run restarts it', async () => {
    const first = await runCli(['up', '--branch', 'ux/fail', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(first.code, first.stderr).toBe(0);
    const second = await repo.commit({ 'broken.txt': 'y\n' }, 'still broken');
    quick.failNextDeployOf(second);
    const failed = await runCli(['up', '--branch', 'ux/fail'], { cwd: repo.dir, env: env(quick) });
    expect(failed.code).toBe(5);
    const errors = failed.stderr.split('\n').filter((l) => l.startsWith('preview-kit: '));
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^preview-kit: deploy shop-ux-fail-[0-9a-f]{6}: deployment deployment_\\S+ of ${second.slice(0, 7)} ended FAIL \\(started by git push\\) \\(read the build logs: clever logs --app app_`)),
    ]);
    const again = await runCli(['up', '--branch', 'ux/fail', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ deployed: true, commit: second });
    expect(again.stderr).toMatch(/\+ deploy application shop-ux-fail-[0-9a-f]{6} \(restart [0-9a-f]{7} without build cache: its last deployment ended FAIL\)/);
  });
});

describe('Ctrl-C in the middle of up', () => {
  it('exits 130 at once with one line, and the same command run again finishes the job', async () => {
    const child = execa('node', [CLI, 'up', '--branch', 'ux/interrupt', '--json'], { cwd: repo.dir, env: baseEnv(env(quick)), extendEnv: false, reject: false, stdin: 'ignore' });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Interrupt while the new repository still refuses the push: the app exists, nothing is deployed.
        if (/\+ deploy application/.test(stderr)) resolve();
      });
      void child.then(() => resolve());
    });
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('preview-kit: up: interrupted by SIGINT (run the same command again to finish, or stop to remove what was made)');
    expect(r.stdout).toBe('');

    const again = await runCli(['up', '--branch', 'ux/interrupt', '--json'], { cwd: repo.dir, env: env(quick) });
    expect(again.code, again.stderr).toBe(0);
    const out = again.json<{ name: string; id: string; commit: string }>();
    expect(appsNamed(quick, out.name).map((a) => a.id)).toEqual([out.id]);
    expect(quick.pushes.filter((p) => p.appId === out.id && p.ok).map((p) => p.commit)).toEqual([out.commit]);
  });
});
