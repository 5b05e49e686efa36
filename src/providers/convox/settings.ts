/**
 * Convox settings: the option table (flags, env, `.preview.yml` keys under `convox:`) and the
 * schema that turns them into one typed object. `RACK_URL` is what the convox CLI reads; it may
 * carry the rack password (`https://convox:PASSWORD@host`), so it is a secret like the password.
 */
import { z } from 'zod';
import type { OptionSpec } from '../../core/options.js';
import { durationSchema, ENV_NAME } from '../../core/settings.js';

export interface ConvoxSettings {
  /** Rack API base URL, without credentials. */
  rackUrl: string;
  /** Rack password (HTTP basic auth, user `convox`). */
  password: string;
  /** Rack name sent as the `Rack` header, for a console that routes to several racks. */
  rack?: string;
  /** Service whose domain is the preview URL; default: `web`, else the first one with a domain and ports. */
  service?: string;
  /** Env var that carries the preview's domain(s) to `convox.yml` (`domain: ${PREVIEW_HOST}`). */
  domainEnv: string;
  /** Manifest the builder reads, relative to the source root. */
  manifest?: string;
  /**
   * How long to wait for the marks of an app that exists without any release or build, the state
   * another pipeline's app is in between its creation and its first release; after that, `up`
   * takes the empty app as this preview's (an interrupted run's).
   */
  claimWaitMs: number;
  /** PEM file of the CA (or the self-signed certificate) trusted for the rack, instead of the system's. */
  rackCaFile?: string;
  /**
   * Accept any rack certificate. The convox CLI always does (its SDK client skips verification,
   * since racks commonly serve self-signed certificates); we verify unless told otherwise.
   */
  insecureSkipTlsVerify?: boolean;
}

export const convoxOptions: OptionSpec[] = [
  { key: 'rackUrl', flag: 'rack-url', type: 'string', env: ['RACK_URL'], secret: true, value: 'URL', description: 'Convox rack API URL, e.g. https://convox:PASSWORD@api.rack.example.com' },
  { key: 'password', type: 'string', env: ['CONVOX_PASSWORD'], secret: true, description: 'Convox rack password, when RACK_URL carries none' },
  { key: 'rack', flag: 'rack', type: 'string', env: ['CONVOX_RACK'], value: 'NAME', description: 'Convox rack name, sent as the Rack header when the URL is a console' },
  { key: 'service', flag: 'convox-service', type: 'string', env: ['CONVOX_SERVICE'], value: 'NAME', description: 'Convox service whose domain is the preview URL', defaultText: 'web, else the first public service' },
  { key: 'domainEnv', flag: 'convox-domain-env', type: 'string', env: ['CONVOX_DOMAIN_ENV'], value: 'NAME', description: 'env var that carries --domain to convox.yml (domain: ${NAME})', defaultText: 'PREVIEW_HOST' },
  { key: 'manifest', flag: 'convox-manifest', type: 'string', env: ['CONVOX_MANIFEST'], value: 'FILE', description: 'manifest the Convox build reads', defaultText: 'convox.yml' },
  { key: 'rackCaFile', flag: 'rack-ca-file', type: 'string', env: ['CONVOX_RACK_CA_FILE'], value: 'FILE', description: 'PEM certificate (CA or self-signed) trusted for the rack, instead of the system CAs' },
  { key: 'insecureSkipTlsVerify', flag: 'rack-insecure-skip-tls-verify', type: 'boolean', env: ['CONVOX_INSECURE_SKIP_TLS_VERIFY'], description: 'do not verify the rack certificate, as the convox CLI does (prefer --rack-ca-file)', defaultText: 'false' },
  { key: 'claimWait', type: 'string', env: ['CONVOX_CLAIM_WAIT'], value: 'DURATION', description: 'how long an app without any release waits for the run creating it to mark it, before up takes it', defaultText: '30s' },
];

/** Splits `https://convox:PW@host/` into a credential-free base URL and the password it carried. */
export function splitRackUrl(text: string): { url: string; password?: string } | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { url: url.toString().replace(/\/+$/, ''), ...(password ? { password } : {}) };
}

export const convoxSchema: z.ZodType<ConvoxSettings, z.ZodTypeDef, unknown> = z
  .object({
    rackUrl: z.string().trim().optional(),
    password: z.string().optional(),
    rack: z.string().trim().min(1).optional(),
    service: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a service name from convox.yml')
      .optional(),
    domainEnv: z.string().trim().regex(ENV_NAME, 'expected an env var name').default('PREVIEW_HOST'),
    manifest: z.string().trim().min(1).optional(),
    claimWait: durationSchema.default('30s'),
    rackCaFile: z.string().trim().min(1).optional(),
    insecureSkipTlsVerify: z.boolean().default(false),
  })
  .transform((raw, ctx) => {
    if (!raw.rackUrl) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rackUrl'], message: 'required: set RACK_URL or --rack-url (https://convox:PASSWORD@host)' });
      return z.NEVER;
    }
    const split = splitRackUrl(raw.rackUrl);
    if (!split) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rackUrl'], message: 'expected an http(s) URL like https://convox:PASSWORD@api.rack.example.com' });
      return z.NEVER;
    }
    const password = raw.password || split.password;
    if (!password) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rackUrl'], message: 'no rack password: put it in the URL (https://convox:PASSWORD@host) or set CONVOX_PASSWORD' });
      return z.NEVER;
    }
    const settings: ConvoxSettings = { rackUrl: split.url, password, domainEnv: raw.domainEnv, claimWaitMs: raw.claimWait, insecureSkipTlsVerify: raw.insecureSkipTlsVerify };
    if (raw.rackCaFile) settings.rackCaFile = raw.rackCaFile;
    if (raw.rack) settings.rack = raw.rack;
    if (raw.service) settings.service = raw.service;
    if (raw.manifest) settings.manifest = raw.manifest;
    return settings;
  });
