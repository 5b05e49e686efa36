import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeIdentity,
  identityJson,
  identityKey,
  identitySegments,
  KEY_PATTERN,
  parseIdentityJson,
  parseIdentitySegments,
  sameProject,
  type PreviewIdentity,
} from '../../../src/core/identity.js';
import { nameOfIdentity, previewName } from '../../../src/core/naming.js';

describe('identity', () => {
  it('tells apart previews that share a name', () => {
    const a: PreviewIdentity = { project: 'shop-admin', branch: 'main' };
    const b: PreviewIdentity = { project: 'shop', branch: 'admin-main' };
    expect(nameOfIdentity(a)).toBe(nameOfIdentity(b));
    expect(identityKey(a)).not.toBe(identityKey(b));
  });

  it('a pull request is not the branch called pr-N, and they no longer share a name either', () => {
    const pr: PreviewIdentity = { project: 'shop', pr: 5 };
    const branch: PreviewIdentity = { project: 'shop', branch: 'pr-5' };
    expect(identityKey(pr)).not.toBe(identityKey(branch));
    expect(nameOfIdentity(pr)).toBe('shop-pr-5');
    expect(nameOfIdentity(branch)).toMatch(/^shop-pr-5-[0-9a-f]{6}$/);
    expect(previewName({ app: 'shop', branch: 'pr-5-login' })).toBe('shop-pr-5-login');
  });

  it('a fork is recorded, not keyed: a pull request number is unique in its project and forks get deleted', () => {
    const fromFork: PreviewIdentity = { project: 'shop', pr: 44, fork: 'contributor/shop' };
    expect(identityKey(fromFork)).toBe(identityKey({ project: 'shop', pr: 44 }));
    expect(identityKey(fromFork)).not.toBe(identityKey({ project: 'shop', pr: 42 }));
    expect(describeIdentity(fromFork)).toBe('shop, pull request #44 from contributor/shop');
  });

  it('is stable, hex, and the same whatever the case of the project and prefix', () => {
    const key = identityKey({ project: 'Shop', branch: 'main', prefix: 'Review' });
    expect(key).toMatch(KEY_PATTERN);
    expect(key).toBe(identityKey({ project: 'shop', branch: 'main', prefix: 'review' }));
    expect(key).not.toBe(identityKey({ project: 'shop', branch: 'Main', prefix: 'review' }));
    expect(key).not.toBe(identityKey({ project: 'shop', branch: 'main' }));
    // Pinned: keys are written on resources, so a key must never change meaning between versions.
    expect(identityKey({ project: 'shop', branch: 'main' })).toBe('612d30332f30d6b2c89c');
    expect(identityKey({ project: 'shop', pr: 44 })).toBe('6468fdee812019f974d6');
  });

  const identities = fc.record(
    {
      project: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
      prefix: fc.option(fc.string({ minLength: 1, maxLength: 10, unit: 'binary' }), { nil: undefined }),
      ref: fc.oneof(fc.record({ branch: fc.string({ maxLength: 60, unit: 'binary' }) }), fc.record({ pr: fc.nat({ max: 2 ** 31 }), fork: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }) })),
    },
    { requiredKeys: ['project', 'ref'] },
  ).map(({ project, prefix, ref }) => {
    const id: PreviewIdentity = { project, ...(prefix ? { prefix } : {}) };
    if ('branch' in ref) id.branch = ref.branch;
    else {
      id.pr = ref.pr;
      if (ref.fork) id.fork = ref.fork;
    }
    return id;
  });

  it('property: the JSON and path-segment forms read back to the same identity', () => {
    fc.assert(
      fc.property(identities, (id) => {
        expect(parseIdentityJson(identityJson(id))).toEqual(id);
        const segments = identitySegments(id);
        expect(segments).toMatch(/^[A-Za-z0-9._~:=-]*$/);
        expect(segments).not.toContain('/');
        expect(parseIdentitySegments(segments)).toEqual(id);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('reads back nothing from what it did not write', () => {
    for (const text of ['', 'x', '{}', '{"project":""}', '[1]', '{"project":"a","pr":1.5}', 'null']) expect(parseIdentityJson(text)).toBeUndefined();
    for (const text of ['', 'shop', 'shop:branch', 'shop:pr:x', 'shop:tag:main', 'a:branch:b:c', 'shop:pr:01']) expect(parseIdentitySegments(text)).toBeUndefined();
  });

  it('judges the project and prefix the way names do: case aside', () => {
    expect(sameProject({ project: 'Shop', branch: 'x' }, 'shop')).toBe(true);
    expect(sameProject({ project: 'shop', branch: 'x', prefix: 'review' }, 'shop')).toBe(false);
    expect(sameProject({ project: 'shop-api', branch: 'x' }, 'shop')).toBe(false);
  });
});
