export const id = 671;
export const ids = [671];
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
