export const id = 812;
export const ids = [812];
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

/***/ 7812:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ensureAppStep = ensureAppStep;
exports.ensureApp = ensureApp;
const context_js_1 = __webpack_require__(165);
async function ensureAppStep(ctx) {
    return ctx.context.logger.group(`ensure app ${ctx.settings.name}`, () => ctx.provider.ensure((0, context_js_1.specOf)(ctx.settings)));
}
async function ensureApp(ctx) {
    const { preview, created, changed } = await ensureAppStep(ctx);
    return (0, context_js_1.withPlan)({ command: 'ensure-app', name: preview.name, id: preview.id, url: preview.url, created, changed }, ctx);
}


/***/ })

};
