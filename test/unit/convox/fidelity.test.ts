/**
 * What each rack generation really answers, and what the provider must make of it: a v2 rack
 * lists releases without their env; a promotion refused with 403 "app is currently updating"
 * means "wait"; `POST /apps` answered 5xx is looked at and tried again; a promotion applied but
 * answered 5xx is recovered whether `App.Release` moves at once (v3) or when the update ends (v2).
 */
import { describe, expect, it } from 'vitest';
import { AuthError, ExitCode } from '../../../src/core/errors.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { GENERATIONS, harness, marksFor, refFor, settingsFor, specFor, TempRepo, up, useRackAndRepo } from './helpers.js';

const NAME = 'shop-feature-cart';

let rack: FakeRack;
let repo: TempRepo;
let commit: string;

const writesTo = (method: string, pattern: RegExp) => rack.writes().filter((r) => r.method === method && pattern.test(r.path));
const promotes = () => writesTo('POST', /\/releases\/R[A-Z]{10}\/promote$/);

async function rackGet(path: string): Promise<unknown> {
  const res = await fetch(`${rack.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`convox:${rack.password}`).toString('base64')}` } });
  return res.json();
}

describe.each(GENERATIONS)('convox on a $label', ({ generation }) => {
  useRackAndRepo(generation, { create: 20, buildStart: 5, build: 20, promote: 30, delete: 20 }, (r, t) => {
    [rack, repo] = [r, t];
    commit = repo.commit('first');
  });

  it('reads the release env with GET of the release, so up works and a re-run changes nothing', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    const [listed] = (await rackGet(`/apps/${NAME}/releases?limit=1`)) as Array<{ id: string; env: string }>;
    const fetched = (await rackGet(`/apps/${NAME}/releases/${listed!.id}`)) as { env: string };
    // provider/aws/releases.go releaseFromItem never sets Env; ReleaseGet reads it from S3.
    if (generation === '2') expect(listed!.env).toBe('');
    else expect(listed!.env).toContain('PREVIEW_KIT_OWNER=');
    expect(fetched.env).toContain(`PREVIEW_KIT_KEY=${specFor(NAME).key}`);

    rack.resetLog();
    const again = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(again.ensured).toMatchObject({ created: false, changed: false });
    expect(again.deployed.deployed).toBe(false);
    expect(rack.writes()).toEqual([]);
    expect(await harness(settingsFor(rack)).provider.find(refFor(NAME))).toMatchObject({ name: NAME });
    expect((await harness(settingsFor(rack)).provider.list()).map((p) => p.name)).toEqual([NAME]);
  });

  it('403 "app is currently updating" on promote is waited out, then the release is promoted: not exit 3', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.busyBeforeNextPromote(NAME);
    const deployed = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false });
    expect(deployed.deployed).toBe(true);
    expect(promotes().map((r) => r.status)).toEqual([403, 200]);
    const app = rack.app(NAME)!;
    expect(app.status).toBe('running');
    expect(app.release).toBe(app.builds[0]!.release);
    expect(app.promotions).toEqual([app.release]);
    expect(h.logger.text()).toMatch(/is updating .*waiting until it runs/);
  });

  it('a 403 that is not "currently updating" is a permission problem: exit 3 with a permission hint', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.setFaults([{ method: 'POST', path: /\/promote$/, status: 403, body: 'you are unauthorized to access this\n' }]);
    const error = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(ExitCode.auth);
    expect((error as AuthError).hint).toMatch(/permission/);
    expect(rack.app(NAME)!.promotions).toEqual([]);
  });

  it('credentials refused (401) or without the rights (403): exit 3 with the hint that fits, never "absent"', async () => {
    rack.credentials('unauthorized');
    const unauthorized = await harness(settingsFor(rack)).provider.find(refFor(NAME)).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(AuthError);
    expect((unauthorized as AuthError).hint).toMatch(/password/);
    rack.credentials('forbidden');
    const forbidden = await harness(settingsFor(rack)).provider.ensure(specFor(NAME)).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(AuthError);
    expect((forbidden as AuthError).hint).toMatch(/permission/);
    expect(rack.apps()).toEqual([]);
  });

  it('POST /apps answered 5xx without being applied is tried again after a look: one app', async () => {
    rack.setFaults([{ method: 'POST', path: '/apps', status: 503, times: 2 }]);
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(deployed.deployed).toBe(true);
    expect(writesTo('POST', /^\/apps$/).map((r) => r.status)).toEqual([503, 503, 200]);
    expect(rack.apps().map((a) => a.name)).toEqual([NAME]);
  });

  it('POST /apps applied but answered 5xx: the app is found and marked, no second app, no refusal', async () => {
    rack.setFaults([{ method: 'POST', path: '/apps', status: 502, applied: true }]);
    const h = harness(settingsFor(rack, { claimWaitMs: 60 }));
    const { ensured, deployed } = await up(h, specFor(NAME), { dir: repo.dir, commit });
    expect(ensured.preview.name).toBe(NAME);
    expect(deployed.deployed).toBe(true);
    expect(rack.apps()).toHaveLength(1);
    expect(writesTo('POST', /^\/apps$/)).toHaveLength(1);
    expect(rack.app(NAME)!.releases.at(-1)!.env).toContain(`PREVIEW_KIT_KEY=${specFor(NAME).key}`);
  });

  it('a promotion applied but answered 5xx is recovered: the release goes live once, with no second promotion', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.setFaults([{ method: 'POST', path: /\/promote$/, status: 503, applied: true }]);
    const deployed = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false });
    expect(deployed.deployed).toBe(true);
    const app = rack.app(NAME)!;
    expect(app.status).toBe('running');
    expect(app.release).toBe(app.builds[0]!.release);
    expect(app.promotions).toEqual([app.release]);
    // v2 moves App.Release when the stack update ends, v3 at once: either way one promotion request.
    expect(promotes().map((r) => r.status)).toEqual([503]);
  });

  it('a promotion answered 5xx and not applied is sent again', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor(NAME));
    rack.setFaults([{ method: 'POST', path: /\/promote$/, status: 503 }]);
    const deployed = await h.provider.deploy(ensured.preview, specFor(NAME), { dir: repo.dir, commit, force: false });
    expect(deployed.deployed).toBe(true);
    expect(promotes().map((r) => r.status)).toEqual([503, 200]);
    expect(rack.app(NAME)!.promotions).toHaveLength(1);
  });

  it('an interrupted deploy (build done, release not promoted) is finished by the next up without a rebuild', async () => {
    const h = harness(settingsFor(rack));
    await h.provider.ensure(specFor(NAME));
    // What an interrupted run leaves: a build of the commit whose release was never promoted.
    rack.setFaults([{ method: 'POST', path: /\/promote$/, status: 500, body: 'interrupted\n', times: 5 }]);
    await h.provider.deploy({ name: NAME, id: NAME, url: '', domains: [] }, specFor(NAME), { dir: repo.dir, commit, force: false }).catch(() => undefined);
    rack.setFaults([]);
    const builds = rack.app(NAME)!.builds.length;
    const { deployed } = await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit });
    expect(deployed.deployed).toBe(true);
    expect(rack.app(NAME)!.builds).toHaveLength(builds);
    expect(rack.app(NAME)!.release).toBe(rack.app(NAME)!.builds.at(-1)!.release);
  });

  it('seeded marks of this preview are found on both generations (list, find, stop)', async () => {
    rack.seedApp(NAME, { env: marksFor(NAME) });
    expect((await harness(settingsFor(rack)).provider.find(refFor(NAME)))?.name).toBe(NAME);
    expect(await harness(settingsFor(rack)).provider.destroy(refFor(NAME))).toEqual({ deleted: true, removed: [`app ${NAME}`] });
    expect(rack.app(NAME)).toBeUndefined();
  });
});
