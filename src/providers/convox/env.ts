/**
 * A Convox release carries the app's environment as one text blob of `KEY=VALUE` lines. Racks
 * keep no tags or labels on apps and drop app parameters they do not know, so the only place
 * where both rack generations keep our ownership record is that environment (every new release,
 * env change or build, inherits it): these helpers read and write it the way the rack does, and
 * decide what the environment of a preview must be.
 */
import { identityJson, parseIdentityJson, type PreviewIdentity } from '../../core/identity.js';
import { ConfigError } from '../../core/errors.js';
import type { Marks } from '../reconcile.js';
import { OWNER_MARKER } from '../types.js';

export type Env = Record<string, string>;

/** `preview-kit:<app name>`: naming the app makes a copied environment (`convox env` piped to another app) not count as ours. */
export const OWNER_KEY = 'PREVIEW_KIT_OWNER';
/** `identityKey` of the preview: what every lookup compares. */
export const KEY_KEY = 'PREVIEW_KIT_KEY';
/** The identity as one line of JSON, so `list` and `prune` can say whose preview it is. */
export const IDENTITY_KEY = 'PREVIEW_KIT_IDENTITY';
/** When the preview was created (ISO 8601), for `list` and `prune --ttl-from created`. */
export const CREATED_KEY = 'PREVIEW_KIT_CREATED';
/** Comma-separated keys we set (`--env`, the domain variable), so that a key dropped from the settings is removed again. */
export const MANAGED_KEY = 'PREVIEW_KIT_MANAGED';

const OUR_KEYS = new Set([OWNER_KEY, KEY_KEY, IDENTITY_KEY, CREATED_KEY, MANAGED_KEY]);

export function ownerValue(appName: string): string {
  return `${OWNER_MARKER}:${appName}`;
}

export function isOwned(env: Env, appName: string): boolean {
  return env[OWNER_KEY] === ownerValue(appName);
}

/** Our marks as reconcile reads them: the marker (naming this app), the key, the readable identity. */
export function marksOf(env: Env, appName: string): Marks {
  if (!isOwned(env, appName)) return { marker: false };
  const identity = parseIdentityJson(env[IDENTITY_KEY]);
  return { marker: true, ...(env[KEY_KEY] ? { key: env[KEY_KEY] } : {}), ...(identity ? { identity } : {}) };
}

/** Reads a release's env the way the rack does: one `KEY=VALUE` per line, first `=` splits, blank keys dropped. */
export function parseEnv(text: string | undefined | null): Env {
  const env: Env = {};
  if (!text) return env;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    if (key) env[key] = line.slice(eq + 1);
  }
  return env;
}

/** Sorted `KEY=VALUE` lines, as the rack and its CLI write them. */
export function formatEnv(env: Env): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
}

export function sameEnv(a: Env, b: Env): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** Keys added, changed or removed between two environments, for the plan (names only: values may be secret). */
export function envChanges(from: Env, to: Env): string[] {
  const out: string[] = [];
  for (const k of Object.keys(to).sort()) {
    if (!(k in from)) out.push(`+${k}`);
    else if (from[k] !== to[k]) out.push(`~${k}`);
  }
  for (const k of Object.keys(from).sort()) if (!(k in to)) out.push(`-${k}`);
  return out;
}

/** A value with a line break would split into two variables on the rack: refuse it up front. */
export function assertRepresentable(env: Env): void {
  for (const [key, value] of Object.entries(env)) {
    if (/[\r\n]/.test(value)) {
      throw new ConfigError(`invalid settings: --env ${key}: Convox keeps env vars one per line, so a value cannot contain a line break`, {
        hint: 'encode the value (e.g. base64) or put it in a file of the image',
      });
    }
    if (OUR_KEYS.has(key)) {
      throw new ConfigError(`invalid settings: --env ${key}: this variable is reserved for preview-kit's ownership record`);
    }
  }
}

export interface DesiredEnvInput {
  appName: string;
  /** What `--env` asks for. */
  wanted: Env;
  identity: PreviewIdentity;
  /** `identityKey(identity)`. */
  key: string;
  /** Used when the environment has no creation time yet. */
  now: Date;
}

/**
 * The environment the preview must have: what is there (other people's keys are left alone),
 * plus our marks, plus `--env`, minus the keys we set earlier that `--env` no longer names.
 */
export function desiredEnv(current: Env, input: DesiredEnvInput): Env {
  const next: Env = { ...current };
  const before = (current[MANAGED_KEY] ?? '').split(',').filter((k) => k !== '');
  for (const key of before) if (!(key in input.wanted)) delete next[key];
  Object.assign(next, input.wanted);
  next[OWNER_KEY] = ownerValue(input.appName);
  next[KEY_KEY] = input.key;
  next[IDENTITY_KEY] = identityJson(input.identity);
  next[CREATED_KEY] = current[CREATED_KEY] || input.now.toISOString();
  const managed = Object.keys(input.wanted).sort();
  if (managed.length) next[MANAGED_KEY] = managed.join(',');
  else delete next[MANAGED_KEY];
  return next;
}

/** Sets (or, with `undefined`, removes) one variable we manage, keeping the managed-key list in step. */
export function withManagedVar(env: Env, key: string, value: string | undefined): Env {
  const next: Env = { ...env };
  const managed = new Set((env[MANAGED_KEY] ?? '').split(',').filter((k) => k !== ''));
  if (value === undefined) {
    if (managed.has(key)) delete next[key];
    managed.delete(key);
  } else {
    next[key] = value;
    managed.add(key);
  }
  if (managed.size) next[MANAGED_KEY] = [...managed].sort().join(',');
  else delete next[MANAGED_KEY];
  return next;
}
