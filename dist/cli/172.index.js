export const id = 172;
export const ids = [172];
export const modules = {

/***/ 165:
/***/ ((__unused_webpack_module, exports) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.specOf = specOf;
exports.withPlan = withPlan;
function specOf(settings) {
    return {
        name: settings.name,
        app: settings.app,
        branch: settings.branch,
        pr: settings.pr,
        env: settings.env,
        domains: settings.domains,
        favourite: settings.favourite,
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
    const result = await ctx.context.logger.group(`stop ${ctx.settings.name}`, () => ctx.provider.destroy(ctx.settings.name));
    if (!result.deleted)
        ctx.context.logger.info(`preview ${ctx.settings.name} does not exist: nothing to remove`);
    return (0, context_js_1.withPlan)({ command: 'stop', name: ctx.settings.name, deleted: result.deleted, removed: result.removed }, ctx);
}


/***/ })

};
