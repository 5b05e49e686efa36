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
    expect(rows).toEqual([{ datname: dbName, comment: `preview-kit:${p.name}` }]);

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
      const result = await make({ branch: 'feature/db-b' }).provider.destroy(p.name);
      expect(result.removed).toEqual(expect.arrayContaining([`PostgreSQL database ${dbName}`, `PostgreSQL role ${dbName}`]));
    } finally {
      await held.end().catch(() => undefined);
    }
    expect(await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toEqual([]);
    expect(await query(adminUrl, 'SELECT 1 FROM pg_roles WHERE rolname = $1', [dbName])).toEqual([]);
    expect(fake.objects({ labelSelector: 'app.kubernetes.io/managed-by=preview-kit' })).toEqual([]);
    const again = await make({ branch: 'feature/db-b' }).provider.destroy(p.name);
    expect(again).toEqual({ deleted: false, removed: [] });
  });

  it('refuses a database of the same name that preview-kit did not create', async () => {
    const p = make({ branch: 'feature/db-c' });
    const dbName = p.name.replace(/-/g, '_');
    await query(adminUrl, `DROP DATABASE IF EXISTS "${dbName}"`);
    await query(adminUrl, `CREATE DATABASE "${dbName}"`);
    try {
      await expect(p.provider.ensure(p.spec)).rejects.toBeInstanceOf(SafetyError);
      await expect(make({ branch: 'feature/db-c' }).provider.destroy(p.name)).rejects.toBeInstanceOf(SafetyError);
      expect(await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).toHaveLength(1);
      expect(fake.writes()).toEqual([]);
    } finally {
      await query(adminUrl, `DROP DATABASE IF EXISTS "${dbName}"`);
    }
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
    await make({ branch: 'feature/db-d' }).provider.destroy(p.name);
  });
});
