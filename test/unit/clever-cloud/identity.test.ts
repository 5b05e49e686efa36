/**
 * The defects of issue 10 on Clever Cloud, against the fake API: names that alias between
 * projects, add-ons orphaned between their create and their tags, duplicates made by concurrent
 * runs (with an up-to-date listing and with one that lags behind creates), and a Preview handed
 * back without what the provider learnt.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf, ProviderError, SafetyError } from '../../../src/core/errors.js';
import { ownershipTags } from '../../../src/providers/clever-cloud/tags.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { appsNamed, makeProvider, mutating, refOf, specFor, startFake, tempRepo, type TempRepo } from './harness.js';
import { rawCreateAddon } from './raw-api.js';

let fake: FakeCleverCloud;
let repo: TempRepo;
let sha: string;

beforeAll(async () => {
  fake = await startFake({ gitReadyDelayMs: 0, deployDurationMs: 30 });
  repo = await tempRepo();
  sha = await repo.commit('identity');
});
afterAll(async () => {
  await fake?.close();
  await repo?.remove();
});
beforeEach(() => {
  fake.setFaults(undefined);
  fake.setListLag(0);
});

const PG = ['postgresql-addon:dev'];
const addonsNamed = (name: string) => fake.addons().filter((a) => a.name === name);
let n = 0;
/** Two previews whose names alias: `<p>-admin` + `main` and `<p>` + `admin-main`. */
function aliasing() {
  n += 1;
  const project = `alias${n}`;
  const first = { ...specFor({ app: `${project}-admin`, branch: 'main' }) };
  const second = { ...specFor({ app: project, branch: 'admin-main' }) };
  expect(second.name).toBe(first.name);
  return { first, second };
}

describe('names that alias', () => {
  it("another project's preview of the same name is refused (exit 6, whose, --prefix) with no write, and its stop removes nothing", async () => {
    const { first, second } = aliasing();
    const made = await makeProvider(fake, { addons: PG }).provider.ensure(first);
    const addon = addonsNamed(`${first.name}-postgresql-addon`)[0]!;
    fake.resetLog();

    const error = await makeProvider(fake, { addons: PG }).provider.ensure(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain(`belongs to the preview of ${first.identity.project}, branch main`);
    expect((error as SafetyError).hint).toMatch(/--prefix/);
    expect(await makeProvider(fake).provider.find(second)).toBeUndefined();

    const stop = makeProvider(fake);
    expect(await stop.provider.destroy(second)).toEqual({ deleted: false, removed: [] });
    expect(stop.context.logger.lines.filter((l) => l.startsWith('warning:') && l.includes('belongs to the preview of'))).toHaveLength(2);
    expect(mutating(fake)).toEqual([]);
    expect(appsNamed(fake, first.name).map((a) => a.id)).toEqual([made.preview.id]);
    expect(addonsNamed(addon.name).map((a) => a.id)).toEqual([addon.id]);
  });

  it("deploy and set-domain of one preview refuse the other's app, from the Preview it returned or one that carries nothing", async () => {
    const { first, second } = aliasing();
    // One provider for both previews, as a library user might keep it: it holds nothing per preview.
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(first);
    const bare = JSON.parse(JSON.stringify(preview));
    fake.resetLog();
    for (const attempt of [
      () => provider.deploy(preview, second, { dir: repo.dir, commit: sha, force: false }),
      () => provider.deploy(bare, second, { dir: repo.dir, commit: sha, force: false }),
      () => provider.setDomains(preview, { ...second, domains: [`${second.name}.example.com`] }),
      () => provider.setDomains(bare, { ...second, domains: [`${second.name}.example.com`] }),
    ]) {
      // One at a time: each call's refusal is awaited before the next call starts.
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SafetyError);
      expect((error as Error).message).toContain(`${first.identity.project}, branch main`);
    }
    expect(mutating(fake)).toEqual([]);
    expect(fake.pushes).toEqual([]);
  });
});

describe('add-ons orphaned between their create and their tags', () => {
  it('an add-on whose tagging was interrupted is repaired by the next up, not refused, and removed by stop', async () => {
    const spec = specFor();
    const broken = makeProvider(fake, { addons: PG });
    // The run dies right after the create: not one tag is written.
    broken.provider.api.addAddonTag = async () => {
      throw new ProviderError('interrupted', { retryable: false });
    };
    await expect(broken.provider.ensure(spec)).rejects.toThrow(/interrupted/);
    const [orphan] = addonsNamed(`${spec.name}-postgresql-addon`);
    expect(orphan!.tags).toEqual([]);
    // Linked in the create request: that link (and its name) is the proof it is ours.
    expect(orphan!.linkedApps).toHaveLength(1);

    const next = makeProvider(fake, { addons: PG });
    const again = await next.provider.ensure(spec);
    expect(again.changed).toBe(true);
    expect(addonsNamed(orphan!.name).map((a) => [a.id, a.tags])).toEqual([[orphan!.id, ownershipTags(spec)]]);
    expect(again.preview.addons?.map((a) => a.id)).toEqual([orphan!.id]);

    fake.resetLog();
    expect((await makeProvider(fake, { addons: PG }).provider.ensure(spec)).changed).toBe(false);
    expect(mutating(fake)).toEqual([]);

    const stop = await makeProvider(fake).provider.destroy(spec);
    expect(stop.removed).toContain(`addon ${orphan!.name} (${orphan!.id})`);
    expect(addonsNamed(orphan!.name)).toEqual([]);
  });

  it('an unlinked add-on with only our key tag is repaired and linked; one with no tag and no link is not ours', async () => {
    const spec = specFor();
    await makeProvider(fake).provider.ensure(spec);
    const keyOnly = await rawCreateAddon(fake, `${spec.name}-postgresql-addon`, 'postgresql-addon', ownershipTags(spec).slice(0, 1));
    const { preview } = await makeProvider(fake, { addons: PG }).provider.ensure(spec);
    const repaired = fake.addons().find((a) => a.id === keyOnly.id)!;
    expect(repaired.tags).toEqual(ownershipTags(spec));
    expect(repaired.linkedApps).toEqual([preview.id]);
    expect(addonsNamed(repaired.name)).toHaveLength(1);

    // Unlinked and untagged: nothing proves it is this preview's.
    const other = specFor();
    await makeProvider(fake).provider.ensure(other);
    const stranger = await rawCreateAddon(fake, `${other.name}-postgresql-addon`, 'postgresql-addon');
    const error = await makeProvider(fake, { addons: PG }).provider.ensure(other).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as SafetyError).hint).toMatch(/--adopt/);
    await makeProvider(fake).provider.destroy(other);
    expect(fake.addons().some((a) => a.id === stranger.id)).toBe(true);
  });
});

describe('duplicates from concurrent runs', () => {
  it('six concurrent ensures with an add-on on one existing app leave one add-on', async () => {
    const spec = specFor();
    await makeProvider(fake).provider.ensure(spec);
    const runs = await Promise.all(Array.from({ length: 6 }, () => makeProvider(fake, { addons: PG }).provider.ensure(spec)));
    const left = addonsNamed(`${spec.name}-postgresql-addon`);
    expect(left).toHaveLength(1);
    expect(left[0]!.tags).toEqual(ownershipTags(spec));
    expect(left[0]!.linkedApps).toHaveLength(1);
    expect(new Set(runs.map((r) => r.preview.id)).size).toBe(1);
  });

  it('ten concurrent ensures against a listing that lags 1 s behind creates leave one app, and all report its id', async () => {
    fake.setListLag(1_000);
    const spec = specFor();
    const runs = await Promise.all(Array.from({ length: 10 }, () => makeProvider(fake, { addons: PG }).provider.ensure(spec)));
    const apps = appsNamed(fake, spec.name);
    expect(apps).toHaveLength(1);
    expect([...new Set(runs.map((r) => r.preview.id))]).toEqual([apps[0]!.id]);
    expect(addonsNamed(`${spec.name}-postgresql-addon`)).toHaveLength(1);
  });

  it("another preview's add-on linked to nothing of ours is never taken for ours", async () => {
    const spec = specFor();
    const stranger = refOf({ project: 'elsewhere', branch: 'x' });
    await makeProvider(fake).provider.ensure(spec);
    const theirs = await rawCreateAddon(fake, `${spec.name}-postgresql-addon`, 'postgresql-addon', ownershipTags(stranger));
    const error = await makeProvider(fake, { addons: PG }).provider.ensure(spec).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(6);
    expect((error as Error).message).toContain('the preview of elsewhere, branch x');
    await makeProvider(fake).provider.destroy(spec);
    expect(fake.addons().some((a) => a.id === theirs.id)).toBe(true);
  });
});
