export const id = 655;
export const ids = [655];
export const modules = {

/***/ 6163:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.addonName = addonName;
exports.isKind = isKind;
exports.resolvePlan = resolvePlan;
exports.withAddonTags = withAddonTags;
exports.namedAddons = namedAddons;
exports.addonMarks = addonMarks;
exports.tagAddon = tagAddon;
exports.addonHooks = addonHooks;
/**
 * A preview's add-on (`<preview-name>-<provider>`) as the reconcile algorithm sees it. Add-on
 * names are not unique and the create body takes no tags, so a new add-on exists untagged for a
 * moment: it is created already linked to the preview's app (`linkedApp`), then tagged key first,
 * readable identity next, marker last. Whatever interrupts that sequence, the add-on stays provably
 * this preview's: by its key tag, or — before even that tag landed — by carrying the preview's
 * exact add-on name while being linked to the preview's app.
 */
const errors_js_1 = __webpack_require__(4296);
const app_hooks_js_1 = __webpack_require__(3514);
const tags_js_1 = __webpack_require__(1107);
function addonName(previewName, provider) {
    return `${previewName}-${provider}`;
}
function isKind(addon, provider) {
    return addon.provider?.id === undefined || addon.provider.id === provider;
}
/** Provider and plan ids for a `provider:plan` request, checked against the catalogue. */
function resolvePlan(providers, request, region) {
    const spec = `${request.provider}:${request.plan}`;
    const provider = providers.find((p) => p.id === request.provider);
    if (!provider) {
        throw new errors_js_1.ConfigError(`invalid settings: --addon ${spec}: no add-on provider "${request.provider}"`, {
            hint: `available: ${providers.map((p) => p.id).sort().join(', ')}`,
        });
    }
    const plans = provider.plans ?? [];
    const plan = plans.find((p) => p.slug.toLowerCase() === request.plan.toLowerCase());
    if (!plan) {
        throw new errors_js_1.ConfigError(`invalid settings: --addon ${spec}: ${request.provider} has no plan "${request.plan}"`, {
            hint: `available: ${plans.map((p) => p.slug).join(', ')}`,
        });
    }
    if (provider.regions && !provider.regions.includes(region)) {
        throw new errors_js_1.ConfigError(`invalid settings: --addon ${spec}: ${request.provider} is not offered in region ${region}`, {
            hint: `set --addon-region to one of ${provider.regions.join(', ')}`,
        });
    }
    return { providerId: provider.id, planId: plan.id };
}
/** Each add-on with its tags (read from their own route: no add-on view has them); gone ones dropped. */
async function withAddonTags(api, addons, linkedIds) {
    const items = await (0, app_hooks_js_1.mapLimit)(addons, 8, async (addon) => {
        try {
            return { addon, tags: await api.addonTags(addon.id), linked: linkedIds.has(addon.id) };
        }
        catch (error) {
            if ((0, app_hooks_js_1.isGone)(error))
                return undefined;
            throw error;
        }
    });
    return items.filter((i) => i !== undefined);
}
/**
 * Every add-on named `name` of that provider, whoever made it: the owner's listing, plus the app's
 * linked add-ons (a new add-on may be linked before the owner's listing shows it).
 */
async function namedAddons(api, name, provider, appId) {
    const [all, linked] = await Promise.all([api.listAddons(), appId ? api.linkedAddons(appId) : Promise.resolve([])]);
    const byId = new Map();
    for (const addon of [...all, ...linked])
        if (addon.name === name && isKind(addon, provider))
            byId.set(addon.id, addon);
    return withAddonTags(api, [...byId.values()], new Set(linked.map((a) => a.id)));
}
/**
 * The marks of an add-on. One that carries no tag of ours but has our exact name (the listing
 * gives only such) and is linked to our app is ours with its tags missing: what a create looks
 * like until its first tag lands, whether that run goes on, was interrupted or lost its answer. It
 * is read as ours, to be completed (`needsRepair`), rather than as merely "provably ours", so
 * that a concurrent run settling a race counts it too.
 */
function addonMarks(item, key) {
    if (item.linked && (0, tags_js_1.untouched)(item.tags))
        return { marker: true, key };
    return (0, tags_js_1.marksOf)(item.tags);
}
/** Writes the tags `ref` lacks on an add-on, in order (key first); returns the item with them. */
async function tagAddon(api, item, ref) {
    let tags = item.tags;
    for (const tag of (0, tags_js_1.missingTags)(tags, ref)) {
        const answered = await api.addAddonTag(item.addon.id, tag);
        tags = answered && answered.includes(tag) ? answered : [...tags, tag];
    }
    return { ...item, tags };
}
function addonHooks(input) {
    const { api, ref } = input;
    const name = addonName(ref.name, input.provider);
    return {
        noun: 'add-on',
        name,
        list: () => namedAddons(api, name, input.provider, input.appId),
        id: (i) => i.addon.id,
        createdAt: (i) => (0, app_hooks_js_1.createdAtOf)(i.addon),
        marks: (i) => addonMarks(i, ref.key),
        create: async () => {
            const body = input.body();
            const addon = await api.createAddon(body);
            // Key first: from its first write on, the add-on names its preview by itself.
            const tagged = await tagAddon(api, { addon, tags: [], linked: false }, ref);
            // Whether `linkedApp` took is read back by the settle's listing; until then, unknown.
            return { ...tagged, linked: false };
        },
        planned: input.planned,
        remove: async (i) => {
            await api.deleteAddon(i.addon.id);
        },
        mark: (i) => tagAddon(api, i, ref),
        needsRepair: (i) => (0, tags_js_1.missingTags)(i.tags, ref).length > 0,
        uniqueNames: false,
        ...(input.createDetail ? { createDetail: input.createDetail } : {}),
    };
}


/***/ }),

/***/ 6633:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ensureAddons = ensureAddons;
exports.teardownAddons = teardownAddons;
/**
 * The add-ons of a preview (a database per branch, typically): found, repaired, adopted or
 * created through the reconcile algorithm, linked to the preview's app, re-used on every later
 * run; and, on `stop`, the ones that are this preview's, removed before its app.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const reconcile_js_1 = __webpack_require__(2698);
const addon_hooks_js_1 = __webpack_require__(6163);
const app_hooks_js_1 = __webpack_require__(3514);
const tags_js_1 = __webpack_require__(1107);
/** Finds or makes each requested add-on and links it; a re-run with nothing to do only reads. */
async function ensureAddons(input) {
    const { api, reconcile: ctx, spec, appId } = input;
    if (input.requests.length === 0)
        return { changed: false, addons: [] };
    // One read of the app's links answers a re-run: our add-ons are linked to our app.
    const linked = appId && !input.fresh ? await api.linkedAddons(appId) : [];
    const linkedIds = new Set(linked.map((a) => a.id));
    let changed = false;
    const addons = [];
    for (const request of input.requests) {
        const name = (0, addon_hooks_js_1.addonName)(spec.name, request.provider);
        let body;
        const base = {
            api,
            ref: spec,
            appId,
            provider: request.provider,
            body: () => body,
            planned: () => ({ addon: { id: `(new add-on ${name})`, name, provider: { id: request.provider }, plan: { id: '', slug: request.plan } }, tags: [], linked: true }),
        };
        let hooks = (0, addon_hooks_js_1.addonHooks)(base);
        const seen = (0, reconcile_js_1.classify)(await (0, addon_hooks_js_1.withAddonTags)(api, linked.filter((a) => a.name === name && (0, addon_hooks_js_1.isKind)(a, request.provider)), linkedIds), hooks, spec.identity);
        const found = seen.ours.length > 0 ? seen : await (0, reconcile_js_1.lookup)(hooks, ctx);
        const refused = (0, reconcile_js_1.refusal)(found, hooks, ctx);
        if (refused)
            throw refused;
        if (found.ours.length + found.repairable.length + found.foreign.length === 0) {
            const { providerId, planId } = (0, addon_hooks_js_1.resolvePlan)(await api.addonProviders(), request, input.region);
            // Linked in the create request itself: the link is the add-on's proof of ownership until
            // its key tag lands, one request later.
            body = { name, plan: planId, providerId, region: input.region, options: {}, ...(appId ? { linkedApp: appId } : {}) };
            hooks = (0, addon_hooks_js_1.addonHooks)({ ...base, createDetail: `${request.provider} ${request.plan} in ${input.region}` });
        }
        const outcome = await (0, reconcile_js_1.ensureResource)(hooks, ctx, found);
        changed ||= outcome.changed;
        let item = outcome.item;
        // A create joined after a lost answer, or a race's winner made by another run, may still lack tags.
        if (!outcome.planned && hooks.needsRepair(item)) {
            item = await ctx.plan.apply({ kind: 'update', target: `add-on ${name}`, detail: 'complete its preview-kit tags' }, () => hooks.mark(item), item);
            changed = true;
        }
        if (appId && !outcome.planned && !item.linked)
            changed = (await ensureLinked(api, ctx, appId, spec.name, item.addon)) || changed;
        if (item.addon.plan?.slug && item.addon.plan.slug.toLowerCase() !== request.plan.toLowerCase()) {
            ctx.logger.warn(`add-on ${name} has plan ${item.addon.plan.slug}, not ${request.plan}: plans are not changed (stop the preview to recreate it)`);
        }
        addons.push(item.addon);
    }
    return { changed, addons };
}
/**
 * Links the add-on unless it is linked already. A link answered with an error may have been made
 * all the same (and what the API says to a second link is not known), so the links are read
 * again before anything is sent twice.
 */
async function ensureLinked(api, ctx, appId, appName, addon) {
    const isLinked = async () => (await api.linkedAddons(appId)).some((a) => a.id === addon.id);
    if (await isLinked())
        return false;
    await ctx.plan.apply({ kind: 'update', target: `application ${appName}`, detail: `link add-on ${addon.name}` }, async () => {
        for (let attempt = 1;; attempt++) {
            try {
                return await api.linkAddon(appId, addon.id);
            }
            catch (error) {
                if (error instanceof errors_js_1.AuthError)
                    throw error;
                if (await isLinked())
                    return;
                if (!(0, errors_js_1.isRetryable)(error) || attempt >= 3)
                    throw error;
                await ctx.deadline.clock.sleep((0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: 300, maxMs: 2_000 }));
            }
        }
    }, undefined);
    return true;
}
/**
 * The add-ons named after the preview, from the fleet's summary: enough on their own when each
 * carries tags of ours or another preview's; undefined when one carries none, since only the
 * app's links can tell whether such a one is this preview's.
 */
function addonsFromSummary(listed, previewName) {
    const named = listed.filter((a) => a.providerId !== undefined && a.name === (0, addon_hooks_js_1.addonName)(previewName, a.providerId));
    const items = named.map((a) => ({ addon: { id: a.id, name: a.name, ...(a.realId ? { realId: a.realId } : {}), provider: { id: a.providerId } }, tags: a.customerTags ?? [], linked: false }));
    return items.some((i) => (0, tags_js_1.untouched)(i.tags)) ? undefined : items;
}
/** Every add-on named after the preview, with its tags and whether it is linked to one of `appIds`. */
async function addonsToJudge(api, ref, appIds) {
    const linkedLists = await Promise.all(appIds.map((id) => api.linkedAddons(id).catch((error) => {
        if ((0, app_hooks_js_1.isGone)(error))
            return [];
        throw error;
    })));
    const linked = linkedLists.flat();
    const byId = new Map();
    for (const addon of [...(await api.listAddons()), ...linked]) {
        if (addon.provider?.id && addon.name === (0, addon_hooks_js_1.addonName)(ref.name, addon.provider.id))
            byId.set(addon.id, addon);
    }
    if (byId.size === 0)
        return [];
    return (0, addon_hooks_js_1.withAddonTags)(api, [...byId.values()], new Set(linked.map((a) => a.id)));
}
/**
 * Removes the add-ons of this preview — named after it and carrying its key, or untagged and
 * linked to its app — and leaves another preview's and unmarked ones alone, with a warning.
 * Deleting an app is not known to delete its add-ons, so they go first, while the app still
 * proves the untagged ones ours.
 */
async function teardownAddons(input) {
    const { api, reconcile: ctx, ref } = input;
    const items = (input.listed && addonsFromSummary(input.listed, ref.name)) ?? (await addonsToJudge(api, ref, input.appIds));
    const removed = [];
    const ids = [];
    for (const provider of [...new Set(items.map((i) => i.addon.provider.id))].sort()) {
        const hooks = (0, addon_hooks_js_1.addonHooks)({ api, ref, appId: undefined, provider, body: () => undefined, planned: () => undefined });
        const found = (0, reconcile_js_1.classify)(items.filter((i) => i.addon.provider.id === provider), hooks, ref.identity);
        for (const target of (0, reconcile_js_1.teardownTargets)(found, hooks, ctx)) {
            await ctx.plan.apply({ kind: 'delete', target: `add-on ${hooks.name}`, detail: target.id }, () => api.deleteAddon(target.id), true);
            removed.push(`addon ${hooks.name} (${target.id})`);
            ids.push(target.id);
        }
    }
    return { removed, ids };
}


/***/ }),

/***/ 6740:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CleverApi = void 0;
/**
 * Typed calls to the Clever Cloud API v2 over our HttpClient, on the paths clever-client.js uses.
 * The owner part of every path is `/self` or `/organisations/{id}`; an organisation given by name
 * is resolved once through `/v2/summary`, as clever-tools does.
 */
const errors_js_1 = __webpack_require__(4296);
const e = encodeURIComponent;
/** Calls `load` once and keeps its answer; a failure is forgotten, so the next call tries again. */
function memo(load) {
    let pending;
    return () => {
        pending ??= load().catch((error) => {
            pending = undefined;
            throw error;
        });
        return pending;
    };
}
/** Ids that name an owner directly; anything else given as `--org` is an organisation name. */
const OWNER_ID = /^(orga|user)_[0-9A-Za-z-]+$/;
class CleverApi {
    http;
    org;
    /** The summary read to resolve an organisation name, handed to the first `summary()` call. */
    resolvedSummary;
    constructor(http, org) {
        this.http = http;
        this.org = org;
    }
    /** `/v2/self` or `/v2/organisations/{id}`, resolving an organisation name once. */
    owner = memo(() => this.resolveOwner());
    async resolveOwner() {
        const org = this.org;
        if (org === undefined)
            return { path: '/v2/self' };
        if (OWNER_ID.test(org))
            return { path: `/v2/organisations/${e(org)}`, id: org };
        const summary = await this.http.json({ method: 'GET', path: '/v2/summary', what: `resolve organisation "${org}"` });
        this.resolvedSummary = summary;
        const orgs = summary?.organisations ?? [];
        let matches = orgs.filter((o) => o.name === org);
        if (matches.length === 0)
            matches = orgs.filter((o) => o.name.toLowerCase() === org.toLowerCase());
        if (matches.length === 0) {
            throw new errors_js_1.ConfigError(`invalid settings: organisation "${org}" is not one of this token's organisations`, {
                hint: `known: ${orgs.map((o) => `${o.name} (${o.id})`).join(', ') || 'none'}; or give its orga_… id`,
            });
        }
        if (matches.length > 1) {
            throw new errors_js_1.ConfigError(`invalid settings: organisation name "${org}" is ambiguous`, {
                hint: `give one of the ids: ${matches.map((o) => o.id).join(', ')}`,
            });
        }
        return { path: `/v2/organisations/${e(matches[0].id)}`, id: matches[0].id };
    }
    /**
     * `GET /v2/summary`: every owner of the token with all its applications and add-ons, their tags
     * (`customerTags`), state and commit, in one call. The one read for an organisation name is
     * used once more rather than asked again.
     */
    async summary() {
        const resolved = this.resolvedSummary;
        this.resolvedSummary = undefined;
        return resolved ?? (await this.http.json({ method: 'GET', path: '/v2/summary', what: 'list applications with their tags' })) ?? {};
    }
    async app(appId, rest = '') {
        return `${(await this.owner()).path}/applications/${e(appId)}${rest}`;
    }
    // — applications —
    async listApps() {
        const path = `${(await this.owner()).path}/applications`;
        return (await this.http.json({ method: 'GET', path, what: 'list applications' })) ?? [];
    }
    async getApp(appId) {
        const res = await this.http.request({ method: 'GET', path: await this.app(appId), allow: [404], what: `read application ${appId}` });
        return res.status === 404 ? undefined : res.body;
    }
    /** Never retried here: a create answered 5xx may have been applied, callers look again first. */
    async createApp(body) {
        const path = `${(await this.owner()).path}/applications`;
        return this.http.json({ method: 'POST', path, body, retry: false, what: `create application ${body.name}` });
    }
    async updateApp(appId, body) {
        return this.http.json({ method: 'PUT', path: await this.app(appId), body, what: `update application ${appId}` });
    }
    /** False when it was already gone. */
    async deleteApp(appId) {
        const res = await this.http.request({ method: 'DELETE', path: await this.app(appId), allow: [404], what: `delete application ${appId}` });
        return res.status !== 404;
    }
    /** Tags are not part of any application view: they have their own route. */
    async appTags(appId) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, '/tags'), what: `read tags of ${appId}` })) ?? [];
    }
    /** Returns the tag list after the write, as the API answers it. */
    async addAppTag(appId, tag) {
        const body = await this.http.json({ method: 'PUT', path: await this.app(appId, `/tags/${e(tag)}`), what: `tag application ${appId}` });
        return Array.isArray(body) ? body : undefined;
    }
    // — domains —
    async vhosts(appId) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, '/vhosts'), what: `list domains of ${appId}` })) ?? [];
    }
    async addVhost(appId, fqdn) {
        await this.http.request({ method: 'PUT', path: await this.app(appId, `/vhosts/${e(fqdn)}`), what: `add domain ${fqdn}` });
    }
    /** The favourite domain, or undefined when none is set (404, error id 4021). */
    async favouriteVhost(appId) {
        const res = await this.http.request({ method: 'GET', path: await this.app(appId, '/vhosts/favourite'), allow: [404], what: `read favourite domain of ${appId}` });
        return res.status === 404 ? undefined : res.body?.fqdn;
    }
    async setFavouriteVhost(appId, fqdn) {
        await this.http.request({ method: 'PUT', path: await this.app(appId, '/vhosts/favourite'), body: { fqdn }, what: `make ${fqdn} the favourite domain` });
    }
    // — environment —
    async env(appId) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, '/env'), what: `read environment of ${appId}` })) ?? [];
    }
    async setEnv(appId, name, value) {
        await this.http.request({ method: 'PUT', path: await this.app(appId, `/env/${e(name)}`), body: { value }, what: `set ${name} on ${appId}` });
    }
    // — catalogue —
    /** Runtimes, fetched at most once per process and only when an app is created. */
    instanceProducts = memo(async () => (await this.http.json({ method: 'GET', path: '/v2/products/instances', what: 'list runtimes' })) ?? []);
    addonProviders = memo(async () => (await this.http.json({ method: 'GET', path: '/v2/products/addonproviders', what: 'list add-on providers' })) ?? []);
    // — add-ons —
    async listAddons() {
        return (await this.http.json({ method: 'GET', path: `${(await this.owner()).path}/addons`, what: 'list add-ons' })) ?? [];
    }
    /** Never retried here, like `createApp`. */
    async createAddon(body) {
        return this.http.json({ method: 'POST', path: `${(await this.owner()).path}/addons`, body, retry: false, what: `create add-on ${body.name}` });
    }
    async deleteAddon(addonId) {
        const res = await this.http.request({ method: 'DELETE', path: `${(await this.owner()).path}/addons/${e(addonId)}`, allow: [404], what: `delete add-on ${addonId}` });
        return res.status !== 404;
    }
    async addonTags(addonId) {
        return (await this.http.json({ method: 'GET', path: `${(await this.owner()).path}/addons/${e(addonId)}/tags`, what: `read tags of ${addonId}` })) ?? [];
    }
    /** Returns the tag list after the write, as the API answers it. */
    async addAddonTag(addonId, tag) {
        const path = `${(await this.owner()).path}/addons/${e(addonId)}/tags/${e(tag)}`;
        const body = await this.http.json({ method: 'PUT', path, what: `tag add-on ${addonId}` });
        return Array.isArray(body) ? body : undefined;
    }
    async linkedAddons(appId) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, '/addons'), what: `list add-ons of ${appId}` })) ?? [];
    }
    /** The body is the add-on id as a JSON string, as clever-tools sends it. */
    async linkAddon(appId, addonId) {
        await this.http.request({ method: 'POST', path: await this.app(appId, '/addons'), body: JSON.stringify(addonId), headers: { 'content-type': 'application/json' }, what: `link add-on ${addonId}` });
    }
    // — deployments —
    async deployments(appId, limit = 5) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, `/deployments?limit=${limit}`), what: `list deployments of ${appId}` })) ?? [];
    }
    async deployment(appId, deploymentId) {
        const res = await this.http.request({ method: 'GET', path: await this.app(appId, `/deployments/${e(deploymentId)}`), allow: [404], what: `read deployment ${deploymentId}` });
        return res.status === 404 ? undefined : res.body;
    }
    /**
     * `GET /v2/organisations/{id}/deployments` (the personal space too, by its `user_…` id): every
     * application's deployments, keyed by application id. A 404 is "none", as clever-client.js reads it.
     */
    async ownerDeployments(ownerId) {
        const path = `/v2/organisations/${e(ownerId)}/deployments`;
        const res = await this.http.request({ method: 'GET', path, allow: [404], what: 'list deployments' });
        const body = res.status === 404 ? undefined : res.body;
        return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
    }
    /** Stops the application's instances (`DELETE …/instances`); its domains, env and add-ons stay. */
    async stopInstances(appId) {
        await this.http.request({ method: 'DELETE', path: await this.app(appId, '/instances'), what: `stop the instances of ${appId}` });
    }
    /** Redeploys `commit`, without the build cache unless `useCache` (a plain restart); returns the new deployment's id. */
    async redeploy(appId, commit, useCache = false) {
        const body = await this.http.json({
            method: 'POST',
            path: await this.app(appId, `/instances?commit=${e(commit)}${useCache ? '' : '&useCache=no'}`),
            what: `redeploy ${appId}`,
        });
        return body?.deploymentId;
    }
}
exports.CleverApi = CleverApi;


/***/ }),

/***/ 1972:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.creationTime = creationTime;
exports.pickRuntime = pickRuntime;
exports.createBody = createBody;
exports.scalabilityChanges = scalabilityChanges;
/**
 * What an application is made of: the runtime picked from the catalogue, the create body (with
 * the preview's tags in it, so that no concurrent run ever sees our new app untagged), and the
 * scaler fields that differ from the settings of an app that already exists.
 */
const errors_js_1 = __webpack_require__(4296);
/** `creationDate` in ms since the epoch (the API sends a number; ISO text is accepted too). */
function creationTime(item) {
    const raw = item.creationDate;
    if (typeof raw === 'number')
        return raw;
    if (typeof raw === 'string') {
        const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
        if (Number.isFinite(n))
            return n;
    }
    return Number.POSITIVE_INFINITY;
}
function compareVersions(a, b) {
    if (/^\d+$/.test(a) && /^\d+$/.test(b))
        return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    return a.localeCompare(b, 'en', { numeric: true });
}
/** The enabled runtime whose variant slug is `type`, newest version first (what clever-tools picks). */
function pickRuntime(products, type) {
    const matching = products.filter((p) => p.enabled && p.variant?.slug === type);
    if (matching.length === 0) {
        const known = [...new Set(products.filter((p) => p.enabled && p.variant?.slug).map((p) => p.variant.slug))].sort();
        throw new errors_js_1.ConfigError(`invalid settings: --type ${type}: Clever Cloud has no such runtime`, { hint: `available: ${known.join(', ') || 'none listed'}` });
    }
    return matching.sort((a, b) => compareVersions(b.version, a.version))[0];
}
function createBody(input) {
    const { settings, runtime } = input;
    const flavor = settings.flavor ?? runtime.defaultFlavor?.name;
    if (!flavor || !runtime.variant) {
        throw new errors_js_1.ProviderError(`create application ${input.name}: the runtime catalogue has no default flavor or variant for ${settings.type}`, {
            hint: 'give --flavor',
        });
    }
    const instances = settings.instances ?? 1;
    const body = {
        deploy: 'git',
        name: input.name,
        description: input.description,
        zone: settings.zone,
        instanceType: runtime.type,
        instanceVersion: runtime.version,
        instanceVariant: runtime.variant.id,
        minFlavor: flavor,
        maxFlavor: flavor,
        minInstances: instances,
        maxInstances: instances,
        instanceLifetime: 'REGULAR',
        env: input.env,
        tags: input.tags,
    };
    if (settings.buildFlavor === 'disabled')
        body.separateBuild = false;
    else if (settings.buildFlavor)
        Object.assign(body, { separateBuild: true, buildFlavor: settings.buildFlavor });
    return body;
}
const sameName = (a, b) => a?.toLowerCase() === b.toLowerCase();
/** The scaler fields that differ from what is asked, or undefined when nothing does. */
function scalabilityChanges(app, settings) {
    const body = {};
    const inst = app.instance ?? {};
    if (settings.flavor && !(sameName(inst.minFlavor?.name, settings.flavor) && sameName(inst.maxFlavor?.name, settings.flavor))) {
        body.minFlavor = settings.flavor;
        body.maxFlavor = settings.flavor;
    }
    if (settings.instances !== undefined && !(inst.minInstances === settings.instances && inst.maxInstances === settings.instances)) {
        body.minInstances = settings.instances;
        body.maxInstances = settings.instances;
    }
    if (settings.buildFlavor === 'disabled') {
        if (app.separateBuild)
            body.separateBuild = false;
    }
    else if (settings.buildFlavor && !(app.separateBuild && sameName(app.buildFlavor?.name, settings.buildFlavor))) {
        body.separateBuild = true;
        body.buildFlavor = settings.buildFlavor;
    }
    return Object.keys(body).length > 0 ? body : undefined;
}


/***/ }),

/***/ 3514:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.mapLimit = mapLimit;
exports.isGone = isGone;
exports.withTags = withTags;
exports.namedApps = namedApps;
exports.createdAtOf = createdAtOf;
exports.tagApp = tagApp;
exports.appHooks = appHooks;
/**
 * The preview's application as the reconcile algorithm sees it (`../reconcile.ts`). Names are not
 * unique on Clever Cloud and there is no lock, so an app is this preview's only when it carries
 * the preview's key tag; a race between runs is settled by the algorithm (the oldest wins). Tags
 * travel in the create body, so a new app is never seen untagged; no application view carries
 * tags, so each candidate's tags are read from its own route.
 */
const errors_js_1 = __webpack_require__(4296);
const app_body_js_1 = __webpack_require__(1972);
const tags_js_1 = __webpack_require__(1107);
/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < items.length; i = next++)
            out[i] = await fn(items[i]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}
function isGone(error) {
    return error instanceof errors_js_1.ProviderError && error.status === 404;
}
/** Each app with its tags; an app deleted meanwhile (404 on its tags) is dropped. */
async function withTags(api, apps) {
    const records = await mapLimit(apps, 8, async (app) => {
        try {
            return { app, tags: await api.appTags(app.id) };
        }
        catch (error) {
            if (isGone(error))
                return undefined;
            throw error;
        }
    });
    return records.filter((r) => r !== undefined);
}
/** Every app of the owner named `name`, whoever made it. Errors propagate: never "absent". */
async function namedApps(api, name) {
    return withTags(api, (await api.listApps()).filter((app) => app.name === name));
}
/** Ms since the epoch, or undefined when the API gave no usable date. */
function createdAtOf(item) {
    const time = (0, app_body_js_1.creationTime)(item);
    return Number.isFinite(time) ? time : undefined;
}
/** Writes the tags `ref` lacks on an app, in order (key first); returns the record with them. */
async function tagApp(api, record, ref) {
    let tags = record.tags;
    for (const tag of (0, tags_js_1.missingTags)(tags, ref)) {
        const answered = await api.addAppTag(record.app.id, tag);
        tags = answered && answered.includes(tag) ? answered : [...tags, tag];
    }
    return { app: record.app, tags };
}
function appHooks(input) {
    const { api, ref } = input;
    return {
        noun: 'application',
        name: ref.name,
        list: async () => input.candidates ?? (await namedApps(api, ref.name)),
        id: (r) => r.app.id,
        createdAt: (r) => createdAtOf(r.app),
        marks: (r) => (0, tags_js_1.marksOf)(r.tags),
        create: async () => {
            const body = input.body();
            const app = await api.createApp(body);
            return { app, tags: [...body.tags] };
        },
        planned: input.planned,
        remove: async (r) => {
            await api.deleteApp(r.app.id);
        },
        mark: (r) => tagApp(api, r, ref),
        needsRepair: (r) => (0, tags_js_1.missingTags)(r.tags, ref).length > 0,
        uniqueNames: false,
        ...(input.createDetail ? { createDetail: input.createDetail } : {}),
    };
}


/***/ }),

/***/ 7944:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_BRIDGE_URL = exports.DEFAULT_API_URL = exports.CLEVER_TOOLS_CONSUMER = void 0;
exports.credentialsFrom = credentialsFrom;
exports.oauthEncode = oauthEncode;
exports.oauthHeader = oauthHeader;
exports.apiAuthorization = apiAuthorization;
exports.gitAuthorization = gitAuthorization;
exports.apiBaseUrl = apiBaseUrl;
exports.secretsOf = secretsOf;
exports.authHint = authHint;
exports.forbiddenHint = forbiddenHint;
/**
 * Credentials for the Clever Cloud API and its git remotes. Two kinds exist: an OAuth 1 token
 * pair (`CLEVER_TOKEN`/`CLEVER_SECRET`, issued to clever-tools' own OAuth consumer, sent with the
 * PLAINTEXT method: no signing, no nonce) and a newer API token sent as `Bearer`, which the API
 * bridge host serves on the same `/v2` paths.
 */
const errors_js_1 = __webpack_require__(4296);
/**
 * clever-tools' public OAuth consumer. Its source publishes these on purpose (tokens people get
 * from `clever login` or the console's CLI page are issued to this consumer), so they are not
 * secrets; settings can replace them for a private consumer.
 */
exports.CLEVER_TOOLS_CONSUMER = {
    key: 'T5nFjKeHH4AIlEveuGhB5S3xg8T19e',
    secret: 'MgVMqTr6fWlf2M0tkC2MXOnhfqBWDT',
};
exports.DEFAULT_API_URL = 'https://api.clever-cloud.com';
/** Where API tokens (`Bearer`) are accepted. */
exports.DEFAULT_BRIDGE_URL = 'https://api-bridge.clever-cloud.com';
/**
 * Picks the credentials from the settings. A complete token pair wins over an API token, since
 * git pushes with the pair are what clever-tools itself does.
 */
function credentialsFrom(settings) {
    if (settings.token && settings.secret) {
        return {
            kind: 'oauth',
            consumerKey: settings.consumerKey ?? exports.CLEVER_TOOLS_CONSUMER.key,
            consumerSecret: settings.consumerSecret ?? exports.CLEVER_TOOLS_CONSUMER.secret,
            token: settings.token,
            secret: settings.secret,
        };
    }
    if (settings.apiToken)
        return { kind: 'bearer', apiToken: settings.apiToken };
    if (settings.token || settings.secret) {
        const missing = settings.token ? 'CLEVER_SECRET' : 'CLEVER_TOKEN';
        throw new errors_js_1.ConfigError(`invalid settings: ${missing} is missing (CLEVER_TOKEN and CLEVER_SECRET go together)`, {
            hint: 'set both from `clever login` (~/.config/clever-cloud) or the console, or set CLEVER_API_TOKEN instead',
        });
    }
    throw new errors_js_1.ConfigError('invalid settings: no Clever Cloud credentials: set CLEVER_TOKEN and CLEVER_SECRET, or CLEVER_API_TOKEN', {
        hint: 'store them as masked CI variables / repository secrets',
    });
}
/** RFC 3986 percent-encoding as OAuth 1 wants it (encodeURIComponent leaves `!*'()` alone). */
function oauthEncode(text) {
    return encodeURIComponent(text).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/**
 * `OAuth oauth_consumer_key="…", oauth_token="…", oauth_signature="<cs>%26<ts>"`. The PLAINTEXT
 * signature is encode(consumer secret) & encode(token secret), and parameter values are encoded
 * once more in the header, which turns the `&` into `%26`.
 */
function oauthHeader(creds) {
    const signature = `${oauthEncode(creds.consumerSecret)}&${oauthEncode(creds.secret)}`;
    return [
        `OAuth oauth_consumer_key="${oauthEncode(creds.consumerKey)}"`,
        `oauth_token="${oauthEncode(creds.token)}"`,
        `oauth_signature="${oauthEncode(signature)}"`,
    ].join(', ');
}
function apiAuthorization(creds) {
    return creds.kind === 'oauth' ? oauthHeader(creds) : `Bearer ${creds.apiToken}`;
}
/** Git remotes take HTTP Basic with user = token, password = token secret (as clever-tools pushes). */
function gitAuthorization(creds) {
    if (creds.kind === 'bearer')
        return `Bearer ${creds.apiToken}`;
    return `Basic ${Buffer.from(`${creds.token}:${creds.secret}`, 'utf8').toString('base64')}`;
}
/** Bearer tokens are served by the API bridge; an explicit URL always wins. */
function apiBaseUrl(creds, apiUrl) {
    if (apiUrl)
        return apiUrl.replace(/\/+$/, '');
    return creds.kind === 'bearer' ? exports.DEFAULT_BRIDGE_URL : exports.DEFAULT_API_URL;
}
/** Values to mask in every output: the raw secrets and the encoded forms that reach headers. */
function secretsOf(creds) {
    if (creds.kind === 'bearer')
        return [creds.apiToken];
    const basic = gitAuthorization(creds).slice('Basic '.length);
    const out = [creds.token, creds.secret, basic, oauthEncode(creds.secret), oauthEncode(creds.token)];
    if (creds.consumerSecret !== exports.CLEVER_TOOLS_CONSUMER.secret)
        out.push(creds.consumerSecret);
    // Encoded forms often equal the raw ones; each value once (on GitHub, each is an add-mask line).
    return [...new Set(out)];
}
function authHint(creds) {
    return creds.kind === 'oauth'
        ? 'check CLEVER_TOKEN and CLEVER_SECRET (they expire; `clever login` issues new ones)'
        : 'check CLEVER_API_TOKEN (it may be expired or revoked)';
}
/** A 403: the credentials are good, the rights are missing. */
function forbiddenHint(creds) {
    const who = creds.kind === 'oauth' ? 'the user of CLEVER_TOKEN' : 'the user of CLEVER_API_TOKEN';
    return `${who} lacks the rights: check that it may act on the organisation (CLEVER_ORG) and manage its applications and add-ons`;
}


/***/ }),

/***/ 6535:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.convergeApp = convergeApp;
const app_body_js_1 = __webpack_require__(1972);
const env_js_1 = __webpack_require__(9315);
async function convergeApp(input) {
    const { api, plan, logger, settings, spec } = input;
    let record = input.record;
    const app = record.app;
    let changed = false;
    const slug = app.instance?.variant?.slug;
    if (slug && slug !== settings.type) {
        logger.warn(`${spec.name} runs ${slug}, not ${settings.type}: the runtime of an existing app is not changed (stop the preview to recreate it)`);
    }
    if (app.zone && app.zone !== settings.zone) {
        logger.warn(`${spec.name} is in zone ${app.zone}, not ${settings.zone}: the zone of an existing app is not changed`);
    }
    const scaling = (0, app_body_js_1.scalabilityChanges)(app, settings);
    if (scaling) {
        const detail = Object.entries(scaling)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ');
        const updated = await plan.apply({ kind: 'update', target: `application ${spec.name}`, detail }, () => api.updateApp(app.id, scaling), undefined);
        if (updated && typeof updated === 'object' && updated.id === app.id) {
            record = { ...record, app: { ...app, ...updated, ...(updated.vhosts ? {} : { vhosts: app.vhosts }) } };
        }
        changed = true;
    }
    if (await (0, env_js_1.convergeEnv)({ api, plan, appId: app.id, appName: spec.name, desired: spec.env })) {
        logger.info(`${spec.name}: environment changed; it applies when the instances restart (up restarts them; after ensure-app alone, run deploy --force)`);
        return { record, changed: true, restart: 'environment changed' };
    }
    return { record, changed };
}


/***/ }),

/***/ 5245:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_DEPLOY_TIMING = exports.DEPLOY_REF = exports.newestFirst = void 0;
exports.checkRemoteUrl = checkRemoteUrl;
exports.deployCommit = deployCommit;
/**
 * Deploying a commit: a git push of `<sha>:refs/heads/master` to the app's remote, then following
 * the deployment the push starts until it ends. Skipped when the remote already has the commit
 * and its last deployment succeeded; restarted through the API when the commit is there but its
 * deployment failed (a push of the same commit would start nothing), and started again from its
 * build, without a push or a rebuild, when the preview sleeps (its instances were stopped).
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const git_js_1 = __webpack_require__(8564);
const preview_state_js_1 = __webpack_require__(1616);
Object.defineProperty(exports, "newestFirst", ({ enumerable: true, get: function () { return preview_state_js_1.newestFirst; } }));
exports.DEPLOY_REF = 'refs/heads/master';
// A deployment is usually noticed within a second of ending; polls stay at most 3 s apart
// (clever-tools waits 5 s), which is 20 reads a minute on a long build. A new repository
// accepts pushes within seconds, so push retries stay close together too.
exports.DEFAULT_DEPLOY_TIMING = {
    pollInitialMs: 750,
    pollMaxMs: 3_000,
    pushInitialMs: 500,
    pushMaxMs: 2_000,
    pushAttempts: 30,
};
const short = (sha) => sha.slice(0, 7);
const sameCommit = (d, sha) => (d.commit ?? '').toLowerCase() === sha.toLowerCase();
/** Checks the remote URL before git sees it: http(s) only, no credentials inside. */
function checkRemoteUrl(url, appName) {
    if (!url) {
        throw new errors_js_1.ProviderError(`deploy ${appName}: the application has no git remote (deployment.httpUrl is empty)`, {
            hint: 'is it a git-deployed application?',
        });
    }
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new errors_js_1.ProviderError(`deploy ${appName}: the application's git remote "${url}" is not a URL`);
    }
    // Plain http is for self-hosted setups and the local fake; the real API hands out https.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new errors_js_1.ProviderError(`deploy ${appName}: unsupported git remote scheme ${parsed.protocol}`, { hint: 'an http(s) remote is needed' });
    }
    if (parsed.username || parsed.password) {
        parsed.username = '';
        parsed.password = '';
    }
    return parsed.toString();
}
async function deployCommit(request) {
    const input = { ...request, startedAt: request.context.deadline.clock.now() };
    const { api, context, appId, commit } = input;
    const sha = commit.toLowerCase();
    const remoteUrl = checkRemoteUrl(input.remoteUrl, input.appName);
    const remote = await readRemote(input, remoteUrl);
    const known = input.known ?? (0, preview_state_js_1.newestFirst)(await api.deployments(appId, 5));
    if (remote === sha) {
        const last = known.find((d) => (0, preview_state_js_1.isDeploy)(d) && sameCommit(d, sha));
        if (!input.force) {
            if (last?.state === 'OK' || (!last && input.runningCommit?.toLowerCase() === sha)) {
                // Waking: the build of this commit is there, so the instances start from it (build cache).
                if (input.asleep)
                    return redeploy(input, known, 'the preview was asleep', true);
                if (input.restart)
                    return redeploy(input, known, input.restart, true);
                return { deployed: false, reason: `commit ${short(sha)} is already live`, ...(last ? { deployment: last } : {}) };
            }
            if (last?.state === 'WIP') {
                context.logger.info(`commit ${short(sha)} is already being deployed (${last.uuid}); following it`);
                const ended = await followDeployment(input, last);
                return { deployed: false, reason: `commit ${short(sha)} was already being deployed; it ended OK`, deployment: ended };
            }
        }
        // The remote has the commit: a push would start nothing, so restart through the API.
        const why = input.force ? 'forced' : last ? `its last deployment ended ${last.state}` : 'no deployment of it is recorded';
        return redeploy(input, known, why);
    }
    const upToDate = await pushWithRetry(input, remoteUrl);
    if (upToDate === undefined)
        return { deployed: false, reason: 'dry run' };
    if (upToDate)
        return redeploy(input, known, 'the remote already had it');
    const started = await waitForNewDeployment(input, known);
    return { deployed: true, deployment: await followDeployment(input, started) };
}
/** The remote's commit, or undefined when it has none or cannot tell yet (a brand-new repository). */
async function readRemote(input, url) {
    try {
        return await input.git.lsRemote(url, exports.DEPLOY_REF, input.dir);
    }
    catch (error) {
        if (error instanceof git_js_1.GitCommandError) {
            input.context.logger.debug(`reading the remote branch failed (${error.message}); pushing anyway`);
            return undefined;
        }
        throw error;
    }
}
/** Pushes, again with backoff while the new repository does not accept pushes yet. Undefined in a dry run. */
async function pushWithRetry(input, url) {
    const { context, timing, commit } = input;
    return context.plan.apply({ kind: 'deploy', target: `application ${input.appName}`, detail: `push ${short(commit)}` }, async () => {
        const result = await (0, retry_js_1.retry)(() => input.git.push(url, commit, exports.DEPLOY_REF, input.dir), {
            attempts: timing.pushAttempts,
            deadline: context.deadline,
            initialMs: timing.pushInitialMs,
            maxMs: timing.pushMaxMs,
            what: `push ${short(commit)}`,
            // A new app's repository refuses pushes for a few seconds: expected, so one progress
            // line says so; each attempt's git error goes to the debug log.
            onRetry: (error, attempt, delay) => {
                context.logger.debug(`${error.message}; attempt ${attempt + 1} in ${(delay / 1000).toFixed(1)}s`);
                context.logger.progress(`push ${short(commit)}: waiting for the repository to accept it`);
            },
        });
        return result.upToDate;
    }, undefined);
}
async function redeploy(input, known, why, useCache = false) {
    const { api, context, appId, commit } = input;
    const id = await context.plan.apply({ kind: 'deploy', target: `application ${input.appName}`, detail: `restart ${short(commit)}${useCache ? '' : ' without build cache'}: ${why}` }, async () => (await api.redeploy(appId, commit, useCache)) ?? '', undefined);
    if (id === undefined)
        return { deployed: false, reason: 'dry run' };
    const started = id ? await waitForDeployment(input, (list) => list.find((d) => d.uuid === id)) : await waitForNewDeployment(input, known);
    return { deployed: true, deployment: await followDeployment(input, started) };
}
function waitForNewDeployment(input, known) {
    const seen = new Set(known.map((d) => d.uuid));
    return waitForDeployment(input, (list) => (0, preview_state_js_1.newestFirst)(list).find((d) => sameCommit(d, input.commit) && !seen.has(d.uuid)));
}
/** Polls the recent deployments until `pick` finds the one we started. */
function waitForDeployment(input, pick) {
    const { api, context, timing, appId, commit } = input;
    return (0, retry_js_1.poll)(async () => pick(await api.deployments(appId, 5)), {
        deadline: context.deadline,
        what: `the deployment of ${short(commit)} to start`,
        initialMs: timing.pollInitialMs,
        maxMs: timing.pollMaxMs,
        onWait: (ms) => context.logger.progress(`deployment ${short(commit)}: waiting to start ${Math.round(ms / 1000)}s`),
    });
}
/** Polls one deployment until it leaves WIP; anything but OK is a failure. */
async function followDeployment(input, started) {
    const { api, context, timing, appId, commit } = input;
    let current = started;
    const t0 = input.startedAt ?? context.deadline.clock.now();
    if (current.state === 'WIP') {
        current = await (0, retry_js_1.poll)(async () => {
            // Right after the start the deployment may not be readable by id yet: keep polling.
            const d = await api.deployment(appId, started.uuid);
            if (d)
                current = d;
            return d && d.state !== 'WIP' ? d : undefined;
        }, {
            deadline: context.deadline,
            what: `deployment ${started.uuid} of ${short(commit)} to end`,
            initialMs: timing.pollInitialMs,
            maxMs: timing.pollMaxMs,
            onWait: () => context.logger.progress(`deployment ${short(commit)}: ${current.state} ${Math.round((context.deadline.clock.now() - t0) / 1000)}s`),
        }).catch((error) => {
            // Our deadline ended, not the deployment: say that it goes on and how to pick it up again.
            if (error instanceof errors_js_1.TimeoutError) {
                throw new errors_js_1.TimeoutError(`deploy ${input.appName}: ${error.message}`, {
                    hint: `the deployment goes on at Clever Cloud; the same command run again follows it without pushing again, or raise --timeout`,
                    cause: error,
                });
            }
            throw error;
        });
    }
    if (current.state !== 'OK') {
        throw new errors_js_1.ProviderError(`deploy ${input.appName}: deployment ${current.uuid} of ${short(commit)} ended ${current.state}${current.cause ? ` (started by ${current.cause})` : ''}`, {
            hint: `read the build logs: clever logs --app ${appId} --deployment-id ${current.uuid}`,
        });
    }
    context.logger.info(`deployment ${short(commit)}: OK after ${Math.round((context.deadline.clock.now() - t0) / 1000)}s`);
    return current;
}


/***/ }),

/***/ 8857:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.normaliseHost = normaliseHost;
exports.normaliseVhosts = normaliseVhosts;
exports.isBuiltInHost = isBuiltInHost;
exports.primaryHost = primaryHost;
exports.urlOfHost = urlOfHost;
exports.previewDomains = previewDomains;
exports.ensureDomains = ensureDomains;
/**
 * Domains (Clever Cloud "vhosts"). The API lists them with a trailing slash (`foo.com/`), the
 * default one is `app-<uuid>.cleverapps.io/`; adding is `PUT …/vhosts/{fqdn}`, which is
 * idempotent but still a write, so we only send it for the hosts that are missing.
 */
const errors_js_1 = __webpack_require__(4296);
/** `https://Foo.com/` → `foo.com`; a path prefix (`foo.com/api`) is kept. */
function normaliseHost(fqdn) {
    return fqdn
        .trim()
        .replace(/^https?:\/\//i, '')
        .replace(/\/+$/, '')
        .toLowerCase();
}
function normaliseVhosts(vhosts) {
    return vhosts.map((v) => normaliseHost(v.fqdn)).filter((h) => h !== '');
}
function isBuiltInHost(host) {
    return /(^|\.)cleverapps\.io(\/|$)/.test(host);
}
/** The preview's URL: the first custom domain, else the default `cleverapps.io` one. */
function primaryHost(hosts) {
    return hosts.find((h) => !isBuiltInHost(h)) ?? hosts.find(isBuiltInHost);
}
function urlOfHost(host) {
    return host ? `https://${host}` : '';
}
function previewDomains(hosts, favourite) {
    return hosts.map((host) => ({
        host,
        ...(isBuiltInHost(host) ? { builtIn: true } : {}),
        ...(favourite !== undefined && host === favourite ? { favourite: true } : {}),
    }));
}
/** The platform refused a domain because another application holds it. */
function takenError(error, host) {
    if (!(error instanceof errors_js_1.ProviderError) || error.status === undefined || error.status >= 500)
        return undefined;
    if (!/already (taken|used|registered|exists|in use)|belongs to another/i.test(error.message))
        return undefined;
    return new errors_js_1.SafetyError(`set domain ${host}: the domain is attached to another Clever Cloud application`, {
        hint: 'remove it from that application first, or choose another --domain template',
        cause: error,
    });
}
/**
 * Adds the missing hosts and, when asked, makes the first one the favourite. `state` is what is
 * known so far (from the app's list view or an earlier read); reads only what it must.
 */
async function ensureDomains(input) {
    const { api, plan, appId, appName } = input;
    const wanted = [...new Set(input.wanted.map(normaliseHost).filter((h) => h !== ''))];
    const hosts = [...input.state.hosts];
    let favourite = input.state.favourite;
    let changed = false;
    for (const host of wanted.filter((h) => !hosts.includes(h))) {
        await plan.apply({ kind: 'create', target: `domain ${host}`, detail: `on application ${appName}` }, async () => {
            try {
                await api.addVhost(appId, host);
            }
            catch (error) {
                throw takenError(error, host) ?? error;
            }
        }, undefined);
        hosts.push(host);
        changed = true;
    }
    const first = wanted[0];
    if (input.favourite && first !== undefined) {
        if (favourite === undefined) {
            const read = await api.favouriteVhost(appId);
            favourite = read === undefined ? null : normaliseHost(read);
        }
        if (favourite !== first) {
            await plan.apply({ kind: 'update', target: `domain ${first}`, detail: 'make it the favourite' }, () => api.setFavouriteVhost(appId, first), undefined);
            favourite = first;
            changed = true;
        }
    }
    return { changed, state: { hosts, favourite } };
}


/***/ }),

/***/ 9315:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.envChanges = envChanges;
exports.convergeEnv = convergeEnv;
/** Keys of `desired` that are missing or different in `current`, in a stable order. */
function envChanges(current, desired) {
    const now = new Map(current.map((v) => [v.name, v.value]));
    return Object.keys(desired)
        .filter((key) => now.get(key) !== desired[key])
        .sort();
}
async function convergeEnv(input) {
    const { api, plan, appId, desired } = input;
    if (Object.keys(desired).length === 0)
        return false;
    const changed = envChanges(await api.env(appId), desired);
    if (changed.length === 0)
        return false;
    await plan.apply({ kind: 'update', target: `application ${input.appName}`, detail: `env ${changed.join(', ')}` }, async () => {
        // One PUT per key: the bulk `PUT …/env` replaces everything, including variables that are not ours.
        for (const key of changed)
            await api.setEnv(appId, key, desired[key]);
    }, undefined);
    return true;
}


/***/ }),

/***/ 3312:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.readFleet = readFleet;
exports.fleetRecords = fleetRecords;
exports.withFleet = withFleet;
exports.fleetOf = fleetOf;
exports.forget = forget;
const app_hooks_js_1 = __webpack_require__(3514);
const preview_state_js_1 = __webpack_require__(1616);
function ownerIn(summary, ownerId) {
    if (ownerId === undefined)
        return summary.user;
    return [summary.user, ...(summary.organisations ?? [])].find((o) => o?.id === ownerId);
}
const carriesTags = (owner) => (owner.applications ?? []).every((a) => Array.isArray(a.customerTags));
/** Listing apps joined with the summary's: the view's fields, the summary's tags, state and commit where the view lacks them. */
function joined(apps, items) {
    const byId = new Map(items.map((item) => [item.id, item]));
    const records = [];
    for (const app of apps) {
        const item = byId.get(app.id);
        // Not in the summary yet (a listing lags): its tags are unknown, so it is nobody's preview for now.
        if (!item)
            continue;
        byId.delete(app.id);
        records.push({ app: { ...app, state: app.state ?? item.state, commitId: app.commitId ?? item.commit ?? null }, tags: item.customerTags ?? [] });
    }
    // In the summary only (the other listing lags): what the summary says is all there is.
    for (const item of byId.values()) {
        records.push({ app: { id: item.id, name: item.name, ...(item.state ? { state: item.state } : {}), commitId: item.commit ?? null }, tags: item.customerTags ?? [] });
    }
    return records;
}
async function readFleet(api, now, logger) {
    const owner = await api.owner();
    const deploymentsOf = async (id) => (id === undefined ? {} : api.ownerDeployments(id));
    // The owner's id is known unless it is the personal space: then the summary says it.
    const [summary, apps, early] = await Promise.all([api.summary(), api.listApps(), owner.id === undefined ? undefined : deploymentsOf(owner.id)]);
    const mine = ownerIn(summary, owner.id);
    const deployments = early ?? (await deploymentsOf(mine?.id));
    let records;
    if (mine && carriesTags(mine)) {
        records = joined(apps, mine.applications ?? []);
    }
    else {
        logger.debug('the summary lists no tags for this owner: reading each application’s tags');
        records = await (0, app_hooks_js_1.withTags)(api, apps);
    }
    return {
        takenAt: now,
        apps: records.map((record) => ({ record, deployments: (0, preview_state_js_1.newestFirst)(deployments[record.app.id] ?? []) })),
        addons: mine?.addons ?? [],
    };
}
/** The fleet's apps named `name`, when the fleet is fresh and shows any; else undefined (look them up). */
function fleetRecords(fleet, name) {
    if (!fleet)
        return undefined;
    const named = fleet.apps.filter((a) => a.record.app.name === name).map((a) => a.record);
    return named.length > 0 ? named : undefined;
}
const FLEET = Symbol('clever-cloud fleet');
/** Attaches the fleet a Preview was listed from (left out of its JSON, copied along with it). */
function withFleet(preview, fleet) {
    Object.defineProperty(preview, FLEET, { value: fleet, enumerable: true });
    return preview;
}
function fleetOf(preview) {
    return preview ? preview[FLEET] : undefined;
}
/** Forgets what was removed, so that a second `destroy` in the same run looks again rather than acting on the past. */
function forget(fleet, ids) {
    if (!fleet)
        return;
    fleet.apps = fleet.apps.filter((a) => !ids.has(a.record.app.id));
    fleet.addons = fleet.addons.filter((a) => !ids.has(a.id));
}


/***/ }),

/***/ 9572:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.runGit = runGit;
/**
 * Runs one git command so that nothing of it outlives us. `git push` and `git ls-remote` over
 * HTTP start `git-remote-http` as their own child; killing git (what execa's cleanup does) leaves
 * that helper talking to the remote for a job that is gone. So each git command gets a process
 * group of its own, and the whole group is ended when the command times out or this process
 * exits (the CLI turns SIGTERM/SIGINT into an exit).
 */
const execa_1 = __webpack_require__(2844);
/** Groups of git commands still running, by their leader's pid. */
const running = new Set();
let exitHooked = false;
/** POSIX only: elsewhere a detached child is a new console window, not a process group. */
const GROUPS = process.platform !== 'win32';
function signalGroup(leader, signal) {
    try {
        process.kill(-leader, signal);
    }
    catch {
        // Already gone.
    }
}
function endAllOnExit() {
    if (exitHooked)
        return;
    exitHooked = true;
    process.on('exit', () => {
        for (const leader of running)
            signalGroup(leader, 'SIGTERM');
    });
}
async function runGit(args, options) {
    if (GROUPS)
        endAllOnExit();
    const child = (0, execa_1.execa)('git', args, {
        cwd: options.cwd,
        env: options.env ? { ...options.env, ...options.extra } : options.extra,
        extendEnv: options.env === undefined,
        reject: false,
        stdin: 'ignore',
        timeout: options.timeoutMs,
        detached: GROUPS,
        // Our own exit hook ends the whole group; execa's would end only git itself.
        cleanup: !GROUPS,
    });
    const leader = child.pid;
    if (GROUPS && leader !== undefined)
        running.add(leader);
    try {
        const result = await child;
        // git was killed (timeout): its helpers are orphans of the group now.
        if (GROUPS && leader !== undefined && (result.timedOut || result.isTerminated))
            signalGroup(leader, 'SIGKILL');
        return {
            exitCode: result.exitCode,
            stdout: String(result.stdout ?? ''),
            stderr: String(result.stderr ?? ''),
            timedOut: result.timedOut,
            message: result.message,
        };
    }
    finally {
        if (leader !== undefined)
            running.delete(leader);
    }
}


/***/ }),

/***/ 8564:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.SystemGit = exports.GitCommandError = void 0;
exports.classifyGitFailure = classifyGitFailure;
exports.rejectionOf = rejectionOf;
/**
 * The system `git` talking to the app's git remote. Credentials travel only as an
 * `http.extraHeader` passed through GIT_CONFIG_COUNT/KEY/VALUE environment variables (git 2.31+):
 * never in the URL, the argument list or `.git/config`, so no process list, log line or later git
 * command can see them. git gets the child environment the context provides (PATH, HOME, locale,
 * proxies, git's own certificate settings) plus that header — never the platform credentials
 * this process holds — and runs in a process group that ends with us (git-process.ts). Behind an
 * interface so deploy logic can be tested without a remote.
 */
const errors_js_1 = __webpack_require__(4296);
const git_process_js_1 = __webpack_require__(9572);
const AUTH = /authentication failed|could not read (username|password)|terminal prompts disabled|HTTP 40[13]|returned error: 40[13]|invalid credentials|access denied|not authorized/i;
const FATAL = /shallow update not allowed|src refspec .* does not match|does not point to a commit|bad revision|not a valid object|unknown revision|not a git repository|invalid refspec|unable to push to unqualified/i;
/** Auth failures end at once, local mistakes too; anything else (repository not ready yet, 5xx, network) is worth another try. */
function classifyGitFailure(stderr) {
    if (AUTH.test(stderr))
        return 'auth';
    if (FATAL.test(stderr))
        return 'fatal';
    return 'retry';
}
class GitCommandError extends errors_js_1.ProviderError {
    failure;
    constructor(message, failure, options = {}) {
        super(message, { retryable: failure === 'retry', hint: options.hint });
        this.failure = failure;
    }
}
exports.GitCommandError = GitCommandError;
/** The last meaningful line git printed, for error messages. */
function lastLine(text) {
    const lines = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !/^(hint|To |Everything up-to-date)/.test(l));
    return lines.at(-1) ?? 'no output';
}
/** The reason in a porcelain status line of a refused ref: `!\t<src>:<dst>\t[remote rejected] (why)`. */
function rejectionOf(porcelain) {
    for (const line of porcelain.split(/\r?\n/)) {
        if (!line.startsWith('!'))
            continue;
        const summary = line.split('\t')[2]?.trim() ?? '';
        const reason = /\(([^)]*)\)\s*$/.exec(summary)?.[1];
        return reason || summary.replace(/^\[|\]$/g, '') || 'rejected';
    }
    return undefined;
}
class SystemGit {
    authorization;
    deadline;
    logger;
    authHint;
    childEnv;
    constructor(authorization, deadline, logger, authHint, 
    /** What a child process may see of our environment; undefined: all of it (tests). */
    childEnv) {
        this.authorization = authorization;
        this.deadline = deadline;
        this.logger = logger;
        this.authHint = authHint;
        this.childEnv = childEnv;
    }
    /** Scoped to the remote's URL: a redirect to another host never receives the header. */
    env(url) {
        return {
            GIT_TERMINAL_PROMPT: '0',
            GIT_CONFIG_COUNT: '2',
            GIT_CONFIG_KEY_0: `http.${url}.extraHeader`,
            GIT_CONFIG_VALUE_0: `Authorization: ${this.authorization}`,
            // An empty helper list: no keychain or store is asked (or filled) when the remote says 401.
            GIT_CONFIG_KEY_1: 'credential.helper',
            GIT_CONFIG_VALUE_1: '',
        };
    }
    async run(url, args, cwd, what) {
        this.deadline.check(what);
        this.logger.debug(`git ${args.join(' ')}`);
        const result = await (0, git_process_js_1.runGit)(args, { cwd, env: this.childEnv, extra: this.env(url), timeoutMs: Math.max(1, this.deadline.remaining()) });
        const { stdout, stderr } = result;
        if (result.exitCode === 0)
            return { stdout, stderr };
        if (result.timedOut)
            this.deadline.check(what);
        // With --porcelain the remote's reason for refusing a ref is on stdout, not stderr.
        const rejected = rejectionOf(stdout);
        const said = rejected ? `${stderr}\n${rejected}` : stderr;
        const failure = classifyGitFailure(said);
        const why = rejected ? `the remote rejected it: ${rejected}` : lastLine(stderr || result.message || '');
        const message = `${what}: git ${args[0]} failed: ${why}`;
        if (failure === 'auth')
            throw new errors_js_1.AuthError(`${what}: the git remote refused the credentials (${lastLine(said)})`, { hint: this.authHint });
        throw new GitCommandError(message, failure, {
            hint: /shallow/i.test(said) ? 'the checkout is shallow: fetch the full history (actions/checkout fetch-depth: 0, GitLab GIT_DEPTH: 0)' : undefined,
        });
    }
    async lsRemote(url, ref, cwd) {
        const { stdout } = await this.run(url, ['ls-remote', url, ref], cwd, 'read the remote branch');
        for (const line of stdout.split('\n')) {
            const [sha, name] = line.trim().split(/\s+/);
            if (name === ref && sha)
                return sha.toLowerCase();
        }
        return undefined;
    }
    async push(url, commit, ref, cwd) {
        // Forced: the preview follows its branch, rewritten history included. No local hooks in CI.
        const { stdout, stderr } = await this.run(url, ['push', '--force', '--no-verify', '--porcelain', url, `${commit}:${ref}`], cwd, `push ${commit.slice(0, 7)}`);
        const out = `${stdout}\n${stderr}`;
        // Porcelain marks an unchanged ref with `=`.
        const upToDate = /^=\s/m.test(stdout) || /Everything up-to-date/i.test(out);
        return { upToDate };
    }
}
exports.SystemGit = SystemGit;


/***/ }),

/***/ 1616:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.isDeploy = void 0;
exports.deploymentTime = deploymentTime;
exports.newestFirst = newestFirst;
exports.lastDeployOf = lastDeployOf;
exports.lastDeployedAt = lastDeployedAt;
exports.previewStateOf = previewStateOf;
exports.isStopped = isStopped;
/** A deployment that ran code (a push or a restart), not a stop or a scaling. */
const isDeploy = (d) => d.action === undefined || d.action === 'DEPLOY';
exports.isDeploy = isDeploy;
/** `date` in ms since the epoch (the API sends a number; digits or ISO text are accepted too), or NaN. */
function deploymentTime(d) {
    if (typeof d.date === 'number')
        return d.date;
    if (typeof d.date === 'string')
        return /^\d+$/.test(d.date) ? Number(d.date) : Date.parse(d.date);
    return Number.NaN;
}
/** Newest first, whatever order the API used. */
function newestFirst(list) {
    const time = (d) => deploymentTime(d) || 0;
    return [...list].sort((a, b) => time(b) - time(a) || (b.id ?? 0) - (a.id ?? 0));
}
/** The newest deployment that ran code (of `deployments`, newest first). */
function lastDeployOf(deployments) {
    return deployments?.find(exports.isDeploy);
}
/** When the preview was last deployed (ISO 8601): its newest push or restart, whatever its outcome. */
function lastDeployedAt(deployments) {
    const last = lastDeployOf(deployments);
    const time = last ? deploymentTime(last) : Number.NaN;
    return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
/**
 * The preview's state from the app's run state and its deployments (newest first):
 * a deployment in progress or instances starting → `deploying`; a newest deployment that failed →
 * `failed`; instances that should run → `running`; stopped after having run → `sleeping`; stopped
 * by Clever Cloud (moderation, unpaid bills) → `failed`; never started, or a state we do not know →
 * `unknown`.
 */
function previewStateOf(appState, deployments, hasRun) {
    const newest = deployments[0];
    if (newest && (newest.state === 'WIP' || newest.state === 'TASK_RUNNING'))
        return 'deploying';
    if (appState === 'WANTS_TO_BE_UP')
        return 'deploying';
    if (newest && (0, exports.isDeploy)(newest) && newest.state === 'FAIL')
        return 'failed';
    switch (appState) {
        case 'SHOULD_BE_UP':
            return 'running';
        case 'SHOULD_BE_DOWN':
            return hasRun || deployments.some((d) => (0, exports.isDeploy)(d) && d.state === 'OK') ? 'sleeping' : 'unknown';
        case 'MODERATED':
        case 'DEFAULT_OF_PAYMENT':
            return 'failed';
        default:
            return 'unknown';
    }
}
/** Stopped (asleep, or never started): a stop would change nothing. */
function isStopped(appState) {
    return appState === 'SHOULD_BE_DOWN';
}


/***/ }),

/***/ 5460:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.knowledgeOf = knowledgeOf;
exports.knowledgeFor = knowledgeFor;
exports.toPreviewDeployment = toPreviewDeployment;
exports.toPreview = toPreview;
const app_body_js_1 = __webpack_require__(1972);
const domains_js_1 = __webpack_require__(8857);
const preview_state_js_1 = __webpack_require__(1616);
const tags_js_1 = __webpack_require__(1107);
const KNOWN = Symbol('clever-cloud application');
function knowledgeOf(preview, ref) {
    const known = preview[KNOWN];
    return known && known.key === ref.key && known.record.app.id === preview.id ? known : undefined;
}
function knowledgeFor(record, key, planned = false) {
    return { key, record, planned, ...(record.app.vhosts ? { domains: { hosts: (0, domains_js_1.normaliseVhosts)(record.app.vhosts) } } : {}) };
}
const DEPLOYMENT_STATES = {
    WIP: 'running',
    OK: 'ok',
    FAIL: 'failed',
    CANCELLED: 'cancelled',
};
function toPreviewDeployment(d) {
    const time = typeof d.date === 'number' ? d.date : typeof d.date === 'string' ? Date.parse(d.date) : NaN;
    return {
        id: d.uuid,
        state: DEPLOYMENT_STATES[d.state] ?? d.state.toLowerCase(),
        ...(d.commit ? { commit: d.commit } : {}),
        ...(Number.isFinite(time) ? { createdAt: new Date(time).toISOString() } : {}),
    };
}
function toPreview(known, name) {
    const { app, tags } = known.record;
    const hosts = known.domains?.hosts ?? (app.vhosts ? (0, domains_js_1.normaliseVhosts)(app.vhosts) : []);
    const favourite = known.domains?.favourite ?? undefined;
    const { identity } = (0, tags_js_1.marksOf)(tags);
    const created = (0, app_body_js_1.creationTime)(app);
    const last = (0, preview_state_js_1.lastDeployOf)(known.deployments);
    const deployedAt = (0, preview_state_js_1.lastDeployedAt)(known.deployments);
    const preview = {
        name,
        id: app.id,
        url: (0, domains_js_1.urlOfHost)((0, domains_js_1.primaryHost)(hosts)),
        domains: (0, domains_js_1.previewDomains)(hosts, favourite),
        ...(known.addons ? { addons: known.addons.map((a) => ({ id: a.id, name: a.name, kind: a.provider?.id ?? 'addon', ...(a.plan?.slug ? { plan: a.plan.slug } : {}) })) } : {}),
        ...(last ? { lastDeployment: toPreviewDeployment(last) } : {}),
        ...(identity ? { identity } : {}),
        ...(Number.isFinite(created) ? { createdAt: new Date(created).toISOString() } : {}),
        ...(deployedAt ? { lastDeployedAt: deployedAt } : {}),
        ...(known.planned ? {} : { state: (0, preview_state_js_1.previewStateOf)(app.state, known.deployments ?? [], Boolean(app.commitId)) }),
        details: {
            appId: app.id,
            ...(app.ownerId ? { ownerId: app.ownerId } : {}),
            ...(app.zone ? { zone: app.zone } : {}),
            ...(app.instance?.variant?.slug ? { type: app.instance.variant.slug } : {}),
            ...(app.instance?.minFlavor?.name ? { flavor: app.instance.minFlavor.name } : {}),
            ...(app.instance?.minInstances !== undefined ? { instances: app.instance.minInstances } : {}),
            ...(app.deployment?.httpUrl ? { gitUrl: app.deployment.httpUrl } : {}),
            ...(app.commitId ? { runningCommit: app.commitId } : {}),
            ...(app.state ? { appState: app.state } : {}),
            tags,
            ...(known.planned ? { dryRun: true } : {}),
        },
    };
    preview[KNOWN] = known;
    return preview;
}


/***/ }),

/***/ 8655:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
exports.CleverCloudProvider = __webpack_unused_export__ = void 0;
/**
 * The Clever Cloud provider: one application per preview (named after it, tagged with the
 * preview's identity), its domains, environment and add-ons, deployed by git push. The app and
 * each add-on go through the one reconcile algorithm (`../reconcile.ts`). Nothing about a preview
 * is kept here between calls: what a step learnt rides in the Preview it returns
 * (preview-view.ts), so `up` reads each thing once — a re-run with nothing to change costs three
 * or four reads and no write. A Preview from `list()` carries the fleet it was read from
 * (fleet.ts), so that `prune` and the fleet cap, handing it back, remove or stop what they decided
 * on without listing again.
 */
const identity_js_1 = __webpack_require__(4845);
const errors_js_1 = __webpack_require__(4296);
const http_js_1 = __webpack_require__(4488);
const reconcile_js_1 = __webpack_require__(2698);
const addon_hooks_js_1 = __webpack_require__(6163);
const addons_js_1 = __webpack_require__(6633);
const api_js_1 = __webpack_require__(6740);
const app_body_js_1 = __webpack_require__(1972);
const app_hooks_js_1 = __webpack_require__(3514);
const auth_js_1 = __webpack_require__(7944);
const converge_js_1 = __webpack_require__(6535);
const deploy_js_1 = __webpack_require__(5245);
const domains_js_1 = __webpack_require__(8857);
const fleet_js_1 = __webpack_require__(3312);
const git_js_1 = __webpack_require__(8564);
const preview_state_js_1 = __webpack_require__(1616);
const preview_view_js_1 = __webpack_require__(5460);
__webpack_unused_export__ = ({ enumerable: true, get: function () { return preview_view_js_1.toPreviewDeployment; } });
const tags_js_1 = __webpack_require__(1107);
const gone = (preview) => new errors_js_1.ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });
class CleverCloudProvider {
    settings;
    context;
    id = 'clever-cloud';
    http;
    api;
    git;
    timing;
    reconcileTiming;
    /** What the last `list()` read, for the `destroy` and `sleep` that follow it. */
    constructor(settings, context, options = {}) {
        this.settings = settings;
        this.context = context;
        const creds = (0, auth_js_1.credentialsFrom)(settings);
        for (const secret of (0, auth_js_1.secretsOf)(creds))
            context.logger.addSecret(secret);
        const hint = (0, auth_js_1.authHint)(creds);
        this.http = new http_js_1.HttpClient({
            baseUrl: (0, auth_js_1.apiBaseUrl)(creds, settings.apiUrl),
            authHeaders: () => ({ authorization: (0, auth_js_1.apiAuthorization)(creds) }),
            logger: context.logger,
            deadline: context.deadline,
            label: 'Clever Cloud API',
            authHint: hint,
            forbiddenHint: (0, auth_js_1.forbiddenHint)(creds),
            backoffMs: options.retryInitialMs,
            requestTimeoutMs: options.requestTimeoutMs,
        });
        this.api = new api_js_1.CleverApi(this.http, settings.org);
        this.git = options.git ?? new git_js_1.SystemGit((0, auth_js_1.gitAuthorization)(creds), context.deadline, context.logger, hint, context.childEnv);
        this.timing = { ...deploy_js_1.DEFAULT_DEPLOY_TIMING, ...options.timing };
        this.reconcileTiming = { ...(options.retryInitialMs !== undefined ? { retryInitialMs: options.retryInitialMs } : {}), ...options.reconcile };
    }
    reconcileContext(ref) {
        const { plan, logger, deadline, adopt } = this.context;
        return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name, timing: this.reconcileTiming };
    }
    get addonRegion() {
        return this.settings.region ?? this.settings.zone;
    }
    appHooksInput(ref, body) {
        const planned = () => ({ app: { id: `(new application ${ref.name})`, name: ref.name, zone: this.settings.zone, vhosts: [] }, tags: (0, tags_js_1.ownershipTags)(ref) });
        return { api: this.api, ref, body, planned };
    }
    /** Hooks whose lookup is answered by the fleet the caller's Preview was listed from, when it shows the preview. */
    fleetHooks(ref, known) {
        const fleet = (0, fleet_js_1.fleetOf)(known);
        const candidates = (0, fleet_js_1.fleetRecords)(fleet, ref.name);
        return { hooks: (0, app_hooks_js_1.appHooks)({ ...this.appHooksInput(ref, () => undefined), ...(candidates ? { candidates } : {}) }), fleet: candidates ? fleet : undefined };
    }
    async find(ref) {
        const hooks = (0, app_hooks_js_1.appHooks)(this.appHooksInput(ref, () => undefined));
        const record = (0, reconcile_js_1.oursOf)(await (0, reconcile_js_1.lookup)(hooks, this.reconcileContext(ref)), hooks, this.context);
        if (!record)
            return undefined;
        const known = (0, preview_view_js_1.knowledgeFor)(record, ref.key);
        known.deployments = (0, deploy_js_1.newestFirst)(await this.api.deployments(record.app.id, 5));
        if (this.settings.addons.length > 0)
            known.addons = await this.api.linkedAddons(record.app.id);
        return (0, preview_view_js_1.toPreview)(known, ref.name);
    }
    async ensure(spec) {
        const ctx = this.reconcileContext(spec);
        const app = await this.ensureApp(spec, ctx);
        let { record, changed } = app;
        let restart;
        if (!app.createdHere && !app.planned) {
            const converged = await (0, converge_js_1.convergeApp)({ api: this.api, plan: this.context.plan, logger: this.context.logger, settings: this.settings, record, spec });
            ({ record, restart } = converged);
            changed ||= converged.changed;
        }
        const known = (0, preview_view_js_1.knowledgeFor)(record, spec.key, app.planned);
        if (restart)
            known.restart = restart;
        if (this.settings.addons.length > 0) {
            const result = await (0, addons_js_1.ensureAddons)({
                api: this.api,
                reconcile: ctx,
                spec,
                appId: app.planned ? undefined : record.app.id,
                fresh: app.createdHere || app.planned,
                requests: this.settings.addons,
                region: this.addonRegion,
            });
            known.addons = result.addons;
            changed ||= result.changed;
        }
        return { preview: (0, preview_view_js_1.toPreview)(known, spec.name), created: app.created, changed };
    }
    /** The preview's app: found, repaired, adopted (when asked) or created, with a create race settled. */
    async ensureApp(spec, ctx) {
        let body;
        const base = this.appHooksInput(spec, () => body);
        let hooks = (0, app_hooks_js_1.appHooks)(base);
        const found = await (0, reconcile_js_1.lookup)(hooks, ctx);
        const refused = (0, reconcile_js_1.refusal)(found, hooks, ctx);
        if (refused)
            throw refused;
        if (found.ours.length + found.repairable.length + found.foreign.length === 0) {
            // Everything a create needs is checked before the first write: runtime, add-on plans.
            const runtime = (0, app_body_js_1.pickRuntime)(await this.api.instanceProducts(), this.settings.type);
            for (const request of this.settings.addons)
                (0, addon_hooks_js_1.resolvePlan)(await this.api.addonProviders(), request, this.addonRegion);
            body = (0, app_body_js_1.createBody)({
                name: spec.name,
                description: `preview-kit preview of ${(0, identity_js_1.describeIdentity)(spec.identity)}`,
                settings: this.settings,
                runtime,
                env: spec.env,
                tags: (0, tags_js_1.ownershipTags)(spec),
            });
            hooks = (0, app_hooks_js_1.appHooks)({ ...base, createDetail: `${body.instanceType} ${body.minFlavor} in ${body.zone}` });
        }
        const outcome = await (0, reconcile_js_1.ensureResource)(hooks, ctx, found);
        const planned = outcome.planned === true;
        return { record: outcome.item, created: outcome.created, createdHere: outcome.how === 'created' && !planned, planned, changed: outcome.changed };
    }
    async setDomains(preview, spec) {
        const known = await this.knowledge(preview, spec);
        const current = known.planned ? { hosts: [], favourite: null } : await this.knownDomains(known);
        if (spec.domains.length === 0)
            return { changed: false, domains: (0, domains_js_1.previewDomains)(current.hosts, current.favourite ?? undefined) };
        const result = await (0, domains_js_1.ensureDomains)({
            api: this.api,
            plan: this.context.plan,
            appId: known.record.app.id,
            appName: preview.name,
            state: current,
            wanted: spec.domains,
            favourite: spec.favourite,
        });
        known.domains = result.state;
        return { changed: result.changed, domains: (0, domains_js_1.previewDomains)(result.state.hosts, result.state.favourite ?? undefined) };
    }
    async deploy(preview, spec, source) {
        const known = await this.knowledge(preview, spec);
        const url = preview.url || (0, preview_view_js_1.toPreview)(known, preview.name).url;
        if (known.planned) {
            await this.context.plan.apply({ kind: 'deploy', target: `application ${preview.name}`, detail: `push ${source.commit.slice(0, 7)}` }, async () => undefined, undefined);
            return { deployed: false, url, reason: 'dry run' };
        }
        const app = known.record.app;
        const outcome = await (0, deploy_js_1.deployCommit)({
            api: this.api,
            git: this.git,
            context: this.context,
            timing: this.timing,
            appId: app.id,
            appName: preview.name,
            remoteUrl: app.deployment?.httpUrl ?? '',
            commit: source.commit,
            dir: source.dir,
            force: source.force,
            known: known.deployments,
            runningCommit: app.commitId,
            ...(known.restart ? { restart: known.restart } : {}),
            asleep: (0, preview_state_js_1.isStopped)(app.state) && Boolean(app.commitId),
        });
        known.restart = undefined;
        if (outcome.deployment)
            known.deployments = [outcome.deployment, ...(known.deployments ?? []).filter((d) => d.uuid !== outcome.deployment.uuid)];
        // A deployment followed to its end (they all end OK here) runs: the app is up with that commit.
        if (outcome.deployment?.state === 'OK')
            known.record = { ...known.record, app: { ...app, state: 'SHOULD_BE_UP', commitId: outcome.deployment.commit ?? source.commit } };
        return {
            deployed: outcome.deployed,
            url,
            ...(outcome.reason ? { reason: outcome.reason } : {}),
            ...(outcome.deployment ? { deployment: (0, preview_view_js_1.toPreviewDeployment)(outcome.deployment) } : {}),
        };
    }
    async destroy(ref, known) {
        const { plan, logger } = this.context;
        const ctx = this.reconcileContext(ref);
        const { hooks, fleet } = this.fleetHooks(ref, known);
        const targets = (0, reconcile_js_1.teardownTargets)(await (0, reconcile_js_1.lookup)(hooks, ctx), hooks, ctx);
        if (targets.length > 1)
            logger.warn(`${targets.length} applications of this preview are named ${ref.name}: removing them all`);
        // Add-ons first: deleting an app is not known to delete them, and until the app is gone its
        // links still prove an untagged add-on ours.
        const addons = await (0, addons_js_1.teardownAddons)({ api: this.api, reconcile: ctx, ref, appIds: targets.map((t) => t.id), ...(fleet ? { listed: fleet.addons } : {}) });
        const removed = addons.removed;
        for (const target of targets) {
            // Gone afterwards either way: a delete answered 5xx and retried finds it already gone.
            await plan.apply({ kind: 'delete', target: `application ${ref.name}`, detail: target.id }, () => this.api.deleteApp(target.id), true);
            removed.push(`application ${ref.name} (${target.id})`);
        }
        if (!plan.dryRun)
            (0, fleet_js_1.forget)(fleet, new Set([...addons.ids, ...targets.map((t) => t.id)]));
        return { deleted: removed.length > 0, removed };
    }
    async sleep(ref, known) {
        const ctx = this.reconcileContext(ref);
        const { hooks } = this.fleetHooks(ref, known);
        const found = await (0, reconcile_js_1.lookup)(hooks, ctx);
        // Only this preview's apps are stopped: another preview's or an unmarked one is never touched.
        (0, reconcile_js_1.oursOf)(found, hooks, this.context);
        const stopped = [];
        for (const { item: record } of [...found.ours, ...found.repairable]) {
            const app = record.app;
            if ((0, preview_state_js_1.isStopped)(app.state))
                continue;
            await this.context.plan.apply({ kind: 'update', target: `application ${ref.name}`, detail: `stop its instances (${app.id})` }, () => this.api.stopInstances(app.id), undefined);
            stopped.push(`instances of application ${ref.name} (${app.id})`);
            if (!this.context.plan.dryRun)
                record.app = { ...app, state: 'SHOULD_BE_DOWN' };
        }
        return { slept: stopped.length > 0, stopped };
    }
    async list() {
        const fleet = await (0, fleet_js_1.readFleet)(this.api, this.context.deadline.clock.now(), this.context.logger);
        // Ours and attributable: an app without a readable identity names no preview `prune` could judge.
        const apps = fleet.apps.map((a) => ({ ...a, marks: (0, tags_js_1.marksOf)(a.record.tags) })).filter((a) => a.marks.identity !== undefined);
        apps.sort((a, b) => ((0, app_hooks_js_1.createdAtOf)(a.record.app) ?? Infinity) - ((0, app_hooks_js_1.createdAtOf)(b.record.app) ?? Infinity) || (a.record.app.id < b.record.app.id ? -1 : 1));
        // One preview per name and identity: a duplicate of a past race is not another preview.
        const previews = new Map();
        for (const { record, deployments, marks } of apps) {
            const { key } = marks;
            const id = `${record.app.name}\u0000${key ?? record.app.id}`;
            if (previews.has(id))
                continue;
            const known = (0, preview_view_js_1.knowledgeFor)(record, key ?? '');
            known.deployments = deployments;
            previews.set(id, (0, fleet_js_1.withFleet)((0, preview_view_js_1.toPreview)(known, record.app.name), fleet));
        }
        return [...previews.values()];
    }
    /** What the Preview carries, else the app read again — and checked to be this preview's. */
    async knowledge(preview, ref) {
        const carried = (0, preview_view_js_1.knowledgeOf)(preview, ref);
        if (carried)
            return carried;
        const app = await this.api.getApp(preview.id);
        if (!app)
            throw gone(preview);
        const [record] = await (0, app_hooks_js_1.withTags)(this.api, [app]);
        if (!record)
            throw gone(preview);
        const ownership = (0, reconcile_js_1.ownershipOf)((0, tags_js_1.marksOf)(record.tags), ref.key);
        if (ownership.kind !== 'ours') {
            const whose = ownership.kind === 'other' ? ownership.whose : 'nobody known to preview-kit (no preview-kit tags)';
            throw new errors_js_1.SafetyError(`${preview.name}: application ${preview.id} belongs to ${whose}, not to ${(0, identity_js_1.describeIdentity)(ref.identity)}: refusing to change it`, {
                hint: 'run ensure-app for this preview first (with --adopt for an app preview-kit did not create)',
            });
        }
        return (0, preview_view_js_1.knowledgeFor)(record, ref.key);
    }
    /** Domains as known, read once when the app view did not carry them. */
    async knownDomains(known) {
        known.domains ??= { hosts: (0, domains_js_1.normaliseVhosts)(await this.api.vhosts(known.record.app.id)) };
        return known.domains;
    }
}
exports.CleverCloudProvider = CleverCloudProvider;


/***/ }),

/***/ 1107:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.keyTag = keyTag;
exports.identityTag = identityTag;
exports.ownershipTags = ownershipTags;
exports.marksOf = marksOf;
exports.missingTags = missingTags;
exports.untouched = untouched;
/**
 * Ownership tags. Everything a preview creates carries three tags: the marker `preview-kit`, the
 * identity key `preview-kit:key:<key>` (what every lookup compares) and the readable identity
 * `preview-kit:id:<segments>` (what `list()` reads back for `prune`, and what a refusal names).
 * Tags travel as URL path segments (`PUT …/tags/{tag}`); the identity's segments are escaped so
 * that no `/` ever reaches a path (servers in front of APIs often refuse an encoded slash).
 */
const identity_js_1 = __webpack_require__(4845);
const types_js_1 = __webpack_require__(2695);
const KEY_PREFIX = `${types_js_1.OWNER_MARKER}:key:`;
const IDENTITY_PREFIX = `${types_js_1.OWNER_MARKER}:id:`;
function keyTag(key) {
    return `${KEY_PREFIX}${key}`;
}
function identityTag(ref) {
    return `${IDENTITY_PREFIX}${(0, identity_js_1.identitySegments)(ref.identity)}`;
}
/**
 * The tags of a preview, in the order they are written one by one (add-ons, repairs): the key
 * first — alone, it already proves whose the resource is — then the readable identity, then the
 * marker last, so that a resource carrying the marker always carries its key too.
 */
function ownershipTags(ref) {
    return [keyTag(ref.key), identityTag(ref), types_js_1.OWNER_MARKER];
}
function keyIn(tags) {
    for (const tag of tags) {
        if (!tag.startsWith(KEY_PREFIX))
            continue;
        const key = tag.slice(KEY_PREFIX.length);
        if (identity_js_1.KEY_PATTERN.test(key))
            return key;
    }
    return undefined;
}
/**
 * What the tags say. A key tag counts as a mark even without the marker: only preview-kit writes
 * `preview-kit:key:…` tags, and a run interrupted between two tag writes leaves the key alone.
 */
function marksOf(tags) {
    const key = keyIn(tags);
    const identityTagFound = tags.find((t) => t.startsWith(IDENTITY_PREFIX));
    const identity = identityTagFound === undefined ? undefined : (0, identity_js_1.parseIdentitySegments)(identityTagFound.slice(IDENTITY_PREFIX.length));
    return {
        marker: tags.includes(types_js_1.OWNER_MARKER) || key !== undefined,
        ...(key !== undefined ? { key } : {}),
        ...(identity ? { identity } : {}),
    };
}
/**
 * Tags of this preview the resource lacks, in writing order. A readable identity already there is
 * kept as it is (the fork it names is not part of the key and may be spelt differently now).
 */
function missingTags(tags, ref) {
    const hasIdentity = tags.some((t) => t.startsWith(IDENTITY_PREFIX));
    return ownershipTags(ref).filter((t) => !tags.includes(t) && !(t.startsWith(IDENTITY_PREFIX) && hasIdentity));
}
/** Carries no tag of preview-kit's at all (so a resource that lost them, or never got them). */
function untouched(tags) {
    return !tags.some((t) => t === types_js_1.OWNER_MARKER || t.startsWith(`${types_js_1.OWNER_MARKER}:`));
}


/***/ })

};
