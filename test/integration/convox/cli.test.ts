/**
 * The Convox flow end to end, on a rack of each generation: the built CLI as a process, pointed at
 * the fake rack by RACK_URL, the way a pipeline runs it. Checked is what a person would audit
 * after a run: the apps, builds and promotions on the rack, the write requests it received, the
 * exit code and the one `preview-kit:` line on failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRack, type FakeRack, type Generation } from '../../fakes/convox/server.js';
import { ROOT, runCli, tempRepo, type CliRun } from '../../helpers/cli.js';

const PASSWORD = 'rack-pw-8d41c7e2b9f0a3561e7d';
const CONVOX_YML = 'services:\n  web:\n    build: .\n    port: 3000\n    domain: ${PREVIEW_HOST}\n';

let rack: FakeRack;
let repo: Awaited<ReturnType<typeof tempRepo>>;

const common = ['--provider', 'convox', '--app', 'shop', '--timeout', '1m'];
const env = (extra: Record<string, string> = {}) => ({ RACK_URL: rack.urlWithPassword, ...extra });
const writesSince = (n: number) => rack.writes().slice(n);
const previewLines = (r: CliRun) => r.stderr.split('\n').filter((l) => l.startsWith('preview-kit:'));
const builds = (name: string) => rack.writes().filter((w) => w.method === 'POST' && w.path === `/apps/${name}/builds`);
const promotions = (name: string) => rack.writes().filter((w) => w.method === 'POST' && w.path.startsWith(`/apps/${name}/releases/`) && w.path.endsWith('/promote'));

function run(command: string, branch: string, extra: string[] = [], envExtra: Record<string, string> = {}, cwd = repo.dir) {
  return runCli([command, ...common, '--branch', branch, ...extra], { cwd, env: env(envExtra) });
}
const up = (branch: string, extra: string[] = [], envExtra: Record<string, string> = {}) =>
  run('up', branch, ['--domain', '{name}.preview.example.com', '--json', ...extra], envExtra);

/** The commit the app's promoted release was built from. */
function liveCommit(name: string): string | undefined {
  const app = rack.app(name);
  const release = app?.releases.find((r) => r.id === app.release);
  return app?.builds.find((b) => b.id === release?.build)?.gitSha;
}

const GENERATIONS: Array<{ generation: Generation; label: string }> = [
  { generation: '2', label: 'v2 rack (AWS)' },
  { generation: '3', label: 'v3 rack (Kubernetes)' },
];

describe.each(GENERATIONS)('convox CLI on a $label', ({ generation }) => {
  beforeAll(async () => {
    rack = await startFakeRack({ generation, password: PASSWORD });
    repo = await tempRepo({ 'convox.yml': CONVOX_YML, Dockerfile: 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n', 'server.js': 'console.log("one")\n' });
  });

  afterAll(async () => {
    await rack?.close();
    await repo?.remove();
  });

  describe('up, re-run, new commit, failed build, status, stop', () => {
    const branch = 'feature/login';
    let name = '';

    it('first up creates the app, builds and promotes the commit, and prints name, url, created, deployed', async () => {
      const r = await up(branch);
      expect(r.code, r.stderr).toBe(0);
      const out = r.json<{ name: string; id: string; url: string; created: boolean; deployed: boolean; commit: string }>();
      name = out.name;
      expect(out).toMatchObject({ id: name, created: true, deployed: true, commit: repo.first, url: `https://${name}.preview.example.com` });
      const app = rack.app(name)!;
      expect(app.status).toBe('running');
      expect(app.builds).toHaveLength(1);
      expect(app.promotions).toEqual([app.release]);
      expect(liveCommit(name)).toBe(repo.first);
      expect(app.releases.at(-1)!.env).toContain(`PREVIEW_HOST=${name}.preview.example.com`);
      expect(app.releases.at(-1)!.env).toContain(`PREVIEW_KIT_OWNER=preview-kit:${name}`);
    });

    it('a second up with nothing to change makes no write request', async () => {
      const before = rack.writes().length;
      const r = await up(branch);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ name, created: false, changed: false, deployed: false });
      expect(writesSince(before)).toEqual([]);
    });

    it('a new commit is built once and promoted once', async () => {
      const second = await repo.commit({ 'server.js': 'console.log("two")\n' }, 'second');
      const [buildsBefore, promotionsBefore] = [builds(name).length, promotions(name).length];
      const r = await up(branch);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ name, created: false, deployed: true, commit: second });
      expect(builds(name).length - buildsBefore).toBe(1);
      expect(promotions(name).length - promotionsBefore).toBe(1);
      expect(builds(name).at(-1)!.form['git-sha']).toBe(second);
      expect(liveCommit(name)).toBe(second);
      expect(rack.app(name)!.status).toBe('running');
    });

    it('a failed build exits 5: the log tail on stderr, then one preview-kit line; the live release stays', async () => {
      const live = rack.app(name)!.release;
      rack.failNextBuild('Step 3/5 : RUN npm ci\nnpm ERR! 404 Not Found - GET left-pad@9.9.9');
      await repo.commit({ 'server.js': 'require("left-pad")\n' }, 'third');
      const promotionsBefore = promotions(name).length;
      const r = await up(branch);
      expect(r.code, r.stderr).toBe(5);
      const lines = previewLines(r);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^preview-kit: deploy: build B[A-Z]{10} of ${name} \\(commit [0-9a-f]{12}\\) failed: npm ERR! 404 Not Found - GET left-pad@9\\.9\\.9 \\(`));
      const before = r.stderr.slice(0, r.stderr.indexOf(lines[0]!));
      expect(before).toContain('npm ERR! 404 Not Found - GET left-pad@9.9.9');
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.json<{ exitCode: number }>().exitCode).toBe(5);
      expect(promotions(name).length).toBe(promotionsBefore);
      expect(rack.app(name)!.release).toBe(live);
    });

    it('status shows the app and the commit it runs; an absent preview is exit 4', async () => {
      const s = await run('status', branch, ['--json']);
      expect(s.code, s.stderr).toBe(0);
      const out = s.json<{ id: string; preview: { lastDeployment: { commit: string; state: string } } }>();
      expect(out.id).toBe(name);
      expect(out.preview.lastDeployment).toMatchObject({ commit: liveCommit(name), state: 'ok' });

      const absent = await run('status', 'feature/never-deployed');
      expect(absent.code).toBe(4);
      expect(previewLines(absent)).toHaveLength(1);
    });

    it('stop deletes the app and waits until it is gone; a second stop exits 0 without writing', async () => {
      const r = await run('stop', branch, ['--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ name, deleted: true });
      expect(rack.app(name)).toBeUndefined();

      const before = rack.writes().length;
      const again = await run('stop', branch, ['--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json()).toMatchObject({ name, deleted: false });
      expect(writesSince(before)).toEqual([]);
    });
  });

  describe('sleep, list, wake', () => {
    const branch = 'feature/nap';
    let name = '';

    it('sleep scales the services to zero and exits 0; list says sleeping; a second sleep writes nothing', async () => {
      const first = await up(branch);
      expect(first.code, first.stderr).toBe(0);
      name = first.json<{ name: string }>().name;
      const slept = await run('sleep', branch, ['--json']);
      expect(slept.code, slept.stderr).toBe(0);
      expect(slept.json()).toMatchObject({ name, slept: true, stopped: [`service web of app ${name} (1 → 0)`] });
      expect(Object.values(rack.app(name)!.scale).map((s) => s.count)).toEqual([0]);
      const list = await runCli(['list', ...common, '--json'], { cwd: repo.dir, env: env() });
      expect(list.code, list.stderr).toBe(0);
      const listed = list.json<{ previews: Array<{ name: string; state: string; lastDeployedAt?: string; commit?: string }> }>().previews.find((p) => p.name === name);
      const live = rack.app(name)!.releases.find((r) => r.id === rack.app(name)!.release)!;
      expect(listed).toMatchObject({ state: 'sleeping', lastDeployedAt: live.created, commit: liveCommit(name) });
      const before = rack.writes().length;
      const again = await run('sleep', branch, ['--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json()).toMatchObject({ slept: false });
      expect(writesSince(before)).toEqual([]);
    });

    it('up of the same commit wakes it: the service back to its count, no build, no new release', async () => {
      const releases = rack.app(name)!.releases.length;
      const woken = await up(branch);
      expect(woken.code, woken.stderr).toBe(0);
      expect(woken.json()).toMatchObject({ name, deployed: false });
      expect(Object.values(rack.app(name)!.scale).map((s) => s.count)).toEqual([1]);
      expect(rack.app(name)!.releases).toHaveLength(releases);
      expect(builds(name)).toHaveLength(1);
      const stop = await run('stop', branch);
      expect(stop.code, stop.stderr).toBe(0);
    });
  });

  describe('credentials, ownership, secrets', () => {
    it('a wrong rack password exits 3, creates nothing, and is never read as "absent"', async () => {
      const wrong = rack.urlWithPassword.replace(encodeURIComponent(PASSWORD), 'rack-pw-wrong-0000000000');
      const before = rack.apps().length;
      const seen = rack.requests.length;
      const r = await up('feature/badauth', [], { RACK_URL: wrong });
      expect(r.code, r.stderr).toBe(3);
      expect(previewLines(r)).toHaveLength(1);
      expect(rack.apps().length).toBe(before);
      const sent = rack.requests.slice(seen);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((q) => q.method !== 'GET')).toEqual([]);
      expect(sent.every((q) => !q.authorized && q.status === 401)).toBe(true);
      const status = await run('status', 'feature/badauth', [], { RACK_URL: wrong });
      expect(status.code).toBe(3);
      expect(r.stdout + r.stderr + status.stdout + status.stderr).not.toContain('rack-pw-wrong-0000000000');
    });

    it('an app with the preview’s name but without our marks: up exits 6, status says absent (4), stop leaves it (0); nothing is written', async () => {
      const name = (await runCli(['name', '--app', 'shop', '--branch', 'feature/taken', '--json'])).json<{ name: string }>().name;
      const theirs = rack.seedApp(name, { env: { DATABASE_URL: 'postgres://theirs' } });
      const before = rack.writes().length;
      const refused = await up('feature/taken');
      expect(refused.code, refused.stderr).toBe(6);
      expect(previewLines(refused)).toHaveLength(1);
      expect(previewLines(refused)[0]).toMatch(/--adopt/);
      const status = await run('status', 'feature/taken');
      expect(status.code, status.stderr).toBe(4);
      const stop = await run('stop', 'feature/taken', ['--json']);
      expect(stop.code, stop.stderr).toBe(0);
      expect(stop.stderr).toMatch(/lacks preview-kit's marker: left alone/);
      expect(writesSince(before)).toEqual([]);
      expect(rack.app(name)).toEqual(theirs);
    });

    it('shop-admin + main and shop + admin-main share a name: the second up is refused naming the first, its stop removes nothing', async () => {
      const cli = (command: string, app: string, branch: string, extra: string[] = []) =>
        runCli([command, '--provider', 'convox', '--app', app, '--branch', branch, '--timeout', '1m', ...extra], { cwd: repo.dir, env: env() });
      const first = await cli('up', 'shop-admin', 'main', ['--json']);
      expect(first.code, first.stderr).toBe(0);
      const name = first.json<{ name: string }>().name;
      const snapshot = structuredClone(rack.app(name));
      const before = rack.writes().length;
      const second = await cli('up', 'shop', 'admin-main');
      expect(second.code, second.stderr).toBe(6);
      expect(previewLines(second)[0]).toMatch(/belongs to the preview of shop-admin, branch main.*--prefix/);
      const stop = await cli('stop', 'shop', 'admin-main');
      expect(stop.code, stop.stderr).toBe(0);
      expect(stop.stderr).toMatch(/belongs to the preview of shop-admin, branch main: left alone/);
      expect(writesSince(before)).toEqual([]);
      expect(rack.app(name)).toEqual(snapshot);
      const own = await cli('stop', 'shop-admin', 'main');
      expect(own.code, own.stderr).toBe(0);
      expect(rack.app(name)).toBeUndefined();
    });

    it('with --debug, the rack password never reaches stdout or stderr, from RACK_URL or CONVOX_PASSWORD', async () => {
      const r = await up('feature/secrets', ['--debug']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('debug:');
      const s = await run('status', 'feature/secrets', ['--debug', '--json'], { RACK_URL: rack.url, CONVOX_PASSWORD: PASSWORD });
      expect(s.code, s.stderr).toBe(0);
      const stop = await run('stop', 'feature/secrets', ['--debug']);
      expect(stop.code, stop.stderr).toBe(0);
      const basic = Buffer.from(`convox:${PASSWORD}`).toString('base64');
      for (const out of [r, s, stop]) {
        const all = out.stdout + out.stderr;
        expect(all).not.toContain(PASSWORD);
        expect(all).not.toContain(PASSWORD.slice(0, 16));
        expect(all).not.toContain(basic);
        expect(all).not.toContain(rack.urlWithPassword);
      }
    });
  });

  describe('the example app', () => {
    it('examples/convox (convox.yml and .preview.yml) deploys with the preview host routed by the manifest', async () => {
      const file = (f: string) => readFileSync(join(ROOT, 'examples', 'convox', f), 'utf8');
      const example = await tempRepo({ 'convox.yml': file('convox.yml'), '.preview.yml': file('.preview.yml'), Dockerfile: 'FROM node:20-alpine\n', 'server.js': '\n' }, 'feature/example');
      try {
        const r = await runCli(['up', '--json'], { cwd: example.dir, env: env() });
        expect(r.code, r.stderr).toBe(0);
        const { name, url } = r.json<{ name: string; url: string }>();
        expect(url).toBe(`https://${name}.preview.example.com`);
        expect(r.stderr).not.toMatch(/does not use/);
        const app = rack.app(name)!;
        expect(app.builds[0]!.manifest).toContain('domain: ${PREVIEW_HOST}');
        expect(app.releases.at(-1)!.env).toContain('NODE_ENV=production');
        const s = await runCli(['status', '--json'], { cwd: example.dir, env: env() });
        expect(s.json<{ preview: { domains: Array<{ host: string }> } }>().preview.domains.map((d) => d.host)).toContain(`${name}.preview.example.com`);
        const stop = await runCli(['stop'], { cwd: example.dir, env: env() });
        expect(stop.code, stop.stderr).toBe(0);
        expect(rack.app(name)).toBeUndefined();
      } finally {
        await example.remove();
      }
    });
  });
});
