/**
 * The fake API server's object store: one resourceVersion counter for everything, an event log for
 * watches (replayable from a resourceVersion), the common write path (defaults, validation,
 * generation, no-op detection), and indexes by resource, label and owner.
 */
import { randomUUID } from 'node:crypto';
import { applyDefaults, validate } from './defaults.js';
import { deepEqual, isObject, type JsonObject } from './fields.js';
import { apiVersionOf, type FakeResource } from './resources.js';
import { matchesLabels, type Requirement } from './selectors.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  res: FakeResource;
  object: JsonObject;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  toStatus(): JsonObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details as JsonObject } : {}),
      code: this.code,
    };
  }
}

/** `deployments.apps`, `services`: how the API names a resource in messages. */
export function qualified(res: FakeResource): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}

export function notFound(res: FakeResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(res)} "${name}" not found`, { name, ...(res.group ? { group: res.group } : {}), kind: res.plural });
}

export function meta(object: JsonObject): JsonObject {
  if (!isObject(object.metadata)) object.metadata = {};
  return object.metadata as JsonObject;
}

export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function withoutVolatile(object: JsonObject): unknown {
  const m = { ...meta(object) };
  delete m.resourceVersion;
  m.managedFields = ((m.managedFields as JsonObject[] | undefined) ?? []).map((e) => ({ ...e, time: undefined })) as unknown as JsonObject[];
  return { ...object, metadata: m };
}

interface Item {
  key: string;
  res: FakeResource;
  object: JsonObject;
}

/** Owner uids of an object (its ownerReferences). */
function ownerUids(object: JsonObject): string[] {
  const refs = meta(object).ownerReferences;
  return Array.isArray(refs) ? refs.flatMap((r) => (isObject(r) && typeof r.uid === 'string' ? [r.uid] : [])) : [];
}

function labelsOf(object: JsonObject): Record<string, string> {
  const labels = meta(object).labels;
  return isObject(labels) ? (labels as Record<string, string>) : {};
}

/**
 * Indexed like the API server's watch cache: by resource, by label (`key=value`, for the equality
 * terms of a label selector) and by owner uid (for the garbage collector), so that a selector list
 * over thousands of objects looks only at the candidates, and nothing scans the whole store per object.
 */
export class Store {
  private rv = 1000;
  private readonly items = new Map<string, Item>();
  private readonly byRes = new Map<FakeResource, Map<string, Item>>();
  /** Items of a resource sorted by namespace/name, rebuilt after an add or a removal. */
  private readonly sorted = new Map<FakeResource, Item[]>();
  private readonly byLabel = new Map<FakeResource, Map<string, Set<string>>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();
  readonly events: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  get resourceVersion(): number {
    return this.rv;
  }

  private key(res: FakeResource, namespace: string | undefined, name: string): string {
    return `${res.plural}.${res.group}|${res.namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  private unindex(item: Item): void {
    const labels = this.byLabel.get(item.res);
    for (const [k, v] of Object.entries(labelsOf(item.object))) labels?.get(`${k}=${v}`)?.delete(item.key);
    for (const uid of ownerUids(item.object)) this.byOwner.get(uid)?.delete(item.key);
    const uid = meta(item.object).uid;
    if (typeof uid === 'string') this.byUid.delete(uid);
  }

  private put(res: FakeResource, object: JsonObject): void {
    const m = meta(object);
    const key = this.key(res, m.namespace as string | undefined, String(m.name));
    const old = this.items.get(key);
    if (old) this.unindex(old);
    // A new version updates the item in place: the sorted lists hold items, and must serve it.
    const item = old ?? { key, res, object };
    item.object = object;
    this.items.set(key, item);
    let ofRes = this.byRes.get(res);
    if (!ofRes) this.byRes.set(res, (ofRes = new Map()));
    ofRes.set(key, item);
    if (!old) this.sorted.delete(res);
    let labels = this.byLabel.get(res);
    if (!labels) this.byLabel.set(res, (labels = new Map()));
    for (const [k, v] of Object.entries(labelsOf(object))) {
      const term = `${k}=${v}`;
      let keys = labels.get(term);
      if (!keys) labels.set(term, (keys = new Set()));
      keys.add(key);
    }
    for (const uid of ownerUids(object)) {
      let children = this.byOwner.get(uid);
      if (!children) this.byOwner.set(uid, (children = new Set()));
      children.add(key);
    }
    if (typeof m.uid === 'string') this.byUid.set(m.uid, key);
  }

  private drop(item: Item): void {
    this.unindex(item);
    this.items.delete(item.key);
    this.byRes.get(item.res)?.delete(item.key);
    this.sorted.delete(item.res);
  }

  private sortedItems(res: FakeResource): Item[] {
    let list = this.sorted.get(res);
    if (!list) {
      list = [...(this.byRes.get(res)?.values() ?? [])].sort((a, b) => compareItems(a, b));
      this.sorted.set(res, list);
    }
    return list;
  }

  get(res: FakeResource, namespace: string | undefined, name: string): JsonObject | undefined {
    const item = this.items.get(this.key(res, namespace, name));
    return item ? structuredClone(item.object) : undefined;
  }

  /** Whether an object with this uid exists. */
  hasUid(uid: string): boolean {
    return this.byUid.has(uid);
  }

  /**
   * The stored objects of a resource (in a namespace, when given) that match the label selector,
   * sorted by namespace/name — NOT copies: callers serialize them or copy them before changing anything.
   */
  select(res: FakeResource, namespace: string | undefined, labels: Requirement[] = []): JsonObject[] {
    let candidates: Item[] | undefined;
    for (const r of labels) {
      const value = r.op === 'eq' ? r.value : r.op === 'in' && r.values.length === 1 ? r.values[0] : undefined;
      if (value === undefined) continue;
      const keys = this.byLabel.get(res)?.get(`${r.key}=${value}`);
      if (!keys || keys.size === 0) return [];
      if (!candidates || keys.size < candidates.length) candidates = [...keys].map((k) => this.items.get(k)!);
    }
    const pool = candidates ? candidates.sort(compareItems) : this.sortedItems(res);
    const out: JsonObject[] = [];
    for (const item of pool) {
      if (namespace !== undefined && res.namespaced && meta(item.object).namespace !== namespace) continue;
      if (!matchesLabels(labels, labelsOf(item.object))) continue;
      out.push(item.object);
    }
    return out;
  }

  list(res: FakeResource, namespace?: string): JsonObject[] {
    return this.select(res, namespace).map((o) => structuredClone(o));
  }

  /** Copies of the objects whose ownerReferences name this uid. */
  childrenOf(uid: unknown): Array<{ res: FakeResource; object: JsonObject }> {
    const keys = typeof uid === 'string' ? this.byOwner.get(uid) : undefined;
    return [...(keys ?? [])].flatMap((k) => {
      const item = this.items.get(k);
      return item ? [{ res: item.res, object: structuredClone(item.object) }] : [];
    });
  }

  /** Copies of every object in a namespace (a terminating namespace takes its content with it). */
  inNamespace(namespace: string): Array<{ res: FakeResource; object: JsonObject }> {
    const out: Array<{ res: FakeResource; object: JsonObject }> = [];
    for (const item of this.items.values()) if (item.res.namespaced && meta(item.object).namespace === namespace) out.push({ res: item.res, object: structuredClone(item.object) });
    return out;
  }

  all(): Array<{ res: FakeResource; object: JsonObject }> {
    return [...this.items.values()].map((i) => ({ res: i.res, object: structuredClone(i.object) }));
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `object` must be one nobody changes afterwards: stored objects are replaced, never changed in place. */
  private emit(type: EventType, res: FakeResource, object: JsonObject): void {
    const event = { rv: this.rv, type, res, object };
    this.events.push(event);
    if (this.events.length > 5000) this.events.splice(0, 1000);
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Stores a new version: defaults, validation (422), generation, uid, timestamps. Returns the
   * stored object and whether anything changed (a no-op write keeps the resourceVersion).
   * `createdAt` sets the creation time of a new object (objects planted with a history).
   */
  write(res: FakeResource, next: JsonObject, old: JsonObject | undefined, options: { keepStatus?: boolean; createdAt?: string } = {}): { object: JsonObject; changed: boolean } {
    next.apiVersion = apiVersionOf(res);
    next.kind = res.kind;
    const m = meta(next);
    if (res.hasStatus && options.keepStatus !== false) {
      if (old && old.status !== undefined) next.status = structuredClone(old.status);
      else delete next.status;
    }
    if (res.kind === 'Service' && old && isObject(old.spec) && isObject(next.spec) && next.spec.clusterIP === undefined) {
      next.spec.clusterIP = old.spec.clusterIP ?? null;
      next.spec.clusterIPs = old.spec.clusterIPs ?? null;
    }
    applyDefaults(next);
    const causes = validate(next, old);
    if (causes.length) {
      const name = String(m.name ?? '');
      throw new ApiError(
        422,
        'Invalid',
        `${res.kind}${res.group ? `.${res.group}` : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
        { name, ...(res.group ? { group: res.group } : {}), kind: res.kind, causes: causes as unknown as JsonObject[] },
      );
    }
    if (old) {
      const om = meta(old);
      m.uid = om.uid ?? null;
      m.creationTimestamp = om.creationTimestamp ?? null;
      m.generation = om.generation ?? 1;
      if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
      const specOf = (o: JsonObject) => {
        const { metadata: _m, status: _s, ...rest } = o;
        return rest;
      };
      if (res.generation && !deepEqual(specOf(old), specOf(next))) m.generation = Number(om.generation ?? 1) + 1;
      m.resourceVersion = om.resourceVersion ?? null;
      if (deepEqual(withoutVolatile(old), withoutVolatile(next))) return { object: structuredClone(old), changed: false };
    } else {
      m.uid = randomUUID();
      m.creationTimestamp = options.createdAt ?? now();
      m.generation = 1;
    }
    this.rv++;
    m.resourceVersion = String(this.rv);
    const stored = structuredClone(next);
    this.put(res, stored);
    this.emit(old ? 'MODIFIED' : 'ADDED', res, stored);
    return { object: next, changed: true };
  }

  /** Status written by the fake's controllers (no validation, no generation change). */
  writeStatus(res: FakeResource, object: JsonObject, status: JsonObject): void {
    const current = this.get(res, meta(object).namespace as string | undefined, String(meta(object).name));
    if (!current || deepEqual(current.status, status)) return;
    current.status = status;
    this.rv++;
    meta(current).resourceVersion = String(this.rv);
    this.put(res, current);
    this.emit('MODIFIED', res, current);
  }

  /** Metadata written by the fake's controllers (finalizers, deletionTimestamp). */
  writeMeta(res: FakeResource, object: JsonObject, patch: JsonObject): JsonObject {
    const current = this.get(res, meta(object).namespace as string | undefined, String(meta(object).name))!;
    Object.assign(meta(current), patch);
    this.rv++;
    meta(current).resourceVersion = String(this.rv);
    this.put(res, current);
    this.emit('MODIFIED', res, current);
    return structuredClone(current);
  }

  remove(res: FakeResource, object: JsonObject): void {
    const m = meta(object);
    const key = this.key(res, m.namespace as string | undefined, String(m.name));
    const current = this.items.get(key);
    if (!current) return;
    this.drop(current);
    this.rv++;
    const gone = structuredClone(current.object);
    meta(gone).resourceVersion = String(this.rv);
    this.emit('DELETED', res, gone);
  }
}

function compareItems(a: Item, b: Item): number {
  const am = meta(a.object);
  const bm = meta(b.object);
  const an = String(am.namespace ?? '');
  const bn = String(bm.namespace ?? '');
  if (an !== bn) return an < bn ? -1 : 1;
  const x = String(am.name);
  const y = String(bm.name);
  return x === y ? 0 : x < y ? -1 : 1;
}
