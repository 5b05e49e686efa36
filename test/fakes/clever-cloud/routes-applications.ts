/**
 * `/v2/{owner}/applications/…`: apps, domains (vhosts), tags, env, linked add-ons, instances and
 * deployments, with the verbs, bodies and answers the public clients use.
 */
import { ENV_NAME, validateCreateApp, validateUpdateApp } from './validate.js';
import {
  apiError,
  badRequest,
  ERROR_IDS,
  fail,
  notFound,
  ok,
  success,
  type ApiContext,
  type ApiResult,
  type Route,
} from './router.js';
import { envArray, normaliseVhost, type AppState } from './state.js';
import { flavorView } from './catalog.js';

function requireApp(ctx: ApiContext): AppState {
  const app = ctx.store.apps.get(ctx.params.appId!);
  if (!app || app.ownerId !== ctx.owner.id) return notFound('Application');
  return app;
}

function requireJson(ctx: ApiContext): void {
  if (ctx.badJson) badRequest('The request body is not valid JSON');
}

const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

function readVhost(raw: string): string {
  const slash = raw.indexOf('/');
  const host = slash < 0 ? raw : raw.slice(0, slash);
  if (!HOST.test(host) || host.length > 253) badRequest(`Invalid domain name: ${raw}`);
  return normaliseVhost(raw);
}

function findVhost(app: AppState, raw: string): string | undefined {
  const wanted = normaliseVhost(raw);
  return app.vhosts.find((v) => v.fqdn === wanted || v.fqdn === raw)?.fqdn;
}

function readTag(raw: string): string {
  if (raw.trim() === '') badRequest('A tag must not be empty');
  return raw;
}

function appTags(app: AppState): ApiResult {
  return ok([...app.tags]);
}

async function createApp(ctx: ApiContext): Promise<ApiResult> {
  requireJson(ctx);
  const checked = validateCreateApp(ctx.body);
  if (!checked.ok) return badRequest(checked.message, checked.fields);
  const app = ctx.store.createApp(ctx.owner.id, checked.value);
  await ctx.repos.init(app.id);
  return ok(ctx.store.appView(app));
}

function getApp(ctx: ApiContext): ApiResult {
  const id = ctx.params.appId!;
  let app = ctx.store.apps.get(id);
  // `/self/applications/{id}` also finds apps of the user's organisations (clever-tools relies on it).
  if (app && app.ownerId !== ctx.owner.id && !(ctx.viaSelf && ctx.store.ownerById(app.ownerId))) app = undefined;
  if (!app) return notFound('Application');
  return ok(ctx.store.appView(app));
}

function updateApp(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  requireJson(ctx);
  const checked = validateUpdateApp(ctx.body, app);
  if (!checked.ok) return badRequest(checked.message, checked.fields);
  checked.value(app);
  return ok(ctx.store.appView(app));
}

async function deleteApp(ctx: ApiContext): Promise<ApiResult> {
  const app = requireApp(ctx);
  ctx.store.deleteApp(app);
  await ctx.repos.remove(app.id);
  return success('The application has been deleted');
}

function addVhost(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const vhost = readVhost(ctx.params.fqdn!);
  const holder = ctx.store.vhostHolder(vhost);
  if (holder && holder !== app) {
    return apiError(400, ERROR_IDS.vhostTaken, `The domain ${vhost.replace(/\/$/, '')} is already taken`);
  }
  if (!app.vhosts.some((v) => v.fqdn === vhost)) app.vhosts.push({ fqdn: vhost });
  return success('The domain has been added');
}

function removeVhost(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const vhost = findVhost(app, ctx.params.fqdn!);
  if (!vhost) return notFound('Domain');
  app.vhosts = app.vhosts.filter((v) => v.fqdn !== vhost);
  if (app.favouriteVhost === vhost) app.favouriteVhost = null;
  return success('The domain has been removed');
}

function getFavourite(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  if (!app.favouriteVhost) return fail(404, ERROR_IDS.noFavouriteVhost, 'No favourite vhost defined');
  return ok({ fqdn: app.favouriteVhost });
}

function setFavourite(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  requireJson(ctx);
  const body = ctx.body as { fqdn?: unknown } | undefined;
  if (typeof body?.fqdn !== 'string') return badRequest('Body must be {"fqdn": "<domain>"}', { fqdn: 'is required' });
  const vhost = findVhost(app, body.fqdn);
  if (!vhost) return badRequest(`The domain ${body.fqdn} is not a vhost of this application`);
  app.favouriteVhost = vhost;
  return ok({ fqdn: vhost });
}

function unsetFavourite(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  app.favouriteVhost = null;
  return success('The favourite vhost has been removed');
}

function replaceTags(target: { tags: string[] }, body: unknown): void {
  if (!Array.isArray(body) || body.some((t) => typeof t !== 'string' || t.trim() === '')) {
    badRequest('Body must be a JSON array of tags');
  }
  target.tags = [...new Set(body as string[])];
}

function setEnvVar(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  requireJson(ctx);
  const name = ctx.params.name!;
  if (!ENV_NAME.test(name)) return badRequest(`Invalid environment variable name: ${name}`, { [name]: 'invalid name' });
  const body = ctx.body as { value?: unknown } | undefined;
  if (typeof body?.value !== 'string') return badRequest('Body must be {"value": "<string>"}', { value: 'is required' });
  app.env[name] = body.value;
  return ok(ctx.store.appView(app));
}

function replaceEnv(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  requireJson(ctx);
  const body = ctx.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return badRequest('Body must be a JSON object of NAME: value');
  const env: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!ENV_NAME.test(name)) fields[name] = 'invalid name';
    else if (typeof value !== 'string') fields[name] = 'value must be a string';
    else env[name] = value;
  }
  if (Object.keys(fields).length > 0) return badRequest('Application environment is invalid', fields);
  app.env = env;
  return ok(ctx.store.appView(app));
}

function deleteEnvVar(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  delete app.env[ctx.params.name!];
  return ok(ctx.store.appView(app));
}

function linkAddon(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  // The body is a JSON string, `"addon_xxx"`, not an object.
  if (ctx.badJson || typeof ctx.body !== 'string') return badRequest('Body must be the add-on id as a JSON string');
  const addon = ctx.store.findAddon(ctx.owner.id, ctx.body);
  if (!addon) return notFound('Add-on');
  if (!app.linkedAddons.includes(addon.id)) app.linkedAddons.push(addon.id);
  return success('The add-on has been linked');
}

function unlinkAddon(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const addon = ctx.store.findAddon(ctx.owner.id, ctx.params.addonId!);
  if (!addon || !app.linkedAddons.includes(addon.id)) return notFound('Linked add-on');
  app.linkedAddons = app.linkedAddons.filter((id) => id !== addon.id);
  return success('The add-on has been unlinked');
}

function linkedAddons(ctx: ApiContext, app: AppState) {
  return app.linkedAddons.map((id) => ctx.store.addons.get(id)).filter((a) => a !== undefined);
}

async function redeploy(ctx: ApiContext): Promise<ApiResult> {
  const app = requireApp(ctx);
  const asked = ctx.query.get('commit');
  let commit: string | null;
  if (asked) {
    if (!(await ctx.repos.commitExists(app.id, asked))) return notFound(`Commit ${asked}`);
    commit = asked;
  } else {
    commit = app.commitId ?? (await ctx.repos.head(app.id, app.branch)) ?? null;
  }
  const cause = ctx.query.get('useCache') === 'no' ? 'rebuild without cache' : 'restart';
  const record = ctx.store.startDeployment(app, { commit, cause });
  return success('The application has been deployed', { deploymentId: record.uuid });
}

function listInstances(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const last = ctx.store.runningDeployment(app);
  if (!last) return ok([]);
  const flavor = flavorView(app.instance.minFlavor);
  return ok(
    Array.from({ length: app.instance.minInstances }, (_, i) => ({
      id: `${last.uuid.replace(/^deployment_/, '')}-${i}`,
      appId: app.id,
      ip: `10.2.${i}.${last.id % 250}`,
      appPort: 8080,
      state: 'UP',
      flavor: { name: flavor.name, mem: flavor.mem, cpus: flavor.cpus, price: flavor.price },
      commit: last.commit,
      deployNumber: last.id,
      deployId: last.uuid,
      instanceNumber: i,
      displayName: `${app.name}-${i}`,
      creationDate: last.date,
    })),
  );
}

function stopApp(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  ctx.store.stopApp(app);
  return success('The application has been stopped');
}

function findDeployment(app: AppState, id: string) {
  return app.deployments.find((d) => d.uuid === id || String(d.id) === id);
}

function listDeployments(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const limit = Number.parseInt(ctx.query.get('limit') ?? '', 10);
  const offset = Number.parseInt(ctx.query.get('offset') ?? '', 10);
  const action = ctx.query.get('action');
  let list = [...app.deployments].reverse();
  if (action) list = list.filter((d) => d.action === action);
  if (Number.isFinite(offset) && offset > 0) list = list.slice(offset);
  if (Number.isFinite(limit) && limit >= 0) list = list.slice(0, limit);
  return ok(list.map((d) => ctx.store.deploymentView(d)));
}

function getDeployment(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const d = findDeployment(app, ctx.params.deploymentId!);
  if (!d) return notFound('Deployment');
  return ok(ctx.store.deploymentView(d));
}

function cancelDeployment(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  const d = findDeployment(app, ctx.params.deploymentId!);
  if (!d) return notFound('Deployment');
  ctx.store.cancelDeployment(app, d);
  return success('The deployment has been cancelled');
}

function setBranch(ctx: ApiContext): ApiResult {
  const app = requireApp(ctx);
  requireJson(ctx);
  const branch = (ctx.body as { branch?: unknown } | undefined)?.branch;
  if (typeof branch !== 'string' || branch.trim() === '') return badRequest('Body must be {"branch": "<name>"}', { branch: 'is required' });
  app.branch = branch;
  return success('The branch has been updated');
}

/** `GET /v2/organisations/{id}/deployments`: every app's deployments in one answer. No `/self` variant exists. */
function ownerDeployments(ctx: ApiContext): ApiResult {
  if (ctx.viaSelf) return notFound('Route');
  const limit = Number.parseInt(ctx.query.get('limit') ?? '', 10);
  return ok(ctx.store.ownerDeploymentsView(ctx.owner, Number.isFinite(limit) ? limit : undefined));
}

export const applicationRoutes: Route[] = [
  { pattern: 'deployments', methods: { GET: ownerDeployments } },
  {
    pattern: 'applications',
    methods: {
      GET: (ctx) => ok(ctx.store.appsOf(ctx.owner.id).filter((a) => ctx.store.listed(a)).map((a) => ctx.store.appView(a))),
      POST: createApp,
    },
  },
  { pattern: 'applications/:appId', methods: { GET: getApp, PUT: updateApp, DELETE: deleteApp } },
  { pattern: 'applications/:appId/branch', methods: { PUT: setBranch } },
  { pattern: 'applications/:appId/vhosts', methods: { GET: (ctx) => ok(requireApp(ctx).vhosts.map((v) => ({ fqdn: v.fqdn }))) } },
  { pattern: 'applications/:appId/vhosts/favourite', methods: { GET: getFavourite, PUT: setFavourite, DELETE: unsetFavourite } },
  { pattern: 'applications/:appId/vhosts/:fqdn', methods: { PUT: addVhost, DELETE: removeVhost } },
  {
    pattern: 'applications/:appId/tags',
    methods: {
      GET: (ctx) => appTags(requireApp(ctx)),
      PUT: (ctx) => {
        const app = requireApp(ctx);
        requireJson(ctx);
        replaceTags(app, ctx.body);
        return appTags(app);
      },
    },
  },
  {
    pattern: 'applications/:appId/tags/:tag',
    methods: {
      PUT: (ctx) => {
        const app = requireApp(ctx);
        const tag = readTag(ctx.params.tag!);
        if (!app.tags.includes(tag)) app.tags.push(tag);
        return appTags(app);
      },
      DELETE: (ctx) => {
        const app = requireApp(ctx);
        app.tags = app.tags.filter((t) => t !== ctx.params.tag);
        return appTags(app);
      },
    },
  },
  { pattern: 'applications/:appId/env', methods: { GET: (ctx) => ok(envArray(requireApp(ctx).env)), PUT: replaceEnv } },
  { pattern: 'applications/:appId/env/:name', methods: { PUT: setEnvVar, DELETE: deleteEnvVar } },
  {
    pattern: 'applications/:appId/addons',
    methods: {
      GET: (ctx) => ok(linkedAddons(ctx, requireApp(ctx)).map((a) => ctx.store.addonView(a))),
      POST: linkAddon,
    },
  },
  {
    pattern: 'applications/:appId/addons/env',
    methods: {
      GET: (ctx) =>
        ok(
          linkedAddons(ctx, requireApp(ctx)).map((a) => ({
            addon_id: a.id,
            addon_name: a.name,
            provider_id: a.providerId,
            env: envArray(a.env),
          })),
        ),
    },
  },
  { pattern: 'applications/:appId/addons/:addonId', methods: { DELETE: unlinkAddon } },
  { pattern: 'applications/:appId/instances', methods: { GET: listInstances, POST: redeploy, DELETE: stopApp } },
  { pattern: 'applications/:appId/deployments', methods: { GET: listDeployments } },
  { pattern: 'applications/:appId/deployments/:deploymentId', methods: { GET: getDeployment } },
  { pattern: 'applications/:appId/deployments/:deploymentId/instances', methods: { DELETE: cancelDeployment } },
];

export { replaceTags, readTag };
