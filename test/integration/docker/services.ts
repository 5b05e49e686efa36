/**
 * Starts a private podman API socket and a private Caddy for one test run, through the project's
 * own scripts/services.sh, in a fresh state dir with free loopback ports, so parallel runs (and a
 * demo on the default ports) never share a Caddy config. Podman's image storage is shared.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = join(repoRoot, 'scripts/services.sh');

export interface DockerServices {
  stateDir: string;
  dockerHost: string;
  caddyAdmin: string;
  caddyHttpPort: number;
  /** CONTAINERS_CONF for podman CLI calls. */
  containersConf: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function envFor(stateDir: string, adminPort: number, httpPort: number): NodeJS.ProcessEnv {
  return { ...process.env, PREVIEW_STATE_DIR: stateDir, PREVIEW_CADDY_ADMIN_PORT: String(adminPort), PREVIEW_CADDY_HTTP_PORT: String(httpPort) };
}

export async function startServices(): Promise<DockerServices> {
  const stateDir = await mkdtemp(join(tmpdir(), 'pk-docker-it-'));
  const adminPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === adminPort) httpPort = await freePort();
  try {
    // The services keep the cwd they start in: podman's service reads a build's Containerfile from
    // its own cwd in some cases (`build --timestamp` from a remote client), so never a checkout's.
    await run('bash', [script, 'start'], { env: envFor(stateDir, adminPort, httpPort), cwd: stateDir, timeout: 90_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    await rm(stateDir, { recursive: true, force: true });
    throw new Error(`scripts/services.sh start failed (install the system packages with scripts/install-system-deps.sh): ${e.stderr || e.message}`);
  }
  return {
    stateDir,
    dockerHost: `unix://${stateDir}/podman.sock`,
    caddyAdmin: `http://127.0.0.1:${adminPort}`,
    caddyHttpPort: httpPort,
    containersConf: `${stateDir}/containers.conf`,
  };
}

export async function stopServices(services: DockerServices): Promise<void> {
  const adminPort = Number(new URL(services.caddyAdmin).port);
  await run('bash', [script, 'stop'], { env: envFor(services.stateDir, adminPort, services.caddyHttpPort), timeout: 60_000 }).catch(() => undefined);
  await rm(services.stateDir, { recursive: true, force: true });
}
