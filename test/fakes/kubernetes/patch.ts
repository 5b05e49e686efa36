/**
 * The patch flavours the API server accepts: JSON merge patch (RFC 7386), strategic merge patch
 * (merge-keyed lists, `$patch` and `$setElementOrder` directives — what kubectl sends) and JSON
 * patch (RFC 6902), plus the merge step of server-side apply.
 */
import { isAssociative, isObject, mergeKeyOf, type Json, type JsonObject } from './fields.js';

export class PatchError extends Error {}

export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function sameKey(keyField: string, a: Json, b: Json): boolean {
  return isObject(a) && isObject(b) && a[keyField] === b[keyField];
}

export function strategicMergePatch(target: Json | undefined, patch: Json, field = ''): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return null;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const name = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[name]) && Array.isArray(v)) out[name] = (out[name] as Json[]).filter((x) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      const current = Array.isArray(out[k]) ? (out[k] as Json[]) : [];
      const keyed = v.length > 0 && v.every((e) => mergeKeyOf(k, e) !== undefined || (isObject(e) && e.$patch === 'delete'));
      if (keyed && (current.length === 0 || isAssociative(k, current))) {
        let list = [...current];
        for (const element of v) {
          const keyField = mergeKeyOf(k, element) ?? Object.keys(element as JsonObject).find((x) => x !== '$patch')!;
          const idx = list.findIndex((e) => sameKey(keyField, e, element));
          if (isObject(element) && element.$patch === 'delete') {
            if (idx >= 0) list.splice(idx, 1);
            continue;
          }
          if (idx >= 0) list[idx] = strategicMergePatch(list[idx], element, k);
          else list.push(strategicMergePatch(undefined, element, k));
        }
        const order = patch[`$setElementOrder/${k}`];
        if (Array.isArray(order) && order.length) {
          const keyField = mergeKeyOf(k, order[0]) ?? Object.keys(order[0] as JsonObject)[0]!;
          const ranked = (e: Json) => {
            const i = order.findIndex((o) => sameKey(keyField, o, e));
            return i < 0 ? order.length : i;
          };
          list = list.map((e, i) => ({ e, i })).sort((a, b) => ranked(a.e) - ranked(b.e) || a.i - b.i).map((x) => x.e);
        }
        out[k] = list;
      } else {
        out[k] = structuredClone(v).filter((e) => !(isObject(e) && e.$patch === 'delete'));
      }
      continue;
    }
    const merged = strategicMergePatch(out[k], v, k);
    if (merged === null) delete out[k];
    else out[k] = merged;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  void field;
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[]): { parent: Json; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)]!;
    else if (isObject(cur)) cur = cur[p]!;
    else throw new PatchError(`path not found: /${parts.join('/')}`);
    if (cur === undefined) throw new PatchError(`path not found: /${parts.join('/')}`);
  }
  return { parent: cur, key: parts[parts.length - 1]! };
}

export function jsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations');
  let out = structuredClone(doc);
  for (const raw of ops) {
    if (!isObject(raw)) throw new PatchError('invalid operation');
    const op = raw as { op?: string; path?: string; value?: Json; from?: string };
    const parts = pointer(op.path ?? '');
    const read = (p: string[]) => {
      let cur: Json | undefined = out;
      for (const x of p) cur = Array.isArray(cur) ? cur[Number(x)] : isObject(cur) ? cur[x] : undefined;
      return cur;
    };
    const write = (p: string[], value: Json, insert: boolean) => {
      if (!p.length) {
        out = value;
        return;
      }
      const { parent, key } = parentOf(out, p);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (insert) parent.splice(i, 0, value);
        else parent[i] = value;
      } else if (isObject(parent)) parent[key] = value;
      else throw new PatchError(`path not found: ${op.path}`);
    };
    const remove = (p: string[]) => {
      const { parent, key } = parentOf(out, p);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else if (isObject(parent) && key in parent) delete parent[key];
      else throw new PatchError(`unable to remove nonexistent key: ${key}`);
    };
    switch (op.op) {
      case 'add':
        write(parts, structuredClone(op.value ?? null), true);
        break;
      case 'replace':
        if (read(parts) === undefined) throw new PatchError(`replace operation does not apply: doc is missing path: ${op.path}`);
        write(parts, structuredClone(op.value ?? null), false);
        break;
      case 'remove':
        remove(parts);
        break;
      case 'test':
        if (JSON.stringify(read(parts)) !== JSON.stringify(op.value)) throw new PatchError(`testing value ${op.path} failed`);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(op.from ?? '');
        const value = structuredClone(read(from));
        if (value === undefined) throw new PatchError(`path not found: ${op.from}`);
        if (op.op === 'move') remove(from);
        write(parts, value, true);
        break;
      }
      default:
        throw new PatchError(`unexpected kind: ${op.op}`);
    }
  }
  return out;
}

/** Server-side apply's merge: maps merge, associative lists merge by key, everything else is replaced. */
export function applyMerge(live: Json | undefined, applied: Json, field = ''): Json {
  if (isObject(applied)) {
    const out: JsonObject = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) continue;
      out[k] = applyMerge(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(applied) && isAssociative(field, applied) && Array.isArray(live) && (live.length === 0 || isAssociative(field, live))) {
    const list = [...live];
    for (const element of applied) {
      const keyField = mergeKeyOf(field, element)!;
      const idx = list.findIndex((e) => sameKey(keyField, e, element));
      if (idx >= 0) list[idx] = applyMerge(list[idx], element, field);
      else list.push(structuredClone(element));
    }
    return list;
  }
  return structuredClone(applied);
}
