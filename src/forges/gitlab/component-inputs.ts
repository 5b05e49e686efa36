/**
 * The `spec:inputs` of every component: the jobs' shape, then the CLI settings a pipeline author
 * sets per project, each with the default that really applies and a `regex` derived from the
 * CLI's own schema (input-pattern.ts). Provider settings that are not secrets are not inputs:
 * they come from `.preview.yml`, the one multi-line `settings` input or CI/CD variables; credentials
 * are always masked CI/CD variables.
 *
 * A setting's input reaches its job as `PREVIEW_KIT_IN_<VARIABLE>`, and the job exports it under
 * its real name only when it is not empty: a job variable would win over the project's own
 * top-level `variables:` even when empty, so an input left alone must set nothing.
 */
import type { ZodTypeAny } from 'zod';
import { commonOptions, commonSchema } from '../../core/settings.js';
import { VERSION } from '../../version.js';
import { inputRegex } from './input-pattern.js';

export type JobKind = 'review' | 'stop' | 'prune';

export interface ComponentInput {
  name: string;
  description: string;
  type: 'string' | 'boolean';
  default: string | boolean;
  options?: string[];
  regex?: string;
  /** The CLI variable a non-empty value sets, and in which jobs. */
  setting?: { variable: string; jobs: readonly JobKind[] };
}

/**
 * Node.js 24 "Krypton" on Debian 13: an LTS line maintained until April 2028 (Node.js 20 reached
 * its end of life in April 2026), in the full image, which has git for the Clever Cloud deploy
 * and for `git ls-remote` in the prune job.
 */
export const DEFAULT_IMAGE = 'node:24-trixie';
/** The published package, pinned to this version. */
export const DEFAULT_CLI = `npx --yes preview-kit@${VERSION}`;
/** Prefix of the job variables that carry inputs; the job exports the non-empty ones under their own name. */
export const INPUT_PREFIX = 'PREVIEW_KIT_IN_';

const ALL: readonly JobKind[] = ['review', 'stop', 'prune'];
const ONE_PREVIEW: readonly JobKind[] = ['review', 'stop'];
const REVIEW: readonly JobKind[] = ['review'];
const PRUNE: readonly JobKind[] = ['prune'];

/** Booleans keep "empty" as a third value: not set here, so .preview.yml or a variable decides. */
const TRI_STATE = ['', 'true', 'false'];

interface SettingInput {
  key: string;
  jobs: readonly JobKind[];
  description: string;
}

/** The CLI settings each component offers, in the order the component lists them. */
const SETTINGS: SettingInput[] = [
  { key: 'app', jobs: ALL, description: 'Base name of the project. Empty: the PREVIEW_APP variable, else .preview.yml, else the project name.' },
  { key: 'prefix', jobs: ALL, description: 'Prefix of every preview name, e.g. review. Empty: PREVIEW_PREFIX, else .preview.yml, else none.' },
  {
    key: 'pr',
    jobs: ONE_PREVIEW,
    description:
      "Name the preview after this merge request instead of its branch, e.g. $CI_MERGE_REQUEST_IID (empty in branch pipelines, which keep the branch's name). Empty: the source branch; a fork's merge request is always named after its number.",
  },
  { key: 'domain', jobs: REVIEW, description: "Domain template(s), comma separated, e.g. {name}.preview.example.com. Empty: PREVIEW_DOMAIN, else .preview.yml, else the platform's default domain." },
  {
    key: 'settings',
    jobs: ALL,
    description:
      'Settings as YAML shaped like .preview.yml (provider section, env, health-path…), laid over that file. The stop job has no checkout: where the previews live (organisation, namespace, rack) belongs here or in CI/CD variables. No secrets here.',
  },
  { key: 'timeout', jobs: ALL, description: 'Overall deadline of each job, e.g. 10m, 1h30m. Empty: PREVIEW_TIMEOUT, else .preview.yml, else 15m.' },
  { key: 'waitUrl', jobs: REVIEW, description: 'After deploying, wait until the URL answers (health-path in settings, default /). Empty: PREVIEW_WAIT_URL, else .preview.yml, else false.' },
  { key: 'force', jobs: REVIEW, description: 'Deploy even when the commit is already live. Empty: PREVIEW_FORCE, else .preview.yml, else false.' },
  { key: 'adopt', jobs: REVIEW, description: 'Take over an existing resource of the preview name that lacks the preview-kit marker. Empty: PREVIEW_ADOPT, else .preview.yml, else false.' },
  { key: 'debug', jobs: ALL, description: 'Print every request (secrets masked) and stack traces. Empty: PREVIEW_DEBUG, else .preview.yml, else false.' },
  { key: 'ttl', jobs: PRUNE, description: 'Scheduled prune: also remove previews older than this, e.g. 14d, open merge requests included. Empty: PREVIEW_TTL, else .preview.yml, else no age limit.' },
  { key: 'max', jobs: PRUNE, description: 'Scheduled prune: keep at most this many previews, the oldest go first. Empty: PREVIEW_MAX, else .preview.yml, else no limit.' },
];

function settingInput(setting: SettingInput): ComponentInput {
  const spec = commonOptions.find((o) => o.key === setting.key);
  const schema = (commonSchema.shape as Record<string, ZodTypeAny>)[setting.key];
  if (!spec?.env?.length || !spec.flag || !schema) throw new Error(`component inputs: the CLI has no setting "${setting.key}" with a flag, a variable and a schema`);
  const input: ComponentInput = {
    name: spec.flag.replace(/-/g, '_'),
    description: `${setting.description} Sets ${spec.env[0]}.`,
    type: 'string',
    default: '',
    setting: { variable: spec.env[0]!, jobs: setting.jobs },
  };
  if (spec.type === 'boolean') input.options = TRI_STATE;
  else {
    const regex = inputRegex(schema);
    if (regex) input.regex = regex;
  }
  return input;
}

/** Inputs of every component: job shape first, then the CLI settings. */
export function componentInputs(): ComponentInput[] {
  const inputs: ComponentInput[] = [
    { name: 'as', description: 'Prefix of the job names: `<as>:review`, `<as>:stop` and `<as>:prune`.', type: 'string', default: 'preview', regex: '^[a-z][a-z0-9_-]*$' },
    { name: 'stage', description: 'Stage of the jobs.', type: 'string', default: 'deploy', regex: '^[\\w .-]+$' },
    { name: 'environment', description: 'Environment name of the preview; variables are expanded by GitLab. The stop job uses the same.', type: 'string', default: 'review/$CI_COMMIT_REF_SLUG', regex: '^[\\w ${}./-]+$' },
    { name: 'auto_stop_in', description: 'Stop the preview after this long without a new deployment (GitLab runs the stop job), or "never".', type: 'string', default: '1 week', regex: '^(never|(\\d+ ?(seconds?|minutes?|hours?|days?|weeks?|months?|years?|[smhdwy]) ?)+)$' },
    // `image` stays free for the app's image (PREVIEW_IMAGE), as on the CLI.
    { name: 'job_image', description: 'Image of the jobs: Node.js 20 or newer with git (or an image that has preview-kit; then set cli).', type: 'string', default: DEFAULT_IMAGE, regex: '^\\S+$' },
    {
      name: 'cli',
      description:
        'Command that runs preview-kit: the package (the default), the binary of an image given as job_image (preview-kit), or a path on the runner (node /opt/preview-kit/dist/cli/index.js). The stop job has no checkout: not a path in the repository.',
      type: 'string',
      default: DEFAULT_CLI,
      regex: '^\\S.*$',
    },
    {
      name: 'stop_allow_failure',
      description:
        'allow_failure of the stop job. true: the job stays optional (a manual job that may not fail holds every pipeline "blocked" until it runs); a failed stop is a warning whose reason closes its log, the environment stays listed, and the scheduled prune removes what it left. false: a failed stop fails its pipeline, at that price.',
      type: 'boolean',
      default: true,
    },
    ...SETTINGS.map(settingInput),
  ];
  const names = new Set<string>();
  for (const input of inputs) {
    if (names.has(input.name)) throw new Error(`component input "${input.name}" is defined twice`);
    names.add(input.name);
  }
  return inputs;
}
