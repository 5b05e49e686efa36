/**
 * Field paths and field sets, the way server-side apply tracks ownership: a path is a list of
 * segments, `f:<field>` into a map or `k:{"name":"app"}` into a list element identified by its
 * merge key. Lists without a known merge key are atomic: the whole list is one field. Sets are
 * rendered as `fieldsV1` trees in `metadata.managedFields`.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Merge keys of the associative lists the fake knows (by field name, as the schemas declare them). */
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  ports: ['containerPort', 'port'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  hostAliases: ['ip'],
};

export function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The merge key field of a list element, or undefined when the list is atomic. */
export function mergeKeyOf(field: string, element: unknown): string | undefined {
  const keys = MERGE_KEYS[field];
  if (!keys || !isObject(element)) return undefined;
  return keys.find((k) => element[k] !== undefined && element[k] !== null);
}

export function keySegment(keyField: string, element: JsonObject): string {
  return `k:${JSON.stringify({ [keyField]: element[keyField] })}`;
}

/** Whether every element of the list can be identified by a merge key. */
export function isAssociative(field: string, list: Json[]): boolean {
  return list.length > 0 && list.every((e) => mergeKeyOf(field, e) !== undefined);
}

/** Fields of the top level and of metadata that the server manages, never part of a field set. */
const SERVER_TOP = new Set(['apiVersion', 'kind', 'status']);
const SERVER_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName']);

const SEP = '\u0000';
export const joinPath = (segments: string[]): string => segments.join(SEP);
export const splitPath = (path: string): string[] => (path === '' ? [] : path.split(SEP));

/**
 * Leaf paths of an object, plus element nodes (paths ending in a `k:` segment) so that removing an
 * element we no longer apply removes it whole.
 */
export function fieldSet(object: JsonObject): Set<string> {
  const out = new Set<string>();
  const walk = (value: Json, segments: string[], field: string) => {
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (!keys.length) out.add(joinPath(segments));
      for (const k of keys) {
        if (segments.length === 0 && SERVER_TOP.has(k)) continue;
        if (segments.length === 1 && segments[0] === 'f:metadata' && SERVER_META.has(k)) continue;
        walk(value[k]!, [...segments, `f:${k}`], k);
      }
      return;
    }
    if (Array.isArray(value) && isAssociative(field, value)) {
      for (const element of value) {
        const seg = [...segments, keySegment(mergeKeyOf(field, element)!, element as JsonObject)];
        out.add(joinPath(seg));
        walk(element, seg, '');
      }
      return;
    }
    out.add(joinPath(segments));
  };
  walk(object, [], '');
  out.delete('');
  return out;
}

function fieldName(segment: string): string {
  return segment.startsWith('f:') ? segment.slice(2) : '';
}

/** The value at a path, or undefined. */
export function getAt(object: Json, path: string): Json | undefined {
  let cur: Json | undefined = object;
  let field = '';
  for (const seg of splitPath(path)) {
    if (cur === undefined || cur === null) return undefined;
    if (seg.startsWith('f:')) {
      if (!isObject(cur)) return undefined;
      field = fieldName(seg);
      cur = cur[field];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const key = JSON.parse(seg.slice(2)) as JsonObject;
      const [k, v] = Object.entries(key)[0]!;
      cur = cur.find((e) => isObject(e) && e[k] === v);
    }
  }
  return cur;
}

/** Removes the value at a path (a map key or a list element); prunes maps left empty by it. */
export function deleteAt(object: JsonObject, path: string): void {
  const segments = splitPath(path);
  const parents: Array<{ holder: Json; seg: string }> = [];
  let cur: Json | undefined = object;
  for (const seg of segments) {
    parents.push({ holder: cur as Json, seg });
    cur = getAt(cur as Json, joinPath([seg]));
    if (cur === undefined) return;
  }
  for (let i = parents.length - 1; i >= 0; i--) {
    const { holder, seg } = parents[i]!;
    if (seg.startsWith('f:') && isObject(holder)) delete holder[fieldName(seg)];
    else if (Array.isArray(holder)) {
      const [k, v] = Object.entries(JSON.parse(seg.slice(2)) as JsonObject)[0]!;
      const idx = holder.findIndex((e) => isObject(e) && e[k] === v);
      if (idx >= 0) holder.splice(idx, 1);
    }
    // Stop unless the parent became an empty map (which was only there to hold what we removed).
    if (i === 0) break;
    const parent = parents[i - 1]!;
    const parentValue = getAt(parent.holder, joinPath([parent.seg]));
    if (!(isObject(parentValue) && Object.keys(parentValue).length === 0)) break;
  }
}

/** `.spec.template.spec.containers[name="app"].image`, as the API writes field paths. */
export function describePath(path: string): string {
  return splitPath(path)
    .map((seg) => {
      if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
      const [k, v] = Object.entries(JSON.parse(seg.slice(2)) as JsonObject)[0]!;
      return `[${k}=${JSON.stringify(v)}]`;
    })
    .join('');
}

/** The `fieldsV1` tree of a set. */
export function toFieldsV1(set: Set<string>): JsonObject {
  const root: JsonObject = {};
  for (const path of [...set].sort()) {
    let node = root;
    const segments = splitPath(path);
    segments.forEach((seg, i) => {
      node[seg] ??= {};
      node = node[seg] as JsonObject;
      if (i === segments.length - 1 && seg.startsWith('k:')) node['.'] = {};
    });
  }
  return root;
}

/** The set back from a `fieldsV1` tree. */
export function fromFieldsV1(tree: JsonObject | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: JsonObject, segments: string[]) => {
    const keys = Object.keys(node).filter((k) => k !== '.');
    if ('.' in node) out.add(joinPath(segments));
    if (!keys.length && segments.length) out.add(joinPath(segments));
    for (const k of keys) walk(node[k] as JsonObject, [...segments, k]);
  };
  if (tree) walk(tree, []);
  return out;
}

export function isPrefix(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(prefix + SEP);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** Every leaf path whose value differs between two objects (added, changed or removed). */
export function changedLeaves(before: JsonObject, after: JsonObject): { changed: Set<string>; removed: Set<string> } {
  const a = fieldSet(before);
  const b = fieldSet(after);
  const changed = new Set<string>();
  const removed = new Set<string>();
  for (const p of b) {
    // An element node changes hands only when the element is new; its fields are tracked one by one.
    const elementNode = splitPath(p).at(-1)?.startsWith('k:');
    if (!a.has(p) || (!elementNode && !deepEqual(getAt(before, p), getAt(after, p)))) changed.add(p);
  }
  for (const p of a) if (!b.has(p)) removed.add(p);
  return { changed, removed };
}
