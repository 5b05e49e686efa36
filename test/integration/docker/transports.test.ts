/**
 * DOCKER_HOST over tcp:// and ssh://, against the real podman socket. No sshd runs here, so a
 * stand-in `ssh` records its arguments and connects stdin/stdout to the engine socket — exactly
 * what `docker system dial-stdio` does on the remote side — so everything on our side of the
 * tunnel (process per connection, keep-alive, streamed build bodies) is the real code.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, makeRepo, networksOf, runCommand, useDockerServices, viaCaddy, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

let services: DockerServices;
let scratch: string;
let repo: TestRepo;
const { newApp } = useDockerServices(async (s, file) => {
  services = s;
  scratch = await mkdtemp(join(tmpdir(), 'pk-docker-transport-'));
  file.cleanups.push(() => rm(scratch, { recursive: true, force: true }));
  repo = await makeRepo({ preview: 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n' });
  file.repos.push(repo);
});

/** provider.test.ts may add a second Caddy server to a shared Caddy meanwhile. */
const PINNED = { PREVIEW_CADDY_SERVER: 'preview' };

function socketPath(): string {
  return services.dockerHost.replace(/^unix:\/\//, '');
}

describe('DOCKER_HOST=ssh://', () => {
  it('runs up and stop through `ssh … docker system dial-stdio` tunnels', async () => {
    const argsLog = join(scratch, 'ssh-args.log');
    const bridge = join(scratch, 'bridge.cjs');
    await writeFile(
      bridge,
      `const s = require('node:net').connect(${JSON.stringify(socketPath())});\n` +
        `process.stdin.pipe(s); s.pipe(process.stdout);\n` +
        `s.on('error', (e) => { process.stderr.write(String(e)); process.exit(1); });\n` +
        `process.stdin.on('end', () => s.end());\n`,
    );
    const fakeSsh = join(scratch, 'ssh');
    await writeFile(fakeSsh, `#!/bin/sh\nprintf '%s\\n' "$*" >> ${JSON.stringify(argsLog)}\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bridge)}\n`);
    await chmod(fakeSsh, 0o755);

    const app = newApp('ssh');
    const env = { ...PINNED, DOCKER_HOST: 'ssh://deploy@docker-host.example:2222' };
    const up = await runCommand('up', { services, repo, app, branch: 'main', env, internals: { sshCommand: fakeSsh } });
    expect(up.result.deployed).toBe(true);
    expect((await viaCaddy(services, `${up.result.name}.localhost`)).body).toContain(repo.commits[0]);

    const calls = (await readFile(argsLog, 'utf8')).trim().split('\n');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toBe('-o BatchMode=yes -o ConnectTimeout=30 -T -l deploy -p 2222 -- docker-host.example docker system dial-stdio');
    // keep-alive: far fewer tunnels than requests
    expect(calls.length).toBeLessThan(up.provider.engine.stats.total);

    const stop = await runCommand('stop', { services, repo, app, branch: 'main', env, internals: { sshCommand: fakeSsh } });
    expect(stop.result.deleted).toBe(true);
    expect(await containersOf(services, `preview-kit.name=${up.result.name}`)).toEqual([]);
  });

  it('reports a failing ssh as an unreachable engine (exit 5), with ssh’s own words', async () => {
    const failing = join(scratch, 'ssh-fails');
    await writeFile(failing, '#!/bin/sh\necho "ssh: connect to host docker-host.example port 22: Connection refused" >&2\nexit 255\n');
    await chmod(failing, 0o755);
    const app = newApp('sshfail');
    await expect(
      runCommand('ensure-app', { services, repo, app, branch: 'main', env: { ...PINNED, DOCKER_HOST: 'ssh://docker-host.example' }, internals: { sshCommand: failing } }),
    ).rejects.toThrow(/Docker Engine unreachable at ssh:\/\/docker-host\.example: ssh: connect to host docker-host\.example port 22: Connection refused$/);
  });
});

describe('DOCKER_HOST=tcp://', () => {
  let proxy: Server;
  let port: number;

  beforeAll(async () => {
    proxy = createServer((client) => {
      const upstream = createConnection(socketPath());
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    port = (proxy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
  });

  it('creates and removes the preview network over TCP', async () => {
    const app = newApp('tcp');
    const env = { ...PINNED, DOCKER_HOST: `tcp://127.0.0.1:${port}` };
    const ensured = await runCommand('ensure-app', { services, repo, app, branch: 'main', env });
    expect(ensured.result.created).toBe(true);
    expect(await networksOf(services, `preview-kit.name=${ensured.result.name}`)).toEqual([ensured.result.name]);
    const stopped = await runCommand('stop', { services, repo, app, branch: 'main', env });
    expect(stopped.result.removed).toEqual([`network ${ensured.result.name}`]);
  });
});
