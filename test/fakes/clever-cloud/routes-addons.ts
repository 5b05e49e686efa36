/**
 * `/v2/{owner}/addons/…`: create (`{name, plan: <plan id>, providerId, region, options,
 * linkedApp}`), list, get, rename, delete, env, tags, and the apps an add-on is linked to. The
 * create body has no `tags` field (OpenAPI `provisionAddonByOrgaId`): a `tags` member is ignored
 * like any unknown member, so an add-on is always created untagged, and tags come only through the
 * tag routes. No add-on view carries tags.
 */
import { findAddonProvider } from './catalog.js';
import { readTag, replaceTags } from './routes-applications.js';
import { badRequest, notFound, ok, success, type ApiContext, type ApiResult, type Route } from './router.js';
import { envArray, type AddonRecord } from './state.js';

function requireAddon(ctx: ApiContext): AddonRecord {
  const addon = ctx.store.findAddon(ctx.owner.id, ctx.params.addonId!);
  if (!addon) return notFound('Add-on');
  return addon;
}

function createAddon(ctx: ApiContext): ApiResult {
  if (ctx.badJson) badRequest('The request body is not valid JSON');
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('A JSON object is required');
  const b = body as Record<string, unknown>;
  const fields: Record<string, string> = {};
  if (typeof b.name !== 'string' || b.name.trim() === '') fields.name = 'is required';
  const provider = findAddonProvider(b.providerId);
  if (!provider) fields.providerId = `unknown add-on provider ${JSON.stringify(b.providerId)}`;
  const plan = provider?.plans.find((p) => p.id === b.plan);
  if (provider && !plan) fields.plan = `unknown plan ${JSON.stringify(b.plan)} for ${provider.id} (give the plan id)`;
  if (provider && (typeof b.region !== 'string' || !provider.regions.includes(b.region))) {
    fields.region = `must be one of ${provider.regions.join(', ')}`;
  }
  const options = b.options;
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) fields.options = 'must be an object';
  const version = (options as Record<string, unknown> | undefined)?.version;
  if (version !== undefined && typeof version !== 'string') fields.options = 'version must be a string';
  if (b.linkedApp !== undefined && typeof b.linkedApp !== 'string') fields.linkedApp = 'must be an application id';
  if (Object.keys(fields).length > 0) return badRequest('Invalid add-on', fields);
  // `linkedApp` is in the OpenAPI create body; no public client shows its effect. The fake's
  // reading: the new add-on is linked to that application of the same owner, as a link would.
  let linkedApp;
  if (typeof b.linkedApp === 'string') {
    linkedApp = ctx.store.apps.get(b.linkedApp);
    if (!linkedApp || linkedApp.ownerId !== ctx.owner.id) return notFound('Application');
  }
  const addon = ctx.store.createAddon(ctx.owner.id, {
    name: (b.name as string).trim(),
    providerId: provider!.id,
    planId: plan!.id,
    region: b.region as string,
    version: version as string | undefined,
    ...(linkedApp ? { linkedApp } : {}),
  });
  return ok(ctx.store.addonView(addon));
}

function renameAddon(ctx: ApiContext): ApiResult {
  const addon = requireAddon(ctx);
  const name = (ctx.body as { name?: unknown } | undefined)?.name;
  if (ctx.badJson || typeof name !== 'string' || name.trim() === '') return badRequest('Body must be {"name": "<name>"}', { name: 'is required' });
  addon.name = name.trim();
  return ok(ctx.store.addonView(addon));
}

export const addonRoutes: Route[] = [
  {
    pattern: 'addons',
    methods: {
      GET: (ctx) => ok(ctx.store.addonsOf(ctx.owner.id).filter((a) => ctx.store.listed(a)).map((a) => ctx.store.addonView(a))),
      POST: createAddon,
    },
  },
  {
    pattern: 'addons/:addonId',
    methods: {
      GET: (ctx) => ok(ctx.store.addonView(requireAddon(ctx))),
      PUT: renameAddon,
      DELETE: (ctx) => {
        ctx.store.deleteAddon(requireAddon(ctx));
        return success('The add-on has been deleted');
      },
    },
  },
  { pattern: 'addons/:addonId/env', methods: { GET: (ctx) => ok(envArray(requireAddon(ctx).env)) } },
  {
    pattern: 'addons/:addonId/applications',
    methods: {
      GET: (ctx) => {
        const addon = requireAddon(ctx);
        const apps = [...ctx.store.apps.values()].filter((a) => a.linkedAddons.includes(addon.id));
        return ok(apps.map((a) => ctx.store.appView(a)));
      },
    },
  },
  {
    pattern: 'addons/:addonId/tags',
    methods: {
      GET: (ctx) => ok([...requireAddon(ctx).tags]),
      PUT: (ctx) => {
        const addon = requireAddon(ctx);
        if (ctx.badJson) badRequest('The request body is not valid JSON');
        replaceTags(addon, ctx.body);
        return ok([...addon.tags]);
      },
    },
  },
  {
    pattern: 'addons/:addonId/tags/:tag',
    methods: {
      PUT: (ctx) => {
        const addon = requireAddon(ctx);
        const tag = readTag(ctx.params.tag!);
        if (!addon.tags.includes(tag)) addon.tags.push(tag);
        return ok([...addon.tags]);
      },
      DELETE: (ctx) => {
        const addon = requireAddon(ctx);
        addon.tags = addon.tags.filter((t) => t !== ctx.params.tag);
        return ok([...addon.tags]);
      },
    },
  },
];
