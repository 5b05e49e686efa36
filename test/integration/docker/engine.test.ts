/**
 * Engine client behaviours that depend on the real engine's quirks (podman here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { Deadline } from '../../../src/core/retry.js';
import { DockerEngine } from '../../../src/providers/docker/engine.js';
import { acquireServices, dockerCli } from './harness.js';
import type { DockerServices } from './services.js';

let services: DockerServices;
let release: () => Promise<void>;
let engine: DockerEngine;
const prefix = `pk-engine-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  ({ services, release } = await acquireServices());
  engine = new DockerEngine({ dockerHost: services.dockerHost, logger: silentLogger, deadline: new Deadline(120_000) });
}, 120_000);

afterAll(async () => {
  const left = await dockerCli(services, 'ps', '-aq', '--filter', `name=${prefix}`).catch(() => '');
  if (left) await dockerCli(services, 'rm', '-f', ...left.split('\n')).catch(() => undefined);
  await release?.();
}, 120_000);

describe('removeContainer', () => {
  it('removes containers that the restart policy keeps restarting (podman answers 500 meanwhile)', async () => {
    for (let i = 0; i < 8; i++) {
      const id = await engine.createContainer(`${prefix}-${i}`, {
        Image: 'localhost/preview-kit-base:latest',
        Cmd: ['/bin/sh', '-c', 'exit 3'],
        HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
      });
      await engine.startContainer(id);
      // remove at varying moments of the exit/restart cycle
      await new Promise((resolve) => setTimeout(resolve, i * 40));
      expect(await engine.removeContainer(id)).toBe(true);
      expect(await engine.inspectContainer(id)).toBeUndefined();
    }
    expect(await engine.removeContainer(`${prefix}-missing`)).toBe(false);
  });
});

describe('errors', () => {
  it('maps a duplicate name (podman: 500) to a conflict, and a missing image to a 404 failure', async () => {
    const name = `${prefix}-dup`;
    const id = await engine.createContainer(name, { Image: 'localhost/preview-kit-base:latest' });
    await expect(engine.createContainer(name, { Image: 'localhost/preview-kit-base:latest' })).rejects.toMatchObject({ name: 'ConflictError', status: 409 });
    await engine.removeContainer(id);
    await expect(engine.createContainer(`${prefix}-noimage`, { Image: 'localhost/does-not-exist:1' })).rejects.toMatchObject({ status: 404 });
  });

  it('reports a build failure that arrives inside an HTTP 200 stream', async () => {
    const { Readable } = await import('node:stream');
    const tar = await import('node:child_process').then(
      ({ execFileSync }) => execFileSync('bash', ['-c', 'd=$(mktemp -d) && printf "FROM localhost/preview-kit-base:latest\\nRUN exit 3\\n" > "$d/Dockerfile" && tar -C "$d" -cf - Dockerfile && rm -rf "$d"']),
    );
    const lines: string[] = [];
    await expect(
      engine.stream(
        { method: 'POST', path: '/build', query: { t: `localhost/${prefix}:x`, forcerm: 1 }, headers: { 'content-type': 'application/x-tar' }, body: Readable.from([tar]), what: 'build the failing image' },
        (line) => lines.push(JSON.stringify(line)),
      ),
    ).rejects.toThrow(/build the failing image: .*exit status 3/);
    expect(lines.some((l) => l.includes('STEP 2/2'))).toBe(true);
  });
});
