/**
 * The fake API server at the size of a fleet: label-selector lists over thousands of objects return
 * exactly what matches (index candidates, then every term checked), in the API's order and pages;
 * lists at cluster scope span namespaces; a settled cluster makes no writes of its own; planted
 * objects keep their history; Traefik's Middleware is served only by a fake with its CRDs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKubernetes, type FakeKubernetes } from '../../fakes/kubernetes/index.js';

type Obj = Record<string, any>;
let fake: FakeKubernetes;

async function get(path: string): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${fake.token}` } });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as Obj };
}

const deployment = (ns: string, name: string, labels: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
});

afterEach(async () => {
  await fake?.close();
});

describe('fake Kubernetes API at fleet size', () => {
  it('selects among 1 200 objects by label: equality, existence and inequality terms, sorted, paged with continue', async () => {
    fake = await startFakeKubernetes({ namespaces: ['a', 'b'], readyDelayMs: 5, controllerIntervalMs: 5 });
    for (let i = 0; i < 600; i++) {
      for (const ns of ['a', 'b']) {
        const labels: Record<string, string> = { tier: i % 3 === 0 ? 'web' : 'worker', 'preview-kit/name': `p${i}` };
        if (i % 5 === 0) labels.special = 'yes';
        fake.plant(deployment(ns, `d${String(i).padStart(3, '0')}`, labels));
      }
    }
    const one = await get('/apis/apps/v1/namespaces/a/deployments?labelSelector=preview-kit%2Fname%3Dp42');
    expect(one.body.items.map((d: Obj) => d.metadata.name)).toEqual(['d042']);

    const web = await get('/apis/apps/v1/namespaces/b/deployments?labelSelector=tier%3Dweb%2Cspecial');
    expect(web.body.items.map((d: Obj) => d.metadata.name)).toEqual(Array.from({ length: 40 }, (_, k) => `d${String(k * 15).padStart(3, '0')}`));

    const notWeb = await get('/apis/apps/v1/namespaces/a/deployments?labelSelector=tier%21%3Dweb');
    expect(notWeb.body.items).toHaveLength(400);

    const names: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await get(`/apis/apps/v1/deployments?labelSelector=preview-kit%2Fname&limit=500${token ? `&continue=${token}` : ''}`);
      names.push(...page.body.items.map((d: Obj) => `${d.metadata.namespace}/${d.metadata.name}`));
      token = page.body.metadata.continue ?? '';
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toHaveLength(1200);
    expect(names[0]).toBe('a/d000');
    expect(names[599]).toBe('a/d599');
    expect(names[600]).toBe('b/d000');
  });

  it('a settled cluster has nothing queued and writes nothing by itself; planted objects keep their creation time and an Apply entry of their manager', async () => {
    fake = await startFakeKubernetes({ namespaces: ['a'], readyDelayMs: 5, controllerIntervalMs: 5 });
    for (let i = 0; i < 300; i++) fake.plant(deployment('a', `d${i}`, { app: `d${i}` }), { createdAt: '2024-01-02T03:04:05Z' });
    const planted = fake.get('Deployment', 'a', 'd7') as Obj;
    expect(planted.metadata.creationTimestamp).toBe('2024-01-02T03:04:05Z');
    expect(planted.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`)).toEqual(['preview-kit/Apply']);
    for (;;) {
      const pending = fake.objects({ kind: 'Deployment' }).filter((d) => (d.status as Obj | undefined)?.availableReplicas !== 1);
      if (!pending.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = (await get('/apis/apps/v1/namespaces/a/deployments?limit=1')).body.metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 150));
    expect((await get('/apis/apps/v1/namespaces/a/deployments?limit=1')).body.metadata.resourceVersion).toBe(before);
    // Nothing queued: the controllers look at nothing until something changes.
    expect(fake.controllerQueue()).toBe(0);
    fake.plant(deployment('a', 'late', { app: 'late' }));
    expect(fake.controllerQueue()).toBeGreaterThan(0);
  });

  it('serves traefik.io/v1alpha1 Middlewares only when started with Traefik’s CRDs', async () => {
    fake = await startFakeKubernetes({ namespaces: ['a'] });
    expect(await get('/apis/traefik.io/v1alpha1/namespaces/a/middlewares')).toEqual({ status: 404, body: '404 page not found\n' });
    expect((await get('/apis')).body.groups.map((g: Obj) => g.name)).not.toContain('traefik.io');
    await fake.close();

    fake = await startFakeKubernetes({ namespaces: ['a'], traefik: true });
    expect((await get('/apis')).body.groups.map((g: Obj) => g.name)).toContain('traefik.io');
    const applied = await fetch(`${fake.url}/apis/traefik.io/v1alpha1/namespaces/a/middlewares/auth?fieldManager=test`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'auth' }, spec: { basicAuth: { secret: 'users' } } }),
    });
    expect(applied.status).toBe(201);
    const listed = await get('/apis/traefik.io/v1alpha1/namespaces/a/middlewares');
    expect(listed.body).toMatchObject({ kind: 'MiddlewareList', items: [{ metadata: { name: 'auth', generation: 1 }, spec: { basicAuth: { secret: 'users' } } }] });
  });
});
