/**
 * One bare git repository per application under a temporary project root, created with the app
 * and removed with it, as the git smart-HTTP endpoint serves them. Apps planted in bulk get theirs
 * on first use (`ensure`), so that planting a thousand previews runs no git at all.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { hermeticGitEnv, initBareRepo, readBranch } from '../shared/git-http-backend.js';

const execFileAsync = promisify(execFile);

export class Repos {
  private constructor(readonly root: string) {}

  static async create(): Promise<Repos> {
    return new Repos(await mkdtemp(path.join(tmpdir(), 'fake-clever-git-')));
  }

  dir(appId: string): string {
    return path.join(this.root, `${appId}.git`);
  }

  async init(appId: string): Promise<void> {
    await initBareRepo(this.dir(appId), 'master');
  }

  /** Makes the repository if it is not there yet. */
  async ensure(appId: string): Promise<void> {
    try {
      await access(this.dir(appId));
    } catch {
      await this.init(appId);
    }
  }

  async remove(appId: string): Promise<void> {
    await rm(this.dir(appId), { recursive: true, force: true });
  }

  head(appId: string, branch: string): Promise<string | undefined> {
    return readBranch(this.dir(appId), branch);
  }

  async commitExists(appId: string, sha: string): Promise<boolean> {
    if (!/^[0-9a-f]{4,40}$/i.test(sha)) return false;
    try {
      await execFileAsync('git', ['--git-dir', this.dir(appId), 'cat-file', '-e', `${sha}^{commit}`], { env: hermeticGitEnv() });
      return true;
    } catch {
      return false;
    }
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
