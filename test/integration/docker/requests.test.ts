/**
 * What a run asks of the engine and of Caddy's admin API, pinned request by request (real podman
 * and Caddy, each behind a recording proxy): a no-op `up` reads each kind of resource once —
 * Caddy's servers, the preview's containers, the networks named after it, the preview tag of each
 * build — and writes nothing; `stop` reads each kind once before removing.
 */
import { describe, expect, it } from 'vitest';
import { FaultProxy } from '../../fakes/shared/fault-proxy.js';
import { makeRepo, runCommand, useDockerServices, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';

let services: DockerServices;
let engine: FaultProxy;
let caddy: FaultProxy;
let proxied: DockerServices;
const { newApp, repos } = useDockerServices(async (s, file) => {
  services = s;
  const adminPort = Number(new URL(services.caddyAdmin).port);
  engine = await FaultProxy.start({ socketPath: services.dockerHost.replace(/^unix:\/\//, '') });
  caddy = await FaultProxy.start({ host: '127.0.0.1', port: adminPort, hostHeader: `127.0.0.1:${adminPort}` });
  proxied = { ...services, dockerHost: engine.dockerHost, caddyAdmin: caddy.url };
  file.cleanups.push(() => engine.close(), () => caddy.close());
});

/** Each request as `METHOD /path` (query left out), in the order sent. */
function sent(proxy: FaultProxy): string[] {
  return proxy.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
}

function resetCounts(): void {
  engine.resetCounts();
  caddy.resetCounts();
}

async function setUp(preview?: string): Promise<{ repo: TestRepo; app: string; name: string }> {
  const repo = await makeRepo(preview === undefined ? {} : { preview });
  repos.push(repo);
  const app = newApp('reqs');
  const first = await runCommand('up', { services, repo, app, branch: 'main' });
  return { repo, app, name: first.result.name };
}

const NETWORKS = /^GET \/(v1\.41|v4\.0\.0\/libpod)\/networks(\/json)?$/;

describe('requests of a no-op up', () => {
  it('one service: Caddy read once, containers, networks and the preview tag once each, no write', async () => {
    const { repo, app, name } = await setUp(ONE_SERVICE);
    resetCounts();
    const { result } = await runCommand('up', { services: proxied, repo, app, branch: 'main' });
    expect(result.deployed).toBe(false);
    expect(sent(caddy)).toEqual(['GET /config/apps/http/servers']);
    const toEngine = sent(engine);
    expect(toEngine).toHaveLength(3);
    expect(toEngine[0]).toBe('GET /v1.41/containers/json');
    expect(toEngine[1]).toMatch(NETWORKS);
    expect(toEngine[2]).toBe(`GET /v1.41/images/${encodeURIComponent(`localhost/${app}:${name}`)}/json`);
  });

  it('two services, with --domain: still one read of Caddy, one image read per build, no write', async () => {
    const { repo, app, name } = await setUp();
    const flags = { domain: ['{name}.requests.test'] };
    await runCommand('up', { services, repo, app, branch: 'main', flags });
    resetCounts();
    const { result } = await runCommand('up', { services: proxied, repo, app, branch: 'main', flags });
    expect(result.deployed).toBe(false);
    expect(result.changed).toBe(false);
    expect(sent(caddy)).toEqual(['GET /config/apps/http/servers']);
    const toEngine = sent(engine);
    expect(toEngine.filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect(toEngine.filter((r) => r.startsWith('GET /v1.41/containers/'))).toEqual(['GET /v1.41/containers/json']);
    expect(toEngine.filter((r) => NETWORKS.test(r))).toHaveLength(1);
    expect(toEngine.filter((r) => r.startsWith('GET /v1.41/images/')).sort()).toEqual(
      [`localhost/${app}:${name}`, `localhost/${app}-sigver:${name}`].map((tag) => `GET /v1.41/images/${encodeURIComponent(tag)}/json`).sort(),
    );
    expect(toEngine).toHaveLength(4);
  });
});

describe('requests of stop', () => {
  it('reads Caddy, containers, networks (the deploy lock among them) and volumes once, then removes', async () => {
    const { repo, app } = await setUp(ONE_SERVICE);
    resetCounts();
    const { result } = await runCommand('stop', { services: proxied, repo, app, branch: 'main' });
    expect(result.deleted).toBe(true);
    const reads = [...sent(caddy), ...sent(engine)].filter((r) => r.startsWith('GET '));
    const writes = [...sent(caddy), ...sent(engine)].filter((r) => !r.startsWith('GET '));
    // The servers read decides the route's removal; the routes are read once more to confirm.
    expect(sent(caddy)).toEqual(['GET /config/apps/http/servers', expect.stringMatching(/^DELETE \/config\/apps\/http\/servers\/[^/]+\/routes\/\d+$/), expect.stringMatching(/^GET \/config\/apps\/http\/servers\/[^/]+\/routes$/)]);
    expect(reads.filter((r) => r.startsWith('GET /v1.41/containers/'))).toEqual(['GET /v1.41/containers/json']);
    expect(reads.filter((r) => NETWORKS.test(r))).toHaveLength(1);
    expect(reads.filter((r) => r.includes('.lock'))).toEqual([]);
    expect(writes.filter((r) => r.startsWith('DELETE /v1.41/containers/'))).toHaveLength(1);
    expect(writes.filter((r) => r.startsWith('DELETE /v1.41/networks/'))).toHaveLength(1);
  });
});
