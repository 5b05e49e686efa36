export const id = 481;
export const ids = [481,812,671,839,913];
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

/***/ 3839:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.deployStep = deployStep;
exports.waitForUrl = waitForUrl;
exports.deploy = deploy;
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const context_js_1 = __webpack_require__(165);
const set_domain_js_1 = __webpack_require__(8671);
async function deployStep(ctx, preview) {
    const commit = await ctx.resolveCommit();
    const result = await ctx.context.logger.group(`deploy ${commit.slice(0, 7)} to ${preview.name}`, () => ctx.provider.deploy(preview, (0, context_js_1.specOf)(ctx.settings), { dir: ctx.settings.source, commit, force: ctx.settings.force }));
    // In a dry run the plan printed at the end says what would be deployed.
    if (!result.deployed && result.reason && !(ctx.context.plan.dryRun && result.reason === 'dry run'))
        ctx.context.logger.info(`nothing to deploy: ${result.reason}`);
    if (ctx.settings.waitUrl && !ctx.context.plan.dryRun)
        await waitForUrl(ctx, result.url);
    return { ...result, commit };
}
/** Polls the preview's URL until it answers with a status below 500 other than 404. */
async function waitForUrl(ctx, url) {
    const target = new URL(ctx.settings.healthPath, url).toString();
    let last = 'no answer yet';
    await ctx.context.logger.group(`wait for ${target}`, () => (0, retry_js_1.poll)(async () => {
        try {
            const res = await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
            await res.arrayBuffer().catch(() => undefined);
            last = `HTTP ${res.status}`;
            return res.status < 500 && res.status !== 404 ? true : undefined;
        }
        catch (error) {
            last = (error.cause?.code ?? error.message) || 'error';
            return undefined;
        }
    }, {
        deadline: ctx.context.deadline,
        what: `${target} to answer (last: ${last})`,
        initialMs: 500,
        maxMs: 5_000,
        onWait: (elapsed) => ctx.context.logger.progress(`${target}: ${last} after ${Math.round(elapsed / 1000)}s`),
    }).catch((error) => {
        throw error instanceof errors_js_1.ProviderError ? error : new errors_js_1.ProviderError(`${error.message} (last: ${last})`, { hint: 'check the application logs' });
    }));
}
async function deploy(ctx) {
    await ctx.resolveCommit(); // a bad --commit is a usage error, found without asking the platform
    const preview = await (0, set_domain_js_1.requirePreview)(ctx, 'deploy');
    const result = await deployStep(ctx, preview);
    return (0, context_js_1.withPlan)({ command: 'deploy', name: preview.name, id: preview.id, url: result.url, deployed: result.deployed, commit: result.commit }, ctx);
}


/***/ }),

/***/ 7812:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ensureAppStep = ensureAppStep;
exports.ensureApp = ensureApp;
const context_js_1 = __webpack_require__(165);
async function ensureAppStep(ctx) {
    return ctx.context.logger.group(`ensure app ${ctx.settings.name}`, () => ctx.provider.ensure((0, context_js_1.specOf)(ctx.settings)));
}
async function ensureApp(ctx) {
    const { preview, created, changed } = await ensureAppStep(ctx);
    return (0, context_js_1.withPlan)({ command: 'ensure-app', name: preview.name, id: preview.id, url: preview.url, created, changed }, ctx);
}


/***/ }),

/***/ 7055:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.activityOf = activityOf;
exports.capDecision = capDecision;
exports.enforceCap = enforceCap;
/**
 * The fleet cap (`--max-previews N`): an `up` that would make preview N+1 of the project first
 * evicts the least recently deployed *other* preview — puts it to sleep or deletes it, by policy —
 * or refuses with exit 6. Only a preview that does not exist yet is judged: re-running `up` for a
 * preview that is there never evicts anything. Runs racing at the cap each evict at most one, so
 * they overshoot by at most their number; the preview being deployed is never a candidate.
 */
const errors_js_1 = __webpack_require__(4296);
const identity_js_1 = __webpack_require__(4845);
const context_js_1 = __webpack_require__(165);
const prune_js_1 = __webpack_require__(7913);
/** When the preview was last deployed, else created, else now: a preview never deployed counts as the newest. */
function activityOf(preview, now) {
    const at = preview.lastDeployedAt ?? preview.lastDeployment?.createdAt ?? preview.createdAt;
    const ms = at ? Date.parse(at) : Number.NaN;
    return Number.isFinite(ms) ? ms : now;
}
/** Pure: what the cap asks for, given the project's previews (without the one being deployed). */
function capDecision(others, cap, policy, now) {
    // Sleeping previews cost no compute: under the sleep policy only awake ones count.
    const counted = policy === 'sleep' ? others.filter((p) => p.state !== 'sleeping') : others;
    if (counted.length < cap)
        return { counted: counted.length };
    const oldest = [...counted].sort((a, b) => activityOf(a, now) - activityOf(b, now) || a.name.localeCompare(b.name))[0];
    return { counted: counted.length, ...(oldest ? { evict: oldest } : {}) };
}
/** Applies the cap before `up` creates a preview; a no-op without --max-previews or when the preview exists. */
async function enforceCap(ctx) {
    const s = ctx.settings;
    if (s.maxPreviews === undefined)
        return undefined;
    const ref = (0, context_js_1.refOf)(s);
    if (await ctx.provider.find(ref))
        return undefined;
    const others = (0, prune_js_1.previewsOfProject)(await ctx.provider.list(), s.app, s.prefix).filter((p) => p.identity && (0, identity_js_1.identityKey)(p.identity) !== ref.key);
    const decision = capDecision(others, s.maxPreviews, s.capPolicy, Date.now());
    const victim = decision.evict;
    if (!victim)
        return undefined;
    const whose = (0, identity_js_1.describeIdentity)(victim.identity);
    if (s.capPolicy === 'refuse') {
        throw new errors_js_1.SafetyError(`up ${ref.name}: the project has ${decision.counted} previews, the most --max-previews ${s.maxPreviews} allows`, {
            hint: `stop one (the least recently deployed is ${victim.name}, ${whose}), raise --max-previews, or choose --max-previews-policy sleep or delete`,
        });
    }
    const victimRef = { name: victim.name, identity: victim.identity, key: (0, identity_js_1.identityKey)(victim.identity) };
    const { logger } = ctx.context;
    if (s.capPolicy === 'sleep') {
        logger.info(`--max-previews ${s.maxPreviews}: putting ${victim.name} (${whose}), the least recently deployed, to sleep`);
        await ctx.provider.sleep(victimRef, victim);
        return `slept ${victim.name}`;
    }
    logger.info(`--max-previews ${s.maxPreviews}: removing ${victim.name} (${whose}), the least recently deployed`);
    await ctx.provider.destroy(victimRef, victim);
    return `removed ${victim.name}`;
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

/***/ 8671:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.requirePreview = requirePreview;
exports.setDomainStep = setDomainStep;
exports.setDomain = setDomain;
const errors_js_1 = __webpack_require__(4296);
const context_js_1 = __webpack_require__(165);
/** Looks the preview up for commands that need it to exist already. */
async function requirePreview(ctx, command) {
    const preview = await ctx.provider.find((0, context_js_1.refOf)(ctx.settings));
    if (!preview) {
        throw new errors_js_1.NotFoundError(`${command}: preview ${ctx.settings.name} does not exist`, {
            hint: 'run `preview-kit ensure-app` or `preview-kit up` first',
        });
    }
    return preview;
}
async function setDomainStep(ctx, preview, options = {}) {
    if (ctx.settings.domains.length === 0) {
        // Asked for by name (not as part of `up`), saying nothing would look like a silent success.
        if (!options.quiet)
            ctx.context.logger.info('no domain given (--domain or PREVIEW_DOMAIN): nothing to attach; the preview keeps its default domain');
        return { changed: false, preview };
    }
    const result = await ctx.context.logger.group(`set domains ${ctx.settings.domains.join(', ')}`, () => ctx.provider.setDomains(preview, (0, context_js_1.specOf)(ctx.settings)));
    const url = ctx.settings.domains[0] ? `https://${ctx.settings.domains[0]}` : preview.url;
    return { changed: result.changed, preview: { ...preview, domains: result.domains, url } };
}
async function setDomain(ctx) {
    const preview = await requirePreview(ctx, 'set-domain');
    const { changed, preview: updated } = await setDomainStep(ctx, preview);
    return (0, context_js_1.withPlan)({ command: 'set-domain', name: updated.name, id: updated.id, url: updated.url, changed, domains: updated.domains.map((d) => d.host) }, ctx);
}


/***/ }),

/***/ 5481:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.up = up;
const context_js_1 = __webpack_require__(165);
const fleet_cap_js_1 = __webpack_require__(7055);
const deploy_js_1 = __webpack_require__(3839);
const ensure_app_js_1 = __webpack_require__(7812);
const set_domain_js_1 = __webpack_require__(8671);
/** ensure-app + set-domain + deploy in one process, sharing what each step learnt. */
async function up(ctx) {
    // An unknown --commit or a directory that is no checkout must fail before the app is created.
    await ctx.resolveCommit();
    const evicted = await (0, fleet_cap_js_1.enforceCap)(ctx);
    const ensured = await (0, ensure_app_js_1.ensureAppStep)(ctx);
    const domains = await (0, set_domain_js_1.setDomainStep)(ctx, ensured.preview, { quiet: true });
    const deployed = await (0, deploy_js_1.deployStep)(ctx, domains.preview);
    return (0, context_js_1.withPlan)({
        command: 'up',
        name: ensured.preview.name,
        id: ensured.preview.id,
        url: deployed.url || domains.preview.url,
        created: ensured.created,
        changed: ensured.changed || domains.changed,
        deployed: deployed.deployed,
        commit: deployed.commit,
        ...(evicted ? { evicted } : {}),
    }, ctx);
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
