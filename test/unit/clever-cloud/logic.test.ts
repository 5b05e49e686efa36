/**
 * The pure decisions of the provider, table-driven: which app is the preview, what to create,
 * what to update, which env keys and domains to write, how git failures are read.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import type { CleverApp, CleverInstanceProduct } from '../../../src/providers/clever-cloud/api.js';
import { createBody, pickRuntime, scalabilityChanges } from '../../../src/providers/clever-cloud/app-body.js';
import { appHooks, type AppRecord } from '../../../src/providers/clever-cloud/app-hooks.js';
import { addonMarks, resolvePlan } from '../../../src/providers/clever-cloud/addon-hooks.js';
import { checkRemoteUrl, newestFirst } from '../../../src/providers/clever-cloud/deploy.js';
import { isBuiltInHost, normaliseHost, previewDomains, primaryHost } from '../../../src/providers/clever-cloud/domains.js';
import { envChanges } from '../../../src/providers/clever-cloud/env.js';
import { classifyGitFailure } from '../../../src/providers/clever-cloud/git.js';
import { cleverSchema } from '../../../src/providers/clever-cloud/settings.js';
import { ownershipTags } from '../../../src/providers/clever-cloud/tags.js';
import { byAge, classify } from '../../../src/providers/reconcile.js';
import type { CleverApi } from '../../../src/providers/clever-cloud/api.js';
import { refOf } from './harness.js';

const mine = refOf({ project: 'shop-admin', branch: 'main' });
const aliased = refOf({ project: 'shop', branch: 'admin-main' });

const rec = (id: string, creationDate: number | undefined, tags: string[] = ownershipTags(mine)): AppRecord => ({
  app: { id, name: mine.name, ...(creationDate === undefined ? {} : { creationDate }) },
  tags,
});

describe('which app is the preview', () => {
  const hooks = appHooks({ api: {} as CleverApi, ref: mine, body: () => undefined as never, planned: () => undefined as never });

  it('the two identities alias to one name but never to one key', () => {
    expect(aliased.name).toBe(mine.name);
    expect(aliased.key).not.toBe(mine.key);
  });

  it('is decided by the key tag: ours, another preview\'s (named), or unmarked', () => {
    const found = classify(
      [rec('app_ours', 2), rec('app_theirs', 1, ownershipTags(aliased)), rec('app_hand', 0, []), rec('app_old', 3, ['preview-kit', 'preview-kit:shop-admin:branch:main'])],
      hooks,
      mine.identity,
    );
    expect(found.ours.map((c) => c.id)).toEqual(['app_ours']);
    expect(found.others.map((c) => c.id)).toEqual(['app_theirs', 'app_old']);
    expect(found.others[0]!.ownership).toMatchObject({ kind: 'other', whose: 'the preview of shop, branch admin-main' });
    expect(found.foreign.map((c) => c.id)).toEqual(['app_hand']);
  });

  it('a key tag alone (a run stopped between two tag writes) is still ours, and needs its other tags', () => {
    const keyOnly = rec('app_k', 1, [`preview-kit:key:${mine.key}`]);
    expect(classify([keyOnly], hooks, mine.identity).ours).toHaveLength(1);
    expect(hooks.needsRepair!(keyOnly)).toBe(true);
    expect(hooks.needsRepair!(rec('app_full', 1))).toBe(false);
  });

  it('oldest first, ties by id, unknown dates last', () => {
    const sorted = classify([rec('app_c', 5), rec('app_b', 5), rec('app_a', undefined), rec('app_d', 1)], hooks, mine.identity).ours.sort(byAge).map((c) => c.id);
    expect(sorted).toEqual(['app_d', 'app_b', 'app_c', 'app_a']);
  });
});

describe('which add-on is the preview\'s', () => {
  const addon = { id: 'addon_1', name: `${mine.name}-postgresql-addon` };
  it.each([
    ['untagged and linked to our app: ours, to be tagged', [], true, { marker: true, key: mine.key }],
    ['untagged and not linked: unmarked', [], false, { marker: false }],
    ['with our key only', [`preview-kit:key:${mine.key}`], false, { marker: true, key: mine.key }],
    ["linked to our app but with another preview's key", ownershipTags(aliased), true, { marker: true, key: identityKey(aliased.identity), identity: aliased.identity }],
  ])('%s', (_what, tags, linked, marks) => {
    expect(addonMarks({ addon, tags: tags as string[], linked: linked as boolean }, mine.key)).toEqual(marks);
  });
});

const products: CleverInstanceProduct[] = [
  { type: 'node', version: '20240110', enabled: true, variant: { id: 'v-node', slug: 'node' }, defaultFlavor: { name: 'XS' } },
  { type: 'node', version: '20250915', enabled: true, variant: { id: 'v-node', slug: 'node' }, defaultFlavor: { name: 'XS' } },
  { type: 'node', version: '20260101', enabled: false, variant: { id: 'v-node', slug: 'node' }, defaultFlavor: { name: 'XS' } },
  { type: 'php', version: '9', enabled: true, variant: { id: 'v-static', slug: 'static-apache' }, defaultFlavor: { name: 'nano' } },
];

describe('creating', () => {
  it('picks the newest enabled version of the variant', () => {
    expect(pickRuntime(products, 'node').version).toBe('20250915');
    expect(pickRuntime(products, 'static-apache').type).toBe('php');
    expect(() => pickRuntime(products, 'cobol')).toThrow(ConfigError);
    expect(() => pickRuntime(products, 'cobol')).toThrow(/cobol/);
  });

  it("builds the create body with the runtime's default flavor unless one is given", () => {
    const body = createBody({ name: 'p', description: 'd', settings: cleverSchema.parse({}), runtime: pickRuntime(products, 'node'), env: { A: '1' }, tags: ['preview-kit'] });
    expect(body).toEqual({
      deploy: 'git',
      name: 'p',
      description: 'd',
      zone: 'par',
      instanceType: 'node',
      instanceVersion: '20250915',
      instanceVariant: 'v-node',
      minFlavor: 'XS',
      maxFlavor: 'XS',
      minInstances: 1,
      maxInstances: 1,
      instanceLifetime: 'REGULAR',
      env: { A: '1' },
      tags: ['preview-kit'],
    });
    const sized = createBody({ name: 'p', description: 'd', settings: cleverSchema.parse({ flavor: 'M', instances: 2, buildFlavor: 'XL', zone: 'mtl' }), runtime: pickRuntime(products, 'node'), env: {}, tags: [] });
    expect(sized).toMatchObject({ minFlavor: 'M', maxFlavor: 'M', minInstances: 2, maxInstances: 2, separateBuild: true, buildFlavor: 'XL', zone: 'mtl' });
  });
});

describe('converging the scaler', () => {
  const app: CleverApp = {
    id: 'app_1',
    name: 'p',
    instance: { minFlavor: { name: 'XS' }, maxFlavor: { name: 'XS' }, minInstances: 1, maxInstances: 1 },
    separateBuild: false,
    buildFlavor: { name: 'M' },
  };
  it.each([
    [{}, undefined],
    [{ flavor: 'xs' }, undefined],
    [{ instances: 1 }, undefined],
    [{ flavor: 'S' }, { minFlavor: 'S', maxFlavor: 'S' }],
    [{ instances: 2 }, { minInstances: 2, maxInstances: 2 }],
    [{ buildFlavor: 'M' }, { separateBuild: true, buildFlavor: 'M' }],
    [{ buildFlavor: 'disabled' }, undefined],
  ])('settings %j → update %j', (raw, expected) => {
    expect(scalabilityChanges(app, cleverSchema.parse(raw))).toEqual(expected);
  });
  it('turns a dedicated build instance off only when it is on', () => {
    expect(scalabilityChanges({ ...app, separateBuild: true }, cleverSchema.parse({ buildFlavor: 'disabled' }))).toEqual({ separateBuild: false });
  });
});

describe('env', () => {
  it('writes only missing or different keys, and never removes others', () => {
    const current = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'OTHER', value: 'x' },
    ];
    expect(envChanges(current, { A: '1', B: '3', C: '' })).toEqual(['B', 'C']);
    expect(envChanges(current, { A: '1' })).toEqual([]);
    expect(envChanges([], {})).toEqual([]);
  });
});

describe('domains', () => {
  it.each([
    ['foo.com/', 'foo.com'],
    ['https://Foo.COM/', 'foo.com'],
    ['foo.com/api/', 'foo.com/api'],
    [' app-1.cleverapps.io/ ', 'app-1.cleverapps.io'],
  ])('normalises %s → %s', (raw, host) => {
    expect(normaliseHost(raw)).toBe(host);
  });

  it('the URL host is the first custom domain, else the default one', () => {
    expect(primaryHost(['app-1.cleverapps.io', 'a.example.com', 'b.example.com'])).toBe('a.example.com');
    expect(primaryHost(['app-1.cleverapps.io'])).toBe('app-1.cleverapps.io');
    expect(primaryHost([])).toBeUndefined();
    expect(isBuiltInHost('evilcleverapps.io')).toBe(false);
    expect(previewDomains(['app-1.cleverapps.io', 'a.example.com'], 'a.example.com')).toEqual([
      { host: 'app-1.cleverapps.io', builtIn: true },
      { host: 'a.example.com', favourite: true },
    ]);
  });
});

describe('add-on plans', () => {
  const providers = [{ id: 'postgresql-addon', regions: ['par', 'mtl'], plans: [{ id: 'plan_dev', slug: 'dev' }] }];
  it('resolves provider and plan ids, case-insensitively for the plan', () => {
    expect(resolvePlan(providers, { provider: 'postgresql-addon', plan: 'DEV' }, 'par')).toEqual({ providerId: 'postgresql-addon', planId: 'plan_dev' });
  });
  it.each([
    [{ provider: 'nope', plan: 'dev' }, 'par', /no add-on provider "nope".*/],
    [{ provider: 'postgresql-addon', plan: 'xl' }, 'par', /no plan "xl"/],
    [{ provider: 'postgresql-addon', plan: 'dev' }, 'syd', /not offered in region syd/],
  ])('%j in %s is a configuration error', (request, region, message) => {
    expect(() => resolvePlan(providers, request, region)).toThrow(message);
  });
});

describe('deploy helpers', () => {
  it('orders deployments newest first whatever the API did', () => {
    const list = newestFirst([
      { uuid: 'a', state: 'OK', date: 1 },
      { uuid: 'c', state: 'OK', date: 3 },
      { uuid: 'b', state: 'OK', date: 2 },
    ]);
    expect(list.map((d) => d.uuid)).toEqual(['c', 'b', 'a']);
  });

  it('accepts http(s) remotes only, and strips credentials a URL might carry', () => {
    expect(checkRemoteUrl('https://push.example.com/app_1.git', 'p')).toBe('https://push.example.com/app_1.git');
    expect(checkRemoteUrl('http://127.0.0.1:8080/git/app_1.git', 'p')).toBe('http://127.0.0.1:8080/git/app_1.git');
    expect(checkRemoteUrl('https://u:pw@push.example.com/x.git', 'p')).toBe('https://push.example.com/x.git');
    expect(() => checkRemoteUrl('git+ssh://git@push.example.com/x.git', 'p')).toThrow(/scheme/);
    expect(() => checkRemoteUrl('', 'p')).toThrow(/no git remote/);
  });

  it.each([
    ['fatal: Authentication failed for \'https://x/\'', 'auth'],
    ['fatal: could not read Username for \'https://x\': terminal prompts disabled', 'auth'],
    ['error: RPC failed; HTTP 403 curl 22 The requested URL returned error: 403', 'auth'],
    ['! [remote rejected] master (shallow update not allowed)', 'fatal'],
    ['error: src refspec abc does not match any', 'fatal'],
    ["fatal: repository 'https://x/app.git/' not found", 'retry'],
    ['error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502', 'retry'],
    ['fatal: unable to access: Could not resolve host: x', 'retry'],
  ])('git says %s → %s', (stderr, kind) => {
    expect(classifyGitFailure(stderr)).toBe(kind);
  });
});
