/**
 * Declarative option specs. Each option says once where it can come from — a flag, env
 * variables, a `.preview.yml` key — so the CLI parser, `--help`, the GitHub action inputs and
 * the settings loader all read the same table. Providers declare their own table beside them.
 */

export type OptionType = 'string' | 'boolean' | 'list' | 'map';

export interface OptionSpec {
  /** Key in the settings object and in `.preview.yml`. */
  key: string;
  /** CLI flag without dashes; omitted for `.preview.yml`-only settings. */
  flag?: string;
  /** One-letter alias. */
  short?: string;
  /**
   * `string`, `boolean`, `list` (repeatable flag; env value split on commas or newlines),
   * `map` (repeatable `KEY=VALUE` flag merged over a `.preview.yml` mapping).
   */
  type: OptionType;
  /** Environment variables read when the flag is absent, first set one wins. */
  env?: string[];
  /** Masked in every output as soon as it is read. */
  secret?: boolean;
  /** One line for `--help`. */
  description: string;
  /** Placeholder shown in `--help`, e.g. `URL`. */
  value?: string;
  /** Default shown in `--help` (the schema holds the real default). */
  defaultText?: string;
  /** Also accepted at the top level of `.preview.yml` (not only inside the provider's section). */
  topLevel?: boolean;
}

/** Where a value came from, for error messages a person can act on. */
export function describeSource(spec: OptionSpec, source: 'flag' | 'env' | 'file', envName?: string): string {
  if (source === 'flag') return `--${spec.flag}`;
  if (source === 'env') return envName ?? spec.env?.[0] ?? spec.key;
  return `.preview.yml ${spec.key}`;
}
