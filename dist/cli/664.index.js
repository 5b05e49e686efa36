export const id = 664;
export const ids = [664,913];
export const modules = {

/***/ 165:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.refOf = refOf;
exports.specOf = specOf;
exports.withPlan = withPlan;
/**
 * What every command receives: validated settings, the provider, the shared context.
 */
const errors_js_1 = __webpack_require__(4296);
/** Which preview the settings describe. */
function refOf(settings) {
    if (!settings.identity || !settings.key) {
        throw new errors_js_1.ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', { hint: 'pass --branch or --pr' });
    }
    return { name: settings.name, identity: settings.identity, key: settings.key };
}
function specOf(settings) {
    return {
        ...refOf(settings),
        env: settings.env,
        domains: settings.domains,
        favourite: settings.favourite,
        healthPath: settings.healthPath,
    };
}
function withPlan(result, ctx) {
    const plan = ctx.context.plan;
    return { ...result, plan: plan.describe(), ...(plan.dryRun ? { dryRun: true } : {}) };
}


/***/ }),

/***/ 9664:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.listed = listed;
exports.list = list;
const prune_js_1 = __webpack_require__(7913);
function listed(preview) {
    const d = preview.lastDeployment;
    return {
        name: preview.name,
        id: preview.id,
        url: preview.url,
        identity: preview.identity,
        ...(preview.createdAt ? { createdAt: preview.createdAt } : {}),
        ...(d?.state ? { state: d.state } : {}),
        ...(d?.commit ? { commit: d.commit } : {}),
    };
}
async function list(ctx) {
    const s = ctx.settings;
    const ours = (await ctx.provider.list()).filter((p) => p.identity !== undefined);
    const chosen = s.all ? ours : (0, prune_js_1.previewsOfProject)(ours, s.app, s.prefix);
    const previews = chosen.map(listed).sort((a, b) => a.name.localeCompare(b.name));
    return { command: 'list', name: s.all ? '(all projects)' : s.app, previews };
}


/***/ }),

/***/ 7913:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.durationText = durationText;
exports.previewsOfProject = previewsOfProject;
exports.choosePrunes = choosePrunes;
exports.prune = prune;
const errors_js_1 = __webpack_require__(4296);
const identity_js_1 = __webpack_require__(4845);
const context_js_1 = __webpack_require__(165);
/** `90m` → `1h30m`, `7d` → `7d`: the way people write --ttl. */
function durationText(ms) {
    const units = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]];
    let rest = Math.round(ms / 1000) * 1000;
    let out = '';
    for (const [unit, size] of units) {
        const n = Math.floor(rest / size);
        if (n > 0)
            out += `${n}${unit}`;
        rest -= n * size;
    }
    return out || '0s';
}
/**
 * The previews of one project. Names cannot tell `shop` + branch `api-x` from `shop-api` + branch
 * `x`, so only the identity recorded on a preview decides; a preview without one is never judged.
 */
function previewsOfProject(previews, app, prefix) {
    return previews.filter((p) => p.identity !== undefined && (0, identity_js_1.sameProject)(p.identity, app, prefix));
}
/**
 * Which previews to remove: those whose branch is not in `keep` (when a keep list is given),
 * those older than the TTL, then the oldest beyond `max`. Pure, so it is tested on its own.
 */
function choosePrunes(previews, options) {
    const remove = new Map();
    const age = (p) => (p.createdAt ? options.now - Date.parse(p.createdAt) : 0);
    for (const p of previews) {
        if (options.keepBranches && options.keepBranches.length > 0 && !(p.identity?.branch !== undefined && options.keepBranches.includes(p.identity.branch))) {
            remove.set(p.name, { preview: p, why: 'branch is gone' });
        }
        else if (options.ttlMs !== undefined && age(p) > options.ttlMs) {
            remove.set(p.name, { preview: p, why: `older than ${durationText(options.ttlMs)}` });
        }
    }
    if (options.max !== undefined) {
        const left = previews.filter((p) => !remove.has(p.name)).sort((a, b) => age(b) - age(a));
        for (const p of left.slice(0, Math.max(0, left.length - options.max)))
            remove.set(p.name, { preview: p, why: `over --max ${options.max}` });
    }
    return { remove: [...remove.values()], keep: previews.filter((p) => !remove.has(p.name)) };
}
async function prune(ctx) {
    const s = ctx.settings;
    if (s.ttl === undefined && s.max === undefined && s.keep.length === 0) {
        throw new errors_js_1.ConfigError('prune: nothing to decide on', { hint: 'give --ttl, --max or --keep (the branches that still exist)' });
    }
    const previews = previewsOfProject(await ctx.provider.list(), s.app, s.prefix);
    const choice = choosePrunes(previews, { keepBranches: s.keep, ttlMs: s.ttl, max: s.max, now: Date.now() });
    if (s.keep.length > 0 && choice.keep.length === 0 && previews.length > 1) {
        throw new errors_js_1.SafetyError(`prune: --keep matches none of the ${previews.length} previews; refusing to remove them all`, {
            hint: 'check --keep and --app',
        });
    }
    const removed = [];
    for (const { preview, why } of choice.remove) {
        ctx.context.logger.info(`${ctx.context.plan.dryRun ? 'would remove' : 'removing'} ${preview.name}: ${why}`);
        const identity = preview.identity;
        const result = await ctx.provider.destroy({ name: preview.name, identity, key: (0, identity_js_1.identityKey)(identity) });
        if (result.deleted)
            removed.push(preview.name);
    }
    // Builds outlive their previews on some platforms; only an age says when they are stale.
    const removedImages = [];
    if (s.ttl !== undefined && ctx.provider.pruneImages) {
        removedImages.push(...(await ctx.provider.pruneImages(s.ttl, { app: s.app, removedPreviews: removed })));
    }
    return (0, context_js_1.withPlan)({ command: 'prune', name: s.app, removed, removedImages, kept: choice.keep.map((p) => p.name) }, ctx);
}


/***/ })

};
