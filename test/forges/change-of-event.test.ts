/**
 * Which change an event is about, for the preview's identity: the pull/merge request number, and
 * the fork it comes from when it does (GitHub event payloads, GitLab merge-request variables).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changeOfEvent } from '../../src/forges/generic/ci-env.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'github');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function githubEnv(fixture: string, edit: (p: Record<string, any>) => void = () => undefined) {
  const payload = JSON.parse(await readFile(join(FIXTURES, `pull_request.${fixture}.json`), 'utf8')) as Record<string, any>;
  edit(payload);
  const dir = await mkdtemp(join(tmpdir(), 'pk-event-'));
  dirs.push(dir);
  await writeFile(join(dir, 'event.json'), JSON.stringify(payload));
  return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'event.json') };
}

describe('changeOfEvent', () => {
  it("GitHub: a fork's pull request gives its number and the fork", async () => {
    expect(changeOfEvent(await githubEnv('opened.fork'))).toEqual({ pr: 42, fork: 'stranger/shop' });
  });

  it('GitHub: a same-repository pull request gives its number only, also when the repository is itself a fork', async () => {
    expect(changeOfEvent(await githubEnv('opened'))).toEqual({ pr: 42 });
    const ownFork = await githubEnv('opened', (p) => {
      p.pull_request.head.repo.fork = true;
      p.pull_request.base.repo.fork = true;
    });
    expect(changeOfEvent(ownFork)).toEqual({ pr: 42 });
  });

  it('GitHub: a deleted fork is still a fork', async () => {
    const env = await githubEnv('closed', (p) => {
      p.pull_request.head.repo = null;
    });
    expect(changeOfEvent(env)).toEqual({ pr: 42, fork: '(deleted fork)' });
  });

  it('GitLab: merge requests from the same project and from a fork', () => {
    const mr = { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '12', CI_MERGE_REQUEST_PROJECT_ID: '100', CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '100', CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'group/shop' };
    expect(changeOfEvent(mr)).toEqual({ pr: 12 });
    expect(changeOfEvent({ ...mr, CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '200', CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: 'someone/shop' })).toEqual({ pr: 12, fork: 'someone/shop' });
  });

  it('no change outside pull/merge requests', () => {
    expect(changeOfEvent({ GITLAB_CI: 'true', CI_COMMIT_REF_NAME: 'main' })).toEqual({});
    expect(changeOfEvent({})).toEqual({});
  });
});
