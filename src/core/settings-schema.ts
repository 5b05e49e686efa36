/**
 * The common settings: the option table (flag, env, `.preview.yml` key of each setting, what
 * `--help` says of it) and the schema that validates them. The list of providers is not kept
 * here: the provider registry hands it in (`commonSchemaFor`).
 */
import { z } from 'zod';
import type { PreviewIdentity } from './identity.js';
import type { OptionSpec } from './options.js';
import { parseDuration } from './retry.js';

/** A provider's id as the registry lists it: `clever-cloud`, `docker`, `kubernetes`, `convox`. */
export type ProviderId = string;

/** Longest wait a timer can hold (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export const commonOptions: OptionSpec[] = [
  { key: 'provider', flag: 'provider', short: 'p', type: 'string', env: ['PREVIEW_PROVIDER'], value: 'NAME', description: 'platform (see the provider sections below)' },
  { key: 'app', flag: 'app', type: 'string', env: ['PREVIEW_APP'], value: 'NAME', description: 'base name of the project', defaultText: 'repository name' },
  { key: 'branch', flag: 'branch', short: 'b', type: 'string', env: ['PREVIEW_BRANCH'], value: 'REF', description: 'branch the preview is for', defaultText: 'from the CI environment, else git' },
  { key: 'pr', flag: 'pr', type: 'string', env: ['PREVIEW_PR'], value: 'N', description: 'name the preview after pull/merge request N instead of the branch' },
  { key: 'prefix', flag: 'prefix', type: 'string', env: ['PREVIEW_PREFIX'], value: 'TEXT', description: 'prefix of every preview name, e.g. review' },
  { key: 'domain', flag: 'domain', short: 'd', type: 'list', env: ['PREVIEW_DOMAIN'], value: 'TEMPLATE', description: 'domain template(s), e.g. {name}.preview.example.com (repeatable)', defaultText: "the provider's default domain" },
  { key: 'favourite', flag: 'favourite', type: 'boolean', env: ['PREVIEW_FAVOURITE'], description: 'make the first domain the primary one where the platform has that notion' },
  { key: 'env', flag: 'env', short: 'e', type: 'map', env: ['PREVIEW_ENV'], value: 'KEY=VALUE', description: 'environment variable for the preview (repeatable; PREVIEW_ENV: one KEY=VALUE per line); merged over .preview.yml env' },
  { key: 'commit', flag: 'commit', type: 'string', env: ['PREVIEW_COMMIT'], value: 'SHA', description: 'commit to deploy', defaultText: 'HEAD' },
  { key: 'source', flag: 'source', type: 'string', env: ['PREVIEW_SOURCE'], value: 'DIR', description: 'directory of the repository to deploy', defaultText: 'current directory' },
  { key: 'force', flag: 'force', short: 'f', type: 'boolean', env: ['PREVIEW_FORCE'], description: 'deploy even when the commit is already live' },
  { key: 'waitUrl', flag: 'wait-url', type: 'boolean', env: ['PREVIEW_WAIT_URL'], description: 'after deploying, wait until the URL answers' },
  { key: 'healthPath', flag: 'health-path', type: 'string', env: ['PREVIEW_HEALTH_PATH'], value: 'PATH', description: 'path probed by --wait-url', defaultText: '/' },
  { key: 'timeout', flag: 'timeout', short: 't', type: 'string', env: ['PREVIEW_TIMEOUT'], value: 'DURATION', description: 'overall deadline, e.g. 10m', defaultText: '15m' },
  { key: 'adopt', flag: 'adopt', type: 'boolean', env: ['PREVIEW_ADOPT'], description: 'take over an existing resource that lacks our ownership marker' },
  { key: 'ttl', flag: 'ttl', type: 'string', env: ['PREVIEW_TTL'], value: 'DURATION', description: 'prune: remove previews (and, with docker, unused images of ours) older than this' },
  { key: 'ttlFrom', flag: 'ttl-from', type: 'string', env: ['PREVIEW_TTL_FROM'], value: 'deployed|created', description: 'prune: measure --ttl from the last deployment or from the creation', defaultText: 'deployed' },
  { key: 'sleepAfter', flag: 'sleep-after', type: 'string', env: ['PREVIEW_SLEEP_AFTER'], value: 'DURATION', description: 'prune: put previews not deployed for this long to sleep (compute stopped, data and URL kept)' },
  { key: 'parallel', flag: 'parallel', type: 'string', env: ['PREVIEW_PARALLEL'], value: 'N', description: 'prune: previews removed or put to sleep at once', defaultText: '4' },
  { key: 'maxPreviews', flag: 'max-previews', type: 'string', env: ['PREVIEW_MAX_PREVIEWS'], value: 'N', description: 'up: at most N previews of the project; a new one first evicts the least recently deployed other one' },
  { key: 'capPolicy', flag: 'max-previews-policy', type: 'string', env: ['PREVIEW_MAX_PREVIEWS_POLICY'], value: 'sleep|delete|refuse', description: 'up: what --max-previews does at the cap: put the least recently deployed preview to sleep (awake previews count), delete it (all count), or refuse with exit 6', defaultText: 'sleep' },
  { key: 'basicAuth', flag: 'basic-auth', type: 'string', env: ['PREVIEW_BASIC_AUTH'], secret: true, value: 'USER:PASSWORD', description: "HTTP basic auth in front of the preview, where the provider's routing can (docker, kubernetes); empty removes it" },
  { key: 'max', flag: 'max', type: 'string', env: ['PREVIEW_MAX'], value: 'N', description: 'prune: keep at most N previews (oldest go first)' },
  { key: 'keep', flag: 'keep', type: 'list', env: ['PREVIEW_KEEP'], value: 'BRANCH|#PR', description: 'prune: branches that still exist and open pull/merge requests (#42 or !42); their previews are kept' },
  { key: 'all', flag: 'all', type: 'boolean', description: 'list: every preview of ours on the target, not only this project\'s' },
  { key: 'json', flag: 'json', type: 'boolean', description: 'print one JSON object on stdout; logs go to stderr' },
  { key: 'dryRun', flag: 'dry-run', short: 'n', type: 'boolean', env: ['PREVIEW_DRY_RUN'], description: 'print the plan and change nothing' },
  { key: 'debug', flag: 'debug', type: 'boolean', env: ['PREVIEW_DEBUG'], description: 'print every request (secrets masked) and stack traces' },
  { key: 'dotenv', flag: 'dotenv', type: 'string', env: ['PREVIEW_DOTENV'], value: 'FILE', description: 'also write PREVIEW_NAME, PREVIEW_URL, PREVIEW_ID to this dotenv file (GitLab environment:url)' },
  { key: 'config', flag: 'config', short: 'c', type: 'string', env: ['PREVIEW_CONFIG'], value: 'FILE', description: 'settings file', defaultText: '.preview.yml' },
  { key: 'settings', flag: 'settings', type: 'string', env: ['PREVIEW_SETTINGS'], value: 'YAML', description: 'settings written as in .preview.yml, laid over that file (a CI job\'s one multi-line input)' },
];

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const durationSchema = z.string().transform((text, ctx) => {
  try {
    return parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

/** A deadline: more than nothing, and no longer than a timer can hold (a longer one would fire at once). */
export const deadlineSchema = durationSchema.superRefine((ms, ctx) => {
  if (ms <= 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be longer than 0 (e.g. 10m)' });
  else if (ms > MAX_TIMER_MS) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be at most 24d (${Math.floor(MAX_TIMER_MS / 86_400_000)} days and a few hours)` });
});

const positiveInt = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: Number.isInteger(n) ? `"${v}" is too large` : `expected a whole number, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const hostTemplate = z.string().min(1).regex(/^[A-Za-z0-9{}.*_:/-]+$/, 'expected a host name or template like {name}.preview.example.com');

/** The common settings' schema, given the providers the registry knows. */
export function commonSchemaFor(providerIds: readonly string[]) {
  return commonSchema.extend({
    provider: z.string({ required_error: `required (one of ${providerIds.join(', ')})` }).refine((id) => providerIds.includes(id), (id) => ({
      message: `unknown provider "${id}" (expected one of ${providerIds.join(', ')})`,
    })),
  });
}

export const commonSchema = z.object({
  provider: z.string(),
  app: z.string().min(1, 'must not be empty'),
  branch: z.string().min(1).optional(),
  pr: positiveInt.optional(),
  prefix: z.string().optional(),
  domain: z.array(hostTemplate).default([]),
  favourite: z.boolean().default(false),
  env: z.record(z.string().regex(ENV_NAME, 'not a valid variable name'), z.string()).default({}),
  commit: z.string().regex(/^[0-9a-fA-F]{4,40}$|^[\w./-]+$/, 'expected a commit SHA or ref').optional(),
  source: z.string().default('.'),
  force: z.boolean().default(false),
  waitUrl: z.boolean().default(false),
  healthPath: z.string().startsWith('/', 'must start with /').default('/'),
  timeout: deadlineSchema.default('15m'),
  adopt: z.boolean().default(false),
  ttl: durationSchema.optional(),
  ttlFrom: z.enum(['deployed', 'created'], { errorMap: () => ({ message: 'expected deployed or created' }) }).default('deployed'),
  sleepAfter: durationSchema.optional(),
  parallel: positiveInt.refine((n) => n >= 1 && n <= 64, 'expected a number from 1 to 64').default(4),
  maxPreviews: positiveInt.refine((n) => n >= 1, 'expected at least 1').optional(),
  capPolicy: z.enum(['sleep', 'delete', 'refuse'], { errorMap: () => ({ message: 'expected sleep, delete or refuse' }) }).default('sleep'),
  basicAuth: z
    .string()
    .transform((text, ctx) => {
      const colon = text.indexOf(':');
      if (colon <= 0 || colon === text.length - 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected USER:PASSWORD (both non-empty)' });
        return z.NEVER;
      }
      return { user: text.slice(0, colon), password: text.slice(colon + 1) };
    })
    .optional(),
  max: positiveInt.optional(),
  keep: z.array(z.string()).default([]),
  all: z.boolean().default(false),
  json: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  debug: z.boolean().default(false),
  dotenv: z.string().optional(),
  config: z.string().optional(),
  settings: z.string().optional(),
});

export type CommonParsed = z.infer<typeof commonSchema>;

export interface CommonSettings extends Omit<CommonParsed, 'timeout' | 'domain'> {
  /** The preview's name (DESIGN.md § Naming). */
  name: string;
  /** Whose preview this is; undefined only for commands that judge many previews (`prune`). */
  identity: PreviewIdentity | undefined;
  /** `identityKey(identity)`. */
  key: string | undefined;
  /** Domain templates as given. */
  domainTemplates: string[];
  /** Expanded host names, first is primary. */
  domains: string[];
  timeoutMs: number;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface SettingsSources {
  /** Parsed CLI flags, keyed by flag name (without dashes). */
  flags: FlagValues;
  /** Environment variables (the process env at the edge, a plain record in tests). */
  env: Record<string, string | undefined>;
  /** Parsed `.preview.yml`, when there is one. */
  file?: {
    path: string;
    data: unknown;
    /** Keys (`timeout`, `clever-cloud.flavor`) that came from --settings / PREVIEW_SETTINGS rather than the file. */
    overlaid?: string[];
  };
  /** Values found in the CI environment or git, used when nothing else sets them. */
  detected?: {
    app?: string;
    branch?: string;
    /** The pull/merge request of the triggering event. */
    pr?: number;
    commit?: string;
    /** `owner/name` of the head repository when the pull/merge request comes from a fork. */
    fork?: string;
  };
}

export interface ProviderSettingsModule<S> {
  id: ProviderId;
  options: OptionSpec[];
  schema: z.ZodType<S, z.ZodTypeDef, unknown>;
  /** Placeholders this provider adds to domain templates, e.g. docker's `{domain}` (its base domain). */
  domainValues?: (settings: S) => Record<string, string>;
}
