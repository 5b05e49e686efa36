/**
 * `prune --ttl` and images, on a real podman Engine API and a real Caddy: images built days ago
 * (podman's `build --timestamp` sets the date the engine reports) that no container uses are
 * removed; young ones, used ones (running or stopped), foreign ones and another project's stay.
 * One step runs the built CLI as a process, the way a scheduled pipeline does.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIdentity } from '../../../src/providers/docker/images.js';
import { planServices, repoName } from '../../../src/providers/docker/services.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { acquireServices, containersOf, dockerCli, makeRepo, podmanCli, runCommand, scrubApp, uniqueApp, viaCaddy, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';
const DAY = 86_400_000;
const fakeSha = (c: string) => c.repeat(40);

let services: DockerServices;
let release: () => Promise<void>;
let repo: TestRepo;
const app = uniqueApp('prune');
const otherApp = uniqueApp('prunex');
const repoOf = repoName(app);
const extraContainers: string[] = [];
const foreignImages: string[] = [];

beforeAll(async () => {
  ({ services, release } = await acquireServices());
  repo = await makeRepo({ preview: ONE_SERVICE });
}, 120_000);

afterAll(async () => {
  if (extraContainers.length) await dockerCli(services, 'rm', '-f', ...extraContainers).catch(() => undefined);
  await scrubApp(services, app);
  await scrubApp(services, otherApp);
  for (const ref of foreignImages) await dockerCli(services, 'rmi', ref).catch(() => undefined);
  await repo?.remove();
  await release?.();
}, 120_000);

/** Builds the repo's Dockerfile as an image dated `ageDays` ago; returns its id. */
async function buildAged(options: { tags: string[]; labels: Record<string, string>; args?: Record<string, string>; ageDays: number }): Promise<string> {
  const seconds = Math.floor((Date.now() - options.ageDays * DAY) / 1000);
  const out = await podmanCli(
    services,
    'build',
    '-q',
    ...(options.ageDays > 0 ? ['--timestamp', String(seconds)] : []),
    ...Object.entries(options.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    ...Object.entries(options.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    ...options.tags.flatMap((t) => ['-t', t]),
    repo.dir,
  );
  return `sha256:${out.split('\n').pop()!.trim()}`;
}

const ours = (extra: Record<string, string> = {}, project = app) => ({ 'preview-kit.managed-by': 'preview-kit', 'preview-kit.app': project, ...extra });

/** Image id of a reference, or undefined when the engine has no such image. */
async function imageId(ref: string): Promise<string | undefined> {
  try {
    return `sha256:${(await dockerCli(services, 'image', 'inspect', '--format', '{{.Id}}', ref)).replace(/^sha256:/, '')}`;
  } catch {
    return undefined;
  }
}

describe('docker provider: prune --ttl removes old images nobody uses', () => {
  const ids: Record<string, string> = {};
  let live = '';
  let gone = '';
  let oldCommit = '';

  it('setup: a live preview, a preview of a branch gone running a 9-day-old build, and old, young, used and foreign images', async () => {
    const first = await runCommand('up', { services, repo, app, branch: 'live' });
    live = first.result.name;
    ids.live = (await imageId(`${repoOf}:${repo.commits[0]}`))!;

    // An old build of a second commit, made the way our builder labels it, so `up` reuses it.
    oldCommit = await repo.newCommit('an old commit');
    const build = planServices(first.settings, { name: 'x', identity: { project: app, branch: 'x' }, env: {}, healthPath: '/', domains: [] })[0]!.build!;
    const identity = buildIdentity(build, oldCommit, app);
    ids.gone = await buildAged({
      tags: [identity.ref],
      labels: ours({ 'preview-kit.build-hash': identity.hash, 'preview-kit.commit': oldCommit }),
      args: identity.args,
      ageDays: 9,
    });
    const second = await runCommand('up', { services, repo, app, branch: 'gone', commit: oldCommit });
    gone = second.result.name;
    expect(second.logs.join('\n')).toContain('build skipped');
    expect((await containersOf(services, `preview-kit.name=${gone}`)).map((c) => c.State)).toEqual(['running']);
    expect((await viaCaddy(services, `${gone}.localhost`)).body).toContain(oldCommit);

    const aged = (key: string, tags: string[], ageDays: number, labels: Record<string, string> = ours({ 'preview-kit.commit': fakeSha(key) })) =>
      buildAged({ tags, labels, args: { COMMIT: key }, ageDays }).then((id) => (ids[key] = id));
    await aged('1', [`${repoOf}:${fakeSha('1')}`, `${repoOf}:${app}-closed`], 9);
    await aged('2', [`${repoOf}-sigver:${fakeSha('2')}`], 9);
    await aged('3', [`${repoOf}:${fakeSha('3')}`], 9);
    await aged('4', [`${repoOf}:${fakeSha('4')}`], 9);
    await aged('5', [`${repoOf}:${fakeSha('5')}`], 1);
    await aged('6', [`${repoOf}:handmade`], 9, { maintainer: 'someone' });
    foreignImages.push(`${repoOf}:handmade`);
    await aged('7', [`${repoOf}:${fakeSha('7')}`, `localhost/elsewhere/${app}:stable`], 9);
    foreignImages.push(`localhost/elsewhere/${app}:stable`);
    await aged('8', [`${repoName(otherApp)}:${fakeSha('8')}`], 9, ours({}, otherApp));
    expect(new Set(Object.values(ids)).size).toBe(Object.keys(ids).length);

    // Someone's containers on two old builds: one stopped, one running.
    extraContainers.push(`${app}-stopped`, `${app}-running`);
    await dockerCli(services, 'create', '--name', `${app}-stopped`, `${repoOf}:${fakeSha('3')}`);
    await dockerCli(services, 'run', '-d', '--name', `${app}-running`, `${repoOf}:${fakeSha('4')}`);
  });

  const pruned = () => [`${repoOf}:${fakeSha('1')}`, `${repoOf}-sigver:${fakeSha('2')}`, `${repoOf}:${oldCommit}`].sort();

  it('--dry-run lists the gone preview and the three old unused images, and changes nothing', async () => {
    const before = await dockerCli(services, 'images', '-q', '--no-trunc');
    const { result } = await runCommand('prune', { services, repo, app, branch: 'live', flags: { ttl: '7d', keep: ['live'], 'dry-run': true } });
    expect(result.removed).toEqual([gone]);
    // The gone preview's build counts as unused: the real run removes its container first.
    expect([...(result.removedImages as string[])].sort()).toEqual(pruned());
    expect(result.plan).toEqual(expect.arrayContaining([`delete image ${repoOf}:${fakeSha('1')} (9d old)`, `delete image ${repoOf}:${app}-closed (9d old)`]));
    expect(await dockerCli(services, 'images', '-q', '--no-trunc')).toBe(before);
    expect(await containersOf(services, `preview-kit.name=${gone}`)).toHaveLength(1);
  });

  it('the CLI removes the preview and exactly those images; everything else stays', async () => {
    expect(existsSync(CLI), 'run npm run build first').toBe(true);
    const r = await runCli(['prune', '--provider', 'docker', '--app', app, '--ttl', '7d', '--keep', 'live', '--json'], {
      cwd: repo.dir,
      env: { DOCKER_HOST: services.dockerHost, CADDY_ADMIN: services.caddyAdmin },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json<{ removed: string[]; removedImages: string[] }>();
    expect(out.removed).toEqual([gone]);
    expect([...out.removedImages].sort()).toEqual(pruned());
    expect(r.stderr).toContain(`image ${repoOf}:${fakeSha('1')}: 9d old, no container uses it`);
    expect(r.stderr).toMatch(new RegExp(`image ${repoOf}:${fakeSha('3')} \\(9d old\\) kept: used by container ${app}-stopped`));

    for (const key of ['1', '2', 'gone']) expect(await imageId(ids[key]!), key).toBeUndefined();
    expect(await imageId(`${repoOf}:${app}-closed`)).toBeUndefined();
    for (const key of ['live', '3', '4', '5', '6', '7', '8']) expect(await imageId(ids[key]!), key).toBe(ids[key]);
    expect(await imageId(`localhost/elsewhere/${app}:stable`)).toBe(ids['7']);
    expect((await viaCaddy(services, `${live}.localhost`)).status).toBe(200);
  });

  it('a second prune finds nothing to do and makes no change', async () => {
    const { result } = await runCommand('prune', { services, repo, app, branch: 'live', flags: { ttl: '7d', keep: ['live'] } });
    expect(result.removed).toEqual([]);
    expect(result.removedImages).toEqual([]);
    expect(result.plan).toEqual([]);
  });

  it('once their containers are gone, the old builds they ran go too', async () => {
    await dockerCli(services, 'rm', '-f', `${app}-stopped`, `${app}-running`);
    const { result } = await runCommand('prune', { services, repo, app, branch: 'live', flags: { ttl: '7d' } });
    expect(result.removed).toEqual([]);
    expect([...(result.removedImages as string[])].sort()).toEqual([`${repoOf}:${fakeSha('3')}`, `${repoOf}:${fakeSha('4')}`]);
    for (const key of ['3', '4']) expect(await imageId(ids[key]!), key).toBeUndefined();
    for (const key of ['live', '5', '6', '7', '8']) expect(await imageId(ids[key]!), key).toBe(ids[key]);
  });
});
