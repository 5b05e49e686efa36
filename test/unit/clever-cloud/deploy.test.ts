/**
 * Deploy paths that real git against the fake rarely takes on its own: a push git calls
 * up-to-date, refused credentials, a fatal local error, an unreadable remote, a deployment of the
 * same commit already in progress. Git is replaced by a scripted stand-in; the API is the fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { GitCommandError, type GitRemote } from '../../../src/providers/clever-cloud/git.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { makeProvider, mutating, specFor, startFake, tempRepo, type TempRepo } from './harness.js';
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

class ScriptedGit implements GitRemote {
  readonly calls: string[] = [];
  constructor(
    private readonly remote: () => Promise<string | undefined>,
    private readonly pushes: Array<() => Promise<{ upToDate: boolean }>>,
  ) {}
  lsRemote() {
    this.calls.push('ls-remote');
    return this.remote();
  }
  push() {
    this.calls.push('push');
    const next = this.pushes.shift();
    if (!next) throw new Error('unexpected push');
    return next();
  }
}

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
    const git = new ScriptedGit(async () => undefined, [async () => ({ upToDate: true })]);
    const { provider } = makeProvider(fake, {}, { options: { git } });
    fake.resetLog();
    const result = await provider.deploy(preview, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(true);
    expect(git.calls).toEqual(['ls-remote', 'push']);
    expect(mutating(fake).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['POST instances']);
  });

  it('refused git credentials end at once with an auth error (exit 3)', async () => {
    const { spec, preview } = await deployedPreview();
    const git = new ScriptedGit(async () => 'f'.repeat(40), [
      async () => {
        throw new AuthError('push: the git remote refused the credentials', { hint: 'check CLEVER_TOKEN' });
      },
    ]);
    const error = await makeProvider(fake, {}, { options: { git } }).provider.deploy(preview, spec, { dir: repo.dir, commit: 'a'.repeat(40), force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(git.calls).toEqual(['ls-remote', 'push']);
  });

  it('a fatal local error is not retried; a repository that is not ready is, until it accepts', async () => {
    const { spec, preview } = await deployedPreview();
    const fatal = new ScriptedGit(async () => undefined, [
      async () => {
        throw new GitCommandError('push: shallow update not allowed', 'fatal', { hint: 'fetch-depth: 0' });
      },
    ]);
    const error = await makeProvider(fake, {}, { options: { git: fatal } }).provider.deploy(preview, spec, { dir: repo.dir, commit: 'b'.repeat(40), force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).hint).toMatch(/fetch-depth/);
    expect(fatal.calls).toEqual(['ls-remote', 'push']);

    const notReady = () => Promise.reject(new GitCommandError("push: repository 'x' not found", 'retry'));
    const flaky = new ScriptedGit(
      () => Promise.reject(new GitCommandError("ls-remote: repository 'x' not found", 'retry')),
      [notReady, notReady, async () => ({ upToDate: true })],
    );
    const { provider, context } = makeProvider(fake, {}, { options: { git: flaky } });
    const result = await provider.deploy(preview, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(true);
    expect(flaky.calls).toEqual(['ls-remote', 'push', 'push', 'push']);
    // Expected on a new app: a progress line (one per state in CI logs), the git errors only at debug level.
    expect(context.logger.progressLines.filter((l) => l.includes('waiting for the repository to accept it'))).toHaveLength(2);
    expect(context.logger.lines.filter((l) => l.startsWith('debug: push') && l.includes('not found'))).toHaveLength(2);
  });

  it('gives up pushing when the deadline is near instead of sleeping past it', async () => {
    const { spec, preview } = await deployedPreview();
    const never = () => Promise.reject(new GitCommandError("push: repository 'x' not found", 'retry'));
    const git = new ScriptedGit(async () => undefined, Array.from({ length: 100 }, () => never));
    const error = await makeProvider(fake, {}, { timeoutMs: 1_500, options: { git, timing: { pushInitialMs: 100, pushMaxMs: 400, pushAttempts: 100 } } })
      .provider.deploy(preview, spec, { dir: repo.dir, commit: 'c'.repeat(40), force: false })
      .catch((e: unknown) => e);
    // A timeout (exit 5) raised when the next wait would overrun the deadline, carrying the last push error.
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/^timed out after 2s waiting for push c{7} \(last attempt: push: repository 'x' not found\)$/);
    expect(git.calls.length).toBeGreaterThan(2);
    expect(git.calls.length).toBeLessThan(100);
  });

  it('follows a deployment of the same commit that is already running instead of starting another', async () => {
    const { spec, preview } = await deployedPreview();
    // Someone restarts the app with the same commit: WIP now, OK soon.
    const restart = await rawCall<{ deploymentId: string }>(fake, 'POST', `/v2/organisations/${preview.details!.ownerId}/applications/${preview.id}/instances?commit=${sha}`);
    expect(restart.status).toBe(200);
    const git = new ScriptedGit(async () => sha, []);
    const { provider } = makeProvider(fake, {}, { options: { git } });
    fake.resetLog();
    // `deploy` alone: the preview is found (its recent deployments read), then deployed.
    const found = (await provider.find(spec))!;
    const result = await provider.deploy(found, spec, { dir: repo.dir, commit: sha, force: false });
    expect(result.deployed).toBe(false);
    expect(result.reason).toMatch(/already being deployed/);
    expect(result.deployment).toMatchObject({ id: restart.body.deploymentId, state: 'ok' });
    expect(mutating(fake)).toEqual([]);
    expect(git.calls).toEqual(['ls-remote']);
  });
});
