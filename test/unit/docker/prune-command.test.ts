/**
 * How `prune` hands image pruning to a provider that offers it: only with --ttl, with the
 * project's name and the previews it removed, and a stable `removedImages` for every provider.
 */
import { describe, expect, it } from 'vitest';
import { prune } from '../../../src/commands/prune.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import { loadSettings, type FlagValues } from '../../../src/core/settings.js';
import { dockerModule } from '../../../src/providers/docker/module.js';
import type { ImagePruneOptions, Preview, Provider } from '../../../src/providers/types.js';

const DAY = 86_400_000;

function stubProvider(previews: Preview[], withImages: boolean) {
  const calls: Array<{ olderThanMs: number; options: ImagePruneOptions }> = [];
  const destroyed: string[] = [];
  const provider: Provider = {
    id: 'docker',
    find: async () => undefined,
    ensure: async () => {
      throw new Error('not used');
    },
    setDomains: async () => ({ changed: false, domains: [] }),
    deploy: async () => ({ deployed: false, url: '' }),
    destroy: async (ref) => {
      destroyed.push(ref.name);
      return { deleted: true, removed: [`network ${ref.name}`] };
    },
    list: async () => previews,
    sleep: async () => ({ slept: false, stopped: [] }),
    ...(withImages
      ? {
          pruneImages: async (olderThanMs: number, options: ImagePruneOptions) => {
            calls.push({ olderThanMs, options });
            return ['localhost/shop:0123'];
          },
        }
      : {}),
  };
  return { provider, calls, destroyed };
}

function run(provider: Provider, flags: FlagValues) {
  const loaded = loadSettings({ flags: { provider: 'docker', app: 'shop', ...flags }, env: {}, detected: {} }, { ids: ['docker'], pick: () => dockerModule }, { branchOptional: true });
  const logger = new PlainLogger({ redactor: new Redactor(), sink: { write: () => undefined }, debug: false });
  const context = { logger, deadline: new Deadline(10_000), plan: new Plan(false), adopt: false };
  return prune({ settings: loaded.common, provider, context, resolveCommit: async () => 'unused' });
}

const preview = (name: string, branch: string, ageDays: number): Preview => ({
  name,
  id: name,
  url: '',
  domains: [],
  identity: { project: 'shop', branch },
  createdAt: new Date(Date.now() - ageDays * DAY).toISOString(),
});

describe('prune and images', () => {
  it('with --ttl, asks for images older than the TTL of this project, naming the previews it removed', async () => {
    const { provider, calls, destroyed } = stubProvider([preview('shop-main', 'main', 1), preview('shop-old', 'old', 9)], true);
    const result = await run(provider, { ttl: '7d' });
    expect(destroyed).toEqual(['shop-old']);
    expect(calls).toEqual([{ olderThanMs: 7 * DAY, options: { app: 'shop', removedPreviews: ['shop-old'] } }]);
    expect(result.removedImages).toEqual(['localhost/shop:0123']);
  });

  it('without --ttl images are not judged: an image has no branch to be gone', async () => {
    const { provider, calls } = stubProvider([preview('shop-main', 'main', 1), preview('shop-old', 'old', 9)], true);
    const result = await run(provider, { keep: ['main'] });
    expect(calls).toEqual([]);
    expect(result.removedImages).toEqual([]);
  });

  it('a provider without images gives an empty list', async () => {
    const { provider } = stubProvider([preview('shop-old', 'old', 9)], false);
    expect((await run(provider, { ttl: '7d' })).removedImages).toEqual([]);
  });
});
