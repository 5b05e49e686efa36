import { describe, expect, it } from 'vitest';
import { activityOf, capDecision } from '../../../src/commands/fleet-cap.js';
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
    expect(choice.remove.map((r) => r.why)).toEqual(['not deployed for more than 30m']);
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

  it('--ttl measures the time without a deployment, not the age: a PR pushed to an hour ago stays', () => {
    const now = Date.parse('2026-06-10T12:00:00Z');
    const all = [
      preview('shop-pr-1', { identity: { project: 'shop', pr: 1 }, createdAt: '2026-06-01T00:00:00Z', lastDeployedAt: '2026-06-10T11:00:00Z' }),
      preview('shop-pr-2', { identity: { project: 'shop', pr: 2 }, createdAt: '2026-06-01T00:00:00Z', lastDeployedAt: '2026-06-05T00:00:00Z' }),
      // Never deployed: its creation counts as its last activity.
      preview('shop-pr-3', { identity: { project: 'shop', pr: 3 }, createdAt: '2026-06-09T00:00:00Z' }),
      // The platform tells no time at all: never judged by age.
      preview('shop-pr-4', { identity: { project: 'shop', pr: 4 } }),
    ];
    const byActivity = choosePrunes(all, { ttlMs: 3 * 86_400_000, now });
    expect(byActivity.remove.map((r) => [r.preview.name, r.why])).toEqual([['shop-pr-2', 'not deployed for more than 3d']]);
    const byCreation = choosePrunes(all, { ttlMs: 3 * 86_400_000, ttlFrom: 'created', now });
    expect(byCreation.remove.map((r) => [r.preview.name, r.why])).toEqual([
      ['shop-pr-1', 'created more than 3d ago'],
      ['shop-pr-2', 'created more than 3d ago'],
    ]);
  });

  it('--sleep-after puts idle awake previews to sleep instead of removing them; --ttl still removes the oldest', () => {
    const now = Date.parse('2026-06-10T12:00:00Z');
    const day = 86_400_000;
    const at = (days: number) => new Date(now - days * day).toISOString();
    const all = [
      preview('a', { identity: { project: 'shop', branch: 'a' }, lastDeployedAt: at(0.1), state: 'running' }),
      preview('b', { identity: { project: 'shop', branch: 'b' }, lastDeployedAt: at(2), state: 'running' }),
      preview('c', { identity: { project: 'shop', branch: 'c' }, lastDeployedAt: at(2), state: 'sleeping' }),
      preview('d', { identity: { project: 'shop', branch: 'd' }, lastDeployedAt: at(9), state: 'running' }),
    ];
    const choice = choosePrunes(all, { sleepAfterMs: day, ttlMs: 7 * day, now });
    expect(choice.sleep.map((r) => [r.preview.name, r.why])).toEqual([['b', 'not deployed for more than 1d']]);
    expect(choice.remove.map((r) => r.preview.name)).toEqual(['d']);
    expect(choice.keep.map((p) => p.name)).toEqual(['a', 'c']);
  });

  it('--max removes the least recently deployed beyond the cap, whatever their creation', () => {
    const now = Date.parse('2026-06-10T12:00:00Z');
    const all = [
      preview('old-but-busy', { identity: { project: 'shop', branch: 'x' }, createdAt: '2026-01-01T00:00:00Z', lastDeployedAt: '2026-06-10T11:00:00Z' }),
      preview('new-but-idle', { identity: { project: 'shop', branch: 'y' }, createdAt: '2026-06-01T00:00:00Z', lastDeployedAt: '2026-06-02T00:00:00Z' }),
    ];
    expect(choosePrunes(all, { max: 1, now }).remove.map((r) => r.preview.name)).toEqual(['new-but-idle']);
  });
});

describe('fleet cap', () => {
  const now = Date.parse('2026-06-10T12:00:00Z');
  const others = [
    preview('a', { identity: { project: 'shop', branch: 'a' }, lastDeployedAt: '2026-06-10T10:00:00Z', state: 'running' }),
    preview('b', { identity: { project: 'shop', branch: 'b' }, lastDeployedAt: '2026-06-09T10:00:00Z', state: 'running' }),
    preview('c', { identity: { project: 'shop', branch: 'c' }, lastDeployedAt: '2026-06-01T10:00:00Z', state: 'sleeping' }),
    // Just created by a racing run, not deployed yet: the newest, never the one to go.
    preview('d', { identity: { project: 'shop', branch: 'd' }, createdAt: '2026-06-10T11:59:00Z', state: 'deploying' }),
  ];

  it('delete and refuse count every preview and pick the least recently deployed', () => {
    expect(capDecision(others, 4, 'delete', now)).toMatchObject({ counted: 4, evict: { name: 'c' } });
    expect(capDecision(others, 5, 'delete', now)).toEqual({ counted: 4 });
    expect(capDecision(others, 4, 'refuse', now).evict?.name).toBe('c');
  });

  it('sleep counts only awake previews, so a sleeping one is never put to sleep again', () => {
    expect(capDecision(others, 3, 'sleep', now)).toMatchObject({ counted: 3, evict: { name: 'b' } });
    expect(capDecision(others, 4, 'sleep', now)).toEqual({ counted: 3 });
  });

  it('a preview never deployed counts as the newest', () => {
    expect(activityOf(preview('x', { identity: { project: 'shop', branch: 'x' } }), now)).toBe(now);
  });
});
