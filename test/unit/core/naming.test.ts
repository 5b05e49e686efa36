import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandDomain, isDnsLabel, previewName, slugify } from '../../../src/core/naming.js';

describe('previewName', () => {
  it.each([
    [{ app: 'shop', branch: 'main' }, 'shop-main'],
    [{ app: 'shop', branch: 'fix-login' }, 'shop-fix-login'],
    [{ app: 'Shop', branch: 'fix-login' }, 'shop-fix-login'],
    [{ app: 'shop', branch: 'feature/login' }, /^shop-feature-login-[0-9a-f]{6}$/],
    [{ app: 'shop', branch: 'Fix-Login' }, /^shop-fix-login-[0-9a-f]{6}$/],
    [{ app: 'shop', pr: 42 }, 'shop-pr-42'],
    [{ app: 'shop', branch: 'ignored', pr: 7, prefix: 'review' }, 'review-shop-pr-7'],
    [{ app: 'shop', branch: '---' }, /^shop-[0-9a-f]{6}$/],
    [{ app: 'shop', branch: '' }, /^shop-[0-9a-f]{6}$/],
    [{ app: '', branch: 'main' }, 'preview-main'],
    [{ app: 'shop', branch: 'release-abcdef' }, /^shop-release-abcdef-[0-9a-f]{6}$/],
  ])('%o → %s', (input, expected) => {
    const name = previewName(input);
    if (typeof expected === 'string') expect(name).toBe(expected);
    else expect(name).toMatch(expected);
    expect(isDnsLabel(name)).toBe(true);
  });

  it('keeps branches that differ only in punctuation apart', () => {
    expect(previewName({ app: 'a', branch: 'feature/a_b' })).not.toBe(previewName({ app: 'a', branch: 'feature/a-b' }));
    expect(previewName({ app: 'a', branch: 'feature/a-b' })).not.toBe(previewName({ app: 'a', branch: 'feature-a-b' }));
  });

  it('truncates long branches to 63 characters with a hash', () => {
    const long = `feature-${'x'.repeat(100)}`;
    const name = previewName({ app: 'my-application', branch: long });
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^my-application-feature-x+-[0-9a-f]{6}$/);
    expect(previewName({ app: 'my-application', branch: `${long}y` })).not.toBe(name);
  });

  it('is stable: the same input always gives the same name', () => {
    expect(previewName({ app: 'shop', branch: 'feature/Login' })).toBe(previewName({ app: 'shop', branch: 'feature/Login' }));
  });

  it('500 random branch names: valid DNS labels, no collisions', () => {
    const branches = fc.sample(fc.string({ minLength: 0, maxLength: 120, unit: 'binary' }), { numRuns: 500, seed: 42 });
    const extra = fc.sample(fc.stringMatching(/^[a-zA-Z0-9/_.-]{1,90}$/), { numRuns: 500, seed: 7 });
    const all = [...new Set([...branches, ...extra])];
    expect(all.length).toBeGreaterThan(500);
    const names = new Map<string, string>();
    for (const branch of all) {
      const name = previewName({ app: 'web-shop', branch });
      expect(isDnsLabel(name), `${JSON.stringify(branch)} → ${name}`).toBe(true);
      expect(name.length).toBeLessThanOrEqual(63);
      const other = names.get(name);
      expect(other === undefined || other === branch, `${JSON.stringify(branch)} and ${JSON.stringify(other)} share ${name}`).toBe(true);
      names.set(name, branch);
    }
  });

  it('property: any app, prefix and branch give a DNS label', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.option(fc.string(), { nil: undefined }), (app, branch, prefix) => {
        expect(isDnsLabel(previewName({ app, branch, prefix }))).toBe(true);
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('slugify and expandDomain', () => {
  it('slugifies', () => {
    expect(slugify('Feature/Ünïcode__Thing!')).toBe('feature-n-code-thing');
  });
  it('expands templates', () => {
    expect(expandDomain('{name}.preview.example.com', { name: 'shop-main', app: 'Shop', branch: 'main' })).toBe('shop-main.preview.example.com');
    expect(expandDomain('{app}-{branch}.x.io', { name: 'n', app: 'Shop', branch: 'feat/A' })).toBe('shop-feat-a.x.io');
    expect(expandDomain('https://{name}.x.io/', { name: 'n', app: 'a' })).toBe('n.x.io');
  });
  it('rejects unknown placeholders', () => {
    expect(() => expandDomain('{nam}.x.io', { name: 'n', app: 'a' })).toThrow(/unknown placeholder \{nam\}/);
  });
});
