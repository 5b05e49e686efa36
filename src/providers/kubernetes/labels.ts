/**
 * The ownership marks on Kubernetes objects: labels (selectable, so teardown and `list` are one
 * label-selector query per type) and an annotation with the readable identity (JSON is too long
 * and free-form for a label value). Every object a preview makes carries all of them.
 */
import { identityJson, KEY_PATTERN, parseIdentityJson, type PreviewIdentity } from '../../core/identity.js';
import type { Marks } from '../reconcile.js';
import { OWNER_MARKER } from '../types.js';

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const INSTANCE = 'app.kubernetes.io/instance';
export const APP_NAME = 'app.kubernetes.io/name';
export const COMPONENT = 'app.kubernetes.io/component';
export const PREVIEW_LABEL = 'preview-kit/name';
/** The identity key of the preview that made the object: what decides ownership. */
export const KEY_LABEL = 'preview-kit/key';
/** The identity as one line of JSON, for people and for `list`/`prune`. */
export const IDENTITY_ANNOTATION = 'preview-kit/identity';
/** Optional pod-template label with the first 15 characters of the commit (the AKS nightly setup). */
export const COMMIT_LABEL = 'preview-kit/commit';

export const COMMIT_ANNOTATION = 'preview-kit/commit';
/** Hash of the object as we last applied it: equal hash + our labels + no drift ⇒ no write. */
export const HASH_ANNOTATION = 'preview-kit/applied-hash';
/** Set on the pod template by `--force`, kept afterwards so that later runs do not roll again. */
export const RESTARTED_AT_ANNOTATION = 'preview-kit/restarted-at';
/** Hash of the env/database Secrets the pods read, so that a changed value rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'preview-kit/config-hash';
/**
 * On a workload (not its pod template, so that it rolls nothing): when `deploy` last wrote it or
 * woke it, ISO 8601. What `list` reads as the preview's last deployment and `prune --ttl` measures.
 */
export const DEPLOYED_AT_ANNOTATION = 'preview-kit/deployed-at';
/** On a workload put to sleep: the replicas it ran, restored when `up` or `deploy` wakes it. */
export const SLEEPING_REPLICAS_ANNOTATION = 'preview-kit/sleeping-replicas';

/** Our field manager for server-side apply. */
export const FIELD_MANAGER = 'preview-kit';

/** Who a preview is, as the objects record it. */
export interface Owner {
  name: string;
  key: string;
  identity: PreviewIdentity;
}

export function ownerLabels(owner: Pick<Owner, 'name' | 'key'>): Record<string, string> {
  return { [MANAGED_BY]: OWNER_MARKER, [PREVIEW_LABEL]: owner.name, [KEY_LABEL]: owner.key, [INSTANCE]: owner.name };
}

export function ownerAnnotations(owner: Pick<Owner, 'identity'>): Record<string, string> {
  return { [IDENTITY_ANNOTATION]: identityJson(owner.identity) };
}

/** Selects every object made under one preview name, whoever's preview it is (compare the key after). */
export function previewSelector(name: string): string {
  return `${MANAGED_BY}=${OWNER_MARKER},${PREVIEW_LABEL}=${name}`;
}

/** Selects the objects of one preview: its name and its identity key. */
export function ownSelector(owner: Pick<Owner, 'name' | 'key'>): string {
  return `${previewSelector(owner.name)},${KEY_LABEL}=${owner.key}`;
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
  ownerReferences?: unknown[];
  managedFields?: Array<{ manager?: string; operation?: string }>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Our marker, the identity key and the readable identity, as found on an object. */
export function marksOf(object: KubeObject): Marks {
  const labels = object.metadata.labels ?? {};
  const key = labels[KEY_LABEL];
  const identity = parseIdentityJson(object.metadata.annotations?.[IDENTITY_ANNOTATION]);
  return {
    marker: labels[MANAGED_BY] === OWNER_MARKER,
    ...(key && KEY_PATTERN.test(key) ? { key } : {}),
    ...(identity ? { identity } : {}),
  };
}

/** The first 15 characters of a commit, as the nightly setups label their pods. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 15);
}
