import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeTagPart,
  hasOwnerMarker,
  identityOf,
  identityTag,
  identityTagIn,
  ownershipTags,
  parseIdentityTag,
  unescapeTagPart,
} from '../../../src/providers/clever-cloud/tags.js';

describe('identity tags', () => {
  it.each([
    [{ app: 'shop', branch: 'main' }, 'preview-kit:shop:branch:main'],
    [{ app: 'shop', branch: 'feature/login' }, 'preview-kit:shop:branch:feature~2Flogin'],
    [{ app: 'My Shop', branch: 'fix:a b' }, 'preview-kit:My~20Shop:branch:fix~3Aa~20b'],
    [{ app: 'shop', branch: 'été' }, 'preview-kit:shop:branch:~C3~A9t~C3~A9'],
    [{ app: 'shop', branch: '~tilde' }, 'preview-kit:shop:branch:~7Etilde'],
    [{ app: 'shop', pr: 42 }, 'preview-kit:shop:pr:42'],
  ])('%j → %s', (identity, tag) => {
    expect(identityTag(identity)).toBe(tag);
    expect(parseIdentityTag(tag)).toEqual(identity);
  });

  it('keeps to characters that are safe in a URL path segment, and never a slash', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.string({ maxLength: 60, unit: 'grapheme' }), (app, branch) => {
        const tag = identityTag({ app, branch });
        expect(tag).toMatch(/^[A-Za-z0-9._~:-]+$/);
        expect(parseIdentityTag(tag)).toEqual({ app, branch });
      }),
    );
  });

  it('branch and pull request identities never collide', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ maxLength: 20 }), (pr, branch) => {
        expect(identityTag({ app: 'a', pr })).not.toBe(identityTag({ app: 'a', branch }));
      }),
    );
  });

  it.each(['preview-kit', 'preview-kit:', 'preview-kit:shop', 'preview-kit:shop:tag:x', 'preview-kit::branch:x', 'preview-kit:shop:pr:01', 'preview-kit:shop:pr:x', 'preview-kit:sh/op:branch:x', 'preview-kit:shop:branch:~ZZ', 'other:shop:branch:x'])(
    'rejects %s',
    (tag) => {
      expect(parseIdentityTag(tag)).toBeUndefined();
    },
  );

  it('unescape refuses what escape never writes (lowercase hex, invalid UTF-8)', () => {
    expect(unescapeTagPart('~2f')).toBeUndefined();
    expect(unescapeTagPart('~FF')).toBeUndefined();
    expect(unescapeTagPart(escapeTagPart('a/b'))).toBe('a/b');
  });

  it('ownership is the exact marker, the identity is a separate tag', () => {
    const tags = ownershipTags({ app: 'shop', branch: 'dev' });
    expect(tags).toEqual(['preview-kit', 'preview-kit:shop:branch:dev']);
    expect(hasOwnerMarker(tags)).toBe(true);
    expect(hasOwnerMarker(['preview-kit:shop:branch:dev'])).toBe(false);
    expect(hasOwnerMarker(['Preview-Kit'])).toBe(false);
    expect(identityTagIn(['x', ...tags])).toBe(tags[1]);
    expect(identityOf(tags)).toEqual({ app: 'shop', branch: 'dev' });
    expect(identityOf(['preview-kit'])).toBeUndefined();
  });
});
