export const id = 606;
export const ids = [606];
export const modules = {

/***/ 1606:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GitLabLogger = void 0;
exports.writeDotenv = writeDotenv;
/**
 * GitLab CI: collapsible log sections and the dotenv report that feeds `environment:url`.
 */
const promises_1 = __webpack_require__(1455);
const logger_js_1 = __webpack_require__(1227);
let sectionCounter = 0;
class GitLabLogger extends logger_js_1.PlainLogger {
    async group(title, fn) {
        const id = `preview_kit_${++sectionCounter}`;
        const stamp = () => Math.floor(Date.now() / 1000);
        this.sink.write(`\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${this.redactor.redact(title)}\n`);
        try {
            return await super.group(title, fn);
        }
        finally {
            this.sink.write(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
        }
    }
}
exports.GitLabLogger = GitLabLogger;
function dotenvValue(value) {
    // GitLab's dotenv parser takes the raw value; newlines are not allowed.
    return value.replace(/[\r\n]/g, ' ');
}
async function writeDotenv(path, values) {
    const lines = Object.entries(values)
        .filter((entry) => entry[1] !== undefined && entry[1] !== '')
        .map(([k, v]) => `${k}=${dotenvValue(v)}`);
    await (0, promises_1.writeFile)(path, `${lines.join('\n')}\n`);
}


/***/ })

};
