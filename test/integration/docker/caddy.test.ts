/**
 * The Caddy admin client and route convergence against the real Caddy: the Etag read from the
 * trailer, If-Match on every write, and reading again after a 412.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Deadline } from '../../../src/core/retry.js';
import { CaddyAdmin } from '../../../src/providers/docker/caddy-admin.js';
import { liveRoute, routesPath, syncRoutes, type CaddyRoute } from '../../../src/providers/docker/caddy-routes.js';
import { freePort, startServices, stopServices, type DockerServices } from './services.js';

let services: DockerServices;
// Its own Caddy, even when the run shares one: a second HTTP server there would make the other
// files' default server choice ambiguous.
const server = `caddytest${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  services = await startServices();
  const port = await freePort();
  const res = await fetch(`${services.caddyAdmin}/config/apps/http/servers/${server}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ listen: [`127.0.0.1:${port}`], automatic_https: { disable: true }, routes: [{ '@id': 'user-site', match: [{ host: ['user.test'] }], handle: [{ handler: 'static_response', body: 'user' }] }] }),
  });
  expect(res.status).toBe(200);
}, 120_000);

afterAll(async () => {
  if (services) await stopServices(services);
}, 120_000);

async function routes(): Promise<CaddyRoute[]> {
  return (await (await fetch(`${services.caddyAdmin}${routesPath(server)}`)).json()) as CaddyRoute[];
}

/** A client that lets another writer change the routes just before its next write. */
class RacedAdmin extends CaddyAdmin {
  raceBefore: Array<() => Promise<void>> = [];
  writes: Array<{ method: string; path: string; outcome: string }> = [];
  override async write(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, what: string, body: unknown, ifMatch: string | undefined): Promise<void> {
    const race = this.raceBefore.shift();
    if (race) await race();
    try {
      await super.write(method, path, what, body, ifMatch);
      this.writes.push({ method, path, outcome: `ok If-Match ${ifMatch ?? 'none'}` });
    } catch (error) {
      this.writes.push({ method, path, outcome: error instanceof ConflictError ? '412' : String(error) });
      throw error;
    }
  }
}

describe('Caddy admin client', () => {
  it('reads the Etag from the trailer, in the "<path> <hash>" form If-Match wants', async () => {
    const admin = new CaddyAdmin({ adminUrl: services.caddyAdmin, logger: silentLogger, deadline: new Deadline(30_000) });
    const read = await admin.get<CaddyRoute[]>(routesPath(server), 'read routes');
    expect(read.status).toBe(200);
    expect(read.etag).toMatch(new RegExp(`^"/config/apps/http/servers/${server}/routes [0-9a-f]+"$`));
    expect((await admin.get(`/id/nothing-${server}`, 'read a missing id')).status).toBe(404);
  });

  it('guards every write with If-Match, and converges after another writer got in first', async () => {
    const admin = new RacedAdmin({ adminUrl: services.caddyAdmin, logger: silentLogger, deadline: new Deadline(30_000) });
    const other = liveRoute('someone-else', ['other.test'], '127.0.0.1:1');
    admin.raceBefore.push(async () => {
      const res = await fetch(`${services.caddyAdmin}${routesPath(server)}/0`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(other) });
      expect(res.status).toBe(200);
    });
    const ours = liveRoute(`preview-kit-${server}-web`, [`${server}.localhost`], '127.0.0.1:2');
    const ctx = { admin, plan: new Plan(false), logger: silentLogger, deadline: new Deadline(30_000) };
    const written = await syncRoutes(ctx, server, new Map([[ours['@id']!, ours]]), { ensureCatchAll: true });

    expect(admin.writes[0]).toEqual({ method: 'PUT', path: `${routesPath(server)}/0`, outcome: '412' });
    expect(admin.writes.slice(1).every((w) => w.outcome.startsWith('ok If-Match "/config/apps/http/servers/'))).toBe(true);
    expect(written).toEqual([ours['@id'], 'preview-kit-catch-all']);
    const ids = (await routes()).map((r) => r['@id']);
    expect(ids).toEqual([ours['@id'], 'someone-else', 'user-site', 'preview-kit-catch-all']);
    // the plan reports each change once, not the write that lost the race
    expect(ctx.plan.describe()).toEqual([`create caddy route ${ours['@id']}`, 'create caddy route preview-kit-catch-all']);

    // converged: nothing more to write
    const again = new RacedAdmin({ adminUrl: services.caddyAdmin, logger: silentLogger, deadline: new Deadline(30_000) });
    expect(await syncRoutes({ ...ctx, admin: again }, server, new Map([[ours['@id']!, ours]]), { ensureCatchAll: true })).toEqual([]);
    expect(again.writes).toEqual([]);
  });

  it('removes duplicates of one @id left by a racing POST', async () => {
    const dup = liveRoute(`preview-kit-${server}-api`, ['api.test'], '127.0.0.1:3');
    for (let i = 0; i < 2; i++) {
      await fetch(`${services.caddyAdmin}${routesPath(server)}/0`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(dup) });
    }
    expect((await routes()).filter((r) => r['@id'] === dup['@id'])).toHaveLength(2);
    const admin = new CaddyAdmin({ adminUrl: services.caddyAdmin, logger: silentLogger, deadline: new Deadline(30_000) });
    await syncRoutes({ admin, plan: new Plan(false), logger: silentLogger, deadline: new Deadline(30_000) }, server, new Map([[dup['@id']!, dup]]), { ensureCatchAll: false });
    expect((await routes()).filter((r) => r['@id'] === dup['@id'])).toHaveLength(1);
  });
});
