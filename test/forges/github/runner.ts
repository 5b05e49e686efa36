/**
 * Runs a composite action's steps the way the runner does: each `run:` in bash with the step's
 * `env:` (its `${{ }}` expressions evaluated by a tiny evaluator), GITHUB_ACTION_PATH, a fresh
 * GITHUB_OUTPUT per step, the shared GITHUB_STEP_SUMMARY, then the action's `outputs:` resolved
 * from the steps' outputs. Only the expression forms our actions use are understood; anything
 * else throws, so an action cannot quietly depend on something this harness does not model.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { DIST, ROOT } from '../../helpers/cli.js';

export interface ActionYaml {
  name: string;
  description: string;
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Array<{ id?: string; name?: string; shell?: string; run?: string; env?: Record<string, string>; if?: string; uses?: string }> };
  branding?: { icon: string; color: string };
}

export interface RunActionOptions {
  /** Path of the action.yml. */
  action: string;
  with?: Record<string, string>;
  /** The runner's environment (GITHUB_*, RUNNER_*, the job's env). */
  env: Record<string, string>;
  /** Working directory of the job (the checkout). */
  cwd: string;
  /** What `${{ github.token }}` evaluates to. */
  githubToken?: string;
  /** More of the `github` context (event, repository…), for expressions. */
  github?: Record<string, unknown>;
}

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses GITHUB_OUTPUT: `key=value` lines and `key<<DELIM … DELIM` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: unterminated value for ${key}`);
      out[key!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line.trim() !== '') {
      throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`);
    }
  }
  return out;
}

export interface Contexts {
  inputs: Record<string, string | boolean>;
  github: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, string> }>;
  runner: Record<string, string>;
  env: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
}

type Value = string | number | boolean | null | Record<string, unknown> | unknown[];

/** A tokenizer + recursive-descent parser for the subset of GitHub expressions we write. */
function evaluateExpression(source: string, ctx: Contexts): Value {
  const tokens = source.match(/\s*('(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|\[|\]|\.|[A-Za-z_][\w-]*|\d+(?:\.\d+)?)/gy)?.map((t) => t.trim()) ?? [];
  if (tokens.join('').length !== source.replace(/\s+/g, '').length) throw new Error(`expression not supported by the test runner: ${source}`);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string) => {
    const t = tokens[pos++];
    if (expected !== undefined && t !== expected) throw new Error(`expression: expected ${expected} in ${source}`);
    return t!;
  };
  const roots: Record<string, unknown> = { ...ctx, secrets: ctx.secrets ?? {}, vars: ctx.vars ?? {} };
  const truthy = (v: Value) => !(v === '' || v === 0 || v === false || v === null || v === undefined);
  const loose = (v: Value) => (typeof v === 'string' ? v.toLowerCase() : v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  function primary(): Value {
    const t = take();
    if (t === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (!(t in roots)) throw new Error(`expression: unknown context ${t} in ${source}`);
    let value: unknown = roots[t];
    for (;;) {
      if (peek() === '.') {
        take();
        const key = take();
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      } else if (peek() === '[') {
        take();
        const key = primary();
        take(']');
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[String(key)] : undefined;
      } else break;
    }
    return (value ?? null) as Value;
  }
  function unary(): Value {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    return primary();
  }
  function equality(): Value {
    let left = unary();
    while (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = unary();
      left = op === '==' ? loose(left) === loose(right) : loose(left) !== loose(right);
    }
    return left;
  }
  function and(): Value {
    let left = equality();
    while (peek() === '&&') {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }
  function or(): Value {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  const result = or();
  if (pos !== tokens.length) throw new Error(`expression: unexpected ${tokens[pos]} in ${source}`);
  return result;
}

function asText(value: Value): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Replaces every `${{ expression }}` in a value. */
export function evaluate(text: string, ctx: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_m, expr: string) => asText(evaluateExpression(expr, ctx)));
}

/** An `if:` condition: with or without `${{ }}`. */
export function condition(text: string | boolean | undefined, ctx: Contexts): boolean {
  if (text === undefined) return true;
  if (typeof text === 'boolean') return text;
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text)?.[1] ?? text;
  const v = evaluateExpression(inner, ctx);
  return !(v === '' || v === 0 || v === false || v === null);
}

function runBash(script: string, env: Record<string, string>, cwd: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The runner's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

let staged: Promise<string> | undefined;

/**
 * The actions run `../dist/cli/index.js` beside them. When the bundle under test is a scratch
 * build (PREVIEW_KIT_DIST), the actions run from a copy of `actions/` placed next to it, so a test
 * never runs a stale committed bundle.
 */
export async function actionUnderTest(path: string): Promise<string> {
  const actions = join(ROOT, 'actions');
  const inside = relative(actions, path);
  if (DIST === join(ROOT, 'dist') || inside.startsWith('..')) return path;
  staged ??= (async () => {
    const root = await mkdtemp(join(tmpdir(), 'pk-actions-'));
    await cp(actions, join(root, 'actions'), { recursive: true });
    await symlink(DIST, join(root, 'dist'));
    return join(root, 'actions');
  })();
  return join(await staged, inside);
}

export async function loadAction(path: string): Promise<ActionYaml> {
  return parse(await readFile(path, 'utf8')) as ActionYaml;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  options = { ...options, action: await actionUnderTest(options.action) };
  const action = await loadAction(options.action);
  if (action.runs.using !== 'composite') throw new Error(`${options.action}: not a composite action`);
  const temp = await mkdtemp(join(tmpdir(), 'pk-runner-'));
  const given = options.with ?? {};
  for (const key of Object.keys(given)) {
    if (!action.inputs?.[key]) throw new Error(`${options.action}: unexpected input "${key}"`);
  }
  const github = { ...options.github, token: options.githubToken ?? '', action_path: dirname(options.action), workspace: options.cwd };
  const runner = { temp, os: 'Linux' };
  const base: Contexts = { inputs: {}, github, steps: {}, runner, env: options.env };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    const value = given[name] ?? (spec.default !== undefined ? evaluate(String(spec.default), base) : '');
    if (spec.required && value === '') throw new Error(`${options.action}: input required and not supplied: ${name}`);
    inputs[name] = value;
  }
  const ctx: Contexts = { ...base, inputs };
  const summaryFile = options.env.GITHUB_STEP_SUMMARY ?? join(temp, 'summary.md');
  if (!options.env.GITHUB_STEP_SUMMARY) await writeFile(summaryFile, '');
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.uses) throw new Error(`${options.action}: step ${index} uses another action; the test runner only runs shell steps`);
    if (step.if) throw new Error(`${options.action}: step ${index} has an if:, not supported by the test runner`);
    if (!step.run || step.shell !== 'bash') throw new Error(`${options.action}: step ${index} must be a bash run step`);
    if (step.run.includes('${{')) throw new Error(`${options.action}: step ${index} has an expression inside run:`);
    const outputFile = join(temp, `output-${index}`);
    await writeFile(outputFile, '');
    const script = join(temp, `step-${index}.sh`);
    await writeFile(script, step.run);
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v), ctx);
    const result = await runBash(
      script,
      { ...options.env, ...stepEnv, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: github.action_path, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, RUNNER_TEMP: temp },
      options.cwd,
    );
    stdout += result.stdout;
    stderr += result.stderr;
    if (step.id) ctx.steps[step.id] = { outputs: parseOutputs(await readFile(outputFile, 'utf8')) };
    if (result.exitCode !== 0) {
      exitCode = result.exitCode;
      break;
    }
  }
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs ?? {})) outputs[name] = evaluate(spec.value, ctx);
  return { exitCode, stdout, stderr, outputs, summary: await readFile(summaryFile, 'utf8') };
}

export interface WorkflowYaml {
  name: string;
  on: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean } | string;
  env?: Record<string, string>;
  jobs: Record<string, { if?: string; 'runs-on': string; env?: Record<string, string>; steps: Array<{ id?: string; name?: string; uses?: string; with?: Record<string, string>; run?: string; env?: Record<string, string>; if?: string; shell?: string }> }>;
}

export interface JobRun {
  skipped: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Outputs of each step with an id. */
  steps: Record<string, Record<string, string>>;
  /** `uses:` of the steps that ran, in order. */
  used: string[];
}

export interface RunJobOptions {
  workflow: string;
  job: string;
  /** The event payload (also written to GITHUB_EVENT_PATH by the caller). */
  event: Record<string, unknown>;
  eventName: string;
  env: Record<string, string>;
  cwd: string;
  githubToken: string;
  secrets: Record<string, string>;
  vars: Record<string, string>;
  /** Folder holding `actions/<name>/action.yml`: `uses: <owner>/<repo>/actions/<name>@<ref>` resolves here. */
  actionsRoot: string;
  /** The `inputs` context: a `workflow_dispatch` run's inputs (empty on other events). */
  inputs?: Record<string, string | boolean>;
}

/**
 * Runs one job of a workflow: job and step `if:`, `actions/checkout` as a no-op (the test has
 * prepared the workspace), our actions from the working tree, and `run:` steps in bash.
 */
export async function runWorkflowJob(options: RunJobOptions): Promise<JobRun> {
  const workflow = parse(await readFile(options.workflow, 'utf8')) as WorkflowYaml;
  const job = workflow.jobs[options.job];
  if (!job) throw new Error(`${options.workflow}: no job ${options.job}`);
  const github: Record<string, unknown> = {
    event: options.event,
    event_name: options.eventName,
    repository: options.env.GITHUB_REPOSITORY,
    head_ref: options.env.GITHUB_HEAD_REF ?? '',
    ref_name: options.env.GITHUB_REF_NAME ?? '',
    sha: options.env.GITHUB_SHA ?? '',
    run_id: options.env.GITHUB_RUN_ID ?? '',
    token: options.githubToken,
    workspace: options.cwd,
  };
  const ctx: Contexts = { inputs: options.inputs ?? {}, github, steps: {}, runner: { os: 'Linux', temp: tmpdir() }, env: { ...options.env }, secrets: options.secrets, vars: options.vars };
  const run: JobRun = { skipped: false, exitCode: 0, stdout: '', stderr: '', steps: {}, used: [] };
  if (!condition(job.if, ctx)) return { ...run, skipped: true };
  const jobEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...workflow.env, ...job.env })) jobEnv[k] = evaluate(String(v), ctx);
  ctx.env = { ...ctx.env, ...jobEnv };
  const temp = await mkdtemp(join(tmpdir(), 'pk-job-'));
  for (const [index, step] of job.steps.entries()) {
    if (!condition(step.if, ctx)) continue;
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v), ctx);
    const env = { ...ctx.env, ...stepEnv };
    let result: { exitCode: number; stdout: string; stderr: string; outputs: Record<string, string> };
    if (step.uses) {
      run.used.push(step.uses);
      if (/^actions\/checkout@/.test(step.uses)) continue;
      const ours = /^[\w.-]+\/[\w.-]+\/actions\/([\w-]+)@[\w.-]+$/.exec(step.uses);
      if (!ours) throw new Error(`${options.workflow}: the test runner cannot run ${step.uses}`);
      const withValues: Record<string, string> = {};
      for (const [k, v] of Object.entries(step.with ?? {})) withValues[k] = evaluate(String(v), ctx);
      result = await runAction({ action: join(options.actionsRoot, ours[1]!, 'action.yml'), with: withValues, env, cwd: options.cwd, githubToken: options.githubToken, github });
    } else if (step.run) {
      if (step.run.includes('${{')) throw new Error(`${options.workflow}: step ${index} has an expression inside run:`);
      const script = join(temp, `step-${index}.sh`);
      const outputFile = join(temp, `output-${index}`);
      await writeFile(script, step.run);
      await writeFile(outputFile, '');
      const r = await runBash(script, { ...env, GITHUB_OUTPUT: outputFile }, options.cwd);
      result = { ...r, outputs: parseOutputs(await readFile(outputFile, 'utf8')) };
    } else {
      throw new Error(`${options.workflow}: step ${index} has neither uses nor run`);
    }
    run.stdout += result.stdout;
    run.stderr += result.stderr;
    if (step.id) {
      ctx.steps[step.id] = { outputs: result.outputs };
      run.steps[step.id] = result.outputs;
    }
    if (result.exitCode !== 0) {
      run.exitCode = result.exitCode;
      break;
    }
  }
  return run;
}
