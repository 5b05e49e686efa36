/**
 * A deployer role scoped to what preview-kit makes (Secrets, Services, Ingresses, Deployments) and
 * nothing else: a proxy in front of the fake API server answers 403 for the other kinds, the way
 * RBAC does. Such a role must be able to run up and stop.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/core/errors.js';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { COMMIT_A, providerMaker } from './helpers.js';

/** Forwards to the fake, but answers 403 with a Status for the resource plurals in `forbidden`. */
async function rbacProxy(target: string, forbidden: Set<string>): Promise<{ url: string; server: Server }> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const plural = /\/namespaces\/[^/]+\/([a-z]+)/.exec(req.url ?? '')?.[1];
    if (plural && forbidden.has(plural)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `${plural} is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "${plural}"` }));
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

const OTHER_KINDS = ['serviceaccounts', 'configmaps', 'persistentvolumeclaims', 'roles', 'rolebindings', 'networkpolicies', 'poddisruptionbudgets', 'statefulsets', 'jobs', 'cronjobs', 'horizontalpodautoscalers', 'replicasets', 'pods'];

describe('kubernetes with a deployer role limited to the kinds it makes', () => {
  let fake: FakeKubernetes;
  let proxy: { url: string; server: Server };
  let dir: string;
  let kubeconfig: string;
  const forbidden = new Set(OTHER_KINDS);
  const { make, closeAll } = providerMaker(() => kubeconfig);

  beforeEach(async () => {
    fake = await startFakeKubernetes({ readyDelayMs: 20, deletionDelayMs: 10, controllerIntervalMs: 5, namespaces: ['previews'] });
    proxy = await rbacProxy(fake.url, forbidden);
    dir = mkdtempSync(join(tmpdir(), 'k8s-rbac-'));
    kubeconfig = writeKubeconfig({ url: proxy.url, token: fake.token }, dir, { namespace: 'previews' });
  });

  afterEach(async () => {
    closeAll();
    proxy.server.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('up waits for the rollout and stop removes everything, warning about the kinds it could not look at', async () => {
    const { up, provider, name, ref, logger } = make();
    const { deployed } = await up(COMMIT_A);
    expect(deployed.deployed).toBe(true);
    const { removed } = await provider.destroy(ref);
    expect(removed).toEqual(expect.arrayContaining([`deployment previews/${name}`, `service previews/${name}`, `ingress previews/${name}`]));
    expect(fake.objects({ namespace: 'previews', labelSelector: `preview-kit/name=${name}` }).filter((o) => o.kind !== 'Pod' && o.kind !== 'ReplicaSet')).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/could not look for .*cronjobs.* \(forbidden or not served\)/);
  });

  it('a kind these settings make is never skipped: 403 on Deployments is exit 3', async () => {
    const { up, provider, ref } = make();
    await up(COMMIT_A);
    forbidden.add('deployments');
    try {
      await expect(provider.destroy(ref)).rejects.toBeInstanceOf(AuthError);
    } finally {
      forbidden.delete('deployments');
    }
  });
});
