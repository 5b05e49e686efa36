/**
 * Deploy paths that real git against the fake rarely takes on its own: a push git calls
 * up-to-date, refused credentials, a fatal local error, a repository not made yet, a push that
 * fails for a passing reason, a deployment of the same commit already in progress. Git is
 * replaced by a scripted stand-in (which can hand a push to the real git); the API is the fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { Deadline } from '../../../src/core/retry.js';
import { credentialsFrom, gitAuthorization } from '../../../src/providers/clever-cloud/auth.js';
import { GitCommandError, SystemGit, type GitRemote } from '../../../src/providers/clever-cloud/git.js';
import type { RepositoryProbe } from '../../../src/providers/clever-cloud/repository.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { makeProvider, mutating, RecordingLogger, SECRET, specFor, startFake, tempRepo, TOKEN, type TempRepo } from './harness.js';
import { rawCall } from './raw-api.js';

let fake: FakeCleverCloud;
let repo: TempRepo;
let sha: string;

beforeAll(async () => {
  fake = await startFake({ gitReadyDelayMs: 0, deployDurationMs: 150 });
  repo = await tempRepo();
  sha = await repo.commit('base');
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
});

type Push = (url: string, commit: string, ref: string, cwd: string) => Promise<{ upToDate: boolean }>;

class ScriptedGit implements GitRemote {
  readonly calls: string[] = [];
  constructor(
    private readonly pushes: Push[],
    /** Answers of successive probes; the last one repeats. */
    private readonly probes: RepositoryProbe[] = ['ready'],
  ) {}
  probe() {
    this.calls.push('probe');
    return Promise.resolve(this.probes.length > 1 ? this.probes.shift()! : this.probes[0]!);
  }
  push(url: string, commit: string, ref: string, cwd: string) {
    this.calls.push('push');
    const next = this.pushes.shift();
    if (!next) throw new Error('unexpected push');
    return next(url, commit, ref, cwd);
  }
}

/** A push handed to the real git, against the fake's remote. */
const realPush: Push = (url, commit, ref, cwd) =>
  new SystemGit(gitAuthorization(credentialsFrom({ token: TOKEN, secret: SECRET })), new Deadline(20_000), new RecordingLogger(), 'check CLEVER_TOKEN').push(url, commit, ref, cwd);
const notFound: Push = () => Promise.reject(new GitCommandError("push: repository 'x' not found", 'retry'));

/** An app whose remote already has `sha` and whose last deployment of it is OK. */
async function deployedPreview() {
  const spec = specFor();
  const { provider } = makeProvider(fake);
  const { preview } = await provider.ensure(spec);
  await provider.deploy(preview, spec, { dir: repo.dir, commit: sha, force: false });
  // As a separate `deploy` finds it: read fresh, not what this process learnt.
  return { spec, preview: (await makeProvider(fake).provider.find(spec))! };
}

describe('deploy edge cases', () => {
  it('a push git reports up-to-date starts nothing, so the commit is restarted through the API', async () => {
    const { spec, preview } = await deployedPreview();
    // The preview moved on to a newer commit; going back to `sha`, which the remote has.
    const newer = await repo.commit('newer');
    await makeProvider(fake).provider.deploy(preview, spec, { dir: repo.dir, commit: newer, force: false });
    const git = new ScriptedGit([async () => ({ upToDate: true })]);
    const { provider } = makeProvider(fake, {}, { options: { git } });
    const found = (await provider.find(spec))!;
    fake.resetLog();
    const result = await provider.deploy(found, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(true);
    expect(git.calls).toEqual(['push']);
    expect(mutating(fake).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['POST instances']);
  });

  it('refused git credentials end at once with an auth error (exit 3)', async () => {
    const { spec, preview } = await deployedPreview();
    const git = new ScriptedGit([
      async () => {
        throw new AuthError('push: the git remote refused the credentials', { hint: 'check CLEVER_TOKEN' });
      },
    ]);
    const error = await makeProvider(fake, {}, { options: { git } }).provider.deploy(preview, spec, { dir: repo.dir, commit: 'a'.repeat(40), force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(git.calls).toEqual(['push']);
  });

  it('a fatal local error is not retried', async () => {
    const { spec, preview } = await deployedPreview();
    const fatal = new ScriptedGit([
      async () => {
        throw new GitCommandError('push: shallow update not allowed', 'fatal', { hint: 'fetch-depth: 0' });
      },
    ]);
    const error = await makeProvider(fake, {}, { options: { git: fatal } }).provider.deploy(preview, spec, { dir: repo.dir, commit: 'b'.repeat(40), force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).hint).toMatch(/fetch-depth/);
    expect(fatal.calls).toEqual(['push']);
  });

  it('a new repository is asked until it answers, then pushed once: no push is refused for being early', async () => {
    const spec = specFor();
    const git = new ScriptedGit([realPush], ['absent', 'absent', 'ready']);
    const { provider, context } = makeProvider(fake, {}, { options: { git } });
    const { preview } = await provider.ensure(spec);
    const result = await provider.deploy(preview, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(true);
    expect(git.calls).toEqual(['probe', 'probe', 'probe', 'push']);
    expect(fake.pushes.filter((p) => p.appId === preview.id).map((p) => p.ok)).toEqual([true]);
    // Expected on a new app: progress lines, no git error anywhere.
    expect(context.logger.progressLines.filter((l) => l.includes('being created'))).toHaveLength(2);
    expect(context.logger.lines.filter((l) => l.includes('not found'))).toEqual([]);
  });

  it('a push that fails for a passing reason is pushed again: at once when the repository is (again) not there and then answers, else after a step', async () => {
    const spec = specFor();
    const git = new ScriptedGit([notFound, notFound, realPush], ['ready', 'absent', 'ready', 'ready']);
    const { provider, context } = makeProvider(fake, {}, { options: { git } });
    const { preview } = await provider.ensure(spec);
    const result = await provider.deploy(preview, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(true);
    // Probe (ready) → push fails → probe (absent) → probe (ready) → push fails → probe (ready) → step → push.
    expect(git.calls).toEqual(['probe', 'push', 'probe', 'probe', 'push', 'probe', 'push']);
    expect(context.logger.progressLines.filter((l) => l.includes('waiting for the repository to accept it'))).toHaveLength(2);
    expect(context.logger.lines.filter((l) => l.startsWith('debug: push') && l.includes('not found'))).toHaveLength(2);
  });

  it('gives up pushing when the deadline is near instead of sleeping past it', async () => {
    const { spec, preview } = await deployedPreview();
    const git = new ScriptedGit(Array.from({ length: 100 }, () => notFound));
    const error = await makeProvider(fake, {}, { timeoutMs: 1_500, options: { git, timing: { push: { initialMs: 100, maxMs: 400 }, pushAttempts: 100 } } })
      .provider.deploy(preview, spec, { dir: repo.dir, commit: 'c'.repeat(40), force: false })
      .catch((e: unknown) => e);
    // A timeout (exit 5) raised when the next wait would overrun the deadline, carrying the last push error.
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/^timed out after 2s waiting for push c{7} \(last attempt: push: repository 'x' not found\)$/);
    const pushes = git.calls.filter((c) => c === 'push').length;
    expect(pushes).toBeGreaterThan(2);
    expect(pushes).toBeLessThan(100);
  });

  it('follows a deployment of the same commit that is already running instead of starting another', async () => {
    const { spec, preview } = await deployedPreview();
    // Someone restarts the app with the same commit: WIP now, OK soon.
    const restart = await rawCall<{ deploymentId: string }>(fake, 'POST', `/v2/organisations/${preview.details!.ownerId}/applications/${preview.id}/instances?commit=${sha}`);
    expect(restart.status).toBe(200);
    const git = new ScriptedGit([]);
    const { provider } = makeProvider(fake, {}, { options: { git } });
    fake.resetLog();
    // `deploy` alone: the preview is found (its recent deployments read), then deployed.
    const found = (await provider.find(spec))!;
    const result = await provider.deploy(found, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(false);
    expect(result.reason).toMatch(/already being deployed/);
    expect(result.deployment).toMatchObject({ id: restart.body.deploymentId, state: 'ok' });
    expect(mutating(fake)).toEqual([]);
    // What the remote holds is read off the deployments: git is not asked at all.
    expect(git.calls).toEqual([]);
  });
});
