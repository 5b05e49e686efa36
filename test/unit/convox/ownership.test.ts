/**
 * Whose app is it? The identity in the release env decides, never the name: two identities can
 * share one name (`shop-admin` + `main`, `shop` + `admin-main`). And an app left empty between
 * `POST /apps` and its first release (an interrupted run) must not block the preview for ever.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, SafetyError } from '../../../src/core/errors.js';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { desiredEnv, OWNER_KEY } from '../../../src/providers/convox/env.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { GENERATIONS, harness, marksFor, refFor, settingsFor, specFor, TempRepo, up, useRackAndRepo } from './helpers.js';

const NAME = 'shop-admin-main';
const ADMIN: PreviewIdentity = { project: 'shop-admin', branch: 'main' };
const SHOP: PreviewIdentity = { project: 'shop', branch: 'admin-main' };

let rack: FakeRack;
let repo: TempRepo;
let commit: string;

const envOf = (name = NAME) => rack.app(name)?.releases.at(-1)?.env ?? '';

describe.each(GENERATIONS)('convox ownership on a $label', ({ generation }) => {
  useRackAndRepo(generation, { create: 20, buildStart: 5, build: 20, promote: 20, delete: 20 }, (r, t) => {
    [rack, repo] = [r, t];
    commit = repo.commit('first');
  });

  it('two identities, one name: up of the second is refused naming whose it is; its stop, status and deploy leave it alone', async () => {
    await up(harness(settingsFor(rack)), specFor(NAME, { identity: ADMIN }), { dir: repo.dir, commit });
    const before = structuredClone(rack.app(NAME));
    rack.resetLog();

    const error = await harness(settingsFor(rack)).provider.ensure(specFor(NAME, { identity: SHOP })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as SafetyError).exitCode).toBe(ExitCode.safety);
    expect((error as Error).message).toMatch(/belongs to the preview of shop-admin, branch main, not to shop, branch admin-main/);
    expect((error as SafetyError).hint).toMatch(/--prefix/);

    const deploy = await harness(settingsFor(rack)).provider.deploy({ name: NAME, id: NAME, url: '', domains: [] }, specFor(NAME, { identity: SHOP }), { dir: repo.dir, commit, force: true }).catch((e: unknown) => e);
    expect(deploy).toBeInstanceOf(SafetyError);

    expect(await harness(settingsFor(rack)).provider.find(refFor(NAME, SHOP))).toBeUndefined();
    const stopper = harness(settingsFor(rack));
    expect(await stopper.provider.destroy(refFor(NAME, SHOP))).toEqual({ deleted: false, removed: [] });
    expect(stopper.logger.text()).toMatch(/belongs to the preview of shop-admin, branch main: left alone/);
    expect(rack.writes()).toEqual([]);
    expect(rack.app(NAME)).toEqual(before);

    const [listed] = await harness(settingsFor(rack)).provider.list();
    expect(listed).toMatchObject({ name: NAME, identity: ADMIN });
  });

  it('a pull request and a branch named like it are two previews', async () => {
    await harness(settingsFor(rack)).provider.ensure(specFor('shop-pr-5', { identity: { project: 'shop', pr: 5 } }));
    const error = await harness(settingsFor(rack)).provider.ensure(specFor('shop-pr-5', { identity: { project: 'shop', branch: 'pr-5' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as Error).message).toMatch(/pull request #5/);
  });

  it('a fork is recorded but is not part of the key: the same pull request finds its app again', async () => {
    await harness(settingsFor(rack)).provider.ensure(specFor('shop-pr-9', { identity: { project: 'shop', pr: 9, fork: 'someone/shop' } }));
    const again = await harness(settingsFor(rack)).provider.ensure(specFor('shop-pr-9', { identity: { project: 'shop', pr: 9, fork: 'someone/shop' } }));
    expect(again).toMatchObject({ created: false, changed: false });
    expect(again.preview.identity).toEqual({ project: 'shop', pr: 9, fork: 'someone/shop' });
  });

  it('our marker without an identity key is another preview, not ours', async () => {
    rack.seedApp(NAME, { env: { [OWNER_KEY]: `preview-kit:${NAME}` } });
    const error = await harness(settingsFor(rack)).provider.ensure(specFor(NAME, { identity: ADMIN })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as Error).message).toMatch(/no identity recorded/);
  });

  it('a run interrupted between POST /apps and its first release: the next up takes the empty app and deploys', async () => {
    // What the interrupted run left: an app with no release and no build.
    rack.seedApp(NAME);
    const h = harness(settingsFor(rack, { claimWaitMs: 80 }));
    const { ensured, deployed } = await up(h, specFor(NAME, { identity: ADMIN }), { dir: repo.dir, commit });
    expect(ensured.created).toBe(false);
    expect(deployed.deployed).toBe(true);
    expect(envOf()).toContain(`PREVIEW_KIT_KEY=${identityKey(ADMIN)}`);
    expect(h.logger.text()).toMatch(/without any release or build yet; waiting up to/);
    expect(h.logger.text()).toMatch(/lost its preview-kit marks: repairing them/);
    expect(await harness(settingsFor(rack)).provider.destroy(refFor(NAME, ADMIN))).toMatchObject({ deleted: true });
    expect(rack.apps()).toEqual([]);
  });

  it('an empty app nobody marks: stop and status never count it as ours, and write nothing', async () => {
    rack.seedApp(NAME);
    const stopper = harness(settingsFor(rack));
    expect(await stopper.provider.destroy(refFor(NAME, ADMIN))).toEqual({ deleted: false, removed: [] });
    expect(stopper.logger.text()).toMatch(/lacks preview-kit's marker: left alone \(--adopt removes it\)/);
    expect(await harness(settingsFor(rack)).provider.find(refFor(NAME, ADMIN))).toBeUndefined();
    expect(rack.writes()).toEqual([]);
    expect(rack.app(NAME)).toBeDefined();
  });

  it('an empty app whose creator marks it during the claim wait is that creator\'s: joined if the same preview, refused if another', async () => {
    rack.seedApp(NAME);
    setTimeout(() => {
      void fetch(`${rack.url}/apps/${NAME}/releases`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`convox:${rack.password}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ env: Object.entries(desiredEnv({}, { appName: NAME, wanted: {}, identity: SHOP, key: identityKey(SHOP), now: new Date() })).map(([k, v]) => `${k}=${v}`).join('\n') }).toString(),
      });
    }, 40);
    const error = await harness(settingsFor(rack, { claimWaitMs: 2_000 })).provider.ensure(specFor(NAME, { identity: ADMIN })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as Error).message).toMatch(/belongs to the preview of shop, branch admin-main/);
    const same = await harness(settingsFor(rack)).provider.ensure(specFor(NAME, { identity: SHOP }));
    expect(same.created).toBe(false);
  });

  it('an app with a release but without our marks is refused at once unless --adopt: no claim wait for it', async () => {
    rack.seedApp(NAME, { env: { DATABASE_URL: 'postgres://theirs' } });
    const h = harness(settingsFor(rack, { claimWaitMs: 5_000 }));
    const error = await h.provider.ensure(specFor(NAME, { identity: ADMIN })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as SafetyError).hint).toMatch(/--adopt/);
    expect(h.logger.text()).not.toMatch(/waiting up to/);
    expect(rack.writes()).toEqual([]);
  });

  it('concurrent ups of one preview: one app, every run succeeds and reports it', async () => {
    const spec = specFor(NAME, { identity: ADMIN });
    const runs = await Promise.allSettled(Array.from({ length: 6 }, () => up(harness(settingsFor(rack, { claimWaitMs: 3_000 })), spec, { dir: repo.dir, commit })));
    const failures = runs.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    expect(rack.apps().map((a) => a.name)).toEqual([NAME]);
    expect(new Set(runs.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof up>>>).value.ensured.preview.id))).toEqual(new Set([NAME]));
    expect(writesTo(NAME).filter((w) => w.status === 200)).toHaveLength(1);
    const app = rack.app(NAME)!;
    expect(app.status).toBe('running');
    expect(envOf()).toContain(marksFor(NAME, ADMIN).PREVIEW_KIT_KEY);
  });
});

function writesTo(name: string) {
  return rack.writes().filter((w) => w.method === 'POST' && w.path === '/apps' && w.form.name === name);
}
