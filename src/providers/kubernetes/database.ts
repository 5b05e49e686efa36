/**
 * A per-preview PostgreSQL database and role on a shared server, through the `pg` client (pure
 * JavaScript: no psql needed on the runner, parameterised lookups, SQLSTATE codes to decide on).
 * Both carry the preview's identity in a COMMENT (database-marks.ts) and go through the one
 * reconcile algorithm: another preview's or an unmarked one is refused on `up` (unless adopting
 * an unmarked one) and left alone by `stop`. The role is created with its comment in one
 * transaction; a database is created, then commented — one left unmarked by an interrupt is
 * provably ours when our role owns it, and is repaired. A session lock per preview serialises
 * concurrent runs from the role's password to the Secret that hands it to the app.
 */
import { randomBytes } from 'node:crypto';
import type { Client as PgClient, DatabaseError } from 'pg';
import { AuthError, ConfigError, ProviderError, SafetyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { Deadline } from '../../core/retry.js';
import { ensureResource, lookup, refusal, teardownTargets, type ReconcileContext, type ResourceHooks } from '../reconcile.js';
import { databaseComment, databaseMarks, databaseName } from './database-marks.js';
import type { Owner } from './labels.js';

export interface DatabaseOptions {
  /** Admin connection string of the shared server. */
  adminUrl: string;
  /** host[:port] the app uses to reach the server, when it differs from the admin URL's. */
  appHost?: string;
  logger: Logger;
  plan: Plan;
  deadline: Deadline;
  adopt: boolean;
}

/** Where the app's connection string lives (the preview's database Secret). */
export interface UrlStore {
  read(): Promise<string | undefined>;
  write(url: string): Promise<void>;
}

interface Row {
  name: string;
  comment?: string;
  /** The database's owner (databases only). */
  owner?: string;
}

function sqlState(error: unknown): string | undefined {
  return (error as DatabaseError | undefined)?.code;
}

export class PreviewDatabase {
  constructor(private readonly options: DatabaseOptions) {
    options.logger.addSecret(options.adminUrl);
    try {
      options.logger.addSecret(decodeURIComponent(new URL(options.adminUrl).password));
    } catch {
      throw new ConfigError('invalid settings: --database-url: not a valid connection URL');
    }
  }

  private async connect(): Promise<PgClient> {
    const { default: pg } = await import('pg');
    const remaining = Math.max(1_000, Math.min(15_000, this.options.deadline.remaining()));
    const client = new pg.Client({ connectionString: this.options.adminUrl, connectionTimeoutMillis: remaining, query_timeout: 30_000 });
    // An error event after connect (server restart) must not crash the process.
    client.on('error', (error) => this.options.logger.debug(`database connection: ${error.message}`));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw this.wrap(error, 'connect to the database server');
    }
    return client;
  }

  private wrap(error: unknown, what: string): Error {
    if (error instanceof ProviderError || error instanceof SafetyError || error instanceof AuthError || error instanceof ConfigError) return error;
    const state = sqlState(error);
    const message = (error as Error).message;
    if (state === '28P01' || state === '28000') {
      return new AuthError(`${what}: PostgreSQL refused the credentials (${message})`, { hint: 'check --database-url' });
    }
    if (state === '42501') {
      return new AuthError(`${what}: PostgreSQL permission denied (${message})`, { hint: 'the --database-url user needs CREATEDB and CREATEROLE' });
    }
    const code = (error as NodeJS.ErrnoException).code;
    const network = code !== undefined && /^E[A-Z]+$/.test(code);
    return new ProviderError(`${what}: ${message || code}`, {
      retryable: network,
      hint: network ? 'check that the database server in --database-url is reachable' : undefined,
      cause: error,
    });
  }

  private async withClient<T>(what: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await fn(client);
    } catch (error) {
      throw this.wrap(error, what);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private context(owner: Owner): ReconcileContext {
    const o = this.options;
    return { plan: o.plan, logger: o.logger, deadline: o.deadline, adopt: o.adopt, identity: owner.identity, preview: owner.name };
  }

  /** Hooks of the role; `password` receives the one a create sets. */
  private roleHooks(client: PgClient, owner: Owner, password: { value?: string }): ResourceHooks<Row> {
    const name = databaseName(owner.name);
    const ident = client.escapeIdentifier(name);
    const comment = client.escapeLiteral(databaseComment(owner));
    return {
      noun: 'PostgreSQL role',
      name,
      uniqueNames: true,
      list: async () =>
        (await client.query<{ name: string; comment: string | null }>(`SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [name])).rows.map(
          (r) => ({ name: r.name, comment: r.comment ?? undefined }),
        ),
      id: (r) => r.name,
      marks: (r) => databaseMarks(r.comment),
      needsRepair: (r) => databaseMarks(r.comment).identity === undefined,
      create: async () => {
        const pw = randomBytes(24).toString('base64url');
        this.options.logger.addSecret(pw);
        // Role and mark in one transaction: no run ever sees our role unmarked.
        await client.query('BEGIN');
        try {
          await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
          await client.query(`COMMENT ON ROLE ${ident} IS ${comment}`);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        password.value = pw;
        return { name, comment: databaseComment(owner) };
      },
      planned: () => ({ name, comment: databaseComment(owner) }),
      remove: async () => {
        await client.query(`DROP ROLE IF EXISTS ${ident}`);
      },
      mark: async (r) => {
        await client.query(`COMMENT ON ROLE ${ident} IS ${comment}`);
        return { ...r, comment: databaseComment(owner) };
      },
      isNameTaken: (error) => sqlState(error) === '42710',
    };
  }

  /** Hooks of the database; an unmarked one owned by our own role is provably ours. */
  private databaseHooks(client: PgClient, owner: Owner, roleIsOurs: boolean): ResourceHooks<Row> {
    const name = databaseName(owner.name);
    const ident = client.escapeIdentifier(name);
    const comment = client.escapeLiteral(databaseComment(owner));
    return {
      noun: 'PostgreSQL database',
      name,
      uniqueNames: true,
      list: async () =>
        (
          await client.query<{ name: string; comment: string | null; owner: string }>(
            `SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`,
            [name],
          )
        ).rows.map((r) => ({ name: r.name, comment: r.comment ?? undefined, owner: r.owner })),
      id: (r) => r.name,
      marks: (r) => databaseMarks(r.comment),
      needsRepair: (r) => databaseMarks(r.comment).identity === undefined,
      provablyOurs: (r) => roleIsOurs && r.owner === name,
      create: async () => {
        // The admin must be able to act as the new role to make it the owner (PostgreSQL 16+).
        await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
        await client.query(`CREATE DATABASE ${ident} OWNER ${ident}`);
        await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
        await client.query(`COMMENT ON DATABASE ${ident} IS ${comment}`);
        return { name, comment: databaseComment(owner), owner: name };
      },
      planned: () => ({ name, comment: databaseComment(owner), owner: name }),
      remove: async () => {
        await client.query(`DROP DATABASE IF EXISTS ${ident}`);
      },
      mark: async (r) => {
        await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
        if (r.owner !== name) await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
        await client.query(`COMMENT ON DATABASE ${ident} IS ${comment}`);
        return { ...r, comment: databaseComment(owner), owner: name };
      },
      isNameTaken: (error) => sqlState(error) === '42P04',
    };
  }

  /** What `ensure` would refuse, without changing anything: checked before a run's first write. */
  async refusal(owner: Owner): Promise<SafetyError | undefined> {
    return this.withClient(`look up the database of ${owner.name}`, async (client) => {
      const ctx = this.context(owner);
      const roleHooks = this.roleHooks(client, owner, {});
      const role = await lookup(roleHooks, ctx);
      const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
      return refusal(role, roleHooks, ctx) ?? refusal(await lookup(dbHooks, ctx), dbHooks, ctx);
    });
  }

  /**
   * Finds or creates the role and the database, and stores the app's connection string. Runs of
   * the same preview take turns (a session lock), so the password in the Secret is always the
   * role's: the Secret is read and written inside the turn.
   */
  async ensure(owner: Owner, url: UrlStore): Promise<{ created: boolean; changed: boolean }> {
    return this.withClient(`create the database of ${owner.name}`, async (client) => {
      const name = databaseName(owner.name);
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`preview-kit:${name}`]);
      const stored = await url.read();
      const ctx = this.context(owner);
      const created = { value: undefined as string | undefined };
      const roleHooks = this.roleHooks(client, owner, created);
      const role = await lookup(roleHooks, ctx);
      const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
      const database = await lookup(dbHooks, ctx);
      // Both judged before either is written: a refused database must not leave a new role behind.
      const refused = refusal(role, roleHooks, ctx) ?? refusal(database, dbHooks, ctx);
      if (refused) throw refused;
      const roleDone = await ensureResource(roleHooks, ctx, role);
      let password = roleDone.created ? created.value : PreviewDatabase.passwordOf(stored);
      let changed = roleDone.changed;
      if (!password || roleDone.how === 'adopted') {
        const pw = randomBytes(24).toString('base64url');
        this.options.logger.addSecret(pw);
        await this.options.plan.apply(
          { kind: 'update', target: `PostgreSQL role ${name}`, detail: 'new password' },
          () => client.query(`ALTER ROLE ${client.escapeIdentifier(name)} LOGIN PASSWORD ${client.escapeLiteral(pw)}`),
          undefined,
        );
        password = pw;
        changed = true;
      }
      const dbDone = await ensureResource(dbHooks, ctx, database);
      const appUrl = this.appUrl(name, password ?? '');
      this.options.logger.addSecret(appUrl);
      await url.write(appUrl);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`preview-kit:${name}`]);
      return { created: roleDone.created || dbDone.created, changed: changed || dbDone.changed };
    });
  }

  /**
   * Drops the preview's database (after ending its connections) and role. Another preview's or an
   * unmarked one is left alone with a warning.
   */
  async drop(owner: Owner): Promise<{ removed: string[] }> {
    return this.withClient(`drop the database of ${owner.name}`, async (client) => {
      const ctx = this.context(owner);
      const roleHooks = this.roleHooks(client, owner, {});
      const role = await lookup(roleHooks, ctx);
      const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
      const removed: string[] = [];
      for (const target of teardownTargets(await lookup(dbHooks, ctx), dbHooks, ctx)) {
        const ident = client.escapeIdentifier(target.id);
        await this.options.plan.apply(
          { kind: 'delete', target: `PostgreSQL database ${target.id}` },
          async () => {
            // Connections (the app's, a stuck migration) would make DROP DATABASE fail.
            await client.query(`ALTER DATABASE ${ident} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
            await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [target.id]);
            await client.query(`DROP DATABASE IF EXISTS ${ident}`);
          },
          undefined,
        );
        removed.push(`database ${target.id}`);
      }
      for (const target of teardownTargets(role, roleHooks, ctx)) {
        await this.options.plan.apply(
          { kind: 'delete', target: `PostgreSQL role ${target.id}` },
          async () => {
            await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`, [target.id]);
            await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(target.id)}`);
          },
          undefined,
        );
        removed.push(`role ${target.id}`);
      }
      return { removed };
    });
  }

  /** The preview's own connection string, on the host the app reaches. */
  appUrl(database: string, password: string): string {
    const admin = new URL(this.options.adminUrl);
    const url = new URL(`postgresql://${this.options.appHost ?? admin.host}/`);
    url.username = encodeURIComponent(database);
    url.password = encodeURIComponent(password);
    url.pathname = `/${encodeURIComponent(database)}`;
    url.search = admin.search;
    return url.toString();
  }

  /** The role password inside a connection string we stored earlier. */
  static passwordOf(url: string | undefined): string | undefined {
    if (!url) return undefined;
    try {
      const password = decodeURIComponent(new URL(url).password);
      return password || undefined;
    } catch {
      return undefined;
    }
  }
}
