/**
 * The settings edge: what comes from outside the process — flags (from argv or the library's
 * object), the environment, `.preview.yml` — read into the plain records the settings loader
 * validates, and the redactor that knows every secret before anything is printed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from '../core/errors.js';
import type { OptionSpec } from '../core/options.js';
import { Redactor } from '../core/redact.js';
import { closest, commonOptions, secretValues, type FlagValues, type SettingsSources } from '../core/settings.js';
import { providerModules } from '../providers/registry.js';

/** Every option of every provider, once per flag: what the parser accepts. */
export function allOptions(): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const spec of [...commonOptions, ...providerModules.flatMap((m) => m.options as OptionSpec[])]) {
    if (spec.flag && !seen.has(spec.flag)) seen.set(spec.flag, spec);
  }
  return [...seen.values()];
}

export async function readSettingsFile(path: string, explicit: boolean): Promise<SettingsSources['file']> {
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`invalid settings: --config: ${path} does not exist`);
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`invalid settings: ${path}: cannot be read (${code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message)})`, {
      hint: 'point --config / PREVIEW_CONFIG at a YAML file',
    });
  }
  try {
    return { path, data: parseYaml(text) ?? {} };
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    const why = (error as Error).message.split('\n')[0];
    throw new ConfigError(`invalid settings: ${path}${where}: not valid YAML: ${why}`);
  }
}

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * `--settings` / `PREVIEW_SETTINGS`: YAML shaped like `.preview.yml`, laid over the file — a key
 * replaces the file's, a mapping (a provider's section, `env`) is merged key by key. Flags and
 * the settings' own variables still win over both.
 */
export function overlaySettings(file: SettingsSources['file'], text: string | undefined): SettingsSources['file'] {
  if (!text || text.trim() === '') return file;
  let overlay: unknown;
  try {
    overlay = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` line ${error.linePos[0].line}` : '';
    throw new ConfigError(`invalid settings: --settings / PREVIEW_SETTINGS${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (overlay === null || overlay === undefined) return file;
  if (!isMapping(overlay)) throw new ConfigError('invalid settings: --settings / PREVIEW_SETTINGS: expected a mapping of settings, as in .preview.yml');
  const base: Mapping = isMapping(file?.data) ? file.data : {};
  const merged: Mapping = { ...base };
  const overlaid: string[] = [...(file?.overlaid ?? [])];
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = isMapping(value) && isMapping(base[key]) ? { ...base[key], ...value } : value;
    overlaid.push(key, ...(isMapping(value) ? Object.keys(value).map((k) => `${key}.${k}`) : []));
  }
  return { path: file?.path ?? '.preview.yml', data: merged, overlaid };
}

export function allSecretSpecs(): OptionSpec[] {
  return [...commonOptions, ...providerModules.flatMap((m) => m.options as OptionSpec[])].filter((s) => s.secret);
}

/** A redactor that already knows every secret the environment holds for any provider. */
export function redactorFor(env: Record<string, string | undefined>): Redactor {
  const redactor = new Redactor();
  for (const value of secretValues(allSecretSpecs(), { flags: {}, env })) redactor.add(value);
  return redactor;
}

export function isDebug(env: Record<string, string | undefined>, flags: FlagValues): boolean {
  return flags.debug === true || env.RUNNER_DEBUG === '1' || env.PREVIEW_DEBUG === 'true' || env.PREVIEW_DEBUG === '1';
}

/**
 * Flags as the library API may pass them: keyed by flag (`wait-url`) or setting (`waitUrl`),
 * `env` as an object, numbers for `pr` or `max`. Unknown keys are refused, not ignored: a typo
 * would otherwise silently change nothing.
 */
export function normaliseFlags(flags: Record<string, unknown>): FlagValues {
  const specs = allOptions();
  const out: FlagValues = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const spec = specs.find((o) => o.flag === key) ?? specs.find((o) => o.key === key);
    if (!spec) {
      if (key === 'help' || key === 'version') continue;
      const guess = closest(key, specs.flatMap((o) => [o.flag!, o.key]));
      throw new ConfigError(`usage: unknown option "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`, { hint: 'see preview-kit --help' });
    }
    const flag = spec.flag!;
    if (spec.type === 'map' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[flag] = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${v === null || v === undefined ? '' : String(v)}`);
    } else if ((spec.type === 'map' || spec.type === 'list') && !Array.isArray(value)) {
      out[flag] = [String(value)];
    } else if (Array.isArray(value)) {
      out[flag] = value.map(String);
    } else if (spec.type === 'boolean') {
      out[flag] = typeof value === 'boolean' ? value : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
    } else {
      out[flag] = String(value);
    }
  }
  return out;
}
