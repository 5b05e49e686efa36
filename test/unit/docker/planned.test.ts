/**
 * Dry runs of `prune` plan from the listing they were decided from: `destroy` and `sleep` given the
 * preview as `list` returned it read nothing again (a thousand previews: no thousand reads), and
 * fall back to reading when the listing could not see Caddy, and in real runs.
 */
import { describe, expect, it } from 'vitest';
import { Plan } from '../../../src/core/plan.js';
import { plannedSleep } from '../../../src/providers/docker/sleep.js';
import { plannedTeardown } from '../../../src/providers/docker/teardown.js';
import type { DockerRuntime } from '../../../src/providers/docker/runtime.js';
import type { Preview } from '../../../src/providers/types.js';

const ref = { name: 'shop-main', identity: { project: 'shop', branch: 'main' }, key: '0123456789abcdef0123' };
const route = `preview-kit-shop-main-web-${ref.key}`;

function runtime(dryRun: boolean): DockerRuntime {
  const engine = new Proxy({}, { get: () => () => Promise.reject(new Error('no engine call expected')) });
  return { settings: { removeImages: false }, context: { plan: new Plan(dryRun) }, engine, caddy: engine } as unknown as DockerRuntime;
}

function known(state: Preview['state'], containerState: string, routes: string[] | null = [route]): Preview {
  return {
    name: ref.name,
    id: 'net',
    url: 'http://shop-main.localhost',
    domains: [],
    identity: ref.identity,
    state,
    details: { network: ref.name, key: ref.key, ...(routes ? { routes } : {}), containers: [{ name: 'shop-main-web', service: 'web', state: containerState }] },
  };
}

describe('planned from the listing', () => {
  it('a dry-run stop plans route, container and network, reading nothing', async () => {
    const rt = runtime(true);
    const result = await plannedTeardown(rt, ref, known('running', 'running'));
    expect(result).toEqual({ deleted: true, removed: [`route ${route}`, 'container shop-main-web', 'network shop-main'] });
    expect(rt.context.plan.describe()).toEqual([`delete caddy route ${route}`, 'delete container shop-main-web', 'delete network shop-main']);
  });

  it('a dry-run sleep plans the asleep page and the stop of what runs; an asleep preview plans nothing', async () => {
    const rt = runtime(true);
    expect(await plannedSleep(rt, known('running', 'running'))).toEqual({ slept: true, stopped: ['container shop-main-web', `route ${route} (asleep page)`] });
    expect(rt.context.plan.describe()).toEqual([`update caddy route ${route} (asleep page)`, 'update container shop-main-web (stop)']);
    const asleep = runtime(true);
    expect(await plannedSleep(asleep, known('sleeping', 'exited'))).toEqual({ slept: false, stopped: [] });
    expect(asleep.context.plan.describe()).toEqual([]);
  });

  it('real runs, and listings that could not read Caddy, read as usual', () => {
    expect(plannedTeardown(runtime(false), ref, known('running', 'running'))).toBeUndefined();
    expect(plannedSleep(runtime(false), known('running', 'running'))).toBeUndefined();
    expect(plannedTeardown(runtime(true), ref, known('unknown', 'exited', null))).toBeUndefined();
    expect(plannedSleep(runtime(true), known('unknown', 'exited', null))).toBeUndefined();
  });
});
