/**
 * The reconcile algorithm on its own, against an in-memory platform whose names are not unique
 * and whose listing can lag behind creates (the hardest case: Clever Cloud apps and add-ons).
 */
import { describe, expect, it } from 'vitest';
import { ProviderError, SafetyError } from '../../../src/core/errors.js';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import type { Logger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Deadline } from '../../../src/core/retry.js';
import { classify, ensureResource, ownershipOf, teardownTargets, type ReconcileContext, type ResourceHooks } from '../../../src/providers/reconcile.js';

interface Item {
  id: string;
  name: string;
  createdAt: number;
  tags: string[];
}

const quiet = (): Logger & { warnings: string[] } => {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    warn: (m: string) => void warnings.push(m),
    error: () => undefined,
    debug: () => undefined,
    progress: () => undefined,
    addSecret: () => undefined,
    group: <T>(_t: string, fn: () => Promise<T>) => fn(),
  } as unknown as Logger & { warnings: string[] };
};

/** A platform with non-unique names, a listing that shows an item `lagMs` after its creation, and faults. */
class Platform {
  items: Item[] = [];
  private next = 0;
  creates = 0;
  constructor(
    readonly lagMs = 0,
    /** Share of creates answered 503: half of them applied all the same. */
    readonly faultRate = 0,
    private readonly random = mulberry(7),
  ) {}
  now = () => Date.now();
  list(name: string): Item[] {
    const t = this.now();
    return this.items.filter((i) => i.name === name && t - i.createdAt >= this.lagMs).map((i) => ({ ...i, tags: [...i.tags] }));
  }
  async create(name: string, tags: string[]): Promise<Item> {
    await new Promise((r) => setTimeout(r, 1 + Math.floor(this.random() * 5)));
    this.creates++;
    const fault = this.random() < this.faultRate;
    const applied = !fault || this.random() < 0.5;
    let item: Item | undefined;
    if (applied) {
      item = { id: `it_${String(this.next++).padStart(4, '0')}`, name, createdAt: this.now(), tags };
      this.items.push(item);
    }
    if (fault) throw new ProviderError('503 Service Unavailable', { status: 503, retryable: true });
    return { ...item!, tags: [...item!.tags] };
  }
  remove(id: string) {
    this.items = this.items.filter((i) => i.id !== id);
  }
}

function mulberry(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hooksFor(platform: Platform, identity: PreviewIdentity, name = 'shop-main'): ResourceHooks<Item> {
  const key = identityKey(identity);
  return {
    noun: 'application',
    name,
    list: async () => platform.list(name),
    id: (i) => i.id,
    createdAt: (i) => i.createdAt,
    marks: (i) => {
      const keyTag = i.tags.find((t) => t.startsWith('key:'));
      const idTag = i.tags.find((t) => t.startsWith('id:'));
      return { marker: i.tags.includes('preview-kit'), ...(keyTag ? { key: keyTag.slice(4) } : {}), ...(idTag ? { identity: JSON.parse(idTag.slice(3)) as PreviewIdentity } : {}) };
    },
    create: () => platform.create(name, ['preview-kit', `key:${key}`, `id:${JSON.stringify(identity)}`]),
    planned: () => ({ id: '(new)', name, createdAt: 0, tags: [] }),
    remove: async (i) => platform.remove(i.id),
    mark: async (i) => {
      const found = platform.items.find((x) => x.id === i.id)!;
      found.tags = [...new Set([...found.tags, 'preview-kit', `key:${key}`])];
      return { ...found };
    },
    provablyOurs: (i) => i.tags.includes(`key:${key}`),
  };
}

function ctxFor(identity: PreviewIdentity, extra: Partial<ReconcileContext> = {}): ReconcileContext & { logger: ReturnType<typeof quiet> } {
  return {
    plan: new Plan(false),
    logger: quiet(),
    deadline: new Deadline(30_000),
    adopt: false,
    identity,
    preview: 'shop-main',
    timing: { retryInitialMs: 5, settleInitialMs: 20, settleMaxMs: 100, settleWindowMs: 5_000 },
    ...extra,
  } as ReconcileContext & { logger: ReturnType<typeof quiet> };
}

const main: PreviewIdentity = { project: 'shop', branch: 'main' };
const adminMain: PreviewIdentity = { project: 'shop-admin', branch: 'main' };

describe('ownership', () => {
  it('marker and our key: ours; marker and another key: another preview, named; no marker: foreign', () => {
    const key = identityKey(main);
    expect(ownershipOf({ marker: true, key }, key)).toEqual({ kind: 'ours' });
    expect(ownershipOf({ marker: true, identity: main }, key)).toEqual({ kind: 'ours' });
    const other = ownershipOf({ marker: true, key: identityKey(adminMain), identity: adminMain }, key);
    expect(other).toMatchObject({ kind: 'other', whose: 'the preview of shop-admin, branch main' });
    expect(ownershipOf({ marker: false, key }, key)).toEqual({ kind: 'foreign' });
  });
});

describe('ensureResource', () => {
  it('creates once, then finds it without writing', async () => {
    const platform = new Platform();
    const first = await ensureResource(hooksFor(platform, main), ctxFor(main));
    expect(first).toMatchObject({ created: true, how: 'created' });
    const plan = new Plan(false);
    const again = await ensureResource(hooksFor(platform, main), ctxFor(main, { plan }));
    expect(again).toMatchObject({ created: false, changed: false, how: 'found', id: first.id });
    expect(plan.steps).toEqual([]);
  });

  it("refuses another preview's resource of the same name with exit 6, naming it and --prefix, and writes nothing", async () => {
    const platform = new Platform();
    await ensureResource(hooksFor(platform, adminMain), ctxFor(adminMain));
    const error = await ensureResource(hooksFor(platform, main), ctxFor(main, { adopt: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetyError);
    expect((error as SafetyError).message).toMatch(/belongs to the preview of shop-admin, branch main/);
    expect((error as SafetyError).hint).toMatch(/--prefix/);
    expect(platform.items).toHaveLength(1);
  });

  it('refuses an unmarked one unless --adopt, which marks it', async () => {
    const platform = new Platform();
    platform.items.push({ id: 'x1', name: 'shop-main', createdAt: 1, tags: [] });
    await expect(ensureResource(hooksFor(platform, main), ctxFor(main))).rejects.toBeInstanceOf(SafetyError);
    const adopted = await ensureResource(hooksFor(platform, main), ctxFor(main, { adopt: true }));
    expect(adopted.how).toBe('adopted');
    expect(platform.items[0]!.tags).toContain(`key:${identityKey(main)}`);
  });

  it('repairs one of ours that lost its marker instead of refusing it', async () => {
    const platform = new Platform();
    platform.items.push({ id: 'x1', name: 'shop-main', createdAt: 1, tags: [`key:${identityKey(main)}`] });
    const repaired = await ensureResource(hooksFor(platform, main), ctxFor(main));
    expect(repaired.how).toBe('repaired');
    expect(platform.items[0]!.tags).toContain('preview-kit');
  });

  it('a dry run plans the create and writes nothing', async () => {
    const platform = new Platform();
    const plan = new Plan(true);
    const out = await ensureResource(hooksFor(platform, main), ctxFor(main, { plan }));
    expect(out).toMatchObject({ created: true, planned: true });
    expect(platform.items).toEqual([]);
    expect(plan.describe()).toEqual(['create application shop-main']);
  });

  it.each([
    ['an up-to-date listing', 0],
    ['a listing that lags 300 ms behind creates', 300],
  ])('ten concurrent runs with %s end with one resource, all reporting its id', async (_what, lag) => {
    const platform = new Platform(lag);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => ensureResource(hooksFor(platform, main), ctxFor(main))));
    expect(platform.items).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.id))).toEqual(new Set([platform.items[0]!.id]));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
  });

  it('20 % of creates answered 503 (half of them applied): concurrent runs converge on one', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const platform = new Platform(0, 0.2, mulberry(seed));
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => ensureResource(hooksFor(platform, main), ctxFor(main))));
      expect(platform.items, `seed ${seed}`).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.id))).toEqual(new Set([platform.items[0]!.id]));
    }
  });

  it('removes a duplicate of ours that an interrupted run left behind, once it is older than the settle window', async () => {
    const platform = new Platform();
    const key = identityKey(main);
    const old = Date.now() - 60_000;
    platform.items.push({ id: 'a', name: 'shop-main', createdAt: old, tags: ['preview-kit', `key:${key}`] });
    platform.items.push({ id: 'b', name: 'shop-main', createdAt: old + 1, tags: ['preview-kit', `key:${key}`] });
    const out = await ensureResource(hooksFor(platform, main), ctxFor(main));
    expect(out).toMatchObject({ id: 'a', changed: true });
    expect(platform.items.map((i) => i.id)).toEqual(['a']);
  });
});

describe('teardownTargets', () => {
  it("keeps another preview's and unmarked resources, with a warning each", () => {
    const platform = new Platform();
    const key = identityKey(main);
    platform.items.push({ id: 'mine', name: 'shop-main', createdAt: 1, tags: ['preview-kit', `key:${key}`] });
    platform.items.push({ id: 'theirs', name: 'shop-main', createdAt: 2, tags: ['preview-kit', `key:${identityKey(adminMain)}`, `id:${JSON.stringify(adminMain)}`] });
    platform.items.push({ id: 'nobody', name: 'shop-main', createdAt: 3, tags: [] });
    const hooks = hooksFor(platform, main);
    const ctx = ctxFor(main);
    const targets = teardownTargets(classify(platform.list('shop-main'), hooks, main), hooks, ctx);
    expect(targets.map((t) => t.id)).toEqual(['mine']);
    expect(ctx.logger.warnings.join('\n')).toMatch(/theirs.*belongs to the preview of shop-admin, branch main: left alone/);
    expect(ctx.logger.warnings.join('\n')).toMatch(/nobody.*lacks preview-kit's marker/);
  });
});
