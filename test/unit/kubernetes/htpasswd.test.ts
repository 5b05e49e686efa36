/**
 * `$apr1$` hashes for the basic-auth Secret: the same strings `openssl passwd -apr1` and Apache's
 * htpasswd make (vectors made with openssl, one from ingress-nginx's basic-auth example), and the
 * check that lets a re-run keep the stored line.
 */
import { describe, expect, it } from 'vitest';
import { apr1, htpasswdLine, newSalt, verifiesLine } from '../../../src/providers/kubernetes/htpasswd.js';

describe('apr1', () => {
  it.each([
    ['bar', 'OFG3Xybp', '$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0'],
    ['secret', 'abcdefgh', '$apr1$abcdefgh$h9FWgUz3n9YxylKLlR5SQ/'],
    ['p@ss:w0rd é', 'xy', '$apr1$xy$DGeZr0gKb5DevaUzHr90H0'],
    ['a very long password that exceeds sixteen bytes', '12345678', '$apr1$12345678$uLJCzDmVKltBxOrieVvHN1'],
    ['x', '', '$apr1$$jYtXyIcDHukcQfHjblNhq/'],
    ['', 'a', '$apr1$a$lsAcX0kKaMIVmrCtUuk5b0'],
  ])('%j with salt %j is what openssl passwd -apr1 makes', (password, salt, expected) => {
    expect(apr1(password, salt)).toBe(expected);
  });

  it('uses at most 8 characters of salt, as nginx and htpasswd do', () => {
    expect(apr1('bar', 'OFG3XybpEXTRA')).toBe('$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0');
  });

  it('fresh salts are 8 characters of the crypt alphabet and differ', () => {
    const salts = new Set(Array.from({ length: 20 }, newSalt));
    expect(salts.size).toBe(20);
    for (const salt of salts) expect(salt).toMatch(/^[./0-9A-Za-z]{8}$/);
  });
});

describe('verifiesLine', () => {
  const file = 'someone:$apr1$abcdefgh$h9FWgUz3n9YxylKLlR5SQ/\nfoo:$apr1$OFG3Xybp$ckL0FHDAkoXYIlH9.cysT0\n';

  it('finds the user and checks the password against its stored hash', () => {
    expect(verifiesLine(file, 'foo', 'bar')).toBe(true);
    expect(verifiesLine(file, 'foo', 'baz')).toBe(false);
    expect(verifiesLine(file, 'someone', 'secret')).toBe(true);
    expect(verifiesLine(file, 'nobody', 'bar')).toBe(false);
  });

  it('never accepts a hash it cannot check (so the line is written anew)', () => {
    expect(verifiesLine('foo:{SHA}Ys23Ag/5IOWqZCw9QGaVDdHwH00=\n', 'foo', 'bar')).toBe(false);
    expect(verifiesLine('foo:{PLAIN}bar\n', 'foo', 'bar')).toBe(false);
  });

  it('a line it makes verifies, with a new salt each time', () => {
    const a = htpasswdLine('viewer', 'pw');
    const b = htpasswdLine('viewer', 'pw');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^viewer:\$apr1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/);
    expect(verifiesLine(a, 'viewer', 'pw')).toBe(true);
    expect(verifiesLine(a, 'viewer', 'other')).toBe(false);
  });
});
