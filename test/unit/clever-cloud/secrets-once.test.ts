import { describe, expect, it } from 'vitest';
import { credentialsFrom, secretsOf } from '../../../src/providers/clever-cloud/auth.js';

describe('secrets to mask', () => {
  it('lists each value once, so a GitHub log gets one add-mask line per secret', () => {
    // Plain tokens: their percent-encoded forms are the same strings.
    const values = secretsOf(credentialsFrom({ token: 'fake-token', secret: 'fake-secret' }));
    expect(values).toEqual([...new Set(values)]);
    expect(values).toEqual(['fake-token', 'fake-secret', Buffer.from('fake-token:fake-secret').toString('base64')]);
    // A secret with reserved characters keeps its encoded form too.
    expect(secretsOf(credentialsFrom({ token: 'tok', secret: 'a/b+c' }))).toContain('a%2Fb%2Bc');
  });
});
