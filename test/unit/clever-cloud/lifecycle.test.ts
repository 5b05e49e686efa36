/**
 * What keeps Clever Cloud previews cheap, against the fake API: `list` from three listing calls
 * however many previews there are (summary with tags, applications, the organisation's
 * deployments), each preview with its state and last deployment; `destroy` and `sleep` after a
 * `list` acting on what it read without looking again; `sleep` stopping the instances once;
 * `deploy` waking a sleeping preview without a push or a rebuild.
 */
import { describe, expect, it } from 'vitest';
import { identityKey, identitySegments, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { ownershipTags } from '../../../src/providers/clever-cloud/tags.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { appsNamed, makeProvider, mutating, refOf, specFor, useFakeAndRepo, type TempRepo } from './harness.js';
import { rawCreateAddon } from './raw-api.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let fake: FakeCleverCloud;
let repo: TempRepo;
let first: string;

useFakeAndRepo((f, r, c) => {
  [fake, repo, first] = [f, r, c];
});

let projects = 0;
const freshProject = () => `life${(projects += 1)}`;

function tagsOf(identity: PreviewIdentity): string[] {
  return [`preview-kit:key:${identityKey(identity)}`, `preview-kit:id:${identitySegments(identity)}`, 'preview-kit'];
}

function plantPreview(identity: PreviewIdentity, options: { createdAt?: number; deployedAt?: number; asleep?: boolean } = {}) {
  return fake.plantPreview({ name: nameOfIdentity(identity), tags: tagsOf(identity), ...options });
}

const paths = () => fake.requests.map((r) => `${r.method} ${r.path.replace(/(orga|user|app|addon)_[0-9a-f-]+/g, '$1_…')}`);

describe('list', () => {
  it('reads 200 previews from three listing calls, with identity, state, creation, last deployment, commit and URL', async () => {
    const project = freshProject();
    const now = Date.now();
    const planted = Array.from({ length: 200 }, (_, i) => {
      const identity = { project, branch: `feature/p${i}` };
      const options = { createdAt: now - 10 * DAY - i * HOUR, deployedAt: now - i * HOUR, asleep: i % 4 === 0 };
      return { identity, options, appId: plantPreview(identity, options).appId };
    });
    fake.resetLog();
    const previews = (await makeProvider(fake).provider.list()).filter((p) => p.identity?.project === project);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    expect(paths().sort()).toEqual(['GET /v2/organisations/orga_…/applications', 'GET /v2/organisations/orga_…/deployments', 'GET /v2/summary']);
    expect(previews).toHaveLength(200);
    for (const { identity, options, appId } of planted) {
      const preview = previews.find((p) => p.id === appId)!;
      expect(preview).toMatchObject({
        name: nameOfIdentity(identity),
        identity,
        state: options.asleep ? 'sleeping' : 'running',
        createdAt: new Date(options.createdAt).toISOString(),
        lastDeployedAt: new Date(options.deployedAt).toISOString(),
        url: `https://${appId.replace(/^app_/, 'app-')}.cleverapps.io`,
      });
      expect(preview.lastDeployment?.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('in the personal space reads the deployments through its user id, which the summary gives', async () => {
    const identity = { project: freshProject(), branch: 'main' };
    const { appId } = fake.plantPreview({ name: nameOfIdentity(identity), tags: tagsOf(identity), ownerId: 'user_00000000-0000-4000-8000-000000000002', deployedAt: Date.now() - DAY });
    const { provider } = makeProvider(fake, { org: undefined });
    fake.resetLog();
    const [preview] = (await provider.list()).filter((p) => p.identity?.project === identity.project);
    expect(paths().sort()).toEqual(['GET /v2/organisations/user_…/deployments', 'GET /v2/self/applications', 'GET /v2/summary']);
    expect(preview).toMatchObject({ id: appId, identity, state: 'running' });
    expect(preview!.lastDeployedAt).toBeDefined();
  });

  it('resolves an organisation given by name with the same summary it lists from', async () => {
    fake.resetLog();
    await makeProvider(fake, { org: 'preview-kit-fake-org' }).provider.list();
    expect(paths().filter((p) => p === 'GET /v2/summary')).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('acting on what list read', () => {
  it('prune-style removal after a list sends only the deletes: no lookup, no tag read', async () => {
    const project = freshProject();
    const ids = [0, 1, 2].map((i) => plantPreview({ project, branch: `gone/${i}` }).appId);
    const { provider } = makeProvider(fake);
    const previews = (await provider.list()).filter((p) => p.identity?.project === project);
    fake.resetLog();
    // The previews `list` returned are handed back, as prune does: they carry what the listing read.
    for (const preview of previews) expect((await provider.destroy(refOf(preview.identity!), preview)).deleted).toBe(true);
    expect(paths()).toEqual(['DELETE /v2/organisations/orga_…/applications/app_…', 'DELETE /v2/organisations/orga_…/applications/app_…', 'DELETE /v2/organisations/orga_…/applications/app_…']);
    expect(fake.apps().filter((a) => ids.includes(a.id))).toEqual([]);
    // What was removed is forgotten: a second destroy looks again, finds nothing and writes nothing.
    fake.resetLog();
    expect((await provider.destroy(refOf(previews[0]!.identity!), previews[0])).deleted).toBe(false);
    expect(mutating(fake)).toEqual([]);
  });

  it('a dry run after a list plans every removal and sends nothing', async () => {
    const project = freshProject();
    for (const i of [0, 1, 2, 3]) plantPreview({ project, branch: `dry/${i}` });
    const { provider, context } = makeProvider(fake, {}, { dryRun: true });
    const previews = (await provider.list()).filter((p) => p.identity?.project === project);
    fake.resetLog();
    for (const preview of previews) await provider.destroy(refOf(preview.identity!), preview);
    expect(fake.requests).toEqual([]);
    expect(context.plan.describe().filter((s) => s.startsWith('delete application'))).toHaveLength(4);
  });

  it('removes a tagged add-on from the summary alone; an untagged one of that name is judged by the app’s links', async () => {
    const project = freshProject();
    const tagged = { project, branch: 'tagged' };
    const untagged = { project, branch: 'untagged' };
    const a = plantPreview(tagged).appId;
    const b = plantPreview(untagged).appId;
    const taggedAddon = await rawCreateAddon(fake, `${nameOfIdentity(tagged)}-postgresql-addon`, 'postgresql-addon', tagsOf(tagged), a);
    const untaggedAddon = await rawCreateAddon(fake, `${nameOfIdentity(untagged)}-postgresql-addon`, 'postgresql-addon', [], b);
    const { provider } = makeProvider(fake);
    const listed = await provider.list();
    const known = (id: typeof tagged) => listed.find((p) => p.name === nameOfIdentity(id));
    fake.resetLog();
    await provider.destroy(refOf(tagged), known(tagged));
    expect(paths()).toEqual(['DELETE /v2/organisations/orga_…/addons/addon_…', 'DELETE /v2/organisations/orga_…/applications/app_…']);
    fake.resetLog();
    await provider.destroy(refOf(untagged), known(untagged));
    expect(paths().filter((p) => p.startsWith('GET'))).toContain('GET /v2/organisations/orga_…/applications/app_…/addons');
    expect(fake.addons().map((x) => x.id)).not.toContain(taggedAddon.id);
    expect(fake.addons().map((x) => x.id)).not.toContain(untaggedAddon.id);
  });
});

describe('sleep and wake', () => {
  it('stops the instances once, keeps domains, env and add-ons; a second sleep writes nothing; an absent preview neither', async () => {
    const spec = specFor({ env: { KEEP: 'me' }, domains: [] });
    const { provider } = makeProvider(fake, { addons: ['postgresql-addon:dev'] });
    const { preview } = await provider.ensure(spec);
    await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    const [before] = appsNamed(fake, spec.name);
    expect(before!.runningInstances).toBeGreaterThan(0);

    fake.resetLog();
    const slept = await makeProvider(fake).provider.sleep(spec);
    expect(slept).toEqual({ slept: true, stopped: [`instances of application ${spec.name} (${before!.id})`] });
    expect(mutating(fake).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v2/organisations/${before!.ownerId}/applications/${before!.id}/instances`]);
    const [after] = appsNamed(fake, spec.name);
    expect(after).toMatchObject({ runningInstances: 0, state: 'SHOULD_BE_DOWN', vhosts: before!.vhosts, env: { KEEP: 'me' }, linkedAddons: before!.linkedAddons });
    expect(after!.linkedAddons).toHaveLength(1);

    fake.resetLog();
    expect(await makeProvider(fake).provider.sleep(spec)).toEqual({ slept: false, stopped: [] });
    expect(mutating(fake)).toEqual([]);
    expect(await makeProvider(fake).provider.sleep({ ...spec, name: `${spec.name}-absent` })).toEqual({ slept: false, stopped: [] });
    expect(mutating(fake)).toEqual([]);

    const found = await makeProvider(fake).provider.find(spec);
    expect(found).toMatchObject({ state: 'sleeping', lastDeployedAt: expect.any(String), lastDeployment: { commit: first } });
  });

  it('leaves another preview’s app of the same name running', async () => {
    const mine = specFor({ app: 'clash-a', branch: 'b-main' });
    const theirs = { project: 'clash-a-b', branch: 'main' };
    expect(nameOfIdentity(theirs)).toBe(mine.name);
    fake.plantPreview({ name: mine.name, tags: tagsOf(theirs) });
    fake.resetLog();
    expect(await makeProvider(fake).provider.sleep(mine)).toEqual({ slept: false, stopped: [] });
    expect(mutating(fake)).toEqual([]);
    expect(appsNamed(fake, mine.name)[0]!.runningInstances).toBeGreaterThan(0);
  });

  it('deploy of the commit a sleeping preview runs starts it again from its build: no push, no rebuild', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    const firstDeploy = await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    await makeProvider(fake).provider.sleep(spec);
    const asleep = (await makeProvider(fake).provider.find(spec))!;
    expect(asleep.state).toBe('sleeping');

    fake.resetLog();
    const woken = await makeProvider(fake).provider.deploy(asleep, spec, { dir: repo.dir, commit: first, force: false });
    expect(woken.deployed).toBe(true);
    expect(fake.pushes).toEqual([]);
    const restarts = mutating(fake).map((r) => `${r.method} ${r.path}`);
    expect(restarts).toEqual([`POST /v2/organisations/${appsNamed(fake, spec.name)[0]!.ownerId}/applications/${asleep.id}/instances`]);
    // The fake logs paths without queries: the restart's cause says whether the cache was used.
    const [app] = appsNamed(fake, spec.name);
    expect(app!.deployments.at(-1)).toMatchObject({ action: 'DEPLOY', commit: first, cause: 'restart', state: 'OK' });
    expect(app!.runningInstances).toBeGreaterThan(0);

    const awake = (await makeProvider(fake).provider.find(spec))!;
    expect(awake.state).toBe('running');
    expect(Date.parse(awake.lastDeployedAt!)).toBeGreaterThan(Date.parse(firstDeploy.deployment!.createdAt!));
    expect(awake.lastDeployedAt).toBe(woken.deployment!.createdAt);

    // Awake and live: a second deploy of it starts nothing.
    fake.resetLog();
    expect((await makeProvider(fake).provider.deploy(awake, spec, { dir: repo.dir, commit: first, force: false })).deployed).toBe(false);
    expect(mutating(fake)).toEqual([]);
  });

  it('prune-style sleep after a list stops only the awake ones, with one request each', async () => {
    const project = freshProject();
    const awake = { project, branch: 'awake' };
    const asleep = { project, branch: 'asleep' };
    plantPreview(awake);
    plantPreview(asleep, { asleep: true });
    const { provider } = makeProvider(fake);
    const listed = await provider.list();
    const known = (id: typeof awake) => listed.find((p) => p.name === nameOfIdentity(id));
    fake.resetLog();
    expect((await provider.sleep(refOf(awake), known(awake))).slept).toBe(true);
    expect((await provider.sleep(refOf(asleep), known(asleep))).slept).toBe(false);
    // The listing the Preview carries knows it stopped the first one: asked again, nothing is sent.
    expect((await provider.sleep(refOf(awake), known(awake))).slept).toBe(false);
    expect(paths()).toEqual(['DELETE /v2/organisations/orga_…/applications/app_…/instances']);
  });
});

describe('last deploy time', () => {
  it('is the newest push or restart, never a stop; deploy makes find, list and the deployment agree', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    expect(preview.lastDeployedAt).toBeUndefined();
    const deployed = await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    const [app] = appsNamed(fake, spec.name);
    const deployDate = new Date(app!.deployments.at(-1)!.date).toISOString();
    expect(deployed.deployment?.createdAt).toBe(deployDate);

    const found = (await makeProvider(fake).provider.find(spec))!;
    expect(found).toMatchObject({ lastDeployedAt: deployDate, state: 'running' });
    const listed = (await makeProvider(fake).provider.list()).find((p) => p.id === found.id)!;
    expect(listed).toMatchObject({ lastDeployedAt: deployDate, state: 'running' });

    await makeProvider(fake).provider.sleep(spec);
    const listedAsleep = (await makeProvider(fake).provider.list()).find((p) => p.id === found.id)!;
    expect(listedAsleep).toMatchObject({ lastDeployedAt: deployDate, state: 'sleeping' });
  });

  it('a failed deployment shows as failed, with its time as the last deployment', async () => {
    const spec = specFor();
    const { provider } = makeProvider(fake);
    const { preview } = await provider.ensure(spec);
    await provider.deploy(preview, spec, { dir: repo.dir, commit: first, force: false });
    const broken = await repo.commit('broken');
    fake.failNextDeployOf(broken);
    await expect(makeProvider(fake).provider.deploy((await makeProvider(fake).provider.find(spec))!, spec, { dir: repo.dir, commit: broken, force: false })).rejects.toThrow(/ended FAIL/);
    const listed = (await makeProvider(fake).provider.list()).find((p) => p.name === spec.name)!;
    const [app] = appsNamed(fake, spec.name);
    expect(listed).toMatchObject({ state: 'failed', lastDeployedAt: new Date(app!.deployments.at(-1)!.date).toISOString(), lastDeployment: { commit: broken, state: 'failed' } });
  });
});

it('planted previews carry the tags the provider writes', () => {
  const identity = { project: 'shop', branch: 'feature/x' };
  expect(tagsOf(identity)).toEqual(ownershipTags(refOf(identity)));
});
