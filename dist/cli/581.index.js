export const id = 581;
export const ids = [581];
export const modules = {

/***/ 5581:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.usageError = usageError;
exports.run = run;
exports.main = main;
/**
 * The CLI: arguments → command → output and exit code. The only module that calls process.exit
 * (through `process.exitCode`), and the one top-level catch that turns errors into the contract's
 * line. Help, output and the settings edge live in `cli/` and `run/`.
 */
const node_util_1 = __webpack_require__(7975);
const errors_js_1 = __webpack_require__(4296);
const help_js_1 = __webpack_require__(7911);
const output_js_1 = __webpack_require__(6657);
const failure_js_1 = __webpack_require__(6310);
const ci_env_js_1 = __webpack_require__(8458);
const commands_js_1 = __webpack_require__(2739);
const descendants_js_1 = __webpack_require__(3337);
const edge_js_1 = __webpack_require__(2720);
const execute_js_1 = __webpack_require__(5306);
const version_js_1 = __webpack_require__(311);
function parseConfig(specs) {
    const options = {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
    };
    for (const spec of specs) {
        if (!spec.flag)
            continue;
        options[spec.flag] = {
            type: spec.type === 'boolean' ? 'boolean' : 'string',
            ...(spec.type === 'list' || spec.type === 'map' ? { multiple: true } : {}),
            ...(spec.short ? { short: spec.short } : {}),
        };
    }
    return options;
}
/** node:util's parse errors span several lines; the contract wants one. */
function usageError(message) {
    const ambiguous = /^Option '(--?[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) {
        return new errors_js_1.ConfigError(`usage: ${ambiguous[1]} needs a value`, { hint: `a value starting with - is written ${ambiguous[1]}=-VALUE; see preview-kit --help` });
    }
    const first = message
        .replace(/\. To specify a positional.*$/s, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/\.$/, '');
    return new errors_js_1.ConfigError(`usage: ${first}`, { hint: 'see preview-kit --help' });
}
/** Runs the CLI and returns the exit code (the caller exits). */
async function run(argv, io) {
    const startedAt = Date.now();
    const redactor = (0, edge_js_1.redactorFor)(io.env);
    const specs = (0, edge_js_1.allOptions)();
    const debugWanted = (0, edge_js_1.isDebug)(io.env, { debug: argv.includes('--debug') });
    const ci = (0, ci_env_js_1.ciInfoFromEnv)(io.env);
    let json = false;
    try {
        let parsed;
        try {
            parsed = (0, node_util_1.parseArgs)({ args: argv, options: parseConfig(specs), allowPositionals: true, strict: true });
        }
        catch (error) {
            throw usageError(error.message);
        }
        const flags = parsed.values;
        json = flags.json === true;
        if (flags.version) {
            io.stdout.write(`${version_js_1.VERSION}\n`);
            return errors_js_1.ExitCode.ok;
        }
        const [commandWord, ...extra] = parsed.positionals;
        const command = commandWord;
        if (command === undefined && !flags.help) {
            // A pipeline that lost its command word gets the contract's one line, not a page of help.
            throw new errors_js_1.ConfigError('usage: no command given', { hint: `commands: ${Object.keys(commands_js_1.COMMANDS).join(', ')}; see preview-kit --help` });
        }
        if (flags.help || command === undefined || command === 'help') {
            const target = command === undefined || command === 'help' ? extra[0] : command;
            const provider = flags.provider || io.env.PREVIEW_PROVIDER || undefined;
            io.stdout.write((0, help_js_1.helpText)(target && (0, commands_js_1.isCommand)(target) ? target : undefined, provider));
            return errors_js_1.ExitCode.ok;
        }
        if (!(0, commands_js_1.isCommand)(command)) {
            throw new errors_js_1.ConfigError(`usage: unknown command "${command}"`, { hint: `commands: ${Object.keys(commands_js_1.COMMANDS).join(', ')}` });
        }
        if (extra.length)
            throw new errors_js_1.ConfigError(`usage: unexpected argument "${extra[0]}"`, { hint: `see preview-kit ${command} --help` });
        const { result, settings, logger } = await (0, execute_js_1.execute)(command, flags, io, { ci, redactor });
        await (0, execute_js_1.publish)(ci, result, settings, startedAt, logger, io.env);
        if (json)
            io.stdout.write(`${redactor.redact(JSON.stringify(result))}\n`);
        else
            for (const line of (0, output_js_1.resultLines)(result, Date.now() - startedAt))
                io.stdout.write(`${redactor.redact(line)}\n`);
        // A command that did most of its work and reported it can still fail (prune: one removal of many).
        if (result.exitCode !== undefined && result.exitCode !== errors_js_1.ExitCode.ok) {
            const reason = redactor.redact(String(result.failure ?? `${result.command} failed`));
            io.stderr.write(`preview-kit: ${reason}\n`);
            io.stderr.write((0, failure_js_1.failureReport)(ci.forge, commandOf(argv), reason, result.exitCode));
            return result.exitCode;
        }
        return errors_js_1.ExitCode.ok;
    }
    catch (error) {
        const code = (0, errors_js_1.exitCodeOf)(error);
        // Anything but our typed errors is a bug of ours: say so, and where to look.
        const line = error instanceof errors_js_1.PreviewError ? `preview-kit: ${(0, errors_js_1.describeError)(error)}` : `preview-kit: unexpected error: ${(0, errors_js_1.describeError)(error)} (run again with --debug for the stack trace, and report it)`;
        io.stderr.write(`${redactor.redact(line)}\n`);
        const stack = error?.stack;
        if (debugWanted && stack)
            io.stderr.write(`${redactor.redact(stack)}\n`);
        // Where people look: the run page's annotations on GitHub, the end of the job log on GitLab.
        const reason = redactor.redact(line.replace(/^preview-kit: /, ''));
        io.stderr.write((0, failure_js_1.failureReport)(ci.forge, commandOf(argv), reason, code));
        if (json)
            io.stdout.write(`${redactor.redact(JSON.stringify({ error: (0, errors_js_1.describeError)(error), exitCode: code }))}\n`);
        return code;
    }
}
/**
 * Ctrl-C or a cancelled CI job: stop at once with one line and 130/143. Every step converges on
 * a re-run (the app is found by name and identity, a deployment under way is followed), so nothing
 * is rolled back. Every process we started ends with us, grandchildren included (a push's
 * `git-remote-http`), so nothing keeps working for a job that is gone.
 */
/** The command word of argv, for messages: `up`, or `run` when there is none. */
function commandOf(argv) {
    return argv.find(commands_js_1.isCommand) ?? 'run';
}
function exitOnSignals(argv) {
    const command = commandOf(argv);
    const onSignal = (signal) => {
        (0, descendants_js_1.signalDescendants)('SIGTERM');
        const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
        process.stderr.write(`${clear}preview-kit: ${command}: interrupted by ${signal} (run the same command again to finish, or stop to remove what was made)\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
}
async function main(argv) {
    exitOnSignals(argv);
    const code = await run(argv, {
        stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY },
        stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY },
        env: process.env,
        cwd: process.cwd(),
    });
    // Let stdout drain before exiting: a pipe may still hold our JSON.
    process.exitCode = code;
}


/***/ }),

/***/ 7911:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ONLY_FOR = void 0;
exports.appliesTo = appliesTo;
exports.helpText = helpText;
const settings_js_1 = __webpack_require__(1922);
const registry_js_1 = __webpack_require__(3307);
const commands_js_1 = __webpack_require__(2739);
/** Options that only some commands read; any other common option applies to every command. */
exports.ONLY_FOR = {
    all: ['list'],
    ttl: ['prune'],
    ttlFrom: ['prune'],
    sleepAfter: ['prune'],
    parallel: ['prune'],
    max: ['prune'],
    keep: ['prune'],
    maxPreviews: ['up'],
    capPolicy: ['up'],
    basicAuth: ['ensure-app', 'set-domain', 'deploy', 'up'],
    commit: ['deploy', 'up'],
    force: ['deploy', 'up'],
    waitUrl: ['deploy', 'up'],
    healthPath: ['deploy', 'up'],
    env: ['ensure-app', 'up'],
    favourite: ['set-domain', 'up'],
    adopt: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop'],
    dryRun: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'prune'],
    timeout: ['ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status', 'list', 'prune'],
    branch: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status'],
    pr: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'sleep', 'stop', 'status'],
};
function appliesTo(spec, command) {
    return command === undefined || !(spec.key in exports.ONLY_FOR) || exports.ONLY_FOR[spec.key].includes(command);
}
const HELP_WIDTH = 34;
function helpRows(rows) {
    // A left column too long for the alignment gets its description on the next line.
    return rows.map(([l, r]) => (l.length + 2 < HELP_WIDTH ? `  ${l.padEnd(HELP_WIDTH - 2)}${r}` : `  ${l}\n  ${''.padEnd(HELP_WIDTH - 2)}${r}`));
}
function optionLines(specs) {
    return helpRows(specs
        .filter((s) => s.flag)
        .map((s) => {
        const left = `${s.short ? `-${s.short}, ` : '    '}--${s.flag}${s.type === 'boolean' ? '' : ` ${s.value ?? 'VALUE'}`}`;
        const env = s.env?.length ? ` [env ${s.env.join(', ')}]` : '';
        const def = s.defaultText ? ` (default: ${s.defaultText})` : '';
        return [left, `${s.description}${def}${env}`];
    }));
}
function helpText(command, provider) {
    const lines = [];
    if (command) {
        lines.push(`Usage: preview-kit ${command} [options]`, '', `${commands_js_1.COMMANDS[command]}.`, '');
    }
    else {
        lines.push('Usage: preview-kit <command> [options]', '', 'One preview environment per branch: created, updated and removed in one reliable step.', '', 'Commands:', ...Object.entries(commands_js_1.COMMANDS).map(([n, d]) => `  ${n.padEnd(12)}${d}`), '');
    }
    lines.push('Options:', ...optionLines(settings_js_1.commonOptions.filter((s) => appliesTo(s, command))), ...helpRows([
        ['-h, --help', 'show help'],
        ['-V, --version', 'print the version'],
    ]));
    // With a provider chosen, only its options; `name` never talks to a platform.
    const modules = command === 'name' ? [] : registry_js_1.providerModules.filter((m) => !provider || m.id === provider);
    for (const module of modules.length || command === 'name' ? modules : registry_js_1.providerModules) {
        const specs = module.options.filter((s) => s.flag || s.env?.length);
        if (!specs.length)
            continue;
        lines.push('', `${module.id} (${module.description}):`, ...optionLines(specs.filter((s) => s.flag)));
        lines.push(...helpRows(specs.filter((s) => !s.flag).map((s) => [`    ${s.env.join(', ')}`, s.description])));
    }
    lines.push('', 'Settings come from flags, then environment variables, then .preview.yml.', 'Exit codes: 0 ok, 2 usage/config, 3 auth, 4 not found (status), 5 provider failure or timeout, 6 refused for safety.');
    return `${lines.join('\n')}\n`;
}


/***/ }),

/***/ 6657:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.resultLines = resultLines;
const identity_js_1 = __webpack_require__(4845);
const logger_js_1 = __webpack_require__(1227);
function took(ms) {
    return ` in ${(0, logger_js_1.formatDuration)(ms)}`;
}
/** The human summary on stdout: what was done (or would be, in a dry run) and how long it took. */
function resultLines(result, elapsedMs) {
    const dry = result.dryRun === true;
    const removed = result.removed ?? [];
    switch (result.command) {
        case 'stop':
            if (!result.deleted)
                return [`${result.name}: already gone`];
            return [`${dry ? 'dry run: would remove' : 'removed'} ${result.name}: ${removed.join(', ') || 'nothing else'}${dry ? '' : took(elapsedMs)}`];
        case 'prune':
            return pruneLines(result, dry, dry ? '' : took(elapsedMs));
        case 'sleep':
            if (!result.slept)
                return [`${result.name}: asleep already, or absent`];
            return [`${dry ? 'dry run: would put to sleep' : 'asleep'} ${result.name}: ${(result.stopped ?? []).join(', ') || 'its compute'} stopped${dry ? '' : took(elapsedMs)}`];
        case 'status':
            return statusLines(result);
        case 'list':
            return listLines(result);
        default: {
            const short = result.commit ? String(result.commit).slice(0, 7) : '';
            const deploys = dry && (result.plan ?? []).some((step) => step.startsWith('deploy '));
            const facts = [
                result.created ? (dry ? 'would create' : 'created') : undefined,
                result.changed && !result.created ? (dry ? 'would update' : 'updated') : undefined,
                result.deployed || deploys ? `${dry ? 'would deploy' : 'deployed'} ${short}` : short ? `${short} already live` : undefined,
            ].filter(Boolean);
            if (dry && facts.length === 0)
                facts.push('nothing to change');
            const head = `${dry ? 'dry run: ' : ''}${result.name}${result.url ? ` ${result.url}` : ''}`;
            return [`${head}${facts.length ? ` (${facts.join(', ')})` : ''}${dry || result.command === 'name' ? '' : took(elapsedMs)}`];
        }
    }
}
function statusLines(result) {
    const p = result.preview;
    const lines = [`${result.name}${result.url ? ` ${result.url}` : ''}`];
    if (!p)
        return lines;
    lines.push(`  id: ${p.id}`);
    if (p.identity)
        lines.push(`  preview of: ${(0, identity_js_1.describeIdentity)(p.identity)}`);
    if (p.state)
        lines.push(`  state: ${p.state}`);
    if (p.lastDeployedAt)
        lines.push(`  last deployed: ${p.lastDeployedAt}`);
    if (p.createdAt)
        lines.push(`  created: ${p.createdAt}`);
    const domains = p.domains.map((d) => `${d.host}${d.favourite ? ' (favourite)' : ''}${d.builtIn ? ' (default)' : ''}`);
    if (domains.length)
        lines.push(`  domains: ${domains.join(', ')}`);
    if (p.addons?.length)
        lines.push(`  add-ons: ${p.addons.map((a) => `${a.name} (${a.kind}${a.plan ? ` ${a.plan}` : ''})`).join(', ')}`);
    const d = p.lastDeployment;
    lines.push(`  last deployment: ${d ? `${d.state}${d.commit ? ` ${d.commit.slice(0, 7)}` : ''}${d.createdAt ? ` at ${d.createdAt}` : ''} (${d.id})` : 'none'}`);
    return lines;
}
/** The first line counts what happened; then one line a preview that was removed, slept or failed. */
function pruneLines(result, dry, took) {
    const count = (key) => (result[key] ?? []).length;
    const images = result.removedImages ?? [];
    const parts = [`${count('removed')} removed`, `${count('slept')} put to sleep`, `${count('kept')} kept`];
    if (count('failed'))
        parts.push(`${count('failed')} failed`);
    if (images.length)
        parts.push(`${images.length} image(s) removed`);
    const lines = [`${dry ? 'dry run: prune would leave' : 'pruned'}: ${parts.join(', ')}${took}`];
    for (const d of result.decisions ?? []) {
        if (d.action !== 'kept')
            lines.push(`  ${d.action} ${d.name}${d.why ? `: ${d.why}` : ''}`);
    }
    return lines;
}
/** A table a preview: name, whose it is, state, commit, last deployed, URL. */
function listLines(result) {
    const previews = result.previews ?? [];
    if (previews.length === 0)
        return [`no preview of ${result.name}`];
    const rows = [
        ['PREVIEW', 'OF', 'STATE', 'COMMIT', 'LAST DEPLOYED', 'URL'],
        ...previews.map((p) => [p.name, (0, identity_js_1.describeIdentity)(p.identity), p.state ?? '-', p.commit?.slice(0, 7) ?? '-', p.lastDeployedAt?.replace(/\.\d+Z$/, 'Z') ?? '-', p.url || '-']),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  '));
}


/***/ }),

/***/ 4296:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Typed errors. Every failure the tool reports is one of these; `exitCodeOf` is the
 * single place that maps them to the exit codes of the CLI contract.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ConflictError = exports.SafetyError = exports.TimeoutError = exports.ProviderError = exports.NotFoundError = exports.AuthError = exports.ConfigError = exports.PreviewError = exports.ExitCode = void 0;
exports.exitCodeOf = exitCodeOf;
exports.isRetryable = isRetryable;
exports.describeError = describeError;
exports.ExitCode = {
    ok: 0,
    usage: 2,
    auth: 3,
    notFound: 4,
    provider: 5,
    safety: 6,
};
class PreviewError extends Error {
    hint;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = new.target.name;
        this.hint = options.hint;
    }
}
exports.PreviewError = PreviewError;
/** Bad flags, bad `.preview.yml`, missing settings: exit 2. */
class ConfigError extends PreviewError {
    exitCode = exports.ExitCode.usage;
}
exports.ConfigError = ConfigError;
/** The platform refused our credentials (401) or rights (403): exit 3. Never read as "absent". */
class AuthError extends PreviewError {
    exitCode = exports.ExitCode.auth;
}
exports.AuthError = AuthError;
/** The preview does not exist (only `status` turns this into a failure): exit 4. */
class NotFoundError extends PreviewError {
    exitCode = exports.ExitCode.notFound;
}
exports.NotFoundError = NotFoundError;
/** The platform failed or answered something we cannot use: exit 5. */
class ProviderError extends PreviewError {
    exitCode = exports.ExitCode.provider;
    /** HTTP status when the failure came from an HTTP answer. */
    status;
    /** Whether trying the same call again may succeed (5xx, 429, network errors). */
    retryable;
    /** Seconds the server asked us to wait (Retry-After), when it did. */
    retryAfterSeconds;
    constructor(message, options = {}) {
        super(message, options);
        this.status = options.status;
        this.retryable = options.retryable ?? false;
        this.retryAfterSeconds = options.retryAfterSeconds;
    }
}
exports.ProviderError = ProviderError;
/** The overall `--timeout` ran out while waiting on the platform: exit 5. */
class TimeoutError extends PreviewError {
    exitCode = exports.ExitCode.provider;
}
exports.TimeoutError = TimeoutError;
/** Refused for safety: not ours, ambiguous duplicates, over `--max`: exit 6. */
class SafetyError extends PreviewError {
    exitCode = exports.ExitCode.safety;
}
exports.SafetyError = SafetyError;
/** A resource changed under us (409/412); callers usually look again and retry. */
class ConflictError extends ProviderError {
}
exports.ConflictError = ConflictError;
function exitCodeOf(error) {
    if (error instanceof PreviewError)
        return error.exitCode;
    return exports.ExitCode.provider;
}
function isRetryable(error) {
    return error instanceof ProviderError && error.retryable;
}
/** The one-line form of the contract: `<what failed>: <why> (<hint>)`. */
function describeError(error) {
    if (error instanceof PreviewError) {
        return error.hint ? `${error.message} (${error.hint})` : error.message;
    }
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 4845:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KEY_PATTERN = void 0;
exports.identityKey = identityKey;
exports.sameIdentity = sameIdentity;
exports.describeIdentity = describeIdentity;
exports.identityJson = identityJson;
exports.parseIdentityJson = parseIdentityJson;
exports.escapeSegment = escapeSegment;
exports.unescapeSegment = unescapeSegment;
exports.identitySegments = identitySegments;
exports.parseIdentitySegments = parseIdentitySegments;
exports.sameProject = sameProject;
/**
 * The identity of a preview: which project, which branch or pull request, from which repository,
 * under which prefix. A name is only a lookup key (`shop-admin` + `main` and `shop` + `admin-main`
 * share one); the identity is what every provider records on everything a preview creates and
 * compares on every lookup, so one preview's `stop` can never remove another's.
 */
const node_crypto_1 = __webpack_require__(7598);
/** Characters of the key: hex, so it fits a Kubernetes label value, a Clever tag and a Docker filter. */
const KEY_LENGTH = 20;
/** A key as it is written on resources. */
exports.KEY_PATTERN = /^[0-9a-f]{20}$/;
function norm(text) {
    return (text ?? '').trim().toLowerCase();
}
/**
 * A stable key for the identity: the same project (case aside), prefix and branch or PR always give
 * the same key, and two different ones never do. Version 1 of the form; a new form gets a new
 * version so that keys never change meaning.
 */
function identityKey(identity) {
    const ref = identity.pr !== undefined ? ['pr', String(identity.pr)] : ['branch', identity.branch ?? ''];
    const canonical = JSON.stringify([1, norm(identity.prefix), norm(identity.project), ...ref]);
    return (0, node_crypto_1.createHash)('sha256').update(canonical).digest('hex').slice(0, KEY_LENGTH);
}
function sameIdentity(a, b) {
    return identityKey(a) === identityKey(b);
}
/** `shop, branch feature/login`, `shop, pull request #44 from contributor/shop`, `review shop, …`. */
function describeIdentity(identity) {
    const project = identity.prefix ? `${identity.prefix} ${identity.project}` : identity.project;
    if (identity.pr === undefined)
        return `${project}, branch ${identity.branch ?? '(none)'}`;
    return `${project}, pull request #${identity.pr}${identity.fork ? ` from ${identity.fork}` : ''}`;
}
/** The identity as one line of JSON, for annotations, labels and environment variables. */
function identityJson(identity) {
    const out = { project: identity.project };
    if (identity.prefix)
        out.prefix = identity.prefix;
    if (identity.pr !== undefined)
        out.pr = identity.pr;
    else
        out.branch = identity.branch ?? '';
    if (identity.fork)
        out.fork = identity.fork;
    return JSON.stringify(out);
}
const SAFE_PR = /^(0|[1-9]\d{0,15})$/;
function fromRecord(data) {
    if (typeof data.project !== 'string' || data.project === '')
        return undefined;
    const identity = { project: data.project };
    if (typeof data.prefix === 'string' && data.prefix !== '')
        identity.prefix = data.prefix;
    if (typeof data.fork === 'string' && data.fork !== '')
        identity.fork = data.fork;
    if (typeof data.pr === 'number' && SAFE_PR.test(String(data.pr)))
        identity.pr = data.pr;
    else if (typeof data.branch === 'string')
        identity.branch = data.branch;
    else
        return undefined;
    return identity;
}
/** Reads `identityJson`'s output back; undefined for anything else. */
function parseIdentityJson(text) {
    if (!text)
        return undefined;
    try {
        const data = JSON.parse(text);
        return data && typeof data === 'object' && !Array.isArray(data) ? fromRecord(data) : undefined;
    }
    catch {
        return undefined;
    }
}
const KEPT = /[A-Za-z0-9._-]/;
/**
 * `feature/login` → `feature~2Flogin`: bytes outside [A-Za-z0-9._-] become `~XX` (UTF-8, hex), so
 * the text can travel as one URL path segment (Clever Cloud tags are `PUT …/tags/{tag}`) and no
 * `/` ever reaches a path.
 */
function escapeSegment(text) {
    let out = '';
    for (const ch of text) {
        if (KEPT.test(ch)) {
            out += ch;
            continue;
        }
        for (const byte of Buffer.from(ch, 'utf8'))
            out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
function unescapeSegment(text) {
    if (!/^(?:[A-Za-z0-9._-]|~[0-9A-F]{2})*$/.test(text))
        return undefined;
    const bytes = [];
    for (let i = 0; i < text.length;) {
        if (text[i] === '~') {
            bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
            i += 3;
        }
        else {
            bytes.push(text.charCodeAt(i));
            i += 1;
        }
    }
    const decoded = Buffer.from(bytes).toString('utf8');
    // Invalid UTF-8 comes back with replacement characters: not something we wrote.
    return escapeSegment(decoded) === text ? decoded : undefined;
}
/**
 * The identity as path-safe segments joined by `:`: `shop:branch:feature~2Flogin`,
 * `shop:pr:44:contributor~2Fshop`, with `prefix=review:` in front when there is a prefix.
 */
function identitySegments(identity) {
    const head = `${identity.prefix ? `prefix=${escapeSegment(identity.prefix)}:` : ''}${escapeSegment(identity.project)}`;
    if (identity.pr === undefined)
        return `${head}:branch:${escapeSegment(identity.branch ?? '')}`;
    return `${head}:pr:${identity.pr}${identity.fork ? `:${escapeSegment(identity.fork)}` : ''}`;
}
function parseIdentitySegments(text) {
    const parts = text.split(':');
    let prefix;
    if (parts[0]?.startsWith('prefix=')) {
        prefix = unescapeSegment(parts.shift().slice('prefix='.length));
        if (prefix === undefined)
            return undefined;
    }
    const [rawProject, kind, rawRef, rawFork, ...rest] = parts;
    if (rawProject === undefined || kind === undefined || rawRef === undefined || rest.length > 0)
        return undefined;
    const project = unescapeSegment(rawProject);
    if (!project)
        return undefined;
    const base = { project, ...(prefix ? { prefix } : {}) };
    if (kind === 'branch') {
        const branch = unescapeSegment(rawRef);
        return branch === undefined || rawFork !== undefined ? undefined : { ...base, branch };
    }
    if (kind !== 'pr' || !SAFE_PR.test(rawRef))
        return undefined;
    const fork = rawFork === undefined ? undefined : unescapeSegment(rawFork);
    if (rawFork !== undefined && !fork)
        return undefined;
    return { ...base, pr: Number(rawRef), ...(fork ? { fork } : {}) };
}
/** Whether a recorded identity belongs to this project (and prefix): what `prune` judges by. */
function sameProject(identity, project, prefix) {
    return norm(identity.project) === norm(project) && norm(identity.prefix) === norm(prefix);
}


/***/ }),

/***/ 1227:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.silentLogger = exports.PlainLogger = void 0;
exports.formatDuration = formatDuration;
exports.progressState = progressState;
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    const s = ms / 1000;
    if (s < 60)
        return `${s.toFixed(1)}s`;
    const m = Math.floor(s / 60);
    return `${m}m${Math.round(s - m * 60)}s`;
}
/** Elapsed times (`12s`, `1.5s`, `2m3s`, `800ms`) standing alone in a progress message. */
const ELAPSED = /(?<=^|[\s(])(?:\d+(?:\.\d+)?(?:ms|s|m|h))+(?=$|[\s),;])/g;
/** What a progress message says once its elapsed times are left out. */
function progressState(message) {
    return message.replace(ELAPSED, '…');
}
/** Plain text logger, for a terminal or any CI. Base for the forge flavours. */
class PlainLogger {
    redactor;
    sink;
    debugEnabled;
    now;
    lastProgress = '';
    /** State of the last progress line written to a non-TTY sink. */
    lastProgressState = '';
    progressOnLine = false;
    constructor(options) {
        this.redactor = options.redactor;
        this.sink = options.sink;
        this.debugEnabled = options.debug ?? false;
        this.now = options.now ?? (() => performance.now());
    }
    line(text) {
        this.endProgress();
        this.sink.write(`${this.redactor.redact(text)}\n`);
    }
    info(message) {
        this.line(message);
    }
    warn(message) {
        this.line(`warning: ${message}`);
    }
    error(message) {
        this.line(message);
    }
    debug(message) {
        if (this.debugEnabled)
            this.line(`debug: ${message}`);
    }
    async group(title, fn) {
        const started = this.now();
        this.lastProgress = '';
        this.lastProgressState = '';
        this.line(`▸ ${title}`);
        try {
            const result = await fn();
            this.line(`  ${title}: done in ${formatDuration(this.now() - started)}`);
            return result;
        }
        catch (error) {
            this.line(`  ${title}: failed after ${formatDuration(this.now() - started)}`);
            throw error;
        }
    }
    progress(message) {
        if (message === this.lastProgress)
            return;
        this.lastProgress = message;
        const text = this.redactor.redact(message);
        if (this.sink.isTTY) {
            this.sink.write(`\r\x1b[2K  … ${text}`);
            this.progressOnLine = true;
            return;
        }
        const state = progressState(message);
        if (state === this.lastProgressState)
            return;
        this.lastProgressState = state;
        this.sink.write(`  … ${text}\n`);
    }
    addSecret(secret) {
        this.redactor.add(secret);
    }
    endProgress() {
        if (this.progressOnLine) {
            this.sink.write('\n');
            this.progressOnLine = false;
        }
    }
}
exports.PlainLogger = PlainLogger;
/** A logger that drops everything, for library callers who bring no logger. */
exports.silentLogger = {
    info() { },
    warn() { },
    error() { },
    debug() { },
    group: (_title, fn) => fn(),
    progress() { },
    addSecret() { },
};


/***/ }),

/***/ 2607:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.MAX_LABEL = void 0;
exports.shortHash = shortHash;
exports.slugify = slugify;
exports.isDnsLabel = isDnsLabel;
exports.previewName = previewName;
exports.nameOfIdentity = nameOfIdentity;
exports.expandDomain = expandDomain;
exports.urlOf = urlOf;
exports.hostProblem = hostProblem;
/**
 * Preview names: a pure function of (app, branch or PR number, prefix), the same for every
 * provider and forge, so anyone can compute a preview's name and URL without calling anything.
 */
const node_crypto_1 = __webpack_require__(7598);
exports.MAX_LABEL = 63;
const HASH_LENGTH = 6;
/** A slug that already looks like `…-<hash>` is hashed again, so hashed and plain names never meet. */
const LOOKS_HASHED = /-[0-9a-f]{6}$/;
/** A branch called `pr-5` would share `--pr 5`'s name: it is hashed like any changed branch. */
const LOOKS_LIKE_PR = /^pr-\d+$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
function shortHash(text) {
    return (0, node_crypto_1.createHash)('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}
/** Lowercase, runs of anything outside [a-z0-9] become one `-`, no `-` at either end. */
function slugify(text) {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
}
function isDnsLabel(text) {
    return text.length <= exports.MAX_LABEL && DNS_LABEL.test(text);
}
function trimTo(text, max) {
    return text.slice(0, Math.max(0, max)).replace(/-+$/, '');
}
/**
 * The preview's name: `[prefix-]app-branch`, a DNS label of at most 63 characters. When the
 * branch had to be changed to fit (case, characters, length), a short hash of the raw branch is
 * appended so that `feature/a_b` and `feature/a-b` never share a preview.
 */
function previewName(input) {
    const head = [input.prefix, input.app]
        .filter((part) => part !== undefined && part !== '')
        .map(slugify)
        .filter((part) => part !== '')
        .join('-');
    // The head is the same for every branch of a project: its own lossy changes need no hash.
    const headPart = trimTo(head || 'preview', 40);
    let raw;
    let tail;
    if (input.pr !== undefined) {
        raw = `pr-${input.pr}`;
        tail = raw;
    }
    else {
        raw = input.branch ?? '';
        tail = slugify(raw);
    }
    const lossless = tail !== '' && tail === raw && !LOOKS_HASHED.test(tail) && (input.pr !== undefined || !LOOKS_LIKE_PR.test(tail));
    const room = exports.MAX_LABEL - headPart.length - 1;
    if (lossless && tail.length <= room)
        return `${headPart}-${tail}`;
    const hash = shortHash(raw);
    const kept = trimTo(tail, room - HASH_LENGTH - 1);
    return kept ? `${headPart}-${kept}-${hash}` : `${headPart}-${hash}`;
}
/** The name of the preview an identity describes. */
function nameOfIdentity(identity) {
    return previewName({ app: identity.project, branch: identity.branch, pr: identity.pr, prefix: identity.prefix });
}
/**
 * Expands a domain template: `{name}`, `{app}`, `{branch}` (slugified), `{pr}`.
 * `{name}.preview.example.com` → `my-app-feature-x.preview.example.com`.
 */
function expandDomain(template, input) {
    const values = {
        ...input.extra,
        name: input.name,
        app: slugify(input.app),
        branch: slugify(input.branch ?? ''),
        pr: input.pr === undefined ? '' : String(input.pr),
    };
    const expanded = template.replace(/\{(\w+)\}/g, (whole, key) => {
        const value = values[key];
        if (value === undefined)
            throw new Error(`unknown placeholder ${whole} in domain template "${template}"`);
        return value;
    });
    return expanded.replace(/^https?:\/\//, '').replace(/\/+$/, '').toLowerCase();
}
function urlOf(host) {
    return /^https?:\/\//.test(host) ? host : `https://${host}`;
}
const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;
/**
 * Why `host` (an expanded domain, possibly with a path prefix) cannot be a domain name, or
 * undefined when it can. Checked before anything is created, so that a template that expands
 * badly for one branch fails with exit 2 instead of half-way through a deployment.
 */
function hostProblem(host) {
    const name = host.split('/')[0].replace(/:\d+$/, '');
    if (name === '')
        return 'the host name is empty';
    if (name.length > 253)
        return `the host name is ${name.length} characters long (at most 253)`;
    const labels = name.split('.');
    for (const [i, label] of labels.entries()) {
        if (label === '*' && i === 0)
            continue;
        if (label === '')
            return 'it has an empty label (two dots, or a dot at either end)';
        if (label.length > exports.MAX_LABEL)
            return `its label "${label.slice(0, 20)}…" is ${label.length} characters long (at most ${exports.MAX_LABEL})`;
        if (!HOST_LABEL.test(label))
            return `its label "${label}" is not a DNS label (letters, digits and inner hyphens only)`;
    }
    return undefined;
}


/***/ }),

/***/ 3457:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Declarative option specs. Each option says once where it can come from — a flag, env
 * variables, a `.preview.yml` key — so the CLI parser, `--help`, the GitHub action inputs and
 * the settings loader all read the same table. Providers declare their own table beside them.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.describeSource = describeSource;
/** Where a value came from, for error messages a person can act on. */
function describeSource(spec, source, envName) {
    if (source === 'flag')
        return `--${spec.flag}`;
    if (source === 'env')
        return envName ?? spec.env?.[0] ?? spec.key;
    return `.preview.yml ${spec.key}`;
}


/***/ }),

/***/ 4620:
/***/ ((__unused_webpack_module, exports) => {


/**
 * The plan of a run: every mutating step goes through `Plan.apply`, which records it and, in a
 * dry run, skips it. `--dry-run` prints the recorded steps; a normal run reports them as `changes`.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Plan = void 0;
exports.describeStep = describeStep;
function describeStep(s) {
    return `${s.kind} ${s.target}${s.detail ? ` (${s.detail})` : ''}`;
}
class Plan {
    dryRun;
    onStep;
    steps = [];
    /**
     * `onStep` hears of each step as it is taken (or, in a dry run, planned): the CLI logs it, so
     * a log shows what was changed even when a later step fails.
     */
    constructor(dryRun, onStep) {
        this.dryRun = dryRun;
        this.onStep = onStep;
    }
    /**
     * Records the step and runs it, or in a dry run returns `dryValue` without running it.
     * Providers must send every mutating request through here.
     */
    async apply(step, run, dryValue) {
        this.steps.push(step);
        this.onStep?.(step);
        if (this.dryRun)
            return dryValue;
        return run();
    }
    describe() {
        return this.steps.map(describeStep);
    }
}
exports.Plan = Plan;


/***/ }),

/***/ 2258:
/***/ ((__unused_webpack_module, exports) => {


/**
 * Secret redaction. Every line the tool prints goes through one Redactor, so a secret
 * registered once is masked everywhere: logs, errors, JSON output, debug traces.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Redactor = void 0;
const MASK = '***';
/** user:password@ in URLs, whatever the scheme. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;
/** Authorization header values and OAuth parameters that may reach a debug line. */
const AUTH_HEADER = /\b(authorization\s*[:=]\s*)("?)(bearer|basic|oauth)\s+[^\r\n"]+/gi;
const OAUTH_PARAM = /\b(oauth_(?:token|signature|consumer_key))="[^"]*"/gi;
class Redactor {
    secrets = new Set();
    /** Register a secret value. Short values (< 4 chars) would mask ordinary text, so they are ignored. */
    add(secret) {
        if (!secret || secret.length < 4)
            return;
        this.secrets.add(secret);
        // Secrets also travel percent-encoded (OAuth signatures, URLs) and base64-encoded (basic auth).
        const encoded = encodeURIComponent(secret);
        if (encoded !== secret)
            this.secrets.add(encoded);
    }
    /** All registered values, longest first, so a secret that contains another is masked whole. */
    values() {
        return [...this.secrets].sort((a, b) => b.length - a.length);
    }
    redact(text) {
        let out = text
            .replace(URL_CREDENTIALS, (_m, scheme, user) => `${scheme}${user}:${MASK}@`)
            .replace(AUTH_HEADER, (_m, prefix, quote, scheme) => `${prefix}${quote}${scheme} ${MASK}`)
            .replace(OAUTH_PARAM, (_m, key) => `${key}="${MASK}"`);
        for (const secret of this.values()) {
            if (out.includes(secret))
                out = out.split(secret).join(MASK);
        }
        return out;
    }
}
exports.Redactor = Redactor;


/***/ }),

/***/ 7253:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.Deadline = exports.realClock = void 0;
exports.parseDuration = parseDuration;
exports.backoffDelay = backoffDelay;
exports.retry = retry;
exports.poll = poll;
/**
 * Waiting on facts, not clocks: a deadline shared by a whole command, retry with
 * exponential backoff and jitter, and polling until a condition holds.
 */
const errors_js_1 = __webpack_require__(4296);
exports.realClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
/** Parses `90`, `90s`, `10m`, `1h30m`, `500ms` into milliseconds. Bare numbers are seconds. */
function parseDuration(text) {
    const trimmed = text.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed))
        return Number(trimmed) * 1000;
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
    let total = 0;
    let consumed = 0;
    for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
        const n = Number(m[1]);
        const unit = m[2];
        total += n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
        consumed = re.lastIndex;
    }
    if (consumed === 0 || consumed !== trimmed.length) {
        throw new Error(`"${text}" is not a duration (use e.g. 90s, 10m, 1h)`);
    }
    return total;
}
/** The overall deadline of a command (`--timeout`). */
class Deadline {
    totalMs;
    clock;
    at;
    constructor(totalMs, clock = exports.realClock) {
        this.totalMs = totalMs;
        this.clock = clock;
        this.at = clock.now() + totalMs;
    }
    remaining() {
        return Math.max(0, this.at - this.clock.now());
    }
    expired() {
        return this.remaining() <= 0;
    }
    /** Throws a TimeoutError naming what we were waiting for. */
    check(waitingFor) {
        if (this.expired())
            throw this.timeoutError(waitingFor);
    }
    /** The error for a wait the deadline ended; `last` is the failure of the last attempt, if any. */
    timeoutError(waitingFor, last) {
        const lastText = last instanceof Error ? ` (last attempt: ${last.message})` : '';
        return new errors_js_1.TimeoutError(`timed out after ${Math.round(this.totalMs / 1000)}s waiting for ${waitingFor}${lastText}`, {
            hint: 'raise --timeout or check the platform',
            ...(last === undefined ? {} : { cause: last }),
        });
    }
}
exports.Deadline = Deadline;
function backoffDelay(attempt, options = {}) {
    const initial = options.initialMs ?? 250;
    const max = options.maxMs ?? 5_000;
    const factor = options.factor ?? 2;
    const jitter = options.jitter ?? 0.3;
    const random = options.random ?? Math.random;
    const base = Math.min(max, initial * factor ** attempt);
    return Math.round(base * (1 - jitter + jitter * 2 * random()));
}
async function retry(fn, options = {}) {
    const attempts = options.attempts ?? 5;
    const retryIf = options.retryIf ?? errors_js_1.isRetryable;
    const clock = options.deadline?.clock ?? exports.realClock;
    for (let attempt = 0;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (attempt + 1 >= attempts || !retryIf(error))
                throw error;
            let delay = backoffDelay(attempt, options);
            if (error instanceof errors_js_1.ProviderError && error.retryAfterSeconds !== undefined) {
                delay = Math.max(delay, error.retryAfterSeconds * 1000);
            }
            // The last error alone would read like a plain failure; say the deadline ended the retries.
            if (options.deadline && options.deadline.remaining() < delay) {
                throw options.deadline.timeoutError(options.what ?? 'a retry', error);
            }
            options.onRetry?.(error, attempt + 1, delay);
            await clock.sleep(delay);
        }
    }
}
/**
 * Calls `check` until it returns a value other than undefined, waiting with backoff between
 * calls, until the deadline. Errors thrown by `check` end the poll unless retryable.
 */
async function poll(check, options) {
    const { deadline } = options;
    const started = deadline.clock.now();
    for (let attempt = 0;; attempt++) {
        let value;
        try {
            value = await check();
        }
        catch (error) {
            if (!(0, errors_js_1.isRetryable)(error))
                throw error;
        }
        if (value !== undefined)
            return value;
        deadline.check(options.what);
        options.onWait?.(deadline.clock.now() - started);
        const delay = Math.min(backoffDelay(attempt, options), deadline.remaining());
        await deadline.clock.sleep(delay);
        if (deadline.expired()) {
            const last = await check().catch(() => undefined);
            if (last !== undefined)
                return last;
            deadline.check(options.what);
        }
    }
}


/***/ }),

/***/ 9892:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.commonSchema = exports.deadlineSchema = exports.durationSchema = exports.ENV_NAME = exports.commonOptions = exports.MAX_TIMER_MS = void 0;
exports.commonSchemaFor = commonSchemaFor;
/**
 * The common settings: the option table (flag, env, `.preview.yml` key of each setting, what
 * `--help` says of it) and the schema that validates them. The list of providers is not kept
 * here: the provider registry hands it in (`commonSchemaFor`).
 */
const zod_1 = __webpack_require__(924);
const retry_js_1 = __webpack_require__(7253);
/** Longest wait a timer can hold (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
exports.MAX_TIMER_MS = 2_147_483_647;
exports.commonOptions = [
    { key: 'provider', flag: 'provider', short: 'p', type: 'string', env: ['PREVIEW_PROVIDER'], value: 'NAME', description: 'platform (see the provider sections below)' },
    { key: 'app', flag: 'app', type: 'string', env: ['PREVIEW_APP'], value: 'NAME', description: 'base name of the project', defaultText: 'repository name' },
    { key: 'branch', flag: 'branch', short: 'b', type: 'string', env: ['PREVIEW_BRANCH'], value: 'REF', description: 'branch the preview is for', defaultText: 'from the CI environment, else git' },
    { key: 'pr', flag: 'pr', type: 'string', env: ['PREVIEW_PR'], value: 'N', description: 'name the preview after pull/merge request N instead of the branch' },
    { key: 'prefix', flag: 'prefix', type: 'string', env: ['PREVIEW_PREFIX'], value: 'TEXT', description: 'prefix of every preview name, e.g. review' },
    { key: 'domain', flag: 'domain', short: 'd', type: 'list', env: ['PREVIEW_DOMAIN'], value: 'TEMPLATE', description: 'domain template(s), e.g. {name}.preview.example.com (repeatable)', defaultText: "the provider's default domain" },
    { key: 'favourite', flag: 'favourite', type: 'boolean', env: ['PREVIEW_FAVOURITE'], description: 'make the first domain the primary one where the platform has that notion' },
    { key: 'env', flag: 'env', short: 'e', type: 'map', env: ['PREVIEW_ENV'], value: 'KEY=VALUE', description: 'environment variable for the preview (repeatable; PREVIEW_ENV: one KEY=VALUE per line); merged over .preview.yml env' },
    { key: 'commit', flag: 'commit', type: 'string', env: ['PREVIEW_COMMIT'], value: 'SHA', description: 'commit to deploy', defaultText: 'HEAD' },
    { key: 'source', flag: 'source', type: 'string', env: ['PREVIEW_SOURCE'], value: 'DIR', description: 'directory of the repository to deploy', defaultText: 'current directory' },
    { key: 'force', flag: 'force', short: 'f', type: 'boolean', env: ['PREVIEW_FORCE'], description: 'deploy even when the commit is already live' },
    { key: 'waitUrl', flag: 'wait-url', type: 'boolean', env: ['PREVIEW_WAIT_URL'], description: 'after deploying, wait until the URL answers' },
    { key: 'healthPath', flag: 'health-path', type: 'string', env: ['PREVIEW_HEALTH_PATH'], value: 'PATH', description: 'path probed by --wait-url', defaultText: '/' },
    { key: 'timeout', flag: 'timeout', short: 't', type: 'string', env: ['PREVIEW_TIMEOUT'], value: 'DURATION', description: 'overall deadline, e.g. 10m', defaultText: '15m' },
    { key: 'adopt', flag: 'adopt', type: 'boolean', env: ['PREVIEW_ADOPT'], description: 'take over an existing resource that lacks our ownership marker' },
    { key: 'ttl', flag: 'ttl', type: 'string', env: ['PREVIEW_TTL'], value: 'DURATION', description: 'prune: remove previews (and, with docker, unused images of ours) older than this' },
    { key: 'ttlFrom', flag: 'ttl-from', type: 'string', env: ['PREVIEW_TTL_FROM'], value: 'deployed|created', description: 'prune: measure --ttl from the last deployment or from the creation', defaultText: 'deployed' },
    { key: 'sleepAfter', flag: 'sleep-after', type: 'string', env: ['PREVIEW_SLEEP_AFTER'], value: 'DURATION', description: 'prune: put previews not deployed for this long to sleep (compute stopped, data and URL kept)' },
    { key: 'parallel', flag: 'parallel', type: 'string', env: ['PREVIEW_PARALLEL'], value: 'N', description: 'prune: previews removed or put to sleep at once', defaultText: '4' },
    { key: 'maxPreviews', flag: 'max-previews', type: 'string', env: ['PREVIEW_MAX_PREVIEWS'], value: 'N', description: 'up: at most N previews of the project; a new one first evicts the least recently deployed other one' },
    { key: 'capPolicy', flag: 'max-previews-policy', type: 'string', env: ['PREVIEW_MAX_PREVIEWS_POLICY'], value: 'sleep|delete|refuse', description: 'up: what --max-previews does at the cap: put the least recently deployed preview to sleep (awake previews count), delete it (all count), or refuse with exit 6', defaultText: 'sleep' },
    { key: 'basicAuth', flag: 'basic-auth', type: 'string', env: ['PREVIEW_BASIC_AUTH'], secret: true, value: 'USER:PASSWORD', description: "HTTP basic auth in front of the preview, where the provider's routing can (docker, kubernetes); empty removes it" },
    { key: 'max', flag: 'max', type: 'string', env: ['PREVIEW_MAX'], value: 'N', description: 'prune: keep at most N previews (oldest go first)' },
    { key: 'keep', flag: 'keep', type: 'list', env: ['PREVIEW_KEEP'], value: 'BRANCH|#PR', description: 'prune: branches that still exist and open pull/merge requests (#42 or !42); their previews are kept' },
    { key: 'all', flag: 'all', type: 'boolean', description: 'list: every preview of ours on the target, not only this project\'s' },
    { key: 'json', flag: 'json', type: 'boolean', description: 'print one JSON object on stdout; logs go to stderr' },
    { key: 'dryRun', flag: 'dry-run', short: 'n', type: 'boolean', env: ['PREVIEW_DRY_RUN'], description: 'print the plan and change nothing' },
    { key: 'debug', flag: 'debug', type: 'boolean', env: ['PREVIEW_DEBUG'], description: 'print every request (secrets masked) and stack traces' },
    { key: 'dotenv', flag: 'dotenv', type: 'string', env: ['PREVIEW_DOTENV'], value: 'FILE', description: 'also write PREVIEW_NAME, PREVIEW_URL, PREVIEW_ID to this dotenv file (GitLab environment:url)' },
    { key: 'config', flag: 'config', short: 'c', type: 'string', env: ['PREVIEW_CONFIG'], value: 'FILE', description: 'settings file', defaultText: '.preview.yml' },
    { key: 'settings', flag: 'settings', type: 'string', env: ['PREVIEW_SETTINGS'], value: 'YAML', description: 'settings written as in .preview.yml, laid over that file (a CI job\'s one multi-line input)' },
];
exports.ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
exports.durationSchema = zod_1.z.string().transform((text, ctx) => {
    try {
        return (0, retry_js_1.parseDuration)(text);
    }
    catch (error) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: error.message });
        return zod_1.z.NEVER;
    }
});
/** A deadline: more than nothing, and no longer than a timer can hold (a longer one would fire at once). */
exports.deadlineSchema = exports.durationSchema.superRefine((ms, ctx) => {
    if (ms <= 0)
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: 'must be longer than 0 (e.g. 10m)' });
    else if (ms > exports.MAX_TIMER_MS)
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `must be at most 24d (${Math.floor(exports.MAX_TIMER_MS / 86_400_000)} days and a few hours)` });
});
const positiveInt = zod_1.z
    .union([zod_1.z.number(), zod_1.z.string()])
    .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: Number.isInteger(n) ? `"${v}" is too large` : `expected a whole number, got "${v}"` });
        return zod_1.z.NEVER;
    }
    return n;
});
const hostTemplate = zod_1.z.string().min(1).regex(/^[A-Za-z0-9{}.*_:/-]+$/, 'expected a host name or template like {name}.preview.example.com');
/** The common settings' schema, given the providers the registry knows. */
function commonSchemaFor(providerIds) {
    return exports.commonSchema.extend({
        provider: zod_1.z.string({ required_error: `required (one of ${providerIds.join(', ')})` }).refine((id) => providerIds.includes(id), (id) => ({
            message: `unknown provider "${id}" (expected one of ${providerIds.join(', ')})`,
        })),
    });
}
exports.commonSchema = zod_1.z.object({
    provider: zod_1.z.string(),
    app: zod_1.z.string().min(1, 'must not be empty'),
    branch: zod_1.z.string().min(1).optional(),
    pr: positiveInt.optional(),
    prefix: zod_1.z.string().optional(),
    domain: zod_1.z.array(hostTemplate).default([]),
    favourite: zod_1.z.boolean().default(false),
    env: zod_1.z.record(zod_1.z.string().regex(exports.ENV_NAME, 'not a valid variable name'), zod_1.z.string()).default({}),
    commit: zod_1.z.string().regex(/^[0-9a-fA-F]{4,40}$|^[\w./-]+$/, 'expected a commit SHA or ref').optional(),
    source: zod_1.z.string().default('.'),
    force: zod_1.z.boolean().default(false),
    waitUrl: zod_1.z.boolean().default(false),
    healthPath: zod_1.z.string().startsWith('/', 'must start with /').default('/'),
    timeout: exports.deadlineSchema.default('15m'),
    adopt: zod_1.z.boolean().default(false),
    ttl: exports.durationSchema.optional(),
    ttlFrom: zod_1.z.enum(['deployed', 'created'], { errorMap: () => ({ message: 'expected deployed or created' }) }).default('deployed'),
    sleepAfter: exports.durationSchema.optional(),
    parallel: positiveInt.refine((n) => n >= 1 && n <= 64, 'expected a number from 1 to 64').default(4),
    maxPreviews: positiveInt.refine((n) => n >= 1, 'expected at least 1').optional(),
    capPolicy: zod_1.z.enum(['sleep', 'delete', 'refuse'], { errorMap: () => ({ message: 'expected sleep, delete or refuse' }) }).default('sleep'),
    basicAuth: zod_1.z
        .string()
        .transform((text, ctx) => {
        const colon = text.indexOf(':');
        if (colon <= 0 || colon === text.length - 1) {
            ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: 'expected USER:PASSWORD (both non-empty)' });
            return zod_1.z.NEVER;
        }
        return { user: text.slice(0, colon), password: text.slice(colon + 1) };
    })
        .optional(),
    max: positiveInt.optional(),
    keep: zod_1.z.array(zod_1.z.string()).default([]),
    all: zod_1.z.boolean().default(false),
    json: zod_1.z.boolean().default(false),
    dryRun: zod_1.z.boolean().default(false),
    debug: zod_1.z.boolean().default(false),
    dotenv: zod_1.z.string().optional(),
    config: zod_1.z.string().optional(),
    settings: zod_1.z.string().optional(),
});


/***/ }),

/***/ 3829:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.clip = clip;
exports.asRecord = asRecord;
exports.describeYaml = describeYaml;
exports.resolveOptions = resolveOptions;
exports.configErrorFrom = configErrorFrom;
exports.fileKeys = fileKeys;
const errors_js_1 = __webpack_require__(4296);
const options_js_1 = __webpack_require__(3457);
const settings_schema_js_1 = __webpack_require__(9892);
/** Long values are cut in messages, which stay one readable line. */
function clip(text, max = 80) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
function splitList(text) {
    return text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
function envBool(text, name) {
    const t = text.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t))
        return true;
    if (['', '0', 'false', 'no', 'off'].includes(t))
        return false;
    throw new errors_js_1.ConfigError(`invalid ${name}: expected true or false, got "${text}"`);
}
/** One KEY=VALUE per line; blank lines and lines starting with # are skipped. */
function mapLines(text) {
    return text
        .split(/\r?\n/)
        .map((line) => line.trimStart())
        .filter((line) => line !== '' && !line.startsWith('#'));
}
function parseMapFlag(entries, where) {
    const out = {};
    for (const entry of entries) {
        const eq = entry.indexOf('=');
        const key = eq < 0 ? entry : entry.slice(0, eq);
        if (eq <= 0 || !settings_schema_js_1.ENV_NAME.test(key)) {
            throw new errors_js_1.ConfigError(`invalid ${where} "${key}": expected KEY=VALUE with KEY made of letters, digits and _`);
        }
        out[key] = entry.slice(eq + 1);
    }
    return out;
}
function asRecord(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
const isScalar = (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
/**
 * Stringify scalars from YAML (numbers, booleans) where the option is a string. A mapping's values
 * must be scalars too: `K: {a: 1}` is refused, never sent as `[object Object]`.
 */
function normaliseFileValue(spec, value, where) {
    if (value === null || value === undefined)
        return undefined;
    if (spec.type === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
        return String(value);
    if (spec.type === 'list' && isScalar(value))
        return [String(value)];
    if (spec.type === 'list' && Array.isArray(value)) {
        const bad = value.findIndex((v) => !isScalar(v));
        if (bad >= 0)
            throw new errors_js_1.ConfigError(`invalid settings: ${where()} (item ${bad + 1}): expected a text value, got ${describeYaml(value[bad])}`);
        return value.map(String);
    }
    if (spec.type === 'map' && value && typeof value === 'object' && !Array.isArray(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => {
            if (v !== null && !isScalar(v))
                throw new errors_js_1.ConfigError(`invalid settings: ${where()}.${k}: expected a text value, got ${describeYaml(v)}`);
            return [k, v === null ? '' : String(v)];
        }));
    }
    return value;
}
function describeYaml(value) {
    if (Array.isArray(value))
        return 'a list';
    if (value && typeof value === 'object')
        return 'a mapping';
    return typeWords(typeof value);
}
/** Resolves each option: flag, then env, then the file section, then the file's top level. */
function resolveOptions(specs, sources, fileSection, fileTop, 
/** How messages name the file and the section the values came from: `.preview.yml`, `clever-cloud`. */
fileWhere = {}) {
    const values = {};
    const origins = new Map();
    const fileName = fileWhere.name ?? '.preview.yml';
    for (const spec of specs) {
        const flagValue = spec.flag === undefined ? undefined : sources.flags[spec.flag];
        const inSection = spec.key in fileSection;
        const describeFile = () => {
            const section = inSection && fileWhere.section ? `${fileWhere.section}.` : '';
            const overlaid = sources.file?.overlaid ?? [];
            const given = [spec.key, spec.flag].some((k) => k !== undefined && overlaid.includes(`${section}${k}`));
            return given ? `--settings / PREVIEW_SETTINGS ${section}${spec.key}` : `${fileName} ${section}${spec.key}`;
        };
        const fileValue = normaliseFileValue(spec, inSection ? fileSection[spec.key] : spec.topLevel ? fileTop[spec.key] : undefined, describeFile);
        if (spec.type === 'map') {
            // Maps merge: .preview.yml, then the env variable's lines, then the flags, key by key.
            const fromFlags = Array.isArray(flagValue) && flagValue.length ? parseMapFlag(flagValue, `--${spec.flag}`) : {};
            const envName = spec.env?.find((name) => sources.env[name]);
            const fromEnv = envName ? parseMapFlag(mapLines(sources.env[envName]), envName) : {};
            if (fileValue !== undefined && (typeof fileValue !== 'object' || Array.isArray(fileValue))) {
                values[spec.key] = fileValue; // let the schema name the wrong type
                origins.set(spec.key, describeFile());
            }
            else if (fileValue !== undefined || envName || Object.keys(fromFlags).length) {
                values[spec.key] = { ...asRecord(fileValue), ...fromEnv, ...fromFlags };
                origins.set(spec.key, Object.keys(fromFlags).length ? `--${spec.flag}` : envName ?? describeFile());
            }
            continue;
        }
        if (flagValue !== undefined && !(Array.isArray(flagValue) && flagValue.length === 0)) {
            values[spec.key] = flagValue;
            origins.set(spec.key, (0, options_js_1.describeSource)(spec, 'flag'));
            continue;
        }
        const envName = spec.env?.find((name) => sources.env[name] !== undefined && sources.env[name] !== '');
        if (envName) {
            const raw = sources.env[envName];
            values[spec.key] = spec.type === 'boolean' ? envBool(raw, envName) : spec.type === 'list' ? splitList(raw) : raw;
            origins.set(spec.key, envName);
            continue;
        }
        if (fileValue !== undefined) {
            values[spec.key] = fileValue;
            origins.set(spec.key, describeFile());
        }
    }
    return { values, origins };
}
/** zod's type names in the words of a YAML file. */
function typeWords(type) {
    const words = {
        object: 'a mapping (KEY: value lines)',
        array: 'a list',
        string: 'a text value',
        number: 'a number',
        boolean: 'true or false',
        null: 'nothing',
    };
    return words[type] ?? type;
}
/** Turns a zod failure into one line naming the field the way the user wrote it. */
function configErrorFrom(error, origins, section, specs = []) {
    const issue = error.issues[0];
    const key = String(issue.path[0] ?? '');
    const rest = issue.path.slice(1).join('.');
    const fileKey = section ? `.preview.yml ${section}.${key}` : `.preview.yml ${key}`;
    const missing = issue.code === 'invalid_type' && issue.received === 'undefined';
    // A value given nowhere is named by every way to give it: the flag, the variable, the file key.
    const spec = specs.find((o) => o.key === key);
    const ways = spec ? [spec.flag ? `--${spec.flag}` : undefined, ...(spec.env ?? []), fileKey].filter(Boolean).join(' / ') : fileKey;
    const where = origins.get(key) ?? ways;
    const field = rest ? `${where} (${rest})` : where;
    let message = issue.message;
    if (missing)
        message = 'is required';
    else if (issue.code === 'invalid_type')
        message = `expected ${typeWords(issue.expected)}, got ${typeWords(issue.received)}`;
    return new errors_js_1.ConfigError(`invalid settings: ${field}: ${message}`, { hint: 'see preview-kit --help' });
}
/**
 * People write the flag's spelling in YAML too (`health-path`, `build-flavor`, `addon`): those
 * are read as the setting they name. Giving both spellings of one setting is an error.
 */
function fileKeys(record, specs, prefix) {
    const out = {};
    for (const [key, value] of Object.entries(record)) {
        const spec = specs.find((o) => o.key !== key && o.flag === key && !specs.some((k) => k.key === key));
        const target = spec ? spec.key : key;
        if (target in out) {
            throw new errors_js_1.ConfigError(`invalid settings: ${prefix}${target}: given twice (as "${target}" and "${spec?.flag ?? key}")`);
        }
        out[target] = value;
    }
    return out;
}


/***/ }),

/***/ 1922:
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
exports.closest = exports.resolveOptions = exports.configErrorFrom = void 0;
exports.identityOf = identityOf;
exports.loadSettings = loadSettings;
exports.secretValues = secretValues;
/**
 * Settings: read once (flag → env → `.preview.yml`), validated once with a schema, passed down
 * typed. This module does no I/O: the CLI hands it the parsed flags, an env record and the parsed
 * file. Providers never read env or flags themselves. The list of providers is not kept here: the
 * provider registry hands it in, so that it is the only list.
 */
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
const identity_js_1 = __webpack_require__(4845);
const naming_js_1 = __webpack_require__(2607);
const settings_schema_js_1 = __webpack_require__(9892);
const settings_sources_js_1 = __webpack_require__(3829);
const suggest_js_1 = __webpack_require__(2085);
__exportStar(__webpack_require__(9892), exports);
var settings_sources_js_2 = __webpack_require__(3829);
Object.defineProperty(exports, "configErrorFrom", ({ enumerable: true, get: function () { return settings_sources_js_2.configErrorFrom; } }));
Object.defineProperty(exports, "resolveOptions", ({ enumerable: true, get: function () { return settings_sources_js_2.resolveOptions; } }));
var suggest_js_2 = __webpack_require__(2085);
Object.defineProperty(exports, "closest", ({ enumerable: true, get: function () { return suggest_js_2.closest; } }));
/**
 * Whose preview this is. A fork's change is always keyed by its pull request number, never by the
 * fork's branch name (a fork's `feature/login` is not ours); otherwise `--pr`, else the branch.
 */
function identityOf(c, detected) {
    const prefix = c.prefix ? { prefix: c.prefix } : {};
    if (detected?.fork) {
        const pr = c.pr ?? detected.pr;
        if (pr !== undefined)
            return { project: c.app, pr, fork: detected.fork, ...prefix };
    }
    if (c.pr !== undefined)
        return { project: c.app, pr: c.pr, ...prefix };
    if (c.branch !== undefined)
        return { project: c.app, branch: c.branch, ...prefix };
    return undefined;
}
/**
 * Reads and validates all settings. `providers.pick` returns the settings module of the chosen
 * provider, so that only its options are read and checked.
 */
function loadSettings(sources, providers, options = {}) {
    const FILE_TOP_KEYS = [...settings_schema_js_1.commonOptions.map((o) => o.key), ...providers.ids];
    if (sources.file && sources.file.data !== null && sources.file.data !== undefined && (typeof sources.file.data !== 'object' || Array.isArray(sources.file.data))) {
        throw new errors_js_1.ConfigError(`invalid settings: ${sources.file.path}: expected a mapping of settings at the top level`);
    }
    const fileName = sources.file ? (0, node_path_1.basename)(sources.file.path) : '.preview.yml';
    const fileTop = (0, settings_sources_js_1.fileKeys)((0, settings_sources_js_1.asRecord)(sources.file?.data), settings_schema_js_1.commonOptions, `${fileName} `);
    const { values, origins } = (0, settings_sources_js_1.resolveOptions)(settings_schema_js_1.commonOptions, sources, fileTop, {}, { name: fileName });
    const noProvider = options.providerOptional === true && values.provider === undefined;
    if (noProvider)
        values.provider = providers.ids[0];
    if (values.app === undefined && sources.detected?.app)
        values.app = sources.detected.app;
    if (values.branch === undefined && sources.detected?.branch)
        values.branch = sources.detected.branch;
    if (values.commit === undefined && sources.detected?.commit)
        values.commit = sources.detected.commit;
    const parsed = (0, settings_schema_js_1.commonSchemaFor)(providers.ids).safeParse(values);
    if (!parsed.success)
        throw (0, settings_sources_js_1.configErrorFrom)(parsed.error, origins, undefined, settings_schema_js_1.commonOptions);
    const c = parsed.data;
    const identity = identityOf(c, sources.detected);
    if (identity === undefined && !options.branchOptional) {
        throw new errors_js_1.ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', {
            hint: 'pass --branch or set PREVIEW_BRANCH',
        });
    }
    if (identity?.fork && c.pr === undefined)
        c.pr = identity.pr;
    const name = identity ? (0, naming_js_1.nameOfIdentity)(identity) : (0, naming_js_1.previewName)({ app: c.app, prefix: c.prefix });
    const { timeout, domain, ...rest } = c;
    const common = { ...rest, name, identity, key: identity ? (0, identity_js_1.identityKey)(identity) : undefined, domainTemplates: domain, domains: [], timeoutMs: timeout };
    if (noProvider)
        return { common: { ...common, domains: expandDomains(c, name, identity, origins) }, provider: undefined };
    const module = providers.pick(c.provider);
    const topLevelSpecs = module.options.filter((o) => o.topLevel);
    const top = (0, settings_sources_js_1.fileKeys)(fileTop, topLevelSpecs, `${fileName} `);
    const topKnown = [...FILE_TOP_KEYS, ...topLevelSpecs.map((o) => o.key)];
    for (const key of Object.keys(top)) {
        if (!topKnown.includes(key)) {
            const guess = (0, suggest_js_1.closest)(key, topKnown);
            throw new errors_js_1.ConfigError(`invalid settings: ${fileName}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
                hint: `known keys: ${topKnown.join(', ')}`,
            });
        }
    }
    const rawSection = top[module.id];
    if (rawSection !== undefined && rawSection !== null && (typeof rawSection !== 'object' || Array.isArray(rawSection))) {
        throw new errors_js_1.ConfigError(`invalid settings: ${fileName} ${module.id}: expected a mapping of ${module.id} settings, got ${(0, settings_sources_js_1.describeYaml)(rawSection)}`, {
            hint: `e.g. ${module.id}:\n  ${module.options.find((o) => !o.secret)?.key ?? 'key'}: value`,
        });
    }
    const section = (0, settings_sources_js_1.fileKeys)((0, settings_sources_js_1.asRecord)(rawSection), module.options, `${fileName} ${module.id}.`);
    const known = module.options.map((o) => o.key);
    for (const key of Object.keys(section)) {
        if (!known.includes(key)) {
            const guess = (0, suggest_js_1.closest)(key, known);
            throw new errors_js_1.ConfigError(`invalid settings: ${fileName} ${module.id}.${key}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`, {
                hint: `known keys: ${known.join(', ')}`,
            });
        }
    }
    for (const spec of module.options) {
        if (spec.secret && (spec.key in section || (spec.topLevel && spec.key in top))) {
            const overlaid = sources.file?.overlaid ?? [];
            const inOverlay = [spec.key, spec.flag].some((k) => k !== undefined && (overlaid.includes(`${module.id}.${k}`) || overlaid.includes(k)));
            throw new errors_js_1.ConfigError(inOverlay
                ? `invalid settings: --settings / PREVIEW_SETTINGS ${module.id}.${spec.key}: a secret does not belong in the settings, which are shown in logs and workflow files`
                : `invalid settings: ${fileName} ${module.id}.${spec.key}: a secret does not belong in a file that is committed`, { hint: `remove it and set ${spec.env?.[0] ?? 'it'} as a masked CI variable or repository secret` });
        }
    }
    const resolved = (0, settings_sources_js_1.resolveOptions)(module.options, sources, section, top, { name: fileName, section: module.id });
    checkCredentials(module.options, resolved.values, resolved.origins);
    const providerParsed = module.schema.safeParse(resolved.values);
    if (!providerParsed.success)
        throw (0, settings_sources_js_1.configErrorFrom)(providerParsed.error, resolved.origins, module.id, module.options);
    const extra = module.domainValues?.(providerParsed.data) ?? {};
    return { common: { ...common, domains: expandDomains(c, name, identity, origins, extra) }, provider: providerParsed.data };
}
/**
 * Expands and checks the domain templates; providers may add placeholders (docker: `{domain}`).
 * `{branch}` and `{pr}` come from the identity: a pull request's preview has no branch in its
 * hosts (a fork's branch name would give a host of the same-named branch of ours).
 */
function expandDomains(c, name, identity, origins, extra = {}) {
    const where = origins.get('domain') ?? '--domain';
    const pr = identity ? identity.pr : c.pr;
    const branch = identity ? identity.branch : c.branch;
    for (const template of c.domain) {
        if (pr === undefined && template.includes('{pr}')) {
            throw new errors_js_1.ConfigError(`invalid settings: ${where}: "${template}" uses {pr} but no pull request number is given`, { hint: 'pass --pr, or use {name}' });
        }
        if (pr !== undefined && template.includes('{branch}')) {
            throw new errors_js_1.ConfigError(`invalid settings: ${where}: "${template}" uses {branch}, but this preview is for pull request #${pr}`, { hint: 'use {name} or {pr}' });
        }
    }
    let domains;
    try {
        domains = c.domain.map((t) => (0, naming_js_1.expandDomain)(t, { name, app: c.app, branch, pr, extra }));
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`invalid settings: ${where}: ${error.message}`);
    }
    for (const [i, template] of c.domain.entries()) {
        const problem = (0, naming_js_1.hostProblem)(domains[i]);
        if (problem) {
            throw new errors_js_1.ConfigError(`invalid settings: ${where}: "${template}" expands to "${(0, settings_sources_js_1.clip)(domains[i])}" for this branch: ${problem}`, {
                hint: '{name} always expands to a valid label',
            });
        }
    }
    return domains;
}
/**
 * A credential travels in an HTTP header (or is encoded into one): a character outside printable
 * Latin-1 — a typographic quote, a non-breaking space or a line break pasted in with the token —
 * can only be a mistake, and would otherwise surface as a refused login or a network error worth
 * five retries. The value is never printed, only where it came from and the character's position.
 */
function checkCredentials(specs, values, origins) {
    for (const spec of specs) {
        const value = values[spec.key];
        if (!spec.secret || typeof value !== 'string')
            continue;
        const bad = [...value].findIndex((ch) => {
            const code = ch.codePointAt(0);
            return code > 0xff || code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0xa0;
        });
        if (bad < 0)
            continue;
        const where = origins.get(spec.key) ?? spec.env?.[0] ?? spec.key;
        throw new errors_js_1.ConfigError(`invalid settings: ${where}: character ${bad + 1} cannot be part of a credential (a typographic quote, non-breaking space or line break pasted in?)`, {
            hint: `set ${where} again from the platform's own copy of it`,
        });
    }
}
/** Secret values among the resolved options, to register with the redactor before anything is printed. */
function secretValues(specs, sources) {
    const out = [];
    for (const spec of specs) {
        if (!spec.secret)
            continue;
        const flagValue = spec.flag ? sources.flags[spec.flag] : undefined;
        if (typeof flagValue === 'string')
            out.push(flagValue);
        for (const name of spec.env ?? []) {
            const v = sources.env[name];
            if (v)
                out.push(v);
        }
    }
    return out;
}


/***/ }),

/***/ 2085:
/***/ ((__unused_webpack_module, exports) => {


/**
 * "Did you mean …?": the known word nearest to a typo.
 */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.closest = closest;
/** The known key nearest to a typo, when one is near enough to be a likely meaning. */
function closest(word, candidates) {
    const norm = (w) => w.toLowerCase().replace(/[-_]/g, '');
    let best;
    for (const candidate of candidates) {
        const d = editDistance(norm(word), norm(candidate));
        if (d <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || d < best.d))
            best = { key: candidate, d };
    }
    return best?.key;
}
/** Edits between two words, a swap of neighbours counting as one (the commonest typo). */
function editDistance(a, b) {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++)
        d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[a.length][b.length];
}


/***/ }),

/***/ 6310:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.githubErrorAnnotation = githubErrorAnnotation;
exports.gitlabFailureSection = gitlabFailureSection;
exports.failureReport = failureReport;
/** Workflow command data: `%`, CR and LF are escaped. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Workflow command properties also escape `:` and `,`. */
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function githubErrorAnnotation(title, message) {
    return `::error title=${escapeProperty(title)}::${escapeData(message)}\n`;
}
/** A GitLab section, collapsed, whose header line (always visible) carries the reason in red. */
function gitlabFailureSection(title, message, details = [], now = Date.now()) {
    const stamp = Math.floor(now / 1000);
    const id = 'preview_kit_failure';
    const body = details.map((line) => `${line}\n`).join('');
    return `\x1b[0Ksection_start:${stamp}:${id}[collapsed=true]\r\x1b[0K\x1b[31;1m${title}: ${message}\x1b[0m\n${body}\x1b[0Ksection_end:${stamp}:${id}\r\x1b[0K\n`;
}
/** What the forge shows of a failed command, after the CLI's own line; nothing elsewhere. */
function failureReport(forge, command, message, exitCode) {
    const title = `preview-kit ${command} failed (exit ${exitCode})`;
    if (forge === 'github')
        return githubErrorAnnotation(title, message);
    if (forge === 'gitlab')
        return gitlabFailureSection(title, message, [`exit codes: 2 usage or settings, 3 credentials or rights, 4 not found, 5 platform failure or timeout, 6 refused for safety`]);
    return '';
}


/***/ }),

/***/ 8458:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.forgeOf = forgeOf;
exports.ciInfoFromEnv = ciInfoFromEnv;
exports.changeOfEvent = changeOfEvent;
exports.gitFallback = gitFallback;
exports.resolveCommit = resolveCommit;
/**
 * Reads what the CI environment says about the run: which forge, the repository name, the branch,
 * the pull/merge request and the commit. Pure over an env record; git is asked only as a fallback.
 */
const execa_1 = __webpack_require__(6993);
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
const event_js_1 = __webpack_require__(2098);
function forgeOf(env) {
    if (env.GITHUB_ACTIONS === 'true')
        return 'github';
    if (env.GITLAB_CI === 'true')
        return 'gitlab';
    return 'generic';
}
function ciInfoFromEnv(env) {
    const forge = forgeOf(env);
    const info = { forge };
    // CircleCI's variables are read too: the nightly and any-CI examples need no flags for them.
    const repo = env.GITHUB_REPOSITORY?.split('/').pop() || env.CI_PROJECT_NAME || env.CIRCLE_PROJECT_REPONAME;
    if (repo)
        info.app = repo;
    // A pull request's head branch comes first: GITHUB_REF_NAME is then `<n>/merge`.
    const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.CI_COMMIT_REF_NAME || env.CIRCLE_BRANCH;
    if (branch)
        info.branch = branch;
    const commit = env.CI_COMMIT_SHA || (env.GITHUB_HEAD_REF ? undefined : env.GITHUB_SHA) || env.CIRCLE_SHA1;
    if (commit)
        info.commit = commit;
    if (env.GITHUB_EVENT_PATH)
        info.eventPath = env.GITHUB_EVENT_PATH;
    return info;
}
/**
 * What the event says about the change: a GitHub pull request (from the event payload) or a
 * GitLab merge request (from the MR variables). A fork's change is one whose head lives in
 * another repository than the base; a repository that is itself a fork is not, by that alone.
 */
function changeOfEvent(env) {
    const forge = forgeOf(env);
    if (forge === 'github') {
        const pr = (0, event_js_1.readEvent)(env).pullRequest;
        if (!pr)
            return {};
        return { pr: pr.number, ...(pr.fromFork ? { fork: pr.headRepo ?? '(deleted fork)' } : {}) };
    }
    if (forge === 'gitlab' && env.CI_MERGE_REQUEST_IID && /^\d+$/.test(env.CI_MERGE_REQUEST_IID)) {
        const pr = Number(env.CI_MERGE_REQUEST_IID);
        const source = env.CI_MERGE_REQUEST_SOURCE_PROJECT_ID;
        const target = env.CI_MERGE_REQUEST_PROJECT_ID;
        const fromFork = source !== undefined && target !== undefined && source !== '' && source !== target;
        return { pr, ...(fromFork ? { fork: env.CI_MERGE_REQUEST_SOURCE_PROJECT_PATH || `project ${source}` } : {}) };
    }
    return {};
}
/** Asks git for what the env did not say. Failures mean "unknown", never an error here. git sees only `childEnv`. */
async function gitFallback(cwd, info, need, childEnv) {
    const out = { ...info };
    const git = async (...args) => {
        try {
            const r = await (0, execa_1.execa)('git', args, { cwd, reject: false, stdin: 'ignore', env: childEnv, extendEnv: false });
            return r.exitCode === 0 ? r.stdout.trim() : undefined;
        }
        catch {
            return undefined;
        }
    };
    if (need.branch && !out.branch) {
        const b = await git('rev-parse', '--abbrev-ref', 'HEAD');
        if (b && b !== 'HEAD')
            out.branch = b;
    }
    if (need.app && !out.app) {
        const top = await git('rev-parse', '--show-toplevel');
        out.app = (0, node_path_1.basename)(top ?? cwd);
    }
    return out;
}
/** Resolves a commit-ish to a full SHA in the source repository. */
async function resolveCommit(dir, ref, childEnv) {
    const r = await (0, execa_1.execa)('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, reject: false, stdin: 'ignore', env: childEnv, extendEnv: false });
    if (r.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(r.stdout.trim())) {
        const hint = r.stderr.includes('dubious ownership')
            ? 'git refuses a checkout owned by another user: mark it safe (git config --global --add safe.directory <dir>)'
            : r.stderr.includes('not a git repository')
                ? 'run inside a git checkout or pass --source'
                : 'check --commit, or fetch more history (fetch-depth)';
        throw new errors_js_1.ConfigError(`deploy: cannot resolve commit "${ref}" in ${dir}`, { hint });
    }
    return r.stdout.trim();
}


/***/ }),

/***/ 2098:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.pullRequestOf = pullRequestOf;
exports.readEvent = readEvent;
/**
 * What the triggering event says about the pull request: its number, head commit and whether it
 * comes from a fork. Read from GITHUB_EVENT_PATH (the runner's copy of the webhook payload).
 */
const node_fs_1 = __webpack_require__(3024);
const asObject = (value) => (value && typeof value === 'object' && !Array.isArray(value) ? value : undefined);
const asString = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
/** Pure: the pull request of a parsed event payload, when the event carries one. */
function pullRequestOf(payload) {
    const root = asObject(payload);
    const pr = asObject(root?.pull_request);
    if (!root || !pr)
        return undefined;
    const number = typeof pr.number === 'number' ? pr.number : typeof root.number === 'number' ? root.number : undefined;
    if (number === undefined)
        return undefined;
    const head = asObject(pr.head);
    const base = asObject(pr.base);
    const headRepoObject = asObject(head?.repo);
    const headRepo = asString(headRepoObject?.full_name);
    const baseRepo = asString(asObject(base?.repo)?.full_name) ?? asString(asObject(root.repository)?.full_name);
    // A deleted fork leaves `head.repo: null`: that code still is not ours. A repository that is
    // itself a fork (`repo.fork: true`) has pull requests between its own branches: those are not.
    const headId = headRepoObject?.id;
    const baseId = asObject(base?.repo)?.id;
    const fromFork = headRepoObject === undefined ||
        (typeof headId === 'number' && typeof baseId === 'number' ? headId !== baseId : headRepo === undefined || (baseRepo !== undefined && headRepo !== baseRepo));
    const info = { number, fromFork };
    const action = asString(root.action);
    if (action)
        info.action = action;
    const headSha = asString(head?.sha);
    if (headSha)
        info.headSha = headSha;
    const headRef = asString(head?.ref);
    if (headRef)
        info.headRef = headRef;
    if (headRepo)
        info.headRepo = headRepo;
    if (baseRepo)
        info.baseRepo = baseRepo;
    return info;
}
/** Reads the event file the runner wrote. A missing or unreadable file means "no event". */
function readEvent(env) {
    const info = {};
    if (env.GITHUB_EVENT_NAME)
        info.name = env.GITHUB_EVENT_NAME;
    const path = env.GITHUB_EVENT_PATH;
    if (!path)
        return info;
    let payload;
    try {
        payload = JSON.parse((0, node_fs_1.readFileSync)(path, 'utf8'));
    }
    catch {
        return info;
    }
    const pullRequest = pullRequestOf(payload);
    if (pullRequest)
        info.pullRequest = pullRequest;
    return info;
}


/***/ }),

/***/ 6714:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.cleverCloudModule = void 0;
const settings_js_1 = __webpack_require__(1603);
exports.cleverCloudModule = {
    id: 'clever-cloud',
    description: 'Clever Cloud: one git-deployed application per preview, with its domains and add-ons',
    options: settings_js_1.cleverOptions,
    schema: settings_js_1.cleverSchema,
    // Clever Cloud's routing (its load balancers in front of every app) has no HTTP basic auth to
    // switch on per application: protection would have to live in the app itself.
    capabilities: { basicAuth: false },
    create: async (settings, context) => {
        const { CleverCloudProvider } = await Promise.all(/* import() */[__webpack_require__.e(233), __webpack_require__.e(655)]).then(__webpack_require__.bind(__webpack_require__, 8655));
        return new CleverCloudProvider(settings, context);
    },
};


/***/ }),

/***/ 1603:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.cleverSchema = exports.cleverOptions = exports.KNOWN_TYPES = exports.FLAVORS = exports.ZONES = void 0;
exports.parseAddonRequest = parseAddonRequest;
/**
 * Clever Cloud settings: where each one comes from (flag, env, `.preview.yml` key under
 * `clever-cloud:`) and the schema that validates them once, before anything talks to the API.
 */
const zod_1 = __webpack_require__(924);
/** Zones clever-tools offers (`clever create --region`). */
exports.ZONES = ['par', 'parhds', 'grahds', 'rbx', 'rbxhds', 'scw', 'ldn', 'mtl', 'sgp', 'syd', 'wsw'];
exports.FLAVORS = ['pico', 'nano', 'XS', 'S', 'M', 'L', 'XL', '2XL', '3XL'];
/** Runtime slugs known today (`variant.slug` of `/v2/products/instances`); others are checked against the catalogue. */
exports.KNOWN_TYPES = [
    'docker', 'elixir', 'frankenphp', 'go', 'gradle', 'haskell', 'jar', 'linux', 'maven', 'meteor', 'node',
    'php', 'play1', 'play2', 'python', 'ruby', 'rust', 'sbt', 'static', 'static-apache', 'v', 'war',
];
exports.cleverOptions = [
    { key: 'org', flag: 'org', type: 'string', env: ['CLEVER_ORG'], value: 'ID|NAME', description: 'Clever Cloud organisation: orga_… id or its name', defaultText: 'the personal space of the token' },
    { key: 'apiUrl', flag: 'api-url', type: 'string', env: ['CLEVER_API_URL', 'API_HOST'], value: 'URL', description: 'Clever Cloud API base URL', defaultText: 'https://api.clever-cloud.com' },
    { key: 'token', type: 'string', env: ['CLEVER_TOKEN'], secret: true, description: 'Clever Cloud OAuth token (with CLEVER_SECRET)' },
    { key: 'secret', type: 'string', env: ['CLEVER_SECRET'], secret: true, description: 'Clever Cloud OAuth token secret' },
    { key: 'apiToken', type: 'string', env: ['CLEVER_API_TOKEN', 'CC_API_TOKEN'], secret: true, description: 'Clever Cloud API token (Bearer), instead of CLEVER_TOKEN/CLEVER_SECRET' },
    { key: 'consumerKey', type: 'string', env: ['CLEVER_OAUTH_CONSUMER_KEY', 'OAUTH_CONSUMER_KEY'], description: "OAuth consumer key the tokens were issued to", defaultText: "clever-tools' public consumer" },
    { key: 'consumerSecret', type: 'string', env: ['CLEVER_OAUTH_CONSUMER_SECRET', 'OAUTH_CONSUMER_SECRET'], secret: true, description: 'OAuth consumer secret', defaultText: "clever-tools' public consumer" },
    { key: 'type', flag: 'type', type: 'string', env: ['CLEVER_TYPE'], value: 'SLUG', description: 'Clever Cloud runtime: node, python, docker, static-apache…', defaultText: 'node' },
    { key: 'zone', flag: 'zone', type: 'string', env: ['CLEVER_ZONE'], value: 'ZONE', description: `Clever Cloud zone: ${exports.ZONES.join(', ')}`, defaultText: 'par' },
    { key: 'flavor', flag: 'flavor', type: 'string', env: ['CLEVER_FLAVOR'], value: 'SIZE', description: `Clever Cloud instance size: ${exports.FLAVORS.join(', ')}`, defaultText: "the runtime's default" },
    { key: 'instances', flag: 'instances', type: 'string', env: ['CLEVER_INSTANCES'], value: 'N', description: 'Clever Cloud instance count', defaultText: '1' },
    { key: 'buildFlavor', flag: 'build-flavor', type: 'string', env: ['CLEVER_BUILD_FLAVOR'], value: 'SIZE', description: 'Clever Cloud dedicated build instance size, or disabled' },
    { key: 'addons', flag: 'addon', type: 'list', env: ['CLEVER_ADDONS'], value: 'PROVIDER:PLAN', description: 'Clever Cloud add-on for the preview, e.g. postgresql-addon:dev (repeatable)' },
    { key: 'region', flag: 'addon-region', type: 'string', env: ['CLEVER_ADDON_REGION'], value: 'REGION', description: 'Clever Cloud add-on region', defaultText: 'the zone' },
];
const ADDON_SPEC = /^([a-z0-9][a-z0-9-]*):([A-Za-z0-9][A-Za-z0-9_.-]*)$/;
function parseAddonRequest(text) {
    const m = ADDON_SPEC.exec(text.trim());
    return m ? { provider: m[1], plan: m[2] } : undefined;
}
function enumOf(values, what) {
    return zod_1.z
        .string()
        .transform((text, ctx) => {
        // People type `xs`, the API says `XS`: accept either case.
        const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
        if (found === undefined) {
            ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `unknown ${what} "${text}" (expected one of ${values.join(', ')})` });
            return zod_1.z.NEVER;
        }
        return found;
    });
}
const nonEmpty = zod_1.z.string().trim().min(1, 'must not be empty');
const instancesSchema = zod_1.z.union([zod_1.z.number(), zod_1.z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.trim());
    if (!Number.isInteger(n) || n < 1 || n > 40) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `expected a whole number from 1 to 40, got "${v}"` });
        return zod_1.z.NEVER;
    }
    return n;
});
const addonSchema = zod_1.z.string().transform((text, ctx) => {
    const parsed = parseAddonRequest(text);
    if (!parsed) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `"${text}" is not PROVIDER:PLAN (e.g. postgresql-addon:dev)` });
        return zod_1.z.NEVER;
    }
    return parsed;
});
exports.cleverSchema = zod_1.z
    .object({
    org: nonEmpty.optional(),
    apiUrl: zod_1.z
        .string()
        .trim()
        .url('expected a URL like https://api.clever-cloud.com')
        // Plain http is for a local fake or a proxy on the same machine.
        .refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) URL')
        .optional(),
    token: nonEmpty.optional(),
    secret: nonEmpty.optional(),
    apiToken: nonEmpty.optional(),
    consumerKey: nonEmpty.optional(),
    consumerSecret: nonEmpty.optional(),
    type: zod_1.z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z][a-z0-9-]*$/, `expected a runtime slug like ${exports.KNOWN_TYPES.slice(0, 4).join(', ')}`)
        .default('node'),
    zone: enumOf(exports.ZONES, 'zone').default('par'),
    flavor: enumOf(exports.FLAVORS, 'flavor').optional(),
    instances: instancesSchema.optional(),
    buildFlavor: zod_1.z
        .string()
        .transform((text, ctx) => {
        if (text.trim().toLowerCase() === 'disabled')
            return 'disabled';
        const found = exports.FLAVORS.find((f) => f.toLowerCase() === text.trim().toLowerCase());
        if (!found) {
            ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `unknown build flavor "${text}" (expected disabled or one of ${exports.FLAVORS.join(', ')})` });
            return zod_1.z.NEVER;
        }
        return found;
    })
        .optional(),
    addons: zod_1.z.array(addonSchema).default([]),
    region: zod_1.z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9-]*$/, 'expected a region like par')
        .optional(),
})
    .superRefine((s, ctx) => {
    const providers = s.addons.map((a) => a.provider);
    const dup = providers.find((p, i) => providers.indexOf(p) !== i);
    if (dup)
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, path: ['addons'], message: `add-on provider ${dup} is listed twice (one add-on per provider)` });
});


/***/ }),

/***/ 4200:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.convoxModule = void 0;
const settings_js_1 = __webpack_require__(6725);
exports.convoxModule = {
    id: 'convox',
    description: 'Convox rack: one app per preview, built from the commit and promoted (RACK_URL)',
    // The rack's router has no per-app basic auth: protection would be the app's own.
    capabilities: { basicAuth: false },
    options: settings_js_1.convoxOptions,
    schema: settings_js_1.convoxSchema,
    create: async (settings, context) => {
        const { ConvoxProvider } = await Promise.all(/* import() */[__webpack_require__.e(233), __webpack_require__.e(249)]).then(__webpack_require__.bind(__webpack_require__, 9249));
        return new ConvoxProvider(settings, context);
    },
};


/***/ }),

/***/ 6725:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.convoxSchema = exports.convoxOptions = void 0;
exports.splitRackUrl = splitRackUrl;
/**
 * Convox settings: the option table (flags, env, `.preview.yml` keys under `convox:`) and the
 * schema that turns them into one typed object. `RACK_URL` is what the convox CLI reads; it may
 * carry the rack password (`https://convox:PASSWORD@host`), so it is a secret like the password.
 */
const zod_1 = __webpack_require__(924);
const settings_js_1 = __webpack_require__(1922);
exports.convoxOptions = [
    { key: 'rackUrl', flag: 'rack-url', type: 'string', env: ['RACK_URL'], secret: true, value: 'URL', description: 'Convox rack API URL, e.g. https://convox:PASSWORD@api.rack.example.com' },
    { key: 'password', type: 'string', env: ['CONVOX_PASSWORD'], secret: true, description: 'Convox rack password, when RACK_URL carries none' },
    { key: 'rack', flag: 'rack', type: 'string', env: ['CONVOX_RACK'], value: 'NAME', description: 'Convox rack name, sent as the Rack header when the URL is a console' },
    { key: 'service', flag: 'convox-service', type: 'string', env: ['CONVOX_SERVICE'], value: 'NAME', description: 'Convox service whose domain is the preview URL', defaultText: 'web, else the first public service' },
    { key: 'domainEnv', flag: 'convox-domain-env', type: 'string', env: ['CONVOX_DOMAIN_ENV'], value: 'NAME', description: 'env var that carries --domain to convox.yml (domain: ${NAME})', defaultText: 'PREVIEW_HOST' },
    { key: 'manifest', flag: 'convox-manifest', type: 'string', env: ['CONVOX_MANIFEST'], value: 'FILE', description: 'manifest the Convox build reads', defaultText: 'convox.yml' },
    { key: 'rackCaFile', flag: 'rack-ca-file', type: 'string', env: ['CONVOX_RACK_CA_FILE'], value: 'FILE', description: 'PEM certificate (CA or self-signed) trusted for the rack, instead of the system CAs' },
    { key: 'insecureSkipTlsVerify', flag: 'rack-insecure-skip-tls-verify', type: 'boolean', env: ['CONVOX_INSECURE_SKIP_TLS_VERIFY'], description: 'do not verify the rack certificate, as the convox CLI does (prefer --rack-ca-file)', defaultText: 'false' },
    { key: 'claimWait', type: 'string', env: ['CONVOX_CLAIM_WAIT'], value: 'DURATION', description: 'how long an app without any release waits for the run creating it to mark it, before up takes it', defaultText: '30s' },
];
/** Splits `https://convox:PW@host/` into a credential-free base URL and the password it carried. */
function splitRackUrl(text) {
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        return undefined;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return undefined;
    const password = url.password ? decodeURIComponent(url.password) : undefined;
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return { url: url.toString().replace(/\/+$/, ''), ...(password ? { password } : {}) };
}
exports.convoxSchema = zod_1.z
    .object({
    rackUrl: zod_1.z.string().trim().optional(),
    password: zod_1.z.string().optional(),
    rack: zod_1.z.string().trim().min(1).optional(),
    service: zod_1.z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a service name from convox.yml')
        .optional(),
    domainEnv: zod_1.z.string().trim().regex(settings_js_1.ENV_NAME, 'expected an env var name').default('PREVIEW_HOST'),
    manifest: zod_1.z.string().trim().min(1).optional(),
    claimWait: settings_js_1.durationSchema.default('30s'),
    rackCaFile: zod_1.z.string().trim().min(1).optional(),
    insecureSkipTlsVerify: zod_1.z.boolean().default(false),
})
    .transform((raw, ctx) => {
    if (!raw.rackUrl) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, path: ['rackUrl'], message: 'required: set RACK_URL or --rack-url (https://convox:PASSWORD@host)' });
        return zod_1.z.NEVER;
    }
    const split = splitRackUrl(raw.rackUrl);
    if (!split) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, path: ['rackUrl'], message: 'expected an http(s) URL like https://convox:PASSWORD@api.rack.example.com' });
        return zod_1.z.NEVER;
    }
    const password = raw.password || split.password;
    if (!password) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, path: ['rackUrl'], message: 'no rack password: put it in the URL (https://convox:PASSWORD@host) or set CONVOX_PASSWORD' });
        return zod_1.z.NEVER;
    }
    const settings = { rackUrl: split.url, password, domainEnv: raw.domainEnv, claimWaitMs: raw.claimWait, insecureSkipTlsVerify: raw.insecureSkipTlsVerify };
    if (raw.rackCaFile)
        settings.rackCaFile = raw.rackCaFile;
    if (raw.rack)
        settings.rack = raw.rack;
    if (raw.service)
        settings.service = raw.service;
    if (raw.manifest)
        settings.manifest = raw.manifest;
    return settings;
});


/***/ }),

/***/ 9263:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.dockerModule = void 0;
const settings_js_1 = __webpack_require__(2390);
exports.dockerModule = {
    id: 'docker',
    description: 'containers on a Docker Engine behind Caddy',
    // Caddy's `authentication` handler, with a bcrypt hash of the password (basic-auth.ts).
    capabilities: { basicAuth: true },
    options: settings_js_1.dockerOptions,
    schema: settings_js_1.dockerSchema,
    // `--domain '{name}.{domain}'` reads like the service host templates of .preview.yml.
    domainValues: (settings) => ({ domain: settings.baseDomain }),
    create: async (settings, context) => {
        const { createDockerProvider } = await Promise.all(/* import() */[__webpack_require__.e(233), __webpack_require__.e(654)]).then(__webpack_require__.bind(__webpack_require__, 2654));
        return createDockerProvider(settings, context);
    },
};


/***/ }),

/***/ 2390:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.dockerOptions = exports.dockerSchema = exports.serviceSchema = exports.SERVICE_NAME = exports.DEFAULT_CADDY_ADMIN = exports.DEFAULT_DOCKER_HOST = void 0;
/**
 * Settings of the Docker host + Caddy provider: one OptionSpec table (flags, env, `.preview.yml`)
 * and the zod schema that validates it once.
 */
const zod_1 = __webpack_require__(924);
exports.DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
exports.DEFAULT_CADDY_ADMIN = 'http://localhost:2019';
/** Service names end up in route ids, container names and env names: keep them plain. */
exports.SERVICE_NAME = /^[a-z][a-z0-9]{0,19}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const scalar = zod_1.z.union([zod_1.z.string(), zod_1.z.number(), zod_1.z.boolean()]).transform(String);
const port = zod_1.z.union([zod_1.z.number(), zod_1.z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `expected a port number 1-65535, got "${v}"` });
        return zod_1.z.NEVER;
    }
    return n;
});
const hostTemplate = zod_1.z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9{}.*_-]+$/, 'expected a host name or template like {name}-api.{domain}');
const relativePath = zod_1.z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the repository (relative, no ..)');
exports.serviceSchema = zod_1.z
    .object({
    /** A prebuilt image instead of a build. */
    image: zod_1.z.string().min(1).optional(),
    dockerfile: relativePath.optional(),
    buildContext: relativePath.optional(),
    buildArgs: zod_1.z.record(zod_1.z.string().regex(ENV_NAME, 'not a valid build argument name'), scalar).optional(),
    /** Port the service listens on inside the container. */
    port: port.optional(),
    /** Host name template(s); `{name}`, `{app}`, `{branch}`, `{pr}`, `{domain}`. */
    host: zod_1.z.union([hostTemplate, zod_1.z.array(hostTemplate).min(1)]).optional(),
    healthPath: zod_1.z.string().startsWith('/', 'must start with /').optional(),
    env: zod_1.z.record(zod_1.z.string().regex(ENV_NAME, 'not a valid variable name'), scalar).optional(),
    /** Command: a string runs through /bin/sh -c, a list is run as is. */
    command: zod_1.z.union([zod_1.z.string().min(1), zod_1.z.array(zod_1.z.string()).min(1)]).optional(),
})
    .strict();
exports.dockerSchema = zod_1.z
    .object({
    dockerHost: zod_1.z.string().min(1).default(exports.DEFAULT_DOCKER_HOST),
    caddyAdmin: zod_1.z.string().min(1).default(exports.DEFAULT_CADDY_ADMIN),
    caddyServer: zod_1.z.string().min(1).optional(),
    dockerfile: relativePath.optional(),
    buildContext: relativePath.default('.'),
    buildArgs: zod_1.z.record(zod_1.z.string().regex(ENV_NAME, 'not a valid build argument name'), scalar).default({}),
    image: zod_1.z.string().min(1).optional(),
    port: port.default(8080),
    removeImages: zod_1.z.boolean().default(false),
    baseDomain: zod_1.z
        .string()
        .min(1)
        .regex(/^[A-Za-z0-9.-]+$/, 'expected a domain like preview.example.com')
        .default('localhost'),
    services: zod_1.z
        .record(zod_1.z.string().regex(exports.SERVICE_NAME, 'service names are 1-20 lowercase letters and digits, starting with a letter'), exports.serviceSchema)
        .refine((s) => Object.keys(s).length > 0, 'give at least one service')
        .optional(),
    publishHost: zod_1.z.string().min(1).default('127.0.0.1'),
    upstreamHost: zod_1.z.string().min(1).default('127.0.0.1'),
})
    .strict();
exports.dockerOptions = [
    { key: 'dockerHost', flag: 'docker-host', type: 'string', env: ['DOCKER_HOST'], value: 'URL', description: 'Docker Engine: unix:///path.sock, tcp://host:port or ssh://user@host', defaultText: exports.DEFAULT_DOCKER_HOST },
    { key: 'caddyAdmin', flag: 'caddy-admin', type: 'string', env: ['CADDY_ADMIN'], value: 'URL', description: "Caddy's admin API", defaultText: exports.DEFAULT_CADDY_ADMIN },
    { key: 'caddyServer', flag: 'caddy-server', type: 'string', env: ['PREVIEW_CADDY_SERVER'], value: 'NAME', description: 'Caddy HTTP server that gets the routes', defaultText: 'the one on :443/:80, or the only one' },
    { key: 'dockerfile', flag: 'dockerfile', type: 'string', env: ['PREVIEW_DOCKERFILE'], value: 'PATH', description: 'Dockerfile, relative to the repository', defaultText: '<build context>/Dockerfile' },
    { key: 'buildContext', flag: 'build-context', type: 'string', env: ['PREVIEW_BUILD_CONTEXT'], value: 'DIR', description: 'build context directory, relative to the repository', defaultText: '.' },
    { key: 'buildArgs', flag: 'build-arg', type: 'map', value: 'KEY=VALUE', description: 'build argument (repeatable); {commit} and {app} are replaced' },
    { key: 'image', flag: 'image', type: 'string', env: ['PREVIEW_IMAGE'], value: 'REF', description: 'run this prebuilt image instead of building one' },
    { key: 'port', flag: 'container-port', type: 'string', env: ['PREVIEW_CONTAINER_PORT'], value: 'PORT', description: 'port the service listens on inside the container', defaultText: '8080' },
    { key: 'removeImages', flag: 'remove-images', type: 'boolean', env: ['PREVIEW_REMOVE_IMAGES'], description: 'remove images no preview uses any more: on stop, and the replaced one on deploy' },
    { key: 'baseDomain', flag: 'base-domain', type: 'string', env: ['PREVIEW_BASE_DOMAIN'], value: 'DOMAIN', description: 'value of {domain} in host templates', defaultText: 'localhost' },
    { key: 'publishHost', flag: 'publish-host', type: 'string', env: ['PREVIEW_PUBLISH_HOST'], value: 'IP', description: 'host address container ports are published on', defaultText: '127.0.0.1' },
    { key: 'upstreamHost', flag: 'upstream-host', type: 'string', env: ['PREVIEW_UPSTREAM_HOST'], value: 'HOST', description: 'address Caddy dials to reach published ports', defaultText: '127.0.0.1' },
    // `.preview.yml` only: a mapping of service name → {image|dockerfile, port, host, env, …}.
    { key: 'services', type: 'list', topLevel: true, description: 'services of one preview (.preview.yml only)' },
];


/***/ }),

/***/ 4423:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.kubernetesModule = void 0;
const settings_js_1 = __webpack_require__(9230);
exports.kubernetesModule = {
    id: 'kubernetes',
    description: 'Deployments, Services and Ingresses applied with server-side apply (kubeconfig or in-cluster)',
    // ingress-nginx annotations + an htpasswd Secret, or a Traefik Middleware (protection.ts).
    capabilities: { basicAuth: true },
    options: settings_js_1.kubernetesOptions,
    schema: settings_js_1.kubernetesSchema,
    create: async (settings, context) => {
        const { KubernetesProvider } = await Promise.all(/* import() */[__webpack_require__.e(233), __webpack_require__.e(294)]).then(__webpack_require__.bind(__webpack_require__, 294));
        return new KubernetesProvider(settings, context);
    },
};


/***/ }),

/***/ 9230:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.kubernetesSchema = exports.kubernetesOptions = exports.SERVICE_ACCOUNT_DIR = void 0;
/**
 * Kubernetes settings: the option table (flags, env, `.preview.yml` keys under `kubernetes:`) and
 * the schema that turns the resolved values into one typed object. The CLI edge passes the process
 * env to the settings loader, so in-cluster detection (KUBERNETES_SERVICE_HOST/PORT) is declared
 * here as env-only options and never read by the provider itself.
 */
const zod_1 = __webpack_require__(924);
exports.SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
exports.kubernetesOptions = [
    // Connection
    { key: 'kubeconfig', flag: 'kubeconfig', type: 'string', env: ['KUBECONFIG'], value: 'FILE', description: 'kubeconfig file(s), separated by ":" like KUBECONFIG', defaultText: '~/.kube/config, else in-cluster' },
    { key: 'kubeContext', flag: 'kube-context', type: 'string', env: ['K8S_CONTEXT', 'KUBE_CONTEXT'], value: 'NAME', description: 'kubeconfig context to use', defaultText: 'current-context' },
    { key: 'namespace', flag: 'namespace', type: 'string', env: ['K8S_NAMESPACE', 'PREVIEW_NAMESPACE'], value: 'NAME', description: 'namespace of the previews (or the prefix source with --namespace-per-preview)', defaultText: "the context's namespace, else default" },
    { key: 'server', flag: 'kube-server', type: 'string', env: ['K8S_SERVER'], value: 'URL', description: 'API server URL; with --kube-token replaces the kubeconfig' },
    { key: 'token', flag: 'kube-token', type: 'string', env: ['K8S_TOKEN'], secret: true, value: 'TOKEN', description: 'bearer token for the API server (overrides the kubeconfig user)' },
    { key: 'caFile', flag: 'kube-ca-file', type: 'string', env: ['K8S_CA_FILE'], value: 'FILE', description: 'CA bundle that signs the API server certificate (with --kube-server)' },
    { key: 'insecureSkipTlsVerify', flag: 'kube-insecure-skip-tls-verify', type: 'boolean', env: ['K8S_INSECURE_SKIP_TLS_VERIFY'], description: 'do not verify the API server certificate (with --kube-server)' },
    { key: 'kubernetesServiceHost', type: 'string', env: ['KUBERNETES_SERVICE_HOST'], description: 'in-cluster API host (set by Kubernetes in every pod)' },
    { key: 'kubernetesServicePort', type: 'string', env: ['KUBERNETES_SERVICE_PORT'], description: 'in-cluster API port (set by Kubernetes in every pod)' },
    { key: 'serviceAccountDir', type: 'string', description: 'directory of the in-cluster service-account token, CA and namespace', defaultText: exports.SERVICE_ACCOUNT_DIR },
    // Objects
    { key: 'manifests', flag: 'manifests', type: 'string', env: ['K8S_MANIFESTS'], value: 'DIR', description: 'directory of your own manifests (YAML); our labels and name prefix are applied' },
    { key: 'namespacePerPreview', flag: 'namespace-per-preview', type: 'boolean', env: ['K8S_NAMESPACE_PER_PREVIEW'], description: 'give every preview its own namespace, named after the preview' },
    { key: 'image', flag: 'image', type: 'string', env: ['PREVIEW_IMAGE'], value: 'IMAGE', description: 'container image; {commit}, {shortCommit}, {name}, {branch} are replaced' },
    { key: 'port', flag: 'port', type: 'string', env: ['PREVIEW_PORT'], value: 'PORT', description: 'port the container listens on', defaultText: '8080' },
    { key: 'replicas', flag: 'replicas', type: 'string', env: ['K8S_REPLICAS'], value: 'N', description: 'pods per preview', defaultText: '1' },
    { key: 'strategy', flag: 'strategy', type: 'string', env: ['K8S_STRATEGY'], value: 'TYPE', description: 'RollingUpdate or Recreate', defaultText: 'RollingUpdate' },
    { key: 'cpu', flag: 'cpu', type: 'string', env: ['K8S_CPU'], value: 'QUANTITY', description: 'CPU request, e.g. 100m' },
    { key: 'memory', flag: 'memory', type: 'string', env: ['K8S_MEMORY'], value: 'QUANTITY', description: 'memory request, e.g. 256Mi' },
    { key: 'cpuLimit', flag: 'cpu-limit', type: 'string', env: ['K8S_CPU_LIMIT'], value: 'QUANTITY', description: 'CPU limit' },
    { key: 'memoryLimit', flag: 'memory-limit', type: 'string', env: ['K8S_MEMORY_LIMIT'], value: 'QUANTITY', description: 'memory limit' },
    { key: 'readinessPath', flag: 'readiness-path', type: 'string', env: ['K8S_READINESS_PATH'], value: 'PATH', description: 'HTTP readiness probe path (none when unset)' },
    { key: 'imagePullSecrets', flag: 'image-pull-secret', type: 'list', env: ['K8S_IMAGE_PULL_SECRETS'], value: 'NAME', description: 'existing Secret(s) to pull the image with (repeatable)' },
    { key: 'ingressClass', flag: 'ingress-class', type: 'string', env: ['K8S_INGRESS_CLASS'], value: 'NAME', description: 'ingressClassName of the Ingress' },
    { key: 'ingressAnnotations', type: 'map', description: 'extra annotations on the Ingress (.preview.yml mapping)' },
    { key: 'ingressController', flag: 'ingress-controller', type: 'string', env: ['K8S_INGRESS_CONTROLLER'], value: 'nginx|traefik', description: 'what serves the Ingress, for --basic-auth: ingress-nginx annotations, or a Traefik Middleware', defaultText: 'traefik when --ingress-class names it, else nginx' },
    { key: 'tlsSecret', flag: 'tls-secret', type: 'string', env: ['K8S_TLS_SECRET'], value: 'NAME', description: 'TLS Secret of the Ingress; {name} is replaced' },
    { key: 'certManagerIssuer', flag: 'cert-manager-issuer', type: 'string', env: ['K8S_CERT_MANAGER_ISSUER'], value: 'NAME', description: 'cert-manager issuer that makes the TLS Secret' },
    { key: 'certManagerIssuerKind', flag: 'cert-manager-issuer-kind', type: 'string', env: ['K8S_CERT_MANAGER_ISSUER_KIND'], value: 'KIND', description: 'ClusterIssuer or Issuer', defaultText: 'ClusterIssuer' },
    { key: 'commitLabel', flag: 'commit-label', type: 'boolean', env: ['K8S_COMMIT_LABEL'], description: 'also label the pods with the first 15 characters of the commit' },
    { key: 'rolloutFailFast', flag: 'rollout-fail-fast', type: 'boolean', env: ['K8S_ROLLOUT_FAIL_FAST'], description: 'fail the rollout as soon as new pods sit in ImagePullBackOff/CrashLoopBackOff', defaultText: 'true' },
    // Per-preview PostgreSQL database on a shared server
    { key: 'databaseUrl', flag: 'database-url', type: 'string', env: ['PREVIEW_DATABASE_URL'], secret: true, value: 'URL', description: 'admin connection string of a shared PostgreSQL server; each preview gets its own database and role' },
    { key: 'databaseEnv', flag: 'database-env', type: 'string', env: ['PREVIEW_DATABASE_ENV'], value: 'NAME', description: 'variable that carries the preview database URL to the app', defaultText: 'DATABASE_URL' },
    { key: 'databaseAppHost', flag: 'database-app-host', type: 'string', env: ['PREVIEW_DATABASE_APP_HOST'], value: 'HOST[:PORT]', description: 'server address as the app reaches it, when it differs from --database-url' },
];
const quantity = zod_1.z.string().regex(/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[mkMGTPE]|[KMGTPE]i)?$/, 'expected a Kubernetes quantity like 100m, 0.5 or 256Mi');
const wholeNumber = (min, max) => zod_1.z.union([zod_1.z.number(), zod_1.z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `expected a whole number from ${min} to ${max}, got "${v}"` });
        return zod_1.z.NEVER;
    }
    return n;
});
const dnsLabel = zod_1.z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a lowercase DNS label').max(63);
const rawSchema = zod_1.z.object({
    kubeconfig: zod_1.z.string().min(1).optional(),
    kubeContext: zod_1.z.string().min(1).optional(),
    namespace: dnsLabel.optional(),
    server: zod_1.z.string().url('expected a URL like https://host:6443').optional(),
    token: zod_1.z.string().min(1).optional(),
    caFile: zod_1.z.string().min(1).optional(),
    insecureSkipTlsVerify: zod_1.z.boolean().default(false),
    kubernetesServiceHost: zod_1.z.string().optional(),
    kubernetesServicePort: zod_1.z.string().optional(),
    serviceAccountDir: zod_1.z.string().default(exports.SERVICE_ACCOUNT_DIR),
    manifests: zod_1.z.string().min(1).optional(),
    namespacePerPreview: zod_1.z.boolean().default(false),
    image: zod_1.z.string().min(1).optional(),
    port: wholeNumber(1, 65535).default(8080),
    replicas: wholeNumber(0, 1000).default(1),
    strategy: zod_1.z.enum(['RollingUpdate', 'Recreate'], { errorMap: () => ({ message: 'expected RollingUpdate or Recreate' }) }).default('RollingUpdate'),
    cpu: quantity.optional(),
    memory: quantity.optional(),
    cpuLimit: quantity.optional(),
    memoryLimit: quantity.optional(),
    readinessPath: zod_1.z.string().startsWith('/', 'must start with /').optional(),
    imagePullSecrets: zod_1.z.array(zod_1.z.string().min(1)).default([]),
    ingressClass: zod_1.z.string().min(1).optional(),
    ingressAnnotations: zod_1.z.record(zod_1.z.string()).default({}),
    ingressController: zod_1.z.enum(['nginx', 'traefik'], { errorMap: () => ({ message: 'expected nginx or traefik' }) }).optional(),
    tlsSecret: zod_1.z.string().min(1).optional(),
    certManagerIssuer: zod_1.z.string().min(1).optional(),
    certManagerIssuerKind: zod_1.z.enum(['ClusterIssuer', 'Issuer'], { errorMap: () => ({ message: 'expected ClusterIssuer or Issuer' }) }).default('ClusterIssuer'),
    commitLabel: zod_1.z.boolean().default(false),
    rolloutFailFast: zod_1.z.boolean().default(true),
    databaseUrl: zod_1.z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string')
        .optional(),
    databaseEnv: zod_1.z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid variable name').default('DATABASE_URL'),
    databaseAppHost: zod_1.z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'expected host or host:port').optional(),
});
exports.kubernetesSchema = rawSchema.transform((raw) => {
    const { kubernetesServiceHost, kubernetesServicePort, serviceAccountDir, ingressController, ...rest } = raw;
    const settings = { ...rest, ingressController: ingressController ?? (/traefik/i.test(rest.ingressClass ?? '') ? 'traefik' : 'nginx') };
    if (kubernetesServiceHost && kubernetesServicePort) {
        settings.inCluster = { host: kubernetesServiceHost, port: kubernetesServicePort, serviceAccountDir };
    }
    return settings;
});


/***/ }),

/***/ 3307:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.providerChoice = exports.providerIds = exports.providerModules = void 0;
exports.providerModule = providerModule;
exports.createProvider = createProvider;
/**
 * The provider registry: the one list of platforms. `--help`, the settings loader, the GitHub
 * action inputs and the GitLab templates all read it. Adding a provider touches its folder and
 * this list. A module holds only options, schema and a loader: the provider's code is imported
 * when it is chosen.
 */
const errors_js_1 = __webpack_require__(4296);
const module_js_1 = __webpack_require__(6714);
const module_js_2 = __webpack_require__(4200);
const module_js_3 = __webpack_require__(9263);
const module_js_4 = __webpack_require__(4423);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
exports.providerModules = [module_js_1.cleverCloudModule, module_js_3.dockerModule, module_js_4.kubernetesModule, module_js_2.convoxModule];
exports.providerIds = exports.providerModules.map((m) => m.id);
function providerModule(id) {
    const module = exports.providerModules.find((m) => m.id === id);
    if (!module) {
        throw new errors_js_1.ConfigError(`invalid settings: provider "${id}" is not available in this version`, {
            hint: `available: ${exports.providerIds.join(', ')}`,
        });
    }
    return module;
}
/** What the settings loader needs of the registry. */
exports.providerChoice = { ids: exports.providerIds, pick: providerModule };
function createProvider(id, settings, context) {
    return providerModule(id).create(settings, context);
}


/***/ }),

/***/ 3229:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.childEnvFrom = childEnvFrom;
/**
 * What a child process may see of our environment. git needs PATH, HOME (its config), the
 * locale, proxies and, for ssh transports, the agent; nothing else — in particular none of the
 * platform credentials (CLEVER_TOKEN, RACK_URL with its password, kube tokens) a pipeline hands us.
 */
const KEEP = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TEMP|TMP|LANG|LANGUAGE|LC_[A-Z]+|TZ|TERM|SSH_AUTH_SOCK|XDG_CONFIG_HOME|XDG_RUNTIME_DIR|SYSTEMROOT|COMSPEC|PATHEXT|WINDIR)$/;
const PROXIES = /^(https?_proxy|no_proxy|all_proxy|HTTPS?_PROXY|NO_PROXY|ALL_PROXY)$/;
/** git's own settings that change where it looks for config or certificates, not credentials. */
const GIT_KEEP = /^(GIT_SSL_CAINFO|GIT_SSL_CAPATH|GIT_SSL_NO_VERIFY|GIT_SSH_COMMAND|GIT_SSH|GIT_TRACE.*|GIT_CURL_VERBOSE|GIT_CONFIG_NOSYSTEM|GIT_CONFIG_GLOBAL|GIT_CONFIG_SYSTEM|GIT_AUTHOR_NAME|GIT_AUTHOR_EMAIL|GIT_COMMITTER_NAME|GIT_COMMITTER_EMAIL|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS)$/;
function childEnvFrom(env) {
    const out = {};
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined)
            continue;
        if (KEEP.test(name) || PROXIES.test(name) || GIT_KEEP.test(name))
            out[name] = value;
    }
    return out;
}


/***/ }),

/***/ 2739:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.COMMANDS = void 0;
exports.isCommand = isCommand;
exports.loadCommand = loadCommand;
exports.COMMANDS = {
    name: 'print the preview name and URL for a branch (no network)',
    'ensure-app': 'find or create the app (and its add-ons), tagged as ours',
    'set-domain': 'attach the preview domain(s), idempotently',
    deploy: 'deploy the commit; skip when it is already live',
    up: 'ensure-app + set-domain + deploy (what most pipelines call)',
    sleep: 'stop the preview\'s compute, keep its data, domains and URL (up wakes it)',
    stop: 'tear the preview down completely; no-op when already gone',
    status: 'show what exists for a preview (exit 4 when absent)',
    list: "list the project's previews (--all: every preview of ours) with whose each is",
    prune: 'remove (or put to sleep) previews whose branch is gone, idle longer than --ttl, or over --max',
};
/** Own keys only: `toString` or `constructor` are no commands. */
function isCommand(word) {
    return Object.hasOwn(exports.COMMANDS, word);
}
async function loadCommand(name) {
    switch (name) {
        case 'ensure-app':
            return (await __webpack_require__.e(/* import() */ 812).then(__webpack_require__.bind(__webpack_require__, 7812))).ensureApp;
        case 'set-domain':
            return (await __webpack_require__.e(/* import() */ 671).then(__webpack_require__.bind(__webpack_require__, 8671))).setDomain;
        case 'deploy':
            return (await __webpack_require__.e(/* import() */ 839).then(__webpack_require__.bind(__webpack_require__, 3839))).deploy;
        case 'up':
            return (await __webpack_require__.e(/* import() */ 481).then(__webpack_require__.bind(__webpack_require__, 5481))).up;
        case 'stop':
            return (await __webpack_require__.e(/* import() */ 172).then(__webpack_require__.bind(__webpack_require__, 3172))).stop;
        case 'status':
            return (await __webpack_require__.e(/* import() */ 190).then(__webpack_require__.bind(__webpack_require__, 8190))).status;
        case 'sleep':
            return (await __webpack_require__.e(/* import() */ 537).then(__webpack_require__.bind(__webpack_require__, 9537))).sleep;
        case 'list':
            return (await __webpack_require__.e(/* import() */ 664).then(__webpack_require__.bind(__webpack_require__, 9664))).list;
        case 'prune':
            return (await __webpack_require__.e(/* import() */ 913).then(__webpack_require__.bind(__webpack_require__, 7913))).prune;
        case 'name':
            throw new Error('name has no provider command');
    }
}


/***/ }),

/***/ 3337:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.descendants = descendants;
exports.signalDescendants = signalDescendants;
/**
 * The processes this one started, and theirs: what must end with us when a job is cancelled. A
 * `git push` runs `git-remote-http` as its own child; killing only our direct children would leave
 * it pushing after the job is gone. Read from /proc where there is one, else from `ps`.
 */
const node_child_process_1 = __webpack_require__(1421);
const node_fs_1 = __webpack_require__(3024);
/** pid → parent pid of every process we can see. */
function parents() {
    const out = new Map();
    let entries = [];
    try {
        entries = (0, node_fs_1.readdirSync)('/proc').filter((e) => /^\d+$/.test(e));
    }
    catch {
        entries = [];
    }
    if (entries.length > 0) {
        for (const pid of entries) {
            try {
                // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
                const stat = (0, node_fs_1.readFileSync)(`/proc/${pid}/stat`, 'utf8');
                const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
                if (Number.isInteger(ppid))
                    out.set(Number(pid), ppid);
            }
            catch {
                // Gone meanwhile.
            }
        }
        return out;
    }
    const ps = (0, node_child_process_1.spawnSync)('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
    for (const line of (ps.stdout ?? '').split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (Number.isInteger(pid) && Number.isInteger(ppid))
            out.set(pid, ppid);
    }
    return out;
}
/** Every process below `root`, deepest first. */
function descendants(root = process.pid) {
    const byParent = new Map();
    for (const [pid, ppid] of parents())
        byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
    const out = [];
    const walk = (pid) => {
        for (const child of byParent.get(pid) ?? []) {
            walk(child);
            out.push(child);
        }
    };
    walk(root);
    return out;
}
/** Sends `signal` to every process below us; one that is already gone is no error. */
function signalDescendants(signal) {
    let sent = 0;
    for (const pid of descendants()) {
        try {
            process.kill(pid, signal);
            sent++;
        }
        catch {
            // Already gone.
        }
    }
    return sent;
}


/***/ }),

/***/ 2720:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.allOptions = allOptions;
exports.readSettingsFile = readSettingsFile;
exports.overlaySettings = overlaySettings;
exports.allSecretSpecs = allSecretSpecs;
exports.redactorFor = redactorFor;
exports.isDebug = isDebug;
exports.normaliseFlags = normaliseFlags;
/**
 * The settings edge: what comes from outside the process — flags (from argv or the library's
 * object), the environment, `.preview.yml` — read into the plain records the settings loader
 * validates, and the redactor that knows every secret before anything is printed.
 */
const node_fs_1 = __webpack_require__(3024);
const promises_1 = __webpack_require__(1455);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const redact_js_1 = __webpack_require__(2258);
const settings_js_1 = __webpack_require__(1922);
const registry_js_1 = __webpack_require__(3307);
/** Every option of every provider, once per flag: what the parser accepts. */
function allOptions() {
    const seen = new Map();
    for (const spec of [...settings_js_1.commonOptions, ...registry_js_1.providerModules.flatMap((m) => m.options)]) {
        if (spec.flag && !seen.has(spec.flag))
            seen.set(spec.flag, spec);
    }
    return [...seen.values()];
}
async function readSettingsFile(path, explicit) {
    if (!(0, node_fs_1.existsSync)(path)) {
        if (explicit)
            throw new errors_js_1.ConfigError(`invalid settings: --config: ${path} does not exist`);
        return undefined;
    }
    let text;
    try {
        text = await (0, promises_1.readFile)(path, 'utf8');
    }
    catch (error) {
        const code = error.code;
        throw new errors_js_1.ConfigError(`invalid settings: ${path}: cannot be read (${code === 'EISDIR' ? 'it is a directory' : (code ?? error.message)})`, {
            hint: 'point --config / PREVIEW_CONFIG at a YAML file',
        });
    }
    try {
        return { path, data: (0, yaml_1.parse)(text) ?? {} };
    }
    catch (error) {
        const where = error instanceof yaml_1.YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
        const why = error.message.split('\n')[0];
        throw new errors_js_1.ConfigError(`invalid settings: ${path}${where}: not valid YAML: ${why}`);
    }
}
const isMapping = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
/**
 * `--settings` / `PREVIEW_SETTINGS`: YAML shaped like `.preview.yml`, laid over the file — a key
 * replaces the file's, a mapping (a provider's section, `env`) is merged key by key. Flags and
 * the settings' own variables still win over both.
 */
function overlaySettings(file, text) {
    if (!text || text.trim() === '')
        return file;
    let overlay;
    try {
        overlay = (0, yaml_1.parse)(text);
    }
    catch (error) {
        const where = error instanceof yaml_1.YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
        throw new errors_js_1.ConfigError(`invalid settings: --settings / PREVIEW_SETTINGS${where}: not valid YAML: ${error.message.split('\n')[0]}`);
    }
    if (overlay === null || overlay === undefined)
        return file;
    if (!isMapping(overlay))
        throw new errors_js_1.ConfigError('invalid settings: --settings / PREVIEW_SETTINGS: expected a mapping of settings, as in .preview.yml');
    const base = isMapping(file?.data) ? file.data : {};
    const merged = { ...base };
    const overlaid = [...(file?.overlaid ?? [])];
    for (const [key, value] of Object.entries(overlay)) {
        merged[key] = isMapping(value) && isMapping(base[key]) ? { ...base[key], ...value } : value;
        overlaid.push(key, ...(isMapping(value) ? Object.keys(value).map((k) => `${key}.${k}`) : []));
    }
    return { path: file?.path ?? '.preview.yml', data: merged, overlaid };
}
function allSecretSpecs() {
    return [...settings_js_1.commonOptions, ...registry_js_1.providerModules.flatMap((m) => m.options)].filter((s) => s.secret);
}
/** A redactor that already knows every secret the environment holds for any provider. */
function redactorFor(env) {
    const redactor = new redact_js_1.Redactor();
    for (const value of (0, settings_js_1.secretValues)(allSecretSpecs(), { flags: {}, env }))
        redactor.add(value);
    return redactor;
}
function isDebug(env, flags) {
    return flags.debug === true || env.RUNNER_DEBUG === '1' || env.PREVIEW_DEBUG === 'true' || env.PREVIEW_DEBUG === '1';
}
/**
 * Flags as the library API may pass them: keyed by flag (`wait-url`) or setting (`waitUrl`),
 * `env` as an object, numbers for `pr` or `max`. Unknown keys are refused, not ignored: a typo
 * would otherwise silently change nothing.
 */
function normaliseFlags(flags) {
    const specs = allOptions();
    const out = {};
    for (const [key, value] of Object.entries(flags)) {
        if (value === undefined)
            continue;
        const spec = specs.find((o) => o.flag === key) ?? specs.find((o) => o.key === key);
        if (!spec) {
            if (key === 'help' || key === 'version')
                continue;
            const guess = (0, settings_js_1.closest)(key, specs.flatMap((o) => [o.flag, o.key]));
            throw new errors_js_1.ConfigError(`usage: unknown option "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, { hint: 'see preview-kit --help' });
        }
        const flag = spec.flag;
        if (spec.type === 'map' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
            out[flag] = Object.entries(value).map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`);
        }
        else if ((spec.type === 'map' || spec.type === 'list') && !Array.isArray(value)) {
            out[flag] = [String(value)];
        }
        else if (Array.isArray(value)) {
            out[flag] = value.map(String);
        }
        else if (spec.type === 'boolean') {
            out[flag] = typeof value === 'boolean' ? value : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
        }
        else {
            out[flag] = String(value);
        }
    }
    return out;
}


/***/ }),

/***/ 5306:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.publish = publish;
exports.execute = execute;
/**
 * Running one command: flags → settings → provider → command → result. Shared by the CLI and the
 * library API (which must not load the CLI's parser and help).
 */
const node_path_1 = __webpack_require__(6760);
const logger_js_1 = __webpack_require__(1227);
const naming_js_1 = __webpack_require__(2607);
const plan_js_1 = __webpack_require__(4620);
const retry_js_1 = __webpack_require__(7253);
const settings_js_1 = __webpack_require__(1922);
const ci_env_js_1 = __webpack_require__(8458);
const errors_js_1 = __webpack_require__(4296);
const registry_js_1 = __webpack_require__(3307);
const child_env_js_1 = __webpack_require__(3229);
const commands_js_1 = __webpack_require__(2739);
const preflight_js_1 = __webpack_require__(2738);
const edge_js_1 = __webpack_require__(2720);
async function makeLogger(ci, io, redactor, debug) {
    const options = { redactor, sink: io.stderr, debug };
    if (ci.forge === 'github')
        return new (await __webpack_require__.e(/* import() */ 238).then(__webpack_require__.bind(__webpack_require__, 8238))).GitHubLogger(options);
    if (ci.forge === 'gitlab')
        return new (await __webpack_require__.e(/* import() */ 606).then(__webpack_require__.bind(__webpack_require__, 1606))).GitLabLogger(options);
    return new logger_js_1.PlainLogger(options);
}
async function publish(ci, result, settings, startedAt, logger, env) {
    const values = { PREVIEW_NAME: result.name, PREVIEW_URL: result.url, PREVIEW_ID: result.id };
    if (settings.dotenv)
        await (await __webpack_require__.e(/* import() */ 606).then(__webpack_require__.bind(__webpack_require__, 1606))).writeDotenv(settings.dotenv, values);
    // Outputs, step summary, sticky PR comment and deployment; a GitHub API failure is one warning, never an error.
    if (ci.forge === 'github')
        await (await __webpack_require__.e(/* import() */ 238).then(__webpack_require__.bind(__webpack_require__, 8238))).reportToGitHub({ result, settings, env, logger, startedAt });
    // The end of the job log shows the same table as GitHub's comment and summary.
    if (ci.forge === 'gitlab' && result.command !== 'name')
        await (await __webpack_require__.e(/* import() */ 606).then(__webpack_require__.bind(__webpack_require__, 1606))).reportToGitLab({ result, logger });
}
/** Runs one command from parsed flags; throws PreviewError on failure. Shared by the CLI and the library API. */
async function execute(command, flags, io, options = {}) {
    flags = (0, edge_js_1.normaliseFlags)(flags);
    const ci = options.ci ?? (0, ci_env_js_1.ciInfoFromEnv)(io.env);
    if (ci.forge === 'github')
        (await __webpack_require__.e(/* import() */ 238).then(__webpack_require__.bind(__webpack_require__, 8238))).assertForkAllowed(command, io.env);
    const redactor = options.redactor ?? (0, edge_js_1.redactorFor)(io.env);
    for (const value of (0, settings_js_1.secretValues)((0, edge_js_1.allSecretSpecs)(), { flags, env: {} }))
        redactor.add(value);
    const cwd = io.cwd;
    // An empty variable counts as unset, as it does for every other setting.
    const configFlag = flags.config || io.env.PREVIEW_CONFIG || undefined;
    const sourceDir = (0, node_path_1.resolve)(cwd, flags.source || io.env.PREVIEW_SOURCE || '.');
    const settingsText = flags.settings || io.env.PREVIEW_SETTINGS || undefined;
    const file = (0, edge_js_1.overlaySettings)(await (0, edge_js_1.readSettingsFile)((0, node_path_1.resolve)(sourceDir, configFlag ?? '.preview.yml'), configFlag !== undefined), settingsText);
    const needBranch = !ci.branch && flags.branch === undefined && flags.pr === undefined && !io.env.PREVIEW_BRANCH;
    const needApp = !ci.app && flags.app === undefined && !io.env.PREVIEW_APP;
    const childEnv = (0, child_env_js_1.childEnvFrom)(io.env);
    const found = needBranch || needApp ? await (0, ci_env_js_1.gitFallback)(sourceDir, ci, { branch: needBranch, app: needApp }, childEnv) : ci;
    const detected = { ...found, ...(0, ci_env_js_1.changeOfEvent)(io.env) };
    const sources = { flags, env: io.env, file, detected };
    const loaded = (0, settings_js_1.loadSettings)(sources, registry_js_1.providerChoice, { providerOptional: command === 'name', branchOptional: command === 'prune' || command === 'list' });
    const settings = { ...loaded.common, source: sourceDir };
    const logger = options.logger ?? (await makeLogger(ci, io, redactor, settings.debug || (0, edge_js_1.isDebug)(io.env, flags)));
    for (const secret of redactor.values())
        logger.addSecret(secret);
    if (command !== 'name') {
        for (const warning of (0, preflight_js_1.flagsOfOtherProviders)(flags, settings.provider))
            logger.warn(warning);
    }
    (0, preflight_js_1.checkOutputFiles)({ dotenv: settings.dotenv, cwd, env: io.env, github: ci.forge === 'github' });
    if (settings.dotenv)
        settings.dotenv = (0, node_path_1.resolve)(cwd, settings.dotenv);
    let result;
    if (command === 'name') {
        const url = settings.domains[0] ? (0, naming_js_1.urlOf)(settings.domains[0]) : undefined;
        result = { command, name: settings.name, ...(url ? { url } : {}), domains: settings.domains };
    }
    else {
        const plan = new plan_js_1.Plan(settings.dryRun, (step) => logger.info(`  ${settings.dryRun ? 'would' : '+'} ${(0, plan_js_1.describeStep)(step)}`));
        const deadline = new retry_js_1.Deadline(settings.timeoutMs);
        const context = { logger, deadline, plan, adopt: settings.adopt, childEnv };
        const module = (0, registry_js_1.providerModule)(settings.provider);
        if (settings.basicAuth && !module.capabilities.basicAuth) {
            const able = registry_js_1.providerModules.filter((m) => m.capabilities.basicAuth).map((m) => m.id);
            throw new errors_js_1.ConfigError(`invalid settings: --basic-auth / PREVIEW_BASIC_AUTH: the ${module.id} provider cannot put a preview behind basic auth`, {
                hint: `providers that can: ${able.join(', ')}; or protect the preview in the application itself`,
            });
        }
        const provider = await module.create(loaded.provider, context);
        const commandFn = await (0, commands_js_1.loadCommand)(command);
        let commit;
        result = await commandFn({
            settings,
            provider,
            context,
            resolveCommit: () => (commit ??= (0, ci_env_js_1.resolveCommit)(sourceDir, settings.commit ?? 'HEAD', childEnv)),
        });
        // Each planned step was logged as it came; an empty plan deserves a word too.
        if (settings.dryRun && plan.steps.length === 0)
            logger.info('dry run: nothing to change');
    }
    return { result, settings, logger };
}


/***/ }),

/***/ 2738:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.unwritable = unwritable;
exports.checkOutputFiles = checkOutputFiles;
exports.flagsOfOtherProviders = flagsOfOtherProviders;
/**
 * Checks made before a command changes anything: the files it must write at the end can be
 * written (a preview created, then a failed write of its URL, is a failed job that made things),
 * and flags meant for another provider are said to be ignored.
 */
const node_fs_1 = __webpack_require__(3024);
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
const settings_js_1 = __webpack_require__(1922);
const registry_js_1 = __webpack_require__(3307);
/** Why `path` cannot be written (created or appended to), or undefined when it can. */
function unwritable(path) {
    let stat;
    try {
        stat = (0, node_fs_1.statSync)(path);
    }
    catch {
        stat = undefined;
    }
    if (stat?.isDirectory())
        return 'it is a directory';
    if (stat) {
        try {
            (0, node_fs_1.accessSync)(path, node_fs_1.constants.W_OK);
            return undefined;
        }
        catch {
            return 'it is not writable';
        }
    }
    const folder = (0, node_path_1.dirname)(path);
    try {
        if (!(0, node_fs_1.statSync)(folder).isDirectory())
            return `${folder} is not a directory`;
    }
    catch {
        return `the folder ${folder} does not exist`;
    }
    try {
        (0, node_fs_1.accessSync)(folder, node_fs_1.constants.W_OK);
        return undefined;
    }
    catch {
        return `the folder ${folder} is not writable`;
    }
}
function checkOutputFiles(input) {
    if (input.dotenv) {
        const path = (0, node_path_1.resolve)(input.cwd, input.dotenv);
        const why = unwritable(path);
        if (why)
            throw new errors_js_1.ConfigError(`invalid settings: --dotenv ${input.dotenv}: cannot write it: ${why}`, { hint: 'create the folder first, or write the file in the job\'s working directory' });
    }
    if (input.github && input.env.GITHUB_OUTPUT) {
        const why = unwritable(input.env.GITHUB_OUTPUT);
        if (why)
            throw new errors_js_1.ConfigError(`GITHUB_OUTPUT ${input.env.GITHUB_OUTPUT}: cannot write the step outputs: ${why}`, { hint: 'the runner sets GITHUB_OUTPUT; do not override it' });
    }
}
/** Flags given on the command line that only another provider reads: each gets one warning. */
function flagsOfOtherProviders(flags, provider) {
    const mine = new Set([...settings_js_1.commonOptions, ...(registry_js_1.providerModules.find((m) => m.id === provider)?.options ?? [])].map((o) => o.flag));
    const out = [];
    for (const flag of Object.keys(flags)) {
        if (flags[flag] === undefined || mine.has(flag))
            continue;
        const owners = registry_js_1.providerModules.filter((m) => m.options.some((o) => o.flag === flag)).map((m) => m.id);
        if (owners.length)
            out.push(`--${flag} is a ${owners.join('/')} option: the ${provider} provider ignores it`);
    }
    return out;
}


/***/ })

};
