/**
 * A real PostgreSQL server for a test file: the one `npm test` started (PREVIEW_TEST_POSTGRES_URL),
 * else one started by scripts/postgres.sh in its own state directory. `url` is undefined (with the
 * reason) when it cannot start here.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../scripts/postgres.sh', import.meta.url));

export interface TestPostgres {
  url?: string;
  reason?: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  // `npm test` (scripts/test.mjs) starts one shared server and passes its URL.
  const shared = process.env.PREVIEW_TEST_POSTGRES_URL;
  if (shared) return { url: shared, stop: async () => undefined };
  // Directly in the temp dir (not in a private mkdtemp dir): the server runs as the postgres user.
  const env = { ...process.env, PREVIEW_PG_DIR: join(tmpdir(), `preview-kit-pg-${randomBytes(4).toString('hex')}`) };
  const stop = async () => {
    await run('bash', [script, 'stop'], { env }).catch(() => undefined);
  };
  try {
    const { stdout } = await run('bash', [script, 'start'], { env, timeout: 60_000 });
    const url = stdout.trim().split('\n').pop();
    if (!url?.startsWith('postgresql://')) return { reason: `scripts/postgres.sh printed no URL: ${stdout}`, stop };
    return { url, stop };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { reason: (e.stderr || e.message).trim(), stop };
  }
}
