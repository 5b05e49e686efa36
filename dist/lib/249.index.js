export const id = 249;
export const ids = [249];
export const modules = {

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


/***/ }),

/***/ 1928:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.APP_NOUN = void 0;
exports.readHooks = readHooks;
exports.ensureHooks = ensureHooks;
/**
 * The Convox app as a resource of the reconcile algorithm (src/providers/reconcile.ts). App names
 * are unique on a rack, so the rack settles a race itself ("already exists": v2 500, v3 409);
 * our marks are in the newest release's environment.
 *
 * The one gap: `POST /apps` makes an app with no environment, so between that call and the first
 * release the app carries no marks. What proves such an app is this preview's? Nothing the rack
 * keeps can tell an interrupted run's app from any other empty one (no tags, no creation time, no
 * parameter we may set). We take emptiness itself — no release and no build at all — as the
 * proof for `up`, after `claimWait` in which a run still creating it can mark it first: an app
 * with nothing in it holds no one's code, configuration or data, so marking it loses nothing,
 * while refusing it would block the interrupted preview until a person deletes the app. `stop`
 * and `prune` never count it as ours: deleting an unmarked app could remove one a person has just
 * made to deploy into, so they leave it with a warning (`--adopt` removes it).
 */
const rack_api_js_1 = __webpack_require__(2130);
const app_state_js_1 = __webpack_require__(7601);
const create_js_1 = __webpack_require__(3712);
const env_js_1 = __webpack_require__(9897);
const waiting_js_1 = __webpack_require__(5077);
exports.APP_NOUN = 'app';
/** Reads for `find`, `deploy`, `stop`, `list`: no waiting, and an unmarked app is never ours. */
function readHooks(rack, ref) {
    return {
        noun: exports.APP_NOUN,
        name: ref.name,
        async list() {
            const state = await (0, app_state_js_1.inspect)(rack, ref.name);
            return state ? [state] : [];
        },
        id: (s) => s.app.name,
        marks: (s) => (0, env_js_1.marksOf)(s.env, ref.name),
        create: () => Promise.reject(new Error('read-only lookup')),
        planned: () => (0, app_state_js_1.plannedState)(ref.name),
        remove: async (s) => {
            await rack.api.deleteApp(s.app.name);
        },
        uniqueNames: true,
    };
}
/**
 * For `ensure`: a deletion under way is waited out (the name is free afterwards), an empty app
 * gets `claimWait` for its creator to mark it, and is then this preview's (see above). An empty
 * app found after this run's own `POST /apps` (answered 5xx, or "already exists") counts as
 * created by this run, so the algorithm joins it instead of trying to create it again.
 */
function ensureHooks(rack, spec) {
    let attempted = false;
    const base = readHooks(rack, spec);
    return {
        ...base,
        async list() {
            let state = await (0, app_state_js_1.inspect)(rack, spec.name);
            if (state?.app.status === 'deleting') {
                rack.context.logger.info(`app ${spec.name} is being deleted; waiting until it is gone before creating it again`);
                if (!rack.context.plan.dryRun)
                    await (0, waiting_js_1.waitGone)(rack, spec.name);
                return [];
            }
            // A dry run changes nothing, so it has no one to wait for: it plans to take the app.
            if (state && (0, app_state_js_1.isEmptyApp)(state) && !rack.context.plan.dryRun)
                state = await (0, waiting_js_1.waitForClaim)(rack, state);
            return state ? [state] : [];
        },
        marks: (s) => (attempted && (0, app_state_js_1.isEmptyApp)(s) ? { marker: true, key: spec.key, identity: spec.identity } : (0, env_js_1.marksOf)(s.env, spec.name)),
        create: () => {
            attempted = true;
            return (0, create_js_1.createApp)(rack, spec);
        },
        mark: (s) => (0, create_js_1.markApp)(rack, spec, s, (0, app_state_js_1.isEmptyApp)(s) ? 'record ownership of an app left empty' : 'record ownership'),
        provablyOurs: (s) => (0, app_state_js_1.isEmptyApp)(s),
        isNameTaken: rack_api_js_1.isAlreadyExists,
        createDetail: 'Convox app; its first release records the preview',
    };
}


/***/ }),

/***/ 7601:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.latestRelease = latestRelease;
exports.isEmptyApp = isEmptyApp;
exports.inspect = inspect;
exports.plannedState = plannedState;
/**
 * Reading an app off the rack: the app, its newest release with the environment that holds our
 * marks, and whether it has anything in it at all. The newest release is listed (`limit=1`); a v3
 * rack lists it with its env, a v2 rack with `"env": ""`, so there the env is read with
 * `GET /apps/{app}/releases/{id}`, as the rack's own `helpers.ReleaseLatest` does.
 */
const errors_js_1 = __webpack_require__(4296);
const env_js_1 = __webpack_require__(9897);
/** The newest-created release with its env, or undefined when the app has none. */
async function latestRelease(api, app) {
    const [first] = await api.listReleases(app, 1);
    if (!first)
        return undefined;
    // v3 (provider/k8s/release.go) lists the env; v2 (releaseFromItem) never does.
    return first.env ? first : api.getRelease(app, first.id);
}
/**
 * An app with no release and no build: what `POST /apps` leaves until the first release is
 * written. It holds no code, no configuration and no environment.
 */
function isEmptyApp(state) {
    return !state.latest && !state.hasBuild;
}
/** The app and what it holds, or undefined when the rack says it does not exist. */
async function inspect(rack, name) {
    const app = await rack.api.getApp(name);
    if (!app)
        return undefined;
    try {
        const latest = await latestRelease(rack.api, name);
        const hasBuild = latest ? true : (await rack.api.listBuilds(name, 1)).length > 0;
        return { app, latest, env: (0, env_js_1.parseEnv)(latest?.env), hasBuild };
    }
    catch (error) {
        // Deleted between the calls (404 on v2, a 500 naming the missing object on v3): absent is the
        // truth only if the app says so too.
        if (error instanceof errors_js_1.ProviderError && (error.status === 404 || (error.status ?? 0) >= 500)) {
            const again = await rack.api.getApp(name);
            if (!again)
                return undefined;
            // An app being deleted may have lost its releases already: nothing of it can be read.
            if (again.status === 'deleting')
                return { app: again, latest: undefined, env: {}, hasBuild: true };
        }
        throw error;
    }
}
/** The state a dry run plans in place of an app it would create. */
function plannedState(name) {
    return { app: { name, status: 'creating', release: '' }, latest: undefined, env: {}, hasBuild: false };
}


/***/ }),

/***/ 9029:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Picks the line of a failed build's log that says why it failed, for the one-line error: the
 * builder's own last words ("ERROR: build failed", "exit status 1") only repeat that it failed.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.telltaleLine = telltaleLine;
/** Lines that only say the build failed, without why. */
const GENERIC = /^\s*(error:?\s*)?(the )?(build (step )?failed|exit status \d+|build failed: exit status \d+)[.!:]?\s*$/i;
/** Lines that look like a cause: compiler, package manager or Docker errors. */
const CAUSE = /(\bERR!|\b(?:error|fatal|failed|failure|not found|no such file|denied|cannot|can't|unable|non-zero|exception|panic)\b)/i;
function telltaleLine(lines) {
    const meaningful = lines.map((l) => l.trim()).filter((l) => l !== '' && !GENERIC.test(l));
    // The first cause in the tail: package managers and compilers print the reason, then summaries of it.
    return meaningful.find((l) => CAUSE.test(l)) ?? meaningful.at(-1) ?? lines.map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}


/***/ }),

/***/ 7387:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Rack = exports.DEFAULT_TUNING = void 0;
/**
 * What every Convox step works with: the rack's API, the settings, the command's context and the
 * polling tuning. Made once per provider from its settings; it holds nothing about any preview.
 */
const node_fs_1 = __webpack_require__(3024);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const version_js_1 = __webpack_require__(311);
const rack_api_js_1 = __webpack_require__(2130);
exports.DEFAULT_TUNING = {
    pollInitialMs: 500,
    pollMaxMs: 5_000,
    httpBackoffMs: 300,
    requestTimeoutMs: 30_000,
    uploadTimeoutMs: 300_000,
    now: () => new Date(),
};
const AUTH_HINT = 'check the rack password in RACK_URL (https://convox:PASSWORD@host) or CONVOX_PASSWORD';
/** How to trust the rack's certificate: read here, when the provider is made, never at import. */
function rackTls(settings, context) {
    if (settings.insecureSkipTlsVerify) {
        context.logger.warn('not verifying the rack TLS certificate (--rack-insecure-skip-tls-verify): anyone on the path can read the rack password; prefer --rack-ca-file');
        return { insecure: true };
    }
    if (!settings.rackCaFile)
        return undefined;
    let ca;
    try {
        ca = (0, node_fs_1.readFileSync)(settings.rackCaFile, 'utf8');
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`cannot read --rack-ca-file ${settings.rackCaFile}: ${error.code ?? error.message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        throw new errors_js_1.ConfigError(`--rack-ca-file ${settings.rackCaFile} holds no PEM certificate`, { hint: 'give the rack certificate (or its CA) in PEM form: -----BEGIN CERTIFICATE-----' });
    }
    return { ca };
}
class Rack {
    settings;
    context;
    api;
    http;
    tuning;
    clientOptions;
    constructor(settings, context, tuning = {}) {
        this.settings = settings;
        this.context = context;
        this.tuning = { ...exports.DEFAULT_TUNING, ...tuning };
        context.logger.addSecret(settings.password);
        const auth = `Basic ${Buffer.from(`convox:${settings.password}`).toString('base64')}`;
        context.logger.addSecret(auth.slice('Basic '.length));
        const headers = { authorization: auth, 'user-agent': `preview-kit/${version_js_1.VERSION}` };
        if (settings.rack)
            headers.rack = settings.rack;
        this.clientOptions = {
            baseUrl: settings.rackUrl,
            authHeaders: () => headers,
            logger: context.logger,
            deadline: context.deadline,
            label: 'Convox rack',
            authHint: AUTH_HINT,
            forbiddenHint: rack_api_js_1.FORBIDDEN_HINT,
            backoffMs: this.tuning.httpBackoffMs,
            tls: rackTls(settings, context),
            tlsHint: 'racks often serve a self-signed certificate: trust it with --rack-ca-file FILE (CONVOX_RACK_CA_FILE), or skip verification as the convox CLI does with --rack-insecure-skip-tls-verify (CONVOX_INSECURE_SKIP_TLS_VERIFY=true)',
        };
        this.http = new http_js_1.HttpClient({ ...this.clientOptions, requestTimeoutMs: this.tuning.requestTimeoutMs });
        this.api = new rack_api_js_1.RackApi(this.http, new http_js_1.HttpClient({ ...this.clientOptions, requestTimeoutMs: this.tuning.uploadTimeoutMs }));
    }
    get logger() {
        return this.context.logger;
    }
    /** A client on its own short deadline, for cleaning up after the command's deadline ran out. */
    cleanupApi() {
        return new rack_api_js_1.RackApi(new http_js_1.HttpClient({ ...this.clientOptions, deadline: new retry_js_1.Deadline(30_000, this.context.deadline.clock), requestTimeoutMs: 10_000 }));
    }
    /** Poll options on the command's deadline (or a shorter one). */
    pollOptions(what, deadline = this.context.deadline) {
        return { deadline, what, initialMs: this.tuning.pollInitialMs, maxMs: this.tuning.pollMaxMs };
    }
}
exports.Rack = Rack;


/***/ }),

/***/ 3712:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.wantedEnv = wantedEnv;
exports.writeEnv = writeEnv;
exports.markApp = markApp;
exports.createApp = createApp;
/**
 * Writing an app's marks and environment, and creating the app. A rack creates an app without
 * any environment (`POST /apps` takes a name and a generation, nothing else), so our marks go in
 * the first release, written as soon as the app can hold one: on a v2 rack that is once its
 * stack is created, since the release env lives in the stack's own bucket.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const app_state_js_1 = __webpack_require__(7601);
const env_js_1 = __webpack_require__(9897);
const waiting_js_1 = __webpack_require__(5077);
/** The env the preview must have, given what the app has now. */
function wantedEnv(rack, spec, current) {
    // Domains reach convox.yml through an env var; setting it with the rest saves a second release in `up`.
    const wanted = spec.domains.length > 0 ? { ...spec.env, [rack.settings.domainEnv]: spec.domains.join(',') } : spec.env;
    return (0, env_js_1.desiredEnv)(current, { appName: spec.name, wanted, identity: spec.identity, key: spec.key, now: rack.tuning.now() });
}
/** Writes the environment as a new release (not promoted: the next deploy carries it). */
async function writeEnv(rack, name, from, to, why) {
    return rack.context.plan.apply({ kind: 'update', target: `environment of app ${name}`, detail: `${why}: ${(0, env_js_1.envChanges)(from, to).join(' ')}` }, () => (0, retry_js_1.retry)(async () => {
        try {
            return await rack.api.createRelease(name, { env: (0, env_js_1.formatEnv)(to) });
        }
        catch (error) {
            // A release answered 5xx may exist all the same: look before writing it again.
            if ((0, errors_js_1.isRetryable)(error)) {
                const latest = await (0, app_state_js_1.latestRelease)(rack.api, name).catch(() => undefined);
                if (latest && (0, env_js_1.sameEnv)((0, env_js_1.parseEnv)(latest.env), to))
                    return latest;
            }
            throw error;
        }
    }, { attempts: 4, deadline: rack.context.deadline, initialMs: rack.tuning.httpBackoffMs, what: `write the environment of ${name}` }), undefined);
}
/**
 * Writes our marks (with the preview's whole environment, so that one release does it all) onto
 * an app: one we created, an empty one left by an interrupted run, or one `--adopt` takes over.
 */
async function markApp(rack, spec, state, why) {
    // v2 keeps the release env in the app stack's bucket, which exists once the stack is created.
    const app = state.app.status === 'creating' ? await (0, waiting_js_1.waitAppSettled)(rack, spec.name, false) : state.app;
    const wanted = wantedEnv(rack, spec, state.env);
    const release = await writeEnv(rack, spec.name, state.env, wanted, why);
    return { app, latest: release ?? state.latest, env: wanted, hasBuild: state.hasBuild };
}
/** Failures after `POST /apps` succeeded are final: another POST would only hear that the name is taken. */
function final(error) {
    if (!(0, errors_js_1.isRetryable)(error) || !(error instanceof errors_js_1.ProviderError))
        return error;
    return new errors_js_1.ProviderError(error.message, { hint: error.hint, cause: error, ...(error.status !== undefined ? { status: error.status } : {}) });
}
/**
 * `POST /apps`, then the wait until the app can hold a release, then our marks. Errors of the
 * POST itself go to the reconcile algorithm: "already exists" (v2 500, v3 409) and 5xx (which may
 * hide an applied create) are followed by a look before anything else.
 */
async function createApp(rack, spec) {
    const name = spec.name;
    try {
        await rack.api.createApp(name);
    }
    catch (error) {
        if (/no more than 63 characters/i.test(error.message)) {
            throw new errors_js_1.ConfigError(`create app ${name}: the rack refused the name: ${error.message}`, {
                hint: 'racks on Kubernetes name the namespace <rack>-<app>, 63 characters at most: shorten --app or set a shorter --prefix',
            });
        }
        throw error;
    }
    let marked = false;
    try {
        const app = await (0, waiting_js_1.waitAppSettled)(rack, name, true);
        const state = await markApp(rack, spec, { app, latest: undefined, env: {}, hasBuild: false }, 'record ownership');
        marked = true;
        return (await (0, app_state_js_1.inspect)(rack, name)) ?? state;
    }
    catch (error) {
        if (!marked)
            await removeUnmarked(rack, name);
        throw final(error);
    }
}
/**
 * Deletes an app we created but could not mark, so that nothing unmarked of ours is left behind
 * (`stop` never removes an unmarked app). Runs on its own short deadline, since the command's may
 * be what ran out.
 */
async function removeUnmarked(rack, name) {
    rack.context.logger.warn(`removing app ${name}: it was created but could not be marked as preview-kit's`);
    await rack
        .cleanupApi()
        .deleteApp(name)
        .catch((error) => {
        rack.context.logger.warn(`could not remove app ${name} (${error.message}); remove it with \`convox apps delete ${name}\``);
    });
}


/***/ }),

/***/ 2155:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.BuildFailedError = void 0;
exports.deployCommit = deployCommit;
/**
 * Deploying a commit the way `convox deploy` does: the commit's tree as a tarball object, a
 * build from it, the build's release promoted. Nothing is sent when the commit is already live;
 * a release of the commit that is not live yet (configuration written since, an interrupted
 * run) is promoted without a rebuild; a build of the commit under way is joined, not doubled.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const app_state_js_1 = __webpack_require__(7601);
const build_log_js_1 = __webpack_require__(9029);
const preview_js_1 = __webpack_require__(8938);
const promote_js_1 = __webpack_require__(118);
const source_js_1 = __webpack_require__(8469);
const waiting_js_1 = __webpack_require__(5077);
/** Lines of a failed build's log worth showing. */
const LOG_TAIL_LINES = 20;
/** Build requests answered 5xx or dropped, tried again (after a look) at most this often. */
const BUILD_ATTEMPTS = 4;
/** A failed build: exit 5, with the end of its log for the person reading the job output. */
class BuildFailedError extends errors_js_1.ProviderError {
    buildId;
    logTail;
    constructor(message, buildId, logTail, hint) {
        super(message, { hint });
        this.buildId = buildId;
        this.logTail = logTail;
    }
}
exports.BuildFailedError = BuildFailedError;
function tail(text, lines) {
    return text
        .replace(/\r/g, '')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-lines)
        .join('\n');
}
const underWay = (b, commit) => (0, preview_js_1.builtFrom)(b, commit) && (b.status === 'created' || b.status === 'running');
async function startBuild(rack, name, commit, packed) {
    const { deadline, logger } = rack.context;
    const key = `tmp/${(0, node_crypto_1.randomBytes)(15).toString('hex')}.tgz`;
    const url = await rack.api.storeObject(name, key, packed.data);
    const fields = { url, description: `preview-kit ${commit}`, gitSha: commit, ...(rack.settings.manifest ? { manifest: rack.settings.manifest } : {}) };
    for (let attempt = 1;; attempt++) {
        try {
            return await rack.api.createBuild(name, fields);
        }
        catch (error) {
            if (!(0, errors_js_1.isRetryable)(error) || attempt >= BUILD_ATTEMPTS)
                throw error;
            // The build may have started before the error: a second one would build the same commit twice.
            const started = (await rack.api.listBuilds(name, 5)).find((b) => underWay(b, commit));
            if (started)
                return started;
            logger.warn(`start a build of ${name}: ${error.message}; trying again`);
            await deadline.clock.sleep(Math.min((0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
        }
    }
}
async function buildFailure(rack, name, build, commit) {
    let log = '';
    const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.logs ?? '');
    if (where) {
        try {
            log = await rack.api.fetchObject(where[1], where[2]);
        }
        catch (error) {
            rack.context.logger.debug(`could not read the log of build ${build.id}: ${error.message}`);
        }
    }
    const lastLines = tail(log, LOG_TAIL_LINES);
    if (lastLines)
        rack.context.logger.error(`last lines of the log of build ${build.id}:\n${lastLines}`);
    const reason = build.reason && !/^\s*build failed\s*$/i.test(build.reason) ? build.reason : '';
    const why = (reason || (0, build_log_js_1.telltaleLine)(lastLines.split('\n'))).slice(0, 300);
    return new BuildFailedError(`deploy: build ${build.id} of ${name} (commit ${commit.slice(0, 12)}) failed${why ? `: ${why}` : ''}`, build.id, lastLines, `full log: convox builds logs ${build.id} -a ${name}`);
}
async function waitBuild(rack, name, id, commit) {
    let status = 'created';
    return (0, retry_js_1.poll)(async () => {
        const build = await rack.api.getBuild(name, id);
        status = build.status;
        switch (build.status) {
            case 'created':
            case 'running':
                return undefined;
            case 'complete':
                return build;
            case 'failed':
                throw await buildFailure(rack, name, build, commit);
            default:
                throw new errors_js_1.ProviderError(`deploy: build ${id} of ${name} is in an unexpected status "${build.status}"`, { hint: `see \`convox builds info ${id} -a ${name}\`` });
        }
    }, { ...rack.pollOptions(`build ${id} of ${name}`), onWait: (ms) => rack.context.logger.progress(`build ${id}: ${status} (${Math.round(ms / 1000)}s)`) });
}
async function promoteAndReport(rack, state, releaseId, commit) {
    const name = state.app.name;
    const outcome = await (0, promote_js_1.promoteRelease)(rack, name, releaseId, commit);
    if (rack.context.plan.dryRun)
        return { deployed: true, url: (await (0, preview_js_1.toPreview)(rack, state, false)).url };
    const after = await (0, app_state_js_1.inspect)(rack, name);
    const preview = after ? await (0, preview_js_1.toPreview)(rack, after) : undefined;
    if (after)
        (0, preview_js_1.checkManifestRoutes)(rack, after);
    const live = after?.app.release ?? releaseId;
    const deployment = { id: live, state: 'ok', commit, ...(preview?.lastDeployment?.createdAt ? { createdAt: preview.lastDeployment.createdAt } : {}) };
    if (outcome === 'already-live')
        return { deployed: false, reason: `commit ${commit.slice(0, 12)} went live meanwhile (release ${live})`, url: preview?.url ?? '', deployment };
    return { deployed: true, url: preview?.url ?? '', deployment };
}
/** Deploys `source` to the app of `state`, which the caller has found to be this preview's. */
async function deployCommit(rack, state, source, fallbackUrl) {
    const { logger, plan } = rack.context;
    const name = state.app.name;
    const commit = source.commit;
    const short = commit.slice(0, 12);
    const app = waiting_js_1.SETTLED.has(state.app.status) ? state.app : await (0, waiting_js_1.waitAppSettled)(rack, name, false);
    const latest = state.latest;
    if (!source.force) {
        const liveRelease = app.release ? (latest?.id === app.release ? latest : await rack.api.getRelease(name, app.release)) : undefined;
        const liveBuild = liveRelease?.build ? await rack.api.getBuild(name, liveRelease.build) : undefined;
        if ((0, preview_js_1.builtFrom)(liveBuild, commit) && (!latest || latest.id === app.release) && !waiting_js_1.FAILED.has(app.status)) {
            const current = await (0, preview_js_1.toPreview)(rack, { ...state, app });
            return {
                deployed: false,
                reason: `commit ${short} is already live (release ${app.release}, build ${liveBuild.id})`,
                url: current.url,
                ...(current.lastDeployment ? { deployment: current.lastDeployment } : {}),
            };
        }
        // A release of this commit that is not live: configuration written since, or a deploy that
        // stopped before its promotion. Promoting it is all that is left to do.
        if (latest && latest.id !== app.release && latest.build) {
            const latestBuild = latest.build === liveBuild?.id ? liveBuild : await rack.api.getBuild(name, latest.build);
            if ((0, preview_js_1.builtFrom)(latestBuild, commit)) {
                logger.info(`release ${latest.id} of ${short} is not live yet: promoting it`);
                return promoteAndReport(rack, { ...state, app }, latest.id, commit);
            }
        }
    }
    let build;
    if (!source.force) {
        // Another pipeline may be building this very commit: wait for its build rather than start a second one.
        build = (await rack.api.listBuilds(name, 10)).find((b) => underWay(b, commit));
        if (build)
            logger.info(`build ${build.id} of ${short} is already under way: waiting for it`);
    }
    if (!build) {
        const packed = await (0, source_js_1.packSource)(source.dir, commit, rack.context.childEnv);
        logger.info(`packed ${packed.files} files of ${short} (${packed.ignored} left out by .dockerignore), ${Math.ceil(packed.data.length / 1024)} KiB`);
        const started = await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` }, () => startBuild(rack, name, commit, packed), undefined);
        if (!started)
            return { deployed: true, url: fallbackUrl };
        build = started;
        logger.info(`build ${build.id} started`);
    }
    const done = await waitBuild(rack, name, build.id, commit);
    if (!done.release)
        throw new errors_js_1.ProviderError(`deploy: build ${done.id} of ${name} completed without a release`, { hint: `see \`convox builds info ${done.id} -a ${name}\`` });
    return promoteAndReport(rack, { ...state, app }, done.release, commit);
}


/***/ }),

/***/ 8030:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.IgnoreMatcher = void 0;
exports.readIgnoreFile = readIgnoreFile;
/**
 * `.dockerignore` matching with Docker's rules, which is what `convox deploy` applies when it
 * packs the source: a line per pattern, `#` comments, `!` re-includes, the last matching pattern
 * wins, `*` and `?` stay within one path segment, `**` crosses segments, and a pattern that
 * matches a directory excludes everything below it.
 */
const node_path_1 = __webpack_require__(6760);
/** Lines of a `.dockerignore` file as Docker reads them (BOM, comments, cleaning, leading `/`). */
function readIgnoreFile(text) {
    const out = [];
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    for (const raw of lines) {
        // Comments are recognised before trimming, as Docker does: ` # x` is a pattern.
        if (raw.startsWith('#'))
            continue;
        let pattern = raw.trim();
        if (pattern === '')
            continue;
        const invert = pattern.startsWith('!');
        if (invert)
            pattern = pattern.slice(1).trim();
        if (pattern.length > 0) {
            pattern = clean(pattern);
            if (pattern.length > 1 && pattern.startsWith('/'))
                pattern = pattern.slice(1);
        }
        out.push(invert ? `!${pattern}` : pattern);
    }
    return out;
}
/** Go's filepath.Clean for slash paths: no `.`, no `..` where resolvable, no double or trailing slash. */
function clean(path) {
    if (path === '')
        return '.';
    const normal = node_path_1.posix.normalize(path);
    const trimmed = normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
    return trimmed === '' ? '.' : trimmed;
}
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);
function compile(pattern) {
    let re = '^';
    let kind = 'exact';
    const chars = [...pattern];
    for (let i = 0, index = 0; i < chars.length; i++, index++) {
        const ch = chars[i];
        if (ch === '*') {
            if (chars[i + 1] === '*') {
                i++;
                if (chars[i + 1] === '/')
                    i++;
                if (i + 1 >= chars.length) {
                    if (kind === 'exact')
                        kind = 'prefix';
                    else {
                        re += '.*';
                        kind = 'regexp';
                    }
                }
                else {
                    re += '(.*/)?';
                    kind = 'regexp';
                }
                if (index === 0)
                    kind = 'suffix';
            }
            else {
                re += '[^/]*';
                kind = 'regexp';
            }
        }
        else if (ch === '?') {
            re += '[^/]';
            kind = 'regexp';
        }
        else if (ESCAPED.has(ch)) {
            re += `\\${ch}`;
        }
        else if (ch === '\\') {
            if (i + 1 < chars.length) {
                re += `\\${chars[++i]}`;
                kind = 'regexp';
            }
            else {
                re += '\\\\';
            }
        }
        else if (ch === '[' || ch === ']') {
            re += ch;
            kind = 'regexp';
        }
        else {
            re += ch;
        }
    }
    switch (kind) {
        case 'exact':
            return (path) => path === pattern;
        case 'prefix': {
            const prefix = pattern.slice(0, -2);
            return (path) => path.startsWith(prefix);
        }
        case 'suffix': {
            const suffix = pattern.slice(2);
            return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
        }
        default: {
            let regexp;
            try {
                regexp = new RegExp(`${re}$`);
            }
            catch {
                throw new Error(`invalid .dockerignore pattern "${pattern}"`);
            }
            return (path) => regexp.test(path);
        }
    }
}
class IgnoreMatcher {
    patterns = [];
    constructor(lines) {
        for (const line of lines) {
            let p = line.trim();
            if (p === '')
                continue;
            p = clean(p);
            let exclusion = false;
            if (p.startsWith('!')) {
                if (p.length === 1)
                    throw new Error('invalid .dockerignore pattern "!"');
                exclusion = true;
                p = p.slice(1);
            }
            this.patterns.push({ exclusion, test: compile(p) });
        }
    }
    static fromFile(text) {
        return new IgnoreMatcher(readIgnoreFile(text));
    }
    get empty() {
        return this.patterns.length === 0;
    }
    /** Whether a file (slash path relative to the context) is left out: it or one of its directories matches. */
    ignores(file) {
        const path = clean(file);
        if (path === '.')
            return false;
        const dirs = node_path_1.posix.dirname(path).split('/');
        let matched = false;
        for (const pattern of this.patterns) {
            // A pattern can only flip the current answer: excludes when kept, re-includes when excluded.
            if (pattern.exclusion !== matched)
                continue;
            let match = pattern.test(path);
            if (!match && dirs[0] !== '.') {
                for (let i = 1; i <= dirs.length && !match; i++)
                    match = pattern.test(dirs.slice(0, i).join('/'));
            }
            if (match)
                matched = !pattern.exclusion;
        }
        return matched;
    }
}
exports.IgnoreMatcher = IgnoreMatcher;


/***/ }),

/***/ 9897:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.MANAGED_KEY = exports.CREATED_KEY = exports.IDENTITY_KEY = exports.KEY_KEY = exports.OWNER_KEY = void 0;
exports.ownerValue = ownerValue;
exports.isOwned = isOwned;
exports.marksOf = marksOf;
exports.parseEnv = parseEnv;
exports.formatEnv = formatEnv;
exports.sameEnv = sameEnv;
exports.envChanges = envChanges;
exports.assertRepresentable = assertRepresentable;
exports.desiredEnv = desiredEnv;
exports.withManagedVar = withManagedVar;
/**
 * A Convox release carries the app's environment as one text blob of `KEY=VALUE` lines. Racks
 * keep no tags or labels on apps and drop app parameters they do not know, so the only place
 * where both rack generations keep our ownership record is that environment (every new release,
 * env change or build, inherits it): these helpers read and write it the way the rack does, and
 * decide what the environment of a preview must be.
 */
const identity_js_1 = __webpack_require__(4845);
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
/** `preview-kit:<app name>`: naming the app makes a copied environment (`convox env` piped to another app) not count as ours. */
exports.OWNER_KEY = 'PREVIEW_KIT_OWNER';
/** `identityKey` of the preview: what every lookup compares. */
exports.KEY_KEY = 'PREVIEW_KIT_KEY';
/** The identity as one line of JSON, so `list` and `prune` can say whose preview it is. */
exports.IDENTITY_KEY = 'PREVIEW_KIT_IDENTITY';
/** When the preview was created (ISO 8601), for `list` and `prune --ttl-from created`. */
exports.CREATED_KEY = 'PREVIEW_KIT_CREATED';
/** Comma-separated keys we set (`--env`, the domain variable), so that a key dropped from the settings is removed again. */
exports.MANAGED_KEY = 'PREVIEW_KIT_MANAGED';
const OUR_KEYS = new Set([exports.OWNER_KEY, exports.KEY_KEY, exports.IDENTITY_KEY, exports.CREATED_KEY, exports.MANAGED_KEY]);
function ownerValue(appName) {
    return `${types_js_1.OWNER_MARKER}:${appName}`;
}
function isOwned(env, appName) {
    return env[exports.OWNER_KEY] === ownerValue(appName);
}
/** Our marks as reconcile reads them: the marker (naming this app), the key, the readable identity. */
function marksOf(env, appName) {
    if (!isOwned(env, appName))
        return { marker: false };
    const identity = (0, identity_js_1.parseIdentityJson)(env[exports.IDENTITY_KEY]);
    return { marker: true, ...(env[exports.KEY_KEY] ? { key: env[exports.KEY_KEY] } : {}), ...(identity ? { identity } : {}) };
}
/** Reads a release's env the way the rack does: one `KEY=VALUE` per line, first `=` splits, blank keys dropped. */
function parseEnv(text) {
    const env = {};
    if (!text)
        return env;
    for (const raw of text.split('\n')) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const key = line.slice(0, eq).trim();
        if (key)
            env[key] = line.slice(eq + 1);
    }
    return env;
}
/** Sorted `KEY=VALUE` lines, as the rack and its CLI write them. */
function formatEnv(env) {
    return Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join('\n');
}
function sameEnv(a, b) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length)
        return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
/** Keys added, changed or removed between two environments, for the plan (names only: values may be secret). */
function envChanges(from, to) {
    const out = [];
    for (const k of Object.keys(to).sort()) {
        if (!(k in from))
            out.push(`+${k}`);
        else if (from[k] !== to[k])
            out.push(`~${k}`);
    }
    for (const k of Object.keys(from).sort())
        if (!(k in to))
            out.push(`-${k}`);
    return out;
}
/** A value with a line break would split into two variables on the rack: refuse it up front. */
function assertRepresentable(env) {
    for (const [key, value] of Object.entries(env)) {
        if (/[\r\n]/.test(value)) {
            throw new errors_js_1.ConfigError(`invalid settings: --env ${key}: Convox keeps env vars one per line, so a value cannot contain a line break`, {
                hint: 'encode the value (e.g. base64) or put it in a file of the image',
            });
        }
        if (OUR_KEYS.has(key)) {
            throw new errors_js_1.ConfigError(`invalid settings: --env ${key}: this variable is reserved for preview-kit's ownership record`);
        }
    }
}
/**
 * The environment the preview must have: what is there (other people's keys are left alone),
 * plus our marks, plus `--env`, minus the keys we set earlier that `--env` no longer names.
 */
function desiredEnv(current, input) {
    const next = { ...current };
    const before = (current[exports.MANAGED_KEY] ?? '').split(',').filter((k) => k !== '');
    for (const key of before)
        if (!(key in input.wanted))
            delete next[key];
    Object.assign(next, input.wanted);
    next[exports.OWNER_KEY] = ownerValue(input.appName);
    next[exports.KEY_KEY] = input.key;
    next[exports.IDENTITY_KEY] = (0, identity_js_1.identityJson)(input.identity);
    next[exports.CREATED_KEY] = current[exports.CREATED_KEY] || input.now.toISOString();
    const managed = Object.keys(input.wanted).sort();
    if (managed.length)
        next[exports.MANAGED_KEY] = managed.join(',');
    else
        delete next[exports.MANAGED_KEY];
    return next;
}
/** Sets (or, with `undefined`, removes) one variable we manage, keeping the managed-key list in step. */
function withManagedVar(env, key, value) {
    const next = { ...env };
    const managed = new Set((env[exports.MANAGED_KEY] ?? '').split(',').filter((k) => k !== ''));
    if (value === undefined) {
        if (managed.has(key))
            delete next[key];
        managed.delete(key);
    }
    else {
        next[key] = value;
        managed.add(key);
    }
    if (managed.size)
        next[exports.MANAGED_KEY] = [...managed].sort().join(',');
    else
        delete next[exports.MANAGED_KEY];
    return next;
}


/***/ }),

/***/ 3810:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.LIST_CONCURRENCY = void 0;
exports.formationCounts = formationCounts;
exports.listPreviews = listPreviews;
/**
 * `list`: every app of ours on the rack, with identity, state, creation and last deploy. A rack's
 * app listing (`GET /apps`) carries names, statuses and the live release's id, but not the release
 * environment that holds our marks, and the rack keeps nothing else per app we could mark (no tags,
 * unknown parameters dropped): one read per app is unavoidable. It is the live release
 * (`GET /apps/{app}/releases/{id}`), which gives the marks, the last deploy time (the release's
 * `created`) and the commit (its description) in one answer; an app whose live release is unmarked
 * (never deployed, or adopted since) is looked at once more, at its newest release.
 *
 * Whether a preview sleeps comes from listings: on a v2 rack `GET /apps` itself says each
 * service's count (the `<Service>Formation` stack parameters); on a v3 rack one
 * `GET /system/processes?all=true` says which apps run anything. Reads run a few at a time.
 */
const errors_js_1 = __webpack_require__(4296);
const parallel_js_1 = __webpack_require__(2112);
const env_js_1 = __webpack_require__(9897);
const preview_js_1 = __webpack_require__(8938);
const scale_js_1 = __webpack_require__(8884);
/** Reads in flight at once: enough to list a thousand apps in seconds, few enough for any rack. */
exports.LIST_CONCURRENCY = 8;
/** The app's marks and live release, or undefined when it is not ours (or went away meanwhile). */
async function readApp(rack, app) {
    try {
        const live = app.release ? await rack.api.getRelease(app.name, app.release) : undefined;
        let env = (0, env_js_1.parseEnv)(live?.env);
        if (!(0, env_js_1.isOwned)(env, app.name)) {
            const [newest] = await rack.api.listReleases(app.name, 1);
            // A v2 rack lists releases with an empty env: only GET of the release has it.
            if (newest && newest.id !== live?.id)
                env = (0, env_js_1.parseEnv)(newest.env || (await rack.api.getRelease(app.name, newest.id)).env);
        }
        return (0, env_js_1.marksOf)(env, app.name).marker ? { app, live, env } : undefined;
    }
    catch (error) {
        // Deleted meanwhile, or being deleted: gone is the truth only if the rack says so.
        const now = await rack.api.getApp(app.name);
        if (!now || now.status === 'deleting')
            return undefined;
        throw error;
    }
}
/** v2: each service's count, from the `<Service>Formation` parameters (`count,cpu,memory`) of the listing. */
function formationCounts(app) {
    const counts = Object.entries(app.parameters ?? {})
        .filter(([key]) => key.endsWith('Formation'))
        .map(([, value]) => Number.parseInt(String(value).split(',')[0] ?? '', 10))
        .filter((n) => Number.isFinite(n));
    return counts.length > 0 ? counts : undefined;
}
/** v3: the instances each app runs, from one listing of the rack's processes (or each app's services when that is refused). */
async function v3Counts(rack, apps) {
    const out = new Map();
    try {
        const running = new Map();
        for (const p of await rack.api.systemProcesses())
            if ((0, scale_js_1.liveProcess)(p.status))
                running.set(p.app, (running.get(p.app) ?? 0) + 1);
        for (const app of apps)
            out.set(app.name, [running.get(app.name) ?? 0]);
        return out;
    }
    catch (error) {
        if (!(error instanceof errors_js_1.AuthError || error instanceof errors_js_1.ProviderError))
            throw error;
        rack.logger.debug(`${error.message}: reading the services of each app instead`);
    }
    await (0, parallel_js_1.mapLimit)(apps, exports.LIST_CONCURRENCY, async (app) => {
        const services = await rack.api.listServices(app.name).catch(() => undefined);
        if (services)
            out.set(app.name, services.map((s) => s.count ?? 0));
    });
    return out;
}
async function listPreviews(rack) {
    // An app being deleted is on its way out: no preview any more, and not worth a read.
    const apps = (await rack.api.listApps()).filter((app) => app.status !== 'deleting');
    const ours = (await (0, parallel_js_1.mapLimit)(apps, exports.LIST_CONCURRENCY, (app) => readApp(rack, app))).filter((l) => l !== undefined);
    // Only an app that runs its release can be asleep; the others' state is their status.
    const settled = ours.filter((l) => l.app.status === 'running' && l.app.release).map((l) => l.app);
    const v3 = settled.filter((app) => app.generation === '3');
    const counts = v3.length > 0 ? await v3Counts(rack, v3) : new Map();
    for (const app of settled)
        if (app.generation !== '3')
            counts.set(app.name, formationCounts(app) ?? []);
    return Promise.all(ours.map(async ({ app, live, env }) => {
        const base = await (0, preview_js_1.toPreview)(rack, { app, latest: live, env, hasBuild: live !== undefined }, false);
        const deployment = (0, preview_js_1.liveDeployment)(app, live, (0, preview_js_1.commitOfRelease)(live));
        return {
            ...base,
            ...(deployment ? { lastDeployment: deployment } : {}),
            ...(live?.created ? { lastDeployedAt: live.created } : {}),
            state: (0, preview_js_1.previewState)(app, counts.get(app.name)),
        };
    }));
}


/***/ }),

/***/ 8938:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.builtFrom = builtFrom;
exports.deploymentState = deploymentState;
exports.previewState = previewState;
exports.commitOfRelease = commitOfRelease;
exports.liveDeployment = liveDeployment;
exports.hostsOf = hostsOf;
exports.toPreview = toPreview;
exports.plannedPreview = plannedPreview;
exports.checkManifestRoutes = checkManifestRoutes;
const env_js_1 = __webpack_require__(9897);
const waiting_js_1 = __webpack_require__(5077);
function builtFrom(build, commit) {
    if (!build)
        return false;
    const want = commit.toLowerCase();
    const sha = (build['git-sha'] ?? '').toLowerCase();
    if (sha)
        return sha === want || (sha.length >= 7 && want.startsWith(sha)) || (want.length >= 7 && sha.startsWith(want));
    // Racks that drop git-sha still keep the description, where we put the full commit.
    return want.length >= 7 && (build.description ?? '').toLowerCase().includes(want);
}
function deploymentState(status) {
    if (status === 'running')
        return 'ok';
    if (waiting_js_1.FAILED.has(status))
        return 'failed';
    if (status === 'creating' || status === 'updating')
        return 'running';
    return status;
}
/**
 * What the preview is doing, from the app's status and the instances its services run (`counts`,
 * when known): every one at zero is asleep. An app that never ran a release is `unknown`.
 */
function previewState(app, counts) {
    if (waiting_js_1.FAILED.has(app.status))
        return 'failed';
    if (app.status === 'creating' || app.status === 'updating')
        return 'deploying';
    if (app.status !== 'running' || !app.release)
        return 'unknown';
    return counts && counts.length > 0 && counts.every((c) => c <= 0) ? 'sleeping' : 'running';
}
/** The commit a release was built from, when its description says it: a build's release carries the build's `preview-kit <sha>`. */
function commitOfRelease(release) {
    return /^preview-kit ([0-9a-f]{7,40})\b/i.exec(release?.description ?? '')?.[1];
}
/** The live release as a deployment: when it was made is when the preview was last deployed. */
function liveDeployment(app, release, commit) {
    if (!app.release)
        return undefined;
    return { id: app.release, state: deploymentState(app.status), ...(commit ? { commit } : {}), ...(release?.created ? { createdAt: release.created } : {}) };
}
function hostsOf(value) {
    return (value ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== '');
}
function pickService(rack, services) {
    const withDomain = services.filter((s) => s.domain);
    if (rack.settings.service)
        return withDomain.find((s) => s.name === rack.settings.service);
    const isPublic = (s) => (s.ports ?? []).length > 0;
    return withDomain.find((s) => s.name === 'web' && isPublic(s)) ?? withDomain.find(isPublic) ?? withDomain.find((s) => s.name === 'web');
}
/** `full`: also the services, the live release and its build (for `status`); `list` skips them. */
async function toPreview(rack, state, full = true) {
    const { app, env } = state;
    const hosts = hostsOf(env[rack.settings.domainEnv]);
    let services = [];
    let lastDeployment;
    const details = {
        status: app.status,
        release: app.release || undefined,
        latestRelease: state.latest?.id,
        generation: app.generation,
        locked: app.locked ?? false,
    };
    let counts;
    if (full && app.release) {
        services = await rack.api.listServices(app.name);
        counts = services.map((s) => s.count ?? 0);
        const release = state.latest?.id === app.release ? state.latest : await rack.api.getRelease(app.name, app.release);
        const build = release.build ? await rack.api.getBuild(app.name, release.build) : undefined;
        lastDeployment = liveDeployment(app, release, build?.['git-sha'] || commitOfRelease(release));
        details.build = build?.id;
        details.services = services.map((s) => ({ name: s.name, domain: s.domain, url: s.domain ? `https://${s.domain}` : undefined, count: s.count }));
    }
    const primary = pickService(rack, services);
    const domains = [...hosts.map((host) => ({ host })), ...services.filter((s) => s.domain && !hosts.includes(s.domain)).map((s) => ({ host: s.domain, builtIn: true }))];
    const url = hosts[0] ? `https://${hosts[0]}` : primary ? `https://${primary.domain}` : '';
    const identity = (0, env_js_1.marksOf)(env, app.name).identity;
    return {
        name: app.name,
        id: app.name,
        url,
        domains,
        ...(lastDeployment ? { lastDeployment } : {}),
        ...(lastDeployment?.createdAt ? { lastDeployedAt: lastDeployment.createdAt } : {}),
        state: previewState(app, counts),
        ...(identity ? { identity } : {}),
        ...(env[env_js_1.CREATED_KEY] ? { createdAt: env[env_js_1.CREATED_KEY] } : {}),
        details,
    };
}
function plannedPreview(spec) {
    return {
        name: spec.name,
        id: spec.name,
        url: spec.domains[0] ? `https://${spec.domains[0]}` : '',
        domains: spec.domains.map((host) => ({ host })),
        identity: spec.identity,
    };
}
/** Convox attaches domains only through convox.yml: say so when the manifest cannot route ours. */
function checkManifestRoutes(rack, state) {
    const key = rack.settings.domainEnv;
    const manifest = state.latest?.manifest;
    if (!state.env[key] || !manifest || manifest.includes(`\${${key}}`))
        return;
    rack.context.logger.warn(`convox.yml of ${state.app.name} does not use \${${key}}: the rack will not route ${hostsOf(state.env[key]).join(', ')} ` +
        `(add \`domain: \${${key}}\` to the service that serves the preview)`);
}


/***/ }),

/***/ 118:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.promoteRelease = promoteRelease;
/**
 * Promoting a release, and waiting until the app runs it. What makes this more than one call:
 *
 * - the rack refuses a promotion while the app is not `running` (403 "app is currently updating",
 *   ReleasePromoteValidate of both generations): we wait until it runs, as the convox CLI does,
 *   then look again — that is never a permission problem;
 * - a promotion may be applied and still answered 5xx. A v3 rack moves `App.Release` at once; a
 *   v2 rack shows `updating` and moves it only when the stack update ends. So after a 5xx we look,
 *   wait out an update under way, and promote again only if the app still runs another release;
 * - concurrent runs of the same commit each build a release: whichever of those runs in the end,
 *   the commit is live, and a rack's "can not promote an older release" then says just that.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const preview_js_1 = __webpack_require__(8938);
const waiting_js_1 = __webpack_require__(5077);
/** Promotions answered 5xx or dropped, tried again at most this often. */
const LOST_PROMOTE_ATTEMPTS = 5;
/** Whether the app runs a release built from `commit` (a concurrent run may have promoted its own). */
async function runsCommit(rack, app, commit) {
    if (!app.release)
        return false;
    const release = await rack.api.getRelease(app.name, app.release);
    return release.build ? (0, preview_js_1.builtFrom)(await rack.api.getBuild(app.name, release.build), commit) : false;
}
async function getApp(rack, name) {
    const app = await rack.api.getApp(name);
    if (!app)
        throw new errors_js_1.ProviderError(`deploy: app ${name} disappeared during the promotion`, { hint: 'did another job stop this preview?' });
    return app;
}
/** Sends the promotion until the rack has taken it (or the app already runs it). */
async function startPromotion(rack, name, releaseId, commit) {
    const { logger, deadline } = rack.context;
    let lost = 0;
    for (;;) {
        let app = await getApp(rack, name);
        if (app.release === releaseId)
            return lost > 0 ? 'promoted' : 'already-live';
        let answer;
        try {
            answer = await rack.api.promote(name, releaseId);
        }
        catch (error) {
            const said = error.message;
            // Validation refusals (v2 500, v3 400): final, whatever their status says.
            if (/can not promote/i.test(said)) {
                if (/older release/i.test(said) && (await runsCommit(rack, await getApp(rack, name), commit)))
                    return 'already-live';
                throw new errors_js_1.ProviderError(said, { hint: /older/i.test(said) ? 'a newer release runs already: deploy a newer commit, or roll back with `convox releases rollback`' : `see \`convox releases -a ${name}\`` });
            }
            if (!(0, errors_js_1.isRetryable)(error) || ++lost >= LOST_PROMOTE_ATTEMPTS)
                throw error;
            logger.warn(`promote release ${releaseId} of ${name}: ${error.message}; looking at the app before trying again`);
            app = await getApp(rack, name);
            if (app.release === releaseId)
                return 'promoted';
            // v2: a promotion that was applied shows as an update under way; its release shows when it ends.
            if (app.status !== 'running')
                await (0, waiting_js_1.waitAppSettled)(rack, name, false);
            else
                await deadline.clock.sleep(Math.min((0, retry_js_1.backoffDelay)(lost - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
            continue;
        }
        if (answer === 'started')
            return 'promoted';
        logger.info(`app ${name} is updating (another deploy, a lost promotion or a change of its parameters): waiting until it runs before promoting ${releaseId}`);
        app = await (0, waiting_js_1.waitAppSettled)(rack, name, false);
        if (app.status === 'failed') {
            throw new errors_js_1.ProviderError(`deploy: app ${name} is in status "failed" and the rack refuses to promote it`, { hint: `see \`convox apps info ${name}\`; a failed app may need \`convox apps delete ${name}\` and a new up` });
        }
    }
}
/**
 * Promotes the release and waits until the app runs it — or another release of the same commit,
 * which a concurrent run promoted. A rollback, or running a release of another commit, is exit 5.
 */
async function promoteRelease(rack, name, releaseId, commit) {
    const { plan, logger } = rack.context;
    const outcome = await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `promote release ${releaseId}` }, () => startPromotion(rack, name, releaseId, commit), 'promoted');
    if (plan.dryRun)
        return outcome;
    let status = 'updating';
    await (0, waiting_js_1.sayStatusOnTimeout)(name, () => status, (0, retry_js_1.poll)(async () => {
        const app = await getApp(rack, name);
        status = app.status;
        if (waiting_js_1.FAILED.has(app.status)) {
            throw new errors_js_1.ProviderError(`deploy: release ${releaseId} of ${name} did not start: the app is in status "${app.status}"`, {
                hint: `see \`convox logs -a ${name}\` and \`convox releases -a ${name}\``,
            });
        }
        if (app.status !== 'running')
            return undefined;
        if (app.release === releaseId || (await runsCommit(rack, app, commit)))
            return app;
        throw new errors_js_1.ProviderError(`deploy: release ${releaseId} of ${name} was not kept: the app runs ${app.release || 'no release'}`, {
            hint: 'it was rolled back, or a concurrent deploy promoted another commit',
        });
    }, { ...rack.pollOptions(`release ${releaseId} of ${name} to be running`), onWait: (ms) => logger.progress(`promoting ${releaseId}: ${status} (${Math.round(ms / 1000)}s)`) }));
    return outcome;
}


/***/ }),

/***/ 9249:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
exports.ConvoxProvider = __webpack_unused_export__ = __webpack_unused_export__ = __webpack_unused_export__ = void 0;
/**
 * Previews as Convox apps, on racks of both generations (v2 convox/rack on AWS, v3 convox/convox
 * on Kubernetes). One app per preview, named after it; the preview's identity lives in the app's
 * release environment (racks keep no tags or labels on apps), compared on every lookup. Code goes
 * up the way `convox deploy` sends it: source tarball as an object, a build from it, promotion of
 * the build's release, then a wait until the app runs that release.
 *
 * Nothing about a preview is kept here between calls: each call looks the app up again from the
 * ref or spec it is given, so `deploy` alone behaves as it does inside `up`.
 */
const errors_js_1 = __webpack_require__(4296);
const reconcile_js_1 = __webpack_require__(2698);
const app_hooks_js_1 = __webpack_require__(1928);
const client_js_1 = __webpack_require__(7387);
const create_js_1 = __webpack_require__(3712);
const deploy_js_1 = __webpack_require__(2155);
const env_js_1 = __webpack_require__(9897);
const listing_js_1 = __webpack_require__(3810);
const preview_js_1 = __webpack_require__(8938);
const scale_js_1 = __webpack_require__(8884);
const teardown_js_1 = __webpack_require__(9052);
const waiting_js_1 = __webpack_require__(5077);
var deploy_js_2 = __webpack_require__(2155);
__webpack_unused_export__ = ({ enumerable: true, get: function () { return deploy_js_2.BuildFailedError; } });
var preview_js_2 = __webpack_require__(8938);
__webpack_unused_export__ = ({ enumerable: true, get: function () { return preview_js_2.builtFrom; } });
var client_js_2 = __webpack_require__(7387);
__webpack_unused_export__ = ({ enumerable: true, get: function () { return client_js_2.DEFAULT_TUNING; } });
class ConvoxProvider {
    context;
    id = 'convox';
    rack;
    constructor(settings, context, tuning = {}) {
        this.context = context;
        this.rack = new client_js_1.Rack(settings, context, tuning);
    }
    reconcileContext(ref) {
        const { plan, logger, deadline, adopt } = this.context;
        // A create retried after a 5xx looks again after a backoff of the rack client's own scale.
        const timing = { retryInitialMs: this.rack.tuning.httpBackoffMs * 3 };
        return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name, timing };
    }
    /** This preview's app, found by name and checked by key: undefined when absent or not ours. */
    async findOurs(ref) {
        const hooks = (0, app_hooks_js_1.readHooks)(this.rack, ref);
        return (0, reconcile_js_1.oursOf)(await (0, reconcile_js_1.lookup)(hooks, { identity: ref.identity }), hooks, this.context);
    }
    /**
     * The app for a step that needs it to be this preview's (`set-domain`, `deploy`). Another
     * preview's is refused; an unmarked one too, unless `--adopt`, which marks it first.
     */
    async requireOurs(spec, action) {
        const hooks = (0, app_hooks_js_1.readHooks)(this.rack, spec);
        const found = await (0, reconcile_js_1.lookup)(hooks, { identity: spec.identity });
        const ours = found.ours[0]?.item;
        if (ours)
            return ours;
        const refused = (0, reconcile_js_1.refusal)(found, hooks, this.reconcileContext(spec));
        if (refused)
            throw refused;
        const foreign = found.foreign[0]?.item;
        if (!foreign) {
            if (this.context.plan.dryRun)
                return undefined;
            throw new errors_js_1.NotFoundError(`${action}: app ${spec.name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
        }
        this.context.logger.warn(`adopting app ${spec.name}, which preview-kit did not create (--adopt)`);
        return (0, create_js_1.markApp)(this.rack, spec, foreign, 'adopt: record the preview-kit marks');
    }
    async find(ref) {
        const state = await this.findOurs(ref);
        return state ? (0, preview_js_1.toPreview)(this.rack, state) : undefined;
    }
    async ensure(spec) {
        (0, env_js_1.assertRepresentable)(spec.env);
        const { plan, logger } = this.context;
        const outcome = await (0, reconcile_js_1.ensureResource)((0, app_hooks_js_1.ensureHooks)(this.rack, spec), this.reconcileContext(spec));
        if (outcome.planned) {
            await (0, create_js_1.writeEnv)(this.rack, spec.name, {}, (0, create_js_1.wantedEnv)(this.rack, spec, {}), 'record ownership');
            return { preview: (0, preview_js_1.plannedPreview)(spec), created: true, changed: true };
        }
        let state = outcome.item;
        let changed = outcome.changed;
        const wanted = (0, create_js_1.wantedEnv)(this.rack, spec, state.env);
        if (!(0, env_js_1.sameEnv)(wanted, state.env)) {
            if (!(0, env_js_1.isOwned)(state.env, spec.name)) {
                // Joined an empty app after our own create attempt: it gets its first release now.
                state = await (0, create_js_1.markApp)(this.rack, spec, state, 'record ownership');
            }
            else {
                const release = await (0, create_js_1.writeEnv)(this.rack, spec.name, state.env, wanted, 'environment');
                state = { ...state, latest: release ?? state.latest, env: wanted };
            }
            changed = true;
            if (state.app.release)
                logger.info(`the new environment of ${spec.name} goes live with the next deploy`);
        }
        if (changed && !plan.dryRun)
            await this.confirmMarks(spec);
        // A sleeping preview wakes: its services go back to the counts of its convox.yml.
        if ((await (0, scale_js_1.wakeApp)(this.rack, state.app, state.latest)).length > 0)
            changed = true;
        return { preview: await (0, preview_js_1.toPreview)(this.rack, state), created: outcome.created, changed };
    }
    /**
     * After writing marks: the newest release must carry ours. An app two previews of different
     * identities raced for is refused here by the one whose marks did not last.
     */
    async confirmMarks(spec) {
        const hooks = (0, app_hooks_js_1.readHooks)(this.rack, spec);
        const found = await (0, reconcile_js_1.lookup)(hooks, { identity: spec.identity });
        if (found.ours.length > 0)
            return;
        const refused = (0, reconcile_js_1.refusal)(found, hooks, { ...this.reconcileContext(spec), adopt: false });
        if (refused)
            throw refused;
    }
    async setDomains(preview, spec) {
        const state = await this.requireOurs(spec, 'set-domain');
        if (!state)
            return { changed: spec.domains.length > 0, domains: spec.domains.map((host) => ({ host })) };
        const key = this.rack.settings.domainEnv;
        const value = spec.domains.join(',');
        let changed = false;
        if ((state.env[key] ?? '') !== value) {
            const next = (0, env_js_1.withManagedVar)(state.env, key, value || undefined);
            await (0, create_js_1.writeEnv)(this.rack, preview.name, state.env, next, 'domains');
            state.env = next;
            changed = true;
            this.context.logger.info(`domains of ${preview.name} go live with the next deploy (Convox routes them from convox.yml \`domain: \${${key}}\`)`);
            (0, preview_js_1.checkManifestRoutes)(this.rack, state);
        }
        return { changed, domains: (await (0, preview_js_1.toPreview)(this.rack, state)).domains };
    }
    async deploy(preview, spec, source) {
        const state = await this.requireOurs(spec, 'deploy');
        if (!state) {
            await this.context.plan.apply({ kind: 'deploy', target: `app ${spec.name}`, detail: `build and promote ${source.commit.slice(0, 12)}` }, async () => undefined, undefined);
            return { deployed: true, url: preview.url };
        }
        // v2: an app whose stack is still being created cannot build yet.
        const ready = state.app.status === 'creating' ? { ...state, app: await (0, waiting_js_1.waitAppSettled)(this.rack, spec.name, false) } : state;
        const result = await (0, deploy_js_1.deployCommit)(this.rack, ready, source, preview.url);
        // Asleep: the commit it runs starts again without a rebuild; a new release of it starts too
        // (v2 keeps a count of zero across promotions; v3 restores it, so nothing is left to do there).
        const app = this.context.plan.dryRun ? ready.app : await this.rack.api.getApp(spec.name);
        const woke = app ? await (0, scale_js_1.wakeApp)(this.rack, app) : [];
        if (woke.length > 0 && !result.deployed)
            return { ...result, reason: `${result.reason ?? 'nothing to deploy'}; woke it up` };
        return result;
    }
    destroy(ref) {
        return (0, teardown_js_1.destroyApp)(this.rack, ref);
    }
    list() {
        return (0, listing_js_1.listPreviews)(this.rack);
    }
    /** Scales the services of this preview's app to zero; an app of another preview or unmarked is not found, so left alone. */
    async sleep(ref) {
        const state = await this.findOurs(ref);
        return state ? (0, scale_js_1.sleepApp)(this.rack, state) : { slept: false, stopped: [] };
    }
}
exports.ConvoxProvider = ConvoxProvider;


/***/ }),

/***/ 2130:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RackApi = exports.FORBIDDEN_HINT = void 0;
exports.isAlreadyExists = isAlreadyExists;
/**
 * The rack's HTTP API, route by route, as the convox CLI's sdk calls it: form-encoded parameters
 * (`application/x-www-form-urlencoded`), JSON answers, raw bodies for objects, errors as
 * `{"error": "…"}` when JSON is accepted (v3) and plain text otherwise (v2 always). Only the
 * routes we use, on both rack generations (pkg/api/routes.go of convox/rack and convox/convox).
 */
const errors_js_1 = __webpack_require__(4296);
const http_js_1 = __webpack_require__(4488);
/** What a 403 that is not "currently updating" means: the password is right, the rights are not. */
exports.FORBIDDEN_HINT = 'the rack accepted the credentials but refuses this action: they lack the permission for it (a console role or rack API key without deploy rights)';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
function form(fields) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
        if (v !== undefined)
            params.set(k, v);
    return params.toString();
}
const seg = encodeURIComponent;
/** Racks answer a taken name with 409 (v3) or a 500 saying so (v2: `app already exists: X`). */
function isAlreadyExists(error) {
    if (error instanceof errors_js_1.ConflictError)
        return /already exists/i.test(error.message) || error.status === 409;
    return error instanceof errors_js_1.ProviderError && /already exists/i.test(error.message);
}
const NOT_A_RACK_HINT = 'check RACK_URL: it must be the rack API (convox rack → Router/API), not a web page';
/**
 * The rack answers JSON: anything else (a web page served with 200, a proxy's sign-in page) means
 * RACK_URL points somewhere else, which must fail here rather than be read as an app or a list.
 */
function expectJson(body, what, shape) {
    const ok = shape === 'array' ? Array.isArray(body) : !!body && typeof body === 'object' && !Array.isArray(body);
    if (ok)
        return body;
    const said = typeof body === 'string' ? ((0, http_js_1.errorMessageOf)(body) ?? body).replace(/\s+/g, ' ').trim().slice(0, 120) : JSON.stringify(body ?? null).slice(0, 120);
    throw new errors_js_1.ProviderError(`${what}: the rack answered ${typeof body === 'string' ? 'a page that is not JSON' : `JSON that is not ${shape === 'array' ? 'a list' : 'an object'}`} ("${said}")`, {
        hint: NOT_A_RACK_HINT,
    });
}
class RackApi {
    http;
    upload;
    constructor(http, 
    /** A second client with a longer per-request timeout, for source uploads. */
    upload = http) {
        this.http = http;
        this.upload = upload;
    }
    /**
     * The app, or undefined when the rack says it does not exist. A 404 that does not name the app
     * (a proxy's or a router's "page not found") means the URL is not a rack API: that is an error,
     * never "absent".
     */
    async getApp(name) {
        const res = await this.http.request({ method: 'GET', path: `/apps/${seg(name)}`, allow: [404], what: `look up app ${name}` });
        if (res.status === 404) {
            const said = (0, http_js_1.errorMessageOf)(res.body) ?? '';
            if (said.includes(name) || /^app not found/i.test(said))
                return undefined;
            throw new errors_js_1.ProviderError(`look up app ${name}: the rack answered 404 "${said || 'no body'}"`, {
                status: 404,
                hint: NOT_A_RACK_HINT,
            });
        }
        const app = expectJson(res.body, `look up app ${name}`, 'object');
        if (typeof app.name !== 'string' || typeof app.status !== 'string') {
            throw new errors_js_1.ProviderError(`look up app ${name}: the rack answered an object that is not an app (no name or status)`, { hint: NOT_A_RACK_HINT });
        }
        return app;
    }
    listApps() {
        return this.http.json({ method: 'GET', path: '/apps', what: 'list apps' }).then((v) => expectJson(v ?? [], 'list apps', 'array'));
    }
    createApp(name) {
        return this.http.json({ method: 'POST', path: '/apps', body: form({ name, generation: '2' }), headers: FORM, what: `create app ${name}` });
    }
    /**
     * False when the app was already gone. Not retried here: a delete answered 5xx may have been
     * applied, and a rack on Kubernetes refuses a second delete of a namespace it is removing, so
     * the caller looks at the app before trying again.
     */
    async deleteApp(name) {
        const res = await this.http.request({ method: 'DELETE', path: `/apps/${seg(name)}`, allow: [404], retry: false, what: `delete app ${name}` });
        return res.status !== 404;
    }
    /** Newest first. */
    listReleases(app, limit) {
        const what = `list releases of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/releases?limit=${limit}`, what }).then((v) => expectJson(v ?? [], what, 'array'));
    }
    getRelease(app, id) {
        const what = `read release ${id} of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/releases/${seg(id)}`, what }).then((v) => expectJson(v, what, 'object'));
    }
    /** A new release forked from the latest one, with this env (the rack's way to change env vars). */
    createRelease(app, fields) {
        return this.http.json({
            method: 'POST',
            path: `/apps/${seg(app)}/releases`,
            body: form(fields),
            headers: FORM,
            what: `create a release of ${app}`,
        });
    }
    /**
     * Starts the promotion (the rack answers before the update ends). `busy`: the rack refused it
     * because the app is not `running` (403 "app is currently updating", ReleasePromoteValidate of
     * both generations) — a wait, not a permission problem. Any other 403 is one.
     */
    async promote(app, id) {
        const what = `promote release ${id} of ${app}`;
        const res = await this.http.request({ method: 'POST', path: `/apps/${seg(app)}/releases/${seg(id)}/promote`, body: '', headers: FORM, allow: [403], what });
        if (res.status !== 403)
            return 'started';
        const said = (0, http_js_1.errorMessageOf)(res.body) ?? '';
        if (/currently updating/i.test(said))
            return 'busy';
        throw new errors_js_1.AuthError(`${what}: permission denied by the Convox rack (403${said ? ` ${said}` : ''})`, { hint: exports.FORBIDDEN_HINT });
    }
    /** Newest first. */
    listBuilds(app, limit) {
        const what = `list builds of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/builds?limit=${limit}`, what }).then((v) => expectJson(v ?? [], what, 'array'));
    }
    getBuild(app, id) {
        const what = `read build ${id} of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/builds/${seg(id)}`, what }).then((v) => expectJson(v, what, 'object'));
    }
    createBuild(app, fields) {
        return this.http.json({
            method: 'POST',
            path: `/apps/${seg(app)}/builds`,
            body: form({ url: fields.url, description: fields.description, 'git-sha': fields.gitSha, manifest: fields.manifest }),
            headers: FORM,
            what: `start a build of ${app}`,
        });
    }
    /** Stores a blob under the app; answers its `object://` URL. Same key, same content: safe to retry. */
    async storeObject(app, key, data) {
        const body = await this.upload.json({
            method: 'POST',
            path: `/apps/${seg(app)}/objects/${key.split('/').map(seg).join('/')}`,
            body: data,
            headers: { 'content-type': 'application/octet-stream' },
            retry: true,
            what: `upload the source of ${app}`,
        });
        // The rack's Object struct has no json tag, so the field is `Url`.
        const url = body?.Url ?? body?.url;
        if (!url)
            throw new errors_js_1.ProviderError(`upload the source of ${app}: the rack answered no object URL`);
        return url;
    }
    async fetchObject(app, key) {
        const res = await this.http.request({
            method: 'GET',
            path: `/apps/${seg(app)}/objects/${key.split('/').map(seg).join('/')}`,
            headers: { accept: '*/*' },
            what: `read object ${key} of ${app}`,
        });
        return typeof res.body === 'string' ? res.body : res.body === undefined ? '' : JSON.stringify(res.body);
    }
    listServices(app) {
        const what = `list services of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/services`, what }).then((v) => expectJson(v ?? [], what, 'array'));
    }
    /**
     * Sets a service's count, as `convox scale <service> --count N` does (ServiceUpdate). Not
     * retried here: on a v2 rack it starts a stack update, and a second one while it runs is refused,
     * so the caller looks at the app before trying again.
     */
    async scaleService(app, service, count) {
        await this.http.request({
            method: 'PUT',
            path: `/apps/${seg(app)}/services/${seg(service)}`,
            body: form({ count: String(count) }),
            headers: FORM,
            retry: false,
            what: `scale service ${service} of ${app} to ${count}`,
        });
    }
    listProcesses(app) {
        const what = `list processes of ${app}`;
        return this.http.json({ method: 'GET', path: `/apps/${seg(app)}/processes`, what }).then((v) => expectJson(v ?? [], what, 'array'));
    }
    /** Every process on the rack, the apps' included (`convox rack ps --all`). */
    systemProcesses() {
        const what = 'list the processes of the rack';
        return this.http.json({ method: 'GET', path: '/system/processes?all=true', what }).then((v) => expectJson(v ?? [], what, 'array'));
    }
}
exports.RackApi = RackApi;


/***/ }),

/***/ 8884:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.liveProcess = void 0;
exports.manifestCounts = manifestCounts;
exports.sleepApp = sleepApp;
exports.wakeApp = wakeApp;
/**
 * Sleep and wake: a preview's compute is stopped by scaling its services to zero, as
 * `convox scale <service> --count 0` does (`PUT /apps/{app}/services/{name}`, form `count`), and
 * brought back to the counts its convox.yml asks for. Domains, environment, releases and resources
 * stay. Where the rack generations differ:
 *
 * - v2: a count is the app stack's `<Service>Formation` parameter; every change is a CloudFormation
 *   update (the app is `updating` until it ends, one update at a time). A promotion keeps the
 *   parameter, so a new release of a sleeping app still runs nothing until it is woken.
 * - v3: a count is the Deployment's replicas, changed at once; the pods then take their grace period
 *   to stop. A promotion brings a service at zero back to its manifest count by itself.
 *
 * A wake restores the manifest's count (`scale.count`, the minimum of a range, 1 when not given):
 * what the rack gives a new service and what a v3 promotion restores. Counts a person set by hand
 * are not remembered: the rack keeps nothing per app that a listing returns and that we could write
 * without a new release, and a wake must not need one (the same commit wakes without a rollout).
 */
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const waiting_js_1 = __webpack_require__(5077);
/** Scale requests answered 5xx or dropped, tried again (after a look) at most this often. */
const SCALE_ATTEMPTS = 4;
/** How long processes get to stop after a scale to zero: pods' grace period (30 s by default) and then some. */
const STOP_WAIT_MS = 120_000;
/** Process statuses that hold compute (`processFromPod`): everything but ended ones. */
const liveProcess = (status) => status !== 'complete' && status !== 'failed';
exports.liveProcess = liveProcess;
const isV3 = (app) => app.generation === '3';
/** `scale.count` as the rack reads it (`ServiceScaleCount`): `2`, `"1-3"`, `{min, max}`; its minimum. */
function countMin(value) {
    if (typeof value === 'number' && Number.isInteger(value))
        return value;
    if (typeof value === 'string' && /^\s*\d+\s*(-\s*\d+\s*)?$/.test(value))
        return Number.parseInt(value, 10);
    if (value && typeof value === 'object' && 'min' in value)
        return Number(value.min) || 0;
    return undefined;
}
/** Each service's count by the manifest: `scale` as a number or range, or `scale.count`; 1 when not given. */
function manifestCounts(manifest) {
    const out = new Map();
    let services = {};
    try {
        services = (0, yaml_1.parse)(manifest ?? '')?.services ?? {};
    }
    catch {
        return out;
    }
    for (const [name, s] of Object.entries(services)) {
        const scale = s?.scale;
        const count = scale && typeof scale === 'object' && !Array.isArray(scale) ? countMin(scale.count) : countMin(scale);
        out.set(name, count ?? 1);
    }
    return out;
}
/**
 * Sets one service's count; on v2 waits until the stack update ends, since the next change (or a
 * promotion) is refused while it runs. A request answered 5xx may have been applied: look (after
 * the update it started, on v2) before sending it again.
 */
async function setCount(rack, app, service, count) {
    const { deadline, logger } = rack.context;
    for (let attempt = 1;; attempt++) {
        try {
            await rack.api.scaleService(app.name, service, count);
            break;
        }
        catch (error) {
            // v2: CloudFormation refuses an update that changes nothing: the count is there already.
            if (/no updates are to be performed/i.test(error.message))
                return;
            if (!(0, errors_js_1.isRetryable)(error) || attempt >= SCALE_ATTEMPTS)
                throw error;
            logger.warn(`scale service ${service} of ${app.name}: ${error.message}; looking before trying again`);
            const now = await rack.api.getApp(app.name);
            if (!now)
                throw new errors_js_1.ProviderError(`app ${app.name} disappeared while it was scaled`, { hint: 'did another job stop this preview?' });
            if (!waiting_js_1.SETTLED.has(now.status))
                await (0, waiting_js_1.waitAppSettled)(rack, app.name, false);
            const current = (await rack.api.listServices(app.name)).find((s) => s.name === service);
            if (!current)
                throw new errors_js_1.ProviderError(`scale service ${service} of ${app.name}: the app no longer has that service`, { hint: `see \`convox services -a ${app.name}\`` });
            if (current.count === count)
                return;
            await deadline.clock.sleep(Math.min((0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
        }
    }
    if (!isV3(app))
        await (0, waiting_js_1.waitAppSettled)(rack, app.name, false);
}
/** After the changes: the rack runs what was asked (a v2 update may have rolled back). */
async function confirmCounts(rack, name, wanted, what) {
    const off = (await rack.api.listServices(name)).filter((s) => wanted.has(s.name) && (s.count ?? 0) !== wanted.get(s.name));
    if (off.length === 0)
        return;
    throw new errors_js_1.ProviderError(`${what} ${name}: the rack left ${off.map((s) => `${s.name} at ${s.count ?? 0}`).join(', ')}`, {
        hint: `see \`convox apps info ${name}\` and \`convox services -a ${name}\`; the stack update may have rolled back`,
    });
}
/**
 * v3: the pods of the services scaled to zero take their grace period to stop; asleep means
 * stopped. A process that outlives that (a one-off `convox run` of the service) is said, not fatal:
 * the services are at zero, and a listing shows the app running as long as it runs.
 */
async function waitStopped(rack, name, services) {
    const { deadline, logger } = rack.context;
    let left = 0;
    try {
        await (0, retry_js_1.poll)(async () => {
            left = (await rack.api.listProcesses(name)).filter((p) => services.has(p.name) && (0, exports.liveProcess)(p.status)).length;
            return left === 0 ? true : undefined;
        }, {
            ...rack.pollOptions(`the processes of ${name} to stop`, new retry_js_1.Deadline(Math.min(STOP_WAIT_MS, deadline.remaining()), deadline.clock)),
            onWait: (ms) => logger.progress(`${name}: ${left} processes stopping (${Math.round(ms / 1000)}s)`),
        });
    }
    catch (error) {
        if (!(error instanceof errors_js_1.TimeoutError))
            throw error;
        logger.warn(`app ${name}: its services are scaled to zero, but ${left} of their processes still run (a one-off \`convox run\`?); see \`convox ps -a ${name}\``);
    }
}
/** The app's services as the rack runs them, once any update under way has ended. */
async function servicesOf(rack, app) {
    const ready = waiting_js_1.SETTLED.has(app.status) || rack.context.plan.dryRun ? app : await (0, waiting_js_1.waitAppSettled)(rack, app.name, false);
    return { app: ready, services: await rack.api.listServices(app.name) };
}
/** Scales every running service of the app to zero; nothing when none runs (asleep, never deployed). */
async function sleepApp(rack, state) {
    const { plan, logger } = rack.context;
    const name = state.app.name;
    if (!state.app.release || state.app.status === 'deleting')
        return { slept: false, stopped: [] };
    const { app, services } = await servicesOf(rack, state.app);
    const awake = services.filter((s) => (s.count ?? 0) > 0);
    if (awake.length === 0)
        return { slept: false, stopped: [] };
    const stopped = [];
    for (const s of awake) {
        await plan.apply({ kind: 'update', target: `service ${s.name} of app ${name}`, detail: `scale ${s.count} → 0 (sleep)` }, () => setCount(rack, app, s.name, 0), undefined);
        stopped.push(`service ${s.name} of app ${name} (${s.count} → 0)`);
    }
    if (!plan.dryRun) {
        await confirmCounts(rack, name, new Map(awake.map((s) => [s.name, 0])), 'sleep');
        if (isV3(app))
            await waitStopped(rack, name, new Set(awake.map((s) => s.name)));
        logger.info(`app ${name} is asleep: ${awake.map((s) => s.name).join(', ')} scaled to zero; its domains, environment and releases stay`);
    }
    return { slept: true, stopped };
}
/**
 * Brings the services the app runs at zero back to their manifest count (`promoted` saves reading
 * the live release again when the caller has it). Answers what was started; nothing, with no
 * write, when every service runs or the app has no live release.
 */
async function wakeApp(rack, current, promoted) {
    const { plan, logger } = rack.context;
    const name = current.name;
    if (!current.release || current.status === 'deleting')
        return [];
    const { app, services } = await servicesOf(rack, current);
    const asleep = services.filter((s) => (s.count ?? 0) === 0);
    if (asleep.length === 0)
        return [];
    let fromManifest;
    const wanted = new Map();
    for (const s of asleep) {
        // v3 says the manifest's count with each service; on v2 it is read from the live release.
        if (s.min === undefined && !fromManifest) {
            const release = promoted?.id === app.release ? promoted : await rack.api.getRelease(name, app.release);
            fromManifest = manifestCounts(release.manifest);
        }
        const count = s.min ?? fromManifest?.get(s.name) ?? 1;
        if (count > 0)
            wanted.set(s.name, count);
    }
    const started = [];
    for (const [service, count] of wanted) {
        await plan.apply({ kind: 'update', target: `service ${service} of app ${name}`, detail: `scale 0 → ${count} (wake)` }, () => setCount(rack, app, service, count), undefined);
        started.push(`service ${service} of app ${name} (0 → ${count})`);
    }
    if (started.length > 0 && !plan.dryRun) {
        await confirmCounts(rack, name, wanted, 'wake');
        logger.info(`app ${name} is awake again: ${[...wanted.keys()].join(', ')} back to the counts of its convox.yml`);
    }
    return started;
}


/***/ }),

/***/ 8469:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.resolveCommit = resolveCommit;
exports.packSource = packSource;
/**
 * The source tarball a rack builds from: the tree of one commit (not the working directory, so
 * uncommitted files and `.git` never leave the machine), minus what the commit's `.dockerignore`
 * excludes, gzipped, the way `convox build` packs a directory.
 */
const node_child_process_1 = __webpack_require__(1421);
const node_path_1 = __webpack_require__(6760);
const node_zlib_1 = __webpack_require__(8522);
const errors_js_1 = __webpack_require__(4296);
const dockerignore_js_1 = __webpack_require__(8030);
const tar_js_1 = __webpack_require__(5953);
function git(dir, args, env, input) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('git', ['-C', dir, ...args], {
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
            ...(env ? { env } : {}),
        });
        const out = [];
        const err = [];
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => err.push(b));
        child.on('error', (error) => reject(new errors_js_1.ConfigError(`deploy: cannot run git: ${error.message}`, { hint: 'install git; the source is packed from a commit' })));
        child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
        if (child.stdin) {
            // git may exit before reading all of its input (a failed lookup): its exit code tells why.
            child.stdin.on('error', () => undefined);
            child.stdin.end(input);
        }
    });
}
async function gitOk(dir, args, what, env, input) {
    const result = await git(dir, args, env, input);
    if (result.code !== 0)
        throw new errors_js_1.ProviderError(`deploy: ${what}: git ${args[0]} failed: ${result.stderr || `exit ${result.code}`}`);
    return result.stdout;
}
function parseTree(out) {
    const entries = [];
    for (const record of out.toString('utf8').split('\0')) {
        if (!record)
            continue;
        const tab = record.indexOf('\t');
        const [mode, type, sha] = record.slice(0, tab).split(' ');
        entries.push({ mode: mode, type: type, sha: sha, path: record.slice(tab + 1) });
    }
    return entries;
}
/** Reads many blobs in one `git cat-file --batch` run: `<sha> blob <size>\n<bytes>\n` per object. */
async function readBlobs(dir, shas, env) {
    const blobs = new Map();
    const unique = [...new Set(shas)];
    if (unique.length === 0)
        return blobs;
    const out = await gitOk(dir, ['cat-file', '--batch'], 'read files', env, `${unique.join('\n')}\n`);
    let offset = 0;
    for (const sha of unique) {
        const newline = out.indexOf(0x0a, offset);
        const head = out.subarray(offset, newline).toString('utf8').split(' ');
        if (head[1] === 'missing' || head.length < 3)
            throw new errors_js_1.ProviderError(`deploy: object ${sha} is missing from the repository`);
        const size = Number(head[2]);
        blobs.set(head[0], out.subarray(newline + 1, newline + 1 + size));
        offset = newline + 1 + size + 1;
    }
    return blobs;
}
async function resolveCommit(dir, commit, env) {
    const result = await git(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], env);
    if (result.code !== 0) {
        throw new errors_js_1.ConfigError(`deploy: commit ${commit} is not in the repository at ${dir}`, {
            hint: 'check --source and --commit; in CI fetch the commit (e.g. a full checkout)',
        });
    }
    return result.stdout.toString('utf8').trim();
}
/** Packs the commit's tree, honouring the `.dockerignore` committed with it. */
async function packSource(dir, commit, env) {
    const sha = await resolveCommit(dir, commit, env);
    const tree = parseTree(await gitOk(dir, ['ls-tree', '-r', '-z', '--full-tree', sha], 'list files', env));
    const time = Number((await gitOk(dir, ['show', '-s', '--format=%ct', sha], 'read the commit time', env)).toString('utf8').trim()) || 0;
    const ignoreEntry = tree.find((e) => e.path === '.dockerignore' && e.type === 'blob');
    const matcher = ignoreEntry ? dockerignore_js_1.IgnoreMatcher.fromFile((await readBlobs(dir, [ignoreEntry.sha], env)).get(ignoreEntry.sha).toString('utf8')) : new dockerignore_js_1.IgnoreMatcher([]);
    let ignored = 0;
    // Submodules (type commit) have no content in this repository; the rack could not build them either.
    const kept = tree.filter((e) => {
        if (e.type !== 'blob')
            return false;
        if (matcher.ignores(e.path)) {
            ignored++;
            return false;
        }
        return true;
    });
    const blobs = await readBlobs(dir, kept.map((e) => e.sha), env);
    const entries = [];
    const dirs = new Set();
    for (const e of kept) {
        // Parent directories first, so extractors that do not create them still work.
        const parents = [];
        for (let d = node_path_1.posix.dirname(e.path); d !== '.' && !dirs.has(d); d = node_path_1.posix.dirname(d))
            parents.unshift(d);
        for (const d of parents) {
            dirs.add(d);
            entries.push({ type: 'dir', path: d, mode: 0o755 });
        }
        const data = blobs.get(e.sha);
        if (e.mode === '120000')
            entries.push({ type: 'symlink', path: e.path, target: data.toString('utf8') });
        else
            entries.push({ type: 'file', path: e.path, data, mode: e.mode === '100755' ? 0o755 : 0o644 });
    }
    return { data: (0, node_zlib_1.gzipSync)((0, tar_js_1.writeTar)(entries, time)), files: kept.length, ignored };
}


/***/ }),

/***/ 5953:
/***/ ((__unused_webpack_module, exports) => {


/**
 * A small tar writer (ustar headers, PAX records for long or non-ASCII names), enough to pack a
 * source tree for the rack's builder, which reads it with Go's archive/tar.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.writeTar = writeTar;
const BLOCK = 512;
function writeString(header, offset, length, value) {
    header.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}
function writeOctal(header, offset, length, value) {
    // length-1 octal digits then NUL, as GNU and Go write them.
    const text = value.toString(8).padStart(length - 1, '0');
    if (text.length > length - 1)
        throw new Error(`tar: value ${value} does not fit in ${length} bytes`);
    header.write(`${text}\0`, offset, length, 'ascii');
}
function fitsUstar(value, max) {
    return /^[\x20-\x7e]*$/.test(value) && Buffer.byteLength(value) <= max;
}
function paxRecord(key, value) {
    // "<len> key=value\n", where len counts the whole record, its own digits included.
    const body = ` ${key}=${value}\n`;
    const bodyLength = Buffer.byteLength(body);
    let digits = String(bodyLength).length;
    let length = bodyLength + digits;
    if (String(length).length !== digits) {
        digits = String(length).length;
        length = bodyLength + digits;
    }
    return Buffer.from(`${length}${body}`, 'utf8');
}
function header(fields) {
    const h = Buffer.alloc(BLOCK, 0);
    writeString(h, 0, 100, fields.name);
    writeOctal(h, 100, 8, fields.mode & 0o7777);
    writeOctal(h, 108, 8, 0);
    writeOctal(h, 116, 8, 0);
    writeOctal(h, 124, 12, fields.size);
    writeOctal(h, 136, 12, Math.max(0, Math.floor(fields.mtime)));
    h.fill(0x20, 148, 156);
    h.write(fields.type, 156, 1, 'ascii');
    if (fields.linkname)
        writeString(h, 157, 100, fields.linkname);
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    let sum = 0;
    for (const byte of h)
        sum += byte;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    return h;
}
function padding(size) {
    const rest = size % BLOCK;
    return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest, 0);
}
/** Packs the entries in order; `mtime` is seconds since the epoch (the commit time keeps archives reproducible). */
function writeTar(entries, mtime) {
    const parts = [];
    for (const entry of entries) {
        const name = entry.type === 'dir' ? `${entry.path.replace(/\/+$/, '')}/` : entry.path;
        const linkname = entry.type === 'symlink' ? entry.target : '';
        const records = [];
        if (!fitsUstar(name, 100))
            records.push(paxRecord('path', name));
        if (linkname && !fitsUstar(linkname, 100))
            records.push(paxRecord('linkpath', linkname));
        if (records.length) {
            const pax = Buffer.concat(records);
            parts.push(header({ name: `PaxHeaders/${asciiTail(name, 80)}`, mode: 0o644, size: pax.length, mtime, type: 'x' }), pax, padding(pax.length));
        }
        const shortName = asciiTail(name, 100);
        if (entry.type === 'file') {
            parts.push(header({ name: shortName, mode: entry.mode, size: entry.data.length, mtime, type: '0' }));
            parts.push(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.length), padding(entry.data.length));
        }
        else if (entry.type === 'dir') {
            parts.push(header({ name: shortName, mode: entry.mode, size: 0, mtime, type: '5' }));
        }
        else {
            parts.push(header({ name: shortName, mode: 0o777, size: 0, mtime, type: '2', linkname: asciiTail(linkname, 100) }));
        }
    }
    parts.push(Buffer.alloc(BLOCK * 2, 0));
    return Buffer.concat(parts);
}
/** A printable stand-in of at most `max` bytes, for the ustar field when PAX carries the real name. */
function asciiTail(value, max) {
    const ascii = value.replace(/[^\x20-\x7e]/g, '_');
    return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}


/***/ }),

/***/ 9052:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.destroyApp = destroyApp;
/**
 * Removing a preview's app: `DELETE /apps/{name}` (the rack removes builds, releases and
 * resources with it), then a wait until the rack no longer knows the name. Only an app carrying
 * this preview's marks is removed; another preview's or an unmarked one is left with a warning.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const reconcile_js_1 = __webpack_require__(2698);
const app_hooks_js_1 = __webpack_require__(1928);
const app_state_js_1 = __webpack_require__(7601);
const waiting_js_1 = __webpack_require__(5077);
const DELETE_ATTEMPTS = 5;
/**
 * Sends the delete until the rack has taken it. A delete answered 5xx may have been applied, and
 * a v3 rack refuses a second delete of a namespace it is removing: look before sending another.
 */
async function deleteApp(rack, name) {
    const { deadline, logger } = rack.context;
    for (let attempt = 1;; attempt++) {
        try {
            await rack.api.deleteApp(name);
            return;
        }
        catch (error) {
            const locked = error instanceof errors_js_1.ConflictError || /TerminationProtection|is locked/i.test(error.message);
            if (locked)
                throw new errors_js_1.ProviderError(`stop: the rack refused to delete app ${name}: ${error.message}`, { hint: `if it is locked: convox apps unlock -a ${name}` });
            const now = await rack.api.getApp(name);
            if (!now || now.status === 'deleting')
                return;
            if (!(0, errors_js_1.isRetryable)(error) || attempt >= DELETE_ATTEMPTS)
                throw error;
            logger.warn(`delete app ${name}: ${error.message}; trying again`);
            await deadline.clock.sleep(Math.min((0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: rack.tuning.httpBackoffMs }), deadline.remaining()));
        }
    }
}
async function destroyApp(rack, ref) {
    const { plan, logger, adopt } = rack.context;
    const name = ref.name;
    const hooks = (0, app_hooks_js_1.readHooks)(rack, ref);
    const state = await (0, app_state_js_1.inspect)(rack, name);
    if (!state)
        return { deleted: false, removed: [] };
    const found = (0, reconcile_js_1.classify)([state], hooks, ref.identity);
    const [target] = (0, reconcile_js_1.teardownTargets)(found, hooks, { logger, adopt });
    if (!target) {
        // Someone else's deletion under way: nothing of this preview's is there to wait for.
        return { deleted: false, removed: [] };
    }
    if (state.app.status !== 'deleting') {
        await plan.apply({ kind: 'delete', target: `app ${name}`, detail: 'with its builds, releases and resources' }, () => deleteApp(rack, name), undefined);
    }
    else
        logger.info(`app ${name} is being deleted already; waiting until it is gone`);
    if (!plan.dryRun)
        await (0, waiting_js_1.waitGone)(rack, name);
    return { deleted: true, removed: [`app ${name}`] };
}


/***/ }),

/***/ 5077:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.FAILED = exports.SETTLED = void 0;
exports.sayStatusOnTimeout = sayStatusOnTimeout;
exports.waitAppSettled = waitAppSettled;
exports.waitGone = waitGone;
exports.waitForClaim = waitForClaim;
/**
 * Waiting on the rack's facts: an app that runs, an app that is gone, an empty app claimed by
 * the run that created it. Every wait polls `GET /apps/{name}` on the command's deadline and
 * says, when it runs out, which status the app was stuck in.
 */
const retry_js_1 = __webpack_require__(7253);
const errors_js_1 = __webpack_require__(4296);
const app_state_js_1 = __webpack_require__(7601);
/**
 * Statuses in which nothing moves until someone acts. `rollback` is not one: on both generations
 * it ends in `running` (or, for a v2 app whose creation failed, `failed`).
 */
exports.SETTLED = new Set(['running', 'failed', 'unknown']);
exports.FAILED = new Set(['rollback', 'failed']);
/** A wait that ran out of time says the status the app was stuck in, and where to look. */
async function sayStatusOnTimeout(name, status, waiting) {
    try {
        return await waiting;
    }
    catch (error) {
        if (!(error instanceof errors_js_1.TimeoutError))
            throw error;
        const busy = status() === 'updating' ? '; another deploy or a change of its parameters may still be under way' : '';
        throw new errors_js_1.TimeoutError(`${error.message}: the app was still "${status()}"${busy}`, {
            hint: `see \`convox apps info ${name}\` and \`convox logs -a ${name}\`, or raise --timeout`,
        });
    }
}
/**
 * Waits until the app's status is settled. `justCreated`: we created it, so a failed creation
 * (`rollback`, `failed`) is our failure (exit 5), and the app may not be listed yet. An existing
 * app left `failed` is returned as it is, for the next promotion to repair.
 */
async function waitAppSettled(rack, name, justCreated) {
    let status = 'unknown';
    const { logger } = rack.context;
    const check = async () => {
        const app = await rack.api.getApp(name);
        if (!app) {
            if (justCreated)
                return undefined;
            throw new errors_js_1.ProviderError(`app ${name} disappeared while we waited for it`, { hint: 'did another job stop this preview?' });
        }
        status = app.status;
        if (justCreated && exports.FAILED.has(app.status)) {
            throw new errors_js_1.ProviderError(`create app ${name}: the rack left it in status "${app.status}"`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
        }
        if (app.status === 'deleting')
            throw new errors_js_1.ProviderError(`app ${name} is being deleted`, { hint: 'another job is stopping this preview; run again once it is gone' });
        if (!exports.SETTLED.has(app.status))
            return undefined;
        if (app.status === 'failed')
            logger.warn(`app ${name} is in status "failed"; the next promotion may repair it`);
        if (app.status === 'unknown')
            logger.warn(`the rack reports app ${name} in status "unknown"; going on`);
        return app;
    };
    return sayStatusOnTimeout(name, () => status, (0, retry_js_1.poll)(check, { ...rack.pollOptions(`app ${name} to be running`), onWait: (ms) => logger.progress(`app ${name}: ${status} (${Math.round(ms / 1000)}s)`) }));
}
/** Waits until the rack no longer knows the app. */
async function waitGone(rack, name) {
    let runningSeen = 0;
    await (0, retry_js_1.poll)(async () => {
        const app = await rack.api.getApp(name);
        if (!app)
            return true;
        // A rack that failed to delete puts the app back to running (CloudFormation DELETE_FAILED).
        runningSeen = app.status === 'running' ? runningSeen + 1 : 0;
        if (runningSeen >= 3)
            throw new errors_js_1.ProviderError(`stop: the rack did not delete app ${name}: it is running again`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
        return undefined;
    }, { ...rack.pollOptions(`app ${name} to be deleted`), onWait: (ms) => rack.context.logger.progress(`deleting app ${name} (${Math.round(ms / 1000)}s)`) });
}
/**
 * An empty app may be another run's, between its `POST /apps` and its first release: give that
 * run `claimWait` to write its marks. Answers the app as it is then (still empty when nobody
 * claimed it), or undefined when it went away meanwhile.
 */
async function waitForClaim(rack, state) {
    const name = state.app.name;
    const limit = Math.min(rack.settings.claimWaitMs, rack.context.deadline.remaining());
    const local = new retry_js_1.Deadline(limit, rack.context.deadline.clock);
    rack.context.logger.info(`app ${name} exists without any release or build yet; waiting up to ${Math.round(limit / 1000)}s for the run that created it to mark it`);
    try {
        return await (0, retry_js_1.poll)(async () => {
            const now = await (0, app_state_js_1.inspect)(rack, name);
            if (!now)
                return { gone: true };
            return (0, app_state_js_1.isEmptyApp)(now) ? undefined : { state: now };
        }, rack.pollOptions(`the marks of app ${name}`, local)).then((r) => ('gone' in r ? undefined : r.state));
    }
    catch (error) {
        if (error instanceof errors_js_1.TimeoutError)
            return (await (0, app_state_js_1.inspect)(rack, name)) ?? undefined;
        throw error;
    }
}


/***/ }),

/***/ 311:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.VERSION = void 0;
// Written by scripts/build.mjs from package.json.
exports.VERSION = '0.1.0';


/***/ })

};
