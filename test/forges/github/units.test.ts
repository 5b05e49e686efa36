/**
 * The pure parts of the GitHub forge: event payloads, the fork guard, step files, the logger's
 * workflow commands, settings.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, exitCodeOf, SafetyError } from '../../../src/core/errors.js';
import { Redactor } from '../../../src/core/redact.js';
import { pullRequestOf, readEvent } from '../../../src/forges/github/event.js';
import { assertForkAllowed } from '../../../src/forges/github/fork-guard.js';
import { GitHubLogger } from '../../../src/forges/github/index.js';
import { environmentName, loadGitHubSettings } from '../../../src/forges/github/options.js';
import { commentMarker, renderComment } from '../../../src/forges/github/pr-comment.js';
import { formatOutputs } from '../../../src/forges/github/step-files.js';
import { markdownTable } from '../../../src/forges/report-table.js';
import { parseOutputs } from './runner.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'github');
const payload = async (name: string) => JSON.parse(await readFile(join(FIXTURES, `pull_request.${name}.json`), 'utf8')) as Record<string, unknown>;

describe('pull request events', () => {
  it.each([
    ['opened', { number: 42, action: 'opened', headRef: 'feature/cart', headRepo: 'octo-org/shop', baseRepo: 'octo-org/shop', fromFork: false }],
    ['synchronize', { number: 42, action: 'synchronize', headSha: '89e6c98d92887913cadf06b2adb97f26cde4849b', fromFork: false }],
    ['closed', { number: 42, action: 'closed', fromFork: false }],
    ['opened.fork', { number: 42, headRepo: 'stranger/shop', baseRepo: 'octo-org/shop', fromFork: true }],
  ])('%s', async (name, expected) => {
    expect(pullRequestOf(await payload(name))).toMatchObject(expected);
  });

  it('a pull request whose fork was deleted counts as a fork', async () => {
    const p = (await payload('opened')) as { pull_request: { head: { repo: unknown } } };
    p.pull_request.head.repo = null;
    expect(pullRequestOf(p)?.fromFork).toBe(true);
  });

  it("a repository that is itself a fork: its own pull requests (head and base the same repository) are not from a fork", async () => {
    const p = (await payload('opened')) as { pull_request: { head: { repo: { fork: boolean } }; base: { repo: { fork: boolean } } } };
    p.pull_request.head.repo.fork = true;
    p.pull_request.base.repo.fork = true;
    expect(pullRequestOf(p)?.fromFork).toBe(false);
  });

  it('a push event has no pull request, and an unreadable event file means no event', async () => {
    expect(pullRequestOf({ ref: 'refs/heads/main', after: 'abc' })).toBeUndefined();
    expect(readEvent({ GITHUB_EVENT_PATH: '/nonexistent/event.json', GITHUB_EVENT_NAME: 'push' })).toEqual({ name: 'push' });
  });
});

describe('fork guard', () => {
  async function envFor(name: string, extra: Record<string, string> = {}) {
    const dir = await mkdtemp(join(tmpdir(), 'pk-fork-'));
    const path = join(dir, 'event.json');
    await writeFile(path, JSON.stringify(await payload(name)));
    return { env: { GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request_target', ...extra }, done: () => rm(dir, { recursive: true, force: true }) };
  }

  it('refuses deploying commands for a fork with exit 6 and names the way out', async () => {
    const { env, done } = await envFor('opened.fork');
    for (const command of ['ensure-app', 'set-domain', 'deploy', 'up']) {
      let error: unknown;
      try {
        assertForkAllowed(command, env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SafetyError);
      expect(exitCodeOf(error)).toBe(6);
      expect((error as SafetyError).message).toContain('pull request #42 comes from a fork (stranger/shop)');
      expect((error as SafetyError).hint).toContain('allow-forks');
    }
    await done();
  });

  it('lets stop run, lets a fork through with PREVIEW_ALLOW_FORKS=true, and never blocks same-repository PRs', async () => {
    const fork = await envFor('opened.fork');
    expect(() => assertForkAllowed('stop', fork.env)).not.toThrow();
    expect(() => assertForkAllowed('up', { ...fork.env, PREVIEW_ALLOW_FORKS: 'true' })).not.toThrow();
    await fork.done();
    const own = await envFor('opened');
    expect(() => assertForkAllowed('up', own.env)).not.toThrow();
    await own.done();
  });
});

describe('GITHUB_OUTPUT', () => {
  it('round-trips values, multi-line ones included', () => {
    const outputs = { name: 'shop-feature-cart', removed: 'application app_1,addon addon_2', notes: 'line one\nline two' };
    expect(parseOutputs(formatOutputs(outputs))).toEqual(outputs);
  });

  it('refuses a value that contains the delimiter', () => {
    expect(() => formatOutputs({ x: 'a\nEOF\nb' }, 'EOF')).toThrow(/delimiter/);
  });
});

describe('GitHubLogger', () => {
  function logger() {
    const lines: string[] = [];
    const redactor = new Redactor();
    return { log: new GitHubLogger({ redactor, sink: { write: (t) => void lines.push(t) } }), lines };
  }

  it('masks secrets with ::add-mask:: and redacts them afterwards', () => {
    const { log, lines } = logger();
    log.addSecret('s3cr3t-value');
    log.info('token is s3cr3t-value');
    expect(lines).toEqual(['::add-mask::s3cr3t-value\n', 'token is ***\n']);
  });

  it('sends one mask command per value, however often it is registered', () => {
    const { log, lines } = logger();
    log.addSecret('s3cr3t-value');
    log.addSecret('s3cr3t-value');
    log.addSecret('other-secret');
    expect(lines).toEqual(['::add-mask::s3cr3t-value\n', '::add-mask::other-secret\n']);
  });

  it('groups a phase and turns warnings into annotations, escaping newlines', async () => {
    const { log, lines } = logger();
    await log.group('deploy abc1234', async () => log.warn('first line\nsecond line'));
    expect(lines[0]).toBe('::group::deploy abc1234\n');
    expect(lines).toContain('::warning::first line%0Asecond line\n');
    expect(lines.at(-1)).toBe('::endgroup::\n');
  });

  it('prints error() as plain lines: the one ::error annotation of a failure is the CLI\'s last line', () => {
    const { log, lines } = logger();
    log.addSecret('s3cr3t-value');
    log.error('last lines of the build log:\nnpm ERR! s3cr3t-value');
    expect(lines.slice(1)).toEqual(['last lines of the build log:\nnpm ERR! ***\n']);
    expect(lines.join('')).not.toMatch(/^::error/m);
  });
});

describe('settings and rendering', () => {
  it('reads the forge settings from env with defaults, and rejects a bad boolean naming the variable', () => {
    expect(loadGitHubSettings({})).toMatchObject({ comment: true, deployment: true, environment: 'preview/{name}', deleteEnvironment: false, allowForks: false, apiUrl: 'https://api.github.com' });
    expect(loadGitHubSettings({ PREVIEW_GITHUB_TOKEN: 'a', GITHUB_TOKEN: 'b' }).token).toBe('a');
    expect(() => loadGitHubSettings({ PREVIEW_GITHUB_COMMENT: 'maybe' })).toThrow(ConfigError);
    expect(() => loadGitHubSettings({ PREVIEW_GITHUB_COMMENT: 'maybe' })).toThrow(/PREVIEW_GITHUB_COMMENT/);
  });

  it('fills environment name templates', () => {
    expect(environmentName('preview/{name}', { name: 'shop-x' })).toBe('preview/shop-x');
    expect(environmentName('pr-{pr} ({branch})', { name: 'n', pr: 7, branch: 'feature/x' })).toBe('pr-7 (feature/x)');
  });

  it('puts the hidden marker first so the comment can be found again, then the report table', () => {
    const row = { preview: 'shop-x', commit: 'a'.repeat(12), state: 'deployed', url: 'https://x.example.com', lastDeployed: '2026-01-01T00:00:00Z', changed: 'deploy aaaaaaa' };
    const live = renderComment({ kind: 'live', name: 'shop-x', rows: [row] });
    const removed = renderComment({ kind: 'removed', name: 'shop-x', rows: [{ preview: 'shop-x', state: 'removed', changed: 'delete application app_1' }] });
    for (const body of [live, removed]) expect(body.split('\n')[0]).toBe(commentMarker('shop-x'));
    expect(live).toContain('### Preview `shop-x` is ready');
    expect(live).toContain(markdownTable([row]));
    expect(removed).toContain('### Preview `shop-x` removed');
    expect(removed).toContain('| `shop-x` | — | removed | — | — | delete application app_1 |');
  });
});
