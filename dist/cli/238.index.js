export const id = 238;
export const ids = [238];
export const modules = {

/***/ 5746:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GitHubCallError = void 0;
exports.createGitHubApi = createGitHubApi;
/** A failed GitHub call, with what the caller needs to decide "warn and go on". */
class GitHubCallError extends Error {
    call;
    status;
    reason;
    constructor(call, status, reason) {
        super(`${call}: ${status ? `HTTP ${status}: ` : ''}${reason}`);
        this.call = call;
        this.status = status;
        this.reason = reason;
    }
    /** The token may not do this (GitHub answers 403, or 404 to hide what it cannot see). */
    get denied() {
        return this.status === 401 || this.status === 403 || this.status === 404;
    }
}
exports.GitHubCallError = GitHubCallError;
function reasonOf(error) {
    const data = error.response?.data;
    if (data && typeof data === 'object' && typeof data.message === 'string')
        return data.message;
    return error.message?.split('\n')[0] ?? String(error);
}
async function call(name, fn) {
    try {
        return await fn();
    }
    catch (error) {
        const e = error;
        throw new GitHubCallError(name, typeof e.status === 'number' ? e.status : undefined, reasonOf(e));
    }
}
async function createGitHubApi(options) {
    const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(228)]).then(__webpack_require__.t.bind(__webpack_require__, 3228, 23));
    const { logger, repo } = options;
    const octokit = getOctokit(options.token, {
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        log: { debug: (m) => logger.debug(`github: ${m}`), info: (m) => logger.debug(`github: ${m}`), warn: (m) => logger.debug(`github: ${m}`), error: (m) => logger.debug(`github: ${m}`) },
    });
    const rest = octokit.rest;
    return {
        listComments: (issue) => call('list pull request comments', async () => {
            const all = await octokit.paginate(rest.issues.listComments, { ...repo, issue_number: issue, per_page: 100 });
            return all.map((c) => ({ id: c.id, body: c.body ?? '', createdAt: c.created_at }));
        }),
        createComment: (issue, body) => call('create pull request comment', async () => {
            const { data } = await rest.issues.createComment({ ...repo, issue_number: issue, body });
            return { id: data.id, body: data.body ?? '', createdAt: data.created_at };
        }),
        updateComment: (id, body) => call('update pull request comment', async () => {
            await rest.issues.updateComment({ ...repo, comment_id: id, body });
        }),
        deleteComment: (id) => call('delete duplicate pull request comment', async () => {
            await rest.issues.deleteComment({ ...repo, comment_id: id });
        }),
        listDeployments: (environment) => call('list deployments', async () => {
            const all = await octokit.paginate(rest.repos.listDeployments, { ...repo, environment, per_page: 100 });
            return all.map((d) => ({ id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at }));
        }),
        createDeployment: (deployment) => call('create deployment', async () => {
            const response = await rest.repos.createDeployment({
                ...repo,
                ref: deployment.ref,
                environment: deployment.environment,
                description: deployment.description,
                task: 'deploy',
                // The preview is of this exact commit: no merge of the default branch, no status gate.
                auto_merge: false,
                required_contexts: [],
                transient_environment: true,
                production_environment: false,
            });
            if (response.status !== 201 || !('id' in response.data)) {
                throw Object.assign(new Error(response.data.message ?? 'deployment not created'), { status: response.status });
            }
            const d = response.data;
            return { id: d.id, sha: d.sha, environment: d.environment, createdAt: d.created_at };
        }),
        listStatuses: (deploymentId) => call('list deployment statuses', async () => {
            const { data } = await rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deploymentId, per_page: 100 });
            return data.map((s) => ({ id: s.id, state: s.state, ...(s.environment_url ? { environmentUrl: s.environment_url } : {}) }));
        }),
        createStatus: (deploymentId, status) => call(`set deployment status ${status.state}`, async () => {
            await rest.repos.createDeploymentStatus({
                ...repo,
                deployment_id: deploymentId,
                state: status.state,
                ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
                ...(status.logUrl ? { log_url: status.logUrl } : {}),
                ...(status.description ? { description: status.description.slice(0, 140) } : {}),
                auto_inactive: status.state === 'success',
            });
        }),
        deleteEnvironment: async (name) => {
            // Look first: a second stop then makes no mutating call at all.
            try {
                await call('look up environment', () => rest.repos.getEnvironment({ ...repo, environment_name: name }));
            }
            catch (error) {
                if (error instanceof GitHubCallError && error.status === 404)
                    return false;
                throw error;
            }
            await call('delete environment', () => rest.repos.deleteAnEnvironment({ ...repo, environment_name: name }));
            return true;
        },
    };
}


/***/ }),

/***/ 6850:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.recordDeployment = recordDeployment;
exports.retireEnvironment = retireEnvironment;
/**
 * GitHub deployments for a preview: a deployment of the commit with a `success` status carrying
 * `environment_url` (the "View deployment" button), and on stop every deployment marked
 * `inactive` and the environment deleted, so that no stale environment is left behind.
 */
const api_js_1 = __webpack_require__(5746);
/** Records the deployment unless GitHub already shows this commit live at this URL. */
async function recordDeployment(api, record) {
    const existing = (await api.listDeployments(record.environment)).filter((d) => d.sha === record.ref).sort((a, b) => b.id - a.id)[0];
    if (existing) {
        const [latest] = await api.listStatuses(existing.id);
        if (latest?.state === 'success' && (latest.environmentUrl ?? '') === (record.url ?? ''))
            return 'unchanged';
    }
    const deployment = await api.createDeployment({ ref: record.ref, environment: record.environment, description: record.description });
    await api.createStatus(deployment.id, {
        state: 'success',
        ...(record.url ? { environmentUrl: record.url } : {}),
        ...(record.logUrl ? { logUrl: record.logUrl } : {}),
        description: record.description,
    });
    return 'created';
}
/** Marks every deployment of the environment inactive, then deletes the environment when asked. */
async function retireEnvironment(api, options) {
    let deactivated = 0;
    for (const deployment of await api.listDeployments(options.environment)) {
        const [latest] = await api.listStatuses(deployment.id);
        if (latest?.state === 'inactive')
            continue;
        await api.createStatus(deployment.id, { state: 'inactive', description: 'preview removed', ...(options.logUrl ? { logUrl: options.logUrl } : {}) });
        deactivated += 1;
    }
    if (!options.deleteEnvironment)
        return { deactivated, environment: 'kept' };
    try {
        return { deactivated, environment: (await api.deleteEnvironment(options.environment)) ? 'deleted' : 'absent' };
    }
    catch (error) {
        if (error instanceof api_js_1.GitHubCallError && error.denied)
            return { deactivated, environment: 'denied', deniedError: error };
        throw error;
    }
}


/***/ }),

/***/ 1756:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.assertForkAllowed = assertForkAllowed;
/**
 * Refuses to deploy a pull request from a fork. A preview runs the PR's code with the workflow's
 * secrets (on `pull_request_target`, or with a PAT), so a stranger's PR could read them.
 */
const errors_js_1 = __webpack_require__(4296);
const event_js_1 = __webpack_require__(2098);
const options_js_1 = __webpack_require__(9424);
/** Commands that run the pull request's code or touch the platform with our credentials. */
const DEPLOYING = new Set(['ensure-app', 'set-domain', 'deploy', 'up']);
function assertForkAllowed(command, env) {
    if (!DEPLOYING.has(command))
        return;
    const pr = (0, event_js_1.readEvent)(env).pullRequest;
    if (!pr?.fromFork)
        return;
    if ((0, options_js_1.loadGitHubSettings)(env).allowForks)
        return;
    const from = pr.headRepo ?? 'a deleted fork';
    throw new errors_js_1.SafetyError(`${command}: pull request #${pr.number} comes from a fork (${from}); refusing to deploy its code with this repository's secrets`, {
        hint: 'set the action input allow-forks: true (PREVIEW_ALLOW_FORKS=true) only if you trust every fork',
    });
}


/***/ }),

/***/ 8238:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.reportToGitHub = exports.assertForkAllowed = exports.GitHubLogger = void 0;
/**
 * GitHub Actions: grouped logs and masks (workflow commands), and the entry points the CLI calls:
 * the fork guard before a deploying command, the report (outputs, summary, PR comment,
 * deployment) after it. Loaded only when GITHUB_ACTIONS=true, so the CLI elsewhere does not pay
 * for it at start-up; octokit itself loads only when there is something to send.
 */
const logger_js_1 = __webpack_require__(1227);
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Workflow commands go to stderr so that stdout stays one JSON object with --json; the runner reads both. */
class GitHubLogger extends logger_js_1.PlainLogger {
    warn(message) {
        this.sink.write(`::warning::${escapeData(this.redactor.redact(message))}\n`);
    }
    error(message) {
        this.sink.write(`::error::${escapeData(this.redactor.redact(message))}\n`);
    }
    async group(title, fn) {
        this.sink.write(`::group::${escapeData(this.redactor.redact(title))}\n`);
        try {
            return await super.group(title, fn);
        }
        finally {
            this.sink.write('::endgroup::\n');
        }
    }
    masked = new Set();
    addSecret(secret) {
        super.addSecret(secret);
        // One mask command per value: the runner needs it once, and repeats only clutter the log.
        if (!secret || secret.length < 4 || this.masked.has(secret))
            return;
        this.masked.add(secret);
        this.sink.write(`::add-mask::${escapeData(secret)}\n`);
    }
}
exports.GitHubLogger = GitHubLogger;
var fork_guard_js_1 = __webpack_require__(1756);
Object.defineProperty(exports, "assertForkAllowed", ({ enumerable: true, get: function () { return fork_guard_js_1.assertForkAllowed; } }));
var report_js_1 = __webpack_require__(7910);
Object.defineProperty(exports, "reportToGitHub", ({ enumerable: true, get: function () { return report_js_1.reportToGitHub; } }));


/***/ }),

/***/ 9424:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.githubOptions = void 0;
exports.loadGitHubSettings = loadGitHubSettings;
exports.environmentName = environmentName;
/**
 * Settings of the GitHub reporting (PR comment, deployments, fork policy). They belong to the
 * forge, not to a provider, so they are read here at the edge from the env record the CLI holds,
 * with the same OptionSpec table and loader as every other setting.
 */
const zod_1 = __webpack_require__(924);
const settings_js_1 = __webpack_require__(1922);
exports.githubOptions = [
    { key: 'token', type: 'string', env: ['PREVIEW_GITHUB_TOKEN', 'GITHUB_TOKEN'], secret: true, description: 'token for the PR comment and the deployment (the workflow token is enough)' },
    { key: 'apiUrl', type: 'string', env: ['GITHUB_API_URL'], description: 'GitHub REST API base URL (set by the runner)', defaultText: 'https://api.github.com' },
    { key: 'comment', type: 'boolean', env: ['PREVIEW_GITHUB_COMMENT'], description: 'keep one sticky comment per preview on the pull request', defaultText: 'true' },
    { key: 'deployment', type: 'boolean', env: ['PREVIEW_GITHUB_DEPLOYMENT'], description: 'record a GitHub deployment with the preview URL', defaultText: 'true' },
    { key: 'environment', type: 'string', env: ['PREVIEW_GITHUB_ENVIRONMENT'], description: 'GitHub environment of the deployment; {name}, {branch}, {pr}, {app} are replaced', defaultText: 'preview/{name}' },
    { key: 'deleteEnvironment', type: 'boolean', env: ['PREVIEW_GITHUB_DELETE_ENVIRONMENT'], description: 'on stop, delete the GitHub environment (needs a token with administration: write)', defaultText: 'true' },
    { key: 'allowForks', type: 'boolean', env: ['PREVIEW_ALLOW_FORKS'], description: 'deploy pull requests from forks too (their code runs with your secrets)', defaultText: 'false' },
];
const schema = zod_1.z.object({
    token: zod_1.z.string().optional(),
    apiUrl: zod_1.z.string().url('expected a URL').default('https://api.github.com'),
    comment: zod_1.z.boolean().default(true),
    deployment: zod_1.z.boolean().default(true),
    environment: zod_1.z
        .string()
        .min(1)
        .regex(/^[^'"`,;\\]+$/, 'expected an environment name without quotes, commas, semicolons or backslashes')
        .default('preview/{name}'),
    deleteEnvironment: zod_1.z.boolean().default(true),
    allowForks: zod_1.z.boolean().default(false),
});
function loadGitHubSettings(env) {
    const { values, origins } = (0, settings_js_1.resolveOptions)(exports.githubOptions, { flags: {}, env }, {}, {});
    const parsed = schema.safeParse(values);
    if (!parsed.success)
        throw (0, settings_js_1.configErrorFrom)(parsed.error, origins);
    return parsed.data;
}
/** The GitHub environment name for a preview: the template with its placeholders filled in. */
function environmentName(template, values) {
    return template.replace(/\{(name|branch|pr|app)\}/g, (_m, key) => String(values[key] ?? ''));
}


/***/ }),

/***/ 6062:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.commentMarker = commentMarker;
exports.renderComment = renderComment;
exports.upsertComment = upsertComment;
function commentMarker(name) {
    return `<!-- preview-kit:preview=${name} -->`;
}
/** The run link changes on every run; it must not by itself cause an edit. */
const RUN_LINE = /^<sub>.*<\/sub>$/m;
function footer(runUrl) {
    return `<sub>Kept up to date by preview-kit${runUrl ? ` · [last change](${runUrl})` : ''}</sub>`;
}
const removedHeading = (name) => `### Preview \`${name}\` removed`;
function renderComment(content) {
    const lines = [commentMarker(content.name)];
    if (content.kind === 'live') {
        const commit = content.commit ? (content.commitUrl ? `[\`${content.commit.slice(0, 7)}\`](${content.commitUrl})` : `\`${content.commit.slice(0, 7)}\``) : '—';
        lines.push(`### Preview \`${content.name}\` is ready`, '', '| | |', '|---|---|', `| URL | ${content.url ? `<${content.url}>` : '—'} |`, `| Commit | ${commit} |`);
    }
    else {
        lines.push(removedHeading(content.name), '', content.removed.length ? `Torn down: ${content.removed.map((r) => `\`${r}\``).join(', ')}.` : 'Nothing was left to remove.');
    }
    lines.push('', footer(content.runUrl));
    return lines.join('\n');
}
const comparable = (body) => body.replace(RUN_LINE, '').trimEnd();
/**
 * Creates or edits the preview's comment. Duplicates left by concurrent runs are removed,
 * keeping the oldest, so readers always find one comment in the same place.
 */
async function upsertComment(api, issue, content) {
    const marker = commentMarker(content.name);
    const ours = (await api.listComments(issue)).filter((c) => c.body.startsWith(marker)).sort((a, b) => a.id - b.id);
    const body = renderComment(content);
    const [first, ...duplicates] = ours;
    for (const duplicate of duplicates)
        await api.deleteComment(duplicate.id);
    if (!first) {
        // A preview that never had a comment needs no "removed" notice.
        if (content.kind === 'removed')
            return 'skipped';
        await api.createComment(issue, body);
        return 'created';
    }
    if (comparable(first.body) === comparable(body))
        return 'unchanged';
    // A repeated stop finds nothing to remove: the first "removed" notice says more, keep it.
    if (content.kind === 'removed' && content.removed.length === 0 && first.body.includes(removedHeading(content.name)))
        return 'unchanged';
    await api.updateComment(first.id, body);
    return 'updated';
}


/***/ }),

/***/ 7910:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.outputsOf = outputsOf;
exports.summaryRows = summaryRows;
exports.reportToGitHub = reportToGitHub;
const api_js_1 = __webpack_require__(5746);
const deployments_js_1 = __webpack_require__(6850);
const event_js_1 = __webpack_require__(2098);
const options_js_1 = __webpack_require__(9424);
const pr_comment_js_1 = __webpack_require__(6062);
const step_files_js_1 = __webpack_require__(7468);
function outputsOf(result) {
    const outputs = { name: result.name };
    if (result.url)
        outputs.url = result.url;
    if (result.id)
        outputs['app-id'] = result.id;
    for (const key of ['created', 'changed', 'deployed', 'deleted'])
        if (result[key] !== undefined)
            outputs[key] = String(result[key]);
    if (result.commit)
        outputs.commit = String(result.commit);
    if (result.removed)
        outputs.removed = result.removed.join(',');
    return outputs;
}
function summaryRows(result, elapsedMs) {
    const rows = [['preview', result.name]];
    if (result.url)
        rows.push(['URL', result.url]);
    if (result.commit)
        rows.push(['commit', String(result.commit).slice(0, 12)]);
    if (result.command === 'stop')
        rows.push(['removed', result.deleted ? result.removed?.join(', ') || 'the preview' : 'nothing (already gone)']);
    rows.push([result.dryRun ? 'would change' : 'changes', result.plan?.length ? result.plan.join('; ') : 'none']);
    rows.push(['time', `${(elapsedMs / 1000).toFixed(1)}s`]);
    return rows;
}
function repoOf(env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}
function runUrlOf(env) {
    if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
        return undefined;
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
const PERMISSION = {
    comment: 'pull-requests: write',
    deployment: 'deployments: write',
    environment: 'administration: write, which the workflow token never has (pass a fine-grained token or a GitHub App token as github-token, or set delete-environment: false)',
};
/** Collects what could not be done, for one warning at the end. */
class Shortfalls {
    items = [];
    async attempt(what, label, fn) {
        try {
            await fn();
        }
        catch (error) {
            this.note(what, label, error);
        }
    }
    note(what, label, error) {
        if (error instanceof api_js_1.GitHubCallError) {
            const needs = error.denied ? `; the token needs ${PERMISSION[what]}` : '';
            this.items.push(`${label} (${error.message}${needs})`);
        }
        else {
            this.items.push(`${label} (${error?.message ?? String(error)})`);
        }
    }
    flush(logger) {
        if (this.items.length)
            logger.warn(`GitHub reporting incomplete, the preview itself is fine: could not ${this.items.join('; could not ')}`);
    }
}
async function reportRemote(input, github, api) {
    const { result, settings, env, logger } = input;
    const event = (0, event_js_1.readEvent)(env);
    const issue = settings.pr ?? event.pullRequest?.number;
    const runUrl = runUrlOf(env);
    const environment = (0, options_js_1.environmentName)(github.environment, { name: result.name, branch: settings.branch, pr: issue, app: settings.app });
    const shortfalls = new Shortfalls();
    if (result.command === 'stop') {
        if (github.deployment) {
            await shortfalls.attempt('deployment', `retire the deployments of ${environment}`, async () => {
                const retired = await (0, deployments_js_1.retireEnvironment)(api, { environment, deleteEnvironment: github.deleteEnvironment, ...(runUrl ? { logUrl: runUrl } : {}) });
                logger.info(`GitHub environment ${environment}: ${retired.deactivated} deployment(s) marked inactive, environment ${retired.environment}`);
                if (retired.deniedError)
                    shortfalls.note('environment', `delete the environment ${environment}`, retired.deniedError);
            });
        }
        if (github.comment && issue !== undefined) {
            await shortfalls.attempt('comment', `update the comment on #${issue}`, async () => {
                const outcome = await (0, pr_comment_js_1.upsertComment)(api, issue, { kind: 'removed', name: result.name, removed: result.removed ?? [], ...(runUrl ? { runUrl } : {}) });
                logger.info(`pull request #${issue} comment: ${outcome}`);
            });
        }
    }
    else if (result.command === 'up' || result.command === 'deploy') {
        const ref = result.commit ?? event.pullRequest?.headSha ?? env.GITHUB_SHA;
        if (github.deployment && ref) {
            await shortfalls.attempt('deployment', `record the deployment in ${environment}`, async () => {
                const outcome = await (0, deployments_js_1.recordDeployment)(api, {
                    environment,
                    ref,
                    ...(result.url ? { url: result.url } : {}),
                    ...(runUrl ? { logUrl: runUrl } : {}),
                    description: `preview ${result.name}`,
                });
                logger.info(`GitHub deployment in ${environment}: ${outcome}`);
            });
        }
        if (github.comment && issue !== undefined) {
            await shortfalls.attempt('comment', `write the comment on #${issue}`, async () => {
                const commitUrl = ref && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/commit/${ref}` : undefined;
                const outcome = await (0, pr_comment_js_1.upsertComment)(api, issue, {
                    kind: 'live',
                    name: result.name,
                    ...(result.url ? { url: result.url } : {}),
                    ...(ref ? { commit: ref } : {}),
                    ...(commitUrl ? { commitUrl } : {}),
                    ...(runUrl ? { runUrl } : {}),
                });
                logger.info(`pull request #${issue} comment: ${outcome}`);
            });
        }
    }
    shortfalls.flush(logger);
}
/** Publishes a finished command to GitHub. Call only when GITHUB_ACTIONS=true. */
async function reportToGitHub(input) {
    const { result, env, logger } = input;
    const now = input.now ?? Date.now;
    await (0, step_files_js_1.writeOutputs)(env, outputsOf(result));
    await (0, step_files_js_1.appendSummary)(env, (0, step_files_js_1.summaryMarkdown)(`preview-kit ${result.command}${result.dryRun ? ' (dry run)' : ''}`, summaryRows(result, now() - input.startedAt)));
    if (result.dryRun || !['up', 'deploy', 'stop'].includes(result.command))
        return;
    let github;
    try {
        github = (0, options_js_1.loadGitHubSettings)(env);
    }
    catch (error) {
        logger.warn(`GitHub reporting skipped: ${error.message}`);
        return;
    }
    logger.addSecret(github.token);
    const repo = repoOf(env);
    if (!github.comment && !github.deployment)
        return;
    if (!repo || (!github.token && !input.api)) {
        logger.debug('GitHub reporting skipped: no GITHUB_REPOSITORY or no token');
        return;
    }
    await logger.group('report to GitHub', async () => {
        const api = input.api ?? (await (0, api_js_1.createGitHubApi)({ token: github.token, baseUrl: github.apiUrl, repo, logger }));
        await reportRemote(input, github, api);
    });
}


/***/ }),

/***/ 7468:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.formatOutputs = formatOutputs;
exports.writeOutputs = writeOutputs;
exports.summaryMarkdown = summaryMarkdown;
exports.appendSummary = appendSummary;
/**
 * The runner's step files: GITHUB_OUTPUT (step outputs) and GITHUB_STEP_SUMMARY (the job page's
 * Markdown). Written from the env record we are given rather than process.env, so a test can
 * point them anywhere.
 */
const node_crypto_1 = __webpack_require__(7598);
const promises_1 = __webpack_require__(1455);
/** The heredoc form the runner parses; the random delimiter cannot collide with a value. */
function formatOutputs(outputs, delimiter = `ghadelimiter_${(0, node_crypto_1.randomUUID)()}`) {
    return Object.entries(outputs)
        .map(([key, value]) => {
        if (value.includes(delimiter))
            throw new Error(`output ${key} contains the delimiter`);
        return `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
        .join('');
}
async function writeOutputs(env, outputs) {
    if (!env.GITHUB_OUTPUT)
        return false;
    await (0, promises_1.appendFile)(env.GITHUB_OUTPUT, formatOutputs(outputs));
    return true;
}
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
function summaryMarkdown(title, rows) {
    return [`### ${title}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), '', ''].join('\n');
}
async function appendSummary(env, markdown) {
    if (!env.GITHUB_STEP_SUMMARY)
        return false;
    await (0, promises_1.appendFile)(env.GITHUB_STEP_SUMMARY, markdown);
    return true;
}


/***/ })

};
