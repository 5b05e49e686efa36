export const id = 839;
export const ids = [839,671];
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


/***/ })

};
