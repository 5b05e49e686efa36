/**
 * Writes the GitLab CI definitions of every provider from the CLI's option tables:
 * `gitlab-templates/<provider>.yml` (an `include:` template, overridable by variables) and
 * `templates/<provider>/template.yml` (the same jobs as a CI/CD catalog component with
 * `spec:inputs`). A test fails when a committed file is stale.
 *
 *   npx tsx src/forges/gitlab/template-spec.ts --write
 *
 * How the jobs get the CLI: the stop job must work after the branch is gone, so it cannot use
 * the repository (GIT_STRATEGY: none, no checkout); both jobs run `$PREVIEW_KIT_CLI`, by default
 * the published package pinned to this version through npx. Tests point it at the local bundle.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { OptionSpec } from '../../core/options.js';
import { commonOptions, type ProviderId } from '../../core/settings.js';
import { providerModule, providerModules } from '../../providers/registry.js';
import { VERSION } from '../../version.js';

function optionsOf(id: ProviderId): OptionSpec[] {
  return providerModule(id).options as OptionSpec[];
}

interface ProviderTemplate {
  id: ProviderId;
  title: string;
  options: OptionSpec[];
  /** Variables the review job needs for this platform. */
  reviewVariables: Record<string, string>;
  /** One line on credentials, for the header. */
  credentials: string;
  /** File and component name, when it is not the provider id. */
  file?: string;
}

export const PROVIDERS: ProviderTemplate[] = [
  {
    id: 'clever-cloud',
    title: 'Clever Cloud',
    options: optionsOf('clever-cloud'),
    // Deploying is a git push of the commit: a shallow clone cannot be pushed to a new remote.
    reviewVariables: { GIT_DEPTH: '0' },
    credentials: 'CLEVER_TOKEN and CLEVER_SECRET (or CLEVER_API_TOKEN), masked; CLEVER_ORG for an organisation',
  },
  {
    id: 'docker',
    // Named after both halves: the Docker host runs the previews, Caddy routes to them.
    file: 'docker-caddy',
    title: 'a Docker host behind Caddy',
    options: optionsOf('docker'),
    reviewVariables: {},
    credentials: 'DOCKER_HOST (ssh://user@host, tcp://… or a socket the runner mounts) and CADDY_ADMIN reachable from the runner',
  },
  {
    id: 'kubernetes',
    title: 'Kubernetes',
    options: optionsOf('kubernetes'),
    reviewVariables: {},
    credentials: 'KUBECONFIG as a File variable (or K8S_SERVER and K8S_TOKEN, masked); the app image (PREVIEW_IMAGE, e.g. $CI_REGISTRY_IMAGE:{commit}) is built by an earlier job',
  },
  {
    id: 'convox',
    title: 'a Convox rack',
    options: optionsOf('convox'),
    reviewVariables: {},
    credentials: 'RACK_URL (https://convox:PASSWORD@host), masked',
  },
];

export const DEFAULT_IMAGE = 'node:20';
export const DEFAULT_CLI = `npx --yes preview-kit@${VERSION}`;
const DOTENV = 'preview.env';
const BRANCH_RULE = '$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH';

interface JobParts {
  review: string;
  stop: string;
  stage: string;
  image: string;
  environment: string;
  autoStopIn: string;
  /** Variables of both jobs. */
  variables: Record<string, string>;
}

function jobs(provider: ProviderTemplate, parts: JobParts): Record<string, unknown> {
  const variables = { PREVIEW_PROVIDER: provider.id, ...parts.variables };
  return {
    [parts.review]: {
      stage: parts.stage,
      image: parts.image,
      variables: { ...variables, ...provider.reviewVariables, PREVIEW_DOTENV: DOTENV },
      script: ['$PREVIEW_KIT_CLI up'],
      environment: { name: parts.environment, url: '$PREVIEW_URL', on_stop: parts.stop, auto_stop_in: parts.autoStopIn },
      // One job at a time per preview: an up and a stop of the same branch never overlap.
      resource_group: parts.environment,
      artifacts: { reports: { dotenv: DOTENV } },
      rules: [{ if: BRANCH_RULE }],
    },
    [parts.stop]: {
      stage: parts.stage,
      image: parts.image,
      // No checkout: the branch may be gone; the name comes from CI_PROJECT_NAME and CI_COMMIT_REF_NAME.
      variables: { ...variables, GIT_STRATEGY: 'none' },
      script: ['$PREVIEW_KIT_CLI stop'],
      environment: { name: parts.environment, action: 'stop' },
      resource_group: parts.environment,
      dependencies: [],
      rules: [{ if: BRANCH_RULE, when: 'manual' }],
      allow_failure: true,
    },
  };
}

/** Settings variables this provider's jobs read (for the header), first env name of each option. */
export function variablesRead(provider: ProviderTemplate): { common: string[]; platform: string[] } {
  const envOf = (specs: OptionSpec[]) => specs.filter((s) => s.env?.length && !['PREVIEW_PROVIDER', 'PREVIEW_DOTENV'].includes(s.env[0]!)).map((s) => s.env![0]!);
  return { common: envOf(commonOptions), platform: envOf(provider.options) };
}

function wrap(words: string[], prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = prefix;
  for (const word of words) {
    if (line.length + word.length + 1 > width && line !== prefix) {
      lines.push(line.trimEnd());
      line = prefix;
    }
    line += `${word} `;
  }
  if (line !== prefix) lines.push(line.trimEnd());
  return lines;
}

const GENERATED = '# Generated by src/forges/gitlab/template-spec.ts; edit it there, then run: npx tsx src/forges/gitlab/template-spec.ts --write';

export function renderIncludeTemplate(provider: ProviderTemplate): string {
  const vars = variablesRead(provider);
  const header = [
    `# preview-kit: one review app per branch on ${provider.title}.`,
    '#',
    '#   include:',
    `#     - project: <group>/preview-kit      # or remote: <raw URL of this file>`,
    `#       ref: v${VERSION}`,
    `#       file: gitlab-templates/${provider.file ?? provider.id}.yml`,
    '#   variables:',
    '#     PREVIEW_DOMAIN: "{name}.preview.example.com"',
    '#',
    '# preview:review runs in every branch pipeline but the default branch: creates or updates the',
    '# preview and records it as the environment review/<branch slug> with its URL (dotenv report).',
    '# preview:stop removes it: manual, and started by GitLab when the branch is deleted or the',
    '# environment reaches auto_stop_in.',
    '#',
    `# Credentials (Settings > CI/CD > Variables): ${provider.credentials}.`,
    '# Settings are CI/CD variables or .preview.yml. The stop job has no checkout, so whatever names',
    '# or places the preview (PREVIEW_APP, PREVIEW_PREFIX, org/namespace/rack…) must be a variable.',
    '# Variables read:',
    ...wrap(vars.common, '#   '),
    ...wrap(vars.platform, '#   '),
    '# Override PREVIEW_KIT_IMAGE and PREVIEW_KIT_CLI below with your own variables, and the jobs',
    '# with keys of the same name (e.g. `preview:review: {stage: review}`).',
    GENERATED,
  ].join('\n');
  const body = {
    variables: {
      // Any image with Node 20+ (and git for Clever Cloud): the CLI comes from the package registry.
      PREVIEW_KIT_IMAGE: DEFAULT_IMAGE,
      PREVIEW_KIT_CLI: DEFAULT_CLI,
    },
    ...jobs(provider, {
      review: 'preview:review',
      stop: 'preview:stop',
      stage: 'deploy',
      image: '$PREVIEW_KIT_IMAGE',
      environment: 'review/$CI_COMMIT_REF_SLUG',
      autoStopIn: '1 week',
      variables: {},
    }),
  };
  return `${header}\n${stringify(body, { lineWidth: 0 })}`;
}

interface ComponentInput {
  name: string;
  description: string;
  type?: 'string' | 'number' | 'boolean' | 'array';
  default: string | number | boolean;
  options?: string[];
  regex?: string;
  /** Variable the input sets in both jobs. */
  variable?: string;
}

const TRI_STATE = ['', 'true', 'false'];

function inputName(spec: OptionSpec): string {
  return (spec.flag ?? spec.env![0]!.toLowerCase()).replace(/-/g, '_');
}

function describe(spec: OptionSpec): string {
  const text = spec.description.replace(/\s*\(repeatable\)/, '');
  const parts = [`${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?…]$/.test(text) ? '' : '.'}`];
  if (spec.type === 'list') parts.push('Several values: comma separated.');
  if (spec.type === 'boolean') parts.push('"true" or "false".');
  parts.push(`Empty: as .preview.yml says, else ${spec.defaultText ?? (spec.type === 'boolean' ? 'false' : 'unset')}.`);
  parts.push(`Sets ${spec.env![0]}.`);
  return parts.join(' ');
}

function optionInput(spec: OptionSpec): ComponentInput {
  const input: ComponentInput = { name: inputName(spec), description: describe(spec), type: 'string', default: '', variable: spec.env![0]! };
  if (spec.type === 'boolean') input.options = TRI_STATE;
  return input;
}

/** Inputs of every component: job shape, then common settings, then the platform's (never its secrets). */
export function componentInputs(provider: ProviderTemplate): ComponentInput[] {
  const common = new Map(commonOptions.map((s) => [s.key, s]));
  const pick = (key: string, extra: Partial<ComponentInput> = {}) => ({ ...optionInput(common.get(key)!), ...extra });
  const inputs: ComponentInput[] = [
    { name: 'as', description: 'Prefix of the job names: `<as>:review` and `<as>:stop`.', type: 'string', default: 'preview', regex: '^[a-z][a-z0-9_-]*$' },
    { name: 'stage', description: 'Stage of both jobs.', type: 'string', default: 'deploy', regex: '^[\\w .-]+$' },
    { name: 'environment', description: 'Environment name of the preview; variables are expanded by GitLab. The stop job uses the same.', type: 'string', default: 'review/$CI_COMMIT_REF_SLUG', regex: '^[\\w ${}./-]+$' },
    { name: 'auto_stop_in', description: 'Stop the preview after this long without a new deployment (GitLab runs the stop job), or "never".', type: 'string', default: '1 week', regex: '^(never|(\\d+ ?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|[smhdwy]) ?)+)$' },
    // `image` stays free for the app's image (PREVIEW_IMAGE), as on the CLI.
    { name: 'job_image', description: 'Image of both jobs: Node 20 or newer (and git for Clever Cloud).', type: 'string', default: DEFAULT_IMAGE, regex: '^\\S+$' },
    { name: 'cli', description: 'Command that runs preview-kit. The stop job has no checkout, so this cannot be a path in the repository unless you change that job.', type: 'string', default: DEFAULT_CLI, regex: '^\\S.*$', variable: 'PREVIEW_KIT_CLI' },
    pick('app', { regex: '^([a-z0-9][a-z0-9-]*)?$' }),
    pick('prefix', { regex: '^([a-z0-9][a-z0-9-]*)?$' }),
    pick('pr', { regex: '^(\\d+)?$' }),
    pick('domain'),
    pick('favourite'),
    pick('timeout', { regex: '^((\\d+(\\.\\d+)?(ms|s|m|h))+)?$' }),
    pick('waitUrl'),
    pick('healthPath', { regex: '^(/.*)?$' }),
    pick('force'),
    pick('adopt'),
    pick('debug'),
  ];
  const taken = new Set(inputs.map((i) => i.name));
  for (const spec of provider.options) {
    if (!spec.env?.length || !spec.flag || spec.secret) continue;
    const input = optionInput(spec);
    if (taken.has(input.name)) continue;
    taken.add(input.name);
    inputs.push(input);
  }
  return inputs;
}

export function renderComponent(provider: ProviderTemplate): string {
  const inputs = componentInputs(provider);
  const spec = {
    spec: {
      inputs: Object.fromEntries(
        inputs.map((i) => [
          i.name,
          {
            description: i.description,
            type: i.type ?? 'string',
            default: i.default,
            ...(i.options ? { options: i.options } : {}),
            ...(i.regex ? { regex: i.regex } : {}),
          },
        ]),
      ),
    },
  };
  const variables = Object.fromEntries(inputs.filter((i) => i.variable).map((i) => [i.variable!, `$[[ inputs.${i.name} ]]`]));
  const body = jobs(provider, {
    review: '$[[ inputs.as ]]:review',
    stop: '$[[ inputs.as ]]:stop',
    stage: '$[[ inputs.stage ]]',
    image: '$[[ inputs.job_image ]]',
    environment: '$[[ inputs.environment ]]',
    autoStopIn: '$[[ inputs.auto_stop_in ]]',
    variables,
  });
  const header = [
    `# preview-kit CI/CD component: one review app per branch on ${provider.title}.`,
    '#',
    '#   include:',
    `#     - component: $CI_SERVER_FQDN/<group>/preview-kit/${provider.file ?? provider.id}@${VERSION}`,
    '#       inputs:',
    '#         domain: "{name}.preview.example.com"',
    '#',
    `# Credentials are CI/CD variables, never inputs: ${provider.credentials}.`,
    '# An empty input leaves the setting to .preview.yml (review job only: the stop job has no checkout).',
    GENERATED,
  ].join('\n');
  return `${header}\n${stringify(spec, { lineWidth: 0 })}---\n${stringify(body, { lineWidth: 0 })}`;
}

export function includeTemplatePath(root: string, id: string): string {
  return join(root, 'gitlab-templates', `${id}.yml`);
}

export function componentPath(root: string, id: string): string {
  return join(root, 'templates', id, 'template.yml');
}

/** The template of each provider the registry lists; a provider without one is a mistake to catch here. */
export function templatesOfRegistry(): ProviderTemplate[] {
  return providerModules.map((m) => {
    const template = PROVIDERS.find((p) => p.id === m.id);
    if (!template) throw new Error(`provider ${m.id} is in the registry but has no GitLab template description`);
    return template;
  });
}

export function renderAll(root: string): Array<[string, string]> {
  return templatesOfRegistry().flatMap((p) => [
    [includeTemplatePath(root, p.file ?? p.id), renderIncludeTemplate(p)] as [string, string],
    [componentPath(root, p.file ?? p.id), renderComponent(p)] as [string, string],
  ]);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv.includes('--write')) {
  for (const [path, text] of renderAll(root)) {
    if ((await readFile(path, 'utf8').catch(() => '')) === text) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    process.stderr.write(`wrote ${path.slice(root.length + 1)}\n`);
  }
}
