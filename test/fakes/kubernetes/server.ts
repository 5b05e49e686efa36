/**
 * A fake Kubernetes API server for tests: node:http (or https) on 127.0.0.1, the real REST paths,
 * verbs and `Status` error bodies, discovery documents for kubectl, server-side apply with field
 * managers and conflicts, merge/strategic/JSON patches, watches, foreground deletion, and
 * controllers that move Deployments forward (or keep a rollout failing when told).
 *
 *   const fake = await startFakeKubernetes();
 *   writeKubeconfig(fake, dir)            // see kubeconfig.ts
 *   fake.failRollout('my-app', 'ImagePullBackOff');
 *   fake.writes()                          // every non-GET request received
 *   fake.faultWrites(0.2, 7)               // a fifth of the writes fail (half of them applied first)
 *   fake.credentials('forbidden')          // every request answered 403, as RBAC would
 *
 * README.md beside this file names the Kubernetes sources each behaviour follows.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parse as parseYaml } from 'yaml';
import { forbidden, MUTATING, requestTimeout, serviceUnavailable, unauthorized, WriteFaults, type CredentialMode, type WriteFault } from './access.js';
import { Controllers, type Failure } from './controller.js';
import { applyDefaults } from './defaults.js';
import {
  changedLeaves,
  deepEqual,
  deleteAt,
  describePath,
  fieldSet,
  fromFieldsV1,
  getAt,
  isObject,
  isPrefix,
  splitPath,
  toFieldsV1,
  type Json,
  type JsonObject,
} from './fields.js';
import { applyMerge, jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js';
import { apiGroupList, apiVersionOf, apiVersions, FAKE_RESOURCES, findResource, openApiGroupVersion, openApiRoot, resourceList, SCALABLE, servedResources, type FakeResource } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { ApiError, meta, notFound, now, qualified, Store, type StoreEvent } from './store.js';

export interface FakeKubernetesOptions {
  /** Bearer token accepted by the server. */
  token?: string;
  /** More bearer tokens accepted (e.g. the one an exec credential plugin of a test hands out). */
  tokens?: string[];
  /** Namespaces that exist from the start. */
  namespaces?: string[];
  /** Controller period, ms. */
  controllerIntervalMs?: number;
  /** A new pod becomes ready (or shows its failure) after this long, ms. */
  readyDelayMs?: number;
  /** Foreground and namespace deletions complete after at least this long, ms. */
  deletionDelayMs?: number;
  /** Failing rollouts get ProgressDeadlineExceeded after this long (default: the Deployment's own deadline). */
  progressDeadlineMs?: number;
  /** Serve Traefik's Middleware custom resource (`traefik.io/v1alpha1`), as a cluster with Traefik's CRDs does. */
  traefik?: boolean;
  /** Serve HTTPS with this key and certificate; with `clientCa`, client certificates signed by it authenticate too. */
  tls?: { key: string | Buffer; cert: string | Buffer; clientCa?: string | Buffer };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  userAgent?: string;
  body?: string;
  status: number;
}

export interface FakeKubernetes {
  url: string;
  token: string;
  /** Every request received since the last `resetLog()`, in order. */
  requests: RecordedRequest[];
  /** The requests that could change something (all but GET). */
  writes(): RecordedRequest[];
  /** How many POST/PUT/PATCH/DELETE requests arrived since the last `resetLog()`, answered or not. */
  mutatingRequests(): number;
  resetLog(): void;
  /** Bearer tokens the server accepts now; add or delete to hand out or revoke one. */
  tokens: Set<string>;
  /** From now on a share `rate` of the writes fail (see access.ts); 0 turns faults off. */
  faultWrites(rate: number, seed?: number): void;
  /** Faults dealt since the last `faultWrites`. */
  faultCounts(): Record<WriteFault, number>;
  /** From now on every request is answered 401, 403, or normally. */
  credentials(mode: CredentialMode): void;
  /** Stored objects, optionally filtered. */
  objects(filter?: { kind?: string; namespace?: string; labelSelector?: string }): JsonObject[];
  get(kind: string, namespace: string | undefined, name: string): JsonObject | undefined;
  /** Stores an object as another client would (field manager `kubectl`), e.g. an unlabelled one. */
  seed(object: JsonObject): JsonObject;
  /**
   * Stores an object as a server-side apply by `manager` would have left it, created at `createdAt`
   * (a preview planted with a history; fast enough for thousands: no request, no diff).
   */
  plant(object: JsonObject, options?: { manager?: string; createdAt?: string }): JsonObject;
  /** Objects the controllers still have queued: 0 once the cluster is settled. */
  controllerQueue(): number;
  /** New pods of this Deployment (name or namespace/name) will not start: they wait with `reason`. */
  failRollout(name: string, reason?: string, message?: string): void;
  healRollout(name: string): void;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Route {
  res: FakeResource;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1/...` or `/apis/<group>/<version>/...` to a resource route; undefined for unknown paths. */
function route(path: string, served: FakeResource[]): Route | 'discovery' | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else return undefined;
  if (!rest.length) return 'discovery';
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = findResource(group, version, rest[2]!, served);
    if (inner?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const res = findResource(group, version, rest[0]!, served);
  if (!res || rest.length > 3) return undefined;
  if (res.namespaced === false && namespace !== undefined) return undefined;
  return { res, namespace, name: rest[1], subresource: rest[2] };
}

function parseBodyObject(text: string, contentType: string): Json {
  try {
    return contentType.includes('yaml') ? (parseYaml(text) as Json) : (JSON.parse(text) as Json);
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `error decoding body: ${(error as Error).message.split('\n')[0]}`);
  }
}

function managerOf(query: URLSearchParams, req: IncomingMessage, fallback: string): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = req.headers['user-agent'] ?? '';
  const first = agent.split('/')[0];
  return first ? `${first}${fallback ? `-${fallback}` : ''}` : 'unknown';
}

interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
}

function entriesOf(object: JsonObject | undefined): ManagedEntry[] {
  return ((object && (meta(object).managedFields as unknown as ManagedEntry[])) ?? []).map((e) => ({ ...e }));
}

function setEntry(entries: ManagedEntry[], manager: string, operation: 'Apply' | 'Update', apiVersion: string, set: Set<string>): ManagedEntry[] {
  const existing = entries.find((e) => e.manager === manager && e.operation === operation);
  const out = entries.filter((e) => e !== existing);
  if (set.size) {
    const fieldsV1 = toFieldsV1(set);
    const same = existing && deepEqual(existing.fieldsV1, fieldsV1);
    out.push({ manager, operation, apiVersion, time: same ? existing.time : now(), fieldsType: 'FieldsV1', fieldsV1 });
  }
  return out;
}

/** Ownership after a non-apply write: the writer takes every field it changed. */
function managedAfterUpdate(old: JsonObject | undefined, next: JsonObject, manager: string, apiVersion: string): ManagedEntry[] {
  const before = old ?? {};
  const { changed, removed } = changedLeaves(stripServer(before), stripServer(next));
  const entries: ManagedEntry[] = [];
  for (const e of entriesOf(old)) {
    const set = fromFieldsV1(e.fieldsV1);
    for (const p of [...changed, ...removed]) if (!(e.manager === manager && e.operation === 'Update')) set.delete(p);
    for (const p of removed) set.delete(p);
    if (set.size) entries.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update');
  const set = new Set([...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed]);
  for (const p of removed) set.delete(p);
  return setEntry(entries, manager, 'Update', apiVersion, set);
}

function stripServer(object: JsonObject): JsonObject {
  const { status: _s, ...rest } = object;
  return rest;
}

export async function startFakeKubernetes(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  const token = options.token ?? 'fake-token-0123456789';
  const tokens = new Set([token, ...(options.tokens ?? [])]);
  let faults: WriteFaults | undefined;
  let credentialMode: CredentialMode = 'ok';
  const store = new Store();
  const controllers = new Controllers(store, {
    readyDelayMs: options.readyDelayMs ?? 30,
    deletionDelayMs: options.deletionDelayMs ?? 20,
    progressDeadlineMs: options.progressDeadlineMs,
  });
  const requests: RecordedRequest[] = [];
  const watchers = new Set<ServerResponse>();
  const NS = FAKE_RESOURCES.find((r) => r.kind === 'Namespace')!;
  const served = servedResources(options.traefik ?? false);
  for (const ns of options.namespaces ?? ['default', 'kube-system', 'kube-public']) store.write(NS, { metadata: { name: ns }, status: { phase: 'Active' } }, undefined, { keepStatus: false });

  const authenticated = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ') && tokens.has(header.slice('Bearer '.length))) return true;
    if (options.tls?.clientCa) {
      const socket = req.socket as TLSSocket;
      if (socket.authorized && socket.getPeerCertificate?.()?.subject) return true;
    }
    return false;
  };

  const checkNamespace = (namespace: string | undefined, forCreate: boolean): void => {
    if (namespace === undefined) return;
    const ns = store.get(NS, undefined, namespace);
    if (!ns) throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    if (forCreate && meta(ns).deletionTimestamp) {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, { name: namespace, kind: 'namespaces' });
    }
  };

  const bodyObject = (text: string, contentType: string, r: Route): JsonObject => {
    const body = parseBodyObject(text, contentType);
    if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'the body of the request was in an unknown format');
    if (body.kind !== undefined && body.kind !== r.res.kind) {
      throw new ApiError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(r.res)})`);
    }
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(r.res)) {
      throw new ApiError(400, 'BadRequest', `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(r.res)})`);
    }
    const m = meta(body);
    if (r.res.namespaced) {
      if (m.namespace !== undefined && m.namespace !== r.namespace) {
        throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      m.namespace = r.namespace!;
    }
    return body;
  };

  const serverSideApply = (r: Route, applied: JsonObject, manager: string, force: boolean): { object: JsonObject; created: boolean } => {
    const name = r.name!;
    if (meta(applied).name !== undefined && meta(applied).name !== name) {
      throw new ApiError(400, 'BadRequest', `the name of the object (${String(meta(applied).name)}) does not match the name on the URL (${name})`);
    }
    meta(applied).name = name;
    const old = store.get(r.res, r.namespace, name);
    if (!old) checkNamespace(r.namespace, true);
    const appliedSet = fieldSet(applied);
    let entries = entriesOf(old);
    if (old) {
      const conflicts: Array<{ manager: string; path: string }> = [];
      for (const entry of entries) {
        if (entry.manager === manager) continue;
        const theirs = fromFieldsV1(entry.fieldsV1);
        for (const mine of appliedSet) {
          if (splitPath(mine).at(-1)?.startsWith('k:')) continue;
          for (const path of theirs) {
            if (!isPrefix(mine, path) && !isPrefix(path, mine)) continue;
            const deeper = isPrefix(mine, path) ? path : mine;
            if (!deepEqual(getAt(old, deeper), getAt(applied, deeper))) conflicts.push({ manager: entry.manager, path: mine });
          }
        }
      }
      const unique = [...new Map(conflicts.map((c) => [`${c.manager}|${c.path}`, c])).values()];
      if (unique.length && !force) {
        const list = unique.map((c) => `conflict with "${c.manager}" using ${apiVersionOf(r.res)}: ${describePath(c.path)}`);
        throw new ApiError(
          409,
          'Conflict',
          unique.length === 1 ? `Apply failed with 1 conflict: ${list[0]}` : `Apply failed with ${unique.length} conflicts: ${list.join('\n')}`,
          {
            causes: unique.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersionOf(r.res)}`, field: describePath(c.path) })) as unknown as JsonObject[],
          },
        );
      }
      if (unique.length) {
        entries = entries.map((e) => {
          const set = fromFieldsV1(e.fieldsV1);
          for (const c of unique.filter((x) => x.manager === e.manager)) for (const p of [...set]) if (isPrefix(c.path, p) || isPrefix(p, c.path)) set.delete(p);
          return { ...e, fieldsV1: toFieldsV1(set) };
        });
        entries = entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
      }
    }
    const { status: _status, ...appliedWithoutStatus } = applied;
    const merged = (old ? applyMerge(old, appliedWithoutStatus) : structuredClone(appliedWithoutStatus)) as JsonObject;
    const previous = fromFieldsV1(entries.find((e) => e.manager === manager && e.operation === 'Apply')?.fieldsV1);
    const others = entries.filter((e) => !(e.manager === manager && e.operation === 'Apply')).map((e) => fromFieldsV1(e.fieldsV1));
    // Fields we applied before and no longer apply go, unless someone else also owns them.
    for (const path of [...previous].sort((a, b) => b.length - a.length)) {
      if (appliedSet.has(path)) continue;
      if (others.some((set) => [...set].some((p) => isPrefix(path, p) || isPrefix(p, path)))) continue;
      if ([...appliedSet].some((p) => isPrefix(path, p))) continue;
      deleteAt(merged, path);
    }
    meta(merged).managedFields = setEntry(entries, manager, 'Apply', apiVersionOf(r.res), appliedSet) as unknown as JsonObject[];
    const result = store.write(r.res, merged, old);
    return { object: result.object, created: !old };
  };

  const markDeleted = (r: Route, object: JsonObject, policy: string): JsonObject | undefined => {
    const m = meta(object);
    if (r.res.kind === 'Namespace') {
      const updated = store.writeMeta(r.res, object, { deletionTimestamp: m.deletionTimestamp ?? now() });
      store.writeStatus(r.res, updated, { phase: 'Terminating' });
      return store.get(r.res, undefined, String(m.name));
    }
    if (policy === 'Foreground') {
      const finalizers = Array.isArray(m.finalizers) ? [...m.finalizers] : [];
      if (!finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
      return store.writeMeta(r.res, object, { deletionTimestamp: m.deletionTimestamp ?? now(), finalizers });
    }
    if (policy === 'Orphan') {
        for (const { res, object: other } of store.childrenOf(m.uid)) {
        const refs = meta(other).ownerReferences as Json[];
        const kept = refs.filter((x) => !(isObject(x) && x.uid === m.uid));
        store.writeMeta(res, other, { ownerReferences: kept.length ? kept : (undefined as unknown as Json) });
      }
    }
    store.remove(r.res, object);
    return undefined;
  };

  /** The matching stored objects, not copies: they are serialized as they are. */
  const list = (r: Route, query: URLSearchParams): JsonObject[] => {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const found = store.select(r.res, r.res.namespaced ? r.namespace : undefined, labels);
    return fields.length ? found.filter((o) => matchesFields(fields, o)) : found;
  };

  const watch = (r: Route, query: URLSearchParams, res: ServerResponse): void => {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    const since = Number(query.get('resourceVersion') || 0);
    const matches = (e: StoreEvent) =>
      e.res === r.res &&
      (!r.res.namespaced || r.namespace === undefined || meta(e.object).namespace === r.namespace) &&
      (r.name === undefined || meta(e.object).name === r.name) &&
      matchesLabels(labels, meta(e.object).labels as Record<string, string>) &&
      matchesFields(fields, e.object);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // A real server answers a watch at once; clients block on the headers until then.
    res.flushHeaders();
    const write = (type: string, object: JsonObject) => res.write(`${JSON.stringify({ type, object })}\n`);
    // The watch cache keeps a window of events: older than that is 410 Expired, as an ERROR event
    // (apiserver storage/cacher/watch_cache.go, `too old resource version`).
    const oldest = store.events[0]?.rv;
    if (since && oldest !== undefined && since < oldest - 1) {
      write('ERROR', new ApiError(410, 'Expired', `too old resource version: ${since} (${oldest - 1})`).toStatus());
      res.end();
      return;
    }
    if (!since) for (const object of list(r, query)) write('ADDED', object);
    else for (const e of store.events) if (e.rv > since && matches(e)) write(e.type, e.object);
    const unsubscribe = store.subscribe((e) => {
      if (matches(e)) write(e.type, e.object);
    });
    watchers.add(res);
    const timeout = Number(query.get('timeoutSeconds') || 1800) * 1000;
    const timer = setTimeout(() => res.end(), timeout);
    timer.unref();
    res.on('close', () => {
      unsubscribe();
      clearTimeout(timer);
      watchers.delete(res);
    });
  };

  /** The `/scale` subresource (kubectl scale): a Scale object whose spec.replicas is the parent's. */
  const scale = (req: IncomingMessage, res: ServerResponse, r: Route, query: URLSearchParams, text: string): void => {
    const parent = store.get(r.res, r.namespace, r.name!);
    if (!parent) throw notFound(r.res, r.name!);
    const view = (o: JsonObject): JsonObject => {
      const m = meta(o);
      const selector = (((o.spec as JsonObject).selector as JsonObject | undefined)?.matchLabels ?? {}) as Record<string, string>;
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: m.name!, namespace: m.namespace!, uid: m.uid!, resourceVersion: m.resourceVersion!, creationTimestamp: m.creationTimestamp! },
        spec: { replicas: (o.spec as JsonObject).replicas ?? 1 },
        status: { replicas: ((o.status as JsonObject | undefined)?.replicas as number) ?? 0, selector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') },
      };
    };
    if (req.method === 'GET') return send(res, 200, view(parent));
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const body = parseBodyObject(text, contentType);
    let next: Json;
    if (req.method === 'PUT') next = body;
    else if (req.method === 'PATCH' && contentType === 'application/json-patch+json') next = jsonPatch(view(parent), body);
    else if (req.method === 'PATCH') next = mergePatch(view(parent), body);
    else throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const replicas = isObject(next) && isObject(next.spec) ? next.spec.replicas : undefined;
    if (typeof replicas !== 'number') throw new ApiError(422, 'Invalid', 'Scale.autoscaling "" is invalid: spec.replicas: Required value');
    const updated = structuredClone(parent);
    (updated.spec as JsonObject).replicas = replicas;
    meta(updated).managedFields = managedAfterUpdate(parent, updated, managerOf(query, req, 'scale'), apiVersionOf(r.res)) as unknown as JsonObject[];
    return send(res, 200, view(store.write(r.res, updated, parent).object));
  };

  const handleResource = (req: IncomingMessage, res: ServerResponse, r: Route, query: URLSearchParams, text: string): void => {
    const method = req.method ?? 'GET';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const what = qualified(r.res);
    if (r.subresource === 'scale' && SCALABLE.has(r.res.kind)) return scale(req, res, r, query, text);
    if (r.subresource && r.subresource !== 'status') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (method === 'GET' && r.name === undefined) {
      if (query.get('watch') === 'true' || query.get('watch') === '1') return watch(r, query, res);
      const items = list(r, query);
      const limit = Number(query.get('limit') || 0);
      const start = Number(query.get('continue') || 0);
      const page = limit ? items.slice(start, start + limit) : items;
      const more = limit && start + limit < items.length;
      return send(res, 200, {
        kind: `${r.res.kind}List`,
        apiVersion: apiVersionOf(r.res),
        metadata: { resourceVersion: String(store.resourceVersion), ...(more ? { continue: String(start + limit) } : {}) },
        items: page,
      });
    }
    if (method === 'GET') {
      if (query.get('watch') === 'true') return watch(r, query, res);
      const object = store.get(r.res, r.namespace, r.name!);
      if (!object) throw notFound(r.res, r.name!);
      return send(res, 200, object);
    }
    if (method === 'POST') {
      if (r.name !== undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      checkNamespace(r.namespace, true);
      const body = bodyObject(text, contentType, r);
      const m = meta(body);
      if (!m.name && typeof m.generateName === 'string') m.name = `${m.generateName}${Math.random().toString(36).slice(2, 7)}`;
      if (typeof m.name === 'string' && store.get(r.res, r.namespace, m.name)) {
        throw new ApiError(409, 'AlreadyExists', `${what} "${m.name}" already exists`, { name: m.name, ...(r.res.group ? { group: r.res.group } : {}), kind: r.res.plural });
      }
      delete m.resourceVersion;
      delete m.uid;
      const manager = managerOf(query, req, '');
      if (query.get('dryRun') === 'All') return send(res, 201, body);
      // The creator owns every field of the object as stored, defaults included (as on a real server).
      const draft = applyDefaults(structuredClone(body));
      meta(draft).managedFields = managedAfterUpdate(undefined, draft, manager, apiVersionOf(r.res)) as unknown as JsonObject[];
      return send(res, 201, store.write(r.res, draft, undefined).object);
    }
    if (r.name === undefined) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (method === 'PUT') {
      const body = bodyObject(text, contentType, r);
      const old = store.get(r.res, r.namespace, r.name);
      if (!old) throw notFound(r.res, r.name);
      const rv = meta(body).resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== meta(old).resourceVersion) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`, {
          name: r.name,
          ...(r.res.group ? { group: r.res.group } : {}),
          kind: r.res.plural,
        });
      }
      meta(body).name = r.name;
      if (r.subresource === 'status') {
        store.writeStatus(r.res, old, (body.status as JsonObject) ?? {});
        return send(res, 200, store.get(r.res, r.namespace, r.name));
      }
      const next = structuredClone(body);
      delete meta(next).managedFields;
      meta(next).managedFields = managedAfterUpdate(old, { ...next, status: old.status ?? null }, managerOf(query, req, 'update'), apiVersionOf(r.res)) as unknown as JsonObject[];
      return send(res, 200, store.write(r.res, next, old).object);
    }
    if (method === 'PATCH') {
      if (contentType === 'application/apply-patch+yaml') {
        const manager = query.get('fieldManager');
        if (!manager) throw new ApiError(400, 'BadRequest', 'PATCH /apply requires fieldManager to be set');
        const applied = bodyObject(text, contentType, r);
        if (!applied.apiVersion || !applied.kind) throw new ApiError(400, 'BadRequest', 'apiVersion and kind must be set in an apply patch');
        const { object, created } = serverSideApply(r, applied, manager, query.get('force') === 'true');
        return send(res, created ? 201 : 200, object);
      }
      const old = store.get(r.res, r.namespace, r.name);
      if (!old) throw notFound(r.res, r.name);
      const patch = parseBodyObject(text, 'json');
      let next: Json;
      try {
        if (contentType === 'application/merge-patch+json') next = mergePatch(old, patch);
        else if (contentType === 'application/strategic-merge-patch+json') next = strategicMergePatch(old, patch);
        else if (contentType === 'application/json-patch+json') next = jsonPatch(old, patch);
        else throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      } catch (error) {
        if (error instanceof PatchError) throw new ApiError(422, 'Invalid', error.message);
        throw error;
      }
      if (!isObject(next)) throw new ApiError(422, 'Invalid', 'the patch did not produce an object');
      const rv = meta(next).resourceVersion;
      if (rv !== undefined && rv !== meta(old).resourceVersion) {
        throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
      if (r.subresource === 'status') {
        store.writeStatus(r.res, old, (next.status as JsonObject) ?? {});
        return send(res, 200, store.get(r.res, r.namespace, r.name));
      }
      meta(next).name = r.name;
      const manager = managerOf(query, req, contentType === 'application/strategic-merge-patch+json' ? 'patch' : 'patch');
      meta(next).managedFields = managedAfterUpdate(old, next, manager, apiVersionOf(r.res)) as unknown as JsonObject[];
      return send(res, 200, store.write(r.res, next, old).object);
    }
    if (method === 'DELETE') {
      const old = store.get(r.res, r.namespace, r.name);
      if (!old) throw notFound(r.res, r.name);
      let policy = query.get('propagationPolicy') ?? undefined;
      if (text.trim()) {
        const options = parseBodyObject(text, 'json');
        if (isObject(options) && typeof options.propagationPolicy === 'string') policy ??= options.propagationPolicy;
        if (isObject(options) && options.orphanDependents === true) policy ??= 'Orphan';
      }
      if (policy && !['Foreground', 'Background', 'Orphan'].includes(policy)) {
        throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}"`);
      }
      const pending = markDeleted(r, old, policy ?? 'Background');
      if (pending) return send(res, 200, pending);
      return send(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name: r.name, ...(r.res.group ? { group: r.res.group } : {}), kind: r.res.plural, uid: meta(old).uid },
      });
    }
    throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  };

  let url = '';
  const handler: Handler = (req, res) => {
    void (async () => {
      const parsed = new URL(req.url ?? '/', 'http://fake');
      const text = await readBody(req);
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        contentType: req.headers['content-type'],
        userAgent: req.headers['user-agent'],
        body: text || undefined,
        status: 0,
      };
      requests.push(record);
      const reply = (status: number, body: unknown) => {
        record.status = status;
        send(res, status, body);
      };
      res.on('finish', () => {
        record.status ||= res.statusCode;
      });
      try {
        if (['/healthz', '/livez', '/readyz'].includes(parsed.pathname)) return reply(200, 'ok');
        if (credentialMode === 'unauthorized' || !authenticated(req)) return reply(401, unauthorized().toStatus());
        const path = parsed.pathname.replace(/\/+$/, '') || '/';
        if (credentialMode === 'forbidden') {
          const r = route(path, served);
          const attributes = r && r !== 'discovery' ? { group: r.res.group, plural: r.res.plural, namespace: r.namespace, name: r.name } : { group: '', plural: path };
          return reply(403, forbidden({ method: record.method, watch: parsed.searchParams.get('watch') === 'true', ...attributes }).toStatus());
        }
        if (path === '/version') return reply(200, { major: '1', minor: '32', gitVersion: 'v1.32.0-fake', gitCommit: '0000000', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
        if (path === '/api') return reply(200, apiVersions(new URL(url).host));
        if (path === '/apis') return reply(200, apiGroupList(served));
        if (path === '/openapi/v3') return reply(200, openApiRoot(served));
        if (path.startsWith('/openapi/v3/')) {
          const parts = path.slice('/openapi/v3/'.length).split('/');
          const doc = parts[0] === 'api' ? openApiGroupVersion('', parts[1] ?? '', served) : openApiGroupVersion(parts[1] ?? '', parts[2] ?? '', served);
          return doc ? reply(200, doc) : reply(404, '404 page not found\n');
        }
        const r = route(path, served);
        if (r === 'discovery') {
          const parts = path.split('/').filter(Boolean);
          const doc = parts[0] === 'api' ? resourceList('', parts[1]!, served) : resourceList(parts[1]!, parts[2]!, served);
          return doc ? reply(200, doc) : reply(404, '404 page not found\n');
        }
        if (!r) return reply(404, '404 page not found\n');
        // Routes answer through `send` or a watch stream; record the status they pick.
        const originalWriteHead = res.writeHead.bind(res);
        res.writeHead = ((status: number, ...rest: unknown[]) => {
          record.status = status;
          return (originalWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest);
        }) as typeof res.writeHead;
        const fault = MUTATING.has(record.method) ? faults?.next() : undefined;
        if (fault === 'refused') return reply(503, serviceUnavailable().toStatus());
        if (fault === 'dropped') {
          record.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault === 'applied') {
          // The write happens (or fails on its own); whatever it answered is lost behind a timeout.
          const { writeHead, end } = res;
          res.writeHead = (() => res) as typeof res.writeHead;
          res.end = (() => res) as typeof res.end;
          try {
            handleResource(req, res, r, parsed.searchParams, text);
          } catch {
            // Not applied after all: the client cannot tell either way.
          }
          res.writeHead = writeHead;
          res.end = end;
          return reply(504, requestTimeout().toStatus());
        }
        handleResource(req, res, r, parsed.searchParams, text);
      } catch (error) {
        if (error instanceof ApiError) return reply(error.code, error.toStatus());
        if (error instanceof SelectorError) return reply(400, new ApiError(400, 'BadRequest', `unable to parse requirement: ${error.message}`).toStatus());
        reply(500, new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`).toStatus());
      }
    })();
  };

  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert, ca: options.tls.clientCa, requestCert: Boolean(options.tls.clientCa), rejectUnauthorized: false }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  controllers.start(options.controllerIntervalMs ?? 10);

  const kindRes = (kind: string) => {
    const res = served.find((x) => x.kind === kind);
    if (!res) throw new Error(`fake kubernetes: unknown kind ${kind}`);
    return res;
  };

  return {
    url,
    token,
    requests,
    tokens,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    mutatingRequests: () => requests.filter((r) => MUTATING.has(r.method)).length,
    resetLog() {
      requests.length = 0;
    },
    faultWrites(rate, seed = 1) {
      faults = rate > 0 ? new WriteFaults(rate, seed) : undefined;
    },
    faultCounts: () => ({ ...(faults?.counts ?? { refused: 0, dropped: 0, applied: 0 }) }),
    credentials(mode) {
      credentialMode = mode;
    },
    objects(filter = {}) {
      const labels = parseLabelSelector(filter.labelSelector);
      return store
        .all()
        .filter(({ res, object }) => (!filter.kind || res.kind === filter.kind) && (!filter.namespace || meta(object).namespace === filter.namespace))
        .filter(({ object }) => matchesLabels(labels, meta(object).labels as Record<string, string>))
        .map(({ object }) => object);
    },
    get: (kind, namespace, name) => store.get(kindRes(kind), namespace, name),
    seed(object) {
      const res = served.find((x) => x.kind === object.kind && apiVersionOf(x) === object.apiVersion);
      if (!res) throw new Error(`fake kubernetes: unknown ${String(object.apiVersion)} ${String(object.kind)}`);
      const m = meta(object);
      const old = store.get(res, m.namespace as string | undefined, String(m.name));
      const next = structuredClone(object);
      meta(next).managedFields = managedAfterUpdate(old, next, 'kubectl-create', apiVersionOf(res)) as unknown as JsonObject[];
      return store.write(res, next, old).object;
    },
    controllerQueue: () => controllers.pending(),
    plant(object, { manager = 'preview-kit', createdAt } = {}) {
      const res = served.find((x) => x.kind === object.kind && apiVersionOf(x) === object.apiVersion);
      if (!res) throw new Error(`fake kubernetes: unknown ${String(object.apiVersion)} ${String(object.kind)}`);
      const next = structuredClone(object);
      const entry: ManagedEntry = { manager, operation: 'Apply', apiVersion: apiVersionOf(res), time: createdAt ?? now(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(fieldSet(next)) };
      meta(next).managedFields = [entry] as unknown as JsonObject[];
      return store.write(res, next, undefined, { createdAt }).object;
    },
    failRollout(name, reason = 'ImagePullBackOff', message) {
      const failure: Failure = {
        reason,
        message:
          message ??
          (reason === 'CrashLoopBackOff'
            ? 'back-off 40s restarting failed container=app'
            : `Back-off pulling image: rpc error: code = NotFound desc = failed to pull and unpack image`),
      };
      controllers.failures.set(name, failure);
      controllers.touchAll();
    },
    healRollout(name) {
      controllers.failures.delete(name);
      controllers.touchAll();
    },
    async close() {
      controllers.stop();
      for (const w of watchers) w.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

