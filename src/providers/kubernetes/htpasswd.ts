/**
 * htpasswd lines with Apache's MD5 crypt (`$apr1$`), the one hash that both ingress-nginx and
 * Traefik verify on every platform: nginx implements `$apr1$` itself (src/core/ngx_crypt.c) where
 * bcrypt and SHA-crypt depend on the libc's crypt(), and newer nginx dropped unsalted `{SHA}`;
 * Traefik's basicAuth checks it with go-http-auth's MD5Crypt. Node makes it from node:crypto's MD5
 * alone. The algorithm is Poul-Henning Kamp's md5crypt with the `$apr1$` magic: 1 000 rounds over
 * the password, an 8-character salt and the intermediate digest.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const MAGIC = '$apr1$';
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const md5 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** `n` characters of crypt's base-64 alphabet from the low bits of `value`. */
function to64(value: number, n: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < n; i++) {
    out += ITOA64[v & 0x3f];
    v >>>= 6;
  }
  return out;
}

/** `$apr1$<salt>$<hash>` for the password; the salt is cut to its first 8 characters. */
export function apr1(password: string, salt: string): string {
  const key = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const alternate = md5(key, s, key);
  const parts: Buffer[] = [key, Buffer.from(MAGIC), s];
  for (let n = key.length; n > 0; n -= 16) parts.push(alternate.subarray(0, Math.min(16, n)));
  for (let i = key.length; i; i >>= 1) parts.push(i & 1 ? Buffer.from([0]) : key.subarray(0, 1));
  let final = md5(...parts);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? key : final];
    if (i % 3) round.push(s);
    if (i % 7) round.push(key);
    round.push(i & 1 ? final : key);
    final = md5(...round);
  }
  const f = final;
  const encoded =
    to64((f[0]! << 16) | (f[6]! << 8) | f[12]!, 4) +
    to64((f[1]! << 16) | (f[7]! << 8) | f[13]!, 4) +
    to64((f[2]! << 16) | (f[8]! << 8) | f[14]!, 4) +
    to64((f[3]! << 16) | (f[9]! << 8) | f[15]!, 4) +
    to64((f[4]! << 16) | (f[10]! << 8) | f[5]!, 4) +
    to64(f[11]!, 2);
  return `${MAGIC}${salt.slice(0, 8)}$${encoded}`;
}

/** A fresh 8-character salt from crypt's alphabet. */
export function newSalt(): string {
  return [...randomBytes(8)].map((b) => ITOA64[b & 0x3f]).join('');
}

/** One htpasswd line, `user:$apr1$…`, with a fresh salt. */
export function htpasswdLine(user: string, password: string, salt = newSalt()): string {
  return `${user}:${apr1(password, salt)}`;
}

/**
 * Whether an htpasswd file (one `user:hash` per line) has this user with this password, hashed
 * with `$apr1$`: what lets a re-run keep the stored line instead of writing a new salt.
 */
export function verifiesLine(file: string, user: string, password: string): boolean {
  for (const line of file.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon) !== user) continue;
    const stored = line.slice(colon + 1).trim();
    const salt = /^\$apr1\$([^$]{0,8})\$/.exec(stored)?.[1];
    if (salt === undefined) return false;
    const computed = Buffer.from(apr1(password, salt));
    const expected = Buffer.from(stored);
    return computed.length === expected.length && timingSafeEqual(computed, expected);
  }
  return false;
}
