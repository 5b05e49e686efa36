export const id = 537;
export const ids = [537];
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

/***/ 9537:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.sleep = sleep;
/**
 * `sleep`: the preview's compute stops, its data, domains and URL stay; `up` (or `deploy` of the
 * commit it runs) wakes it. Asleep already, or absent: nothing to do, and no mutating call.
 */
const context_js_1 = __webpack_require__(165);
async function sleep(ctx) {
    const ref = (0, context_js_1.refOf)(ctx.settings);
    const result = await ctx.context.logger.group(`sleep ${ref.name}`, () => ctx.provider.sleep(ref));
    if (!result.slept)
        ctx.context.logger.info(`preview ${ref.name} is asleep already, or does not exist: nothing to stop`);
    return (0, context_js_1.withPlan)({ command: 'sleep', name: ref.name, slept: result.slept, stopped: result.stopped }, ctx);
}


/***/ })

};
