/**
 * Settings: read once (flag → env → `.preview.yml`), validated once with a schema, passed down
 * typed. This module does no I/O: the CLI hands it the parsed flags, an env record and the parsed
 * file. Providers never read env or flags themselves.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { expandDomain, hostProblem, previewName } from './naming.js';
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
  { key: 'ttl', flag: 'ttl', type: 'string', env: ['PREVIEW_TTL'], value: 'DURATION', description: 'prune: remove previews (and, with docker, unused images of ours) older than this' },
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
  /** Placeholders this provider adds to domain templates, e.g. docker's `{domain}` (its base domain). */
  domainValues?: (settings: S) => Record<string, string>;
}

type Origin = Map<string, string>;

/** Long values are cut in messages, which stay one readable line. */
function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

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
  /** How messages name the file and the section the values came from: `.preview.yml`, `clever-cloud`. */
  fileWhere: { name?: string; section?: string } = {},
): { values: Record<string, unknown>; origins: Origin } {
  const values: Record<string, unknown> = {};
  const origins: Origin = new Map();
  const fileName = fileWhere.name ?? '.preview.yml';
  for (const spec of specs) {
    const flagValue = spec.flag === undefined ? undefined : sources.flags[spec.flag];
    const inSection = spec.key in fileSection;
    const fileValue = normaliseFileValue(spec, inSection ? fileSection[spec.key] : spec.topLevel ? fileTop[spec.key] : undefined);
    const describeFile = () => `${fileName} ${inSection && fileWhere.section ? `${fileWhere.section}.` : ''}${spec.key}`;
    if (spec.type === 'map') {
      // Maps merge: .preview.yml, then the env variable's lines, then the flags, key by key.
      const fromFlags = Array.isArray(flagValue) && flagValue.length ? parseMapFlag(flagValue, `--${spec.flag}`) : {};
      const envName = spec.env?.find((name) => sources.env[name]);
      const fromEnv = envName ? parseMapFlag(mapLines(sources.env[envName] as string), envName) : {};
      if (fileValue !== undefined && (typeof fileValue !== 'object' || Array.isArray(fileValue))) {
        values[spec.key] = fileValue; // let the schema name the wrong type
        origins.set(spec.key, describeFile());
      } else if (fileValue !== undefined || envName || Object.keys(fromFlags).length) {
        values[spec.key] = { ...asRecord(fileValue), ...fromEnv, ...fromFlags };
        origins.set(spec.key, Object.keys(fromFlags).length ? `--${spec.flag}` : envName ?? describeFile());
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
      origins.set(spec.key, describeFile());
    }
  }
  return { values, origins };
}

/** zod's type names in the words of a YAML file. */
function typeWords(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping (KEY: value lines)',
    array: 'a list',
    string: 'a text value',
    number: 'a number',
    boolean: 'true or false',
    null: 'nothing',
  };
  return words[type] ?? type;
}

/** Turns a zod failure into one line naming the field the way the user wrote it. */
export function configErrorFrom(error: z.ZodError, origins: Origin, section?: string, specs: OptionSpec[] = []): ConfigError {
  const issue = error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const rest = issue.path.slice(1).join('.');
  const fileKey = section ? `.preview.yml ${section}.${key}` : `.preview.yml ${key}`;
  const missing = issue.code === 'invalid_type' && issue.received === 'undefined';
  // A value given nowhere is named by every way to give it: the flag, the variable, the file key.
  const spec = specs.find((o) => o.key === key);
  const ways = spec ? [spec.flag ? `--${spec.flag}` : undefined, ...(spec.env ?? []), fileKey].filter(Boolean).join(' / ') : fileKey;
  const where = origins.get(key) ?? ways;
  const field = rest ? `${where} (${rest})` : where;
  let message = issue.message;
  if (missing) message = 'is required';
  else if (issue.code === 'invalid_type') message = `expected ${typeWords(issue.expected)}, got ${typeWords(issue.received)}`;
  return new ConfigError(`invalid settings: ${field}: ${message}`, { hint: 'see preview-kit --help' });
}

export interface LoadedSettings<S> {
  common: CommonSettings;
  provider: S;
}

const FILE_TOP_KEYS = [...commonOptions.map((o) => o.key), ...PROVIDER_IDS];

/**
 * People write the flag's spelling in YAML too (`health-path`, `build-flavor`, `addon`): those
 * are read as the setting they name. Giving both spellings of one setting is an error.
 */
function fileKeys(record: Record<string, unknown>, specs: OptionSpec[], prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const spec = specs.find((o) => o.key !== key && o.flag === key && !specs.some((k) => k.key === key));
    const target = spec ? spec.key : key;
    if (target in out) {
      throw new ConfigError(`invalid settings: ${prefix}${target}: given twice (as "${target}" and "${spec?.flag ?? key}")`);
    }
    out[target] = value;
  }
  return out;
}

/** The known key nearest to a typo, when one is near enough to be a likely meaning. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (w: string) => w.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = editDistance(norm(word), norm(candidate));
    if (d <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

/** Edits between two words, a swap of neighbours counting as one (the commonest typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Reads and validates all settings. `pickProvider` returns the settings module of the chosen
 * provider, so that only its options are read and checked.
 */
export function loadSettings<S>(
  sources: SettingsSources,
  pickProvider: (id: ProviderId) => ProviderSettingsModule<S>,
  options: { providerOptional?: boolean; /** `prune` judges all branches: it needs none. */ branchOptional?: boolean } = {},
): LoadedSettings<S | undefined> {
  if (sources.file && sources.file.data !== null && sources.file.data !== undefined && (typeof sources.file.data !== 'object' || Array.isArray(sources.file.data))) {
    throw new ConfigError(`invalid settings: ${sources.file.path}: expected a mapping of settings at the top level`);
  }
  const fileName = sources.file ? basename(sources.file.path) : '.preview.yml';
  const fileTop = fileKeys(asRecord(sources.file?.data), commonOptions, `${fileName} `);
  const { values, origins } = resolveOptions(commonOptions, sources, fileTop, {}, { name: fileName });
  const noProvider = options.providerOptional === true && values.provider === undefined;
  if (noProvider) values.provider = PROVIDER_IDS[0];
  if (values.app === undefined && sources.detected?.app) values.app = sources.detected.app;
  if (values.branch === undefined && sources.detected?.branch) values.branch = sources.detected.branch;
  if (values.commit === undefined && sources.detected?.commit) values.commit = sources.detected.commit;
  const parsed = commonSchema.safeParse(values);
  if (!parsed.success) throw configErrorFrom(parsed.error, origins, undefined, commonOptions);
  const c = parsed.data;
  if (c.pr === undefined && c.branch === undefined && !options.branchOptional) {
    throw new ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', {
      hint: 'pass --branch or set PREVIEW_BRANCH',
    });
  }

  const name = previewName({ app: c.app, branch: c.branch, pr: c.pr, prefix: c.prefix });
  const { timeout, domain, ...rest } = c;
  const common: CommonSettings = { ...rest, name, domainTemplates: domain, domains: [], timeoutMs: timeout };
  if (noProvider) return { common: { ...common, domains: expandDomains(c, name, origins) }, provider: undefined };

  const module = pickProvider(c.provider);
  const topLevelSpecs = module.options.filter((o) => o.topLevel);
  const top = fileKeys(fileTop, topLevelSpecs, `${fileName} `);
  const topKnown = [...FILE_TOP_KEYS, ...topLevelSpecs.map((o) => o.key)];
  for (const key of Object.keys(top)) {
    if (!topKnown.includes(key)) {
      const guess = closest(key, topKnown);
      throw new ConfigError(`invalid settings: ${fileName}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
        hint: `known keys: ${topKnown.join(', ')}`,
      });
    }
  }
  const section = fileKeys(asRecord(top[module.id]), module.options, `${fileName} ${module.id}.`);
  const known = module.options.map((o) => o.key);
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) {
      const guess = closest(key, known);
      throw new ConfigError(`invalid settings: ${fileName} ${module.id}.${key}: unknown key${guess ? ` (did you mean "${guess}"?)` : ''}`, {
        hint: `known keys: ${known.join(', ')}`,
      });
    }
  }
  for (const spec of module.options) {
    if (spec.secret && (spec.key in section || (spec.topLevel && spec.key in top))) {
      throw new ConfigError(`invalid settings: ${fileName} ${module.id}.${spec.key}: a secret does not belong in a file that is committed`, {
        hint: `remove it and set ${spec.env?.[0] ?? 'it'} as a masked CI variable or repository secret`,
      });
    }
  }
  const resolved = resolveOptions(module.options, sources, section, top, { name: fileName, section: module.id });
  const providerParsed = module.schema.safeParse(resolved.values);
  if (!providerParsed.success) throw configErrorFrom(providerParsed.error, resolved.origins, module.id, module.options);
  const extra = module.domainValues?.(providerParsed.data) ?? {};
  return { common: { ...common, domains: expandDomains(c, name, origins, extra) }, provider: providerParsed.data };
}

/** Expands and checks the domain templates; providers may add placeholders (docker: `{domain}`). */
function expandDomains(c: CommonParsed, name: string, origins: Origin, extra: Record<string, string> = {}): string[] {
  let domains: string[];
  try {
    domains = c.domain.map((t) => expandDomain(t, { name, app: c.app, branch: c.branch, pr: c.pr, extra }));
  } catch (error) {
    throw new ConfigError(`invalid settings: ${origins.get('domain') ?? '--domain'}: ${(error as Error).message}`);
  }
  for (const [i, template] of c.domain.entries()) {
    const where = origins.get('domain') ?? '--domain';
    if (c.pr === undefined && template.includes('{pr}')) {
      throw new ConfigError(`invalid settings: ${where}: "${template}" uses {pr} but no pull request number is given`, { hint: 'pass --pr, or use {name}' });
    }
    const problem = hostProblem(domains[i]!);
    if (problem) {
      throw new ConfigError(`invalid settings: ${where}: "${template}" expands to "${clip(domains[i]!)}" for this branch: ${problem}`, {
        hint: '{name} always expands to a valid label',
      });
    }
  }
  return domains;
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
