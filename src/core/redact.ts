/**
 * Secret redaction. Every line the tool prints goes through one Redactor, so a secret
 * registered once is masked everywhere: logs, errors, JSON output, debug traces.
 */

const MASK = '***';

/** user:password@ in URLs, whatever the scheme. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;
/** Authorization header values and OAuth parameters that may reach a debug line. */
const AUTH_HEADER = /\b(authorization\s*[:=]\s*)("?)(bearer|basic|oauth)\s+[^\r\n"]+/gi;
const OAUTH_PARAM = /\b(oauth_(?:token|signature|consumer_key))="[^"]*"/gi;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Register a secret value. Short values (< 4 chars) would mask ordinary text, so they are ignored. */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    // Secrets also travel percent-encoded (OAuth signatures, URLs) and base64-encoded (basic auth).
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.secrets.add(encoded);
  }

  /** All registered values, longest first, so a secret that contains another is masked whole. */
  values(): string[] {
    return [...this.secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text
      .replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`)
      .replace(AUTH_HEADER, (_m, prefix: string, quote: string, scheme: string) => `${prefix}${quote}${scheme} ${MASK}`)
      .replace(OAUTH_PARAM, (_m, key: string) => `${key}="${MASK}"`);
    for (const secret of this.values()) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }
}
