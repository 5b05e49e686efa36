/**
 * What the Clever Cloud provider tests share: the fake API with fast timings, a provider built
 * the way the CLI builds it (settings through the schema, a plan, a deadline, a logger that
 * records lines), and throwaway git repositories to deploy from.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import type { Logger } from '../../../src/core/logger.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { CleverCloudProvider, type CleverProviderOptions } from '../../../src/providers/clever-cloud/provider.js';
import { cleverSchema } from '../../../src/providers/clever-cloud/settings.js';
import type { PreviewRef, PreviewSpec, ProviderContext } from '../../../src/providers/types.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';

const execFileAsync = promisify(execFile);

export const TOKEN = 'tok_9c2e4f6a8b0d1e3f5a7c9e1b3d5f7a9c';
export const SECRET = 'sec_1f3e5d7c9b0a2e4f6d8c0b2a4e6f8d0c';
export const API_TOKEN = 'api_4a6c8e0f2b4d6f8a0c2e4f6a8b0d2e4f';
export const ORG = 'orga_00000000-0000-4000-8000-000000000001';

/** Timings that keep the suite fast against the fake's small delays. */
export const FAST: CleverProviderOptions = {
  timing: { poll: { initialMs: 10, maxMs: 60 }, probe: { initialMs: 10, maxMs: 40 }, push: { initialMs: 30, maxMs: 150 }, pushAttempts: 40 },
  retryInitialMs: 10,
  reconcile: { settleInitialMs: 20, settleMaxMs: 100, settleWindowMs: 5_000 },
};

export function startFake(extra: Parameters<typeof startFakeCleverCloud>[0] = {}): Promise<FakeCleverCloud> {
  return startFakeCleverCloud({ token: TOKEN, secret: SECRET, apiToken: API_TOKEN, orgId: ORG, gitReadyDelayMs: 150, deployDurationMs: 80, latencyMs: 0, ...extra });
}

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly progressLines: string[] = [];
  readonly redactor = new Redactor();
  info(m: string) {
    this.lines.push(this.redactor.redact(m));
  }
  warn(m: string) {
    this.lines.push(`warning: ${this.redactor.redact(m)}`);
  }
  error(m: string) {
    this.lines.push(`error: ${this.redactor.redact(m)}`);
  }
  debug(m: string) {
    this.lines.push(`debug: ${this.redactor.redact(m)}`);
  }
  group<T>(_title: string, fn: () => Promise<T>) {
    return fn();
  }
  progress(m: string) {
    this.progressLines.push(this.redactor.redact(m));
  }
  addSecret(s: string | undefined) {
    this.redactor.add(s);
  }
}

export interface Harness {
  provider: CleverCloudProvider;
  context: ProviderContext & { logger: RecordingLogger };
}

/** A provider as `module.create` builds it, with raw settings validated by the real schema. */
export function makeProvider(
  fake: FakeCleverCloud,
  raw: Record<string, unknown> = {},
  opts: { adopt?: boolean; dryRun?: boolean; timeoutMs?: number; options?: CleverProviderOptions } = {},
): Harness {
  const settings = cleverSchema.parse({ token: TOKEN, secret: SECRET, apiUrl: fake.url, org: ORG, ...raw });
  const logger = new RecordingLogger();
  const context = {
    logger,
    deadline: new Deadline(opts.timeoutMs ?? 30_000),
    plan: new Plan(opts.dryRun ?? false),
    adopt: opts.adopt ?? false,
  };
  return { provider: new CleverCloudProvider(settings, context, { ...FAST, ...opts.options }), context };
}

let counter = 0;

export interface SpecInput extends Partial<Omit<PreviewSpec, 'identity' | 'key' | 'name'>> {
  app?: string;
  branch?: string;
  pr?: number;
  prefix?: string;
  fork?: string;
}

/** The ref of a preview (name, identity, key) as the commands build it. */
export function refOf(identity: PreviewIdentity): PreviewRef {
  return { name: nameOfIdentity(identity), identity, key: identityKey(identity) };
}

/** A unique spec per test, so tests sharing one fake never meet. */
export function specFor(extra: SpecInput = {}): PreviewSpec {
  counter += 1;
  const { app, branch, pr, prefix, fork, ...rest } = extra;
  const project = app ?? 'shop';
  const identity: PreviewIdentity = {
    project,
    ...(pr !== undefined ? { pr } : { branch: branch ?? `feature/t${counter}` }),
    ...(prefix ? { prefix } : {}),
    ...(fork ? { fork } : {}),
  };
  return { ...refOf(identity), env: {}, domains: [], favourite: false, healthPath: '/', ...rest };
}

export const mutating = (fake: FakeCleverCloud) => fake.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
export const reads = (fake: FakeCleverCloud) => fake.requests.filter((r) => r.method === 'GET');
export const appsNamed = (fake: FakeCleverCloud, name: string) => fake.apps().filter((a) => a.name === name);

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'preview-kit tests',
  GIT_AUTHOR_EMAIL: 'tests@preview-kit.invalid',
  GIT_COMMITTER_NAME: 'preview-kit tests',
  GIT_COMMITTER_EMAIL: 'tests@preview-kit.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export interface TempRepo {
  dir: string;
  commit(message: string): Promise<string>;
  remove(): Promise<void>;
}

export async function tempRepo(): Promise<TempRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pk-clever-repo-'));
  const git = async (...args: string[]) => (await execFileAsync('git', args, { cwd: dir, env: gitEnv })).stdout.trim();
  await git('init', '-q', '-b', 'main');
  let n = 0;
  return {
    dir,
    async commit(message: string) {
      n += 1;
      await writeFile(path.join(dir, 'index.html'), `<h1>${message} ${n}</h1>\n`);
      await git('add', '-A');
      await git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The fake API and a repository with a first commit for a test file's tests, handed to `ready`
 * before them; both closed and removed after them.
 */
export function useFakeAndRepo(ready: (fake: FakeCleverCloud, repo: TempRepo, first: string) => void): void {
  let fake: FakeCleverCloud | undefined;
  let repo: TempRepo | undefined;
  beforeAll(async () => {
    fake = await startFake();
    repo = await tempRepo();
    ready(fake, repo, await repo.commit('first'));
  });
  afterAll(async () => {
    await fake?.close();
    await repo?.remove();
  });
}
