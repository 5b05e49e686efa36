/**
 * The built CLI deciding over a fleet of Clever Cloud previews from one listing: `list` and a dry
 * `prune` in three requests however many previews there are, a real `prune` sending only the
 * deletes it decided on, and `sleep` twice writing once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityKey, identitySegments, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { startFakeCleverCloud, type FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { runCli } from '../../helpers/cli.js';

const TOKEN = 'tok_fleet_6d2b8e0a4c6e8a0c2e4a';
const SECRET = 'sec_fleet_1a3c5e7a9c1e3a5c7e9b';
const ORG = 'orga_00000000-0000-4000-8000-0000000000f1';
const HOUR = 3_600_000;

let fake: FakeCleverCloud;

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, token: TOKEN, secret: SECRET, orgId: ORG });
});
afterAll(async () => {
  await fake?.close();
});

const env = () => ({ CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG });
const cli = (args: string[]) => runCli([...args, '--provider', 'clever-cloud'], { env: env() });
const mutating = () => fake.requests.filter((r) => r.method !== 'GET');

function plant(identity: PreviewIdentity, deployedAt: number, asleep = false): string {
  const tags = [`preview-kit:key:${identityKey(identity)}`, `preview-kit:id:${identitySegments(identity)}`, 'preview-kit'];
  return fake.plantPreview({ name: nameOfIdentity(identity), tags, deployedAt, asleep }).appId;
}

describe('200 previews', () => {
  const now = Date.now();
  beforeAll(() => {
    for (let i = 0; i < 200; i++) plant({ project: 'fleet', branch: `feature/f${i}` }, now - (i + 1) * HOUR, i % 5 === 0);
    plant({ project: 'other', branch: 'main' }, now);
  });

  it('list reads them all, with state and last deployment, in at most 3 requests', async () => {
    fake.resetLog();
    const r = await cli(['list', '--app', 'fleet', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const previews = r.json<{ previews: Array<{ identity: PreviewIdentity; state: string; lastDeployedAt: string }> }>().previews;
    expect(previews).toHaveLength(200);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    const f7 = previews.find((p) => p.identity.branch === 'feature/f7')!;
    expect(f7).toMatchObject({ state: 'running', lastDeployedAt: new Date(now - 8 * HOUR).toISOString() });
    expect(previews.find((p) => p.identity.branch === 'feature/f5')!.state).toBe('sleeping');
  });

  it('a dry prune --max 10 decides in at most 5 requests and writes nothing', async () => {
    fake.resetLog();
    const r = await cli(['prune', '--app', 'fleet', '--max', '10', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ removed: string[] }>().removed).toHaveLength(190);
    expect(fake.requests.length).toBeLessThanOrEqual(5);
    expect(mutating()).toEqual([]);
  });

  it('the real prune sends the 190 deletes it decided on and no lookup for any of them', async () => {
    fake.resetLog();
    const r = await cli(['prune', '--app', 'fleet', '--max', '10', '--parallel', '8']);
    expect(r.code, r.stderr).toBe(0);
    expect(mutating().map((x) => x.method)).toEqual(Array(190).fill('DELETE'));
    expect(fake.requests.length - mutating().length).toBeLessThanOrEqual(3);
    const left = fake.apps().filter((a) => a.name.startsWith('fleet-'));
    expect(left).toHaveLength(10);
    // The most recently deployed stay.
    expect(left.map((a) => a.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => nameOfIdentity({ project: 'fleet', branch: `feature/f${i}` })).sort());
    expect(fake.apps().some((a) => a.name === nameOfIdentity({ project: 'other', branch: 'main' }))).toBe(true);
  });
});

it('sleep stops a running preview once: the second sleep sends no write', async () => {
  const identity = { project: 'nap', branch: 'main' };
  const appId = plant(identity, Date.now());
  const args = ['sleep', '--app', 'nap', '--branch', 'main', '--json'];
  fake.resetLog();
  const first = await cli(args);
  expect(first.code, first.stderr).toBe(0);
  expect(mutating().map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /v2/organisations/${ORG}/applications/${appId}/instances`]);
  expect(fake.apps().find((a) => a.id === appId)!.runningInstances).toBe(0);
  fake.resetLog();
  const second = await cli(args);
  expect(second.code, second.stderr).toBe(0);
  expect(mutating()).toEqual([]);
});
