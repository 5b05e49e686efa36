/**
 * The scheduled prune, run with gitlab-ci-local as a pipeline schedule runs it, against the fake
 * Clever Cloud and a fake of GitLab's merge request API: the branches on origin (a real git
 * remote) and, with PREVIEW_GITLAB_TOKEN, the open merge requests are kept, the other previews of
 * the project are removed, the log ends with the table of both, and the token never shows. Without
 * a token, previews are kept by branch only; with a refused token the job fails before removing
 * anything. Both GitLab examples run as they are written.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PreviewIdentity } from '../../../src/core/identity.js';
import { identityKey } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { ownershipTags } from '../../../src/providers/clever-cloud/tags.js';
import { VERSION } from '../../../src/version.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { baseEnv, ROOT } from '../../helpers/cli.js';
import { startFakeGitLab, type FakeGitLab } from './fake-gitlab-api.js';
import { AS_ON_GITLAB, gcl, gclVariables, LOCAL_CLI, project, PROJECT_ID, publishIncludes, SCHEDULE } from './gcl.js';

const TOKEN = 'tok_prune_1a2b3c4d5e6f7a8b9c0d';
const SECRET = 'sec_prune_9f8e7d6c5b4a39281706';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';
const GITLAB_TOKEN = 'glpat-prune-5e6f7a8b9c0d1e2f3a4b';
const ORIGIN = 'https://gitlab.example.com/octo-org/shop.git';
const DAY = 86_400_000;

let clever: FakeCleverCloud;
let gitlab: FakeGitLab;
let home: string;
let origin: string;
const cleanups: Array<() => Promise<void>> = [];

const live = { project: 'shop', branch: 'feature/cart' };
const gone = { project: 'shop', branch: 'feature/gone' };
const stale = { project: 'shop', branch: 'feature/stale' };
const forkOpen = { project: 'shop', pr: 7, fork: 'someone/shop' };
const merged = { project: 'shop', pr: 8 };
const otherProject = { project: 'admin', branch: 'feature/gone' };

function plant(identity: PreviewIdentity, deployedDaysAgo = 1): void {
  const at = Date.now() - deployedDaysAgo * DAY;
  clever.plantPreview({ name: nameOfIdentity(identity), tags: ownershipTags({ identity, key: identityKey(identity) }), createdAt: at, deployedAt: at });
}

const names = () => clever.apps().map((a) => a.name).sort();

/**
 * A scheduled pipeline's variables: credentials as CI/CD variables, the API of the fake GitLab,
 * and origin reaching the bare repository (the runner's checkout reaches the project's).
 */
function schedule(extra: Record<string, string> = {}): string[] {
  return [
    ...AS_ON_GITLAB,
    ...SCHEDULE,
    ...gclVariables({
      CLEVER_TOKEN: TOKEN,
      CLEVER_SECRET: SECRET,
      CLEVER_ORG: ORG,
      CLEVER_API_URL: clever.url,
      PREVIEW_KIT_CLI: LOCAL_CLI,
      CI_API_V4_URL: gitlab.apiUrl,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `url.${origin}.insteadOf`,
      GIT_CONFIG_VALUE_0: ORIGIN,
      ...extra,
    }),
  ];
}

async function scheduledProject(file: string) {
  const text = await readFile(join(ROOT, 'examples', 'gitlab', file), 'utf8');
  const repo = await project({ '.gitlab-ci.yml': text, 'index.html': '<h1>main</h1>\n' }, { branch: 'main', cleanups });
  await publishIncludes(repo.dir, VERSION);
  return repo;
}

/** The report table at the end of the job log: preview → state. */
function reportOf(output: string, job: string): Record<string, string> {
  const lines = output.split('\n').filter((l) => l.startsWith(`${job} > `)).map((l) => l.slice(job.length + 3));
  const head = lines.findIndex((l) => /^Preview\s+Commit\s+State\s+URL\s+Last deployed\s+Changed in this run$/.test(l));
  expect(head, output).toBeGreaterThanOrEqual(0);
  const rows: Record<string, string> = {};
  for (const line of lines.slice(head + 1)) {
    const m = /^(\S+)\s+(?:[0-9a-f]{12}|—)\s+(removed|kept|already gone|would remove)\s/.exec(line);
    if (m) rows[m[1]!] = m[2]!;
  }
  return rows;
}

// A fresh Clever Cloud for each test: each plants its own previews.
beforeEach(async () => {
  clever = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG });
  gitlab.requests.length = 0;
});

afterEach(async () => {
  await clever?.close();
});

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'pk-gcl-home-'));
  gitlab = await startFakeGitLab({
    projectId: PROJECT_ID,
    projectPath: 'octo-org/shop',
    tokens: { [GITLAB_TOKEN]: ['read_api'], 'glpat-repository-only': ['read_repository'] },
    mergeRequests: [
      { iid: 7, state: 'opened', sourceBranch: 'feature/cart', sourceProjectId: 4242 },
      { iid: 8, state: 'merged', sourceBranch: 'feature/old' },
      { iid: 9, state: 'opened', sourceBranch: 'feature/cart' },
      // More open merge requests than one page holds: the job follows x-next-page.
      ...Array.from({ length: 120 }, (_, i) => ({ iid: 100 + i, state: 'opened' as const, sourceBranch: `topic/${i}` })),
    ],
  });
  // The project's remote: branches main, feature/cart and feature/stale exist; feature/gone was deleted.
  origin = await mkdtemp(join(tmpdir(), 'pk-origin-'));
  const git = (...args: string[]) => execa('git', args, { cwd: origin, env: baseEnv(), extendEnv: false });
  await git('init', '-q', '--bare', '-b', 'main');
  const seed = await project({ 'README.md': 'shop\n' }, { branch: 'main', cleanups });
  await seed.git('push', '-q', origin, 'main', 'main:feature/cart', 'main:feature/stale', 'main:feature/gone');
  await git('branch', '-D', 'feature/gone');
});

afterAll(async () => {
  await gitlab?.close();
  for (const c of cleanups) await c();
  for (const dir of [home, origin]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the scheduled prune (examples/gitlab/schedule, the include template)', () => {
  it('keeps the live branches and the open merge requests, removes the rest and what is older than PREVIEW_TTL, and ends with the table', async () => {
    for (const identity of [live, gone, forkOpen, merged, otherProject]) plant(identity);
    plant(stale, 20);
    const repo = await scheduledProject('schedule/.gitlab-ci.yml');
    const r = await gcl(repo.dir, ['preview:prune', ...schedule({ PREVIEW_GITLAB_TOKEN: GITLAB_TOKEN })], home);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('PASS  preview:prune');
    expect(names()).toEqual([nameOfIdentity(otherProject), nameOfIdentity(live), nameOfIdentity(forkOpen)].sort());
    expect(reportOf(r.output, 'preview:prune')).toEqual({
      [nameOfIdentity(live)]: 'kept',
      [nameOfIdentity(forkOpen)]: 'kept',
      [nameOfIdentity(gone)]: 'removed',
      [nameOfIdentity(merged)]: 'removed',
      [nameOfIdentity(stale)]: 'removed',
    });
    // The table comes after all the work, followed only by the command's one-line summary.
    const own = r.output.split('\n').filter((l) => l.startsWith('preview:prune > ')).map((l) => l.slice(16));
    const table = own.findIndex((l) => l.startsWith('Preview '));
    expect(table).toBeGreaterThan(own.findLastIndex((l) => /^\s+\+ delete /.test(l)));
    expect(own.slice(table + 6).filter((l) => !/^(pruned:|\s+removed )/.test(l)), 'after the table').toEqual([]);
    expect(gitlab.requests.map((q) => [q.query.state, q.query.page, q.status])).toEqual([
      ['opened', '1', 200],
      ['opened', '2', 200],
    ]);
    expect(r.output).not.toContain(GITLAB_TOKEN);
    expect(r.output).not.toContain(TOKEN.slice(4));
  });

  it('without PREVIEW_GITLAB_TOKEN keeps previews by branch only, and says so', async () => {
    for (const identity of [live, forkOpen]) plant(identity);
    const repo = await scheduledProject('schedule/.gitlab-ci.yml');
    const r = await gcl(repo.dir, ['preview:prune', ...schedule()], home);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('no PREVIEW_GITLAB_TOKEN, so previews are kept by branch only');
    expect(names()).toEqual([nameOfIdentity(live)]);
  });

  it('a token GitLab refuses fails the job (exit 3) before anything is removed', async () => {
    for (const identity of [live, gone]) plant(identity);
    const repo = await scheduledProject('schedule/.gitlab-ci.yml');
    for (const token of ['glpat-unknown-000000000000', 'glpat-repository-only']) {
      const r = await gcl(repo.dir, ['preview:prune', ...schedule({ PREVIEW_GITLAB_TOKEN: token })], home);
      expect(r.code).not.toBe(0);
      expect(r.output).toMatch(/preview:prune finished in .* FAIL 3/);
      expect(r.output).toMatch(/listing the open merge requests answered HTTP (401|403)/);
      expect(r.output).not.toContain(token);
    }
    expect(names()).toEqual([nameOfIdentity(gone), nameOfIdentity(live)].sort());
  });
});

describe('the scheduled prune of the component (examples/gitlab/.gitlab-ci.yml)', () => {
  it('runs only the prune job on a schedule and keeps what the branches and merge requests say', async () => {
    for (const identity of [live, gone, forkOpen, merged]) plant(identity);
    const repo = await scheduledProject('.gitlab-ci.yml');
    const listed = await gcl(repo.dir, ['--list', ...SCHEDULE], home);
    expect(listed.output).toMatch(/preview:prune\s+deploy\s+on_success/);
    expect(listed.output).not.toMatch(/preview:(review|stop)/);
    const r = await gcl(repo.dir, ['preview:prune', ...schedule({ PREVIEW_GITLAB_TOKEN: GITLAB_TOKEN })], home);
    expect(r.code, r.output).toBe(0);
    expect(names()).toEqual([nameOfIdentity(live), nameOfIdentity(forkOpen)].sort());
    expect(Object.values(reportOf(r.output, 'preview:prune')).sort()).toEqual(['kept', 'kept', 'removed', 'removed']);
  });
});
