/**
 * Shared pieces of the Convox tests: a logger that keeps its lines, throw-away git repositories,
 * and a provider wired to a fake rack with short polling delays.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import type { Logger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { ConvoxProvider, type ConvoxTuning } from '../../../src/providers/convox/provider.js';
import { IDENTITY_KEY, KEY_KEY, OWNER_KEY } from '../../../src/providers/convox/env.js';
import type { ConvoxSettings } from '../../../src/providers/convox/settings.js';
import type { PreviewRef, PreviewSpec, ProviderContext } from '../../../src/providers/types.js';
import { afterEach, beforeEach } from 'vitest';
import { startFakeRack, type FakeRack, type FakeRackOptions, type Generation } from '../../fakes/convox/server.js';

/** Both rack generations: every provider test runs against each. */
export const GENERATIONS: Array<{ generation: Generation; label: string }> = [
  { generation: '2', label: 'v2 rack (AWS)' },
  { generation: '3', label: 'v3 rack (Kubernetes)' },
];

export const FAST: Partial<ConvoxTuning> = { pollInitialMs: 5, pollMaxMs: 25, httpBackoffMs: 5 };

export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  readonly redactor = new Redactor();
  private push(level: string, message: string) {
    this.lines.push(`${level}: ${this.redactor.redact(message)}`);
  }
  info(m: string) {
    this.push('info', m);
  }
  warn(m: string) {
    this.push('warn', m);
  }
  error(m: string) {
    this.push('error', m);
  }
  debug(m: string) {
    this.push('debug', m);
  }
  progress() {}
  async group<T>(_title: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  addSecret(secret: string | undefined) {
    this.redactor.add(secret);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' },
  }).trim();
}

export type RepoFile = string | { content: string; mode?: number } | { symlink: string };

export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'pk-convox-'));
  constructor(files: Record<string, RepoFile>) {
    git(this.dir, 'init', '-q', '-b', 'main');
    this.write(files);
  }
  write(files: Record<string, RepoFile>): void {
    for (const [path, file] of Object.entries(files)) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      if (typeof file === 'string') writeFileSync(full, file);
      else if ('symlink' in file) symlinkSync(file.symlink, full);
      else {
        writeFileSync(full, file.content);
        if (file.mode) chmodSync(full, file.mode);
      }
    }
  }
  /** Commits everything and answers the full SHA. */
  commit(message = 'change'): string {
    git(this.dir, 'add', '-A');
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message);
    return git(this.dir, 'rev-parse', 'HEAD');
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const APP_FILES: Record<string, RepoFile> = {
  'convox.yml': 'services:\n  web:\n    build: .\n    port: 3000\n    domain: ${PREVIEW_HOST}\n  worker:\n    build: .\n',
  Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node", "app.js"]\n',
  '.dockerignore': '# not in the image\nnode_modules\n*.log\n!keep.log\n',
  'app.js': 'console.log("hello")\n',
  'node_modules/left/index.js': 'module.exports = 1\n',
  'debug.log': 'noise\n',
  'keep.log': 'kept on purpose\n',
};

export function settingsFor(rack: FakeRack, extra: Partial<ConvoxSettings> = {}): ConvoxSettings {
  return { rackUrl: rack.url, password: rack.password, domainEnv: 'PREVIEW_HOST', claimWaitMs: 300, ...extra };
}

export const IDENTITY: PreviewIdentity = { project: 'shop', branch: 'feature/cart' };

export function refFor(name: string, identity: PreviewIdentity = IDENTITY): PreviewRef {
  return { name, identity, key: identityKey(identity) };
}

/** The env vars that mark an app as the preview of `identity` (what `ensure` writes). */
export function marksFor(name: string, identity: PreviewIdentity = IDENTITY): Record<string, string> {
  return { [OWNER_KEY]: `preview-kit:${name}`, [KEY_KEY]: identityKey(identity), [IDENTITY_KEY]: identityJson(identity) };
}

export function specFor(name: string, extra: Partial<PreviewSpec> = {}): PreviewSpec {
  const identity = extra.identity ?? IDENTITY;
  return { name, identity, key: identityKey(identity), env: { NODE_ENV: 'preview' }, domains: [`${name}.preview.example.test`], favourite: false, healthPath: '/', ...extra };
}

export interface Harness {
  provider: ConvoxProvider;
  context: ProviderContext;
  logger: MemoryLogger;
}

export function harness(settings: ConvoxSettings, options: { adopt?: boolean; dryRun?: boolean; timeoutMs?: number } = {}): Harness {
  const logger = new MemoryLogger();
  const context: ProviderContext = {
    logger,
    deadline: new Deadline(options.timeoutMs ?? 20_000),
    plan: new Plan(options.dryRun ?? false),
    adopt: options.adopt ?? false,
  };
  return { provider: new ConvoxProvider(settings, context, FAST), context, logger };
}

/** ensure + set-domain + deploy, as `preview-kit up` chains them. */
export async function up(h: Harness, spec: PreviewSpec, source: { dir: string; commit: string; force?: boolean }) {
  const ensured = await h.provider.ensure(spec);
  const domains = spec.domains.length ? await h.provider.setDomains(ensured.preview, spec) : { changed: false, domains: ensured.preview.domains };
  const deployed = await h.provider.deploy(ensured.preview, spec, { dir: source.dir, commit: source.commit, force: source.force ?? false });
  return { ensured, domains, deployed };
}

/**
 * For each test: a fresh fake rack of this generation with these delays, and a repository of
 * APP_FILES, handed to `ready`; the rack closed and the repository removed after the test.
 */
export function useRackAndRepo(generation: Generation, delays: FakeRackOptions['delays'], ready: (rack: FakeRack, repo: TempRepo) => void): void {
  let rack: FakeRack | undefined;
  let repo: TempRepo | undefined;
  beforeEach(async () => {
    rack = await startFakeRack({ generation, delays });
    repo = new TempRepo(APP_FILES);
    ready(rack, repo);
  });
  afterEach(async () => {
    await rack?.close();
    repo?.remove();
  });
}
