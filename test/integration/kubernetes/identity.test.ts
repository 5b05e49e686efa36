/**
 * A preview is its identity, not its name (issue 10): `shop-admin` + `main` and `shop` +
 * `admin-main` share the name `shop-admin-main`, and neither may touch the other's objects. And an
 * `up` that is refused writes nothing at all — ownership of every object it would write is known
 * before the first write. The built CLI as a process against the fake API server, whose request
 * log says what was written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { runCli, tempRepo, type CliRun } from '../../helpers/cli.js';

type Obj = Record<string, any>;

const NAMESPACE = 'previews';
const SHARED = 'shop-admin-main';
let fake: FakeKubernetes;
let dir: string;
let kubeconfig: string;
let repo: Awaited<ReturnType<typeof tempRepo>>;

const base = ['--provider', 'kubernetes', '--timeout', '1m', '--domain', '{name}.preview.example.com', '--image', 'registry.example.com/shop:{shortCommit}'];
const cli = (command: string, args: string[]) => runCli([command, ...base, ...args], { cwd: repo.dir, env: { KUBECONFIG: kubeconfig } });
const lines = (r: CliRun) => r.stderr.split('\n').filter((l) => l.startsWith('preview-kit:'));
/** The objects of a preview name, by kind/name, with what would change if anyone wrote them. */
const snapshot = (name: string) =>
  Object.fromEntries(
    fake
      .objects({ namespace: NAMESPACE })
      .filter((o) => ['Deployment', 'Service', 'Ingress', 'Secret'].includes(String(o.kind)) && String((o.metadata as Obj).name).startsWith(name))
      .map((o) => [`${o.kind}/${(o.metadata as Obj).name}`, (o.metadata as Obj).resourceVersion]),
  );

beforeAll(async () => {
  fake = await startFakeKubernetes({ namespaces: ['default', NAMESPACE] });
  dir = mkdtempSync(join(tmpdir(), 'pk-k8s-identity-'));
  kubeconfig = writeKubeconfig(fake, dir, { namespace: NAMESPACE });
  repo = await tempRepo({ 'index.html': '<h1>shop</h1>\n' }, 'main');
});

afterAll(async () => {
  await fake?.close();
  await repo?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.resetLog());

describe('kubernetes: shop-admin + main and shop + admin-main share a name, not objects', () => {
  let theirs: Record<string, unknown> = {};

  it('up of shop-admin + main records its identity on every object', async () => {
    const r = await cli('up', ['--app', 'shop-admin', '--branch', 'main', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ name: SHARED, created: true, deployed: true });
    theirs = snapshot(SHARED);
    expect(Object.keys(theirs).sort()).toEqual([`Deployment/${SHARED}`, `Ingress/${SHARED}`, `Secret/${SHARED}-env`, `Service/${SHARED}`]);
    for (const o of fake.objects({ namespace: NAMESPACE, labelSelector: `preview-kit/name=${SHARED}` })) {
      expect((o.metadata as Obj).labels['preview-kit/key']).toMatch(/^[0-9a-f]{20}$/);
      if (o.kind === 'Pod' || o.kind === 'ReplicaSet') continue;
      expect(JSON.parse((o.metadata as Obj).annotations['preview-kit/identity'])).toEqual({ project: 'shop-admin', branch: 'main' });
    }
  });

  it('up of shop + admin-main is refused (exit 6) naming whose the objects are, and writes nothing', async () => {
    const r = await cli('up', ['--app', 'shop', '--branch', 'admin-main']);
    expect(r.code, r.stderr).toBe(6);
    expect(lines(r)).toHaveLength(1);
    expect(lines(r)[0]).toContain('belongs to the preview of shop-admin, branch main, not to shop, branch admin-main');
    expect(lines(r)[0]).toContain('--prefix');
    expect(fake.mutatingRequests()).toBe(0);
    expect(snapshot(SHARED)).toEqual(theirs);
  });

  it('status of shop + admin-main finds nothing (exit 4)', async () => {
    const r = await cli('status', ['--app', 'shop', '--branch', 'admin-main']);
    expect(r.code, r.stderr).toBe(4);
  });

  it('stop of shop + admin-main leaves the Deployment, Service, Ingress and Secret of shop-admin + main, with a warning (exit 0)', async () => {
    const r = await cli('stop', ['--app', 'shop', '--branch', 'admin-main', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ deleted: false });
    expect(r.stderr).toMatch(new RegExp(`Deployment ${NAMESPACE}/${SHARED} .*belongs to the preview of shop-admin, branch main: left alone`));
    expect(fake.mutatingRequests()).toBe(0);
    expect(snapshot(SHARED)).toEqual(theirs);
  });

  it('prune of project shop does not judge shop-admin’s preview', async () => {
    const r = await cli('prune', ['--app', 'shop', '--keep', 'feature/nothing']);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.mutatingRequests()).toBe(0);
    expect(snapshot(SHARED)).toEqual(theirs);
  });

  it('with --prefix, shop + admin-main gets a name of its own', async () => {
    const r = await cli('up', ['--app', 'shop', '--branch', 'admin-main', '--prefix', 'review', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ name: string }>().name).not.toBe(SHARED);
    expect(snapshot(SHARED)).toEqual(theirs);
    const stop = await cli('stop', ['--app', 'shop', '--branch', 'admin-main', '--prefix', 'review']);
    expect(stop.code, stop.stderr).toBe(0);
  });

  it('stop of shop-admin + main removes its own objects', async () => {
    const r = await cli('stop', ['--app', 'shop-admin', '--branch', 'main', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ deleted: true });
    expect(fake.objects({ labelSelector: `preview-kit/name=${SHARED}` })).toEqual([]);
  });
});

describe('kubernetes: a refused up writes nothing', () => {
  it('with someone else’s Deployment under the preview’s name, up exits 6 before the Secret, Service or Ingress exist', async () => {
    const name = 'shop-foreign';
    const deployment = fake.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NAMESPACE, labels: { app: 'legacy' } },
      spec: { selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'legacy', image: 'legacy:1' }] } } },
    });
    fake.resetLog();
    const r = await cli('up', ['--app', 'shop', '--branch', 'foreign']);
    expect(r.code, r.stderr).toBe(6);
    expect(fake.mutatingRequests(), 'write requests before the refusal').toBe(0);
    expect(lines(r)[0]).toMatch(new RegExp(`Deployment ${NAMESPACE}/${name} .*preview-kit did not create it.*--adopt`));
    expect(fake.get('Service', NAMESPACE, name)).toBeUndefined();
    expect(fake.get('Ingress', NAMESPACE, name)).toBeUndefined();
    expect(fake.get('Secret', NAMESPACE, `${name}-env`)).toBeUndefined();
    const after = fake.get('Deployment', NAMESPACE, name) as Obj;
    expect(after.metadata.labels).toEqual({ app: 'legacy' });
    expect(after.spec.template).toEqual((deployment.spec as Obj).template);

    // stop leaves it too: it carries no marker of ours.
    const stop = await cli('stop', ['--app', 'shop', '--branch', 'foreign']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(fake.mutatingRequests()).toBe(0);
    expect(fake.get('Deployment', NAMESPACE, name)).toBeDefined();

    // --adopt takes it over; its selector cannot change, so it is made anew with ours.
    const adopted = await cli('up', ['--app', 'shop', '--branch', 'foreign', '--adopt']);
    expect(adopted.code, adopted.stderr).toBe(0);
    const ours = fake.get('Deployment', NAMESPACE, name) as Obj;
    expect(ours.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': name });
    expect(ours.spec.selector.matchLabels).toEqual({ 'preview-kit/name': name, 'app.kubernetes.io/component': 'app' });
    expect((await cli('stop', ['--app', 'shop', '--branch', 'foreign'])).code).toBe(0);
    expect(fake.get('Deployment', NAMESPACE, name)).toBeUndefined();
  });

  it('a namespace per preview: another identity’s namespace is refused before any write, and left by stop', async () => {
    const perPreview = ['--namespace-per-preview'];
    const first = await cli('up', ['--app', 'shop-admin', '--branch', 'main', ...perPreview]);
    expect(first.code, first.stderr).toBe(0);
    fake.resetLog();
    const refused = await cli('up', ['--app', 'shop', '--branch', 'admin-main', ...perPreview]);
    expect(refused.code, refused.stderr).toBe(6);
    expect(lines(refused)[0]).toContain(`Namespace ${SHARED}`);
    const stop = await cli('stop', ['--app', 'shop', '--branch', 'admin-main', ...perPreview]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(fake.mutatingRequests()).toBe(0);
    expect(fake.get('Namespace', undefined, SHARED)).toBeDefined();
    expect((await cli('stop', ['--app', 'shop-admin', '--branch', 'main', ...perPreview])).code).toBe(0);
    expect(fake.get('Namespace', undefined, SHARED)).toBeUndefined();
  });
});
