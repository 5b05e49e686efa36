/**
 * Pins the fake Clever Cloud API to the real one's behaviour as public clients see it: auth,
 * shapes, validation, domains, env, add-ons, deployments, faults, and real `git push` over
 * smart HTTP with credentials passed as an extra header (never in the URL).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEVER_TOOLS_CONSUMER_KEY, CLEVER_TOOLS_CONSUMER_SECRET, startFakeCleverCloud, type FakeCleverCloud } from './server.js';

const execFileAsync = promisify(execFile);

const TOKEN = 'tok_test_3b9f';
const SECRET = 'sec/te+st&9';
const API_TOKEN = 'api_test_77aa';
const ORG = 'orga_11111111-2222-4333-8444-555555555555';

const enc = (s: string) => encodeURIComponent(s);

/** What clever-tools sends: three params, secrets joined by a literal %26. */
function cliOAuth(token = TOKEN, secret = SECRET): string {
  return `OAuth oauth_consumer_key="${CLEVER_TOOLS_CONSUMER_KEY}", oauth_token="${token}", oauth_signature="${CLEVER_TOOLS_CONSUMER_SECRET}%26${secret}"`;
}

/** A spec-style PLAINTEXT header: every parameter, other order, values percent-encoded twice for the signature. */
function specOAuth(method = 'PLAINTEXT'): string {
  const signature = `${enc(CLEVER_TOOLS_CONSUMER_SECRET)}&${enc(SECRET)}`;
  return [
    `OAuth oauth_nonce="${enc('n0nce/1')}"`,
    `oauth_signature="${enc(signature)}"`,
    `oauth_timestamp="1700000000"`,
    `oauth_token="${enc(TOKEN)}"`,
    `oauth_version="1.0"`,
    `oauth_signature_method="${method}"`,
    `oauth_consumer_key="${enc(CLEVER_TOOLS_CONSUMER_KEY)}"`,
  ].join(',  ');
}

interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function call<T = any>(fake: FakeCleverCloud, method: string, p: string, body?: unknown, auth: string | null = cliOAuth()): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = typeof body === 'string' && body.startsWith('raw:') ? body.slice(4) : JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${fake.url}${p}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML or text bodies stay text.
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}

async function nodeRuntime(fake: FakeCleverCloud) {
  const { body } = await call<any[]>(fake, 'GET', '/v2/products/instances');
  return body.filter((r) => r.enabled && r.variant?.slug === 'node').sort((a, b) => b.version.localeCompare(a.version))[0];
}

async function createBody(fake: FakeCleverCloud, extra: Record<string, unknown> = {}) {
  const r = await nodeRuntime(fake);
  return {
    deploy: 'git',
    name: 'shop-feature-login',
    description: 'preview',
    zone: 'par',
    instanceType: r.type,
    instanceVersion: r.version,
    instanceVariant: r.variant.id,
    minFlavor: r.defaultFlavor.name,
    maxFlavor: r.defaultFlavor.name,
    minInstances: 1,
    maxInstances: 1,
    instanceLifetime: 'REGULAR',
    env: { GREETING: 'hi' },
    ...extra,
  };
}

async function createApp(fake: FakeCleverCloud, extra: Record<string, unknown> = {}, owner = `/organisations/${ORG}`) {
  const res = await call(fake, 'POST', `/v2${owner}/applications`, await createBody(fake, extra));
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('fake Clever Cloud API', () => {
  let fake: FakeCleverCloud;

  beforeAll(async () => {
    fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, apiToken: API_TOKEN, orgId: ORG, orgName: 'Acme Previews', gitReadyDelayMs: 0, deployDurationMs: 50 });
  });
  afterAll(async () => {
    await fake.close();
  });

  describe('auth', () => {
    it('answers 401 with the real error shape when the header is missing or wrong', async () => {
      for (const auth of [null, cliOAuth(TOKEN, 'wrong-secret'), cliOAuth('wrong-token'), `Bearer nope`, 'OAuth oauth_token=unquoted', specOAuth('HMAC-SHA1')]) {
        const res = await call(fake, 'GET', '/v2/self', undefined, auth);
        expect(res.status, String(auth)).toBe(401);
        expect(res.body).toEqual({ id: expect.any(Number), message: expect.any(String), type: 'error' });
      }
    });

    it('accepts the CLI header, a spec-style header in any order, and a bearer API token', async () => {
      for (const auth of [cliOAuth(), specOAuth(), `Bearer ${API_TOKEN}`]) {
        const res = await call(fake, 'GET', '/v2/self', undefined, auth);
        expect(res.status, auth).toBe(200);
        expect(res.body.id).toMatch(/^user_/);
      }
    });

    it('refuses an organisation the user is not in with 403 and resolves names through /v2/summary', async () => {
      const other = await call(fake, 'GET', '/v2/organisations/orga_99999999-9999-4999-8999-999999999999/applications');
      expect(other.status).toBe(403);
      expect(other.body.type).toBe('error');
      const summary = await call(fake, 'GET', '/v2/summary');
      expect(summary.body.user.id).toMatch(/^user_/);
      expect(summary.body.organisations.find((o: { name: string }) => o.name === 'Acme Previews').id).toBe(ORG);
    });
  });

  describe('catalogue', () => {
    it('lists runtimes with variants, versions, enabled flags and flavors', async () => {
      const { body } = await call<any[]>(fake, 'GET', '/v2/products/instances');
      const slugs = new Set(body.map((r) => r.variant.slug));
      for (const slug of ['node', 'docker', 'python', 'static-apache', 'php', 'go']) expect(slugs).toContain(slug);
      expect(body.some((r) => !r.enabled)).toBe(true);
      const node = await nodeRuntime(fake);
      expect(node.variant.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(node.defaultFlavor.name).toBe('XS');
      expect(node.flavors.map((f: { name: string }) => f.name)).toEqual(['pico', 'nano', 'XS', 'S', 'M', 'L', 'XL', '2XL', '3XL']);
    });

    it('lists add-on providers with plans, including dev', async () => {
      const { body } = await call<any[]>(fake, 'GET', '/v2/products/addonproviders');
      for (const id of ['postgresql-addon', 'mysql-addon', 'redis-addon']) {
        const provider = body.find((p) => p.id === id);
        expect(provider.regions).toContain('par');
        expect(provider.plans.map((p: { slug: string }) => p.slug)).toContain('dev');
        expect(provider.plans[0].id).toMatch(/^plan_/);
      }
    });
  });

  describe('applications', () => {
    it('creates an app with the real shape and reads it back', async () => {
      const created = await createApp(fake, { tags: ['preview-kit', 'branch:feature/login'] });
      expect(created.id).toMatch(/^app_[0-9a-f-]{36}$/);
      expect(created.ownerId).toBe(ORG);
      expect(created.deployment).toMatchObject({ type: 'GIT', httpUrl: `${fake.url}/git/${created.id}.git` });
      expect(created.deployment.url).toMatch(/^git\+ssh:\/\//);
      expect(created.vhosts).toEqual([{ fqdn: `${created.id.replace('app_', 'app-')}.cleverapps.io/` }]);
      expect(created.instance.variant.slug).toBe('node');
      expect(created.instance.minFlavor.name).toBe('XS');
      expect(typeof created.creationDate).toBe('number');
      expect(created.env).toEqual([{ name: 'GREETING', value: 'hi' }]);
      expect(created).not.toHaveProperty('tags');

      const got = await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${created.id}`);
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(created.id);
      const tags = await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${created.id}/tags`);
      expect(tags.body).toEqual(['preview-kit', 'branch:feature/login']);
      expect(fake.apps().find((a) => a.id === created.id)!.tags).toEqual(['preview-kit', 'branch:feature/login']);
    });

    it('does not make names unique', async () => {
      const a = await createApp(fake, { name: 'twin' });
      const b = await createApp(fake, { name: 'twin' });
      expect(a.id).not.toBe(b.id);
      const list = await call<any[]>(fake, 'GET', `/v2/organisations/${ORG}/applications`);
      expect(list.body.filter((x) => x.name === 'twin')).toHaveLength(2);
    });

    it('validates the create body with 400 and the offending fields', async () => {
      const good = await createBody(fake);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...good, name: undefined }, 'name'],
        [{ ...good, zone: 'mars' }, 'zone'],
        [{ ...good, minFlavor: 'XXL' }, 'minFlavor'],
        [{ ...good, instanceVariant: 'node' }, 'instanceType'],
        [{ ...good, minInstances: 3, maxInstances: 1 }, 'maxInstances'],
        [{ ...good, tags: 'preview-kit' }, 'tags'],
      ];
      for (const [body, field] of cases) {
        const res = await call(fake, 'POST', `/v2/organisations/${ORG}/applications`, body);
        expect(res.status, field).toBe(400);
        expect(res.body.type).toBe('error');
        expect(res.body.fields).toHaveProperty(field);
      }
      const notJson = await call(fake, 'POST', `/v2/organisations/${ORG}/applications`, 'raw:{nope');
      expect(notJson.status).toBe(400);
    });

    it('answers 404 for an unknown app or route and 405 for a known path with another verb', async () => {
      const missing = await call(fake, 'GET', `/v2/organisations/${ORG}/applications/app_00000000-0000-4000-8000-000000000000`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ type: 'error', message: expect.any(String) });
      expect((await call(fake, 'GET', '/v2/nothing/here')).status).toBe(404);
      const wrongVerb = await call(fake, 'PATCH', `/v2/organisations/${ORG}/applications`);
      expect(wrongVerb.status).toBe(405);
      expect(wrongVerb.headers.get('allow')).toContain('POST');
    });

    it('keeps the personal space apart, but GET /self/applications/{id} finds an organisation app', async () => {
      const orgApp = await createApp(fake, { name: 'org-only' });
      const selfList = await call<any[]>(fake, 'GET', '/v2/self/applications');
      expect(selfList.body.map((a) => a.id)).not.toContain(orgApp.id);
      expect((await call(fake, 'GET', `/v2/self/applications/${orgApp.id}`)).status).toBe(200);
      const mine = await createApp(fake, { name: 'personal' }, '/self');
      expect(mine.ownerId).toMatch(/^user_/);
    });

    it('updates partially and deletes', async () => {
      const app = await createApp(fake);
      const upd = await call(fake, 'PUT', `/v2/organisations/${ORG}/applications/${app.id}`, { maxFlavor: 's', maxInstances: 2 });
      expect(upd.status).toBe(200);
      expect(upd.body.instance.maxFlavor.name).toBe('S');
      expect(upd.body.instance.maxInstances).toBe(2);
      expect((await call(fake, 'DELETE', `/v2/organisations/${ORG}/applications/${app.id}`)).status).toBe(200);
      expect((await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${app.id}`)).status).toBe(404);
      expect((await call(fake, 'DELETE', `/v2/organisations/${ORG}/applications/${app.id}`)).status).toBe(404);
    });
  });

  describe('domains, tags and env', () => {
    it('lists vhosts with a trailing slash and refuses a domain another app holds', async () => {
      const a = await createApp(fake);
      const b = await createApp(fake);
      const base = `/v2/organisations/${ORG}/applications`;
      expect((await call(fake, 'PUT', `${base}/${a.id}/vhosts/${enc('Shop-Login.preview.example.com')}`)).status).toBe(200);
      expect((await call(fake, 'PUT', `${base}/${a.id}/vhosts/${enc('shop-login.preview.example.com')}`)).status).toBe(200);
      const list = await call<any[]>(fake, 'GET', `${base}/${a.id}/vhosts`);
      expect(list.body.map((v) => v.fqdn)).toEqual([`${a.id.replace('app_', 'app-')}.cleverapps.io/`, 'shop-login.preview.example.com/']);
      const taken = await call(fake, 'PUT', `${base}/${b.id}/vhosts/${enc('shop-login.preview.example.com')}`);
      expect(taken.status).toBe(400);
      expect(taken.body.message).toMatch(/is already taken/);
      expect((await call(fake, 'PUT', `${base}/${b.id}/vhosts/${enc('not a domain')}`)).status).toBe(400);

      const none = await call(fake, 'GET', `${base}/${a.id}/vhosts/favourite`);
      expect(none.status).toBe(404);
      expect(none.body.id).toBe(4021);
      expect((await call(fake, 'PUT', `${base}/${a.id}/vhosts/favourite`, { fqdn: 'shop-login.preview.example.com' })).status).toBe(200);
      expect((await call(fake, 'GET', `${base}/${a.id}/vhosts/favourite`)).body).toEqual({ fqdn: 'shop-login.preview.example.com/' });

      expect((await call(fake, 'DELETE', `${base}/${a.id}/vhosts/${enc('shop-login.preview.example.com')}`)).status).toBe(200);
      expect((await call(fake, 'GET', `${base}/${a.id}/vhosts/favourite`)).status).toBe(404);
      expect((await call(fake, 'PUT', `${base}/${b.id}/vhosts/${enc('shop-login.preview.example.com')}`)).status).toBe(200);
    });

    it('tag writes return the tag list', async () => {
      const app = await createApp(fake);
      const base = `/v2/organisations/${ORG}/applications/${app.id}/tags`;
      expect((await call(fake, 'PUT', `${base}/${enc('preview-kit')}`)).body).toEqual(['preview-kit']);
      expect((await call(fake, 'PUT', `${base}/${enc('owner:ci')}`)).body).toEqual(['preview-kit', 'owner:ci']);
      expect((await call(fake, 'PUT', `${base}/${enc('preview-kit')}`)).body).toEqual(['preview-kit', 'owner:ci']);
      expect((await call(fake, 'DELETE', `${base}/${enc('owner:ci')}`)).body).toEqual(['preview-kit']);
    });

    it('env writes return the application', async () => {
      const app = await createApp(fake);
      const base = `/v2/organisations/${ORG}/applications/${app.id}/env`;
      const one = await call(fake, 'PUT', `${base}/PORT`, { value: '8080' });
      expect(one.body.id).toBe(app.id);
      expect(one.body.env).toEqual([
        { name: 'GREETING', value: 'hi' },
        { name: 'PORT', value: '8080' },
      ]);
      const all = await call(fake, 'PUT', base, { A: '1', B: '2' });
      expect(all.body.env).toEqual([
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]);
      expect((await call(fake, 'DELETE', `${base}/A`)).body.env).toEqual([{ name: 'B', value: '2' }]);
      expect((await call(fake, 'GET', base)).body).toEqual([{ name: 'B', value: '2' }]);
      expect((await call(fake, 'PUT', `${base}/${enc('BAD NAME')}`, { value: 'x' })).status).toBe(400);
      expect((await call(fake, 'PUT', `${base}/X`, { nope: 1 })).status).toBe(400);
    });
  });

  describe('add-ons', () => {
    it('creates, links with a JSON string body, lists linked, and survives the app deletion unlinked', async () => {
      const providers = await call<any[]>(fake, 'GET', '/v2/products/addonproviders');
      const dev = providers.body.find((p) => p.id === 'postgresql-addon').plans.find((p: { slug: string }) => p.slug === 'dev');
      const addonsBase = `/v2/organisations/${ORG}/addons`;
      const bad = await call(fake, 'POST', addonsBase, { name: 'db', providerId: 'postgresql-addon', plan: 'dev', region: 'par' });
      expect(bad.status).toBe(400);
      const created = await call(fake, 'POST', addonsBase, { name: 'db', providerId: 'postgresql-addon', plan: dev.id, region: 'par', options: { version: '15' } });
      expect(created.status, created.text).toBe(200);
      const addon = created.body;
      expect(addon).toMatchObject({ id: expect.stringMatching(/^addon_/), realId: expect.stringMatching(/^postgresql_/), plan: { slug: 'dev' } });
      expect((await call(fake, 'PUT', `${addonsBase}/${addon.id}/tags/preview-kit`)).body).toEqual(['preview-kit']);

      const app = await createApp(fake);
      const appBase = `/v2/organisations/${ORG}/applications/${app.id}/addons`;
      expect((await call(fake, 'POST', appBase, { id: addon.id })).status).toBe(400);
      expect((await call(fake, 'POST', appBase, addon.id)).status).toBe(200);
      expect((await call<any[]>(fake, 'GET', appBase)).body.map((a) => a.id)).toEqual([addon.id]);
      const env = await call<any[]>(fake, 'GET', `${addonsBase}/${addon.id}/env`);
      expect(env.body.map((e) => e.name)).toContain('POSTGRESQL_ADDON_URI');
      expect(env.body.find((e) => e.name === 'POSTGRESQL_ADDON_VERSION').value).toBe('15');
      expect(fake.addons().find((a) => a.id === addon.id)!.linkedApps).toEqual([app.id]);

      expect((await call(fake, 'DELETE', `/v2/organisations/${ORG}/applications/${app.id}`)).status).toBe(200);
      expect((await call(fake, 'GET', `${addonsBase}/${addon.id}`)).status).toBe(200);
      expect(fake.addons().find((a) => a.id === addon.id)!.linkedApps).toEqual([]);

      expect((await call(fake, 'DELETE', `${addonsBase}/${addon.id}`)).status).toBe(200);
      expect((await call(fake, 'GET', `${addonsBase}/${addon.id}`)).status).toBe(404);
    });

    it('unlinks, and answers 404 for a link that does not exist', async () => {
      const providers = await call<any[]>(fake, 'GET', '/v2/products/addonproviders');
      const plan = providers.body.find((p) => p.id === 'redis-addon').plans[0];
      const addon = (await call(fake, 'POST', `/v2/organisations/${ORG}/addons`, { name: 'cache', providerId: 'redis-addon', plan: plan.id, region: 'par' })).body;
      const app = await createApp(fake);
      const base = `/v2/organisations/${ORG}/applications/${app.id}/addons`;
      await call(fake, 'POST', base, addon.id);
      expect((await call(fake, 'DELETE', `${base}/${addon.id}`)).status).toBe(200);
      expect((await call(fake, 'DELETE', `${base}/${addon.id}`)).status).toBe(404);
    });
  });

  describe('admin routes', () => {
    it('exposes the request log, state, log reset and faults over HTTP', async () => {
      fake.resetLog();
      await call(fake, 'GET', '/v2/self');
      const log = await (await fetch(`${fake.url}/__fake/requests`)).json();
      expect(log).toEqual([{ method: 'GET', path: '/v2/self', status: 200, at: expect.any(Number) }]);
      expect(await (await fetch(`${fake.url}/__fake/git-requests`)).json()).toEqual([]);
      const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { apps: unknown[] };
      expect(state.apps.length).toBe(fake.apps().length);
      await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ rate: 1, kinds: ['503-json'] }) });
      expect((await call(fake, 'GET', '/v2/self')).status).toBe(503);
      await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: 'null' });
      expect((await call(fake, 'GET', '/v2/self')).status).toBe(200);
      await fetch(`${fake.url}/__fake/reset-log`, { method: 'POST' });
      expect(fake.requests).toEqual([]);
    });
  });
});

describe('fault injection', () => {
  async function sequence(seed: number): Promise<Array<[number, string | undefined]>> {
    const fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, faults: { rate: 0.4, seed, latencyMs: 5 } });
    try {
      for (let i = 0; i < 30; i++) await call(fake, 'GET', '/v2/self');
      return fake.requests.map((r) => [r.status, r.fault]);
    } finally {
      await fake.close();
    }
  }

  it('is reproducible from its seed and differs with another seed', async () => {
    const a = await sequence(42);
    const b = await sequence(42);
    const c = await sequence(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.filter(([, f]) => f).length).toBeGreaterThan(3);
    for (const [status, fault] of a) {
      if (!fault || fault === 'latency') expect(status).toBe(200);
      else if (fault === '429') expect(status).toBe(429);
      else expect(status).toBe(503);
    }
  });

  it('gives each kind its real-world shape; applied-503 makes the change anyway', async () => {
    const fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET });
    try {
      fake.setFaults({ rate: 1, kinds: ['503-html'] });
      const html = await call(fake, 'GET', '/v2/self');
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      expect(html.text).toMatch(/<html>/);
      fake.setFaults({ rate: 1, kinds: ['429'] });
      const limited = await call(fake, 'GET', '/v2/self');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      fake.setFaults(undefined);
      const createBodyValue = await createBody(fake);
      fake.setFaults({ rate: 1, kinds: ['applied-503'] });
      const res = await call(fake, 'POST', `/v2/self/applications`, { ...createBodyValue, name: 'applied' });
      expect(res.status).toBe(503);
      fake.setFaults(undefined);
      expect(fake.apps().filter((a) => a.name === 'applied')).toHaveLength(1);
      expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', status: 503, fault: 'applied-503' });
    } finally {
      await fake.close();
    }
  });
});

describe('git smart HTTP', () => {
  const READY_MS = 250;
  let fake: FakeCleverCloud;
  let work: string;
  const basic = `Basic ${Buffer.from(`${TOKEN}:${SECRET}`).toString('base64')}`;

  function gitEnv(header: string | null = `Authorization: ${basic}`): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: work,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'fake tests',
      GIT_AUTHOR_EMAIL: 'fake@tests.invalid',
      GIT_COMMITTER_NAME: 'fake tests',
      GIT_COMMITTER_EMAIL: 'fake@tests.invalid',
      ...(header ? { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: header } : {}),
    };
  }

  async function git(args: string[], cwd: string, env = gitEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await execFileAsync('git', args, { cwd, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  async function commit(dir: string, file: string, content: string): Promise<string> {
    await writeFile(path.join(dir, file), content);
    await git(['add', '-A'], dir);
    await git(['commit', '-q', '-m', `change ${file}`], dir);
    return (await git(['rev-parse', 'HEAD'], dir)).stdout.trim();
  }

  async function deployments(appId: string): Promise<any[]> {
    return (await call<any[]>(fake, 'GET', `/v2/organisations/${ORG}/applications/${appId}/deployments?limit=10`)).body;
  }

  beforeAll(async () => {
    fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, apiToken: API_TOKEN, orgId: ORG, gitReadyDelayMs: READY_MS, deployDurationMs: 150 });
    work = await mkdtemp(path.join(tmpdir(), 'fake-clever-test-'));
    await git(['init', '-q', '-b', 'main', 'src'], work);
  });
  afterAll(async () => {
    await fake.close();
    await rm(work, { recursive: true, force: true });
  });

  it('refuses pushes while the repository is being created, then deploys each new commit once', async () => {
    const repo = path.join(work, 'src');
    const first = await commit(repo, 'index.html', '<h1>one</h1>\n');
    const app = await createApp(fake);
    const remote = app.deployment.httpUrl as string;
    expect(app.deployment.repoState).toBe('CREATING');

    const early = await git(['push', remote, 'HEAD:refs/heads/master'], repo);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/not found/i);
    expect(fake.pushes).toContainEqual({ appId: app.id, commit: '', ok: false, at: expect.any(Number) });
    // What a fetch (or a readiness probe) asks first gets the same 404, and is no push.
    const pushesBefore = fake.pushes.length;
    const basic = `Basic ${Buffer.from(`${TOKEN}:${SECRET}`).toString('base64')}`;
    const probe = await fetch(`${remote}/info/refs?service=git-upload-pack`, { headers: { authorization: basic } });
    await probe.arrayBuffer();
    expect(probe.status).toBe(404);
    expect(fake.pushes.length).toBe(pushesBefore);
    expect(fake.gitRequests.at(-1)).toEqual({ method: 'GET', path: new URL(remote).pathname + '/info/refs', service: 'git-upload-pack', status: 404, at: expect.any(Number) });

    await until('repository ready', async () => {
      const got = await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${app.id}`);
      return got.body.deployment.repoState === 'CREATED' ? true : undefined;
    });
    const pushed = await git(['push', remote, 'HEAD:refs/heads/master'], repo);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(fake.pushes.filter((p) => p.ok)).toMatchObject([{ appId: app.id, commit: first, ok: true }]);

    const [wip] = await deployments(app.id);
    expect(wip).toMatchObject({ uuid: expect.stringMatching(/^deployment_/), state: 'WIP', action: 'DEPLOY', commit: first, cause: 'git push' });
    const done = await until('deployment end', async () => {
      const d = (await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${app.id}/deployments/${wip.uuid}`)).body;
      return d.state === 'WIP' ? undefined : d;
    });
    expect(done.state).toBe('OK');
    expect((await call(fake, 'GET', `/v2/organisations/${ORG}/applications/${app.id}`)).body.commitId).toBe(first);

    const lsRemote = await git(['ls-remote', remote, 'refs/heads/master'], repo);
    expect(lsRemote.stdout.split('\t')[0]).toBe(first);

    const again = await git(['push', remote, 'HEAD:refs/heads/master'], repo);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Everything up-to-date/);
    expect(await deployments(app.id)).toHaveLength(1);

    // Only the app's branch deploys: another branch reaches the repository and starts nothing.
    const side = await git(['push', remote, 'HEAD:refs/heads/side'], repo);
    expect(side.code, side.stderr).toBe(0);
    expect(fake.pushes.at(-1)).toMatchObject({ appId: app.id, commit: first, ok: false });
    expect(await deployments(app.id)).toHaveLength(1);

    const second = await commit(repo, 'index.html', '<h1>two</h1>\n');
    fake.failNextDeployOf(second);
    expect((await git(['push', remote, 'HEAD:refs/heads/master'], repo)).code).toBe(0);
    const failed = await until('failed deployment', async () => {
      const [latest] = await deployments(app.id);
      return latest.commit === second && latest.state !== 'WIP' ? latest : undefined;
    });
    expect(failed.state).toBe('FAIL');
    expect(fake.apps().find((a) => a.id === app.id)!.commitId).toBe(first);

    const limited = await call<any[]>(fake, 'GET', `/v2/organisations/${ORG}/applications/${app.id}/deployments?limit=1`);
    expect(limited.body.map((d) => d.commit)).toEqual([second]);
  });

  it('needs the token and secret (or the API token), and serves fetches', async () => {
    const repo = path.join(work, 'src');
    const app = await createApp(fake);
    await until('repository ready', async () => (Date.now() >= app.creationDate + READY_MS ? true : undefined));
    const remote = app.deployment.httpUrl as string;

    const noAuth = await git(['push', remote, 'HEAD:refs/heads/master'], repo, gitEnv(null));
    expect(noAuth.code).not.toBe(0);
    const wrong = await git(['push', remote, 'HEAD:refs/heads/master'], repo, gitEnv(`Authorization: Basic ${Buffer.from(`${TOKEN}:nope`).toString('base64')}`));
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/401|Authentication failed|could not read Username/i);
    expect(fake.apps().find((a) => a.id === app.id)!.deployments).toEqual([]);

    const bearer = await git(['push', remote, 'HEAD:refs/heads/master'], repo, gitEnv(`Authorization: Bearer ${API_TOKEN}`));
    expect(bearer.code, bearer.stderr).toBe(0);
    const head = (await git(['rev-parse', 'HEAD'], repo)).stdout.trim();

    const clone = await git(['clone', '-q', remote, path.join(work, 'clone')], work);
    expect(clone.code, clone.stderr).toBe(0);
    expect((await git(['rev-parse', 'HEAD'], path.join(work, 'clone'))).stdout.trim()).toBe(head);
  });

  it('redeploys through POST instances (deploymentId) and stops through DELETE instances', async () => {
    const repo = path.join(work, 'src');
    const app = await createApp(fake);
    const base = `/v2/organisations/${ORG}/applications/${app.id}`;
    const never = await call(fake, 'POST', `${base}/instances`);
    expect(never.body.deploymentId).toMatch(/^deployment_/);
    const neverDone = await until('deployment without code', async () => {
      const d = (await call(fake, 'GET', `${base}/deployments/${never.body.deploymentId}`)).body;
      return d.state === 'WIP' ? undefined : d;
    });
    expect(neverDone.state).toBe('FAIL');

    await until('repository ready', async () => (Date.now() >= app.creationDate + READY_MS ? true : undefined));
    expect((await git(['push', app.deployment.httpUrl, 'HEAD:refs/heads/master'], repo)).code).toBe(0);
    const head = (await git(['rev-parse', 'HEAD'], repo)).stdout.trim();
    expect((await call(fake, 'POST', `${base}/instances?commit=${'0'.repeat(40)}`)).status).toBe(404);
    const restart = await call(fake, 'POST', `${base}/instances?commit=${head}&useCache=no`);
    expect(restart.status).toBe(200);
    expect(restart.body).toMatchObject({ type: 'success', deploymentId: expect.stringMatching(/^deployment_/) });
    const [latest] = await deployments(app.id);
    expect(latest).toMatchObject({ uuid: restart.body.deploymentId, commit: head, state: 'WIP', action: 'DEPLOY' });

    expect((await call(fake, 'DELETE', `${base}/instances`)).status).toBe(200);
    expect((await call(fake, 'GET', base)).body.state).toBe('SHOULD_BE_DOWN');
  });

  it('inflates gzip request bodies and forgets the repository with the app', async () => {
    const repo = path.join(work, 'src');
    const app = await createApp(fake);
    await until('repository ready', async () => (Date.now() >= app.creationDate + READY_MS ? true : undefined));
    const remote = app.deployment.httpUrl as string;
    expect((await git(['push', remote, 'HEAD:refs/heads/master'], repo)).code).toBe(0);
    const head = (await git(['rev-parse', 'HEAD'], repo)).stdout.trim();

    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
    const negotiation = `${pkt(`want ${head} no-progress\n`)}0000${pkt('done\n')}`;
    const res = await fetch(`${remote}/git-upload-pack`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(negotiation)),
    });
    expect(res.status).toBe(200);
    const reply = Buffer.from(await res.arrayBuffer());
    expect(reply.subarray(0, 8).toString()).toBe('0008NAK\n');
    expect(reply.includes(Buffer.from('PACK'))).toBe(true);

    await call(fake, 'DELETE', `/v2/organisations/${ORG}/applications/${app.id}`);
    const gone = await git(['ls-remote', remote], repo);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/not found/i);
  });
});

describe('main.ts as a process', () => {
  it('prints its URL as one JSON line, serves the API and stops on SIGTERM', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const root = path.resolve(here, '..', '..', '..');
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'vite-node', 'vite-node.mjs'), path.join(here, 'main.ts'), '--', '--port', '0', '--api-token', 'proc-token'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const nl = out.indexOf('\n');
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.on('exit', (code) => reject(new Error(`exited ${code} before printing its URL`)));
      });
      const { url, pid } = JSON.parse(line) as { url: string; pid: number };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(pid).toBeGreaterThan(0);
      const res = await fetch(`${url}/v2/self`, { headers: { authorization: 'Bearer proc-token' } });
      expect(res.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
