/**
 * Ownership tags. Everything a preview creates carries three tags: the marker `preview-kit`, the
 * identity key `preview-kit:key:<key>` (what every lookup compares) and the readable identity
 * `preview-kit:id:<segments>` (what `list()` reads back for `prune`, and what a refusal names).
 * Tags travel as URL path segments (`PUT …/tags/{tag}`); the identity's segments are escaped so
 * that no `/` ever reaches a path (servers in front of APIs often refuse an encoded slash).
 */
import { identitySegments, KEY_PATTERN, parseIdentitySegments } from '../../core/identity.js';
import type { Marks } from '../reconcile.js';
import { OWNER_MARKER, type PreviewRef } from '../types.js';

const KEY_PREFIX = `${OWNER_MARKER}:key:`;
const IDENTITY_PREFIX = `${OWNER_MARKER}:id:`;

export function keyTag(key: string): string {
  return `${KEY_PREFIX}${key}`;
}

export function identityTag(ref: Pick<PreviewRef, 'identity'>): string {
  return `${IDENTITY_PREFIX}${identitySegments(ref.identity)}`;
}

/**
 * The tags of a preview, in the order they are written one by one (add-ons, repairs): the key
 * first — alone, it already proves whose the resource is — then the readable identity, then the
 * marker last, so that a resource carrying the marker always carries its key too.
 */
export function ownershipTags(ref: Pick<PreviewRef, 'identity' | 'key'>): string[] {
  return [keyTag(ref.key), identityTag(ref), OWNER_MARKER];
}

function keyIn(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    if (!tag.startsWith(KEY_PREFIX)) continue;
    const key = tag.slice(KEY_PREFIX.length);
    if (KEY_PATTERN.test(key)) return key;
  }
  return undefined;
}

/**
 * What the tags say. A key tag counts as a mark even without the marker: only preview-kit writes
 * `preview-kit:key:…` tags, and a run interrupted between two tag writes leaves the key alone.
 */
export function marksOf(tags: readonly string[]): Marks {
  const key = keyIn(tags);
  const identityTagFound = tags.find((t) => t.startsWith(IDENTITY_PREFIX));
  const identity = identityTagFound === undefined ? undefined : parseIdentitySegments(identityTagFound.slice(IDENTITY_PREFIX.length));
  return {
    marker: tags.includes(OWNER_MARKER) || key !== undefined,
    ...(key !== undefined ? { key } : {}),
    ...(identity ? { identity } : {}),
  };
}

/**
 * Tags of this preview the resource lacks, in writing order. A readable identity already there is
 * kept as it is (the fork it names is not part of the key and may be spelt differently now).
 */
export function missingTags(tags: readonly string[], ref: Pick<PreviewRef, 'identity' | 'key'>): string[] {
  const hasIdentity = tags.some((t) => t.startsWith(IDENTITY_PREFIX));
  return ownershipTags(ref).filter((t) => !tags.includes(t) && !(t.startsWith(IDENTITY_PREFIX) && hasIdentity));
}

/** Carries no tag of preview-kit's at all (so a resource that lost them, or never got them). */
export function untouched(tags: readonly string[]): boolean {
  return !tags.some((t) => t === OWNER_MARKER || t.startsWith(`${OWNER_MARKER}:`));
}
