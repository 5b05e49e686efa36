/**
 * The system git against the fake's real smart-HTTP remote: credentials in an extra header only,
 * a repository that is not ready yet (the probe says `absent`, a push is refused), refused
 * credentials.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/core/errors.js';
import { Deadline } from '../../../src/core/retry.js';
import { credentialsFrom, gitAuthorization } from '../../../src/providers/clever-cloud/auth.js';
import { GitCommandError, SystemGit } from '../../../src/providers/clever-cloud/git.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { RecordingLogger, SECRET, TOKEN, startFake, tempRepo, type TempRepo } from './harness.js';
import { rawCreateApp } from './raw-api.js';

let fake: FakeCleverCloud;
let repo: TempRepo;
let sha: string;

beforeAll(async () => {
  fake = await startFake({ gitReadyDelayMs: 400 });
  repo = await tempRepo();
  sha = await repo.commit('git test');
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
});

/** Waits on the fact (the remote answers) rather than on the fake's delay. */
async function whenReady(g: SystemGit, url: string): Promise<void> {
  for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
    if ((await g.probe(url)) === 'ready') return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

const git = (token = TOKEN, secret = SECRET) => {
  const logger = new RecordingLogger();
  return { logger, git: new SystemGit(gitAuthorization(credentialsFrom({ token, secret })), new Deadline(20_000), logger, 'check CLEVER_TOKEN') };
};

describe('SystemGit', () => {
  it('a new repository refuses at first (retryable), then takes the push; credentials never reach argv or .git/config', async () => {
    const app = await rawCreateApp(fake, 'git-test-app');
    const url = app.deployment!.httpUrl!;
    const { git: g, logger } = git();
    // Asking is not pushing: the fake records no push for a probe.
    expect(await g.probe(url)).toBe('absent');
    expect(fake.pushes.filter((p) => p.appId === app.id)).toEqual([]);
    const early = await g.push(url, sha, 'refs/heads/master', repo.dir).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(GitCommandError);
    expect((early as GitCommandError).failure).toBe('retry');

    await whenReady(g, url);
    expect(await g.push(url, sha, 'refs/heads/master', repo.dir)).toEqual({ upToDate: false });
    expect(await g.push(url, sha, 'refs/heads/master', repo.dir)).toEqual({ upToDate: true });
    expect(await g.probe(url)).toBe('ready');
    // Credentials the remote refuses, a remote that is not there: not facts about the repository.
    expect(await git(TOKEN, 'wrong').git.probe(url)).toBe('unknown');
    expect(await g.probe('http://127.0.0.1:9/git/app_nowhere.git')).toBe('unknown');

    const config = await readFile(path.join(repo.dir, '.git', 'config'), 'utf8');
    const basic = gitAuthorization(credentialsFrom({ token: TOKEN, secret: SECRET })).slice('Basic '.length);
    for (const secret of [TOKEN, SECRET, basic]) {
      expect(config).not.toContain(secret);
      expect(logger.lines.join('\n')).not.toContain(secret);
    }
    expect(config).not.toContain(url);
    // The debug line shows the command: the URL is there, the credentials are not.
    expect(logger.lines.some((l) => l.includes(`git push --force --no-verify --porcelain ${url}`))).toBe(true);
  });

  it('refused credentials are an auth error, not a retry', async () => {
    const app = await rawCreateApp(fake, 'git-test-auth');
    await whenReady(git().git, app.deployment!.httpUrl!);
    const { git: g } = git(TOKEN, 'wrong');
    const error = await g.push(app.deployment!.httpUrl!, sha, 'refs/heads/master', repo.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).hint).toMatch(/CLEVER_TOKEN/);
  });
});
