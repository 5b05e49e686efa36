/**
 * Preview names: a pure function of (app, branch or PR number, prefix), the same for every
 * provider and forge, so anyone can compute a preview's name and URL without calling anything.
 */
import { createHash } from 'node:crypto';
import type { PreviewIdentity } from './identity.js';

export const MAX_LABEL = 63;
const HASH_LENGTH = 6;
/** A slug that already looks like `…-<hash>` is hashed again, so hashed and plain names never meet. */
const LOOKS_HASHED = /-[0-9a-f]{6}$/;
/** A branch called `pr-5` would share `--pr 5`'s name: it is hashed like any changed branch. */
const LOOKS_LIKE_PR = /^pr-\d+$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export interface NameInput {
  /** Base name of the project, e.g. the repository name. */
  app: string;
  /** Branch or ref name, raw (e.g. `feature/Login_Page`). Ignored when `pr` is given. */
  branch?: string;
  /** Pull/merge request number: the name then reads `<app>-pr-<n>`. */
  pr?: number;
  /** Optional prefix, e.g. `review`. */
  prefix?: string;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/** Lowercase, runs of anything outside [a-z0-9] become one `-`, no `-` at either end. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function isDnsLabel(text: string): boolean {
  return text.length <= MAX_LABEL && DNS_LABEL.test(text);
}

function trimTo(text: string, max: number): string {
  return text.slice(0, Math.max(0, max)).replace(/-+$/, '');
}

/**
 * The preview's name: `[prefix-]app-branch`, a DNS label of at most 63 characters. When the
 * branch had to be changed to fit (case, characters, length), a short hash of the raw branch is
 * appended so that `feature/a_b` and `feature/a-b` never share a preview.
 */
export function previewName(input: NameInput): string {
  const head = [input.prefix, input.app]
    .filter((part): part is string => part !== undefined && part !== '')
    .map(slugify)
    .filter((part) => part !== '')
    .join('-');
  // The head is the same for every branch of a project: its own lossy changes need no hash.
  const headPart = trimTo(head || 'preview', 40);

  let raw: string;
  let tail: string;
  if (input.pr !== undefined) {
    raw = `pr-${input.pr}`;
    tail = raw;
  } else {
    raw = input.branch ?? '';
    tail = slugify(raw);
  }
  const lossless = tail !== '' && tail === raw && !LOOKS_HASHED.test(tail) && (input.pr !== undefined || !LOOKS_LIKE_PR.test(tail));
  const room = MAX_LABEL - headPart.length - 1;
  if (lossless && tail.length <= room) return `${headPart}-${tail}`;

  const hash = shortHash(raw);
  const kept = trimTo(tail, room - HASH_LENGTH - 1);
  return kept ? `${headPart}-${kept}-${hash}` : `${headPart}-${hash}`;
}

/** The name of the preview an identity describes. */
export function nameOfIdentity(identity: PreviewIdentity): string {
  return previewName({ app: identity.project, branch: identity.branch, pr: identity.pr, prefix: identity.prefix });
}

export interface UrlInput {
  name: string;
  app: string;
  branch?: string;
  pr?: number;
  /** Placeholders a provider adds, e.g. `{ domain: 'review.example.com' }`. */
  extra?: Record<string, string>;
}

/**
 * Expands a domain template: `{name}`, `{app}`, `{branch}` (slugified), `{pr}`.
 * `{name}.preview.example.com` → `my-app-feature-x.preview.example.com`.
 */
export function expandDomain(template: string, input: UrlInput): string {
  const values: Record<string, string> = {
    ...input.extra,
    name: input.name,
    app: slugify(input.app),
    branch: slugify(input.branch ?? ''),
    pr: input.pr === undefined ? '' : String(input.pr),
  };
  const expanded = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`unknown placeholder ${whole} in domain template "${template}"`);
    return value;
  });
  return expanded.replace(/^https?:\/\//, '').replace(/\/+$/, '').toLowerCase();
}

export function urlOf(host: string): string {
  return /^https?:\/\//.test(host) ? host : `https://${host}`;
}

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/**
 * Why `host` (an expanded domain, possibly with a path prefix) cannot be a domain name, or
 * undefined when it can. Checked before anything is created, so that a template that expands
 * badly for one branch fails with exit 2 instead of half-way through a deployment.
 */
export function hostProblem(host: string): string | undefined {
  const name = host.split('/')[0]!.replace(/:\d+$/, '');
  if (name === '') return 'the host name is empty';
  if (name.length > 253) return `the host name is ${name.length} characters long (at most 253)`;
  const labels = name.split('.');
  for (const [i, label] of labels.entries()) {
    if (label === '*' && i === 0) continue;
    if (label === '') return 'it has an empty label (two dots, or a dot at either end)';
    if (label.length > MAX_LABEL) return `its label "${label.slice(0, 20)}…" is ${label.length} characters long (at most ${MAX_LABEL})`;
    if (!HOST_LABEL.test(label)) return `its label "${label}" is not a DNS label (letters, digits and inner hyphens only)`;
  }
  return undefined;
}
