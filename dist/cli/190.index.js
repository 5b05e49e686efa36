export const id = 190;
export const ids = [190];
export const modules = {

/***/ 8190:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.status = status;
const errors_js_1 = __webpack_require__(4296);
async function status(ctx) {
    const preview = await ctx.provider.find(ctx.settings.name);
    if (!preview) {
        throw new errors_js_1.NotFoundError(`status: preview ${ctx.settings.name} does not exist`, { hint: 'run `preview-kit up` to create it' });
    }
    return { command: 'status', name: preview.name, id: preview.id, url: preview.url, exists: true, preview };
}


/***/ })

};
