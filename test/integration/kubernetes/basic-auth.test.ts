/**
 * `--basic-auth` against the fake API server, for ingress-nginx (annotations + an htpasswd Secret)
 * and Traefik (a Middleware custom resource, served only by a fake with Traefik's CRDs). What the
 * controller would answer is modelled from the objects (plant.ts `routedStatus`), with hashes checked
 * by openssl, not by our code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError, SafetyError } from '../../../src/core/errors.js';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { COMMIT_A, providerMaker, type ProviderSetup } from './helpers.js';
import { routedStatus } from './plant.js';

type Obj = Record<string, any>;
const NS = 'previews';
const PASSWORD = 'correct horse battery staple';
const viewer = { user: 'viewer', password: PASSWORD };

describe('kubernetes --basic-auth', () => {
  let fake: FakeKubernetes;
  let dir: string;
  let kubeconfig: string;
  const { make, closeAll } = providerMaker(() => kubeconfig);

  const start = async (traefik: boolean) => {
    fake = await startFakeKubernetes({ readyDelayMs: 10, deletionDelayMs: 10, controllerIntervalMs: 5, namespaces: ['default', NS], traefik });
    dir = mkdtempSync(join(tmpdir(), 'k8s-basic-auth-'));
    kubeconfig = writeKubeconfig(fake, dir, { namespace: NS });
  };

  afterEach(async () => {
    closeAll();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A provider whose spec carries `credentials` (or none), as the settings loader hands them over. */
  const protectedBy = (credentials: { user: string; password: string } | undefined, setup: ProviderSetup = {}) => {
    const p = make(setup);
    if (credentials) p.spec.basicAuth = credentials;
    return p;
  };
  const status = (name: string, credentials?: { user: string; password: string }) => routedStatus(fake, NS, name, credentials);

  it('ingress-nginx: annotations and an $apr1$ htpasswd Secret; the same password writes nothing; a new one replaces the hash; without it everything of ours goes', async () => {
    await start(false);
    const p = protectedBy(viewer);
    await p.up(COMMIT_A);
    const ingress = fake.get('Ingress', NS, p.name) as Obj;
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': `${p.name}-basic-auth`,
      'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
    });
    const secret = fake.get('Secret', NS, `${p.name}-basic-auth`) as Obj;
    const file = Buffer.from(secret.data.auth, 'base64').toString('utf8');
    expect(file).toMatch(/^viewer:\$apr1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}\n$/);
    expect(secret.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': p.name });
    expect(JSON.stringify(fake.requests)).not.toContain(PASSWORD);
    expect(p.logger.lines.join('\n')).not.toContain(PASSWORD);
    expect(await status(p.name)).toBe(401);
    expect(await status(p.name, { user: 'viewer', password: 'wrong' })).toBe(401);
    expect(await status(p.name, { user: 'someone', password: PASSWORD })).toBe(401);
    expect(await status(p.name, viewer)).toBe(200);

    fake.resetLog();
    await protectedBy(viewer).up(COMMIT_A);
    expect(fake.writes()).toEqual([]);

    const changed = { user: 'viewer', password: 'another one' };
    await protectedBy(changed).up(COMMIT_A);
    expect(fake.writes().map((w) => w.path)).toEqual([`/api/v1/namespaces/${NS}/secrets/${p.name}-basic-auth`]);
    expect(await status(p.name, viewer)).toBe(401);
    expect(await status(p.name, changed)).toBe(200);

    fake.resetLog();
    await protectedBy(undefined).up(COMMIT_A);
    expect(fake.get('Secret', NS, `${p.name}-basic-auth`)).toBeUndefined();
    const open = (fake.get('Ingress', NS, p.name) as Obj).metadata.annotations;
    expect(Object.keys(open).filter((k) => k.startsWith('nginx.ingress.kubernetes.io/'))).toEqual([]);
    expect(await status(p.name)).toBe(200);
    fake.resetLog();
    await protectedBy(undefined).up(COMMIT_A);
    expect(fake.writes()).toEqual([]);
  });

  it('a Secret of that name that is not ours refuses the up before anything is written', async () => {
    await start(false);
    const p = protectedBy(viewer);
    fake.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `${p.name}-basic-auth`, namespace: NS }, data: { auth: Buffer.from('admin:{PLAIN}x\n').toString('base64') } });
    fake.resetLog();
    await expect(p.provider.ensure(p.spec)).rejects.toBeInstanceOf(SafetyError);
    expect(fake.writes()).toEqual([]);
  });

  it('Traefik: a Middleware with basicAuth.secret and the router annotation; re-run writes nothing; without it the Middleware and Secret go; stop removes them', async () => {
    await start(true);
    const setup = { settings: { ingressClass: 'traefik' } };
    const p = protectedBy(viewer, setup);
    await p.up(COMMIT_A);
    const middleware = fake.get('Middleware', NS, `${p.name}-basic-auth`) as Obj;
    expect(middleware).toMatchObject({ apiVersion: 'traefik.io/v1alpha1', spec: { basicAuth: { secret: `${p.name}-basic-auth`, removeHeader: true } } });
    expect(middleware.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/key': p.ref.key });
    expect((fake.get('Ingress', NS, p.name) as Obj).metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toBe(`${NS}-${p.name}-basic-auth@kubernetescrd`);
    expect(Object.keys((fake.get('Secret', NS, `${p.name}-basic-auth`) as Obj).data)).toHaveLength(1);
    expect(await status(p.name)).toBe(401);
    expect(await status(p.name, viewer)).toBe(200);

    fake.resetLog();
    await protectedBy(viewer, setup).up(COMMIT_A);
    expect(fake.writes()).toEqual([]);

    await protectedBy(undefined, setup).up(COMMIT_A);
    expect(fake.get('Middleware', NS, `${p.name}-basic-auth`)).toBeUndefined();
    expect(fake.get('Secret', NS, `${p.name}-basic-auth`)).toBeUndefined();
    expect(await status(p.name)).toBe(200);

    await protectedBy(viewer, setup).up(COMMIT_A);
    const { removed } = await make(setup).provider.destroy(p.ref);
    expect(removed).toContain(`middleware ${NS}/${p.name}-basic-auth`);
    expect(fake.objects({ labelSelector: `preview-kit/name=${p.name}` })).toEqual([]);
  });

  it('Traefik class on a cluster without Traefik’s CRDs: --basic-auth fails before any write; without it up and stop still work', async () => {
    await start(false);
    const setup = { settings: { ingressClass: 'traefik' } };
    const p = protectedBy(viewer, setup);
    await expect(p.provider.ensure(p.spec)).rejects.toBeInstanceOf(ProviderError);
    expect(fake.writes()).toEqual([]);
    const open = protectedBy(undefined, setup);
    await open.up(COMMIT_A);
    expect((await make(setup).provider.destroy(open.ref)).deleted).toBe(true);
  });
});
