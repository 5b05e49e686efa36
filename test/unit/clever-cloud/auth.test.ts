import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { Redactor } from '../../../src/core/redact.js';
import {
  apiAuthorization,
  apiBaseUrl,
  CLEVER_TOOLS_CONSUMER,
  credentialsFrom,
  gitAuthorization,
  oauthEncode,
  oauthHeader,
  secretsOf,
} from '../../../src/providers/clever-cloud/auth.js';
import { checkApiAuthorization, checkGitAuthorization, parseOAuthHeader } from '../../fakes/clever-cloud/auth.js';

const oauth = (token: string, secret: string) => {
  const creds = credentialsFrom({ token, secret });
  if (creds.kind !== 'oauth') throw new Error('expected oauth');
  return creds;
};

describe('OAuth PLAINTEXT header', () => {
  it("is what clever-tools sends for ordinary tokens: three params, secrets joined by %26", () => {
    expect(oauthHeader(oauth('tok123', 'sec456'))).toBe(
      `OAuth oauth_consumer_key="${CLEVER_TOOLS_CONSUMER.key}", oauth_token="tok123", oauth_signature="${CLEVER_TOOLS_CONSUMER.secret}%26sec456"`,
    );
  });

  it.each([
    ['plain', 'tok', 'sec'],
    ['reserved characters', 'to/k+1', 'se&c=2/+'],
    ['percent and quotes', '100%"x', "it's(*)!"],
    ['unicode', 'jeton', 'sécret'],
  ])('encodes %s so that a server decoding once then splitting on & gets the secrets back', (_what, token, secret) => {
    const header = oauthHeader(oauth(token, secret));
    const params = parseOAuthHeader(header)!;
    expect(params.oauth_token).toBe(token);
    const [cs, ts] = params.oauth_signature!.split('&');
    expect(decodeURIComponent(cs!)).toBe(CLEVER_TOOLS_CONSUMER.secret);
    expect(decodeURIComponent(ts!)).toBe(secret);
    expect(checkApiAuthorization(header, { consumerKey: CLEVER_TOOLS_CONSUMER.key, consumerSecret: CLEVER_TOOLS_CONSUMER.secret, token, secret, apiToken: 'x' })).toEqual({
      ok: true,
      method: 'oauth',
    });
  });

  it('oauthEncode follows RFC 3986 (unreserved kept, !*\'() encoded)', () => {
    expect(oauthEncode("a-b_c.d~e!*'() /")).toBe('a-b_c.d~e%21%2A%27%28%29%20%2F');
  });

  it('a private consumer replaces the public one', () => {
    const creds = credentialsFrom({ token: 't', secret: 's', consumerKey: 'key', consumerSecret: 'csec' });
    expect(apiAuthorization(creds)).toBe('OAuth oauth_consumer_key="key", oauth_token="t", oauth_signature="csec%26s"');
    expect(secretsOf(creds)).toContain('csec');
  });
});

describe('credentials', () => {
  it('API token → Bearer, served from the API bridge unless a URL is given', () => {
    const creds = credentialsFrom({ apiToken: 'api_abc' });
    expect(apiAuthorization(creds)).toBe('Bearer api_abc');
    expect(gitAuthorization(creds)).toBe('Bearer api_abc');
    expect(apiBaseUrl(creds, undefined)).toBe('https://api-bridge.clever-cloud.com');
    expect(apiBaseUrl(creds, 'http://127.0.0.1:9/')).toBe('http://127.0.0.1:9');
    expect(apiBaseUrl(oauth('t', 's'), undefined)).toBe('https://api.clever-cloud.com');
  });

  it('a token pair wins over an API token', () => {
    expect(credentialsFrom({ token: 't', secret: 's', apiToken: 'a' }).kind).toBe('oauth');
  });

  it('git gets HTTP Basic token:secret, which the fake git remote accepts', () => {
    const header = gitAuthorization(oauth('tok', 'se:c'));
    expect(header).toBe(`Basic ${Buffer.from('tok:se:c').toString('base64')}`);
    expect(checkGitAuthorization(header, { consumerKey: '', consumerSecret: '', token: 'tok', secret: 'se:c', apiToken: 'x' }).ok).toBe(true);
  });

  it.each([
    [{}, /CLEVER_TOKEN and CLEVER_SECRET, or CLEVER_API_TOKEN/],
    [{ token: 't' }, /CLEVER_SECRET is missing/],
    [{ secret: 's' }, /CLEVER_TOKEN is missing/],
  ])('missing credentials %j are a configuration error (exit 2)', (settings, message) => {
    const error = (() => {
      try {
        credentialsFrom(settings);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('every form a secret takes in a header is masked', () => {
    const creds = oauth('tok_abcdef', 'sec/ret+value');
    const redactor = new Redactor();
    for (const s of secretsOf(creds)) redactor.add(s);
    const text = `${apiAuthorization(creds)} | Authorization: ${gitAuthorization(creds)} | ${gitAuthorization(creds).slice(6)}`;
    const out = redactor.redact(text);
    expect(out).not.toContain('tok_abcdef');
    expect(out).not.toContain('sec/ret+value');
    expect(out).not.toContain(oauthEncode('sec/ret+value'));
    expect(out).not.toContain(Buffer.from('tok_abcdef:sec/ret+value').toString('base64'));
  });
});
