/**
 * `--basic-auth` as Caddy routes carry it: the `authentication` handler in front of the proxy, a
 * bcrypt hash (never the password) in Caddy's JSON shape, stable for an unchanged setting so a
 * re-run writes nothing, different when the password changes, gone when the setting is.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import { authHandlerOf, routeAuthOf } from '../../../src/providers/docker/basic-auth.js';
import { bcryptHash } from '../../../src/providers/docker/bcrypt.js';
import { liveRoute, routeActions, type RouteWishes } from '../../../src/providers/docker/caddy-routes.js';
import { asleepRoute, dialedPort, isAsleepRoute } from '../../../src/providers/docker/route-shapes.js';

const key = identityKey({ project: 'shop', branch: 'main' });
const otherKey = identityKey({ project: 'shop', branch: 'other' });

interface HttpBasic {
  hash: { algorithm: string };
  accounts: Array<{ username: string; password: string; salt?: string }>;
  hash_cache?: object;
}

function httpBasicOf(handler: Record<string, unknown> | undefined): HttpBasic {
  return (handler!.providers as { http_basic: HttpBasic }).http_basic;
}

describe('basic auth handler', () => {
  it('is absent without --basic-auth', () => {
    expect(routeAuthOf({ key })).toBeUndefined();
  });

  it("has Caddy's shape: bcrypt, one account, the hash base64-encoded; never the password", () => {
    const auth = routeAuthOf({ key, basicAuth: { user: 'review', password: 'hunter2-hunter2' } })!;
    expect(auth.handler.handler).toBe('authentication');
    const basic = httpBasicOf(auth.handler);
    expect(basic.hash).toEqual({ algorithm: 'bcrypt' });
    expect(basic.accounts).toHaveLength(1);
    expect(basic.accounts[0]!.username).toBe('review');
    const hash = Buffer.from(basic.accounts[0]!.password, 'base64').toString('utf8');
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(JSON.stringify(auth.handler)).not.toContain('hunter2');
    expect(basic.hash_cache).toEqual({});
  });

  it('verifies: bcrypt of the password with the stored salt gives the stored hash', () => {
    const auth = routeAuthOf({ key, basicAuth: { user: 'u', password: 'p@ss' } })!;
    const hash = Buffer.from(httpBasicOf(auth.handler).accounts[0]!.password, 'base64').toString('utf8');
    const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let bits = '';
    for (const c of hash.slice(7, 29)) bits += alphabet.indexOf(c).toString(2).padStart(6, '0');
    const salt = Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2));
    expect(bcryptHash(Buffer.from('p@ss'), salt, 10)).toBe(hash);
    expect(bcryptHash(Buffer.from('p@sS'), salt, 10)).not.toBe(hash);
  });

  it('is the same for the same setting, and differs by password, user and preview', () => {
    const of = (k: string, user: string, password: string) => JSON.stringify(routeAuthOf({ key: k, basicAuth: { user, password } })!.handler);
    expect(of(key, 'u', 'one')).toBe(of(key, 'u', 'one'));
    expect(of(key, 'u', 'two')).not.toBe(of(key, 'u', 'one'));
    expect(of(key, 'v', 'one')).not.toBe(of(key, 'u', 'one'));
    // Another preview with the same password gets another salt.
    const hashOf = (k: string) => httpBasicOf(routeAuthOf({ key: k, basicAuth: { user: 'u', password: 'one' } })!.handler).accounts[0]!.password;
    expect(hashOf(otherKey)).not.toBe(hashOf(key));
  });

  it('gives the probes an Authorization header', () => {
    const auth = routeAuthOf({ key, basicAuth: { user: 'u', password: 'p:q' } })!;
    expect(auth.headers).toEqual({ authorization: `Basic ${Buffer.from('u:p:q').toString('base64')}` });
  });

  it('refuses a password longer than bcrypt reads (exit 2), without echoing it', () => {
    const password = 'x'.repeat(73);
    let error: unknown;
    try {
      routeAuthOf({ key, basicAuth: { user: 'u', password } });
    } catch (e) {
      error = e;
    }
    expect(exitCodeOf(error)).toBe(ExitCode.usage);
    expect((error as Error).message).toMatch(/72 bytes/);
    expect((error as Error).message).not.toContain(password);
  });
});

describe('routes with basic auth', () => {
  const id = `preview-kit-shop-main-web-${key}`;
  const auth = (password: string) => routeAuthOf({ key, basicAuth: { user: 'u', password } })!.handler;

  it('puts the handler in front of the proxy; the dialled port is still read', () => {
    const route = liveRoute(id, ['shop-main.localhost'], '127.0.0.1:40001', auth('one'));
    expect(route.handle!.map((h) => h.handler)).toEqual(['authentication', 'reverse_proxy']);
    expect(authHandlerOf(route)).toEqual(auth('one'));
    expect(dialedPort(route)).toBe(40001);
  });

  it('an unchanged setting needs no write; a new password, or none, rewrites the route', () => {
    const current = [liveRoute(id, ['h'], '127.0.0.1:1', auth('one'))];
    const wish = (route: ReturnType<typeof liveRoute>): RouteWishes => new Map([[id, route]]);
    expect(routeActions(current, wish(liveRoute(id, ['h'], '127.0.0.1:1', auth('one'))), false)).toEqual([]);
    expect(routeActions(current, wish(liveRoute(id, ['h'], '127.0.0.1:1', auth('two'))), false).map((a) => a.kind)).toEqual(['replace']);
    expect(routeActions(current, wish(liveRoute(id, ['h'], '127.0.0.1:1')), false).map((a) => a.kind)).toEqual(['replace']);
  });
});

describe('asleep route', () => {
  const id = 'preview-kit-shop-main-web-0123456789abcdef0123';

  it('answers 503 with Retry-After and no caching, on the same id and hosts, behind the same auth', () => {
    const handler = routeAuthOf({ key, basicAuth: { user: 'u', password: 'p' } })!.handler;
    const route = asleepRoute(id, ['a.example.com', 'b.example.com'], handler);
    expect(route['@id']).toBe(id);
    expect(route.match).toEqual([{ host: ['a.example.com', 'b.example.com'] }]);
    expect(route.handle![0]).toEqual(handler);
    const page = route.handle![1] as { handler: string; status_code: number; headers: Record<string, string[]>; body: string };
    expect(page.handler).toBe('static_response');
    expect(page.status_code).toBe(503);
    expect(page.headers['Retry-After']).toEqual(['3600']);
    expect(page.headers['Cache-Control']).toEqual(['no-store']);
    expect(page.body).toMatch(/asleep/);
    expect(isAsleepRoute(route)).toBe(true);
    expect(isAsleepRoute(liveRoute(id, ['a.example.com'], '127.0.0.1:1', handler))).toBe(false);
    expect(dialedPort(route)).toBeUndefined();
  });
});
