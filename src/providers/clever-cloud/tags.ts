/**
 * Ownership tags. Every app and add-on we create carries two tags: the marker `preview-kit` (what
 * makes it ours) and an identity tag naming the project and branch or pull request it serves
 * (what `list()` reads back for `prune`). Tags travel as URL path segments (`PUT …/tags/{tag}`),
 * so the identity is written with a small escape that leaves only unreserved characters and `:`;
 * no `/` ever reaches a path, since servers in front of APIs often refuse an encoded slash.
 */
import { OWNER_MARKER } from '../types.js';

export interface PreviewIdentity {
  /** Base name of the project, as given (`--app`). */
  app: string;
  branch?: string;
  pr?: number;
}

const IDENTITY_PREFIX = `${OWNER_MARKER}:`;
const KEPT = /[A-Za-z0-9._-]/;

/** `feature/login` → `feature~2Flogin`: bytes outside [A-Za-z0-9._-] become `~XX` (UTF-8, hex). */
export function escapeTagPart(text: string): string {
  let out = '';
  for (const ch of text) {
    if (KEPT.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function unescapeTagPart(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9._-]|~[0-9A-F]{2})*$/.test(text)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '~') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(text.charCodeAt(i));
      i += 1;
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  // Invalid UTF-8 comes back with replacement characters: not one of our tags.
  return escapeTagPart(decoded) === text ? decoded : undefined;
}

/** `preview-kit:<app>:branch:<branch>` or `preview-kit:<app>:pr:<n>`. */
export function identityTag(identity: PreviewIdentity): string {
  const app = escapeTagPart(identity.app);
  if (identity.pr !== undefined) return `${IDENTITY_PREFIX}${app}:pr:${identity.pr}`;
  return `${IDENTITY_PREFIX}${app}:branch:${escapeTagPart(identity.branch ?? '')}`;
}

export function parseIdentityTag(tag: string): PreviewIdentity | undefined {
  if (!tag.startsWith(IDENTITY_PREFIX)) return undefined;
  const parts = tag.slice(IDENTITY_PREFIX.length).split(':');
  if (parts.length !== 3) return undefined;
  const [rawApp, kind, rawRef] = parts as [string, string, string];
  const app = unescapeTagPart(rawApp);
  if (app === undefined || app === '') return undefined;
  if (kind === 'pr') return /^(0|[1-9]\d{0,15})$/.test(rawRef) ? { app, pr: Number(rawRef) } : undefined;
  if (kind !== 'branch') return undefined;
  const branch = unescapeTagPart(rawRef);
  return branch === undefined ? undefined : { app, branch };
}

/** The tags we put on everything we create for this preview. */
export function ownershipTags(identity: PreviewIdentity): string[] {
  return [OWNER_MARKER, identityTag(identity)];
}

export function hasOwnerMarker(tags: readonly string[]): boolean {
  return tags.includes(OWNER_MARKER);
}

/** The identity tag among a resource's tags, when it carries one. */
export function identityTagIn(tags: readonly string[]): string | undefined {
  return tags.find((tag) => parseIdentityTag(tag) !== undefined);
}

/** The identity recorded on a resource, when it carries one. */
export function identityOf(tags: readonly string[]): PreviewIdentity | undefined {
  const tag = identityTagIn(tags);
  return tag === undefined ? undefined : parseIdentityTag(tag);
}
