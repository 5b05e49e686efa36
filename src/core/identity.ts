/**
 * The identity of a preview: which project, which branch or pull request, from which repository,
 * under which prefix. A name is only a lookup key (`shop-admin` + `main` and `shop` + `admin-main`
 * share one); the identity is what every provider records on everything a preview creates and
 * compares on every lookup, so one preview's `stop` can never remove another's.
 */
import { createHash } from 'node:crypto';

export interface PreviewIdentity {
  /** The project (`--app`), as given. */
  project: string;
  /** The branch the preview serves; unset when it serves a pull/merge request. */
  branch?: string;
  /** The pull/merge request number; set for every preview of a fork's change. */
  pr?: number;
  /**
   * `owner/name` of the head repository when the change comes from a fork. Recorded for people
   * (whose preview is it?), not part of the key: a PR number is already unique in its project, and
   * a fork can be deleted before its pull request is closed.
   */
  fork?: string;
  /** `--prefix`, when one is given. */
  prefix?: string;
}

/** Characters of the key: hex, so it fits a Kubernetes label value, a Clever tag and a Docker filter. */
const KEY_LENGTH = 20;
/** A key as it is written on resources. */
export const KEY_PATTERN = /^[0-9a-f]{20}$/;

function norm(text: string | undefined): string {
  return (text ?? '').trim().toLowerCase();
}

/**
 * A stable key for the identity: the same project (case aside), prefix and branch or PR always give
 * the same key, and two different ones never do. Version 1 of the form; a new form gets a new
 * version so that keys never change meaning.
 */
export function identityKey(identity: PreviewIdentity): string {
  const ref = identity.pr !== undefined ? ['pr', String(identity.pr)] : ['branch', identity.branch ?? ''];
  const canonical = JSON.stringify([1, norm(identity.prefix), norm(identity.project), ...ref]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, KEY_LENGTH);
}

export function sameIdentity(a: PreviewIdentity, b: PreviewIdentity): boolean {
  return identityKey(a) === identityKey(b);
}

/** `shop, branch feature/login`, `shop, pull request #44 from contributor/shop`, `review shop, …`. */
export function describeIdentity(identity: PreviewIdentity): string {
  const project = identity.prefix ? `${identity.prefix} ${identity.project}` : identity.project;
  if (identity.pr === undefined) return `${project}, branch ${identity.branch ?? '(none)'}`;
  return `${project}, pull request #${identity.pr}${identity.fork ? ` from ${identity.fork}` : ''}`;
}

/** The identity as one line of JSON, for annotations, labels and environment variables. */
export function identityJson(identity: PreviewIdentity): string {
  const out: Record<string, string | number> = { project: identity.project };
  if (identity.prefix) out.prefix = identity.prefix;
  if (identity.pr !== undefined) out.pr = identity.pr;
  else out.branch = identity.branch ?? '';
  if (identity.fork) out.fork = identity.fork;
  return JSON.stringify(out);
}

const SAFE_PR = /^(0|[1-9]\d{0,15})$/;

function fromRecord(data: Record<string, unknown>): PreviewIdentity | undefined {
  if (typeof data.project !== 'string' || data.project === '') return undefined;
  const identity: PreviewIdentity = { project: data.project };
  if (typeof data.prefix === 'string' && data.prefix !== '') identity.prefix = data.prefix;
  if (typeof data.fork === 'string' && data.fork !== '') identity.fork = data.fork;
  if (typeof data.pr === 'number' && SAFE_PR.test(String(data.pr))) identity.pr = data.pr;
  else if (typeof data.branch === 'string') identity.branch = data.branch;
  else return undefined;
  return identity;
}

/** Reads `identityJson`'s output back; undefined for anything else. */
export function parseIdentityJson(text: string | undefined): PreviewIdentity | undefined {
  if (!text) return undefined;
  try {
    const data: unknown = JSON.parse(text);
    return data && typeof data === 'object' && !Array.isArray(data) ? fromRecord(data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const KEPT = /[A-Za-z0-9._-]/;

/**
 * `feature/login` → `feature~2Flogin`: bytes outside [A-Za-z0-9._-] become `~XX` (UTF-8, hex), so
 * the text can travel as one URL path segment (Clever Cloud tags are `PUT …/tags/{tag}`) and no
 * `/` ever reaches a path.
 */
export function escapeSegment(text: string): string {
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

export function unescapeSegment(text: string): string | undefined {
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
  // Invalid UTF-8 comes back with replacement characters: not something we wrote.
  return escapeSegment(decoded) === text ? decoded : undefined;
}

/**
 * The identity as path-safe segments joined by `:`: `shop:branch:feature~2Flogin`,
 * `shop:pr:44:contributor~2Fshop`, with `prefix=review:` in front when there is a prefix.
 */
export function identitySegments(identity: PreviewIdentity): string {
  const head = `${identity.prefix ? `prefix=${escapeSegment(identity.prefix)}:` : ''}${escapeSegment(identity.project)}`;
  if (identity.pr === undefined) return `${head}:branch:${escapeSegment(identity.branch ?? '')}`;
  return `${head}:pr:${identity.pr}${identity.fork ? `:${escapeSegment(identity.fork)}` : ''}`;
}

export function parseIdentitySegments(text: string): PreviewIdentity | undefined {
  const parts = text.split(':');
  let prefix: string | undefined;
  if (parts[0]?.startsWith('prefix=')) {
    prefix = unescapeSegment(parts.shift()!.slice('prefix='.length));
    if (prefix === undefined) return undefined;
  }
  const [rawProject, kind, rawRef, rawFork, ...rest] = parts;
  if (rawProject === undefined || kind === undefined || rawRef === undefined || rest.length > 0) return undefined;
  const project = unescapeSegment(rawProject);
  if (!project) return undefined;
  const base: PreviewIdentity = { project, ...(prefix ? { prefix } : {}) };
  if (kind === 'branch') {
    const branch = unescapeSegment(rawRef);
    return branch === undefined || rawFork !== undefined ? undefined : { ...base, branch };
  }
  if (kind !== 'pr' || !SAFE_PR.test(rawRef)) return undefined;
  const fork = rawFork === undefined ? undefined : unescapeSegment(rawFork);
  if (rawFork !== undefined && !fork) return undefined;
  return { ...base, pr: Number(rawRef), ...(fork ? { fork } : {}) };
}

/** Whether a recorded identity belongs to this project (and prefix): what `prune` judges by. */
export function sameProject(identity: PreviewIdentity, project: string, prefix?: string): boolean {
  return norm(identity.project) === norm(project) && norm(identity.prefix) === norm(prefix);
}
