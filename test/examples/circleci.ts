/**
 * Runs a CircleCI 2.1 config the way CircleCI does, for what our example uses: pipeline
 * parameters and values substituted (`<< pipeline.… >>`) before the YAML is read, workflows
 * chosen by their `when` expression, and a job's steps run in order — `checkout` clones the
 * repository into the working directory, each `run` is a bash script (`bash -eo pipefail`, as
 * CircleCI runs it) with the job's and the step's `environment` and BASH_ENV sourced at start,
 * and the first failing step ends the job. Anything this does not model throws, so an example
 * cannot quietly depend on it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Scalar = string | number | boolean;

export interface Pipeline {
  /** `pipeline.trigger_source`: `webhook` for a push, `scheduled_pipeline`, `api` for a run by hand. */
  triggerSource: 'webhook' | 'scheduled_pipeline' | 'api';
  /** `pipeline.schedule.name` (schedule triggers only). */
  scheduleName?: string;
  branch: string;
  revision: string;
  projectSlug: string;
  parameters?: Record<string, Scalar>;
}

export interface Step {
  run?: string | { name?: string; command: string; environment?: Record<string, Scalar> };
  [key: string]: unknown;
}

export interface Job {
  docker?: Array<{ image: string }>;
  environment?: Record<string, Scalar>;
  working_directory?: string;
  steps: Array<string | Step>;
  [key: string]: unknown;
}

export interface Config {
  version: number;
  parameters?: Record<string, { type: string; default?: Scalar; description?: string }>;
  jobs: Record<string, Job>;
  workflows: Record<string, { when?: string | boolean; unless?: string | boolean; jobs: Array<string | Record<string, Record<string, unknown>>> }>;
}

/** The pipeline values and parameters, by the names config refers to them with. */
export function valuesOf(raw: Config, pipeline: Pipeline): Map<string, Scalar> {
  const values = new Map<string, Scalar>([
    ['pipeline.trigger_source', pipeline.triggerSource],
    ['pipeline.schedule.name', pipeline.scheduleName ?? ''],
    ['pipeline.git.branch', pipeline.branch],
    ['pipeline.git.revision', pipeline.revision],
    ['pipeline.project.slug', pipeline.projectSlug],
  ]);
  const declared = raw.parameters ?? {};
  for (const name of Object.keys(pipeline.parameters ?? {})) {
    if (!(name in declared)) throw new Error(`Unexpected argument(s): ${name} (not declared under parameters)`);
  }
  for (const [name, spec] of Object.entries(declared)) {
    const value = pipeline.parameters?.[name] ?? spec.default;
    if (value === undefined) throw new Error(`missing pipeline parameter ${name}`);
    if (typeof value !== ({ boolean: 'boolean', integer: 'number', string: 'string', enum: 'string' } as Record<string, string>)[spec.type]) {
      throw new Error(`pipeline parameter ${name} is a ${spec.type}, got ${JSON.stringify(value)}`);
    }
    values.set(`pipeline.parameters.${name}`, value);
  }
  return values;
}

/** Compiles the config for one pipeline: `<< name >>` replaced by its value, then read. */
export function compile(text: string, pipeline: Pipeline): { config: Config; values: Map<string, Scalar> } {
  const values = valuesOf(parse(text) as Config, pipeline);
  const substituted = text.replace(/<<\s*([\w.-]+)\s*>>/g, (_, name: string) => {
    if (!values.has(name)) throw new Error(`unknown value << ${name} >>`);
    return String(values.get(name));
  });
  return { config: parse(substituted) as Config, values };
}

/** Evaluates a CircleCI expression: names, string and boolean literals, ==, !=, not, and, or, ( ). */
export function evaluate(expression: string, values: Map<string, Scalar>): Scalar {
  const tokens = expression.match(/\s*("(?:[^"\\]|\\.)*"|'[^']*'|==|!=|\(|\)|[A-Za-z_][\w.-]*|\S)/g)?.map((t) => t.trim()) ?? [];
  let i = 0;
  const truthy = (v: Scalar) => (typeof v === 'string' ? v !== '' : Boolean(v));
  const primary = (): Scalar => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`expression ends early: ${expression}`);
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`missing ) in ${expression}`);
      return v;
    }
    if (t === 'true' || t === 'false') return t === 'true';
    if (/^["']/.test(t)) return t.slice(1, -1);
    if (/^[A-Za-z_]/.test(t)) {
      if (!values.has(t)) throw new Error(`unknown name ${t} in ${expression}`);
      return values.get(t)!;
    }
    throw new Error(`unexpected ${t} in ${expression}`);
  };
  const comparison = (): Scalar => {
    const left = primary();
    if (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const right = primary();
      return op === '==' ? left === right : left !== right;
    }
    return left;
  };
  const not = (): Scalar => (tokens[i] === 'not' ? (i++, !truthy(not())) : comparison());
  const and = (): Scalar => {
    let v = not();
    while (tokens[i] === 'and') {
      i++;
      const r = not();
      v = truthy(v) && truthy(r);
    }
    return v;
  };
  const or = (): Scalar => {
    let v = and();
    while (tokens[i] === 'or') {
      i++;
      const r = and();
      v = truthy(v) || truthy(r);
    }
    return v;
  };
  const result = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expression}`);
  return truthy(result);
}

/** The workflows a pipeline runs. */
export function workflowsToRun(config: Config, values: Map<string, Scalar>): string[] {
  const holds = (c: string | boolean) => (typeof c === 'boolean' ? c : evaluate(c, values) === true);
  return Object.entries(config.workflows)
    .filter(([, w]) => (w.when === undefined || holds(w.when)) && (w.unless === undefined || !holds(w.unless)))
    .map(([name]) => name);
}

export interface JobRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Names of the steps that ran, in order. */
  steps: string[];
}

function bash(script: string, env: Record<string, string>, cwd: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script, 'bash', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs one job of a compiled config. `env` is what CircleCI gives every step (CIRCLE_*, project
 * variables); HOME is the job's home; `repository` is what `checkout` clones.
 */
export async function runJob(config: Config, name: string, options: { env: Record<string, string>; repository: string; branch: string; revision: string }): Promise<JobRun> {
  const job = config.jobs[name];
  if (!job) throw new Error(`no job ${name}`);
  const home = options.env.HOME!;
  const workdir = (job.working_directory ?? '~/project').replace(/^~/, home);
  const bashEnv = join(home, '.circleci-bash-env');
  writeFileSync(bashEnv, '');
  mkdirSync(workdir, { recursive: true });
  const strings = (record: Record<string, Scalar> = {}) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
  const base = { ...options.env, BASH_ENV: bashEnv, CIRCLE_JOB: name, CIRCLE_WORKING_DIRECTORY: workdir, ...strings(job.environment) };
  const run: JobRun = { exitCode: 0, stdout: '', stderr: '', steps: [] };
  for (const step of job.steps) {
    const kind = typeof step === 'string' ? step : Object.keys(step)[0]!;
    if (kind === 'checkout') {
      run.steps.push('checkout');
      const r = await bash('git clone --quiet --branch "$1" "$2" . && git checkout --quiet --force -B "$1" "$3"', base, workdir, [options.branch, options.repository, options.revision]);
      run.stderr += r.stderr;
      if (r.code !== 0) return { ...run, exitCode: r.code };
    } else if (kind === 'setup_remote_docker') {
      // The job's docker client talks to a remote engine; tests put a stand-in docker on PATH.
      run.steps.push('setup_remote_docker');
    } else if (kind === 'run') {
      const spec = (step as Step).run!;
      const { command, name: title, environment } = typeof spec === 'string' ? { command: spec, name: spec.split('\n')[0]!, environment: undefined } : spec;
      run.steps.push(title ?? command.split('\n')[0]!);
      const r = await bash(command, { ...base, ...strings(environment) }, workdir);
      run.stdout += r.stdout;
      run.stderr += r.stderr;
      if (r.code !== 0) return { ...run, exitCode: r.code };
    } else {
      throw new Error(`step ${kind} is not modelled by this runner`);
    }
  }
  return run;
}
