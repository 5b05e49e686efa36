/**
 * The jobs of every GitLab definition, include template and component alike: `review` (up, with
 * the environment and its dotenv URL), `stop` (the environment's on_stop, without a checkout) and
 * `prune` (scheduled pipelines).
 *
 * Pipelines: the review and stop jobs run in merge request pipelines and, for a branch without an
 * open merge request, in branch pipelines — GitLab's own pattern for jobs that must not run twice
 * per push (its `.latest` security templates), set on the jobs because a component carries no
 * `workflow:`. Scheduled pipelines run only the prune job.
 */
import type { ProviderId } from '../../core/settings.js';
import type { JobKind } from './component-inputs.js';

/** The file that hands PREVIEW_URL (environment:url), PREVIEW_NAME and PREVIEW_ID to GitLab and later jobs. */
export const DOTENV = 'preview.env';

const SCHEDULE = '$CI_PIPELINE_SOURCE == "schedule"';
const MERGE_REQUEST = '$CI_PIPELINE_SOURCE == "merge_request_event"';
/** Set in a branch pipeline when the branch has an open merge request: that pipeline runs the job instead. */
const OPEN_MERGE_REQUEST = '$CI_OPEN_MERGE_REQUESTS';
const BRANCH = '$CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH';

type Rule = { if: string; when?: string };

/** Rules of the review job (`when` given: of the stop job, the same pipelines). */
export function previewRules(when?: 'manual'): Rule[] {
  const run = when ? { when } : {};
  return [{ if: SCHEDULE, when: 'never' }, { if: MERGE_REQUEST, ...run }, { if: OPEN_MERGE_REQUEST, when: 'never' }, { if: BRANCH, ...run }];
}

export const PRUNE_RULES: Rule[] = [{ if: SCHEDULE }];

/**
 * Lists the open merge requests as `!<iid>` entries with GitLab's API (offset pagination through
 * `x-next-page`). Node is in every image that runs the CLI. No single quote: it sits in one.
 */
const OPEN_MERGE_REQUESTS_JS = [
  'const base = process.env.CI_API_V4_URL + "/projects/" + process.env.CI_PROJECT_ID + "/merge_requests?state=opened&per_page=100&page=";',
  'const found = [];',
  'try {',
  '  for (let page = "1"; page; ) {',
  '    const res = await fetch(base + page, { headers: { "PRIVATE-TOKEN": process.env.PREVIEW_GITLAB_TOKEN } });',
  '    if (!res.ok) {',
  '      console.error("preview-kit prune: listing the open merge requests answered HTTP " + res.status + " (PREVIEW_GITLAB_TOKEN: a project or group access token with read_api, role Reporter)");',
  '      process.exit([401, 403, 404].includes(res.status) ? 3 : 5);',
  '    }',
  '    for (const request of await res.json()) found.push("!" + request.iid);',
  '    page = res.headers.get("x-next-page");',
  '  }',
  '} catch (error) {',
  '  console.error("preview-kit prune: cannot list the open merge requests: " + error.message);',
  '  process.exit(5);',
  '}',
  'console.log(found.join(" "));',
];

/**
 * The prune job's script: every branch on origin and, with a token, every open merge request
 * becomes a `--keep` entry (branch names hold no spaces or glob characters, so word splitting
 * is safe; a comma in one is fine, as flags are not split). A failed listing stops the job
 * before anything is removed.
 */
export const PRUNE_SCRIPT = [
  '# Keep the previews of the branches on origin and, with PREVIEW_GITLAB_TOKEN, of the open merge requests.',
  'set --',
  'heads="$(git ls-remote --heads origin)" || { echo "preview-kit prune: cannot list the branches of origin" >&2; exit 2; }',
  'for branch in $(printf \'%s\\n\' "$heads" | sed -n \'s#^[0-9a-f]*[[:space:]]*refs/heads/##p\'); do set -- "$@" --keep "$branch"; done',
  'if [ -n "${PREVIEW_GITLAB_TOKEN:-}" ]; then',
  `  requests="$(node --input-type=module -e '`,
  ...OPEN_MERGE_REQUESTS_JS.map((line) => `    ${line}`),
  `  ')" || exit $?`,
  '  for request in $requests; do set -- "$@" --keep "$request"; done',
  'else',
  '  echo "preview-kit prune: no PREVIEW_GITLAB_TOKEN, so previews are kept by branch only: one named after a merge request (a fork\'s) is removed"',
  'fi',
  '$PREVIEW_KIT_CLI prune "$@"',
].join('\n');

export interface JobParts {
  names: Record<JobKind, string>;
  stage: string;
  image: string;
  environment: string;
  autoStopIn: string;
  stopAllowFailure: string | boolean;
  /** Variables of each job, besides the provider. */
  variables: Record<JobKind, Record<string, string>>;
  /** Script run before the command in each job (the component's inputs becoming settings). */
  before: Record<JobKind, string[]>;
}

export function previewJobs(provider: { id: ProviderId; reviewVariables: Record<string, string> }, parts: JobParts): Record<string, unknown> {
  const base = (kind: JobKind) => ({ PREVIEW_PROVIDER: provider.id, ...parts.variables[kind] });
  // No entrypoint: the job's shell runs in a node image and in an image whose entrypoint is preview-kit alike.
  const image = { name: parts.image, entrypoint: [''] };
  return {
    [parts.names.review]: {
      stage: parts.stage,
      image,
      variables: { ...base('review'), ...provider.reviewVariables, PREVIEW_DOTENV: DOTENV },
      script: [...parts.before.review, '$PREVIEW_KIT_CLI up'],
      environment: { name: parts.environment, url: '$PREVIEW_URL', on_stop: parts.names.stop, auto_stop_in: parts.autoStopIn },
      // One job at a time per preview: an up and a stop of the same branch never overlap.
      resource_group: parts.environment,
      artifacts: { reports: { dotenv: DOTENV } },
      rules: previewRules(),
    },
    [parts.names.stop]: {
      stage: parts.stage,
      image,
      // No checkout: the branch may be gone; the name comes from CI_PROJECT_NAME and CI_COMMIT_REF_NAME.
      variables: { ...base('stop'), GIT_STRATEGY: 'none' },
      script: [...parts.before.stop, '$PREVIEW_KIT_CLI stop'],
      environment: { name: parts.environment, action: 'stop' },
      resource_group: parts.environment,
      dependencies: [],
      rules: previewRules('manual'),
      allow_failure: parts.stopAllowFailure,
    },
    [parts.names.prune]: {
      stage: parts.stage,
      image,
      // A checkout, for .preview.yml and `git ls-remote`; not allowed to fail, so a failed prune fails the schedule.
      variables: base('prune'),
      script: [...parts.before.prune, PRUNE_SCRIPT],
      rules: PRUNE_RULES,
    },
  };
}
