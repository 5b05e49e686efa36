/**
 * Sleep and wake, and basic auth, on a real podman Engine API and a real Caddy: `sleep` stops the
 * containers and puts the asleep page on the preview's hosts; `up`, `deploy` of the same commit and
 * `ensure-app` start the same containers again (no build, no new container); a new commit wakes it
 * too. `--basic-auth` puts Caddy's authentication handler in front; the same setting again writes
 * nothing, a new password replaces it, none removes it — and the password is never printed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { caddyConfig, containersOf, routeOf, runCommand, useDockerServices, viaCaddy, type TestRepo } from './harness.js';
import http from 'node:http';
import type { DockerServices } from './services.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';

let services: DockerServices;
const bed = useDockerServices((s) => {
  services = s;
});
const newRepo = () => bed.newRepo(ONE_SERVICE);
const { newApp } = bed;

/** GET through Caddy's listener, with basic-auth credentials when given; status, body and headers. */
function get(host: string, credentials?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
    if (credentials) headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    const req = http.request({ host: '127.0.0.1', port: services.caddyHttpPort, path: '/', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const writes = (outcome: { provider: { engine: { stats: { mutating: number } }; caddy: { stats: { mutating: number } } } }) =>
  outcome.provider.engine.stats.mutating + outcome.provider.caddy.stats.mutating;

describe('docker provider: sleep and wake', () => {
  let repo: TestRepo;
  let app: string;
  const branch = 'feature/nap';
  let name = '';
  let containerId = '';
  const run = (command: Parameters<typeof runCommand>[0], extra: Partial<Parameters<typeof runCommand>[1]> = {}) => runCommand(command, { services, repo, app, branch, ...extra });

  beforeAll(async () => {
    repo = await newRepo();
    app = newApp('nap');
    const up = await run('up');
    name = up.result.name;
    containerId = (await containersOf(services, `preview-kit.name=${name}`))[0]!.ID;
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
  }, 120_000);

  it('sleep: the container stops (kept), the URL answers the asleep page (503, Retry-After), list says sleeping', async () => {
    const { result } = await run('sleep');
    expect(result.slept).toBe(true);
    expect(result.stopped).toEqual(expect.arrayContaining([`container ${name}-web`]));
    const containers = await containersOf(services, `preview-kit.name=${name}`);
    expect(containers.map((c) => [c.ID, c.State])).toEqual([[containerId, 'exited']]);
    const page = await get(`${name}.localhost`);
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('3600');
    expect(page.body).toMatch(/This preview is asleep/);
    // Same route id, same hosts.
    const route = (await caddyConfig(services)).routes.find((r) => r['@id'] === routeOf(name, { project: app, branch }));
    expect(route?.match).toEqual([{ host: [`${name}.localhost`] }]);

    const listed = await run('list');
    const mine = (listed.result.previews as Array<{ name: string; state: string; commit: string }>).find((p) => p.name === name);
    expect(mine).toMatchObject({ state: 'sleeping', commit: repo.commits[0] });
    const status = await run('status');
    expect(status.result.preview?.state).toBe('sleeping');
  });

  it('a second sleep finds it asleep and makes no mutating call', async () => {
    const again = await run('sleep');
    expect(again.result.slept).toBe(false);
    expect(writes(again)).toBe(0);
  });

  it('up of the same commit wakes the same container: no build, no new container, the app answers again', async () => {
    const { result, logs } = await run('up');
    expect(result.deployed).toBe(false);
    expect(logs.join('\n')).not.toContain('create image');
    const containers = await containersOf(services, `preview-kit.name=${name}`);
    expect(containers.map((c) => [c.ID, c.State])).toEqual([[containerId, 'running']]);
    const page = await viaCaddy(services, `${name}.localhost`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(repo.commits[0]);
    expect((await run('status')).result.preview?.state).toBe('running');
  });

  it('deploy of the same commit, alone, wakes it the same way', async () => {
    await run('sleep');
    const deployed = await run('deploy');
    expect(deployed.result.deployed).toBe(false);
    expect((await containersOf(services, `preview-kit.name=${name}`)).map((c) => [c.ID, c.State])).toEqual([[containerId, 'running']]);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
  });

  it('ensure-app alone wakes it too', async () => {
    await run('sleep');
    const ensured = await run('ensure-app');
    expect(ensured.result.changed).toBe(true);
    expect((await containersOf(services, `preview-kit.name=${name}`)).map((c) => c.State)).toEqual(['running']);
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(200);
  });

  it('a new commit wakes it with the new commit; last deploy moves, creation stays', async () => {
    const before = (await run('status')).result.preview!;
    await run('sleep');
    const commit = await repo.newCommit('after the nap');
    const { result } = await run('up', { commit });
    expect(result.deployed).toBe(true);
    const containers = await containersOf(services, `preview-kit.name=${name}`);
    expect(containers).toHaveLength(1);
    expect(containers[0]!.State).toBe('running');
    expect(containers[0]!.ID).not.toBe(containerId);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(commit);
    const after = (await run('status')).result.preview!;
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.lastDeployedAt!)).toBeGreaterThan(Date.parse(before.lastDeployedAt!));
  });

  it('sleep of a preview that does not exist: nothing to do, no mutating call', async () => {
    const absent = await runCommand('sleep', { services, repo, app, branch: 'never-deployed' });
    expect(absent.result.slept).toBe(false);
    expect(writes(absent)).toBe(0);
  });
});

describe('docker provider: --basic-auth', () => {
  let repo: TestRepo;
  let app: string;
  const branch = 'secret-feature';
  let name = '';
  const run = (command: Parameters<typeof runCommand>[0], basicAuth?: string) =>
    runCommand(command, { services, repo, app, branch, ...(basicAuth ? { flags: { 'basic-auth': basicAuth } } : {}) });

  beforeAll(async () => {
    repo = await newRepo();
    app = newApp('auth');
  });

  it('up --basic-auth: 401 without credentials or with wrong ones, 200 with them; Caddy holds only a hash', async () => {
    const { result } = await run('up', 'review:s3cret-pass');
    name = result.name;
    const host = `${name}.localhost`;
    expect((await get(host)).status).toBe(401);
    expect((await get(host)).headers['www-authenticate']).toMatch(/^Basic/);
    expect((await get(host, 'review:wrong')).status).toBe(401);
    const ok = await get(host, 'review:s3cret-pass');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(repo.commits[0]);
    expect((await caddyConfig(services)).raw).not.toContain('s3cret-pass');
  });

  it('the same setting again writes nothing', async () => {
    const again = await run('up', 'review:s3cret-pass');
    expect(again.result.deployed).toBe(false);
    expect(writes(again)).toBe(0);
  });

  it('a new password replaces the old one', async () => {
    const changed = await run('up', 'review:n3w-pass');
    expect(changed.provider.caddy.stats.mutating).toBeGreaterThan(0);
    expect(changed.provider.engine.stats.mutating).toBe(0);
    expect((await get(`${name}.localhost`, 'review:s3cret-pass')).status).toBe(401);
    expect((await get(`${name}.localhost`, 'review:n3w-pass')).status).toBe(200);
  });

  it('asleep, the page stays behind the same protection', async () => {
    await run('sleep');
    expect((await get(`${name}.localhost`)).status).toBe(401);
    expect((await get(`${name}.localhost`, 'review:n3w-pass')).status).toBe(503);
    // Waking with the setting unchanged keeps it.
    await run('up', 'review:n3w-pass');
    expect((await get(`${name}.localhost`)).status).toBe(401);
    expect((await get(`${name}.localhost`, 'review:n3w-pass')).status).toBe(200);
  });

  it('up without --basic-auth removes the protection', async () => {
    await run('up');
    const open = await get(`${name}.localhost`);
    expect(open.status).toBe(200);
    const route = (await caddyConfig(services)).routes.find((r) => r['@id'] === routeOf(name, { project: app, branch }));
    expect((route?.handle as Array<{ handler: string }>).map((h) => h.handler)).toEqual(['reverse_proxy']);
  });

  it('the built CLI never prints the password, --debug included', async () => {
    const password = 'pr1nt-me-n0t';
    const cli = await runCli(['up', '--provider', 'docker', '--app', app, '--branch', branch, '--source', repo.dir, '--basic-auth', `review:${password}`, '--debug', '--json'], {
      env: { DOCKER_HOST: services.dockerHost, CADDY_ADMIN: services.caddyAdmin },
      cwd: repo.dir,
      timeoutMs: 120_000,
    });
    expect(cli.code, cli.stderr).toBe(0);
    const printed = cli.stdout + cli.stderr;
    expect(printed).toContain('caddy PATCH');
    expect(printed).not.toContain(password);
    expect(printed).not.toContain(Buffer.from(`review:${password}`).toString('base64'));
    expect((await get(`${name}.localhost`, `review:${password}`)).status).toBe(200);
  });
});
