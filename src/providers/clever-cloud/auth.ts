/**
 * Credentials for the Clever Cloud API and its git remotes. Two kinds exist: an OAuth 1 token
 * pair (`CLEVER_TOKEN`/`CLEVER_SECRET`, issued to clever-tools' own OAuth consumer, sent with the
 * PLAINTEXT method: no signing, no nonce) and a newer API token sent as `Bearer`, which the API
 * bridge host serves on the same `/v2` paths.
 */
import { ConfigError } from '../../core/errors.js';

/**
 * clever-tools' public OAuth consumer. Its source publishes these on purpose (tokens people get
 * from `clever login` or the console's CLI page are issued to this consumer), so they are not
 * secrets; settings can replace them for a private consumer.
 */
export const CLEVER_TOOLS_CONSUMER = {
  key: 'T5nFjKeHH4AIlEveuGhB5S3xg8T19e',
  secret: 'MgVMqTr6fWlf2M0tkC2MXOnhfqBWDT',
} as const;

export const DEFAULT_API_URL = 'https://api.clever-cloud.com';
/** Where API tokens (`Bearer`) are accepted. */
export const DEFAULT_BRIDGE_URL = 'https://api-bridge.clever-cloud.com';

export type CleverCredentials =
  | { kind: 'oauth'; consumerKey: string; consumerSecret: string; token: string; secret: string }
  | { kind: 'bearer'; apiToken: string };

export interface CredentialSettings {
  token?: string;
  secret?: string;
  apiToken?: string;
  consumerKey?: string;
  consumerSecret?: string;
}

/**
 * Picks the credentials from the settings. A complete token pair wins over an API token, since
 * git pushes with the pair are what clever-tools itself does.
 */
export function credentialsFrom(settings: CredentialSettings): CleverCredentials {
  if (settings.token && settings.secret) {
    return {
      kind: 'oauth',
      consumerKey: settings.consumerKey ?? CLEVER_TOOLS_CONSUMER.key,
      consumerSecret: settings.consumerSecret ?? CLEVER_TOOLS_CONSUMER.secret,
      token: settings.token,
      secret: settings.secret,
    };
  }
  if (settings.apiToken) return { kind: 'bearer', apiToken: settings.apiToken };
  if (settings.token || settings.secret) {
    const missing = settings.token ? 'CLEVER_SECRET' : 'CLEVER_TOKEN';
    throw new ConfigError(`invalid settings: ${missing} is missing (CLEVER_TOKEN and CLEVER_SECRET go together)`, {
      hint: 'set both from `clever login` (~/.config/clever-cloud) or the console, or set CLEVER_API_TOKEN instead',
    });
  }
  throw new ConfigError('invalid settings: no Clever Cloud credentials: set CLEVER_TOKEN and CLEVER_SECRET, or CLEVER_API_TOKEN', {
    hint: 'store them as masked CI variables / repository secrets',
  });
}

/** RFC 3986 percent-encoding as OAuth 1 wants it (encodeURIComponent leaves `!*'()` alone). */
export function oauthEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `OAuth oauth_consumer_key="…", oauth_token="…", oauth_signature="<cs>%26<ts>"`. The PLAINTEXT
 * signature is encode(consumer secret) & encode(token secret), and parameter values are encoded
 * once more in the header, which turns the `&` into `%26`.
 */
export function oauthHeader(creds: Extract<CleverCredentials, { kind: 'oauth' }>): string {
  const signature = `${oauthEncode(creds.consumerSecret)}&${oauthEncode(creds.secret)}`;
  return [
    `OAuth oauth_consumer_key="${oauthEncode(creds.consumerKey)}"`,
    `oauth_token="${oauthEncode(creds.token)}"`,
    `oauth_signature="${oauthEncode(signature)}"`,
  ].join(', ');
}

export function apiAuthorization(creds: CleverCredentials): string {
  return creds.kind === 'oauth' ? oauthHeader(creds) : `Bearer ${creds.apiToken}`;
}

/** Git remotes take HTTP Basic with user = token, password = token secret (as clever-tools pushes). */
export function gitAuthorization(creds: CleverCredentials): string {
  if (creds.kind === 'bearer') return `Bearer ${creds.apiToken}`;
  return `Basic ${Buffer.from(`${creds.token}:${creds.secret}`, 'utf8').toString('base64')}`;
}

/** Bearer tokens are served by the API bridge; an explicit URL always wins. */
export function apiBaseUrl(creds: CleverCredentials, apiUrl: string | undefined): string {
  if (apiUrl) return apiUrl.replace(/\/+$/, '');
  return creds.kind === 'bearer' ? DEFAULT_BRIDGE_URL : DEFAULT_API_URL;
}

/** Values to mask in every output: the raw secrets and the encoded forms that reach headers. */
export function secretsOf(creds: CleverCredentials): string[] {
  if (creds.kind === 'bearer') return [creds.apiToken];
  const basic = gitAuthorization(creds).slice('Basic '.length);
  const out = [creds.token, creds.secret, basic, oauthEncode(creds.secret), oauthEncode(creds.token)];
  if (creds.consumerSecret !== CLEVER_TOOLS_CONSUMER.secret) out.push(creds.consumerSecret);
  // Encoded forms often equal the raw ones; each value once (on GitHub, each is an add-mask line).
  return [...new Set(out)];
}

export function authHint(creds: CleverCredentials): string {
  return creds.kind === 'oauth'
    ? 'check CLEVER_TOKEN and CLEVER_SECRET (they expire; `clever login` issues new ones)'
    : 'check CLEVER_API_TOKEN (it may be expired or revoked)';
}

/** A 403: the credentials are good, the rights are missing. */
export function forbiddenHint(creds: CleverCredentials): string {
  const who = creds.kind === 'oauth' ? 'the user of CLEVER_TOKEN' : 'the user of CLEVER_API_TOKEN';
  return `${who} lacks the rights: check that it may act on the organisation (CLEVER_ORG) and manage its applications and add-ons`;
}
