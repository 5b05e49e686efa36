/**
 * One provider object, two previews (the library API scripting several branches): everything
 * about a preview comes with each call's spec — name, identity, env, hosts, health path — so
 * `deploy` and `setDomains` called on their own do for each preview what they do inside `up`,
 * and nothing learnt about one preview leaks into the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specOf } from '../../../src/commands/context.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { loadSettings, type FlagValues } from '../../../src/core/settings.js';
import { dockerModule } from '../../../src/providers/docker/module.js';
import type { DockerSettings } from '../../../src/providers/docker/settings.js';
import type { PreviewSpec, Provider } from '../../../src/providers/types.js';
import { acquireServices, caddyConfig, dockerCli, makeRepo, routeOf, scrubApp, uniqueApp, viaCaddy, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

let services: DockerServices;
let release: () => Promise<void>;
let repo: TestRepo;
const app = uniqueApp('lib');

beforeAll(async () => {
  ({ services, release } = await acquireServices());
  repo = await makeRepo({ preview: 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n' });
}, 120_000);

afterAll(async () => {
  await scrubApp(services, app);
  await repo?.remove();
  await release?.();
}, 120_000);

function load(flags: FlagValues) {
  return loadSettings<DockerSettings>(
    {
      flags: { provider: 'docker', app, ...flags },
      env: { DOCKER_HOST: services.dockerHost, CADDY_ADMIN: services.caddyAdmin, PREVIEW_CADDY_SERVER: 'preview' },
      file: { path: '.preview.yml', data: { docker: { buildArgs: { COMMIT: '{commit}' } } } },
      detected: {},
    },
    { ids: ['docker'], pick: () => dockerModule },
  );
}

async function envOf(container: string): Promise<string[]> {
  return (await dockerCli(services, 'inspect', container, '--format', '{{range .Config.Env}}{{println .}}{{end}}')).split('\n');
}

describe('docker provider: one provider object, two previews', () => {
  let provider: Provider;
  let one: PreviewSpec;
  let two: PreviewSpec;

  beforeAll(async () => {
    const a = load({ branch: 'one', env: ['WHO=one'], domain: ['{name}.one.test'] });
    const b = load({ branch: 'two', env: ['WHO=two'], domain: ['{branch}.{app}.two.test'], 'health-path': '/index.html' });
    one = specOf(a.common);
    two = specOf(b.common);
    const logger = new PlainLogger({ redactor: new Redactor(), sink: { write: () => undefined }, debug: false });
    // Settings of the platform are shared; nothing of either preview's is given to the provider.
    provider = await dockerModule.create(a.provider!, { logger, deadline: new Deadline(120_000), plan: new Plan(false), adopt: false });
  });

  it("ensure and deploy each preview with its own spec: its own name, env, hosts and identity", async () => {
    const source = { dir: repo.dir, commit: repo.commits[0]!, force: false };
    for (const spec of [one, two]) {
      const { preview } = await provider.ensure(spec);
      const deployed = await provider.deploy(preview, spec, source);
      expect(deployed.deployed).toBe(true);
    }
    expect(await envOf(`${one.name}-web`)).toEqual(expect.arrayContaining(['WHO=one', `PREVIEW_NAME=${one.name}`]));
    expect(await envOf(`${two.name}-web`)).toEqual(expect.arrayContaining(['WHO=two', `PREVIEW_NAME=${two.name}`]));
    expect((await viaCaddy(services, `${one.name}.one.test`)).body).toContain(repo.commits[0]);
    expect((await viaCaddy(services, `two.${app}.two.test`)).body).toContain(repo.commits[0]);
    const routes = (await caddyConfig(services)).routes;
    expect(routes.find((r) => r['@id'] === routeOf(one.name, one.identity))?.match).toEqual([{ host: [`${one.name}.one.test`] }]);
    expect(routes.find((r) => r['@id'] === routeOf(two.name, two.identity))?.match).toEqual([{ host: [`two.${app}.two.test`] }]);

    const found = await provider.find(two);
    expect(found?.identity).toEqual({ project: app, branch: 'two' });
    expect(found?.url).toBe(`http://two.${app}.two.test:${services.caddyHttpPort}`);
  });

  it('deploy on its own, for either preview, finds its commit live and changes nothing', async () => {
    const source = { dir: repo.dir, commit: repo.commits[0]!, force: false };
    for (const spec of [two, one]) {
      const preview = (await provider.find(spec))!;
      expect(preview.name).toBe(spec.name);
      const again = await provider.deploy(preview, spec, source);
      expect(again.deployed).toBe(false);
    }
  });

  it("setDomains on its own moves only that preview's route", async () => {
    const moved: PreviewSpec = { ...one, domains: [`${one.name}.moved.test`] };
    const preview = (await provider.find(one))!;
    const result = await provider.setDomains(preview, moved);
    expect(result.changed).toBe(true);
    expect((await viaCaddy(services, `${one.name}.moved.test`)).body).toContain(repo.commits[0]);
    expect((await viaCaddy(services, `two.${app}.two.test`)).status).toBe(200);
  });

  it('destroy takes each preview away, and only it', async () => {
    const first = await provider.destroy(one);
    expect(first.removed).toEqual(expect.arrayContaining([`network ${one.name}`, `container ${one.name}-web`]));
    expect((await viaCaddy(services, `two.${app}.two.test`)).status).toBe(200);
    const second = await provider.destroy(two);
    expect(second.removed).toContain(`network ${two.name}`);
    expect(await provider.list().then((all) => all.filter((p) => p.identity?.project === app))).toEqual([]);
  });
});
