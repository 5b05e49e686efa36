/**
 * Clever Cloud settings: where each one comes from (flag, env, `.preview.yml` key under
 * `clever-cloud:`) and the schema that validates them once, before anything talks to the API.
 */
import { z } from 'zod';
import type { OptionSpec } from '../../core/options.js';

/** Zones clever-tools offers (`clever create --region`). */
export const ZONES = ['par', 'parhds', 'grahds', 'rbx', 'rbxhds', 'scw', 'ldn', 'mtl', 'sgp', 'syd', 'wsw'] as const;
export const FLAVORS = ['pico', 'nano', 'XS', 'S', 'M', 'L', 'XL', '2XL', '3XL'] as const;
/** Runtime slugs known today (`variant.slug` of `/v2/products/instances`); others are checked against the catalogue. */
export const KNOWN_TYPES = [
  'docker', 'elixir', 'frankenphp', 'go', 'gradle', 'haskell', 'jar', 'linux', 'maven', 'meteor', 'node',
  'php', 'play1', 'play2', 'python', 'ruby', 'rust', 'sbt', 'static', 'static-apache', 'v', 'war',
] as const;

export type Zone = (typeof ZONES)[number];
export type Flavor = (typeof FLAVORS)[number];

export interface AddonRequest {
  /** Add-on provider id, e.g. `postgresql-addon`. */
  provider: string;
  /** Plan slug, e.g. `dev`. */
  plan: string;
}

export interface CleverSettings {
  /** `orga_…` id, `user_…` id, or an organisation name; absent = the token's personal space. */
  org?: string;
  /** API base URL; absent = the public API (or the API bridge for API tokens). */
  apiUrl?: string;
  token?: string;
  secret?: string;
  apiToken?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** Runtime slug (`variant.slug`), e.g. `node`. */
  type: string;
  zone: Zone;
  /** Scaler size; absent = the runtime's default flavor on creation, left alone afterwards. */
  flavor?: Flavor;
  /** Instance count; absent = 1 on creation, left alone afterwards. */
  instances?: number;
  /** Dedicated build instance size; `disabled` turns it off. */
  buildFlavor?: Flavor | 'disabled';
  addons: AddonRequest[];
  /** Region of the add-ons; absent = the app's zone. */
  region?: string;
}

export const cleverOptions: OptionSpec[] = [
  { key: 'org', flag: 'org', type: 'string', env: ['CLEVER_ORG'], value: 'ID|NAME', description: 'Clever Cloud organisation: orga_… id or its name', defaultText: 'the personal space of the token' },
  { key: 'apiUrl', flag: 'api-url', type: 'string', env: ['CLEVER_API_URL', 'API_HOST'], value: 'URL', description: 'Clever Cloud API base URL', defaultText: 'https://api.clever-cloud.com' },
  { key: 'token', type: 'string', env: ['CLEVER_TOKEN'], secret: true, description: 'Clever Cloud OAuth token (with CLEVER_SECRET)' },
  { key: 'secret', type: 'string', env: ['CLEVER_SECRET'], secret: true, description: 'Clever Cloud OAuth token secret' },
  { key: 'apiToken', type: 'string', env: ['CLEVER_API_TOKEN', 'CC_API_TOKEN'], secret: true, description: 'Clever Cloud API token (Bearer), instead of CLEVER_TOKEN/CLEVER_SECRET' },
  { key: 'consumerKey', type: 'string', env: ['CLEVER_OAUTH_CONSUMER_KEY', 'OAUTH_CONSUMER_KEY'], description: "OAuth consumer key the tokens were issued to", defaultText: "clever-tools' public consumer" },
  { key: 'consumerSecret', type: 'string', env: ['CLEVER_OAUTH_CONSUMER_SECRET', 'OAUTH_CONSUMER_SECRET'], secret: true, description: 'OAuth consumer secret', defaultText: "clever-tools' public consumer" },
  { key: 'type', flag: 'type', type: 'string', env: ['CLEVER_TYPE'], value: 'SLUG', description: 'Clever Cloud runtime: node, python, docker, static-apache…', defaultText: 'node' },
  { key: 'zone', flag: 'zone', type: 'string', env: ['CLEVER_ZONE'], value: 'ZONE', description: `Clever Cloud zone: ${ZONES.join(', ')}`, defaultText: 'par' },
  { key: 'flavor', flag: 'flavor', type: 'string', env: ['CLEVER_FLAVOR'], value: 'SIZE', description: `Clever Cloud instance size: ${FLAVORS.join(', ')}`, defaultText: "the runtime's default" },
  { key: 'instances', flag: 'instances', type: 'string', env: ['CLEVER_INSTANCES'], value: 'N', description: 'Clever Cloud instance count', defaultText: '1' },
  { key: 'buildFlavor', flag: 'build-flavor', type: 'string', env: ['CLEVER_BUILD_FLAVOR'], value: 'SIZE', description: 'Clever Cloud dedicated build instance size, or disabled' },
  { key: 'addons', flag: 'addon', type: 'list', env: ['CLEVER_ADDONS'], value: 'PROVIDER:PLAN', description: 'Clever Cloud add-on for the preview, e.g. postgresql-addon:dev (repeatable)' },
  { key: 'region', flag: 'addon-region', type: 'string', env: ['CLEVER_ADDON_REGION'], value: 'REGION', description: 'Clever Cloud add-on region', defaultText: 'the zone' },
];

const ADDON_SPEC = /^([a-z0-9][a-z0-9-]*):([A-Za-z0-9][A-Za-z0-9_.-]*)$/;

export function parseAddonRequest(text: string): AddonRequest | undefined {
  const m = ADDON_SPEC.exec(text.trim());
  return m ? { provider: m[1]!, plan: m[2]! } : undefined;
}

function enumOf<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .transform((text, ctx) => {
      // People type `xs`, the API says `XS`: accept either case.
      const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
      if (found === undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown ${what} "${text}" (expected one of ${values.join(', ')})` });
        return z.NEVER;
      }
      return found as T[number];
    });
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const instancesSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isInteger(n) || n < 1 || n > 40) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a whole number from 1 to 40, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

const addonSchema = z.string().transform((text, ctx) => {
  const parsed = parseAddonRequest(text);
  if (!parsed) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${text}" is not PROVIDER:PLAN (e.g. postgresql-addon:dev)` });
    return z.NEVER;
  }
  return parsed;
});

export const cleverSchema: z.ZodType<CleverSettings, z.ZodTypeDef, unknown> = z
  .object({
    org: nonEmpty.optional(),
    apiUrl: z
      .string()
      .trim()
      .url('expected a URL like https://api.clever-cloud.com')
      // Plain http is for a local fake or a proxy on the same machine.
      .refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) URL')
      .optional(),
    token: nonEmpty.optional(),
    secret: nonEmpty.optional(),
    apiToken: nonEmpty.optional(),
    consumerKey: nonEmpty.optional(),
    consumerSecret: nonEmpty.optional(),
    type: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z][a-z0-9-]*$/, `expected a runtime slug like ${KNOWN_TYPES.slice(0, 4).join(', ')}`)
      .default('node'),
    zone: enumOf(ZONES, 'zone').default('par'),
    flavor: enumOf(FLAVORS, 'flavor').optional(),
    instances: instancesSchema.optional(),
    buildFlavor: z
      .string()
      .transform((text, ctx) => {
        if (text.trim().toLowerCase() === 'disabled') return 'disabled' as const;
        const found = FLAVORS.find((f) => f.toLowerCase() === text.trim().toLowerCase());
        if (!found) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown build flavor "${text}" (expected disabled or one of ${FLAVORS.join(', ')})` });
          return z.NEVER;
        }
        return found;
      })
      .optional(),
    addons: z.array(addonSchema).default([]),
    region: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9-]*$/, 'expected a region like par')
      .optional(),
  })
  .superRefine((s, ctx) => {
    const providers = s.addons.map((a) => a.provider);
    const dup = providers.find((p, i) => providers.indexOf(p) !== i);
    if (dup) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['addons'], message: `add-on provider ${dup} is listed twice (one add-on per provider)` });
  });
