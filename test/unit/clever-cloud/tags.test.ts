import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { identityTag, keyTag, marksOf, missingTags, ownershipTags, untouched } from '../../../src/providers/clever-cloud/tags.js';

const ref = (identity: PreviewIdentity) => ({ identity, key: identityKey(identity) });

describe('ownership tags', () => {
  it.each([
    [{ project: 'shop', branch: 'main' }, 'preview-kit:id:shop:branch:main'],
    [{ project: 'shop', branch: 'feature/login' }, 'preview-kit:id:shop:branch:feature~2Flogin'],
    [{ project: 'shop', pr: 44, fork: 'contributor/shop' }, 'preview-kit:id:shop:pr:44:contributor~2Fshop'],
    [{ project: 'shop', branch: 'main', prefix: 'review' }, 'preview-kit:id:prefix=review:shop:branch:main'],
  ])('%j → %s, read back', (identity, tag) => {
    expect(identityTag({ identity })).toBe(tag);
    expect(marksOf(ownershipTags(ref(identity)))).toEqual({ marker: true, key: identityKey(identity), identity });
  });

  it('are written key first, readable identity next, marker last', () => {
    const r = ref({ project: 'shop', branch: 'main' });
    expect(ownershipTags(r)).toEqual([keyTag(r.key), identityTag(r), 'preview-kit']);
  });

  it('keep to characters that are safe in a URL path segment, and never a slash', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.string({ maxLength: 60, unit: 'grapheme' }), (project, branch) => {
        for (const tag of ownershipTags(ref({ project, branch }))) expect(tag).toMatch(/^[A-Za-z0-9._~:=-]+$/);
        expect(marksOf(ownershipTags(ref({ project, branch }))).identity).toEqual({ project, branch });
      }),
    );
  });

  it('a key tag is a mark even without the marker; the marker alone names no preview', () => {
    const r = ref({ project: 'shop', branch: 'main' });
    expect(marksOf([keyTag(r.key)])).toEqual({ marker: true, key: r.key });
    expect(marksOf(['preview-kit'])).toEqual({ marker: true });
    expect(marksOf(['Preview-Kit', 'preview-kit:key:nothex'])).toEqual({ marker: false });
    expect(marksOf([])).toEqual({ marker: false });
  });

  it('lists what is missing in writing order, keeping a readable identity already there', () => {
    const r = ref({ project: 'shop', pr: 44, fork: 'contributor/shop' });
    expect(missingTags([], r)).toEqual(ownershipTags(r));
    expect(missingTags([keyTag(r.key)], r)).toEqual([identityTag(r), 'preview-kit']);
    expect(missingTags([keyTag(r.key), 'preview-kit:id:shop:pr:44', 'preview-kit'], r)).toEqual([]);
  });

  it('tells a resource that carries none of our tags', () => {
    expect(untouched(['team:db', 'prod'])).toBe(true);
    expect(untouched(['preview-kit:key:0123456789abcdef0123'])).toBe(false);
    expect(untouched(['preview-kit'])).toBe(false);
  });
});
