/**
 * The components' input regexes against the CLI's own settings loader: every value the CLI
 * accepts passes the input's regex (none of the old drift: `timeout: 7d`, `timeout: 90`,
 * `app: MyApp`, `pr: $CI_MERGE_REQUEST_IID`), a value of the wrong shape is refused by both, and a
 * value of the right shape but out of range (`timeout: 0`) is left to the CLI, which says why.
 * Checked on examples, on generated values, and through gitlab-ci-local, which applies the regexes
 * of a committed component as GitLab does at include time.
 */
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSettings } from '../../../src/core/settings.js';
import { z } from 'zod';
import { componentInputs } from '../../../src/forges/gitlab/component-inputs.js';
import { inputRegex } from '../../../src/forges/gitlab/input-pattern.js';
import { componentPath, PROVIDERS } from '../../../src/forges/gitlab/template-spec.js';
import { providerChoice } from '../../../src/providers/registry.js';
import { ROOT } from '../../helpers/cli.js';
import { copyIntoProject, gcl, project } from './gcl.js';

type Inputs = Record<string, { regex?: string; options?: string[] }>;

async function inputsOf(file: string): Promise<Inputs> {
  const [spec] = parseAllDocuments(await readFile(componentPath(ROOT, file), 'utf8'));
  return (spec!.toJS() as { spec: { inputs: Inputs } }).spec.inputs;
}

/** What the CLI makes of a value given to the input's variable: undefined when accepted, else its message. */
function cliRefusal(variable: string, value: string): string | undefined {
  const env = { PREVIEW_PROVIDER: 'clever-cloud', PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'feature/cart', [variable]: value };
  try {
    loadSettings({ flags: {}, env, detected: {} }, providerChoice);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const settingInputs = componentInputs().filter((i) => i.setting);
const variableOf = (input: string) => settingInputs.find((i) => i.name === input)!.setting!.variable;
const passes = (inputs: Inputs, input: string, value: string) => (inputs[input]?.regex === undefined ? true : new RegExp(inputs[input]!.regex!).test(value));

/** The CLI's examples, by input: accepted; refused for their shape; refused only for their value. */
const EXAMPLES: Record<string, { accepted: string[]; shape: string[]; value?: string[] }> = {
  timeout: { accepted: ['10m', '7d', '90', '1h30m', '250ms', '1.5h', ' 10m ', '2d12h', '45s'], shape: ['10 minutes', 'soon', '-5m', '10M', '1w', '5m 5s', 'm'], value: ['0', '0s', '30d'] },
  ttl: { accepted: ['14d', '90', '36h', '0'], shape: ['two weeks', '14 d', '14days'] },
  pr: { accepted: ['7', ' 12 ', '1234'], shape: ['#7', '!7', 'abc', '-1', '7.5'], value: ['99999999999999999999'] },
  max: { accepted: ['5', '0', '20'], shape: ['five', '-2', '3.5'] },
  domain: {
    accepted: ['{name}.preview.example.com', 'https://{name}.example.com/', 'a.example.com,b.example.com', '{name}.example.com\n{name}.example.org', ' x.example.com , y.example.com '],
    shape: ['x example.com', 'x.example.com;y', 'ünï.example.com'],
    value: ['{nope}.example.com', 'a..b.example.com', '-x.example.com'],
  },
  app: { accepted: ['MyApp', 'shop', 'Shop Front', 'a'], shape: [] },
  prefix: { accepted: ['review', 'Review-1'], shape: [] },
};

describe('inputRegex: a necessary condition of the schema, in the syntax RE2 and JavaScript share', () => {
  const whole = (schema: z.ZodTypeAny, value: string) => {
    const regex = inputRegex(schema);
    return regex === undefined ? 'any' : new RegExp(regex).test(value);
  };
  it.each([
    ['anchored regex', z.string().regex(/^[a-z]+$/), { abc: true, 'a b': false, ABC: false }],
    ['unanchored regex: contains', z.string().regex(/x\d/), { ax1b: true, ab: false }],
    ['alternatives, each anchored', z.string().regex(/^\d{2}$|^[a-f]+$/), { '12': true, abc: true, '12abc': false }],
    ['trimmed before the check', z.string().trim().regex(/^[a-z]+$/), { ' abc ': true, 'a c': false }],
    ['startsWith', z.string().startsWith('/'), { '/health': true, health: false }],
    ['enum', z.enum(['sleep', 'delete']), { sleep: true, delete: true, sleepy: false }],
    ['a list of entries', z.array(z.string().regex(/^[a-z.]+$/)).default([]), { 'a.b,c.d': true, 'a.b\nc.d': true, ' a , b ': true, 'a b': false }],
    ['a refinement keeps the inner shape', z.string().regex(/^\d+$/).refine((v) => v !== '0'), { '0': true, x: false }],
    ['the empty value and a variable always pass', z.string().regex(/^[a-z]+$/), { '': true, $CI_MERGE_REQUEST_IID: true, '${X}': true, '$1x': false }],
  ] as const)('%s', (_, schema, cases) => {
    for (const [value, expected] of Object.entries(cases)) expect(whole(schema, value), JSON.stringify(value)).toBe(expected);
  });
  it.each([
    ['a case-folding schema', z.string().toLowerCase().regex(/^[a-z]+$/)],
    ['lookahead', z.string().regex(/^(?=a)\w+$/)],
    ['a flag', z.string().regex(/^[a-z]+$/i)],
    ['a transform of free text', z.string().transform((v) => v.length)],
    ['a number or any text', z.union([z.number(), z.string()])],
  ] as const)('no regex for %s (the CLI judges it)', (_, schema) => {
    expect(inputRegex(schema)).toBeUndefined();
  });
});

describe.each(PROVIDERS.map((p) => p.file ?? p.id))('the %s component against the CLI', (file) => {
  let inputs: Inputs;
  beforeAll(async () => {
    inputs = await inputsOf(file);
  });

  it.each(Object.entries(EXAMPLES))('%s: what the CLI accepts passes; a wrong shape is refused by both; a wrong value is the CLI\'s to refuse', (input, examples) => {
    const variable = variableOf(input);
    for (const value of examples.accepted) {
      expect(cliRefusal(variable, value), `CLI on ${input}=${JSON.stringify(value)}`).toBeUndefined();
      expect(passes(inputs, input, value), `regex on ${input}=${JSON.stringify(value)}`).toBe(true);
    }
    for (const value of examples.shape) {
      expect(cliRefusal(variable, value), `CLI on ${input}=${JSON.stringify(value)}`).toBeDefined();
      expect(passes(inputs, input, value), `regex on ${input}=${JSON.stringify(value)}`).toBe(false);
    }
    for (const value of examples.value ?? []) {
      expect(cliRefusal(variable, value), `CLI on ${input}=${JSON.stringify(value)}`).toBeDefined();
      expect(passes(inputs, input, value), `regex on ${input}=${JSON.stringify(value)}`).toBe(true);
    }
  });

  it('every setting input with a regex also takes a variable GitLab expands, and nothing (the setting left alone)', () => {
    for (const input of settingInputs.filter((i) => inputs[i.name]?.regex)) {
      for (const value of ['', '$CI_MERGE_REQUEST_IID', '${PREVIEW_VALUE}']) expect(passes(inputs, input.name, value), `${input.name}=${value}`).toBe(true);
      expect(passes(inputs, input.name, '$not a variable'), input.name).toBe(false);
    }
  });

  it('generated values: whatever the CLI accepts, the regex accepts', () => {
    const alphabet = [...'0123456789 .,-_/:{}#!$abdhmsxyzAMW\n'];
    const text = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 14 });
    for (const input of settingInputs.filter((i) => inputs[i.name]?.regex)) {
      fc.assert(
        fc.property(text, (value) => cliRefusal(input.setting!.variable, value) !== undefined || passes(inputs, input.name, value)),
        { numRuns: 400, seed: 11 },
      );
    }
  });
});

describe('gitlab-ci-local applies the regexes at include time', () => {
  let home: string;
  const cleanups: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'pk-gcl-home-'));
  });
  afterAll(async () => {
    for (const c of cleanups) await c();
    await rm(home, { recursive: true, force: true });
  });

  it('takes the values the CLI takes, and refuses a timeout the CLI would refuse', async () => {
    const files = await copyIntoProject(['templates/clever-cloud/template.yml']);
    const include = (inputs: Record<string, string>) =>
      `include:\n  - local: templates/clever-cloud/template.yml\n    inputs:\n${Object.entries(inputs).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`).join('')}`;
    const good = { timeout: '7d', app: 'MyApp', pr: '$CI_MERGE_REQUEST_IID', ttl: '90', max: '5', domain: '{name}.preview.example.com,{name}.example.org' };
    const repo = await project({ ...files, '.gitlab-ci.yml': include(good) }, { cleanups });
    const ok = await gcl(repo.dir, ['--list'], home);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/preview:review\s+deploy/);

    await writeFile(join(repo.dir, '.gitlab-ci.yml'), include({ timeout: '10 minutes' }));
    const refused = await gcl(repo.dir, ['--list'], home);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('`timeout` input: `10 minutes` does not match required regex');
  });
});
