/**
 * The Docker host + Caddy provider against a real podman Engine API and a real Caddy (started by
 * scripts/services.sh): up, no-op re-run, new commit, two services, concurrent previews, stop,
 * and Caddy down.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf, ExitCode, ProviderError } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import type { DockerServices } from './services.js';
import { freePort } from './services.js';
import { caddyConfig, containersOf, dockerCli, networksOf, routeIdsOf, routeOf, runCommand, useDockerServices, viaCaddy, type TestRepo } from './harness.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';

let services: DockerServices;
const { newApp, newRepo } = useDockerServices((s) => {
  services = s;
});

describe('docker provider: one preview, two services, through its life', () => {
  let repo: TestRepo;
  let app: string;
  const branch = 'feature/login';
  let name = '';
  // Also exercises --remove-images: the replaced commit's images go on deploy, the rest on stop.
  const env = { PREVIEW_REMOVE_IMAGES: 'true' };

  beforeAll(async () => {
    repo = await newRepo();
    app = newApp('hello');
  });

  it('fresh up: builds, runs both services and routes each host through Caddy', async () => {
    const { result, logs } = await runCommand('up', { services, repo, app, branch, env });
    name = result.name;
    expect(result.created).toBe(true);
    expect(result.deployed).toBe(true);
    expect(result.url).toBe(`http://${name}.localhost:${services.caddyHttpPort}`);

    const web = await viaCaddy(services, `${name}.localhost`);
    expect(web.status).toBe(200);
    expect(web.body).toContain(repo.commits[0]);
    const sigver = await viaCaddy(services, `${name}-sigver.localhost`);
    expect(sigver.status).toBe(200);
    expect(JSON.parse(sigver.body)).toEqual({ service: 'sigver', commit: repo.commits[0] });

    const containers = await containersOf(services, `preview-kit.name=${name}`);
    expect(containers.map((c) => c.Names).sort()).toEqual([`${name}-sigver`, `${name}-web`]);
    for (const c of containers) {
      expect(c.Labels).toContain('preview-kit.managed-by=preview-kit');
      expect(c.Labels).toContain(`preview-kit.commit=${repo.commits[0]}`);
      expect(c.Ports).toMatch(/^127\.0\.0\.1:\d+->8080\/tcp$/);
    }
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([name]);
    expect((await routeIdsOf(services, `preview-kit-${name}-`)).sort()).toEqual([routeOf(name, { project: app, branch }, 'sigver'), routeOf(name, { project: app, branch })]);
    // the catch-all stays last and still answers for unknown hosts
    const { routes } = await caddyConfig(services);
    expect(routes[routes.length - 1]!.match).toBeUndefined();
    expect((await viaCaddy(services, 'nobody.localhost')).status).toBe(404);
    expect(logs.join('\n')).not.toContain('exists: build skipped');
  });

  it('status: finds the preview by its labels, with its URL, services and commit', async () => {
    const { result } = await runCommand('status', { services, repo, app, branch, env });
    expect(result.exists).toBe(true);
    expect(result.url).toBe(`http://${name}.localhost:${services.caddyHttpPort}`);
    expect(result.preview?.identity).toEqual({ project: app, branch });
    expect(result.preview?.lastDeployment?.commit).toBe(repo.commits[0]);
    expect(result.preview?.domains.map((d) => d.host)).toEqual([`${name}.localhost`, `${name}-sigver.localhost`]);
    const details = result.preview?.details as { containers: Array<{ service: string; state: string; port?: number }> };
    expect(details.containers.map((c) => [c.service, c.state]).sort()).toEqual([
      ['sigver', 'running'],
      ['web', 'running'],
    ]);
    expect(new Set(details.containers.map((c) => c.port)).size).toBe(2);
  });

  it('no-op re-run: no container replaced, no Caddy write, no build', async () => {
    const before = await containersOf(services, `preview-kit.name=${name}`);
    const ours = async () => JSON.stringify((await caddyConfig(services)).routes.filter((r) => String(r['@id']).includes(name)));
    const routesBefore = await ours();
    const { result, provider, logs } = await runCommand('up', { services, repo, app, branch, env });
    expect(result.deployed).toBe(false);
    expect(result.created).toBe(false);
    expect(result.plan).toEqual([]);
    expect(provider.caddy.stats.mutating).toBe(0);
    expect(provider.engine.stats.mutating).toBe(0);
    expect(provider.caddy.stats.total).toBeGreaterThan(0);
    const after = await containersOf(services, `preview-kit.name=${name}`);
    expect(after.map((c) => c.ID).sort()).toEqual(before.map((c) => c.ID).sort());
    expect(await ours()).toBe(routesBefore);
    // Kept containers already run the commit's builds: nothing is built, and no image is even looked up.
    expect(logs.join('\n')).not.toContain('create image');
    expect(logs.join('\n')).toContain('is already live');
  });

  it('new commit: containers replaced, routes keep their ids and hosts, page shows the new commit', async () => {
    const before = await containersOf(services, `preview-kit.name=${name}`);
    const routesBefore = (await caddyConfig(services)).routes.filter((r) => String(r['@id']).startsWith(`preview-kit-${name}-`));
    const commit = await repo.newCommit('second');
    const { result } = await runCommand('up', { services, repo, app, branch, env });
    expect(result.deployed).toBe(true);
    expect(result.commit).toBe(commit);

    const web = await viaCaddy(services, `${name}.localhost`);
    expect(web.body).toContain(commit);
    expect(web.body).toContain('second');
    const after = await containersOf(services, `preview-kit.name=${name}`);
    expect(after).toHaveLength(2);
    expect(after.map((c) => c.Names).sort()).toEqual([`${name}-sigver`, `${name}-web`]);
    for (const c of after) {
      expect(before.map((b) => b.ID)).not.toContain(c.ID);
      expect(c.Labels).toContain(`preview-kit.commit=${commit}`);
    }
    const routesAfter = (await caddyConfig(services)).routes.filter((r) => String(r['@id']).startsWith(`preview-kit-${name}-`));
    // same routes, same hosts; only the upstream port moved to the new containers
    expect(routesAfter.map((r) => r['@id']).sort()).toEqual(routesBefore.map((r) => r['@id']).sort());
    for (const r of routesAfter) {
      const old = routesBefore.find((b) => b['@id'] === r['@id'])!;
      expect(r.match).toEqual(old.match);
    }
    expect(JSON.stringify(routesAfter)).not.toContain('.next');
    // --remove-images: the first commit's images went with the containers that ran them
    const tags = await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.Repository}}:{{.Tag}}');
    expect(tags.split('\n').sort()).toEqual(
      [`localhost/${app}:${commit}`, `localhost/${app}:${name}`, `localhost/${app}-sigver:${commit}`, `localhost/${app}-sigver:${name}`].sort(),
    );
  });

  it('stop: removes routes, containers and network, and reports each; a second stop is a no-op', async () => {
    const { result } = await runCommand('stop', { services, repo, app, branch, env });
    expect(result.deleted).toBe(true);
    expect(result.removed).toEqual(
      expect.arrayContaining([
        `route ${routeOf(name, { project: app, branch })}`,
        `route ${routeOf(name, { project: app, branch }, 'sigver')}`,
        `container ${name}-web`,
        `container ${name}-sigver`,
        `network ${name}`,
      ]),
    );
    expect(await containersOf(services, `preview-kit.name=${name}`)).toEqual([]);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([]);
    expect(await routeIdsOf(services, `preview-kit-${name}`)).toEqual([]);
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(404);
    expect(result.removed).toEqual(expect.arrayContaining([`image localhost/${app}:${name}`, `image localhost/${app}:${repo.commits[1]}`]));
    expect(await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}')).toBe('');

    const again = await runCommand('stop', { services, repo, app, branch, env });
    expect(again.result.deleted).toBe(false);
    expect(again.result.removed).toEqual([]);
    expect(again.provider.caddy.stats.mutating + again.provider.engine.stats.mutating).toBe(0);
  });
});

describe('docker provider: two previews deployed at once', () => {
  it('both answer on their own hosts, on distinct ports, with exactly one route each; list and prune see them', async () => {
    const repo = await newRepo('docker:\n  buildArgs:\n    COMMIT: "{commit}"\n');
    const app = newApp('pair');
    const [a, b] = await Promise.all([
      runCommand('up', { services, repo, app, branch: 'one' }),
      runCommand('up', { services, repo, app, branch: 'two' }),
    ]);
    const names = [a.result.name, b.result.name];
    for (const name of names) {
      const page = await viaCaddy(services, `${name}.localhost`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(repo.commits[0]);
      expect(await routeIdsOf(services, `preview-kit-${name}-`)).toEqual([routeOf(name, { project: app, branch: name === names[0] ? 'one' : 'two' })]);
    }
    const ports = await Promise.all(names.map(async (name) => (await containersOf(services, `preview-kit.name=${name}`)).map((c) => c.Ports)));
    expect(ports.map((p) => p.length)).toEqual([1, 1]);
    expect(ports[0]![0]).not.toBe(ports[1]![0]);
    // one catch-all, however the writes interleaved
    const { routes } = await caddyConfig(services);
    expect(routes.filter((r) => !r.match)).toHaveLength(1);

    // list() finds both by their labels, for prune
    const listed = (await a.provider.list()).filter((p) => names.includes(p.name));
    expect(listed.map((p) => [p.name, p.identity?.branch])).toEqual([
      [names[0], 'one'],
      [names[1], 'two'],
    ]);
    for (const p of listed) expect(Date.parse(p.createdAt!)).toBeGreaterThan(Date.now() - 10 * 60_000);

    // prune keeps the branch that still exists and removes the other completely
    const pruned = await runCommand('prune', { services, repo, app, branch: 'one', flags: { keep: ['one'] } });
    expect(pruned.result.removed).toEqual([names[1]]);
    expect(await containersOf(services, `preview-kit.name=${names[1]}`)).toEqual([]);
    expect(await routeIdsOf(services, `preview-kit-${names[1]}-`)).toEqual([]);
    expect((await viaCaddy(services, `${names[0]}.localhost`)).status).toBe(200);

    await Promise.all([runCommand('stop', { services, repo, app, branch: 'one' }), runCommand('stop', { services, repo, app, branch: 'two' })]);
    expect(await containersOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await networksOf(services, `preview-kit.app=${app}`)).toEqual([]);
    for (const name of names) expect(await routeIdsOf(services, `preview-kit-${name}`)).toEqual([]);
  });
});

describe('docker provider: two pipelines for the same branch at once', () => {
  it('end with one preview: one container per service, one route, no lock left', async () => {
    const repo = await newRepo(ONE_SERVICE);
    const app = newApp('twin');
    const [a, b] = await Promise.all([
      runCommand('up', { services, repo, app, branch: 'main' }),
      runCommand('up', { services, repo, app, branch: 'main' }),
    ]);
    const name = a.result.name;
    // the run that waited found the commit live
    expect([a.result.deployed, b.result.deployed].sort()).toEqual([false, true]);
    const containers = await containersOf(services, `preview-kit.name=${name}`);
    expect(containers.map((c) => c.Names)).toEqual([`${name}-web`]);
    const routes = (await caddyConfig(services)).routes.filter((r) => String(r['@id']).startsWith(`preview-kit-${name}-`));
    expect(routes).toHaveLength(1);
    const port = /:(\d+)->/.exec(containers[0]!.Ports)![1];
    expect(JSON.stringify(routes[0])).toContain(`127.0.0.1:${port}`);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([name]);

    // both runs built the commit: --remove-images also takes the untagged twin
    await runCommand('stop', { services, repo, app, branch: 'main', flags: { 'remove-images': true } });
    expect(await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}')).toBe('');
  });
});

describe('docker provider: Caddy admin API down', () => {
  it('fails with exit 5 and a clear message, and leaves nothing on the engine', async () => {
    const repo = await newRepo();
    const app = newApp('nocaddy');
    const deadAdmin = `http://127.0.0.1:${await freePort()}`;
    let caught: unknown;
    try {
      await runCommand('up', { services, repo, app, branch: 'main', env: { CADDY_ADMIN: deadAdmin } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect(exitCodeOf(caught)).toBe(ExitCode.provider);
    expect((caught as Error).message).toMatch(/Caddy admin API unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(await containersOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await networksOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}}')).toBe('');
  });

  it('stop fails with exit 5 before removing anything, so a later stop still finds the routes', async () => {
    const repo = await newRepo(ONE_SERVICE);
    const app = newApp('stopdown');
    const { result } = await runCommand('up', { services, repo, app, branch: 'main' });
    const deadAdmin = `http://127.0.0.1:${await freePort()}`;
    await expect(runCommand('stop', { services, repo, app, branch: 'main', env: { CADDY_ADMIN: deadAdmin } })).rejects.toMatchObject({ exitCode: ExitCode.provider });
    expect(await containersOf(services, `preview-kit.name=${result.name}`)).toHaveLength(1);
    expect(await routeIdsOf(services, `preview-kit-${result.name}-`)).toHaveLength(1);
    const stopped = await runCommand('stop', { services, repo, app, branch: 'main' });
    expect(stopped.result.removed).toContain(`route ${routeOf(result.name, { project: app, branch: 'main' })}`);
  });
});


describe('docker provider: a new commit that never serves', () => {
  it('rolls back: exit 5 with the reason, the old containers keep serving, nothing of the new one is left', async () => {
    const repo = await newRepo(ONE_SERVICE);
    const app = newApp('broken');
    const { result } = await runCommand('up', { services, repo, app, branch: 'main' });
    const name = result.name;
    const before = await containersOf(services, `preview-kit.name=${name}`);
    const routeBefore = (await caddyConfig(services)).routes.find((r) => r['@id'] === routeOf(name, { project: app, branch: 'main' }));

    const dockerfile = (await import('node:fs/promises')).readFile(`${repo.dir}/Dockerfile`, 'utf8');
    const broken = (await dockerfile).replace(/^CMD .*$/m, 'CMD ["/bin/sh", "-c", "echo starting the broken build; exit 3"]');
    await repo.commitFiles({ Dockerfile: broken }, 'break the server');
    let caught: unknown;
    let logs: string[] = [];
    try {
      await runCommand('up', { services, repo, app, branch: 'main' });
    } catch (error) {
      caught = error;
      logs = (error as { logs?: string[] }).logs ?? [];
    }
    expect(exitCodeOf(caught)).toBe(ExitCode.provider);
    expect((caught as Error).message).toMatch(/container exited with code 3.*rolled back, the previous containers still serve/);
    expect(logs.join('\n')).toContain('starting the broken build');

    const page = await viaCaddy(services, `${name}.localhost`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(repo.commits[0]);
    const after = await containersOf(services, `preview-kit.name=${name}`);
    expect(after.map((c) => c.ID)).toEqual(before.map((c) => c.ID));
    const routes = (await caddyConfig(services)).routes;
    expect(routes.find((r) => r['@id'] === routeOf(name, { project: app, branch: 'main' }))).toEqual(routeBefore);
    expect(routes.filter((r) => String(r['@id']).startsWith(`preview-kit-${name}-`))).toHaveLength(1);

    await runCommand('stop', { services, repo, app, branch: 'main' });
  });
});

describe('docker provider: set-domain', () => {
  it('moves the route to new hosts at once without touching the containers; they get the new PREVIEW_URL on the next deploy', async () => {
    const repo = await newRepo(ONE_SERVICE);
    const app = newApp('domains');
    const { result } = await runCommand('up', { services, repo, app, branch: 'main' });
    const name = result.name;
    const before = await containersOf(services, `preview-kit.name=${name}`);

    const flags = { domain: ['{name}.review.test', 'www.{name}.review.test'] };
    const moved = await runCommand('set-domain', { services, repo, app, branch: 'main', flags });
    expect(moved.result.changed).toBe(true);
    expect(moved.provider.engine.stats.mutating).toBe(0);
    expect(moved.provider.caddy.stats.byMethod.PATCH).toBe(1);
    const route = (await caddyConfig(services)).routes.find((r) => r['@id'] === routeOf(name, { project: app, branch: 'main' }))!;
    expect(route.match).toEqual([{ host: [`${name}.review.test`, `www.${name}.review.test`] }]);
    expect((await viaCaddy(services, `www.${name}.review.test`)).body).toContain(repo.commits[0]);
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(404);
    expect((await containersOf(services, `preview-kit.name=${name}`)).map((c) => c.ID)).toEqual(before.map((c) => c.ID));

    // the containers learn their new PREVIEW_URL on the next deploy (a config change), then it is settled
    const redeployed = await runCommand('up', { services, repo, app, branch: 'main', flags });
    expect(redeployed.result.deployed).toBe(true);
    expect(redeployed.result.url).toBe(`http://${name}.review.test:${services.caddyHttpPort}`);
    const env = await dockerCli(services, 'inspect', `${name}-web`, '--format', '{{range .Config.Env}}{{println .}}{{end}}');
    expect(env.split('\n')).toContain(`PREVIEW_URL=http://${name}.review.test:${services.caddyHttpPort}`);
    const again = await runCommand('up', { services, repo, app, branch: 'main', flags });
    expect(again.result.deployed).toBe(false);
    expect(again.provider.caddy.stats.mutating + again.provider.engine.stats.mutating).toBe(0);
    await runCommand('stop', { services, repo, app, branch: 'main' });
  });
});

describe('docker provider: ownership', () => {
  it('refuses a network of the same name without our labels (exit 6), stop leaves it, and --adopt takes it over with our labels', async () => {
    const repo = await newRepo(ONE_SERVICE);
    const app = newApp('foreign');
    const name = `${app}-main`;
    await dockerCli(services, 'network', 'create', name);
    try {
      let caught: unknown;
      try {
        await runCommand('up', { services, repo, app, branch: 'main' });
      } catch (error) {
        caught = error;
      }
      expect(exitCodeOf(caught)).toBe(ExitCode.safety);
      expect((caught as Error).message).toMatch(new RegExp(`network ${name} \\([0-9a-f]{12,}\\) exists but preview-kit did not create it`));
      expect(await containersOf(services, `preview-kit.name=${name}`)).toEqual([]);

      // stop skips what is not ours, with a warning, and exits 0
      const stop = await runCommand('stop', { services, repo, app, branch: 'main' });
      expect(stop.result.deleted).toBe(false);
      expect(stop.logs.join('\n')).toMatch(new RegExp(`network ${name} \\(.*\\) lacks preview-kit's marker: left alone \\(--adopt removes it\\)`));
      expect(await dockerCli(services, 'network', 'ls', '--filter', `name=^${name}$`, '--format', '{{.Name}}')).toBe(name);

      const adopted = await runCommand('up', { services, repo, app, branch: 'main', flags: { adopt: true } });
      expect(adopted.result.deployed).toBe(true);
      expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
      // an engine cannot relabel a network: it was made again under the same name, with our labels
      expect(await dockerCli(services, 'network', 'inspect', name, '--format', '{{index .Labels "preview-kit.key"}}')).toBe(identityKey({ project: app, branch: 'main' }));
      const stopped = await runCommand('stop', { services, repo, app, branch: 'main' });
      expect(stopped.result.removed).toContain(`network ${name}`);
    } finally {
      await dockerCli(services, 'network', 'rm', name).catch(() => undefined);
    }
  });
});

describe('docker provider: --dry-run', () => {
  it('plans the whole up and changes nothing', async () => {
    const repo = await newRepo();
    const app = newApp('dry');
    const { result, provider } = await runCommand('up', { services, repo, app, branch: 'main', flags: { 'dry-run': true } });
    const name = result.name;
    expect(result.dryRun).toBe(true);
    expect(result.plan).toEqual([
      `create network ${name}`,
      `create image localhost/${app}:${repo.commits[0]!.slice(0, 12)} (build Dockerfile)`,
      `create image localhost/${app}-sigver:${repo.commits[0]!.slice(0, 12)} (build sigver.Dockerfile)`,
      `create container ${name}-web (${repo.commits[0]!.slice(0, 7)})`,
      `create container ${name}-sigver (${repo.commits[0]!.slice(0, 7)})`,
      `create caddy route ${routeOf(name, { project: app, branch: 'main' })}`,
      `create caddy route ${routeOf(name, { project: app, branch: 'main' }, 'sigver')}`,
    ]);
    expect(provider.engine.stats.mutating).toBe(0);
    expect(provider.caddy.stats.mutating).toBe(0);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([]);
    expect(await routeIdsOf(services, name)).toEqual([]);
    expect(await containersOf(services, `preview-kit.app=${app}`)).toEqual([]);
  });
});

describe('docker provider: a Caddy server without routes, chosen with --caddy-server', () => {
  it('puts the routes there, adds the catch-all 404 it lacks, and removes the routes on stop', async () => {
    const port = await freePort();
    const put = await fetch(`${services.caddyAdmin}/config/apps/http/servers/extra`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ listen: [`127.0.0.1:${port}`], automatic_https: { disable: true } }),
    });
    expect(put.status).toBe(200);
    try {
      const repo = await newRepo(ONE_SERVICE);
      const app = newApp('extra');
      const { result } = await runCommand('up', { services, repo, app, branch: 'main', flags: { 'caddy-server': 'extra' } });
      expect(result.url).toBe(`http://${result.name}.localhost:${port}`);
      const routes = (await (await fetch(`${services.caddyAdmin}/config/apps/http/servers/extra/routes`)).json()) as Array<Record<string, unknown>>;
      expect(routes.map((r) => r['@id'])).toEqual([routeOf(result.name, { project: app, branch: 'main' }), 'preview-kit-catch-all']);
      expect(await routeIdsOf(services, result.name)).toEqual([routeOf(result.name, { project: app, branch: 'main' })]);

      const ask = (host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          import('node:http').then(({ request }) => {
            const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            });
            req.on('error', reject);
            req.end();
          }, reject);
        });
      expect((await ask(`${result.name}.localhost`)).body).toContain(repo.commits[0]);
      expect(await ask('nobody.localhost')).toEqual({ status: 404, body: 'no preview here' });

      const stopped = await runCommand('stop', { services, repo, app, branch: 'main' });
      expect(stopped.result.removed).toContain(`route ${routeOf(result.name, { project: app, branch: 'main' })}`);
      const left = (await (await fetch(`${services.caddyAdmin}/config/apps/http/servers/extra/routes`)).json()) as Array<Record<string, unknown>>;
      expect(left.map((r) => r['@id'])).toEqual(['preview-kit-catch-all']);
    } finally {
      await fetch(`${services.caddyAdmin}/config/apps/http/servers/extra`, { method: 'DELETE' });
    }
  });
});
