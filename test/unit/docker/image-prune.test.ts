/**
 * Which images `prune --ttl` removes, with the clock injected: the selection rules on their own,
 * then the removal loop over a stand-in engine that answers the way podman and Docker do (the last
 * tag of an image a container uses gives 409; other tags are only untagged).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import type { ContainerSummary, DockerEngine, ImageSummary } from '../../../src/providers/docker/engine.js';
import { chooseImagePrunes, isOurRepository, pruneOldImages } from '../../../src/providers/docker/image-prune.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');
const sha = (c: string) => c.repeat(40).slice(0, 40);
const OURS = { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.app': 'shop' };

function image(id: string, tags: string[] | null, ageDays: number, labels: Record<string, string> | null = OURS): ImageSummary {
  return { Id: `sha256:${id.padEnd(64, '0')}`, RepoTags: tags, Created: Math.floor((NOW - ageDays * DAY) / 1000), Labels: labels };
}

function container(name: string, img: ImageSummary, labels: Record<string, string> | null = null, state = 'exited'): ContainerSummary {
  return { Id: `${name}-id`, Names: [`/${name}`], Image: img.RepoTags?.[0] ?? img.Id, ImageID: img.Id, Created: 0, State: state, Labels: labels };
}

const choose = (images: ImageSummary[], containers: ContainerSummary[] = [], extra: { removedPreviews?: string[]; app?: string; ttl?: number } = {}) =>
  chooseImagePrunes(images, containers, { app: extra.app ?? 'shop', olderThanMs: extra.ttl ?? 7 * DAY, now: NOW, ...(extra.removedPreviews ? { removedPreviews: extra.removedPreviews } : {}) });

describe('image prune: selection', () => {
  it('removes old unused images of ours (every tag, or the id when untagged) and keeps young, used, foreign and other projects’ ones', () => {
    const old = image('a1', [`localhost/shop:${sha('a')}`, 'localhost/shop:shop-feature-x'], 9);
    const oldService = image('a2', [`localhost/shop-sigver:${sha('a')}`], 9);
    const twin = image('a3', null, 30);
    const dockerDangling = image('a4', ['<none>:<none>'], 30);
    const young = image('b1', [`localhost/shop:${sha('b')}`], 2);
    const running = image('c1', [`localhost/shop:${sha('c')}`, 'localhost/shop:shop-main'], 40);
    const stopped = image('c2', [`localhost/shop:${sha('d')}`], 40);
    const foreign = image('f1', ['localhost/shop:handmade'], 90, { maintainer: 'someone' });
    const unlabelled = image('f2', ['localhost/shop:bare'], 90, null);
    const retagged = image('f3', [`localhost/shop:${sha('e')}`, 'registry.example.com/team/shop:stable'], 90);
    const derived = image('f4', ['localhost/shop2:latest'], 90);
    const otherApp = image('f5', [`localhost/shop-api:${sha('a')}`], 90, { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.app': 'shop-api' });
    const choice = choose(
      [old, oldService, twin, dockerDangling, young, running, stopped, foreign, unlabelled, retagged, derived, otherApp],
      [container('shop-main-web', running, { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.name': 'shop-main' }, 'running'), container('debug', stopped)],
    );
    expect(choice.remove.map((v) => v.refs)).toEqual([
      [`localhost/shop:${sha('a')}`, 'localhost/shop:shop-feature-x'],
      [`localhost/shop-sigver:${sha('a')}`],
      [twin.Id],
      [dockerDangling.Id],
    ]);
    expect(Object.fromEntries(choice.keep.map((k) => [k.image.Id.slice(7, 9), k.why]))).toEqual({
      b1: 'not old enough',
      c1: 'used by container shop-main-web',
      c2: 'used by container debug',
      f3: 'also tagged registry.example.com/team/shop:stable',
      f4: 'also tagged localhost/shop2:latest',
    });
  });

  it('counts the containers of previews this prune removes as gone, but only ours', () => {
    const img = image('a1', [`localhost/shop:${sha('a')}`], 9);
    const ourGone = container('shop-old-web', img, { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.name': 'shop-old' });
    expect(choose([img], [ourGone], { removedPreviews: ['shop-old'] }).remove).toHaveLength(1);
    expect(choose([img], [ourGone], { removedPreviews: ['shop-other'] }).remove).toHaveLength(0);
    // A foreign container with the same name label is not removed by prune, so it still counts.
    const lookalike = container('x', img, { 'preview-kit.name': 'shop-old' });
    expect(choose([img], [lookalike], { removedPreviews: ['shop-old'] }).remove).toHaveLength(0);
  });

  it('takes the TTL strictly and compares apps the way names are made', () => {
    const edge = image('a1', [`localhost/shop:${sha('a')}`], 7);
    expect(choose([edge]).remove).toHaveLength(0);
    expect(choose([edge], [], { ttl: 7 * DAY - 1000 }).remove).toHaveLength(1);
    expect(choose([edge], [], { app: 'Shop' }).keep).toHaveLength(1);
    expect(isOurRepository('localhost/shop:x', 'Shop')).toBe(true);
    expect(isOurRepository('localhost/shop-web:x', 'shop')).toBe(true);
    expect(isOurRepository('localhost/shop-web-2:x', 'shop')).toBe(false);
    expect(isOurRepository('docker.io/library/shop:x', 'shop')).toBe(false);
    expect(isOurRepository('localhost:5000/shop:x', 'shop')).toBe(false);
  });

  it('never picks an image that lacks the marker, is young, is used or is tagged elsewhere; picks every other one of ours', () => {
    const tagArb = fc.oneof(
      fc.constantFrom('localhost/shop', 'localhost/shop-web', 'localhost/shopx', 'docker.io/library/shop', 'localhost/other').chain((repo) => fc.integer({ min: 0, max: 0xffffff }).map((t) => `${repo}:${t.toString(16)}`)),
    );
    const imageArb = fc.record({
      id: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0')),
      tags: fc.option(fc.array(tagArb, { maxLength: 3 }), { nil: null }),
      ageDays: fc.integer({ min: 0, max: 30 }),
      marker: fc.boolean(),
      app: fc.constantFrom('shop', 'other'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(imageArb, { selector: (i) => i.id, maxLength: 8 }), fc.array(fc.nat(7), { maxLength: 4 }), fc.integer({ min: 0, max: 20 }), (specs, used, ttlDays) => {
        const images = specs.map((s) => image(s.id, s.tags, s.ageDays, s.marker ? { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.app': s.app } : { 'preview-kit.app': s.app }));
        const containers = used.filter((i) => i < images.length).map((i, n) => container(`c${n}`, images[i]!));
        const usedIds = new Set(containers.map((c) => c.ImageID));
        const choice = choose(images, containers, { ttl: ttlDays * DAY });
        const removed = new Set(choice.remove.map((v) => v.image.Id));
        images.forEach((img, i) => {
          const s = specs[i]!;
          const eligible =
            s.marker && s.app === 'shop' && s.ageDays > ttlDays && !usedIds.has(img.Id) && (s.tags ?? []).every((t) => /^localhost\/shop(-web)?:/.test(t));
          expect(removed.has(img.Id)).toBe(eligible);
        });
      }),
    );
  });
});

/** A stand-in engine with podman's answers to DELETE /images/{ref}. */
function standIn(images: ImageSummary[], containers: ContainerSummary[]) {
  const deletes: string[] = [];
  const engine = {
    listImages: async () => images.filter((i) => i.Labels?.['preview-kit.managed-by'] === 'preview-kit'),
    listContainers: async () => containers,
    removeImage: async (ref: string) => {
      deletes.push(ref);
      const img = images.find((i) => i.Id === ref || i.RepoTags?.includes(ref));
      if (!img) return 'missing' as const;
      const tags = img.RepoTags ?? [];
      const last = tags.length <= 1;
      if (last && containers.some((c) => c.ImageID === img.Id)) return 'in-use' as const;
      if (last) images.splice(images.indexOf(img), 1);
      else img.RepoTags = tags.filter((t) => t !== ref);
      return 'removed' as const;
    },
  };
  return { engine: engine as unknown as DockerEngine, deletes };
}

function logCapture() {
  const lines: string[] = [];
  const logger = new PlainLogger({ redactor: new Redactor(), sink: { write: (t) => void lines.push(...t.split('\n').filter(Boolean)) }, debug: false });
  return { logger, lines };
}

describe('image prune: removal', () => {
  it('in a dry run plans each tag, reports the image and sends no delete', async () => {
    const img = image('a1', [`localhost/shop:${sha('a')}`, 'localhost/shop:shop-x'], 9);
    const { engine, deletes } = standIn([img], []);
    const { logger, lines } = logCapture();
    const plan = new Plan(true);
    const removed = await pruneOldImages({ engine, plan, logger }, 7 * DAY, { app: 'shop', now: NOW });
    expect(removed).toEqual([`localhost/shop:${sha('a')}`]);
    expect(deletes).toEqual([]);
    expect(plan.describe()).toEqual([`delete image localhost/shop:${sha('a')} (9d old)`, 'delete image localhost/shop:shop-x (9d old)']);
    expect(lines.join('\n')).toContain(`would remove image localhost/shop:${sha('a')}: 9d old, no container uses it`);
  });

  it('removes tag by tag; an image a container took meanwhile stays and is not counted; one already gone is not counted', async () => {
    const old = image('a1', [`localhost/shop:${sha('a')}`, 'localhost/shop:shop-x'], 9);
    const raced = image('a2', [`localhost/shop:${sha('b')}`], 9);
    const images = [old, raced];
    const { engine, deletes } = standIn(images, []);
    const engineWithRace = Object.assign(Object.create(engine) as DockerEngine, {
      // Both listed as unused; by the time of the delete a deploy has created a container on `raced`,
      // and `old` is listed twice as if a concurrent prune had removed it first.
      listImages: async () => [...images, { ...old }],
      listContainers: async () => [],
      removeImage: async (ref: string) => {
        if (ref === `localhost/shop:${sha('b')}`) {
          deletes.push(ref);
          return 'in-use' as const;
        }
        return engine.removeImage(ref);
      },
    });
    const { logger, lines } = logCapture();
    const plan = new Plan(false);
    const removed = await pruneOldImages({ engine: engineWithRace, plan, logger }, 7 * DAY, { app: 'shop', now: NOW });
    expect(removed).toEqual([`localhost/shop:${sha('a')}`]);
    expect(deletes).toEqual([`localhost/shop:${sha('a')}`, 'localhost/shop:shop-x', `localhost/shop:${sha('b')}`, `localhost/shop:${sha('a')}`, 'localhost/shop:shop-x']);
    expect(images).toEqual([raced]);
    expect(lines.join('\n')).toContain(`image localhost/shop:${sha('b')} kept: a container started using it meanwhile`);
  });
});
