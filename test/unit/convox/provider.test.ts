import { describe, expect, it } from 'vitest';
import { AuthError, ExitCode, ProviderError, SafetyError } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import { desiredEnv, IDENTITY_KEY, KEY_KEY, MANAGED_KEY, OWNER_KEY, parseEnv } from '../../../src/providers/convox/env.js';
import { BuildFailedError } from '../../../src/providers/convox/provider.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { readTarGz } from '../../fakes/convox/tar.js';
import { GENERATIONS, harness, IDENTITY, marksFor, refFor, settingsFor, specFor, TempRepo, up, useRackAndRepo } from './helpers.js';

const NAME = 'shop-feature-cart';

let rack: FakeRack;
let repo: TempRepo;
let commit: string;

const envOf = (release: { env: string } | undefined) => parseEnv(release?.env);
const latestEnv = (name = NAME) => envOf(rack.app(name)?.releases.at(-1));
const writesTo = (method: string, pattern: RegExp) => rack.writes().filter((r) => r.method === method && pattern.test(r.path));

describe.each(GENERATIONS)('convox provider against a fake $label', ({ generation }) => {
  useRackAndRepo(generation, { create: 20, buildStart: 5, build: 20, promote: 20, delete: 20 }, (r, t) => {
    [rack, repo] = [r, t];
    commit = repo.commit('first');
  });

  it('first up: creates the app, records ownership, builds the commit and promotes it', async () => {
    const h = harness(settingsFor(rack));
    const { ensured, domains, deployed } = await up(h, specFor(NAME), { dir: repo.dir, commit });

    expect(ensured.created).toBe(true);
    expect(domains.changed).toBe(false); // ensure wrote the domain with the ownership record
    expect(deployed.deployed).toBe(true);
    expect(deployed.url).toBe(`https://${NAME}.preview.example.test`);

    const app = rack.app(NAME)!;
    expect(app.status).toBe('running');
    expect(app.builds).toHaveLength(1);
    expect(app.builds[0]).toMatchObject({ status: 'complete', gitSha: commit });
    expect(app.release).toBe(app.builds[0]!.release);
    expect(app.promotions).toEqual([app.release]);
    expect(latestEnv()).toMatchObject({
      [OWNER_KEY]: `preview-kit:${NAME}`,
      [KEY_KEY]: identityKey(IDENTITY),
      [IDENTITY_KEY]: '{"project":"shop","branch":"feature/cart"}',
      NODE_ENV: 'preview',
      PREVIEW_HOST: `${NAME}.preview.example.test`,
    });

    // The real routes, verbs and form fields, with basic auth on every call.
    expect(rack.requests.every((r) => r.authorized)).toBe(true);
    const [create] = writesTo('POST', /^\/apps$/);
    expect(create!.form).toEqual({ name: NAME, generation: '2' });
    expect(create!.contentType).toBe('application/x-www-form-urlencoded');
    const [upload] = writesTo('POST', /^\/apps\/[^/]+\/objects\/tmp\/[0-9a-f]{30}\.tgz$/);
    expect(upload!.contentType).toBe('application/octet-stream');
    const [build] = writesTo('POST', /^\/apps\/[^/]+\/builds$/);
    expect(build!.form).toMatchObject({ 'git-sha': commit, description: `preview-kit ${commit}` });
    expect(build!.form.url).toMatch(/^object:\/\/shop-feature-cart\/tmp\/[0-9a-f]{30}\.tgz$/);
    expect(writesTo('POST', /\/releases\/R[A-Z]{10}\/promote$/)).toHaveLength(1);

    // What was uploaded is the commit minus .dockerignore.
    const key = build!.form.url!.replace(`object://${NAME}/`, '');
    const uploaded = readTarGz(rack.object(NAME, key)!).map((f) => f.path);
    expect(uploaded).toContain('convox.yml');
    expect(uploaded).not.toContain('debug.log');
    expect(uploaded.some((p) => p.startsWith('node_modules'))).toBe(false);
  });

  it('status: app status, current release, its build commit and the service URLs', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    const preview = await harness(settingsFor(rack)).provider.find(refFor(NAME));
    const app = rack.app(NAME)!;
    expect(preview).toMatchObject({
      name: NAME,
      id: NAME,
      url: `https://${NAME}.preview.example.test`,
      identity: IDENTITY,
      details: { generation },
      lastDeployment: { id: app.release, state: 'ok', commit },
    });
    expect(preview!.domains).toEqual([
      { host: `${NAME}.preview.example.test` },
      { host: `web.${NAME}.fake-rack.convox.test`, builtIn: true },
      { host: `worker.${NAME}.fake-rack.convox.test`, builtIn: true },
    ]);
    expect(preview!.details).toMatchObject({ status: 'running', release: app.release, build: app.builds[0]!.id });
    expect(preview!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('without --domain, the URL is the web service of the rack', async () => {
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME, { domains: [] }), { dir: repo.dir, commit });
    expect(deployed.url).toBe(`https://web.${NAME}.fake-rack.convox.test`);
  });

  it('no-op rerun: nothing to change makes no write', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    rack.resetLog();
    const { ensured, domains, deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(rack.writes()).toEqual([]);
    expect(rack.requests.length).toBeGreaterThan(0);
    expect(ensured).toMatchObject({ created: false, changed: false });
    expect(domains.changed).toBe(false);
    expect(deployed.deployed).toBe(false);
    expect(deployed.reason).toMatch(/already live/);
  });

  it('new commit: one upload, one build, one promotion', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    repo.write({ 'app.js': 'console.log("v2")\n' });
    const second = repo.commit('second');
    rack.resetLog();
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit: second });
    expect(deployed.deployed).toBe(true);
    expect(rack.writes().map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{30}|[A-Z]{11}/g, 'ID')}`)).toEqual([
      `POST /apps/${NAME}/objects/tmp/ID.tgz`,
      `POST /apps/${NAME}/builds`,
      `POST /apps/${NAME}/releases/ID/promote`,
    ]);
    const app = rack.app(NAME)!;
    expect(app.builds.at(-1)!.gitSha).toBe(second);
    expect(app.release).toBe(app.builds.at(-1)!.release);
  });

  it('--force rebuilds a live commit', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit, force: true });
    expect(deployed.deployed).toBe(true);
    expect(rack.app(NAME)!.builds).toHaveLength(2);
  });

  it('an env change is one release, promoted by deploy without a rebuild', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    rack.resetLog();
    const spec = specFor(NAME, { env: { NODE_ENV: 'preview', FEATURE: 'on' } });
    const { ensured, deployed } = await up(harness(settingsFor(rack)), spec, { dir: repo.dir, commit });
    expect(ensured.changed).toBe(true);
    expect(deployed.deployed).toBe(true);
    expect(rack.writes().map((w) => `${w.method} ${w.path.replace(/[A-Z]{11}/g, 'ID')}`)).toEqual([
      `POST /apps/${NAME}/releases`,
      `POST /apps/${NAME}/releases/ID/promote`,
    ]);
    const app = rack.app(NAME)!;
    expect(app.builds).toHaveLength(1);
    expect(envOf(app.releases.find((r) => r.id === app.release))).toMatchObject({ FEATURE: 'on' });
    // Dropping the key from --env removes it again.
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(latestEnv().FEATURE).toBeUndefined();
  });

  it('dropping --domain removes the domain variable again; a variable set by hand stays', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(latestEnv()[MANAGED_KEY]).toBe('NODE_ENV,PREVIEW_HOST');
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME, { domains: [] }), { dir: repo.dir, commit });
    expect(latestEnv().PREVIEW_HOST).toBeUndefined();
    expect(deployed.url).toBe(`https://web.${NAME}.fake-rack.convox.test`);

    const other = 'shop-by-hand';
    rack.seedApp(other, { env: { ...marksFor(other), PREVIEW_HOST: 'hand.example.test' } });
    await harness(settingsFor(rack)).provider.ensure(specFor(other, { domains: [] }));
    expect(latestEnv(other).PREVIEW_HOST).toBe('hand.example.test');
  });

  it('a failed build is exit 5 with the end of its log, and nothing is promoted', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.failNextBuild('npm ERR! missing script: build\nnpm ERR! A complete log of this run can be found in /root/.npm/_logs');
    const error = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failed = error as BuildFailedError;
    expect(failed.exitCode).toBe(ExitCode.provider);
    expect(failed.logTail).toContain('npm ERR! missing script: build');
    expect(failed.message).toContain(failed.buildId);
    expect(failed.hint).toContain(`convox builds logs ${failed.buildId} -a ${NAME}`);
    expect(h.logger.text()).toContain('npm ERR! missing script: build');
    expect(rack.app(NAME)!.promotions).toEqual([]);
    expect(writesTo('POST', /promote$/)).toHaveLength(0);
  });

  it('a build without convox.yml fails with the rack\'s reason', async () => {
    const bare = new TempRepo({ Dockerfile: 'FROM scratch\n' });
    try {
      const h = harness(settingsFor(rack));
      const ensured = await h.provider.ensure(specFor(NAME));
      const error = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: bare.dir, commit: bare.commit(), force: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BuildFailedError);
      expect((error as Error).message).toMatch(/convox\.yml: no such file/);
    } finally {
      bare.remove();
    }
  });

  it('a promotion that rolls back is exit 5', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.failNextPromote();
    const error = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).exitCode).toBe(ExitCode.provider);
    expect((error as Error).message).toMatch(/rollback/);
  });

  it('an app the rack fails to create is exit 5 with its status, and is removed', async () => {
    rack.failNextCreate();
    const h = harness(settingsFor(rack));
    const error = await h.provider.ensure(specFor(NAME)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).exitCode).toBe(ExitCode.provider);
    expect((error as Error).message).toMatch(generation === '2' ? /status "(rollback|failed)"/ : /status "rollback"/);
    expect(writesTo('DELETE', new RegExp(`^/apps/${NAME}$`))).toHaveLength(1);
    expect(h.logger.text()).toMatch(/removing app/);
  });

  it('a name too long for a v3 rack is a usage error with a hint; a v2 rack takes it', async () => {
    const long = `shop-${'x'.repeat(52)}`;
    const result = await harness(settingsFor(rack)).provider.ensure(specFor(long)).catch((e: unknown) => e);
    if (generation === '2') {
      // CloudFormation names the stack <rack>-<app>, up to 128 characters.
      expect(result).toMatchObject({ created: true });
      return;
    }
    expect((result as { exitCode?: number }).exitCode).toBe(ExitCode.usage);
    expect((result as { hint?: string }).hint).toMatch(/--prefix/);
    expect(rack.apps()).toEqual([]);
  });

  it('409 race: another run created the app first; we use it and never fail', async () => {
    const first = harness(settingsFor(rack));
    // What the other run writes, a moment after its create: the env of the same spec.
    rack.raceNextCreate(NAME, {
      env: desiredEnv({}, { appName: NAME, wanted: { NODE_ENV: 'preview', PREVIEW_HOST: `${NAME}.preview.example.test` }, identity: IDENTITY, key: identityKey(IDENTITY), now: new Date('2024-01-01T00:00:00Z') }),
      envDelayMs: 60,
    });
    const ensured = await first.provider.ensure(specFor(NAME));
    expect(ensured.created).toBe(false);
    expect(ensured.changed).toBe(false);
    expect(rack.apps()).toHaveLength(1);
    const creates = writesTo('POST', /^\/apps$/);
    expect(creates.map((c) => c.status)).toEqual([generation === '2' ? 500 : 409]);
    expect(writesTo('POST', /\/releases$/)).toHaveLength(0);
    const { deployed } = await up(first, specFor(NAME), { dir: repo.dir, commit });
    expect(deployed.deployed).toBe(true);
  });

  it('409 race with an app nobody claims: taken as ours after the wait, with a warning', async () => {
    rack.raceNextCreate(NAME);
    const h = harness(settingsFor(rack, { claimWaitMs: 100 }));
    const ensured = await h.provider.ensure(specFor(NAME));
    expect(ensured.created).toBe(false);
    expect(latestEnv()[OWNER_KEY]).toBe(`preview-kit:${NAME}`);
    expect(h.logger.text()).toMatch(/waiting up to/);
  });

  it('an existing app without our marker: up and deploy exit 6, status says absent, stop leaves it; --adopt takes it over', async () => {
    rack.seedApp(NAME, { env: { DATABASE_URL: 'postgres://prod' } });
    for (const action of [
      (h: ReturnType<typeof harness>) => h.provider.ensure(specFor(NAME)),
      (h: ReturnType<typeof harness>) => h.provider.deploy({ name: NAME, id: NAME, url: '', domains: [] }, specFor(NAME), { dir: repo.dir, commit, force: false }),
    ]) {
      const error = await action(harness(settingsFor(rack))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SafetyError);
      expect((error as SafetyError).exitCode).toBe(ExitCode.safety);
      expect((error as SafetyError).hint).toMatch(/--adopt/);
    }
    expect(await harness(settingsFor(rack)).provider.find(refFor(NAME))).toBeUndefined();
    const stopper = harness(settingsFor(rack));
    expect(await stopper.provider.destroy(refFor(NAME))).toEqual({ deleted: false, removed: [] });
    expect(stopper.logger.text()).toMatch(/lacks preview-kit's marker: left alone/);
    expect(rack.writes()).toEqual([]);
    expect(rack.app(NAME)).toBeDefined();

    const adopted = await harness(settingsFor(rack), { adopt: true }).provider.ensure(specFor(NAME));
    expect(adopted.changed).toBe(true);
    expect(latestEnv()).toMatchObject({ ...marksFor(NAME), DATABASE_URL: 'postgres://prod' });
  });

  it('a marker naming another app does not count', async () => {
    rack.seedApp(NAME, { env: { [OWNER_KEY]: 'preview-kit:shop-other' } });
    await expect(harness(settingsFor(rack)).provider.ensure(specFor(NAME))).rejects.toBeInstanceOf(SafetyError);
  });

  it('stop twice: deletes and waits until gone, then is a no-op', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    const first = await harness(settingsFor(rack)).provider.destroy(refFor(NAME));
    expect(first).toEqual({ deleted: true, removed: [`app ${NAME}`] });
    expect(rack.app(NAME)).toBeUndefined();
    rack.resetLog();
    const second = await harness(settingsFor(rack)).provider.destroy(refFor(NAME));
    expect(second).toEqual({ deleted: false, removed: [] });
    expect(rack.writes()).toEqual([]);
    expect(await harness(settingsFor(rack)).provider.find(refFor(NAME))).toBeUndefined();
  });

  it('a locked app is not deleted, and says how to unlock it', async () => {
    rack.seedApp('shop-locked', { env: marksFor('shop-locked'), locked: true });
    const error = await harness(settingsFor(rack)).provider.destroy(refFor('shop-locked')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(generation === '2' ? /TerminationProtection/ : /app is locked/);
    expect((error as ProviderError).hint).toMatch(/convox apps unlock -a shop-locked/);
    expect(rack.app('shop-locked')).toBeDefined();
  });

  it('a wrong password is exit 3 and never "absent"', async () => {
    const h = harness(settingsFor(rack, { password: 'wrong-password' }));
    const error = await h.provider.find(refFor(NAME)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(ExitCode.auth);
    expect((error as Error).message).toMatch(/invalid authentication/);
    await expect(h.provider.destroy(refFor(NAME))).rejects.toBeInstanceOf(AuthError);
    expect(rack.requests.every((r) => !r.authorized && r.status === 401)).toBe(true);
  });

  it('a 404 that does not name the app (not a rack API) is an error, not "absent"', async () => {
    rack.setFaults([{ method: 'GET', path: `/apps/${NAME}`, status: 404, body: '404 page not found\n' }]);
    const error = await harness(settingsFor(rack)).provider.find(refFor(NAME)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).hint).toMatch(/RACK_URL/);
  });

  it('rides out transient 503s and slow answers', async () => {
    rack.setFaults([
      { method: 'GET', path: `/apps/${NAME}`, status: 503, times: 2 },
      { method: 'GET', path: /\/builds\/B/, latencyMs: 50, times: 2 },
    ]);
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(deployed.deployed).toBe(true);
    expect(rack.requests.filter((r) => r.fault)).toHaveLength(2);
  });

  it('a create applied but answered 503 is found again, not made twice', async () => {
    rack.setFaults([{ method: 'POST', path: '/apps', status: 503, applied: true }]);
    const h = harness(settingsFor(rack, { claimWaitMs: 60 }));
    const ensured = await h.provider.ensure(specFor(NAME));
    expect(ensured.preview.name).toBe(NAME);
    expect(writesTo('POST', /^\/apps$/)).toHaveLength(1);
    expect(rack.apps()).toHaveLength(1);
    expect(latestEnv()[OWNER_KEY]).toBe(`preview-kit:${NAME}`);
  });

  it('a promotion applied but answered 503 is not repeated', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.setFaults([{ method: 'POST', path: /\/promote$/, status: 503, applied: true }]);
    const deployed = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false });
    expect(deployed.deployed).toBe(true);
    expect(rack.app(NAME)!.promotions).toHaveLength(1);
    expect(rack.app(NAME)!.release).toBe(rack.app(NAME)!.builds[0]!.release);
    expect(writesTo('POST', /\/promote$/)).toHaveLength(1);
  });

  it('dry run: plans everything and writes nothing', async () => {
    const h = harness(settingsFor(rack), { dryRun: true });
    const { ensured, deployed } = await up(h, specFor(NAME), { dir: repo.dir, commit });
    expect(ensured.created).toBe(true);
    expect(deployed.deployed).toBe(true);
    expect(rack.writes()).toEqual([]);
    expect(h.context.plan.describe()).toEqual([
      `create app ${NAME} (Convox app; its first release records the preview)`,
      expect.stringMatching(new RegExp(`^update environment of app ${NAME} \\(record ownership: .*\\+PREVIEW_KIT_OWNER`)),
      expect.stringMatching(new RegExp(`^deploy app ${NAME} \\(build and promote ${commit.slice(0, 12)}\\)$`)),
    ]);
  });

  it('stop waits for a deletion already under way', async () => {
    await harness(settingsFor(rack)).provider.ensure(specFor(NAME));
    const a = harness(settingsFor(rack)).provider.destroy(refFor(NAME));
    const b = harness(settingsFor(rack)).provider.destroy(refFor(NAME));
    const results = await Promise.all([a, b]);
    expect(results.some((r) => r.deleted)).toBe(true);
    expect(rack.app(NAME)).toBeUndefined();
  });

  it('ensure after a stop under way waits for the deletion, then creates afresh', async () => {
    await harness(settingsFor(rack)).provider.ensure(specFor(NAME));
    await harness(settingsFor(rack)).provider.destroy(refFor(NAME)).then(() => undefined);
    const again = await harness(settingsFor(rack)).provider.ensure(specFor(NAME));
    expect(again.created).toBe(true);
  });

  it('list: only our apps, with identity and creation time', async () => {
    await harness(settingsFor(rack)).provider.ensure(specFor(NAME));
    await harness(settingsFor(rack)).provider.ensure(specFor('shop-pr-7', { identity: { project: 'shop', pr: 7 } }));
    rack.seedApp('billing', { env: { A: '1' } });
    rack.seedApp('empty');
    const previews = await harness(settingsFor(rack)).provider.list();
    expect(previews.map((p) => p.name).sort()).toEqual(['shop-feature-cart', 'shop-pr-7']);
    expect(previews.find((p) => p.name === NAME)).toMatchObject({ identity: IDENTITY, url: `https://${NAME}.preview.example.test` });
    expect(previews.find((p) => p.name === 'shop-pr-7')?.identity).toEqual({ project: 'shop', pr: 7 });
    expect(previews.every((p) => typeof p.createdAt === 'string')).toBe(true);
  });

  it('warns when convox.yml cannot route the preview domain', async () => {
    repo.write({ 'convox.yml': 'services:\n  web:\n    build: .\n    port: 3000\n' });
    const sha = repo.commit('no domain');
    const h = harness(settingsFor(rack));
    await up(h, specFor(NAME), { dir: repo.dir, commit: sha });
    expect(h.logger.text()).toMatch(/does not use \$\{PREVIEW_HOST\}/);
  });

  it('never prints the rack password', async () => {
    const h = harness(settingsFor(rack, { password: rack.password }));
    await up(h, specFor(NAME), { dir: repo.dir, commit });
    h.logger.debug(`RACK_URL=${rack.urlWithPassword}`);
    expect(h.logger.text()).not.toContain(rack.password);
  });
});
