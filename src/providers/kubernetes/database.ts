/**
 * A per-preview PostgreSQL database and role on a shared server, through the `pg` client (pure
 * JavaScript: no psql needed on the runner, parameterised lookups, SQLSTATE codes to decide on).
 * Ownership is a comment `preview-kit:<preview>` on the database and the role: anything without it
 * is never altered or dropped unless adopting. Creation is idempotent: catalogue lookups first,
 * and "already exists" from a concurrent run is read as exists, then checked for our marker.
 */
import { randomBytes } from 'node:crypto';
import type { Client as PgClient, DatabaseError } from 'pg';
import { AuthError, ConfigError, ProviderError, SafetyError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { Deadline } from '../../core/retry.js';
import { OWNER_MARKER } from '../types.js';

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

export interface DatabaseState {
  database: string;
  role: string;
  databaseExists: boolean;
  roleExists: boolean;
}

export interface EnsuredDatabase {
  database: string;
  role: string;
  /** Connection string for the app (secret). */
  url: string;
  created: boolean;
  changed: boolean;
}

/** Database and role name of a preview: the preview name with `-` as `_`. */
export function databaseName(preview: string): string {
  return preview.replace(/-/g, '_');
}

export function markerOf(preview: string): string {
  return `${OWNER_MARKER}:${preview}`;
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
    if (error instanceof ProviderError || error instanceof SafetyError || error instanceof AuthError) return error;
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

  private async read(client: PgClient, preview: string): Promise<DatabaseState & { databaseComment?: string; roleComment?: string }> {
    const name = databaseName(preview);
    const db = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    const role = await client.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [
      name,
    ]);
    return {
      database: name,
      role: name,
      databaseExists: db.rowCount === 1,
      roleExists: role.rowCount === 1,
      databaseComment: db.rows[0]?.comment ?? undefined,
      roleComment: role.rows[0]?.comment ?? undefined,
    };
  }

  private checkOwnership(state: { databaseExists: boolean; roleExists: boolean; databaseComment?: string; roleComment?: string; database: string }, preview: string): void {
    if (this.options.adopt) return;
    const marker = markerOf(preview);
    const foreign = [
      state.databaseExists && state.databaseComment !== marker ? `database "${state.database}"` : undefined,
      state.roleExists && state.roleComment !== marker ? `role "${state.database}"` : undefined,
    ].filter(Boolean);
    if (foreign.length) {
      throw new SafetyError(`PostgreSQL ${foreign.join(' and ')} exists but was not created by preview-kit for ${preview}`, {
        hint: 'rename it, or pass --adopt to take it over',
      });
    }
  }

  /** What exists for the preview, without changing anything. */
  async inspect(preview: string): Promise<DatabaseState> {
    return this.withClient(`look up the database of ${preview}`, async (client) => {
      const { databaseComment: _d, roleComment: _r, ...state } = await this.read(client, preview);
      return state;
    });
  }

  /**
   * Creates what is missing. `knownPassword` is the role's password as stored in the preview's
   * Secret: when the role exists and we have it, nothing is written; without it the role gets a new one.
   */
  async ensure(preview: string, knownPassword: string | undefined): Promise<EnsuredDatabase> {
    return this.withClient(`create the database of ${preview}`, async (client) => {
      const state = await this.read(client, preview);
      this.checkOwnership(state, preview);
      const name = state.database;
      const ident = client.escapeIdentifier(name);
      const marker = client.escapeLiteral(markerOf(preview));
      let password = knownPassword;
      let created = false;
      let changed = false;
      if (!state.roleExists) {
        password = randomBytes(24).toString('base64url');
        this.options.logger.addSecret(password);
        const pw = password;
        await this.options.plan.apply(
          { kind: 'create', target: `PostgreSQL role ${name}` },
          async () => {
            try {
              await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
            } catch (error) {
              if (sqlState(error) !== '42710') throw error;
              // Created meanwhile by a concurrent run: take the password over only if it is ours.
              const again = await this.read(client, preview);
              this.checkOwnership({ ...again, roleComment: again.roleComment ?? markerOf(preview) }, preview);
              await client.query(`ALTER ROLE ${ident} PASSWORD ${client.escapeLiteral(pw)}`);
            }
            await client.query(`COMMENT ON ROLE ${ident} IS ${marker}`);
          },
          undefined,
        );
        created = true;
        changed = true;
      } else if (!password || (this.options.adopt && state.roleComment !== markerOf(preview))) {
        password ??= randomBytes(24).toString('base64url');
        this.options.logger.addSecret(password);
        const pw = password;
        await this.options.plan.apply(
          { kind: 'update', target: `PostgreSQL role ${name}`, detail: 'new password' },
          async () => {
            await client.query(`ALTER ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
            await client.query(`COMMENT ON ROLE ${ident} IS ${marker}`);
          },
          undefined,
        );
        changed = true;
      }
      if (!state.databaseExists) {
        await this.options.plan.apply(
          { kind: 'create', target: `PostgreSQL database ${name}` },
          async () => {
            try {
              // The admin must be able to act as the new role to make it the owner (PostgreSQL 16+).
              await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
              await client.query(`CREATE DATABASE ${ident} OWNER ${ident}`);
              await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
            } catch (error) {
              if (sqlState(error) !== '42P04') throw error;
              const again = await this.read(client, preview);
              this.checkOwnership({ ...again, databaseComment: again.databaseComment ?? markerOf(preview) }, preview);
            }
            await client.query(`COMMENT ON DATABASE ${ident} IS ${marker}`);
          },
          undefined,
        );
        created = true;
        changed = true;
      } else if (this.options.adopt && state.databaseComment !== markerOf(preview)) {
        await this.options.plan.apply(
          { kind: 'update', target: `PostgreSQL database ${name}`, detail: 'adopted' },
          async () => {
            await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
            await client.query(`COMMENT ON DATABASE ${ident} IS ${marker}`);
          },
          undefined,
        );
        changed = true;
      }
      const url = this.appUrl(name, password ?? '');
      this.options.logger.addSecret(url);
      return { database: name, role: name, url, created, changed };
    });
  }

  /** Drops the database (after ending its connections) and the role; false when neither existed. */
  async drop(preview: string): Promise<{ dropped: boolean; removed: string[] }> {
    return this.withClient(`drop the database of ${preview}`, async (client) => {
      const state = await this.read(client, preview);
      if (!state.databaseExists && !state.roleExists) return { dropped: false, removed: [] };
      this.checkOwnership(state, preview);
      const ident = client.escapeIdentifier(state.database);
      const removed: string[] = [];
      if (state.databaseExists) {
        await this.options.plan.apply(
          { kind: 'delete', target: `PostgreSQL database ${state.database}` },
          async () => {
            // Connections (the app's, a stuck migration) would make DROP DATABASE fail.
            await client.query(`ALTER DATABASE ${ident} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
            await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [state.database]);
            await client.query(`DROP DATABASE IF EXISTS ${ident}`);
          },
          undefined,
        );
        removed.push(`database ${state.database}`);
      }
      if (state.roleExists) {
        await this.options.plan.apply(
          { kind: 'delete', target: `PostgreSQL role ${state.role}` },
          async () => {
            await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`, [state.role]);
            await client.query(`DROP ROLE IF EXISTS ${ident}`);
          },
          undefined,
        );
        removed.push(`role ${state.role}`);
      }
      return { dropped: true, removed };
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
