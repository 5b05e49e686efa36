/**
 * Settings: read once (flag → env → `.preview.yml`), validated once with a schema, passed down
 * typed. This module does no I/O: the CLI hands it the parsed flags, an env record and the parsed
 * file. Providers never read env or flags themselves. The list of providers is not kept here: the
 * provider registry hands it in, so that it is the only list.
 */
import { basename } from 'node:path';
import { ConfigError } from './errors.js';
import { identityKey, type PreviewIdentity } from './identity.js';
import { expandDomain, hostProblem, nameOfIdentity, previewName } from './naming.js';
import type { OptionSpec } from './options.js';
import { commonOptions, commonSchemaFor, type CommonParsed, type CommonSettings, type ProviderId, type ProviderSettingsModule, type SettingsSources } from './settings-schema.js';
import { asRecord, clip, configErrorFrom, describeYaml, fileKeys, resolveOptions, type Origin } from './settings-sources.js';
import { closest } from './suggest.js';

export * from './settings-schema.js';
export { configErrorFrom, resolveOptions } from './settings-sources.js';
export { closest } from './suggest.js';

export interface LoadedSettings<S> {
  common: CommonSettings;
  provider: S;
}

/** The providers the registry offers: their ids, and the settings module of the chosen one. */
export interface ProviderChoice<S> {
  ids: readonly string[];
  pick: (id: ProviderId) => ProviderSettingsModule<S>;
}

/**
 * Whose preview this is. A fork's change is always keyed by its pull request number, never by the
 * fork's branch name (a fork's `feature/login` is not ours); otherwise `--pr`, else the branch.
 */
export function identityOf(c: { app: string; branch?: string; pr?: number; prefix?: string }, detected: SettingsSources['detected']): PreviewIdentity | undefined {
  const prefix = c.prefix ? { prefix: c.prefix } : {};
  if (detected?.fork) {
    const pr = c.pr ?? detected.pr;
    if (pr !== undefined) return { project: c.app, pr, fork: detected.fork, ...prefix };
  }
  if (c.pr !== undefined) return { project: c.app, pr: c.pr, ...prefix };
  if (c.branch !== undefined) return { project: c.app, branch: c.branch, ...prefix };
  return undefined;
}

/**
 * Reads and validates all settings. `providers.pick` returns the settings module of the chosen
 * provider, so that only its options are read and checked.
 */
export function loadSettings<S>(
  sources: SettingsSources,
  providers: ProviderChoice<S>,
  options: { providerOptional?: boolean; /** `prune` judges all branches: it needs none. */ branchOptional?: boolean } = {},
): LoadedSettings<S | undefined> {
  const FILE_TOP_KEYS = [...commonOptions.map((o) => o.key), ...providers.ids];
  if (sources.file && sources.file.data !== null && sources.file.data !== undefined && (typeof sources.file.data !== 'object' || Array.isArray(sources.file.data))) {
    throw new ConfigError(`invalid settings: ${sources.file.path}: expected a mapping of settings at the top level`);
  }
  const fileName = sources.file ? basename(sources.file.path) : '.preview.yml';
  const fileTop = fileKeys(asRecord(sources.file?.data), commonOptions, `${fileName} `);
  const { values, origins } = resolveOptions(commonOptions, sources, fileTop, {}, { name: fileName });
  const noProvider = options.providerOptional === true && values.provider === undefined;
  if (noProvider) values.provider = providers.ids[0];
  if (values.app === undefined && sources.detected?.app) values.app = sources.detected.app;
  if (values.branch === undefined && sources.detected?.branch) values.branch = sources.detected.branch;
  if (values.commit === undefined && sources.detected?.commit) values.commit = sources.detected.commit;
  const parsed = commonSchemaFor(providers.ids).safeParse(values);
  if (!parsed.success) throw configErrorFrom(parsed.error, origins, undefined, commonOptions);
  const c = parsed.data;
  const identity = identityOf(c, sources.detected);
  if (identity === undefined && !options.branchOptional) {
    throw new ConfigError('invalid settings: --branch: no branch given and none found in the CI environment or git', {
      hint: 'pass --branch or set PREVIEW_BRANCH',
    });
  }
  if (identity?.fork && c.pr === undefined) c.pr = identity.pr;

  const name = identity ? nameOfIdentity(identity) : previewName({ app: c.app, prefix: c.prefix });
  const { timeout, domain, ...rest } = c;
  const common: CommonSettings = { ...rest, name, identity, key: identity ? identityKey(identity) : undefined, domainTemplates: domain, domains: [], timeoutMs: timeout };
  if (noProvider) return { common: { ...common, domains: expandDomains(c, name, identity, origins) }, provider: undefined };

  const module = providers.pick(c.provider);
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
  const rawSection = top[module.id];
  if (rawSection !== undefined && rawSection !== null && (typeof rawSection !== 'object' || Array.isArray(rawSection))) {
    throw new ConfigError(`invalid settings: ${fileName} ${module.id}: expected a mapping of ${module.id} settings, got ${describeYaml(rawSection)}`, {
      hint: `e.g. ${module.id}:\n  ${module.options.find((o) => !o.secret)?.key ?? 'key'}: value`,
    });
  }
  const section = fileKeys(asRecord(rawSection), module.options, `${fileName} ${module.id}.`);
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
      const overlaid = sources.file?.overlaid ?? [];
      const inOverlay = [spec.key, spec.flag].some((k) => k !== undefined && (overlaid.includes(`${module.id}.${k}`) || overlaid.includes(k)));
      throw new ConfigError(
        inOverlay
          ? `invalid settings: --settings / PREVIEW_SETTINGS ${module.id}.${spec.key}: a secret does not belong in the settings, which are shown in logs and workflow files`
          : `invalid settings: ${fileName} ${module.id}.${spec.key}: a secret does not belong in a file that is committed`,
        { hint: `remove it and set ${spec.env?.[0] ?? 'it'} as a masked CI variable or repository secret` },
      );
    }
  }
  const resolved = resolveOptions(module.options, sources, section, top, { name: fileName, section: module.id });
  checkCredentials(module.options, resolved.values, resolved.origins);
  const providerParsed = module.schema.safeParse(resolved.values);
  if (!providerParsed.success) throw configErrorFrom(providerParsed.error, resolved.origins, module.id, module.options);
  const extra = module.domainValues?.(providerParsed.data) ?? {};
  return { common: { ...common, domains: expandDomains(c, name, identity, origins, extra) }, provider: providerParsed.data };
}

/**
 * Expands and checks the domain templates; providers may add placeholders (docker: `{domain}`).
 * `{branch}` and `{pr}` come from the identity: a pull request's preview has no branch in its
 * hosts (a fork's branch name would give a host of the same-named branch of ours).
 */
function expandDomains(c: CommonParsed, name: string, identity: PreviewIdentity | undefined, origins: Origin, extra: Record<string, string> = {}): string[] {
  const where = origins.get('domain') ?? '--domain';
  const pr = identity ? identity.pr : c.pr;
  const branch = identity ? identity.branch : c.branch;
  for (const template of c.domain) {
    if (pr === undefined && template.includes('{pr}')) {
      throw new ConfigError(`invalid settings: ${where}: "${template}" uses {pr} but no pull request number is given`, { hint: 'pass --pr, or use {name}' });
    }
    if (pr !== undefined && template.includes('{branch}')) {
      throw new ConfigError(`invalid settings: ${where}: "${template}" uses {branch}, but this preview is for pull request #${pr}`, { hint: 'use {name} or {pr}' });
    }
  }
  let domains: string[];
  try {
    domains = c.domain.map((t) => expandDomain(t, { name, app: c.app, branch, pr, extra }));
  } catch (error) {
    throw new ConfigError(`invalid settings: ${where}: ${(error as Error).message}`);
  }
  for (const [i, template] of c.domain.entries()) {
    const problem = hostProblem(domains[i]!);
    if (problem) {
      throw new ConfigError(`invalid settings: ${where}: "${template}" expands to "${clip(domains[i]!)}" for this branch: ${problem}`, {
        hint: '{name} always expands to a valid label',
      });
    }
  }
  return domains;
}

/**
 * A credential travels in an HTTP header (or is encoded into one): a character outside printable
 * Latin-1 — a typographic quote, a non-breaking space or a line break pasted in with the token —
 * can only be a mistake, and would otherwise surface as a refused login or a network error worth
 * five retries. The value is never printed, only where it came from and the character's position.
 */
function checkCredentials(specs: OptionSpec[], values: Record<string, unknown>, origins: Origin): void {
  for (const spec of specs) {
    const value = values[spec.key];
    if (!spec.secret || typeof value !== 'string') continue;
    const bad = [...value].findIndex((ch) => {
      const code = ch.codePointAt(0)!;
      return code > 0xff || code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0xa0;
    });
    if (bad < 0) continue;
    const where = origins.get(spec.key) ?? spec.env?.[0] ?? spec.key;
    throw new ConfigError(`invalid settings: ${where}: character ${bad + 1} cannot be part of a credential (a typographic quote, non-breaking space or line break pasted in?)`, {
      hint: `set ${where} again from the platform's own copy of it`,
    });
  }
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
