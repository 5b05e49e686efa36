/**
 * The lifecycle part of the conformance suite — what keeps previews cheap — run the same way
 * against every provider, through the built CLI:
 *
 * - `sleep` stops the compute and keeps the URL; a second `sleep` writes nothing; `up` wakes it,
 *   and so does `deploy` of the commit it runs;
 * - `list` shows each preview's identity, state and last deployment;
 * - `prune --ttl` measures the time without a deployment (`--ttl-from created`: the age);
 *   `prune --sleep-after` puts idle previews to sleep; a prune whose removals fail exits 5 after
 *   doing the rest, and the next one finishes the job;
 * - `up --max-previews` evicts the least recently deployed other preview, by policy, or refuses;
 * - `--basic-auth` protects the preview where the provider's routing can, and is refused with
 *   exit 2 where it cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewIdentity } from '../../src/core/identity.js';
import { previewName } from '../../src/core/naming.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import type { Backend, ConformanceTarget } from './target.js';

const DAY = 86_400_000;
let counter = 0;
function freshApp(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).slice(-4)}${counter}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
}
const ago = (ms: number) => new Date(Date.now() - ms);

interface Listed {
  name: string;
  identity: PreviewIdentity;
  state?: string;
  lastDeployedAt?: string;
}

export function describeLifecycle(target: ConformanceTarget): void {
  const variant = target.variants[0]!;
  describe(`${target.id} lifecycle conformance (${variant.label})`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await target.start(variant.options);
    }, 120_000);
    afterAll(async () => {
      await backend?.stop();
    });

    const run = (args: string[]): Promise<CliRun> => runCli([...args, ...backend.args, '--source', backend.repo], { env: backend.env, cwd: backend.repo, timeoutMs: 180_000 });
    const forPreview = (command: string, app: string, branch: string, extra: string[] = []) => run([command, '--app', app, '--branch', branch, ...extra]);
    const listOf = async (app: string): Promise<Listed[]> => {
      const list = await run(['list', '--app', app, '--json']);
      expect(list.code, list.stderr).toBe(0);
      return list.json<{ previews: Listed[] }>().previews;
    };
    // A preview is created before it is deployed: planted times say so, or a half-removed one
    // (its deployment record gone first) would look newly created.
    const plant = (app: string, branch: string, options: NonNullable<Parameters<Backend['plantPreview']>[1]>) =>
      backend.plantPreview({ project: app, branch }, { ...options, createdAt: options.createdAt ?? (options.deployedAt ? new Date(options.deployedAt.getTime() - DAY / 24) : undefined) });

    it('sleep stops the compute and keeps the URL; a second sleep writes nothing; up wakes it, and so does deploy of the same commit', async () => {
      const app = freshApp('slp');
      const name = previewName({ app, branch: 'main' });
      const up = await forPreview('up', app, 'main', ['--json']);
      expect(up.code, up.stderr).toBe(0);
      const url = up.json<{ url: string }>().url;
      expect(await backend.compute(name)).toBe('running');

      const sleep = await forPreview('sleep', app, 'main');
      expect(sleep.code, sleep.stderr).toBe(0);
      expect(await backend.compute(name)).toBe('stopped');
      const status = await forPreview('status', app, 'main', ['--json']);
      expect(status.code, status.stderr).toBe(0);
      expect(status.json<{ url: string; preview: { state: string } }>()).toMatchObject({ url, preview: { state: 'sleeping' } });
      expect((await listOf(app)).map((p) => p.state)).toEqual(['sleeping']);

      await backend.resetLog();
      const again = await forPreview('sleep', app, 'main');
      expect(again.code, again.stderr).toBe(0);
      expect(await backend.mutatingRequests()).toBe(0);

      const woken = await forPreview('up', app, 'main');
      expect(woken.code, woken.stderr).toBe(0);
      expect(await backend.compute(name)).toBe('running');
      expect((await listOf(app)).map((p) => p.state)).toEqual(['running']);

      expect((await forPreview('sleep', app, 'main')).code).toBe(0);
      const commit = up.json<{ commit: string }>().commit;
      const deploy = await forPreview('deploy', app, 'main', ['--commit', commit]);
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(await backend.compute(name)).toBe('running');
      expect((await forPreview('stop', app, 'main')).code).toBe(0);
    });

    it('list shows every preview of the project with its identity, state and last deployment; --all those of every project', async () => {
      const app = freshApp('lsa');
      await plant(app, 'awake', { deployedAt: ago(2 * DAY) });
      await plant(app, 'asleep', { deployedAt: ago(5 * DAY), asleep: true });
      await plant(freshApp('lso'), 'main', {});
      const listed = await listOf(app);
      expect(listed.map((p) => [p.identity, p.state])).toEqual([
        [{ project: app, branch: 'asleep' }, 'sleeping'],
        [{ project: app, branch: 'awake' }, 'running'],
      ]);
      const awake = listed.find((p) => p.identity.branch === 'awake')!;
      expect(Math.abs(Date.parse(awake.lastDeployedAt!) - ago(2 * DAY).getTime())).toBeLessThan(DAY / 2);
    });

    it('prune --ttl removes what has not been deployed for that long, not what is merely old; --ttl-from created keeps the old meaning', async () => {
      const app = freshApp('ttl');
      await plant(app, 'idle', { createdAt: ago(10 * DAY), deployedAt: ago(5 * DAY) });
      await plant(app, 'busy', { createdAt: ago(10 * DAY), deployedAt: ago(DAY / 24) });
      await plant(app, 'young', { createdAt: ago(DAY), deployedAt: ago(DAY / 24) });
      const prune = await run(['prune', '--app', app, '--ttl', '3d']);
      expect(prune.code, prune.stderr).toBe(0);
      expect(await backend.compute(previewName({ app, branch: 'idle' }))).toBe('absent');
      expect((await listOf(app)).map((p) => p.identity.branch).sort()).toEqual(['busy', 'young']);

      const byAge = await run(['prune', '--app', app, '--ttl', '3d', '--ttl-from', 'created']);
      expect(byAge.code, byAge.stderr).toBe(0);
      expect((await listOf(app)).map((p) => p.identity.branch)).toEqual(['young']);
    });

    it('prune --sleep-after puts idle previews to sleep and keeps the others; a second prune writes nothing', async () => {
      const app = freshApp('ida');
      await plant(app, 'idle', { deployedAt: ago(2 * DAY) });
      await plant(app, 'busy', { deployedAt: ago(DAY / 24) });
      const prune = await run(['prune', '--app', app, '--sleep-after', '1d']);
      expect(prune.code, prune.stderr).toBe(0);
      expect(prune.stdout).toMatch(/1 put to sleep/);
      expect(await backend.compute(previewName({ app, branch: 'idle' }))).toBe('stopped');
      expect(await backend.compute(previewName({ app, branch: 'busy' }))).toBe('running');
      await backend.resetLog();
      const again = await run(['prune', '--app', app, '--sleep-after', '1d']);
      expect(again.code, again.stderr).toBe(0);
      expect(await backend.mutatingRequests()).toBe(0);
    });

    it('a prune whose removals fail does the rest, says what failed and exits 5; the next prune finishes', async () => {
      const app = freshApp('pfl');
      for (const branch of ['a', 'b', 'c', 'd']) await plant(app, branch, { deployedAt: ago(9 * DAY) });
      // Every write refused and none applied: the removals fail for sure, whatever a provider retries.
      await backend.faultWrites(1, 5, 0);
      let failed: CliRun;
      try {
        failed = await run(['prune', '--app', app, '--ttl', '3d', '--timeout', '60s', '--json']);
      } finally {
        await backend.faultWrites(0, 0);
      }
      expect(failed.code, failed.stderr).toBe(5);
      expect(failed.json<{ failed: string[] }>().failed.length).toBeGreaterThan(0);
      expect(failed.stderr).toMatch(/prune: \d+ of 4 previews failed/);
      const retried = await run(['prune', '--app', app, '--ttl', '3d']);
      expect(retried.code, retried.stderr).toBe(0);
      expect(await listOf(app)).toEqual([]);
    });

    it('up --max-previews evicts the least recently deployed other preview by policy (delete, sleep) or refuses (exit 6)', async () => {
      const app = freshApp('cap');
      await plant(app, 'oldest', { deployedAt: ago(3 * DAY) });
      await plant(app, 'recent', { deployedAt: ago(DAY) });
      const del = await forPreview('up', app, 'new', ['--max-previews', '2', '--max-previews-policy', 'delete']);
      expect(del.code, del.stderr).toBe(0);
      expect(await backend.compute(previewName({ app, branch: 'oldest' }))).toBe('absent');
      expect(await backend.compute(previewName({ app, branch: 'recent' }))).toBe('running');

      const refused = await forPreview('up', app, 'other', ['--max-previews', '2', '--max-previews-policy', 'refuse']);
      expect(refused.code, refused.stderr).toBe(6);
      expect(refused.stderr).toMatch(/--max-previews 2/);
      expect(await backend.compute(previewName({ app, branch: 'other' }))).toBe('absent');

      // An up of a preview that exists never evicts anything.
      await backend.resetLog();
      const rerun = await forPreview('up', app, 'new', ['--max-previews', '1', '--max-previews-policy', 'delete']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await backend.compute(previewName({ app, branch: 'recent' }))).toBe('running');

      const slept = await forPreview('up', app, 'third', ['--max-previews', '2', '--max-previews-policy', 'sleep']);
      expect(slept.code, slept.stderr).toBe(0);
      expect(await backend.compute(previewName({ app, branch: 'recent' }))).toBe('stopped');
      expect(await backend.compute(previewName({ app, branch: 'new' }))).toBe('running');
      for (const branch of ['new', 'recent', 'third']) expect((await forPreview('stop', app, branch)).code).toBe(0);
    });

    it('--basic-auth: protects the preview where the routing can (same password: no write), refused with exit 2 elsewhere', async () => {
      const app = freshApp('bas');
      const name = previewName({ app, branch: 'main' });
      const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
      if (!backend.protectedStatus) {
        const refused = await forPreview('up', app, 'main', ['--basic-auth', `viewer:${password}`]);
        expect(refused.code, refused.stderr).toBe(2);
        expect(refused.stderr).toMatch(/cannot put a preview behind basic auth \(providers that can: docker, kubernetes/);
        expect(refused.stderr + refused.stdout).not.toContain(password);
        return;
      }
      const up = await forPreview('up', app, 'main', ['--basic-auth', `viewer:${password}`, '--debug']);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr + up.stdout).not.toContain(password);
      expect(await backend.protectedStatus(name)).toBe(401);
      expect(await backend.protectedStatus(name, { user: 'viewer', password: 'wrong' })).toBe(401);
      expect(await backend.protectedStatus(name, { user: 'viewer', password })).toBe(200);
      await backend.resetLog();
      const same = await forPreview('up', app, 'main', ['--basic-auth', `viewer:${password}`]);
      expect(same.code, same.stderr).toBe(0);
      expect(await backend.mutatingRequests()).toBe(0);
      const open = await forPreview('up', app, 'main');
      expect(open.code, open.stderr).toBe(0);
      expect(await backend.protectedStatus(name)).toBe(200);
      expect((await forPreview('stop', app, 'main')).code).toBe(0);
    });
  });
}
