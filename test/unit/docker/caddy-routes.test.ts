import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../../src/core/errors.js';
import {
  CATCH_ALL_ID,
  chooseServer,
  liveRoute,
  listenerOf,
  parseListen,
  isPreviewRoute,
  publicUrl,
  routeActions,
  routeId,
  routeKey,
  stagingRouteId,
  catchAllRoute,
  type CaddyRoute,
  type RouteWishes,
} from '../../../src/providers/docker/caddy-routes.js';

describe('parseListen', () => {
  it.each([
    [':80', { host: '', port: 80 }],
    [':443', { host: '', port: 443 }],
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    ['tcp/[::]:8443', { host: '::', port: 8443 }],
    ['tcp4/10.0.0.1:8000-8010', { host: '10.0.0.1', port: 8000 }],
    ['[::1]:2015', { host: '::1', port: 2015 }],
  ])('%s', (address, expected) => {
    expect(parseListen(address)).toEqual(expected);
  });

  it.each(['unix//run/caddy.sock', 'udp/:443', 'nonsense', ''])('%s is not a TCP address', (address) => {
    expect(parseListen(address)).toBeUndefined();
  });
});

describe('chooseServer', () => {
  const servers = {
    srv0: { listen: [':443'] },
    srv1: { listen: [':80'] },
    admin: { listen: ['127.0.0.1:9000'] },
  };

  it('takes the one asked for, and names the others when it does not exist', () => {
    expect(chooseServer(servers, 'srv1')).toBe('srv1');
    expect(() => chooseServer(servers, 'nope')).toThrow(ConfigError);
    expect(() => chooseServer(servers, 'nope')).toThrow(/no HTTP server "nope"/);
  });

  it('takes the only server, whatever it listens on', () => {
    expect(chooseServer({ preview: { listen: ['127.0.0.1:8080'] } }, undefined)).toBe('preview');
  });

  it('prefers the server on :443, then the one on :80', () => {
    expect(chooseServer(servers, undefined)).toBe('srv0');
    expect(chooseServer({ srv1: servers.srv1, admin: servers.admin }, undefined)).toBe('srv1');
  });

  it('refuses to guess between servers on other ports, and fails when there is none', () => {
    const ambiguous = (() => {
      try {
        chooseServer({ a: { listen: [':8080'] }, b: { listen: [':9090'] } }, undefined);
      } catch (error) {
        return error as ConfigError;
      }
      return undefined;
    })();
    expect(ambiguous).toBeInstanceOf(ConfigError);
    expect(ambiguous?.message).toContain('several HTTP servers (a, b)');
    expect(ambiguous?.hint).toContain('--caddy-server');
    expect(() => chooseServer({}, undefined)).toThrow(ProviderError);
    expect(() => chooseServer(null, undefined)).toThrow(/no HTTP server/);
  });
});

describe('listenerOf and publicUrl', () => {
  it('reaches a wildcard listener on the admin host, a plain one where it listens', () => {
    expect(listenerOf({ listen: [':80'] }, 'caddy.internal')).toEqual({ host: 'caddy.internal', port: 80, tls: false });
    expect(listenerOf({ listen: [':80'] }, undefined)).toEqual({ host: '127.0.0.1', port: 80, tls: false });
    expect(listenerOf({ listen: ['127.0.0.1:8080'] }, 'localhost')).toEqual({ host: '127.0.0.1', port: 8080, tls: false });
  });

  it('uses TLS on :443 and when the server has TLS policies, and prefers a plain listener', () => {
    expect(listenerOf({ listen: [':443'] }, undefined)).toEqual({ host: '127.0.0.1', port: 443, tls: true });
    expect(listenerOf({ listen: [':443', ':8080'] }, undefined).port).toBe(8080);
    expect(listenerOf({ listen: [':8443'], tls_connection_policies: [{}] }, undefined).tls).toBe(true);
  });

  it('leaves the standard port out of URLs', () => {
    expect(publicUrl('a.example.com', { host: 'x', port: 443, tls: true })).toBe('https://a.example.com');
    expect(publicUrl('a.example.com', { host: 'x', port: 80, tls: false })).toBe('http://a.example.com');
    expect(publicUrl('a.localhost', { host: 'x', port: 8080, tls: false })).toBe('http://a.localhost:8080');
  });
});

describe('route ids', () => {
  const K1 = 'a'.repeat(20);
  const K2 = '0123456789abcdef0123';

  it('never mixes the routes of a preview with those of a longer-named one', () => {
    const ref = { name: 'shop-feat', key: K1 };
    expect(isPreviewRoute(routeId(ref, 'web'), ref)).toBe(true);
    expect(isPreviewRoute(stagingRouteId(ref, 'web'), ref)).toBe(true);
    expect(isPreviewRoute(routeId({ name: 'shop-feat-x', key: K1 }, 'web'), ref)).toBe(false);
    expect(isPreviewRoute(stagingRouteId({ name: 'shop-feat-x', key: K1 }, 'web'), ref)).toBe(false);
    expect(isPreviewRoute(CATCH_ALL_ID, ref)).toBe(false);
  });

  it('tells the routes of another preview with the same name apart by their key', () => {
    const ours = { name: 'shop-admin-main', key: K1 };
    const theirs = { name: 'shop-admin-main', key: K2 };
    expect(routeId(ours, 'web')).toBe(`preview-kit-shop-admin-main-web-${K1}`);
    expect(isPreviewRoute(routeId(theirs, 'web'), ours)).toBe(false);
    expect(isPreviewRoute(stagingRouteId(theirs, 'web'), ours)).toBe(false);
    expect(routeKey(routeId(theirs, 'web'), ours.name)).toBe(K2);
    expect(routeKey(stagingRouteId(theirs, 'web'), ours.name)).toBe(K2);
  });

  it('holds for any two distinct preview names and service names', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
    const service = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const key = fc.stringMatching(/^[0-9a-f]{20}$/);
    fc.assert(
      fc.property(label, label, service, key, key, (a, b, s, ka, kb) => {
        fc.pre(a !== b);
        expect(routeKey(routeId({ name: b, key: kb }, s), a)).toBeUndefined();
        expect(routeKey(stagingRouteId({ name: b, key: kb }, s), a)).toBeUndefined();
        expect(isPreviewRoute(routeId({ name: a, key: ka }, s), { name: a, key: ka })).toBe(true);
        expect(isPreviewRoute(routeId({ name: a, key: kb }, s), { name: a, key: ka })).toBe(ka === kb);
      }),
    );
  });
});

/** Applies the first action the way Caddy would, as syncRoutes does before reading again. */
function applyFirst(routes: CaddyRoute[], wishes: RouteWishes, ensureCatchAll: boolean): CaddyRoute[] | undefined {
  const [action] = routeActions(routes, wishes, ensureCatchAll);
  if (!action) return undefined;
  const next = [...routes];
  switch (action.kind) {
    case 'insert':
      next.unshift(action.route);
      break;
    case 'replace':
      next[action.index] = action.route;
      break;
    case 'delete':
      next.splice(action.index, 1);
      break;
    case 'append-catch-all':
      next.push(catchAllRoute());
      break;
  }
  return next;
}

describe('routeActions', () => {
  const web = liveRoute('preview-kit-a-web', ['a.example.com'], '127.0.0.1:40001');

  it('asks for nothing when the routes already match, whatever the key order Caddy returns', () => {
    const stored: CaddyRoute = JSON.parse('{"handle":[{"upstreams":[{"dial":"127.0.0.1:40001"}],"handler":"reverse_proxy"}],"terminal":true,"match":[{"host":["a.example.com"]}],"@id":"preview-kit-a-web"}');
    expect(routeActions([stored, catchAllRoute()], new Map([['preview-kit-a-web', web]]), true)).toEqual([]);
  });

  it('inserts a missing route in front and patches a changed one in place', () => {
    const userRoutes: CaddyRoute[] = [{ match: [{ host: ['user.example.com'] }], handle: [] }, { handle: [{ handler: 'file_server' }] }];
    expect(routeActions(userRoutes, new Map([['preview-kit-a-web', web]]), true)).toEqual([{ kind: 'insert', id: 'preview-kit-a-web', route: web }]);
    const moved = liveRoute('preview-kit-a-web', ['a.example.com'], '127.0.0.1:40002');
    expect(routeActions([...userRoutes.slice(0, 1), web, ...userRoutes.slice(1)], new Map([['preview-kit-a-web', moved]]), true)).toEqual([
      { kind: 'replace', id: 'preview-kit-a-web', index: 1, route: moved },
    ]);
  });

  it("accepts the user's own catch-all and adds ours only when there is none", () => {
    expect(routeActions([{ handle: [{ handler: 'file_server' }] }], new Map(), true)).toEqual([]);
    expect(routeActions([{ match: [], handle: [] }], new Map(), true)).toEqual([]);
    expect(routeActions(null, new Map(), true)).toEqual([{ kind: 'append-catch-all' }]);
    expect(routeActions(null, new Map(), false)).toEqual([]);
  });

  it('converges any route list to the wishes, keeping foreign routes and their order', () => {
    const ids = ['preview-kit-a-web', 'preview-kit-a-api', 'preview-kit-a-web.next', 'user'];
    const anyRoute = fc.record({
      id: fc.option(fc.constantFrom(...ids), { nil: undefined }),
      catchAll: fc.boolean(),
      port: fc.integer({ min: 40000, max: 40003 }),
    });
    const toRoute = (r: { id?: string; catchAll: boolean; port: number }): CaddyRoute => ({
      ...(r.id ? { '@id': r.id } : {}),
      ...(r.catchAll ? {} : { match: [{ host: [`${r.id ?? 'x'}.example.com`] }] }),
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: `127.0.0.1:${r.port}` }] }],
    });
    const wish = fc.option(fc.integer({ min: 40000, max: 40003 }), { nil: null });
    fc.assert(
      fc.property(fc.array(anyRoute, { maxLength: 8 }), fc.tuple(wish, wish, wish), fc.boolean(), (start, [w1, w2, w3], ensureCatchAll) => {
        const wishes: RouteWishes = new Map();
        ids.slice(0, 3).forEach((id, i) => {
          const port = [w1, w2, w3][i];
          wishes.set(id, port === null ? null : liveRoute(id, [`${id}.example.com`], `127.0.0.1:${port}`));
        });
        let routes = start.map(toRoute);
        const foreign = routes.filter((r) => !wishes.has(r['@id'] ?? ''));
        let steps = 0;
        for (let next = applyFirst(routes, wishes, ensureCatchAll); next; next = applyFirst(routes, wishes, ensureCatchAll)) {
          routes = next;
          steps++;
          expect(steps).toBeLessThan(30);
        }
        for (const [id, route] of wishes) {
          const copies = routes.filter((r) => r['@id'] === id);
          if (route === null) expect(copies).toEqual([]);
          else expect(copies).toEqual([route]);
        }
        const foreignAfter = routes.filter((r) => !wishes.has(r['@id'] ?? '') && r['@id'] !== CATCH_ALL_ID);
        expect(foreignAfter).toEqual(foreign.filter((r) => r['@id'] !== CATCH_ALL_ID));
        if (ensureCatchAll) expect(routes.some((r) => !r.match)).toBe(true);
        // wished routes sit in front of every foreign route
        const lastWished = Math.max(-1, ...routes.map((r, i) => (wishes.get(r['@id'] ?? '') ? i : -1)));
        const firstForeign = routes.findIndex((r) => !wishes.has(r['@id'] ?? ''));
        const insertedOnly = [...wishes.keys()].every((id) => !start.some((r) => r.id === id));
        if (insertedOnly && firstForeign >= 0) expect(lastWished).toBeLessThan(firstForeign);
      }),
    );
  });
});
