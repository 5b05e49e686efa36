/**
 * Settings: read once (flag → env → `.preview.yml`), validated once with a schema, passed down
 * typed. This module does no I/O: the CLI hands it the parsed flags, an env record and the parsed
 * file. Providers never read env or flags themselves.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { expandDomain, previewName } from './naming.js';
import { describeSource, type OptionSpec } from './options.js';
import { parseDuration } from './retry.js';

export const PROVIDER_IDS = ['clever-cloud', 'docker', 'kubernetes', 'convox'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const commonOptions: OptionSpec[] = [
  { key: 'provider', flag: 'provider', short: 'p', type: 'string', env: ['PREVIEW_PROVIDER'], value: 'NAME', description: `platform: ${PROVIDER_IDS.join(', ')}` },
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
  { key: 'ttl', flag: 'ttl', type: 'string', env: ['PREVIEW_TTL'], value: 'DURATION', description: 'prune: remove previews older than this' },
  { key: 'max', flag: 'max', type: 'string', env: ['PREVIEW_MAX'], value: 'N', description: 'prune: keep at most N previews (oldest go first)' },
  { key: 'keep', flag: 'keep', type: 'list', env: ['PREVIEW_KEEP'], value: 'BRANCH', description: 'prune: branches that still exist (their previews are kept)' },
  { key: 'json', flag: 'json', type: 'boolean', description: 'print one JSON object on stdout; logs go to stderr' },
  { key: 'dryRun', flag: 'dry-run', short: 'n', type: 'boolean', env: ['PREVIEW_DRY_RUN'], description: 'print the plan and change nothing' },
  { key: 'debug', flag: 'debug', type: 'boolean', env: ['PREVIEW_DEBUG'], description: 'print every request (secrets masked) and stack traces' },
  { key: 'dotenv', flag: 'dotenv', type: 'string', env: ['PREVIEW_DOTENV'], value: 'FILE', description: 'also write PREVIEW_NAME, PREVIEW_URL, PREVIEW_ID to this dotenv file (GitLab environment:url)' },
  { key: 'config', flag: 'config', short: 'c', type: 'string', env: ['PREVIEW_CONFIG'], value: 'FILE', description: 'settings file', defaultText: '.preview.yml' },
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

const positiveInt = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a whole number, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const hostTemplate = z.string().min(1).regex(/^[A-Za-z0-9{}.*_:/-]+$/, 'expected a host name or template like {name}.preview.example.com');

export const commonSchema = z.object({
  provider: z.enum(PROVIDER_IDS, {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_enum_value'
        ? { message: `unknown provider "${String(issue.received)}" (expected one of ${PROVIDER_IDS.join(', ')})` }
        : { message: ctx.defaultError === 'Required' ? `required (one of ${PROVIDER_IDS.join(', ')})` : ctx.defaultError },
  }),
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
  timeout: durationSchema.default('15m'),
  adopt: z.boolean().default(false),
  ttl: durationSchema.optional(),
  max: positiveInt.optional(),
  keep: z.array(z.string()).default([]),
  json: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  debug: z.boolean().default(false),
  dotenv: z.string().optional(),
  config: z.string().optional(),
});

type CommonParsed = z.infer<typeof commonSchema>;

export interface CommonSettings extends Omit<CommonParsed, 'timeout' | 'domain'> {
  /** The preview's name (DESIGN.md § Naming). */
  name: string;
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
  file?: { path: string; data: unknown };
  /** Values found in the CI environment or git, used when nothing else sets them. */
  detected?: { app?: string; branch?: string; pr?: number; commit?: string };
}

export interface ProviderSettingsModule<S> {
  id: ProviderId;
  options: OptionSpec[];
  schema: z.ZodType<S, z.ZodTypeDef, unknown>;
}

type Origin = Map<string, string>;

function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function envBool(text: string, name: string): boolean {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(t)) return false;
  throw new ConfigError(`invalid ${name}: expected true or false, got "${text}"`);
}

/** One KEY=VALUE per line; blank lines and lines starting with # are skipped. */
function mapLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimStart())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parseMapFlag(entries: string[], where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (eq <= 0 || !ENV_NAME.test(key)) {
      throw new ConfigError(`invalid ${where} "${key}": expected KEY=VALUE with KEY made of letters, digits and _`);
    }
    out[key] = entry.slice(eq + 1);
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Stringify scalars from YAML (numbers, booleans) where the option is a string. */
function normaliseFileValue(spec: OptionSpec, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (spec.type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if (spec.type === 'list' && typeof value === 'string') return [value];
  if (spec.type === 'map' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)]));
  }
  return value;
}

/** Resolves each option: flag, then env, then the file section, then the file's top level. */
export function resolveOptions(
  specs: OptionSpec[],
  sources: SettingsSources,
  fileSection: Record<string, unknown>,
  fileTop: Record<string, unknown>,
): { values: Record<string, unknown>; origins: Origin } {
  const values: Record<string, unknown> = {};
  const origins: Origin = new Map();
  for (const spec of specs) {
    const flagValue = spec.flag === undefined ? undefined : sources.flags[spec.flag];
    const fileValue = normaliseFileValue(spec, spec.key in fileSection ? fileSection[spec.key] : spec.topLevel ? fileTop[spec.key] : undefined);
    if (spec.type === 'map') {
      // Maps merge: .preview.yml, then the env variable's lines, then the flags, key by key.
      const fromFlags = Array.isArray(flagValue) && flagValue.length ? parseMapFlag(flagValue, `--${spec.flag}`) : {};
      const envName = spec.env?.find((name) => sources.env[name]);
      const fromEnv = envName ? parseMapFlag(mapLines(sources.env[envName] as string), envName) : {};
      if (fileValue !== undefined && (typeof fileValue !== 'object' || Array.isArray(fileValue))) {
        values[spec.key] = fileValue; // let the schema name the wrong type
        origins.set(spec.key, describeSource(spec, 'file'));
      } else if (fileValue !== undefined || envName || Object.keys(fromFlags).length) {
        values[spec.key] = { ...asRecord(fileValue), ...fromEnv, ...fromFlags };
        origins.set(spec.key, Object.keys(fromFlags).length ? `--${spec.flag}` : envName ?? describeSource(spec, 'file'));
      }
      continue;
    }
    if (flagValue !== undefined && !(Array.isArray(flagValue) && flagValue.length === 0)) {
      values[spec.key] = flagValue;
      origins.set(spec.key, describeSource(spec, 'flag'));
      continue;
    }
    const envName = spec.env?.find((name) => sources.env[name] !== undefined && sources.env[name] !== '');
    if (envName) {
      const raw = sources.env[envName] as string;
      values[spec.key] = spec.type === 'boolean' ? envBool(raw, envName) : spec.type === 'list' ? splitList(raw) : raw;
      origins.set(spec.key, envName);
      continue;
    }
    if (fileValue !== undefined) {
      values[spec.key] = fileValue;
      origins.set(spec.key, describeSource(spec, 'file'));
    }
  }
  return { values, origins };
}

/** Turns a zod failure into one line naming the field the way the user wrote it. */
export function configErrorFrom(error: z.ZodError, origins: Origin, section?: string): ConfigError {
  const issue = error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const rest = issue.path.slice(1).join('.');
  const where = origins.get(key) ?? (section ? `.preview.yml ${section}.${key}` : `.preview.yml ${key}`);
  const field = rest ? `${where} (${rest})` : where;
  let message = issue.message;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') message = 'is required';
  return new ConfigError(`invalid settings: ${field}: ${message}`, { hint: 'see preview-kit --help' });
}

export interface LoadedSettings<S> {
  common: CommonSettings;
  provider: S;
}

const FILE_TOP_KEYS = new Set([...commonOptions.map((o) => o.key), ...PROVIDER_IDS]);

/**
 * Reads and validates all settings. `pickProvider` returns the settings module of the chosen
 * provider, so that only its options are read and checked.
 */
export function loadSettings<S>(
  sources: SettingsSources,
  pickProvider: (id: ProviderId) => ProviderSettingsModule<S>,
  options: { providerOptional?: boolean } = {},
): LoadedSettings<S | undefined> {
  const fileTop = asRecord(sources.file?.data);
  if (sources.file && sources.file.data !== null && sources.file.data !== undefined && (typeof sources.file.data !== 'object' || Array.isArray(sources.file.data))) {
    throw new ConfigError(`invalid settings: ${sources.file.path}: expected a mapping of settings at the top level`);
  }
  const { values, origins } = resolveOptions(commonOptions, sources, fileTop, {});
  const noProvider = options.providerOptional === true && values.provider === undefined;
  if (noProvider) values.provider = PROVIDER_IDS[0];
  if (values.app === undefined && sources.detected?.app) values.app = sources.detected.app;
  if (values.branch === undefined && sources.detected?.branch) values.branch = sources.detected.branch;
  if (values.commit === undefined && sources.detected?.commit) values.commit = sources.detected.commit;
  const parsed = commonSchema.safeParse(values);
  if (!parsed.success) throw configErrorFrom(parsed.error, origins);
  const c = parsed.data;
  if (c.pr === undefined && c.branch === undefined) {
    throw new ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', {
      hint: 'pass --branch or set PREVIEW_BRANCH',
    });
  }

  const name = previewName({ app: c.app, branch: c.branch, pr: c.pr, prefix: c.prefix });
  let domains: string[];
  try {
    domains = c.domain.map((t) => expandDomain(t, { name, app: c.app, branch: c.branch, pr: c.pr }));
  } catch (error) {
    throw new ConfigError(`invalid settings: ${origins.get('domain') ?? '--domain'}: ${(error as Error).message}`);
  }
  const { timeout, domain, ...rest } = c;
  const common: CommonSettings = { ...rest, name, domainTemplates: domain, domains, timeoutMs: timeout };
  if (noProvider) return { common, provider: undefined };

  const module = pickProvider(c.provider);
  const topLevelProviderKeys = new Set(module.options.filter((o) => o.topLevel).map((o) => o.key));
  for (const key of Object.keys(fileTop)) {
    if (!FILE_TOP_KEYS.has(key) && !topLevelProviderKeys.has(key)) {
      throw new ConfigError(`invalid settings: ${sources.file?.path ?? '.preview.yml'}: unknown key "${key}"`, {
        hint: `known keys: ${[...FILE_TOP_KEYS, ...topLevelProviderKeys].join(', ')}`,
      });
    }
  }
  const section = asRecord(fileTop[module.id]);
  const known = new Set(module.options.map((o) => o.key));
  for (const key of Object.keys(section)) {
    if (!known.has(key)) {
      throw new ConfigError(`invalid settings: .preview.yml ${module.id}.${key}: unknown key`, {
        hint: `known keys: ${[...known].join(', ')}`,
      });
    }
  }
  const resolved = resolveOptions(module.options, sources, section, fileTop);
  const providerParsed = module.schema.safeParse(resolved.values);
  if (!providerParsed.success) throw configErrorFrom(providerParsed.error, resolved.origins, module.id);
  return { common, provider: providerParsed.data };
}

/** Secret values among the resolved options, to register with the redactor before anything is printed. */
export function secretValues(specs: OptionSpec[], sources: SettingsSources): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    if (!spec.secret) continue;
    const flagValue = spec.flag ? sources.flags[spec.flag] : undefined;
    if (typeof flagValue === 'string') out.push(flagValue);
    for (const name of spec.env ?? []) {
      const v = sources.env[name];
      if (v) out.push(v);
    }
  }
  return out;
}
