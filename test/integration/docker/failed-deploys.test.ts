/**
 * Deploys that fail, against real podman and Caddy: a service that never serves is caught even
 * when its sibling serves, and a first deploy that fails leaves no preview behind.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, ExitCode } from '../../../src/core/errors.js';
import type { DockerServices } from './services.js';
import { containersOf, networksOf, routeIdsOf, routeOf, runCommand, useDockerServices, viaCaddy, type TestRepo } from './harness.js';

let services: DockerServices;
const { newApp, newRepo } = useDockerServices((s) => {
  services = s;
});

async function setUp(prefix: string): Promise<{ repo: TestRepo; app: string }> {
  const repo = await newRepo();
  const app = newApp(prefix);
  return { repo, app };
}

async function failureOf(run: Promise<unknown>): Promise<{ error: unknown; logs: string }> {
  try {
    await run;
  } catch (error) {
    return { error, logs: ((error as { logs?: string[] }).logs ?? []).join('\n') };
  }
  throw new Error('the command succeeded; it should have failed');
}

describe('docker provider: two services, the new web container exits while the new sigver serves', () => {
  it('fails with exit 5 and rolls back: each service is checked on its own staging route, never through its sibling', async () => {
    const { repo, app } = await setUp('sibling');
    const { result } = await runCommand('up', { services, repo, app, branch: 'main' });
    const name = result.name;
    const dockerfile = await readFile(join(repo.dir, 'Dockerfile'), 'utf8');
    await repo.commitFiles({ Dockerfile: dockerfile.replace(/^CMD .*$/m, 'CMD ["/bin/sh", "-c", "echo web gives up; exit 3"]') }, 'break web only');

    const { error, logs } = await failureOf(runCommand('up', { services, repo, app, branch: 'main', timeoutMs: 30_000 }));
    expect(exitCodeOf(error)).toBe(ExitCode.provider);
    expect((error as Error).message).toMatch(/service web: container exited with code 3/);
    expect(logs).toContain('web gives up');
    const web = await viaCaddy(services, `${name}.localhost`);
    expect(web.status).toBe(200);
    expect(web.body).toContain(repo.commits[0]);
    expect((await routeIdsOf(services, name)).sort()).toEqual([routeOf(name, { project: app, branch: 'main' }, 'sigver'), routeOf(name, { project: app, branch: 'main' })]);
  });
});

describe('docker provider: the first deploy of a preview fails', () => {
  it('on a build error: exit 5 with the build output, and no network, container or route is left', async () => {
    const { repo, app } = await setUp('firstfail');
    const dockerfile = await readFile(join(repo.dir, 'Dockerfile'), 'utf8');
    await repo.commitFiles({ Dockerfile: `${dockerfile}RUN echo the build breaks here && exit 4\n` }, 'break the build');

    const { error, logs } = await failureOf(runCommand('up', { services, repo, app, branch: 'main', timeoutMs: 30_000 }));
    expect(exitCodeOf(error)).toBe(ExitCode.provider);
    expect(logs).toContain('the build breaks here');
    expect(await networksOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await containersOf(services, `preview-kit.app=${app}`)).toEqual([]);
    expect(await routeIdsOf(services, `-${app}-`)).toEqual([]);
  });
});
