/**
 * The fake API server's object store: one resourceVersion counter for everything, an event log for
 * watches (replayable from a resourceVersion), and the common write path (defaults, validation,
 * generation, no-op detection).
 */
import { randomUUID } from 'node:crypto';
import { applyDefaults, validate } from './defaults.js';
import { deepEqual, isObject, type JsonObject } from './fields.js';
import { apiVersionOf, type FakeResource } from './resources.js';

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

export class Store {
  private rv = 1000;
  private readonly items = new Map<string, { res: FakeResource; object: JsonObject }>();
  readonly events: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  get resourceVersion(): number {
    return this.rv;
  }

  private key(res: FakeResource, namespace: string | undefined, name: string): string {
    return `${res.plural}.${res.group}|${res.namespaced ? (namespace ?? '') : ''}|${name}`;
  }

  get(res: FakeResource, namespace: string | undefined, name: string): JsonObject | undefined {
    const item = this.items.get(this.key(res, namespace, name));
    return item ? structuredClone(item.object) : undefined;
  }

  list(res: FakeResource, namespace?: string): JsonObject[] {
    return [...this.items.values()]
      .filter((i) => i.res === res && (namespace === undefined || meta(i.object).namespace === namespace))
      .map((i) => structuredClone(i.object))
      .sort((a, b) => `${meta(a).namespace ?? ''}/${meta(a).name}`.localeCompare(`${meta(b).namespace ?? ''}/${meta(b).name}`));
  }

  all(): Array<{ res: FakeResource; object: JsonObject }> {
    return [...this.items.values()].map((i) => ({ res: i.res, object: structuredClone(i.object) }));
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(type: EventType, res: FakeResource, object: JsonObject): void {
    const event = { rv: this.rv, type, res, object: structuredClone(object) };
    this.events.push(event);
    if (this.events.length > 5000) this.events.splice(0, 1000);
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Stores a new version: defaults, validation (422), generation, uid, timestamps. Returns the
   * stored object and whether anything changed (a no-op write keeps the resourceVersion).
   */
  write(res: FakeResource, next: JsonObject, old: JsonObject | undefined, options: { keepStatus?: boolean } = {}): { object: JsonObject; changed: boolean } {
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
      m.creationTimestamp = now();
      m.generation = 1;
    }
    this.rv++;
    m.resourceVersion = String(this.rv);
    this.items.set(this.key(res, m.namespace as string | undefined, String(m.name)), { res, object: structuredClone(next) });
    this.emit(old ? 'MODIFIED' : 'ADDED', res, next);
    return { object: structuredClone(next), changed: true };
  }

  /** Status written by the fake's controllers (no validation, no generation change). */
  writeStatus(res: FakeResource, object: JsonObject, status: JsonObject): void {
    const current = this.get(res, meta(object).namespace as string | undefined, String(meta(object).name));
    if (!current || deepEqual(current.status, status)) return;
    current.status = status;
    this.rv++;
    meta(current).resourceVersion = String(this.rv);
    this.items.set(this.key(res, meta(current).namespace as string | undefined, String(meta(current).name)), { res, object: current });
    this.emit('MODIFIED', res, current);
  }

  /** Metadata written by the fake's controllers (finalizers, deletionTimestamp). */
  writeMeta(res: FakeResource, object: JsonObject, patch: JsonObject): JsonObject {
    const current = this.get(res, meta(object).namespace as string | undefined, String(meta(object).name))!;
    Object.assign(meta(current), patch);
    this.rv++;
    meta(current).resourceVersion = String(this.rv);
    this.items.set(this.key(res, meta(current).namespace as string | undefined, String(meta(current).name)), { res, object: current });
    this.emit('MODIFIED', res, current);
    return structuredClone(current);
  }

  remove(res: FakeResource, object: JsonObject): void {
    const m = meta(object);
    const key = this.key(res, m.namespace as string | undefined, String(m.name));
    const current = this.items.get(key);
    if (!current) return;
    this.items.delete(key);
    this.rv++;
    const gone = structuredClone(current.object);
    meta(gone).resourceVersion = String(this.rv);
    this.emit('DELETED', res, gone);
  }
}
