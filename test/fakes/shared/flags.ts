/**
 * Options of a fake run as its own process: `--flag value`, else the env variable
 * `<PREFIX><NAME>`; numbers are checked so a typo fails at start, not as odd behaviour later.
 */
import { parseArgs } from 'node:util';

export function flagReader<F extends Record<string, string>>(flags: F, envPrefix: string, argv: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(flags).map((k) => [k, { type: 'string' as const }])),
    strict: true,
    // Some TS runners pass a literal `--` through.
    allowPositionals: true,
  });
  const get = (flag: keyof F & string): string | undefined => (values[flag] as string | undefined) ?? env[`${envPrefix}${flags[flag]}`];
  const num = (flag: keyof F & string): number | undefined => {
    const v = get(flag);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${flag} must be a number, got ${v}`);
    return n;
  };
  return { get, num };
}
