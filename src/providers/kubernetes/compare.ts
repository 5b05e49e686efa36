/**
 * Deciding whether an object needs a write. We hash what we apply and store the hash on the object;
 * on the next run an equal hash means "same desired state". Because someone may have edited the
 * object since, we also check that every field we declare still has our value in the live object
 * (the live object is a superset: the API server adds defaults and status). Values the API server
 * rewrites into a canonical form (quantities, int-or-string ports) compare by meaning.
 */
import { createHash } from 'node:crypto';
import { DEPLOYED_AT_ANNOTATION, HASH_ANNOTATION, type KubeObject } from './labels.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function stableStringify(value: unknown): string {
  return JSON.stringify(canonical(value));
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 32);
}

/**
 * Hash of the desired object, ignoring the hash annotation itself and the deploy time: a deploy
 * keeps the live time when nothing else changes, so the time must not make the hashes differ.
 */
export function desiredHash(object: KubeObject): string {
  const annotations = { ...(object.metadata.annotations ?? {}) };
  delete annotations[HASH_ANNOTATION];
  delete annotations[DEPLOYED_AT_ANNOTATION];
  return hashOf({ ...object, metadata: { ...object.metadata, annotations } });
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

/** The numeric value of a Kubernetes quantity (`500m` → 0.5, `1Gi` → 1073741824), or undefined. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

function scalarEqual(want: unknown, have: unknown): boolean {
  if (want === have) return true;
  if ((typeof want === 'string' || typeof want === 'number') && (typeof have === 'string' || typeof have === 'number')) {
    if (String(want) === String(have)) return true;
    const a = parseQuantity(String(want));
    const b = parseQuantity(String(have));
    return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
  }
  return false;
}

/**
 * The paths where the live object differs from what we declared: a field missing or with another
 * value. Extra fields in the live object (defaults, status, other managers' fields) are fine.
 */
export function driftPaths(want: unknown, have: unknown, path = ''): string[] {
  if (want === null || want === undefined) return [];
  if (Array.isArray(want)) {
    if (want.length === 0 && (have === undefined || have === null)) return [];
    if (!Array.isArray(have) || have.length !== want.length) return [path || '.'];
    return want.flatMap((w, i) => driftPaths(w, have[i], `${path}[${i}]`));
  }
  if (typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) {
      // An empty map we declare may be dropped by the server: nothing of ours is missing.
      return Object.keys(want).length === 0 ? [] : [path || '.'];
    }
    return Object.entries(want as Record<string, unknown>).flatMap(([k, w]) => driftPaths(w, (have as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return scalarEqual(want, have) ? [] : [path];
}

/** Whether the live object already is what we want: same applied hash and no drift in our fields. */
export function upToDate(desired: KubeObject, live: KubeObject | undefined): { equal: boolean; drift: string[] } {
  if (!live) return { equal: false, drift: [] };
  if (live.metadata.annotations?.[HASH_ANNOTATION] !== desired.metadata.annotations?.[HASH_ANNOTATION]) return { equal: false, drift: [] };
  const { status: _status, ...want } = desired;
  // The deploy time is never drift: it is kept from the live object unless something else changes.
  const annotations = { ...(want.metadata.annotations ?? {}) };
  delete annotations[DEPLOYED_AT_ANNOTATION];
  const drift = driftPaths({ ...want, metadata: { ...want.metadata, annotations } }, live);
  return { equal: drift.length === 0, drift };
}
