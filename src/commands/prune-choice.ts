/**
 * What `prune` decides, without doing it: which previews of the project go (their branch is gone,
 * their pull request is not open, no deployment for longer than --ttl, over --max), which go to
 * sleep (idle longer than --sleep-after) and which stay. Pure, so the rules are tested on their own.
 */
import { sameProject } from '../core/identity.js';
import type { Preview } from '../providers/types.js';

/** `90m` → `1h30m`, `7d` → `7d`: the way people write --ttl. */
export function durationText(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}

/**
 * The previews of one project. Names cannot tell `shop` + branch `api-x` from `shop-api` + branch
 * `x`, so only the identity recorded on a preview decides; a preview without one is never judged.
 */
export function previewsOfProject(previews: Preview[], app: string, prefix?: string): Preview[] {
  return previews.filter((p) => p.identity !== undefined && sameProject(p.identity, app, prefix));
}

/** `--keep` entries: branch names, and pull/merge request numbers written `#42`, `!42` or `42`. */
export interface KeepList {
  branches: Set<string>;
  prs: Set<number>;
}

export function parseKeep(entries: string[]): KeepList {
  const out: KeepList = { branches: new Set(), prs: new Set() };
  for (const entry of entries) {
    const number = /^[#!]?(\d{1,15})$/.exec(entry);
    if (number) out.prs.add(Number(number[1]));
    // A bare number may also be a branch's name: keeping more is the safe way to be wrong.
    if (!number || /^\d+$/.test(entry)) out.branches.add(entry);
  }
  return out;
}

/** A preview survives `--keep` when its recorded branch, or its pull request, is listed. */
export function isKept(preview: Preview, keep: KeepList): boolean {
  const id = preview.identity;
  if (!id) return true;
  if (id.pr !== undefined) return keep.prs.has(id.pr);
  return id.branch !== undefined && keep.branches.has(id.branch);
}

/** When the preview was last deployed — else created — in ms; undefined when the platform says neither. */
export function lastActivity(preview: Preview): number | undefined {
  const at = preview.lastDeployedAt ?? preview.lastDeployment?.createdAt ?? preview.createdAt;
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function createdAt(preview: Preview): number | undefined {
  const ms = preview.createdAt ? Date.parse(preview.createdAt) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export interface PruneOptions {
  keep?: string[];
  ttlMs?: number;
  /** `deployed` (default): --ttl is time without a deployment; `created`: time since creation. */
  ttlFrom?: 'deployed' | 'created';
  sleepAfterMs?: number;
  max?: number;
  now: number;
}

export interface PruneChoice {
  remove: Array<{ preview: Preview; why: string }>;
  sleep: Array<{ preview: Preview; why: string }>;
  keep: Preview[];
}

/**
 * Which previews to remove: those whose branch is not in `keep` (when a keep list is given), those
 * not deployed for longer than the TTL (or created longer ago, with `ttlFrom: created`), then the
 * least recently deployed beyond `max`; which to put to sleep: awake previews not deployed for
 * longer than `sleepAfterMs`. A preview whose times the platform does not tell is never judged by age.
 */
export function choosePrunes(previews: Preview[], options: PruneOptions): PruneChoice {
  const remove = new Map<string, { preview: Preview; why: string }>();
  const sleep = new Map<string, { preview: Preview; why: string }>();
  const keep = options.keep && options.keep.length > 0 ? parseKeep(options.keep) : undefined;
  const byCreation = options.ttlFrom === 'created';
  const idle = (p: Preview) => {
    const at = lastActivity(p);
    return at === undefined ? 0 : options.now - at;
  };
  for (const p of previews) {
    const ttlAge = byCreation ? (createdAt(p) === undefined ? 0 : options.now - createdAt(p)!) : idle(p);
    if (keep && !isKept(p, keep)) {
      remove.set(p.name, { preview: p, why: p.identity?.pr !== undefined ? `pull request #${p.identity.pr} is not open` : 'branch is gone' });
    } else if (options.ttlMs !== undefined && ttlAge > options.ttlMs) {
      remove.set(p.name, { preview: p, why: byCreation ? `created more than ${durationText(options.ttlMs)} ago` : `not deployed for more than ${durationText(options.ttlMs)}` });
    } else if (options.sleepAfterMs !== undefined && p.state !== 'sleeping' && idle(p) > options.sleepAfterMs) {
      sleep.set(p.name, { preview: p, why: `not deployed for more than ${durationText(options.sleepAfterMs)}` });
    }
  }
  if (options.max !== undefined) {
    const left = previews.filter((p) => !remove.has(p.name)).sort((a, b) => idle(b) - idle(a) || a.name.localeCompare(b.name));
    for (const p of left.slice(0, Math.max(0, left.length - options.max))) {
      sleep.delete(p.name);
      remove.set(p.name, { preview: p, why: `over --max ${options.max}` });
    }
  }
  return { remove: [...remove.values()], sleep: [...sleep.values()], keep: previews.filter((p) => !remove.has(p.name) && !sleep.has(p.name)) };
}
