export type FlagValues = Record<string, string | boolean | string[] | undefined>;
