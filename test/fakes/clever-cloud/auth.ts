/**
 * Credentials as the real API checks them: OAuth 1.0 PLAINTEXT in the Authorization header
 * (what clever-tools and clever-client.js send: consumer key, token, and
 * `oauth_signature="<consumerSecret>%26<tokenSecret>"`; nonce, timestamp, version and
 * signature method are optional) or `Bearer <api token>` (API bridge tokens). The git endpoint
 * takes HTTP Basic with user = token and password = token secret, as clever-tools sends.
 */

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  secret: string;
  apiToken: string;
}

export type AuthCheck = { ok: true; method: 'oauth' | 'bearer' } | { ok: false; reason: 'missing' | 'invalid' };

/**
 * Reads `OAuth k="v", k2="v2"` leniently: any order, any spacing, values percent-decoded.
 * Quotes around values are required, as the real API documents.
 */
export function parseOAuthHeader(value: string): Record<string, string> | undefined {
  const match = /^\s*OAuth\s+([\s\S]*)$/i.exec(value);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"/g;
  for (let m = re.exec(match[1]!); m; m = re.exec(match[1]!)) {
    try {
      params[m[1]!] = decodeURIComponent(m[2]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function checkOAuth(params: Record<string, string>, creds: Credentials): boolean {
  const method = (params.oauth_signature_method ?? 'PLAINTEXT').toUpperCase();
  // HMAC signatures exist on the real API; the fake only verifies PLAINTEXT, which is what the CLI uses.
  if (method !== 'PLAINTEXT') return false;
  if (params.oauth_version !== undefined && params.oauth_version !== '1.0') return false;
  if (params.oauth_consumer_key !== creds.consumerKey || params.oauth_token !== creds.token) return false;
  const signature = params.oauth_signature;
  if (signature === undefined) return false;
  // PLAINTEXT signature = encode(consumerSecret) & encode(tokenSecret); the header decoding undid one level.
  const amp = signature.indexOf('&');
  if (amp < 0) return false;
  return safeDecode(signature.slice(0, amp)) === creds.consumerSecret && safeDecode(signature.slice(amp + 1)) === creds.secret;
}

export function checkApiAuthorization(header: string | undefined, creds: Credentials): AuthCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] === creds.apiToken ? { ok: true, method: 'bearer' } : { ok: false, reason: 'invalid' };
  const params = parseOAuthHeader(header);
  if (!params) return { ok: false, reason: 'invalid' };
  return checkOAuth(params, creds) ? { ok: true, method: 'oauth' } : { ok: false, reason: 'invalid' };
}

/**
 * Git over HTTPS: Basic token:secret like clever-tools. No public client shows how an API token
 * pushes, so the fake also takes Basic with the API token as password, or `Bearer <api token>`.
 */
export function checkGitAuthorization(header: string | undefined, creds: Credentials): { ok: boolean; user?: string } {
  if (!header) return { ok: false };
  const bearer = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] === creds.apiToken ? { ok: true, user: 'api-token' } : { ok: false };
  const basic = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return { ok: false };
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (user === creds.token && password === creds.secret) return { ok: true, user };
  if (password === creds.apiToken) return { ok: true, user: 'api-token' };
  return { ok: false };
}
