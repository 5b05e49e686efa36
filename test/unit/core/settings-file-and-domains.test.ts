/**
 * Settings mistakes people make in pipelines and `.preview.yml`, caught before anything is
 * created, each named the way the person wrote it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { hostProblem } from '../../../src/core/naming.js';
import { closest, loadSettings, type SettingsSources } from '../../../src/core/settings.js';
import { cleverCloudModule } from '../../../src/providers/clever-cloud/module.js';

function load(sources: Partial<SettingsSources>) {
  return loadSettings({ flags: {}, env: {}, ...sources }, { ids: ['clever-cloud', 'docker', 'kubernetes', 'convox'], pick: () => cleverCloudModule as never });
}
function file(data: unknown, path = '/repo/.preview.yml') {
  return { path, data };
}
function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}
const base = { provider: 'clever-cloud', app: 'shop', branch: 'feature/x' };

describe('domains are checked before anything is created', () => {
  it.each([
    ['{branch}.preview.example.com', '日本語', /expands to "\.preview\.example\.com".*empty label/],
    ['{branch}.preview.example.com', 'x'.repeat(80), /is 80 characters long \(at most 63\)/],
    ['{branch}.preview.example.com', '-', /empty label/],
  ])('%s for branch %s', (template, branch, message) => {
    const error = failure(() => load({ flags: { ...base, branch, domain: [template] } }));
    expect(error.message).toMatch(/^invalid settings: --domain: /);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/\{name\}/);
  });

  it('{pr} without a pull request is refused, naming the variable it came from', () => {
    const error = failure(() => load({ flags: base, env: { PREVIEW_DOMAIN: 'pr-{pr}.example.com' } }));
    expect(error.message).toBe('invalid settings: PREVIEW_DOMAIN: "pr-{pr}.example.com" uses {pr} but no pull request number is given');
  });

  it('{name} always fits, even for a long unicode branch', () => {
    const s = load({ flags: { ...base, branch: `feature/${'ü'.repeat(200)}`, domain: ['{name}.preview.example.com', '*.{name}.example.com/api'] } });
    for (const d of s.common.domains) expect(hostProblem(d)).toBeUndefined();
  });

  it.each([
    ['a.example.com', undefined],
    ['*.a.example.com', undefined],
    ['a.example.com/api', undefined],
    ['a..example.com', /empty label/],
    ['a.-x.com', /not a DNS label/],
    ['', /empty/],
  ])('hostProblem(%j)', (host, expected) => {
    const problem = hostProblem(host);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('.preview.yml as people write it', () => {
  it('reads the flag spellings (health-path, wait-url, build-flavor, addon, addon-region)', () => {
    const s = load({
      file: file({ ...base, 'health-path': '/health', 'wait-url': true, 'clever-cloud': { 'build-flavor': 'S', addon: ['postgresql-addon:dev'], 'addon-region': 'rbx' } }),
    });
    expect(s.common.healthPath).toBe('/health');
    expect(s.common.waitUrl).toBe(true);
    expect(s.provider).toMatchObject({ buildFlavor: 'S', addons: [{ provider: 'postgresql-addon', plan: 'dev' }], region: 'rbx' });
  });

  it('refuses both spellings of one setting', () => {
    const error = failure(() => load({ file: file({ ...base, healthPath: '/a', 'health-path': '/b' }) }));
    expect(error.message).toMatch(/healthPath: given twice/);
  });

  it('suggests the key a typo meant, naming the file actually read', () => {
    const top = failure(() => load({ file: file({ ...base, domian: 'x.example.com' }, '/repo/preview-ci.yml') }));
    expect(top.message).toBe('invalid settings: preview-ci.yml: unknown key "domian" (did you mean "domain"?)');
    const section = failure(() => load({ file: file({ ...base, 'clever-cloud': { flavour: 'XS' } }) }));
    expect(section.message).toBe('invalid settings: .preview.yml clever-cloud.flavour: unknown key (did you mean "flavor"?)');
    const provider = failure(() => load({ file: file({ ...base, clever_cloud: { flavor: 'XS' } }) }));
    expect(provider.message).toMatch(/did you mean "clever-cloud"/);
  });

  it('names a bad value inside the provider section with the section', () => {
    const error = failure(() => load({ file: file({ ...base, 'clever-cloud': { flavor: 'XXL' } }) }));
    expect(error.message).toMatch(/^invalid settings: \.preview\.yml clever-cloud\.flavor: unknown flavor "XXL"/);
  });

  it('says what shape env must have, in YAML words', () => {
    const error = failure(() => load({ file: file({ ...base, env: ['A=1'] }) }));
    expect(error.message).toBe('invalid settings: .preview.yml env: expected a mapping (KEY: value lines), got a list');
  });

  it('refuses secrets in the committed file', () => {
    const error = failure(() => load({ file: file({ ...base, 'clever-cloud': { token: 'tok_abc', secret: 'sec_abc' } }) }));
    expect(error.message).toMatch(/clever-cloud\.token: a secret does not belong in a file that is committed/);
    expect(error.hint).toMatch(/CLEVER_TOKEN/);
  });

  it('closest() leaves unrelated words alone', () => {
    expect(closest('colour', ['domain', 'branch', 'app'])).toBeUndefined();
    expect(closest('brnach', ['domain', 'branch', 'app'])).toBe('branch');
  });
});

describe('prune needs no branch', () => {
  it('loads without one when asked', () => {
    const s = loadSettings({ flags: { provider: 'clever-cloud', app: 'shop' }, env: {} }, { ids: ['clever-cloud', 'docker', 'kubernetes', 'convox'], pick: () => cleverCloudModule as never }, { branchOptional: true });
    expect(s.common.app).toBe('shop');
    expect(() => load({ flags: { provider: 'clever-cloud', app: 'shop' } })).toThrow(/no branch given/);
  });
});
