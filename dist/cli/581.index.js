export const id = 581;
export const ids = [581];
export const modules = {

/***/ 5581:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.helpText = helpText;
exports.usageError = usageError;
exports.resultLines = resultLines;
exports.normaliseFlags = normaliseFlags;
exports.execute = execute;
exports.run = run;
exports.main = main;
/**
 * The CLI: arguments → settings → command → output and exit code. The only module that
 * calls process.exit, and the one top-level catch that turns errors into the contract's line.
 */
const node_fs_1 = __webpack_require__(3024);
const promises_1 = __webpack_require__(1455);
const node_path_1 = __webpack_require__(6760);
const node_util_1 = __webpack_require__(7975);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
const logger_js_1 = __webpack_require__(1227);
const naming_js_1 = __webpack_require__(2607);
const plan_js_1 = __webpack_require__(4620);
const redact_js_1 = __webpack_require__(2258);
const retry_js_1 = __webpack_require__(7253);
const settings_js_1 = __webpack_require__(1922);
const ci_env_js_1 = __webpack_require__(8458);
const registry_js_1 = __webpack_require__(3307);
const version_js_1 = __webpack_require__(311);
const COMMANDS = {
    name: 'print the preview name and URL for a branch (no network)',
    'ensure-app': 'find or create the app (and its add-ons), tagged as ours',
    'set-domain': 'attach the preview domain(s), idempotently',
    deploy: 'deploy the commit; skip when it is already live',
    up: 'ensure-app + set-domain + deploy (what most pipelines call)',
    stop: 'tear the preview down completely; no-op when already gone',
    status: 'show what exists for a preview (exit 4 when absent)',
    prune: 'remove previews whose branch is gone, older than --ttl, or over --max',
};
/** Own keys only: `toString` or `constructor` are no commands. */
function isCommand(word) {
    return Object.hasOwn(COMMANDS, word);
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
        case 'prune':
            return (await __webpack_require__.e(/* import() */ 294).then(__webpack_require__.bind(__webpack_require__, 7913))).prune;
        case 'name':
            throw new Error('name has no provider command');
    }
}
function allOptions() {
    const seen = new Map();
    for (const spec of [...settings_js_1.commonOptions, ...registry_js_1.providerModules.flatMap((m) => m.options)]) {
        if (spec.flag && !seen.has(spec.flag))
            seen.set(spec.flag, spec);
    }
    return [...seen.values()];
}
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
/** Options that only some commands read; any other common option applies to every command. */
const ONLY_FOR = {
    ttl: ['prune'],
    max: ['prune'],
    keep: ['prune'],
    commit: ['deploy', 'up'],
    force: ['deploy', 'up'],
    waitUrl: ['deploy', 'up'],
    healthPath: ['deploy', 'up'],
    env: ['ensure-app', 'up'],
    favourite: ['set-domain', 'up'],
    adopt: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop'],
    dryRun: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'prune'],
    timeout: ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status', 'prune'],
    branch: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status'],
    pr: ['name', 'ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status'],
};
function appliesTo(spec, command) {
    return command === undefined || !(spec.key in ONLY_FOR) || ONLY_FOR[spec.key].includes(command);
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
        lines.push(`Usage: preview-kit ${command} [options]`, '', `${COMMANDS[command]}.`, '');
    }
    else {
        lines.push('Usage: preview-kit <command> [options]', '', 'One preview environment per branch: created, updated and removed in one reliable step.', '', 'Commands:', ...Object.entries(COMMANDS).map(([n, d]) => `  ${n.padEnd(12)}${d}`), '');
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
            {
                const images = result.removedImages ?? [];
                const imagePart = images.length ? ` and ${images.length} image(s): ${images.join(', ')}` : '';
                return [`${dry ? 'dry run: would prune' : 'pruned'} ${removed.length} preview(s)${removed.length ? `: ${removed.join(', ')}` : ''}${imagePart}${dry ? '' : took(elapsedMs)}`];
            }
        case 'status':
            return statusLines(result);
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
    if (p.branch !== undefined)
        lines.push(`  branch: ${p.branch}`);
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
/** Runs one command from parsed flags; throws PreviewError on failure. Shared by the CLI and the library API. */
async function execute(command, flags, io, options = {}) {
    flags = normaliseFlags(flags);
    const ci = options.ci ?? (0, ci_env_js_1.ciInfoFromEnv)(io.env);
    if (ci.forge === 'github')
        (await __webpack_require__.e(/* import() */ 238).then(__webpack_require__.bind(__webpack_require__, 8238))).assertForkAllowed(command, io.env);
    const redactor = options.redactor ?? redactorFor(io.env);
    for (const value of (0, settings_js_1.secretValues)(allSecretSpecs(), { flags, env: {} }))
        redactor.add(value);
    const cwd = io.cwd;
    // An empty variable counts as unset, as it does for every other setting.
    const configFlag = flags.config || io.env.PREVIEW_CONFIG || undefined;
    const sourceDir = (0, node_path_1.resolve)(cwd, flags.source || io.env.PREVIEW_SOURCE || '.');
    const file = await readSettingsFile((0, node_path_1.resolve)(sourceDir, configFlag ?? '.preview.yml'), configFlag !== undefined);
    const needBranch = !ci.branch && flags.branch === undefined && flags.pr === undefined && !io.env.PREVIEW_BRANCH;
    const needApp = !ci.app && flags.app === undefined && !io.env.PREVIEW_APP;
    const detected = needBranch || needApp ? await (0, ci_env_js_1.gitFallback)(sourceDir, ci, { branch: needBranch, app: needApp }) : ci;
    const sources = { flags, env: io.env, file, detected };
    const loaded = (0, settings_js_1.loadSettings)(sources, (id) => (0, registry_js_1.providerModule)(id), { providerOptional: command === 'name', branchOptional: command === 'prune' });
    const settings = { ...loaded.common, source: sourceDir };
    const logger = options.logger ?? (await makeLogger(ci, io, redactor, settings.debug || isDebug(io.env, flags)));
    for (const secret of redactor.values())
        logger.addSecret(secret);
    let result;
    if (command === 'name') {
        const url = settings.domains[0] ? (0, naming_js_1.urlOf)(settings.domains[0]) : undefined;
        result = { command, name: settings.name, ...(url ? { url } : {}), domains: settings.domains };
    }
    else {
        const plan = new plan_js_1.Plan(settings.dryRun, (step) => logger.info(`  ${settings.dryRun ? 'would' : '+'} ${(0, plan_js_1.describeStep)(step)}`));
        const deadline = new retry_js_1.Deadline(settings.timeoutMs);
        const context = { logger, deadline, plan, adopt: settings.adopt };
        const provider = (0, registry_js_1.providerModule)(settings.provider).create(loaded.provider, settings, context);
        const commandFn = await loadCommand(command);
        let commit;
        result = await commandFn({
            settings,
            provider,
            context,
            resolveCommit: () => (commit ??= (0, ci_env_js_1.resolveCommit)(sourceDir, settings.commit ?? 'HEAD')),
        });
        // Each planned step was logged as it came; an empty plan deserves a word too.
        if (settings.dryRun && plan.steps.length === 0)
            logger.info('dry run: nothing to change');
    }
    return { result, settings, logger };
}
/** Runs the CLI and returns the exit code (the caller exits). */
async function run(argv, io) {
    const startedAt = Date.now();
    const redactor = redactorFor(io.env);
    const specs = allOptions();
    const debugWanted = isDebug(io.env, { debug: argv.includes('--debug') });
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
            throw new errors_js_1.ConfigError('usage: no command given', { hint: `commands: ${Object.keys(COMMANDS).join(', ')}; see preview-kit --help` });
        }
        if (flags.help || command === undefined || command === 'help') {
            const target = command === undefined || command === 'help' ? extra[0] : command;
            const provider = flags.provider || io.env.PREVIEW_PROVIDER || undefined;
            io.stdout.write(helpText(target && isCommand(target) ? target : undefined, provider));
            return errors_js_1.ExitCode.ok;
        }
        if (!isCommand(command)) {
            throw new errors_js_1.ConfigError(`usage: unknown command "${command}"`, { hint: `commands: ${Object.keys(COMMANDS).join(', ')}` });
        }
        if (extra.length)
            throw new errors_js_1.ConfigError(`usage: unexpected argument "${extra[0]}"`, { hint: `see preview-kit ${command} --help` });
        const { result, settings, logger } = await execute(command, flags, io, { ci, redactor });
        await publish(ci, result, settings, startedAt, logger, io.env);
        if (json)
            io.stdout.write(`${redactor.redact(JSON.stringify(result))}\n`);
        else
            for (const line of resultLines(result, Date.now() - startedAt))
                io.stdout.write(`${redactor.redact(line)}\n`);
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
        if (json)
            io.stdout.write(`${redactor.redact(JSON.stringify({ error: (0, errors_js_1.describeError)(error), exitCode: code }))}\n`);
        return code;
    }
}
/**
 * Ctrl-C or a cancelled CI job: stop at once with one line and 130/143. Every step converges on
 * a re-run (the app is found by name and tag, a deployment under way is followed), so nothing is
 * rolled back; git children die with us (execa's cleanup).
 */
function exitOnSignals(argv) {
    const command = argv.find(isCommand) ?? 'run';
    const onSignal = (signal) => {
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
    const lossless = tail !== '' && tail === raw && !LOOKS_HASHED.test(tail);
    const room = exports.MAX_LABEL - headPart.length - 1;
    if (lossless && tail.length <= room)
        return `${headPart}-${tail}`;
    const hash = shortHash(raw);
    const kept = trimTo(tail, room - HASH_LENGTH - 1);
    return kept ? `${headPart}-${kept}-${hash}` : `${headPart}-${hash}`;
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

/***/ 1922:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.commonSchema = exports.durationSchema = exports.ENV_NAME = exports.commonOptions = exports.PROVIDER_IDS = void 0;
exports.resolveOptions = resolveOptions;
exports.configErrorFrom = configErrorFrom;
exports.closest = closest;
exports.loadSettings = loadSettings;
exports.secretValues = secretValues;
/**
 * Settings: read once (flag → env → `.preview.yml`), validated once with a schema, passed down
 * typed. This module does no I/O: the CLI hands it the parsed flags, an env record and the parsed
 * file. Providers never read env or flags themselves.
 */
const node_path_1 = __webpack_require__(6760);
const zod_1 = __webpack_require__(924);
const errors_js_1 = __webpack_require__(4296);
const naming_js_1 = __webpack_require__(2607);
const options_js_1 = __webpack_require__(3457);
const retry_js_1 = __webpack_require__(7253);
exports.PROVIDER_IDS = ['clever-cloud', 'docker', 'kubernetes', 'convox'];
exports.commonOptions = [
    { key: 'provider', flag: 'provider', short: 'p', type: 'string', env: ['PREVIEW_PROVIDER'], value: 'NAME', description: `platform: ${exports.PROVIDER_IDS.join(', ')}` },
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
    { key: 'max', flag: 'max', type: 'string', env: ['PREVIEW_MAX'], value: 'N', description: 'prune: keep at most N previews (oldest go first)' },
    { key: 'keep', flag: 'keep', type: 'list', env: ['PREVIEW_KEEP'], value: 'BRANCH', description: 'prune: branches that still exist (their previews are kept)' },
    { key: 'json', flag: 'json', type: 'boolean', description: 'print one JSON object on stdout; logs go to stderr' },
    { key: 'dryRun', flag: 'dry-run', short: 'n', type: 'boolean', env: ['PREVIEW_DRY_RUN'], description: 'print the plan and change nothing' },
    { key: 'debug', flag: 'debug', type: 'boolean', env: ['PREVIEW_DEBUG'], description: 'print every request (secrets masked) and stack traces' },
    { key: 'dotenv', flag: 'dotenv', type: 'string', env: ['PREVIEW_DOTENV'], value: 'FILE', description: 'also write PREVIEW_NAME, PREVIEW_URL, PREVIEW_ID to this dotenv file (GitLab environment:url)' },
    { key: 'config', flag: 'config', short: 'c', type: 'string', env: ['PREVIEW_CONFIG'], value: 'FILE', description: 'settings file', defaultText: '.preview.yml' },
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
const positiveInt = zod_1.z
    .union([zod_1.z.number(), zod_1.z.string()])
    .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: zod_1.z.ZodIssueCode.custom, message: `expected a whole number, got "${v}"` });
        return zod_1.z.NEVER;
    }
    return n;
});
const hostTemplate = zod_1.z.string().min(1).regex(/^[A-Za-z0-9{}.*_:/-]+$/, 'expected a host name or template like {name}.preview.example.com');
exports.commonSchema = zod_1.z.object({
    provider: zod_1.z.enum(exports.PROVIDER_IDS, {
        errorMap: (issue, ctx) => issue.code === 'invalid_enum_value'
            ? { message: `unknown provider "${String(issue.received)}" (expected one of ${exports.PROVIDER_IDS.join(', ')})` }
            : { message: ctx.defaultError === 'Required' ? `required (one of ${exports.PROVIDER_IDS.join(', ')})` : ctx.defaultError },
    }),
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
    timeout: exports.durationSchema.default('15m'),
    adopt: zod_1.z.boolean().default(false),
    ttl: exports.durationSchema.optional(),
    max: positiveInt.optional(),
    keep: zod_1.z.array(zod_1.z.string()).default([]),
    json: zod_1.z.boolean().default(false),
    dryRun: zod_1.z.boolean().default(false),
    debug: zod_1.z.boolean().default(false),
    dotenv: zod_1.z.string().optional(),
    config: zod_1.z.string().optional(),
});
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
        if (eq <= 0 || !exports.ENV_NAME.test(key)) {
            throw new errors_js_1.ConfigError(`invalid ${where} "${key}": expected KEY=VALUE with KEY made of letters, digits and _`);
        }
        out[key] = entry.slice(eq + 1);
    }
    return out;
}
function asRecord(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
/** Stringify scalars from YAML (numbers, booleans) where the option is a string. */
function normaliseFileValue(spec, value) {
    if (value === null || value === undefined)
        return undefined;
    if (spec.type === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
        return String(value);
    if (spec.type === 'list' && typeof value === 'string')
        return [value];
    if (spec.type === 'map' && value && typeof value === 'object' && !Array.isArray(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]));
    }
    return value;
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
        const fileValue = normaliseFileValue(spec, inSection ? fileSection[spec.key] : spec.topLevel ? fileTop[spec.key] : undefined);
        const describeFile = () => `${fileName} ${inSection && fileWhere.section ? `${fileWhere.section}.` : ''}${spec.key}`;
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
const FILE_TOP_KEYS = [...exports.commonOptions.map((o) => o.key), ...exports.PROVIDER_IDS];
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
/**
 * Reads and validates all settings. `pickProvider` returns the settings module of the chosen
 * provider, so that only its options are read and checked.
 */
function loadSettings(sources, pickProvider, options = {}) {
    if (sources.file && sources.file.data !== null && sources.file.data !== undefined && (typeof sources.file.data !== 'object' || Array.isArray(sources.file.data))) {
        throw new errors_js_1.ConfigError(`invalid settings: ${sources.file.path}: expected a mapping of settings at the top level`);
    }
    const fileName = sources.file ? (0, node_path_1.basename)(sources.file.path) : '.preview.yml';
    const fileTop = fileKeys(asRecord(sources.file?.data), exports.commonOptions, `${fileName} `);
    const { values, origins } = resolveOptions(exports.commonOptions, sources, fileTop, {}, { name: fileName });
    const noProvider = options.providerOptional === true && values.provider === undefined;
    if (noProvider)
        values.provider = exports.PROVIDER_IDS[0];
    if (values.app === undefined && sources.detected?.app)
        values.app = sources.detected.app;
    if (values.branch === undefined && sources.detected?.branch)
        values.branch = sources.detected.branch;
    if (values.commit === undefined && sources.detected?.commit)
        values.commit = sources.detected.commit;
    const parsed = exports.commonSchema.safeParse(values);
    if (!parsed.success)
        throw configErrorFrom(parsed.error, origins, undefined, exports.commonOptions);
    const c = parsed.data;
    if (c.pr === undefined && c.branch === undefined && !options.branchOptional) {
        throw new errors_js_1.ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', {
            hint: 'pass --branch or set PREVIEW_BRANCH',
        });
    }
    const name = (0, naming_js_1.previewName)({ app: c.app, branch: c.branch, pr: c.pr, prefix: c.prefix });
    const { timeout, domain, ...rest } = c;
    const common = { ...rest, name, domainTemplates: domain, domains: [], timeoutMs: timeout };
    if (noProvider)
        return { common: { ...common, domains: expandDomains(c, name, origins) }, provider: undefined };
    const module = pickProvider(c.provider);
    const topLevelSpecs = module.options.filter((o) => o.topLevel);
    const top = fileKeys(fileTop, topLevelSpecs, `${fileName} `);
    const topKnown = [...FILE_TOP_KEYS, ...topLevelSpecs.map((o) => o.key)];
    for (const key of Object.keys(top)) {
        if (!topKnown.includes(key)) {
            const guess = closest(key, topKnown);
            throw new errors_js_1.ConfigError(`invalid settings: ${fileName}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
                hint: `known keys: ${topKnown.join(', ')}`,
            });
        }
    }
    const section = fileKeys(asRecord(top[module.id]), module.options, `${fileName} ${module.id}.`);
    const known = module.options.map((o) => o.key);
    for (const key of Object.keys(section)) {
        if (!known.includes(key)) {
            const guess = closest(key, known);
            throw new errors_js_1.ConfigError(`invalid settings: ${fileName} ${module.id}.${key}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`, {
                hint: `known keys: ${known.join(', ')}`,
            });
        }
    }
    for (const spec of module.options) {
        if (spec.secret && (spec.key in section || (spec.topLevel && spec.key in top))) {
            throw new errors_js_1.ConfigError(`invalid settings: ${fileName} ${module.id}.${spec.key}: a secret does not belong in a file that is committed`, {
                hint: `remove it and set ${spec.env?.[0] ?? 'it'} as a masked CI variable or repository secret`,
            });
        }
    }
    const resolved = resolveOptions(module.options, sources, section, top, { name: fileName, section: module.id });
    const providerParsed = module.schema.safeParse(resolved.values);
    if (!providerParsed.success)
        throw configErrorFrom(providerParsed.error, resolved.origins, module.id, module.options);
    const extra = module.domainValues?.(providerParsed.data) ?? {};
    return { common: { ...common, domains: expandDomains(c, name, origins, extra) }, provider: providerParsed.data };
}
/** Expands and checks the domain templates; providers may add placeholders (docker: `{domain}`). */
function expandDomains(c, name, origins, extra = {}) {
    let domains;
    try {
        domains = c.domain.map((t) => (0, naming_js_1.expandDomain)(t, { name, app: c.app, branch: c.branch, pr: c.pr, extra }));
    }
    catch (error) {
        throw new errors_js_1.ConfigError(`invalid settings: ${origins.get('domain') ?? '--domain'}: ${error.message}`);
    }
    for (const [i, template] of c.domain.entries()) {
        const where = origins.get('domain') ?? '--domain';
        if (c.pr === undefined && template.includes('{pr}')) {
            throw new errors_js_1.ConfigError(`invalid settings: ${where}: "${template}" uses {pr} but no pull request number is given`, { hint: 'pass --pr, or use {name}' });
        }
        const problem = (0, naming_js_1.hostProblem)(domains[i]);
        if (problem) {
            throw new errors_js_1.ConfigError(`invalid settings: ${where}: "${template}" expands to "${clip(domains[i])}" for this branch: ${problem}`, {
                hint: '{name} always expands to a valid label',
            });
        }
    }
    return domains;
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

/***/ 8458:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.forgeOf = forgeOf;
exports.ciInfoFromEnv = ciInfoFromEnv;
exports.gitFallback = gitFallback;
exports.resolveCommit = resolveCommit;
/**
 * Reads what the CI environment says about the run: which forge, the repository name, the branch,
 * the pull/merge request and the commit. Pure over an env record; git is asked only as a fallback.
 */
const execa_1 = __webpack_require__(6993);
const node_path_1 = __webpack_require__(6760);
const errors_js_1 = __webpack_require__(4296);
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
    const repo = env.GITHUB_REPOSITORY?.split('/').pop() || env.CI_PROJECT_NAME;
    if (repo)
        info.app = repo;
    // A pull request's head branch comes first: GITHUB_REF_NAME is then `<n>/merge`.
    const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || env.CI_COMMIT_REF_NAME;
    if (branch)
        info.branch = branch;
    const commit = env.CI_COMMIT_SHA || (env.GITHUB_HEAD_REF ? undefined : env.GITHUB_SHA);
    if (commit)
        info.commit = commit;
    if (env.GITHUB_EVENT_PATH)
        info.eventPath = env.GITHUB_EVENT_PATH;
    return info;
}
/** Asks git for what the env did not say. Failures mean "unknown", never an error here. */
async function gitFallback(cwd, info, need) {
    const out = { ...info };
    const git = async (...args) => {
        try {
            const r = await (0, execa_1.execa)('git', args, { cwd, reject: false, stdin: 'ignore' });
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
async function resolveCommit(dir, ref) {
    const r = await (0, execa_1.execa)('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: dir, reject: false, stdin: 'ignore' });
    if (r.exitCode !== 0 || !/^[0-9a-f]{40}$/.test(r.stdout.trim())) {
        throw new errors_js_1.ConfigError(`deploy: cannot resolve commit "${ref}" in ${dir}`, {
            hint: r.stderr.includes('not a git repository') ? 'run inside a git checkout or pass --source' : 'check --commit, or fetch more history (fetch-depth)',
        });
    }
    return r.stdout.trim();
}


/***/ }),

/***/ 6633:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.addonName = addonName;
exports.resolvePlan = resolvePlan;
exports.ensureAddons = ensureAddons;
exports.ownedAddons = ownedAddons;
/**
 * Add-ons of a preview (a database per branch, typically). Each is named
 * `<preview-name>-<provider>`, tagged like the app, created once, linked to the app and re-used on
 * every later run. Teardown deletes only add-ons that carry our marker.
 */
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
const apps_js_1 = __webpack_require__(3178);
const look_again_js_1 = __webpack_require__(1456);
const tags_js_1 = __webpack_require__(1107);
function addonName(previewName, provider) {
    return `${previewName}-${provider}`;
}
function isKind(addon, provider) {
    return addon.provider?.id === undefined || addon.provider.id === provider;
}
async function withAddonTags(api, addons) {
    return Promise.all(addons.map(async (addon) => ({ addon, tags: Array.isArray(addon.tags) ? addon.tags : await api.addonTags(addon.id) })));
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
/** Creates, tags and links the missing add-ons; reads nothing when none are configured. */
async function ensureAddons(input) {
    const { api, plan, requests } = input;
    if (requests.length === 0)
        return { changed: false, addons: [] };
    const linked = input.fresh ? [] : await api.linkedAddons(input.appId);
    const result = [];
    const missing = [];
    for (const request of requests) {
        const name = addonName(input.previewName, request.provider);
        const hit = linked.find((a) => a.name === name && isKind(a, request.provider));
        if (!hit) {
            missing.push(request);
            continue;
        }
        if (hit.plan?.slug && hit.plan.slug.toLowerCase() !== request.plan.toLowerCase()) {
            input.logger.warn(`add-on ${name} has plan ${hit.plan.slug}, not ${request.plan}: plans are not changed (stop the preview to recreate it)`);
        }
        result.push(hit);
    }
    if (missing.length === 0)
        return { changed: false, addons: result };
    const all = await api.listAddons();
    for (const request of missing) {
        const name = addonName(input.previewName, request.provider);
        const addon = await findOrCreateAddon(input, request, name, all);
        await plan.apply({ kind: 'update', target: `application ${input.previewName}`, detail: `link add-on ${name}` }, () => linkOnce(input, addon.id), undefined);
        result.push(addon);
    }
    return { changed: true, addons: result };
}
async function findOrCreateAddon(input, request, name, all) {
    const { api, plan } = input;
    const records = await withAddonTags(api, all.filter((a) => a.name === name && isKind(a, request.provider)));
    const ours = records.filter((r) => (0, tags_js_1.hasOwnerMarker)(r.tags)).sort((a, b) => (0, apps_js_1.olderFirst)(a.addon, b.addon));
    if (ours.length > 0) {
        const tagged = await tagAddon(input, ours[0], 'add missing identity tag');
        return tagged.addon;
    }
    if (records.length > 0) {
        if (!input.adopt) {
            throw new errors_js_1.SafetyError(`ensure ${input.previewName}: add-on ${records[0].addon.id} is named ${name} but lacks the ${types_js_1.OWNER_MARKER} tag: refusing to use it`, {
                hint: 'pass --adopt to take it over, or remove it',
            });
        }
        if (records.length > 1) {
            throw new errors_js_1.SafetyError(`ensure ${input.previewName}: ${records.length} add-ons are named ${name} and none carries the ${types_js_1.OWNER_MARKER} tag`, {
                hint: 'remove the extra ones',
            });
        }
        return (await tagAddon(input, records[0], 'adopt')).addon;
    }
    const { providerId, planId } = resolvePlan(await api.addonProviders(), request, input.region);
    const placeholder = { id: `(new ${name})`, name, provider: { id: providerId } };
    return plan.apply({ kind: 'create', target: `add-on ${name}`, detail: `${request.provider} ${request.plan} in ${input.region}` }, async () => {
        const created = await createAddonOnce(input, { name, plan: planId, providerId, region: input.region, options: {} });
        // Tagged right away: an add-on without our marker would be refused by the next run.
        for (const tag of input.tags)
            await api.addAddonTag(created.id, tag);
        return created;
    }, placeholder);
}
async function tagAddon(input, record, why) {
    const missing = input.tags.filter((t) => !record.tags.includes(t));
    if (missing.length === 0)
        return record;
    await input.plan.apply({ kind: 'update', target: `add-on ${record.addon.name}`, detail: `${why}: tag ${missing.join(', ')}` }, async () => {
        for (const tag of missing)
            await input.api.addAddonTag(record.addon.id, tag);
    }, undefined);
    return { addon: record.addon, tags: [...record.tags, ...missing] };
}
/**
 * An untagged add-on with exactly this name showing up right after our own failed attempt is
 * taken as the one that attempt made.
 */
async function createAddonOnce(input, body) {
    const { value } = await (0, look_again_js_1.createOrFindAgain)({
        what: `create add-on ${body.name}`,
        create: () => input.api.createAddon(body),
        findAgain: async () => (await input.api.listAddons()).filter((a) => a.name === body.name && isKind(a, body.providerId)).sort(apps_js_1.olderFirst)[0],
        logger: input.logger,
        deadline: input.deadline,
        retryInitialMs: input.retryInitialMs,
    });
    return value;
}
/** POST is not retried blindly: after a failure, the link may exist all the same. */
async function linkOnce(input, addonId) {
    try {
        await input.api.linkAddon(input.appId, addonId);
    }
    catch (error) {
        if (!(0, errors_js_1.isRetryable)(error))
            throw error;
        const linked = await input.api.linkedAddons(input.appId);
        if (linked.some((a) => a.id === addonId))
            return;
        await input.api.linkAddon(input.appId, addonId);
    }
}
/**
 * Add-ons to delete with the preview: those linked to its app(s), plus unlinked ones named after
 * the preview (a run that stopped between creating and linking), in both cases only with our
 * marker and, for unlinked ones, the same identity tag as the app.
 */
async function ownedAddons(input) {
    const { api } = input;
    const found = new Map();
    for (const appId of input.appIds) {
        for (const record of await withAddonTags(api, await api.linkedAddons(appId))) {
            if ((0, tags_js_1.hasOwnerMarker)(record.tags))
                found.set(record.addon.id, record.addon);
        }
    }
    if (input.identityTags.length > 0) {
        const prefix = `${input.previewName}-`;
        const named = (await api.listAddons()).filter((a) => a.name.startsWith(prefix) && !found.has(a.id));
        for (const record of await withAddonTags(api, named)) {
            if ((0, tags_js_1.hasOwnerMarker)(record.tags) && record.tags.some((t) => input.identityTags.includes(t)))
                found.set(record.addon.id, record.addon);
        }
    }
    return [...found.values()];
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
    async appTags(appId) {
        return (await this.http.json({ method: 'GET', path: await this.app(appId, '/tags'), what: `read tags of ${appId}` })) ?? [];
    }
    async addAppTag(appId, tag) {
        await this.http.request({ method: 'PUT', path: await this.app(appId, `/tags/${e(tag)}`), what: `tag application ${appId}` });
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
    async addAddonTag(addonId, tag) {
        await this.http.request({ method: 'PUT', path: `${(await this.owner()).path}/addons/${e(addonId)}/tags/${e(tag)}`, what: `tag add-on ${addonId}` });
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

/***/ 3178:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.byAge = void 0;
exports.creationTime = creationTime;
exports.olderFirst = olderFirst;
exports.mapLimit = mapLimit;
exports.withTags = withTags;
exports.lookupApps = lookupApps;
exports.chooseApp = chooseApp;
exports.addMissingTags = addMissingTags;
exports.pickRuntime = pickRuntime;
exports.createBody = createBody;
exports.scalabilityChanges = scalabilityChanges;
exports.createApp = createApp;
exports.settleRace = settleRace;
/**
 * Finding, creating and adopting the preview's application. App names are not unique on Clever
 * Cloud, so an app is ours only when it has the preview name *and* our marker tag. There is no
 * lock either: after creating we list again, and when a concurrent run created the same preview
 * the older app wins and the newer one is removed by the run that created it.
 */
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
const look_again_js_1 = __webpack_require__(1456);
const tags_js_1 = __webpack_require__(1107);
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
/** Oldest first; ties broken by id, so every concurrent run picks the same winner. */
function olderFirst(a, b) {
    const ta = creationTime(a);
    const tb = creationTime(b);
    if (ta !== tb)
        return ta < tb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
const byAge = (a, b) => olderFirst(a.app, b.app);
exports.byAge = byAge;
function isGone(error) {
    return error instanceof errors_js_1.ProviderError && error.status === 404;
}
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
/** Tags of each app, read only where the list view did not carry them; apps deleted meanwhile are dropped. */
async function withTags(api, apps) {
    const records = await mapLimit(apps, 8, async (app) => {
        if (Array.isArray(app.tags))
            return { app, tags: app.tags };
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
/** Lists the owner's apps and sorts those named `name` into ours and foreign. Errors propagate: never "absent". */
async function lookupApps(api, name) {
    const sameName = (await api.listApps()).filter((app) => app.name === name);
    const records = await withTags(api, sameName);
    return {
        ours: records.filter((r) => (0, tags_js_1.hasOwnerMarker)(r.tags)).sort(exports.byAge),
        foreign: records.filter((r) => !(0, tags_js_1.hasOwnerMarker)(r.tags)).sort(exports.byAge),
    };
}
function describeApps(records) {
    return records.map((r) => r.app.id).join(', ');
}
/** What `ensure` does with a lookup: use ours, adopt a foreign one (only when asked), or create. */
function chooseApp(lookup, name, adopt, logger) {
    if (lookup.ours.length > 0) {
        if (lookup.ours.length > 1) {
            logger.warn(`${lookup.ours.length} applications named ${name} carry our tag (${describeApps(lookup.ours)}); using the oldest, ${lookup.ours[0].app.id}`);
        }
        return { kind: 'ours', record: lookup.ours[0] };
    }
    if (lookup.foreign.length === 0)
        return { kind: 'absent' };
    if (lookup.foreign.length > 1) {
        throw new errors_js_1.SafetyError(`ensure ${name}: ${lookup.foreign.length} applications have this name and none carries the ${types_js_1.OWNER_MARKER} tag (${describeApps(lookup.foreign)})`, {
            hint: 'remove or rename the extra ones; --adopt takes over only a single application',
        });
    }
    if (!adopt) {
        throw new errors_js_1.SafetyError(`ensure ${name}: application ${lookup.foreign[0].app.id} has this name but not the ${types_js_1.OWNER_MARKER} tag: refusing to change it`, {
            hint: 'pass --adopt to take it over, or remove it',
        });
    }
    return { kind: 'adopt', record: lookup.foreign[0] };
}
/** Adds the tags an app lacks (adoption, or an API that ignored the tags of the create body). */
async function addMissingTags(api, plan, record, tags, why) {
    const missing = tags.filter((t) => !record.tags.includes(t));
    if (missing.length === 0)
        return record;
    await plan.apply({ kind: 'update', target: `application ${record.app.name}`, detail: `${why}: tag ${missing.join(', ')}` }, async () => {
        for (const tag of missing)
            await api.addAppTag(record.app.id, tag);
    }, undefined);
    return { app: record.app, tags: [...record.tags, ...missing] };
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
        // In the create body, so that no concurrent run ever sees our new app untagged.
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
/**
 * POSTs the app, looking for it again before any new attempt (see look-again.ts). `createdId` is
 * set only when our own POST returned the app. Undefined in a dry run.
 */
async function createApp(input) {
    const { api, body } = input;
    return input.plan.apply({ kind: 'create', target: `application ${body.name}`, detail: `${body.instanceType} ${body.minFlavor} in ${body.zone}` }, async () => {
        const { value, found } = await (0, look_again_js_1.createOrFindAgain)({
            what: `create application ${body.name}`,
            create: async () => {
                const app = await api.createApp(body);
                return { app, tags: Array.isArray(app.tags) ? app.tags : body.tags };
            },
            findAgain: async () => (await lookupApps(api, body.name)).ours[0],
            logger: input.logger,
            deadline: input.deadline,
            retryInitialMs: input.retryInitialMs,
        });
        return found ? { record: value } : { record: value, createdId: value.app.id };
    }, undefined);
}
/**
 * Lists again after a create. When several apps of ours share the name, the oldest wins; if it is
 * not the one this run created, ours is deleted (it has nothing attached yet: add-ons come after
 * this step) and the run continues with the winner.
 */
async function settleRace(input) {
    const { api, plan, logger, created } = input;
    const again = await lookupApps(api, created.app.name);
    let ours = again.ours;
    if (!ours.some((r) => r.app.id === created.app.id)) {
        const listedUntagged = again.foreign.find((r) => r.app.id === created.app.id);
        // An API that ignores `tags` in the create body: tag it now. A list that lags: trust the create.
        const mine = listedUntagged ? await addMissingTags(api, plan, listedUntagged, input.tags, 'tags the create body did not set') : created;
        ours = [...ours, mine].sort(exports.byAge);
    }
    const winner = ours[0];
    if (winner.app.id === created.app.id)
        return { record: winner, created: true };
    logger.warn(`another run created ${created.app.name} at the same time: keeping the older ${winner.app.id}, removing ${created.app.id}`);
    await plan.apply({ kind: 'delete', target: `application ${created.app.name}`, detail: `${created.app.id}, duplicate of ${winner.app.id} from a concurrent run` }, () => api.deleteApp(created.app.id), true);
    return { record: winner, created: false };
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
        ? 'check CLEVER_TOKEN and CLEVER_SECRET (they expire; `clever login` issues new ones) and that this user may act on the organisation'
        : 'check CLEVER_API_TOKEN (it may be expired or revoked) and that its user may act on the organisation';
}


/***/ }),

/***/ 5245:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DEFAULT_DEPLOY_TIMING = exports.DEPLOY_REF = void 0;
exports.newestFirst = newestFirst;
exports.checkRemoteUrl = checkRemoteUrl;
exports.deployCommit = deployCommit;
/**
 * Deploying a commit: a git push of `<sha>:refs/heads/master` to the app's remote, then following
 * the deployment the push starts until it ends. Skipped when the remote already has the commit
 * and its last deployment succeeded; restarted through the API when the commit is there but its
 * deployment failed (a push of the same commit would start nothing).
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const git_js_1 = __webpack_require__(8564);
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
function dateOf(d) {
    if (typeof d.date === 'number')
        return d.date;
    if (typeof d.date === 'string')
        return /^\d+$/.test(d.date) ? Number(d.date) : Date.parse(d.date) || 0;
    return 0;
}
/** Newest first, whatever order the API used. */
function newestFirst(list) {
    return [...list].sort((a, b) => dateOf(b) - dateOf(a) || (b.id ?? 0) - (a.id ?? 0));
}
const isDeploy = (d) => d.action === undefined || d.action === 'DEPLOY';
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
    const known = input.known ?? newestFirst(await api.deployments(appId, 5));
    if (remote === sha) {
        const last = known.find((d) => isDeploy(d) && sameCommit(d, sha));
        if (!input.force) {
            if (last?.state === 'OK' || (!last && input.runningCommit?.toLowerCase() === sha)) {
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
    return waitForDeployment(input, (list) => newestFirst(list).find((d) => sameCommit(d, input.commit) && !seen.has(d.uuid)));
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
 * command can see them. Behind an interface so deploy logic can be tested without a remote.
 */
const execa_1 = __webpack_require__(6993);
const errors_js_1 = __webpack_require__(4296);
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
    constructor(authorization, deadline, logger, authHint) {
        this.authorization = authorization;
        this.deadline = deadline;
        this.logger = logger;
        this.authHint = authHint;
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
        const result = await (0, execa_1.execa)('git', args, {
            cwd,
            env: this.env(url),
            reject: false,
            stdin: 'ignore',
            timeout: Math.max(1, this.deadline.remaining()),
        });
        const stdout = String(result.stdout ?? '');
        const stderr = String(result.stderr ?? '');
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

/***/ 1456:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.createOrFindAgain = createOrFindAgain;
/**
 * Creating something through a POST that may have been applied even though the answer was a 5xx
 * or never came: before each new attempt, look for the thing again and take it when it is there.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
/** `found` tells that the value was seen again after a failed attempt rather than returned by the create. */
async function createOrFindAgain(input) {
    const attempts = input.attempts ?? 4;
    for (let attempt = 1;; attempt++) {
        try {
            return { value: await input.create(), found: false };
        }
        catch (error) {
            if (!(0, errors_js_1.isRetryable)(error) || attempt >= attempts)
                throw error;
            const delay = (0, retry_js_1.backoffDelay)(attempt - 1, { initialMs: input.retryInitialMs, maxMs: 5_000 });
            if (input.deadline.remaining() < delay)
                throw error;
            input.logger.warn(`${input.what}: ${error.message}; looking again before retrying`);
            await input.deadline.clock.sleep(delay);
            const again = await input.findAgain();
            if (again !== undefined)
                return { value: again, found: true };
        }
    }
}


/***/ }),

/***/ 6714:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.cleverCloudModule = void 0;
const provider_js_1 = __webpack_require__(8655);
const settings_js_1 = __webpack_require__(1603);
exports.cleverCloudModule = {
    id: 'clever-cloud',
    description: 'Clever Cloud: one git-deployed application per preview, with its domains and add-ons',
    options: settings_js_1.cleverOptions,
    schema: settings_js_1.cleverSchema,
    create: (settings, _common, context) => new provider_js_1.CleverCloudProvider(settings, context),
};


/***/ }),

/***/ 8655:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CleverCloudProvider = void 0;
exports.toPreviewDeployment = toPreviewDeployment;
/**
 * The Clever Cloud provider: one application per preview (named after it, tagged as ours), its
 * domains, environment and add-ons, deployed by git push. What one step learns (the app, its
 * domains, its recent deployments) is kept per app id, so `up` (ensure → setDomains → deploy) in
 * one process reads each thing once: a run with nothing to change costs three or four reads.
 */
const errors_js_1 = __webpack_require__(4296);
const http_js_1 = __webpack_require__(4488);
const types_js_1 = __webpack_require__(2695);
const addons_js_1 = __webpack_require__(6633);
const api_js_1 = __webpack_require__(6740);
const apps_js_1 = __webpack_require__(3178);
const auth_js_1 = __webpack_require__(7944);
const deploy_js_1 = __webpack_require__(5245);
const domains_js_1 = __webpack_require__(8857);
const env_js_1 = __webpack_require__(9315);
const git_js_1 = __webpack_require__(8564);
const tags_js_1 = __webpack_require__(1107);
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
function identityOfSpec(spec) {
    return spec.pr !== undefined ? { app: spec.app, pr: spec.pr } : { app: spec.app, branch: spec.branch ?? '' };
}
function describeIdentity(identity) {
    return identity.pr !== undefined ? `pull request #${identity.pr}` : `branch ${identity.branch}`;
}
class CleverCloudProvider {
    settings;
    context;
    id = 'clever-cloud';
    http;
    api;
    git;
    timing;
    retryInitialMs;
    states = new Map();
    constructor(settings, context, options = {}) {
        this.settings = settings;
        this.context = context;
        const creds = (0, auth_js_1.credentialsFrom)(settings);
        for (const secret of (0, auth_js_1.secretsOf)(creds))
            context.logger.addSecret(secret);
        const hint = (0, auth_js_1.authHint)(creds);
        this.retryInitialMs = options.retryInitialMs ?? 1_000;
        this.http = new http_js_1.HttpClient({
            baseUrl: (0, auth_js_1.apiBaseUrl)(creds, settings.apiUrl),
            authHeaders: () => ({ authorization: (0, auth_js_1.apiAuthorization)(creds) }),
            logger: context.logger,
            deadline: context.deadline,
            label: 'Clever Cloud API',
            authHint: hint,
            backoffMs: options.retryInitialMs,
            requestTimeoutMs: options.requestTimeoutMs,
        });
        this.api = new api_js_1.CleverApi(this.http, settings.org);
        this.git = options.git ?? new git_js_1.SystemGit((0, auth_js_1.gitAuthorization)(creds), context.deadline, context.logger, hint);
        this.timing = { ...deploy_js_1.DEFAULT_DEPLOY_TIMING, ...options.timing };
    }
    async find(name) {
        const lookup = await (0, apps_js_1.lookupApps)(this.api, name);
        const record = lookup.ours[0];
        if (!record) {
            if (lookup.foreign.length > 0)
                this.context.logger.debug(`${name}: ${lookup.foreign.length} application(s) of that name without the ${types_js_1.OWNER_MARKER} tag, not ours`);
            return undefined;
        }
        const state = this.remember(record);
        await this.knownDomains(state);
        state.deployments = (0, deploy_js_1.newestFirst)(await this.api.deployments(record.app.id, 5));
        if (this.settings.addons.length > 0)
            state.addons = await this.api.linkedAddons(record.app.id);
        return this.toPreview(state, name);
    }
    async ensure(spec) {
        const { plan, logger } = this.context;
        const tags = (0, tags_js_1.ownershipTags)(identityOfSpec(spec));
        const { record, created, createdHere, placeholder, changed: obtained } = await this.obtainApp(spec, tags);
        let changed = obtained;
        const converged = !createdHere && !placeholder ? await this.converge(record, spec) : { changed: false };
        changed = converged.changed || changed;
        const state = this.remember(record, placeholder);
        if (converged.restart)
            state.restart = converged.restart;
        if (this.settings.addons.length > 0) {
            const result = await (0, addons_js_1.ensureAddons)({
                api: this.api,
                plan,
                logger,
                deadline: this.context.deadline,
                appId: record.app.id,
                previewName: spec.name,
                requests: this.settings.addons,
                region: this.settings.region ?? this.settings.zone,
                // Same identity as the app, so that teardown can tell them apart from other previews' add-ons.
                tags: [types_js_1.OWNER_MARKER, (0, tags_js_1.identityTagIn)(record.tags) ?? (0, tags_js_1.identityTag)(identityOfSpec(spec))],
                adopt: this.context.adopt,
                retryInitialMs: this.retryInitialMs,
                fresh: createdHere || placeholder,
            });
            state.addons = result.addons;
            changed = result.changed || changed;
        }
        return { preview: this.toPreview(state, spec.name), created, changed };
    }
    /** Our app for the spec: found, adopted (when asked) or created, with the outcome of a create race settled. */
    async obtainApp(spec, tags) {
        const { plan, logger } = this.context;
        const choice = (0, apps_js_1.chooseApp)(await (0, apps_js_1.lookupApps)(this.api, spec.name), spec.name, this.context.adopt, logger);
        if (choice.kind === 'ours') {
            // An app of ours keeps the identity it was created with; only a missing one is added.
            const wanted = (0, tags_js_1.identityOf)(choice.record.tags) ? [types_js_1.OWNER_MARKER] : tags;
            const record = await (0, apps_js_1.addMissingTags)(this.api, plan, choice.record, wanted, 'record the preview identity');
            return { record, created: false, createdHere: false, placeholder: false, changed: record !== choice.record };
        }
        if (choice.kind === 'adopt') {
            logger.warn(`adopting application ${choice.record.app.id} (${spec.name}): it gets the ${types_js_1.OWNER_MARKER} tags`);
            const record = await (0, apps_js_1.addMissingTags)(this.api, plan, choice.record, tags, 'adopt');
            return { record, created: false, createdHere: false, placeholder: false, changed: true };
        }
        const body = (0, apps_js_1.createBody)({
            name: spec.name,
            description: `${types_js_1.OWNER_MARKER} preview of ${spec.app}, ${describeIdentity(identityOfSpec(spec))}`,
            settings: this.settings,
            runtime: (0, apps_js_1.pickRuntime)(await this.api.instanceProducts(), this.settings.type),
            env: spec.env,
            tags,
        });
        const made = await (0, apps_js_1.createApp)({ api: this.api, plan, logger, deadline: this.context.deadline, body, retryInitialMs: this.retryInitialMs });
        if (!made) {
            const record = { app: { id: `(new application ${spec.name})`, name: spec.name, zone: this.settings.zone, vhosts: [] }, tags };
            return { record, created: true, createdHere: false, placeholder: true, changed: true };
        }
        if (!made.createdId) {
            // Found after an answer that left it unclear whether our create went through.
            return { record: made.record, created: true, createdHere: false, placeholder: false, changed: true };
        }
        const settled = await (0, apps_js_1.settleRace)({ api: this.api, plan, logger, created: made.record, tags });
        return { record: settled.record, created: settled.created, createdHere: settled.created, placeholder: false, changed: true };
    }
    /** Instance settings and environment of an app that already existed. */
    async converge(record, spec) {
        const { plan, logger } = this.context;
        const app = record.app;
        let changed = false;
        const slug = app.instance?.variant?.slug;
        if (slug && slug !== this.settings.type) {
            logger.warn(`${spec.name} runs ${slug}, not ${this.settings.type}: the runtime of an existing app is not changed (stop the preview to recreate it)`);
        }
        if (app.zone && app.zone !== this.settings.zone) {
            logger.warn(`${spec.name} is in zone ${app.zone}, not ${this.settings.zone}: the zone of an existing app is not changed`);
        }
        const scaling = (0, apps_js_1.scalabilityChanges)(app, this.settings);
        if (scaling) {
            const detail = Object.entries(scaling)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ');
            const updated = await plan.apply({ kind: 'update', target: `application ${spec.name}`, detail }, () => this.api.updateApp(app.id, scaling), undefined);
            if (updated && typeof updated === 'object' && updated.id === app.id)
                record.app = { ...app, ...updated, ...(updated.vhosts ? {} : { vhosts: app.vhosts }) };
            changed = true;
        }
        if (await (0, env_js_1.convergeEnv)({ api: this.api, plan, appId: app.id, appName: spec.name, desired: spec.env })) {
            logger.info(`${spec.name}: environment changed; it applies when the instances restart (up restarts them; after ensure-app alone, run deploy --force)`);
            return { changed: true, restart: 'environment changed' };
        }
        return { changed };
    }
    async setDomains(preview, spec) {
        const state = await this.stateOf(preview);
        const current = state.placeholder ? { hosts: [], favourite: null } : await this.knownDomains(state);
        if (spec.domains.length === 0)
            return { changed: false, domains: (0, domains_js_1.previewDomains)(current.hosts, current.favourite ?? undefined) };
        const result = await (0, domains_js_1.ensureDomains)({
            api: this.api,
            plan: this.context.plan,
            appId: state.record.app.id,
            appName: preview.name,
            state: current,
            wanted: spec.domains,
            favourite: spec.favourite,
        });
        state.domains = result.state;
        return { changed: result.changed, domains: (0, domains_js_1.previewDomains)(result.state.hosts, result.state.favourite ?? undefined) };
    }
    async deploy(preview, source) {
        const state = await this.stateOf(preview);
        const url = preview.url || this.toPreview(state, preview.name).url;
        if (state.placeholder) {
            await this.context.plan.apply({ kind: 'deploy', target: `application ${preview.name}`, detail: `push ${source.commit.slice(0, 7)}` }, async () => undefined, undefined);
            return { deployed: false, url, reason: 'dry run' };
        }
        const app = state.record.app;
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
            known: state.deployments,
            runningCommit: app.commitId,
            ...(state.restart ? { restart: state.restart } : {}),
        });
        state.restart = undefined;
        if (outcome.deployment) {
            const rest = (state.deployments ?? []).filter((d) => d.uuid !== outcome.deployment.uuid);
            state.deployments = [outcome.deployment, ...rest];
        }
        return {
            deployed: outcome.deployed,
            url,
            ...(outcome.reason ? { reason: outcome.reason } : {}),
            ...(outcome.deployment ? { deployment: toPreviewDeployment(outcome.deployment) } : {}),
        };
    }
    async destroy(name) {
        const { plan, logger } = this.context;
        const lookup = await (0, apps_js_1.lookupApps)(this.api, name);
        let targets = lookup.ours;
        if (targets.length === 0) {
            if (lookup.foreign.length === 0)
                return { deleted: false, removed: [] };
            if (!this.context.adopt) {
                // Not our preview, so there is nothing of ours to remove: a repeated stop still exits 0.
                logger.warn(`application ${lookup.foreign.map((r) => r.app.id).join(', ')} is named ${name} but lacks the ${types_js_1.OWNER_MARKER} tag: left alone (--adopt deletes it)`);
                return { deleted: false, removed: [] };
            }
            if (lookup.foreign.length > 1) {
                throw new errors_js_1.SafetyError(`stop ${name}: ${lookup.foreign.length} applications have this name and none carries the ${types_js_1.OWNER_MARKER} tag`, { hint: 'remove them yourself' });
            }
            logger.warn(`deleting application ${lookup.foreign[0].app.id} (${name}) without the ${types_js_1.OWNER_MARKER} tag, as --adopt asks`);
            targets = lookup.foreign;
        }
        if (targets.length > 1)
            logger.warn(`${targets.length} applications of ours are named ${name}: removing them all`);
        const identityTags = [...new Set(targets.map((r) => (0, tags_js_1.identityTagIn)(r.tags)).filter((t) => t !== undefined))];
        const removed = [];
        // Add-ons first: if we stop halfway, the app is still there for the next run to find them by.
        const addons = await (0, addons_js_1.ownedAddons)({ api: this.api, appIds: targets.map((r) => r.app.id), previewName: name, identityTags });
        for (const addon of addons) {
            const gone = await plan.apply({ kind: 'delete', target: `add-on ${addon.name}`, detail: addon.id }, () => this.api.deleteAddon(addon.id), true);
            if (gone)
                removed.push(`addon ${addon.name} (${addon.id})`);
        }
        for (const record of targets) {
            const gone = await plan.apply({ kind: 'delete', target: `application ${name}`, detail: record.app.id }, () => this.api.deleteApp(record.app.id), true);
            if (gone)
                removed.push(`application ${name} (${record.app.id})`);
            this.states.delete(record.app.id);
        }
        return { deleted: true, removed };
    }
    async list() {
        const records = (await (0, apps_js_1.withTags)(this.api, await this.api.listApps())).filter((r) => (0, tags_js_1.hasOwnerMarker)(r.tags)).sort(apps_js_1.byAge);
        const byName = new Map();
        for (const record of records)
            if (!byName.has(record.app.name))
                byName.set(record.app.name, record);
        return [...byName.values()].map((record) => this.toPreview({ record, placeholder: false }, record.app.name));
    }
    /** Keeps what we learnt about an app, refreshing the record itself. */
    remember(record, placeholder = false) {
        const state = this.states.get(record.app.id);
        if (state) {
            state.record = record;
            if (record.app.vhosts && !state.domains)
                state.domains = { hosts: (0, domains_js_1.normaliseVhosts)(record.app.vhosts) };
            return state;
        }
        const fresh = { record, placeholder, ...(record.app.vhosts ? { domains: { hosts: (0, domains_js_1.normaliseVhosts)(record.app.vhosts) } } : {}) };
        this.states.set(record.app.id, fresh);
        return fresh;
    }
    /** The app behind a Preview: from this process's memory, else read (and checked to be ours) again. */
    async stateOf(preview) {
        const known = this.states.get(preview.id);
        if (known)
            return known;
        const app = await this.api.getApp(preview.id);
        if (!app)
            throw new errors_js_1.ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });
        const [record] = await (0, apps_js_1.withTags)(this.api, [app]);
        if (!record)
            throw new errors_js_1.ProviderError(`${preview.name}: application ${preview.id} no longer exists`, { hint: 'run `preview-kit up` to create it again' });
        if (!(0, tags_js_1.hasOwnerMarker)(record.tags)) {
            throw new errors_js_1.SafetyError(`${preview.name}: application ${preview.id} lacks the ${types_js_1.OWNER_MARKER} tag: refusing to change it`, { hint: 'run ensure-app with --adopt first' });
        }
        return this.remember(record);
    }
    /** Domains as known, read once when the app view did not carry them. */
    async knownDomains(state) {
        state.domains ??= { hosts: (0, domains_js_1.normaliseVhosts)(await this.api.vhosts(state.record.app.id)) };
        return state.domains;
    }
    toPreview(state, name) {
        const app = state.record.app;
        const hosts = state.domains?.hosts ?? (app.vhosts ? (0, domains_js_1.normaliseVhosts)(app.vhosts) : []);
        const favourite = state.domains?.favourite ?? undefined;
        const identity = (0, tags_js_1.identityOf)(state.record.tags);
        const created = (0, apps_js_1.creationTime)(app);
        const last = state.deployments?.[0];
        return {
            name,
            id: app.id,
            url: (0, domains_js_1.urlOfHost)((0, domains_js_1.primaryHost)(hosts)),
            domains: (0, domains_js_1.previewDomains)(hosts, favourite),
            ...(state.addons ? { addons: state.addons.map((a) => ({ id: a.id, name: a.name, kind: a.provider?.id ?? 'addon', ...(a.plan?.slug ? { plan: a.plan.slug } : {}) })) } : {}),
            ...(last ? { lastDeployment: toPreviewDeployment(last) } : {}),
            ...(identity?.branch !== undefined ? { branch: identity.branch } : {}),
            ...(identity ? { app: identity.app } : {}),
            ...(Number.isFinite(created) ? { createdAt: new Date(created).toISOString() } : {}),
            details: {
                appId: app.id,
                ...(app.ownerId ? { ownerId: app.ownerId } : {}),
                ...(app.zone ? { zone: app.zone } : {}),
                ...(app.instance?.variant?.slug ? { type: app.instance.variant.slug } : {}),
                ...(app.instance?.minFlavor?.name ? { flavor: app.instance.minFlavor.name } : {}),
                ...(app.instance?.minInstances !== undefined ? { instances: app.instance.minInstances } : {}),
                ...(app.deployment?.httpUrl ? { gitUrl: app.deployment.httpUrl } : {}),
                ...(app.commitId ? { runningCommit: app.commitId } : {}),
                ...(identity?.pr !== undefined ? { pr: identity.pr } : {}),
                tags: state.record.tags,
                ...(state.placeholder ? { dryRun: true } : {}),
            },
        };
    }
}
exports.CleverCloudProvider = CleverCloudProvider;


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

/***/ 1107:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.escapeTagPart = escapeTagPart;
exports.unescapeTagPart = unescapeTagPart;
exports.identityTag = identityTag;
exports.parseIdentityTag = parseIdentityTag;
exports.ownershipTags = ownershipTags;
exports.hasOwnerMarker = hasOwnerMarker;
exports.identityTagIn = identityTagIn;
exports.identityOf = identityOf;
/**
 * Ownership tags. Every app and add-on we create carries two tags: the marker `preview-kit` (what
 * makes it ours) and an identity tag naming the project and branch or pull request it serves
 * (what `list()` reads back for `prune`). Tags travel as URL path segments (`PUT …/tags/{tag}`),
 * so the identity is written with a small escape that leaves only unreserved characters and `:`;
 * no `/` ever reaches a path, since servers in front of APIs often refuse an encoded slash.
 */
const types_js_1 = __webpack_require__(2695);
const IDENTITY_PREFIX = `${types_js_1.OWNER_MARKER}:`;
const KEPT = /[A-Za-z0-9._-]/;
/** `feature/login` → `feature~2Flogin`: bytes outside [A-Za-z0-9._-] become `~XX` (UTF-8, hex). */
function escapeTagPart(text) {
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
function unescapeTagPart(text) {
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
    // Invalid UTF-8 comes back with replacement characters: not one of our tags.
    return escapeTagPart(decoded) === text ? decoded : undefined;
}
/** `preview-kit:<app>:branch:<branch>` or `preview-kit:<app>:pr:<n>`. */
function identityTag(identity) {
    const app = escapeTagPart(identity.app);
    if (identity.pr !== undefined)
        return `${IDENTITY_PREFIX}${app}:pr:${identity.pr}`;
    return `${IDENTITY_PREFIX}${app}:branch:${escapeTagPart(identity.branch ?? '')}`;
}
function parseIdentityTag(tag) {
    if (!tag.startsWith(IDENTITY_PREFIX))
        return undefined;
    const parts = tag.slice(IDENTITY_PREFIX.length).split(':');
    if (parts.length !== 3)
        return undefined;
    const [rawApp, kind, rawRef] = parts;
    const app = unescapeTagPart(rawApp);
    if (app === undefined || app === '')
        return undefined;
    if (kind === 'pr')
        return /^(0|[1-9]\d{0,15})$/.test(rawRef) ? { app, pr: Number(rawRef) } : undefined;
    if (kind !== 'branch')
        return undefined;
    const branch = unescapeTagPart(rawRef);
    return branch === undefined ? undefined : { app, branch };
}
/** The tags we put on everything we create for this preview. */
function ownershipTags(identity) {
    return [types_js_1.OWNER_MARKER, identityTag(identity)];
}
function hasOwnerMarker(tags) {
    return tags.includes(types_js_1.OWNER_MARKER);
}
/** The identity tag among a resource's tags, when it carries one. */
function identityTagIn(tags) {
    return tags.find((tag) => parseIdentityTag(tag) !== undefined);
}
/** The identity recorded on a resource, when it carries one. */
function identityOf(tags) {
    const tag = identityTagIn(tags);
    return tag === undefined ? undefined : parseIdentityTag(tag);
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
exports.MANAGED_KEY = exports.CREATED_KEY = exports.BRANCH_KEY = exports.OWNER_KEY = void 0;
exports.ownerValue = ownerValue;
exports.isOwned = isOwned;
exports.parseEnv = parseEnv;
exports.formatEnv = formatEnv;
exports.sameEnv = sameEnv;
exports.envChanges = envChanges;
exports.assertRepresentable = assertRepresentable;
exports.desiredEnv = desiredEnv;
exports.withManagedVar = withManagedVar;
/**
 * A Convox release carries the app's environment as one text blob of `KEY=VALUE` lines. Since a
 * rack drops app parameters it does not know, the only place where we can record ownership on
 * every rack generation is that environment: these helpers read and write it the way the rack
 * does, and decide what the environment of a preview must be.
 */
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
/** `preview-kit:<app name>`: naming the app makes a copied environment (`convox env` piped to another app) not count as ours. */
exports.OWNER_KEY = 'PREVIEW_KIT_OWNER';
/** The branch the preview was made for, for `prune`. */
exports.BRANCH_KEY = 'PREVIEW_KIT_BRANCH';
/** When the preview was created (ISO 8601), for `prune --ttl`. */
exports.CREATED_KEY = 'PREVIEW_KIT_CREATED';
/** Comma-separated keys we set (`--env`, the domain variable), so that a key dropped from the settings is removed again. */
exports.MANAGED_KEY = 'PREVIEW_KIT_MANAGED';
const OUR_KEYS = new Set([exports.OWNER_KEY, exports.BRANCH_KEY, exports.CREATED_KEY, exports.MANAGED_KEY]);
function ownerValue(appName) {
    return `${types_js_1.OWNER_MARKER}:${appName}`;
}
function isOwned(env, appName) {
    return env[exports.OWNER_KEY] === ownerValue(appName);
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
 * plus our marker, plus `--env`, minus the keys we set earlier that `--env` no longer names.
 */
function desiredEnv(current, input) {
    const next = { ...current };
    const before = (current[exports.MANAGED_KEY] ?? '').split(',').filter((k) => k !== '');
    for (const key of before)
        if (!(key in input.wanted))
            delete next[key];
    Object.assign(next, input.wanted);
    next[exports.OWNER_KEY] = ownerValue(input.appName);
    if (input.branch !== undefined)
        next[exports.BRANCH_KEY] = input.branch;
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

/***/ 4200:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.convoxModule = void 0;
const provider_js_1 = __webpack_require__(9249);
const settings_js_1 = __webpack_require__(6725);
exports.convoxModule = {
    id: 'convox',
    description: 'Convox rack: one app per preview, built from the commit and promoted (RACK_URL)',
    options: settings_js_1.convoxOptions,
    schema: settings_js_1.convoxSchema,
    create: (settings, _common, context) => new provider_js_1.ConvoxProvider(settings, context),
};


/***/ }),

/***/ 9249:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ConvoxProvider = exports.BuildFailedError = exports.DEFAULT_TUNING = void 0;
exports.builtFrom = builtFrom;
/**
 * Previews as Convox apps. One app per preview, named after it; our ownership record lives in the
 * app's release environment (racks keep no free-form tags or parameters); code goes up the way
 * `convox deploy` sends it: source tarball as an object, a build from it, promotion of the
 * build's release, then a wait until the app runs that release.
 */
const node_crypto_1 = __webpack_require__(7598);
const node_fs_1 = __webpack_require__(3024);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const version_js_1 = __webpack_require__(311);
const env_js_1 = __webpack_require__(9897);
const build_log_js_1 = __webpack_require__(9029);
const rack_api_js_1 = __webpack_require__(2130);
const source_js_1 = __webpack_require__(8469);
exports.DEFAULT_TUNING = {
    pollInitialMs: 500,
    pollMaxMs: 5_000,
    httpBackoffMs: 300,
    requestTimeoutMs: 30_000,
    uploadTimeoutMs: 300_000,
    now: () => new Date(),
};
/** Lines of a failed build's log worth showing. */
const LOG_TAIL_LINES = 20;
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
/** App statuses in which nothing is moving: a build or a promotion may start. */
const SETTLED = new Set(['running', 'rollback', 'failed', 'unknown']);
const FAILED = new Set(['rollback', 'failed']);
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
    if (FAILED.has(status))
        return 'failed';
    if (status === 'creating' || status === 'updating')
        return 'running';
    return status;
}
function tail(text, lines) {
    return text
        .replace(/\r/g, '')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-lines)
        .join('\n');
}
function hostsOf(value) {
    return (value ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== '');
}
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
class ConvoxProvider {
    settings;
    context;
    id = 'convox';
    api;
    http;
    tuning;
    warnedAdopt = new Set();
    /** Apps whose convox.yml was already said not to route the preview host: once per run is enough. */
    warnedRoutes = new Set();
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
        const common = (this.clientOptions = {
            baseUrl: settings.rackUrl,
            authHeaders: () => headers,
            logger: context.logger,
            deadline: context.deadline,
            label: 'Convox rack',
            authHint: 'check the rack password in RACK_URL (https://convox:PASSWORD@host) or CONVOX_PASSWORD',
            backoffMs: this.tuning.httpBackoffMs,
            tls: rackTls(settings, context),
            tlsHint: 'racks often serve a self-signed certificate: trust it with --rack-ca-file FILE (CONVOX_RACK_CA_FILE), or skip verification as the convox CLI does with --rack-insecure-skip-tls-verify (CONVOX_INSECURE_SKIP_TLS_VERIFY=true)',
        });
        this.http = new http_js_1.HttpClient({ ...common, requestTimeoutMs: this.tuning.requestTimeoutMs });
        this.api = new rack_api_js_1.RackApi(this.http, new http_js_1.HttpClient({ ...common, requestTimeoutMs: this.tuning.uploadTimeoutMs }));
    }
    // ---------------------------------------------------------------- reading
    async latestRelease(app) {
        const [first] = await this.api.listReleases(app, 1);
        if (!first)
            return undefined;
        // Some racks list releases without their env; the release itself always has it.
        return typeof first.env === 'string' ? first : this.api.getRelease(app, first.id);
    }
    /** The app and its ownership, or undefined when absent. */
    async inspect(name) {
        const app = await this.api.getApp(name);
        if (!app)
            return undefined;
        let latest;
        try {
            latest = await this.latestRelease(name);
        }
        catch (error) {
            // Deleted between the two calls: absent is the truth, but only if the app says so too.
            if (error instanceof errors_js_1.ProviderError && error.status === 404 && !(await this.api.getApp(name)))
                return undefined;
            throw error;
        }
        const env = (0, env_js_1.parseEnv)(latest?.env);
        return { app, latest, env, owned: (0, env_js_1.isOwned)(env, name) };
    }
    notOurs(action, name) {
        return new errors_js_1.SafetyError(`${action}: app ${name} exists on the rack but preview-kit did not create it (its environment has no ${env_js_1.OWNER_KEY}=${(0, env_js_1.ownerValue)(name)})`, { hint: 'pass --adopt to take it over, or choose another --app or --prefix' });
    }
    requireOwned(state, action) {
        if (state.owned)
            return;
        if (!this.context.adopt)
            throw this.notOurs(action, state.app.name);
        if (!this.warnedAdopt.has(state.app.name)) {
            this.warnedAdopt.add(state.app.name);
            this.context.logger.warn(`adopting app ${state.app.name}, which preview-kit did not create (--adopt)`);
        }
    }
    pickService(services) {
        const withDomain = services.filter((s) => s.domain);
        if (this.settings.service)
            return withDomain.find((s) => s.name === this.settings.service);
        const isPublic = (s) => (s.ports ?? []).length > 0;
        return withDomain.find((s) => s.name === 'web' && isPublic(s)) ?? withDomain.find(isPublic) ?? withDomain.find((s) => s.name === 'web');
    }
    async toPreview(state, full = true) {
        const { app, env } = state;
        const hosts = hostsOf(env[this.settings.domainEnv]);
        let services = [];
        let lastDeployment;
        const details = {
            status: app.status,
            release: app.release || undefined,
            latestRelease: state.latest?.id,
            generation: app.generation,
            locked: app.locked ?? false,
        };
        if (full && app.release) {
            services = await this.api.listServices(app.name);
            const release = state.latest?.id === app.release ? state.latest : await this.api.getRelease(app.name, app.release);
            const build = release.build ? await this.api.getBuild(app.name, release.build) : undefined;
            lastDeployment = {
                id: app.release,
                state: deploymentState(app.status),
                ...(build?.['git-sha'] ? { commit: build['git-sha'] } : {}),
                ...(release.created ? { createdAt: release.created } : {}),
            };
            details.build = build?.id;
            details.services = services.map((s) => ({ name: s.name, domain: s.domain, url: s.domain ? `https://${s.domain}` : undefined, count: s.count }));
        }
        const primary = this.pickService(services);
        const domains = [
            ...hosts.map((host) => ({ host })),
            ...services.filter((s) => s.domain && !hosts.includes(s.domain)).map((s) => ({ host: s.domain, builtIn: true })),
        ];
        const url = hosts[0] ? `https://${hosts[0]}` : primary ? `https://${primary.domain}` : '';
        return {
            name: app.name,
            id: app.name,
            url,
            domains,
            ...(lastDeployment ? { lastDeployment } : {}),
            ...(env[env_js_1.BRANCH_KEY] ? { branch: env[env_js_1.BRANCH_KEY] } : {}),
            ...(env[env_js_1.CREATED_KEY] ? { createdAt: env[env_js_1.CREATED_KEY] } : {}),
            details,
        };
    }
    plannedPreview(spec) {
        return {
            name: spec.name,
            id: spec.name,
            url: spec.domains[0] ? `https://${spec.domains[0]}` : '',
            domains: spec.domains.map((host) => ({ host })),
            ...(spec.branch ? { branch: spec.branch } : {}),
        };
    }
    // ---------------------------------------------------------------- waiting
    pollOptions(what, deadline = this.context.deadline) {
        return { deadline, what, initialMs: this.tuning.pollInitialMs, maxMs: this.tuning.pollMaxMs };
    }
    /**
     * Waits until the app runs. `justCreated`: we created it, so a failed status is our failure
     * (exit 5), and the app may not be listed yet; an existing app in a failed state is left for the
     * next promotion to repair.
     */
    async waitAppRunning(name, justCreated) {
        let status = 'unknown';
        return this.sayStatusOnTimeout(name, () => status, (0, retry_js_1.poll)(async () => {
            const app = await this.api.getApp(name);
            if (!app) {
                if (justCreated)
                    return undefined;
                throw new errors_js_1.ProviderError(`app ${name} disappeared while we waited for it`, { hint: 'did another job stop this preview?' });
            }
            status = app.status;
            if (app.status === 'running')
                return app;
            if (FAILED.has(app.status)) {
                if (justCreated) {
                    throw new errors_js_1.ProviderError(`create app ${name}: the rack left it in status "${app.status}"`, {
                        hint: `see \`convox apps info ${name}\` and the rack's logs`,
                    });
                }
                this.context.logger.warn(`app ${name} is in status "${app.status}"; the next promotion may repair it`);
                return app;
            }
            if (app.status === 'unknown') {
                this.context.logger.warn(`the rack reports app ${name} in status "unknown"; going on`);
                return app;
            }
            if (app.status === 'deleting') {
                throw new errors_js_1.ProviderError(`app ${name} is being deleted`, { hint: 'another job is stopping this preview; run again once it is gone' });
            }
            return undefined;
        }, { ...this.pollOptions(`app ${name} to be running`), onWait: (ms) => this.context.logger.progress(`app ${name}: ${status} (${Math.round(ms / 1000)}s)`) }));
    }
    /** A wait that ran out of time says the status the app was stuck in, and where to look. */
    async sayStatusOnTimeout(name, status, waiting) {
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
    async waitGone(name) {
        let runningSeen = 0;
        await (0, retry_js_1.poll)(async () => {
            const app = await this.api.getApp(name);
            if (!app)
                return true;
            // A rack that failed to delete puts the app back to running (CloudFormation DELETE_FAILED).
            runningSeen = app.status === 'running' ? runningSeen + 1 : 0;
            if (runningSeen >= 3) {
                throw new errors_js_1.ProviderError(`stop: the rack did not delete app ${name}: it is running again`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
            }
            return undefined;
        }, { ...this.pollOptions(`app ${name} to be deleted`), onWait: (ms) => this.context.logger.progress(`deleting app ${name} (${Math.round(ms / 1000)}s)`) });
    }
    /**
     * An app without any release and without our record may be another run's app between its
     * creation and its first release: give that run a moment to write the record.
     */
    async waitForOwner(name) {
        const limit = Math.min(this.settings.claimWaitMs, this.context.deadline.remaining());
        const local = new retry_js_1.Deadline(limit, this.context.deadline.clock);
        this.context.logger.info(`app ${name} exists without any release yet; waiting up to ${Math.round(limit / 1000)}s for the run that created it`);
        try {
            return await (0, retry_js_1.poll)(async () => {
                const state = await this.inspect(name);
                if (!state)
                    throw new errors_js_1.ProviderError(`app ${name} disappeared while we waited for its owner record`, { hint: 'run again' });
                return state.owned || state.latest ? state : undefined;
            }, this.pollOptions(`the owner record of app ${name}`, local));
        }
        catch (error) {
            if (error instanceof errors_js_1.TimeoutError)
                return undefined;
            throw error;
        }
    }
    // ---------------------------------------------------------------- writing
    /** `created`: ours; `taken`: another run created it at the same moment; `unknown`: the rack failed but the app exists. */
    async createApp(name) {
        return this.context.plan.apply({ kind: 'create', target: `app ${name}`, detail: 'Convox generation 2' }, async () => {
            try {
                await this.api.createApp(name);
                return 'created';
            }
            catch (error) {
                if ((0, rack_api_js_1.isAlreadyExists)(error)) {
                    this.context.logger.info(`app ${name} was created by someone else at the same moment; looking at it again`);
                    return 'taken';
                }
                if (/no more than 63 characters/i.test(error.message)) {
                    throw new errors_js_1.ConfigError(`create app ${name}: the rack refused the name: ${error.message}`, {
                        hint: 'racks on Kubernetes name the namespace <rack>-<app>, 63 characters at most: shorten --app or set a shorter --prefix',
                    });
                }
                // The create may have been applied before the error: look before anything else.
                if ((0, errors_js_1.isRetryable)(error) && (await this.api.getApp(name))) {
                    this.context.logger.warn(`the rack failed to answer the creation of ${name} (${error.message}), but the app exists`);
                    return 'unknown';
                }
                throw error;
            }
        }, 'dry');
    }
    /** Writes the environment as a new release (not promoted: the next deploy carries it). */
    async writeEnv(name, from, to, why) {
        await this.context.plan.apply({ kind: 'update', target: `environment of app ${name}`, detail: `${why}: ${(0, env_js_1.envChanges)(from, to).join(' ')}` }, () => (0, retry_js_1.retry)(async () => {
            try {
                await this.api.createRelease(name, { env: (0, env_js_1.formatEnv)(to) });
            }
            catch (error) {
                // A release answered 5xx may exist all the same: creating it twice would be harmless
                // but noisy, so look first.
                if ((0, errors_js_1.isRetryable)(error)) {
                    const latest = await this.latestRelease(name).catch(() => undefined);
                    if (latest && (0, env_js_1.sameEnv)((0, env_js_1.parseEnv)(latest.env), to))
                        return;
                }
                throw error;
            }
        }, { attempts: 3, deadline: this.context.deadline, initialMs: this.tuning.httpBackoffMs, what: `write the environment of ${name}` }), undefined);
    }
    wantedEnv(spec, current) {
        // Domains reach convox.yml through an env var; setting it with the rest saves a second release in `up`.
        const wanted = spec.domains.length > 0 ? { ...spec.env, [this.settings.domainEnv]: spec.domains.join(',') } : spec.env;
        return (0, env_js_1.desiredEnv)(current, { appName: spec.name, wanted, branch: spec.branch, now: this.tuning.now() });
    }
    /**
     * Deletes an app we created but could not mark: without the record a re-run would have to
     * refuse it. Runs on its own short deadline, since the command's may be what ran out.
     */
    async removeUnmarked(name) {
        this.context.logger.warn(`removing app ${name}: it was created but could not be marked as preview-kit's`);
        const cleanup = new rack_api_js_1.RackApi(new http_js_1.HttpClient({ ...this.clientOptions, deadline: new retry_js_1.Deadline(30_000, this.context.deadline.clock), requestTimeoutMs: 10_000 }));
        await cleanup.deleteApp(name).catch((error) => {
            this.context.logger.warn(`could not remove app ${name} (${error.message}); remove it with \`convox apps delete ${name}\``);
        });
    }
    async find(name) {
        const state = await this.inspect(name);
        if (!state)
            return undefined;
        this.requireOwned(state, 'find preview');
        return this.toPreview(state);
    }
    async ensure(spec) {
        (0, env_js_1.assertRepresentable)(spec.env);
        const name = spec.name;
        const { logger, plan } = this.context;
        let state = await this.inspect(name);
        if (state?.app.status === 'deleting') {
            logger.info(`app ${name} is being deleted; waiting until it is gone before creating it again`);
            if (plan.dryRun)
                state = undefined;
            else {
                await this.waitGone(name);
                state = undefined;
            }
        }
        let created = false;
        let triedCreate = false;
        if (!state) {
            const outcome = await this.createApp(name);
            if (outcome === 'dry') {
                await this.writeEnv(name, {}, this.wantedEnv(spec, {}), 'record ownership');
                return { preview: this.plannedPreview(spec), created: true, changed: true };
            }
            triedCreate = true;
            created = outcome === 'created';
            try {
                // A 409 means an app created this very moment, by us or a twin run: same tolerance as our own.
                await this.waitAppRunning(name, outcome !== 'unknown');
                // Record ownership as soon as the rack can store a release (older racks keep releases in
                // storage the app's own stack creates): the twin run that got the 409 waits for it.
                if (created)
                    await this.writeEnv(name, {}, this.wantedEnv(spec, {}), 'record ownership');
            }
            catch (error) {
                if (created)
                    await this.removeUnmarked(name);
                throw error;
            }
            state = await this.inspect(name);
            if (!state)
                throw new errors_js_1.ProviderError(`create app ${name}: the app disappeared right after its creation`, { hint: 'did another job stop this preview?' });
        }
        else if (!SETTLED.has(state.app.status)) {
            await this.waitAppRunning(name, false);
            state = (await this.inspect(name)) ?? state;
        }
        if (!state.owned && !this.context.adopt) {
            if (state.latest)
                throw this.notOurs('ensure-app', name);
            const marked = await this.waitForOwner(name);
            if (marked?.owned)
                state = marked;
            else if (marked?.latest || !triedCreate)
                throw this.notOurs('ensure-app', name);
            else
                logger.warn(`app ${name} appeared empty as we created it and nobody claimed it: taking it as ours`);
        }
        else if (!state.owned) {
            this.requireOwned(state, 'ensure-app');
        }
        const wanted = this.wantedEnv(spec, state.env);
        let changed = created;
        if (!(0, env_js_1.sameEnv)(wanted, state.env)) {
            await this.writeEnv(name, state.env, wanted, state.owned ? 'environment' : 'record ownership');
            state = { ...state, env: wanted, owned: true };
            changed = true;
            if (state.app.release)
                logger.info(`the new environment of ${name} goes live with the next deploy`);
        }
        return { preview: await this.toPreview(state), created, changed };
    }
    async setDomains(preview, spec) {
        const name = preview.name;
        const state = await this.inspect(name);
        if (!state) {
            if (this.context.plan.dryRun)
                return { changed: spec.domains.length > 0, domains: spec.domains.map((host) => ({ host })) };
            throw new errors_js_1.NotFoundError(`set-domain: app ${name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
        }
        this.requireOwned(state, 'set-domain');
        const key = this.settings.domainEnv;
        const value = spec.domains.join(',');
        let changed = false;
        if ((state.env[key] ?? '') !== value) {
            const next = (0, env_js_1.withManagedVar)(state.env, key, value || undefined);
            await this.writeEnv(name, state.env, next, 'domains');
            state.env = next;
            changed = true;
            this.context.logger.info(`domains of ${name} go live with the next deploy (Convox routes them from convox.yml \`domain: \${${key}}\`)`);
        }
        this.checkManifestRoutes(state);
        const updated = await this.toPreview(state);
        return { changed, domains: updated.domains };
    }
    /** Convox attaches domains only through convox.yml: say so when the manifest cannot route ours. */
    checkManifestRoutes(state) {
        const key = this.settings.domainEnv;
        const manifest = state.latest?.manifest;
        if (!state.env[key] || !manifest)
            return;
        if (!manifest.includes(`\${${key}}`) && !this.warnedRoutes.has(state.app.name)) {
            this.warnedRoutes.add(state.app.name);
            this.context.logger.warn(`convox.yml of ${state.app.name} does not use \${${key}}: the rack will not route ${hostsOf(state.env[key]).join(', ')} ` +
                `(add \`domain: \${${key}}\` to the service that serves the preview)`);
        }
    }
    async deploy(preview, source) {
        const name = preview.name;
        const { logger, plan } = this.context;
        const commit = source.commit;
        const short = commit.slice(0, 12);
        const state = await this.inspect(name);
        if (!state) {
            if (plan.dryRun) {
                await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` }, async () => undefined, undefined);
                return { deployed: true, url: preview.url };
            }
            throw new errors_js_1.NotFoundError(`deploy: app ${name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
        }
        this.requireOwned(state, 'deploy');
        let app = state.app;
        if (!SETTLED.has(app.status))
            app = await this.waitAppRunning(name, false);
        if (!source.force) {
            const latest = state.latest;
            const liveRelease = app.release ? (latest?.id === app.release ? latest : await this.api.getRelease(name, app.release)) : undefined;
            const liveBuild = liveRelease?.build ? await this.api.getBuild(name, liveRelease.build) : undefined;
            if (builtFrom(liveBuild, commit) && (!latest || latest.id === app.release) && !FAILED.has(app.status)) {
                const current = await this.toPreview({ ...state, app });
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
                const latestBuild = latest.build === liveBuild?.id ? liveBuild : await this.api.getBuild(name, latest.build);
                if (builtFrom(latestBuild, commit)) {
                    logger.info(`release ${latest.id} of ${short} is not live yet: promoting it`);
                    return this.promoteAndReport(state, latest.id, commit);
                }
            }
        }
        let build;
        if (!source.force) {
            // Another pipeline may be building this very commit: wait for its build rather than start a second one.
            build = (await this.api.listBuilds(name, 10)).find((b) => builtFrom(b, commit) && (b.status === 'created' || b.status === 'running'));
            if (build)
                logger.info(`build ${build.id} of ${short} is already under way: waiting for it`);
        }
        if (!build) {
            const packed = await (0, source_js_1.packSource)(source.dir, commit);
            logger.info(`packed ${packed.files} files of ${short} (${packed.ignored} left out by .dockerignore), ${Math.ceil(packed.data.length / 1024)} KiB`);
            const started = await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` }, () => this.startBuild(name, commit, packed), undefined);
            if (!started)
                return { deployed: true, url: preview.url };
            build = started;
            logger.info(`build ${build.id} started`);
        }
        const done = await this.waitBuild(name, build.id, commit);
        if (!done.release)
            throw new errors_js_1.ProviderError(`deploy: build ${done.id} of ${name} completed without a release`, { hint: `see \`convox builds info ${done.id} -a ${name}\`` });
        return this.promoteAndReport(state, done.release, commit);
    }
    async startBuild(name, commit, packed) {
        const key = `tmp/${(0, node_crypto_1.randomBytes)(15).toString('hex')}.tgz`;
        const url = await this.api.storeObject(name, key, packed.data);
        const fields = { url, description: `preview-kit ${commit}`, gitSha: commit, ...(this.settings.manifest ? { manifest: this.settings.manifest } : {}) };
        try {
            return await this.api.createBuild(name, fields);
        }
        catch (error) {
            if (!(0, errors_js_1.isRetryable)(error))
                throw error;
            // The build may have started before the error: a second one would build the same commit twice.
            const started = (await this.api.listBuilds(name, 5)).find((b) => builtFrom(b, commit) && (b.status === 'created' || b.status === 'running'));
            if (started)
                return started;
            return this.api.createBuild(name, fields);
        }
    }
    async waitBuild(name, id, commit) {
        let status = 'created';
        return (0, retry_js_1.poll)(async () => {
            const build = await this.api.getBuild(name, id);
            status = build.status;
            switch (build.status) {
                case 'created':
                case 'running':
                    return undefined;
                case 'complete':
                    return build;
                case 'failed':
                    throw await this.buildFailure(name, build, commit);
                default:
                    throw new errors_js_1.ProviderError(`deploy: build ${id} of ${name} is in an unexpected status "${build.status}"`, { hint: `see \`convox builds info ${id} -a ${name}\`` });
            }
        }, { ...this.pollOptions(`build ${id} of ${name}`), onWait: (ms) => this.context.logger.progress(`build ${id}: ${status} (${Math.round(ms / 1000)}s)`) });
    }
    async buildFailure(name, build, commit) {
        let log = '';
        const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.logs ?? '');
        if (where) {
            try {
                log = await this.api.fetchObject(where[1], where[2]);
            }
            catch (error) {
                this.context.logger.debug(`could not read the log of build ${build.id}: ${error.message}`);
            }
        }
        const lastLines = tail(log, LOG_TAIL_LINES);
        if (lastLines)
            this.context.logger.error(`last lines of the log of build ${build.id}:\n${lastLines}`);
        const reason = build.reason && !/^\s*build failed\s*$/i.test(build.reason) ? build.reason : '';
        const why = (reason || (0, build_log_js_1.telltaleLine)(lastLines.split('\n'))).slice(0, 300);
        return new BuildFailedError(`deploy: build ${build.id} of ${name} (commit ${commit.slice(0, 12)}) failed${why ? `: ${why}` : ''}`, build.id, lastLines, `full log: convox builds logs ${build.id} -a ${name}`);
    }
    async promoteAndReport(state, releaseId, commit) {
        const name = state.app.name;
        await this.promote(name, releaseId);
        if (this.context.plan.dryRun)
            return { deployed: true, url: (await this.toPreview(state, false)).url };
        const after = await this.inspect(name);
        const preview = after ? await this.toPreview(after) : undefined;
        if (after)
            this.checkManifestRoutes(after);
        return {
            deployed: true,
            url: preview?.url ?? '',
            deployment: { id: releaseId, state: 'ok', commit, ...(preview?.lastDeployment?.createdAt ? { createdAt: preview.lastDeployment.createdAt } : {}) },
        };
    }
    /** Promotes the release and waits until the app runs it; a rollback is a failure. */
    async promote(name, releaseId) {
        await this.context.plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `promote release ${releaseId}` }, async () => {
            try {
                await this.api.promote(name, releaseId);
            }
            catch (error) {
                if ((0, errors_js_1.isRetryable)(error) && (await this.api.getApp(name))?.release === releaseId)
                    return;
                throw error;
            }
        }, undefined);
        if (this.context.plan.dryRun)
            return;
        let status = 'updating';
        await this.sayStatusOnTimeout(name, () => status, (0, retry_js_1.poll)(async () => {
            const app = await this.api.getApp(name);
            if (!app)
                throw new errors_js_1.ProviderError(`deploy: app ${name} disappeared during the promotion`, { hint: 'did another job stop this preview?' });
            status = app.status;
            if (FAILED.has(app.status)) {
                throw new errors_js_1.ProviderError(`deploy: release ${releaseId} of ${name} did not start: the app is in status "${app.status}"`, {
                    hint: `see \`convox logs -a ${name}\` and \`convox releases -a ${name}\``,
                });
            }
            if (app.status !== 'running')
                return undefined;
            if (app.release === releaseId)
                return app;
            // The rack switches the release when the promotion starts, so running another one means it was reverted or superseded.
            throw new errors_js_1.ProviderError(`deploy: release ${releaseId} of ${name} was not kept: the app runs ${app.release || 'no release'}`, {
                hint: 'it was rolled back, or a concurrent deploy promoted another release',
            });
        }, { ...this.pollOptions(`release ${releaseId} of ${name} to be running`), onWait: (ms) => this.context.logger.progress(`promoting ${releaseId}: ${status} (${Math.round(ms / 1000)}s)`) }));
    }
    async destroy(name) {
        const state = await this.inspect(name);
        if (!state)
            return { deleted: false, removed: [] };
        const removed = [`app ${name}`];
        if (state.app.status !== 'deleting') {
            this.requireOwned(state, 'stop');
            await this.context.plan.apply({ kind: 'delete', target: `app ${name}`, detail: 'with its builds, releases and resources' }, async () => {
                try {
                    await this.api.deleteApp(name);
                }
                catch (error) {
                    if (error instanceof errors_js_1.ConflictError) {
                        throw new errors_js_1.ProviderError(`stop: the rack refused to delete app ${name}: ${error.message}`, { hint: `if it is locked: convox apps unlock -a ${name}` });
                    }
                    throw error;
                }
            }, undefined);
        }
        if (!this.context.plan.dryRun)
            await this.waitGone(name);
        return { deleted: true, removed };
    }
    async list() {
        const out = [];
        for (const app of await this.api.listApps()) {
            let latest;
            try {
                latest = await this.latestRelease(app.name);
            }
            catch (error) {
                if (error instanceof errors_js_1.ProviderError && error.status === 404)
                    continue; // deleted meanwhile
                throw error;
            }
            const env = (0, env_js_1.parseEnv)(latest?.env);
            if ((0, env_js_1.isOwned)(env, app.name))
                out.push(await this.toPreview({ app, latest, env, owned: true }, false));
        }
        return out;
    }
}
exports.ConvoxProvider = ConvoxProvider;


/***/ }),

/***/ 2130:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.RackApi = void 0;
exports.isAlreadyExists = isAlreadyExists;
/**
 * The rack's HTTP API, route by route, as the convox CLI's sdk calls it: form-encoded parameters
 * (`application/x-www-form-urlencoded`), JSON answers, raw bodies for objects, errors as
 * `{"error": "…"}` when JSON is accepted and plain text otherwise. Only the routes we use.
 */
const errors_js_1 = __webpack_require__(4296);
const http_js_1 = __webpack_require__(4488);
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
function form(fields) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
        if (v !== undefined)
            params.set(k, v);
    return params.toString();
}
const seg = encodeURIComponent;
/** Racks answer a taken name with 409 (v3) or a 500/403 saying so (older racks). */
function isAlreadyExists(error) {
    if (error instanceof errors_js_1.ConflictError)
        return true;
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
    /** False when the app was already gone. */
    async deleteApp(name) {
        const res = await this.http.request({ method: 'DELETE', path: `/apps/${seg(name)}`, allow: [404], what: `delete app ${name}` });
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
    async promote(app, id) {
        await this.http.request({ method: 'POST', path: `/apps/${seg(app)}/releases/${seg(id)}/promote`, body: '', headers: FORM, what: `promote release ${id} of ${app}` });
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
}
exports.RackApi = RackApi;


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
    { key: 'claimWait', type: 'string', description: 'how long to wait for the owner record of an app another run is creating', defaultText: '30s' },
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
function git(dir, args, input) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('git', ['-C', dir, ...args], {
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
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
async function gitOk(dir, args, what, input) {
    const result = await git(dir, args, input);
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
async function readBlobs(dir, shas) {
    const blobs = new Map();
    const unique = [...new Set(shas)];
    if (unique.length === 0)
        return blobs;
    const out = await gitOk(dir, ['cat-file', '--batch'], 'read files', `${unique.join('\n')}\n`);
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
async function resolveCommit(dir, commit) {
    const result = await git(dir, ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`]);
    if (result.code !== 0) {
        throw new errors_js_1.ConfigError(`deploy: commit ${commit} is not in the repository at ${dir}`, {
            hint: 'check --source and --commit; in CI fetch the commit (e.g. a full checkout)',
        });
    }
    return result.stdout.toString('utf8').trim();
}
/** Packs the commit's tree, honouring the `.dockerignore` committed with it. */
async function packSource(dir, commit) {
    const sha = await resolveCommit(dir, commit);
    const tree = parseTree(await gitOk(dir, ['ls-tree', '-r', '-z', '--full-tree', sha], 'list files'));
    const time = Number((await gitOk(dir, ['show', '-s', '--format=%ct', sha], 'read the commit time')).toString('utf8').trim()) || 0;
    const ignoreEntry = tree.find((e) => e.path === '.dockerignore' && e.type === 'blob');
    const matcher = ignoreEntry ? dockerignore_js_1.IgnoreMatcher.fromFile((await readBlobs(dir, [ignoreEntry.sha])).get(ignoreEntry.sha).toString('utf8')) : new dockerignore_js_1.IgnoreMatcher([]);
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
    const blobs = await readBlobs(dir, kept.map((e) => e.sha));
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
        throw new errors_js_1.ProviderError(`${what}: Caddy admin API answered ${detail}`, { status: res.status, retryable: false });
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
exports.previewRoutePattern = previewRoutePattern;
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
function routeId(name, service) {
    return `preview-kit-${name}-${service}`;
}
/** The route a new container is checked through before it gets the real hosts. */
function stagingRouteId(name, service) {
    return `${routeId(name, service)}.next`;
}
/**
 * Ids of one preview's routes. Service names have no `-` and preview names no `.`, so the
 * routes of `app-x` never match those of `app-x-y`.
 */
function previewRoutePattern(name) {
    return new RegExp(`^preview-kit-${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z][a-z0-9]*(\\.next)?$`);
}
function liveRoute(id, hosts, dial) {
    return { '@id': id, match: [{ host: hosts }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial }] }], terminal: true };
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
/**
 * Converges one server's routes: read the list and its Etag, do the first needed write with
 * If-Match, read again, until nothing is left to do. A 412 (someone else wrote meanwhile) just
 * means reading again. Returns the ids written.
 */
async function syncRoutes(ctx, server, wishes, options) {
    const path = routesPath(server);
    const written = [];
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
            // 412: someone wrote first. A reset connection: Caddy restarted its admin listener for a
            // concurrent write, and ours may or may not have landed. Either way the If-Match guard
            // makes reading again and re-deciding safe.
            const lost = error instanceof errors_js_1.ProviderError && error.retryable && error.status === undefined;
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

/***/ 8794:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.LOCK_HOLDER = exports.LOCK_UNTIL = void 0;
exports.holderIsGone = holderIsGone;
exports.lockName = lockName;
exports.acquireDeployLock = acquireDeployLock;
/**
 * One deploy at a time per preview. The engine has no lock, but creating a network whose name is
 * taken fails atomically, so `<name>.lock` (labelled ours, with an expiry for crashed runs) is
 * one. Only runs that change something take it: a no-op re-run stays free of writes.
 */
const node_crypto_1 = __webpack_require__(7598);
const node_os_1 = __webpack_require__(8161);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
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
async function acquireDeployLock(rt, name) {
    const { engine, context } = rt;
    const lock = lockName(name);
    const started = context.deadline.clock.now();
    const run = (0, node_crypto_1.randomBytes)(6).toString('hex');
    const waited = () => Math.round((context.deadline.clock.now() - started) / 1000);
    const timedOut = () => new errors_js_1.TimeoutError(`timed out after ${waited()}s waiting for another deploy of ${name} to finish`, {
        hint: `raise --timeout, or remove a stale lock: docker network rm ${lock}`,
    });
    for (let attempt = 0;; attempt++) {
        const until = context.deadline.clock.now() + Math.max(60_000, context.deadline.remaining());
        try {
            heldHere.add(run);
            await engine.createNetwork(lock, { [labels_js_1.LABEL.managedBy]: types_js_1.OWNER_MARKER, [labels_js_1.LABEL.name]: name, [exports.LOCK_UNTIL]: String(until), [exports.LOCK_HOLDER]: `${thisProcess.host} ${thisProcess.pid} ${run}` });
            if (attempt > 0)
                context.logger.info(`the other deploy of ${name} is done; going on`);
            return {
                release: async () => {
                    await engine.removeNetwork(lock).catch((error) => context.logger.warn(`could not remove the deploy lock ${lock}: ${error.message}`));
                    heldHere.delete(run);
                },
            };
        }
        catch (error) {
            heldHere.delete(run);
            // The deadline ran out inside the engine call: say what we were waiting for.
            if (error instanceof errors_js_1.TimeoutError && attempt > 0)
                throw timedOut();
            if (!(error instanceof errors_js_1.ProviderError) || error.status !== 409)
                throw error;
        }
        const held = await engine.inspectNetwork(lock);
        if (held && held.Labels?.[labels_js_1.LABEL.managedBy] !== types_js_1.OWNER_MARKER) {
            throw new errors_js_1.ProviderError(`network ${lock} exists but was not created by preview-kit; it blocks deploys of ${name}`, { hint: `remove it: docker network rm ${lock}` });
        }
        const expiry = Number(held?.Labels?.[exports.LOCK_UNTIL] ?? 0);
        const gone = holderIsGone(held?.Labels?.[exports.LOCK_HOLDER]);
        if (held && (expiry < Date.now() || gone)) {
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

/***/ 3952:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.deployPreview = deployPreview;
/**
 * Deploying a commit: images first, then one container per service, replaced only when the
 * commit or the container's settings changed. A new container is checked through Caddy on a
 * staging route before it gets the real hosts, so a failed deploy leaves the old one serving.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const types_js_1 = __webpack_require__(2695);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_lock_js_1 = __webpack_require__(8794);
const images_js_1 = __webpack_require__(581);
const labels_js_1 = __webpack_require__(9760);
const probe_js_1 = __webpack_require__(5349);
const runtime_js_1 = __webpack_require__(9995);
/** Bumped when the shape of the containers we create changes, so old ones get replaced. */
const CONTAINER_SHAPE = 1;
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
function envNameOf(service) {
    return service.toUpperCase();
}
function containerBody(rt, step, urls, network, commit) {
    const { plan, image } = step;
    const name = rt.common.name;
    const env = {
        ...plan.env,
        PREVIEW_NAME: name,
        PREVIEW_URL: step.url,
        ...Object.fromEntries(Object.entries(urls).map(([service, url]) => [`PREVIEW_URL_${envNameOf(service)}`, url])),
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
        [labels_js_1.LABEL.managedBy]: types_js_1.OWNER_MARKER,
        [labels_js_1.LABEL.name]: name,
        [labels_js_1.LABEL.app]: rt.common.app,
        ...(rt.common.branch ? { [labels_js_1.LABEL.branch]: rt.common.branch } : {}),
        [labels_js_1.LABEL.service]: plan.service,
        [labels_js_1.LABEL.commit]: commit,
        [labels_js_1.LABEL.configHash]: hash,
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
function dial(rt, port) {
    return `${rt.settings.upstreamHost}:${port}`;
}
/** The container a service is served by: the canonical name wins, else the newest. */
function pickCurrent(name, service, mine) {
    const canonical = (0, runtime_js_1.canonicalName)(name, service);
    return mine.find((c) => (0, runtime_js_1.nameOf)(c) === canonical) ?? [...mine].sort((a, b) => b.Created - a.Created)[0];
}
async function checkCanonicalNames(rt, plans) {
    const strays = [];
    for (const plan of plans) {
        const canonical = (0, runtime_js_1.canonicalName)(rt.common.name, plan.service);
        const found = await rt.engine.inspectContainer(canonical);
        if (!found || (0, labels_js_1.isOurs)(found.Config?.Labels, rt.common.name))
            continue;
        if (!rt.context.adopt) {
            throw new errors_js_1.SafetyError(`container ${canonical} exists but was not created by preview-kit`, { hint: 'remove or rename it, or pass --adopt to replace it' });
        }
        rt.context.logger.warn(`container ${canonical} lacks preview-kit's labels; replacing it because of --adopt`);
        strays.push({ Id: found.Id, Names: [found.Name], Image: found.Image, ImageID: found.Image, Created: Date.parse(found.Created) / 1000, State: found.State.Status, Labels: found.Config?.Labels ?? {} });
    }
    return strays;
}
/** Decides every image at once (reads only), then builds or pulls the missing ones in parallel. */
async function resolveImages(rt, plans, source) {
    const ctx = { engine: rt.engine, plan: rt.context.plan, logger: rt.context.logger };
    const unique = [...new Map(plans.map((p) => [keyOf(p), p])).values()];
    const prepared = await Promise.all(unique.map((plan) => (plan.build ? (0, images_js_1.prepareBuiltImage)(ctx, plan.build, source, rt.common.app) : (0, images_js_1.preparePrebuiltImage)(ctx, plan.image))));
    const resolved = await Promise.all(prepared.map((p, i) => p.ready ?? rt.context.logger.group(`${unique[i].build ? 'build' : 'pull'} ${keyOf(unique[i])}`, p.make)));
    return new Map(unique.map((plan, i) => [keyOf(plan), resolved[i]]));
}
function keyOf(plan) {
    return plan.build ? plan.build.repo : `image ${plan.image}`;
}
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
async function showLogs(rt, steps) {
    for (const step of steps) {
        if (!step.fresh)
            continue;
        const logs = (await rt.engine.containerLogs(step.fresh.id)).trim();
        if (logs)
            rt.context.logger.info(`last output of ${step.plan.service} (${step.fresh.name}):\n  ${logs.split('\n').slice(-20).join('\n  ')}`);
    }
}
/**
 * Puts routes back as they were (new services unrouted, replaced ones dialling their old
 * container, no staging routes) and removes the containers this run created.
 */
async function rollBack(rt, view, steps) {
    const { logger, plan } = rt.context;
    const name = rt.common.name;
    const restore = new Map();
    for (const step of steps) {
        const live = (0, caddy_routes_js_1.routeId)(name, step.plan.service);
        if (step.action === 'create')
            restore.set(live, null);
        if (step.action !== 'replace')
            continue;
        restore.set((0, caddy_routes_js_1.stagingRouteId)(name, step.plan.service), null);
        const oldPort = step.current ? (0, runtime_js_1.publishedPort)(step.current, step.plan.port) : undefined;
        if (oldPort !== undefined)
            restore.set(live, (0, caddy_routes_js_1.liveRoute)(live, step.plan.hosts, dial(rt, oldPort)));
    }
    if (restore.size) {
        try {
            await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, restore, { ensureCatchAll: false });
        }
        catch (error) {
            logger.warn(`roll back: could not restore the Caddy routes of ${name}: ${error.message}`);
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
/** The host port a route dials, from its first upstream. */
function dialedPort(route) {
    const upstreams = route?.handle?.[0]?.upstreams;
    const m = /:(\d+)$/.exec(upstreams?.[0]?.dial ?? '');
    return m ? Number(m[1]) : undefined;
}
async function deployPreview(rt, source) {
    const { plan: runPlan } = rt.context;
    const name = rt.common.name;
    const view = await (0, runtime_js_1.readCaddy)(rt);
    const plans = (0, runtime_js_1.servicePlans)(rt);
    const urls = Object.fromEntries(plans.map((p) => [p.service, (0, caddy_routes_js_1.publicUrl)(p.hosts[0], view.listener)]));
    const url = urls[plans[0].service];
    await (0, runtime_js_1.ensureNetwork)(rt, name);
    const strays = await checkCanonicalNames(rt, plans);
    const images = await resolveImages(rt, plans, source);
    const configured = new Set(plans.map((p) => p.service));
    const decide = (containers) => {
        const steps = plans.map((plan) => {
            const image = images.get(keyOf(plan));
            const mine = containers.filter((c) => (0, runtime_js_1.serviceOf)(c) === plan.service);
            const current = pickCurrent(name, plan.service, mine);
            const base = { plan, image, url: urls[plan.service] };
            const { body, hash } = containerBody(rt, base, urls, name, source.commit);
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
            return { ...base, body, hash, current, others, action, ...(action === 'keep' ? { containerId: current.Id, port } : {}) };
        });
        // Containers of services no longer configured go once the new ones serve.
        return { steps, unconfigured: containers.filter((c) => !configured.has((0, runtime_js_1.serviceOf)(c))) };
    };
    let decided = decide(await rt.engine.listContainers((0, labels_js_1.previewFilter)(name)));
    if (runPlan.dryRun || decided.steps.every((s) => s.action === 'keep'))
        return applySteps(rt, view, decided.steps, decided.unconfigured, source, url);
    // Something changes: one run at a time. A run that waited decides again, since the other run
    // may have deployed this very commit meanwhile.
    const lock = await (0, deploy_lock_js_1.acquireDeployLock)(rt, name);
    try {
        decided = decide(await rt.engine.listContainers((0, labels_js_1.previewFilter)(name)));
        return await applySteps(rt, view, decided.steps, decided.unconfigured, source, url);
    }
    finally {
        await lock.release();
    }
}
async function applySteps(rt, view, steps, unconfigured, source, url) {
    const { logger, plan: runPlan, deadline } = rt.context;
    const name = rt.common.name;
    const changing = steps.filter((s) => s.action === 'create' || s.action === 'replace');
    const token = (0, node_crypto_1.randomBytes)(12).toString('hex');
    const stagingIds = steps.filter((s) => s.action === 'replace').map((s) => (0, caddy_routes_js_1.stagingRouteId)(name, s.plan.service));
    // Keep time to roll back if the new containers never answer.
    const reserve = Math.min(15_000, deadline.remaining() / 4);
    const waitDeadline = new retry_js_1.Deadline(Math.max(1_000, deadline.remaining() - reserve), deadline.clock);
    try {
        // One service's create/start does not wait for another's; plan steps still go in service order.
        await settleAll(steps.map(async (step) => {
            if (step.action === 'start') {
                await runPlan.apply({ kind: 'update', target: `container ${(0, runtime_js_1.nameOf)(step.current)}`, detail: 'start' }, () => rt.engine.startContainer(step.current.Id), undefined);
                step.containerId = step.current.Id;
            }
            if (step.action !== 'create' && step.action !== 'replace')
                return;
            const tempName = `${(0, runtime_js_1.canonicalName)(name, step.plan.service)}-${source.commit.slice(0, 7)}-${(0, node_crypto_1.randomBytes)(3).toString('hex')}`;
            step.containerId = await runPlan.apply({
                kind: step.action === 'create' ? 'create' : 'update',
                target: `container ${(0, runtime_js_1.canonicalName)(name, step.plan.service)}`,
                detail: `${source.commit.slice(0, 7)}${step.action === 'replace' ? ', replacing the running one' : ''}`,
            }, async () => {
                const created = await rt.engine.createContainer(tempName, step.body);
                step.fresh = { id: created, name: tempName, created: Date.now() / 1000 };
                await rt.engine.startContainer(created);
                return created;
            }, `dry-run-${step.plan.service}`);
        }));
        if (!runPlan.dryRun) {
            await settleAll(steps.map(async (step) => {
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
        // New services get their real route at once (nothing served there before); replacements are
        // checked on a staging route only this run's probes can reach.
        const stage = new Map();
        for (const step of changing) {
            const port = step.port ?? 0;
            if (step.action === 'create')
                stage.set((0, caddy_routes_js_1.routeId)(name, step.plan.service), (0, caddy_routes_js_1.liveRoute)((0, caddy_routes_js_1.routeId)(name, step.plan.service), step.plan.hosts, dial(rt, port)));
            else
                stage.set((0, caddy_routes_js_1.stagingRouteId)(name, step.plan.service), (0, caddy_routes_js_1.stagingRoute)((0, caddy_routes_js_1.stagingRouteId)(name, step.plan.service), (0, caddy_routes_js_1.stagingToken)(token, step.plan.service), dial(rt, port)));
        }
        if (stage.size && !runPlan.dryRun)
            await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, stage, { ensureCatchAll: true });
        if (!runPlan.dryRun && changing.length) {
            await logger.group(`wait for ${changing.map((s) => s.plan.service).join(', ')} through Caddy`, () => waitServing(rt, view, changing.map((step) => ({ step, headers: step.action === 'replace' ? { [caddy_routes_js_1.STAGING_HEADER]: (0, caddy_routes_js_1.stagingToken)(token, step.plan.service) } : {} })), waitDeadline));
        }
        // Switch: every service's route to its serving container; staging routes and routes of
        // services no longer configured go away. On a no-op re-run this reads and writes nothing.
        const final = new Map();
        for (const step of steps)
            final.set((0, caddy_routes_js_1.routeId)(name, step.plan.service), (0, caddy_routes_js_1.liveRoute)((0, caddy_routes_js_1.routeId)(name, step.plan.service), step.plan.hosts, dial(rt, step.port ?? 0)));
        for (const id of stagingIds)
            final.set(id, null);
        const pattern = (0, caddy_routes_js_1.previewRoutePattern)(name);
        for (const route of view.config.routes ?? []) {
            const id = route['@id'];
            if (id && pattern.test(id) && !final.has(id))
                final.set(id, null);
        }
        await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), view.server, final, { ensureCatchAll: true });
    }
    catch (error) {
        if (!runPlan.dryRun && changing.length) {
            await showLogs(rt, steps);
            await rollBack(rt, view, steps);
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
            await waitServing(rt, view, unverified.map((step) => ({ step, headers: {} })), deadline);
    }
    await cleanUp(rt, view, steps, unconfigured);
    const imageCtx = { engine: rt.engine, plan: runPlan, logger };
    for (const step of steps) {
        if (!step.plan.build || runPlan.dryRun)
            continue;
        // The image the serving container runs: after a concurrent build of the same commit, the
        // commit's tag may name a twin of it.
        const serving = (step.action === 'keep' || step.action === 'start') && step.current ? { ...step.image, id: step.current.ImageID } : step.image;
        await (0, images_js_1.tagForPreview)(imageCtx, serving, step.plan.build.repo, name);
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
/**
 * Removes what no longer serves: replaced containers, leftovers of crashed runs, services no
 * longer configured. A container the live route dials is never removed, and one newer than ours
 * belongs to a concurrent run that cleans up after itself.
 */
async function cleanUp(rt, view, steps, unconfigured) {
    const { plan } = rt.context;
    const name = rt.common.name;
    let routes = view.config.routes ?? [];
    if (!plan.dryRun && steps.some((s) => s.others.length || s.action === 'replace' || s.fresh)) {
        routes = (await rt.caddy.get((0, caddy_routes_js_1.routesPath)(view.server), 'read Caddy routes')).body ?? [];
    }
    const removals = [];
    const remove = (c, label, detail) => removals.push(plan.apply({ kind: 'delete', target: `container ${label}`, ...(detail ? { detail } : {}) }, () => rt.engine.removeContainer(c.Id), true));
    const renames = [];
    for (const step of steps) {
        const target = dialedPort(routes.find((r) => r['@id'] === (0, caddy_routes_js_1.routeId)(name, step.plan.service)));
        const reference = step.fresh?.created ?? step.current?.Created ?? Number.POSITIVE_INFINITY;
        const candidates = [...(step.action === 'replace' && step.current ? [step.current] : []), ...step.others];
        for (const c of candidates) {
            if (!plan.dryRun && target !== undefined && (0, runtime_js_1.publishedPort)(c, step.plan.port) === target)
                continue;
            if (c.Created > reference + 1)
                continue;
            remove(c, (0, runtime_js_1.nameOf)(c));
        }
        const fresh = step.fresh;
        if (!fresh || plan.dryRun)
            continue;
        if (target !== undefined && target !== step.port) {
            rt.context.logger.warn(`service ${step.plan.service}: another run switched the route meanwhile; removing this run's container`);
            remove({ Id: fresh.id }, fresh.name);
            continue;
        }
        const canonical = (0, runtime_js_1.canonicalName)(name, step.plan.service);
        renames.push(async () => {
            try {
                await plan.apply({ kind: 'update', target: `container ${fresh.name}`, detail: `rename to ${canonical}` }, () => rt.engine.renameContainer(fresh.id, canonical), undefined);
            }
            catch (error) {
                rt.context.logger.warn(`could not rename ${fresh.name} to ${canonical}: ${error.message}`);
            }
        });
    }
    for (const c of unconfigured)
        remove(c, (0, runtime_js_1.nameOf)(c), 'service no longer configured');
    // Renames wait for the removals: the old container still holds the canonical name.
    await settleAll(removals);
    await settleAll(renames.map((rename) => rename()));
}


/***/ }),

/***/ 897:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DockerEngine = exports.API_VERSION = void 0;
exports.endpointFromDockerHost = endpointFromDockerHost;
exports.loggedPath = loggedPath;
exports.demuxLogs = demuxLogs;
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const http_js_1 = __webpack_require__(4488);
const node_http_js_1 = __webpack_require__(1448);
const ssh_tunnel_js_1 = __webpack_require__(7296);
/** Oldest API version with everything we use; Docker 20.10+ and podman 4 serve it. */
exports.API_VERSION = 'v1.41';
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
        return { agent: new ssh_tunnel_js_1.SshAgent(target, options.sshCommand), host: 'docker', port: 80, hostHeader: 'docker', display };
    }
    throw new errors_js_1.ConfigError(`invalid settings: --docker-host: "${dockerHost}" is not supported`, {
        hint: 'use unix:///path/docker.sock, tcp://host:port or ssh://user@host',
    });
}
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
function loggedPath(path, query) {
    const args = query?.buildargs;
    if (typeof args !== 'string')
        return `/${exports.API_VERSION}${path}${queryString(query)}`;
    let names;
    try {
        names = Object.keys(JSON.parse(args));
    }
    catch {
        names = [];
    }
    const masked = JSON.stringify(Object.fromEntries(names.map((n) => [n, '***'])));
    return `/${exports.API_VERSION}${path}${queryString({ ...query, buildargs: masked })}`;
}
/** podman answers 500 for a name already in use; Docker answers 409. Both mean the same. */
function looksLikeConflict(status, message) {
    return status === 409 || (status === 500 && /already in use|already exists|is already connected/i.test(message ?? ''));
}
class DockerEngine {
    stats = new http_js_1.RequestStats();
    endpoint;
    options;
    constructor(options) {
        this.options = options;
        this.endpoint = endpointFromDockerHost(options.dockerHost, options.sshCommand ? { sshCommand: options.sshCommand } : {});
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
            return new errors_js_1.AuthError(`${what}: permission denied on the Docker Engine socket ${this.display}`, {
                hint: 'run as a user allowed to use the socket (e.g. in the docker group)',
            });
        }
        return new errors_js_1.ProviderError(`${what}: Docker Engine unreachable at ${this.display}: ${error.message}`, {
            retryable: true,
            hint: 'start the engine or set --docker-host / DOCKER_HOST',
        });
    }
    fail(status, body, what) {
        const said = (0, http_js_1.errorMessageOf)(body);
        const detail = `${status}${said ? ` ${said}` : ''}`;
        if (status === 401 || status === 403) {
            return new errors_js_1.AuthError(`${what}: the Docker Engine refused access (${detail})`, { hint: 'check the credentials of --docker-host' });
        }
        if (looksLikeConflict(status, said))
            return new errors_js_1.ConflictError(`${what}: conflict (${detail})`, { status: 409 });
        return new errors_js_1.ProviderError(`${what}: the Docker Engine answered ${detail}`, { status, retryable: status === 502 || status === 503 || status === 504 });
    }
    async call(req) {
        const idempotent = req.method === 'GET' || req.method === 'HEAD';
        return (0, retry_js_1.retry)(() => this.once(req), {
            attempts: idempotent ? 3 : 1,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 200,
            what: req.what,
            onRetry: (error, attempt, delay) => this.options.logger.debug(`${req.what}: ${error.message}; attempt ${attempt + 1} in ${delay}ms`),
        });
    }
    async once(req) {
        const path = `/${exports.API_VERSION}${req.path}${queryString(req.query)}`;
        const headers = { accept: 'application/json' };
        let body;
        if (req.body !== undefined) {
            body = JSON.stringify(req.body);
            headers['content-type'] = 'application/json';
        }
        const timeoutMs = this.timeout(req.what);
        this.stats.record(req.method);
        const shown = loggedPath(req.path, req.query);
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
        if ((res.status >= 200 && res.status < 300) || req.allow?.includes(res.status))
            return { status: res.status, body: parsed };
        throw this.fail(res.status, parsed, req.what);
    }
    /**
     * Sends a body (a tar stream for builds) and reads the newline-delimited JSON answer. The engine
     * reports failures inside the stream with HTTP 200, so the last `error` line decides.
     */
    async stream(req, onLine) {
        const path = `/${exports.API_VERSION}${req.path}${queryString(req.query)}`;
        const timeoutMs = this.timeout(req.what);
        this.stats.record(req.method);
        this.options.logger.debug(`docker ${req.method} ${loggedPath(req.path, req.query)} (stream)`);
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
    async inspectNetwork(name) {
        const res = await this.call({ method: 'GET', path: `/networks/${encodeURIComponent(name)}`, allow: [404], what: `look up network ${name}` });
        return res.status === 404 ? undefined : res.body;
    }
    async listNetworks(labels) {
        const res = await this.call({
            method: 'GET',
            path: '/networks',
            query: { filters: JSON.stringify({ label: labels }) },
            what: 'list networks',
        });
        return res.body ?? [];
    }
    async createNetwork(name, labels) {
        const res = await this.call({ method: 'POST', path: '/networks/create', body: { Name: name, Labels: labels, CheckDuplicate: true }, what: `create network ${name}` });
        return res.body.Id;
    }
    async removeNetwork(name) {
        const res = await this.call({ method: 'DELETE', path: `/networks/${encodeURIComponent(name)}`, allow: [404], what: `remove network ${name}` });
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
        await this.call({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start`, allow: [304], what: `start container ${id.slice(0, 12)}` });
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
        const res = await (0, retry_js_1.retry)(() => this.call({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: 1, v: 1 }, allow: [404], what: `remove container ${id.slice(0, 12)}` }), {
            attempts: 6,
            deadline: this.options.deadline,
            initialMs: this.options.backoffMs ?? 200,
            retryIf: (error) => error instanceof errors_js_1.ProviderError && error.status === 500 && /state improper|could not be stopped/i.test(error.message),
        });
        return res.status !== 404;
    }
    /** The last lines a container wrote, for error messages. */
    async containerLogs(id, tail = 20) {
        const path = `/${exports.API_VERSION}/containers/${encodeURIComponent(id)}/logs${queryString({ stdout: 1, stderr: 1, tail })}`;
        try {
            const res = await (0, node_http_js_1.exchange)(this.endpoint, { method: 'GET', path, timeoutMs: Math.min(10_000, Math.max(1, this.options.deadline.remaining())) });
            return res.status === 200 ? demuxLogs(res.body) : '';
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
        await this.call({ method: 'POST', path: `/images/${encodeURIComponent(id)}/tag`, query: { repo, tag }, what: `tag image ${repo}:${tag}` });
    }
    /** Removes one reference; the image itself goes with its last tag. 409 when a container still uses it. */
    async removeImage(ref) {
        const res = await this.call({ method: 'DELETE', path: `/images/${encodeURIComponent(ref)}`, allow: [404, 409], what: `remove image ${ref}` });
        return res.status === 404 ? 'missing' : res.status === 409 ? 'in-use' : 'removed';
    }
    async listVolumes(labels) {
        const res = await this.call({ method: 'GET', path: '/volumes', query: { filters: JSON.stringify({ label: labels }) }, what: 'list volumes' });
        return res.body?.Volumes ?? [];
    }
    async removeVolume(name) {
        const res = await this.call({ method: 'DELETE', path: `/volumes/${encodeURIComponent(name)}`, allow: [404], what: `remove volume ${name}` });
        return res.status !== 404;
    }
}
exports.DockerEngine = DockerEngine;
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
const services_js_1 = __webpack_require__(1711);
const types_js_1 = __webpack_require__(2695);
function runGit(dir, args) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
async function checkDockerfile(dir, commit, build) {
    const file = build.context === '.' ? build.dockerfile : `${build.context}/${build.dockerfile}`;
    const res = await runGit(dir, ['cat-file', '-e', `${commit}:./${file}`]);
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
async function prepareBuiltImage(ctx, build, source, app) {
    const { args, hash, ref } = buildIdentity(build, source.commit, app);
    const existing = await ctx.engine.inspectImage(ref);
    if (existing && existing.Config?.Labels?.[labels_js_1.LABEL.buildHash] === hash && !source.force) {
        ctx.logger.info(`image ${ref.replace(source.commit, source.commit.slice(0, 12))} exists: build skipped`);
        return { ready: { id: existing.Id, ref, built: false, identity: `${ref} ${hash}` } };
    }
    await checkDockerfile(source.dir, source.commit, build);
    return { make: () => ctx.plan.apply({ kind: 'create', target: `image ${build.repo}:${source.commit.slice(0, 12)}`, detail: `build ${build.context === '.' ? '' : `${build.context}/`}${build.dockerfile}` }, async () => {
            const git = (0, node_child_process_1.spawn)('git', ['-C', source.dir, 'archive', '--format=tar', treeish(source.commit, build.context)], { stdio: ['ignore', 'pipe', 'pipe'] });
            let gitError = '';
            git.stderr.on('data', (c) => (gitError += c.toString('utf8')));
            const gitDone = new Promise((resolve) => git.on('close', (code) => resolve(code ?? 1)));
            const tail = [];
            let id;
            const labels = { [labels_js_1.LABEL.managedBy]: types_js_1.OWNER_MARKER, [labels_js_1.LABEL.app]: app, [labels_js_1.LABEL.buildHash]: hash, [labels_js_1.LABEL.commit]: source.commit };
            try {
                await ctx.engine.stream({
                    method: 'POST',
                    path: '/build',
                    query: { t: ref, dockerfile: build.dockerfile, buildargs: JSON.stringify(args), labels: JSON.stringify(labels), rm: 1, forcerm: 1 },
                    headers: { 'content-type': 'application/x-tar' },
                    body: git.stdout,
                    what: `build ${ref}`,
                }, (line) => {
                    if (typeof line.stream === 'string') {
                        for (const text of line.stream.split('\n')) {
                            if (!text.trim())
                                continue;
                            ctx.logger.debug(`build: ${text}`);
                            tail.push(text);
                            if (tail.length > 15)
                                tail.shift();
                        }
                    }
                    const aux = line.aux;
                    if (aux?.ID)
                        id = aux.ID;
                });
            }
            catch (error) {
                const code = await gitDone;
                if (code !== 0)
                    throw new errors_js_1.ProviderError(`build ${ref}: git archive failed: ${gitError.trim() || `exit ${code}`}`);
                if (tail.length)
                    ctx.logger.info(`build output (last lines):\n  ${tail.join('\n  ')}`);
                throw error;
            }
            const code = await gitDone;
            if (code !== 0)
                throw new errors_js_1.ProviderError(`build ${ref}: git archive failed: ${gitError.trim() || `exit ${code}`}`);
            const image = await ctx.engine.inspectImage(ref);
            if (!image)
                throw new errors_js_1.ProviderError(`build ${ref}: the engine reported success but has no image ${ref}${id ? ` (built ${id})` : ''}`);
            return { id: image.Id, ref, built: true, identity: `${ref} ${hash}` };
        }, { id: `sha256:dry-run-${hash}`, ref, built: true, identity: `${ref} ${hash}` }) };
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
 * `stop --remove-images`: the preview's tag, then commit tags no other preview's tag shares, then
 * the app's untagged images (twins left when two runs built one commit at once) no container uses.
 */
async function removePreviewImages(ctx, name, app) {
    const removed = [];
    const images = await ctx.engine.listImages([labels_js_1.OWNED]);
    for (const image of images) {
        const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
        if (tags.length === 0 && image.Labels?.[labels_js_1.LABEL.app] === app) {
            const result = await ctx.plan.apply({ kind: 'delete', target: `image ${image.Id.slice(0, 19)}` }, () => ctx.engine.removeImage(image.Id), 'removed');
            if (result === 'removed')
                removed.push(`image ${image.Id.slice(0, 19)}`);
            continue;
        }
        const mine = tags.filter((t) => t.slice(t.lastIndexOf(':') + 1) === name);
        if (mine.length === 0)
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
exports.previewFilter = previewFilter;
exports.isOurs = isOurs;
exports.canonicalJson = canonicalJson;
exports.hashOf = hashOf;
/**
 * The labels that mark what preview-kit created on the engine, and the hash that tells whether a
 * running container still matches what the current settings ask for.
 */
const node_crypto_1 = __webpack_require__(7598);
const types_js_1 = __webpack_require__(2695);
exports.LABEL = {
    managedBy: 'preview-kit.managed-by',
    name: 'preview-kit.name',
    app: 'preview-kit.app',
    branch: 'preview-kit.branch',
    service: 'preview-kit.service',
    commit: 'preview-kit.commit',
    configHash: 'preview-kit.config-hash',
    buildHash: 'preview-kit.build-hash',
};
exports.OWNED = `${exports.LABEL.managedBy}=${types_js_1.OWNER_MARKER}`;
/** Label filter for everything of one preview. */
function previewFilter(name) {
    return [exports.OWNED, `${exports.LABEL.name}=${name}`];
}
/** Ours means both the marker and the preview's name: images pass their labels on to containers. */
function isOurs(labels, name) {
    return labels?.[exports.LABEL.managedBy] === types_js_1.OWNER_MARKER && labels?.[exports.LABEL.name] === name;
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

/***/ 9263:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.dockerModule = void 0;
const provider_js_1 = __webpack_require__(2654);
const settings_js_1 = __webpack_require__(2390);
exports.dockerModule = {
    id: 'docker',
    description: 'containers on a Docker Engine behind Caddy',
    options: settings_js_1.dockerOptions,
    schema: settings_js_1.dockerSchema,
    // `--domain '{name}.{domain}'` reads like the service host templates of .preview.yml.
    domainValues: (settings) => ({ domain: settings.baseDomain }),
    create: (settings, common, context) => (0, provider_js_1.createDockerProvider)(settings, common, context),
};


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


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DockerProvider = void 0;
exports.createDockerProvider = createDockerProvider;
const caddy_admin_js_1 = __webpack_require__(1030);
const caddy_routes_js_1 = __webpack_require__(859);
const deploy_js_1 = __webpack_require__(3952);
const image_prune_js_1 = __webpack_require__(251);
const engine_js_1 = __webpack_require__(897);
const labels_js_1 = __webpack_require__(9760);
const runtime_js_1 = __webpack_require__(9995);
const teardown_js_1 = __webpack_require__(4707);
class DockerProvider {
    id = 'docker';
    engine;
    caddy;
    rt;
    listenerCache;
    constructor(settings, common, context, internals = {}) {
        this.engine = new engine_js_1.DockerEngine({
            dockerHost: settings.dockerHost,
            logger: context.logger,
            deadline: context.deadline,
            ...(internals.sshCommand ? { sshCommand: internals.sshCommand } : {}),
        });
        this.caddy = new caddy_admin_js_1.CaddyAdmin({ adminUrl: settings.caddyAdmin, logger: context.logger, deadline: context.deadline });
        this.rt = { settings, common, context, engine: this.engine, caddy: this.caddy };
    }
    /** For messages and URLs only: a Caddy that cannot be read gives plain http:// URLs here. */
    async listener() {
        if (!this.listenerCache) {
            try {
                this.listenerCache = (await (0, runtime_js_1.readCaddy)(this.rt)).listener;
            }
            catch (error) {
                this.rt.context.logger.debug(`Caddy not readable for the preview URL: ${error.message}`);
            }
        }
        return this.listenerCache;
    }
    async previewOf(name, network, containers) {
        const branch = network?.Labels?.[labels_js_1.LABEL.branch] ?? containers[0]?.Labels?.[labels_js_1.LABEL.branch];
        const app = network?.Labels?.[labels_js_1.LABEL.app] ?? containers[0]?.Labels?.[labels_js_1.LABEL.app];
        let plans;
        try {
            plans = (0, runtime_js_1.servicePlans)(this.rt, (0, runtime_js_1.identityOf)(this.rt, name, branch));
        }
        catch {
            plans = undefined;
        }
        const listener = await this.listener();
        const urlOf = (host) => (listener ? (0, caddy_routes_js_1.publicUrl)(host, listener) : `http://${host}`);
        const domains = (plans ?? []).flatMap((p) => p.hosts.map((host) => ({ host })));
        const primary = containers.find((c) => (0, runtime_js_1.serviceOf)(c) === plans?.[0]?.service) ?? containers[0];
        const created = [network?.Created, ...containers.map((c) => new Date(c.Created * 1000).toISOString())].filter((d) => !!d).sort()[0];
        const running = containers.length > 0 && containers.every((c) => c.State === 'running');
        return {
            name,
            id: network?.Id ?? primary?.Id ?? name,
            url: plans?.[0]?.hosts[0] ? urlOf(plans[0].hosts[0]) : '',
            domains,
            ...(branch ? { branch } : {}),
            ...(app ? { app } : {}),
            ...(created ? { createdAt: created } : {}),
            ...(primary
                ? {
                    lastDeployment: {
                        id: primary.Id,
                        state: running ? 'ok' : primary.State,
                        ...(primary.Labels?.[labels_js_1.LABEL.commit] ? { commit: primary.Labels[labels_js_1.LABEL.commit] } : {}),
                        createdAt: new Date(primary.Created * 1000).toISOString(),
                    },
                }
                : {}),
            details: {
                network: network?.Name,
                containers: containers.map((c) => ({
                    name: (0, runtime_js_1.nameOf)(c),
                    service: (0, runtime_js_1.serviceOf)(c),
                    state: c.State,
                    commit: c.Labels?.[labels_js_1.LABEL.commit],
                    port: plans?.find((p) => p.service === (0, runtime_js_1.serviceOf)(c)) ? (0, runtime_js_1.publishedPort)(c, plans.find((p) => p.service === (0, runtime_js_1.serviceOf)(c)).port) : undefined,
                })),
            },
        };
    }
    async find(name) {
        const network = await (0, runtime_js_1.ownNetwork)(this.rt, name);
        const containers = await this.engine.listContainers((0, labels_js_1.previewFilter)(name));
        if (!network && containers.length === 0)
            return undefined;
        return this.previewOf(name, network, containers);
    }
    async ensure(spec) {
        // Caddy first: when it is unreachable nothing gets created on the engine.
        this.listenerCache = (await (0, runtime_js_1.readCaddy)(this.rt)).listener;
        const { network, created } = await (0, runtime_js_1.ensureNetwork)(this.rt, spec.name);
        const containers = await this.engine.listContainers((0, labels_js_1.previewFilter)(spec.name));
        const preview = await this.previewOf(spec.name, network, containers);
        return { preview, created, changed: false };
    }
    /** Routes need the containers' ports, so hosts take effect at deploy; here only running services are re-routed. */
    async setDomains(preview, _spec) {
        const view = await (0, runtime_js_1.readCaddy)(this.rt);
        this.listenerCache = view.listener;
        const plans = (0, runtime_js_1.servicePlans)(this.rt);
        const domains = plans.flatMap((p) => p.hosts.map((host) => ({ host })));
        const containers = await this.engine.listContainers((0, labels_js_1.previewFilter)(preview.name));
        const wishes = new Map();
        for (const plan of plans) {
            const c = containers.find((x) => (0, runtime_js_1.serviceOf)(x) === plan.service && x.State === 'running' && (0, runtime_js_1.nameOf)(x) === `${preview.name}-${plan.service}`);
            const port = c ? (0, runtime_js_1.publishedPort)(c, plan.port) : undefined;
            if (port === undefined)
                continue;
            const id = (0, caddy_routes_js_1.routeId)(preview.name, plan.service);
            wishes.set(id, (0, caddy_routes_js_1.liveRoute)(id, plan.hosts, `${this.rt.settings.upstreamHost}:${port}`));
        }
        if (wishes.size === 0)
            return { changed: false, domains };
        const written = await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(this.rt), view.server, wishes, { ensureCatchAll: true });
        return { changed: written.length > 0, domains };
    }
    async deploy(_preview, source) {
        try {
            return await (0, deploy_js_1.deployPreview)(this.rt, source);
        }
        catch (error) {
            await this.dropNewEmptyNetwork();
            throw error;
        }
    }
    /**
     * A first deploy that failed (build error, container that never serves) leaves no preview
     * behind: the network this run created goes again, unless some container already uses it.
     */
    async dropNewEmptyNetwork() {
        const { plan, logger } = this.rt.context;
        const name = this.rt.common.name;
        if (!this.rt.createdNetwork || plan.dryRun)
            return;
        try {
            if ((await this.engine.listContainers((0, labels_js_1.previewFilter)(name))).length > 0)
                return;
            await plan.apply({ kind: 'delete', target: `network ${name}`, detail: 'roll back: the first deploy failed' }, () => this.engine.removeNetwork(name), true);
            this.rt.createdNetwork = false;
        }
        catch (error) {
            logger.warn(`roll back: could not remove network ${name}: ${error.message}`);
        }
    }
    destroy(name) {
        return (0, teardown_js_1.destroyPreview)(this.rt, name);
    }
    /** `prune --ttl`: old images of the project that no container uses (see image-prune.ts). */
    pruneImages(olderThanMs, options) {
        const { plan, logger } = this.rt.context;
        return (0, image_prune_js_1.pruneOldImages)({ engine: this.engine, plan, logger }, olderThanMs, options);
    }
    async list() {
        const networks = await this.engine.listNetworks([labels_js_1.OWNED]);
        const containers = await this.engine.listContainers([labels_js_1.OWNED, labels_js_1.LABEL.name]);
        const names = new Set();
        for (const n of networks)
            if (n.Labels?.[labels_js_1.LABEL.name] && (0, labels_js_1.isOurs)(n.Labels, n.Labels[labels_js_1.LABEL.name]) && n.Name === n.Labels[labels_js_1.LABEL.name])
                names.add(n.Name);
        for (const c of containers)
            if (c.Labels?.[labels_js_1.LABEL.name])
                names.add(c.Labels[labels_js_1.LABEL.name]);
        const previews = [];
        for (const name of [...names].sort()) {
            previews.push(await this.previewOf(name, networks.find((n) => n.Name === name), containers.filter((c) => c.Labels?.[labels_js_1.LABEL.name] === name)));
        }
        return previews;
    }
}
exports.DockerProvider = DockerProvider;
function createDockerProvider(settings, common, context, internals) {
    return new DockerProvider(settings, common, context, internals);
}


/***/ }),

/***/ 9995:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.syncContext = syncContext;
exports.readCaddy = readCaddy;
exports.identityOf = identityOf;
exports.servicePlans = servicePlans;
exports.canonicalName = canonicalName;
exports.serviceOf = serviceOf;
exports.nameOf = nameOf;
exports.publishedPort = publishedPort;
exports.inspectedPort = inspectedPort;
exports.networkLabels = networkLabels;
exports.ownNetwork = ownNetwork;
exports.ensureNetwork = ensureNetwork;
/**
 * What the provider's operations share: settings, the two API clients, and the reads every
 * operation starts with (Caddy's servers, the preview's network and containers).
 */
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
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
function identityOf(rt, name = rt.common.name, branch = rt.common.branch) {
    return { name, app: rt.common.app, ...(branch !== undefined ? { branch } : {}), ...(name === rt.common.name && rt.common.pr !== undefined ? { pr: rt.common.pr } : {}) };
}
function servicePlans(rt, identity = identityOf(rt)) {
    return (0, services_js_1.planServices)(rt.settings, rt.common, identity);
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
function networkLabels(rt, name) {
    return {
        [labels_js_1.LABEL.managedBy]: types_js_1.OWNER_MARKER,
        [labels_js_1.LABEL.name]: name,
        [labels_js_1.LABEL.app]: rt.common.app,
        ...(rt.common.branch ? { [labels_js_1.LABEL.branch]: rt.common.branch } : {}),
    };
}
/** The preview's network, when it is ours. A network of that name without our labels is refused unless adopting. */
async function ownNetwork(rt, name) {
    const net = await rt.engine.inspectNetwork(name);
    if (!net)
        return undefined;
    if ((0, labels_js_1.isOurs)(net.Labels, name))
        return net;
    if (rt.context.adopt) {
        rt.context.logger.warn(`network ${name} lacks preview-kit's labels; using it because of --adopt`);
        return net;
    }
    throw new errors_js_1.SafetyError(`network ${name} exists but was not created by preview-kit`, {
        hint: 'remove or rename it, or pass --adopt to use it',
    });
}
/** Creates the preview's network unless it exists; a concurrent creation by another run is fine. */
async function ensureNetwork(rt, name) {
    const existing = await ownNetwork(rt, name);
    if (existing)
        return { network: existing, created: false };
    const target = `network ${name}`;
    // A dry run already planned it (ensure, then deploy): plan it once.
    if (rt.context.plan.dryRun && rt.context.plan.steps.some((s) => s.kind === 'create' && s.target === target))
        return { network: undefined, created: true };
    try {
        await rt.context.plan.apply({ kind: 'create', target }, () => rt.engine.createNetwork(name, networkLabels(rt, name)), '');
    }
    catch (error) {
        if (!(error instanceof errors_js_1.ProviderError) || (error.status !== 409 && !/already exists/i.test(error.message)))
            throw error;
        rt.context.logger.debug(`network ${name} appeared meanwhile (another run?); checking it`);
        const again = await ownNetwork(rt, name);
        if (!again)
            throw error;
        return { network: again, created: false };
    }
    if (rt.context.plan.dryRun)
        return { network: undefined, created: true };
    rt.createdNetwork = true;
    return { network: await rt.engine.inspectNetwork(name), created: true };
}


/***/ }),

/***/ 1711:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
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
function normalisePath(path) {
    const p = node_path_1.posix.normalize(path).replace(/\/+$/, '');
    return p === '' ? '.' : p;
}
/** Expands `{domain}` first (ours), then the shared placeholders of the core. */
function expandHost(template, id, baseDomain) {
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
 * The first service is the primary one: it gets the `--domain` hosts when given, else its `host`,
 * else `{name}.{domain}`; the others default to `{name}-<service>.{domain}`.
 */
function planServices(settings, common, id) {
    const entries = settings.services ? Object.entries(settings.services) : [['web', {}]];
    const repos = new Map();
    const plans = [];
    entries.forEach(([service, s], index) => {
        const primary = index === 0;
        let templates;
        if (primary && common.domainTemplates.length > 0)
            templates = common.domainTemplates;
        else if (s.host !== undefined)
            templates = Array.isArray(s.host) ? s.host : [s.host];
        else
            templates = [primary ? '{name}.{domain}' : `{name}-${service}.{domain}`];
        const hosts = [...new Set(templates.map((t) => expandHost(t, id, settings.baseDomain)))];
        const command = s.command === undefined ? undefined : Array.isArray(s.command) ? s.command : ['/bin/sh', '-c', s.command];
        const plan = {
            service,
            hosts,
            port: s.port ?? settings.port,
            healthPath: s.healthPath ?? common.healthPath,
            env: { ...common.env, ...(s.env ?? {}) },
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
    constructor(target, command = 'ssh') {
        super({ keepAlive: true, maxSockets: 8 });
        this.target = target;
        this.command = command;
    }
    /** node:http's Agent uses the returned socket directly when one is returned. */
    createConnection() {
        const child = (0, node_child_process_1.spawn)(this.command, sshArguments(this.target), { stdio: ['pipe', 'pipe', 'pipe'] });
        return new ChildProcessSocket(child);
    }
}
exports.SshAgent = SshAgent;


/***/ }),

/***/ 4707:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.destroyPreview = destroyPreview;
const caddy_routes_js_1 = __webpack_require__(859);
const images_js_1 = __webpack_require__(581);
const deploy_lock_js_1 = __webpack_require__(8794);
const labels_js_1 = __webpack_require__(9760);
const runtime_js_1 = __webpack_require__(9995);
const caddy_routes_js_2 = __webpack_require__(859);
async function destroyPreview(rt, name) {
    const { plan, logger } = rt.context;
    const servers = (await rt.caddy.get(caddy_routes_js_2.SERVERS_PATH, 'read the HTTP servers from the Caddy admin API')).body ?? {};
    const pattern = (0, caddy_routes_js_1.previewRoutePattern)(name);
    const routeIds = new Map();
    for (const [server, config] of Object.entries(servers)) {
        const ids = [...new Set((config.routes ?? []).map((r) => r['@id']).filter((id) => !!id && pattern.test(id)))];
        if (ids.length)
            routeIds.set(server, ids);
    }
    const network = await (0, runtime_js_1.ownNetwork)(rt, name);
    const containers = await rt.engine.listContainers((0, labels_js_1.previewFilter)(name));
    const volumes = await rt.engine.listVolumes((0, labels_js_1.previewFilter)(name));
    const lock = await rt.engine.inspectNetwork((0, deploy_lock_js_1.lockName)(name));
    const removed = [];
    for (const [server, ids] of routeIds) {
        const wishes = new Map(ids.map((id) => [id, null]));
        const written = await (0, caddy_routes_js_1.syncRoutes)((0, runtime_js_1.syncContext)(rt), server, wishes, { ensureCatchAll: false });
        removed.push(...[...new Set(written)].map((id) => `route ${id}`));
    }
    const gone = await Promise.allSettled(containers.map((c) => plan.apply({ kind: 'delete', target: `container ${(0, runtime_js_1.nameOf)(c)}` }, () => rt.engine.removeContainer(c.Id), true)));
    gone.forEach((result, i) => {
        if (result.status === 'fulfilled' && result.value)
            removed.push(`container ${(0, runtime_js_1.nameOf)(containers[i])}`);
    });
    const failed = gone.find((r) => r.status === 'rejected');
    if (failed)
        throw failed.reason;
    if (network) {
        const gone = await plan.apply({ kind: 'delete', target: `network ${name}` }, () => rt.engine.removeNetwork(name), true);
        if (gone)
            removed.push(`network ${name}`);
    }
    // A deploy lock left by a run that crashed.
    if (lock && (0, labels_js_1.isOurs)(lock.Labels, name)) {
        const gone = await plan.apply({ kind: 'delete', target: `network ${lock.Name}` }, () => rt.engine.removeNetwork(lock.Name), true);
        if (gone)
            removed.push(`network ${lock.Name}`);
    }
    for (const v of volumes) {
        const gone = await plan.apply({ kind: 'delete', target: `volume ${v.Name}` }, () => rt.engine.removeVolume(v.Name), true);
        if (gone)
            removed.push(`volume ${v.Name}`);
    }
    if (rt.settings.removeImages)
        removed.push(...(await (0, images_js_1.removePreviewImages)({ engine: rt.engine, plan, logger }, name, rt.common.app)));
    return { deleted: removed.length > 0, removed };
}


/***/ }),

/***/ 4488:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.HttpClient = exports.RequestStats = void 0;
exports.errorMessageOf = errorMessageOf;
exports.networkFailure = networkFailure;
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
            throw new errors_js_1.AuthError(`${req.what}: permission denied by ${this.options.label} (${detail})`, { hint: this.options.authHint });
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

/***/ 3144:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KubeClient = exports.ForbiddenError = void 0;
exports.isStatus = isStatus;
/**
 * A small client for the Kubernetes REST API on node:http(s) — node's fetch cannot present a client
 * certificate or trust a private CA per request. It maps the API's `Status` answers to our error
 * types, retries what is safe to retry, applies the command's deadline and counts requests.
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
/** A 403: the account lacks RBAC rights for this call (a 401 is a plain AuthError). */
class ForbiddenError extends errors_js_1.AuthError {
}
exports.ForbiddenError = ForbiddenError;
class KubeClient {
    options;
    stats = new http_js_1.RequestStats();
    agent;
    https;
    base;
    constructor(options) {
        this.options = options;
        const c = options.connection;
        this.base = new URL(c.server);
        this.https = this.base.protocol === 'https:';
        this.agent = this.https
            ? new node_https_1.Agent({
                keepAlive: true,
                ca: c.ca,
                cert: c.cert,
                key: c.key,
                rejectUnauthorized: !c.insecureSkipTlsVerify,
                servername: c.tlsServerName,
            })
            : new node_http_1.Agent({ keepAlive: true });
    }
    get server() {
        return this.options.connection.server;
    }
    /** Releases pooled connections (the CLI exits anyway; tests and library callers want this). */
    close() {
        this.agent.destroy();
    }
    async request(req) {
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
    once(req) {
        const url = new URL(this.base.toString());
        url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${req.path}`;
        for (const [k, v] of Object.entries(req.query ?? {}))
            if (v !== undefined)
                url.searchParams.set(k, v);
        const headers = { accept: 'application/json', 'user-agent': 'preview-kit' };
        const c = this.options.connection;
        if (c.token)
            headers.authorization = `Bearer ${c.token}`;
        else if (c.basic)
            headers.authorization = `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString('base64')}`;
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
        return new Promise((resolvePromise, reject) => {
            const unreachable = (why) => new errors_js_1.ProviderError(`${req.what}: Kubernetes API unreachable at ${url.origin}: ${why}`, {
                retryable: true,
                hint: `check the server in ${c.source} and the network`,
            });
            const r = send(url, { method: req.method, headers, agent: this.agent, timeout }, (res) => {
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
                    reject(this.errorFor(req, status, parsed, res.headers['retry-after']));
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
            return new errors_js_1.AuthError(`${req.what}: the Kubernetes API refused the credentials (${detail})`, {
                hint: `check the token or client certificate from ${c.source}`,
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
/** Hash of the desired object, ignoring the hash annotation itself. */
function desiredHash(object) {
    const annotations = { ...(object.metadata.annotations ?? {}) };
    delete annotations[labels_js_1.HASH_ANNOTATION];
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
    const drift = driftPaths(want, live);
    return { equal: drift.length === 0, drift };
}


/***/ }),

/***/ 70:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.PreviewDatabase = void 0;
exports.databaseName = databaseName;
exports.markerOf = markerOf;
/**
 * A per-preview PostgreSQL database and role on a shared server, through the `pg` client (pure
 * JavaScript: no psql needed on the runner, parameterised lookups, SQLSTATE codes to decide on).
 * Ownership is a comment `preview-kit:<preview>` on the database and the role: anything without it
 * is never altered or dropped unless adopting. Creation is idempotent: catalogue lookups first,
 * and "already exists" from a concurrent run is read as exists, then checked for our marker.
 */
const node_crypto_1 = __webpack_require__(7598);
const errors_js_1 = __webpack_require__(4296);
const types_js_1 = __webpack_require__(2695);
/** Database and role name of a preview: the preview name with `-` as `_`. */
function databaseName(preview) {
    return preview.replace(/-/g, '_');
}
function markerOf(preview) {
    return `${types_js_1.OWNER_MARKER}:${preview}`;
}
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
        if (error instanceof errors_js_1.ProviderError || error instanceof errors_js_1.SafetyError || error instanceof errors_js_1.AuthError)
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
    async read(client, preview) {
        const name = databaseName(preview);
        const db = await client.query(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name]);
        const role = await client.query(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [
            name,
        ]);
        return {
            database: name,
            role: name,
            databaseExists: db.rowCount === 1,
            roleExists: role.rowCount === 1,
            databaseComment: db.rows[0]?.comment ?? undefined,
            roleComment: role.rows[0]?.comment ?? undefined,
        };
    }
    checkOwnership(state, preview) {
        if (this.options.adopt)
            return;
        const marker = markerOf(preview);
        const foreign = [
            state.databaseExists && state.databaseComment !== marker ? `database "${state.database}"` : undefined,
            state.roleExists && state.roleComment !== marker ? `role "${state.database}"` : undefined,
        ].filter(Boolean);
        if (foreign.length) {
            throw new errors_js_1.SafetyError(`PostgreSQL ${foreign.join(' and ')} exists but was not created by preview-kit for ${preview}`, {
                hint: 'rename it, or pass --adopt to take it over',
            });
        }
    }
    /** What exists for the preview, without changing anything. */
    async inspect(preview) {
        return this.withClient(`look up the database of ${preview}`, async (client) => {
            const { databaseComment: _d, roleComment: _r, ...state } = await this.read(client, preview);
            return state;
        });
    }
    /**
     * Creates what is missing. `knownPassword` is the role's password as stored in the preview's
     * Secret: when the role exists and we have it, nothing is written; without it the role gets a new one.
     */
    async ensure(preview, knownPassword) {
        return this.withClient(`create the database of ${preview}`, async (client) => {
            const state = await this.read(client, preview);
            this.checkOwnership(state, preview);
            const name = state.database;
            const ident = client.escapeIdentifier(name);
            const marker = client.escapeLiteral(markerOf(preview));
            let password = knownPassword;
            let created = false;
            let changed = false;
            if (!state.roleExists) {
                password = (0, node_crypto_1.randomBytes)(24).toString('base64url');
                this.options.logger.addSecret(password);
                const pw = password;
                await this.options.plan.apply({ kind: 'create', target: `PostgreSQL role ${name}` }, async () => {
                    try {
                        await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
                    }
                    catch (error) {
                        if (sqlState(error) !== '42710')
                            throw error;
                        // Created meanwhile by a concurrent run: take the password over only if it is ours.
                        const again = await this.read(client, preview);
                        this.checkOwnership({ ...again, roleComment: again.roleComment ?? markerOf(preview) }, preview);
                        await client.query(`ALTER ROLE ${ident} PASSWORD ${client.escapeLiteral(pw)}`);
                    }
                    await client.query(`COMMENT ON ROLE ${ident} IS ${marker}`);
                }, undefined);
                created = true;
                changed = true;
            }
            else if (!password || (this.options.adopt && state.roleComment !== markerOf(preview))) {
                password ??= (0, node_crypto_1.randomBytes)(24).toString('base64url');
                this.options.logger.addSecret(password);
                const pw = password;
                await this.options.plan.apply({ kind: 'update', target: `PostgreSQL role ${name}`, detail: 'new password' }, async () => {
                    await client.query(`ALTER ROLE ${ident} LOGIN PASSWORD ${client.escapeLiteral(pw)}`);
                    await client.query(`COMMENT ON ROLE ${ident} IS ${marker}`);
                }, undefined);
                changed = true;
            }
            if (!state.databaseExists) {
                await this.options.plan.apply({ kind: 'create', target: `PostgreSQL database ${name}` }, async () => {
                    try {
                        // The admin must be able to act as the new role to make it the owner (PostgreSQL 16+).
                        await client.query(`GRANT ${ident} TO CURRENT_USER`).catch(() => undefined);
                        await client.query(`CREATE DATABASE ${ident} OWNER ${ident}`);
                        await client.query(`REVOKE ALL ON DATABASE ${ident} FROM PUBLIC`);
                    }
                    catch (error) {
                        if (sqlState(error) !== '42P04')
                            throw error;
                        const again = await this.read(client, preview);
                        this.checkOwnership({ ...again, databaseComment: again.databaseComment ?? markerOf(preview) }, preview);
                    }
                    await client.query(`COMMENT ON DATABASE ${ident} IS ${marker}`);
                }, undefined);
                created = true;
                changed = true;
            }
            else if (this.options.adopt && state.databaseComment !== markerOf(preview)) {
                await this.options.plan.apply({ kind: 'update', target: `PostgreSQL database ${name}`, detail: 'adopted' }, async () => {
                    await client.query(`ALTER DATABASE ${ident} OWNER TO ${ident}`);
                    await client.query(`COMMENT ON DATABASE ${ident} IS ${marker}`);
                }, undefined);
                changed = true;
            }
            const url = this.appUrl(name, password ?? '');
            this.options.logger.addSecret(url);
            return { database: name, role: name, url, created, changed };
        });
    }
    /** Drops the database (after ending its connections) and the role; false when neither existed. */
    async drop(preview) {
        return this.withClient(`drop the database of ${preview}`, async (client) => {
            const state = await this.read(client, preview);
            if (!state.databaseExists && !state.roleExists)
                return { dropped: false, removed: [] };
            this.checkOwnership(state, preview);
            const ident = client.escapeIdentifier(state.database);
            const removed = [];
            if (state.databaseExists) {
                await this.options.plan.apply({ kind: 'delete', target: `PostgreSQL database ${state.database}` }, async () => {
                    // Connections (the app's, a stuck migration) would make DROP DATABASE fail.
                    await client.query(`ALTER DATABASE ${ident} WITH ALLOW_CONNECTIONS false`).catch(() => undefined);
                    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [state.database]);
                    await client.query(`DROP DATABASE IF EXISTS ${ident}`);
                }, undefined);
                removed.push(`database ${state.database}`);
            }
            if (state.roleExists) {
                await this.options.plan.apply({ kind: 'delete', target: `PostgreSQL role ${state.role}` }, async () => {
                    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`, [state.role]);
                    await client.query(`DROP ROLE IF EXISTS ${ident}`);
                }, undefined);
                removed.push(`role ${state.role}`);
            }
            return { dropped: true, removed };
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
 * account — in that order, as kubectl does. Only static credentials are supported: bearer token
 * (inline or file), client certificate and key, basic auth. Exec and auth-provider plugins are
 * refused with a message, since running arbitrary commands from a CI job's kubeconfig is not ours to do.
 */
const node_fs_1 = __webpack_require__(3024);
const node_os_1 = __webpack_require__(8161);
const node_path_1 = __webpack_require__(6760);
const node_net_1 = __webpack_require__(7030);
const yaml_1 = __webpack_require__(8815);
const errors_js_1 = __webpack_require__(4296);
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
    if (u.exec) {
        const command = str(asEntry(u.exec), 'command') ?? 'a command';
        throw new errors_js_1.ConfigError(`kubeconfig user "${userName}" gets its credentials from an exec plugin (${command}), which preview-kit does not run`, {
            hint: 'give a token with --kube-token / K8S_TOKEN (e.g. from `kubectl create token`), or a kubeconfig with a token or client certificate',
        });
    }
    if (u['auth-provider']) {
        const provider = str(asEntry(u['auth-provider']), 'name') ?? 'an auth provider';
        throw new errors_js_1.ConfigError(`kubeconfig user "${userName}" uses the ${provider} auth-provider plugin, which preview-kit does not support`, {
            hint: 'give a token with --kube-token / K8S_TOKEN, or a kubeconfig with a token or client certificate',
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
                // Credentials come from --kube-token: the kubeconfig user (maybe an exec plugin) is not needed.
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
exports.FIELD_MANAGER = exports.CONFIG_HASH_ANNOTATION = exports.RESTARTED_AT_ANNOTATION = exports.HASH_ANNOTATION = exports.BRANCH_ANNOTATION = exports.COMMIT_ANNOTATION = exports.COMMIT_LABEL = exports.PREVIEW_LABEL = exports.COMPONENT = exports.APP_NAME = exports.INSTANCE = exports.MANAGED_BY = void 0;
exports.ownerLabels = ownerLabels;
exports.previewSelector = previewSelector;
exports.anyPreviewSelector = anyPreviewSelector;
exports.isOurs = isOurs;
exports.shortCommit = shortCommit;
/**
 * The ownership marker on Kubernetes objects: labels (selectable, so teardown and `list` are one
 * label-selector query per type) and annotations (values too long or free-form for labels).
 */
const types_js_1 = __webpack_require__(2695);
exports.MANAGED_BY = 'app.kubernetes.io/managed-by';
exports.INSTANCE = 'app.kubernetes.io/instance';
exports.APP_NAME = 'app.kubernetes.io/name';
exports.COMPONENT = 'app.kubernetes.io/component';
exports.PREVIEW_LABEL = 'preview-kit/name';
/** Optional pod-template label with the first 15 characters of the commit (the AKS nightly setup). */
exports.COMMIT_LABEL = 'preview-kit/commit';
exports.COMMIT_ANNOTATION = 'preview-kit/commit';
exports.BRANCH_ANNOTATION = 'preview-kit/branch';
/** Hash of the object as we last applied it: equal hash + our labels + no drift ⇒ no write. */
exports.HASH_ANNOTATION = 'preview-kit/applied-hash';
/** Set on the pod template by `--force`, kept afterwards so that later runs do not roll again. */
exports.RESTARTED_AT_ANNOTATION = 'preview-kit/restarted-at';
/** Hash of the env/database Secrets the pods read, so that a changed value rolls the pods. */
exports.CONFIG_HASH_ANNOTATION = 'preview-kit/config-hash';
/** Our field manager for server-side apply. */
exports.FIELD_MANAGER = 'preview-kit';
function ownerLabels(name) {
    return { [exports.MANAGED_BY]: types_js_1.OWNER_MARKER, [exports.PREVIEW_LABEL]: name, [exports.INSTANCE]: name };
}
/** Selects every object of one preview. */
function previewSelector(name) {
    return `${exports.MANAGED_BY}=${types_js_1.OWNER_MARKER},${exports.PREVIEW_LABEL}=${name}`;
}
/** Selects every object of every preview. */
function anyPreviewSelector() {
    return `${exports.MANAGED_BY}=${types_js_1.OWNER_MARKER},${exports.PREVIEW_LABEL}`;
}
/** Whether the object carries our marker for this preview. */
function isOurs(object, name) {
    const labels = object.metadata.labels ?? {};
    return labels[exports.MANAGED_BY] === types_js_1.OWNER_MARKER && labels[exports.PREVIEW_LABEL] === name;
}
/** The first 15 characters of a commit, as the nightly setups label their pods. */
function shortCommit(commit) {
    return commit.slice(0, 15);
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
            labels: { ...(object.metadata.labels ?? {}), ...(0, labels_js_1.ownerLabels)(ctx.name) },
            annotations: { ...(object.metadata.annotations ?? {}) },
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

/***/ 4423:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.kubernetesModule = void 0;
const provider_js_1 = __webpack_require__(294);
const settings_js_1 = __webpack_require__(9230);
exports.kubernetesModule = {
    id: 'kubernetes',
    description: 'Deployments, Services and Ingresses applied with server-side apply (kubeconfig or in-cluster)',
    options: settings_js_1.kubernetesOptions,
    schema: settings_js_1.kubernetesSchema,
    create: (settings, common, context) => new provider_js_1.KubernetesProvider(settings, common, context),
};


/***/ }),

/***/ 2343:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ObjectStore = void 0;
exports.describeObject = describeObject;
exports.pathOf = pathOf;
/**
 * Applying one desired object: look, refuse what is not ours, skip what is already as wanted, else
 * server-side apply as `preview-kit`. This is where "a no-op rerun makes no write" is decided.
 */
const errors_js_1 = __webpack_require__(4296);
const retry_js_1 = __webpack_require__(7253);
const compare_js_1 = __webpack_require__(672);
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
    /** Refuses an object that has the name but not our marker (unless adopting). */
    checkOwnership(live, preview) {
        if ((0, labels_js_1.isOurs)(live, preview) || this.o.adopt)
            return;
        const labels = live.metadata.labels ?? {};
        const whose = labels['preview-kit/name'] ? `preview-kit preview "${labels['preview-kit/name']}"` : 'someone else';
        throw new errors_js_1.SafetyError(`${describeObject(live)} exists but belongs to ${whose} (no preview-kit label for ${preview})`, {
            hint: 'remove or rename it, or pass --adopt to take it over',
        });
    }
    /** Server-side applies the object unless the live one already matches; see compare.ts. */
    /** Reads the live objects and refuses the whole set before any write if one is not ours. */
    async preflight(objects, preview) {
        const lives = [];
        for (const object of objects) {
            const live = await this.o.client.get(pathOf(object), `read ${describeObject(object)}`);
            if (live && !live.metadata.deletionTimestamp)
                this.checkOwnership(live, preview);
            lives.push(live);
        }
        return lives;
    }
    async apply(desired, preview, known) {
        const target = (0, render_js_1.withHash)(desired);
        const path = pathOf(target);
        const what = describeObject(target);
        let live = known ? known.live : await this.o.client.get(path, `read ${what}`);
        if (live?.metadata.deletionTimestamp) {
            // Still being torn down by an earlier stop: wait for it to go, then create it anew.
            await this.waitGone(target);
            live = undefined;
        }
        if (live) {
            this.checkOwnership(live, preview);
            const { equal, drift } = (0, compare_js_1.upToDate)(target, live);
            if (equal && (0, labels_js_1.isOurs)(live, preview))
                return { action: 'unchanged', object: live, before: live };
            if (drift.length)
                this.o.logger.info(`${what} was changed outside preview-kit (${drift.slice(0, 3).join(', ')}); restoring it`);
            await this.prepareStrategySwitch(target, live, path, what);
            if (!(0, labels_js_1.isOurs)(live, preview))
                await this.takeOver(target, live, path, what);
        }
        const applied = await this.o.plan.apply({ kind: live ? 'update' : 'create', target: what }, () => this.o.client.apply(path, target, `apply ${what}`, true), target);
        return { action: live ? 'updated' : 'created', object: { ...applied, apiVersion: target.apiVersion, kind: target.kind }, before: live };
    }
    /**
     * Adopting: apply alone would keep the previous owner's fields next to ours (a Service selector
     * with their label and ours selects nothing), so the object is first replaced by ours, keeping
     * what the cluster assigned (a Service's cluster IP).
     */
    async takeOver(target, live, path, what) {
        const replacement = { ...target, metadata: { ...target.metadata, resourceVersion: live.metadata.resourceVersion } };
        const liveSpec = live.spec;
        if (target.kind === 'Service' && liveSpec) {
            replacement.spec = { ...target.spec, clusterIP: liveSpec.clusterIP, clusterIPs: liveSpec.clusterIPs };
        }
        await this.o.plan.apply({ kind: 'update', target: what, detail: 'adopted: replaced by ours' }, () => this.o.client.replace(path, replacement, `adopt ${what}`), undefined);
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
        }, { deadline: this.o.deadline, what: `the preview's objects to be deleted`, initialMs: this.o.pollInitialMs, maxMs: this.o.pollMaxMs });
    }
}
exports.ObjectStore = ObjectStore;


/***/ }),

/***/ 294:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.KubernetesProvider = void 0;
/**
 * The Kubernetes provider. A preview is a set of labelled objects in a namespace (or its own
 * namespace): `ensure` applies the Secrets, Service and the database, `setDomains` the Ingress,
 * `deploy` the workloads — with the commit on the pod template so that an unchanged image tag still
 * rolls out — and then waits for the rollout as `kubectl rollout status` would.
 */
const errors_js_1 = __webpack_require__(4296);
const naming_js_1 = __webpack_require__(2607);
const retry_js_1 = __webpack_require__(7253);
const client_js_1 = __webpack_require__(3144);
const kubeconfig_js_1 = __webpack_require__(8876);
const database_js_1 = __webpack_require__(70);
const labels_js_1 = __webpack_require__(568);
const manifests_js_1 = __webpack_require__(8209);
const objects_js_1 = __webpack_require__(2343);
const render_js_1 = __webpack_require__(9839);
const resources_js_1 = __webpack_require__(6258);
const rollout_js_1 = __webpack_require__(302);
const TYPE = (kind) => resources_js_1.RESOURCE_TYPES.find((t) => t.kind === kind);
class KubernetesProvider {
    settings;
    common;
    context;
    tuning;
    id = 'kubernetes';
    connectionValue;
    clientValue;
    storeValue;
    databaseValue;
    pollInitialMs;
    pollMaxMs;
    warnedPods = false;
    /** Env given to `ensure` in this process, else the common settings' env (a lone `deploy`). */
    env;
    constructor(settings, common, context, tuning = {}) {
        this.settings = settings;
        this.common = common;
        this.context = context;
        this.tuning = tuning;
        this.pollInitialMs = tuning.pollInitialMs ?? 500;
        this.pollMaxMs = tuning.pollMaxMs ?? 5_000;
        this.env = common.env;
        context.logger.addSecret(settings.token);
        if (settings.databaseUrl)
            context.logger.addSecret(settings.databaseUrl);
    }
    /** Requests made so far, by method (benchmarks, --debug). */
    get stats() {
        return this.clientValue?.stats;
    }
    close() {
        this.clientValue?.close();
    }
    get connection() {
        if (!this.connectionValue) {
            this.connectionValue = (0, kubeconfig_js_1.resolveConnection)(this.settings, this.tuning.files ?? kubeconfig_js_1.nodeFiles);
            this.context.logger.addSecret(this.connectionValue.token);
            this.context.logger.addSecret(this.connectionValue.basic?.password);
            this.context.logger.addSecret(this.connectionValue.key?.toString('utf8'));
            this.context.logger.debug(`Kubernetes API ${this.connectionValue.server} from ${this.connectionValue.source}`);
        }
        return this.connectionValue;
    }
    get client() {
        this.clientValue ??= new client_js_1.KubeClient({
            connection: this.connection,
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
            adopt: this.context.adopt,
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
    namespaceOf(name) {
        if (this.settings.namespacePerPreview)
            return name;
        return this.settings.namespace ?? this.connection.namespace ?? 'default';
    }
    renderContext(name, extra = {}) {
        return {
            name,
            app: this.common.app,
            branch: this.common.branch,
            namespace: this.namespaceOf(name),
            env: this.env,
            domains: this.common.domains,
            configHash: '',
            ...extra,
        };
    }
    render(ctx) {
        if (this.settings.manifests) {
            const objects = (0, manifests_js_1.renderFromManifests)((0, manifests_js_1.readManifests)(this.settings.manifests), ctx, this.settings);
            const extra = [];
            if (this.settings.namespacePerPreview)
                extra.push((0, render_js_1.renderFromSettings)({ ...ctx, commit: undefined, domains: [] }, this.settings)[0]);
            extra.push((0, render_js_1.secretObject)(ctx, (0, render_js_1.envSecretName)(ctx.name), ctx.env, 'env'));
            return [...extra, ...objects];
        }
        return (0, render_js_1.renderFromSettings)(ctx, this.settings);
    }
    phaseOf(object) {
        return (0, resources_js_1.resourceType)(object.apiVersion, object.kind).phase;
    }
    /** Kinds a preview of this configuration may hold, for find/status. */
    kindsToFind(ctx) {
        const kinds = new Set(['Secret', 'Service', 'Ingress', 'Deployment']);
        if (this.settings.manifests) {
            try {
                for (const o of this.render({ ...ctx, commit: ctx.commit ?? 'find' }))
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
    async find(name) {
        const ctx = this.renderContext(name);
        if (this.settings.namespacePerPreview) {
            const ns = await this.store.get(TYPE('Namespace'), undefined, ctx.namespace);
            if (!ns || !(0, labels_js_1.isOurs)(ns, name))
                return undefined;
        }
        const objects = [];
        for (const type of this.kindsToFind(ctx))
            objects.push(...(await this.store.list(type, ctx.namespace, (0, labels_js_1.previewSelector)(name))));
        if (!objects.length)
            return undefined;
        return this.previewFrom(name, ctx.namespace, objects);
    }
    previewFrom(name, namespace, objects) {
        const ingresses = objects.filter((o) => o.kind === 'Ingress');
        const domains = [];
        for (const ingress of ingresses) {
            const spec = (ingress.spec ?? {});
            for (const rule of spec.rules ?? [])
                if (rule.host && !domains.some((d) => d.host === rule.host))
                    domains.push({ host: rule.host });
        }
        const service = objects.find((o) => o.kind === 'Service');
        // https even without a tls block: ingress controllers commonly serve a wildcard certificate.
        const url = domains[0]
            ? (0, naming_js_1.urlOf)(domains[0].host)
            : this.common.domains[0]
                ? (0, naming_js_1.urlOf)(this.common.domains[0])
                : service
                    ? `http://${service.metadata.name}.${namespace}.svc.cluster.local`
                    : '';
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
        const branch = objects.map((o) => o.metadata.annotations?.[labels_js_1.BRANCH_ANNOTATION]).find((b) => b);
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
            branch,
            createdAt: created,
            details: {
                namespace,
                objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
                rollouts,
                commit,
            },
        };
    }
    /** Applies the objects in table order (Namespace first); returns what happened to each. */
    async applyAll(objects, name) {
        const order = (o) => resources_js_1.RESOURCE_TYPES.findIndex((t) => t.kind === o.kind && t.apiVersion === o.apiVersion);
        const sorted = [...objects].sort((a, b) => order(a) - order(b));
        const lives = await this.store.preflight(sorted, name);
        const outcomes = [];
        for (const [i, object] of sorted.entries()) {
            const outcome = await this.store.apply(object, name, { live: lives[i] });
            // A dry run applied nothing: the plan reports what would happen, this line would claim it did.
            if (outcome.action !== 'unchanged' && !this.context.plan.dryRun)
                this.context.logger.info(`${outcome.action} ${(0, objects_js_1.describeObject)(object)}`);
            outcomes.push(outcome);
        }
        return outcomes;
    }
    /** The database Secret's desired content: ensures the database when `ensure` is true, else reads the live Secret. */
    async databaseSecret(ctx, ensure) {
        const db = this.database;
        if (!db)
            return { created: false, changed: false };
        const secretName = (0, render_js_1.databaseSecretName)(ctx.name);
        const live = await this.store.get(TYPE('Secret'), ctx.namespace, secretName);
        if (live)
            this.store.checkOwnership(live, ctx.name);
        const stored = live?.data?.[this.settings.databaseEnv];
        const storedUrl = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
        this.context.logger.addSecret(storedUrl);
        if (!ensure) {
            return { secret: live ? (0, render_js_1.secretObject)(ctx, secretName, { [this.settings.databaseEnv]: storedUrl ?? '' }, 'database') : undefined, created: false, changed: false };
        }
        const ensured = await db.ensure(ctx.name, database_js_1.PreviewDatabase.passwordOf(storedUrl));
        return {
            secret: (0, render_js_1.secretObject)(ctx, secretName, { [this.settings.databaseEnv]: ensured.url }, 'database'),
            created: ensured.created,
            changed: ensured.changed,
        };
    }
    async ensure(spec) {
        this.env = spec.env;
        const base = this.renderContext(spec.name, { env: spec.env, domains: spec.domains });
        // Render the workloads too, with a stand-in commit: a missing --image or a bad template is a
        // usage error to report before anything is created, not after the Service already exists.
        this.render({ ...base, commit: '0'.repeat(40), configHash: '', databaseSecret: this.database ? (0, render_js_1.databaseSecretName)(spec.name) : undefined });
        const objects = this.render(base).filter((o) => this.phaseOf(o) === 'ensure');
        // Refuse foreign objects before the database is touched, not after.
        if (this.database)
            await this.store.preflight(objects, spec.name);
        // The namespace must exist before the database Secret is read in it.
        const namespace = objects.filter((o) => o.kind === 'Namespace');
        const outcomes = await this.applyAll(namespace, spec.name);
        const db = await this.databaseSecret(base, true);
        if (db.secret)
            objects.push(db.secret);
        outcomes.push(...(await this.applyAll(objects.filter((o) => o.kind !== 'Namespace'), spec.name)));
        const created = outcomes.every((o) => o.action === 'created');
        const changed = db.changed || outcomes.some((o) => o.action !== 'unchanged');
        const preview = this.previewFrom(spec.name, base.namespace, outcomes.map((o) => o.object));
        return { preview, created, changed };
    }
    async setDomains(preview, spec) {
        const ctx = this.renderContext(preview.name, { env: spec.env, domains: spec.domains });
        let ingresses = this.render(ctx).filter((o) => this.phaseOf(o) === 'routes');
        if (this.settings.manifests && !ingresses.length && spec.domains.length) {
            const services = this.render(ctx).filter((o) => o.kind === 'Service');
            const port = (services[0]?.spec?.ports ?? [])[0]?.port;
            if (services.length === 1 && port)
                ingresses = [(0, render_js_1.ingressObject)(ctx, this.settings, services[0].metadata.name, port)];
            else
                this.context.logger.warn('--domain is set but the manifests hold no Ingress and not exactly one Service: no route made');
        }
        const outcomes = await this.applyAll(ingresses, preview.name);
        let changed = outcomes.some((o) => o.action !== 'unchanged');
        // Domains removed from the settings: our Ingresses that are no longer wanted go.
        const wanted = new Set(ingresses.map((i) => i.metadata.name));
        const live = await this.store.list(TYPE('Ingress'), ctx.namespace, (0, labels_js_1.previewSelector)(preview.name));
        for (const ingress of live.filter((i) => !wanted.has(i.metadata.name))) {
            await this.store.delete(ingress);
            if (!this.context.plan.dryRun)
                await this.store.waitGone(ingress);
            changed = true;
        }
        return { changed, domains: spec.domains.map((host) => ({ host })) };
    }
    async deploy(preview, source) {
        const name = preview.name;
        const namespace = this.namespaceOf(name);
        const envSecret = (0, render_js_1.secretObject)(this.renderContext(name), (0, render_js_1.envSecretName)(name), this.env, 'env');
        const db = await this.databaseSecret(this.renderContext(name), false);
        const configHash = (0, render_js_1.configHashOf)([envSecret, ...(db.secret ? [db.secret] : [])]);
        const probe = this.render(this.renderContext(name, { commit: source.commit, configHash, databaseSecret: db.secret ? (0, render_js_1.databaseSecretName)(name) : undefined }));
        const workloads = probe.filter((o) => this.phaseOf(o) === 'deploy');
        if (!workloads.length)
            throw new errors_js_1.ProviderError(`deploy ${name}: nothing to deploy`, { hint: 'the manifests hold no Deployment or other workload' });
        // Keep the restart marker of the live pods unless --force asks for a new one.
        const deployments = workloads.filter((o) => o.kind === 'Deployment');
        const live = new Map();
        for (const d of deployments)
            live.set(d.metadata.name, await this.store.get(TYPE('Deployment'), namespace, d.metadata.name));
        const liveTemplate = (d) => d?.spec?.template?.metadata?.annotations ?? {};
        const first = live.get(deployments[0]?.metadata.name ?? '');
        const sameCommit = deployments.length > 0 && [...live.values()].every((d) => liveTemplate(d)[labels_js_1.COMMIT_ANNOTATION] === source.commit);
        let restartedAt = liveTemplate(first)[labels_js_1.RESTARTED_AT_ANNOTATION];
        if (source.force && sameCommit)
            restartedAt = new Date().toISOString();
        const ctx = this.renderContext(name, {
            commit: source.commit,
            configHash,
            restartedAt,
            databaseSecret: db.secret ? (0, render_js_1.databaseSecretName)(name) : undefined,
        });
        const objects = this.render(ctx).filter((o) => this.phaseOf(o) === 'deploy');
        const outcomes = await this.applyAll(objects, name);
        const wrote = outcomes.some((o) => o.action !== 'unchanged');
        const url = preview.url || this.previewFrom(name, namespace, []).url;
        const short = source.commit.slice(0, 12);
        if (this.context.plan.dryRun) {
            return { deployed: wrote, url, reason: wrote ? undefined : `commit ${short} already live` };
        }
        const statuses = [];
        for (const o of outcomes.filter((x) => x.object.kind === 'Deployment')) {
            statuses.push(await this.waitForRollout(o.object, source.commit));
        }
        const state = statuses.every((s) => s.state === 'complete') ? 'ok' : 'running';
        const deployment = { id: `${namespace}/${deployments[0]?.metadata.name ?? name}`, state, commit: source.commit };
        if (!wrote)
            return { deployed: false, url, reason: `commit ${short} already live`, deployment };
        return { deployed: true, url, deployment };
    }
    /** Polls the Deployment until `kubectl rollout status` would say done; fails fast on pods that cannot start. */
    async waitForRollout(deployment, commit) {
        const namespace = deployment.metadata.namespace;
        const name = deployment.metadata.name;
        const what = `rollout of Deployment ${namespace}/${name}`;
        const selector = this.podSelector(deployment);
        let fatalPolls = 0;
        // What the pods said at the last look: once the deadline has passed no request can be made.
        let lastPods = '';
        try {
            return await (0, retry_js_1.poll)(async () => {
                const live = await this.store.get(TYPE('Deployment'), namespace, name);
                if (!live)
                    throw new errors_js_1.ProviderError(`${what}: the Deployment disappeared`, { hint: 'another job may have stopped this preview; run up again to recreate it' });
                const status = (0, rollout_js_1.deploymentRollout)(live);
                this.context.logger.progress(`${name}: ${status.message}`);
                if (status.state === 'complete')
                    return status;
                if (status.state === 'failed')
                    throw await this.rolloutFailure(what, status.message, namespace, selector, commit);
                if (status.message.includes('spec update'))
                    return undefined;
                // Old pods may still be available while the new ones cannot start: look at the pods.
                const pods = await this.listPods(namespace, selector);
                lastPods = (0, rollout_js_1.describeProblems)((0, rollout_js_1.notReadyPods)(pods, commit));
                if (this.settings.rolloutFailFast && status.updated > 0) {
                    const problems = (0, rollout_js_1.podProblems)(pods, commit).filter((p) => p.current && rollout_js_1.FATAL_WAITING_REASONS.has(p.reason));
                    // Seen twice in a row: a pull retry or a single crash is not yet a verdict.
                    fatalPolls = problems.length ? fatalPolls + 1 : 0;
                    if (fatalPolls >= 2)
                        throw new errors_js_1.ProviderError(`${what} failed: ${(0, rollout_js_1.describeProblems)(problems)}`, { hint: 'check the image and the app logs (kubectl logs)' });
                }
                return undefined;
            }, { deadline: this.context.deadline, what, initialMs: this.pollInitialMs, maxMs: this.pollMaxMs });
        }
        catch (error) {
            if (error instanceof errors_js_1.TimeoutError) {
                const problems = lastPods || (await this.currentProblems(namespace, selector, commit).catch(() => ''));
                throw new errors_js_1.TimeoutError(`${error.message}${problems ? `: ${problems}` : ''}`, {
                    hint: problems ? 'check the image, the readiness probe and the app logs (kubectl describe pod / kubectl logs), or raise --timeout' : error.hint,
                });
            }
            throw error;
        }
    }
    /** The pods, or none when the account may not list them: the Deployment's status still decides. */
    async listPods(namespace, selector) {
        try {
            return await this.store.list(resources_js_1.DERIVED_TYPES[1], namespace, selector);
        }
        catch (error) {
            if (!(error instanceof client_js_1.ForbiddenError))
                throw error;
            if (!this.warnedPods)
                this.context.logger.warn(`cannot list pods in ${namespace} (forbidden): a failing rollout will be seen only at its progress deadline, without the pods' reasons`);
            this.warnedPods = true;
            return [];
        }
    }
    podSelector(deployment) {
        const matchLabels = deployment.spec?.selector?.matchLabels ?? {};
        return Object.entries(matchLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
    }
    async currentProblems(namespace, selector, commit) {
        const problems = (0, rollout_js_1.podProblems)(await this.listPods(namespace, selector), commit);
        return (0, rollout_js_1.describeProblems)(problems.filter((p) => p.current).length ? problems.filter((p) => p.current) : problems);
    }
    async rolloutFailure(what, message, namespace, selector, commit) {
        const problems = await this.currentProblems(namespace, selector, commit);
        return new errors_js_1.ProviderError(`${what} failed: ${message}${problems ? `: ${problems}` : ''}`, { hint: 'check the image and the app logs (kubectl logs)' });
    }
    async destroy(name) {
        const namespace = this.namespaceOf(name);
        const removed = [];
        const selector = (0, labels_js_1.previewSelector)(name);
        if (this.settings.namespacePerPreview) {
            const ns = await this.store.get(TYPE('Namespace'), undefined, namespace);
            if (ns) {
                this.store.checkOwnership(ns, name);
                if (await this.store.delete(ns))
                    removed.push(`namespace ${namespace}`);
                if (!this.context.plan.dryRun)
                    await this.store.waitGone(ns);
            }
        }
        else {
            const types = [...resources_js_1.RESOURCE_TYPES.filter((t) => t.namespaced), ...resources_js_1.DERIVED_TYPES];
            const found = [];
            const unchecked = [];
            // Kinds these settings make must be listed; other kinds are looked at in case older settings
            // made them, but a deployer role without rights on them (or a cluster without the API) must
            // not make every stop fail.
            const expected = new Set(this.kindsToFind(this.renderContext(name)).map((t) => t.kind));
            // Workloads first, so their pods stop before the Secrets and Service they use go.
            for (const type of [...types].reverse()) {
                let items;
                try {
                    items = await this.store.list(type, namespace, selector);
                }
                catch (error) {
                    const unserved = error instanceof errors_js_1.ProviderError && error.status === 404;
                    if (expected.has(type.kind) || !(error instanceof client_js_1.ForbiddenError || unserved))
                        throw error;
                    unchecked.push(type);
                    continue;
                }
                if (!items.length)
                    continue;
                found.push(type);
                for (const item of items) {
                    if (item.metadata.deletionTimestamp)
                        continue;
                    if (resources_js_1.DERIVED_TYPES.includes(type) && item.metadata.ownerReferences)
                        continue; // goes with its owner
                    await this.store.delete(item);
                    removed.push(`${item.kind.toLowerCase()} ${namespace}/${item.metadata.name}`);
                }
            }
            if (unchecked.length) {
                this.context.logger.warn(`stop ${name}: could not look for ${unchecked.map((t) => t.plural).join(', ')} in ${namespace} (forbidden or not served); these settings make none of them`);
            }
            if (found.length && !this.context.plan.dryRun)
                await this.store.waitNoneLeft(types.filter((t) => !unchecked.includes(t)), namespace, selector);
        }
        const db = this.database;
        if (db) {
            const dropped = await db.drop(name);
            removed.push(...dropped.removed.map((r) => `PostgreSQL ${r}`));
        }
        return { deleted: removed.length > 0, removed };
    }
    async list() {
        const selector = (0, labels_js_1.anyPreviewSelector)();
        if (this.settings.namespacePerPreview) {
            const namespaces = await this.store.list(TYPE('Namespace'), undefined, selector);
            return namespaces.map((ns) => this.previewFrom(ns.metadata.labels[labels_js_1.PREVIEW_LABEL], ns.metadata.name, [ns]));
        }
        const namespace = this.namespaceOf('');
        const byName = new Map();
        for (const kind of ['Secret', 'Service', 'Ingress', 'Deployment']) {
            for (const object of await this.store.list(TYPE(kind), namespace, selector)) {
                const name = object.metadata.labels?.[labels_js_1.PREVIEW_LABEL];
                if (!name)
                    continue;
                byName.set(name, [...(byName.get(name) ?? []), object]);
            }
        }
        return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, objects]) => this.previewFrom(name, namespace, objects));
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
    const annotations = {};
    if (ctx.branch)
        annotations[labels_js_1.BRANCH_ANNOTATION] = ctx.branch;
    return {
        name,
        namespace: ctx.namespace,
        labels: { ...(0, labels_js_1.ownerLabels)(ctx.name), [labels_js_1.APP_NAME]: (0, naming_js_1.slugify)(ctx.app) || ctx.name, ...extraLabels },
        annotations,
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
    const labels = { ...(0, labels_js_1.ownerLabels)(ctx.name) };
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
exports.DERIVED_TYPES = exports.RESOURCE_TYPES = void 0;
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
function resourceType(apiVersion, kind) {
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
/** Collection path (namespace given) or item path (name given). */
function resourcePath(type, namespace, name) {
    let path = groupPath(type.apiVersion);
    if (type.namespaced) {
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
    const { kubernetesServiceHost, kubernetesServicePort, serviceAccountDir, ...rest } = raw;
    const settings = { ...rest };
    if (kubernetesServiceHost && kubernetesServicePort) {
        settings.inCluster = { host: kubernetesServiceHost, port: kubernetesServicePort, serviceAccountDir };
    }
    return settings;
});


/***/ }),

/***/ 3307:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.providerModules = void 0;
exports.providerModule = providerModule;
exports.createProvider = createProvider;
/**
 * The provider factory: one line per platform. Adding a provider touches its folder and this list.
 */
const errors_js_1 = __webpack_require__(4296);
const module_js_1 = __webpack_require__(6714);
const module_js_2 = __webpack_require__(4200);
const module_js_3 = __webpack_require__(9263);
const module_js_4 = __webpack_require__(4423);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
exports.providerModules = [module_js_1.cleverCloudModule, module_js_3.dockerModule, module_js_4.kubernetesModule, module_js_2.convoxModule];
function providerModule(id) {
    const module = exports.providerModules.find((m) => m.id === id);
    if (!module) {
        throw new errors_js_1.ConfigError(`invalid settings: provider "${id}" is not available in this version`, {
            hint: `available: ${exports.providerModules.map((m) => m.id).join(', ')}`,
        });
    }
    return module;
}
function createProvider(id, settings, common, context) {
    return providerModule(id).create(settings, common, context);
}


/***/ }),

/***/ 2695:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.OWNER_MARKER = void 0;
/** Label/tag value that marks a resource as created and owned by preview-kit. */
exports.OWNER_MARKER = 'preview-kit';


/***/ })

};
