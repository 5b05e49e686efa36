/**
 * The provider behind a misbehaving proxy (test/fakes/shared/fault-proxy.ts) in front of the real
 * podman Engine API and the real Caddy admin API: credentials refused → exit 3 with a hint about
 * the engine's permissions, never "not found"; a fifth of the writes failing, half of them after
 * being applied → `up` and `stop` still converge, with nothing duplicated and nothing left.
 */
import { describe, expect, it } from 'vitest';
import { AuthError, exitCodeOf, ExitCode } from '../../../src/core/errors.js';
import { FaultProxy } from '../../fakes/shared/fault-proxy.js';
import { caddyConfig, containersOf, dockerCli, makeRepo, networksOf, runCommand, useDockerServices, viaCaddy, type RunOutcome, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

let services: DockerServices;
let repo: TestRepo;
let engineProxy: FaultProxy;
let caddyProxy: FaultProxy;
const { newApp } = useDockerServices(async (s, file) => {
  services = s;
  repo = await makeRepo({ preview: 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n' });
  file.repos.push(repo);
  engineProxy = await FaultProxy.start({ socketPath: services.dockerHost.replace(/^unix:\/\//, '') });
  const adminPort = Number(new URL(services.caddyAdmin).port);
  caddyProxy = await FaultProxy.start({ host: '127.0.0.1', port: adminPort, hostHeader: `127.0.0.1:${adminPort}` });
  file.cleanups.push(() => engineProxy.close(), () => caddyProxy.close());
});

/** Through both proxies; the `preview` server, since other files may add servers to a shared Caddy. */
function env(): Record<string, string> {
  return { DOCKER_HOST: engineProxy.dockerHost, CADDY_ADMIN: caddyProxy.url, PREVIEW_CADDY_SERVER: 'preview', PREVIEW_REMOVE_IMAGES: 'true' };
}

function faults(rate: number, seed: number): void {
  engineProxy.faultWrites(rate, seed);
  caddyProxy.faultWrites(rate, seed + 1);
}

function writes(): number {
  return engineProxy.stats().mutating + caddyProxy.stats().mutating;
}

function faulted(): number {
  const count = (p: FaultProxy) => Object.values(p.stats().faults).reduce((a, b) => a + b, 0);
  return count(engineProxy) + count(caddyProxy);
}

/** Runs a command until it succeeds, at most `tries` times (a pipeline's retry); how many it took. */
async function converge(tries: number, attempt: () => Promise<RunOutcome>): Promise<{ runs: number; outcome: RunOutcome }> {
  let last: unknown;
  for (let runs = 1; runs <= tries; runs++) {
    try {
      return { runs, outcome: await attempt() };
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

describe('docker provider: the engine refuses our credentials', () => {
  it.each([
    ['unauthorized', 401],
    ['forbidden', 403],
  ] as const)('%s (%i): up, status and stop exit 3 with a hint about the engine permissions, never "not found"', async (mode, status) => {
    const app = newApp('auth');
    engineProxy.credentials(mode);
    try {
      for (const command of ['up', 'status', 'stop'] as const) {
        let caught: unknown;
        try {
          await runCommand(command, { services, repo, app, branch: 'main', env: env() });
        } catch (error) {
          caught = error;
        }
        expect(caught, command).toBeInstanceOf(AuthError);
        expect(exitCodeOf(caught)).toBe(ExitCode.auth);
        expect((caught as Error).message).toContain(`refused access (${status} `);
        expect((caught as AuthError).hint).toMatch(/permissions of the Docker Engine socket .* TLS client certificate/);
      }
    } finally {
      engineProxy.credentials('ok');
    }
    expect(await networksOf(services, `preview-kit.app=${app}`)).toEqual([]);
  });
});

describe('docker provider: a fifth of the writes fail, half of them after they were applied', () => {
  it('up converges (first deploy, then a new commit), stop removes everything, a second stop writes nothing', async () => {
    const app = newApp('faults');
    const branch = 'main';
    faults(0.2, 20240611);
    const first = await converge(3, () => runCommand('up', { services, repo, app, branch, env: env(), timeoutMs: 120_000 }));
    const name = first.outcome.result.name;
    const commit = await repo.newCommit('under faults');
    await converge(3, () => runCommand('up', { services, repo, app, branch, env: env(), timeoutMs: 120_000 }));
    expect(faulted()).toBeGreaterThan(0);

    faults(0, 0);
    // converged: a clean run finds everything in place and changes nothing
    engineProxy.resetCounts();
    caddyProxy.resetCounts();
    const clean = await runCommand('up', { services, repo, app, branch, env: env() });
    expect(clean.result.deployed).toBe(false);
    expect(writes()).toBe(0);
    expect((await containersOf(services, `preview-kit.name=${name}`)).map((c) => c.Names)).toEqual([`${name}-web`]);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([name]);
    expect((await caddyConfig(services)).routes.filter((r) => String(r['@id']).startsWith(`preview-kit-${name}-`))).toHaveLength(1);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(commit);

    faults(0.2, 77);
    await converge(3, () => runCommand('stop', { services, repo, app, branch, env: env(), timeoutMs: 120_000 }));
    faults(0, 0);
    await runCommand('stop', { services, repo, app, branch, env: env() });
    expect(await containersOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await networksOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect((await caddyConfig(services)).routes.filter((r) => String(r['@id']).includes(name))).toEqual([]);
    expect(await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}')).toBe('');

    engineProxy.resetCounts();
    caddyProxy.resetCounts();
    const again = await runCommand('stop', { services, repo, app, branch, env: env() });
    expect(again.result.deleted).toBe(false);
    expect(writes()).toBe(0);
  });
});

describe('docker provider: what an interrupted run leaves behind', () => {
  it('a container serving under its temporary name and a lock whose run is gone: the next up renames the one and removes the other', async () => {
    const app = newApp('killed');
    const first = await runCommand('up', { services, repo, app, branch: 'main' });
    const name = first.result.name;
    // As a run killed between its switch and its rename, and before its lock release, leaves them.
    await dockerCli(services, 'rename', `${name}-web`, `${name}-web-${repo.commits.at(-1)!.slice(0, 7)}-abcdef`);
    const { execFileSync } = await import('node:child_process');
    const deadPid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    const { hostname } = await import('node:os');
    const labels = (await dockerCli(services, 'network', 'inspect', name, '--format', '{{json .Labels}}')) || '{}';
    const lockLabels = { ...(JSON.parse(labels) as Record<string, string>), 'preview-kit.lock-until': String(Date.now() + 3_600_000), 'preview-kit.lock-holder': `${hostname()} ${deadPid} run1` };
    await dockerCli(services, 'network', 'create', ...Object.entries(lockLabels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), `${name}.lock`);

    const again = await runCommand('up', { services, repo, app, branch: 'main' });
    expect(again.result.deployed).toBe(false);
    expect(again.result.plan).toEqual([`delete network ${name}.lock (stale deploy lock)`, `update container ${name}-web-${repo.commits.at(-1)!.slice(0, 7)}-abcdef (rename to ${name}-web)`]);
    expect((await containersOf(services, `preview-kit.name=${name}`)).map((c) => c.Names)).toEqual([`${name}-web`]);
    expect(await dockerCli(services, 'network', 'ls', '--filter', `name=${name}.lock`, '--format', '{{.Name}}')).toBe('');
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(200);

    const settled = await runCommand('up', { services, repo, app, branch: 'main' });
    expect(settled.result.plan).toEqual([]);
    await runCommand('stop', { services, repo, app, branch: 'main' });
  });
});
