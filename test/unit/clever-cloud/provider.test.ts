/**
 * The Clever Cloud provider against the fake API and its real git remote: find, create, re-run
 * without changes, adoption and refusal, concurrent creates, API faults, domains, env, add-ons,
 * deploy skip/fail/restart, teardown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ConfigError, ProviderError, SafetyError, exitCodeOf } from '../../../src/core/errors.js';
import type { CreateAppBody } from '../../../src/providers/clever-cloud/api.js';
import { marksOf, ownershipTags } from '../../../src/providers/clever-cloud/tags.js';
import { OWNER_MARKER } from '../../../src/providers/types.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { API_TOKEN, appsNamed, makeProvider, mutating, ORG, reads, specFor, tempRepo, useFakeAndRepo, type TempRepo } from './harness.js';
import { rawCall, rawCreateAddon, rawCreateApp } from './raw-api.js';

let fake: FakeCleverCloud;
let repo: TempRepo;
let first: string;

useFakeAndRepo((f, r, c) => {
  [fake, repo, first] = [f, r, c];
});
beforeEach(() => {
  fake.setFaults(undefined);
});

/** Wraps an API call so that its first call is applied and then answered 503. */
function applied503<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  let calls = 0;
  const wrapped = async (...args: A): Promise<R> => {
    calls += 1;
    const result = await fn(...args);
    if (calls === 1) throw new ProviderError('Clever Cloud API answered 503', { status: 503, retryable: true });
    return result;
  };
  return { wrapped, calls: () => calls };
}

describe('ensure and find', () => {
  it('creates one app, tagged as ours with the preview identity, env and settings in the create body', async () => {
    const { provider } = makeProvider(fake, { flavor: 'xs', instances: '2' });
    const spec = specFor({ env: { GREETING: 'hello' } });
    fake.resetLog();
    const result = await provider.ensure(spec);
    expect(result.created).toBe(true);
    const apps = appsNamed(fake, spec.name);
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(result.preview.id).toBe(app.id);
    expect(app.tags).toEqual(ownershipTags(spec));
    expect(app.tags).toContain(OWNER_MARKER);
    expect(app.env).toEqual({ GREETING: 'hello' });
    expect(app.instance).toMatchObject({ minFlavor: 'XS', maxFlavor: 'XS', minInstances: 2, maxInstances: 2, variantSlug: 'node' });
    // Env and tags travel in the create body: no separate writes.
    expect(mutating(fake).map((r) => r.method)).toEqual(['POST']);
    expect(result.preview.url).toMatch(/^https:\/\/app-[0-9a-f-]+\.cleverapps\.io$/);
    expect(result.preview.identity).toEqual(spec.identity);
  });

  it('finds the preview it created, and nothing for an unknown name', async () => {
    const { provider } = makeProvider(fake);
    const spec = specFor();
    const { preview } = await provider.ensure(spec);
    const again = makeProvider(fake).provider;
    const found = await again.find(spec);
    expect(found).toMatchObject({ id: preview.id, name: spec.name, url: preview.url, identity: spec.identity });
    expect(found!.domains.some((d) => d.builtIn)).toBe(true);
    expect(await again.find({ ...spec, name: `${spec.name}-nope` })).toBeUndefined();
  });

  it('re-running ensure changes nothing and sends no mutating request', async () => {
    const spec = specFor({ env: { A: '1' } });
    await makeProvider(fake, { flavor: 'nano' }).provider.ensure(spec);
    fake.resetLog();
    const result = await makeProvider(fake, { flavor: 'nano' }).provider.ensure(spec);
    expect(result).toMatchObject({ created: false, changed: false });
    expect(mutating(fake)).toEqual([]);
  });

  it('converges env (only changed keys) and the scaler (one update) on an existing app', async () => {
    const spec = specFor({ env: { KEEP: 'same', CHANGE: 'old' } });
    const { preview } = await makeProvider(fake, { flavor: 'nano' }).provider.ensure(spec);
    fake.resetLog();
    const result = await makeProvider(fake, { flavor: 'S', instances: 3 }).provider.ensure({ ...spec, env: { KEEP: 'same', CHANGE: 'new', ADDED: 'x' } });
    expect(result).toMatchObject({ created: false, changed: true });
    const writes = mutating(fake).map((r) => `${r.method} ${r.path.replace(/^.*\/applications\/[^/]+/, '')}`);
    expect(writes.sort()).toEqual(['PUT ', 'PUT /env/ADDED', 'PUT /env/CHANGE']);
    const app = fake.apps().find((a) => a.id === preview.id)!;
    expect(app.env).toEqual({ KEEP: 'same', CHANGE: 'new', ADDED: 'x' });
    expect(app.instance).toMatchObject({ minFlavor: 'S', maxFlavor: 'S', minInstances: 3, maxInstances: 3 });
  });

  it('resolves an organisation given by name through /v2/summary', async () => {
    const { provider } = makeProvider(fake, { org: 'preview-kit-fake-org' });
    const spec = specFor();
    const { preview } = await provider.ensure(spec);
    expect(fake.apps().find((a) => a.id === preview.id)?.ownerId).toBe('orga_00000000-0000-4000-8000-000000000001');
    await expect(makeProvider(fake, { org: 'no-such-org' }).provider.find(spec)).rejects.toBeInstanceOf(ConfigError);
  });

  it('works with an API token (Bearer) too', async () => {
    const { provider } = makeProvider(fake, { token: undefined, secret: undefined, apiToken: API_TOKEN });
    const spec = specFor();
    const { preview } = await provider.ensure(spec);
    expect((await provider.find(spec))?.id).toBe(preview.id);
  });
});

describe('find, never guess', () => {
  it('bad credentials are an auth error (exit 3), never "absent", and nothing is created', async () => {
    const { provider } = makeProvider(fake, { secret: 'wrong-secret' });
    const spec = specFor();
    fake.resetLog();
    const error = await provider.ensure(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(exitCodeOf(error)).toBe(3);
    expect((error as AuthError).hint).toMatch(/CLEVER_TOKEN/);
    await expect(provider.find(spec)).rejects.toBeInstanceOf(AuthError);
    expect(mutating(fake)).toEqual([]);
  });

  it('a lookup that keeps failing (503) ends in a provider error and never creates', async () => {
    const { provider } = makeProvider(fake);
    const spec = specFor();
    fake.resetLog();
    fake.setFaults({ rate: 1, kinds: ['503-html'] });
    const error = await provider.ensure(spec).catch((e: unknown) => e);
    fake.setFaults(undefined);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/503/);
    expect(mutating(fake)).toEqual([]);
    expect(appsNamed(fake, spec.name)).toHaveLength(0);
  });
});

describe('ownership', () => {
  it('refuses an app of the same name without our tag (exit 6), and adopts it with --adopt', async () => {
    const spec = specFor();
    const theirs = await rawCreateApp(fake, spec.name);
    fake.resetLog();
    const error = await makeProvider(fake).provider.ensure(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as SafetyError).hint).toMatch(/--adopt/);
    expect(mutating(fake)).toEqual([]);
    expect(await makeProvider(fake).provider.find(spec)).toBeUndefined();
    const stop = makeProvider(fake);
    expect(await stop.provider.destroy(spec)).toEqual({ deleted: false, removed: [] });
    expect(stop.context.logger.lines.some((l) => l.startsWith('warning:') && l.includes('left alone'))).toBe(true);
    expect(mutating(fake)).toEqual([]);
    expect(appsNamed(fake, spec.name)).toHaveLength(1);

    const adopted = await makeProvider(fake, {}, { adopt: true }).provider.ensure(spec);
    expect(adopted).toMatchObject({ created: false, changed: true });
    expect(adopted.preview.id).toBe(theirs.id);
    expect(appsNamed(fake, spec.name)).toHaveLength(1);
    expect(appsNamed(fake, spec.name)[0]!.tags).toEqual(ownershipTags(spec));
    // From now on it is ours without --adopt.
    expect((await makeProvider(fake).provider.ensure(spec)).changed).toBe(false);
  });

  it('stop --adopt deletes a lone untagged namesake, and only then', async () => {
    const spec = specFor();
    const theirs = await rawCreateApp(fake, spec.name);
    const result = await makeProvider(fake, {}, { adopt: true }).provider.destroy(spec);
    expect(result).toEqual({ deleted: true, removed: [`application ${spec.name} (${theirs.id})`] });
    expect(appsNamed(fake, spec.name)).toHaveLength(0);
  });

  it('uses our app when an untagged namesake exists beside it', async () => {
    const spec = specFor();
    const { preview } = await makeProvider(fake).provider.ensure(spec);
    await rawCreateApp(fake, spec.name);
    const again = await makeProvider(fake).provider.ensure(spec);
    expect(again).toMatchObject({ created: false });
    expect(again.preview.id).toBe(preview.id);
  });
});

describe('concurrent runs', () => {
  it('a run that loses the create race deletes its own app and continues with the older one', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const tags = ownershipTags(spec);
    let winnerId = '';
    // The other run's app appears between our lookup and our create.
    const original = provider.api.createApp.bind(provider.api);
    provider.api.createApp = async (body: CreateAppBody) => {
      winnerId = (await rawCreateApp(fake, spec.name, tags)).id;
      await new Promise((r) => setTimeout(r, 5));
      return original(body);
    };
    const result = await provider.ensure(spec);
    expect(result.created).toBe(false);
    expect(result.preview.id).toBe(winnerId);
    expect(appsNamed(fake, spec.name).map((a) => a.id)).toEqual([winnerId]);
  });

  it('two runs at once end with exactly one app, and both use it', async () => {
    const spec = specFor();
    const [a, b] = await Promise.all([makeProvider(fake).provider.ensure(spec), makeProvider(fake).provider.ensure(spec)]);
    const apps = appsNamed(fake, spec.name);
    expect(apps).toHaveLength(1);
    expect(a.preview.id).toBe(apps[0]!.id);
    expect(b.preview.id).toBe(apps[0]!.id);
  });
});

describe('faults', () => {
  it('a create answered 503 after it was applied is found again, not made twice', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const original = provider.api.createApp.bind(provider.api);
    let calls = 0;
    provider.api.createApp = async (body: CreateAppBody) => {
      calls += 1;
      if (calls === 1) {
        await original(body);
        throw new ProviderError('create application: Clever Cloud API answered 503', { status: 503, retryable: true });
      }
      return original(body);
    };
    const result = await provider.ensure(spec);
    expect(calls).toBe(1);
    expect(result.created).toBe(true);
    expect(appsNamed(fake, spec.name)).toHaveLength(1);
  });

  it('with random 503s (HTML and JSON, some applied) repeated ups converge to one deployed app', async () => {
    const spec = specFor({ env: { MODE: 'preview' }, domains: [] });
    spec.domains = [`${spec.name}.faults.example.com`];
    let done = false;
    let lastError: unknown;
    for (let attempt = 0; attempt < 6 && !done; attempt++) {
      const { provider } = makeProvider(fake, { addons: ['redis-addon:dev'] });
      fake.setFaults({ rate: 0.25, seed: 11 + attempt, kinds: ['503-html', '503-json', 'applied-503'] });
      try {
        const { preview } = await provider.ensure(spec);
        await provider.setDomains(preview, spec);
        await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
        done = true;
      } catch (error) {
        lastError = error;
        // A non-idempotent call may fail for good; the next run must pick up from there.
        expect(error).toBeInstanceOf(ProviderError);
      }
    }
    fake.setFaults(undefined);
    expect(done, String(lastError)).toBe(true);
    const apps = appsNamed(fake, spec.name);
    expect(apps).toHaveLength(1);
    expect(apps[0]!.commitId).toBe(first);
    expect(apps[0]!.env).toMatchObject({ MODE: 'preview' });
    expect(fake.addons().filter((a) => a.name === `${spec.name}-redis-addon`)).toHaveLength(1);
    // And once calm, a re-run has nothing to do.
    fake.resetLog();
    const { provider } = makeProvider(fake, { addons: ['redis-addon:dev'] });
    const again = await provider.ensure(spec);
    await provider.setDomains(again.preview, spec);
    expect((await provider.deploy(again.preview, spec, { dir: repo.dir, commit: first, force: false })).deployed).toBe(false);
    expect(mutating(fake)).toEqual([]);
  });

  it('honours 429 Retry-After on reads', async () => {
    const spec = specFor();
    await makeProvider(fake).provider.ensure(spec);
    fake.resetLog();
    // Seed 8 answers the first request 429 (Retry-After: 1), then nothing more.
    fake.setFaults({ rate: 0.3, seed: 8, kinds: ['429'] });
    const found = await makeProvider(fake).provider.find(spec);
    fake.setFaults(undefined);
    expect(found?.name).toBe(spec.name);
    const [limited, retried] = fake.requests;
    expect(limited?.status).toBe(429);
    expect(retried).toMatchObject({ method: 'GET', path: limited?.path, status: 200 });
  });
});

describe('up with nothing to change', () => {
  it('makes no mutating call, no push and one read per kind: the listing, the tags, the deployments, the env asked for', async () => {
    const spec = specFor({ env: { MODE: 'preview' } });
    spec.domains = [`${spec.name}.preview.example.com`];
    const firstRun = makeProvider(fake);
    const ensured = await firstRun.provider.ensure(spec);
    const withDomains = await firstRun.provider.setDomains(ensured.preview, spec);
    expect(withDomains.changed).toBe(true);
    const deployed = await firstRun.provider.deploy(ensured.preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(deployed.deployed).toBe(true);

    fake.resetLog();
    const { provider } = makeProvider(fake);
    const again = await provider.ensure(spec);
    const domains = await provider.setDomains(again.preview, spec);
    const result = await provider.deploy({ ...again.preview, domains: domains.domains }, spec, { dir: repo.dir, commit: first, force: false });
    expect(again).toMatchObject({ created: false, changed: false });
    expect(domains.changed).toBe(false);
    expect(result).toMatchObject({ deployed: false });
    expect(result.reason).toMatch(/already live/);
    expect(mutating(fake)).toEqual([]);
    expect(fake.pushes).toEqual([]);
    expect(fake.gitRequests).toEqual([]);
    const kinds = reads(fake).map((r) => r.path.replace(`/v2/organisations/${ORG}`, '').replace(again.preview.id, '{id}'));
    expect(kinds.sort()).toEqual(['/applications', '/applications/{id}/deployments', '/applications/{id}/env', '/applications/{id}/tags']);
    expect(again.preview.url).toBe(`https://${spec.name}.preview.example.com`);
  });
});

describe('domains', () => {
  it('adds only missing domains, sets the favourite once, and reports a domain held by another app', async () => {
    const spec = specFor({ favourite: true });
    const host = `${spec.name}.example.com`;
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    fake.resetLog();
    const first = await provider.setDomains(preview, { ...spec, domains: [host, `www.${host}`] });
    expect(first.changed).toBe(true);
    expect(mutating(fake).map((r) => `${r.method} ${decodeURIComponent(r.path.split('/vhosts/')[1] ?? '')}`)).toEqual([
      `PUT ${host}`,
      `PUT www.${host}`,
      'PUT favourite',
    ]);
    expect(first.domains.find((d) => d.host === host)?.favourite).toBe(true);

    fake.resetLog();
    const fresh = makeProvider(fake).provider;
    const found = (await fresh.find(spec))!;
    const second = await fresh.setDomains(found, { ...spec, domains: [host, `www.${host}`] });
    expect(second.changed).toBe(false);
    expect(mutating(fake)).toEqual([]);

    const other = specFor();
    const otherPreview = (await provider.ensure(other)).preview;
    const error = await provider.setDomains(otherPreview, { ...other, domains: [host] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as Error).message).toMatch(/another Clever Cloud application/);
  });
});

describe('deploy', () => {
  it('pushes to a brand-new app (retrying until its repository is ready), follows the deployment, then skips the same commit', async () => {
    const spec = specFor();
    const { provider, context } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    const before = fake.pushes.length;
    const result = await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(result).toMatchObject({ deployed: true, url: preview.url });
    expect(result.deployment).toMatchObject({ state: 'ok', commit: first });
    expect(fake.pushes.slice(before).filter((p) => p.ok)).toMatchObject([{ appId: preview.id, commit: first, ok: true }]);
    expect(context.logger.progressLines.some((l) => l.startsWith(`deployment ${first.slice(0, 7)}: `))).toBe(true);

    fake.resetLog();
    const skip = await makeProvider(fake).provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(skip).toMatchObject({ deployed: false });
    expect(mutating(fake)).toEqual([]);
    expect(fake.pushes).toEqual([]);
  });

  it('a failed deployment is exit 5 with a hint to read the logs; the next run restarts that commit', async () => {
    const spec = specFor();
    const local = await tempRepo();
    try {
      const sha = await local.commit('will fail once');
      const { provider } = makeProvider(fake);
      const { preview } = await provider.ensure(spec);
      fake.failNextDeployOf(sha);
      const error = await provider.deploy(preview, spec, { dir: local.dir, commit: sha, force: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(exitCodeOf(error)).toBe(5);
      expect((error as Error).message).toMatch(/ended FAIL/);
      expect((error as ProviderError).hint).toMatch(/clever logs/);

      fake.resetLog();
      const retried = await makeProvider(fake).provider.deploy(preview, spec, { dir: local.dir, commit: sha, force: false });
      expect(retried.deployed).toBe(true);
      // The remote has the commit: no push, a restart without cache instead.
      expect(fake.pushes).toEqual([]);
      expect(mutating(fake).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['POST instances']);
      expect(fake.apps().find((a) => a.id === preview.id)?.commitId).toBe(sha);
    } finally {
      await local.remove();
    }
  });

  it('a new commit is pushed once; force restarts a commit that is already live', async () => {
    const spec = specFor();
    const local = await tempRepo();
    try {
      const one = await local.commit('one');
      const { provider } = makeProvider(fake);
      const { preview } = await provider.ensure(spec);
      await provider.deploy(preview, spec, { dir: local.dir, commit: one, force: false });
      const two = await local.commit('two');
      fake.resetLog();
      const next = await provider.deploy(preview, spec, { dir: local.dir, commit: two, force: false });
      expect(next.deployed).toBe(true);
      expect(fake.pushes.filter((p) => p.ok)).toMatchObject([{ appId: preview.id, commit: two, ok: true }]);

      fake.resetLog();
      const forced = await provider.deploy(preview, spec, { dir: local.dir, commit: two, force: true });
      expect(forced.deployed).toBe(true);
      expect(fake.pushes).toEqual([]);
      expect(mutating(fake).map((r) => r.method)).toEqual(['POST']);
    } finally {
      await local.remove();
    }
  });

  it('never puts credentials in the remote URL or in logs', async () => {
    const spec = specFor();
    const { provider, context } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    const text = context.logger.lines.join('\n');
    expect(text).not.toContain('tok_9c2e');
    expect(text).not.toContain('sec_1f3e');
    expect(String(preview.details?.gitUrl)).not.toMatch(/@/);
  });
});

describe('add-ons', () => {
  it('creates, tags and links a named add-on once, re-uses it, and deletes it with the preview', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake, { addons: ['postgresql-addon:dev'] });
    const created = await provider.ensure(spec);
    expect(created.preview.addons).toEqual([expect.objectContaining({ name: `${spec.name}-postgresql-addon`, kind: 'postgresql-addon', plan: 'dev' })]);
    const addon = fake.addons().find((a) => a.name === `${spec.name}-postgresql-addon`)!;
    // Key first, readable identity next, marker last: the order an interrupted run relies on.
    expect(addon.tags).toEqual(ownershipTags(spec));
    expect(addon.linkedApps).toEqual([created.preview.id]);
    expect(addon.region).toBe('par');

    fake.resetLog();
    const again = await makeProvider(fake, { addons: ['postgresql-addon:dev'] }).provider.ensure(spec);
    expect(again).toMatchObject({ created: false, changed: false });
    expect(mutating(fake)).toEqual([]);

    const stop = await makeProvider(fake).provider.destroy(spec);
    expect(stop.deleted).toBe(true);
    expect(stop.removed).toEqual([`addon ${addon.name} (${addon.id})`, `application ${spec.name} (${created.preview.id})`]);
    expect(fake.addons().some((a) => a.id === addon.id)).toBe(false);
  });

  it('an add-on create answered 503 after it was applied is not repeated: the untagged add-on is found and tagged', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake, { addons: ['mysql-addon:dev'] });
    const create = applied503(provider.api.createAddon.bind(provider.api));
    provider.api.createAddon = create.wrapped;
    const { preview } = await provider.ensure(spec);
    expect(create.calls()).toBe(1);
    const addons = fake.addons().filter((a) => a.name === `${spec.name}-mysql-addon`);
    expect(addons).toHaveLength(1);
    expect(addons[0]!.tags).toEqual(ownershipTags(spec));
    expect(addons[0]!.linkedApps).toEqual([preview.id]);
  });

  it('a link answered 503 after it was applied is not repeated', async () => {
    const spec = specFor();
    const { preview } = await makeProvider(fake).provider.ensure(spec);
    // An add-on of this preview that is not linked (made by a run that stopped before linking).
    const addon = await rawCreateAddon(fake, `${spec.name}-mysql-addon`, 'mysql-addon', ownershipTags(spec));
    const { provider } = makeProvider(fake, { addons: ['mysql-addon:dev'] });
    const link = applied503(provider.api.linkAddon.bind(provider.api));
    provider.api.linkAddon = link.wrapped;
    const again = await provider.ensure(spec);
    expect(again).toMatchObject({ created: false, changed: true });
    expect(link.calls()).toBe(1);
    expect(fake.addons().find((a) => a.id === addon.id)!.linkedApps).toEqual([preview.id]);
    expect(fake.addons().filter((a) => a.name === `${spec.name}-mysql-addon`)).toHaveLength(1);
  });

  it('reports an unknown plan as a configuration error before creating anything', async () => {
    const spec = specFor();
    const error = await makeProvider(fake, { addons: ['postgresql-addon:huge'] }).provider.ensure(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).hint).toMatch(/dev/);
    expect(fake.addons().some((a) => a.name.startsWith(spec.name))).toBe(false);
  });
});

describe('reads a re-run and a stop make, with an add-on', () => {
  /** The requests since the log was reset, with ids left out. */
  const paths = (method?: string) =>
    fake.requests
      .filter((r) => method === undefined || r.method === method)
      .map((r) => `${r.method} ${r.path.replace(`/v2/organisations/${ORG}`, '').replace(/(app|addon)_[0-9a-f-]+/g, '$1_…')}`)
      .sort();

  it('a no-op up reads each kind once and writes nothing; stop reads the links with the tags and the add-ons with the apps', async () => {
    const spec = specFor();
    const firstRun = makeProvider(fake, { addons: ['postgresql-addon:dev'] });
    const { preview } = await firstRun.provider.ensure(spec);
    await firstRun.provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });

    fake.resetLog();
    const { provider } = makeProvider(fake, { addons: ['postgresql-addon:dev'] });
    const again = await provider.ensure(spec);
    const result = await provider.deploy(again.preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(again.changed).toBe(false);
    expect(result.deployed).toBe(false);
    expect(mutating(fake)).toEqual([]);
    expect(paths()).toEqual([
      'GET /addons/addon_…/tags',
      'GET /applications',
      'GET /applications/app_…/addons',
      'GET /applications/app_…/deployments',
      'GET /applications/app_…/tags',
    ]);
    // The app's tags, deployments and links are asked at once, before anything that depends on them.
    const byPath = (end: string) => fake.requests.findIndex((r) => r.path.endsWith(end) && r.path.includes('/applications/'));
    expect(Math.max(byPath('/tags'), byPath('/deployments'), byPath('/addons'))).toBeLessThan(fake.requests.findIndex((r) => r.path.includes('/addons/addon_')));

    fake.resetLog();
    const stop = await makeProvider(fake, { addons: ['postgresql-addon:dev'] }).provider.destroy(spec);
    expect(stop.deleted).toBe(true);
    expect(paths('GET')).toEqual(['GET /addons', 'GET /addons/addon_…/tags', 'GET /applications', 'GET /applications/app_…/addons', 'GET /applications/app_…/tags']);
    expect(paths('DELETE')).toEqual(['DELETE /addons/addon_…', 'DELETE /applications/app_…']);
  });
});

describe('destroy and list', () => {
  it('removes the app; a second stop is a no-op', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    const stop = await makeProvider(fake).provider.destroy(spec);
    expect(stop).toEqual({ deleted: true, removed: [`application ${spec.name} (${preview.id})`] });
    expect(appsNamed(fake, spec.name)).toHaveLength(0);
    fake.resetLog();
    expect(await makeProvider(fake).provider.destroy(spec)).toEqual({ deleted: false, removed: [] });
    expect(mutating(fake)).toEqual([]);
  });

  it('removes every duplicate of ours left by a past race', async () => {
    const spec = specFor();
    const tags = ownershipTags(spec);
    await rawCreateApp(fake, spec.name, tags);
    await rawCreateApp(fake, spec.name, tags);
    const stop = await makeProvider(fake).provider.destroy(spec);
    expect(stop.removed).toHaveLength(2);
    expect(appsNamed(fake, spec.name)).toHaveLength(0);
  });

  it('lists only our previews, with the identity read back from the tags', async () => {
    const mine = specFor({ branch: 'feature/Ünïcode:and/slashes' });
    const pr = specFor({ pr: 42, branch: undefined });
    await makeProvider(fake).provider.ensure(mine);
    await makeProvider(fake).provider.ensure(pr);
    await rawCreateApp(fake, 'not-ours-at-all');
    const list = await makeProvider(fake).provider.list();
    expect(list.find((p) => p.name === 'not-ours-at-all')).toBeUndefined();
    const found = list.find((p) => p.name === mine.name);
    expect(found?.identity).toEqual({ project: 'shop', branch: 'feature/Ünïcode:and/slashes' });
    expect(found?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const byPr = list.find((p) => p.name === pr.name);
    expect(byPr?.identity).toEqual({ project: 'shop', pr: 42 });
    expect(marksOf(byPr?.details?.tags as string[]).key).toBe(pr.key);
  });
});

describe('dry run', () => {
  it('plans the create, domains and deploy of a missing preview and changes nothing', async () => {
    const spec = specFor({ env: { A: '1' }, domains: [] });
    spec.domains = [`${spec.name}.example.com`];
    const { provider, context } = makeProvider(fake, { addons: ['redis-addon:dev'] }, { dryRun: true });
    fake.resetLog();
    const { preview, created } = await provider.ensure(spec);
    await provider.setDomains(preview, spec);
    const deployed = await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(created).toBe(true);
    expect(deployed).toMatchObject({ deployed: false, reason: 'dry run' });
    expect(mutating(fake)).toEqual([]);
    expect(context.plan.describe()).toEqual([
      expect.stringMatching(new RegExp(`^create application ${spec.name} \\(node XS in par\\)$`)),
      `create add-on ${spec.name}-redis-addon (redis-addon dev in par)`,
      `create domain ${spec.name}.example.com (on application ${spec.name})`,
      `deploy application ${spec.name} (push ${first.slice(0, 7)})`,
    ]);
  });

  it('plans a deploy of an existing app without pushing', async () => {
    const spec = specFor();
    const { preview } = await makeProvider(fake).provider.ensure(spec);
    const dry = makeProvider(fake, {}, { dryRun: true });
    fake.resetLog();
    const result = await dry.provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    expect(result).toMatchObject({ deployed: false, reason: 'dry run' });
    expect(fake.pushes).toEqual([]);
    expect(mutating(fake)).toEqual([]);
    expect(dry.context.plan.describe()).toEqual([`deploy application ${spec.name} (push ${first.slice(0, 7)})`]);
  });
});

describe('raw helper sanity', () => {
  it('the fake refuses bad credentials on its own', async () => {
    const res = await fetch(`${fake.url}/v2/self/applications`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect((await rawCall(fake, 'GET', '/v2/self/applications')).status).toBe(200);
  });
});
