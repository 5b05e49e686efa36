/**
 * The inputs of each composite action: only what its command uses, each with the default that
 * really applies. Provider settings that are not secrets are not inputs: they come from
 * `.preview.yml` or the one multi-line `settings` input (YAML shaped like `.preview.yml`);
 * credentials stay inputs of their own, because a secret never belongs in a settings text.
 */
import type { OptionSpec } from '../../core/options.js';
import { commonOptions } from '../../core/settings.js';
import { providerModules } from '../../providers/registry.js';

export const ACTION_COMMANDS = ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'prune'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

/** The credential inputs: name and the variable each one sets. */
export function credentialVariables(): Array<{ name: string; variable: string }> {
  return credentialInputs().map((i) => ({ name: i.name, variable: i.env }));
}

export interface ActionInput {
  name: string;
  description: string;
  /** What the action.yml declares; `''` only where the value is found at run time (git, the event, .preview.yml). */
  default: string;
  /** Variable the step sets from the input. */
  env: string;
  /**
   * The input is handed over only when it differs from its default, so that `.preview.yml`, the
   * `settings` input and the job's env still decide when the workflow leaves it alone.
   */
  onlyWhenChanged?: boolean;
  /** Handed over as is, under `env` (not through run-cli.sh's non-empty filter). */
  direct?: boolean;
}

/** Env prefix of inputs in the step; run-cli.sh exports the non-empty ones under their real name. */
export const INPUT_PREFIX = 'PREVIEW_KIT_IN_';

const DEPLOYING: readonly ActionCommand[] = ['ensure-app', 'set-domain', 'deploy', 'up'];
const ONE_PREVIEW: readonly ActionCommand[] = [...DEPLOYING, 'stop'];
const ALL: readonly ActionCommand[] = ACTION_COMMANDS;
const REPORTING: readonly ActionCommand[] = ['deploy', 'up', 'stop'];

interface CommonInput {
  key: string;
  commands: readonly ActionCommand[];
  description: string;
  default?: string;
}

/** The CLI's common settings each action offers, in the order the action.yml lists them. */
const COMMON: CommonInput[] = [
  { key: 'provider', commands: ALL, description: `${providerModules.map((m) => m.id).join(', ').replace(/, ([^,]+)$/, ' or $1')}. Empty: provider of .preview.yml or the settings input.` },
  { key: 'app', commands: ALL, description: 'Base name of the project. Empty: .preview.yml, else the repository name.' },
  { key: 'branch', commands: ONE_PREVIEW, description: 'Branch the preview is for. Empty: the pull request head branch, else the pushed branch.' },
  { key: 'pr', commands: ONE_PREVIEW, description: 'Name the preview after this pull request number instead of the branch (a fork is always keyed by its number).' },
  { key: 'prefix', commands: ALL, description: 'Prefix of every preview name, e.g. review. Empty: .preview.yml, else none.' },
  { key: 'domain', commands: DEPLOYING, description: "Domain template(s), one per line, e.g. {name}.preview.example.com. Empty: .preview.yml, else the platform's default domain." },
  { key: 'env', commands: ['ensure-app', 'deploy', 'up'], description: 'Environment variables of the preview, one KEY=VALUE per line (# comments allowed), merged over the env of .preview.yml.' },
  { key: 'settings', commands: ALL, description: 'Settings as YAML shaped like .preview.yml (provider sections, env, health-path…), laid over that file. No secrets here.' },
  { key: 'config', commands: ALL, description: 'Settings file, relative to source.', default: '.preview.yml' },
  { key: 'source', commands: DEPLOYING, description: 'Directory of the checkout to deploy; the settings file is read from it.', default: '.' },
  { key: 'source', commands: ['stop'], description: 'Directory the settings file is read from.', default: '.' },
  { key: 'source', commands: ['prune'], description: 'Directory the settings file is read from and git lists the branches in.', default: '.' },
  { key: 'commit', commands: ['deploy', 'up'], description: "Commit to deploy. Empty: the pull request's head commit, else HEAD." },
  { key: 'force', commands: ['deploy', 'up'], description: 'Deploy even when the commit is already live.', default: 'false' },
  { key: 'waitUrl', commands: ['deploy', 'up'], description: 'After deploying, wait until the URL answers (health-path in settings, default /).', default: 'false' },
  { key: 'ttl', commands: ['prune'], description: 'Also remove previews older than this, e.g. 14d, open pull requests included. Empty: no age limit.' },
  { key: 'max', commands: ['prune'], description: 'Keep at most this many previews, the oldest go first. Empty: no limit.' },
  { key: 'timeout', commands: ALL, description: 'Overall deadline, e.g. 10m.', default: '15m' },
  { key: 'adopt', commands: DEPLOYING, description: 'Take over an existing resource of the preview name that lacks the preview-kit marker.', default: 'false' },
  { key: 'dryRun', commands: ALL, description: 'Print the plan and change nothing.', default: 'false' },
];

/** Credentials, one input each (each one is also read from the job env under its variable). */
const CREDENTIALS: Array<{ provider: string; key: string; name: string; description: string }> = [
  { provider: 'clever-cloud', key: 'token', name: 'clever-token', description: 'OAuth token (with clever-secret), from a secret.' },
  { provider: 'clever-cloud', key: 'secret', name: 'clever-secret', description: 'OAuth token secret, from a secret.' },
  { provider: 'clever-cloud', key: 'apiToken', name: 'clever-api-token', description: 'API token (Bearer), instead of clever-token and clever-secret, from a secret.' },
  { provider: 'kubernetes', key: 'kubeconfig', name: 'kubeconfig', description: 'Path of the kubeconfig file (write the secret to a file in an earlier step).' },
  { provider: 'kubernetes', key: 'token', name: 'kube-token', description: "Bearer token for the API server, instead of the kubeconfig's user, from a secret." },
  { provider: 'convox', key: 'rackUrl', name: 'rack-url', description: 'Rack API URL, e.g. https://convox:PASSWORD@api.rack.example.com, from a secret.' },
  { provider: 'convox', key: 'password', name: 'convox-password', description: 'Rack password, when rack-url carries none, from a secret.' },
];

/**
 * Secrets that are not inputs: rare enough to be set in the step's or job's `env:` (a composite
 * action's steps see it). A test fails when a provider gains a secret that is in neither list.
 */
export const ENV_ONLY_SECRETS = ['CLEVER_OAUTH_CONSUMER_SECRET', 'PREVIEW_DATABASE_URL'];

function specOf(options: OptionSpec[], key: string, where: string): OptionSpec {
  const spec = options.find((o) => o.key === key);
  if (!spec?.env?.length) throw new Error(`action inputs: ${where} has no option "${key}" with an env variable`);
  return spec;
}

function commonInputs(command: ActionCommand): ActionInput[] {
  return COMMON.filter((c) => c.commands.includes(command)).map((c) => {
    const spec = specOf(commonOptions, c.key, 'the common settings');
    const name = spec.flag!;
    if (c.key === 'env') return { name, description: c.description, default: '', env: 'PREVIEW_KIT_ENV_LINES', direct: true };
    return { name, description: c.description, default: c.default ?? '', env: spec.env![0]! };
  });
}

function credentialInputs(): ActionInput[] {
  return CREDENTIALS.map(({ provider, key, name, description }) => {
    const module = providerModules.find((m) => m.id === provider);
    if (!module) throw new Error(`action inputs: no provider ${provider}`);
    const spec = specOf(module.options as OptionSpec[], key, provider);
    return { name, description: `${provider}: ${description}`, default: '', env: spec.env![0]! };
  });
}

const GITHUB_TOKEN_USE: Record<string, string> = {
  report: 'Token for the pull request comment and the deployment (needs pull-requests: write, deployments: write).',
  prune: 'Token to list the open pull requests (needs pull-requests: read).',
};

function githubInputs(command: ActionCommand): ActionInput[] {
  const inputs: ActionInput[] = [];
  if (REPORTING.includes(command) || command === 'prune') {
    inputs.push({ name: 'github-token', description: GITHUB_TOKEN_USE[command === 'prune' ? 'prune' : 'report']!, default: '${{ github.token }}', env: 'PREVIEW_GITHUB_TOKEN' });
  }
  if (REPORTING.includes(command)) {
    inputs.push(
      { name: 'comment', description: 'Keep one sticky comment per preview on the pull request, edited in place.', default: 'true', env: 'PREVIEW_GITHUB_COMMENT' },
      { name: 'deployment', description: 'Record a GitHub deployment with the preview URL (marked inactive on stop).', default: 'true', env: 'PREVIEW_GITHUB_DEPLOYMENT' },
      { name: 'github-environment', description: 'GitHub environment of the deployment; {name}, {branch}, {pr}, {app} are replaced.', default: 'preview/{name}', env: 'PREVIEW_GITHUB_ENVIRONMENT' },
    );
  }
  if (command === 'stop') {
    inputs.push({ name: 'delete-environment', description: 'Also delete the GitHub environment. Needs administration: write (a fine-grained or GitHub App token), which the workflow token never has.', default: 'false', env: 'PREVIEW_GITHUB_DELETE_ENVIRONMENT' });
  }
  if (DEPLOYING.includes(command)) {
    inputs.push({ name: 'allow-forks', description: "Deploy pull requests from forks too: their code runs with this workflow's secrets.", default: 'false', env: 'PREVIEW_ALLOW_FORKS' });
  }
  if (command === 'prune') {
    inputs.push(
      { name: 'keep', description: 'More branches or pull requests (#42) whose previews are kept, one per line.', default: '', env: 'PREVIEW_KIT_KEEP', direct: true },
      { name: 'keep-branches', description: 'Keep the previews of the branches that exist on origin (git ls-remote; needs actions/checkout).', default: 'true', env: 'PREVIEW_KIT_KEEP_BRANCHES', direct: true },
      { name: 'keep-pull-requests', description: 'Keep the previews of open pull requests (listed with github-token).', default: 'true', env: 'PREVIEW_KIT_KEEP_PULL_REQUESTS', direct: true },
    );
  }
  return inputs;
}

export function actionInputs(command: ActionCommand): ActionInput[] {
  // Every constant default is handed over only when changed; github-token's default is an
  // expression the runner fills in, and is always handed over.
  const inputs = [...commonInputs(command), ...credentialInputs(), ...githubInputs(command)].map((input) =>
    input.default !== '' && !input.default.includes('${{') ? { ...input, onlyWhenChanged: true } : input,
  );
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.name)) throw new Error(`action input "${input.name}" is defined twice`);
    seen.add(input.name);
  }
  return inputs;
}

/** The step env entry of an input: its variable and the expression that fills it. */
export function envEntry(input: ActionInput): [string, string] {
  const variable = input.direct ? input.env : `${INPUT_PREFIX}${input.env}`;
  const value = input.onlyWhenChanged ? `\${{ inputs.${input.name} != '${input.default}' && inputs.${input.name} || '' }}` : `\${{ inputs.${input.name} }}`;
  return [variable, value];
}
