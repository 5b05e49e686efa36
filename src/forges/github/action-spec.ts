/**
 * Writes `actions/<command>/action.yml` from the CLI's own option tables, so every CLI option
 * that matters in a workflow is an input, documented the same way, passed through the same env
 * variable, and no action drifts from the CLI. A test fails when a committed file is stale.
 *
 *   npx tsx src/forges/github/action-spec.ts --write
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { OptionSpec } from '../../core/options.js';
import { commonOptions } from '../../core/settings.js';
import { providerModules } from '../../providers/registry.js';

/** Every provider's option table, from the registry: an action knows a provider as soon as the registry does. */
const PROVIDER_OPTIONS: Array<[string, OptionSpec[]]> = providerModules.map((m) => [m.id, m.options as OptionSpec[]]);

export const ACTION_COMMANDS = ['ensure-app', 'set-domain', 'deploy', 'up', 'stop'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

interface Input {
  name: string;
  description: string;
  default: string;
  /** Env variable(s) the step sets from this input. */
  env: string[];
}

const ALL: readonly ActionCommand[] = ACTION_COMMANDS;
const DEPLOYING: readonly ActionCommand[] = ['ensure-app', 'set-domain', 'deploy', 'up'];

/** Common CLI options each action exposes. */
const COMMON_KEYS: Record<string, readonly ActionCommand[]> = {
  provider: ALL,
  app: ALL,
  branch: ALL,
  pr: ALL,
  prefix: ALL,
  domain: DEPLOYING,
  favourite: ['set-domain', 'up'],
  env: ['ensure-app', 'up'],
  adopt: ['ensure-app', 'set-domain', 'deploy', 'up'],
  commit: ['deploy', 'up'],
  force: ['deploy', 'up'],
  waitUrl: ['deploy', 'up'],
  healthPath: ['deploy', 'up'],
  source: ALL,
  config: ALL,
  timeout: ALL,
  dryRun: ALL,
  debug: ALL,
};

/**
 * Inputs that map to CLI settings default to empty: an empty input is not passed on, so the job's
 * env and `.preview.yml` still apply and the CLI's own default is the last word. The description
 * says what that default is.
 */
const FALLBACK_TEXT: Record<string, string> = { force: 'false', favourite: 'false', waitUrl: 'false', adopt: 'false', dryRun: 'false', debug: 'false' };

/** Env prefix of inputs in the step; run-cli.sh exports the non-empty ones under their real name. */
export const INPUT_PREFIX = 'PREVIEW_KIT_IN_';

const DESCRIPTIONS: Record<ActionCommand, string> = {
  'ensure-app': "Find or create this branch's preview app (and its add-ons), tagged as ours. Idempotent.",
  'set-domain': "Attach the preview's domain(s), idempotently.",
  deploy: 'Deploy the commit to the preview; skipped when that commit is already live.',
  up: 'Create or update the preview environment of this branch or pull request: app, domain and deployment in one idempotent step.',
  stop: "Tear this branch's preview down completely; a no-op when it is already gone.",
};

const OUTPUTS: Record<ActionCommand, Array<[string, string]>> = {
  'ensure-app': [
    ['name', 'preview name'],
    ['url', 'preview URL'],
    ['app-id', "id of the preview app on the platform"],
    ['created', '"true" when the app was created by this run'],
    ['changed', '"true" when this run changed anything'],
  ],
  'set-domain': [
    ['name', 'preview name'],
    ['url', 'preview URL (the first domain)'],
    ['app-id', "id of the preview app on the platform"],
    ['changed', '"true" when a domain was added'],
  ],
  deploy: [
    ['name', 'preview name'],
    ['url', 'preview URL'],
    ['app-id', "id of the preview app on the platform"],
    ['deployed', '"true" when a deployment ran, "false" when the commit was already live'],
    ['commit', 'commit SHA the preview runs'],
  ],
  up: [
    ['name', 'preview name'],
    ['url', 'preview URL'],
    ['app-id', "id of the preview app on the platform"],
    ['created', '"true" when the app was created by this run'],
    ['changed', '"true" when this run changed the app or its domains'],
    ['deployed', '"true" when a deployment ran, "false" when the commit was already live'],
    ['commit', 'commit SHA the preview runs'],
  ],
  stop: [
    ['name', 'preview name'],
    ['deleted', '"true" when something was removed, "false" when the preview was already gone'],
    ['removed', 'what was removed, comma separated'],
  ],
};

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function describe(spec: OptionSpec): string {
  const text = spec.description.replace(/\s*\(repeatable\)/, '');
  const parts = [sentence(text.charAt(0).toUpperCase() + text.slice(1))];
  if (spec.type === 'boolean') parts.push('"true" or "false".');
  if (spec.type === 'list') parts.push('Several values: one per line or comma separated.');
  const fallback = spec.defaultText ?? FALLBACK_TEXT[spec.key];
  if (fallback) parts.push(`Default: ${fallback}.`);
  if (spec.secret) parts.push('Pass it from a secret.');
  if (spec.env?.length) parts.push(`CLI: ${spec.flag ? `--${spec.flag}, ` : ''}${spec.env[0]}.`);
  return parts.join(' ');
}

/** Input name of an option: its CLI flag, else its env variable in kebab case. */
export function inputName(spec: OptionSpec): string {
  return spec.flag ?? spec.env![0]!.toLowerCase().replace(/_/g, '-');
}

function commonInputs(command: ActionCommand): Input[] {
  const inputs: Input[] = [];
  for (const spec of commonOptions) {
    if (!COMMON_KEYS[spec.key]?.includes(command)) continue;
    if (spec.key === 'env') {
      inputs.push({
        name: 'env',
        description: 'Environment variables of the preview, one KEY=VALUE per line (lines starting with # are ignored); merged over the env map of .preview.yml.',
        default: '',
        env: ['PREVIEW_KIT_ENV_LINES'],
      });
      continue;
    }
    inputs.push({ name: spec.flag!, description: describe(spec), default: '', env: [spec.env![0]!] });
  }
  return inputs;
}

/**
 * Every provider's options that a workflow would set: those with a flag, plus env-only secrets
 * (credentials). Options shared by name across providers map to each provider's variable.
 */
function providerInputs(): Input[] {
  const byName = new Map<string, Input & { providers: string[]; text: string }>();
  for (const [id, options] of PROVIDER_OPTIONS) {
    for (const spec of options) {
      if (!spec.env?.length || (!spec.flag && !spec.secret)) continue;
      const name = inputName(spec);
      const existing = byName.get(name);
      if (existing) {
        existing.providers.push(id);
        if (!existing.env.includes(spec.env[0]!)) existing.env.push(spec.env[0]!);
        continue;
      }
      byName.set(name, { name, description: '', default: '', env: [spec.env[0]!], providers: [id], text: describe(spec) });
    }
  }
  return [...byName.values()].map(({ providers, text, ...input }) => ({ ...input, description: `${providers.join(', ')}: ${text}` }));
}

function githubInputs(command: ActionCommand): Input[] {
  const inputs: Input[] = [
    {
      name: 'github-token',
      description: 'Token for the pull request comment and the GitHub deployment. The workflow token needs `pull-requests: write` and `deployments: write`; deleting the environment on stop needs `administration: write`, which only a fine-grained token or a GitHub App has.',
      default: '${{ github.token }}',
      env: ['PREVIEW_GITHUB_TOKEN'],
    },
  ];
  if (command === 'deploy' || command === 'up' || command === 'stop') {
    inputs.push(
      { name: 'comment', description: 'Keep one sticky comment per preview on the pull request (edited in place, says "removed" after stop). "true" or "false".', default: 'true', env: ['PREVIEW_GITHUB_COMMENT'] },
      { name: 'deployment', description: 'Record a GitHub deployment with the preview URL (marked inactive on stop). "true" or "false".', default: 'true', env: ['PREVIEW_GITHUB_DEPLOYMENT'] },
      { name: 'github-environment', description: 'GitHub environment of the deployment; {name}, {branch}, {pr}, {app} are replaced.', default: 'preview/{name}', env: ['PREVIEW_GITHUB_ENVIRONMENT'] },
    );
  }
  if (command === 'stop') {
    inputs.push({ name: 'delete-environment', description: 'Delete the GitHub environment on stop (needs a token with administration: write; otherwise one warning). "true" or "false".', default: 'true', env: ['PREVIEW_GITHUB_DELETE_ENVIRONMENT'] });
  }
  if (DEPLOYING.includes(command)) {
    inputs.push({ name: 'allow-forks', description: "Deploy pull requests from forks too. Their code runs with this workflow's secrets: only for repositories that trust every fork. \"true\" or \"false\".", default: 'false', env: ['PREVIEW_ALLOW_FORKS'] });
  }
  return inputs;
}

export function actionInputs(command: ActionCommand): Input[] {
  const inputs = [...commonInputs(command), ...providerInputs(), ...githubInputs(command)];
  const seen = new Set<string>();
  for (const input of inputs) {
    // A provider option named like a common one would silently shadow it: rename the flag.
    if (seen.has(input.name)) throw new Error(`action input "${input.name}" is defined twice`);
    seen.add(input.name);
  }
  return inputs;
}

export function actionDocument(command: ActionCommand): Record<string, unknown> {
  const inputs = actionInputs(command);
  const env: Record<string, string> = {};
  for (const input of inputs) {
    for (const name of input.env) env[name === 'PREVIEW_KIT_ENV_LINES' ? name : `${INPUT_PREFIX}${name}`] = `\${{ inputs.${input.name} }}`;
  }
  return {
    name: `preview-kit ${command}`,
    description: DESCRIPTIONS[command],
    author: 'preview-kit',
    branding: { icon: command === 'stop' ? 'trash-2' : 'eye', color: 'purple' },
    inputs: Object.fromEntries(inputs.map((i) => [i.name, { description: i.description, required: false, default: i.default }])),
    outputs: Object.fromEntries(OUTPUTS[command].map(([name, description]) => [name, { description: sentence(description.charAt(0).toUpperCase() + description.slice(1)), value: `\${{ steps.preview.outputs.${name} }}` }])),
    runs: {
      using: 'composite',
      steps: [
        {
          id: 'preview',
          shell: 'bash',
          env,
          run: `bash "$GITHUB_ACTION_PATH/../run-cli.sh" ${command}`,
        },
      ],
    },
  };
}

export function renderAction(command: ActionCommand): string {
  const header = `# Generated by src/forges/github/action-spec.ts from the CLI's option tables.\n# Edit the tables, then run: npx tsx src/forges/github/action-spec.ts --write\n`;
  return header + stringify(actionDocument(command), { lineWidth: 0 });
}

export function actionPath(root: string, command: ActionCommand): string {
  return join(root, 'actions', command, 'action.yml');
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  for (const command of ACTION_COMMANDS) {
    const path = actionPath(root, command);
    const text = renderAction(command);
    if ((await readFile(path, 'utf8').catch(() => '')) === text) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    process.stderr.write(`wrote ${path.slice(root.length + 1)}\n`);
  }
}
