/**
 * The labels that mark what preview-kit created on the engine, and the hash that tells whether a
 * running container still matches what the current settings ask for.
 */
import { createHash } from 'node:crypto';
import { OWNER_MARKER } from '../types.js';

export const LABEL = {
  managedBy: 'preview-kit.managed-by',
  name: 'preview-kit.name',
  app: 'preview-kit.app',
  branch: 'preview-kit.branch',
  service: 'preview-kit.service',
  commit: 'preview-kit.commit',
  configHash: 'preview-kit.config-hash',
  buildHash: 'preview-kit.build-hash',
} as const;

export const OWNED = `${LABEL.managedBy}=${OWNER_MARKER}`;

/** Label filter for everything of one preview. */
export function previewFilter(name: string): string[] {
  return [OWNED, `${LABEL.name}=${name}`];
}

/** Ours means both the marker and the preview's name: images pass their labels on to containers. */
export function isOurs(labels: Record<string, string> | null | undefined, name: string): boolean {
  return labels?.[LABEL.managedBy] === OWNER_MARKER && labels?.[LABEL.name] === name;
}

/** JSON with sorted keys, so equal objects always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashOf(value: unknown, length = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}
