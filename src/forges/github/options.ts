/**
 * Settings of the GitHub reporting (PR comment, deployments, fork policy). They belong to the
 * forge, not to a provider, so they are read here at the edge from the env record the CLI holds,
 * with the same OptionSpec table and loader as every other setting.
 */
import { z } from 'zod';
import type { OptionSpec } from '../../core/options.js';
import { configErrorFrom, resolveOptions } from '../../core/settings.js';

export const githubOptions: OptionSpec[] = [
  { key: 'token', type: 'string', env: ['PREVIEW_GITHUB_TOKEN', 'GITHUB_TOKEN'], secret: true, description: 'token for the PR comment and the deployment (the workflow token is enough)' },
  { key: 'apiUrl', type: 'string', env: ['GITHUB_API_URL'], description: 'GitHub REST API base URL (set by the runner)', defaultText: 'https://api.github.com' },
  { key: 'comment', type: 'boolean', env: ['PREVIEW_GITHUB_COMMENT'], description: 'keep one sticky comment per preview on the pull request', defaultText: 'true' },
  { key: 'deployment', type: 'boolean', env: ['PREVIEW_GITHUB_DEPLOYMENT'], description: 'record a GitHub deployment with the preview URL', defaultText: 'true' },
  { key: 'environment', type: 'string', env: ['PREVIEW_GITHUB_ENVIRONMENT'], description: 'GitHub environment of the deployment; {name}, {branch}, {pr}, {app} are replaced', defaultText: 'preview/{name}' },
  { key: 'deleteEnvironment', type: 'boolean', env: ['PREVIEW_GITHUB_DELETE_ENVIRONMENT'], description: 'on stop, also delete the GitHub environment (needs a token with administration: write, which the workflow token never has)', defaultText: 'false' },
  { key: 'allowForks', type: 'boolean', env: ['PREVIEW_ALLOW_FORKS'], description: 'deploy pull requests from forks too (their code runs with your secrets)', defaultText: 'false' },
];

const schema = z.object({
  token: z.string().optional(),
  apiUrl: z.string().url('expected a URL').default('https://api.github.com'),
  comment: z.boolean().default(true),
  deployment: z.boolean().default(true),
  environment: z
    .string()
    .min(1)
    .regex(/^[^'"`,;\\]+$/, 'expected an environment name without quotes, commas, semicolons or backslashes')
    .default('preview/{name}'),
  deleteEnvironment: z.boolean().default(false),
  allowForks: z.boolean().default(false),
});

export type GitHubSettings = z.infer<typeof schema>;

export function loadGitHubSettings(env: Record<string, string | undefined>): GitHubSettings {
  const { values, origins } = resolveOptions(githubOptions, { flags: {}, env }, {}, {});
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw configErrorFrom(parsed.error, origins);
  return parsed.data;
}

/** The GitHub environment name for a preview: the template with its placeholders filled in. */
export function environmentName(template: string, values: { name: string; branch?: string; pr?: number; app?: string }): string {
  return template.replace(/\{(name|branch|pr|app)\}/g, (_m, key: keyof typeof values) => String(values[key] ?? ''));
}
