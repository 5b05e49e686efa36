/**
 * The bcrypt written for Caddy's basic auth, against hashes made by other implementations: Caddy's
 * own `caddy hash-password --algorithm bcrypt` (Go's x/crypto, cost 14), and libxcrypt's
 * `crypt()` (`$2b$`, which hashes like `$2a$` below 255 bytes) for the empty password, non-ASCII
 * passwords and the 72-byte limit.
 */
import { describe, expect, it } from 'vitest';
import { bcryptBase64, bcryptHash } from '../../../src/providers/docker/bcrypt.js';

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 16 salt bytes of a `$2x$NN$` hash (22 characters of bcrypt base64). */
function saltOf(hash: string): Uint8Array {
  let bits = '';
  for (const c of hash.slice(7, 29)) bits += ALPHABET.indexOf(c).toString(2).padStart(6, '0');
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2));
}

function costOf(hash: string): number {
  return Number(hash.slice(4, 6));
}

/** Same cost, salt and digest; the version letter is ours ($2a$, as Go writes it). */
function rehash(password: string, reference: string): string {
  return bcryptHash(Buffer.from(password, 'utf8'), saltOf(reference), costOf(reference));
}

describe('bcrypt', () => {
  it.each([
    ['secret', '$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW'],
    ['', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy'],
    ['pässwörd ✓', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.Jm4uaizsrnVWG9vFLuESn9vhWLIsvzu'],
    ['U*U', '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
    ['a'.repeat(72), '$2b$05$CCCCCCCCCCCCCCCCCCCCC.ODcEJfYFxKziEakDsjep8mcF3zSCvHq'],
  ])('matches libxcrypt for %j', (password, reference) => {
    expect(rehash(password, reference)).toBe(`$2a$${reference.slice(4)}`);
  });

  it('reads only the first 72 bytes, like every bcrypt', () => {
    const reference = '$2b$05$CCCCCCCCCCCCCCCCCCCCC.ODcEJfYFxKziEakDsjep8mcF3zSCvHq';
    expect(rehash('a'.repeat(73), reference)).toBe(rehash('a'.repeat(72), reference));
  });

  it("matches a hash Caddy 2.6 made (caddy hash-password, cost 14)", () => {
    const reference = '$2a$14$KcskMAPzeqSQVhxS8Ohud.Xa9pgcwTB6Qwvg1R5FEZiq7ulw64YX6';
    expect(rehash('secret', reference)).toBe(reference);
  });

  it('changes with the password and with the salt', () => {
    const salt = new Uint8Array(16).fill(7);
    const other = new Uint8Array(16).fill(8);
    const a = bcryptHash(Buffer.from('one'), salt, 4);
    expect(bcryptHash(Buffer.from('one'), salt, 4)).toBe(a);
    expect(bcryptHash(Buffer.from('two'), salt, 4)).not.toBe(a);
    expect(bcryptHash(Buffer.from('one'), other, 4)).not.toBe(a);
    expect(a).toMatch(/^\$2a\$04\$[./A-Za-z0-9]{53}$/);
  });

  it('refuses a salt that is not 16 bytes and a cost out of range', () => {
    expect(() => bcryptHash(Buffer.from('x'), new Uint8Array(15), 4)).toThrow(/16 bytes/);
    expect(() => bcryptHash(Buffer.from('x'), new Uint8Array(16), 3)).toThrow(/cost/);
  });

  it("writes bcrypt's base64 (its own alphabet, no padding)", () => {
    expect(bcryptBase64(Uint8Array.from([0, 0, 0]))).toBe('....');
    expect(bcryptBase64(Uint8Array.from([0xff]))).toBe('9u');
    expect(bcryptBase64(saltOf('$2b$04$abcdefghijklmnopqrstuu'))).toBe('abcdefghijklmnopqrstuu');
  });
});
