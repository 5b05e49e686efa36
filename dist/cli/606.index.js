export const id = 606;
export const ids = [606];
export const modules = {

/***/ 1606:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.reportToGitLab = exports.GitLabLogger = void 0;
exports.writeDotenv = writeDotenv;
/**
 * GitLab CI: the job log's sections (logger.ts), the report table at its end (report.ts), and the
 * dotenv report that feeds `environment:url`.
 */
const promises_1 = __webpack_require__(1455);
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
var logger_js_1 = __webpack_require__(8488);
Object.defineProperty(exports, "GitLabLogger", ({ enumerable: true, get: function () { return logger_js_1.GitLabLogger; } }));
var report_js_1 = __webpack_require__(5886);
Object.defineProperty(exports, "reportToGitLab", ({ enumerable: true, get: function () { return report_js_1.reportToGitLab; } }));


/***/ }),

/***/ 8488:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.GitLabLogger = void 0;
/**
 * GitLab CI job logs: each phase in a collapsible section (GitLab shows its header and duration),
 * and sections of lines with no phase around them (the report at a job's end).
 */
const logger_js_1 = __webpack_require__(1227);
let sectionCounter = 0;
const stamp = () => Math.floor(Date.now() / 1000);
class GitLabLogger extends logger_js_1.PlainLogger {
    /**
     * Lines in an open section of their own, with no phase lines around them: GitLab shows the
     * title as the section's header (the report at the end of a job).
     */
    section(id, title, lines) {
        this.sink.write(`\x1b[0Ksection_start:${stamp()}:${id}[collapsed=false]\r\x1b[0K${this.redactor.redact(title)}\n`);
        for (const text of lines)
            this.line(text);
        this.sink.write(`\x1b[0Ksection_end:${stamp()}:${id}\r\x1b[0K\n`);
    }
    async group(title, fn) {
        const id = `preview_kit_${++sectionCounter}`;
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


/***/ }),

/***/ 5886:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.reportToGitLab = reportToGitLab;
const report_table_js_1 = __webpack_require__(7009);
const logger_js_1 = __webpack_require__(8488);
async function reportToGitLab(input) {
    const rows = (0, report_table_js_1.reportRows)(input.result, input.now);
    if (rows.length === 0)
        return;
    const title = `preview-kit ${input.result.command}: ${input.result.name}`;
    const lines = (0, report_table_js_1.textTable)(rows);
    if (input.logger instanceof logger_js_1.GitLabLogger)
        input.logger.section('preview_kit_report', title, lines);
    else
        await input.logger.group(title, async () => lines.forEach((line) => input.logger.info(line)));
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
