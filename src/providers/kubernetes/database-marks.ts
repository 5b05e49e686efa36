/**
 * The ownership mark of a per-preview PostgreSQL database and role: a COMMENT holding our marker,
 * the identity key and the readable identity, e.g.
 * `preview-kit key=0123456789abcdef0123 identity={"project":"shop","branch":"main"}`.
 * A comment that starts with the marker but has no key (made before identities were recorded) is
 * another preview's: it is never changed or dropped.
 */
import { identityJson, KEY_PATTERN, parseIdentityJson } from '../../core/identity.js';
import type { Marks } from '../reconcile.js';
import { OWNER_MARKER } from '../types.js';
import type { Owner } from './labels.js';

const IDENTITY = ' identity=';

export function databaseComment(owner: Pick<Owner, 'key' | 'identity'>): string {
  return `${OWNER_MARKER} key=${owner.key}${IDENTITY}${identityJson(owner.identity)}`;
}

export function databaseMarks(comment: string | null | undefined): Marks {
  if (!comment || !comment.startsWith(OWNER_MARKER)) return { marker: false };
  const key = / key=([0-9a-f]+)/.exec(comment)?.[1];
  const at = comment.indexOf(IDENTITY);
  const identity = at >= 0 ? parseIdentityJson(comment.slice(at + IDENTITY.length)) : undefined;
  return { marker: true, ...(key && KEY_PATTERN.test(key) ? { key } : {}), ...(identity ? { identity } : {}) };
}

/** Database and role name of a preview: the preview name with `-` as `_`. */
export function databaseName(preview: string): string {
  return preview.replace(/-/g, '_');
}
