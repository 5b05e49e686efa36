/**
 * What the fake rack remembers, and the JSON shapes the real rack answers with (pkg/structs:
 * App, Build, Release, Service; Go's time.Time as RFC 3339, the zero time when unset).
 */
import { randomInt } from 'node:crypto';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `B` or `R` then ten capital letters, as the rack makes build and release ids. */
export function rackId(prefix: 'B' | 'R'): string {
  let id = prefix;
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export interface ReleaseRecord {
  id: string;
  app: string;
  build: string;
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

export interface AppRecord {
  name: string;
  generation: string;
  locked: boolean;
  status: string;
  /** Promoted release. */
  release: string;
  parameters: Record<string, string>;
  /** Oldest first. */
  releases: ReleaseRecord[];
  /** Oldest first. */
  builds: BuildRecord[];
  /** Promotions asked for, in order (release ids). */
  promotions: string[];
}

export function appJson(app: AppRecord): Record<string, unknown> {
  return {
    generation: app.generation,
    locked: app.locked,
    name: app.name,
    release: app.release,
    router: '',
    status: app.status,
    parameters: app.parameters,
  };
}

export function buildJson(b: BuildRecord): Record<string, unknown> {
  return {
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
    repository: b.repository,
    status: b.status,
    started: b.started,
    ended: b.ended,
  };
}

export function releaseJson(r: ReleaseRecord): Record<string, unknown> {
  return { id: r.id, app: r.app, build: r.build, env: r.env, manifest: r.manifest, description: r.description, created: r.created };
}

/** The rack's env parsing: KEY=VALUE per line, first `=` splits. */
export function parseEnvText(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim()) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** The description the rack gives an env-only release (common.EnvDiff): `env add:A change:B remove:C`. */
export function envDiffDescription(before: string, after: string): string {
  const a = parseEnvText(before);
  const b = parseEnvText(after);
  const add = Object.keys(b).filter((k) => !(k in a)).sort();
  const change = Object.keys(b).filter((k) => k in a && a[k] !== b[k]).sort();
  const remove = Object.keys(a).filter((k) => !(k in b)).sort();
  const parts = [
    ...(add.length ? [`add:${add.join(',')}`] : []),
    ...(change.length ? [`change:${change.join(',')}`] : []),
    ...(remove.length ? [`remove:${remove.join(',')}`] : []),
  ];
  return parts.length ? `env ${parts.join(' ')}` : '';
}
