/**
 * The ownership marker on Kubernetes objects: labels (selectable, so teardown and `list` are one
 * label-selector query per type) and annotations (values too long or free-form for labels).
 */
import { OWNER_MARKER } from '../types.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const INSTANCE = 'app.kubernetes.io/instance';
export const APP_NAME = 'app.kubernetes.io/name';
export const COMPONENT = 'app.kubernetes.io/component';
export const PREVIEW_LABEL = 'preview-kit/name';
/** Optional pod-template label with the first 15 characters of the commit (the AKS nightly setup). */
export const COMMIT_LABEL = 'preview-kit/commit';

export const COMMIT_ANNOTATION = 'preview-kit/commit';
export const BRANCH_ANNOTATION = 'preview-kit/branch';
/** Hash of the object as we last applied it: equal hash + our labels + no drift ⇒ no write. */
export const HASH_ANNOTATION = 'preview-kit/applied-hash';
/** Set on the pod template by `--force`, kept afterwards so that later runs do not roll again. */
export const RESTARTED_AT_ANNOTATION = 'preview-kit/restarted-at';
/** Hash of the env/database Secrets the pods read, so that a changed value rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'preview-kit/config-hash';

/** Our field manager for server-side apply. */
export const FIELD_MANAGER = 'preview-kit';

export function ownerLabels(name: string): Record<string, string> {
  return { [MANAGED_BY]: OWNER_MARKER, [PREVIEW_LABEL]: name, [INSTANCE]: name };
}

/** Selects every object of one preview. */
export function previewSelector(name: string): string {
  return `${MANAGED_BY}=${OWNER_MARKER},${PREVIEW_LABEL}=${name}`;
}

/** Selects every object of every preview. */
export function anyPreviewSelector(): string {
  return `${MANAGED_BY}=${OWNER_MARKER},${PREVIEW_LABEL}`;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  managedFields?: Array<{ manager?: string; operation?: string }>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Whether the object carries our marker for this preview. */
export function isOurs(object: KubeObject, name: string): boolean {
  const labels = object.metadata.labels ?? {};
  return labels[MANAGED_BY] === OWNER_MARKER && labels[PREVIEW_LABEL] === name;
}

/** The first 15 characters of a commit, as the nightly setups label their pods. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 15);
}
