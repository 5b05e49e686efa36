/**
 * Pins the fake's owner-wide listings and the instance states to the real API's shapes: the
 * `/v2/summary` of the OpenAPI `getSummary` schema (tags, state and commit per application), the
 * organisation's deployments keyed by application id, stop and start through `…/instances` with
 * the run states clever-ripper reads back, and previews planted straight into the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_ID, startFakeCleverCloud, type FakeCleverCloud } from './server.js';

const API_TOKEN = 'api_listings_5c1e';
const ORG = 'orga_22222222-3333-4444-8555-666666666666';
const TAGS = ['preview-kit:key:0123456789abcdef0123', 'preview-kit'];

let fake: FakeCleverCloud;

beforeAll(async () => {
  fake = await startFakeCleverCloud({ latencyMs: 0, apiToken: API_TOKEN, orgId: ORG, deployDurationMs: 30, listLagMs: 60_000 });
});
afterAll(async () => {
  await fake?.close();
});

async function get<T = any>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  return { status: res.status, body: (await res.json()) as T };
}

async function send(method: string, path: string): Promise<number> {
  const res = await fetch(`${fake.url}${path}`, { method, headers: { authorization: `Bearer ${API_TOKEN}` } });
  await res.arrayBuffer();
  return res.status;
}

async function settled(appId: string, until: (state: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const state = fake.apps().find((a) => a.id === appId)!.state;
    if (until(state)) return state;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${appId} never left its state`);
}

describe('owner-wide listings', () => {
  it('the summary has the OpenAPI fields, each app with customerTags, state and commit; planted previews show despite the lag', async () => {
    const { appId } = fake.plantPreview({ name: 'shop-feature-a', tags: TAGS, deployedAt: Date.now() - 3_600_000 });
    const { status, body } = await get('/v2/summary');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['organisations', 'user']);
    expect(Object.keys(body.user).sort()).toEqual(
      ['addons', 'admin', 'applications', 'avatar', 'canSEPA', 'consumers', 'email', 'id', 'lang', 'name', 'partnerConsoleUrl', 'partnerId', 'partnerName'].sort(),
    );
    const org = body.organisations.find((o: { id: string }) => o.id === ORG);
    expect(Object.keys(org).sort()).toEqual(
      ['addons', 'applications', 'avatar', 'canPay', 'canSEPA', 'cleverEnterprise', 'consumers', 'emergencyNumber', 'id', 'isTrusted', 'name', 'providers', 'role', 'vatState'].sort(),
    );
    const item = org.applications.find((a: { id: string }) => a.id === appId);
    expect(item).toMatchObject({ name: 'shop-feature-a', state: 'SHOULD_BE_UP', commit: expect.stringMatching(/^[0-9a-f]{40}$/), customerTags: TAGS, systemTags: [] });
    expect(Object.keys(item).sort()).toEqual(
      ['archived', 'commit', 'customerTags', 'homogeneous', 'id', 'instanceType', 'instanceVariant', 'name', 'state', 'systemTags', 'variantLogoUrl', 'variantSlug'].sort(),
    );
    // The application listing shows it too: planted things were "made earlier".
    expect((await get(`/v2/organisations/${ORG}/applications`)).body.map((a: { id: string }) => a.id)).toContain(appId);
  });

  it('the organisation deployments answer an object keyed by app id, newest first, `limit` per app; none for /self', async () => {
    const now = Date.now();
    const { appId } = fake.plantPreview({ name: 'shop-feature-b', tags: TAGS, deployedAt: now - 7_200_000, asleep: true });
    const { body } = await get<Record<string, Array<{ action: string; date: number; state: string; uuid: string; commit: string }>>>(`/v2/organisations/${ORG}/deployments`);
    expect(body[appId]!.map((d) => [d.action, d.state, d.date])).toEqual([
      ['UNDEPLOY', 'OK', now - 7_200_000 + 1],
      ['DEPLOY', 'OK', now - 7_200_000],
    ]);
    expect(body[appId]![0]).toMatchObject({ uuid: expect.stringMatching(/^deployment_/), commit: expect.any(String) });
    expect((await get(`/v2/organisations/${ORG}/deployments?limit=1`)).body[appId]).toHaveLength(1);
    expect((await get('/v2/self/deployments')).status).toBe(404);
    const personal = fake.plantPreview({ name: 'mine', tags: [], ownerId: DEFAULT_USER_ID });
    const mine = await get(`/v2/organisations/${DEFAULT_USER_ID}/deployments`);
    expect(Object.keys(mine.body)).toEqual([personal.appId]);
  });
});

describe('instances', () => {
  it('stop: SHOULD_BE_DOWN, no instance, an UNDEPLOY; stopping again records nothing; start: WANTS_TO_BE_UP, then up', async () => {
    const { appId } = fake.plantPreview({ name: 'shop-feature-c', tags: TAGS });
    const base = `/v2/organisations/${ORG}/applications/${appId}`;
    expect((await get(`${base}/instances`)).body).toHaveLength(1);
    expect(await send('DELETE', `${base}/instances`)).toBe(200);
    const stopped = fake.apps().find((a) => a.id === appId)!;
    expect(stopped).toMatchObject({ state: 'SHOULD_BE_DOWN', runningInstances: 0 });
    expect(stopped.deployments.map((d) => d.action)).toEqual(['DEPLOY', 'UNDEPLOY']);
    expect((await get(`${base}/instances`)).body).toEqual([]);
    expect(await send('DELETE', `${base}/instances`)).toBe(200);
    expect(fake.apps().find((a) => a.id === appId)!.deployments).toHaveLength(2);

    expect(await send('POST', `${base}/instances`)).toBe(200);
    expect((await get(base)).body.state).toBe('WANTS_TO_BE_UP');
    expect(await settled(appId, (s) => s !== 'WANTS_TO_BE_UP')).toBe('SHOULD_BE_UP');
    expect(fake.apps().find((a) => a.id === appId)!.runningInstances).toBe(1);
  });

  it('a start that fails leaves a stopped app stopped', async () => {
    const commit = 'f'.repeat(40);
    const { appId } = fake.plantPreview({ name: 'shop-feature-d', tags: TAGS, asleep: true, commit });
    fake.failNextDeployOf(commit);
    expect(await send('POST', `/v2/organisations/${ORG}/applications/${appId}/instances`)).toBe(200);
    expect(await settled(appId, (s) => s !== 'WANTS_TO_BE_UP')).toBe('SHOULD_BE_DOWN');
    expect(fake.apps().find((a) => a.id === appId)!.runningInstances).toBe(0);
  });

  it('plants over the admin route, and a planted app gets its git repository on first use', async () => {
    const res = await fetch(`${fake.url}/__fake/plant-preview`, { method: 'POST', body: JSON.stringify({ name: 'shop-feature-e', tags: TAGS, createdAt: 1_700_000_000_000 }) });
    const { appId } = (await res.json()) as { appId: string };
    expect(fake.apps().find((a) => a.id === appId)).toMatchObject({ creationDate: 1_700_000_000_000, runningInstances: 1 });
    const refs = await fetch(`${fake.url}/git/${appId}.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(refs.status).toBe(200);
    const bad = await fetch(`${fake.url}/__fake/plant-preview`, { method: 'POST', body: JSON.stringify({ name: 'x' }) });
    expect(bad.status).toBe(400);
    const latency = await fetch(`${fake.url}/__fake/latency`, { method: 'POST', body: JSON.stringify({ ms: -1 }) });
    expect(latency.status).toBe(400);
  });
});
