/**
 * Mistakes a pipeline user makes and what they get back: a missing --image, a namespace that does
 * not exist, a rollout that is slow rather than failing, a preview stopped while it rolls out.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { COMMIT_A, useFakeCluster } from './helpers.js';

describe('kubernetes: errors a user can act on', () => {
  let fake: FakeKubernetes;
  const { make } = useFakeCluster({ readyDelayMs: 20, deletionDelayMs: 10, controllerIntervalMs: 5, namespaces: ['previews'] }, 'previews', (f) => {
    fake = f;
  });

  it('without --image, up is a usage error before anything is created', async () => {
    const { up } = make({ settings: { image: undefined } });
    const error = await up(COMMIT_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/--image is required/);
    expect(fake.writes()).toEqual([]);
  });

  it('an --image template with an unknown placeholder is refused before anything is created', async () => {
    const { up } = make({ settings: { image: 'registry.example.com/shop:{sha}' } });
    const error = await up(COMMIT_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(fake.writes()).toEqual([]);
  });

  it('a namespace that does not exist is a usage error (exit 2) that names it and how to create it', async () => {
    const { up } = make({ settings: { namespace: 'ghost' } });
    const error = await up(COMMIT_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.usage);
    expect((error as ConfigError).message).toMatch(/namespace "ghost" does not exist/);
    expect((error as ConfigError).hint).toContain('kubectl create namespace ghost');
  });

  it('a rollout that is only slow times out naming the pods and what they wait for', async () => {
    const { up, name } = make({ timeoutMs: 1_500 });
    fake.failRollout(`previews/${name}`, 'ContainerCreating', 'Pulling image "registry.example.com/shop:aaaaaaa"');
    const error = await up(COMMIT_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    const message = (error as TimeoutError).message;
    expect(message).toMatch(new RegExp(`pod ${name}-[a-z0-9-]+ container app: ContainerCreating`));
    expect(message).toContain('Pulling image');
    expect((error as TimeoutError).hint).toMatch(/kubectl/);
  });

  it('a preview stopped while its rollout runs: the waiting up says so with a hint', async () => {
    const { up, name } = make();
    fake.failRollout(`previews/${name}`, 'ContainerCreating', 'Pulling image');
    const running = up(COMMIT_A).catch((e: unknown) => e);
    while (!fake.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/pods`))) await new Promise((r) => setTimeout(r, 10));
    const stopper = make();
    await stopper.provider.destroy(stopper.ref);
    const error = await running;
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/the Deployment disappeared/);
    expect((error as ProviderError).hint).toMatch(/stopped this preview/);
  });
});
