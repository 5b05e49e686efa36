/**
 * `list` over many previews planted directly on a real podman Engine API and a real Caddy
 * (plant.ts): three reads whatever their number — our networks and our containers by label
 * filter, and Caddy's servers once — each preview with its identity, state, commit, creation,
 * last deployment and URL. `sleep` of a planted preview stops its container; a planted asleep one
 * is left as it is; `prune --ttl` removes those not deployed for longer, by the recorded time.
 *
 * PREVIEW_KIT_LIST_SCALE=1000 plants that many and prints how long planting, one listing and the
 * prunes took (the figures in the provider's README); nothing here asserts a duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { acquireServices, makeRepo, runCommand, uniqueApp, viaCaddy, type TestRepo } from './harness.js';
import { engineRequest, mapBounded, Planter } from './plant.js';
import type { DockerServices } from './services.js';

const SCALE = Number(process.env.PREVIEW_KIT_LIST_SCALE ?? 24);
/** Per test: planting and pruning a thousand takes minutes. */
const TIMEOUT = SCALE >= 100 ? 1_800_000 : 60_000;
const DAY = 86_400_000;

let services: DockerServices;
let release: () => Promise<void>;
let planter: Planter;
let repo: TestRepo;
const app = uniqueApp('many');
const now = Date.now();

/** Preview i: every third asleep; created 10 + i % 5 days ago, last deployed i % 10 days ago. */
const identityOf = (i: number): PreviewIdentity => (i % 4 === 0 ? { project: app, pr: 1000 + i } : { project: app, branch: `feature/${i}` });
const plantOptions = (i: number) => ({ createdAt: new Date(now - (10 + (i % 5)) * DAY), deployedAt: new Date(now - (i % 10) * DAY), asleep: i % 3 === 0 });

beforeAll(async () => {
  ({ services, release } = await acquireServices());
  repo = await makeRepo({ preview: 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n' });
  planter = new Planter(services.dockerHost.replace(/^unix:\/\//, ''), services.caddyAdmin);
  const started = Date.now();
  await mapBounded(
    Array.from({ length: SCALE }, (_, i) => i),
    8,
    (i) => planter.plant(identityOf(i), plantOptions(i)),
  );
  if (SCALE >= 100) console.log(`planted ${SCALE} previews in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 1_800_000);

afterAll(async () => {
  const started = Date.now();
  await planter?.removeAll();
  if (SCALE >= 100) console.log(`removed ${SCALE} planted previews in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await repo?.remove();
  await release?.();
}, 1_800_000);

interface Listed {
  name: string;
  identity: PreviewIdentity;
  state: string;
  commit?: string;
  createdAt?: string;
  lastDeployedAt?: string;
  url: string;
}

describe(`docker provider: list over ${SCALE} planted previews`, () => {
  it('reads three times in all, and tells each preview as it was planted', async () => {
    const started = Date.now();
    const { result, provider } = await runCommand('list', { services, repo, app, branch: 'main', timeoutMs: 600_000 });
    const took = Date.now() - started;
    if (SCALE >= 100) console.log(`one list of ${SCALE} previews: ${(took / 1000).toFixed(2)} s, ${provider.engine.stats.total + provider.caddy.stats.total} requests`);
    expect(provider.engine.stats.byMethod).toEqual({ GET: 2 });
    expect(provider.caddy.stats.byMethod).toEqual({ GET: 1 });

    const previews = result.previews as Listed[];
    expect(previews).toHaveLength(SCALE);
    const byName = new Map(previews.map((p) => [p.name, p]));
    for (let i = 0; i < SCALE; i++) {
      const identity = identityOf(i);
      const name = nameOfIdentity(identity);
      const options = plantOptions(i);
      expect(byName.get(name), name).toMatchObject({
        identity,
        state: options.asleep ? 'sleeping' : 'running',
        createdAt: options.createdAt.toISOString(),
        lastDeployedAt: options.deployedAt.toISOString(),
        url: `http://${name}.localhost:${services.caddyHttpPort}`,
      });
      expect(byName.get(name)!.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  }, TIMEOUT);

  it('sleep of a planted awake preview stops its container and shows the asleep page; of an asleep one, writes nothing', async () => {
    const awake = identityOf(1);
    const slept = await runCommand('sleep', { services, repo, app, branch: awake.branch! });
    expect(slept.result.slept).toBe(true);
    const name = nameOfIdentity(awake);
    const listed = await engineRequest<Array<{ State: string }>>(
      services.dockerHost.replace(/^unix:\/\//, ''),
      'GET',
      `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`preview-kit.key=${identityKey(awake)}`] }))}`,
    );
    expect(listed.body.map((c) => c.State)).toEqual(['exited']);
    expect((await viaCaddy(services, `${name}.localhost`)).status).toBe(503);

    const asleep = identityOf(3);
    const again = await runCommand('sleep', { services, repo, app, branch: asleep.branch! });
    expect(again.result.slept).toBe(false);
    expect(again.provider.engine.stats.mutating + again.provider.caddy.stats.mutating).toBe(0);
  }, TIMEOUT);

  it('prune --ttl judges by the recorded last deployment: the dry run lists what the real run removes, and only that goes', async () => {
    const idle = (i: number) => i % 10 >= 5;
    const expected = Array.from({ length: SCALE }, (_, i) => i).filter(idle).map((i) => nameOfIdentity(identityOf(i))).sort();
    const flags = { ttl: '108h' };
    const timed = async (dryRun: boolean) => {
      const started = Date.now();
      const outcome = await runCommand('prune', { services, repo, app, branch: 'main', flags: { ...flags, ...(dryRun ? { 'dry-run': true } : {}) }, timeoutMs: 1_800_000 });
      const requests = outcome.provider.engine.stats.total + outcome.provider.caddy.stats.total;
      if (SCALE >= 100) console.log(`prune${dryRun ? ' --dry-run' : ''} of ${expected.length} among ${SCALE}: ${((Date.now() - started) / 1000).toFixed(1)} s, ${requests} requests (${outcome.provider.engine.stats.mutating + outcome.provider.caddy.stats.mutating} writes)`);
      return outcome;
    };
    const dry = await timed(true);
    expect([...(dry.result.removed as string[])].sort()).toEqual(expected);
    expect(dry.provider.engine.stats.mutating + dry.provider.caddy.stats.mutating).toBe(0);
    // Planned from the one listing, not read again per preview: the listing's three reads and the
    // image prune's two (images, containers), however many previews go.
    expect(dry.provider.engine.stats.total + dry.provider.caddy.stats.total).toBeLessThanOrEqual(5);
    expect(dry.result.plan).toEqual(expect.arrayContaining([`delete network ${expected[0]}`, `delete container ${expected[0]}-web`]));

    const real = await timed(false);
    expect([...(real.result.removed as string[])].sort()).toEqual(expected);
    const left = (await runCommand('list', { services, repo, app, branch: 'main', timeoutMs: 600_000 })).result.previews as Listed[];
    expect(left.map((p) => p.name).sort()).toEqual(
      Array.from({ length: SCALE }, (_, i) => i)
        .filter((i) => !idle(i))
        .map((i) => nameOfIdentity(identityOf(i)))
        .sort(),
    );
  }, TIMEOUT);
});
