import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import {
  assertRepresentable,
  CREATED_KEY,
  desiredEnv,
  envChanges,
  formatEnv,
  IDENTITY_KEY,
  isOwned,
  KEY_KEY,
  MANAGED_KEY,
  marksOf,
  OWNER_KEY,
  parseEnv,
  withManagedVar,
} from '../../../src/providers/convox/env.js';

describe('release env', () => {
  it('parses the way the rack does', () => {
    expect(parseEnv('A=1\nB=x=y\n  C  =z\r\nnoequals\n=nokey\nD=')).toEqual({ A: '1', B: 'x=y', C: 'z', D: '' });
    expect(parseEnv('')).toEqual({});
    expect(parseEnv(undefined)).toEqual({});
  });

  it('writes sorted KEY=VALUE lines and reads them back', () => {
    const env = { Z: 'last', A: 'first', M: 'a=b' };
    expect(formatEnv(env)).toBe('A=first\nM=a=b\nZ=last');
    expect(parseEnv(formatEnv(env))).toEqual(env);
  });

  it('owns only with the marker naming this app', () => {
    expect(isOwned({ [OWNER_KEY]: 'preview-kit:shop-a' }, 'shop-a')).toBe(true);
    expect(isOwned({ [OWNER_KEY]: 'preview-kit:shop-b' }, 'shop-a')).toBe(false);
    expect(isOwned({}, 'shop-a')).toBe(false);
  });

  it('records the identity key and the readable identity next to the marker, and reads them back as marks', () => {
    const identity = { project: 'shop', pr: 44, fork: 'someone/shop' };
    const env = desiredEnv({}, { appName: 'shop-pr-44', wanted: {}, identity, key: 'abc', now: new Date(0) });
    expect(env).toMatchObject({ [OWNER_KEY]: 'preview-kit:shop-pr-44', [KEY_KEY]: 'abc', [IDENTITY_KEY]: '{"project":"shop","pr":44,"fork":"someone/shop"}' });
    expect(marksOf(parseEnv(formatEnv(env)), 'shop-pr-44')).toEqual({ marker: true, key: 'abc', identity });
    // A copied environment names another app: no marks at all.
    expect(marksOf(env, 'other-app')).toEqual({ marker: false });
    expect(marksOf({ [OWNER_KEY]: 'preview-kit:a' }, 'a')).toEqual({ marker: true });
  });

  it('adds the marker and --env, keeps other keys, removes keys we set before', () => {
    const now = new Date('2024-01-02T03:04:05Z');
    const first = desiredEnv({ THEIRS: 'keep' }, { appName: 'a', wanted: { X: '1', Y: '2' }, identity: { project: 'a', branch: 'main' }, key: 'k1', now });
    expect(first).toMatchObject({ THEIRS: 'keep', X: '1', Y: '2', [OWNER_KEY]: 'preview-kit:a', [MANAGED_KEY]: 'X,Y', [CREATED_KEY]: now.toISOString() });
    const later = desiredEnv(first, { appName: 'a', wanted: { X: '3' }, identity: { project: 'a', branch: 'main' }, key: 'k1', now: new Date('2030-01-01T00:00:00Z') });
    expect(later.Y).toBeUndefined();
    expect(later.X).toBe('3');
    expect(later.THEIRS).toBe('keep');
    expect(later[CREATED_KEY]).toBe(now.toISOString());
    const none = desiredEnv(later, { appName: 'a', wanted: {}, identity: { project: 'a', branch: 'main' }, key: 'k1', now });
    expect(none[MANAGED_KEY]).toBeUndefined();
    expect(none.X).toBeUndefined();
  });

  it('is stable: applying it twice changes nothing', () => {
    const input = { appName: 'a', wanted: { X: '1' }, identity: { project: 'a', branch: 'b' }, key: 'k2', now: new Date() };
    const once = desiredEnv({}, input);
    expect(desiredEnv(once, input)).toEqual(once);
  });

  it('lists changes by name only', () => {
    expect(envChanges({ A: '1', B: 'secret', C: 'x' }, { A: '1', B: 'other', D: 'y' })).toEqual(['~B', '+D', '-C']);
  });

  it('refuses values the line format cannot hold, and our own keys', () => {
    expect(() => assertRepresentable({ A: 'one\ntwo' })).toThrow(ConfigError);
    expect(() => assertRepresentable({ [OWNER_KEY]: 'x' })).toThrow(ConfigError);
    expect(() => assertRepresentable({ A: 'fine = ok' })).not.toThrow();
  });

  it('sets and removes one managed variable, keeping the list in step', () => {
    const set = withManagedVar({ [MANAGED_KEY]: 'X', X: '1' }, 'HOST', 'a.test,b.test');
    expect(set).toEqual({ [MANAGED_KEY]: 'HOST,X', X: '1', HOST: 'a.test,b.test' });
    expect(withManagedVar(set, 'HOST', undefined)).toEqual({ [MANAGED_KEY]: 'X', X: '1' });
    // Not ours: left alone.
    expect(withManagedVar({ HOST: 'by hand' }, 'HOST', undefined)).toEqual({ HOST: 'by hand' });
  });
});
