/**
 * What a run asks the API server, request by request: a no-op `up` reads each kind once (one
 * listing by the preview's name label) and writes nothing; a lone `deploy` after `find` reads
 * nothing more; a rollout and a stop are followed through watches from the versions the run holds
 * (no polling); without the right to watch, the waits poll instead and still end.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeKubeconfig, type FakeKubernetes, type RecordedRequest } from '../../fakes/kubernetes/index.js';
import { COMMIT_A, COMMIT_B, useFakeCluster } from './helpers.js';

const isWatch = (r: RecordedRequest) => r.query.watch === 'true';
const describeRequest = (r: RecordedRequest) => `${r.method} ${r.path}${isWatch(r) ? ' (watch)' : r.query.labelSelector ? ' (list)' : ''}`;

/** Forwards to the fake, but answers every watch 403, as RBAC does for an account without the verb. */
async function noWatchProxy(target: string): Promise<{ url: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    if (/[?&]watch=true/.test(req.url ?? '')) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'deployments.apps is forbidden: User "ci" cannot watch resource "deployments"' }));
      return;
    }
    const forward = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('kubernetes: the requests of a run', () => {
  let fake: FakeKubernetes;
  let dir: string;
  const { make, closeAll, useKubeconfig } = useFakeCluster({ namespaces: ['default', 'previews'], readyDelayMs: 30, deletionDelayMs: 20, controllerIntervalMs: 5 }, 'previews', (f, d) => {
    [fake, dir] = [f, d];
  });

  it('a no-op up writes nothing and reads each kind once, with one listing by the preview’s name label', async () => {
    await make().up(COMMIT_A);
    fake.resetLog();
    const { up, name } = make();
    const { ensured, domainResult, deployed } = await up(COMMIT_A);
    expect([ensured.changed, domainResult.changed, deployed.deployed]).toEqual([false, false, false]);
    expect(fake.writes()).toEqual([]);
    expect(fake.requests.map(describeRequest).sort()).toEqual(
      [
        'GET /api/v1/namespaces/previews/secrets (list)',
        'GET /api/v1/namespaces/previews/services (list)',
        'GET /apis/apps/v1/namespaces/previews/deployments (list)',
        'GET /apis/networking.k8s.io/v1/namespaces/previews/ingresses (list)',
      ].sort(),
    );
    for (const r of fake.requests) expect(r.query.labelSelector).toContain(`preview-kit/name=${name}`);
  });

  it('a lone deploy after find (what `preview-kit deploy` does) reads nothing beyond find’s listings', async () => {
    await make().up(COMMIT_A);
    fake.resetLog();
    const { provider, ref, spec, source } = make();
    const preview = await provider.find(ref);
    expect(preview).toBeDefined();
    const listings = fake.requests.length;
    const result = await provider.deploy(preview!, spec, source(COMMIT_A));
    expect(result.deployed).toBe(false);
    expect(fake.requests.length).toBe(listings);
  });

  it('a new commit is waited for through one watch of the Deployment, from the version the apply answered: no polling', async () => {
    const { up, name } = make();
    await up(COMMIT_A);
    fake.resetLog();
    const { deployed } = await make().up(COMMIT_B);
    expect(deployed.deployed).toBe(true);
    const patch = fake.requests.findIndex((r) => r.method === 'PATCH' && r.path.endsWith(`/deployments/${name}`));
    const after = fake.requests.slice(patch + 1);
    const watches = after.filter(isWatch);
    expect(watches).toHaveLength(1);
    expect(watches[0]).toMatchObject({ path: '/apis/apps/v1/namespaces/previews/deployments', query: { fieldSelector: `metadata.name=${name}` } });
    expect(Number(watches[0]!.query.resourceVersion)).toBeGreaterThan(0);
    expect(after.filter((r) => r.method === 'GET' && r.path.endsWith(`/deployments/${name}`))).toEqual([]);
    const live = fake.get('Deployment', 'previews', name) as { status: { updatedReplicas: number; availableReplicas: number } };
    expect(live.status).toMatchObject({ updatedReplicas: 1, availableReplicas: 1 });
  });

  it('stop follows each deleted object through a watch and returns once nothing of the preview is left, pods included', async () => {
    const { up, provider, ref, name } = make();
    await up(COMMIT_A);
    fake.resetLog();
    const result = await provider.destroy(ref);
    expect(result.deleted).toBe(true);
    expect(fake.objects({ namespace: 'previews', labelSelector: `preview-kit/name=${name}` })).toEqual([]);
    const deletes = fake.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').slice(-2).join('/'));
    const watched = fake.requests.filter(isWatch).map((r) => `${r.path.split('/').at(-1)}/${r.query.fieldSelector!.replace('metadata.name=', '')}`);
    expect(watched.sort()).toEqual(deletes.sort());
  });

  it('without the right to watch, the rollout and the stop are polled, and both end', async () => {
    const proxy = await noWatchProxy(fake.url);
    try {
      useKubeconfig(writeKubeconfig({ url: proxy.url, token: fake.token }, dir, { namespace: 'previews', file: 'no-watch' }));
      const { up, provider, ref, name } = make();
      const { deployed } = await up(COMMIT_A);
      expect(deployed.deployed).toBe(true);
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/deployments/${name}`)).length).toBeGreaterThan(0);
      await provider.destroy(ref);
      expect(fake.objects({ namespace: 'previews', labelSelector: `preview-kit/name=${name}` })).toEqual([]);
    } finally {
      closeAll();
      proxy.server.close();
    }
  });
});
