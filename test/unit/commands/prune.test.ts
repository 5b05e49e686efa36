import { describe, expect, it } from 'vitest';
import { choosePrunes, durationText, previewsOfProject } from '../../../src/commands/prune.js';
import type { Preview } from '../../../src/providers/types.js';

const preview = (name: string, extra: Partial<Preview> = {}): Preview => ({ name, id: `app_${name}`, url: '', domains: [], ...extra });

describe('prune', () => {
  it("never counts another project's previews as this one's, even when the names are the same: only the recorded identity decides", () => {
    const all = [
      preview('shop-main', { identity: { project: 'shop', branch: 'main' } }),
      // Project shop-api, branch main: its name starts with "shop-" too.
      preview('shop-api-main', { identity: { project: 'shop-api', branch: 'main' } }),
      // Project shop-admin + main and project shop + admin-main share this name.
      preview('shop-admin-main', { identity: { project: 'shop-admin', branch: 'main' } }),
      preview('web-main', { identity: { project: 'web', branch: 'main' } }),
      preview('review-shop-main', { identity: { project: 'shop', branch: 'main', prefix: 'review' } }),
      // Nothing recorded: never judged, whatever its name says.
      preview('shop-legacy'),
    ];
    expect(previewsOfProject(all, 'shop').map((p) => p.name)).toEqual(['shop-main']);
    expect(previewsOfProject(all, 'Shop').map((p) => p.name)).toEqual(['shop-main']);
    expect(previewsOfProject(all, 'shop-api').map((p) => p.name)).toEqual(['shop-api-main']);
    expect(previewsOfProject(all, 'shop', 'review').map((p) => p.name)).toEqual(['review-shop-main']);
  });

  it('--keep keeps the previews whose recorded branch is listed, not those whose name merely matches', () => {
    const now = Date.now();
    const all = [
      preview('shop-admin-main', { identity: { project: 'shop', branch: 'admin-main' } }),
      preview('shop-main', { identity: { project: 'shop', branch: 'main' } }),
    ];
    const choice = choosePrunes(all, { keep: ['main'], now });
    expect(choice.keep.map((p) => p.name)).toEqual(['shop-main']);
    expect(choice.remove.map((r) => [r.preview.name, r.why])).toEqual([['shop-admin-main', 'branch is gone']]);
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

  it('--keep takes open pull requests too (#42, !42 or 42), so their previews survive a list of branches', () => {
    const now = Date.now();
    const all = [
      preview('shop-pr-42', { identity: { project: 'shop', pr: 42 } }),
      preview('shop-pr-43', { identity: { project: 'shop', pr: 43, fork: 'someone/shop' } }),
      preview('shop-pr-44', { identity: { project: 'shop', pr: 44 } }),
      preview('shop-main', { identity: { project: 'shop', branch: 'main' } }),
      preview('shop-7', { identity: { project: 'shop', branch: '7' } }),
    ];
    const choice = choosePrunes(all, { keep: ['main', '#42', '!43', '7'], now });
    expect(choice.keep.map((p) => p.name)).toEqual(['shop-pr-42', 'shop-pr-43', 'shop-main', 'shop-7']);
    expect(choice.remove.map((r) => [r.preview.name, r.why])).toEqual([['shop-pr-44', 'pull request #44 is not open']]);
  });
});
