import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetyError } from '../../../src/core/errors.js';
import { startFakeKubernetes, type FakeKubernetes } from '../../fakes/kubernetes/server.js';
import { writeKubeconfig } from '../../fakes/kubernetes/kubeconfig.js';
import { COMMIT_A, makeProvider } from './helpers.js';
import { startPostgres } from './postgres.js';

const postgres = await startPostgres();
if (!postgres.url) console.warn(`SKIPPED kubernetes database tests: PostgreSQL could not start (${postgres.reason}); run scripts/install-system-deps.sh`);

type Obj = Record<string, any>;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgres.url)('kubernetes provider with a per-preview PostgreSQL database', () => {
  const adminUrl = postgres.url!;
  let fake: FakeKubernetes;
  let dir: string;
  let kubeconfig: string;
  const closers: Array<{ close(): void }> = [];
  const make = (setup: Parameters<typeof makeProvider>[1] = {}) => {
    const made = makeProvider(kubeconfig, { ...setup, settings: { databaseUrl: adminUrl, ...setup.settings } });
    closers.push(made.provider);
    return made;
  };

  afterAll(async () => {
    await postgres.stop();
  });

  beforeEach(async () => {
    fake = await startFakeKubernetes({ readyDelayMs: 10, deletionDelayMs: 5, controllerIntervalMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'k8s-db-'));
    kubeconfig = writeKubeconfig(fake, dir);
  });

  afterEach(async () => {
    for (const c of closers.splice(0)) c.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const databaseUrlIn = (name: string): string => {
    const secret = fake.get('Secret', 'default', `${name}-db`) as Obj;
    return Buffer.from(secret.data.DATABASE_URL, 'base64').toString('utf8');
  };

  it('creates the database and role, hands the URL to the app, and a rerun changes nothing', async () => {
    const p = make({ branch: 'feature/db-a' });
    await p.up(COMMIT_A);
    const dbName = p.name.replace(/-/g, '_');
    const rows = await query<{ datname: string; comment: string }>(adminUrl, `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [dbName]);
    expect(rows).toEqual([{ datname: dbName, comment: `preview-kit key=${p.ref.key} identity={"project":"shop","branch":"feature/db-a"}` }]);

    const appUrl = databaseUrlIn(p.name);
    expect(appUrl).toMatch(new RegExp(`^postgresql://${dbName}:[^@]+@127\\.0\\.0\\.1:\\d+/${dbName}$`));
    // the app's credentials work and reach its own database
    const [who] = await query<{ db: string; usr: string }>(appUrl, 'SELECT current_database() AS db, current_user AS usr');
    expect(who).toEqual({ db: dbName, usr: dbName });
    const deployment = fake.get('Deployment', 'default', p.name) as Obj;
    expect(deployment.spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: `${p.name}-db` } });
    // the password never reaches the logs
    const password = decodeURIComponent(new URL(appUrl).password);
    expect(p.logger.lines.join('\n')).not.toContain(password);

    const writes = fake.writes().length;
    const again = make({ branch: 'feature/db-a' });
    const result = await again.up(COMMIT_A);
    expect(result.ensured.changed).toBe(false);
    expect(fake.writes().length).toBe(writes);
    expect(databaseUrlIn(p.name)).toBe(appUrl);
  });

  it('stop drops the database (even with open connections) and the role; a second stop is a no-op', async () => {
    const p = make({ branch: 'feature/db-b' });
    await p.up(COMMIT_A);
    const dbName = p.name.replace(/-/g, '_');
    const held = new pg.Client({ connectionString: databaseUrlIn(p.name) });
    held.on('error', () => undefined);
    await held.connect();
    try {
      const result = await make({ branch: 'feature/db-b' }).provider.destroy(p.ref);
      expect(result.removed).toEqual(expect.arrayContaining([`PostgreSQL database ${dbName}`, `PostgreSQL role ${dbName}`]));
    } finally {
      await held.end().catch(() => undefined);
    }
    expect(await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toEqual([]);
    expect(await query(adminUrl, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [dbName])).toEqual([]);
    expect(fake.objects({ labelSelector: 'app.kubernetes.io/managed-by=preview-kit' })).toEqual([]);
    const again = await make({ branch: 'feature/db-b' }).provider.destroy(p.ref);
    expect(again).toEqual({ deleted: false, removed: [] });
  });

  it('refuses a database of the same name that preview-kit did not create before any write; stop leaves it with a warning', async () => {
    const p = make({ branch: 'feature/db-c' });
    const dbName = p.name.replace(/-/g, '_');
    await query(adminUrl, `DROP DATABASE IF EXISTS "${dbName}"`);
    await query(adminUrl, `CREATE DATABASE "${dbName}"`);
    try {
      const error = await p.provider.ensure(p.spec).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SafetyError);
      expect((error as SafetyError).message).toMatch(/PostgreSQL database .* preview-kit did not create it/);
      expect(fake.mutatingRequests()).toBe(0);
      expect(await query(adminUrl, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [dbName])).toEqual([]);
      const stopper = make({ branch: 'feature/db-c' });
      expect(await stopper.provider.destroy(p.ref)).toEqual({ deleted: false, removed: [] });
      expect(stopper.logger.lines.join('\n')).toMatch(/PostgreSQL database .* lacks preview-kit's marker: left alone/);
      expect(await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toHaveLength(1);
      expect(fake.mutatingRequests()).toBe(0);
    } finally {
      await query(adminUrl, `DROP DATABASE IF EXISTS "${dbName}"`);
    }
  });

  it('the database of shop-admin + main is neither taken nor dropped by shop + admin-main, whose name is the same', async () => {
    const theirs = make({ app: 'shop-admin', branch: 'main' });
    await theirs.up(COMMIT_A);
    const dbName = theirs.name.replace(/-/g, '_');
    // Only the database is left to decide on: the Kubernetes objects are gone.
    for (const o of fake.objects({ labelSelector: `preview-kit/name=${theirs.name}` })) {
      const m = o.metadata as Obj;
      if (o.kind === 'Pod' || o.kind === 'ReplicaSet') continue;
      const path = o.kind === 'Deployment' ? `/apis/apps/v1/namespaces/default/deployments/${m.name}` : o.kind === 'Ingress' ? `/apis/networking.k8s.io/v1/namespaces/default/ingresses/${m.name}` : `/api/v1/namespaces/default/${String(o.kind).toLowerCase()}s/${m.name}`;
      await fetch(`${fake.url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.token}` } });
    }
    const comment = async () => (await query<{ c: string }>(adminUrl, `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [dbName]))[0]?.c;
    const before = await comment();
    fake.resetLog();
    const ours = make({ app: 'shop', branch: 'admin-main' });
    expect(ours.name).toBe(theirs.name);
    const error = await ours.provider.ensure(ours.spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as Error).message).toMatch(/PostgreSQL role shop_admin_main .*belongs to the preview of shop-admin, branch main/);
    expect(fake.mutatingRequests()).toBe(0);
    const stopper = make({ app: 'shop', branch: 'admin-main' });
    await stopper.provider.destroy(stopper.ref);
    expect(stopper.logger.lines.join('\n')).toMatch(/PostgreSQL database shop_admin_main .*belongs to the preview of shop-admin, branch main: left alone/);
    expect(await comment()).toBe(before);
    await make({ app: 'shop-admin', branch: 'main' }).provider.destroy(theirs.ref);
    expect(await comment()).toBeUndefined();
  });

  it('concurrent ups make one database and role, and the Secret holds the password the role has', async () => {
    const runs = Array.from({ length: 5 }, () => make({ branch: 'feature/db-race' }));
    const results = await Promise.all(runs.map((r) => r.provider.ensure(r.spec)));
    expect(results.every((r) => r.preview.name === runs[0]!.name)).toBe(true);
    const dbName = runs[0]!.name.replace(/-/g, '_');
    expect(await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toHaveLength(1);
    const [row] = await query<{ db: string }>(databaseUrlIn(runs[0]!.name), 'SELECT current_database() AS db');
    expect(row).toEqual({ db: dbName });
    await make({ branch: 'feature/db-race' }).provider.destroy(runs[0]!.ref);
  });

  it('a database left without its comment by an interrupted run, owned by our role, is repaired, not refused', async () => {
    const p = make({ branch: 'feature/db-cut' });
    await p.provider.ensure(p.spec);
    const dbName = p.name.replace(/-/g, '_');
    await query(adminUrl, `COMMENT ON DATABASE "${dbName}" IS NULL`);
    const again = make({ branch: 'feature/db-cut' });
    const result = await again.provider.ensure(again.spec);
    expect(result.changed).toBe(true);
    expect(again.logger.lines.join('\n')).toMatch(/lost its preview-kit marks: repairing them/);
    const [row] = await query<{ c: string }>(adminUrl, `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [dbName]);
    expect(row!.c).toContain(`key=${p.ref.key}`);
    await make({ branch: 'feature/db-cut' }).provider.destroy(p.ref);
  });

  it('recovers when the Secret was lost: the role gets a new password that works', async () => {
    const p = make({ branch: 'feature/db-d' });
    await p.up(COMMIT_A);
    const first = databaseUrlIn(p.name);
    await fetch(`${fake.url}/api/v1/namespaces/default/secrets/${p.name}-db`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.token}` } });
    await make({ branch: 'feature/db-d' }).up(COMMIT_A);
    const second = databaseUrlIn(p.name);
    expect(second).not.toBe(first);
    const [row] = await query<{ ok: number }>(second, 'SELECT 1 AS ok');
    expect(row).toEqual({ ok: 1 });
    await make({ branch: 'feature/db-d' }).provider.destroy(p.ref);
  });
});
