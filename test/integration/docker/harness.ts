/**
 * Test harness for the Docker provider against real podman + Caddy: throwaway git repos made from
 * examples/hello, a command runner that goes through the real settings loader and commands (as
 * the CLI does), and independent views of the engine (the docker CLI) and Caddy (plain HTTP).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, inject } from 'vitest';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { repoRoot, startServices, stopServices, type DockerServices } from './services.js';

export { runCommand, type CommandName, type RunOptions, type RunOutcome } from './run-command.js';

const run = promisify(execFile);

/** The run's services: from the globalSetup when wired, else started for this file. */
export async function acquireServices(): Promise<{ services: DockerServices; release: () => Promise<void> }> {
  let provided: DockerServices | undefined;
  try {
    provided = inject('dockerServices');
  } catch {
    provided = undefined;
  }
  if (provided) return { services: provided, release: async () => undefined };
  const services = await startServices();
  return { services, release: () => stopServices(services) };
}

/** What a test file made on the run's services, undone after its tests by `useDockerServices`. */
export interface DockerTestFile {
  /** Projects it made previews of: everything of theirs is scrubbed. */
  apps: string[];
  /** Repositories it made: removed. */
  repos: TestRepo[];
  /** Anything else to undo (proxies, scratch folders): first, newest first, failures ignored. */
  cleanups: Array<() => Promise<unknown>>;
  /** A project name no other test uses, added to `apps`. */
  newApp(prefix: string): string;
  /** A repository of examples/hello with this `.preview.yml` (none when undefined), added to `repos`. */
  newRepo(preview?: string): Promise<TestRepo>;
}

/**
 * The hooks a Docker integration file needs: before its tests, the run's services (handed to
 * `ready`, which may set up more); after them, its cleanups, its apps scrubbed, its repositories
 * removed and the services released.
 */
export function useDockerServices(ready: (services: DockerServices, file: DockerTestFile) => void | Promise<void>): DockerTestFile {
  const file: DockerTestFile = {
    apps: [],
    repos: [],
    cleanups: [],
    newApp(prefix) {
      const app = uniqueApp(prefix);
      file.apps.push(app);
      return app;
    },
    async newRepo(preview) {
      const repo = await makeRepo(preview === undefined ? {} : { preview });
      file.repos.push(repo);
      return repo;
    },
  };
  let services: DockerServices | undefined;
  let release: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ services, release } = await acquireServices());
    await ready(services, file);
  }, 120_000);
  afterAll(async () => {
    for (const cleanup of [...file.cleanups].reverse()) await cleanup().catch(() => undefined);
    if (services) for (const app of file.apps) await scrubApp(services, app);
    for (const repo of file.repos) await repo.remove();
    await release?.();
  }, 120_000);
  return file;
}

export interface TestRepo {
  dir: string;
  commits: string[];
  /** Changes the page and commits; returns the new SHA. */
  newCommit(text: string): Promise<string>;
  /** Writes files and commits them; returns the new SHA. */
  commitFiles(files: Record<string, string>, message: string): Promise<string>;
  remove(): Promise<void>;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, '-c', 'user.name=preview-kit tests', '-c', 'user.email=tests@preview-kit.invalid', ...args]);
  return stdout.trim();
}

export async function makeRepo(options: { preview?: string } = {}): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-docker-repo-'));
  await cp(join(repoRoot, 'examples/hello'), dir, { recursive: true });
  if (options.preview !== undefined) await writeFile(join(dir, '.preview.yml'), options.preview);
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'first');
  const repo: TestRepo = {
    dir,
    commits: [await git(dir, 'rev-parse', 'HEAD')],
    async newCommit(text: string) {
      const page = await readFile(join(dir, 'index.html'), 'utf8');
      await writeFile(join(dir, 'index.html'), page.replace('</body>', `  <p>${text}</p>\n</body>`));
      await git(dir, 'commit', '-q', '-am', text);
      const sha = await git(dir, 'rev-parse', 'HEAD');
      repo.commits.push(sha);
      return sha;
    },
    async commitFiles(files: Record<string, string>, message: string) {
      for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-q', '-m', message);
      const sha = await git(dir, 'rev-parse', 'HEAD');
      repo.commits.push(sha);
      return sha;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  return repo;
}

/** An independent view of the engine: the docker CLI, pointed at the same socket. */
export async function dockerCli(services: DockerServices, ...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST: services.dockerHost } });
  return stdout.trim();
}

/**
 * The podman client over the same socket, for what the Docker API cannot do: `build --timestamp`
 * makes an image that looks built days ago, as old review-app builds do.
 */
export async function podmanCli(services: DockerServices, ...args: string[]): Promise<string> {
  const { stdout } = await run('podman', ['--url', services.dockerHost, ...args]);
  return stdout.trim();
}

export interface CliContainer {
  ID: string;
  Names: string;
  Labels: string;
  Ports: string;
  State: string;
}

export async function containersOf(services: DockerServices, label: string): Promise<CliContainer[]> {
  const out = await dockerCli(services, 'ps', '-a', '--no-trunc', '--filter', `label=${label}`, '--format', '{{json .}}');
  return out ? out.split('\n').map((l) => JSON.parse(l) as CliContainer) : [];
}

export async function networksOf(services: DockerServices, label: string): Promise<string[]> {
  const out = await dockerCli(services, 'network', 'ls', '--filter', `label=${label}`, '--format', '{{.Name}}');
  return out ? out.split('\n') : [];
}

/** Caddy's full config, read with a plain request. */
export async function caddyConfig(services: DockerServices): Promise<{ routes: Array<Record<string, unknown>>; raw: string }> {
  const res = await fetch(`${services.caddyAdmin}/config/`);
  const raw = await res.text();
  const config = JSON.parse(raw) as { apps: { http: { servers: Record<string, { routes?: Array<Record<string, unknown>> }> } } };
  const routes = Object.values(config.apps.http.servers).flatMap((s) => s.routes ?? []);
  return { routes, raw };
}

export async function routeIdsOf(services: DockerServices, fragment: string): Promise<string[]> {
  const { routes } = await caddyConfig(services);
  return routes.map((r) => r['@id']).filter((id): id is string => typeof id === 'string' && id.includes(fragment));
}

/** GET through Caddy's listener with a Host header. */
export function viaCaddy(services: DockerServices, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: services.caddyHttpPort, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The id of a preview's Caddy route for one service, written out here so that the tests pin its
 * form: `preview-kit-<name>-<service>-<identity key>`.
 */
export function routeOf(name: string, identity: PreviewIdentity | string, service = 'web'): string {
  const key = typeof identity === 'string' ? identity : identityKey(identity);
  return `preview-kit-${name}-${service}-${key}`;
}

/** Unique per test run, so runs sharing podman's storage never meet. */
export function uniqueApp(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}

/** Removes whatever a test left on the engine for an app, through the docker CLI. */
export async function scrubApp(services: DockerServices, app: string): Promise<void> {
  const ids = (await containersOf(services, `preview-kit.app=${app}`)).map((c) => c.ID);
  if (ids.length) await dockerCli(services, 'rm', '-f', ...ids).catch(() => undefined);
  for (const net of await networksOf(services, `preview-kit.app=${app}`)) await dockerCli(services, 'network', 'rm', net).catch(() => undefined);
  const images = await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}').catch(() => '');
  const imageIds = [...new Set(images.split('\n').filter(Boolean))];
  if (imageIds.length) await dockerCli(services, 'rmi', '-f', ...imageIds).catch(() => undefined);
}
