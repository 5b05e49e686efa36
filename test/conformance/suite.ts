/**
 * The provider conformance suite: the behaviours every provider must have, run the same way against
 * each one — through the built CLI as a separate process, as pipelines run it, against the
 * provider's backend (a fake built from the platform's source, or the real server). A provider
 * passes only if all of them hold:
 *
 * - absent → `status` exits 4, `stop` exits 0 and writes nothing;
 * - credentials refused (401) or rights missing (403) → exit 3 with the right hint, never "absent";
 * - a name held by another preview → `up` refused with exit 6 before any write, naming whose it is
 *   and how to get a distinct name; that preview's resources untouched by our `stop` and `prune`;
 *   an unmarked resource likewise (without --adopt);
 * - N concurrent `up`s → one resource of each kind, every run reporting the same id;
 * - 20 % of writes failing (half of them applied, then answered 5xx) → re-runs converge on one;
 * - SIGTERM at random points, then `up` → converges; then `stop` → nothing with our marker or key;
 * - a second `stop` → zero mutating requests;
 * - a re-run of `up` with nothing changed → no write, one read per kind of resource;
 * - `list` → only ours, each with its identity.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityKey } from '../../src/core/identity.js';
import { previewName } from '../../src/core/naming.js';
import { baseEnv, CLI, runCli, type CliRun } from '../helpers/cli.js';
import type { Backend, ConformanceTarget, PlatformResource } from './target.js';

/** Concurrent `up`s in the race test. */
const RACERS = 6;
/** Attempts a faulty platform gets to converge. */
const FAULTY_ATTEMPTS = 10;
const INTERRUPTS = 3;

let counter = 0;
/** A project name no other test (or earlier run) uses, so tests never see each other's previews. */
function freshApp(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).slice(-4)}${counter}${Math.floor(Math.random() * 36 ** 2).toString(36)}`;
}

function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** No two resources of one kind share a name: no duplicates, whatever the platform allows. */
function duplicates(resources: PlatformResource[]): string[] {
  const seen = new Map<string, number>();
  for (const r of resources) seen.set(`${r.kind} ${r.name}`, (seen.get(`${r.kind} ${r.name}`) ?? 0) + 1);
  return [...seen.entries()].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

export function describeConformance(target: ConformanceTarget): void {
  for (const variant of target.variants) {
    describe(`${target.id} conformance (${variant.label})`, () => {
      let backend: Backend;

      beforeAll(async () => {
        backend = await target.start(variant.options);
      }, 120_000);

      afterAll(async () => {
        await backend?.stop();
      });

      const cli = (command: string, app: string, branch: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliRun> =>
        runCli([command, '--app', app, '--branch', branch, ...backend.args, '--source', backend.repo, ...extra], {
          env: { ...backend.env, ...env },
          cwd: backend.repo,
          timeoutMs: 180_000,
        });
      const up = (app: string, branch: string, extra: string[] = []) => cli('up', app, branch, [...(backend.subResourceArgs ?? []), '--json', ...extra]);
      const ofPreview = async (name: string) => backend.resources(name);
      const keyOf = (app: string, branch: string) => identityKey({ project: app, branch });
      /** Everything with our marker or our identity key that is left of one preview. */
      const leftOf = async (name: string, key: string) => [
        ...(await ofPreview(name)).filter((r) => r.marked || r.key === key),
        ...(await backend.marked()).filter((r) => r.key === key && r.name !== name && !r.name.startsWith(`${name}-`)),
      ];

      it('an absent preview: status exits 4, stop exits 0 and writes nothing', async () => {
        const app = freshApp('abs');
        await backend.resetLog();
        const status = await cli('status', app, 'main');
        expect(status.code, status.stderr).toBe(4);
        const stop = await cli('stop', app, 'main');
        expect(stop.code, stop.stderr).toBe(0);
        expect(stop.stdout).toMatch(/already gone/);
        expect(await backend.mutatingRequests()).toBe(0);
      });

      it('credentials refused (401) or rights missing (403): exit 3 with the right hint, never "absent", nothing made', async () => {
        const app = freshApp('auth');
        const name = previewName({ app, branch: 'main' });
        try {
          await backend.credentials('unauthorized');
          for (const command of ['up', 'status', 'stop']) {
            const run = await cli(command, app, 'main');
            expect(run.code, `${command}: ${run.stderr}`).toBe(3);
            expect(run.stderr).not.toMatch(/does not exist|already gone/);
          }
          await backend.credentials('forbidden');
          const forbidden = await cli('up', app, 'main');
          expect(forbidden.code, forbidden.stderr).toBe(3);
          expect(forbidden.stderr).toMatch(backend.forbiddenHint);
        } finally {
          await backend.credentials('ok');
        }
        expect(await ofPreview(name)).toEqual([]);
      });

      it("a name held by another preview: up refused (exit 6, whose, --prefix) before any write; our stop and prune leave it", async () => {
        const base = freshApp('own');
        // `<base>-admin` + `main` and `<base>` + `admin-main` are both named `<base>-admin-main`.
        const first = await up(`${base}-admin`, 'main');
        expect(first.code, first.stderr).toBe(0);
        const name = first.json<{ name: string }>().name;
        expect(previewName({ app: base, branch: 'admin-main' })).toBe(name);
        const before = await ofPreview(name);

        await backend.resetLog();
        const refused = await up(base, 'admin-main');
        expect(refused.code, refused.stderr).toBe(6);
        expect(refused.stderr).toContain(`${base}-admin, branch main`);
        expect(refused.stderr).toMatch(/--prefix/);
        expect(await backend.mutatingRequests()).toBe(0);

        const stop = await cli('stop', base, 'admin-main');
        expect(stop.code, stop.stderr).toBe(0);
        expect(stop.stderr).toMatch(/belongs to the preview of .*-admin, branch main|left alone/);
        const prune = await runCli(['prune', '--app', base, '--ttl', '1s', ...backend.args], { env: backend.env, cwd: backend.repo });
        expect(prune.code, prune.stderr).toBe(0);
        expect(await backend.mutatingRequests()).toBe(0);
        expect(await ofPreview(name)).toEqual(before);

        const cleanup = await cli('stop', `${base}-admin`, 'main');
        expect(cleanup.code, cleanup.stderr).toBe(0);
      });

      it('an unmarked resource under the name: up refused (exit 6, --adopt) with no write, stop leaves it', async () => {
        const app = freshApp('mark');
        const name = previewName({ app, branch: 'main' });
        await backend.plant(name, undefined);
        const planted = await ofPreview(name);
        expect(planted.length).toBeGreaterThan(0);
        await backend.resetLog();
        const refused = await up(app, 'main');
        expect(refused.code, refused.stderr).toBe(6);
        expect(refused.stderr).toMatch(/--adopt/);
        expect(await backend.mutatingRequests()).toBe(0);
        const stop = await cli('stop', app, 'main');
        expect(stop.code, stop.stderr).toBe(0);
        expect(await ofPreview(name)).toEqual(planted);
      });

      it(`${RACERS} concurrent ups: one resource of each kind, every run reporting the same id; a second stop writes nothing`, async () => {
        const app = freshApp('race');
        const runs = await Promise.all(Array.from({ length: RACERS }, () => up(app, 'main')));
        for (const run of runs) expect(run.code, run.stderr).toBe(0);
        const ids = new Set(runs.map((r) => r.json<{ id: string }>().id));
        expect([...ids]).toHaveLength(1);
        const name = runs[0]!.json<{ name: string }>().name;
        const made = await ofPreview(name);
        expect(duplicates(made)).toEqual([]);
        expect(made.filter((r) => r.marked).every((r) => r.key === keyOf(app, 'main'))).toBe(true);

        const stop = await cli('stop', app, 'main');
        expect(stop.code, stop.stderr).toBe(0);
        expect(await leftOf(name, keyOf(app, 'main'))).toEqual([]);
        await backend.resetLog();
        const again = await cli('stop', app, 'main');
        expect(again.code, again.stderr).toBe(0);
        expect(await backend.mutatingRequests()).toBe(0);
      });

      it('20 % of writes failing (half applied, then answered 5xx): re-runs converge on one preview, and stop leaves nothing', async () => {
        const app = freshApp('flt');
        const name = previewName({ app, branch: 'main' });
        const codes: number[] = [];
        try {
          await backend.faultWrites(0.2, 11);
          for (let i = 0; i < FAULTY_ATTEMPTS; i++) {
            const run = await up(app, 'main');
            codes.push(run.code);
            // A fault is a provider failure, never a refusal of our own preview or an auth error.
            expect([0, 5], run.stderr).toContain(run.code);
            if (run.code === 0) break;
          }
        } finally {
          await backend.faultWrites(0, 0);
        }
        expect(codes.at(-1), `exit codes of the runs: ${codes.join(', ')}`).toBe(0);
        const again = await up(app, 'main');
        expect(again.code, again.stderr).toBe(0);
        expect(duplicates(await ofPreview(name))).toEqual([]);

        try {
          await backend.faultWrites(0.2, 12);
          for (let i = 0; i < FAULTY_ATTEMPTS; i++) {
            const stop = await cli('stop', app, 'main');
            expect([0, 5], stop.stderr).toContain(stop.code);
            if (stop.code === 0) break;
          }
        } finally {
          await backend.faultWrites(0, 0);
        }
        const last = await cli('stop', app, 'main');
        expect(last.code, last.stderr).toBe(0);
        expect(await leftOf(name, keyOf(app, 'main'))).toEqual([]);
      });

      it(`interrupted by SIGTERM at ${INTERRUPTS} random points: the next up converges, then stop leaves nothing`, async () => {
        const app = freshApp('sig');
        const name = previewName({ app, branch: 'main' });
        const random = seeded(target.id.length * 101 + counter);
        // How long an up takes here, to spread the interrupts over it.
        const started = Date.now();
        const measured = await up(app, 'main');
        expect(measured.code, measured.stderr).toBe(0);
        const span = Math.max(300, Date.now() - started);
        const stop = await cli('stop', app, 'main');
        expect(stop.code, stop.stderr).toBe(0);

        for (let i = 0; i < INTERRUPTS; i++) {
          const commit = await backend.commit();
          const child = execa('node', [CLI, 'up', '--app', app, '--branch', 'main', ...backend.args, '--source', backend.repo, '--commit', commit, ...(backend.subResourceArgs ?? [])], {
            env: baseEnv(backend.env),
            extendEnv: false,
            cwd: backend.repo,
            reject: false,
            stdin: 'ignore',
          });
          await new Promise((r) => setTimeout(r, Math.floor(random() * span)));
          child.kill('SIGTERM');
          const interrupted = await child;
          // 143 from our handler; a bare SIGTERM when it came before Node had run a line of ours.
          expect(interrupted.exitCode === 0 || interrupted.exitCode === 143 || interrupted.signal === 'SIGTERM', `${interrupted.exitCode} ${interrupted.stderr}`).toBe(true);
          const resumed = await up(app, 'main', ['--commit', commit]);
          expect(resumed.code, resumed.stderr).toBe(0);
          expect(duplicates(await ofPreview(name))).toEqual([]);
        }
        const end = await cli('stop', app, 'main');
        expect(end.code, end.stderr).toBe(0);
        expect(await leftOf(name, keyOf(app, 'main'))).toEqual([]);
      });

      it('a re-run with nothing changed: no write, one read per kind of resource', async () => {
        const app = freshApp('nop');
        const first = await up(app, 'main');
        expect(first.code, first.stderr).toBe(0);
        await backend.resetLog();
        const again = await up(app, 'main');
        expect(again.code, again.stderr).toBe(0);
        const requests = await backend.requests();
        expect(await backend.mutatingRequests(), requests.join('\n')).toBe(0);
        expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(backend.noopReads);
        const stop = await cli('stop', app, 'main');
        expect(stop.code, stop.stderr).toBe(0);
      });

      it('list: only previews of ours, each with the identity recorded on it', async () => {
        const app = freshApp('lst');
        const other = freshApp('oth');
        for (const [a, b] of [[app, 'main'], [app, 'feature/x'], [other, 'main']] as const) {
          const run = await up(a, b);
          expect(run.code, run.stderr).toBe(0);
        }
        await backend.plant(previewName({ app, branch: 'planted' }), undefined);
        const list = await runCli(['list', '--app', app, '--json', ...backend.args], { env: backend.env, cwd: backend.repo });
        expect(list.code, list.stderr).toBe(0);
        const previews = list.json<{ previews: Array<{ name: string; identity?: { project: string; branch?: string } }> }>().previews;
        expect(previews.map((p) => p.identity).sort((a, b) => (a!.branch! < b!.branch! ? -1 : 1))).toEqual([
          { project: app, branch: 'feature/x' },
          { project: app, branch: 'main' },
        ]);
        const all = await runCli(['list', '--all', '--json', ...backend.args], { env: backend.env, cwd: backend.repo });
        expect(all.code, all.stderr).toBe(0);
        const everyone = all.json<{ previews: Array<{ name: string; identity?: { project: string } }> }>().previews;
        expect(everyone.some((p) => p.identity?.project === other)).toBe(true);
        expect(everyone.every((p) => p.identity !== undefined)).toBe(true);
        expect(everyone.some((p) => p.name === previewName({ app, branch: 'planted' }))).toBe(false);
        for (const [a, b] of [[app, 'main'], [app, 'feature/x'], [other, 'main']] as const) {
          const stop = await cli('stop', a, b);
          expect(stop.code, stop.stderr).toBe(0);
        }
      });
    });
  }
}
