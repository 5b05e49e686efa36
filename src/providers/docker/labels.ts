/**
 * The labels that mark what preview-kit created on the engine — our marker, the preview's name
 * (the lookup key), its identity key (what decides ownership) and its readable identity — and the
 * hash that tells whether a running container still matches what the current settings ask for.
 */
import { createHash } from 'node:crypto';
import { identityJson, parseIdentityJson } from '../../core/identity.js';
import type { Marks } from '../reconcile.js';
import { OWNER_MARKER, type PreviewRef } from '../types.js';

export const LABEL = {
  managedBy: 'preview-kit.managed-by',
  name: 'preview-kit.name',
  key: 'preview-kit.key',
  identity: 'preview-kit.identity',
  app: 'preview-kit.app',
  service: 'preview-kit.service',
  commit: 'preview-kit.commit',
  configHash: 'preview-kit.config-hash',
  buildHash: 'preview-kit.build-hash',
  /** On a container: when the deploy that made it ran (ISO 8601), what `prune --ttl` measures. */
  deployedAt: 'preview-kit.deployed-at',
  /** On the network: when the preview was first made (ISO 8601). */
  createdAt: 'preview-kit.created-at',
} as const;

export const OWNED = `${LABEL.managedBy}=${OWNER_MARKER}`;

export type Labels = Record<string, string> | null | undefined;

/** What every resource of a preview carries: marker, name, identity key and readable identity. */
export function identityLabels(ref: PreviewRef): Record<string, string> {
  return {
    [LABEL.managedBy]: OWNER_MARKER,
    [LABEL.name]: ref.name,
    [LABEL.key]: ref.key,
    [LABEL.identity]: identityJson(ref.identity),
    [LABEL.app]: ref.identity.project,
  };
}

/**
 * Label filter for everything of one preview: name and key. Engines AND label filters on
 * containers and networks; podman 4 ORs them on volumes, so callers check the labels of what
 * comes back as well (`isPreviewResource`), and answers nothing to two of them on images.
 */
export function previewFilter(ref: Pick<PreviewRef, 'name' | 'key'>): string[] {
  return [OWNED, `${LABEL.name}=${ref.name}`, `${LABEL.key}=${ref.key}`];
}

/** Label filter for everything that carries a preview's name, whoever owns it. */
export function nameFilter(name: string): string[] {
  return [`${LABEL.name}=${name}`];
}

/** Marker, name and key all match: the resource is this preview's. */
export function isPreviewResource(labels: Labels, ref: Pick<PreviewRef, 'name' | 'key'>): boolean {
  return labels?.[LABEL.managedBy] === OWNER_MARKER && labels?.[LABEL.name] === ref.name && labels?.[LABEL.key] === ref.key;
}

/** The marks reconcile judges a resource by. */
export function marksOf(labels: Labels): Marks {
  const identity = parseIdentityJson(labels?.[LABEL.identity]);
  const key = labels?.[LABEL.key];
  return { marker: labels?.[LABEL.managedBy] === OWNER_MARKER, ...(key ? { key } : {}), ...(identity ? { identity } : {}) };
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
