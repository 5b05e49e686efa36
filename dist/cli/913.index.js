export const id = 913;
export const ids = [913];
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
        ...(settings.basicAuth ? { basicAuth: settings.basicAuth } : {}),
    };
}
function withPlan(result, ctx) {
    const plan = ctx.context.plan;
    return { ...result, plan: plan.describe(), ...(plan.dryRun ? { dryRun: true } : {}) };
}


/***/ }),

/***/ 8620:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.durationText = durationText;
exports.previewsOfProject = previewsOfProject;
exports.parseKeep = parseKeep;
exports.isKept = isKept;
exports.lastActivity = lastActivity;
exports.choosePrunes = choosePrunes;
/**
 * What `prune` decides, without doing it: which previews of the project go (their branch is gone,
 * their pull request is not open, no deployment for longer than --ttl, over --max), which go to
 * sleep (idle longer than --sleep-after) and which stay. Pure, so the rules are tested on their own.
 */
const identity_js_1 = __webpack_require__(4845);
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
function parseKeep(entries) {
    const out = { branches: new Set(), prs: new Set() };
    for (const entry of entries) {
        const number = /^[#!]?(\d{1,15})$/.exec(entry);
        if (number)
            out.prs.add(Number(number[1]));
        // A bare number may also be a branch's name: keeping more is the safe way to be wrong.
        if (!number || /^\d+$/.test(entry))
            out.branches.add(entry);
    }
    return out;
}
/** A preview survives `--keep` when its recorded branch, or its pull request, is listed. */
function isKept(preview, keep) {
    const id = preview.identity;
    if (!id)
        return true;
    if (id.pr !== undefined)
        return keep.prs.has(id.pr);
    return id.branch !== undefined && keep.branches.has(id.branch);
}
/** When the preview was last deployed — else created — in ms; undefined when the platform says neither. */
function lastActivity(preview) {
    const at = preview.lastDeployedAt ?? preview.lastDeployment?.createdAt ?? preview.createdAt;
    const ms = at ? Date.parse(at) : Number.NaN;
    return Number.isFinite(ms) ? ms : undefined;
}
function createdAt(preview) {
    const ms = preview.createdAt ? Date.parse(preview.createdAt) : Number.NaN;
    return Number.isFinite(ms) ? ms : undefined;
}
/**
 * Which previews to remove: those whose branch is not in `keep` (when a keep list is given), those
 * not deployed for longer than the TTL (or created longer ago, with `ttlFrom: created`), then the
 * least recently deployed beyond `max`; which to put to sleep: awake previews not deployed for
 * longer than `sleepAfterMs`. A preview whose times the platform does not tell is never judged by age.
 */
function choosePrunes(previews, options) {
    const remove = new Map();
    const sleep = new Map();
    const keep = options.keep && options.keep.length > 0 ? parseKeep(options.keep) : undefined;
    const byCreation = options.ttlFrom === 'created';
    const idle = (p) => {
        const at = lastActivity(p);
        return at === undefined ? 0 : options.now - at;
    };
    for (const p of previews) {
        const ttlAge = byCreation ? (createdAt(p) === undefined ? 0 : options.now - createdAt(p)) : idle(p);
        if (keep && !isKept(p, keep)) {
            remove.set(p.name, { preview: p, why: p.identity?.pr !== undefined ? `pull request #${p.identity.pr} is not open` : 'branch is gone' });
        }
        else if (options.ttlMs !== undefined && ttlAge > options.ttlMs) {
            remove.set(p.name, { preview: p, why: byCreation ? `created more than ${durationText(options.ttlMs)} ago` : `not deployed for more than ${durationText(options.ttlMs)}` });
        }
        else if (options.sleepAfterMs !== undefined && p.state !== 'sleeping' && idle(p) > options.sleepAfterMs) {
            sleep.set(p.name, { preview: p, why: `not deployed for more than ${durationText(options.sleepAfterMs)}` });
        }
    }
    if (options.max !== undefined) {
        const left = previews.filter((p) => !remove.has(p.name)).sort((a, b) => idle(b) - idle(a) || a.name.localeCompare(b.name));
        for (const p of left.slice(0, Math.max(0, left.length - options.max))) {
            sleep.delete(p.name);
            remove.set(p.name, { preview: p, why: `over --max ${options.max}` });
        }
    }
    return { remove: [...remove.values()], sleep: [...sleep.values()], keep: previews.filter((p) => !remove.has(p.name) && !sleep.has(p.name)) };
}


/***/ }),

/***/ 7913:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.previewsOfProject = exports.parseKeep = exports.isKept = exports.durationText = exports.choosePrunes = void 0;
exports.prune = prune;
/**
 * `prune`: removes — or puts to sleep — the project's previews that `prune-choice.ts` picks, a few
 * at a time (`--parallel`), each retried under the deadline; one failure does not stop the others.
 * The result says what was removed, slept, kept and what failed; any failure makes the run exit 5
 * once everything else is done and reported.
 */
const errors_js_1 = __webpack_require__(4296);
const identity_js_1 = __webpack_require__(4845);
const parallel_js_1 = __webpack_require__(2112);
const retry_js_1 = __webpack_require__(7253);
const context_js_1 = __webpack_require__(165);
const prune_choice_js_1 = __webpack_require__(8620);
var prune_choice_js_2 = __webpack_require__(8620);
Object.defineProperty(exports, "choosePrunes", ({ enumerable: true, get: function () { return prune_choice_js_2.choosePrunes; } }));
Object.defineProperty(exports, "durationText", ({ enumerable: true, get: function () { return prune_choice_js_2.durationText; } }));
Object.defineProperty(exports, "isKept", ({ enumerable: true, get: function () { return prune_choice_js_2.isKept; } }));
Object.defineProperty(exports, "parseKeep", ({ enumerable: true, get: function () { return prune_choice_js_2.parseKeep; } }));
Object.defineProperty(exports, "previewsOfProject", ({ enumerable: true, get: function () { return prune_choice_js_2.previewsOfProject; } }));
function decision(preview, action, why) {
    const d = preview.lastDeployment;
    const last = preview.lastDeployedAt ?? d?.createdAt;
    return {
        name: preview.name,
        ...(preview.identity ? { identity: preview.identity } : {}),
        ...(preview.url ? { url: preview.url } : {}),
        ...(last ? { lastDeployed: last } : {}),
        ...(d?.commit ? { commit: d.commit } : {}),
        ...(preview.state ? { state: preview.state } : {}),
        action,
        ...(why ? { why } : {}),
    };
}
function refOfPreview(preview) {
    const identity = preview.identity;
    return { name: preview.name, identity, key: (0, identity_js_1.identityKey)(identity) };
}
async function prune(ctx) {
    const s = ctx.settings;
    const { logger, plan, deadline } = ctx.context;
    if (s.ttl === undefined && s.max === undefined && s.keep.length === 0 && s.sleepAfter === undefined) {
        throw new errors_js_1.ConfigError('prune: nothing to decide on', { hint: 'give --ttl, --sleep-after, --max or --keep (the branches and open pull requests)' });
    }
    const previews = (0, prune_choice_js_1.previewsOfProject)(await ctx.provider.list(), s.app, s.prefix);
    const choice = (0, prune_choice_js_1.choosePrunes)(previews, { keep: s.keep, ttlMs: s.ttl, ttlFrom: s.ttlFrom, sleepAfterMs: s.sleepAfter, max: s.max, now: Date.now() });
    if (s.keep.length > 0 && choice.keep.length === 0 && choice.sleep.length === 0 && previews.length > 1) {
        throw new errors_js_1.SafetyError(`prune: --keep matches none of the ${previews.length} previews; refusing to remove them all`, {
            hint: 'check --keep and --app',
        });
    }
    const dry = plan.dryRun;
    // Each removal is retried while the platform says "try again", within the command's deadline.
    const again = (what, fn) => (0, retry_js_1.retry)(fn, { attempts: 3, deadline, initialMs: 1_000, maxMs: 10_000, what, retryIf: errors_js_1.isRetryable });
    const jobs = [
        ...choice.remove.map(({ preview, why }) => ({ preview, why, kind: 'remove' })),
        ...choice.sleep.map(({ preview, why }) => ({ preview, why, kind: 'sleep' })),
    ];
    const failures = [];
    const done = await (0, parallel_js_1.mapLimit)(jobs, s.parallel, async ({ preview, why, kind }) => {
        logger.info(`${dry ? 'would' : kind === 'remove' ? 'removing' : 'putting to sleep'}${dry ? ` ${kind}` : ''} ${preview.name}: ${why}`);
        try {
            if (kind === 'remove') {
                const result = await again(`remove ${preview.name}`, () => ctx.provider.destroy(refOfPreview(preview), preview));
                return decision(preview, result.deleted ? (dry ? 'would remove' : 'removed') : 'already gone', why);
            }
            const result = await again(`put ${preview.name} to sleep`, () => ctx.provider.sleep(refOfPreview(preview), preview));
            return decision(preview, result.slept ? (dry ? 'would sleep' : 'slept') : 'asleep already', why);
        }
        catch (error) {
            const reason = (0, errors_js_1.describeError)(error);
            failures.push(`${preview.name}: ${reason}`);
            logger.warn(`could not ${kind === 'remove' ? 'remove' : 'put to sleep'} ${preview.name}: ${reason}`);
            return decision(preview, 'failed', `${why}; ${reason}`);
        }
    });
    const removed = done.filter((d) => d.action === 'removed' || d.action === 'would remove').map((d) => d.name);
    // Builds outlive their previews on some platforms; only an age says when they are stale.
    const removedImages = [];
    if (s.ttl !== undefined && ctx.provider.pruneImages) {
        removedImages.push(...(await ctx.provider.pruneImages(s.ttl, { app: s.app, removedPreviews: removed })));
    }
    const decisions = [...done, ...choice.keep.map((preview) => decision(preview, 'kept'))];
    const slept = done.filter((d) => d.action === 'slept' || d.action === 'would sleep').map((d) => d.name);
    const result = {
        command: 'prune',
        name: s.app,
        removed,
        slept,
        removedImages,
        kept: choice.keep.map((p) => p.name),
        failed: failures.map((f) => f.split(':')[0]),
        decisions,
    };
    if (failures.length > 0) {
        result.exitCode = 5;
        result.failure = `prune: ${failures.length} of ${jobs.length} previews failed: ${failures.join('; ')}`;
    }
    return (0, context_js_1.withPlan)(result, ctx);
}


/***/ }),

/***/ 2112:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Bounded concurrency: what prunes, listings and lookups use so that a thousand previews are not a
 * thousand requests in flight.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.mapLimit = mapLimit;
/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the items' order. */
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < items.length; i = next++)
            out[i] = await fn(items[i], i);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return out;
}


/***/ })

};
