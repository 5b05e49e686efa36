/**
 * Two previews that get one name (`shop-admin` + `main` and `shop` + `admin-main`; two prefixes that
 * end alike), on real podman and Caddy: the second `up` is refused with exit 6 naming whose
 * preview it is, before it writes anything; its `stop` leaves the first preview's containers,
 * network, routes and images exactly as they were, and exits 0.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf, ExitCode } from '../../../src/core/errors.js';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import type { DockerProvider } from '../../../src/providers/docker/provider.js';
import { caddyConfig, containersOf, dockerCli, networksOf, routeOf, runCommand, useDockerServices, viaCaddy, type RunOptions, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';
const REMOVE_IMAGES = { PREVIEW_REMOVE_IMAGES: 'true' };

let services: DockerServices;
let repo: TestRepo;
const { apps, cleanups, newApp } = useDockerServices(async (s, file) => {
  services = s;
  repo = await file.newRepo(ONE_SERVICE);
});


/** Everything on the engine and in Caddy that carries `name`, or is an image of `app`. */
async function snapshot(name: string, app: string): Promise<string> {
  const containers = (await containersOf(services, `preview-kit.name=${name}`)).map((c) => `${c.ID} ${c.Names} ${c.State} ${c.Labels}`).sort();
  const networks = await dockerCli(services, 'network', 'ls', '--filter', `name=${name}`, '--format', '{{.ID}} {{.Name}}');
  const routes = (await caddyConfig(services)).routes.filter((r) => JSON.stringify(r).includes(name));
  const images = await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${app}`, '--format', '{{.ID}} {{.Repository}}:{{.Tag}}');
  return JSON.stringify({ containers, networks: networks.split('\n').sort(), routes, images: images.split('\n').sort() });
}

async function failure(run: Promise<unknown>): Promise<{ error: Error; logs: string; provider: DockerProvider }> {
  try {
    await run;
  } catch (error) {
    const e = error as Error & { logs?: string[]; provider: DockerProvider };
    return { error: e, logs: (e.logs ?? []).join('\n'), provider: e.provider };
  }
  throw new Error('the command succeeded; it should have been refused');
}

interface Who {
  app: string;
  branch: string;
  flags?: RunOptions['flags'];
}

function writes(provider: DockerProvider): number {
  return provider.engine.stats.mutating + provider.caddy.stats.mutating;
}

describe.each([
  {
    what: '`shop-admin` + `main` and `shop` + `admin-main`',
    make: () => {
      const base = newApp('alias');
      const first = { app: `${base}-admin`, branch: 'main' };
      apps.push(first.app);
      return { first, second: { app: base, branch: 'admin-main' }, whose: `${first.app}, branch main` };
    },
  },
  {
    // One project, so one image repository: the preview tag `<repo>:<name>` is the first one's.
    what: '`--prefix rv` + branch `<app>-b` and `--prefix rv-<app>` + branch `b`',
    make: () => {
      const app = newApp('prefix');
      return { first: { app, branch: `${app}-b`, flags: { prefix: 'rv' } }, second: { app, branch: 'b', flags: { prefix: `rv-${app}` } }, whose: `rv ${app}, branch ${app}-b` };
    },
  },
])('docker provider: two previews named alike, $what', ({ make }) => {
  const { first, second, whose } = make() as { first: Who; second: Who; whose: string };
  const run = (command: 'up' | 'stop' | 'status', who: Who) =>
    runCommand(command, { services, repo, app: who.app, branch: who.branch, ...(who.flags ? { flags: who.flags } : {}), env: REMOVE_IMAGES });
  let name = '';
  let before = '';

  it("the second up is refused with exit 6 naming the first one's preview, and writes nothing", async () => {
    const up = await run('up', first);
    name = up.result.name;
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
    before = await snapshot(name, first.app);

    const { error, logs, provider } = await failure(run('up', second));
    expect(exitCodeOf(error)).toBe(ExitCode.safety);
    expect(error.message).toContain(`network ${name} (`);
    expect(error.message).toContain(`belongs to the preview of ${whose}`);
    expect((error as Error & { hint?: string }).hint).toMatch(/--prefix/);
    expect(logs).not.toMatch(/build/i);
    expect(writes(provider)).toBe(0);
    expect(await snapshot(name, first.app)).toBe(before);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toContain(repo.commits[0]);
  });

  it("the second one's stop leaves the first's containers, network, routes and images, with a warning, and exits 0", async () => {
    const stop = await run('stop', second);
    expect(stop.result.deleted).toBe(false);
    expect(stop.result.removed).toEqual([]);
    expect(writes(stop.provider)).toBe(0);
    expect(stop.logs.join('\n')).toMatch(new RegExp(`network ${name} \\(.*\\) belongs to the preview of ${whose.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: left alone`));
    expect(await snapshot(name, first.app)).toBe(before);
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(200);
    // and `status` of the second one does not report the first's preview as its own
    await expect(run('status', second)).rejects.toMatchObject({ exitCode: ExitCode.notFound });
  });

  it("the first one's own stop still removes everything it made", async () => {
    const stop = await run('stop', first);
    const identity = { project: first.app, branch: first.branch, ...(first.flags?.prefix ? { prefix: String(first.flags.prefix) } : {}) };
    expect(stop.result.removed).toEqual(expect.arrayContaining([`route ${routeOf(name, identity)}`, `container ${name}-web`, `network ${name}`, `image localhost/${first.app}:${name}`]));
    expect(await containersOf(services, `preview-kit.name=${name}`)).toEqual([]);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([]);
    expect(await dockerCli(services, 'images', '--filter', `label=preview-kit.app=${first.app}`, '--format', '{{.ID}}')).toBe('');
  });
});

describe('docker provider: what another preview left under our name, alone', () => {
  const other: PreviewIdentity = { project: 'someone-else', branch: 'x' };
  const labels = (name: string) => [
    ['preview-kit.managed-by', 'preview-kit'],
    ['preview-kit.name', name],
    ['preview-kit.key', identityKey(other)],
    ['preview-kit.identity', identityJson(other)],
  ].flatMap(([k, v]) => ['--label', `${k}=${v}`]);

  it("a container of another preview under a service's name: up refuses before making the network; stop leaves it", async () => {
    const app = newApp('lone');
    const name = `${app}-main`;
    const id = await dockerCli(services, 'create', '--name', `${name}-web`, ...labels(name), 'localhost/preview-kit-base:latest', 'sleep', '1000');
    cleanups.push(() => dockerCli(services, 'rm', '-f', id));

    const { error, provider } = await failure(runCommand('up', { services, repo, app, branch: 'main' }));
    expect(exitCodeOf(error)).toBe(ExitCode.safety);
    expect(error.message).toMatch(new RegExp(`container ${name}-web \\([0-9a-f]{12}\\) belongs to the preview of someone-else, branch x`));
    expect(writes(provider)).toBe(0);
    expect(await dockerCli(services, 'network', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}}')).toBe('');

    const stop = await runCommand('stop', { services, repo, app, branch: 'main' });
    expect(stop.result.deleted).toBe(false);
    expect(writes(stop.provider)).toBe(0);
    expect(await dockerCli(services, 'inspect', id, '--format', '{{.Name}}')).toMatch(`${name}-web`);
  });

  it("a Caddy route another preview of this name left behind: up refuses before anything is made; stop leaves it", async () => {
    const app = newApp('route');
    const name = `${app}-main`;
    const id = routeOf(name, other);
    const route = { '@id': id, match: [{ host: [`${name}.localhost`] }], handle: [{ handler: 'static_response', body: 'the other preview' }] };
    const put = await fetch(`${services.caddyAdmin}/config/apps/http/servers/preview/routes/0`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(route) });
    expect(put.status).toBe(200);
    cleanups.push(() => fetch(`${services.caddyAdmin}/id/${id}`, { method: 'DELETE' }));

    const { error, provider } = await failure(runCommand('up', { services, repo, app, branch: 'main' }));
    expect(exitCodeOf(error)).toBe(ExitCode.safety);
    expect(error.message).toContain(`caddy route ${id} was made for another preview named ${name}`);
    expect(writes(provider)).toBe(0);
    expect(await networksOf(services, `preview-kit.name=${name}`)).toEqual([]);

    const stop = await runCommand('stop', { services, repo, app, branch: 'main' });
    expect(stop.result.deleted).toBe(false);
    expect(writes(stop.provider)).toBe(0);
    expect(stop.logs.join('\n')).toContain(`caddy route ${id} was made for another preview named ${name}: left alone`);
    expect((await viaCaddy(services, `${name}.localhost`)).body).toBe('the other preview');
  });
});
