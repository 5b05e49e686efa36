/**
 * Sleep, wake, the deploy time and `list` against the fake API server: sleep scales the workloads
 * to zero and records what to restore, keeping everything else; deploy of the same commit brings
 * the same pods back (no new ReplicaSet) and waits for them; the deploy time is stamped only when
 * something is written; `list` is one listing per kind whatever the number of previews.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import { writeKubeconfig, type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { COMMIT_A, COMMIT_B, providerMaker, useFakeCluster } from './helpers.js';
import { plantPreview } from './plant.js';

type Obj = Record<string, any>;
const NS = 'previews';

describe('kubernetes sleep, wake and list', () => {
  let fake: FakeKubernetes;
  let dir: string;
  const { make } = useFakeCluster({ readyDelayMs: 20, deletionDelayMs: 10, controllerIntervalMs: 5, namespaces: ['default', NS] }, NS, (f, d) => {
    [fake, dir] = [f, d];
  });

  const deploymentOf = (name: string, ns = NS) => fake.get('Deployment', ns, name) as Obj;
  const replicaSets = (name: string) => fake.objects({ kind: 'ReplicaSet', namespace: NS, labelSelector: `preview-kit/name=${name}` }).map((rs) => String((rs.metadata as Obj).name)).sort();

  it('sleep scales to zero with the replicas recorded, keeps Service, Ingress and Secrets; a second sleep and a sleep of nothing write nothing', async () => {
    const p = make({ settings: { replicas: '2' } });
    await p.up(COMMIT_A);
    fake.resetLog();
    const slept = await make({ settings: { replicas: '2' } }).provider.sleep(p.ref);
    expect(slept).toEqual({ slept: true, stopped: [`Deployment ${NS}/${p.name} (2 → 0 replicas)`] });
    expect(fake.writes().map((w) => `${w.method} ${w.path} ${w.contentType}`)).toEqual([`PATCH /apis/apps/v1/namespaces/${NS}/deployments/${p.name} application/merge-patch+json`]);
    const d = deploymentOf(p.name);
    expect(d.spec.replicas).toBe(0);
    expect(d.metadata.annotations['preview-kit/sleeping-replicas']).toBe('2');
    for (const [kind, name] of [['Service', p.name], ['Ingress', p.name], ['Secret', `${p.name}-env`]] as const) expect(fake.get(kind, NS, name), kind).toBeDefined();

    const found = await make().provider.find(p.ref);
    expect(found).toMatchObject({ state: 'sleeping', url: `https://${p.name}.preview.example.com` });

    fake.resetLog();
    expect(await make().provider.sleep(p.ref)).toEqual({ slept: false, stopped: [] });
    const other = make({ branch: 'never-made' });
    expect(await other.provider.sleep(other.ref)).toEqual({ slept: false, stopped: [] });
    expect(fake.writes()).toEqual([]);
  });

  it('ensure and deploy of the same commit wake it: the replicas come back with the same template (no new ReplicaSet), deploy waits for them, and stamps the time', async () => {
    const p = make({ settings: { replicas: '2' } });
    await p.up(COMMIT_A);
    const sets = replicaSets(p.name);
    const stampedAtUp = deploymentOf(p.name).metadata.annotations['preview-kit/deployed-at'];
    await p.provider.sleep(p.ref);
    await new Promise((r) => setTimeout(r, 5));

    const again = make({ settings: { replicas: '2' } });
    const ensured = await again.provider.ensure(again.spec);
    expect(ensured.changed).toBe(true);
    expect(deploymentOf(p.name).spec.replicas).toBe(2);
    // Woken by ensure already: deploy has nothing to write, and waits for the pods all the same.
    const deployed = await again.provider.deploy(ensured.preview, again.spec, again.source(COMMIT_A));
    expect(deployed).toMatchObject({ deployed: false, reason: `commit ${COMMIT_A.slice(0, 12)} already live` });
    const d = deploymentOf(p.name);
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, availableReplicas: 2, updatedReplicas: 2 });
    expect(d.metadata.annotations['preview-kit/sleeping-replicas']).toBeUndefined();
    expect(d.spec.template.metadata.annotations['preview-kit/commit']).toBe(COMMIT_A);
    expect(replicaSets(p.name)).toEqual(sets);
    expect(Date.parse(d.metadata.annotations['preview-kit/deployed-at'])).toBeGreaterThan(Date.parse(stampedAtUp));
    expect((await make().provider.find(p.ref))?.state).toBe('running');

    fake.resetLog();
    const rerun = await make({ settings: { replicas: '2' } }).up(COMMIT_A);
    expect(rerun.deployed.deployed).toBe(false);
    expect(fake.writes()).toEqual([]);
  });

  it('a lone deploy wakes it too; a new commit while asleep wakes it and rolls the new template out', async () => {
    const p = make();
    await p.up(COMMIT_A);
    await p.provider.sleep(p.ref);
    const lone = make();
    const deployed = await lone.provider.deploy((await lone.provider.find(lone.ref))!, lone.spec, lone.source(COMMIT_A));
    expect(deployed.deployed).toBe(true);
    expect(deploymentOf(p.name).status.availableReplicas).toBe(1);

    await p.provider.sleep(p.ref);
    const next = make();
    const { deployed: rolled } = await next.up(COMMIT_B);
    expect(rolled.deployed).toBe(true);
    const d = deploymentOf(p.name);
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.metadata.annotations['preview-kit/commit']).toBe(COMMIT_B);
    expect(d.status).toMatchObject({ updatedReplicas: 1, availableReplicas: 1 });
  });

  it('the deploy time is written with what deploy writes: kept by a re-run, new with a new commit, read by find', async () => {
    const p = make();
    await p.up(COMMIT_A);
    const first = deploymentOf(p.name).metadata.annotations['preview-kit/deployed-at'];
    expect(Number.isFinite(Date.parse(first))).toBe(true);
    expect(deploymentOf(p.name).spec.template.metadata.annotations['preview-kit/deployed-at']).toBeUndefined();
    await make().up(COMMIT_A);
    expect(deploymentOf(p.name).metadata.annotations['preview-kit/deployed-at']).toBe(first);
    await new Promise((r) => setTimeout(r, 5));
    await make().up(COMMIT_B);
    const second = deploymentOf(p.name).metadata.annotations['preview-kit/deployed-at'];
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
    expect(await make().provider.find(p.ref)).toMatchObject({ lastDeployedAt: second, state: 'running', lastDeployment: { commit: COMMIT_B } });
  });

  it('list reads a thousand previews with one listing per kind (three kinds, pages of 500), every one with identity, state, times, commit and URL', async () => {
    const settings = kubernetesSchema.parse({ image: 'registry.example.com/shop:{shortCommit}', namespace: NS });
    const deployedAt = (i: number) => new Date(Date.UTC(2025, 0, 1 + (i % 28)));
    for (let i = 0; i < 1000; i++) {
      plantPreview(fake, settings, NS, (n) => `${n}.preview.example.com`, { project: i % 2 ? 'shop' : 'blog', branch: `b${i}` }, { asleep: i % 3 === 0, deployedAt: deployedAt(i), createdAt: new Date(Date.UTC(2024, 11, 1)), commit: `${String(i).padStart(4, '0')}${'c'.repeat(36)}` });
    }
    fake.resetLog();
    const list = await make().provider.list();
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.query.continue ?? ''}`)).toEqual([
      `GET /apis/apps/v1/namespaces/${NS}/deployments `,
      `GET /apis/apps/v1/namespaces/${NS}/deployments 500`,
      `GET /apis/networking.k8s.io/v1/namespaces/${NS}/ingresses `,
      `GET /apis/networking.k8s.io/v1/namespaces/${NS}/ingresses 500`,
      `GET /api/v1/namespaces/${NS}/services `,
      `GET /api/v1/namespaces/${NS}/services 500`,
    ]);
    expect(list).toHaveLength(1000);
    expect(list.filter((p) => p.state === 'sleeping')).toHaveLength(334);
    const p7 = list.find((p) => p.identity?.branch === 'b7')!;
    expect(p7).toMatchObject({
      name: 'shop-b7',
      id: `${NS}/shop-b7`,
      url: 'https://shop-b7.preview.example.com',
      identity: { project: 'shop', branch: 'b7' },
      createdAt: '2024-12-01T00:00:00Z',
      lastDeployedAt: deployedAt(7).toISOString(),
      lastDeployment: { commit: `0007${'c'.repeat(36)}` },
    });
    expect(['running', 'deploying']).toContain(p7.state);
    expect(list.find((p) => p.identity?.branch === 'b9')?.state).toBe('sleeping');
  }, 60_000);

  it('with --namespace-per-preview, list is the Namespaces by label and one cluster-scope listing per kind; per namespace when RBAC forbids the cluster scope', async () => {
    const settings = { namespacePerPreview: true };
    for (const branch of ['one', 'two']) await make({ settings, branch }).up(COMMIT_A);
    await make({ settings, branch: 'two' }).provider.sleep(make({ settings, branch: 'two' }).ref);
    // A shared-namespace preview of the same cluster is not one of these.
    plantPreview(fake, kubernetesSchema.parse({ image: 'x:{commit}' }), NS, (n) => `${n}.example.com`, { project: 'shop', branch: 'elsewhere' });
    fake.resetLog();
    const list = await make({ settings }).provider.list();
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/namespaces', '/apis/apps/v1/deployments', '/apis/networking.k8s.io/v1/ingresses']);
    // Each preview's id is its namespace and its name: both the preview name.
    expect(list.map((p) => [p.identity?.branch, p.state, p.id === `${p.name}/${p.name}`])).toEqual([
      ['one', 'running', true],
      ['two', 'sleeping', true],
    ]);

    const proxy = await clusterScopeForbidden(fake.url);
    try {
      const limited = writeKubeconfig({ url: proxy.url, token: fake.token }, mkdtempSync(join(dir, 'rbac-')), { namespace: NS });
      fake.resetLog();
      const { provider, logger } = providerMaker(() => limited).make({ settings });
      const again = await provider.list();
      provider.close();
      expect(again.map((p) => [p.identity?.branch, p.state])).toEqual([
        ['one', 'running'],
        ['two', 'sleeping'],
      ]);
      // Namespaces, then each kind in each of the two namespaces.
      expect(fake.requests).toHaveLength(1 + 2 * 2);
      expect(logger.lines.join('\n')).toMatch(/cannot list deployments at cluster scope \(forbidden\): listing them in each of 2 namespaces/);
    } finally {
      proxy.server.close();
    }
  });

  it('removing many previews in one run (prune) takes an inventory once, then lists per preview only the kinds that hold anything of ours; a dry run plans from it alone', async () => {
    const settings = kubernetesSchema.parse({ image: 'registry.example.com/shop:{shortCommit}', namespace: NS });
    const branches = ['one', 'two', 'three', 'four'];
    const names = branches.map((branch) => plantPreview(fake, settings, NS, (n) => `${n}.preview.example.com`, { project: 'shop', branch }));
    const { ref: two } = make({ branch: 'two' });
    // Left by older settings: a ConfigMap of preview "two", a kind these settings do not make.
    fake.plant({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${two.name}-old`, namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': two.name, 'preview-kit/key': two.key }, annotations: { 'preview-kit/identity': JSON.stringify(two.identity) } }, data: { a: 'b' } });
    const perPreview = (plural: string) => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/namespaces/${NS}/${plural}`) && r.query.labelSelector?.includes('preview-kit/name=')).length;
    const inventories = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/namespaces/${NS}/cronjobs`) && !r.query.labelSelector?.includes('preview-kit/name=')).length;

    fake.resetLog();
    const dry = make({ dryRun: true });
    const planned = [];
    for (const branch of branches) planned.push(await dry.provider.destroy(make({ branch }).ref));
    expect(fake.writes()).toEqual([]);
    expect(planned[1]!.removed).toContain(`configmap ${NS}/${two.name}-old`);
    expect(planned.map((p) => p.removed.filter((r) => r.startsWith('deployment')))).toEqual(names.map((n) => [`deployment ${NS}/${n}`]));
    // Only the first removal lists per preview; the rest is planned from one inventory.
    expect(perPreview('deployments')).toBe(1);
    expect(inventories()).toBe(1);

    fake.resetLog();
    const { provider } = make();
    for (const branch of branches) await provider.destroy(make({ branch }).ref);
    expect(fake.objects({ namespace: NS, labelSelector: 'app.kubernetes.io/managed-by=preview-kit' })).toEqual([]);
    // A kind that holds nothing of ours is listed by the first removal and the inventory only;
    // the kinds these settings make, and ConfigMaps (preview "two" had one), by every removal.
    expect(perPreview('cronjobs')).toBe(1);
    expect(inventories()).toBe(1);
    expect(perPreview('configmaps')).toBeGreaterThanOrEqual(4);
    expect(perPreview('deployments')).toBeGreaterThanOrEqual(4);
  });

  it('with manifests holding a StatefulSet, sleep and wake scale it with the Deployment, and list looks at StatefulSets too', async () => {
    const manifests = join(dir, 'k8s');
    mkdirSync(manifests);
    const pod = (app: string) => `selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: ${app}, image: "registry.example.com/${app}:{commit}"}]}`;
    writeFileSync(join(manifests, 'app.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  ${pod('web')}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: cache}\nspec:\n  replicas: 3\n  serviceName: cache\n  ${pod('cache')}\n`);
    const settings = { manifests, image: undefined };
    const p = make({ settings });
    await p.up(COMMIT_A);
    const slept = await make({ settings }).provider.sleep(p.ref);
    expect(slept.stopped.sort()).toEqual([`Deployment ${NS}/${p.name}-web (1 → 0 replicas)`, `StatefulSet ${NS}/${p.name}-cache (3 → 0 replicas)`]);
    fake.resetLog();
    const listed = await make({ settings }).provider.list();
    expect(listed.map((x) => x.state)).toEqual(['sleeping']);
    expect(fake.requests.map((r) => r.path.split('/').at(-1))).toEqual(['deployments', 'ingresses', 'services', 'statefulsets']);
    await make({ settings }).up(COMMIT_A);
    expect((fake.get('StatefulSet', NS, `${p.name}-cache`) as Obj).spec.replicas).toBe(3);
    expect(deploymentOf(`${p.name}-web`).spec.replicas).toBe(1);
  });
});

/** Forwards to the fake, but answers 403 to lists at cluster scope (a namespaced RoleBinding's rights). */
async function clusterScopeForbidden(target: string): Promise<{ url: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (/^\/apis\/[^/]+\/[^/]+\/(deployments|ingresses)$/.test(path)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `forbidden: cannot list resource at the cluster scope` }));
      return;
    }
    const forward = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
