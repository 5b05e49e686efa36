/**
 * Whose preview the settings describe (fork pull requests keyed by number), and the values the
 * settings refuse before anything talks to a platform.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import { loadSettings, type SettingsSources } from '../../../src/core/settings.js';

const module = {
  id: 'docker' as const,
  options: [{ key: 'host', flag: 'docker-host', type: 'string' as const, env: ['DOCKER_HOST'], description: 'x' }],
  schema: z.object({ host: z.string().default('unix:///var/run/docker.sock') }),
};
const choice = { ids: ['clever-cloud', 'docker', 'kubernetes', 'convox'], pick: () => module };

function load(sources: Partial<SettingsSources>, options: { branchOptional?: boolean } = {}) {
  return loadSettings({ flags: { provider: 'docker', app: 'shop' }, env: {}, ...sources }, choice, options).common;
}

function refusal(sources: Partial<SettingsSources>): string {
  try {
    load(sources);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('settings were accepted');
}

describe('identity from settings', () => {
  it('a branch preview: project and branch, keyed; the prefix is part of it', () => {
    const s = load({ flags: { provider: 'docker', app: 'shop', branch: 'feature/login', prefix: 'review' } });
    expect(s.identity).toEqual({ project: 'shop', branch: 'feature/login', prefix: 'review' });
    expect(s.key).toBe(identityKey(s.identity!));
  });

  it("a fork's pull request is keyed by its number, never by the fork's branch name, even if a branch is given", () => {
    const s = load({ flags: { provider: 'docker', app: 'shop', branch: 'feature/login' }, detected: { pr: 44, fork: 'contributor/shop' } });
    expect(s.identity).toEqual({ project: 'shop', pr: 44, fork: 'contributor/shop' });
    expect(s.name).toBe('shop-pr-44');
    const internal = load({ flags: { provider: 'docker', app: 'shop', branch: 'feature/login' }, detected: { pr: 42 } });
    expect(internal.identity).toEqual({ project: 'shop', branch: 'feature/login' });
    expect(internal.key).not.toBe(s.key);
    expect(internal.name).not.toBe(s.name);
  });

  it('--pr names the preview after the pull request', () => {
    expect(load({ flags: { provider: 'docker', app: 'shop', pr: '7' } }).identity).toEqual({ project: 'shop', pr: 7 });
  });

  it('prune and list need no branch: no identity', () => {
    const s = load({}, { branchOptional: true });
    expect(s.identity).toBeUndefined();
  });
});

describe('values refused before anything runs (exit 2, naming the setting)', () => {
  it.each([
    ['25d', /--timeout: must be at most 24d/],
    ['0', /--timeout: must be longer than 0/],
    ['0s', /--timeout: must be longer than 0/],
  ])('--timeout %s', (timeout, message) => {
    expect(refusal({ flags: { provider: 'docker', app: 'shop', branch: 'b', timeout } })).toMatch(message);
  });

  it('keeps a long but holdable --timeout', () => {
    expect(load({ flags: { provider: 'docker', app: 'shop', branch: 'b', timeout: '24d' } }).timeoutMs).toBe(24 * 86_400_000);
  });

  it('--pr beyond a safe integer, or not a whole number', () => {
    expect(refusal({ flags: { provider: 'docker', app: 'shop', pr: '9007199254740993' } })).toMatch(/--pr: "9007199254740993" is too large/);
    expect(refusal({ flags: { provider: 'docker', app: 'shop', pr: '1e3' } })).toMatch(/--pr: expected a whole number/);
    expect(refusal({ flags: { provider: 'docker', app: 'shop', pr: '-3' } })).toMatch(/--pr: expected a whole number/);
  });

  it('.preview.yml env values that are mappings or lists, never sent as "[object Object]"', () => {
    const file = (env: unknown) => ({ path: '.preview.yml', data: { branch: 'b', env } });
    expect(refusal({ file: file({ K: { a: 1 } }) })).toMatch(/\.preview\.yml env\.K: expected a text value, got a mapping/);
    expect(refusal({ file: file({ K: [1, 2] }) })).toMatch(/env\.K: expected a text value, got a list/);
    expect(load({ file: file({ K: 1, B: true, E: null }) }).env).toEqual({ K: '1', B: 'true', E: '' });
  });

  it("a provider section that is not a mapping: `clever-cloud: 5` names the key", () => {
    expect(refusal({ file: { path: '.preview.yml', data: { branch: 'b', docker: 5 } } })).toMatch(/\.preview\.yml docker: expected a mapping of docker settings, got a number/);
  });

  it('list items of the wrong type are named too', () => {
    expect(refusal({ file: { path: '.preview.yml', data: { branch: 'b', domain: [{ a: 1 }] } } })).toMatch(/domain \(item 1\): expected a text value, got a mapping/);
  });

  it('an unknown provider is named with the registry\'s list', () => {
    expect(refusal({ flags: { provider: 'heroku', app: 'shop', branch: 'b' } })).toMatch(/unknown provider "heroku" \(expected one of clever-cloud, docker, kubernetes, convox\)/);
  });
});
