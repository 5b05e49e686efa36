export const id = 294;
export const ids = [294];
export const modules = {

/***/ 8758:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.isWorkload = isWorkload;
exports.replicasOf = replicasOf;
exports.sleepingReplicas = sleepingReplicas;
exports.previewState = previewState;
exports.lastDeployedAt = lastDeployedAt;
exports.stampDeployedAt = stampDeployedAt;
const compare_js_1 = __webpack_require__(672);
const labels_js_1 = __webpack_require__(568);
const render_js_1 = __webpack_require__(9839);
const rollout_js_1 = __webpack_require__(302);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
/** Deployments and StatefulSets: what sleep scales to zero and wake scales back. */
function isWorkload(object) {
    return WORKLOAD_KINDS.has(object.kind);
}
/** `spec.replicas`, which the API server defaults to 1. */
function replicasOf(object) {
    const replicas = object.spec?.replicas;
    return typeof replicas === 'number' ? replicas : 1;
}
/** The replicas a sleeping workload ran before, when sleep recorded them. */
function sleepingReplicas(object) {
    const text = object.metadata.annotations?.[labels_js_1.SLEEPING_REPLICAS_ANNOTATION];
    const n = text === undefined ? Number.NaN : Number(text);
    return Number.isInteger(n) && n > 0 ? n : undefined;
}
/**
 * A preview's state from its workloads: `sleeping` when all of them run zero replicas, `failed`
 * when a rollout passed its progress deadline, `deploying` while one progresses, else `running`;
 * `unknown` without workloads (made by `ensure-app`, never deployed).
 */
function previewState(objects) {
    const workloads = objects.filter(isWorkload);
    if (!workloads.length)
        return 'unknown';
    if (workloads.every((w) => replicasOf(w) === 0))
        return 'sleeping';
    const rollouts = workloads.filter((w) => w.kind === 'Deployment' && replicasOf(w) > 0).map((d) => (0, rollout_js_1.deploymentRollout)(d).state);
    if (rollouts.includes('failed'))
        return 'failed';
    if (rollouts.includes('progressing'))
        return 'deploying';
    return 'running';
}
function applyTime(object) {
    const entries = (object.metadata.managedFields ?? []);
    return entries
        .filter((e) => e.manager === labels_js_1.FIELD_MANAGER && e.operation === 'Apply' && typeof e.time === 'string')
        .map((e) => e.time)
        .sort()
        .at(-1);
}
/** The latest deploy time recorded on the workloads (ISO 8601), or undefined. */
function lastDeployedAt(objects) {
    const times = objects
        .filter(isWorkload)
        .map((w) => w.metadata.annotations?.[labels_js_1.DEPLOYED_AT_ANNOTATION] ?? applyTime(w))
        .filter((t) => typeof t === 'string' && Number.isFinite(Date.parse(t)));
    return times.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}
/**
 * Stamps the deploy time on the workloads about to be applied: a workload that is already as
 * wanted keeps its live time (so a re-run writes nothing); one that will be written gets `now`.
 */
function stampDeployedAt(objects, liveOf, now) {
    return objects.map((object) => {
        if (!isWorkload(object))
            return object;
        const live = liveOf(object);
        const kept = live?.metadata.annotations?.[labels_js_1.DEPLOYED_AT_ANNOTATION];
        const stamp = (at) => ({ ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations ?? {}), [labels_js_1.DEPLOYED_AT_ANNOTATION]: at } } });
        if (kept && (0, compare_js_1.upToDate)((0, render_js_1.withHash)(stamp(kept)), live).equal)
            return stamp(kept);
        return stamp(now);
    });
}


/***/ }),

/***/ 7792:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KindCensus = void 0;
/**
 * What a namespace holds of ours, kind by kind, listed once per run (one label-selector listing per
 * kind). `stop` must look for every kind preview-kit knows — older settings or manifests may have
 * made kinds the current ones do not — and that is eighteen listings per preview. A prune removing
 * hundreds of previews takes this inventory once, then lists per preview only the kinds that hold
 * something of ours (kinds the current settings make are always listed); a dry run plans from the
 * inventory alone, without a call per preview.
 */
const errors_js_1 = __webpack_require__(4296);
const client_js_1 = __webpack_require__(3144);
class KindCensus {
    store;
    selector;
    byNamespace = new Map();
    constructor(store, selector) {
        this.store = store;
        this.selector = selector;
    }
    /** Each type's objects of ours in the namespace, listed on the first call of the run. */
    of(types, namespace) {
        let census = this.byNamespace.get(namespace);
        if (!census) {
            census = this.take(types, namespace);
            this.byNamespace.set(namespace, census);
            // A failed census (network) is taken again by the next caller, not remembered.
            census.catch(() => this.byNamespace.delete(namespace));
        }
        return census;
    }
    async take(types, namespace) {
        const out = new Map();
        for (const type of types) {
            try {
                const items = await this.store.list(type, namespace, this.selector);
                out.set(type, { presence: items.length ? 'some' : 'none', items });
            }
            catch (error) {
                const unserved = error instanceof errors_js_1.ProviderError && error.status === 404;
                if (!(error instanceof client_js_1.ForbiddenError || unserved))
                    throw error;
                out.set(type, { presence: 'unchecked' });
            }
        }
        return out;
    }
}
exports.KindCensus = KindCensus;


/***/ }),

/***/ 3144:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KubeClient = exports.UnauthorizedError = exports.ForbiddenError = void 0;
exports.isStatus = isStatus;
/**
 * A small client for the Kubernetes REST API on node:http(s) — node's fetch cannot present a client
 * certificate or trust a private CA per request. It maps the API's `Status` answers to our error
 * types, retries what is safe to retry, applies the command's deadline and counts requests. The
 * credential is asked for before each request (an exec plugin's may change); after a 401 the
 * source may renew it once and the request is sent once more.
 */
const node_http_1 = __webpack_require__(7067);
const node_https_1 = __webpack_require__(4708);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const labels_js_1 = __webpack_require__(568);
function isStatus(body) {
    return !!body && typeof body === 'object' && body.kind === 'Status';
}
/** A 403: the account lacks RBAC rights for this call. */
class ForbiddenError extends errors_js_1.AuthError {
}
exports.ForbiddenError = ForbiddenError;
/** A 401, with the credential the API refused (to renew it once). */
class UnauthorizedError extends errors_js_1.AuthError {
    credential;
}
exports.UnauthorizedError = UnauthorizedError;
class KubeClient {
    options;
    stats = new http_js_1.RequestStats();
    agent;
    /** The client certificate the pooled TLS connections present. */
    agentCert;
    https;
    base;
    constructor(options) {
        this.options = options;
        this.base = new URL(options.connection.server);
        this.https = this.base.protocol === 'https:';
    }
    get server() {
        return this.options.connection.server;
    }
    /** Releases pooled connections (the CLI exits anyway; tests and library callers want this). */
    close() {
        this.agent?.destroy();
        this.agent = undefined;
    }
    /** A new client certificate needs new TLS connections (client-go closes the old ones too). */
    agentFor(credential) {
        if (this.agent && (!this.https || this.agentCert === credential.cert))
            return this.agent;
        this.agent?.destroy();
        const c = this.options.connection;
        this.agentCert = credential.cert;
        this.agent = this.https
            ? new node_https_1.Agent({
                keepAlive: true,
                ca: c.ca,
                cert: credential.cert,
                key: credential.key,
                rejectUnauthorized: !c.insecureSkipTlsVerify,
                servername: c.tlsServerName,
            })
            : new node_http_1.Agent({ keepAlive: true });
        return this.agent;
    }
    async request(req) {
        try {
            return await this.attempts(req);
        }
        catch (error) {
            if (!(error instanceof UnauthorizedError) || !error.credential)
                throw error;
            if (!(await this.options.credentials.renew(error.credential)))
                throw error;
            return this.attempts(req);
        }
    }
    attempts(req) {
        return (0, retry_js_1.retry)(() => this.once(req), {
            attempts: req.retry === false ? 1 : (this.options.attempts ?? 5),
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 300,
            maxMs: 5_000,
            what: req.what,
            onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${error.message}; attempt ${attempt + 1} in ${delay}ms`),
        });
    }
    /** The object, or undefined when the API says it does not exist (404 with a NotFound Status). */
    async get(path, what) {
        const res = await this.request({ method: 'GET', path, what, allow: [404] });
        if (res.status === 404)
            return this.absent(res.body, what);
        return res.body;
    }
    /** All items of a collection matching the selector, following `continue` tokens. */
    async list(path, what, labelSelector) {
        const items = [];
        let token;
        do {
            const res = await this.request({ method: 'GET', path, what, query: { labelSelector, limit: '500', continue: token } });
            items.push(...(res.body.items ?? []));
            token = res.body.metadata?.continue || undefined;
        } while (token);
        return items;
    }
    /** Server-side apply as our field manager. */
    async apply(path, object, what, force) {
        const res = await this.request({
            method: 'PATCH',
            path,
            query: { fieldManager: labels_js_1.FIELD_MANAGER, force: force ? 'true' : undefined },
            body: JSON.stringify(object),
            contentType: 'application/apply-patch+yaml',
            what,
        });
        return res.body;
    }
    /** Replaces the object (PUT), guarded by the resourceVersion inside it. */
    async replace(path, object, what) {
        const res = await this.request({ method: 'PUT', path, query: { fieldManager: labels_js_1.FIELD_MANAGER }, body: JSON.stringify(object), contentType: 'application/json', what, retry: false });
        return res.body;
    }
    async mergePatch(path, patch, what) {
        const res = await this.request({
            method: 'PATCH',
            path,
            query: { fieldManager: labels_js_1.FIELD_MANAGER },
            body: JSON.stringify(patch),
            contentType: 'application/merge-patch+json',
            what,
        });
        return res.body;
    }
    /** Deletes with the given propagation; false when it was already gone. */
    async delete(path, what, propagationPolicy = 'Foreground') {
        const res = await this.request({
            method: 'DELETE',
            path,
            body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy }),
            contentType: 'application/json',
            what,
            allow: [404],
        });
        if (res.status === 404) {
            this.absent(res.body, what);
            return false;
        }
        return true;
    }
    /** A 404 is "absent" only when the API said NotFound; a bare 404 means the path is not served. */
    absent(body, what) {
        if (isStatus(body) && body.reason === 'NotFound')
            return undefined;
        throw new errors_js_1.ProviderError(`${what}: the API server at ${this.server} does not serve this path (404)`, {
            status: 404,
            hint: 'check the server URL and that the API group is installed',
        });
    }
    async once(req) {
        const credential = await this.options.credentials.get();
        const url = new URL(this.base.toString());
        url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${req.path}`;
        for (const [k, v] of Object.entries(req.query ?? {}))
            if (v !== undefined)
                url.searchParams.set(k, v);
        const headers = { accept: 'application/json', 'user-agent': 'preview-kit' };
        const c = this.options.connection;
        if (credential.token)
            headers.authorization = `Bearer ${credential.token}`;
        else if (credential.basic)
            headers.authorization = `Basic ${Buffer.from(`${credential.basic.username}:${credential.basic.password}`).toString('base64')}`;
        let body;
        if (req.body !== undefined) {
            body = Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
            headers['content-type'] = req.contentType ?? 'application/json';
            headers['content-length'] = String(body.length);
        }
        this.options.deadline.check(req.what);
        const timeout = Math.min(this.options.requestTimeoutMs ?? 30_000, Math.max(1, this.options.deadline.remaining()));
        this.stats.record(req.method);
        this.options.logger.debug(`${req.method} ${url.pathname}${url.search}`);
        const send = this.https ? node_https_1.request : node_http_1.request;
        const agent = this.agentFor(credential);
        return new Promise((resolvePromise, reject) => {
            const unreachable = (why) => new errors_js_1.ProviderError(`${req.what}: Kubernetes API unreachable at ${url.origin}: ${why}`, {
                retryable: true,
                hint: `check the server in ${c.source} and the network`,
            });
            const r = send(url, { method: req.method, headers, agent, timeout }, (res) => {
                const chunks = [];
                res.on('data', (chunk) => chunks.push(chunk));
                res.on('error', (error) => reject(unreachable(error.message)));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    const status = res.statusCode ?? 0;
                    this.options.logger.debug(`→ ${status} ${req.method} ${url.pathname}`);
                    let parsed = text;
                    if (text && /^\s*[[{]/.test(text)) {
                        try {
                            parsed = JSON.parse(text);
                        }
                        catch {
                            parsed = text;
                        }
                    }
                    if ((status >= 200 && status < 300) || req.allow?.includes(status)) {
                        resolvePromise({ status, body: parsed });
                        return;
                    }
                    const error = this.errorFor(req, status, parsed, res.headers['retry-after']);
                    if (error instanceof UnauthorizedError)
                        error.credential = credential;
                    reject(error);
                });
            });
            r.on('timeout', () => r.destroy(new Error(`no answer within ${Math.round(timeout / 1000)}s`)));
            r.on('error', (error) => reject(unreachable(error.code ?? error.message)));
            r.end(body);
        });
    }
    errorFor(req, status, body, retryAfter) {
        const c = this.options.connection;
        const said = isStatus(body) ? body.message || body.reason : typeof body === 'string' ? body.trim().slice(0, 200) : undefined;
        const detail = `${status}${said ? ` ${said}` : ''}`;
        if (status === 401) {
            return new UnauthorizedError(`${req.what}: the Kubernetes API refused the credentials (${detail})`, {
                hint: c.exec ? `the credential of exec plugin ${c.exec.commandText} (${c.source}) was refused: check the plugin's login and the cluster's access entries` : `check the token or client certificate from ${c.source}`,
            });
        }
        if (status === 403) {
            return new ForbiddenError(`${req.what}: forbidden by the Kubernetes API (${detail})`, {
                hint: 'grant the account RBAC rights on this resource in this namespace',
            });
        }
        // Writing into a namespace that does not exist: the API names the namespace, not the object.
        if (status === 404 && isStatus(body) && body.reason === 'NotFound' && body.details?.kind === 'namespaces') {
            const ns = body.details.name ?? '';
            return new errors_js_1.ConfigError(`${req.what}: namespace "${ns}" does not exist`, {
                hint: `create it with \`kubectl create namespace ${ns}\`, choose another with --namespace / K8S_NAMESPACE, or use --namespace-per-preview`,
            });
        }
        if (status === 409)
            return new errors_js_1.ConflictError(`${req.what}: conflict (${detail})`, { status });
        if (status === 422 || status === 400) {
            const causes = isStatus(body) ? (body.details?.causes ?? []).map((cause) => `${cause.field ?? ''} ${cause.message ?? ''}`.trim()) : [];
            return new errors_js_1.ProviderError(`${req.what}: the Kubernetes API rejected it (${detail})`, {
                status,
                hint: causes.length ? causes.join('; ') : 'check the rendered object or your manifests',
            });
        }
        const retryable = status === 429 || status >= 500;
        const after = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
        return new errors_js_1.ProviderError(`${req.what}: the Kubernetes API answered ${detail}`, {
            status,
            retryable,
            retryAfterSeconds: Number.isFinite(after) ? Math.min(after, 60) : undefined,
        });
    }
}
exports.KubeClient = KubeClient;


/***/ }),

/***/ 1621:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Cluster = void 0;
const client_js_1 = __webpack_require__(3144);
const credentials_js_1 = __webpack_require__(3045);
const database_js_1 = __webpack_require__(70);
const exec_credential_js_1 = __webpack_require__(442);
const kubeconfig_js_1 = __webpack_require__(8876);
const objects_js_1 = __webpack_require__(2343);
const settings_js_1 = __webpack_require__(9230);
/** Our own secrets' variables: an exec plugin inherits the environment, but never needs these. */
const WITHHELD = settings_js_1.kubernetesOptions.filter((o) => o.secret).flatMap((o) => o.env ?? []);
class Cluster {
    settings;
    context;
    tuning;
    pollInitialMs;
    pollMaxMs;
    connectionValue;
    clientValue;
    storeValue;
    databaseValue;
    constructor(settings, context, tuning = {}) {
        this.settings = settings;
        this.context = context;
        this.tuning = tuning;
        this.pollInitialMs = tuning.pollInitialMs ?? 500;
        this.pollMaxMs = tuning.pollMaxMs ?? 5_000;
        context.logger.addSecret(settings.token);
        if (settings.databaseUrl)
            context.logger.addSecret(settings.databaseUrl);
    }
    get connection() {
        if (!this.connectionValue) {
            const c = (0, kubeconfig_js_1.resolveConnection)(this.settings, this.tuning.files ?? kubeconfig_js_1.nodeFiles);
            this.context.logger.addSecret(c.token);
            this.context.logger.addSecret(c.basic?.password);
            this.context.logger.addSecret(c.key?.toString('utf8'));
            const via = c.exec ? `, credentials from exec plugin ${c.exec.commandText}` : '';
            this.context.logger.debug(`Kubernetes API ${c.server} from ${c.source}${via}`);
            this.connectionValue = c;
        }
        return this.connectionValue;
    }
    credentials(connection) {
        if (!connection.exec)
            return (0, credentials_js_1.fixedCredentials)(connection);
        return new exec_credential_js_1.ExecCredentials({
            plugin: connection.exec,
            logger: this.context.logger,
            deadline: this.context.deadline,
            withheld: WITHHELD,
            ...(this.tuning.environ ? { environ: this.tuning.environ } : {}),
        });
    }
    get client() {
        this.clientValue ??= new client_js_1.KubeClient({
            connection: this.connection,
            credentials: this.credentials(this.connection),
            logger: this.context.logger,
            deadline: this.context.deadline,
            requestTimeoutMs: this.tuning.requestTimeoutMs,
            backoffMs: this.pollInitialMs,
        });
        return this.clientValue;
    }
    get store() {
        this.storeValue ??= new objects_js_1.ObjectStore({
            client: this.client,
            plan: this.context.plan,
            logger: this.context.logger,
            deadline: this.context.deadline,
            pollInitialMs: this.pollInitialMs,
            pollMaxMs: this.pollMaxMs,
        });
        return this.storeValue;
    }
    get database() {
        if (!this.settings.databaseUrl)
            return undefined;
        this.databaseValue ??= new database_js_1.PreviewDatabase({
            adminUrl: this.settings.databaseUrl,
            appHost: this.settings.databaseAppHost,
            logger: this.context.logger,
            plan: this.context.plan,
            deadline: this.context.deadline,
            adopt: this.context.adopt,
        });
        return this.databaseValue;
    }
    /** The namespace of a preview: its own with --namespace-per-preview, else the shared one. */
    namespaceOf(name) {
        if (this.settings.namespacePerPreview)
            return name;
        return this.settings.namespace ?? this.connection.namespace ?? 'default';
    }
    /** Requests made so far, by method, once a request was made. */
    get stats() {
        return this.clientValue?.stats;
    }
    close() {
        this.clientValue?.close();
    }
}
exports.Cluster = Cluster;


/***/ }),

/***/ 672:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.stableStringify = stableStringify;
exports.hashOf = hashOf;
exports.desiredHash = desiredHash;
exports.parseQuantity = parseQuantity;
exports.driftPaths = driftPaths;
exports.upToDate = upToDate;
/**
 * Deciding whether an object needs a write. We hash what we apply and store the hash on the object;
 * on the next run an equal hash means "same desired state". Because someone may have edited the
 * object since, we also check that every field we declare still has our value in the live object
 * (the live object is a superset: the API server adds defaults and status). Values the API server
 * rewrites into a canonical form (quantities, int-or-string ports) compare by meaning.
 */
const node_crypto_1 = __webpack_require__(7598);
const labels_js_1 = __webpack_require__(568);
function canonical(value) {
    if (Array.isArray(value))
        return value.map(canonical);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value)
            .sort()
            .filter((k) => value[k] !== undefined)
            .map((k) => [k, canonical(value[k])]));
    }
    return value;
}
function stableStringify(value) {
    return JSON.stringify(canonical(value));
}
function hashOf(value) {
    return (0, node_crypto_1.createHash)('sha256').update(stableStringify(value)).digest('hex').slice(0, 32);
}
/**
 * Hash of the desired object, ignoring the hash annotation itself and the deploy time: a deploy
 * keeps the live time when nothing else changes, so the time must not make the hashes differ.
 */
function desiredHash(object) {
    const annotations = { ...(object.metadata.annotations ?? {}) };
    delete annotations[labels_js_1.HASH_ANNOTATION];
    delete annotations[labels_js_1.DEPLOYED_AT_ANNOTATION];
    return hashOf({ ...object, metadata: { ...object.metadata, annotations } });
}
const SUFFIX = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
};
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;
/** The numeric value of a Kubernetes quantity (`500m` → 0.5, `1Gi` → 1073741824), or undefined. */
function parseQuantity(text) {
    const m = QUANTITY.exec(text);
    if (!m)
        return undefined;
    const base = Number(m[1]);
    if (m[2])
        return base * 10 ** Number(m[2].slice(1));
    return base * SUFFIX[m[3] ?? ''];
}
function scalarEqual(want, have) {
    if (want === have)
        return true;
    if ((typeof want === 'string' || typeof want === 'number') && (typeof have === 'string' || typeof have === 'number')) {
        if (String(want) === String(have))
            return true;
        const a = parseQuantity(String(want));
        const b = parseQuantity(String(have));
        return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
    }
    return false;
}
/**
 * The paths where the live object differs from what we declared: a field missing or with another
 * value. Extra fields in the live object (defaults, status, other managers' fields) are fine.
 */
function driftPaths(want, have, path = '') {
    if (want === null || want === undefined)
        return [];
    if (Array.isArray(want)) {
        if (want.length === 0 && (have === undefined || have === null))
            return [];
        if (!Array.isArray(have) || have.length !== want.length)
            return [path || '.'];
        return want.flatMap((w, i) => driftPaths(w, have[i], `${path}[${i}]`));
    }
    if (typeof want === 'object') {
        if (!have || typeof have !== 'object' || Array.isArray(have)) {
            // An empty map we declare may be dropped by the server: nothing of ours is missing.
            return Object.keys(want).length === 0 ? [] : [path || '.'];
        }
        return Object.entries(want).flatMap(([k, w]) => driftPaths(w, have[k], `${path}.${k}`));
    }
    return scalarEqual(want, have) ? [] : [path];
}
/** Whether the live object already is what we want: same applied hash and no drift in our fields. */
function upToDate(desired, live) {
    if (!live)
        return { equal: false, drift: [] };
    if (live.metadata.annotations?.[labels_js_1.HASH_ANNOTATION] !== desired.metadata.annotations?.[labels_js_1.HASH_ANNOTATION])
        return { equal: false, drift: [] };
    const { status: _status, ...want } = desired;
    // The deploy time is never drift: it is kept from the live object unless something else changes.
    const annotations = { ...(want.metadata.annotations ?? {}) };
    delete annotations[labels_js_1.DEPLOYED_AT_ANNOTATION];
    const drift = driftPaths({ ...want, metadata: { ...want.metadata, annotations } }, live);
    return { equal: drift.length === 0, drift };
}


/***/ }),

/***/ 3045:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.fixedCredentials = fixedCredentials;
/** The kubeconfig's or the flags' own credential: nothing to renew. */
function fixedCredentials(connection) {
    const credential = {
        ...(connection.token ? { token: connection.token } : {}),
        ...(connection.basic ? { basic: connection.basic } : {}),
        ...(connection.cert && connection.key ? { cert: connection.cert, key: connection.key } : {}),
    };
    return { get: async () => credential, renew: async () => false };
}


/***/ }),

/***/ 6765:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.databaseComment = databaseComment;
exports.databaseMarks = databaseMarks;
exports.databaseName = databaseName;
/**
 * The ownership mark of a per-preview PostgreSQL database and role: a COMMENT holding our marker,
 * the identity key and the readable identity, e.g.
 * `preview-kit key=0123456789abcdef0123 identity={"project":"shop","branch":"main"}`.
 * A comment that starts with the marker but has no key (made before identities were recorded) is
 * another preview's: it is never changed or dropped.
 */
const identity_js_1 = __webpack_require__(4845);
const types_js_1 = __webpack_require__(2695);
const IDENTITY = ' identity=';
function databaseComment(owner) {
    return `${types_js_1.OWNER_MARKER} key=${owner.key}${IDENTITY}${(0, identity_js_1.identityJson)(owner.identity)}`;
}
function databaseMarks(comment) {
    if (!comment || !comment.startsWith(types_js_1.OWNER_MARKER))
        return { marker: false };
    const key = / key=([0-9a-f]+)/.exec(comment)?.[1];
    const at = comment.indexOf(IDENTITY);
    const identity = at >= 0 ? (0, identity_js_1.parseIdentityJson)(comment.slice(at + IDENTITY.length)) : undefined;
    return { marker: true, ...(key && identity_js_1.KEY_PATTERN.test(key) ? { key } : {}), ...(identity ? { identity } : {}) };
}
/** Database and role name of a preview: the preview name with `-` as `_`. */
function databaseName(preview) {
    return preview.replace(/-/g, '_');
}


/***/ }),

/***/ 70:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.PreviewDatabase = void 0;
/**
 * A per-preview PostgreSQL database and role on a shared server, through the `pg` client (pure
 * JavaScript: no psql needed on the runner, parameterised lookups, SQLSTATE codes to decide on).
 * Both carry the preview's identity in a COMMENT (database-marks.ts) and go through the one
 * reconcile algorithm: another preview's or an unmarked one is refused on `up` (unless adopting
 * an unmarked one) and left alone by `stop`. The role is created with its comment in one
 * transaction; a database is created, then commented — one left unmarked by an interrupt is
 * provably ours when our role owns it, and is repaired. A session lock per preview serialises
 * concurrent runs from the role's password to the Secret that hands it to the app.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const reconcile_js_1 = __webpack_require__(2698);
const database_marks_js_1 = __webpack_require__(6765);
function sqlState(error) {
    return error?.code;
}
class PreviewDatabase {
    options;
    constructor(options) {
        this.options = options;
        options.logger.addSecret(options.adminUrl);
        try {
            options.logger.addSecret(decodeURIComponent(new URL(options.adminUrl).password));
        }
        catch {
            throw new errors_js_1.ConfigError('invalid settings: --database-url: not a valid connection URL');
        }
    }
    async connect() {
        const { default: pg } = await __webpack_require__.e(/* import() */ 849).then(__webpack_require__.bind(__webpack_require__, 3849));
        const remaining = Math.max(1_000, Math.min(15_000, this.options.deadline.remaining()));
        const client = new pg.Client({ connectionString: this.options.adminUrl, connectionTimeoutMillis: remaining, query_timeout: 30_000 });
        // An error event after connect (server restart) must not crash the process.
        client.on('error', (error) => this.options.logger.debug(`database connection: ${error.message}`));
        try {
            await client.connect();
        }
        catch (error) {
            await client.end().catch(() => undefined);
            throw this.wrap(error, 'connect to the database server');
        }
        return client;
    }
    wrap(error, what) {
        if (error instanceof errors_js_1.ProviderError || error instanceof errors_js_1.SafetyError || error instanceof errors_js_1.AuthError || error instanceof errors_js_1.ConfigError)
            return error;
        const state = sqlState(error);
        const message = error.message;
        if (state === '28P01' || state === '28000') {
            return new errors_js_1.AuthError(`${what}: PostgreSQL refused the credentials (${message})`, { hint: 'check --database-url' });
        }
        if (state === '42501') {
            return new errors_js_1.AuthError(`${what}: PostgreSQL permission denied (${message})`, { hint: 'the --database-url user needs CREATEDB and CREATEROLE' });
        }
        const code = error.code;
        const network = code !== undefined && /^E[A-Z]+$/.test(code);
        return new errors_js_1.ProviderError(`${what}: ${message || code}`, {
            retryable: network,
            hint: network ? 'check that the database server in --database-url is reachable' : undefined,
            cause: error,
        });
    }
    async withClient(what, fn) {
        const client = await this.connect();
        try {
            return await fn(client);
        }
        catch (error) {
            throw this.wrap(error, what);
        }
        finally {
            await client.end().catch(() => undefined);
        }
    }
    context(owner) {
        const o = this.options;
        return { plan: o.plan, logger: o.logger, deadline: o.deadline, adopt: o.adopt, identity: owner.identity, preview: owner.name };
    }
    /** Hooks of the role; `password` receives the one a create sets. */
    roleHooks(client, owner, password) {
        const name = (0, database_marks_js_1.databaseName)(owner.name);
        const ident = client.escapeIdentifier(name);
        const comment = client.escapeLiteral((0, database_marks_js_1.databaseComment)(owner));
        return {
            noun: 'PostgreSQL role',
            name,
            uniqueNames: true,
            list: async () => (await client.query(`SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [name])).rows.map((r) => ({ name: r.name, comment: r.comment ?? undefined })),
            id: (r) => r.name,
            marks: (r) => (0, database_marks_js_1.databaseMarks)(r.comment),
            needsRepair: (r) => (0, database_marks_js_1.databaseMarks)(r.comment).identity === undefined,
            create: async () => {
                const pw = (0, node_crypto_1.randomBytes)(24).toString('base64url');
                this.options.logger.addSecret(pw);
                // Role and mark in one transaction: no run ever sees our role unmarked.
                await client.query('BEGIN');
                try {
                    await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
                    await client.query(`COMMENT ON ROLE ${ident} IS ${comment}`);
                    await client.query('COMMIT');
                }
                catch (error) {
                    await client.query('ROLLBACK').catch(() => undefined);
                    throw error;
                }
                password.value = pw;
                return { name, comment: (0, database_marks_js_1.databaseComment)(owner) };
            },
            planned: () => ({ name, comment: (0, database_marks_js_1.databaseComment)(owner) }),
            remove: async () => {
                await client.query(`DROP ROLE IF EXISTS ${ident}`);
            },
            mark: async (r) => {
                await client.query(`COMMENT ON ROLE ${ident} IS ${comment}`);
                return { ...r, comment: (0, database_marks_js_1.databaseComment)(owner) };
            },
            isNameTaken: (error) => sqlState(error) === '42710',
        };
    }
    /** Hooks of the database; an unmarked one owned by our own role is provably ours. */
    databaseHooks(client, owner, roleIsOurs) {
        const name = (0, database_marks_js_1.databaseName)(owner.name);
        const ident = client.escapeIdentifier(name);
        const comment = client.escapeLiteral((0, database_marks_js_1.databaseComment)(owner));
        return {
            noun: 'PostgreSQL database',
            name,
            uniqueNames: true,
            list: async () => (await client.query(`SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [name])).rows.map((r) => ({ name: r.name, comment: r.comment ?? undefined, owner: r.owner })),
            id: (r) => r.name,
            marks: (r) => (0, database_marks_js_1.databaseMarks)(r.comment),
            needsRepair: (r) => (0, database_marks_js_1.databaseMarks)(r.comment).identity === undefined,
            provablyOurs: (r) => roleIsOurs && r.owner === name,
            create: async () => {
                // The admin must be able to act as the new role to make it the owner (PostgreSQL 16+).
                await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
                await client.query(`CREATE DATABASE ${ident} OWNER ${ident}`);
                await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
                await client.query(`COMMENT ON DATABASE ${ident} IS ${comment}`);
                return { name, comment: (0, database_marks_js_1.databaseComment)(owner), owner: name };
            },
            planned: () => ({ name, comment: (0, database_marks_js_1.databaseComment)(owner), owner: name }),
            remove: async () => {
                await client.query(`DROP DATABASE IF EXISTS ${ident}`);
            },
            mark: async (r) => {
                await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
                if (r.owner !== name)
                    await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
                await client.query(`COMMENT ON DATABASE ${ident} IS ${comment}`);
                return { ...r, comment: (0, database_marks_js_1.databaseComment)(owner), owner: name };
            },
            isNameTaken: (error) => sqlState(error) === '42P04',
        };
    }
    /** What `ensure` would refuse, without changing anything: checked before a run's first write. */
    async refusal(owner) {
        return this.withClient(`look up the database of ${owner.name}`, async (client) => {
            const ctx = this.context(owner);
            const roleHooks = this.roleHooks(client, owner, {});
            const role = await (0, reconcile_js_1.lookup)(roleHooks, ctx);
            const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
            return (0, reconcile_js_1.refusal)(role, roleHooks, ctx) ?? (0, reconcile_js_1.refusal)(await (0, reconcile_js_1.lookup)(dbHooks, ctx), dbHooks, ctx);
        });
    }
    /**
     * Finds or creates the role and the database, and stores the app's connection string. Runs of
     * the same preview take turns (a session lock), so the password in the Secret is always the
     * role's: the Secret is read and written inside the turn.
     */
    async ensure(owner, url) {
        return this.withClient(`create the database of ${owner.name}`, async (client) => {
            const name = (0, database_marks_js_1.databaseName)(owner.name);
            await client.query('SELECT pg_advisory_lock(hashtext($1))', [`preview-kit:${name}`]);
            const stored = await url.read();
            const ctx = this.context(owner);
            const created = { value: undefined };
            const roleHooks = this.roleHooks(client, owner, created);
            const role = await (0, reconcile_js_1.lookup)(roleHooks, ctx);
            const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
            const database = await (0, reconcile_js_1.lookup)(dbHooks, ctx);
            // Both judged before either is written: a refused database must not leave a new role behind.
            const refused = (0, reconcile_js_1.refusal)(role, roleHooks, ctx) ?? (0, reconcile_js_1.refusal)(database, dbHooks, ctx);
            if (refused)
                throw refused;
            const roleDone = await (0, reconcile_js_1.ensureResource)(roleHooks, ctx, role);
            let password = roleDone.created ? created.value : PreviewDatabase.passwordOf(stored);
            let changed = roleDone.changed;
            if (!password || roleDone.how === 'adopted') {
                const pw = (0, node_crypto_1.randomBytes)(24).toString('base64url');
                this.options.logger.addSecret(pw);
                await this.options.plan.apply({ kind: 'update', target: `PostgreSQL role ${name}`, detail: 'new password' }, () => client.query(`ALTER ROLE ${client.escapeIdentifier(name)} LOGIN PASSWORD ${client.escapeLiteral(pw)}`), undefined);
                password = pw;
                changed = true;
            }
            const dbDone = await (0, reconcile_js_1.ensureResource)(dbHooks, ctx, database);
            const appUrl = this.appUrl(name, password ?? '');
            this.options.logger.addSecret(appUrl);
            await url.write(appUrl);
            await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`preview-kit:${name}`]);
            return { created: roleDone.created || dbDone.created, changed: changed || dbDone.changed };
        });
    }
    /**
     * Drops the preview's database (after ending its connections) and role. Another preview's or an
     * unmarked one is left alone with a warning.
     */
    async drop(owner) {
        return this.withClient(`drop the database of ${owner.name}`, async (client) => {
            const ctx = this.context(owner);
            const roleHooks = this.roleHooks(client, owner, {});
            const role = await (0, reconcile_js_1.lookup)(roleHooks, ctx);
            const dbHooks = this.databaseHooks(client, owner, role.ours.length + role.repairable.length > 0);
            const removed = [];
            for (const target of (0, reconcile_js_1.teardownTargets)(await (0, reconcile_js_1.lookup)(dbHooks, ctx), dbHooks, ctx)) {
                const ident = client.escapeIdentifier(target.id);
                await this.options.plan.apply({ kind: 'delete', target: `PostgreSQL database ${target.id}` }, async () => {
                    // Connections (the app's, a stuck migration) would make DROP DATABASE fail.
                    await client.query(`ALTER DATABASE ${ident} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
                    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [target.id]);
                    await client.query(`DROP DATABASE IF EXISTS ${ident}`);
                }, undefined);
                removed.push(`database ${target.id}`);
            }
            for (const target of (0, reconcile_js_1.teardownTargets)(role, roleHooks, ctx)) {
                await this.options.plan.apply({ kind: 'delete', target: `PostgreSQL role ${target.id}` }, async () => {
                    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`, [target.id]);
                    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(target.id)}`);
                }, undefined);
                removed.push(`role ${target.id}`);
            }
            return { removed };
        });
    }
    /** The preview's own connection string, on the host the app reaches. */
    appUrl(database, password) {
        const admin = new URL(this.options.adminUrl);
        const url = new URL(`postgresql://${this.options.appHost ?? admin.host}/`);
        url.username = encodeURIComponent(database);
        url.password = encodeURIComponent(password);
        url.pathname = `/${encodeURIComponent(database)}`;
        url.search = admin.search;
        return url.toString();
    }
    /** The role password inside a connection string we stored earlier. */
    static passwordOf(url) {
        if (!url)
            return undefined;
        try {
            const password = decodeURIComponent(new URL(url).password);
            return password || undefined;
        }
        catch {
            return undefined;
        }
    }
}
exports.PreviewDatabase = PreviewDatabase;


/***/ }),

/***/ 3288:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.deployPreview = deployPreview;
/**
 * `deploy`: the workloads with the commit on their pod template — so that an unchanged image tag
 * still rolls out — and the hash of the Secrets they read, then a wait for the rollout as
 * `kubectl rollout status` waits. Everything comes from the call's spec, so a lone `deploy`
 * renders exactly what the same `up` would. A sleeping preview is woken first (sleep.ts), and every
 * workload written or woken gets the deploy time that `list` reads (activity.ts).
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const activity_js_1 = __webpack_require__(8758);
const client_js_1 = __webpack_require__(3144);
const ensure_js_1 = __webpack_require__(6717);
const find_js_1 = __webpack_require__(4796);
const labels_js_1 = __webpack_require__(568);
const ownership_js_1 = __webpack_require__(3502);
const render_js_1 = __webpack_require__(9839);
const resources_js_1 = __webpack_require__(6258);
const rollout_js_1 = __webpack_require__(302);
const sleep_js_1 = __webpack_require__(540);
const targets_js_1 = __webpack_require__(4129);
const templateAnnotations = (d) => d?.spec?.template?.metadata?.annotations ?? {};
async function deployPreview(cluster, preview, spec, source) {
    const { store, context } = cluster;
    const owner = (0, targets_js_1.ownerOf)(spec);
    const name = spec.name;
    const base = (0, targets_js_1.renderContext)(cluster, spec);
    const envSecret = (0, render_js_1.secretObject)(base, (0, render_js_1.envSecretName)(name), spec.env, 'env');
    // The database Secret as it is (ensure wrote it): its content goes into the config hash.
    let dbSecret;
    if (cluster.database) {
        const live = await store.get((0, find_js_1.typeOf)('Secret'), base.namespace, (0, render_js_1.databaseSecretName)(name));
        if (live && (0, find_js_1.isOwn)(live, spec))
            dbSecret = (0, render_js_1.secretObject)(base, (0, render_js_1.databaseSecretName)(name), {}, 'database');
        if (dbSecret)
            dbSecret.data = live.data;
    }
    const configHash = (0, render_js_1.configHashOf)([envSecret, ...(dbSecret ? [dbSecret] : [])]);
    const databaseSecret = dbSecret ? (0, render_js_1.databaseSecretName)(name) : undefined;
    const probe = (0, targets_js_1.render)(cluster, { ...base, commit: source.commit, configHash, databaseSecret }).filter((o) => (0, targets_js_1.phaseOf)(o) === 'deploy');
    if (!probe.length)
        throw new errors_js_1.ProviderError(`deploy ${name}: nothing to deploy`, { hint: 'the manifests hold no Deployment or other workload' });
    const guarded = await (0, ownership_js_1.guardTargets)(store, probe, owner, { identity: owner.identity, adopt: context.adopt, logger: context.logger });
    // A sleeping preview wakes first: its pods come back with the template they had.
    const woken = await (0, sleep_js_1.wakeWorkloads)(cluster, guarded.map((g) => g.live));
    const lives = new Map(guarded.map((g) => [`${g.object.kind}/${g.object.metadata.name}`, g.live]));
    for (const [key, object] of woken)
        lives.set(key, object);
    const liveOf = (o) => lives.get(`${o.kind}/${o.metadata.name}`);
    // Keep the restart marker of the live pods unless --force asks for a new one.
    const live = guarded.filter((g) => g.object.kind === 'Deployment').map((g) => liveOf(g.object));
    const sameCommit = live.length > 0 && live.every((d) => templateAnnotations(d)[labels_js_1.COMMIT_ANNOTATION] === source.commit);
    let restartedAt = templateAnnotations(live[0])[labels_js_1.RESTARTED_AT_ANNOTATION];
    if (source.force && sameCommit)
        restartedAt = new Date().toISOString();
    const rendered = (0, targets_js_1.render)(cluster, { ...base, commit: source.commit, configHash, restartedAt, databaseSecret }).filter((o) => (0, targets_js_1.phaseOf)(o) === 'deploy');
    const objects = (0, activity_js_1.stampDeployedAt)(rendered, liveOf, new Date().toISOString());
    const outcomes = await (0, ensure_js_1.applyGuarded)(cluster, objects.map((object) => ({ object, live: liveOf(object) })), owner);
    const wrote = outcomes.some((o) => o.action !== 'unchanged') || woken.size > 0;
    const url = preview.url || (0, find_js_1.previewFrom)(name, base.namespace, [], spec.domains).url;
    const short = source.commit.slice(0, 12);
    if (context.plan.dryRun)
        return { deployed: wrote, url, ...(wrote ? {} : { reason: `commit ${short} already live` }) };
    const statuses = [];
    const waiter = new RolloutWaiter(cluster);
    for (const o of outcomes.filter((x) => x.object.kind === 'Deployment'))
        statuses.push(await waiter.wait(o.object, source.commit));
    const state = statuses.every((s) => s.state === 'complete') ? 'ok' : 'running';
    const first = objects.find((o) => o.kind === 'Deployment');
    const deployment = { id: `${base.namespace}/${first?.metadata.name ?? name}`, state, commit: source.commit };
    if (!wrote)
        return { deployed: false, url, reason: `commit ${short} already live`, deployment };
    return { deployed: true, url, deployment };
}
/** Waits for rollouts; one per deploy call, so that a warning about pods is said once per call. */
class RolloutWaiter {
    cluster;
    warnedPods = false;
    constructor(cluster) {
        this.cluster = cluster;
    }
    /** Polls the Deployment until `kubectl rollout status` would say done; fails fast on pods that cannot start. */
    async wait(deployment, commit) {
        const { store, context, settings } = this.cluster;
        const namespace = deployment.metadata.namespace;
        const name = deployment.metadata.name;
        const what = `rollout of Deployment ${namespace}/${name}`;
        const selector = podSelector(deployment);
        let fatalPolls = 0;
        // What the pods said at the last look: once the deadline has passed no request can be made.
        let lastPods = '';
        try {
            return await (0, retry_js_1.poll)(async () => {
                const live = await store.get((0, find_js_1.typeOf)('Deployment'), namespace, name);
                if (!live)
                    throw new errors_js_1.ProviderError(`${what}: the Deployment disappeared`, { hint: 'another job may have stopped this preview; run up again to recreate it' });
                const status = (0, rollout_js_1.deploymentRollout)(live);
                context.logger.progress(`${name}: ${status.message}`);
                if (status.state === 'complete')
                    return status;
                if (status.state === 'failed')
                    throw await this.failure(what, status.message, namespace, selector, commit);
                if (status.message.includes('spec update'))
                    return undefined;
                // Old pods may still be available while the new ones cannot start: look at the pods.
                const pods = await this.pods(namespace, selector);
                lastPods = (0, rollout_js_1.describeProblems)((0, rollout_js_1.notReadyPods)(pods, commit));
                if (settings.rolloutFailFast && status.updated > 0) {
                    const problems = (0, rollout_js_1.podProblems)(pods, commit).filter((p) => p.current && rollout_js_1.FATAL_WAITING_REASONS.has(p.reason));
                    // Seen twice in a row: a pull retry or a single crash is not yet a verdict.
                    fatalPolls = problems.length ? fatalPolls + 1 : 0;
                    if (fatalPolls >= 2)
                        throw new errors_js_1.ProviderError(`${what} failed: ${(0, rollout_js_1.describeProblems)(problems)}`, { hint: 'check the image and the app logs (kubectl logs)' });
                }
                return undefined;
            }, { deadline: context.deadline, what, initialMs: this.cluster.pollInitialMs, maxMs: this.cluster.pollMaxMs });
        }
        catch (error) {
            if (error instanceof errors_js_1.TimeoutError) {
                const problems = lastPods || (await this.problems(namespace, selector, commit).catch(() => ''));
                throw new errors_js_1.TimeoutError(`${error.message}${problems ? `: ${problems}` : ''}`, {
                    hint: problems ? 'check the image, the readiness probe and the app logs (kubectl describe pod / kubectl logs), or raise --timeout' : error.hint,
                });
            }
            throw error;
        }
    }
    /** The pods, or none when the account may not list them: the Deployment's status still decides. */
    async pods(namespace, selector) {
        try {
            return await this.cluster.store.list(resources_js_1.DERIVED_TYPES[1], namespace, selector);
        }
        catch (error) {
            if (!(error instanceof client_js_1.ForbiddenError))
                throw error;
            if (!this.warnedPods)
                this.cluster.context.logger.warn(`cannot list pods in ${namespace} (forbidden): a failing rollout will be seen only at its progress deadline, without the pods' reasons`);
            this.warnedPods = true;
            return [];
        }
    }
    async problems(namespace, selector, commit) {
        const problems = (0, rollout_js_1.podProblems)(await this.pods(namespace, selector), commit);
        return (0, rollout_js_1.describeProblems)(problems.filter((p) => p.current).length ? problems.filter((p) => p.current) : problems);
    }
    async failure(what, message, namespace, selector, commit) {
        const problems = await this.problems(namespace, selector, commit);
        return new errors_js_1.ProviderError(`${what} failed: ${message}${problems ? `: ${problems}` : ''}`, { hint: 'check the image and the app logs (kubectl logs)' });
    }
}
function podSelector(deployment) {
    const matchLabels = deployment.spec?.selector?.matchLabels ?? {};
    return Object.entries(matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}


/***/ }),

/***/ 6717:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.applyGuarded = applyGuarded;
exports.ensurePreview = ensurePreview;
exports.setPreviewDomains = setPreviewDomains;
const find_js_1 = __webpack_require__(4796);
const labels_js_1 = __webpack_require__(568);
const objects_js_1 = __webpack_require__(2343);
const ownership_js_1 = __webpack_require__(3502);
const render_js_1 = __webpack_require__(9839);
const protection_js_1 = __webpack_require__(3976);
const sleep_js_1 = __webpack_require__(540);
const targets_js_1 = __webpack_require__(4129);
/** Applies guarded objects in table order; says what changed (not in a dry run: nothing did). */
async function applyGuarded(cluster, guarded, owner) {
    const byObject = new Map(guarded.map((g) => [g.object, g.live]));
    const outcomes = [];
    for (const object of (0, targets_js_1.sortForApply)(guarded.map((g) => g.object))) {
        const outcome = await cluster.store.apply(object, owner, { live: byObject.get(object) });
        if (outcome.action !== 'unchanged' && !cluster.context.plan.dryRun)
            cluster.context.logger.info(`${outcome.action} ${(0, objects_js_1.describeObject)(object)}`);
        outcomes.push(outcome);
    }
    return outcomes;
}
function judge(cluster, owner) {
    return { identity: owner.identity, adopt: cluster.context.adopt, logger: cluster.context.logger };
}
/** The database and the Secret that hands its URL to the app, inside the database's turn. */
async function ensureDatabase(cluster, ctx, owner) {
    const db = cluster.database;
    if (!db)
        return { changed: false };
    const env = cluster.settings.databaseEnv;
    const name = (0, render_js_1.databaseSecretName)(ctx.name);
    let outcome;
    let live;
    const result = await db.ensure(owner, {
        // Read again inside the turn: a run that went before may just have written it.
        read: async () => {
            [{ live }] = (await (0, ownership_js_1.guardTargets)(cluster.store, [(0, render_js_1.secretObject)(ctx, name, {}, 'database')], owner, judge(cluster, owner)));
            const stored = live?.data?.[env];
            const url = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
            cluster.context.logger.addSecret(url);
            return url;
        },
        write: async (url) => {
            [outcome] = await applyGuarded(cluster, [{ object: (0, render_js_1.secretObject)(ctx, name, { [env]: url }, 'database'), live }], owner);
        },
    });
    return { outcome, changed: result.changed };
}
async function ensurePreview(cluster, spec) {
    const owner = (0, targets_js_1.ownerOf)(spec);
    const ctx = (0, targets_js_1.renderContext)(cluster, spec);
    // Renders the workloads too: a missing --image or a bad template is a usage error found here.
    const guarded = await (0, ownership_js_1.guardTargets)(cluster.store, (0, targets_js_1.upTargets)(cluster, ctx), owner, judge(cluster, owner));
    const refused = await cluster.database?.refusal(owner);
    if (refused)
        throw refused;
    // The database and basic-auth Secrets are written in their own turns (below, and setDomains).
    const later = new Set([(0, render_js_1.databaseSecretName)(ctx.name), (0, protection_js_1.basicAuthName)(ctx.name)]);
    const own = guarded.filter((g) => (0, targets_js_1.phaseOf)(g.object) === 'ensure' && !(g.object.kind === 'Secret' && later.has(g.object.metadata.name)));
    // The Namespace first: the database Secret is read and written in it.
    const outcomes = await applyGuarded(cluster, own.filter((g) => g.object.kind === 'Namespace'), owner);
    const db = await ensureDatabase(cluster, ctx, owner);
    if (db.outcome)
        outcomes.push(db.outcome);
    outcomes.push(...(await applyGuarded(cluster, own.filter((g) => g.object.kind !== 'Namespace'), owner)));
    // A sleeping preview wakes here already; `deploy` waits for its pods.
    const woken = await (0, sleep_js_1.wakeWorkloads)(cluster, guarded.filter((g) => (0, targets_js_1.phaseOf)(g.object) === 'deploy').map((g) => g.live));
    const created = outcomes.every((o) => o.action === 'created');
    const changed = db.changed || woken.size > 0 || outcomes.some((o) => o.action !== 'unchanged');
    return { preview: (0, find_js_1.previewFrom)(spec.name, ctx.namespace, outcomes.map((o) => o.object), spec.domains), created, changed };
}
async function setPreviewDomains(cluster, _preview, spec) {
    const owner = (0, targets_js_1.ownerOf)(spec);
    const ctx = (0, targets_js_1.renderContext)(cluster, spec);
    const { store, context } = cluster;
    const ingresses = (0, targets_js_1.routesOf)(cluster, ctx, context.logger);
    if (spec.basicAuth && !ingresses.length)
        context.logger.warn(`--basic-auth: ${spec.name} has no Ingress (no --domain), so there is no route to protect`);
    const guarded = await (0, ownership_js_1.guardTargets)(store, [...(0, targets_js_1.protectionTargets)(cluster, ctx, ingresses), ...ingresses], owner, judge(cluster, owner));
    // The htpasswd Secret keeps the stored hash while the password still matches it.
    const targets = guarded.map((g) => g.object.kind === 'Secret' && spec.basicAuth ? { ...g, object: (0, protection_js_1.protectionObjects)(ctx, cluster.settings, (0, protection_js_1.htpasswdFor)(g.live, cluster.settings, spec.basicAuth))[0] } : g);
    const outcomes = await applyGuarded(cluster, targets, owner);
    let changed = outcomes.some((o) => o.action !== 'unchanged');
    if (!spec.basicAuth || !ingresses.length)
        changed = (await (0, protection_js_1.removeProtection)(cluster, ctx, owner)) || changed;
    // Domains removed from the settings: our Ingresses that are no longer wanted go.
    const wanted = new Set(ingresses.map((i) => i.metadata.name));
    const live = await store.list((0, find_js_1.typeOf)('Ingress'), ctx.namespace, (0, labels_js_1.ownSelector)(owner));
    for (const ingress of live.filter((i) => !wanted.has(i.metadata.name))) {
        await store.delete(ingress);
        if (!context.plan.dryRun)
            await store.waitGone(ingress);
        changed = true;
    }
    return { changed, domains: spec.domains.map((host) => ({ host })) };
}


/***/ }),

/***/ 7809:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.EXEC_EXTENSION = exports.EXEC_API_VERSIONS = void 0;
exports.parseExec = parseExec;
exports.execExtension = execExtension;
/**
 * A kubeconfig user's `exec` credential plugin (`users[].user.exec`), read and checked the way
 * client-go reads it (tools/clientcmd/api/v1/types.go ExecConfig, defaults.go, validation.go,
 * loader.go): `command`, `args`, `env`, `apiVersion` (v1 or v1beta1), `interactiveMode` (required
 * for v1, `IfAvailable` by default for v1beta1), `installHint`, `provideClusterInfo`. A command
 * with a path separator that is not absolute is relative to the kubeconfig file it came from;
 * a bare name is looked up in PATH when it runs. Running it is exec-credential.ts's job.
 */
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
exports.EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const MODES = ['Never', 'IfAvailable', 'Always'];
/** The cluster extension whose content client-go hands to the plugin as `spec.cluster.config`. */
exports.EXEC_EXTENSION = 'client.authentication.k8s.io/exec';
/**
 * client-go strips ANSI escape sequences from the hint (client_config.go cleanANSIEscapeCodes);
 * its lines are joined too, since our errors are one line.
 */
function cleanHint(text) {
    // eslint-disable-next-line no-control-regex
    return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').trim().replace(/\s*\n\s*/g, ' ');
}
function stringList(value, what) {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
        throw new errors_js_1.ConfigError(`${what} must be a list of strings`);
    }
    return value.map(String);
}
/**
 * Reads `exec` of kubeconfig user `user`, defined in a file in `dir`. `cluster` gives what
 * `provideClusterInfo` passes on; it is only asked for when that is set.
 */
function parseExec(user, raw, dir, cluster) {
    const exec = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
    const where = `kubeconfig user "${user}": exec`;
    const command = typeof exec.command === 'string' ? exec.command : '';
    if (!command)
        throw new errors_js_1.ConfigError(`${where}: command must be specified to use an exec authentication plugin`);
    const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : '';
    if (!apiVersion)
        throw new errors_js_1.ConfigError(`${where}: apiVersion must be specified to use an exec authentication plugin`);
    if (!exports.EXEC_API_VERSIONS.includes(apiVersion)) {
        throw new errors_js_1.ConfigError(`${where}: exec plugin: invalid apiVersion "${apiVersion}"`, {
            hint: `use ${exports.EXEC_API_VERSIONS.join(' or ')} (v1alpha1 was removed in Kubernetes 1.24); regenerate the kubeconfig with a current CLI`,
        });
    }
    let interactiveMode = exec.interactiveMode;
    if (interactiveMode === undefined || interactiveMode === null || interactiveMode === '') {
        // v1 must say whether it wants stdin; v1beta1 keeps the old behaviour (defaults.go).
        if (apiVersion === 'client.authentication.k8s.io/v1beta1')
            interactiveMode = 'IfAvailable';
        else
            throw new errors_js_1.ConfigError(`${where}: interactiveMode must be specified to use an exec authentication plugin with ${apiVersion}`, { hint: 'add interactiveMode: Never (or IfAvailable)' });
    }
    if (!MODES.includes(interactiveMode))
        throw new errors_js_1.ConfigError(`${where}: invalid interactiveMode "${String(interactiveMode)}"`, { hint: `one of ${MODES.join(', ')}` });
    const env = [];
    if (exec.env !== undefined && exec.env !== null) {
        if (!Array.isArray(exec.env))
            throw new errors_js_1.ConfigError(`${where}: env must be a list of {name, value}`);
        for (const item of exec.env) {
            const e = (item && typeof item === 'object' ? item : {});
            if (typeof e.name !== 'string' || e.name === '')
                throw new errors_js_1.ConfigError(`${where}: env variable name must be specified to use an exec authentication plugin`);
            env.push({ name: e.name, value: e.value === undefined || e.value === null ? '' : String(e.value) });
        }
    }
    // Only a command with a separator is a path (loader.go GetAuthInfoFileReferences); `/` is one everywhere.
    const isPath = command.includes('/') || command.includes(node_path_1.sep);
    const resolved = isPath && !(0, node_path_1.isAbsolute)(command) ? (0, node_path_1.resolve)(dir, command) : command;
    const hint = typeof exec.installHint === 'string' ? cleanHint(exec.installHint) : '';
    return {
        user,
        commandText: command,
        command: resolved,
        args: stringList(exec.args, `${where}: args`),
        env,
        apiVersion: apiVersion,
        interactiveMode: interactiveMode,
        ...(hint ? { installHint: hint } : {}),
        ...(exec.provideClusterInfo === true ? { cluster: cluster() } : {}),
    };
}
/** The `client.authentication.k8s.io/exec` extension of a kubeconfig cluster entry, or null. */
function execExtension(cluster) {
    const list = cluster.extensions;
    if (!Array.isArray(list))
        return null;
    for (const item of list) {
        const e = (item && typeof item === 'object' ? item : {});
        if (e.name === exports.EXEC_EXTENSION)
            return e.extension ?? null;
    }
    return null;
}


/***/ }),

/***/ 442:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ExecCredentials = void 0;
/**
 * Runs a kubeconfig's exec credential plugin the way client-go does
 * (plugin/pkg/client/auth/exec/exec.go): the parent's environment, then the kubeconfig's `env`
 * entries, then KUBERNETES_EXEC_INFO (an ExecCredential of the configured apiVersion with
 * `interactive: false` and, with `provideClusterInfo`, the cluster); no stdin, since a pipeline has
 * no terminal. The answer must be an ExecCredential of the same apiVersion with a token and/or a
 * client certificate and key. It is kept until its `expirationTimestamp` (for the whole run when it
 * has none), with one plugin run in flight at a time; a 401 runs the plugin once more.
 *
 * The token and key are registered as secrets the moment they are read, so that no output —
 * debug included — shows them. The plugin's stderr is shown only after that, in debug output or,
 * when it fails, as the tail of the error.
 */
const node_child_process_1 = __webpack_require__(1421);
const node_crypto_1 = __webpack_require__(7598);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const STDOUT_LIMIT = 4 * 1024 * 1024;
const STDERR_TAIL = 1_500;
/** RFC 3339 as Go's time.RFC3339 parses it: a zone is required, fractions are allowed. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const asObj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
class ExecCredentials {
    o;
    issued;
    inFlight;
    constructor(o) {
        this.o = o;
    }
    get plugin() {
        return this.o.plugin;
    }
    fresh(issued) {
        return issued !== undefined && (issued.expiresAt === undefined || this.o.deadline.clock.now() < issued.expiresAt);
    }
    async get() {
        if (this.fresh(this.issued))
            return this.issued.credential;
        return (await this.next()).credential;
    }
    async renew(used) {
        // Renewed by another request meanwhile: its credential is the one to try.
        if (this.issued && this.issued.credential !== used)
            return true;
        this.issued = undefined;
        this.o.logger.debug(`the API server refused the credential of exec plugin ${this.plugin.commandText}: running it again`);
        await this.next();
        return true;
    }
    /** One run at a time: concurrent requests wait for the run in flight. */
    next() {
        this.inFlight ??= this.run().then((issued) => {
            this.issued = issued;
            this.inFlight = undefined;
            return issued;
        }, (error) => {
            this.inFlight = undefined;
            throw error;
        });
        return this.inFlight;
    }
    environment() {
        const p = this.plugin;
        const env = {};
        for (const [k, v] of Object.entries((this.o.environ ?? (() => process.env))()))
            if (v !== undefined && !this.o.withheld?.includes(k))
                env[k] = v;
        for (const e of p.env)
            env[e.name] = e.value;
        const spec = { ...(p.cluster ? { cluster: p.cluster } : {}), interactive: false };
        env.KUBERNETES_EXEC_INFO = JSON.stringify({ kind: 'ExecCredential', apiVersion: p.apiVersion, spec });
        return env;
    }
    failure(message, hint) {
        return new errors_js_1.AuthError(`kubeconfig user "${this.plugin.user}": exec plugin ${this.plugin.commandText}: ${message}`, {
            hint: hint ?? 'check the plugin and its login (run it by hand), or give a token with --kube-token / K8S_TOKEN',
        });
    }
    async run() {
        const p = this.plugin;
        if (p.interactiveMode === 'Always') {
            throw new errors_js_1.ConfigError(`kubeconfig user "${p.user}": exec plugin ${p.commandText} needs a terminal (interactiveMode: Always), and preview-kit runs without one`, {
                hint: 'configure a login the plugin can do unattended (a service principal, workload identity, `kubelogin convert-kubeconfig -l azurecli`…) and set interactiveMode: Never or IfAvailable',
            });
        }
        this.o.deadline.check(`exec plugin ${p.commandText}`);
        this.o.logger.debug(`running exec credential plugin ${p.commandText} for kubeconfig user "${p.user}" (${p.apiVersion})`);
        const { stdout, stderr } = await this.spawnPlugin();
        const issued = this.decode(stdout);
        // Only now, with the token known to the redactor, may the plugin's messages be shown.
        for (const line of stderr.split('\n').filter((l) => l.trim()))
            this.o.logger.debug(`exec plugin ${p.commandText}: ${line}`);
        const what = [issued.credential.token ? 'a token' : '', issued.credential.cert ? 'a client certificate' : ''].filter(Boolean).join(' and ');
        const until = issued.expiresAt === undefined ? 'with no expiry' : `valid until ${new Date(issued.expiresAt).toISOString()}`;
        this.o.logger.debug(`exec plugin ${p.commandText} gave ${what}, ${until}`);
        return issued;
    }
    spawnPlugin() {
        const p = this.plugin;
        return new Promise((resolvePromise, reject) => {
            const child = (0, node_child_process_1.spawn)(p.command, p.args, { env: this.environment(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
            const out = [];
            let outBytes = 0;
            let err = '';
            let settled = false;
            const finish = (error, value) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                if (error)
                    reject(error);
                else
                    resolvePromise(value);
            };
            const timer = setTimeout(() => {
                child.kill('SIGTERM');
                finish(new errors_js_1.TimeoutError(`exec plugin ${p.commandText} gave no credential before the deadline`, { hint: 'the plugin may be waiting for a login; raise --timeout or check it by hand' }));
            }, Math.max(1, this.o.deadline.remaining()));
            child.stdout.on('data', (chunk) => {
                outBytes += chunk.length;
                if (outBytes <= STDOUT_LIMIT)
                    out.push(chunk);
            });
            child.stderr.on('data', (chunk) => {
                err = (err + chunk.toString('utf8')).slice(-STDERR_TAIL * 4);
            });
            child.on('error', (error) => {
                if (error.code === 'ENOENT') {
                    finish(this.failure(`executable ${p.commandText} not found${p.command !== p.commandText ? ` (${p.command})` : ''}`, p.installHint ?? `install ${p.commandText} (a client-go credential plugin) on the runner, or give a token with --kube-token / K8S_TOKEN`));
                }
                else if (error.code === 'EACCES') {
                    finish(this.failure(`${p.command} cannot be run (permission denied)`, `make it executable (chmod +x)${p.installHint ? `; ${p.installHint}` : ''}`));
                }
                else
                    finish(this.failure(error.message));
            });
            child.on('close', (code, signal) => {
                const tail = err.trim().slice(-STDERR_TAIL).trim();
                if (code !== 0) {
                    const how = signal ? `was ended by ${signal}` : `failed with exit code ${code}`;
                    finish(this.failure(`executable ${p.commandText} ${how}${tail ? `: ${tail.replace(/\s*\n\s*/g, ' | ')}` : ''}`));
                    return;
                }
                if (outBytes > STDOUT_LIMIT) {
                    finish(this.failure(`its output is larger than ${STDOUT_LIMIT} bytes`));
                    return;
                }
                finish(undefined, { stdout: Buffer.concat(out).toString('utf8'), stderr: err });
            });
        });
    }
    /** Checks the ExecCredential as client-go does (exec.go refreshCredsLocked), in the same order. */
    decode(stdout) {
        const p = this.plugin;
        let doc;
        try {
            // client-go's universal decoder takes YAML as well as JSON.
            doc = (0, yaml_1.parse)(stdout);
        }
        catch (error) {
            throw this.failure(`decoding stdout: ${error.message.split('\n')[0]}`);
        }
        const cred = asObj(doc);
        const status = asObj(cred?.status);
        // Secrets first: whatever happens next, they never reach an output.
        for (const secret of [status?.token, status?.clientKeyData])
            if (typeof secret === 'string')
                this.o.logger.addSecret(secret);
        if (!cred)
            throw this.failure('decoding stdout: no ExecCredential object in its output');
        if (cred.kind !== undefined && cred.kind !== 'ExecCredential')
            throw this.failure(`decoding stdout: it returned kind "${String(cred.kind)}", not ExecCredential`);
        if (cred.apiVersion !== p.apiVersion) {
            const returned = typeof cred.apiVersion === 'string' && cred.apiVersion ? `version ${cred.apiVersion}` : 'no apiVersion';
            throw this.failure(`exec plugin is configured to use API version ${p.apiVersion}, plugin returned ${returned}`, 'regenerate the kubeconfig, or set its exec apiVersion to the one the plugin answers with');
        }
        if (!status)
            throw this.failure("exec plugin didn't return a status field");
        const token = typeof status.token === 'string' && status.token ? status.token : undefined;
        const certPem = typeof status.clientCertificateData === 'string' && status.clientCertificateData ? status.clientCertificateData : undefined;
        const keyPem = typeof status.clientKeyData === 'string' && status.clientKeyData ? status.clientKeyData : undefined;
        if (!token && !certPem && !keyPem)
            throw this.failure("exec plugin didn't return a token or cert/key pair");
        if (Boolean(certPem) !== Boolean(keyPem))
            throw this.failure('exec plugin returned only certificate or key, not both');
        if (certPem && keyPem) {
            try {
                new node_crypto_1.X509Certificate(certPem);
                (0, node_crypto_1.createPrivateKey)(keyPem);
            }
            catch (error) {
                throw this.failure(`failed parsing client key/certificate: ${error.message}`);
            }
        }
        let expiresAt;
        const exp = status.expirationTimestamp;
        if (exp !== undefined && exp !== null && exp !== '') {
            const text = exp instanceof Date ? exp.toISOString() : String(exp);
            if (!RFC3339.test(text))
                throw this.failure(`decoding stdout: expirationTimestamp "${text}" is not an RFC 3339 time`);
            expiresAt = Date.parse(text);
        }
        return {
            credential: { ...(token ? { token } : {}), ...(certPem && keyPem ? { cert: Buffer.from(certPem), key: Buffer.from(keyPem) } : {}) },
            ...(expiresAt !== undefined ? { expiresAt } : {}),
        };
    }
}
exports.ExecCredentials = ExecCredentials;


/***/ }),

/***/ 4796:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.typeOf = void 0;
exports.findPreview = findPreview;
exports.previewFrom = previewFrom;
exports.isOwn = isOwn;
/**
 * Reading previews back: `find` selects a preview's objects by its name label and keeps those whose
 * identity key is its own (another preview's of the same name are named in debug output);
 * `previewFrom` makes the Preview of a set of objects, for `find` and for `list` (listing.ts).
 */
const identity_js_1 = __webpack_require__(4845);
const naming_js_1 = __webpack_require__(2607);
const reconcile_js_1 = __webpack_require__(2698);
const render_js_1 = __webpack_require__(9839);
const activity_js_1 = __webpack_require__(8758);
const labels_js_1 = __webpack_require__(568);
const ownership_js_1 = __webpack_require__(3502);
const resources_js_1 = __webpack_require__(6258);
const rollout_js_1 = __webpack_require__(302);
const targets_js_1 = __webpack_require__(4129);
const typeOf = (kind) => resources_js_1.RESOURCE_TYPES.find((t) => t.kind === kind);
exports.typeOf = typeOf;
async function findPreview(cluster, ref) {
    const { store, context } = cluster;
    const owner = (0, targets_js_1.ownerOf)(ref);
    const ctx = (0, targets_js_1.renderContext)(cluster, ref);
    if (cluster.settings.namespacePerPreview) {
        const ns = await store.get((0, exports.typeOf)('Namespace'), undefined, ctx.namespace);
        if (!ns || (0, ownership_js_1.oursAmong)([{ ...ns, kind: 'Namespace', apiVersion: 'v1' }], owner, context).length === 0)
            return undefined;
    }
    const objects = [];
    for (const type of (0, targets_js_1.kindsToFind)(cluster, ctx))
        objects.push(...(await store.list(type, ctx.namespace, (0, labels_js_1.previewSelector)(ref.name))));
    const ours = (0, ownership_js_1.oursAmong)(objects, owner, context);
    if (!ours.length)
        return undefined;
    return previewFrom(ref.name, ctx.namespace, ours);
}
/** A Preview from its objects; the identity is the one they record. `hosts`: the spec's, until an Ingress has them. */
function previewFrom(name, namespace, objects, hosts = []) {
    const domains = [];
    for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
        const spec = (ingress.spec ?? {});
        for (const rule of spec.rules ?? [])
            if (rule.host && !domains.some((d) => d.host === rule.host))
                domains.push({ host: rule.host });
    }
    const service = objects.find((o) => o.kind === 'Service');
    // https even without a tls block: ingress controllers commonly serve a wildcard certificate.
    const host = domains[0]?.host ?? hosts[0];
    const url = host ? (0, naming_js_1.urlOf)(host) : service ? `http://${service.metadata.name}.${namespace}.svc.cluster.local` : '';
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const rollouts = deployments.map((d) => ({ name: d.metadata.name, ...(0, rollout_js_1.deploymentRollout)(d) }));
    const main = deployments.find((d) => d.metadata.name === name) ?? deployments[0];
    const template = main?.spec?.template;
    const commit = template?.metadata?.annotations?.[labels_js_1.COMMIT_ANNOTATION];
    const mainRollout = main ? (0, rollout_js_1.deploymentRollout)(main) : undefined;
    const addons = [];
    if (objects.some((o) => o.kind === 'Secret' && o.metadata.name === (0, render_js_1.databaseSecretName)(name))) {
        addons.push({ id: name.replace(/-/g, '_'), name: name.replace(/-/g, '_'), kind: 'postgresql' });
    }
    const created = objects.map((o) => o.metadata.creationTimestamp).filter((t) => !!t).sort()[0];
    const identity = objects.map((o) => (0, identity_js_1.parseIdentityJson)(o.metadata.annotations?.[labels_js_1.IDENTITY_ANNOTATION])).find((i) => i !== undefined);
    const deployedAt = (0, activity_js_1.lastDeployedAt)(objects);
    return {
        name,
        id: `${namespace}/${name}`,
        url,
        domains,
        addons,
        lastDeployment: main
            ? {
                id: `${namespace}/${main.metadata.name}`,
                state: mainRollout.state === 'complete' ? 'ok' : mainRollout.state === 'failed' ? 'failed' : 'running',
                commit,
                createdAt: main.metadata.creationTimestamp,
            }
            : undefined,
        ...(identity ? { identity } : {}),
        createdAt: created,
        state: (0, activity_js_1.previewState)(objects),
        ...(deployedAt ? { lastDeployedAt: deployedAt } : {}),
        details: {
            namespace,
            objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
            rollouts,
            commit,
        },
    };
}
/** Whether an object is this preview's (its key), for callers that hold a single object. */
function isOwn(object, ref) {
    return (0, reconcile_js_1.ownershipOf)((0, labels_js_1.marksOf)(object), ref.key).kind === 'ours';
}


/***/ }),

/***/ 1189:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.apr1 = apr1;
exports.newSalt = newSalt;
exports.htpasswdLine = htpasswdLine;
exports.verifiesLine = verifiesLine;
/**
 * htpasswd lines with Apache's MD5 crypt (`$apr1$`), the one hash that both ingress-nginx and
 * Traefik verify on every platform: nginx implements `$apr1$` itself (src/core/ngx_crypt.c) where
 * bcrypt and SHA-crypt depend on the libc's crypt(), and newer nginx dropped unsalted `{SHA}`;
 * Traefik's basicAuth checks it with go-http-auth's MD5Crypt. Node makes it from node:crypto's MD5
 * alone. The algorithm is Poul-Henning Kamp's md5crypt with the `$apr1$` magic: 1 000 rounds over
 * the password, an 8-character salt and the intermediate digest.
 */
const node_crypto_1 = __webpack_require__(7598);
const MAGIC = '$apr1$';
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const md5 = (...parts) => {
    const hash = (0, node_crypto_1.createHash)('md5');
    for (const part of parts)
        hash.update(part);
    return hash.digest();
};
/** `n` characters of crypt's base-64 alphabet from the low bits of `value`. */
function to64(value, n) {
    let out = '';
    let v = value;
    for (let i = 0; i < n; i++) {
        out += ITOA64[v & 0x3f];
        v >>>= 6;
    }
    return out;
}
/** `$apr1$<salt>$<hash>` for the password; the salt is cut to its first 8 characters. */
function apr1(password, salt) {
    const key = Buffer.from(password, 'utf8');
    const s = Buffer.from(salt.slice(0, 8), 'utf8');
    const alternate = md5(key, s, key);
    const parts = [key, Buffer.from(MAGIC), s];
    for (let n = key.length; n > 0; n -= 16)
        parts.push(alternate.subarray(0, Math.min(16, n)));
    for (let i = key.length; i; i >>= 1)
        parts.push(i & 1 ? Buffer.from([0]) : key.subarray(0, 1));
    let final = md5(...parts);
    for (let i = 0; i < 1000; i++) {
        const round = [i & 1 ? key : final];
        if (i % 3)
            round.push(s);
        if (i % 7)
            round.push(key);
        round.push(i & 1 ? final : key);
        final = md5(...round);
    }
    const f = final;
    const encoded = to64((f[0] << 16) | (f[6] << 8) | f[12], 4) +
        to64((f[1] << 16) | (f[7] << 8) | f[13], 4) +
        to64((f[2] << 16) | (f[8] << 8) | f[14], 4) +
        to64((f[3] << 16) | (f[9] << 8) | f[15], 4) +
        to64((f[4] << 16) | (f[10] << 8) | f[5], 4) +
        to64(f[11], 2);
    return `${MAGIC}${salt.slice(0, 8)}$${encoded}`;
}
/** A fresh 8-character salt from crypt's alphabet. */
function newSalt() {
    return [...(0, node_crypto_1.randomBytes)(8)].map((b) => ITOA64[b & 0x3f]).join('');
}
/** One htpasswd line, `user:$apr1$…`, with a fresh salt. */
function htpasswdLine(user, password, salt = newSalt()) {
    return `${user}:${apr1(password, salt)}`;
}
/**
 * Whether an htpasswd file (one `user:hash` per line) has this user with this password, hashed
 * with `$apr1$`: what lets a re-run keep the stored line instead of writing a new salt.
 */
function verifiesLine(file, user, password) {
    for (const line of file.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0 || line.slice(0, colon) !== user)
            continue;
        const stored = line.slice(colon + 1).trim();
        const salt = /^\$apr1\$([^$]{0,8})\$/.exec(stored)?.[1];
        if (salt === undefined)
            return false;
        const computed = Buffer.from(apr1(password, salt));
        const expected = Buffer.from(stored);
        return computed.length === expected.length && (0, node_crypto_1.timingSafeEqual)(computed, expected);
    }
    return false;
}


/***/ }),

/***/ 8876:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.nodeFiles = void 0;
exports.loadKubeconfig = loadKubeconfig;
exports.connectionFromKubeconfig = connectionFromKubeconfig;
exports.resolveConnection = resolveConnection;
/**
 * Where the API server is and how to authenticate: from explicit settings (--kube-server), from
 * kubeconfig files (KUBECONFIG / --kubeconfig, else ~/.kube/config) or from the in-cluster service
 * account — in that order, as kubectl does. Credentials: bearer token (inline or file), client
 * certificate and key, basic auth, or an exec credential plugin (the managed clusters' default:
 * kubelogin, `aws eks get-token`, gke-gcloud-auth-plugin), which runs only when a request needs it
 * (exec-credential.ts). The legacy auth-provider plugins are refused with a message.
 */
const node_fs_1 = __webpack_require__(3024);
const node_os_1 = __webpack_require__(8161);
const node_path_1 = __webpack_require__(6760);
const node_net_1 = __webpack_require__(7030);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const exec_config_js_1 = __webpack_require__(7809);
exports.nodeFiles = {
    read: (path) => (0, node_fs_1.readFileSync)(path),
    exists: (path) => (0, node_fs_1.existsSync)(path),
    homeDir: () => (0, node_os_1.homedir)(),
};
function asEntry(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
function namedList(doc, key, inner, file) {
    const list = doc[key];
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new errors_js_1.ConfigError(`invalid kubeconfig ${file}: "${key}" must be a list`);
    return list.map((item) => {
        const e = asEntry(item);
        if (typeof e.name !== 'string')
            throw new errors_js_1.ConfigError(`invalid kubeconfig ${file}: an entry of "${key}" has no name`);
        return { name: e.name, value: asEntry(e[inner]) };
    });
}
/** Loads and merges kubeconfig files the way kubectl does: the first file to define a name wins. */
function loadKubeconfig(paths, files = exports.nodeFiles) {
    const merged = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
    for (const path of paths) {
        let text;
        try {
            text = files.read(path).toString('utf8');
        }
        catch (error) {
            throw new errors_js_1.ConfigError(`cannot read kubeconfig ${path}: ${error.code ?? error.message}`, {
                hint: 'check KUBECONFIG / --kubeconfig',
            });
        }
        let doc;
        try {
            doc = asEntry((0, yaml_1.parse)(text));
        }
        catch (error) {
            throw new errors_js_1.ConfigError(`invalid kubeconfig ${path}: ${error.message.split('\n')[0]}`);
        }
        const dir = (0, node_path_1.dirname)((0, node_path_1.resolve)(path));
        merged.files.push(path);
        for (const c of namedList(doc, 'clusters', 'cluster', path))
            if (!merged.clusters.has(c.name))
                merged.clusters.set(c.name, { entry: c.value, dir });
        for (const u of namedList(doc, 'users', 'user', path))
            if (!merged.users.has(u.name))
                merged.users.set(u.name, { entry: u.value, dir });
        for (const c of namedList(doc, 'contexts', 'context', path))
            if (!merged.contexts.has(c.name))
                merged.contexts.set(c.name, c.value);
        const current = doc['current-context'];
        if (merged.currentContext === undefined && typeof current === 'string' && current)
            merged.currentContext = current;
    }
    return merged;
}
function str(entry, key) {
    const v = entry[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
}
function fileOrData(entry, fileKey, dataKey, dir, files, what) {
    const data = str(entry, dataKey);
    if (data)
        return Buffer.from(data, 'base64');
    const file = str(entry, fileKey);
    if (!file)
        return undefined;
    const path = (0, node_path_1.isAbsolute)(file) ? file : (0, node_path_1.join)(dir, file);
    try {
        return files.read(path);
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`cannot read ${what} ${path}: ${error.code ?? error.message}`);
    }
}
/** Picks the context and turns cluster + user into a connection. */
function connectionFromKubeconfig(config, contextName, files = exports.nodeFiles) {
    const where = `kubeconfig ${config.files.join(':')}`;
    const name = contextName ?? config.currentContext;
    if (!name) {
        throw new errors_js_1.ConfigError(`${where} has no current-context`, { hint: 'pass --kube-context or set current-context' });
    }
    const context = config.contexts.get(name);
    if (!context) {
        throw new errors_js_1.ConfigError(`context "${name}" not found in ${where}`, {
            hint: `known contexts: ${[...config.contexts.keys()].join(', ') || 'none'}`,
        });
    }
    const clusterName = str(context, 'cluster');
    const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
    if (!cluster)
        throw new errors_js_1.ConfigError(`context "${name}" in ${where} names cluster "${clusterName ?? ''}", which is not defined`);
    const server = str(cluster.entry, 'server');
    if (!server)
        throw new errors_js_1.ConfigError(`cluster "${clusterName}" in ${where} has no server`);
    if (str(cluster.entry, 'proxy-url')) {
        throw new errors_js_1.ConfigError(`cluster "${clusterName}" in ${where} uses proxy-url, which preview-kit does not support`, {
            hint: 'reach the API server directly',
        });
    }
    const connection = {
        server: server.replace(/\/+$/, ''),
        namespace: str(context, 'namespace'),
        insecureSkipTlsVerify: cluster.entry['insecure-skip-tls-verify'] === true,
        tlsServerName: str(cluster.entry, 'tls-server-name'),
        ca: fileOrData(cluster.entry, 'certificate-authority', 'certificate-authority-data', cluster.dir, files, 'certificate authority'),
        source: `${where} (context ${name})`,
    };
    const userName = str(context, 'user');
    const user = userName ? config.users.get(userName) : undefined;
    if (userName && !user)
        throw new errors_js_1.ConfigError(`context "${name}" in ${where} names user "${userName}", which is not defined`);
    if (!user)
        return connection;
    const u = user.entry;
    if (u['auth-provider']) {
        if (u.exec)
            throw new errors_js_1.ConfigError(`kubeconfig user "${userName}" has both an auth-provider and an exec plugin; only one may be given`);
        const provider = str(asEntry(u['auth-provider']), 'name') ?? 'an auth provider';
        throw new errors_js_1.ConfigError(`kubeconfig user "${userName}" uses the ${provider} auth-provider plugin, which preview-kit does not support`, {
            hint: 'use an exec credential plugin (e.g. kubelogin convert-kubeconfig), a token with --kube-token / K8S_TOKEN, or a client certificate',
        });
    }
    connection.token = str(u, 'token');
    const tokenFile = str(u, 'tokenFile');
    if (!connection.token && tokenFile) {
        const path = (0, node_path_1.isAbsolute)(tokenFile) ? tokenFile : (0, node_path_1.join)(user.dir, tokenFile);
        try {
            connection.token = files.read(path).toString('utf8').trim();
        }
        catch (error) {
            throw new errors_js_1.ConfigError(`cannot read token file ${path}: ${error.code ?? error.message}`);
        }
    }
    connection.cert = fileOrData(u, 'client-certificate', 'client-certificate-data', user.dir, files, 'client certificate');
    connection.key = fileOrData(u, 'client-key', 'client-key-data', user.dir, files, 'client key');
    if (Boolean(connection.cert) !== Boolean(connection.key)) {
        throw new errors_js_1.ConfigError(`kubeconfig user "${userName}" has a client certificate without its key (or a key without its certificate)`);
    }
    const username = str(u, 'username');
    if (username && !connection.token && !connection.cert)
        connection.basic = { username, password: str(u, 'password') ?? '' };
    // Static credentials win over a plugin, as in client-go (the plugin does not even run).
    if (u.exec && !connection.token && !connection.cert && !connection.basic) {
        const entry = cluster.entry;
        connection.exec = (0, exec_config_js_1.parseExec)(userName, u.exec, user.dir, () => ({
            server: connection.server,
            ...(connection.tlsServerName ? { 'tls-server-name': connection.tlsServerName } : {}),
            ...(connection.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
            ...(connection.ca ? { 'certificate-authority-data': connection.ca.toString('base64') } : {}),
            ...(entry['disable-compression'] === true ? { 'disable-compression': true } : {}),
            config: (0, exec_config_js_1.execExtension)(entry),
        }));
    }
    return connection;
}
function inClusterConnection(settings, files) {
    const inCluster = settings.inCluster;
    const host = (0, node_net_1.isIPv6)(inCluster.host) ? `[${inCluster.host}]` : inCluster.host;
    const dir = inCluster.serviceAccountDir;
    const read = (file) => {
        try {
            return files.read((0, node_path_1.join)(dir, file));
        }
        catch (error) {
            throw new errors_js_1.ConfigError(`in-cluster config: cannot read ${(0, node_path_1.join)(dir, file)}: ${error.code ?? error.message}`, {
                hint: 'mount a service-account token or pass --kubeconfig',
            });
        }
    };
    const namespacePath = (0, node_path_1.join)(dir, 'namespace');
    return {
        server: `https://${host}:${inCluster.port}`,
        token: read('token').toString('utf8').trim(),
        ca: read('ca.crt'),
        namespace: files.exists(namespacePath) ? files.read(namespacePath).toString('utf8').trim() || undefined : undefined,
        insecureSkipTlsVerify: false,
        source: 'in-cluster service account',
    };
}
/**
 * The connection for these settings: --kube-server (+ token), else the kubeconfig chain, else
 * ~/.kube/config when it exists, else the in-cluster service account. A --kube-token given with a
 * kubeconfig replaces the kubeconfig user's credentials.
 */
function resolveConnection(settings, files = exports.nodeFiles) {
    let connection;
    if (settings.server) {
        connection = {
            server: settings.server.replace(/\/+$/, ''),
            insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
            source: '--kube-server',
        };
        if (settings.caFile) {
            try {
                connection.ca = files.read(settings.caFile);
            }
            catch (error) {
                throw new errors_js_1.ConfigError(`cannot read --kube-ca-file ${settings.caFile}: ${error.code ?? error.message}`);
            }
        }
    }
    else {
        const paths = (settings.kubeconfig ?? '').split(':').filter((p) => p !== '');
        if (paths.length === 0) {
            const home = (0, node_path_1.join)(files.homeDir(), '.kube', 'config');
            if (files.exists(home))
                paths.push(home);
        }
        if (paths.length > 0) {
            if (settings.token) {
                // Credentials come from --kube-token: the kubeconfig user (maybe an exec plugin) is not used.
                const config = loadKubeconfig(paths, files);
                const name = settings.kubeContext ?? config.currentContext;
                const context = name ? config.contexts.get(name) : undefined;
                const withoutUser = { ...config, contexts: new Map(config.contexts) };
                if (name && context)
                    withoutUser.contexts.set(name, { ...context, user: undefined });
                connection = connectionFromKubeconfig(withoutUser, settings.kubeContext, files);
            }
            else {
                connection = connectionFromKubeconfig(loadKubeconfig(paths, files), settings.kubeContext, files);
            }
        }
        else if (settings.inCluster) {
            connection = inClusterConnection(settings, files);
        }
        else {
            throw new errors_js_1.ConfigError('no Kubernetes cluster configured', {
                hint: 'set KUBECONFIG or --kubeconfig, or --kube-server with --kube-token, or run in a pod',
            });
        }
    }
    if (settings.token) {
        connection.token = settings.token;
        connection.cert = undefined;
        connection.key = undefined;
        connection.basic = undefined;
        connection.exec = undefined;
    }
    if (!/^https?:\/\//.test(connection.server)) {
        throw new errors_js_1.ConfigError(`API server "${connection.server}" from ${connection.source} is not an http(s) URL`);
    }
    return connection;
}


/***/ }),

/***/ 568:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.FIELD_MANAGER = exports.SLEEPING_REPLICAS_ANNOTATION = exports.DEPLOYED_AT_ANNOTATION = exports.CONFIG_HASH_ANNOTATION = exports.RESTARTED_AT_ANNOTATION = exports.HASH_ANNOTATION = exports.COMMIT_ANNOTATION = exports.COMMIT_LABEL = exports.IDENTITY_ANNOTATION = exports.KEY_LABEL = exports.PREVIEW_LABEL = exports.COMPONENT = exports.APP_NAME = exports.INSTANCE = exports.MANAGED_BY = void 0;
exports.ownerLabels = ownerLabels;
exports.ownerAnnotations = ownerAnnotations;
exports.previewSelector = previewSelector;
exports.ownSelector = ownSelector;
exports.anyPreviewSelector = anyPreviewSelector;
exports.marksOf = marksOf;
exports.shortCommit = shortCommit;
/**
 * The ownership marks on Kubernetes objects: labels (selectable, so teardown and `list` are one
 * label-selector query per type) and an annotation with the readable identity (JSON is too long
 * and free-form for a label value). Every object a preview makes carries all of them.
 */
const identity_js_1 = __webpack_require__(4845);
const types_js_1 = __webpack_require__(2695);
exports.MANAGED_BY = 'app.kubernetes.io/managed-by';
exports.INSTANCE = 'app.kubernetes.io/instance';
exports.APP_NAME = 'app.kubernetes.io/name';
exports.COMPONENT = 'app.kubernetes.io/component';
exports.PREVIEW_LABEL = 'preview-kit/name';
/** The identity key of the preview that made the object: what decides ownership. */
exports.KEY_LABEL = 'preview-kit/key';
/** The identity as one line of JSON, for people and for `list`/`prune`. */
exports.IDENTITY_ANNOTATION = 'preview-kit/identity';
/** Optional pod-template label with the first 15 characters of the commit (the AKS nightly setup). */
exports.COMMIT_LABEL = 'preview-kit/commit';
exports.COMMIT_ANNOTATION = 'preview-kit/commit';
/** Hash of the object as we last applied it: equal hash + our labels + no drift ⇒ no write. */
exports.HASH_ANNOTATION = 'preview-kit/applied-hash';
/** Set on the pod template by `--force`, kept afterwards so that later runs do not roll again. */
exports.RESTARTED_AT_ANNOTATION = 'preview-kit/restarted-at';
/** Hash of the env/database Secrets the pods read, so that a changed value rolls the pods. */
exports.CONFIG_HASH_ANNOTATION = 'preview-kit/config-hash';
/**
 * On a workload (not its pod template, so that it rolls nothing): when `deploy` last wrote it or
 * woke it, ISO 8601. What `list` reads as the preview's last deployment and `prune --ttl` measures.
 */
exports.DEPLOYED_AT_ANNOTATION = 'preview-kit/deployed-at';
/** On a workload put to sleep: the replicas it ran, restored when `up` or `deploy` wakes it. */
exports.SLEEPING_REPLICAS_ANNOTATION = 'preview-kit/sleeping-replicas';
/** Our field manager for server-side apply. */
exports.FIELD_MANAGER = 'preview-kit';
function ownerLabels(owner) {
    return { [exports.MANAGED_BY]: types_js_1.OWNER_MARKER, [exports.PREVIEW_LABEL]: owner.name, [exports.KEY_LABEL]: owner.key, [exports.INSTANCE]: owner.name };
}
function ownerAnnotations(owner) {
    return { [exports.IDENTITY_ANNOTATION]: (0, identity_js_1.identityJson)(owner.identity) };
}
/** Selects every object made under one preview name, whoever's preview it is (compare the key after). */
function previewSelector(name) {
    return `${exports.MANAGED_BY}=${types_js_1.OWNER_MARKER},${exports.PREVIEW_LABEL}=${name}`;
}
/** Selects the objects of one preview: its name and its identity key. */
function ownSelector(owner) {
    return `${previewSelector(owner.name)},${exports.KEY_LABEL}=${owner.key}`;
}
/** Selects every object of every preview. */
function anyPreviewSelector() {
    return `${exports.MANAGED_BY}=${types_js_1.OWNER_MARKER},${exports.PREVIEW_LABEL}`;
}
/** Our marker, the identity key and the readable identity, as found on an object. */
function marksOf(object) {
    const labels = object.metadata.labels ?? {};
    const key = labels[exports.KEY_LABEL];
    const identity = (0, identity_js_1.parseIdentityJson)(object.metadata.annotations?.[exports.IDENTITY_ANNOTATION]);
    return {
        marker: labels[exports.MANAGED_BY] === types_js_1.OWNER_MARKER,
        ...(key && identity_js_1.KEY_PATTERN.test(key) ? { key } : {}),
        ...(identity ? { identity } : {}),
    };
}
/** The first 15 characters of a commit, as the nightly setups label their pods. */
function shortCommit(commit) {
    return commit.slice(0, 15);
}


/***/ }),

/***/ 6667:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.listPreviews = listPreviews;
/**
 * `list`: every preview of ours from one label-selector listing per kind, never a call per preview.
 *
 * In a shared namespace three kinds say everything: Deployments (identity, key, state from replicas
 * and rollout status, the commit, the deploy time, creation), Ingresses (the URL) and Services (a
 * preview made by `ensure-app` and never deployed, and the in-cluster URL when there is no
 * Ingress); StatefulSets too when the manifests hold some. With --namespace-per-preview the
 * Namespaces, which carry the identity, are listed by label, then Deployments and Ingresses once
 * for the whole cluster (`/apis/apps/v1/deployments?labelSelector=…`). A role that may not list
 * at cluster scope gets one listing per namespace and kind instead — said in debug output, as it
 * costs two requests per preview.
 */
const errors_js_1 = __webpack_require__(4296);
const client_js_1 = __webpack_require__(3144);
const find_js_1 = __webpack_require__(4796);
const labels_js_1 = __webpack_require__(568);
const manifests_js_1 = __webpack_require__(8209);
/** The kinds whose listing makes up `list`, besides Namespaces. */
function listedKinds(cluster) {
    const kinds = ['Deployment', 'Ingress'];
    if (!cluster.settings.namespacePerPreview)
        kinds.push('Service');
    if (cluster.settings.manifests) {
        try {
            if ((0, manifests_js_1.readManifests)(cluster.settings.manifests).some((m) => m.object.kind === 'StatefulSet'))
                kinds.push('StatefulSet');
        }
        catch {
            // A prune job may run without the checkout: the Deployments still say what they say.
        }
    }
    return kinds.map(find_js_1.typeOf);
}
async function listPreviews(cluster) {
    const { store } = cluster;
    const selector = (0, labels_js_1.anyPreviewSelector)();
    const groups = new Map();
    const add = (object, namespace) => {
        const name = object.metadata.labels?.[labels_js_1.PREVIEW_LABEL];
        if (!name)
            return;
        const id = `${namespace}|${name}|${object.metadata.labels?.[labels_js_1.KEY_LABEL] ?? ''}`;
        const group = groups.get(id) ?? { name, namespace, objects: [] };
        group.objects.push(object);
        groups.set(id, group);
    };
    if (cluster.settings.namespacePerPreview) {
        const namespaces = await store.list((0, find_js_1.typeOf)('Namespace'), undefined, selector);
        for (const ns of namespaces)
            add(ns, ns.metadata.name);
        const ours = new Set(namespaces.map((ns) => ns.metadata.name));
        for (const object of await listInNamespaces(cluster, listedKinds(cluster), [...ours], selector)) {
            const namespace = object.metadata.namespace;
            // Only what sits in a preview namespace of ours; a shared-namespace preview is not this target's.
            if (ours.has(namespace) && object.metadata.labels?.[labels_js_1.PREVIEW_LABEL] === namespace)
                add(object, namespace);
        }
    }
    else {
        const namespace = cluster.namespaceOf('');
        for (const type of listedKinds(cluster))
            for (const object of await store.list(type, namespace, selector))
                add(object, namespace);
    }
    return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)).map((g) => (0, find_js_1.previewFrom)(g.name, g.namespace, g.objects));
}
/** One cluster-scope listing per kind; per namespace when the role may not list at cluster scope. */
async function listInNamespaces(cluster, types, namespaces, selector) {
    const { store, context } = cluster;
    const out = [];
    for (const type of types) {
        try {
            out.push(...(await store.listEverywhere(type, selector)));
            continue;
        }
        catch (error) {
            const unserved = error instanceof errors_js_1.ProviderError && error.status === 404;
            if (!(error instanceof client_js_1.ForbiddenError) && !unserved)
                throw error;
            context.logger.debug(`cannot list ${type.plural} at cluster scope (${unserved ? 'not served' : 'forbidden'}): listing them in each of ${namespaces.length} namespaces instead`);
        }
        for (const namespace of namespaces)
            out.push(...(await store.list(type, namespace, selector)));
    }
    return out;
}


/***/ }),

/***/ 8209:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.readManifests = readManifests;
exports.renderFromManifests = renderFromManifests;
/**
 * A user's own manifests directory turned into one preview's objects, the way kustomize's
 * namePrefix + commonLabels would: every name gets the `<preview>-` prefix, references between the
 * objects of the set follow the rename, selectors and pod templates get the preview label (so two
 * previews in one namespace never select each other's pods), and `{name}`-style placeholders in
 * string values are replaced (unknown `{…}` text is left alone).
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const labels_js_1 = __webpack_require__(568);
const render_js_1 = __webpack_require__(9839);
const resources_js_1 = __webpack_require__(6258);
/** Reads every `.yaml`/`.yml`/`.json` file of the directory (sorted; multi-document files and `List`s allowed). */
function readManifests(dir) {
    let entries;
    try {
        if (!(0, node_fs_1.statSync)(dir).isDirectory())
            throw new Error('not a directory');
        entries = (0, node_fs_1.readdirSync)(dir).sort();
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`invalid settings: --manifests ${dir}: ${error.code ?? error.message}`);
    }
    const out = [];
    for (const entry of entries) {
        if (!['.yaml', '.yml', '.json'].includes((0, node_path_1.extname)(entry)))
            continue;
        const file = (0, node_path_1.join)(dir, entry);
        const docs = (0, yaml_1.parseAllDocuments)((0, node_fs_1.readFileSync)(file, 'utf8'));
        for (const doc of Array.isArray(docs) ? docs : [docs]) {
            if (doc.errors.length)
                throw new errors_js_1.ConfigError(`invalid manifest ${file}: ${doc.errors[0].message.split('\n')[0]}`);
            const value = doc.toJS();
            if (value === null || value === undefined)
                continue;
            const objects = value.kind === 'List' ? (value.items ?? []) : [value];
            for (const object of objects) {
                const o = object;
                if (!o || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
                    throw new errors_js_1.ConfigError(`invalid manifest ${file}: every object needs apiVersion, kind and metadata.name`);
                }
                out.push({ file, object: o });
            }
        }
    }
    if (!out.length)
        throw new errors_js_1.ConfigError(`invalid settings: --manifests ${dir}: no Kubernetes objects found`);
    return out;
}
function replacePlaceholders(value, values) {
    if (typeof value === 'string') {
        return value.replace(/\{(\w+)\}/g, (whole, key) => values[key] ?? whole);
    }
    if (Array.isArray(value))
        return value.map((v) => replacePlaceholders(v, values));
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePlaceholders(v, values)]));
    }
    return value;
}
const asObj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const asList = (v) => (Array.isArray(v) ? v.filter((x) => asObj(x)) : []);
/** Renames `holder[key]` when it names an object of `kind` in the set. */
function renameRef(holder, key, kind, renames) {
    if (!holder || typeof holder[key] !== 'string')
        return;
    const renamed = renames.get(`${kind}/${holder[key]}`);
    if (renamed)
        holder[key] = renamed;
}
function podSpecOf(object) {
    const spec = asObj(object.spec);
    if (object.kind === 'CronJob')
        return asObj(asObj(asObj(asObj(spec?.jobTemplate)?.spec)?.template)?.spec);
    return asObj(asObj(spec?.template)?.spec);
}
function renamePodSpecRefs(podSpec, renames) {
    if (!podSpec)
        return;
    renameRef(podSpec, 'serviceAccountName', 'ServiceAccount', renames);
    for (const volume of asList(podSpec.volumes)) {
        renameRef(asObj(volume.secret), 'secretName', 'Secret', renames);
        renameRef(asObj(volume.configMap), 'name', 'ConfigMap', renames);
        renameRef(asObj(volume.persistentVolumeClaim), 'claimName', 'PersistentVolumeClaim', renames);
    }
    for (const container of [...asList(podSpec.containers), ...asList(podSpec.initContainers)]) {
        for (const from of asList(container.envFrom)) {
            renameRef(asObj(from.secretRef), 'name', 'Secret', renames);
            renameRef(asObj(from.configMapRef), 'name', 'ConfigMap', renames);
        }
        for (const env of asList(container.env)) {
            const valueFrom = asObj(env.valueFrom);
            renameRef(asObj(valueFrom?.secretKeyRef), 'name', 'Secret', renames);
            renameRef(asObj(valueFrom?.configMapKeyRef), 'name', 'ConfigMap', renames);
        }
    }
}
/** The preview's objects from the user's manifests. */
function renderFromManifests(sources, ctx, settings) {
    const values = (0, render_js_1.placeholderValues)(ctx);
    const renames = new Map();
    for (const { object } of sources)
        renames.set(`${object.kind}/${object.metadata.name}`, `${ctx.name}-${object.metadata.name}`);
    const template = (0, render_js_1.podTemplateAdditions)(ctx, settings);
    const out = [];
    for (const { file, object: original } of sources) {
        const type = (0, resources_js_1.resourceType)(original.apiVersion, original.kind);
        if (!type.namespaced)
            throw new errors_js_1.ConfigError(`invalid manifest ${file}: ${original.kind} is cluster-wide; a preview may only hold namespaced objects`);
        if (type.workload && ctx.commit === undefined)
            continue;
        const object = replacePlaceholders(structuredClone(original), values);
        object.metadata = {
            ...object.metadata,
            name: renames.get(`${original.kind}/${original.metadata.name}`),
            namespace: ctx.namespace,
            labels: { ...(object.metadata.labels ?? {}), ...(0, labels_js_1.ownerLabels)(ctx) },
            annotations: { ...(object.metadata.annotations ?? {}), ...(0, labels_js_1.ownerAnnotations)(ctx) },
        };
        const spec = asObj(object.spec);
        if (object.kind === 'Service' && spec && asObj(spec.selector)) {
            spec.selector = { ...asObj(spec.selector), [labels_js_1.PREVIEW_LABEL]: ctx.name };
        }
        if (object.kind === 'Ingress' && spec) {
            const renameBackend = (backend) => renameRef(asObj(asObj(backend)?.service), 'name', 'Service', renames);
            renameBackend(spec.defaultBackend);
            for (const rule of asList(spec.rules))
                for (const path of asList(asObj(rule.http)?.paths))
                    renameBackend(path.backend);
            for (const tls of asList(spec.tls))
                renameRef(tls, 'secretName', 'Secret', renames);
        }
        if ((object.kind === 'HorizontalPodAutoscaler' || object.kind === 'PodDisruptionBudget') && spec) {
            const target = asObj(spec.scaleTargetRef);
            if (target && typeof target.kind === 'string')
                renameRef(target, 'name', target.kind, renames);
            const selector = asObj(spec.selector);
            if (selector && asObj(selector.matchLabels))
                selector.matchLabels = { ...asObj(selector.matchLabels), [labels_js_1.PREVIEW_LABEL]: ctx.name };
        }
        if (object.kind === 'RoleBinding' && asObj(object.roleRef))
            renameRef(asObj(object.roleRef), 'name', 'Role', renames);
        if (object.kind === 'RoleBinding')
            for (const subject of asList(object.subjects))
                if (subject.kind === 'ServiceAccount')
                    renameRef(subject, 'name', 'ServiceAccount', renames);
        if ((type.workload || object.kind === 'Job' || object.kind === 'CronJob') && spec) {
            if (type.workload) {
                const selector = asObj(spec.selector) ?? {};
                spec.selector = { ...selector, matchLabels: { ...(asObj(selector.matchLabels) ?? {}), [labels_js_1.PREVIEW_LABEL]: ctx.name } };
                if (object.kind === 'StatefulSet')
                    renameRef(spec, 'serviceName', 'Service', renames);
            }
            const templateHolder = object.kind === 'CronJob' ? asObj(asObj(asObj(spec.jobTemplate)?.spec)) : spec;
            const podTemplate = asObj(templateHolder?.template);
            if (podTemplate) {
                const m = asObj(podTemplate.metadata) ?? {};
                const isWorkload = type.workload === true;
                podTemplate.metadata = {
                    ...m,
                    labels: { ...(asObj(m.labels) ?? {}), ...template.labels },
                    annotations: { ...(asObj(m.annotations) ?? {}), ...(isWorkload ? template.annotations : {}) },
                };
            }
            const podSpec = podSpecOf(object);
            renamePodSpecRefs(podSpec, renames);
            for (const container of asList(podSpec?.containers)) {
                container.envFrom = [...asList(container.envFrom), ...(0, render_js_1.envFromSecrets)(ctx)];
            }
        }
        out.push(object);
    }
    return out;
}


/***/ }),

/***/ 2343:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ObjectStore = void 0;
exports.describeObject = describeObject;
exports.pathOf = pathOf;
const retry_js_1 = __webpack_require__(7253);
const compare_js_1 = __webpack_require__(672);
const reconcile_js_1 = __webpack_require__(2698);
const labels_js_1 = __webpack_require__(568);
const render_js_1 = __webpack_require__(9839);
const resources_js_1 = __webpack_require__(6258);
function describeObject(object) {
    const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
    return `${object.kind} ${ns}${object.metadata.name}`;
}
function pathOf(object) {
    return (0, resources_js_1.resourcePath)((0, resources_js_1.resourceType)(object.apiVersion, object.kind), object.metadata.namespace, object.metadata.name);
}
class ObjectStore {
    o;
    constructor(o) {
        this.o = o;
    }
    async get(type, namespace, name) {
        return this.o.client.get((0, resources_js_1.resourcePath)(type, namespace, name), `read ${type.kind} ${namespace ? `${namespace}/` : ''}${name}`);
    }
    async list(type, namespace, selector) {
        const items = await this.o.client.list((0, resources_js_1.resourcePath)(type, namespace), `list ${type.plural}${namespace ? ` in ${namespace}` : ''}`, selector);
        // List items come without kind/apiVersion; put them back for messages and paths.
        return items.map((item) => ({ ...item, apiVersion: type.apiVersion, kind: type.kind }));
    }
    /** Whether any object of the type in the namespace carries the selector (one `limit=1` listing). */
    async any(type, namespace, selector) {
        const res = await this.o.client.request({
            method: 'GET',
            path: (0, resources_js_1.resourcePath)(type, namespace),
            query: { labelSelector: selector, limit: '1' },
            what: `look for ${type.plural} in ${namespace}`,
        });
        return (res.body.items ?? []).length > 0;
    }
    /** Every object of the type carrying the selector, in every namespace (one cluster-scope call). */
    async listEverywhere(type, selector) {
        const items = await this.o.client.list((0, resources_js_1.resourcePath)(type, undefined, undefined, true), `list ${type.plural} in all namespaces`, selector);
        return items.map((item) => ({ ...item, apiVersion: type.apiVersion, kind: type.kind }));
    }
    /** A JSON merge patch of a live object (scaling for sleep and wake), through the plan. */
    async patch(live, patch, detail) {
        const what = describeObject(live);
        const patched = await this.o.plan.apply({ kind: 'update', target: what, detail }, () => this.o.client.mergePatch(pathOf(live), patch, `${detail}: ${what}`), live);
        return { ...patched, apiVersion: live.apiVersion, kind: live.kind };
    }
    /** The live object for a desired one, or undefined. */
    async read(object) {
        const live = await this.o.client.get(pathOf(object), `read ${describeObject(object)}`);
        return live ? { ...live, apiVersion: object.apiVersion, kind: object.kind } : undefined;
    }
    /**
     * Server-side applies the object unless the live one already matches (see compare.ts). `live`
     * is what was read when ownership was judged; an unmarked live object got here only by --adopt.
     */
    async apply(desired, owner, known) {
        const target = (0, render_js_1.withHash)(desired);
        const path = pathOf(target);
        const what = describeObject(target);
        let live = known.live;
        if (live?.metadata.deletionTimestamp) {
            // Still being torn down by an earlier stop: wait for it to go, then create it anew.
            await this.waitGone(target);
            live = undefined;
        }
        if (live) {
            const ours = (0, reconcile_js_1.ownershipOf)((0, labels_js_1.marksOf)(live), owner.key).kind === 'ours';
            const { equal, drift } = (0, compare_js_1.upToDate)(target, live);
            if (equal && ours)
                return { action: 'unchanged', object: live, before: live };
            if (drift.length && ours)
                this.o.logger.info(`${what} was changed outside preview-kit (${drift.slice(0, 3).join(', ')}); restoring it`);
            await this.prepareStrategySwitch(target, live, path, what);
            if (!ours && (await this.takeOver(target, live, path, what)))
                live = undefined;
        }
        const applied = await this.o.plan.apply({ kind: live ? 'update' : 'create', target: what }, () => this.o.client.apply(path, target, `apply ${what}`, true), target);
        return { action: live ? 'updated' : 'created', object: { ...applied, apiVersion: target.apiVersion, kind: target.kind }, before: live };
    }
    /**
     * Adopting: apply alone would keep the previous owner's fields next to ours (a Service selector
     * with their label and ours selects nothing), so the object is first replaced by ours, keeping
     * what the cluster assigned (a Service's cluster IP). A workload whose selector differs cannot
     * be changed that way (the selector is immutable): it is deleted and made anew, as
     * `kubectl replace --force` does. True when it is gone.
     */
    async takeOver(target, live, path, what) {
        const selectorOf = (o) => (0, compare_js_1.stableStringify)(o.spec?.selector ?? null);
        if ((target.kind === 'Deployment' || target.kind === 'StatefulSet') && selectorOf(target) !== selectorOf(live)) {
            await this.o.plan.apply({ kind: 'delete', target: what, detail: 'adopted: its selector cannot change, so it is made anew' }, () => this.o.client.delete(path, `delete ${what}`, 'Foreground'), undefined);
            if (!this.o.plan.dryRun)
                await this.waitGone(target);
            return true;
        }
        const replacement = { ...target, metadata: { ...target.metadata, resourceVersion: live.metadata.resourceVersion } };
        const liveSpec = live.spec;
        if (target.kind === 'Service' && liveSpec) {
            replacement.spec = { ...target.spec, clusterIP: liveSpec.clusterIP, clusterIPs: liveSpec.clusterIPs };
        }
        await this.o.plan.apply({ kind: 'update', target: what, detail: 'adopted: replaced by ours' }, () => this.o.client.replace(path, replacement, `adopt ${what}`), undefined);
        return false;
    }
    /**
     * A Deployment moving to Recreate still has the server-defaulted `rollingUpdate` block, which the
     * API rejects with Recreate and which apply alone does not remove (no manager owns it).
     */
    async prepareStrategySwitch(target, live, path, what) {
        if (target.kind !== 'Deployment')
            return;
        const wanted = target.spec?.strategy?.type;
        const current = live.spec?.strategy;
        if (wanted !== 'Recreate' || !current?.rollingUpdate)
            return;
        await this.o.plan.apply({ kind: 'update', target: what, detail: 'strategy Recreate' }, () => this.o.client.mergePatch(path, { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }, `switch ${what} to Recreate`), undefined);
    }
    async delete(object) {
        const what = describeObject(object);
        return this.o.plan.apply({ kind: 'delete', target: what }, () => this.o.client.delete(pathOf(object), `delete ${what}`, 'Foreground'), true);
    }
    async waitGone(object) {
        const path = pathOf(object);
        const what = describeObject(object);
        await (0, retry_js_1.poll)(async () => ((await this.o.client.get(path, `read ${what}`)) ? undefined : true), {
            deadline: this.o.deadline,
            what: `${what} to be deleted`,
            initialMs: this.o.pollInitialMs,
            maxMs: this.o.pollMaxMs,
        });
    }
    /** Waits until no object of these types carries the selector (foreground deletion takes a while). */
    async waitNoneLeft(types, namespace, selector) {
        let remaining = [...types];
        await (0, retry_js_1.poll)(async () => {
            const still = [];
            for (const type of remaining) {
                const items = await this.list(type, namespace, selector);
                if (items.length)
                    still.push(type);
            }
            remaining = still;
            if (still.length)
                this.o.logger.progress(`waiting for ${still.map((t) => t.plural).join(', ')} to be deleted`);
            return still.length ? undefined : true;
        }, 
        // Objects without dependents go within moments: look again soon, then back off (a prune waits this per preview).
        { deadline: this.o.deadline, what: `the preview's objects to be deleted`, initialMs: Math.min(this.o.pollInitialMs, 100), maxMs: this.o.pollMaxMs });
    }
}
exports.ObjectStore = ObjectStore;


/***/ }),

/***/ 3502:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.objectHooks = objectHooks;
exports.judgeObject = judgeObject;
exports.guardTargets = guardTargets;
exports.deletable = deletable;
exports.oursAmong = oursAmong;
/**
 * Whose each object is, judged by the one reconcile algorithm (`classify` + `refusal`). Server-side
 * apply creates what is absent, so a run cannot find out object by object: every target it will
 * write is read and judged before the first write, and one refusal stops the run with nothing
 * written. Object names are unique in a namespace, so there is no race to settle afterwards.
 */
const reconcile_js_1 = __webpack_require__(2698);
const labels_js_1 = __webpack_require__(568);
const objects_js_1 = __webpack_require__(2343);
function where(object) {
    return `${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
}
/** The reconcile hooks of one object, for judging what was read (nothing is listed or created here). */
function objectHooks(object, owner) {
    return {
        noun: object.kind,
        name: where(object),
        uniqueNames: true,
        list: async () => [],
        id: (o) => o.metadata.uid ?? where(o),
        createdAt: (o) => (o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : undefined),
        marks: labels_js_1.marksOf,
        // Our identity key without the managed-by marker: someone stripped a label; the apply restores it.
        provablyOurs: (o) => o.metadata.labels?.[labels_js_1.KEY_LABEL] === owner.key && o.metadata.labels?.[labels_js_1.MANAGED_BY] === undefined,
        create: async () => object,
        planned: () => object,
        remove: async () => undefined,
    };
}
/** Sorts one live object (or none) into ours / another preview's / foreign. Objects being deleted do not count. */
function judgeObject(desired, live, owner) {
    const present = live && !live.metadata.deletionTimestamp ? [live] : [];
    return (0, reconcile_js_1.classify)(present, objectHooks(desired, owner), owner.identity);
}
/**
 * Reads every target and refuses the whole set, before any write, when one of them belongs to
 * another preview or is unmarked (unless `--adopt`). Returns what was read, for the applies.
 */
async function guardTargets(store, targets, owner, ctx) {
    const read = [];
    for (const object of targets)
        read.push({ object, live: await store.read(object) });
    const refusals = read.flatMap(({ object, live }) => {
        const refused = (0, reconcile_js_1.refusal)(judgeObject(object, live, owner), objectHooks(object, owner), ctx);
        return refused ? [refused] : [];
    });
    if (refusals.length > 1)
        ctx.logger.warn(`${refusals.length} objects of preview ${owner.name} are not its own: ${refusals.map((r) => r.message).join('; ')}`);
    if (refusals[0])
        throw refusals[0];
    return read;
}
/** What `stop` may delete among listed objects: ours; another preview's are left with a warning. */
function deletable(items, owner, ctx) {
    const out = [];
    for (const item of items) {
        const found = (0, reconcile_js_1.classify)([item], objectHooks(item, owner), owner.identity);
        out.push(...(0, reconcile_js_1.teardownTargets)(found, { noun: item.kind, name: where(item) }, ctx).map((c) => c.item));
    }
    return out;
}
/** Our objects among listed ones; the others are named in debug output. */
function oursAmong(items, owner, ctx) {
    return items.filter((item) => {
        const found = (0, reconcile_js_1.classify)([item], objectHooks(item, owner), owner.identity);
        if (found.ours.length || found.repairable.length)
            return true;
        for (const c of found.others)
            ctx.logger.debug(`${(0, objects_js_1.describeObject)(item)} belongs to ${c.ownership.kind === 'other' ? c.ownership.whose : 'another preview'}`);
        return false;
    });
}


/***/ }),

/***/ 3976:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.TRAEFIK_MIDDLEWARES = exports.NGINX_AUTH = void 0;
exports.basicAuthName = basicAuthName;
exports.protectIngress = protectIngress;
exports.protectionObjects = protectionObjects;
exports.htpasswdFor = htpasswdFor;
exports.removeProtection = removeProtection;
/**
 * `--basic-auth` on the Ingress, the way its controller reads it:
 *
 * - ingress-nginx (internal/ingress/annotations/auth): `nginx.ingress.kubernetes.io/auth-type:
 *   basic`, `auth-secret: <Secret>` in the Ingress's namespace, `auth-secret-type: auth-file` (the
 *   Secret's key `auth` holds an htpasswd file), `auth-realm`.
 * - Traefik (pkg/provider/kubernetes/crd/kubernetes.go, `createBasicAuthMiddleware`): a
 *   `traefik.io/v1alpha1` Middleware with `basicAuth.secret`, whose Secret holds exactly one key of
 *   htpasswd lines, and the Ingress annotation `traefik.ingress.kubernetes.io/router.middlewares:
 *   <namespace>-<middleware>@kubernetescrd`.
 *
 * The Secret stores only an `$apr1$` hash (htpasswd.ts). A re-run keeps the stored line when the
 * password still verifies against it, so the same setting writes nothing; without `--basic-auth`
 * the annotations go with the next apply and the Secret and Middleware we made are deleted.
 */
const errors_js_1 = __webpack_require__(4296);
const htpasswd_js_1 = __webpack_require__(1189);
const labels_js_1 = __webpack_require__(568);
const reconcile_js_1 = __webpack_require__(2698);
const render_js_1 = __webpack_require__(9839);
const resources_js_1 = __webpack_require__(6258);
exports.NGINX_AUTH = {
    type: 'nginx.ingress.kubernetes.io/auth-type',
    secret: 'nginx.ingress.kubernetes.io/auth-secret',
    secretType: 'nginx.ingress.kubernetes.io/auth-secret-type',
    realm: 'nginx.ingress.kubernetes.io/auth-realm',
};
exports.TRAEFIK_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';
/** Name of the preview's basic-auth Secret (and, with Traefik, Middleware). */
function basicAuthName(preview) {
    return `${preview}-basic-auth`;
}
/** The key of the htpasswd file in the Secret: `auth` for ingress-nginx; Traefik reads the only key. */
function secretKey(settings) {
    return settings.ingressController === 'traefik' ? 'users' : 'auth';
}
function realm(ctx) {
    return `Preview ${ctx.name}`;
}
/** The Ingress with the annotations that turn basic auth on (the input is not changed). */
function protectIngress(ingress, ctx, settings) {
    const annotations = { ...(ingress.metadata.annotations ?? {}) };
    const name = basicAuthName(ctx.name);
    if (settings.ingressController === 'traefik') {
        const ours = `${ctx.namespace}-${name}@kubernetescrd`;
        const others = (annotations[exports.TRAEFIK_MIDDLEWARES] ?? '').split(',').map((m) => m.trim()).filter((m) => m && m !== ours);
        annotations[exports.TRAEFIK_MIDDLEWARES] = [ours, ...others].join(',');
    }
    else {
        Object.assign(annotations, { [exports.NGINX_AUTH.type]: 'basic', [exports.NGINX_AUTH.secret]: name, [exports.NGINX_AUTH.secretType]: 'auth-file', [exports.NGINX_AUTH.realm]: realm(ctx) });
    }
    return { ...ingress, metadata: { ...ingress.metadata, annotations } };
}
/** The Secret (htpasswd `file`) and, with Traefik, the Middleware that protect the preview. */
function protectionObjects(ctx, settings, file) {
    const name = basicAuthName(ctx.name);
    const secret = (0, render_js_1.secretObject)(ctx, name, { [secretKey(settings)]: file }, 'basic-auth');
    if (settings.ingressController !== 'traefik')
        return [secret];
    const middleware = {
        apiVersion: resources_js_1.MIDDLEWARE_TYPE.apiVersion,
        kind: resources_js_1.MIDDLEWARE_TYPE.kind,
        metadata: { ...secret.metadata },
        // removeHeader: the application never sees the preview's password.
        spec: { basicAuth: { secret: name, realm: realm(ctx), removeHeader: true } },
    };
    return [secret, middleware];
}
/**
 * The htpasswd file to store: the live one when it holds the user with this password (a re-run
 * writes nothing), else a new line with a fresh salt.
 */
function htpasswdFor(live, settings, credentials) {
    const stored = live?.data?.[secretKey(settings)];
    const file = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
    if (file && (0, htpasswd_js_1.verifiesLine)(file, credentials.user, credentials.password))
        return file;
    return `${(0, htpasswd_js_1.htpasswdLine)(credentials.user, credentials.password)}\n`;
}
/**
 * Without `--basic-auth`: deletes the Secret and Middleware an earlier run made for it, when they
 * carry this preview's key; nothing (and no write) when there are none. True when one went.
 */
async function removeProtection(cluster, ctx, owner) {
    let removed = false;
    for (const object of protectionObjects(ctx, cluster.settings, '')) {
        let live;
        try {
            live = await cluster.store.read(object);
        }
        catch (error) {
            // No Traefik CRDs on this cluster: no Middleware of ours either.
            if (object.kind === resources_js_1.MIDDLEWARE_TYPE.kind && error instanceof errors_js_1.ProviderError && error.status === 404)
                continue;
            throw error;
        }
        if (!live || live.metadata.deletionTimestamp || (0, reconcile_js_1.ownershipOf)((0, labels_js_1.marksOf)(live), owner.key).kind !== 'ours')
            continue;
        await cluster.store.delete(live);
        if (!cluster.context.plan.dryRun)
            await cluster.store.waitGone(live);
        removed = true;
    }
    return removed;
}


/***/ }),

/***/ 294:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
exports.KubernetesProvider = void 0;
const cluster_js_1 = __webpack_require__(1621);
const deploy_js_1 = __webpack_require__(3288);
const ensure_js_1 = __webpack_require__(6717);
const find_js_1 = __webpack_require__(4796);
const listing_js_1 = __webpack_require__(6667);
const sleep_js_1 = __webpack_require__(540);
const teardown_js_1 = __webpack_require__(7179);
class KubernetesProvider {
    id = 'kubernetes';
    cluster;
    constructor(settings, context, tuning = {}) {
        this.cluster = new cluster_js_1.Cluster(settings, context, tuning);
    }
    /** Requests made so far, by method (benchmarks, --debug). */
    get stats() {
        return this.cluster.stats;
    }
    close() {
        this.cluster.close();
    }
    namespaceOf(name) {
        return this.cluster.namespaceOf(name);
    }
    find(ref) {
        return (0, find_js_1.findPreview)(this.cluster, ref);
    }
    ensure(spec) {
        return (0, ensure_js_1.ensurePreview)(this.cluster, spec);
    }
    setDomains(preview, spec) {
        return (0, ensure_js_1.setPreviewDomains)(this.cluster, preview, spec);
    }
    deploy(preview, spec, source) {
        return (0, deploy_js_1.deployPreview)(this.cluster, preview, spec, source);
    }
    destroy(ref) {
        return (0, teardown_js_1.destroyPreview)(this.cluster, ref);
    }
    list() {
        return (0, listing_js_1.listPreviews)(this.cluster);
    }
    sleep(ref) {
        return (0, sleep_js_1.sleepPreview)(this.cluster, ref);
    }
}
exports.KubernetesProvider = KubernetesProvider;


/***/ }),

/***/ 9839:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.envSecretName = envSecretName;
exports.databaseSecretName = databaseSecretName;
exports.expandTemplate = expandTemplate;
exports.placeholderValues = placeholderValues;
exports.secretObject = secretObject;
exports.namespaceObject = namespaceObject;
exports.podTemplateAdditions = podTemplateAdditions;
exports.envFromSecrets = envFromSecrets;
exports.ingressObject = ingressObject;
exports.reusedTag = reusedTag;
exports.renderFromSettings = renderFromSettings;
exports.withHash = withHash;
exports.configHashOf = configHashOf;
/**
 * The objects of one preview, rendered from settings: a Secret with the preview's env, a Service,
 * a Deployment and, when there are domains, an Ingress (plus a Namespace with --namespace-per-preview).
 * Every object carries our labels; the pod template carries the commit so that the same image tag
 * still rolls out on a new commit.
 */
const errors_js_1 = __webpack_require__(4296);
const naming_js_1 = __webpack_require__(2607);
const compare_js_1 = __webpack_require__(672);
const labels_js_1 = __webpack_require__(568);
function envSecretName(name) {
    return `${name}-env`;
}
function databaseSecretName(name) {
    return `${name}-db`;
}
/** Replaces `{key}` placeholders; unknown ones are an error in templates the user wrote for us. */
function expandTemplate(template, values, what, strict = true) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => {
        const value = values[key];
        if (value === undefined) {
            if (!strict)
                return whole;
            throw new errors_js_1.ConfigError(`invalid settings: ${what}: unknown or unavailable placeholder ${whole} in "${template}"`, {
                hint: 'placeholders: {name}, {app}, {branch}, {commit}, {shortCommit}, {namespace}, {host}',
            });
        }
        return value;
    });
}
function placeholderValues(ctx) {
    return {
        name: ctx.name,
        app: (0, naming_js_1.slugify)(ctx.app),
        branch: ctx.branch === undefined ? undefined : (0, naming_js_1.slugify)(ctx.branch),
        commit: ctx.commit,
        shortCommit: ctx.commit?.slice(0, 7),
        namespace: ctx.namespace,
        host: ctx.domains[0],
    };
}
function meta(ctx, name, extraLabels = {}) {
    return {
        name,
        namespace: ctx.namespace,
        labels: { ...(0, labels_js_1.ownerLabels)(ctx), [labels_js_1.APP_NAME]: (0, naming_js_1.slugify)(ctx.app) || ctx.name, ...extraLabels },
        annotations: (0, labels_js_1.ownerAnnotations)(ctx),
    };
}
function secretObject(ctx, name, data, component) {
    return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: meta(ctx, name, { [labels_js_1.COMPONENT]: component }),
        type: 'Opaque',
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
    };
}
function namespaceObject(ctx) {
    const m = meta(ctx, ctx.namespace);
    delete m.namespace;
    return { apiVersion: 'v1', kind: 'Namespace', metadata: m };
}
/** Pod-template metadata every workload gets: our labels, the commit, the config hash. */
function podTemplateAdditions(ctx, settings) {
    const labels = { ...(0, labels_js_1.ownerLabels)(ctx) };
    if (settings.commitLabel && ctx.commit)
        labels[labels_js_1.COMMIT_LABEL] = (0, labels_js_1.shortCommit)(ctx.commit);
    const annotations = { [labels_js_1.CONFIG_HASH_ANNOTATION]: ctx.configHash };
    if (ctx.commit)
        annotations[labels_js_1.COMMIT_ANNOTATION] = ctx.commit;
    if (ctx.restartedAt)
        annotations[labels_js_1.RESTARTED_AT_ANNOTATION] = ctx.restartedAt;
    return { labels, annotations };
}
function envFromSecrets(ctx) {
    const refs = [{ secretRef: { name: envSecretName(ctx.name) } }];
    if (ctx.databaseSecret)
        refs.push({ secretRef: { name: ctx.databaseSecret } });
    return refs;
}
function resources(settings) {
    const requests = {};
    const limits = {};
    if (settings.cpu)
        requests.cpu = settings.cpu;
    if (settings.memory)
        requests.memory = settings.memory;
    if (settings.cpuLimit)
        limits.cpu = settings.cpuLimit;
    if (settings.memoryLimit)
        limits.memory = settings.memoryLimit;
    const out = {};
    if (Object.keys(requests).length)
        out.requests = requests;
    if (Object.keys(limits).length)
        out.limits = limits;
    return Object.keys(out).length ? out : undefined;
}
function ingressObject(ctx, settings, serviceName, servicePort) {
    const metadata = meta(ctx, ctx.name, { [labels_js_1.COMPONENT]: 'app' });
    const annotations = { ...metadata.annotations, ...settings.ingressAnnotations };
    let tlsSecret = settings.tlsSecret ? expandTemplate(settings.tlsSecret, placeholderValues(ctx), 'tlsSecret') : undefined;
    if (settings.certManagerIssuer) {
        annotations[settings.certManagerIssuerKind === 'Issuer' ? 'cert-manager.io/issuer' : 'cert-manager.io/cluster-issuer'] = settings.certManagerIssuer;
        tlsSecret ??= `${ctx.name}-tls`;
    }
    metadata.annotations = annotations;
    const backend = { service: { name: serviceName, port: typeof servicePort === 'number' ? { number: servicePort } : { name: servicePort } } };
    const spec = {
        rules: ctx.domains.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })),
    };
    if (settings.ingressClass)
        spec.ingressClassName = settings.ingressClass;
    if (tlsSecret)
        spec.tls = [{ hosts: [...ctx.domains], secretName: tlsSecret }];
    return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
}
/**
 * Whether every commit deploys the same image reference (`app:nightly`, `app:{branch}`): a mutable
 * tag. Kubernetes defaults such tags (all but `latest`) to IfNotPresent, so a node that already
 * holds the previous image would start the new pods on it: the forced rollout would change nothing.
 */
function reusedTag(template) {
    return !/\{(commit|shortCommit)\}/.test(template) && !template.includes('@sha256:');
}
/** The objects rendered from settings (no manifests directory). */
function renderFromSettings(ctx, settings) {
    const selector = { [labels_js_1.PREVIEW_LABEL]: ctx.name, [labels_js_1.COMPONENT]: 'app' };
    const objects = [];
    if (settings.namespacePerPreview)
        objects.push(namespaceObject(ctx));
    objects.push(secretObject(ctx, envSecretName(ctx.name), ctx.env, 'env'));
    objects.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(ctx, ctx.name, { [labels_js_1.COMPONENT]: 'app' }),
        spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    });
    if (ctx.domains.length)
        objects.push(ingressObject(ctx, settings, ctx.name, 80));
    if (ctx.commit !== undefined) {
        if (!settings.image) {
            throw new errors_js_1.ConfigError('invalid settings: --image is required to deploy on Kubernetes without --manifests', {
                hint: 'set --image / PREVIEW_IMAGE, e.g. registry.example.com/app:{commit}',
            });
        }
        const image = expandTemplate(settings.image, placeholderValues(ctx), '--image');
        const extra = podTemplateAdditions(ctx, settings);
        const container = {
            name: 'app',
            image,
            ports: [{ name: 'http', containerPort: settings.port, protocol: 'TCP' }],
            envFrom: envFromSecrets(ctx),
        };
        if (reusedTag(settings.image))
            container.imagePullPolicy = 'Always';
        const res = resources(settings);
        if (res)
            container.resources = res;
        if (settings.readinessPath)
            container.readinessProbe = { httpGet: { path: settings.readinessPath, port: 'http' }, periodSeconds: 5 };
        const podSpec = { containers: [container] };
        if (settings.imagePullSecrets.length)
            podSpec.imagePullSecrets = settings.imagePullSecrets.map((name) => ({ name }));
        objects.push({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: meta(ctx, ctx.name, { [labels_js_1.COMPONENT]: 'app' }),
            spec: {
                replicas: settings.replicas,
                selector: { matchLabels: selector },
                strategy: { type: settings.strategy },
                template: {
                    metadata: { labels: { ...extra.labels, ...selector }, annotations: extra.annotations },
                    spec: podSpec,
                },
            },
        });
    }
    return objects;
}
/** Stamps the hash of the object as desired into its annotations (what `upToDate` compares). */
function withHash(object) {
    const hash = (0, compare_js_1.desiredHash)(object);
    return { ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations ?? {}), [labels_js_1.HASH_ANNOTATION]: hash } } };
}
/** Hash of the Secrets the pods read, so a changed env value rolls the pods. */
function configHashOf(secrets) {
    return (0, compare_js_1.hashOf)(secrets.map((s) => [s.metadata.name, s.data]));
}


/***/ }),

/***/ 6258:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.MIDDLEWARE_TYPE = exports.DERIVED_TYPES = exports.RESOURCE_TYPES = void 0;
exports.resourceType = resourceType;
exports.groupPath = groupPath;
exports.resourcePath = resourcePath;
/**
 * The resource types preview-kit creates, reads and deletes, with their REST paths. A fixed table
 * (instead of discovery) keeps a run to the calls it needs; a manifest of another kind is refused
 * with a message rather than guessed at.
 */
const errors_js_1 = __webpack_require__(4296);
exports.RESOURCE_TYPES = [
    { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false, phase: 'ensure' },
    { kind: 'ServiceAccount', apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true, phase: 'ensure' },
    { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true, phase: 'ensure' },
    { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true, phase: 'ensure' },
    { kind: 'PersistentVolumeClaim', apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true, phase: 'ensure' },
    { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true, phase: 'ensure' },
    { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true, phase: 'ensure' },
    { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true, phase: 'ensure' },
    { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true, phase: 'ensure' },
    { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true, phase: 'ensure' },
    { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true, phase: 'routes' },
    { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true, phase: 'deploy', workload: true },
    { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true, phase: 'deploy', workload: true },
    { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, phase: 'deploy' },
    { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true, phase: 'deploy' },
    { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true, phase: 'deploy' },
];
/** Objects the cluster makes from ours (not applied by us, but carrying our labels through templates). */
exports.DERIVED_TYPES = [
    { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true, phase: 'deploy' },
    { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true, phase: 'deploy' },
];
/**
 * Traefik's Middleware (CRD `middlewares.traefik.io`, served only where Traefik is installed):
 * made for `--basic-auth` when the Ingress class is Traefik, and only then looked for.
 */
exports.MIDDLEWARE_TYPE = { kind: 'Middleware', apiVersion: 'traefik.io/v1alpha1', plural: 'middlewares', namespaced: true, phase: 'routes' };
function resourceType(apiVersion, kind) {
    if (kind === exports.MIDDLEWARE_TYPE.kind && apiVersion === exports.MIDDLEWARE_TYPE.apiVersion)
        return exports.MIDDLEWARE_TYPE;
    const type = exports.RESOURCE_TYPES.find((t) => t.kind === kind && t.apiVersion === apiVersion);
    if (!type) {
        throw new errors_js_1.ConfigError(`unsupported Kubernetes object ${apiVersion} ${kind}`, {
            hint: `supported: ${exports.RESOURCE_TYPES.map((t) => `${t.apiVersion} ${t.kind}`).join(', ')}`,
        });
    }
    return type;
}
/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
function groupPath(apiVersion) {
    return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
/** Collection path (namespace given, or `allNamespaces` for a cluster-scope list) or item path (name given). */
function resourcePath(type, namespace, name, allNamespaces = false) {
    let path = groupPath(type.apiVersion);
    if (type.namespaced && !allNamespaces) {
        if (!namespace)
            throw new Error(`${type.kind} needs a namespace`);
        path += `/namespaces/${encodeURIComponent(namespace)}`;
    }
    path += `/${type.plural}`;
    if (name !== undefined)
        path += `/${encodeURIComponent(name)}`;
    return path;
}


/***/ }),

/***/ 302:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.FATAL_WAITING_REASONS = void 0;
exports.deploymentRollout = deploymentRollout;
exports.podProblems = podProblems;
exports.describeProblems = describeProblems;
exports.notReadyPods = notReadyPods;
/**
 * Rollout state of a Deployment, decided the way `kubectl rollout status` decides it, and the
 * reasons pods give when they cannot start (ImagePullBackOff, CrashLoopBackOff…), for error messages.
 */
const labels_js_1 = __webpack_require__(568);
function deploymentRollout(deployment) {
    const name = deployment.metadata.name ?? '';
    const status = deployment.status ?? {};
    const desired = deployment.spec?.replicas ?? 1;
    const total = status.replicas ?? 0;
    const updated = status.updatedReplicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const base = { replicas: desired, updated, available };
    if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
        return { ...base, state: 'progressing', message: `waiting for deployment "${name}" spec update to be observed` };
    }
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
        return { ...base, state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
    }
    if (updated < desired) {
        return { ...base, state: 'progressing', message: `${updated} out of ${desired} new replicas have been updated` };
    }
    if (total > updated) {
        return { ...base, state: 'progressing', message: `${total - updated} old replicas are pending termination` };
    }
    if (available < updated) {
        return { ...base, state: 'progressing', message: `${available} of ${updated} updated replicas are available` };
    }
    return { ...base, state: 'complete', message: `deployment "${name}" successfully rolled out` };
}
/** Waiting reasons that will not clear by themselves soon: worth failing fast on. */
exports.FATAL_WAITING_REASONS = new Set([
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'ErrImageNeverPull',
    'CrashLoopBackOff',
    'CreateContainerConfigError',
    'CreateContainerError',
    'RunContainerError',
]);
/** What keeps each pod from being ready, from its container statuses and conditions. */
function podProblems(pods, commit) {
    const problems = [];
    for (const pod of pods) {
        if (pod.metadata.deletionTimestamp)
            continue;
        const status = (pod.status ?? {});
        const current = commit === undefined || pod.metadata.annotations?.[labels_js_1.COMMIT_ANNOTATION] === commit;
        const name = pod.metadata.name ?? '';
        const before = problems.length;
        for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
            const waiting = c.state?.waiting;
            const terminated = c.state?.terminated;
            if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
                problems.push({ pod: name, container: c.name ?? '', reason: waiting.reason, message: waiting.message, current });
            }
            else if (terminated && terminated.exitCode !== 0 && terminated.reason) {
                problems.push({ pod: name, container: c.name ?? '', reason: `${terminated.reason} (exit ${terminated.exitCode})`, message: terminated.message, current });
            }
        }
        if (problems.length === before && status.phase === 'Pending') {
            const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
            if (unschedulable)
                problems.push({ pod: name, container: '', reason: unschedulable.reason ?? 'Unschedulable', message: unschedulable.message, current });
        }
        if (problems.length === before && status.phase === 'Failed') {
            problems.push({ pod: name, container: '', reason: status.reason ?? 'Failed', message: status.message, current });
        }
    }
    return problems;
}
function describeProblems(problems) {
    return problems
        .map((p) => `pod ${p.pod}${p.container ? ` container ${p.container}` : ''}: ${p.reason}${p.message ? ` (${p.message.slice(0, 200)})` : ''}`)
        .join('; ');
}
/**
 * Why each pod is not ready yet, slow states included (ContainerCreating, running but not ready):
 * what a person needs when a rollout runs out of time rather than failing. Pods of `commit` are
 * shown when there are any, else all; ready pods are left out.
 */
function notReadyPods(pods, commit) {
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    const ofCommit = live.filter((p) => commit === undefined || p.metadata.annotations?.[labels_js_1.COMMIT_ANNOTATION] === commit);
    const out = [];
    for (const pod of ofCommit.length ? ofCommit : live) {
        const current = ofCommit.includes(pod);
        const problems = podProblems([pod], commit);
        if (problems.length) {
            out.push(...problems);
            continue;
        }
        const status = (pod.status ?? {});
        if (status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            continue;
        const name = pod.metadata.name ?? '';
        const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].filter((c) => !c.ready);
        const waiting = containers.find((c) => c.state?.waiting?.reason);
        if (waiting) {
            out.push({ pod: name, container: waiting.name ?? '', reason: waiting.state.waiting.reason, message: waiting.state.waiting.message, current });
        }
        else if (containers.length && status.phase === 'Running') {
            out.push({ pod: name, container: containers[0].name ?? '', reason: 'running but not ready', message: 'readiness probe not passing yet', current });
        }
        else {
            const ready = status.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
            out.push({ pod: name, container: '', reason: ready?.reason ?? status.phase ?? 'not ready', message: ready?.message, current });
        }
    }
    return out;
}


/***/ }),

/***/ 540:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.sleepPreview = sleepPreview;
exports.isAsleep = isAsleep;
exports.wakeWorkloads = wakeWorkloads;
const activity_js_1 = __webpack_require__(8758);
const labels_js_1 = __webpack_require__(568);
const objects_js_1 = __webpack_require__(2343);
const ownership_js_1 = __webpack_require__(3502);
const targets_js_1 = __webpack_require__(4129);
async function sleepPreview(cluster, ref) {
    const { store, context } = cluster;
    const owner = (0, targets_js_1.ownerOf)(ref);
    const ctx = (0, targets_js_1.renderContext)(cluster, ref);
    const workloads = [];
    for (const type of (0, targets_js_1.kindsToFind)(cluster, ctx).filter((t) => t.workload)) {
        workloads.push(...(await store.list(type, ctx.namespace, (0, labels_js_1.ownSelector)(owner))));
    }
    const stopped = [];
    for (const workload of (0, ownership_js_1.oursAmong)(workloads, owner, context)) {
        if (workload.metadata.deletionTimestamp)
            continue;
        const replicas = (0, activity_js_1.replicasOf)(workload);
        if (replicas === 0)
            continue;
        await store.patch(workload, { metadata: { annotations: { [labels_js_1.SLEEPING_REPLICAS_ANNOTATION]: String(replicas) } }, spec: { replicas: 0 } }, 'sleep: 0 replicas');
        stopped.push(`${(0, objects_js_1.describeObject)(workload)} (${replicas} → 0 replicas)`);
    }
    if (stopped.length && !context.plan.dryRun)
        context.logger.info(`${ref.name} sleeps: ${stopped.join(', ')}; its Service, Ingress, Secrets and data stay`);
    return { slept: stopped.length > 0, stopped };
}
/** Whether sleep put this workload to zero (and recorded what to restore). */
function isAsleep(object) {
    return !!object && (0, activity_js_1.isWorkload)(object) && (0, activity_js_1.replicasOf)(object) === 0 && (0, activity_js_1.sleepingReplicas)(object) !== undefined;
}
/**
 * Wakes the sleeping workloads among `lives` (objects read from the cluster): restores their
 * replicas and stamps the deploy time. Returns the objects as the API server answered, by
 * `Kind/name`, for the caller to use as the new live versions.
 */
async function wakeWorkloads(cluster, lives) {
    const woken = new Map();
    const now = new Date().toISOString();
    for (const live of lives) {
        if (!isAsleep(live) || live.metadata.deletionTimestamp)
            continue;
        const replicas = (0, activity_js_1.sleepingReplicas)(live);
        const patched = await cluster.store.patch(live, { metadata: { annotations: { [labels_js_1.SLEEPING_REPLICAS_ANNOTATION]: null, [labels_js_1.DEPLOYED_AT_ANNOTATION]: now } }, spec: { replicas } }, `wake: ${replicas} replica${replicas === 1 ? '' : 's'}`);
        if (!cluster.context.plan.dryRun)
            cluster.context.logger.info(`woke ${(0, objects_js_1.describeObject)(live)}: ${replicas} replica${replicas === 1 ? '' : 's'}`);
        woken.set(`${live.kind}/${live.metadata.name}`, patched);
    }
    return woken;
}


/***/ }),

/***/ 4129:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.STAND_IN_COMMIT = void 0;
exports.ownerOf = ownerOf;
exports.renderContext = renderContext;
exports.render = render;
exports.phaseOf = phaseOf;
exports.routesOf = routesOf;
exports.protectionTargets = protectionTargets;
exports.upTargets = upTargets;
exports.sortForApply = sortForApply;
exports.kindsToFind = kindsToFind;
const manifests_js_1 = __webpack_require__(8209);
const render_js_1 = __webpack_require__(9839);
const protection_js_1 = __webpack_require__(3976);
const resources_js_1 = __webpack_require__(6258);
/** A commit for rendering workloads before the real one is known. */
exports.STAND_IN_COMMIT = '0'.repeat(40);
function ownerOf(ref) {
    return { name: ref.name, key: ref.key, identity: ref.identity };
}
/** The render context of one call: everything comes from its ref/spec, nothing from earlier calls. */
function renderContext(cluster, ref, extra = {}) {
    cluster.context.logger.addSecret(ref.basicAuth?.password);
    return {
        name: ref.name,
        key: ref.key,
        identity: ref.identity,
        app: ref.identity.project,
        branch: ref.identity.branch,
        namespace: cluster.namespaceOf(ref.name),
        env: ref.env ?? {},
        domains: ref.domains ?? [],
        configHash: '',
        ...(ref.basicAuth ? { basicAuth: ref.basicAuth } : {}),
        ...extra,
    };
}
function render(cluster, ctx) {
    const settings = cluster.settings;
    if (settings.manifests) {
        const objects = (0, manifests_js_1.renderFromManifests)((0, manifests_js_1.readManifests)(settings.manifests), ctx, settings);
        const extra = [];
        if (settings.namespacePerPreview)
            extra.push((0, render_js_1.renderFromSettings)({ ...ctx, commit: undefined, domains: [] }, settings)[0]);
        extra.push((0, render_js_1.secretObject)(ctx, (0, render_js_1.envSecretName)(ctx.name), ctx.env, 'env'));
        return [...extra, ...objects];
    }
    return (0, render_js_1.renderFromSettings)(ctx, settings);
}
function phaseOf(object) {
    return (0, resources_js_1.resourceType)(object.apiVersion, object.kind).phase;
}
/**
 * The Ingresses for the spec's domains. Manifests without an Ingress get one in front of their
 * only Service; with several Services there is no telling which one serves (said once, when `warn`).
 */
function routesOf(cluster, ctx, logger) {
    const protect = (ingresses) => (ctx.basicAuth ? ingresses.map((i) => (0, protection_js_1.protectIngress)(i, ctx, cluster.settings)) : ingresses);
    const rendered = render(cluster, ctx);
    const ingresses = rendered.filter((o) => phaseOf(o) === 'routes');
    if (!cluster.settings.manifests || ingresses.length || !ctx.domains.length)
        return protect(ingresses);
    const services = rendered.filter((o) => o.kind === 'Service');
    const port = (services[0]?.spec?.ports ?? [])[0]?.port;
    if (services.length === 1 && port)
        return protect([(0, render_js_1.ingressObject)(ctx, cluster.settings, services[0].metadata.name, port)]);
    logger?.warn('--domain is set but the manifests hold no Ingress and not exactly one Service: no route made');
    return [];
}
/** The basic-auth Secret (and Middleware) a run with `--basic-auth` and a route writes; none otherwise. */
function protectionTargets(cluster, ctx, routes) {
    return ctx.basicAuth && routes.length ? (0, protection_js_1.protectionObjects)(ctx, cluster.settings, '') : [];
}
/** Everything a whole `up` writes, workloads rendered with a stand-in commit, Namespace first. */
function upTargets(cluster, ctx) {
    const withDatabase = cluster.database !== undefined;
    const databaseSecret = withDatabase ? (0, render_js_1.databaseSecretName)(ctx.name) : undefined;
    const all = render(cluster, { ...ctx, commit: exports.STAND_IN_COMMIT, databaseSecret });
    const routes = routesOf(cluster, ctx);
    const out = [...all.filter((o) => phaseOf(o) === 'ensure'), ...routes, ...protectionTargets(cluster, ctx, routes), ...all.filter((o) => phaseOf(o) === 'deploy')];
    if (databaseSecret)
        out.push((0, render_js_1.secretObject)(ctx, databaseSecret, {}, 'database'));
    return sortForApply(out);
}
/** Table order: Namespace first, then what the workloads use, the workloads last. */
function sortForApply(objects) {
    const ingress = resources_js_1.RESOURCE_TYPES.findIndex((t) => t.kind === 'Ingress');
    // A Traefik Middleware goes just before the Ingress that names it.
    const order = (o) => (o.kind === resources_js_1.MIDDLEWARE_TYPE.kind ? ingress - 0.5 : resources_js_1.RESOURCE_TYPES.findIndex((t) => t.kind === o.kind && t.apiVersion === o.apiVersion));
    return [...objects].sort((a, b) => order(a) - order(b));
}
/** Kinds a preview of this configuration may hold, for find/status and stop. */
function kindsToFind(cluster, ctx) {
    const kinds = new Set(['Secret', 'Service', 'Ingress', 'Deployment']);
    if (cluster.settings.manifests) {
        try {
            for (const o of render(cluster, { ...ctx, commit: ctx.commit ?? exports.STAND_IN_COMMIT }))
                kinds.add(o.kind);
        }
        catch {
            // A stop/status job may run without the checkout: then look at every kind we know.
            for (const t of resources_js_1.RESOURCE_TYPES)
                kinds.add(t.kind);
        }
    }
    kinds.delete('Namespace');
    return resources_js_1.RESOURCE_TYPES.filter((t) => kinds.has(t.kind));
}


/***/ }),

/***/ 7179:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.destroyPreview = destroyPreview;
/**
 * `destroy`: everything of this preview — its own namespace, or in a shared namespace every object
 * with its name label and identity key, workloads first — then the database. Objects of that name
 * that belong to another preview are left alone with a warning; the run still succeeds. A run that
 * removes several previews (prune) looks for the kinds its settings do not make only where an
 * inventory of the namespace, taken once, found anything of ours.
 */
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
const client_js_1 = __webpack_require__(3144);
const find_js_1 = __webpack_require__(4796);
const labels_js_1 = __webpack_require__(568);
const census_js_1 = __webpack_require__(7792);
const ownership_js_1 = __webpack_require__(3502);
const resources_js_1 = __webpack_require__(6258);
const targets_js_1 = __webpack_require__(4129);
/** Removals made so far by each connection (one per run), and its census of kinds. */
const removals = new WeakMap();
const censuses = new WeakMap();
function censusOf(cluster) {
    let census = censuses.get(cluster);
    if (!census)
        censuses.set(cluster, (census = new census_js_1.KindCensus(cluster.store, `${labels_js_1.MANAGED_BY}=${types_js_1.OWNER_MARKER}`)));
    return census;
}
async function destroyPreview(cluster, ref) {
    const { store, context } = cluster;
    const owner = (0, targets_js_1.ownerOf)(ref);
    const namespace = cluster.namespaceOf(ref.name);
    const removed = [];
    if (cluster.settings.namespacePerPreview) {
        const ns = await store.get((0, find_js_1.typeOf)('Namespace'), undefined, namespace);
        const targets = ns ? (0, ownership_js_1.deletable)([{ ...ns, apiVersion: 'v1', kind: 'Namespace' }], owner, context) : [];
        for (const target of targets) {
            if (await store.delete(target))
                removed.push(`namespace ${namespace}`);
            if (!context.plan.dryRun)
                await store.waitGone(target);
        }
    }
    else {
        // A Traefik Middleware exists only for --basic-auth behind Traefik: looked for only then.
        const traefik = cluster.settings.ingressController === 'traefik' ? [resources_js_1.MIDDLEWARE_TYPE] : [];
        const types = [...resources_js_1.RESOURCE_TYPES.filter((t) => t.namespaced), ...traefik, ...resources_js_1.DERIVED_TYPES];
        const found = [];
        const unchecked = [];
        // Kinds these settings make must be listed; other kinds are looked at in case older settings
        // made them, but a deployer role without rights on them (or a cluster without the API) must
        // not make every stop fail.
        const expected = new Set((0, targets_js_1.kindsToFind)(cluster, (0, targets_js_1.renderContext)(cluster, ref)).map((t) => t.kind));
        // From the second removal of a run on (a prune), the other kinds are looked for only where the
        // run's inventory found anything of ours, and a dry run plans from it alone (census.ts).
        const runs = (removals.get(cluster) ?? 0) + 1;
        removals.set(cluster, runs);
        const inventory = runs > 1 ? await censusOf(cluster).of(types, namespace) : undefined;
        // Workloads first, so their pods stop before the Secrets and Service they use go.
        for (const type of [...types].reverse()) {
            const known = inventory?.get(type);
            if (known && !expected.has(type.kind) && known.presence !== 'some') {
                if (known.presence === 'unchecked')
                    unchecked.push(type);
                continue;
            }
            let items;
            try {
                // A dry run plans from the inventory; a real removal looks at the cluster as it is now.
                items =
                    known && known.presence !== 'unchecked' && context.plan.dryRun
                        ? known.items.filter((item) => item.metadata.labels?.[labels_js_1.PREVIEW_LABEL] === ref.name)
                        : await store.list(type, namespace, (0, labels_js_1.previewSelector)(ref.name));
            }
            catch (error) {
                const unserved = error instanceof errors_js_1.ProviderError && error.status === 404;
                if (expected.has(type.kind) || !(error instanceof client_js_1.ForbiddenError || unserved))
                    throw error;
                unchecked.push(type);
                continue;
            }
            // Going already, or going with their owner (a Deployment's ReplicaSets and pods).
            const candidates = items.filter((item) => !item.metadata.deletionTimestamp && !(resources_js_1.DERIVED_TYPES.includes(type) && item.metadata.ownerReferences));
            const targets = (0, ownership_js_1.deletable)(candidates, owner, context);
            if (items.some((item) => (0, find_js_1.isOwn)(item, ref)))
                found.push(type);
            for (const item of targets) {
                await store.delete(item);
                removed.push(`${item.kind.toLowerCase()} ${namespace}/${item.metadata.name}`);
            }
        }
        if (unchecked.length) {
            context.logger.warn(`stop ${ref.name}: could not look for ${unchecked.map((t) => t.plural).join(', ')} in ${namespace} (forbidden or not served); these settings make none of them`);
        }
        // Only the kinds something was deleted from can still hold objects of this preview.
        if (found.length && !context.plan.dryRun)
            await store.waitNoneLeft(found, namespace, (0, labels_js_1.ownSelector)(owner));
    }
    const db = cluster.database;
    if (db)
        removed.push(...(await db.drop(owner)).removed.map((r) => `PostgreSQL ${r}`));
    return { deleted: removed.length > 0, removed };
}


/***/ })

};
