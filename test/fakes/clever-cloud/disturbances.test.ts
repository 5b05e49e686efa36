/**
 * Pins what the fake does beyond the happy path, as issue 10's tests rely on it: tags only
 * through the tag routes (no view carries them, an add-on create takes none), `linkedApp` at
 * add-on creation, creation dates in ms, listings that lag behind creates while reads by id do
 * not, writes that fail (applied or not, answered 503 or not answered) on every write route,
 * refused credentials, planted resources and the admin routes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLEVER_TOOLS_CONSUMER_KEY, CLEVER_TOOLS_CONSUMER_SECRET, startFakeCleverCloud, type FakeCleverCloud } from './server.js';

const TOKEN = 'tok_dist_51c3';
const SECRET = 'sec_dist_8e0a';
const ORG = 'orga_22222222-3333-4444-8555-666666666666';
const AUTH = `OAuth oauth_consumer_key="${CLEVER_TOOLS_CONSUMER_KEY}", oauth_token="${TOKEN}", oauth_signature="${CLEVER_TOOLS_CONSUMER_SECRET}%26${SECRET}"`;
const O = `/v2/organisations/${ORG}`;

let fake: FakeCleverCloud;

async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // An HTML page stays text.
  }
  return { status: res.status, body: parsed as T };
}

async function newApp(name: string, tags: string[] = []): Promise<any> {
  const runtimes = (await call<any[]>('GET', '/v2/products/instances')).body;
  const node = runtimes.filter((r) => r.enabled && r.variant.slug === 'node').sort((a, b) => b.version.localeCompare(a.version))[0];
  const res = await call('POST', `${O}/applications`, {
    deploy: 'git', name, zone: 'par', instanceType: node.type, instanceVersion: node.version, instanceVariant: node.variant.id,
    minFlavor: 'XS', maxFlavor: 'XS', minInstances: 1, maxInstances: 1, tags,
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function devPlan(provider = 'postgresql-addon'): Promise<string> {
  return (await call<any[]>('GET', '/v2/products/addonproviders')).body.find((p) => p.id === provider).plans.find((p: { slug: string }) => p.slug === 'dev').id;
}

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG, gitReadyDelayMs: 0, deployDurationMs: 20 });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.setFaults(undefined);
  fake.setListLag(0);
  fake.setCredentials('ok');
});

describe('tags and add-on creation', () => {
  it('an add-on create ignores `tags`, may link at once (`linkedApp`), and no add-on view carries tags', async () => {
    const app = await newApp('tags-app');
    const created = await call('POST', `${O}/addons`, { name: 'db', providerId: 'postgresql-addon', plan: await devPlan(), region: 'par', tags: ['preview-kit'], linkedApp: app.id });
    expect(created.status).toBe(200);
    const addon = created.body;
    expect(addon).not.toHaveProperty('tags');
    expect(addon.creationDate).toEqual(expect.any(Number));
    expect(Math.abs(addon.creationDate - Date.now())).toBeLessThan(60_000);
    expect((await call('GET', `${O}/addons/${addon.id}/tags`)).body).toEqual([]);
    expect(fake.addons().find((a) => a.id === addon.id)!.linkedApps).toEqual([app.id]);
    for (const view of [(await call('GET', `${O}/addons/${addon.id}`)).body, ...(await call<any[]>('GET', `${O}/addons`)).body, ...(await call<any[]>('GET', `${O}/applications/${app.id}/addons`)).body]) {
      expect(view).not.toHaveProperty('tags');
    }
    expect((await call('PUT', `${O}/addons/${addon.id}/tags/${encodeURIComponent('preview-kit:key:0123456789abcdef0123')}`)).body).toEqual(['preview-kit:key:0123456789abcdef0123']);
    expect((await call('PUT', `${O}/addons/${addon.id}/tags/preview-kit`)).body).toEqual(['preview-kit:key:0123456789abcdef0123', 'preview-kit']);
    expect((await call('DELETE', `${O}/addons/${addon.id}/tags/preview-kit`)).body).toEqual(['preview-kit:key:0123456789abcdef0123']);

    const unknownApp = await call('POST', `${O}/addons`, { name: 'db2', providerId: 'postgresql-addon', plan: await devPlan(), region: 'par', linkedApp: 'app_00000000-0000-0000-0000-000000000000' });
    expect(unknownApp.status).toBe(404);
    expect(fake.addons().some((a) => a.name === 'db2')).toBe(false);
  });

  it('app list and get carry no tags and a creation date in ms; /v2/summary lists customerTags', async () => {
    const app = await newApp('summary-app', ['preview-kit', 'team:x']);
    expect(app.creationDate).toEqual(expect.any(Number));
    for (const view of [(await call('GET', `${O}/applications/${app.id}`)).body, ...(await call<any[]>('GET', `${O}/applications`)).body]) {
      expect(view).not.toHaveProperty('tags');
    }
    const summary = (await call('GET', '/v2/summary')).body;
    const listed = summary.organisations.find((o: { id: string }) => o.id === ORG).applications.find((a: { id: string }) => a.id === app.id);
    expect(listed).toMatchObject({ customerTags: ['preview-kit', 'team:x'], systemTags: [] });
  });
});

describe('a listing that lags behind creates', () => {
  it('hides new apps and add-ons from owner listings for the lag, while reads by id, tags and links see them at once', async () => {
    fake.setListLag(400);
    const app = await newApp('lagging-app', ['preview-kit']);
    const addon = (await call('POST', `${O}/addons`, { name: 'lagging-db', providerId: 'postgresql-addon', plan: await devPlan(), region: 'par', linkedApp: app.id })).body;
    const listedApps = async () => (await call<any[]>('GET', `${O}/applications`)).body.map((a) => a.id);
    const listedAddons = async () => (await call<any[]>('GET', `${O}/addons`)).body.map((a) => a.id);
    expect(await listedApps()).not.toContain(app.id);
    expect(await listedAddons()).not.toContain(addon.id);
    expect((await call('GET', `${O}/applications/${app.id}`)).status).toBe(200);
    expect((await call('GET', `${O}/applications/${app.id}/tags`)).body).toEqual(['preview-kit']);
    expect((await call('GET', `${O}/addons/${addon.id}`)).status).toBe(200);
    expect((await call<any[]>('GET', `${O}/applications/${app.id}/addons`)).body.map((a) => a.id)).toEqual([addon.id]);
    await new Promise((r) => setTimeout(r, 450));
    expect(await listedApps()).toContain(app.id);
    expect(await listedAddons()).toContain(addon.id);
  });

  it('planted resources are backdated: listed at once, even with a lag', async () => {
    fake.setListLag(60_000);
    const planted = await fake.plant({ name: 'planted', tags: ['preview-kit'], addons: [{ providerId: 'postgresql-addon', tags: [] }] });
    expect((await call<any[]>('GET', `${O}/applications`)).body.map((a) => a.id)).toContain(planted.appId);
    expect((await call<any[]>('GET', `${O}/addons`)).body.find((a) => a.id === planted.addonIds[0])).toMatchObject({ name: 'planted-postgresql-addon' });
    expect(fake.addons().find((a) => a.id === planted.addonIds[0])!.linkedApps).toEqual([planted.appId]);
  });
});

describe('writes that fail', () => {
  it('applied-503 makes the change and answers 503 on every write route: apps, add-ons, tags, links, deletes', async () => {
    const app = await newApp('applied-app');
    const plan = await devPlan();
    const tag = (await newApp('tag-target')).id;
    fake.setFaults({ rate: 1, kinds: ['applied-503'] });
    const answers = [
      await call('POST', `${O}/addons`, { name: 'applied-db', providerId: 'postgresql-addon', plan, region: 'par' }),
      await call('PUT', `${O}/applications/${tag}/tags/preview-kit`),
      await call('PUT', `${O}/applications/${app.id}`, { minInstances: 2, maxInstances: 2 }),
    ];
    fake.setFaults(undefined);
    const addon = fake.addons().find((a) => a.name === 'applied-db')!;
    fake.setFaults({ rate: 1, kinds: ['applied-503'] });
    answers.push(
      await call('PUT', `${O}/addons/${addon.id}/tags/preview-kit`),
      await call('POST', `${O}/applications/${app.id}/addons`, addon.id),
      await call('DELETE', `${O}/applications/${tag}/tags/preview-kit`),
    );
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503, 503]);
    fake.setFaults(undefined);
    expect(addon).toBeDefined();
    expect(fake.addons().find((a) => a.id === addon.id)!).toMatchObject({ tags: ['preview-kit'], linkedApps: [app.id] });
    expect(fake.apps().find((a) => a.id === app.id)!.instance.minInstances).toBe(2);
    expect(fake.apps().find((a) => a.id === tag)!.tags).toEqual([]);
    fake.setFaults({ rate: 1, kinds: ['applied-503'] });
    expect((await call('DELETE', `${O}/addons/${addon.id}`)).status).toBe(503);
    expect((await call('DELETE', `${O}/applications/${app.id}`)).status).toBe(503);
    fake.setFaults(undefined);
    expect(fake.addons().some((a) => a.id === addon.id)).toBe(false);
    expect(fake.apps().some((a) => a.id === app.id)).toBe(false);
  });

  it('drops answers (applied or not), faults writes only or some paths only when asked', async () => {
    const app = await newApp('drop-app');
    fake.setFaults({ rate: 1, kinds: ['drop'], writesOnly: true });
    expect((await call('GET', `${O}/applications/${app.id}`)).status).toBe(200);
    await expect(call('PUT', `${O}/applications/${app.id}/tags/a`)).rejects.toThrow();
    fake.setFaults({ rate: 1, kinds: ['applied-drop'], writesOnly: true });
    await expect(call('PUT', `${O}/applications/${app.id}/tags/b`)).rejects.toThrow();
    fake.setFaults({ rate: 1, kinds: ['503-json'], paths: '/tags/' });
    expect((await call('PUT', `${O}/applications/${app.id}/env/X`, { value: '1' })).status).toBe(200);
    expect((await call('PUT', `${O}/applications/${app.id}/tags/c`)).status).toBe(503);
    fake.setFaults(undefined);
    expect(fake.apps().find((a) => a.id === app.id)!.tags).toEqual(['b']);
    expect(fake.requests.filter((r) => r.fault).map((r) => r.fault)).toEqual(expect.arrayContaining(['drop', 'applied-drop', '503-json']));
  });
});

describe('credentials and admin routes', () => {
  it('forces 401 or 403, with the real error body shape, on the API and the git remote', async () => {
    const app = await newApp('auth-app');
    for (const [mode, status] of [['unauthorized', 401], ['forbidden', 403]] as const) {
      fake.setCredentials(mode);
      const res = await call('GET', `${O}/applications`);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ id: expect.any(Number), message: expect.any(String), type: 'error' });
      expect((await fetch(`${fake.url}/git/${app.id}.git/info/refs?service=git-upload-pack`)).status).toBe(status);
    }
    await fetch(`${fake.url}/__fake/credentials`, { method: 'POST', body: JSON.stringify({ mode: 'ok' }) });
    expect((await call('GET', `${O}/applications`)).status).toBe(200);
  });

  it('drives lag, faults, stalls and plants over HTTP, and refuses bad bodies', async () => {
    const post = (route: string, body: unknown) => fetch(`${fake.url}/__fake/${route}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('list-lag', { ms: 10_000 })).status).toBe(200);
    const app = await newApp('admin-lag');
    expect((await call<any[]>('GET', `${O}/applications`)).body.some((a) => a.id === app.id)).toBe(false);
    expect((await post('list-lag', { ms: -1 })).status).toBe(400);
    expect((await post('list-lag', { ms: 0 })).status).toBe(200);
    expect((await post('credentials', { mode: 'maybe' })).status).toBe(400);
    expect((await post('faults', { rate: 2 })).status).toBe(400);
    const planted = await (await post('plant', { name: 'admin-plant', tags: ['x'] })).json();
    expect(planted).toEqual({ appId: expect.stringMatching(/^app_/), addonIds: [] });
    expect((await post('plant', { name: 'no-tags' })).status).toBe(400);

    expect((await post('git-stall', { stall: true })).status).toBe(200);
    const stalled = await Promise.race([
      fetch(`${fake.url}/git/${app.id}.git/info/refs?service=git-upload-pack`).then(() => 'answered', () => 'dropped'),
      new Promise((r) => setTimeout(() => r('no answer'), 300)),
    ]);
    expect(stalled).toBe('no answer');
    expect((await post('git-stall', { stall: false })).status).toBe(200);
  });
});
