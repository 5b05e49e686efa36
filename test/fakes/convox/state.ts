/**
 * What the fake rack remembers, and the JSON shapes the real rack answers with (pkg/structs:
 * App, Build, Release, Service; Go's time.Time as RFC 3339, the zero time when unset).
 */
import { randomInt } from 'node:crypto';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `B` or `R` then ten capital letters, as `structs.id(prefix, 10)` makes build and release ids. */
export function rackId(prefix: 'B' | 'R'): string {
  let id = prefix;
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export interface ReleaseRecord {
  id: string;
  app: string;
  build: string;
  /** As it was sent (v3 keeps it verbatim; v2 answers it normalised). */
  env: string;
  manifest: string;
  description: string;
  created: string;
}

export interface BuildRecord {
  id: string;
  app: string;
  description: string;
  entrypoint: string;
  gitSha: string;
  logs: string;
  manifest: string;
  process: string;
  release: string;
  reason: string;
  repository: string;
  status: 'created' | 'running' | 'complete' | 'failed';
  started: string;
  ended: string;
  /** Object URL of the source, and the manifest path asked for (not part of the rack's JSON). */
  url: string;
  manifestPath: string;
}

/** A service's scale: v2 the `<Service>Formation` stack parameter (`count,cpu,memory`), v3 the Deployment. */
export interface ServiceScale {
  count: number;
  cpu: number;
  memory: number;
}

export interface AppRecord {
  name: string;
  generation: string;
  locked: boolean;
  status: string;
  /** The release the app runs (v2: the stack's `Release` output; v3: the atom's current version). */
  release: string;
  parameters: Record<string, string>;
  /** Oldest first. */
  releases: ReleaseRecord[];
  /** Oldest first. */
  builds: BuildRecord[];
  /** Promotions the rack accepted, in order (release ids). */
  promotions: string[];
  /** Running count of each service of the live release (see scale.ts for where each generation keeps it). */
  scale: Record<string, ServiceScale>;
  /** v3: instances of a scale-down still terminating (pods in their grace period), until `until` (ms). */
  draining: Array<{ service: string; count: number; until: number }>;
}

export function buildJson(b: BuildRecord, generation: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: b.id,
    app: b.app,
    description: b.description,
    entrypoint: b.entrypoint,
    'git-sha': b.gitSha,
    logs: b.logs,
    manifest: b.manifest,
    process: b.process,
    release: b.release,
    reason: b.reason,
    status: b.status,
    started: b.started,
    ended: b.ended,
  };
  // v2 structs.Build has `wildcard-domain`, v3 has `repository`.
  if (generation === '2') out['wildcard-domain'] = false;
  else out.repository = b.repository;
  return out;
}

/** The rack's env parsing (`structs.Environment.Load`): KEY=VALUE per line, first `=` splits, keys trimmed. */
export function parseEnvText(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim()) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** `structs.Environment.String`: sorted `KEY=VALUE` lines joined by `\n`, no trailing newline. */
export function formatEnvText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
}

/** `EnvDiff` of both racks: ` add:A add:B change:C remove:D`, trimmed. */
export function envDiff(before: string, after: string): string {
  const a = parseEnvText(before.trim());
  const b = parseEnvText(after.trim());
  const add = Object.keys(b).filter((k) => !(k in a)).sort();
  const change = Object.keys(b).filter((k) => k in a && a[k] !== b[k]).sort();
  const remove = Object.keys(a).filter((k) => !(k in b)).sort();
  return [...add.map((k) => `add:${k}`), ...change.map((k) => `change:${k}`), ...remove.map((k) => `remove:${k}`)].join(' ');
}
