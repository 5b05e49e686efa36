import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact.js';

describe('Redactor', () => {
  it('masks registered secrets, their percent-encoded form, and longest first', () => {
    const r = new Redactor();
    r.add('s3cr3t/value+1');
    r.add('s3cr3t');
    expect(r.redact('a s3cr3t/value+1 b s3cr3t%2Fvalue%2B1 c s3cr3t')).toBe('a *** b *** c ***');
  });
  it('masks credentials in URLs and auth headers without being told', () => {
    const r = new Redactor();
    expect(r.redact('https://convox:hunter2@rack.example.com/apps')).toBe('https://convox:***@rack.example.com/apps');
    expect(r.redact('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(r.redact('oauth_token="tok", oauth_signature="a%26b"')).toBe('oauth_token="***", oauth_signature="***"');
  });
  it('ignores values too short to be secrets', () => {
    const r = new Redactor();
    r.add('ab');
    r.add('');
    r.add(undefined);
    expect(r.redact('ab cd')).toBe('ab cd');
  });
});
