export const id = 233;
export const ids = [233];
export const modules = {

/***/ 4488:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.HttpClient = exports.RequestStats = void 0;
exports.errorMessageOf = errorMessageOf;
exports.networkFailure = networkFailure;
exports.assertSendable = assertSendable;
/**
 * A small JSON-over-HTTP client on `fetch` for the platforms' REST APIs: one place that maps
 * status codes to our error types, retries what is safe to retry, honours Retry-After, applies
 * the command's deadline, logs each request at debug level and counts requests for benchmarks.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
/** Counts of requests by method, for benchmarks and `--debug`. */
class RequestStats {
    byMethod = {};
    total = 0;
    record(method) {
        this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
        this.total++;
    }
    get mutating() {
        return this.total - (this.byMethod.GET ?? 0) - (this.byMethod.HEAD ?? 0);
    }
}
exports.RequestStats = RequestStats;
function parseBody(text, contentType) {
    if (text === '')
        return undefined;
    if (contentType?.includes('json') || /^[[{"]/.test(text.trim())) {
        try {
            return JSON.parse(text);
        }
        catch {
            return text;
        }
    }
    return text;
}
/** The platform's own words from an error body, whatever its shape (JSON or an HTML error page). */
function errorMessageOf(body) {
    if (body && typeof body === 'object') {
        const b = body;
        for (const key of ['message', 'error', 'error_description', 'reason', 'details']) {
            if (typeof b[key] === 'string' && b[key])
                return b[key];
        }
        return undefined;
    }
    if (typeof body === 'string' && body.trim()) {
        const text = body
            .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim();
        return text.length > 160 ? `${text.slice(0, 157)}...` : text || undefined;
    }
    return undefined;
}
function retryAfterSeconds(headers) {
    const value = headers.get('retry-after');
    if (!value)
        return undefined;
    const n = Number(value);
    if (Number.isFinite(n))
        return Math.min(Math.max(n, 0), 60);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.min(Math.max(0, (date - Date.now()) / 1000), 60);
}
/** Certificate verification errors (OpenSSL's names, as Node reports them): settings can fix these. */
const CERTIFICATE_ERRORS = {
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    CERT_NOT_YET_VALID: 'TLS certificate not yet valid',
    CERT_UNTRUSTED: 'TLS certificate not trusted',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not verifiable (issuer unknown)',
    UNABLE_TO_GET_ISSUER_CERT: 'TLS certificate issuer unknown',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer unknown',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};
/**
 * Why a request got no answer, in words, and whether asking again may help. Nothing listening
 * (ECONNREFUSED), a host name that does not resolve (ENOTFOUND), a refused certificate or a TLS
 * handshake with something that does not speak TLS is a wrong setting far more often than a blip:
 * retrying them only delays the error by seconds.
 */
function networkFailure(error, timeoutMs) {
    const e = error;
    if (e?.name === 'TimeoutError')
        return { why: `no answer within ${Math.round(timeoutMs / 1000)}s`, retryable: true };
    const code = e?.cause?.code;
    if (code && CERTIFICATE_ERRORS[code])
        return { why: CERTIFICATE_ERRORS[code], retryable: false, tls: 'certificate' };
    // OpenSSL's handshake failures (ERR_SSL_WRONG_VERSION_NUMBER: plain HTTP on that port, alerts
    // from the server...) come back the same on every attempt.
    if (code?.startsWith('ERR_SSL_')) {
        const detail = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? 'TLS handshake failed (wrong version number: the server does not speak TLS there)' : `TLS handshake failed (${code})`;
        return { why: detail, retryable: false, tls: 'protocol' };
    }
    const final = {
        ECONNREFUSED: 'connection refused (nothing listens there)',
        ENOTFOUND: 'host name not found',
    };
    if (code && final[code])
        return { why: final[code], retryable: false };
    const transient = { ECONNRESET: 'connection reset', ETIMEDOUT: 'connection timed out', EAI_AGAIN: 'DNS lookup failed (temporary)', UND_ERR_SOCKET: 'connection closed' };
    if (code)
        return { why: transient[code] ?? code, retryable: true };
    // undici puts the reason in the cause's message when it has no code.
    if (e?.cause?.message === 'bad port')
        return { why: 'port not allowed by fetch (bad port)', retryable: false };
    return { why: e?.cause?.message || e?.message || String(error), retryable: true };
}
/**
 * HTTP headers carry Latin-1 only: a token with a typographic quote or a non-breaking space pasted
 * in would make every request fail inside fetch, and look like a network error worth retrying.
 * It is a setting to fix: exit 2, before anything is sent. The value itself is never printed.
 */
function assertSendable(headers, label, what) {
    for (const [name, value] of Object.entries(headers)) {
        const bad = [...value].findIndex((ch) => ch.codePointAt(0) > 0xff || ch === '\r' || ch === '\n');
        if (bad < 0)
            continue;
        const which = name.toLowerCase() === 'authorization' ? 'the credentials' : `the ${name} header`;
        throw new errors_js_1.ConfigError(`${what}: ${which} for ${label} hold a character that cannot be sent in an HTTP header (character ${bad + 1} of the ${name} value)`, {
            hint: 'check the token or password for a pasted typographic quote, non-breaking space or line break',
        });
    }
}
class HttpClient {
    options;
    stats = new RequestStats();
    dispatcher;
    constructor(options) {
        this.options = options;
    }
    /**
     * An undici Agent with the TLS settings, made on first use: fetch takes no TLS options of its
     * own, and loading undici only when they are set keeps it out of every other command's start.
     */
    tlsDispatcher() {
        const tls = this.options.tls;
        if (!tls?.ca && !tls?.insecure)
            return undefined;
        this.dispatcher ??= __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 4371, 19)).then(({ Agent }) => new Agent({ connect: { ...(tls.ca ? { ca: tls.ca } : {}), rejectUnauthorized: !tls.insecure } }));
        return this.dispatcher;
    }
    get baseUrl() {
        return this.options.baseUrl;
    }
    async request(req) {
        const idempotent = req.method !== 'POST' && req.method !== 'PATCH';
        const shouldRetry = req.retry ?? idempotent;
        return (0, retry_js_1.retry)((attempt) => this.once(req, attempt), {
            attempts: shouldRetry ? (this.options.attempts ?? 5) : 1,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 300,
            maxMs: 5_000,
            what: req.what,
            onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${error.message}; attempt ${attempt + 1} in ${delay}ms`),
        });
    }
    async once(req, attempt) {
        const url = new URL(req.path.replace(/^\//, ''), this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
        const headers = { accept: 'application/json', ...this.options.authHeaders(), ...req.headers };
        assertSendable(headers, this.options.label, req.what);
        let body;
        if (req.body !== undefined) {
            if (typeof req.body === 'string' || req.body instanceof Uint8Array)
                body = req.body;
            else {
                body = JSON.stringify(req.body);
                headers['content-type'] ??= 'application/json';
            }
        }
        this.options.deadline.check(req.what);
        const timeout = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
        this.stats.record(req.method);
        this.options.logger.debug(`${req.method} ${url.pathname}${url.search}${attempt ? ` (attempt ${attempt + 1})` : ''}`);
        const dispatcher = await this.tlsDispatcher();
        let res;
        try {
            // `dispatcher` is undici's extension of RequestInit, which Node's fetch honours.
            const init = { method: req.method, headers, body, signal: AbortSignal.timeout(timeout), ...(dispatcher ? { dispatcher } : {}) };
            res = await fetch(url, init);
        }
        catch (error) {
            const failure = networkFailure(error, timeout);
            const hint = failure.tls === 'certificate'
                ? (this.options.tlsHint ?? 'the server certificate is not trusted: check the URL, or trust its CA')
                : failure.tls === 'protocol'
                    ? 'check the URL scheme (http:// or https://) and port'
                    : 'check the API URL and the network';
            const where = failure.tls ? `TLS with ${this.options.label} at ${url.origin} failed` : `${this.options.label} unreachable at ${url.origin}`;
            throw new errors_js_1.ProviderError(`${req.what}: ${where}: ${failure.why}`, {
                retryable: failure.retryable,
                hint,
            });
        }
        const text = await res.text();
        const parsed = parseBody(text, res.headers.get('content-type'));
        this.options.logger.debug(`→ ${res.status} ${req.method} ${url.pathname}`);
        if (res.ok || req.allow?.includes(res.status)) {
            return { status: res.status, headers: res.headers, body: parsed };
        }
        const said = errorMessageOf(parsed);
        const detail = `${res.status}${said ? ` ${said}` : ''}`;
        if (res.status === 401) {
            throw new errors_js_1.AuthError(`${req.what}: ${this.options.label} refused the credentials (${detail})`, { hint: this.options.authHint });
        }
        if (res.status === 403) {
            throw new errors_js_1.AuthError(`${req.what}: permission denied by ${this.options.label} (${detail})`, { hint: this.options.forbiddenHint ?? this.options.authHint });
        }
        if (res.status === 409 || res.status === 412) {
            throw new errors_js_1.ConflictError(`${req.what}: conflict (${detail})`, { status: res.status });
        }
        const retryable = res.status === 429 || res.status >= 500;
        throw new errors_js_1.ProviderError(`${req.what}: ${this.options.label} answered ${detail}`, {
            status: res.status,
            retryable,
            retryAfterSeconds: retryAfterSeconds(res.headers),
        });
    }
    async json(req) {
        return (await this.request(req)).body;
    }
}
exports.HttpClient = HttpClient;


/***/ }),

/***/ 2698:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.teardownTargets = exports.oursOf = exports.findResource = exports.ensureResource = exports.refusal = exports.otherPreviewError = exports.lookup = exports.classify = exports.byAge = void 0;
/**
 * The one reconcile algorithm every provider uses, for its top-level resource (an application, a
 * network, a Convox app, a Kubernetes object) and for every sub-resource (add-ons, databases):
 *
 *   lookup → classify (ours / another preview's / foreign) → create → settle → adopt
 *
 * A provider supplies hooks (list the candidates, read the marks, create, delete, mark); the
 * decisions — what is ours, what is refused, who wins a race, what a `stop` may remove — are made
 * here, once, and tested once for all providers.
 */
__exportStar(__webpack_require__(8676), exports);
var classify_js_1 = __webpack_require__(2623);
Object.defineProperty(exports, "byAge", ({ enumerable: true, get: function () { return classify_js_1.byAge; } }));
Object.defineProperty(exports, "classify", ({ enumerable: true, get: function () { return classify_js_1.classify; } }));
Object.defineProperty(exports, "lookup", ({ enumerable: true, get: function () { return classify_js_1.lookup; } }));
Object.defineProperty(exports, "otherPreviewError", ({ enumerable: true, get: function () { return classify_js_1.otherPreviewError; } }));
Object.defineProperty(exports, "refusal", ({ enumerable: true, get: function () { return classify_js_1.refusal; } }));
var ensure_js_1 = __webpack_require__(4707);
Object.defineProperty(exports, "ensureResource", ({ enumerable: true, get: function () { return ensure_js_1.ensureResource; } }));
var teardown_js_1 = __webpack_require__(1765);
Object.defineProperty(exports, "findResource", ({ enumerable: true, get: function () { return teardown_js_1.findResource; } }));
Object.defineProperty(exports, "oursOf", ({ enumerable: true, get: function () { return teardown_js_1.oursOf; } }));
Object.defineProperty(exports, "teardownTargets", ({ enumerable: true, get: function () { return teardown_js_1.teardownTargets; } }));


/***/ }),

/***/ 2623:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.byAge = byAge;
exports.classify = classify;
exports.lookup = lookup;
exports.ids = ids;
exports.otherPreviewError = otherPreviewError;
exports.refusal = refusal;
/**
 * Lookup and classification: which resources with the preview's name are ours, provably ours,
 * another preview's or nobody's we know — and what `ensure` must refuse, decided before any write.
 */
const identity_js_1 = __webpack_require__(4845);
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(8676);
function byAge(a, b) {
    const ta = a.createdAt ?? Number.POSITIVE_INFINITY;
    const tb = b.createdAt ?? Number.POSITIVE_INFINITY;
    if (ta !== tb)
        return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
/** Pure: sorts listed resources into ours, repairable, another preview's and foreign. */
function classify(items, hooks, identity) {
    const key = (0, identity_js_1.identityKey)(identity);
    const out = { ours: [], repairable: [], others: [], foreign: [] };
    for (const item of items) {
        const ownership = (0, types_js_1.ownershipOf)(hooks.marks(item), key);
        const createdAt = hooks.createdAt?.(item);
        const candidate = { item, id: hooks.id(item), ownership, ...(createdAt !== undefined && Number.isFinite(createdAt) ? { createdAt } : {}) };
        if (ownership.kind === 'ours')
            out.ours.push(candidate);
        else if (ownership.kind === 'other')
            out.others.push(candidate);
        else if (hooks.provablyOurs?.(item))
            out.repairable.push(candidate);
        else
            out.foreign.push(candidate);
    }
    for (const list of Object.values(out))
        list.sort(byAge);
    return out;
}
async function lookup(hooks, ctx) {
    return classify(await hooks.list(), hooks, ctx.identity);
}
function ids(list) {
    return list.map((c) => c.id).join(', ');
}
/** The one-line refusal for a resource of another preview's. */
function otherPreviewError(hooks, candidate, ctx) {
    const whose = candidate.ownership.kind === 'other' ? candidate.ownership.whose : 'another preview';
    return new errors_js_1.SafetyError(`${hooks.noun} ${hooks.name} (${candidate.id}) belongs to ${whose}, not to ${(0, identity_js_1.describeIdentity)(ctx.identity)}: refusing to change it`, { hint: 'both previews get the same name: give this one a distinct name with --prefix (PREVIEW_PREFIX), e.g. --prefix review' });
}
/**
 * What `ensure` would refuse in this lookup, or undefined when it may go on. Used on its own to
 * check every target of a preview before the first write (Kubernetes applies several objects).
 */
function refusal(found, hooks, ctx) {
    if (found.ours.length > 0 || found.repairable.length > 0)
        return undefined;
    if (found.others.length > 0)
        return otherPreviewError(hooks, found.others[0], ctx);
    if (found.foreign.length === 0)
        return undefined;
    if (found.foreign.length > 1) {
        return new errors_js_1.SafetyError(`${hooks.noun} ${hooks.name}: ${found.foreign.length} resources have this name and none carries preview-kit's marker (${ids(found.foreign)})`, {
            hint: 'remove or rename the extra ones; --adopt takes over only a single one',
        });
    }
    if (!ctx.adopt) {
        return new errors_js_1.SafetyError(`${hooks.noun} ${hooks.name} (${found.foreign[0].id}) exists but preview-kit did not create it: refusing to change it`, {
            hint: 'pass --adopt to take it over, or remove it, or choose another --app or --prefix',
        });
    }
    return undefined;
}


/***/ }),

/***/ 4707:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ensureResource = ensureResource;
/**
 * `ensureResource`: find, repair, adopt or create one resource, and settle a race of concurrent
 * creates (oldest wins, every younger one is removed) on platforms whose names are not unique.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const classify_js_1 = __webpack_require__(2623);
const types_js_1 = __webpack_require__(8676);
/**
 * Finds our resource, or repairs, adopts or creates it. Another preview's resource and an unmarked
 * one (without `--adopt`) are refused with exit 6 before anything is written. After a create on a
 * platform whose names are not unique, the listing is read again until the new resource shows
 * (listings may lag); when several of ours then share the name, the oldest wins and a run that
 * created a younger one removes it and goes on with the winner.
 */
async function ensureResource(hooks, ctx, known) {
    const found = known ?? (await (0, classify_js_1.lookup)(hooks, ctx));
    const t = (0, types_js_1.timingOf)(ctx);
    if (found.ours.length > 0) {
        const winner = found.ours[0];
        let changed = await removeStaleDuplicates(hooks, ctx, found.ours, t);
        let item = winner.item;
        if (hooks.needsRepair?.(item) && hooks.mark) {
            item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'complete its preview-kit identity' }, () => hooks.mark(item), item);
            changed = true;
        }
        return { item, id: winner.id, created: false, changed, how: 'found' };
    }
    if (found.repairable.length > 0 && hooks.mark) {
        const target = found.repairable[0];
        ctx.logger.warn(`${hooks.noun} ${hooks.name} (${target.id}) is this preview's but lost its preview-kit marks: repairing them`);
        const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'repair its preview-kit marks' }, () => hooks.mark(target.item), target.item);
        return { item, id: target.id, created: false, changed: true, how: 'repaired' };
    }
    const refused = (0, classify_js_1.refusal)(found, hooks, ctx);
    if (refused)
        throw refused;
    if (found.foreign.length === 1) {
        const target = found.foreign[0];
        if (!hooks.mark)
            throw new errors_js_1.SafetyError(`${hooks.noun} ${hooks.name} (${target.id}) cannot be adopted`, { hint: 'remove it, or choose another --app or --prefix' });
        ctx.logger.warn(`adopting ${hooks.noun} ${hooks.name} (${target.id}), which preview-kit did not create (--adopt)`);
        const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'adopt: record the preview-kit marks' }, () => hooks.mark(target.item), target.item);
        return { item, id: target.id, created: false, changed: true, how: 'adopted' };
    }
    return createResource(hooks, ctx, t);
}
async function createResource(hooks, ctx, t) {
    const planned = hooks.planned();
    const step = { kind: 'create', target: `${hooks.noun} ${hooks.name}`, ...(hooks.createDetail ? { detail: hooks.createDetail } : {}) };
    const made = await ctx.plan.apply(step, () => createOrJoin(hooks, ctx, t), undefined);
    if (!made)
        return { item: planned, id: hooks.id(planned), created: true, changed: true, how: 'created', planned: true };
    if (hooks.uniqueNames) {
        return made.joined
            ? repairIfNeeded(hooks, ctx, { item: made.item.item, id: made.item.id, created: false, changed: false, how: 'joined' })
            : { item: made.item.item, id: made.item.id, created: true, changed: true, how: 'created' };
    }
    // Found after a failed attempt: it may be the one that attempt made, or a concurrent run's.
    // Settling it like our own is right either way: a loser is removed by every run that sees it.
    const settled = await settle(hooks, ctx, made.item, t);
    const outcome = made.joined && settled.how === 'created' ? { ...settled, how: 'joined' } : settled;
    return repairIfNeeded(hooks, ctx, outcome);
}
/** A resource we took without creating it may lack some of its marks (an interrupted tagging): complete them. */
async function repairIfNeeded(hooks, ctx, outcome) {
    const incomplete = hooks.needsRepair?.(outcome.item) === true || (hooks.marks(outcome.item).marker === false && hooks.provablyOurs?.(outcome.item) === true);
    if (!incomplete || !hooks.mark || outcome.how === 'created')
        return outcome;
    const item = await ctx.plan.apply({ kind: 'update', target: `${hooks.noun} ${hooks.name}`, detail: 'complete its preview-kit marks' }, () => hooks.mark(outcome.item), outcome.item);
    return { ...outcome, item, changed: true };
}
/**
 * POSTs the resource. An error that may hide an applied create (5xx, no answer) is followed by a
 * look before any new attempt; a "name taken" answer by a look that decides whose it is.
 */
async function createOrJoin(hooks, ctx, t) {
    for (let attempt = 1;; attempt++) {
        try {
            const item = await hooks.create();
            const createdAt = hooks.createdAt?.(item);
            return { item: { item, id: hooks.id(item), ownership: { kind: 'ours' }, ...(createdAt !== undefined ? { createdAt } : {}) }, joined: false };
        }
        catch (error) {
            const taken = hooks.isNameTaken?.(error) === true;
            if (!taken && (!(0, errors_js_1.isRetryable)(error) || attempt >= t.createAttempts))
                throw error;
            if (!taken) {
                const delay = (0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: t.retryInitialMs, maxMs: 5_000 });
                if (ctx.deadline.remaining() < delay)
                    throw error;
                ctx.logger.warn(`create ${hooks.noun} ${hooks.name}: ${error.message}; looking again before retrying`);
                await ctx.deadline.clock.sleep(delay);
            }
            const again = await (0, classify_js_1.lookup)(hooks, ctx);
            const joined = again.ours[0] ?? again.repairable[0];
            if (joined)
                return { item: joined, joined: true };
            if (taken) {
                // Taken by someone we may not touch: say whose. Taken by nobody we can see yet (a
                // listing that lags behind): try again, the platform will say it again if it is so.
                const refused = (0, classify_js_1.refusal)(again, hooks, { ...ctx, adopt: false });
                if (refused)
                    throw refused;
                if (attempt >= t.createAttempts) {
                    throw new errors_js_1.ProviderError(`create ${hooks.noun} ${hooks.name}: the name is taken but nothing of that name can be seen`, { hint: 'run again in a moment' });
                }
                await ctx.deadline.clock.sleep((0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: t.settleInitialMs, maxMs: t.settleMaxMs }));
            }
        }
    }
}
/**
 * After our create: list until our resource shows — or one of ours older than it, which makes ours
 * a loser whether it shows or not (another run may already have removed it) — bounded by the
 * settle window. Then the oldest of ours wins, and every younger one is removed.
 */
async function settle(hooks, ctx, mine, t) {
    const window = new retry_js_1.Deadline(Math.min(t.settleWindowMs, ctx.deadline.remaining()), ctx.deadline.clock);
    const olderThanMine = (c) => mine.createdAt !== undefined && c.createdAt !== undefined && (0, classify_js_1.byAge)(c, mine) < 0;
    let seen;
    try {
        seen = await (0, retry_js_1.poll)(async () => {
            const again = await (0, classify_js_1.lookup)(hooks, ctx);
            return oursAndRepairable(again).some((c) => c.id === mine.id || olderThanMine(c)) ? again : undefined;
        }, { deadline: window, what: `${hooks.noun} ${hooks.name} to be listed`, initialMs: t.settleInitialMs, maxMs: t.settleMaxMs });
    }
    catch (error) {
        if (!(error instanceof errors_js_1.TimeoutError))
            throw error;
        ctx.logger.warn(`${hooks.noun} ${hooks.name} (${mine.id}) is not listed yet ${Math.round(window.totalMs / 1000)}s after its creation: going on with it`);
        return { item: mine.item, id: mine.id, created: true, changed: true, how: 'created' };
    }
    const candidates = oursAndRepairable(seen);
    const listed = candidates.find((c) => c.id === mine.id);
    const ours = [...candidates.filter((c) => c.id !== mine.id), listed && listed.createdAt !== undefined ? listed : { ...(listed ?? mine), createdAt: mine.createdAt }]
        .filter((c) => c !== undefined)
        .sort(classify_js_1.byAge);
    const winner = ours[0];
    // Every younger one is a loser of this race: ours, or one a failed attempt of ours made without
    // telling us its id, or a concurrent run's, which that run removes too (a second delete of the
    // same resource finds it gone, which is fine).
    const losers = ours.slice(1);
    if (losers.length > 0) {
        ctx.logger.warn(`another run created ${hooks.noun} ${hooks.name} at the same time: keeping the oldest, ${winner.id}, removing ${(0, classify_js_1.ids)(losers)}`);
    }
    for (const loser of losers) {
        await ctx.plan.apply({ kind: 'delete', target: `${hooks.noun} ${hooks.name}`, detail: `${loser.id}, duplicate of ${winner.id} from a concurrent run` }, () => hooks.remove(loser.item), undefined);
    }
    if (winner.id === mine.id)
        return { item: listed?.item ?? mine.item, id: mine.id, created: true, changed: true, how: 'created' };
    return { item: winner.item, id: winner.id, created: false, changed: true, how: 'joined' };
}
/** Ours and the provably ours, oldest first: both take part in a race of this preview. */
function oursAndRepairable(found) {
    return [...found.ours, ...found.repairable].sort(classify_js_1.byAge);
}
/**
 * Duplicates of ours that a concurrent run left behind because it was interrupted before it could
 * remove its own: younger than the winner and older than the settle window (a run still settling
 * removes its own). Only on platforms whose names are not unique.
 */
async function removeStaleDuplicates(hooks, ctx, ours, t) {
    if (hooks.uniqueNames || ours.length < 2)
        return false;
    const now = ctx.deadline.clock.now();
    const stale = ours.slice(1).filter((c) => c.createdAt !== undefined && now - c.createdAt > t.settleWindowMs);
    const young = ours.length - 1 - stale.length;
    if (young > 0)
        ctx.logger.warn(`${ours.length} resources of this preview are named ${hooks.name} (${(0, classify_js_1.ids)(ours)}); using the oldest, ${ours[0].id}`);
    for (const duplicate of stale) {
        ctx.logger.warn(`${hooks.noun} ${hooks.name} (${duplicate.id}) duplicates ${ours[0].id} (left by an interrupted run): removing it`);
        await ctx.plan.apply({ kind: 'delete', target: `${hooks.noun} ${hooks.name}`, detail: `${duplicate.id}, duplicate of ${ours[0].id}` }, () => hooks.remove(duplicate.item), undefined);
    }
    return stale.length > 0;
}
/** Ours only (oldest first), for reads: another preview's or an unmarked resource is "not ours", said in debug output. */


/***/ }),

/***/ 1765:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.oursOf = oursOf;
exports.findResource = findResource;
exports.teardownTargets = teardownTargets;
/**
 * Reads and teardown: what is this preview's to report, and what `stop`/`prune` may remove —
 * never another preview's resources, never unmarked ones unless `--adopt` says so.
 */
const classify_js_1 = __webpack_require__(2623);
function oursOf(found, hooks, ctx) {
    const winner = found.ours[0] ?? found.repairable[0];
    if (winner)
        return winner.item;
    for (const c of found.others)
        ctx.logger.debug(`${hooks.noun} ${hooks.name} (${c.id}) belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}`);
    if (found.foreign.length)
        ctx.logger.debug(`${hooks.noun} ${hooks.name}: ${found.foreign.length} resource(s) without preview-kit's marker, not ours`);
    return undefined;
}
async function findResource(hooks, ctx) {
    return oursOf(await (0, classify_js_1.lookup)(hooks, ctx), hooks, ctx);
}
/**
 * What `stop` and `prune` may remove: every resource of ours with this name (duplicates included)
 * and those provably ours. Another preview's and unmarked ones are left alone with a warning —
 * the run still exits 0, since nothing of this preview is left — except that `--adopt` removes a
 * single unmarked one.
 */
function teardownTargets(found, hooks, ctx) {
    const targets = [...found.ours, ...found.repairable];
    for (const c of found.others) {
        ctx.logger.warn(`${hooks.noun} ${hooks.name} (${c.id}) belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}: left alone`);
    }
    if (found.foreign.length > 0) {
        if (ctx.adopt && found.foreign.length === 1 && targets.length === 0) {
            ctx.logger.warn(`removing ${hooks.noun} ${hooks.name} (${found.foreign[0].id}) without preview-kit's marker, as --adopt asks`);
            targets.push(found.foreign[0]);
        }
        else {
            ctx.logger.warn(`${hooks.noun} ${hooks.name} (${(0, classify_js_1.ids)(found.foreign)}) lacks preview-kit's marker: left alone${found.foreign.length === 1 ? ' (--adopt removes it)' : ''}`);
        }
    }
    return targets;
}


/***/ }),

/***/ 8676:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_TIMING = void 0;
exports.ownershipOf = ownershipOf;
exports.timingOf = timingOf;
/**
 * The vocabulary of the reconcile algorithm: the marks a resource carries, who owns it, the hooks a
 * provider supplies for each kind of resource, and the context and timings of one run.
 */
const identity_js_1 = __webpack_require__(4845);
/** Sorts a resource's marks against the key of the preview being reconciled. */
function ownershipOf(marks, key) {
    if (!marks.marker)
        return { kind: 'foreign' };
    const recorded = marks.key ?? (marks.identity ? (0, identity_js_1.identityKey)(marks.identity) : undefined);
    if (recorded === key)
        return { kind: 'ours' };
    const whose = marks.identity ? `the preview of ${(0, identity_js_1.describeIdentity)(marks.identity)}` : 'another preview (no identity recorded on it)';
    return { kind: 'other', whose, ...(marks.identity ? { identity: marks.identity } : {}) };
}
exports.DEFAULT_TIMING = {
    retryInitialMs: 1_000,
    createAttempts: 4,
    settleInitialMs: 200,
    settleMaxMs: 2_000,
    settleWindowMs: 30_000,
};
function timingOf(ctx) {
    return { ...exports.DEFAULT_TIMING, ...ctx.timing };
}
/** Oldest first; without a creation time, by id, so every run picks the same winner. */


/***/ }),

/***/ 2695:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.OWNER_MARKER = void 0;
/** Label/tag value that marks a resource as created and owned by preview-kit. */
exports.OWNER_MARKER = 'preview-kit';


/***/ })

};
