/**
 * Reading settings from their sources: each option from its flag, then its environment variable,
 * then `.preview.yml` (maps merge key by key), YAML values normalised to what the schema expects,
 * and schema failures turned into one line naming the setting the way the user wrote it.
 */
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { describeSource, type OptionSpec } from './options.js';
import { ENV_NAME, type SettingsSources } from './settings-schema.js';

export type Origin = Map<string, string>;

/** Long values are cut in messages, which stay one readable line. */
export function clip(text: string, max = 80): string {
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

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Stringify scalars from YAML (numbers, booleans) where the option is a string. A mapping's values
 * must be scalars too: `K: {a: 1}` is refused, never sent as `[object Object]`.
 */
function normaliseFileValue(spec: OptionSpec, value: unknown, where: () => string): unknown {
  if (value === null || value === undefined) return undefined;
  if (spec.type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  if (spec.type === 'list' && isScalar(value)) return [String(value)];
  if (spec.type === 'list' && Array.isArray(value)) {
    const bad = value.findIndex((v) => !isScalar(v));
    if (bad >= 0) throw new ConfigError(`invalid settings: ${where()} (item ${bad + 1}): expected a text value, got ${describeYaml(value[bad])}`);
    return value.map(String);
  }
  if (spec.type === 'map' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => {
        if (v !== null && !isScalar(v)) throw new ConfigError(`invalid settings: ${where()}.${k}: expected a text value, got ${describeYaml(v)}`);
        return [k, v === null ? '' : String(v)];
      }),
    );
  }
  return value;
}

export function describeYaml(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') return 'a mapping';
  return typeWords(typeof value);
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
    const describeFile = () => {
      const section = inSection && fileWhere.section ? `${fileWhere.section}.` : '';
      const overlaid = sources.file?.overlaid ?? [];
      const given = [spec.key, spec.flag].some((k) => k !== undefined && overlaid.includes(`${section}${k}`));
      return given ? `--settings / PREVIEW_SETTINGS ${section}${spec.key}` : `${fileName} ${section}${spec.key}`;
    };
    const fileValue = normaliseFileValue(spec, inSection ? fileSection[spec.key] : spec.topLevel ? fileTop[spec.key] : undefined, describeFile);
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

/**
 * People write the flag's spelling in YAML too (`health-path`, `build-flavor`, `addon`): those
 * are read as the setting they name. Giving both spellings of one setting is an error.
 */
export function fileKeys(record: Record<string, unknown>, specs: OptionSpec[], prefix: string): Record<string, unknown> {
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
