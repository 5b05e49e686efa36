import { describe, expect, it } from 'vitest';
import { choosePrunes, durationText, previewsOfProject } from '../../../src/commands/prune.js';
import type { Preview } from '../../../src/providers/types.js';

const preview = (name: string, extra: Partial<Preview> = {}): Preview => ({ name, id: `app_${name}`, url: '', domains: [], ...extra });

describe('prune', () => {
  it("never counts another project's previews as this one's, even when the names share a start", () => {
    const all = [
      preview('shop-main', { app: 'shop', branch: 'main' }),
      // Project shop-api, branch main: its name starts with "shop-" too.
      preview('shop-api-main', { app: 'shop-api', branch: 'main' }),
      preview('web-main', { app: 'web', branch: 'main' }),
      // A provider that records no project: the name decides.
      preview('shop-legacy'),
    ];
    expect(previewsOfProject(all, 'shop').map((p) => p.name)).toEqual(['shop-main', 'shop-legacy']);
    expect(previewsOfProject(all, 'shop-api').map((p) => p.name)).toEqual(['shop-api-main']);
    expect(previewsOfProject(all, 'Shop', 'review')).toEqual([]);
  });

  it.each([
    [90 * 60_000, '1h30m'],
    [30 * 60_000, '30m'],
    [7 * 86_400_000, '7d'],
    [0, '0s'],
  ])('names a TTL of %i ms as %s', (ms, text) => expect(durationText(ms)).toBe(text));

  it('says how old is too old the way --ttl was written', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    const choice = choosePrunes([preview('shop-a', { createdAt: '2026-01-01T22:00:00Z' })], { ttlMs: 30 * 60_000, now });
    expect(choice.remove.map((r) => r.why)).toEqual(['older than 30m']);
  });
});
