/**
 * The Clever Cloud flow end to end: the built CLI as a process, against the fake API and its
 * real git smart-HTTP endpoint. Counts requests and pushes the way a user would audit a run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { runCli, tempRepo } from '../../helpers/cli.js';

const TOKEN = 'tok_5f2c9a7e41b84d6f9c3e2a1b0d8e7f6a';
const SECRET = 'sec_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const API_TOKEN = 'api_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ORG = 'orga_00000000-0000-4000-8000-000000000001';

let fake: FakeCleverCloud;
let repo: Awaited<ReturnType<typeof tempRepo>>;

function env(extra: Record<string, string> = {}) {
  return { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG, ...extra };
}
const common = ['--provider', 'clever-cloud', '--app', 'shop', '--branch', 'feature/login', '--timeout', '2m'];
const mutating = (f: FakeCleverCloud) => f.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const ours = (f: FakeCleverCloud, name: string) => f.apps().filter((a) => a.name === name);

async function up(extra: string[] = [], envExtra: Record<string, string> = {}) {
  return runCli(['up', ...common, '--domain', '{name}.preview.example.com', '--json', ...extra], { cwd: repo.dir, env: env(envExtra) });
}

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, apiToken: API_TOKEN, orgId: ORG, gitReadyDelayMs: 1500, deployDurationMs: 400 });
  repo = await tempRepo({ 'index.html': '<h1>one</h1>\n', 'package.json': '{"name":"shop","scripts":{"start":"node -e 0"}}\n' });
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
});

describe('clever-cloud: up, re-run, new commit, stop', () => {
  let name = '';
  let id = '';

  it('fresh up creates exactly one tagged app, sets the domain, deploys the commit and prints the URL', async () => {
    const r = await up();
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ name: string; id: string; url: string; created: boolean; deployed: boolean; commit: string }>();
    name = out.name;
    id = out.id;
    expect(out.created).toBe(true);
    expect(out.deployed).toBe(true);
    expect(out.commit).toBe(repo.first);
    expect(out.url).toBe(`https://${name}.preview.example.com`);
    const apps = ours(fake, name);
    expect(apps).toHaveLength(1);
    expect(apps[0]!.id).toBe(id);
    expect(apps[0]!.tags).toContain('preview-kit');
    expect(apps[0]!.vhosts.map((v: { fqdn: string }) => v.fqdn.replace(/\/$/, ''))).toContain(`${name}.preview.example.com`);
    expect(fake.pushes.filter((p) => p.appId === id && p.ok).map((p) => p.commit)).toEqual([repo.first]);
    // The new repository is asked (info/refs) until it answers, then pushed at once: no push is refused.
    expect(fake.pushes.filter((p) => p.appId === id && !p.ok)).toEqual([]);
    const git = fake.gitRequests.filter((g) => g.path.includes(id)).map((g) => `${g.method} ${g.service ?? g.path.split('/').pop()} ${g.status}`);
    const answered = git.indexOf('GET git-upload-pack 200');
    expect(git.slice(0, answered).every((g) => g === 'GET git-upload-pack 404')).toBe(true);
    expect(git.slice(answered)).toEqual(['GET git-upload-pack 200', 'GET git-receive-pack 200', 'POST git-receive-pack 200']);
  });

  it('a second up with nothing to change makes no mutating call and no push, and few reads', async () => {
    fake.resetLog();
    const pushesBefore = fake.pushes.length;
    const r = await up();
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ id: string; created: boolean; deployed: boolean; changed: boolean }>();
    expect(out).toMatchObject({ id, created: false, deployed: false, changed: false });
    expect(mutating(fake)).toEqual([]);
    expect(fake.pushes.length).toBe(pushesBefore);
    // One read per kind: the applications listing, this app's tags, its recent deployments; git is not asked.
    const kinds = fake.requests.map((r) => r.path.replace(`/v2/organisations/${ORG}`, '').replace(id, '{id}'));
    expect(kinds.sort()).toEqual(['/applications', '/applications/{id}/deployments', '/applications/{id}/tags']);
    expect(fake.gitRequests).toEqual([]);
  });

  it('a new commit is pushed once to the same app', async () => {
    const second = await repo.commit({ 'index.html': '<h1>two</h1>\n' }, 'second');
    const before = fake.pushes.length;
    const r = await up();
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ id: string; deployed: boolean; commit: string }>()).toMatchObject({ id, deployed: true, commit: second });
    expect(fake.pushes.slice(before).filter((p) => p.ok)).toEqual([expect.objectContaining({ appId: id, commit: second })]);
    expect(ours(fake, name)).toHaveLength(1);
    // A repository that already received code is pushed to without asking first; the push is the only write.
    expect(fake.gitRequests.filter((g) => g.service === 'git-upload-pack')).toEqual([]);
    expect(mutating(fake)).toEqual([]);
    expect(fake.pushes.slice(before)).toHaveLength(1);
  });

  it('status shows the app; stop removes it; a second stop is a no-op with exit 0', async () => {
    const s = await runCli(['status', ...common, '--json'], { cwd: repo.dir, env: env() });
    expect(s.code, s.stderr).toBe(0);
    expect(s.json<{ id: string }>().id).toBe(id);

    const r = await runCli(['stop', ...common, '--json'], { cwd: repo.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ deleted: boolean; removed: string[] }>()).toMatchObject({ deleted: true });
    expect(ours(fake, name)).toHaveLength(0);

    fake.resetLog();
    const again = await runCli(['stop', ...common, '--json'], { cwd: repo.dir, env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<{ deleted: boolean }>().deleted).toBe(false);
    expect(mutating(fake)).toEqual([]);

    const gone = await runCli(['status', ...common], { cwd: repo.dir, env: env() });
    expect(gone.code).toBe(4);
  });
});

describe('clever-cloud: add-ons and env', () => {
  it('creates, tags, links and re-uses a per-preview add-on, and removes it on stop', async () => {
    const args = ['--branch', 'feature/db', '--addon', 'postgresql-addon:dev', '--env', 'GREETING=hi'];
    const r = await up(args);
    expect(r.code, r.stderr).toBe(0);
    const { name, id } = r.json<{ name: string; id: string }>();
    const addons = fake.addons().filter((a) => a.linkedApps?.includes(id) || a.name?.startsWith(name));
    expect(addons).toHaveLength(1);
    expect(fake.apps().find((a) => a.id === id)!.env).toMatchObject({ GREETING: 'hi' });

    fake.resetLog();
    const again = await up(args);
    expect(again.code, again.stderr).toBe(0);
    expect(mutating(fake)).toEqual([]);
    expect(fake.addons().filter((a) => a.name?.startsWith(name))).toHaveLength(1);

    const stop = await runCli(['stop', ...common, '--branch', 'feature/db'], { cwd: repo.dir, env: env() });
    expect(stop.code, stop.stderr).toBe(0);
    expect(fake.addons().filter((a) => a.name?.startsWith(name))).toHaveLength(0);
    expect(fake.apps().filter((a) => a.id === id)).toHaveLength(0);
  });
});

describe('clever-cloud: safety and failures', () => {
  afterEach(() => fake.setFaults(undefined));

  it('a bad token exits 3 and creates nothing', async () => {
    const before = fake.apps().length;
    const r = await up(['--branch', 'feature/badauth'], { CLEVER_TOKEN: 'tok_wrong_0000000000', CLEVER_SECRET: 'sec_wrong_0000000000' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^preview-kit: .*refused the credentials/m);
    expect(fake.apps().length).toBe(before);
  });

  it('missing credentials exit 2 naming the variables', async () => {
    const r = await runCli(['up', ...common], { cwd: repo.dir, env: { CLEVER_API_URL: fake.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CLEVER_TOKEN/);
  });

  it('an app with the same name but without our tag is refused (exit 6) and left untouched', async () => {
    const name = (await runCli(['name', '--app', 'shop', '--branch', 'feature/taken', '--json'])).json<{ name: string }>().name;
    const headers = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' };
    const instances = (await (await fetch(`${fake.url}/v2/products/instances`, { headers })).json()) as Array<{
      type: string; version: string; enabled: boolean; variant: { id: string; slug: string };
    }>;
    const node = instances.filter((i) => i.enabled && i.variant.slug === 'node').sort((a, b) => b.version.localeCompare(a.version))[0]!;
    const res = await fetch(`${fake.url}/v2/organisations/${ORG}/applications`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name, deploy: 'git', zone: 'par', instanceType: node.type, instanceVersion: node.version, instanceVariant: node.variant.id,
        minFlavor: 'XS', maxFlavor: 'XS', minInstances: 1, maxInstances: 1, instanceLifetime: 'REGULAR', description: 'someone else',
      }),
    });
    expect(res.status).toBeLessThan(300);
    const theirs = ours(fake, name)[0]!;
    fake.resetLog();
    const r = await up(['--branch', 'feature/taken']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/--adopt/);
    expect(mutating(fake)).toEqual([]);
    expect(ours(fake, name)).toEqual([theirs]);
  });

  it('with --debug, no output contains the token or the secret', async () => {
    const r = await up(['--branch', 'feature/secrets', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    const all = r.stdout + r.stderr;
    expect(all).toContain('debug:');
    for (const secret of [TOKEN, SECRET, encodeURIComponent(SECRET), Buffer.from(`${TOKEN}:${SECRET}`).toString('base64')]) {
      expect(all).not.toContain(secret);
    }
    await runCli(['stop', ...common, '--branch', 'feature/secrets'], { cwd: repo.dir, env: env() });
  });

  it('20% injected faults: still exit 0 and one app', async () => {
    fake.setFaults({ rate: 0.2, seed: 11, kinds: ['503-html', '503-json', '429', 'latency', 'applied-503'], latencyMs: 200 });
    const r = await up(['--branch', 'feature/faults']);
    fake.setFaults(undefined);
    expect(r.code, r.stderr).toBe(0);
    const { name } = r.json<{ name: string }>();
    expect(ours(fake, name)).toHaveLength(1);
    expect(fake.requests.some((q) => q.fault)).toBe(true);
    await runCli(['stop', ...common, '--branch', 'feature/faults'], { cwd: repo.dir, env: env() });
  });

  it('10 concurrent ups for one branch end with one app, and all report its id', async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, () => up(['--branch', 'feature/race'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const ids = new Set(runs.map((r) => r.json<{ id: string }>().id));
    const { name } = runs[0]!.json<{ name: string }>();
    const left = ours(fake, name);
    expect(left).toHaveLength(1);
    expect([...ids]).toEqual([left[0]!.id]);
    await runCli(['stop', ...common, '--branch', 'feature/race'], { cwd: repo.dir, env: env() });
    expect(ours(fake, name)).toHaveLength(0);
  });

  it('--dry-run on a new preview plans the steps and changes nothing', async () => {
    fake.resetLog();
    const r = await up(['--branch', 'feature/dry', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ plan: string[]; dryRun: boolean }>();
    expect(out.dryRun).toBe(true);
    expect(out.plan.join('\n')).toMatch(/create/);
    expect(mutating(fake)).toEqual([]);
  });
});
