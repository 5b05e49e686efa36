export const id = 654;
export const ids = [654];
export const modules = {

/***/ 6685:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.applySteps = applySteps;
/**
 * Carrying out a deploy's decisions: start new containers, route new services at once and check
 * replacements on staging routes, wait until everything serves through Caddy, then switch the
 * routes over and clean up. Any failure before the switch rolls back.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const caddy_routes_js_1 = __webpack_require__(859);
const cleanup_js_1 = __webpack_require__(3163);
const container_body_js_1 = __webpack_require__(7209);
const deploy_steps_js_1 = __webpack_require__(8382);
const images_js_1 = __webpack_require__(581);
const rollback_js_1 = __webpack_require__(4347);
const sleep_js_1 = __webpack_require__(4484);
const runtime_js_1 = __webpack_require__(9995);
const wait_serving_js_1 = __webpack_require__(8915);
/** Creates (or starts) each changing service's container; in parallel, plan steps in service order. */
async function startContainers(run, steps, source) {
    const { rt, ref } = run;
    const { plan: runPlan } = rt.context;
    await (0, deploy_steps_js_1.settleAll)(steps.map(async (step) => {
        if (step.action === 'start') {
            const target = `container ${(0, runtime_js_1.nameOf)(step.current)}`;
            // A dry run of `up` planned this wake in ensure already: plan it once.
            const planned = runPlan.dryRun && runPlan.steps.some((s) => s.target === target && s.detail === 'start');
            if (!planned)
                await runPlan.apply({ kind: 'update', target, detail: 'start' }, () => (0, sleep_js_1.startKept)(rt, { Id: step.current.Id, name: (0, runtime_js_1.nameOf)(step.current) }), undefined);
            step.containerId = step.current.Id;
        }
        if (step.action !== 'create' && step.action !== 'replace')
            return;
        const tempName = `${(0, runtime_js_1.canonicalName)(ref.name, step.plan.service)}-${source.commit.slice(0, 7)}-${(0, node_crypto_1.randomBytes)(3).toString('hex')}`;
        step.containerId = await runPlan.apply({
            kind: step.action === 'create' ? 'create' : 'update',
            target: `container ${(0, runtime_js_1.canonicalName)(ref.name, step.plan.service)}`,
            detail: `${source.commit.slice(0, 7)}${step.action === 'replace' ? ', replacing the running one' : ''}`,
        }, async () => {
            const created = await (0, container_body_js_1.createContainerOnce)(rt, tempName, step.body);
            step.fresh = { id: created, name: tempName, created: Date.now() / 1000 };
            await rt.engine.startContainer(created);
            return created;
        }, `dry-run-${step.plan.service}`);
    }));
    if (runPlan.dryRun)
        return;
    await (0, deploy_steps_js_1.settleAll)(steps.map(async (step) => {
        if (step.action === 'keep')
            return;
        const inspected = await rt.engine.inspectContainer(step.containerId);
        const port = inspected ? (0, runtime_js_1.inspectedPort)(inspected, step.plan.port) : undefined;
        if (!inspected || port === undefined) {
            throw new errors_js_1.ProviderError(`service ${step.plan.service}: container ${step.containerId.slice(0, 12)} has no published port for ${step.plan.port}/tcp${inspected && !inspected.State.Running ? ` (it exited with code ${inspected.State.ExitCode})` : ''}`);
        }
        step.port = port;
        // The engine's clock, not ours, orders containers (the engine may be remote).
        if (step.fresh)
            step.fresh.created = Date.parse(inspected.Created) / 1000;
    }));
}
/** New services get their real route at once (nothing served there before); replacements are checked on a staging route only this run's probes reach. */
async function stageAndWait(run, changing, token, waitDeadline) {
    const { rt, ref, view } = run;
    const { plan: runPlan, logger } = rt.context;
    const stage = new Map();
    for (const step of changing) {
        const port = step.port ?? 0;
        if (step.action === 'create')
            stage.set((0, caddy_routes_js_1.routeId)(ref, step.plan.service), (0, caddy_routes_js_1.liveRoute)((0, caddy_routes_js_1.routeId)(ref, step.plan.service), step.plan.hosts, (0, deploy_steps_js_1.dial)(rt, port), run.auth?.handler));
        else
            stage.set((0, caddy_routes_js_1.stagingRouteId)(ref, step.plan.service), (0, caddy_routes_js_1.stagingRoute)((0, caddy_routes_js_1.stagingRouteId)(ref, step.plan.service), (0, caddy_routes_js_1.stagingToken)(token, step.plan.service), (0, deploy_steps_js_1.dial)(rt, port)));
    }
    if (stage.size && !runPlan.dryRun)
        await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, stage, { ensureCatchAll: true });
    if (runPlan.dryRun || changing.length === 0)
        return;
    await logger.group(`wait for ${changing.map((s) => s.plan.service).join(', ')} through Caddy`, () => (0, wait_serving_js_1.waitServing)(rt, view, changing.map((step) => ({ step, headers: step.action === 'replace' ? { [caddy_routes_js_1.STAGING_HEADER]: (0, caddy_routes_js_1.stagingToken)(token, step.plan.service) } : { ...run.auth?.headers } })), waitDeadline));
}
/**
 * Every service's route to its serving container; staging routes, and routes of this preview's
 * services no longer configured, go away. On a no-op re-run this reads and writes nothing.
 */
async function switchRoutes(run, steps) {
    const { rt, ref, view } = run;
    const final = new Map();
    for (const step of steps)
        final.set((0, caddy_routes_js_1.routeId)(ref, step.plan.service), (0, caddy_routes_js_1.liveRoute)((0, caddy_routes_js_1.routeId)(ref, step.plan.service), step.plan.hosts, (0, deploy_steps_js_1.dial)(rt, step.port ?? 0), run.auth?.handler));
    for (const step of steps)
        if (step.action === 'replace')
            final.set((0, caddy_routes_js_1.stagingRouteId)(ref, step.plan.service), null);
    for (const route of view.config.routes ?? []) {
        const id = route['@id'];
        if (id && (0, caddy_routes_js_1.isPreviewRoute)(id, ref) && !final.has(id))
            final.set(id, null);
    }
    await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, final, { ensureCatchAll: true });
}
async function applySteps(run, steps, unconfigured, source, url) {
    const { rt, ref } = run;
    const { logger, plan: runPlan, deadline } = rt.context;
    const changing = steps.filter((s) => s.action === 'create' || s.action === 'replace');
    const token = (0, node_crypto_1.randomBytes)(12).toString('hex');
    // Keep time to roll back if the new containers never answer.
    const reserve = Math.min(15_000, deadline.remaining() / 4);
    const waitDeadline = new retry_js_1.Deadline(Math.max(1_000, deadline.remaining() - reserve), deadline.clock);
    try {
        await startContainers(run, steps, source);
        await stageAndWait(run, changing, token, waitDeadline);
        await switchRoutes(run, steps);
    }
    catch (error) {
        if (!runPlan.dryRun && changing.length) {
            await (0, wait_serving_js_1.showLogs)(rt, steps);
            await (0, rollback_js_1.rollBack)(run, steps);
            if (error instanceof errors_js_1.ProviderError || error instanceof errors_js_1.TimeoutError) {
                const kept = steps.some((s) => s.action === 'replace') ? '; rolled back, the previous containers still serve' : '; rolled back';
                throw Object.assign(error, { message: `${error.message}${kept}` });
            }
        }
        throw error;
    }
    if (!runPlan.dryRun) {
        const unverified = steps.filter((s) => s.action === 'keep' || s.action === 'start');
        if (unverified.length)
            await (0, wait_serving_js_1.waitServing)(rt, run.view, unverified.map((step) => ({ step, headers: { ...run.auth?.headers } })), deadline);
    }
    await (0, cleanup_js_1.cleanUp)(run, steps, unconfigured);
    const imageCtx = { engine: rt.engine, plan: runPlan, logger, childEnv: rt.context.childEnv };
    for (const step of steps) {
        if (!step.plan.build || runPlan.dryRun)
            continue;
        // The image the serving container runs: after a concurrent build of the same commit, the
        // commit's tag may name a twin of it.
        const serving = (step.action === 'keep' || step.action === 'start') && step.current ? { ...step.image, id: step.current.ImageID } : step.image;
        await (0, images_js_1.tagForPreview)(imageCtx, serving, step.plan.build.repo, ref.name);
    }
    if (rt.settings.removeImages && !runPlan.dryRun) {
        const replaced = new Set(steps.filter((s) => s.action === 'replace' && s.current && s.current.ImageID !== s.image.id).map((s) => s.current.ImageID));
        for (const id of replaced)
            await (0, images_js_1.removeUnclaimedImage)(imageCtx, id);
    }
    const primary = steps[0];
    const deployed = changing.length > 0;
    return {
        deployed,
        url,
        ...(deployed ? {} : { reason: `commit ${source.commit.slice(0, 12)} is already live` }),
        deployment: { id: primary.containerId ?? '', state: runPlan.dryRun ? 'pending' : 'ok', commit: source.commit },
    };
}


/***/ }),

/***/ 9848:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.BCRYPT_COST = void 0;
exports.checkBasicAuth = checkBasicAuth;
exports.routeAuthOf = routeAuthOf;
exports.authHandlerOf = authHandlerOf;
/**
 * `--basic-auth USER:PASSWORD` in Caddy: an `authentication` handler with the `http_basic`
 * provider in front of each of the preview's routes, holding only a bcrypt hash of the password
 * (Caddy's modules/caddyhttp/caddyauth: `accounts[{username, password}]`, the hash base64-encoded,
 * `hash: {algorithm: "bcrypt"}` — the one algorithm every Caddy 2 release checks).
 *
 * The salt is derived from the preview's identity key and the user, so the same password gives the
 * same handler: a re-run with an unchanged setting finds the route equal and writes nothing, a new
 * password rewrites it, and no setting removes the handler.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const bcrypt_js_1 = __webpack_require__(9021);
/**
 * log2 of bcrypt's rounds: about 0.1 s to hash here, and what Caddy pays per request it checks.
 * `hash_cache` spares it that for requests repeating credentials it has already checked.
 */
exports.BCRYPT_COST = 10;
const hashes = new Map();
/** 16 bytes of salt for this preview and user: stable, and unlike any other preview's. */
function saltOf(key, user) {
    return (0, node_crypto_1.createHmac)('sha256', 'preview-kit basic-auth salt').update(`${key}\u0000${user}`).digest().subarray(0, 16);
}
function hashOf(key, user, password) {
    const memo = `${key}\u0000${user}\u0000${password}`;
    let hash = hashes.get(memo);
    if (!hash) {
        hash = (0, bcrypt_js_1.bcryptHash)(Buffer.from(password, 'utf8'), saltOf(key, user), exports.BCRYPT_COST);
        hashes.set(memo, hash);
    }
    return hash;
}
/** Refuses what Caddy could not check as given: bcrypt reads only the first 72 bytes of a password. */
function checkBasicAuth(auth) {
    if (Buffer.byteLength(auth.password, 'utf8') > bcrypt_js_1.BCRYPT_MAX_BYTES) {
        throw new errors_js_1.ConfigError(`invalid settings: --basic-auth: the password is longer than ${bcrypt_js_1.BCRYPT_MAX_BYTES} bytes`, {
            hint: `Caddy checks passwords with bcrypt, which reads only the first ${bcrypt_js_1.BCRYPT_MAX_BYTES} bytes: use a shorter one`,
        });
    }
}
/** The handler and probe headers for a spec's `basicAuth`, or undefined when the preview is open. */
function routeAuthOf(spec) {
    const auth = spec.basicAuth;
    if (!auth)
        return undefined;
    checkBasicAuth(auth);
    const hash = hashOf(spec.key, auth.user, auth.password);
    return {
        handler: {
            handler: 'authentication',
            providers: {
                http_basic: {
                    hash: { algorithm: 'bcrypt' },
                    accounts: [{ username: auth.user, password: Buffer.from(hash, 'utf8').toString('base64') }],
                    hash_cache: {},
                },
            },
        },
        headers: { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}` },
    };
}
/** A route's authentication handler, kept as is when the route changes shape (sleep). */
function authHandlerOf(route) {
    return route?.handle?.find((h) => h.handler === 'authentication');
}


/***/ }),

/***/ 9021:
/***/ ((__unused_webpack_module, exports) => {


/**
 * bcrypt (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999), the one password hash
 * every Caddy 2 release checks in its `http_basic` authentication (scrypt left in 2.8). Node has no
 * bcrypt built in and the project adds no native dependency for one hash, so it is written here.
 *
 * Blowfish's initial P-array and S-boxes are the first 8 336 hexadecimal digits of π's fraction:
 * they are computed once (BigInt, Machin's formula) instead of being pasted in as a table.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.BCRYPT_MAX_BYTES = void 0;
exports.bcryptBase64 = bcryptBase64;
exports.bcryptHash = bcryptHash;
const WORDS = 18 + 4 * 256;
let initial;
/** ⌊π · 2^bits⌋ − 3 · 2^bits: the fraction of π as a `bits`-bit integer. */
function piFraction(bits) {
    const guard = 64;
    const one = 1n << BigInt(bits + guard);
    // arctan(1/x) = Σ (−1)^k / ((2k+1) x^(2k+1))
    const arctanInverse = (x) => {
        const xx = x * x;
        let power = one / x;
        let sum = power;
        for (let k = 1n; power !== 0n; k++) {
            power /= xx;
            const term = power / (2n * k + 1n);
            sum += k % 2n === 1n ? -term : term;
        }
        return sum;
    };
    const pi = 16n * arctanInverse(5n) - 4n * arctanInverse(239n);
    return (pi >> BigInt(guard)) - (3n << BigInt(bits));
}
function initialState() {
    if (!initial) {
        const hex = piFraction(WORDS * 32).toString(16).padStart(WORDS * 8, '0');
        initial = new Uint32Array(WORDS);
        for (let i = 0; i < WORDS; i++)
            initial[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
    }
    return initial;
}
/** Blowfish state: P is words 0-17, the four S-boxes follow, 256 words each. */
class Blowfish {
    s = new Uint32Array(initialState());
    block = new Uint32Array(2);
    f(x) {
        const s = this.s;
        return ((((s[18 + (x >>> 24)] + s[274 + ((x >>> 16) & 0xff)]) >>> 0) ^ s[530 + ((x >>> 8) & 0xff)]) + s[786 + (x & 0xff)]) >>> 0;
    }
    /** Encrypts the 64-bit block (l, r) in place in `this.block`. */
    encrypt(l, r) {
        const s = this.s;
        for (let i = 0; i < 16; i += 2) {
            l = (l ^ s[i]) >>> 0;
            r = (r ^ this.f(l)) >>> 0;
            r = (r ^ s[i + 1]) >>> 0;
            l = (l ^ this.f(r)) >>> 0;
        }
        this.block[0] = (r ^ s[17]) >>> 0;
        this.block[1] = (l ^ s[16]) >>> 0;
        return this.block;
    }
    /** The key schedule of eksblowfish: the key cycled into P, then every word re-made by encryption, salt mixed in. */
    expand(key, salt) {
        const s = this.s;
        let k = 0;
        const keyWord = () => {
            let w = 0;
            for (let i = 0; i < 4; i++) {
                w = ((w << 8) | key[k]) >>> 0;
                k = (k + 1) % key.length;
            }
            return w;
        };
        for (let i = 0; i < 18; i++)
            s[i] = (s[i] ^ keyWord()) >>> 0;
        let j = 0;
        const saltWord = () => {
            const w = ((salt[j] << 24) | (salt[j + 1] << 16) | (salt[j + 2] << 8) | salt[j + 3]) >>> 0;
            j = (j + 4) % salt.length;
            return w;
        };
        let l = 0;
        let r = 0;
        for (let i = 0; i < WORDS; i += 2) {
            if (salt) {
                l = (l ^ saltWord()) >>> 0;
                r = (r ^ saltWord()) >>> 0;
            }
            const out = this.encrypt(l, r);
            l = out[0];
            r = out[1];
            s[i] = l;
            s[i + 1] = r;
        }
    }
}
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** bcrypt's own base64: its alphabet, no padding. */
function bcryptBase64(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
        const b0 = bytes[i];
        const b1 = bytes[i + 1];
        const b2 = bytes[i + 2];
        out += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)];
        if (b1 === undefined)
            break;
        out += ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)];
        if (b2 === undefined)
            break;
        out += ALPHABET[b2 & 63];
    }
    return out;
}
/** Passwords longer than this are cut by bcrypt (the key fills the 18 words of P once). */
exports.BCRYPT_MAX_BYTES = 72;
/**
 * `$2a$<cost>$<salt><hash>` for `password` with this 16-byte salt. Cost is log2 of the rounds;
 * the password is used with its terminating NUL, as every C-compatible bcrypt does.
 */
function bcryptHash(password, salt, cost) {
    if (salt.length !== 16)
        throw new Error('bcrypt: the salt must be 16 bytes');
    if (!Number.isInteger(cost) || cost < 4 || cost > 31)
        throw new Error('bcrypt: the cost must be an integer from 4 to 31');
    const key = new Uint8Array(Math.min(password.length, exports.BCRYPT_MAX_BYTES) + 1);
    key.set(password.subarray(0, exports.BCRYPT_MAX_BYTES));
    const state = new Blowfish();
    state.expand(key, salt);
    for (let round = 0; round < 2 ** cost; round++) {
        state.expand(key, undefined);
        state.expand(salt, undefined);
    }
    // "OrpheanBeholderScryDoubt", as six big-endian words, encrypted 64 times.
    const text = new Uint32Array([0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274]);
    for (let i = 0; i < 64; i++) {
        for (let b = 0; b < 6; b += 2) {
            const out = state.encrypt(text[b], text[b + 1]);
            text[b] = out[0];
            text[b + 1] = out[1];
        }
    }
    const bytes = new Uint8Array(24);
    for (let i = 0; i < 6; i++) {
        bytes[i * 4] = text[i] >>> 24;
        bytes[i * 4 + 1] = (text[i] >>> 16) & 0xff;
        bytes[i * 4 + 2] = (text[i] >>> 8) & 0xff;
        bytes[i * 4 + 3] = text[i] & 0xff;
    }
    return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(bytes.subarray(0, 23))}`;
}


/***/ }),

/***/ 1030:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CaddyAdmin = void 0;
exports.endpointFromAdminUrl = endpointFromAdminUrl;
/**
 * Caddy's admin API over node:http. Caddy sends a config's Etag as an HTTP trailer, after the
 * body, which `fetch()` never exposes; writes carry it back in If-Match so two pipelines editing
 * the same routes cannot overwrite each other (the loser gets 412 and reads again).
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const node_http_js_1 = __webpack_require__(1448);
/**
 * Caddy restarts its admin listener on every config load, which resets idle keep-alive
 * connections (and concurrent ones): one connection per request.
 */
function endpointFromAdminUrl(adminUrl) {
    // Caddy itself writes unix sockets as `unix//path`; accept `unix:///path` too.
    const unix = /^unix:\/\/(\/.+)$/.exec(adminUrl) ?? /^unix\/(\/.+)$/.exec(adminUrl);
    if (unix)
        return { socketPath: unix[1], hostHeader: 'localhost', display: adminUrl, agent: false };
    let url;
    try {
        url = new URL(adminUrl);
    }
    catch {
        throw new errors_js_1.ConfigError(`invalid settings: --caddy-admin: "${adminUrl}" is not a URL`, { hint: 'e.g. http://localhost:2019' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new errors_js_1.ConfigError(`invalid settings: --caddy-admin: "${adminUrl}" must be http://, https:// or unix//`);
    }
    const tls = url.protocol === 'https:';
    return {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || (tls ? 443 : 80)),
        tls,
        agent: false,
        hostHeader: url.host,
        display: `${url.protocol}//${url.host}`,
    };
}
class CaddyAdmin {
    options;
    stats = new http_js_1.RequestStats();
    endpoint;
    constructor(options) {
        this.options = options;
        this.endpoint = endpointFromAdminUrl(options.adminUrl);
    }
    get display() {
        return this.endpoint.display;
    }
    async send(method, path, what, body, ifMatch) {
        this.options.deadline.check(what);
        const timeoutMs = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
        const headers = { accept: 'application/json' };
        let text;
        if (body !== undefined) {
            text = JSON.stringify(body);
            headers['content-type'] = 'application/json';
        }
        if (ifMatch)
            headers['if-match'] = ifMatch;
        this.stats.record(method);
        this.options.logger.debug(`caddy ${method} ${path}`);
        let res;
        try {
            res = await (0, node_http_js_1.exchange)(this.endpoint, { method, path, headers, ...(text !== undefined ? { body: text } : {}), timeoutMs });
        }
        catch (error) {
            if (!(error instanceof node_http_js_1.TransportError))
                throw error;
            throw new errors_js_1.ProviderError(`${what}: Caddy admin API unreachable at ${this.display}: ${error.message}`, {
                retryable: true,
                hint: 'start Caddy or set --caddy-admin / CADDY_ADMIN',
            });
        }
        const parsed = (0, node_http_js_1.parseJsonBody)(res.body);
        this.options.logger.debug(`caddy → ${res.status} ${method} ${path}`);
        const etag = res.trailers.etag ?? res.headers.etag;
        if (res.status >= 200 && res.status < 300)
            return { status: res.status, body: parsed, etag };
        if (res.status === 404 && method === 'GET')
            return { status: 404, body: parsed, etag };
        const said = (0, http_js_1.errorMessageOf)(parsed);
        const detail = `${res.status}${said ? ` ${said}` : ''}`;
        if (res.status === 412)
            throw new errors_js_1.ConflictError(`${what}: Caddy's config changed meanwhile (${detail})`, { status: 412 });
        if (res.status === 401 || res.status === 403) {
            throw new errors_js_1.AuthError(`${what}: Caddy admin API refused the request (${detail})`, {
                hint: "use the admin address Caddy listens on (e.g. http://localhost:2019), or allow this origin in Caddy's admin.origins",
            });
        }
        // 502-504 come from something in front of Caddy (a proxy, a restarting listener): the write may or
        // may not have landed, which the If-Match guard makes safe to find out by reading again. A 500
        // is Caddy refusing the config itself: final.
        throw new errors_js_1.ProviderError(`${what}: Caddy admin API answered ${detail}`, { status: res.status, retryable: res.status >= 502 && res.status <= 504 });
    }
    /** Reads a config path; 404 comes back as a status, not an error. */
    async get(path, what) {
        return (0, retry_js_1.retry)(() => this.send('GET', path, what), {
            attempts: 4,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 150,
            what,
        });
    }
    /**
     * One write. Not retried here: callers guard writes with If-Match, read again and decide, so a
     * write whose answer was lost is never applied twice.
     */
    async write(method, path, what, body, ifMatch) {
        await this.send(method, path, what, body, ifMatch);
    }
}
exports.CaddyAdmin = CaddyAdmin;


/***/ }),

/***/ 859:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.STAGING_HEADER = exports.CATCH_ALL_ID = exports.SERVERS_PATH = void 0;
exports.routesPath = routesPath;
exports.routeId = routeId;
exports.stagingRouteId = stagingRouteId;
exports.namedRoutePattern = namedRoutePattern;
exports.routeKey = routeKey;
exports.isPreviewRoute = isPreviewRoute;
exports.liveRoute = liveRoute;
exports.stagingToken = stagingToken;
exports.stagingRoute = stagingRoute;
exports.catchAllRoute = catchAllRoute;
exports.parseListen = parseListen;
exports.chooseServer = chooseServer;
exports.listenerOf = listenerOf;
exports.publicUrl = publicUrl;
exports.routeActions = routeActions;
exports.syncRoutes = syncRoutes;
/**
 * Preview routes in Caddy: which HTTP server gets them, what they look like, and how to converge
 * the server's route list to a wish list with as few writes as possible (none when it already
 * matches), each write guarded by the Etag of the snapshot it was computed from.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const labels_js_1 = __webpack_require__(9760);
exports.SERVERS_PATH = '/config/apps/http/servers';
exports.CATCH_ALL_ID = 'preview-kit-catch-all';
exports.STAGING_HEADER = 'X-Preview-Kit-Staging';
function routesPath(server) {
    return `${exports.SERVERS_PATH}/${encodeURIComponent(server)}/routes`;
}
/**
 * A preview's route for one service: `preview-kit-<name>-<service>-<key>`. The name is for people
 * reading Caddy's config; the identity key makes the id this preview's alone, so a preview of
 * another project that got the same name (`shop-admin` + `main`, `shop` + `admin-main`) never
 * matches it, and our `stop` never removes its routes.
 */
function routeId(ref, service) {
    return `preview-kit-${ref.name}-${service}-${ref.key}`;
}
/** The route a new container is checked through before it gets the real hosts. */
function stagingRouteId(ref, service) {
    return `${routeId(ref, service)}.next`;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/**
 * Ids of routes named after a preview, whoever's: the key is captured. Service names have no `-`
 * and preview names no `.`, so the routes of `app-x` never match those of `app-x-y`.
 */
function namedRoutePattern(name) {
    return new RegExp(`^preview-kit-${escapeRegExp(name)}-[a-z][a-z0-9]*-([0-9a-f]{20})(\\.next)?$`);
}
/** The key a route named after `name` was made for, or undefined when the id is not such a route. */
function routeKey(id, name) {
    return id ? namedRoutePattern(name).exec(id)?.[1] : undefined;
}
/** Whether a route id is one of this preview's (live or staging). */
function isPreviewRoute(id, ref) {
    return routeKey(id, ref.name) === ref.key;
}
/** A service's route to its container; `auth` (basic auth, see basic-auth.ts) goes in front of the proxy. */
function liveRoute(id, hosts, dial, auth) {
    return { '@id': id, match: [{ host: hosts }], handle: [...(auth ? [auth] : []), { handler: 'reverse_proxy', upstreams: [{ dial }] }], terminal: true };
}
/**
 * The header value one service's staging route answers to. Staging routes match no host, so a
 * value shared by a run's services would let the first staging route in the list answer every
 * service's probe: a service that never serves would pass as healthy through its sibling.
 */
function stagingToken(runToken, service) {
    return `${runToken}-${service}`;
}
/** No host matcher, so Caddy's automatic HTTPS never tries to get a certificate for it. */
function stagingRoute(id, token, dial) {
    return { '@id': id, match: [{ header: { [exports.STAGING_HEADER]: [token] } }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial }] }], terminal: true };
}
function catchAllRoute() {
    return { '@id': exports.CATCH_ALL_ID, handle: [{ handler: 'static_response', status_code: 404, body: 'no preview here' }], terminal: true };
}
function isCatchAll(route) {
    return !route.match || route.match.length === 0;
}
/** Port of a Caddy listen address: `:443`, `0.0.0.0:80`, `tcp/[::]:8080`, `:8000-8010`. */
function parseListen(address) {
    const m = /^(?:(tcp|tcp4|tcp6|udp\d?)\/)?(\[[^\]]*\]|[^:/]*):(\d+)(?:-\d+)?$/.exec(address.trim());
    if (!m || (m[1] && m[1].startsWith('udp')))
        return undefined;
    return { host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}
/** Picks the server: the one asked for, else the only one, else the one on :443, else on :80. */
function chooseServer(servers, wanted) {
    const names = Object.keys(servers ?? {});
    if (wanted) {
        if (!names.includes(wanted)) {
            throw new errors_js_1.ConfigError(`invalid settings: --caddy-server: Caddy has no HTTP server "${wanted}"`, {
                hint: names.length ? `servers: ${names.join(', ')}` : 'Caddy has no HTTP server yet',
            });
        }
        return wanted;
    }
    if (names.length === 0) {
        throw new errors_js_1.ProviderError('Caddy has no HTTP server to add preview routes to', { hint: 'configure one (e.g. a site on :80 or :443) or load a config with apps.http.servers' });
    }
    if (names.length === 1)
        return names[0];
    for (const port of [443, 80]) {
        const on = names.filter((n) => (servers[n].listen ?? []).some((a) => parseListen(a)?.port === port));
        if (on.length === 1)
            return on[0];
    }
    throw new errors_js_1.ConfigError(`invalid settings: Caddy has several HTTP servers (${names.join(', ')}) and none is clearly the public one`, {
        hint: 'choose one with --caddy-server',
    });
}
/**
 * Where to send requests that must go through the chosen server. A wildcard listen address is
 * reached on the host the admin API lives on (loopback when it is a unix socket).
 */
function listenerOf(server, adminHost) {
    const parsed = (server.listen ?? []).map(parseListen).filter((l) => l !== undefined);
    const first = parsed.find((l) => l.port !== 443) ?? parsed[0];
    if (!first)
        throw new errors_js_1.ProviderError('the chosen Caddy server has no TCP listen address', { hint: 'choose another with --caddy-server' });
    const wildcard = first.host === '' || first.host === '0.0.0.0' || first.host === '::';
    const tls = first.port === 443 || (server.tls_connection_policies?.length ?? 0) > 0;
    return { host: wildcard ? (adminHost ?? '127.0.0.1') : first.host, port: first.port, tls };
}
function publicUrl(host, listener) {
    const scheme = listener.tls ? 'https' : 'http';
    const standard = listener.tls ? 443 : 80;
    return `${scheme}://${host}${listener.port === standard ? '' : `:${listener.port}`}`;
}
function sameRoute(a, b) {
    return (0, labels_js_1.canonicalJson)(a) === (0, labels_js_1.canonicalJson)(b);
}
/** What to do to a route list, in order; indexes are valid for the first action only. */
function routeActions(routes, wishes, ensureCatchAll) {
    const list = routes ?? [];
    const actions = [];
    for (const [id, wish] of wishes) {
        const at = list.flatMap((r, i) => (r['@id'] === id ? [i] : []));
        if (wish === null) {
            for (const index of at.reverse())
                actions.push({ kind: 'delete', id, index });
            continue;
        }
        // Duplicates of one @id (an earlier POST race) go, highest index first; the first copy stays.
        for (const index of at.slice(1).reverse())
            actions.push({ kind: 'delete', id, index });
        if (at.length === 0)
            actions.push({ kind: 'insert', id, route: wish });
        else if (!sameRoute(list[at[0]], wish))
            actions.push({ kind: 'replace', id, index: at[0], route: wish });
    }
    if (ensureCatchAll && !list.some(isCatchAll))
        actions.push({ kind: 'append-catch-all' });
    return actions;
}
function describe(action) {
    switch (action.kind) {
        case 'insert':
            return { kind: 'create', target: `caddy route ${action.id}` };
        case 'replace':
            return { kind: 'update', target: `caddy route ${action.id}` };
        case 'delete':
            return { kind: 'delete', target: `caddy route ${action.id}` };
        case 'append-catch-all':
            return { kind: 'create', target: `caddy route ${exports.CATCH_ALL_ID}` };
    }
}
/** 502-504 answers to route writes tolerated in one sync before giving up. */
const MAX_GATEWAY_FAILURES = 6;
/**
 * Converges one server's routes: read the list and its Etag, do the first needed write with
 * If-Match, read again, until nothing is left to do. A 412 (someone else wrote meanwhile) just
 * means reading again. Returns the ids written.
 */
async function syncRoutes(ctx, server, wishes, options) {
    const path = routesPath(server);
    const written = [];
    let gatewayFailures = 0;
    for (let round = 0; round < 50; round++) {
        const read = await ctx.admin.get(path, `read Caddy routes of server ${server}`);
        if (read.status === 404)
            throw new errors_js_1.ProviderError(`Caddy server ${server} disappeared while preview-kit was updating it`, { retryable: false });
        const routes = read.body;
        const actions = routeActions(routes, wishes, options.ensureCatchAll);
        if (actions.length === 0)
            return written;
        if (ctx.plan.dryRun) {
            for (const action of actions)
                await ctx.plan.apply(describe(action), async () => undefined, undefined);
            return actions.map((a) => (a.kind === 'append-catch-all' ? exports.CATCH_ALL_ID : a.id));
        }
        const action = actions[0];
        const empty = !routes || routes.length === 0;
        try {
            await ctx.plan.apply(describe(action), async () => {
                switch (action.kind) {
                    case 'insert':
                        // In front, so a catch-all the user already has never shadows it.
                        if (empty)
                            await ctx.admin.write('POST', path, `add Caddy route ${action.id}`, [action.route], read.etag);
                        else
                            await ctx.admin.write('PUT', `${path}/0`, `add Caddy route ${action.id}`, action.route, read.etag);
                        break;
                    case 'replace':
                        await ctx.admin.write('PATCH', `${path}/${action.index}`, `update Caddy route ${action.id}`, action.route, read.etag);
                        break;
                    case 'delete':
                        await ctx.admin.write('DELETE', `${path}/${action.index}`, `remove Caddy route ${action.id}`, undefined, read.etag);
                        break;
                    case 'append-catch-all':
                        await ctx.admin.write('POST', path, 'add the catch-all Caddy route', empty ? [catchAllRoute()] : catchAllRoute(), read.etag);
                        break;
                }
            }, undefined);
            written.push(action.kind === 'append-catch-all' ? exports.CATCH_ALL_ID : action.id);
        }
        catch (error) {
            // 412: someone wrote first. A reset connection or a 502-504: Caddy restarted its admin
            // listener for a concurrent write, or a proxy lost the answer, and ours may or may not have
            // landed. Either way the If-Match guard makes reading again and re-deciding safe; a gateway
            // that keeps failing is given up on after a few rounds.
            const lost = error instanceof errors_js_1.ProviderError && error.retryable && !(error instanceof errors_js_1.ConflictError);
            if (lost && error.status !== undefined && ++gatewayFailures > MAX_GATEWAY_FAILURES)
                throw error;
            if (!(error instanceof errors_js_1.ConflictError) && !lost)
                throw error;
            ctx.plan.steps.pop();
            const delay = Math.min((0, retry_js_1.backoffDelay)(Math.min(round, 4), { initialMs: 50, maxMs: 1_000 }), ctx.deadline.remaining());
            ctx.logger.debug(`Caddy routes of ${server}: ${error.message}; reading again in ${delay}ms`);
            await ctx.deadline.clock.sleep(delay);
        }
    }
    throw new errors_js_1.ProviderError(`Caddy routes of server ${server} kept changing; gave up after 50 attempts`, { retryable: true });
}


/***/ }),

/***/ 3163:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.cleanUp = cleanUp;
/**
 * After the switch: what no longer serves goes — replaced containers, leftovers of crashed runs,
 * services no longer configured — and each new container takes its service's canonical name.
 */
const errors_js_1 = __webpack_require__(4296);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_steps_js_1 = __webpack_require__(8382);
const route_shapes_js_1 = __webpack_require__(8565);
const runtime_js_1 = __webpack_require__(9995);
/**
 * A container the live route dials is never removed, and one newer than ours belongs to a
 * concurrent run that cleans up after itself.
 */
async function cleanUp(run, steps, unconfigured) {
    const { rt, ref, view } = run;
    const { plan } = rt.context;
    let routes = view.config.routes ?? [];
    if (!plan.dryRun && steps.some((s) => s.others.length || s.action === 'replace' || s.fresh)) {
        routes = (await rt.caddy.get((0, caddy_routes_js_1.routesPath)(view.server), 'read Caddy routes')).body ?? [];
    }
    const removals = [];
    const remove = (c, label, detail) => removals.push(plan.apply({ kind: 'delete', target: `container ${label}`, ...(detail ? { detail } : {}) }, () => rt.engine.removeContainer(c.Id), true));
    const renames = [];
    for (const step of steps) {
        const target = (0, route_shapes_js_1.dialedPort)(routes.find((r) => r['@id'] === (0, caddy_routes_js_1.routeId)(ref, step.plan.service)));
        const reference = step.fresh?.created ?? step.current?.Created ?? Number.POSITIVE_INFINITY;
        const candidates = [...(step.action === 'replace' && step.current ? [step.current] : []), ...step.others];
        for (const c of candidates) {
            if (!plan.dryRun && target !== undefined && (0, runtime_js_1.publishedPort)(c, step.plan.port) === target)
                continue;
            if (c.Created > reference + 1)
                continue;
            remove(c, (0, runtime_js_1.nameOf)(c));
        }
        const canonical = (0, runtime_js_1.canonicalName)(ref.name, step.plan.service);
        // A container left serving under its temporary name by an interrupted run takes its name now.
        const kept = (step.action === 'keep' || step.action === 'start') && step.current && (0, runtime_js_1.nameOf)(step.current) !== canonical ? step.current : undefined;
        if (kept && !plan.dryRun) {
            renames.push(() => rename(run, { id: kept.Id, name: (0, runtime_js_1.nameOf)(kept) }, canonical));
            continue;
        }
        const fresh = step.fresh;
        if (!fresh || plan.dryRun)
            continue;
        if (target !== undefined && target !== step.port) {
            rt.context.logger.warn(`service ${step.plan.service}: another run switched the route meanwhile; removing this run's container`);
            remove({ Id: fresh.id }, fresh.name);
            continue;
        }
        renames.push(() => rename(run, fresh, canonical));
    }
    for (const c of unconfigured)
        remove(c, (0, runtime_js_1.nameOf)(c), 'service no longer configured');
    // Renames wait for the removals: the old container still holds the canonical name.
    await (0, deploy_steps_js_1.settleAll)(removals);
    await (0, deploy_steps_js_1.settleAll)(renames.map((rename) => rename()));
}
async function rename(run, container, canonical) {
    try {
        await run.rt.context.plan.apply({ kind: 'update', target: `container ${container.name}`, detail: `rename to ${canonical}` }, () => renameOnce(run, container.id, canonical), undefined);
    }
    catch (error) {
        run.rt.context.logger.warn(`could not rename ${container.name} to ${canonical}: ${error.message}`);
    }
}
/**
 * A rename whose answer was lost may have been applied: the container's name says so. One refused
 * by something in front of the engine (502-504) is tried again.
 */
async function renameOnce(run, id, name) {
    for (let attempt = 1;; attempt++) {
        try {
            await run.rt.engine.renameContainer(id, name);
            return;
        }
        catch (error) {
            const now = await run.rt.engine.inspectContainer(id);
            if (now?.Name.replace(/^\//, '') === name)
                return;
            if (!(error instanceof errors_js_1.ProviderError) || !error.retryable || attempt >= 3)
                throw error;
            await run.rt.context.deadline.clock.sleep(200 * attempt);
        }
    }
}


/***/ }),

/***/ 7209:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.containerBody = containerBody;
exports.createContainerOnce = createContainerOnce;
/**
 * The container a service runs as: its create body, labelled with the preview's identity, and the
 * hash of everything that, when it changes, calls for a new container.
 */
const errors_js_1 = __webpack_require__(4296);
const labels_js_1 = __webpack_require__(9760);
/** Bumped when the shape of the containers we create changes, so old ones get replaced. */
const CONTAINER_SHAPE = 1;
function envNameOf(service) {
    return service.toUpperCase();
}
function containerBody(rt, ref, input) {
    const { plan, image, network } = input;
    const env = {
        ...plan.env,
        PREVIEW_NAME: ref.name,
        PREVIEW_URL: input.url,
        ...Object.fromEntries(Object.entries(input.urls).map(([service, url]) => [`PREVIEW_URL_${envNameOf(service)}`, url])),
    };
    const portKey = `${plan.port}/tcp`;
    const shape = {
        shape: CONTAINER_SHAPE,
        image: image.identity,
        env,
        command: plan.command,
        port: plan.port,
        publishHost: rt.settings.publishHost,
        network,
        service: plan.service,
    };
    const hash = (0, labels_js_1.hashOf)(shape);
    const labels = {
        ...(0, labels_js_1.identityLabels)(ref),
        [labels_js_1.LABEL.service]: plan.service,
        [labels_js_1.LABEL.commit]: input.commit,
        [labels_js_1.LABEL.configHash]: hash,
        // Labels cannot change after the create: each deploy makes a container, and says when.
        [labels_js_1.LABEL.deployedAt]: new Date().toISOString(),
    };
    const body = {
        Image: image.id.startsWith('sha256:dry-run') ? image.ref : image.id,
        Env: Object.entries(env)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => `${k}=${v}`),
        Labels: labels,
        ExposedPorts: { [portKey]: {} },
        HostConfig: {
            NetworkMode: network,
            // An empty HostPort lets the engine pick a free port: no scanning, no race between previews.
            PortBindings: { [portKey]: [{ HostIp: rt.settings.publishHost, HostPort: '' }] },
            RestartPolicy: { Name: 'unless-stopped' },
        },
        NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [plan.service] } } },
        ...(plan.command ? { Cmd: plan.command } : {}),
    };
    return { body, hash };
}
/**
 * Creates a container under a name nobody else uses (a fresh random suffix). When the answer is
 * lost (a 5xx from a proxy, a dropped connection) the create may have been applied: the name is
 * looked up before trying again, so one attempt never leaves a second container behind.
 */
async function createContainerOnce(rt, name, body) {
    for (let attempt = 1;; attempt++) {
        try {
            return await rt.engine.createContainer(name, body);
        }
        catch (error) {
            const lost = error instanceof errors_js_1.ProviderError && (error.retryable || error.status === 409);
            if (!lost || attempt >= 3)
                throw error;
            const made = await rt.engine.inspectContainer(name);
            if (made && made.Config?.Labels?.[labels_js_1.LABEL.key] === body.Labels[labels_js_1.LABEL.key])
                return made.Id;
            rt.context.logger.debug(`create container ${name}: ${error.message}; trying again`);
            await rt.context.deadline.clock.sleep(200 * attempt);
        }
    }
}


/***/ }),

/***/ 8794:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.LOCK_HOLDER = exports.LOCK_UNTIL = void 0;
exports.holderIsGone = holderIsGone;
exports.lockName = lockName;
exports.removeStaleLock = removeStaleLock;
exports.acquireDeployLock = acquireDeployLock;
/**
 * One deploy at a time per preview. The engine has no lock, but creating a network whose name is
 * taken fails atomically, so `<name>.lock` (labelled ours, with an expiry for crashed runs) is
 * one. Only runs that change something take it: a no-op re-run stays free of writes.
 */
const node_crypto_1 = __webpack_require__(7598);
const node_os_1 = __webpack_require__(8161);
const identity_js_1 = __webpack_require__(4845);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const reconcile_js_1 = __webpack_require__(2698);
const types_js_1 = __webpack_require__(2695);
const labels_js_1 = __webpack_require__(9760);
exports.LOCK_UNTIL = 'preview-kit.lock-until';
/** `<host> <pid> <run>`: lets a run on the same machine see that the holder is gone. */
exports.LOCK_HOLDER = 'preview-kit.lock-holder';
/** Runs of this process that hold a lock now (the library API may deploy several previews at once). */
const heldHere = new Set();
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: it runs, as another user.
        return error.code !== 'ESRCH';
    }
}
const thisProcess = { host: (0, node_os_1.hostname)(), pid: process.pid, held: heldHere, alive: processAlive };
/**
 * A lock taken on this machine by a process that no longer runs (Ctrl-C, a killed job: the CLI
 * exits at once on a signal, without releasing) is stale now, not when its expiry comes, which
 * is the whole --timeout of the run that took it. Holders on other machines cannot be checked.
 */
function holderIsGone(holder, here = thisProcess) {
    const [host, pidText, run] = (holder ?? '').split(' ');
    const pid = Number(pidText);
    if (!host || host !== here.host || !run || !Number.isInteger(pid) || pid <= 0)
        return false;
    if (pid === here.pid)
        return !here.held.has(run);
    return !here.alive(pid);
}
function lockName(name) {
    return `${name}.lock`;
}
/** A lock of this preview's whose run is gone (or expired): stale, whoever finds it may remove it. */
function isStale(held) {
    return Number(held.Labels?.[exports.LOCK_UNTIL] ?? 0) < Date.now() || holderIsGone(held.Labels?.[exports.LOCK_HOLDER]);
}
/**
 * A re-run with nothing to deploy takes no lock; it still removes a stale one of this preview's
 * (a run interrupted after its switch, before its release), so the preview converges.
 */
async function removeStaleLock(rt, ref) {
    const held = await rt.engine.inspectNetwork(lockName(ref.name));
    if (!held || lockOwner(held, ref) !== 'ours' || !isStale(held))
        return;
    rt.context.logger.warn(`removing the stale deploy lock of ${ref.name} (a run that was interrupted?)`);
    await rt.context.plan.apply({ kind: 'delete', target: `network ${held.Name}`, detail: 'stale deploy lock' }, () => rt.engine.removeNetwork(held.Id), true);
}
/** Whose lock a held lock network is, for the message when it is not ours to take. */
function lockOwner(held, ref) {
    const ownership = (0, reconcile_js_1.ownershipOf)((0, labels_js_1.marksOf)(held.Labels), ref.key);
    if (ownership.kind === 'ours')
        return 'ours';
    if (ownership.kind === 'other')
        return ownership.whose;
    return 'nobody: it lacks preview-kit\'s marker';
}
async function acquireDeployLock(rt, ref) {
    const { engine, context } = rt;
    const name = ref.name;
    const lock = lockName(name);
    const started = context.deadline.clock.now();
    const run = (0, node_crypto_1.randomBytes)(6).toString('hex');
    const holder = `${thisProcess.host} ${thisProcess.pid} ${run}`;
    const waited = () => Math.round((context.deadline.clock.now() - started) / 1000);
    const timedOut = () => new errors_js_1.TimeoutError(`timed out after ${waited()}s waiting for another deploy of ${name} to finish`, {
        hint: `raise --timeout, or remove a stale lock: docker network rm ${lock}`,
    });
    const taken = (id) => ({
        release: async () => {
            // By id: a lock that expired and was taken over by another run stays.
            await engine.removeNetwork(id).catch((error) => context.logger.warn(`could not remove the deploy lock ${lock}: ${error.message}`));
            heldHere.delete(run);
        },
    });
    for (let attempt = 0;; attempt++) {
        const until = context.deadline.clock.now() + Math.max(60_000, context.deadline.remaining());
        let held;
        try {
            heldHere.add(run);
            const id = await engine.createNetwork(lock, { ...(0, labels_js_1.identityLabels)(ref), [exports.LOCK_UNTIL]: String(until), [exports.LOCK_HOLDER]: holder });
            if (attempt > 0)
                context.logger.info(`the other deploy of ${name} is done; going on`);
            return taken(id);
        }
        catch (error) {
            // The deadline ran out inside the engine call: say what we were waiting for.
            if (error instanceof errors_js_1.TimeoutError && attempt > 0) {
                heldHere.delete(run);
                throw timedOut();
            }
            const conflict = error instanceof errors_js_1.ProviderError && error.status === 409;
            if (!conflict && !(error instanceof errors_js_1.ProviderError && error.retryable)) {
                heldHere.delete(run);
                throw error;
            }
            // A create whose answer was lost may have been applied: the holder label tells.
            held = await engine.inspectNetwork(lock);
            if (held?.Labels?.[exports.LOCK_HOLDER] === holder)
                return taken(held.Id);
            heldHere.delete(run);
            if (!conflict) {
                context.logger.debug(`create the deploy lock ${lock}: ${error.message}; trying again`);
                const pause = Math.min((0, retry_js_1.backoffDelay)(attempt, { initialMs: 200, maxMs: 2_000 }), context.deadline.remaining());
                if (pause <= 0)
                    throw error;
                await context.deadline.clock.sleep(pause);
                continue;
            }
        }
        if (held && held.Labels?.[labels_js_1.LABEL.managedBy] !== types_js_1.OWNER_MARKER) {
            throw new errors_js_1.ProviderError(`network ${lock} exists but was not created by preview-kit; it blocks deploys of ${name}`, { hint: `remove it: docker network rm ${lock}` });
        }
        const owner = held ? lockOwner(held, ref) : 'ours';
        if (owner !== 'ours') {
            throw new errors_js_1.ProviderError(`network ${lock} is the deploy lock of ${owner}, not of ${(0, identity_js_1.describeIdentity)(ref.identity)}; it blocks deploys of ${name}`, {
                hint: `stop that preview, or remove the lock if it is stale: docker network rm ${lock}`,
            });
        }
        const gone = holderIsGone(held?.Labels?.[exports.LOCK_HOLDER]);
        if (held && isStale(held)) {
            context.logger.warn(`removing the stale deploy lock of ${name} (${gone ? 'the run that took it on this machine is gone' : 'a run that crashed?'})`);
            // By id: when another waiter removed it first and took a new lock, that one stays.
            await engine.removeNetwork(held.Id || lock);
            continue;
        }
        if (attempt === 0)
            context.logger.info(`another deploy of ${name} is running; waiting for it`);
        const delay = Math.min((0, retry_js_1.backoffDelay)(attempt, { initialMs: 200, maxMs: 2_000 }), context.deadline.remaining());
        if (delay <= 0)
            throw timedOut();
        context.logger.progress(`waiting for another deploy of ${name} (${waited()}s)`);
        await context.deadline.clock.sleep(delay);
    }
}


/***/ }),

/***/ 8382:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.settleAll = settleAll;
exports.dial = dial;
/**
 * Like Promise.all, but waits for every task before throwing the first failure, so a rollback
 * never runs while a sibling is still creating something it would miss.
 */
async function settleAll(tasks) {
    const results = await Promise.allSettled(tasks);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
    return results.map((r) => r.value);
}
/** What Caddy dials to reach a published port. */
function dial(rt, port) {
    return `${rt.settings.upstreamHost}:${port}`;
}


/***/ }),

/***/ 3952:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.deployPreview = deployPreview;
exports.dropNewEmptyNetwork = dropNewEmptyNetwork;
/**
 * Deploying a commit: every target judged first, then images, then one container per service,
 * replaced only when the commit or the container's settings changed. A new container is checked
 * through Caddy on a staging route before it gets the real hosts, so a failed deploy leaves the
 * old one serving.
 */
const reconcile_js_1 = __webpack_require__(2698);
const apply_steps_js_1 = __webpack_require__(6685);
const basic_auth_js_1 = __webpack_require__(9848);
const caddy_routes_js_1 = __webpack_require__(859);
const container_body_js_1 = __webpack_require__(7209);
const deploy_lock_js_1 = __webpack_require__(8794);
const images_js_1 = __webpack_require__(581);
const labels_js_1 = __webpack_require__(9760);
const network_js_1 = __webpack_require__(3193);
const runtime_js_1 = __webpack_require__(9995);
const targets_js_1 = __webpack_require__(4217);
/** The container a service is served by: the canonical name wins, else the newest. */
function pickCurrent(name, service, mine) {
    const canonical = (0, runtime_js_1.canonicalName)(name, service);
    return mine.find((c) => (0, runtime_js_1.nameOf)(c) === canonical) ?? [...mine].sort((a, b) => b.Created - a.Created)[0];
}
function keyOf(plan) {
    return plan.build ? plan.build.repo : `image ${plan.image}`;
}
/** Decides every image at once (reads only), then builds or pulls the missing ones in parallel. */
async function resolveImages(rt, spec, plans, source) {
    const ctx = { engine: rt.engine, plan: rt.context.plan, logger: rt.context.logger, deadline: rt.context.deadline, childEnv: rt.context.childEnv };
    const unique = [...new Map(plans.map((p) => [keyOf(p), p])).values()];
    const prepared = await Promise.all(unique.map((plan) => (plan.build ? (0, images_js_1.prepareBuiltImage)(ctx, plan.build, source, spec) : (0, images_js_1.preparePrebuiltImage)(ctx, plan.image))));
    const resolved = await Promise.all(prepared.map((p, i) => p.ready ?? rt.context.logger.group(`${unique[i].build ? 'build' : 'pull'} ${keyOf(unique[i])}`, p.make)));
    return new Map(unique.map((plan, i) => [keyOf(plan), resolved[i]]));
}
async function deployPreview(rt, spec, source) {
    const { plan: runPlan } = rt.context;
    const name = spec.name;
    const view = await (0, runtime_js_1.readCaddy)(rt);
    const plans = (0, runtime_js_1.servicePlans)(rt, spec);
    const auth = (0, basic_auth_js_1.routeAuthOf)(spec);
    const urls = Object.fromEntries(plans.map((p) => [p.service, (0, caddy_routes_js_1.publicUrl)(p.hosts[0], view.listener)]));
    const url = urls[plans[0].service];
    // Nothing is written before every target is known to be ours.
    const { network, strays } = await (0, targets_js_1.checkTargets)(rt, spec, plans.map((p) => p.service), view.servers);
    // A dry run already planned the network (ensure, then deploy): plan it once.
    const planned = runPlan.dryRun && runPlan.steps.some((s) => s.kind === 'create' && s.target === `network ${name}`);
    if (!planned)
        await (0, reconcile_js_1.ensureResource)((0, network_js_1.networkHooks)(rt, spec), (0, network_js_1.reconcileContext)(rt, spec), network);
    const images = await resolveImages(rt, spec, plans, source);
    const configured = new Set(plans.map((p) => p.service));
    const decide = (containers) => {
        const steps = plans.map((plan) => {
            const image = images.get(keyOf(plan));
            const mine = containers.filter((c) => (0, runtime_js_1.serviceOf)(c) === plan.service);
            const current = pickCurrent(name, plan.service, mine);
            const { body, hash } = (0, container_body_js_1.containerBody)(rt, spec, { plan, image, url: urls[plan.service], urls, network: name, commit: source.commit });
            const others = [...mine.filter((c) => c !== current), ...strays.filter((s) => (0, runtime_js_1.nameOf)(s) === (0, runtime_js_1.canonicalName)(name, plan.service))];
            let action;
            const port = current ? (0, runtime_js_1.publishedPort)(current, plan.port) : undefined;
            if (!current)
                action = 'create';
            else if (source.force || current.Labels?.[labels_js_1.LABEL.commit] !== source.commit || current.Labels?.[labels_js_1.LABEL.configHash] !== hash)
                action = 'replace';
            else if (current.State !== 'running' || port === undefined)
                action = 'start';
            else
                action = 'keep';
            return { plan, image, url: urls[plan.service], body, hash, current, others, action, ...(action === 'keep' ? { containerId: current.Id, port } : {}) };
        });
        // Containers of services no longer configured go once the new ones serve.
        return { steps, unconfigured: containers.filter((c) => !configured.has((0, runtime_js_1.serviceOf)(c))) };
    };
    const run = { rt, ref: spec, view, ...(auth ? { auth } : {}) };
    let decided = decide(await (0, runtime_js_1.previewContainers)(rt, spec));
    if (runPlan.dryRun)
        return (0, apply_steps_js_1.applySteps)(run, decided.steps, decided.unconfigured, source, url);
    if (decided.steps.every((s) => s.action === 'keep')) {
        await (0, deploy_lock_js_1.removeStaleLock)(rt, spec);
        return (0, apply_steps_js_1.applySteps)(run, decided.steps, decided.unconfigured, source, url);
    }
    // Something changes: one run at a time. A run that waited decides again, since the other run
    // may have deployed this very commit meanwhile.
    const lock = await (0, deploy_lock_js_1.acquireDeployLock)(rt, spec);
    try {
        decided = decide(await (0, runtime_js_1.previewContainers)(rt, spec));
        return await (0, apply_steps_js_1.applySteps)(run, decided.steps, decided.unconfigured, source, url);
    }
    finally {
        await lock.release();
    }
}
/**
 * A first deploy that failed (build error, container that never serves) leaves no preview
 * behind: the network the same `up` created goes again, unless some container already uses it.
 */
async function dropNewEmptyNetwork(rt, spec) {
    const { plan, logger } = rt.context;
    try {
        if ((await (0, runtime_js_1.previewContainers)(rt, spec)).length > 0)
            return;
        const [network] = (await rt.engine.networksNamed(spec.name)).filter((n) => (0, labels_js_1.isPreviewResource)(n.Labels, spec));
        if (!network)
            return;
        await plan.apply({ kind: 'delete', target: `network ${spec.name}`, detail: 'roll back: the first deploy failed' }, () => rt.engine.removeNetwork(network.Id), true);
    }
    catch (error) {
        logger.warn(`roll back: could not remove network ${spec.name}: ${error.message}`);
    }
}


/***/ }),

/***/ 9338:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.endpointFromDockerHost = endpointFromDockerHost;
/**
 * `DOCKER_HOST` → where engine requests go: a unix socket, plain tcp, https, or an ssh tunnel.
 */
const errors_js_1 = __webpack_require__(4296);
const ssh_tunnel_js_1 = __webpack_require__(7296);
function endpointFromDockerHost(dockerHost, options = {}) {
    if (dockerHost.startsWith('unix://')) {
        const socketPath = dockerHost.slice('unix://'.length);
        if (!socketPath.startsWith('/'))
            throw new errors_js_1.ConfigError(`invalid settings: --docker-host: "${dockerHost}" needs an absolute socket path`);
        return { socketPath, hostHeader: 'docker', display: dockerHost };
    }
    if (dockerHost.startsWith('tcp://') || dockerHost.startsWith('http://')) {
        const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
        return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 2375), hostHeader: url.host, display: `tcp://${url.host}` };
    }
    if (dockerHost.startsWith('https://')) {
        const url = new URL(dockerHost);
        return { host: url.hostname, port: Number(url.port || 2376), tls: true, hostHeader: url.host, display: `https://${url.host}` };
    }
    if (dockerHost.startsWith('ssh://')) {
        const target = (0, ssh_tunnel_js_1.parseSshUrl)(dockerHost);
        const display = `ssh://${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
        return { agent: new ssh_tunnel_js_1.SshAgent(target, options.sshCommand, options.childEnv), host: 'docker', port: 80, hostHeader: 'docker', display };
    }
    throw new errors_js_1.ConfigError(`invalid settings: --docker-host: "${dockerHost}" is not supported`, {
        hint: 'use unix:///path/docker.sock, tcp://host:port or ssh://user@host',
    });
}


/***/ }),

/***/ 835:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.API_VERSION = void 0;
exports.queryString = queryString;
exports.loggedPath = loggedPath;
exports.demuxLogs = demuxLogs;
/** Oldest API version with everything we use; Docker 20.10+ and podman 4 serve it. */
exports.API_VERSION = 'v1.41';
function queryString(query) {
    if (!query)
        return '';
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
        if (value !== undefined)
            params.set(key, String(value));
    const text = params.toString();
    return text ? `?${text}` : '';
}
/**
 * The request line for --debug: build argument values are left out. They are how people hand
 * a registry token to a build (NPM_TOKEN…), and nothing else shows them; their names stay.
 */
function loggedPath(path, query, version = exports.API_VERSION) {
    const args = query?.buildargs;
    if (typeof args !== 'string')
        return `/${version}${path}${queryString(query)}`;
    let names;
    try {
        names = Object.keys(JSON.parse(args));
    }
    catch {
        names = [];
    }
    const masked = JSON.stringify(Object.fromEntries(names.map((n) => [n, '***'])));
    return `/${version}${path}${queryString({ ...query, buildargs: masked })}`;
}
/**
 * Container logs without a TTY come in frames: 1 byte stream, 3 zero bytes, a 4-byte big-endian
 * length, then the payload. Anything else is taken as plain text.
 */
function demuxLogs(buf) {
    const parts = [];
    let offset = 0;
    while (offset + 8 <= buf.length) {
        const kind = buf[offset];
        if (kind > 2 || buf[offset + 1] !== 0 || buf[offset + 2] !== 0 || buf[offset + 3] !== 0)
            return buf.toString('utf8');
        const size = buf.readUInt32BE(offset + 4);
        parts.push(buf.subarray(offset + 8, offset + 8 + size).toString('utf8'));
        offset += 8 + size;
    }
    return offset === buf.length ? parts.join('') : buf.toString('utf8');
}


/***/ }),

/***/ 897:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DockerEngine = exports.ENGINE_PERMISSION_HINT = exports.loggedPath = exports.demuxLogs = exports.API_VERSION = exports.endpointFromDockerHost = void 0;
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const docker_host_js_1 = __webpack_require__(9338);
const engine_wire_js_1 = __webpack_require__(835);
const node_http_js_1 = __webpack_require__(1448);
const podman_api_js_1 = __webpack_require__(171);
var docker_host_js_2 = __webpack_require__(9338);
Object.defineProperty(exports, "endpointFromDockerHost", ({ enumerable: true, get: function () { return docker_host_js_2.endpointFromDockerHost; } }));
var engine_wire_js_2 = __webpack_require__(835);
Object.defineProperty(exports, "API_VERSION", ({ enumerable: true, get: function () { return engine_wire_js_2.API_VERSION; } }));
Object.defineProperty(exports, "demuxLogs", ({ enumerable: true, get: function () { return engine_wire_js_2.demuxLogs; } }));
Object.defineProperty(exports, "loggedPath", ({ enumerable: true, get: function () { return engine_wire_js_2.loggedPath; } }));
/** What a person can do about an engine that refuses us (401/403, or a socket we may not open). */
exports.ENGINE_PERMISSION_HINT = 'check the permissions of the Docker Engine socket (run as a user in the docker group), the TLS client certificate, or the rules of the proxy in front of the engine (--docker-host / DOCKER_HOST)';
/** podman answers 500 for a name already in use; Docker answers 409. Both mean the same. */
function looksLikeConflict(status, message) {
    return status === 409 || (status === 500 && /already in use|already exists|is already connected/i.test(message ?? ''));
}
class DockerEngine {
    stats = new http_js_1.RequestStats();
    endpoint;
    /** The podman version behind the Docker API, once an answer said so (its `Libpod-Api-Version` header). */
    libpodVersion;
    options;
    constructor(options) {
        this.options = options;
        this.endpoint = (0, docker_host_js_1.endpointFromDockerHost)(options.dockerHost, { ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}), ...(options.childEnv ? { childEnv: options.childEnv } : {}) });
    }
    get display() {
        return this.endpoint.display;
    }
    timeout(what) {
        this.options.deadline.check(what);
        return Math.min(this.options.requestTimeoutMs ?? 60_000, Math.max(1, this.options.deadline.remaining()));
    }
    unreachable(error, what) {
        if (error.code === 'EACCES') {
            return new errors_js_1.AuthError(`${what}: permission denied on the Docker Engine socket ${this.display}`, { hint: exports.ENGINE_PERMISSION_HINT });
        }
        return new errors_js_1.ProviderError(`${what}: Docker Engine unreachable at ${this.display}: ${error.message}`, {
            retryable: true,
            hint: 'start the engine or set --docker-host / DOCKER_HOST',
        });
    }
    fail(status, body, what) {
        const said = (0, http_js_1.errorMessageOf)(body);
        const detail = `${status}${said ? ` ${said}` : ''}`;
        // A socket proxy or a TLS front refusing us: never "not found", whatever the call was.
        if (status === 401 || status === 403) {
            return new errors_js_1.AuthError(`${what}: the Docker Engine at ${this.display} refused access (${detail})`, { hint: exports.ENGINE_PERMISSION_HINT });
        }
        if (looksLikeConflict(status, said))
            return new errors_js_1.ConflictError(`${what}: conflict (${detail})`, { status: 409 });
        return new errors_js_1.ProviderError(`${what}: the Docker Engine answered ${detail}`, { status, retryable: status === 502 || status === 503 || status === 504 });
    }
    async call(req) {
        // Reads, and writes whose repetition changes nothing (a second delete finds nothing, a second
        // start is a 304), are tried again when the engine or a proxy in front of it answers 502-504.
        const idempotent = req.method === 'GET' || req.method === 'HEAD' || req.idempotent === true;
        return (0, retry_js_1.retry)(() => this.once(req), {
            attempts: idempotent ? 4 : 1,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 200,
            what: req.what,
            onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${error.message}; attempt ${attempt + 1} in ${delay}ms`),
        });
    }
    async once(req) {
        const path = `/${req.apiVersion ?? engine_wire_js_1.API_VERSION}${req.path}${(0, engine_wire_js_1.queryString)(req.query)}`;
        const headers = { accept: 'application/json' };
        let body;
        if (req.body !== undefined) {
            body = JSON.stringify(req.body);
            headers['content-type'] = 'application/json';
        }
        const timeoutMs = this.timeout(req.what);
        this.stats.record(req.method);
        const shown = (0, engine_wire_js_1.loggedPath)(req.path, req.query, req.apiVersion);
        this.options.logger.debug(`docker ${req.method} ${shown}`);
        let res;
        try {
            res = await (0, node_http_js_1.exchange)(this.endpoint, { method: req.method, path, headers, ...(body !== undefined ? { body } : {}), timeoutMs });
        }
        catch (error) {
            if (error instanceof node_http_js_1.TransportError)
                throw this.unreachable(error, req.what);
            throw error;
        }
        const parsed = (0, node_http_js_1.parseJsonBody)(res.body);
        this.options.logger.debug(`docker → ${res.status} ${req.method} ${shown}`);
        const libpod = res.headers['libpod-api-version'];
        if (typeof libpod === 'string')
            this.libpodVersion = libpod;
        if ((res.status >= 200 && res.status < 300) || req.allow?.includes(res.status))
            return { status: res.status, body: parsed };
        throw this.fail(res.status, parsed, req.what);
    }
    /**
     * Sends a body (a tar stream for builds) and reads the newline-delimited JSON answer. The engine
     * reports failures inside the stream with HTTP 200, so the last `error` line decides.
     */
    async stream(req, onLine) {
        const path = `/${engine_wire_js_1.API_VERSION}${req.path}${(0, engine_wire_js_1.queryString)(req.query)}`;
        const timeoutMs = this.timeout(req.what);
        this.stats.record(req.method);
        this.options.logger.debug(`docker ${req.method} ${(0, engine_wire_js_1.loggedPath)(req.path, req.query)} (stream)`);
        let res;
        try {
            res = await (0, node_http_js_1.openRequest)(this.endpoint, { method: req.method, path, headers: req.headers ?? {}, ...(req.body ? { body: req.body } : {}), timeoutMs });
        }
        catch (error) {
            if (error instanceof node_http_js_1.TransportError)
                throw this.unreachable(error, req.what);
            throw error;
        }
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
            const chunks = [];
            for await (const chunk of res)
                chunks.push(chunk);
            throw this.fail(status, (0, node_http_js_1.parseJsonBody)(Buffer.concat(chunks)), req.what);
        }
        // The body of a build may take minutes: bounded by the command's deadline, not a request timeout.
        const guard = setTimeout(() => res.destroy(new node_http_js_1.TransportError(`the command's --timeout ran out`, 'ETIMEDOUT')), Math.max(1, this.options.deadline.remaining()));
        let pending = '';
        let streamError;
        const handle = (text) => {
            if (!text.trim())
                return;
            let line;
            try {
                line = JSON.parse(text);
            }
            catch {
                line = { stream: `${text}\n` };
            }
            const detail = line.errorDetail;
            if (typeof line.error === 'string' || detail?.message)
                streamError = String(detail?.message ?? line.error).trim();
            onLine(line);
        };
        try {
            for await (const chunk of res) {
                pending += chunk.toString('utf8');
                let nl = pending.indexOf('\n');
                while (nl >= 0) {
                    handle(pending.slice(0, nl));
                    pending = pending.slice(nl + 1);
                    nl = pending.indexOf('\n');
                }
            }
        }
        catch (error) {
            throw new errors_js_1.ProviderError(`${req.what}: the Docker Engine stream broke off: ${error.message}`, { retryable: true });
        }
        finally {
            clearTimeout(guard);
        }
        handle(pending);
        if (streamError !== undefined)
            throw new errors_js_1.ProviderError(`${req.what}: ${streamError}`, { hint: 'see the build output above' });
    }
    // Typed calls used by the provider.
    async ping() {
        await this.call({ method: 'GET', path: '/_ping', what: 'reach the Docker Engine' });
    }
    /**
     * One network by name or id. On podman its own inspect, which is cheap but says nothing of the
     * containers connected (podman-api.ts): ask for `containers` when they matter.
     */
    async inspectNetwork(name, options = {}) {
        if (this.libpodVersion && !options.containers)
            return (0, podman_api_js_1.libpodNetwork)(this, name, `look up network ${name}`);
        const res = await this.call({ method: 'GET', path: `/networks/${encodeURIComponent(name)}`, allow: [404], what: `look up network ${name}` });
        return res.status === 404 ? undefined : res.body;
    }
    /** Networks with all these labels (on podman through its own listing, see podman-api.ts). */
    async listNetworks(labels) {
        if (this.libpodVersion)
            return (0, podman_api_js_1.libpodNetworks)(this, { label: labels }, 'list networks');
        const res = await this.call({ method: 'GET', path: '/networks', query: { filters: JSON.stringify({ label: labels }) }, what: 'list networks' });
        return res.body ?? [];
    }
    /**
     * Every network called exactly `name`. Docker lets two networks share a name when two creates
     * race; its name filter matches parts of names (podman's, a regular expression), so the exact
     * name is checked here.
     */
    async networksNamed(name) {
        const what = `look up network ${name}`;
        const found = this.libpodVersion
            ? await (0, podman_api_js_1.libpodNetworks)(this, { name: [name] }, what)
            : ((await this.call({ method: 'GET', path: '/networks', query: { filters: JSON.stringify({ name: [name] }) }, what })).body ?? []);
        return found.filter((n) => n.Name === name);
    }
    async createNetwork(name, labels) {
        const res = await this.call({ method: 'POST', path: '/networks/create', body: { Name: name, Labels: labels, CheckDuplicate: true }, what: `create network ${name}` });
        return res.body.Id;
    }
    async removeNetwork(name) {
        const res = await this.call({ method: 'DELETE', path: `/networks/${encodeURIComponent(name)}`, allow: [404], idempotent: true, what: `remove network ${name}` });
        return res.status !== 404;
    }
    /** Running and stopped containers with all these labels; every container when none are given. */
    async listContainers(labels) {
        const res = await this.call({
            method: 'GET',
            path: '/containers/json',
            query: { all: 1, ...(labels.length ? { filters: JSON.stringify({ label: labels }) } : {}) },
            what: 'list containers',
        });
        return res.body ?? [];
    }
    async inspectContainer(idOrName) {
        const res = await this.call({ method: 'GET', path: `/containers/${encodeURIComponent(idOrName)}/json`, allow: [404], what: `inspect container ${idOrName}` });
        return res.status === 404 ? undefined : res.body;
    }
    async createContainer(name, body) {
        const res = await this.call({ method: 'POST', path: '/containers/create', query: { name }, body, what: `create container ${name}` });
        return res.body.Id;
    }
    async startContainer(id) {
        await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start`, allow: [304], idempotent: true, what: `start container ${id.slice(0, 12)}` });
    }
    /** Stops a container, keeping it; a stopped one answers 304. The engine waits the container's stop timeout, then kills. */
    async stopContainer(id) {
        await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/stop`, allow: [304], idempotent: true, what: `stop container ${id.slice(0, 12)}` });
    }
    async renameContainer(id, name) {
        await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/rename`, query: { name }, what: `rename container ${id.slice(0, 12)} to ${name}` });
    }
    /**
     * Force-removes a container and its anonymous volumes; false when it was already gone. podman
     * refuses (500 "container state improper") while its restart policy is restarting a container
     * that exited; that passes within moments, so those answers are tried again.
     */
    async removeContainer(id) {
        const res = await (0, retry_js_1.retry)(() => this.call({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: 1, v: 1 }, allow: [404], idempotent: true, what: `remove container ${id.slice(0, 12)}` }), {
            attempts: 6,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 200,
            retryIf: (error) => error instanceof errors_js_1.ProviderError && error.status === 500 && /state improper|could not be stopped/i.test(error.message),
        });
        return res.status !== 404;
    }
    /** The last lines a container wrote, for error messages. */
    async containerLogs(id, tail = 20) {
        const path = `/${engine_wire_js_1.API_VERSION}/containers/${encodeURIComponent(id)}/logs${(0, engine_wire_js_1.queryString)({ stdout: 1, stderr: 1, tail })}`;
        try {
            const res = await (0, node_http_js_1.exchange)(this.endpoint, { method: 'GET', path, timeoutMs: Math.min(10_000, Math.max(1, this.options.deadline.remaining())) });
            return res.status === 200 ? (0, engine_wire_js_1.demuxLogs)(res.body) : '';
        }
        catch {
            return '';
        }
    }
    async inspectImage(ref) {
        const res = await this.call({ method: 'GET', path: `/images/${encodeURIComponent(ref)}/json`, allow: [404], what: `look up image ${ref}` });
        return res.status === 404 ? undefined : res.body;
    }
    async listImages(labels) {
        const res = await this.call({ method: 'GET', path: '/images/json', query: { filters: JSON.stringify({ label: labels }) }, what: 'list images' });
        return res.body ?? [];
    }
    async tagImage(id, repo, tag) {
        await this.call({ method: 'POST', path: `/images/${encodeURIComponent(id)}/tag`, query: { repo, tag }, idempotent: true, what: `tag image ${repo}:${tag}` });
    }
    /** Removes one reference; the image itself goes with its last tag. 409 when a container still uses it. */
    async removeImage(ref) {
        const res = await this.call({ method: 'DELETE', path: `/images/${encodeURIComponent(ref)}`, allow: [404, 409], idempotent: true, what: `remove image ${ref}` });
        return res.status === 404 ? 'missing' : res.status === 409 ? 'in-use' : 'removed';
    }
    /** Volumes with these labels. podman 4 matches any one of several label filters here (Docker: all). */
    async listVolumes(labels) {
        const res = await this.call({ method: 'GET', path: '/volumes', query: { filters: JSON.stringify({ label: labels }) }, what: 'list volumes' });
        return res.body?.Volumes ?? [];
    }
    async removeVolume(name) {
        const res = await this.call({ method: 'DELETE', path: `/volumes/${encodeURIComponent(name)}`, allow: [404], idempotent: true, what: `remove volume ${name}` });
        return res.status !== 404;
    }
}
exports.DockerEngine = DockerEngine;


/***/ }),

/***/ 251:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.tagsOf = tagsOf;
exports.isOurRepository = isOurRepository;
exports.displayName = displayName;
exports.chooseImagePrunes = chooseImagePrunes;
exports.ageText = ageText;
exports.pruneOldImages = pruneOldImages;
/**
 * `prune --ttl` for images: the project's images that carry our marker, are older than the TTL
 * and that no container (running or stopped, ours or not) uses. Builds of old commits pile up on
 * a review host otherwise, since `stop` keeps images unless `--remove-images`.
 */
const naming_js_1 = __webpack_require__(2607);
const types_js_1 = __webpack_require__(2695);
const labels_js_1 = __webpack_require__(9760);
const services_js_1 = __webpack_require__(1711);
const settings_js_1 = __webpack_require__(2390);
function bareId(id) {
    return id.replace(/^sha256:/, '');
}
function tagsOf(image) {
    return (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
}
/** `localhost/<app>` and `localhost/<app>-<service>`: the repositories our builds are tagged in. */
function isOurRepository(tag, app) {
    const repo = tag.slice(0, tag.lastIndexOf(':'));
    const base = (0, services_js_1.repoName)(app);
    if (repo === base)
        return true;
    return repo.startsWith(`${base}-`) && settings_js_1.SERVICE_NAME.test(repo.slice(base.length + 1));
}
/** The name a person knows an image by: its commit tag, else any tag, else its short id. */
function displayName(verdict) {
    const tags = tagsOf(verdict.image);
    const commit = tags.find((t) => /:[0-9a-f]{40}$/.test(t));
    return commit ?? tags[0] ?? `sha256:${bareId(verdict.image.Id).slice(0, 12)}`;
}
/**
 * Pure, so the rules are tested with any clock. An image is judged only when it has our marker and
 * the project's app label; it is kept when it is tagged anywhere but our repositories (a user's
 * tag, or an image built FROM ours, which inherits our labels), when it is not older than the TTL,
 * or when a container uses it.
 */
function chooseImagePrunes(images, containers, selection) {
    const leaving = new Set(selection.removedPreviews ?? []);
    const users = new Map();
    for (const c of containers) {
        const ours = c.Labels?.[labels_js_1.LABEL.managedBy] === types_js_1.OWNER_MARKER;
        if (ours && leaving.has(c.Labels?.[labels_js_1.LABEL.name] ?? ''))
            continue;
        const id = bareId(c.ImageID ?? '');
        users.set(id, [...(users.get(id) ?? []), (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')]);
    }
    const app = (0, naming_js_1.slugify)(selection.app);
    const choice = { remove: [], keep: [] };
    for (const image of images) {
        const labels = image.Labels ?? {};
        if (labels[labels_js_1.LABEL.managedBy] !== types_js_1.OWNER_MARKER || (0, naming_js_1.slugify)(labels[labels_js_1.LABEL.app] ?? '') !== app)
            continue;
        const tags = tagsOf(image);
        const verdict = { image, refs: tags.length ? tags : [image.Id], ageMs: selection.now - image.Created * 1000 };
        const foreign = tags.filter((t) => !isOurRepository(t, selection.app));
        const usedBy = users.get(bareId(image.Id));
        if (foreign.length)
            choice.keep.push({ ...verdict, why: `also tagged ${foreign.join(', ')}` });
        else if (!(verdict.ageMs > selection.olderThanMs))
            choice.keep.push({ ...verdict, why: 'not old enough' });
        else if (usedBy)
            choice.keep.push({ ...verdict, why: `used by container ${usedBy.join(', ')}` });
        else
            choice.remove.push(verdict);
    }
    return choice;
}
function ageText(ms) {
    if (ms >= 86_400_000)
        return `${Math.floor(ms / 86_400_000)}d`;
    if (ms >= 3_600_000)
        return `${Math.floor(ms / 3_600_000)}h`;
    if (ms >= 60_000)
        return `${Math.floor(ms / 60_000)}m`;
    return `${Math.max(0, Math.floor(ms / 1000))}s`;
}
/**
 * Removes the chosen images tag by tag, never with `force` (which on podman also deletes the
 * containers using the image): the engine itself refuses the last tag of an image a container
 * started using since we looked (409), so that image stays. Returns one entry per removed image.
 */
async function pruneOldImages(ctx, olderThanMs, options) {
    const images = await ctx.engine.listImages([labels_js_1.OWNED]);
    const containers = await ctx.engine.listContainers([]);
    const choice = chooseImagePrunes(images, containers, {
        app: options.app,
        olderThanMs,
        now: options.now ?? Date.now(),
        ...(options.removedPreviews ? { removedPreviews: options.removedPreviews } : {}),
    });
    for (const kept of choice.keep) {
        if (kept.ageMs > olderThanMs)
            ctx.logger.info(`image ${displayName(kept)} (${ageText(kept.ageMs)} old) kept: ${kept.why}`);
    }
    const removed = [];
    for (const verdict of choice.remove) {
        const name = displayName(verdict);
        ctx.logger.info(`${ctx.plan.dryRun ? 'would remove' : 'removing'} image ${name}: ${ageText(verdict.ageMs)} old, no container uses it`);
        let gone = 0;
        let stayed = false;
        for (const ref of verdict.refs) {
            const result = await ctx.plan.apply({ kind: 'delete', target: `image ${ref}`, detail: `${ageText(verdict.ageMs)} old` }, () => ctx.engine.removeImage(ref), 'removed');
            if (result === 'removed')
                gone++;
            if (result === 'in-use') {
                ctx.logger.info(`image ${name} kept: a container started using it meanwhile`);
                stayed = true;
                break;
            }
        }
        // All refs already missing: another run removed it; not ours to count.
        if (!stayed && gone > 0)
            removed.push(name);
    }
    return removed;
}


/***/ }),

/***/ 581:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.buildIdentity = buildIdentity;
exports.buildLabels = buildLabels;
exports.prepareBuiltImage = prepareBuiltImage;
exports.preparePrebuiltImage = preparePrebuiltImage;
exports.tagForPreview = tagForPreview;
exports.removeUnclaimedImage = removeUnclaimedImage;
exports.removePreviewImages = removePreviewImages;
/**
 * Images of a preview: built from the commit's own files (`git archive`, so the image tagged with
 * a commit holds exactly that commit), skipped when the commit's image exists with the same build
 * settings, or a prebuilt image pulled when it is missing.
 */
const node_child_process_1 = __webpack_require__(1421);
const errors_js_1 = __webpack_require__(4296);
const labels_js_1 = __webpack_require__(9760);
const image_prune_js_1 = __webpack_require__(251);
const services_js_1 = __webpack_require__(1711);
const types_js_1 = __webpack_require__(2695);
function runGit(dir, args, env) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c) => (stderr += c.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
}
function treeish(commit, path) {
    return `${commit}:./${path === '.' ? '' : path}`;
}
/** Fails early, with a message a person can act on, when the commit lacks the Dockerfile. */
async function checkDockerfile(dir, commit, build, env) {
    const file = build.context === '.' ? build.dockerfile : `${build.context}/${build.dockerfile}`;
    const res = await runGit(dir, ['cat-file', '-e', `${commit}:./${file}`], env);
    if (res.code !== 0) {
        throw new errors_js_1.ConfigError(`build: ${file} is not in commit ${commit.slice(0, 12)}`, { hint: 'commit the Dockerfile, or set --dockerfile / --build-context' });
    }
}
/** The label set and tag of a commit's image for one build spec. */
function buildIdentity(build, commit, app) {
    const args = (0, services_js_1.expandBuildArgs)(build.args, { commit, app });
    const hash = (0, labels_js_1.hashOf)({ context: build.context, dockerfile: build.dockerfile, args });
    return { args, hash, ref: `${build.repo}:${commit}` };
}
/**
 * The labels of a build: ours, with the identity of the preview that built it (an image of a
 * commit is shared by the project's previews of that commit, but only the builder's `stop` takes
 * its untagged twins), and never the preview's name, which containers would inherit.
 */
function buildLabels(ref, hash, commit) {
    const { [labels_js_1.LABEL.name]: _name, ...labels } = (0, labels_js_1.identityLabels)(ref);
    return { ...labels, [labels_js_1.LABEL.buildHash]: hash, [labels_js_1.LABEL.commit]: commit };
}
async function prepareBuiltImage(ctx, build, source, ref) {
    const app = ref.identity.project;
    const { args, hash, ref: tag } = buildIdentity(build, source.commit, app);
    const existing = await ctx.engine.inspectImage(tag);
    if (existing && existing.Config?.Labels?.[labels_js_1.LABEL.buildHash] === hash && !source.force) {
        ctx.logger.info(`image ${tag.replace(source.commit, source.commit.slice(0, 12))} exists: build skipped`);
        return { ready: { id: existing.Id, ref: tag, built: false, identity: `${tag} ${hash}` } };
    }
    await checkDockerfile(source.dir, source.commit, build, ctx.childEnv);
    const labels = buildLabels(ref, hash, source.commit);
    const made = async () => {
        for (let attempt = 1;; attempt++) {
            try {
                await buildOnce(ctx, build, source, { tag, args, labels });
                break;
            }
            catch (error) {
                // A build whose answer was lost may have finished: the tag says so.
                if (!(error instanceof errors_js_1.ProviderError) || !error.retryable || attempt >= 3)
                    throw error;
                const now = await ctx.engine.inspectImage(tag);
                if (now && now.Config?.Labels?.[labels_js_1.LABEL.buildHash] === hash && now.Id !== existing?.Id)
                    break;
                ctx.logger.warn(`build ${tag}: ${error.message}; building again`);
                await (ctx.deadline?.clock.sleep(500 * attempt) ?? Promise.resolve());
            }
        }
        const image = await ctx.engine.inspectImage(tag);
        if (!image)
            throw new errors_js_1.ProviderError(`build ${tag}: the engine reported success but has no image ${tag}`);
        return { id: image.Id, ref: tag, built: true, identity: `${tag} ${hash}` };
    };
    return {
        make: () => ctx.plan.apply({ kind: 'create', target: `image ${build.repo}:${source.commit.slice(0, 12)}`, detail: `build ${build.context === '.' ? '' : `${build.context}/`}${build.dockerfile}` }, made, { id: `sha256:dry-run-${hash}`, ref: tag, built: true, identity: `${tag} ${hash}` }),
    };
}
/** One `POST /build` of the commit's files; the engine's errors arrive inside the stream. */
async function buildOnce(ctx, build, source, what) {
    const { tag: ref, args, labels } = what;
    const git = (0, node_child_process_1.spawn)('git', ['-C', source.dir, 'archive', '--format=tar', treeish(source.commit, build.context)], { stdio: ['ignore', 'pipe', 'pipe'], ...(ctx.childEnv ? { env: ctx.childEnv } : {}) });
    let gitError = '';
    git.stderr.on('data', (c) => (gitError += c.toString('utf8')));
    const gitDone = new Promise((resolve) => git.on('close', (code) => resolve(code ?? 1)));
    const tail = [];
    try {
        await ctx.engine.stream({
            method: 'POST',
            path: '/build',
            query: { t: ref, dockerfile: build.dockerfile, buildargs: JSON.stringify(args), labels: JSON.stringify(labels), rm: 1, forcerm: 1 },
            headers: { 'content-type': 'application/x-tar' },
            body: git.stdout,
            what: `build ${ref}`,
        }, (line) => {
            if (typeof line.stream !== 'string')
                return;
            for (const text of line.stream.split('\n')) {
                if (!text.trim())
                    continue;
                ctx.logger.debug(`build: ${text}`);
                tail.push(text);
                if (tail.length > 15)
                    tail.shift();
            }
        });
    }
    catch (error) {
        git.kill();
        const code = await gitDone;
        if (code !== 0 && gitError)
            throw new errors_js_1.ProviderError(`build ${ref}: git archive failed: ${gitError.trim()}`);
        if (tail.length)
            ctx.logger.info(`build output (last lines):\n  ${tail.join('\n  ')}`);
        throw error;
    }
    const code = await gitDone;
    if (code !== 0)
        throw new errors_js_1.ProviderError(`build ${ref}: git archive failed: ${gitError.trim() || `exit ${code}`}`);
}
/** A prebuilt image: used as is when present, pulled otherwise. */
async function preparePrebuiltImage(ctx, ref) {
    const existing = await ctx.engine.inspectImage(ref);
    if (existing)
        return { ready: { id: existing.Id, ref, built: false, identity: existing.Id } };
    return {
        make: () => ctx.plan.apply({ kind: 'create', target: `image ${ref}`, detail: 'pull' }, async () => {
            const at = ref.lastIndexOf(':');
            const slash = ref.lastIndexOf('/');
            const [fromImage, tag] = at > slash ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
            await ctx.engine.stream({ method: 'POST', path: '/images/create', query: { fromImage, tag }, what: `pull ${ref}` }, (line) => {
                if (typeof line.status === 'string')
                    ctx.logger.debug(`pull: ${line.status}`);
            });
            const image = await ctx.engine.inspectImage(ref);
            if (!image)
                throw new errors_js_1.ProviderError(`pull ${ref}: the engine has no such image after the pull`);
            return { id: image.Id, ref, built: false, identity: image.Id };
        }, { id: `sha256:dry-run-${(0, labels_js_1.hashOf)(ref)}`, ref, built: false, identity: ref }),
    };
}
/** Points `<repo>:<preview name>` at the image, unless it already does. */
async function tagForPreview(ctx, image, repo, name) {
    const current = await ctx.engine.inspectImage(image.id);
    if (current?.RepoTags?.includes(`${repo}:${name}`))
        return;
    await ctx.plan.apply({ kind: 'update', target: `image tag ${repo}:${name}` }, () => ctx.engine.tagImage(image.id, repo, name), undefined);
}
function isCommitTag(tag) {
    return /^[0-9a-f]{40}$/.test(tag.slice(tag.lastIndexOf(':') + 1));
}
/** Removes commit tags (and with the last, the image) unless another preview's tag still claims it. */
async function removeCommitTags(ctx, tags) {
    const removed = [];
    // A tag that is not a commit SHA is a preview's name: that preview still needs the image.
    if (tags.some((t) => !isCommitTag(t)))
        return removed;
    for (const tag of tags) {
        const result = await ctx.plan.apply({ kind: 'delete', target: `image ${tag}` }, () => ctx.engine.removeImage(tag), 'removed');
        if (result === 'removed')
            removed.push(`image ${tag}`);
        else if (result === 'in-use')
            ctx.logger.info(`image ${tag} is still used by a container: kept`);
    }
    return removed;
}
/** After a replacement with --remove-images: the image the old containers ran, if nothing claims it. */
async function removeUnclaimedImage(ctx, id) {
    const image = await ctx.engine.inspectImage(id);
    if (!image || image.Config?.Labels?.[labels_js_1.LABEL.managedBy] !== types_js_1.OWNER_MARKER)
        return [];
    return removeCommitTags(ctx, image.RepoTags ?? []);
}
/**
 * `stop --remove-images`: the preview's tag in the project's repositories; then, on those images and
 * on every image this preview built, the commit tags no other preview's tag still claims (the
 * engine refuses to remove an image a container uses); then the untagged images this preview built
 * (twins left when two runs built one commit at once). A tag of the same name in another project's
 * repository is another preview's, and an image another preview built is left to it.
 */
async function removePreviewImages(ctx, ref) {
    const removed = [];
    const images = await ctx.engine.listImages([labels_js_1.OWNED]);
    for (const image of images) {
        const tags = (0, image_prune_js_1.tagsOf)(image);
        const built = image.Labels?.[labels_js_1.LABEL.key] === ref.key;
        if (tags.length === 0) {
            if (!built)
                continue;
            const result = await ctx.plan.apply({ kind: 'delete', target: `image ${image.Id.slice(0, 19)}` }, () => ctx.engine.removeImage(image.Id), 'removed');
            if (result === 'removed')
                removed.push(`image ${image.Id.slice(0, 19)}`);
            continue;
        }
        const mine = tags.filter((t) => t.slice(t.lastIndexOf(':') + 1) === ref.name && (0, image_prune_js_1.isOurRepository)(t, ref.identity.project));
        if (mine.length === 0 && !built)
            continue;
        for (const tag of mine) {
            const result = await ctx.plan.apply({ kind: 'delete', target: `image ${tag}` }, () => ctx.engine.removeImage(tag), 'removed');
            if (result === 'removed')
                removed.push(`image ${tag}`);
        }
        removed.push(...(await removeCommitTags(ctx, tags.filter((t) => !mine.includes(t)))));
    }
    return removed;
}


/***/ }),

/***/ 9760:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.OWNED = exports.LABEL = void 0;
exports.identityLabels = identityLabels;
exports.previewFilter = previewFilter;
exports.nameFilter = nameFilter;
exports.isPreviewResource = isPreviewResource;
exports.marksOf = marksOf;
exports.canonicalJson = canonicalJson;
exports.hashOf = hashOf;
/**
 * The labels that mark what preview-kit created on the engine — our marker, the preview's name
 * (the lookup key), its identity key (what decides ownership) and its readable identity — and the
 * hash that tells whether a running container still matches what the current settings ask for.
 */
const node_crypto_1 = __webpack_require__(7598);
const identity_js_1 = __webpack_require__(4845);
const types_js_1 = __webpack_require__(2695);
exports.LABEL = {
    managedBy: 'preview-kit.managed-by',
    name: 'preview-kit.name',
    key: 'preview-kit.key',
    identity: 'preview-kit.identity',
    app: 'preview-kit.app',
    service: 'preview-kit.service',
    commit: 'preview-kit.commit',
    configHash: 'preview-kit.config-hash',
    buildHash: 'preview-kit.build-hash',
    /** On a container: when the deploy that made it ran (ISO 8601), what `prune --ttl` measures. */
    deployedAt: 'preview-kit.deployed-at',
    /** On the network: when the preview was first made (ISO 8601). */
    createdAt: 'preview-kit.created-at',
};
exports.OWNED = `${exports.LABEL.managedBy}=${types_js_1.OWNER_MARKER}`;
/** What every resource of a preview carries: marker, name, identity key and readable identity. */
function identityLabels(ref) {
    return {
        [exports.LABEL.managedBy]: types_js_1.OWNER_MARKER,
        [exports.LABEL.name]: ref.name,
        [exports.LABEL.key]: ref.key,
        [exports.LABEL.identity]: (0, identity_js_1.identityJson)(ref.identity),
        [exports.LABEL.app]: ref.identity.project,
    };
}
/**
 * Label filter for everything of one preview: name and key. Engines AND label filters on
 * containers, networks and images; podman 4 ORs them on volumes, so callers check the labels of
 * what comes back as well (`isPreviewResource`).
 */
function previewFilter(ref) {
    return [exports.OWNED, `${exports.LABEL.name}=${ref.name}`, `${exports.LABEL.key}=${ref.key}`];
}
/** Label filter for everything that carries a preview's name, whoever owns it. */
function nameFilter(name) {
    return [`${exports.LABEL.name}=${name}`];
}
/** Marker, name and key all match: the resource is this preview's. */
function isPreviewResource(labels, ref) {
    return labels?.[exports.LABEL.managedBy] === types_js_1.OWNER_MARKER && labels?.[exports.LABEL.name] === ref.name && labels?.[exports.LABEL.key] === ref.key;
}
/** The marks reconcile judges a resource by. */
function marksOf(labels) {
    const identity = (0, identity_js_1.parseIdentityJson)(labels?.[exports.LABEL.identity]);
    const key = labels?.[exports.LABEL.key];
    return { marker: labels?.[exports.LABEL.managedBy] === types_js_1.OWNER_MARKER, ...(key ? { key } : {}), ...(identity ? { identity } : {}) };
}
/** JSON with sorted keys, so equal objects always give equal text. */
function canonicalJson(value) {
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(',')}]`;
    if (value && typeof value === 'object') {
        const entries = Object.entries(value)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    return JSON.stringify(value);
}
function hashOf(value, length = 16) {
    return (0, node_crypto_1.createHash)('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}


/***/ }),

/***/ 3193:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.PLANNED_NETWORK_ID = void 0;
exports.reconcileContext = reconcileContext;
exports.networkHooks = networkHooks;
/**
 * The preview's network, reconciled like every top-level resource (see ../reconcile.ts): names are
 * unique on the engine, so a concurrent create is answered "already exists" and the run joins the
 * network the other run made, when that one is this preview's.
 */
const errors_js_1 = __webpack_require__(4296);
const labels_js_1 = __webpack_require__(9760);
/** What reconcile needs to know about the run. */
function reconcileContext(rt, ref) {
    const { plan, logger, deadline, adopt } = rt.context;
    return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name };
}
exports.PLANNED_NETWORK_ID = '(planned)';
/** A new network's labels: the preview's identity, and when it was made (what `list` shows as created). */
function networkLabels(ref) {
    return { ...(0, labels_js_1.identityLabels)(ref), [labels_js_1.LABEL.createdAt]: new Date().toISOString() };
}
function networkHooks(rt, ref) {
    const labels = networkLabels(ref);
    return {
        noun: 'network',
        name: ref.name,
        list: () => rt.engine.networksNamed(ref.name),
        id: (n) => n.Id.slice(0, 12),
        createdAt: (n) => Date.parse(n.Created),
        marks: (n) => (0, labels_js_1.marksOf)(n.Labels),
        async create() {
            const id = await rt.engine.createNetwork(ref.name, labels);
            return (await rt.engine.inspectNetwork(id)) ?? { Id: id, Name: ref.name, Created: new Date().toISOString(), Labels: labels };
        },
        planned: () => ({ Id: exports.PLANNED_NETWORK_ID, Name: ref.name, Created: '', Labels: labels }),
        async remove(n) {
            await rt.engine.removeNetwork(n.Id);
        },
        mark: (n) => relabel(rt, ref, n),
        // Our key without the marker: ours, whatever took the marker off.
        provablyOurs: (n) => n.Labels?.[labels_js_1.LABEL.key] === ref.key,
        uniqueNames: true,
        // podman answers 500 "network already exists", Docker 409: the engine client maps both.
        isNameTaken: (error) => error instanceof errors_js_1.ConflictError,
    };
}
/**
 * An engine cannot change a network's labels, so taking one over (`--adopt`, or repairing lost
 * marks) means making it again under the same name with our labels — only while no container is
 * connected to it, since re-making it would cut them off.
 */
async function relabel(rt, ref, network) {
    const current = await rt.engine.inspectNetwork(network.Id, { containers: true });
    const connected = Object.keys(current?.Containers ?? {});
    if (connected.length > 0) {
        throw new errors_js_1.SafetyError(`network ${ref.name} (${network.Id.slice(0, 12)}) has ${connected.length} container(s) connected: it can only be taken over while empty`, {
            hint: 'an engine cannot relabel a network: disconnect or remove its containers, or remove the network',
        });
    }
    await rt.engine.removeNetwork(network.Id);
    // Taken over, not made now: it keeps the time it was made.
    const labels = { ...networkLabels(ref), [labels_js_1.LABEL.createdAt]: network.Labels?.[labels_js_1.LABEL.createdAt] ?? (network.Created || new Date().toISOString()) };
    const id = await rt.engine.createNetwork(ref.name, labels);
    return (await rt.engine.inspectNetwork(id)) ?? { Id: id, Name: ref.name, Created: new Date().toISOString(), Labels: labels };
}


/***/ }),

/***/ 1448:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.TransportError = void 0;
exports.openRequest = openRequest;
exports.readResponse = readResponse;
exports.exchange = exchange;
exports.parseJsonBody = parseJsonBody;
/**
 * One HTTP exchange over node:http, for the two APIs `fetch` cannot serve: the Docker Engine API
 * (unix sockets, `ssh` stdio tunnels) and Caddy's admin API (its Etag arrives as a trailer).
 */
const node_http_1 = __importDefault(__webpack_require__(7067));
const node_https_1 = __importDefault(__webpack_require__(4708));
/** A network-level failure (refused, reset, timeout), as opposed to an HTTP answer. */
class TransportError extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
    }
}
exports.TransportError = TransportError;
/** ECONNREFUSED and friends say enough; an ssh tunnel's failure says it in words. */
function transportCode(error) {
    const e = error;
    if (e.code === 'ESSH')
        return e.message;
    return e.code ?? e.message ?? 'error';
}
/** Starts a request; resolves with the response head so callers can stream the body. */
function openRequest(endpoint, req) {
    return new Promise((resolve, reject) => {
        const headers = { host: endpoint.hostHeader, ...req.headers };
        if (typeof req.body === 'string' || Buffer.isBuffer(req.body))
            headers['content-length'] = String(Buffer.byteLength(req.body));
        const options = {
            method: req.method,
            path: req.path,
            headers,
            ...(endpoint.socketPath ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port }),
            ...(endpoint.agent !== undefined ? { agent: endpoint.agent } : {}),
        };
        const request = (endpoint.tls ? node_https_1.default : node_http_1.default).request(options, (res) => {
            request.setTimeout(0);
            resolve(res);
        });
        request.setTimeout(req.timeoutMs, () => {
            request.destroy(new TransportError(`no answer within ${Math.round(req.timeoutMs / 1000)}s`, 'ETIMEDOUT'));
        });
        request.on('error', (error) => {
            reject(error instanceof TransportError ? error : new TransportError(transportCode(error), error.code ?? 'error'));
        });
        const body = req.body;
        if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
            request.end(body);
        }
        else {
            body.on('error', (error) => request.destroy(error));
            body.pipe(request);
        }
    });
}
/** Reads the whole body and the trailers that follow it. */
function readResponse(res, timeoutMs) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        const timer = setTimeout(() => res.destroy(new TransportError(`body not received within ${Math.round(timeoutMs / 1000)}s`, 'ETIMEDOUT')), timeoutMs);
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', (error) => {
            clearTimeout(timer);
            reject(error instanceof TransportError ? error : new TransportError(transportCode(error), error.code ?? 'error'));
        });
        res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks) });
        });
    });
}
async function exchange(endpoint, req) {
    const started = Date.now();
    const res = await openRequest(endpoint, req);
    return readResponse(res, Math.max(1, req.timeoutMs - (Date.now() - started)));
}
function parseJsonBody(body) {
    const text = body.toString('utf8');
    if (text.trim() === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}


/***/ }),

/***/ 171:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.libpodNetworks = libpodNetworks;
exports.libpodNetwork = libpodNetwork;
/** The oldest podman API version with these endpoints. */
const LIBPOD_API = 'v4.0.0';
function fromLibpod(n) {
    return { Id: n.id, Name: n.name, Created: n.created ?? '', Labels: n.labels ?? null };
}
/** Networks matching the filters (`label`, `name`…), as the Docker API would list them, without `Containers`. */
async function libpodNetworks(engine, filters, what) {
    const res = await engine.call({ method: 'GET', path: '/libpod/networks/json', apiVersion: LIBPOD_API, query: { filters: JSON.stringify(filters) }, what });
    return (res.body ?? []).map(fromLibpod);
}
/** One network by name or id, without `Containers`; undefined when there is none. */
async function libpodNetwork(engine, name, what) {
    const res = await engine.call({ method: 'GET', path: `/libpod/networks/${encodeURIComponent(name)}/json`, apiVersion: LIBPOD_API, allow: [404], what });
    return res.status === 404 ? undefined : fromLibpod(res.body);
}


/***/ }),

/***/ 8125:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.stateOf = stateOf;
exports.previewOf = previewOf;
exports.groupPreviews = groupPreviews;
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_lock_js_1 = __webpack_require__(8794);
const labels_js_1 = __webpack_require__(9760);
const route_shapes_js_1 = __webpack_require__(8565);
const runtime_js_1 = __webpack_require__(9995);
const sleep_js_1 = __webpack_require__(4484);
const services_js_1 = __webpack_require__(1711);
/** The services a preview of this identity has under the current settings (no `--domain` hosts). */
function plansOf(rt, name, identity) {
    if (!identity)
        return undefined;
    try {
        return (0, services_js_1.planServices)(rt.settings, { name, identity, env: {}, healthPath: '/', domains: [] });
    }
    catch {
        return undefined;
    }
}
const isoOf = (seconds) => new Date(seconds * 1000).toISOString();
/** When the deploy that made this container ran: its label, else its creation. */
function deployedAtOf(c) {
    const label = c.Labels?.[labels_js_1.LABEL.deployedAt];
    return label && Number.isFinite(Date.parse(label)) ? new Date(Date.parse(label)).toISOString() : isoOf(c.Created);
}
function networkCreatedAt(network) {
    const at = Date.parse(network?.Labels?.[labels_js_1.LABEL.createdAt] ?? network?.Created ?? '');
    return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}
/**
 * From the engine and Caddy, as read: a deploy holding the lock is `deploying`; containers that all
 * run are `running`; stopped ones behind the asleep page are `sleeping` (put to sleep, not
 * crashed); other stopped ones `failed`. Without Caddy's view a stopped preview is `unknown`.
 */
function stateOf(parts, containers) {
    if (parts.deploying)
        return 'deploying';
    if (containers.length === 0)
        return 'unknown';
    if (containers.every((c) => c.State === 'running'))
        return 'running';
    if (!parts.view || !parts.key)
        return 'unknown';
    const key = parts.key;
    const asleep = containers.some((c) => (0, route_shapes_js_1.isAsleepRoute)((0, route_shapes_js_1.findRoute)(parts.view.config.routes, (0, caddy_routes_js_1.routeId)({ name: parts.name, key }, (0, runtime_js_1.serviceOf)(c)))));
    return asleep && !containers.some(sleep_js_1.isAwake) ? 'sleeping' : 'failed';
}
function previewOf(rt, parts) {
    const { name, network, containers, view } = parts;
    const marks = (0, labels_js_1.marksOf)(network?.Labels ?? containers[0]?.Labels);
    const identity = marks.identity;
    const key = parts.key ?? marks.key;
    const plans = plansOf(rt, name, identity);
    const services = plans?.map((p) => p.service) ?? [...new Set(containers.map(runtime_js_1.serviceOf))];
    const domains = services.flatMap((service) => {
        const routed = key ? (0, route_shapes_js_1.hostsOfRoute)((0, route_shapes_js_1.findRoute)(view?.config.routes, (0, caddy_routes_js_1.routeId)({ name, key }, service))) : undefined;
        return (routed ?? plans?.find((p) => p.service === service)?.hosts ?? []).map((host) => ({ host }));
    });
    const urlOf = (host) => (view ? (0, caddy_routes_js_1.publicUrl)(host, view.listener) : `http://${host}`);
    // The containers that serve; leftovers of an interrupted deploy (temporary names) only when there are no others.
    const canonical = containers.filter((c) => (0, runtime_js_1.nameOf)(c) === `${name}-${(0, runtime_js_1.serviceOf)(c)}`);
    const serving = canonical.length ? canonical : containers;
    const primary = serving.find((c) => (0, runtime_js_1.serviceOf)(c) === services[0]) ?? serving[0];
    const deployedAt = serving.map(deployedAtOf).sort();
    const created = [networkCreatedAt(network), ...deployedAt].filter((d) => !!d).sort()[0];
    const lastDeployedAt = deployedAt[deployedAt.length - 1];
    const running = containers.length > 0 && containers.every((c) => c.State === 'running');
    const portOf = (c) => {
        const plan = plans?.find((p) => p.service === (0, runtime_js_1.serviceOf)(c));
        return plan ? (0, runtime_js_1.publishedPort)(c, plan.port) : undefined;
    };
    return {
        name,
        id: network?.Id ?? primary?.Id ?? name,
        url: domains[0] ? urlOf(domains[0].host) : '',
        domains,
        ...(identity ? { identity } : {}),
        ...(created ? { createdAt: created } : {}),
        ...(lastDeployedAt ? { lastDeployedAt } : {}),
        state: stateOf(parts, serving),
        ...(primary
            ? {
                lastDeployment: {
                    id: primary.Id,
                    state: running ? 'ok' : primary.State,
                    ...(primary.Labels?.[labels_js_1.LABEL.commit] ? { commit: primary.Labels[labels_js_1.LABEL.commit] } : {}),
                    createdAt: deployedAtOf(primary),
                },
            }
            : {}),
        details: {
            network: network?.Name,
            ...(key ? { key } : {}),
            // The routes of its services that Caddy has, when it was read: what a dry-run `stop` plans to remove.
            ...(view && key ? { routes: services.map((service) => (0, caddy_routes_js_1.routeId)({ name, key }, service)).filter((id) => (0, route_shapes_js_1.findRoute)(view.config.routes, id)) } : {}),
            containers: containers.map((c) => ({ name: (0, runtime_js_1.nameOf)(c), service: (0, runtime_js_1.serviceOf)(c), state: c.State, commit: c.Labels?.[labels_js_1.LABEL.commit], port: portOf(c) })),
        },
    };
}
/**
 * Groups what `list` found by preview: name and identity key (two previews may share a name). A
 * deploy lock `<name>.lock` of the preview's that has not expired says a deploy is under way.
 */
function groupPreviews(networks, containers, now = Date.now()) {
    const groups = new Map();
    const groupOf = (name, key) => {
        const id = `${name}\u0000${key ?? ''}`;
        let group = groups.get(id);
        if (!group) {
            group = { name, ...(key ? { key } : {}), containers: [] };
            groups.set(id, group);
        }
        return group;
    };
    for (const n of networks) {
        const name = n.Labels?.[labels_js_1.LABEL.name];
        // The deploy lock `<name>.lock` carries the preview's labels too, under another name.
        if (!name || n.Name !== name || !(0, labels_js_1.marksOf)(n.Labels).marker)
            continue;
        groupOf(name, n.Labels?.[labels_js_1.LABEL.key]).network = n;
    }
    for (const c of containers) {
        const name = c.Labels?.[labels_js_1.LABEL.name];
        if (!name || !(0, labels_js_1.marksOf)(c.Labels).marker)
            continue;
        groupOf(name, c.Labels?.[labels_js_1.LABEL.key]).containers.push(c);
    }
    for (const n of networks) {
        const name = n.Labels?.[labels_js_1.LABEL.name];
        const group = groups.get(`${name}\u0000${n.Labels?.[labels_js_1.LABEL.key] ?? ''}`);
        if (group && n.Name === (0, deploy_lock_js_1.lockName)(name) && Number(n.Labels?.[deploy_lock_js_1.LOCK_UNTIL] ?? 0) > now)
            group.deploying = true;
    }
    return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.key ?? '') < (b.key ?? '') ? -1 : 1));
}


/***/ }),

/***/ 5349:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.probe = probe;
exports.isServing = isServing;
/**
 * One request through Caddy's listener with a service's Host header: the same path a visitor's
 * request takes, without needing DNS for the preview's host name.
 */
const node_http_1 = __importDefault(__webpack_require__(7067));
const node_https_1 = __importDefault(__webpack_require__(4708));
function probe(listener, host, path, headers = {}, timeoutMs = 5_000) {
    return new Promise((resolve) => {
        const options = {
            host: listener.host,
            port: listener.port,
            method: 'GET',
            path,
            headers: { host, 'user-agent': 'preview-kit', ...headers },
            agent: false,
            ...(listener.tls ? { servername: host, rejectUnauthorized: false } : {}),
        };
        const req = (listener.tls ? node_https_1.default : node_http_1.default).request(options, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, summary: `HTTP ${res.statusCode}` }));
            res.on('error', (error) => resolve({ summary: error.code ?? error.message }));
        });
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: `no answer within ${Math.round(timeoutMs / 1000)}s` })));
        req.on('error', (error) => resolve({ summary: error.code ?? error.message }));
        req.end();
    });
}
/** Answers that mean the service itself responded: not a Caddy 502/503/504 and not the catch-all 404. */
function isServing(result) {
    return result.status !== undefined && result.status < 500 && result.status !== 404;
}


/***/ }),

/***/ 2654:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
__webpack_unused_export__ = void 0;
exports.createDockerProvider = createDockerProvider;
/**
 * The Docker host + Caddy provider: a preview is a labelled network plus one labelled container
 * per service on a Docker Engine, and one Caddy route per service host. Everything about one
 * preview comes with each call (its ref or spec); the provider object holds only the clients.
 */
const errors_js_1 = __webpack_require__(4296);
const reconcile_js_1 = __webpack_require__(2698);
const basic_auth_js_1 = __webpack_require__(9848);
const caddy_admin_js_1 = __webpack_require__(1030);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_js_1 = __webpack_require__(3952);
const engine_js_1 = __webpack_require__(897);
const image_prune_js_1 = __webpack_require__(251);
const labels_js_1 = __webpack_require__(9760);
const network_js_1 = __webpack_require__(3193);
const preview_view_js_1 = __webpack_require__(8125);
const route_shapes_js_1 = __webpack_require__(8565);
const runtime_js_1 = __webpack_require__(9995);
const targets_js_1 = __webpack_require__(4217);
const sleep_js_1 = __webpack_require__(4484);
const teardown_js_1 = __webpack_require__(7088);
class DockerProvider {
    id = 'docker';
    engine;
    caddy;
    rt;
    constructor(settings, context, internals = {}) {
        this.engine = new engine_js_1.DockerEngine({
            dockerHost: settings.dockerHost,
            logger: context.logger,
            deadline: context.deadline,
            ...(internals.sshCommand ? { sshCommand: internals.sshCommand } : {}),
            ...(context.childEnv ? { childEnv: context.childEnv } : {}),
        });
        this.caddy = new caddy_admin_js_1.CaddyAdmin({ adminUrl: settings.caddyAdmin, logger: context.logger, deadline: context.deadline });
        this.rt = { settings, context, engine: this.engine, caddy: this.caddy };
    }
    /** For URLs and hosts only: a Caddy that cannot be read gives plain http:// URLs (a refusal still fails). */
    async caddyForUrls() {
        try {
            return await (0, runtime_js_1.readCaddy)(this.rt);
        }
        catch (error) {
            if (error instanceof errors_js_1.AuthError)
                throw error;
            this.rt.context.logger.debug(`Caddy not readable for the preview URL: ${error.message}`);
            return undefined;
        }
    }
    async find(ref) {
        const network = await (0, reconcile_js_1.findResource)((0, network_js_1.networkHooks)(this.rt, ref), (0, network_js_1.reconcileContext)(this.rt, ref));
        const containers = await (0, runtime_js_1.previewContainers)(this.rt, ref);
        if (!network && containers.length === 0)
            return undefined;
        const view = await this.caddyForUrls();
        return (0, preview_view_js_1.previewOf)(this.rt, { name: ref.name, key: ref.key, ...(network ? { network } : {}), containers, ...(view ? { view } : {}) });
    }
    async ensure(spec) {
        // Caddy first: when it is unreachable nothing gets created on the engine.
        const view = await (0, runtime_js_1.readCaddy)(this.rt);
        const plans = (0, runtime_js_1.servicePlans)(this.rt, spec);
        // A password Caddy could not check fails here, before anything is written.
        const auth = (0, basic_auth_js_1.routeAuthOf)(spec);
        // Every target (network, each service's container, the routes) is judged before the first write.
        const { network } = await (0, targets_js_1.checkTargets)(this.rt, spec, plans.map((p) => p.service), view.servers);
        const outcome = await (0, reconcile_js_1.ensureResource)((0, network_js_1.networkHooks)(this.rt, spec), (0, network_js_1.reconcileContext)(this.rt, spec), network);
        const planned = outcome.planned === true || outcome.id === network_js_1.PLANNED_NETWORK_ID;
        let containers = planned ? [] : await (0, runtime_js_1.previewContainers)(this.rt, spec);
        const woken = await (0, sleep_js_1.wakePreview)(this.rt, spec, view, containers, auth);
        if (woken && !this.rt.context.plan.dryRun)
            containers = await (0, runtime_js_1.previewContainers)(this.rt, spec);
        const preview = {
            ...(0, preview_view_js_1.previewOf)(this.rt, { name: spec.name, key: spec.key, ...(planned ? {} : { network: outcome.item }), containers, view }),
            ...(planned ? { id: outcome.id } : {}),
        };
        if (outcome.created && !planned)
            preview.networkCreated = true;
        return { preview, created: outcome.created, changed: outcome.changed || woken };
    }
    /**
     * Routes need the containers' ports, so hosts take effect at deploy; here only running services
     * are re-routed, and the asleep page of sleeping ones follows the hosts and protection asked for.
     */
    async setDomains(preview, spec) {
        const view = await (0, runtime_js_1.readCaddy)(this.rt);
        const plans = (0, runtime_js_1.servicePlans)(this.rt, spec);
        const auth = (0, basic_auth_js_1.routeAuthOf)(spec);
        const domains = plans.flatMap((p) => p.hosts.map((host) => ({ host })));
        (0, targets_js_1.refuseOtherRoutes)(view.servers, spec);
        const containers = await (0, runtime_js_1.previewContainers)(this.rt, spec);
        const wishes = new Map();
        for (const plan of plans) {
            const id = (0, caddy_routes_js_1.routeId)(spec, plan.service);
            const c = containers.find((x) => (0, runtime_js_1.serviceOf)(x) === plan.service && (0, runtime_js_1.nameOf)(x) === `${preview.name}-${plan.service}`);
            if (c && c.State !== 'running' && (0, route_shapes_js_1.isAsleepRoute)((0, route_shapes_js_1.findRoute)(view.config.routes, id))) {
                wishes.set(id, (0, route_shapes_js_1.asleepRoute)(id, plan.hosts, auth?.handler));
                continue;
            }
            const port = c && c.State === 'running' ? (0, runtime_js_1.publishedPort)(c, plan.port) : undefined;
            if (port === undefined)
                continue;
            wishes.set(id, (0, caddy_routes_js_1.liveRoute)(id, plan.hosts, `${this.rt.settings.upstreamHost}:${port}`, auth?.handler));
        }
        if (wishes.size === 0)
            return { changed: false, domains };
        const written = await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(this.rt), view.server, wishes, { ensureCatchAll: true });
        return { changed: written.length > 0, domains };
    }
    async deploy(preview, spec, source) {
        try {
            return await (0, deploy_js_1.deployPreview)(this.rt, spec, source);
        }
        catch (error) {
            // Only the `up` that made the network takes it back (ensure said so in the preview).
            if (preview.networkCreated && !this.rt.context.plan.dryRun)
                await (0, deploy_js_1.dropNewEmptyNetwork)(this.rt, spec);
            throw error;
        }
    }
    /** With `known` (prune, the fleet cap) a dry run plans from the listing; a real run always reads first. */
    destroy(ref, known) {
        return (known && (0, teardown_js_1.plannedTeardown)(this.rt, ref, known)) || (0, teardown_js_1.destroyPreview)(this.rt, ref);
    }
    /** `prune --ttl`: old images of the project that no container uses (see image-prune.ts). */
    pruneImages(olderThanMs, options) {
        const { plan, logger } = this.rt.context;
        return (0, image_prune_js_1.pruneOldImages)({ engine: this.engine, plan, logger }, olderThanMs, options);
    }
    /**
     * Three reads, however many previews: our containers (state, commit, last deploy) and our networks
     * (identity, creation, deploy locks) by label filter — containers first, whose answer says whether
     * the engine is podman (see listNetworks) — and Caddy's servers once (URLs, asleep pages).
     */
    async list() {
        const containers = await this.engine.listContainers([labels_js_1.OWNED, labels_js_1.LABEL.name]);
        const networks = await this.engine.listNetworks([labels_js_1.OWNED]);
        const groups = (0, preview_view_js_1.groupPreviews)(networks, containers);
        const view = groups.length ? await this.caddyForUrls() : undefined;
        return groups.map((group) => (0, preview_view_js_1.previewOf)(this.rt, { ...group, ...(view ? { view } : {}) }));
    }
    /** Stops the containers and shows the asleep page on the preview's hosts; nothing when asleep already or absent. */
    sleep(ref, known) {
        return (known && (0, sleep_js_1.plannedSleep)(this.rt, known)) || (0, sleep_js_1.sleepPreview)(this.rt, ref);
    }
}
__webpack_unused_export__ = DockerProvider;
function createDockerProvider(settings, context, internals) {
    return new DockerProvider(settings, context, internals);
}


/***/ }),

/***/ 4347:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.rollBack = rollBack;
/**
 * Undoing a deploy that failed before its switch: routes as they were (new services unrouted,
 * replaced ones dialling their old container, or showing its asleep page, no staging routes) and
 * this run's containers gone.
 */
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_steps_js_1 = __webpack_require__(8382);
const basic_auth_js_1 = __webpack_require__(9848);
const route_shapes_js_1 = __webpack_require__(8565);
const runtime_js_1 = __webpack_require__(9995);
async function rollBack(run, steps) {
    const { rt, ref, view } = run;
    const { logger, plan } = rt.context;
    const restore = new Map();
    for (const step of steps) {
        const live = (0, caddy_routes_js_1.routeId)(ref, step.plan.service);
        if (step.action === 'create')
            restore.set(live, null);
        if (step.action !== 'replace')
            continue;
        restore.set((0, caddy_routes_js_1.stagingRouteId)(ref, step.plan.service), null);
        // As it was before this run: the old container's route, or its asleep page.
        const before = (0, route_shapes_js_1.findRoute)(view.config.routes, live);
        const oldPort = step.current ? (0, runtime_js_1.publishedPort)(step.current, step.plan.port) : undefined;
        if ((0, route_shapes_js_1.isAsleepRoute)(before))
            restore.set(live, before);
        else if (oldPort !== undefined)
            restore.set(live, (0, caddy_routes_js_1.liveRoute)(live, step.plan.hosts, (0, deploy_steps_js_1.dial)(rt, oldPort), before ? (0, basic_auth_js_1.authHandlerOf)(before) : run.auth?.handler));
    }
    if (restore.size) {
        try {
            await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, restore, { ensureCatchAll: false });
        }
        catch (error) {
            logger.warn(`roll back: could not restore the Caddy routes of ${ref.name}: ${error.message}`);
        }
    }
    await Promise.all(steps.map(async (step) => {
        if (!step.fresh)
            return;
        try {
            await plan.apply({ kind: 'delete', target: `container ${step.fresh.name}`, detail: 'roll back' }, () => rt.engine.removeContainer(step.fresh.id), true);
        }
        catch (error) {
            logger.warn(`roll back: could not remove container ${step.fresh.name}: ${error.message}`);
        }
    }));
}


/***/ }),

/***/ 8565:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ASLEEP_RETRY_AFTER = exports.ASLEEP_STATUS = void 0;
exports.asleepRoute = asleepRoute;
exports.isAsleepRoute = isAsleepRoute;
exports.hostsOfRoute = hostsOfRoute;
exports.dialedPort = dialedPort;
exports.findRoute = findRoute;
exports.ASLEEP_STATUS = 503;
/** Seconds: a hint for crawlers and clients; the preview wakes only when a pipeline runs `up`. */
exports.ASLEEP_RETRY_AFTER = 3600;
const ASLEEP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>This preview is asleep</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:4em auto">
<h1>This preview is asleep</h1>
<p>It was put to sleep to save resources: its data and address are kept.
It wakes on its next deployment (<code>preview-kit up</code>).</p>
</body></html>
`;
/** The route a service's hosts get while its container sleeps: same id and hosts, same protection. */
function asleepRoute(id, hosts, auth) {
    const page = {
        handler: 'static_response',
        status_code: exports.ASLEEP_STATUS,
        headers: {
            'Content-Type': ['text/html; charset=utf-8'],
            'Retry-After': [String(exports.ASLEEP_RETRY_AFTER)],
            'Cache-Control': ['no-store'],
        },
        body: ASLEEP_PAGE,
    };
    return { '@id': id, match: [{ host: hosts }], handle: [...(auth ? [auth] : []), page], terminal: true };
}
/** Our live routes always end in `reverse_proxy`; one that answers by itself is the asleep page. */
function isAsleepRoute(route) {
    return route?.handle?.some((h) => h.handler === 'static_response') === true;
}
/** A route's hosts, from its host matcher. */
function hostsOfRoute(route) {
    const hosts = route?.match?.[0]?.host;
    return Array.isArray(hosts) && hosts.every((h) => typeof h === 'string') ? hosts : undefined;
}
/** The host port a route dials, from its proxy's first upstream (an authentication handler may come first). */
function dialedPort(route) {
    const proxy = route?.handle?.find((h) => h.handler === 'reverse_proxy');
    const m = /:(\d+)$/.exec(proxy?.upstreams?.[0]?.dial ?? '');
    return m ? Number(m[1]) : undefined;
}
function findRoute(routes, id) {
    return routes?.find((r) => r['@id'] === id);
}


/***/ }),

/***/ 9995:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.syncContext = syncContext;
exports.readCaddy = readCaddy;
exports.servicePlans = servicePlans;
exports.previewContainers = previewContainers;
exports.canonicalName = canonicalName;
exports.serviceOf = serviceOf;
exports.nameOf = nameOf;
exports.publishedPort = publishedPort;
exports.inspectedPort = inspectedPort;
exports.summaryOf = summaryOf;
const caddy_routes_js_1 = __webpack_require__(859);
const labels_js_1 = __webpack_require__(9760);
const services_js_1 = __webpack_require__(1711);
function syncContext(rt) {
    return { admin: rt.caddy, plan: rt.context.plan, logger: rt.context.logger, deadline: rt.context.deadline };
}
/** Reads Caddy's HTTP servers and picks ours. The first call of every mutating operation, so an unreachable Caddy stops us before anything is created. */
async function readCaddy(rt) {
    const read = await rt.caddy.get(caddy_routes_js_1.SERVERS_PATH, 'read the HTTP servers from the Caddy admin API');
    const servers = read.status === 404 ? {} : (read.body ?? {});
    const server = (0, caddy_routes_js_1.chooseServer)(servers, rt.settings.caddyServer);
    const config = servers[server];
    return { servers, server, config, listener: (0, caddy_routes_js_1.listenerOf)(config, rt.caddy.endpoint.host) };
}
function servicePlans(rt, spec) {
    return (0, services_js_1.planServices)(rt.settings, spec);
}
/** This preview's containers: the label filter, and every label checked again (see labels.ts). */
async function previewContainers(rt, ref) {
    return (await rt.engine.listContainers((0, labels_js_1.previewFilter)(ref))).filter((c) => (0, labels_js_1.isPreviewResource)(c.Labels, ref));
}
function canonicalName(name, service) {
    return `${name}-${service}`;
}
function serviceOf(c) {
    return c.Labels?.[labels_js_1.LABEL.service] ?? '';
}
function nameOf(c) {
    return (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}
/** Host port a container publishes for `port`, from a list entry. */
function publishedPort(c, port) {
    return c.Ports?.find((p) => p.PrivatePort === port && p.PublicPort)?.PublicPort;
}
/** Host port from an inspect, where Docker reports it once the container runs. */
function inspectedPort(c, port) {
    const binding = c.NetworkSettings?.Ports?.[`${port}/tcp`]?.find((b) => b.HostPort && b.HostPort !== '0');
    return binding ? Number(binding.HostPort) : undefined;
}
/** A container list entry from an inspect, for code that works on list entries. */
function summaryOf(found) {
    return {
        Id: found.Id,
        Names: [found.Name],
        Image: found.Config?.Image ?? found.Image,
        ImageID: found.Image,
        Created: Date.parse(found.Created) / 1000,
        State: found.State.Status,
        Labels: found.Config?.Labels ?? {},
    };
}


/***/ }),

/***/ 1711:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.hostValues = hostValues;
exports.expandHost = expandHost;
exports.repoName = repoName;
exports.planServices = planServices;
exports.expandBuildArgs = expandBuildArgs;
/**
 * From settings to the services of one preview: their host names, ports, health paths, env and
 * image source (build or prebuilt). Pure, so the rules are unit-tested on their own.
 */
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
const naming_js_1 = __webpack_require__(2607);
const labels_js_1 = __webpack_require__(9760);
/** Placeholder values from the preview's identity (a pull request's preview has no `{branch}`). */
function hostValues(spec) {
    const { project, branch, pr } = spec.identity;
    return { name: spec.name, app: project, ...(branch !== undefined ? { branch } : {}), ...(pr !== undefined ? { pr } : {}) };
}
function normalisePath(path) {
    const p = node_path_1.posix.normalize(path).replace(/\/+$/, '');
    return p === '' ? '.' : p;
}
/** Expands `{domain}` first (ours), then the shared placeholders of the core. */
function expandHost(template, id, baseDomain) {
    if (template.includes('{branch}') && id.branch === undefined) {
        throw new errors_js_1.ConfigError(`invalid settings: docker host template "${template}" uses {branch}, but this preview is for pull request #${id.pr ?? '?'}`, { hint: 'use {name} or {pr}' });
    }
    if (template.includes('{pr}') && id.pr === undefined) {
        throw new errors_js_1.ConfigError(`invalid settings: docker host template "${template}" uses {pr}, but this preview is for a branch`, { hint: 'use {name} or {branch}' });
    }
    let host;
    try {
        host = (0, naming_js_1.expandDomain)(template.replace(/\{domain\}/g, baseDomain), id);
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`invalid settings: docker host template: ${error.message}`, { hint: 'placeholders: {name}, {app}, {branch}, {pr}, {domain}' });
    }
    const label = /^(\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/;
    if (host.length > 253 || !host.split('.').every((part) => label.test(part))) {
        throw new errors_js_1.ConfigError(`invalid settings: docker host template "${template}" gives "${host}", which is not a host name`);
    }
    return host;
}
function repoName(app, suffix) {
    const base = (0, naming_js_1.slugify)(app) || 'preview';
    return `localhost/${suffix ? `${base}-${suffix}` : base}`;
}
/**
 * The services of a preview. Without `services`, one service `web` from the top-level settings.
 * The first service is the primary one: it gets the `--domain` hosts when given (already expanded
 * in the spec), else its `host`, else `{name}.{domain}`; the others default to
 * `{name}-<service>.{domain}`.
 */
function planServices(settings, spec) {
    const id = hostValues(spec);
    const entries = settings.services ? Object.entries(settings.services) : [['web', {}]];
    const repos = new Map();
    const plans = [];
    entries.forEach(([service, s], index) => {
        const primary = index === 0;
        let hosts;
        if (primary && spec.domains.length > 0)
            hosts = [...new Set(spec.domains.map((d) => d.toLowerCase()))];
        else {
            const templates = s.host === undefined ? [primary ? '{name}.{domain}' : `{name}-${service}.{domain}`] : Array.isArray(s.host) ? s.host : [s.host];
            hosts = [...new Set(templates.map((t) => expandHost(t, id, settings.baseDomain)))];
        }
        const command = s.command === undefined ? undefined : Array.isArray(s.command) ? s.command : ['/bin/sh', '-c', s.command];
        const plan = {
            service,
            hosts,
            port: s.port ?? settings.port,
            healthPath: s.healthPath ?? spec.healthPath,
            env: { ...spec.env, ...(s.env ?? {}) },
            ...(command ? { command } : {}),
        };
        const image = s.image ?? (s.dockerfile || s.buildContext || s.buildArgs ? undefined : settings.image);
        if (image) {
            plan.image = image;
        }
        else {
            const context = normalisePath(s.buildContext ?? settings.buildContext);
            const dockerfilePath = normalisePath(s.dockerfile ?? (s.buildContext ? undefined : settings.dockerfile) ?? node_path_1.posix.join(context, 'Dockerfile'));
            const dockerfile = context === '.' ? dockerfilePath : node_path_1.posix.relative(context, dockerfilePath);
            if (dockerfile.startsWith('..')) {
                throw new errors_js_1.ConfigError(`invalid settings: service ${service}: the Dockerfile ${dockerfilePath} is outside the build context ${context}`);
            }
            const args = { ...settings.buildArgs, ...(s.buildArgs ?? {}) };
            // Services with the same build share one image repository; others get `<app>-<service>`.
            const key = (0, labels_js_1.hashOf)({ context, dockerfile, args });
            let repo = repos.get(key);
            if (!repo) {
                repo = repoName(id.app, repos.size === 0 ? undefined : service);
                repos.set(key, repo);
            }
            plan.build = { context, dockerfile, args, repo };
        }
        plans.push(plan);
    });
    const allHosts = plans.flatMap((p) => p.hosts);
    const dup = allHosts.find((h, i) => allHosts.indexOf(h) !== i);
    if (dup)
        throw new errors_js_1.ConfigError(`invalid settings: host ${dup} is given to two services`, { hint: 'give each service its own host template' });
    return plans;
}
/** Build args with `{commit}` and `{app}` replaced: the same for every preview of a commit. */
function expandBuildArgs(args, values) {
    const out = {};
    for (const [key, value] of Object.entries(args)) {
        out[key] = value.replace(/\{(commit|app)\}/g, (_m, k) => values[k]);
    }
    return out;
}


/***/ }),

/***/ 4484:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.startKept = startKept;
exports.isAwake = isAwake;
exports.sleepPreview = sleepPreview;
exports.wakePreview = wakePreview;
exports.plannedSleep = plannedSleep;
/**
 * Sleep and wake. Asleep, a preview's containers are stopped (not removed: image, volumes, network
 * and name stay) and each service's route answers with the asleep page instead of proxying — same
 * route id, hosts and basic auth — so the URL keeps answering and `list` can tell "asleep" from
 * "crashed" by the route. Waking starts the same containers (no build, no new container) and puts
 * the live routes back. Both decide from one read, write only what differs, and take the deploy
 * lock when they write, so they never interleave with a deploy of the same preview.
 */
const errors_js_1 = __webpack_require__(4296);
const basic_auth_js_1 = __webpack_require__(9848);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_lock_js_1 = __webpack_require__(8794);
const deploy_steps_js_1 = __webpack_require__(8382);
const route_shapes_js_1 = __webpack_require__(8565);
const runtime_js_1 = __webpack_require__(9995);
/**
 * Starts a container that was stopped (asleep, or exited). podman keeps the host port it picked at
 * create; when another process took it meanwhile, only a new container gets a free one.
 */
async function startKept(rt, c) {
    try {
        await rt.engine.startContainer(c.Id);
    }
    catch (error) {
        if (error instanceof errors_js_1.ProviderError && /address already in use/i.test(error.message)) {
            throw new errors_js_1.ProviderError(`start container ${c.name}: its host port is taken by another process now`, { hint: 'run up --force: it replaces the container, and the engine picks a free port' });
        }
        throw error;
    }
}
/** States in which a container still runs something to stop. */
const AWAKE = new Set(['running', 'restarting', 'paused']);
function isAwake(c) {
    return AWAKE.has(c.State);
}
async function planSleep(rt, ref, view) {
    const containers = await (0, runtime_js_1.previewContainers)(rt, ref);
    const wishes = new Map();
    for (const service of new Set(containers.map(runtime_js_1.serviceOf))) {
        const id = (0, caddy_routes_js_1.routeId)(ref, service);
        const route = (0, route_shapes_js_1.findRoute)(view.config.routes, id);
        const hosts = (0, route_shapes_js_1.hostsOfRoute)(route);
        if (!route || !hosts || (0, route_shapes_js_1.isAsleepRoute)(route))
            continue;
        wishes.set(id, (0, route_shapes_js_1.asleepRoute)(id, hosts, (0, basic_auth_js_1.authHandlerOf)(route)));
    }
    return { wishes, running: containers.filter(isAwake), found: containers.length > 0 };
}
/**
 * Routes first (visitors get the asleep page, never a 502), then the containers stop. A preview
 * that sleeps already, or has no containers, gets no mutating call.
 */
async function sleepPreview(rt, ref) {
    const { plan } = rt.context;
    let view = await (0, runtime_js_1.readCaddy)(rt);
    let todo = await planSleep(rt, ref, view);
    if (!todo.found || (todo.wishes.size === 0 && todo.running.length === 0))
        return { slept: false, stopped: [] };
    const lock = plan.dryRun ? undefined : await (0, deploy_lock_js_1.acquireDeployLock)(rt, ref);
    try {
        if (lock) {
            // A deploy may have run while we waited for the lock: decide again.
            view = await (0, runtime_js_1.readCaddy)(rt);
            todo = await planSleep(rt, ref, view);
        }
        const stopped = [];
        if (todo.wishes.size) {
            const written = await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, todo.wishes, { ensureCatchAll: false });
            stopped.push(...[...new Set(written)].map((id) => `route ${id} (asleep page)`));
        }
        await Promise.all(todo.running.map(async (c) => {
            await plan.apply({ kind: 'update', target: `container ${(0, runtime_js_1.nameOf)(c)}`, detail: 'stop' }, () => rt.engine.stopContainer(c.Id), undefined);
            stopped.push(`container ${(0, runtime_js_1.nameOf)(c)}`);
        }));
        return { slept: stopped.length > 0, stopped: stopped.sort() };
    }
    finally {
        await lock?.release();
    }
}
/** The services of this spec whose canonical container is stopped behind an asleep route. */
function asleepServices(rt, spec, view, containers) {
    return (0, runtime_js_1.servicePlans)(rt, spec).flatMap((plan) => {
        const container = containers.find((c) => (0, runtime_js_1.serviceOf)(c) === plan.service && (0, runtime_js_1.nameOf)(c) === (0, runtime_js_1.canonicalName)(spec.name, plan.service));
        const route = (0, route_shapes_js_1.findRoute)(view.config.routes, (0, caddy_routes_js_1.routeId)(spec, plan.service));
        return container && !isAwake(container) && (0, route_shapes_js_1.isAsleepRoute)(route) ? [{ service: plan.service, hosts: plan.hosts, port: plan.port, container }] : [];
    });
}
/**
 * `ensure` wakes a sleeping preview: starts its containers and routes its hosts to them again
 * (with the protection the spec asks for). The deploy that follows in `up` keeps them when the
 * commit is the same, checks them through Caddy, or replaces them with a new commit.
 */
async function wakePreview(rt, spec, view, containers, auth) {
    const { plan } = rt.context;
    let asleep = asleepServices(rt, spec, view, containers);
    if (asleep.length === 0)
        return false;
    if (plan.dryRun) {
        for (const s of asleep)
            await plan.apply({ kind: 'update', target: `container ${(0, runtime_js_1.nameOf)(s.container)}`, detail: 'start' }, async () => undefined, undefined);
        return true;
    }
    const lock = await (0, deploy_lock_js_1.acquireDeployLock)(rt, spec);
    try {
        const current = await (0, runtime_js_1.readCaddy)(rt);
        asleep = asleepServices(rt, spec, current, await (0, runtime_js_1.previewContainers)(rt, spec));
        const wishes = new Map();
        await Promise.all(asleep.map(async (s) => {
            await plan.apply({ kind: 'update', target: `container ${(0, runtime_js_1.nameOf)(s.container)}`, detail: 'start' }, () => startKept(rt, { Id: s.container.Id, name: (0, runtime_js_1.nameOf)(s.container) }), undefined);
            // The engine may publish another port after a restart.
            const inspected = await rt.engine.inspectContainer(s.container.Id);
            const port = inspected ? (0, runtime_js_1.inspectedPort)(inspected, s.port) : undefined;
            const id = (0, caddy_routes_js_1.routeId)(spec, s.service);
            if (port !== undefined)
                wishes.set(id, (0, caddy_routes_js_1.liveRoute)(id, s.hosts, (0, deploy_steps_js_1.dial)(rt, port), auth?.handler));
        }));
        if (wishes.size)
            await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), current.server, wishes, { ensureCatchAll: true });
        return asleep.length > 0;
    }
    finally {
        await lock.release();
    }
}
/**
 * A dry run of `sleep` for a preview `list` returned moments ago (prune --sleep-after, the fleet
 * cap): the plan from its state, routes and containers, nothing read again. Undefined outside a
 * dry run, or when the listing did not read Caddy.
 */
function plannedSleep(rt, known) {
    const details = known.details;
    if (!rt.context.plan.dryRun || !details?.routes)
        return undefined;
    return (async () => {
        if (known.state === 'sleeping')
            return { slept: false, stopped: [] };
        const { plan } = rt.context;
        const stopped = [];
        for (const id of details.routes) {
            await plan.apply({ kind: 'update', target: `caddy route ${id}`, detail: 'asleep page' }, async () => undefined, undefined);
            stopped.push(`route ${id} (asleep page)`);
        }
        for (const c of (details.containers ?? []).filter((x) => AWAKE.has(x.state))) {
            await plan.apply({ kind: 'update', target: `container ${c.name}`, detail: 'stop' }, async () => undefined, undefined);
            stopped.push(`container ${c.name}`);
        }
        return { slept: stopped.length > 0, stopped: stopped.sort() };
    })();
}


/***/ }),

/***/ 7296:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.SshAgent = exports.ChildProcessSocket = void 0;
exports.parseSshUrl = parseSshUrl;
exports.sshArguments = sshArguments;
/**
 * `DOCKER_HOST=ssh://user@host`: every connection is an `ssh … docker system dial-stdio` process
 * whose stdin/stdout carry the HTTP bytes, the way the docker CLI does it. Keep-alive reuses one
 * process for many requests, so the ssh handshake is paid once per concurrent request, not per call.
 */
const node_child_process_1 = __webpack_require__(1421);
const node_http_1 = __importDefault(__webpack_require__(7067));
const node_stream_1 = __webpack_require__(7075);
const errors_js_1 = __webpack_require__(4296);
/** Parses `ssh://[user@]host[:port][/socket/path]`; passwords, queries and fragments are refused. */
function parseSshUrl(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new errors_js_1.ConfigError(`invalid settings: --docker-host: "${text}" is not a valid ssh:// URL`);
    }
    if (url.password) {
        throw new errors_js_1.ConfigError('invalid settings: --docker-host: ssh:// URLs must not carry a password', { hint: 'use an ssh key or agent' });
    }
    if (url.search || url.hash)
        throw new errors_js_1.ConfigError('invalid settings: --docker-host: ssh:// URLs take no query or fragment');
    if (!url.hostname)
        throw new errors_js_1.ConfigError('invalid settings: --docker-host: ssh:// URL has no host');
    const path = decodeURIComponent(url.pathname);
    return {
        host: url.hostname,
        ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
        ...(url.port ? { port: url.port } : {}),
        ...(path.replace(/\//g, '') ? { socketPath: path } : {}),
    };
}
/** Arguments after `ssh`: non-interactive, no tty, `--` before the host so it is never read as an option. */
function sshArguments(target) {
    const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T'];
    if (target.user)
        args.push('-l', target.user);
    if (target.port)
        args.push('-p', target.port);
    args.push('--', target.host);
    args.push(...(target.socketPath ? ['docker', `--host=unix://${target.socketPath}`, 'system', 'dial-stdio'] : ['docker', 'system', 'dial-stdio']));
    return args;
}
/** A socket-shaped stream over a child process, enough for node:http's client and agent. */
class ChildProcessSocket extends node_stream_1.Duplex {
    child;
    stderrTail = '';
    idleTimer;
    idleMs = 0;
    constructor(child) {
        super();
        this.child = child;
        child.stdout.on('data', (chunk) => {
            this.touch();
            if (!this.push(chunk))
                child.stdout.pause();
        });
        child.stderr.on('data', (chunk) => {
            this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-500);
        });
        child.on('error', (error) => this.fail(error));
        // 'close' comes after stderr is drained, so ssh's own last words make the message.
        // It is also when the stream ends: a failed ssh must not look like a server closing cleanly.
        child.on('close', (code, signal) => {
            this.exited = true;
            if (this.destroyed)
                return;
            if (code !== 0)
                this.destroy(this.exitError(code, signal));
            else
                this.push(null);
        });
        // Writing to an ssh that already gave up fails with EPIPE; its exit status says why.
        child.stdin.on('error', (error) => this.fail(error));
    }
    exited = false;
    exitError(code, signal) {
        const why = this.stderrTail.trim().split('\n').pop() || `exit ${code ?? signal}`;
        // ssh names itself in its own messages ("ssh: connect to host …"): say it once.
        return Object.assign(new Error(/^ssh: /.test(why) ? why : `ssh: ${why}`), { code: 'ESSH' });
    }
    fail(error) {
        if (this.destroyed)
            return;
        if (this.exited) {
            this.destroy(error);
            return;
        }
        const timer = setTimeout(() => this.destroy(error), 2_000);
        timer.unref();
        this.child.once('close', () => clearTimeout(timer));
    }
    _read() {
        this.child.stdout.resume();
    }
    _write(chunk, _encoding, callback) {
        this.touch();
        // A write error (EPIPE) only means ssh is gone; fail() reports why it went.
        this.child.stdin.write(chunk, (error) => {
            if (error)
                this.fail(error);
            callback();
        });
    }
    _final(callback) {
        this.child.stdin.end(callback);
    }
    _destroy(error, callback) {
        if (this.idleTimer)
            clearTimeout(this.idleTimer);
        if (this.child.exitCode === null && this.child.signalCode === null)
            this.child.kill();
        callback(error);
    }
    touch() {
        if (this.idleMs > 0) {
            if (this.idleTimer)
                clearTimeout(this.idleTimer);
            this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
            this.idleTimer.unref();
        }
    }
    // The methods node:http's client and agent call on a net.Socket.
    setTimeout(ms, callback) {
        this.idleMs = ms;
        if (ms === 0) {
            if (callback)
                this.removeListener('timeout', callback);
            if (this.idleTimer)
                clearTimeout(this.idleTimer);
        }
        else {
            if (callback)
                this.once('timeout', callback);
            this.touch();
        }
        return this;
    }
    setNoDelay() {
        return this;
    }
    setKeepAlive() {
        return this;
    }
    ref() {
        this.child.ref();
        for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
            s.ref?.();
        return this;
    }
    /** Idle keep-alive tunnels must not keep the CLI alive; the remote side ends when our stdin closes. */
    unref() {
        this.child.unref();
        for (const s of [this.child.stdin, this.child.stdout, this.child.stderr])
            s.unref?.();
        return this;
    }
}
exports.ChildProcessSocket = ChildProcessSocket;
/** An http.Agent whose connections are ssh tunnels. `command` is replaceable for tests. */
class SshAgent extends node_http_1.default.Agent {
    target;
    command;
    env;
    constructor(target, command = 'ssh', 
    /** What ssh sees of our environment (HOME, the agent socket; none of the credentials). */
    env) {
        super({ keepAlive: true, maxSockets: 8 });
        this.target = target;
        this.command = command;
        this.env = env;
    }
    /** node:http's Agent uses the returned socket directly when one is returned. */
    createConnection() {
        const child = (0, node_child_process_1.spawn)(this.command, sshArguments(this.target), { stdio: ['pipe', 'pipe', 'pipe'], ...(this.env ? { env: this.env } : {}) });
        return new ChildProcessSocket(child);
    }
}
exports.SshAgent = SshAgent;


/***/ }),

/***/ 4217:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.containerHooks = containerHooks;
exports.otherRoutes = otherRoutes;
exports.checkTargets = checkTargets;
exports.refuseOtherRoutes = refuseOtherRoutes;
/**
 * Every name a preview writes under — its network, each service's container, each service's Caddy
 * routes — is judged before the first write: when any of them belongs to another preview (or is
 * unmarked and `--adopt` is not given), nothing is created, started or routed.
 */
const errors_js_1 = __webpack_require__(4296);
const reconcile_js_1 = __webpack_require__(2698);
const caddy_routes_js_1 = __webpack_require__(859);
const labels_js_1 = __webpack_require__(9760);
const network_js_1 = __webpack_require__(3193);
const runtime_js_1 = __webpack_require__(9995);
/**
 * The container named `name`. A label set without our preview's name is not ours, whatever else it
 * carries: containers inherit the labels of their image, and our images carry our marker.
 */
function containerHooks(rt, ref, name) {
    return {
        noun: 'container',
        name,
        async list() {
            const found = await rt.engine.inspectContainer(name);
            return found ? [(0, runtime_js_1.summaryOf)(found)] : [];
        },
        id: (c) => c.Id.slice(0, 12),
        createdAt: (c) => c.Created * 1000,
        marks: (c) => (c.Labels?.[labels_js_1.LABEL.name] === ref.name ? (0, labels_js_1.marksOf)(c.Labels) : { marker: false }),
        create: () => Promise.reject(new Error('containers are created by the deploy')),
        planned: () => ({ Id: '', Names: [name], Image: '', ImageID: '', Created: 0, State: 'created', Labels: null }),
        remove: async (c) => void (await rt.engine.removeContainer(c.Id)),
        uniqueNames: true,
    };
}
/** Routes named after this preview that another preview made, in any of Caddy's servers. */
function otherRoutes(servers, ref) {
    const ids = [];
    for (const config of Object.values(servers)) {
        for (const route of config.routes ?? []) {
            const key = (0, caddy_routes_js_1.routeKey)(route['@id'], ref.name);
            if (key !== undefined && key !== ref.key)
                ids.push(route['@id']);
        }
    }
    return [...new Set(ids)];
}
/**
 * Reads and judges every target: the network, the canonical container of each service, the Caddy
 * routes named after the preview. Throws the refusal (exit 6) of the first target that is not ours.
 */
async function checkTargets(rt, ref, services, servers) {
    const ctx = (0, network_js_1.reconcileContext)(rt, ref);
    const hooks = (0, network_js_1.networkHooks)(rt, ref);
    const network = await (0, reconcile_js_1.lookup)(hooks, ctx);
    const refused = (0, reconcile_js_1.refusal)(network, hooks, ctx);
    if (refused)
        throw refused;
    const strays = [];
    for (const service of services) {
        const containers = containerHooks(rt, ref, (0, runtime_js_1.canonicalName)(ref.name, service));
        const found = (0, reconcile_js_1.classify)(await containers.list(), containers, ref.identity);
        const stop = (0, reconcile_js_1.refusal)(found, containers, ctx);
        if (stop)
            throw stop;
        for (const stray of found.foreign) {
            rt.context.logger.warn(`container ${containers.name} lacks preview-kit's labels; replacing it because of --adopt`);
            strays.push(stray.item);
        }
    }
    refuseOtherRoutes(servers, ref);
    return { network, strays };
}
/** A route named after this preview but made for another one claims its hosts: exit 6. */
function refuseOtherRoutes(servers, ref) {
    const routes = otherRoutes(servers, ref);
    if (routes.length === 0)
        return;
    throw new errors_js_1.SafetyError(`caddy route ${routes[0]} was made for another preview named ${ref.name}, not for this one: refusing to route its hosts`, {
        hint: 'both previews get the same name: give this one a distinct name with --prefix (PREVIEW_PREFIX), e.g. --prefix review; or stop the other preview',
    });
}


/***/ }),

/***/ 7088:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.destroyPreview = destroyPreview;
exports.plannedTeardown = plannedTeardown;
/**
 * `stop`: routes first (so visitors get the catch-all, not a 502), then containers, network, lock,
 * volumes and, when asked, images. Everything is read and judged before anything is removed, so an
 * unreachable Caddy stops the run with nothing removed; what carries the preview's name but
 * another preview's identity (or no marker) is left alone with a warning.
 */
const reconcile_js_1 = __webpack_require__(2698);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_lock_js_1 = __webpack_require__(8794);
const images_js_1 = __webpack_require__(581);
const labels_js_1 = __webpack_require__(9760);
const network_js_1 = __webpack_require__(3193);
const runtime_js_1 = __webpack_require__(9995);
/** Every container that carries the preview's name, whoever's; only the marks decide. */
function namedContainers(rt, ref) {
    return {
        noun: 'container',
        name: `${ref.name}-*`,
        list: () => rt.engine.listContainers((0, labels_js_1.nameFilter)(ref.name)),
        id: (c) => (0, runtime_js_1.nameOf)(c),
        createdAt: (c) => c.Created * 1000,
        marks: (c) => (0, labels_js_1.marksOf)(c.Labels),
        create: () => Promise.reject(new Error('not used by stop')),
        planned: () => ({ Id: '', Names: [], Image: '', ImageID: '', Created: 0, State: '', Labels: null }),
        remove: async (c) => void (await rt.engine.removeContainer(c.Id)),
    };
}
/** Our routes per server, and the ids of routes named after us that another preview made. */
function routesToRemove(servers, ref) {
    const ours = new Map();
    const others = new Set();
    for (const [server, config] of Object.entries(servers)) {
        const ids = new Set();
        for (const route of config.routes ?? []) {
            const id = route['@id'];
            if ((0, caddy_routes_js_1.isPreviewRoute)(id, ref))
                ids.add(id);
            else if ((0, caddy_routes_js_1.routeKey)(id, ref.name) !== undefined)
                others.add(id);
        }
        if (ids.size)
            ours.set(server, [...ids]);
    }
    return { ours, others: [...others] };
}
async function destroyPreview(rt, ref) {
    const { plan, logger } = rt.context;
    const ctx = (0, network_js_1.reconcileContext)(rt, ref);
    const servers = (await rt.caddy.get(caddy_routes_js_1.SERVERS_PATH, 'read the HTTP servers from the Caddy admin API')).body ?? {};
    const routes = routesToRemove(servers, ref);
    for (const id of routes.others)
        logger.warn(`caddy route ${id} was made for another preview named ${ref.name}: left alone`);
    const netHooks = (0, network_js_1.networkHooks)(rt, ref);
    const networks = await (0, reconcile_js_1.lookup)(netHooks, ctx);
    const containerHooks = namedContainers(rt, ref);
    const containers = await (0, reconcile_js_1.lookup)(containerHooks, ctx);
    // podman ORs label filters on volumes: filter on the key, then check every label.
    const volumes = (await rt.engine.listVolumes([`${labels_js_1.LABEL.key}=${ref.key}`])).filter((v) => (0, labels_js_1.isPreviewResource)(v.Labels, ref));
    const lock = await rt.engine.inspectNetwork((0, deploy_lock_js_1.lockName)(ref.name));
    const networkTargets = (0, reconcile_js_1.teardownTargets)(networks, netHooks, ctx);
    const containerTargets = (0, reconcile_js_1.teardownTargets)(containers, containerHooks, ctx);
    const sharedName = routes.others.length > 0 || networks.others.length > 0 || containers.others.length > 0;
    const removed = [];
    for (const [server, ids] of routes.ours) {
        const wishes = new Map(ids.map((id) => [id, null]));
        const written = await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), server, wishes, { ensureCatchAll: false });
        removed.push(...[...new Set(written)].map((id) => `route ${id}`));
    }
    const gone = await Promise.allSettled(containerTargets.map((c) => plan.apply({ kind: 'delete', target: `container ${c.id}` }, () => rt.engine.removeContainer(c.item.Id), true)));
    gone.forEach((result, i) => {
        if (result.status === 'fulfilled' && result.value)
            removed.push(`container ${containerTargets[i].id}`);
    });
    const failed = gone.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
    for (const network of networkTargets) {
        const done = await plan.apply({ kind: 'delete', target: `network ${ref.name}` }, () => rt.engine.removeNetwork(network.item.Id), true);
        if (done)
            removed.push(`network ${ref.name}`);
    }
    // A deploy lock left by a run that crashed; another preview's lock is its own.
    if (lock && (0, labels_js_1.isPreviewResource)(lock.Labels, ref)) {
        const done = await plan.apply({ kind: 'delete', target: `network ${lock.Name}` }, () => rt.engine.removeNetwork(lock.Id), true);
        if (done)
            removed.push(`network ${lock.Name}`);
    }
    else if (lock) {
        logger.warn(`network ${lock.Name} is not this preview's deploy lock: left alone`);
    }
    for (const v of volumes) {
        const done = await plan.apply({ kind: 'delete', target: `volume ${v.Name}` }, () => rt.engine.removeVolume(v.Name), true);
        if (done)
            removed.push(`volume ${v.Name}`);
    }
    if (rt.settings.removeImages) {
        // Another preview's image tags look like ours when it has our name in our project.
        if (sharedName)
            logger.warn(`images of ${ref.name} left alone: another preview has this name`);
        else
            removed.push(...(await (0, images_js_1.removePreviewImages)({ engine: rt.engine, plan, logger }, ref)));
    }
    return { deleted: removed.length > 0, removed };
}
/**
 * A dry run of `stop` (or `prune`) for a preview `list` returned moments ago: the plan from what
 * the listing said — its routes, containers and network — without reading anything again. Only
 * when the listing read Caddy (else the routes are unknown: undefined, read as usual).
 */
function plannedTeardown(rt, ref, known) {
    const details = known.details;
    if (!rt.context.plan.dryRun || !details?.routes || known.identity === undefined)
        return undefined;
    return (async () => {
        const { plan } = rt.context;
        const removed = [];
        for (const id of details.routes) {
            await plan.apply({ kind: 'delete', target: `caddy route ${id}` }, async () => undefined, undefined);
            removed.push(`route ${id}`);
        }
        for (const c of details.containers ?? []) {
            await plan.apply({ kind: 'delete', target: `container ${c.name}` }, async () => undefined, undefined);
            removed.push(`container ${c.name}`);
        }
        if (details.network) {
            await plan.apply({ kind: 'delete', target: `network ${ref.name}` }, async () => undefined, undefined);
            removed.push(`network ${ref.name}`);
        }
        if (rt.settings.removeImages)
            removed.push(...(await (0, images_js_1.removePreviewImages)({ engine: rt.engine, plan, logger: rt.context.logger }, ref)));
        return { deleted: removed.length > 0, removed };
    })();
}


/***/ }),

/***/ 8915:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.waitServing = waitServing;
exports.showLogs = showLogs;
/**
 * Waiting until new containers serve: each service is probed through Caddy's listener with its
 * own Host header (or its staging header), the path a visitor's request takes. A container that
 * exits fails the wait at once, with its last output.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const caddy_routes_js_1 = __webpack_require__(859);
const probe_js_1 = __webpack_require__(5349);
/** Polls each service through Caddy until it answers; a container that exits fails at once. */
async function waitServing(rt, view, targets, deadline) {
    await Promise.all(targets.map(async ({ step, headers }) => {
        const host = step.plan.hosts[0];
        const where = `${view.listener.tls ? 'https' : 'http'}://${view.listener.host}:${view.listener.port}${step.plan.healthPath} (Host: ${host})`;
        let last = 'no answer yet';
        try {
            await (0, retry_js_1.poll)(async () => {
                const result = await (0, probe_js_1.probe)(view.listener, host, step.plan.healthPath, headers, Math.min(10_000, Math.max(500, deadline.remaining())));
                last = result.summary;
                rt.context.logger.debug(`probe ${step.plan.service} (Host: ${host}${headers[caddy_routes_js_1.STAGING_HEADER] ? ', staging' : ''}): ${result.summary}`);
                if ((0, probe_js_1.isServing)(result))
                    return true;
                const id = step.containerId;
                if (id && (result.status === undefined || result.status >= 500)) {
                    const c = await rt.engine.inspectContainer(id);
                    if (c && !c.State.Running) {
                        throw new errors_js_1.ProviderError(`service ${step.plan.service}: container exited with code ${c.State.ExitCode}${c.State.Error ? ` (${c.State.Error})` : ''}`, {
                            hint: 'see the container output above',
                        });
                    }
                }
                return undefined;
            }, {
                deadline,
                what: `service ${step.plan.service} to answer through Caddy at ${where}`,
                initialMs: 100,
                maxMs: 2_000,
                onWait: (elapsed) => rt.context.logger.progress(`${step.plan.service}: ${last} after ${(elapsed / 1000).toFixed(1)}s`),
            });
        }
        catch (error) {
            if (error instanceof errors_js_1.TimeoutError) {
                throw new errors_js_1.TimeoutError(`service ${step.plan.service} did not answer through Caddy at ${where}: last ${last}`, { hint: 'check the container output above, --health-path, and the service port' });
            }
            throw error;
        }
    }));
}
/** The last lines of each new container, so a failed deploy says why. */
async function showLogs(rt, steps) {
    for (const step of steps) {
        if (!step.fresh)
            continue;
        const logs = (await rt.engine.containerLogs(step.fresh.id)).trim();
        if (logs)
            rt.context.logger.info(`last output of ${step.plan.service} (${step.fresh.name}):\n  ${logs.split('\n').slice(-20).join('\n  ')}`);
    }
}


/***/ })

};
