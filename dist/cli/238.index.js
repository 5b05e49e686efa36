export const id = 238;
export const ids = [238];
export const modules = {

/***/ 9001:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ACTION_OUTPUTS = void 0;
const NAME = ['name', 'Preview name.'];
const URL_ = ['url', 'Preview URL.'];
const APP_ID = ['app-id', 'Id of the preview app on the platform.'];
const CREATED = ['created', '"true" when this run created the app.'];
const DEPLOYED = ['deployed', '"true" when a deployment ran, "false" when the commit was already live.'];
const COMMIT = ['commit', 'Commit SHA the preview runs.'];
exports.ACTION_OUTPUTS = {
    'ensure-app': [NAME, URL_, APP_ID, CREATED, ['changed', '"true" when this run created or changed the app.']],
    'set-domain': [NAME, URL_, APP_ID, ['changed', '"true" when this run attached a domain.']],
    deploy: [NAME, URL_, APP_ID, DEPLOYED, COMMIT],
    up: [NAME, URL_, APP_ID, CREATED, ['changed', '"true" when this run changed the app or its domains.'], DEPLOYED, COMMIT],
    stop: [NAME, ['deleted', '"true" when something was removed, "false" when the preview was already gone.'], ['removed', 'What was removed, comma separated.']],
    prune: [
        ['removed', 'Names of the previews removed (in a dry run: that would be), comma separated.'],
        ['kept', 'Names of the previews kept, comma separated.'],
    ],
};


/***/ }),

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
/**
 * Workflow commands go to stderr so that stdout stays one JSON object with --json; the runner
 * reads both. `error()` stays a plain line: a failed command ends with exactly one `::error`
 * annotation (the CLI's top-level catch), and detail such as a build log's last lines belongs in
 * the log above it.
 */
class GitHubLogger extends logger_js_1.PlainLogger {
    warn(message) {
        this.sink.write(`::warning::${escapeData(this.redactor.redact(message))}\n`);
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
    { key: 'deleteEnvironment', type: 'boolean', env: ['PREVIEW_GITHUB_DELETE_ENVIRONMENT'], description: 'on stop, also delete the GitHub environment (needs a token with administration: write, which the workflow token never has)', defaultText: 'false' },
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
    deleteEnvironment: zod_1.z.boolean().default(false),
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
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.commentMarker = commentMarker;
exports.renderComment = renderComment;
exports.upsertComment = upsertComment;
/**
 * The sticky pull request comment: one per preview, found again by a hidden marker, edited in
 * place and never duplicated. It shows the same compact table as the job summary and the GitLab
 * job log (report-table.ts); after `stop` it says the preview was removed.
 */
const report_table_js_1 = __webpack_require__(7009);
function commentMarker(name) {
    return `<!-- preview-kit:preview=${name} -->`;
}
/** The run link changes on every run; it must not by itself cause an edit. */
const RUN_LINE = /^<sub>.*<\/sub>$/m;
function footer(runUrl) {
    return `<sub>Kept up to date by preview-kit${runUrl ? ` · [last change](${runUrl})` : ''}</sub>`;
}
const heading = (content) => `### Preview \`${content.name}\` ${content.kind === 'live' ? 'is ready' : 'removed'}`;
function renderComment(content) {
    return [commentMarker(content.name), heading(content), '', (0, report_table_js_1.markdownTable)(content.rows), '', footer(content.runUrl)].join('\n');
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
    // Nothing happened in this run, and the comment already says what the preview is: keep it.
    const saysSameKind = first.body.includes(heading(content));
    if (content.quiet && saysSameKind)
        return 'unchanged';
    await api.updateComment(first.id, body);
    return 'updated';
}


/***/ }),

/***/ 7910:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.outputsOf = outputsOf;
exports.summaryOf = summaryOf;
exports.reportToGitHub = reportToGitHub;
const report_table_js_1 = __webpack_require__(7009);
const action_outputs_js_1 = __webpack_require__(9001);
const api_js_1 = __webpack_require__(5746);
const deployments_js_1 = __webpack_require__(6850);
const event_js_1 = __webpack_require__(2098);
const options_js_1 = __webpack_require__(9424);
const pr_comment_js_1 = __webpack_require__(6062);
const step_files_js_1 = __webpack_require__(7468);
/** The step outputs of a result: exactly those the action of its command declares. */
function outputsOf(result) {
    const all = { name: result.name };
    if (result.url)
        all.url = result.url;
    if (result.id)
        all['app-id'] = result.id;
    for (const key of ['created', 'changed', 'deployed', 'deleted'])
        if (result[key] !== undefined)
            all[key] = String(result[key]);
    if (result.commit)
        all.commit = String(result.commit);
    if (result.removed)
        all.removed = result.removed.join(',');
    if (Array.isArray(result.kept))
        all.kept = result.kept.join(',');
    const declared = action_outputs_js_1.ACTION_OUTPUTS[result.command];
    if (!declared)
        return all;
    // A declared output is always written, empty when the run has no value for it.
    return Object.fromEntries(declared.map(([name]) => [name, all[name] ?? '']));
}
/** The job summary: the same compact table as the PR comment and the GitLab job log. */
function summaryOf(result, now) {
    const title = `### preview-kit ${result.command}${result.dryRun ? ' (dry run)' : ''}`;
    const rows = (0, report_table_js_1.reportRows)(result, now);
    const lines = [title, ''];
    if (rows.length)
        lines.push((0, report_table_js_1.markdownTable)(rows));
    else
        lines.push(result.command === 'prune' ? `No previews of \`${result.name}\` found.` : 'Nothing to show.');
    const images = result.removedImages;
    if (images?.length)
        lines.push('', `Also removed ${images.length} unused image${images.length === 1 ? '' : 's'}.`);
    return `${lines.join('\n')}\n\n`;
}
/** The run changed nothing: no app made or changed, nothing deployed or removed, an empty plan. */
function quiet(result) {
    return !result.created && !result.changed && !result.deployed && !result.deleted && (result.plan?.length ?? 0) === 0;
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
    environment: 'administration: write, which the workflow token never has (pass a fine-grained or GitHub App token as github-token, or leave delete-environment at false)',
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
async function reportRemote(input, github, api, now) {
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
                const outcome = await (0, pr_comment_js_1.upsertComment)(api, issue, { kind: 'removed', name: result.name, rows: (0, report_table_js_1.reportRows)(result, now), quiet: quiet(result), ...(runUrl ? { runUrl } : {}) });
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
                const outcome = await (0, pr_comment_js_1.upsertComment)(api, issue, { kind: 'live', name: result.name, rows: (0, report_table_js_1.reportRows)(result, now), quiet: quiet(result), ...(runUrl ? { runUrl } : {}) });
                logger.info(`pull request #${issue} comment: ${outcome}`);
            });
        }
    }
    shortfalls.flush(logger);
}
/** Publishes a finished command to GitHub. Call only when GITHUB_ACTIONS=true. */
async function reportToGitHub(input) {
    const { result, env, logger } = input;
    const now = new Date((input.now ?? Date.now)());
    await (0, step_files_js_1.writeOutputs)(env, outputsOf(result));
    if (result.command !== 'name' && result.command !== 'list')
        await (0, step_files_js_1.appendSummary)(env, summaryOf(result, now));
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
        await reportRemote(input, github, api, now);
    });
}


/***/ }),

/***/ 7468:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.formatOutputs = formatOutputs;
exports.writeOutputs = writeOutputs;
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
async function appendSummary(env, markdown) {
    if (!env.GITHUB_STEP_SUMMARY)
        return false;
    await (0, promises_1.appendFile)(env.GITHUB_STEP_SUMMARY, markdown);
    return true;
}


/***/ }),

/***/ 7009:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.REPORT_COLUMNS = void 0;
exports.reportRow = reportRow;
exports.reportRows = reportRows;
exports.markdownTable = markdownTable;
exports.textTable = textTable;
exports.REPORT_COLUMNS = [
    ['preview', 'Preview'],
    ['commit', 'Commit'],
    ['state', 'State'],
    ['url', 'URL'],
    ['lastDeployed', 'Last deployed'],
    ['changed', 'Changed in this run'],
];
function stateOf(result) {
    const dry = result.dryRun === true;
    switch (result.command) {
        case 'stop':
            return result.deleted ? (dry ? 'would be removed' : 'removed') : 'already gone';
        case 'ensure-app':
            return result.created ? (dry ? 'would be created' : 'created') : 'exists';
        case 'set-domain':
            return result.changed ? (dry ? 'would be routed' : 'routed') : 'routed already';
        case 'status':
            return String(result.preview?.state ?? result.preview?.lastDeployment?.state ?? 'exists');
        case 'sleep':
            return result.slept ? (dry ? 'would sleep' : 'asleep') : 'asleep already';
        default:
            if (result.deployed || (dry && (result.plan ?? []).some((s) => s.startsWith('deploy '))))
                return dry ? 'would deploy' : 'deployed';
            return result.commit ? 'live' : 'exists';
    }
}
function changedOf(result) {
    const steps = result.plan ?? [];
    if (steps.length === 0)
        return 'nothing';
    return steps.length <= 3 ? steps.join('; ') : `${steps.slice(0, 3).join('; ')}; and ${steps.length - 3} more`;
}
/** The row of a single-preview command's result. `now` stands for the time of a deployment made by this run. */
function reportRow(result, now = new Date()) {
    const deployedNow = result.deployed === true && result.dryRun !== true;
    const last = deployedNow ? now.toISOString() : result.lastDeployedAt ?? result.preview?.lastDeployedAt ?? result.preview?.lastDeployment?.createdAt;
    return {
        preview: result.name,
        ...(result.commit ? { commit: String(result.commit).slice(0, 12) } : {}),
        state: stateOf(result),
        ...(result.url ? { url: result.url } : {}),
        ...(last ? { lastDeployed: last.replace(/\.\d+Z$/, 'Z') } : {}),
        changed: changedOf(result),
    };
}
/** The rows of a run: one per preview it judged (`prune`), else the one preview. */
function reportRows(result, now = new Date()) {
    if (result.command === 'list') {
        return (result.previews ?? []).map((p) => ({
            preview: p.name,
            ...(p.commit ? { commit: p.commit.slice(0, 12) } : {}),
            state: p.state ?? 'unknown',
            ...(p.url ? { url: p.url } : {}),
            ...(p.lastDeployedAt ? { lastDeployed: p.lastDeployedAt.replace(/\.\d+Z$/, 'Z') } : {}),
            changed: 'nothing',
        }));
    }
    if (result.command !== 'prune')
        return [reportRow(result, now)];
    const decisions = result.decisions ?? [];
    return decisions.map((d) => ({
        preview: d.name,
        ...(d.commit ? { commit: d.commit.slice(0, 12) } : {}),
        state: d.action,
        ...(d.url ? { url: d.url } : {}),
        ...(d.lastDeployed ? { lastDeployed: d.lastDeployed.replace(/\.\d+Z$/, 'Z') } : {}),
        changed: d.why ?? 'nothing',
    }));
}
function cell(value) {
    return value === undefined || value === '' ? '—' : value;
}
function markdownCell(key, value) {
    if (value === undefined || value === '')
        return '—';
    const escaped = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    if (key === 'url')
        return `<${escaped}>`;
    if (key === 'commit' || key === 'preview')
        return `\`${escaped}\``;
    return escaped;
}
function markdownTable(rows) {
    const head = `| ${exports.REPORT_COLUMNS.map(([, title]) => title).join(' | ')} |`;
    const rule = `|${exports.REPORT_COLUMNS.map(() => '---').join('|')}|`;
    const body = rows.map((row) => `| ${exports.REPORT_COLUMNS.map(([key]) => markdownCell(key, row[key])).join(' | ')} |`);
    return [head, rule, ...body].join('\n');
}
/** Aligned plain text, one line a row, for a job log. */
function textTable(rows) {
    const table = [exports.REPORT_COLUMNS.map(([, title]) => title), ...rows.map((row) => exports.REPORT_COLUMNS.map(([key]) => cell(row[key])))];
    const widths = exports.REPORT_COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i].length)));
    return table.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
}


/***/ })

};
