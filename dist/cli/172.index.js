export const id = 172;
export const ids = [172];
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

/***/ 3172:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.stop = stop;
const context_js_1 = __webpack_require__(165);
async function stop(ctx) {
    const result = await ctx.context.logger.group(`stop ${ctx.settings.name}`, () => ctx.provider.destroy((0, context_js_1.refOf)(ctx.settings)));
    if (!result.deleted)
        ctx.context.logger.info(`preview ${ctx.settings.name} does not exist: nothing to remove`);
    return (0, context_js_1.withPlan)({ command: 'stop', name: ctx.settings.name, deleted: result.deleted, removed: result.removed }, ctx);
}


/***/ })

};
