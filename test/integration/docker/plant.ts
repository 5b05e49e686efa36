/**
 * Makes previews directly on the engine and in Caddy, the way the docker provider leaves them after
 * `up` (or after `sleep`), without running it: a labelled network, one labelled `web` container,
 * and its Caddy route. Lists, prunes and benchmarks of hundreds of previews plant them here.
 *
 * Written out on purpose rather than borrowed from src/: the labels and route shapes a planted
 * preview carries are what the provider must read, so a change on either side shows up as a
 * failing test instead of moving both.
 *
 * - awake: the container runs (`sleep`), and the route proxies to a port nothing listens on;
 * - asleep: the container is created and never started (the engine lists it as not running, as it
 *   does a stopped one), and the route answers with the asleep page (503).
 *
 * What they leave out to stay cheap at a thousand: the container is on no network (`none`: no
 * bridge, firewall rules or DNS entry per preview, which grow the engine's cost with every
 * preview), publishes no port and serves nothing. Everything `list`, `sleep`, `stop` and `prune`
 * read is there; an `up` of a planted preview replaces its container (another commit and config).
 *
 * Caddy routes are written in batches: plants running at the same time share one config load.
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';

export const BASE_IMAGE = 'localhost/preview-kit-base:latest';

export interface PlantOptions {
  createdAt?: Date;
  deployedAt?: Date;
  asleep?: boolean;
}

export interface Planted {
  name: string;
  key: string;
  networkId: string;
  containerId: string;
  routeId: string;
  labels: Record<string, string>;
}

/** One Engine API request on the socket itself (never through the provider's client). */
export function engineRequest<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { socketPath, method, path: `/v1.41${path}`, agent: false, headers: { host: 'docker', ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: (data ? JSON.parse(data) : undefined) as T });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: data as T });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * One request to Caddy's admin API on a connection of its own: Caddy restarts its admin listener
 * on every config load, which closes kept-alive connections.
 */
function caddyRequest(url: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, agent: false, headers: text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {} }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** Runs `fn` over `items`, at most `limit` at a time; every item is tried, the first failure is thrown at the end. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
  return out;
}

/** The asleep page as the provider writes it: 503, Retry-After, the preview's hosts kept. */
export function plantedAsleepRoute(id: string, hosts: string[]): Record<string, unknown> {
  return {
    '@id': id,
    match: [{ host: hosts }],
    handle: [{ handler: 'static_response', status_code: 503, headers: { 'Retry-After': ['3600'] }, body: 'asleep (planted)' }],
    terminal: true,
  };
}

export class Planter {
  private readonly planted: Planted[] = [];
  private pending: Array<{ route: Record<string, unknown>; done: (error?: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly socketPath: string,
    private readonly caddyAdmin: string,
    private readonly server = 'preview',
    private readonly baseDomain = 'localhost',
  ) {}

  get all(): readonly Planted[] {
    return this.planted;
  }

  private async engine<T>(method: string, path: string, body?: unknown, ok: number[] = [200, 201, 204]): Promise<T> {
    const res = await engineRequest<T>(this.socketPath, method, path, body);
    if (!ok.includes(res.status)) throw new Error(`plant: ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async plant(identity: PreviewIdentity, options: PlantOptions = {}): Promise<Planted> {
    const name = nameOfIdentity(identity);
    const key = identityKey(identity);
    const createdAt = (options.createdAt ?? new Date()).toISOString();
    const deployedAt = (options.deployedAt ?? options.createdAt ?? new Date()).toISOString();
    const labels: Record<string, string> = {
      'preview-kit.managed-by': 'preview-kit',
      'preview-kit.name': name,
      'preview-kit.key': key,
      'preview-kit.identity': identityJson(identity),
      'preview-kit.app': identity.project,
    };
    const network = await this.engine<{ Id: string }>('POST', '/networks/create', { Name: name, Labels: { ...labels, 'preview-kit.created-at': createdAt } });
    const commit = createHash('sha1').update(key).digest('hex');
    const container = await this.engine<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(`${name}-web`)}`, {
      Image: BASE_IMAGE,
      Cmd: ['sleep', '1000000'],
      Labels: { ...labels, 'preview-kit.service': 'web', 'preview-kit.commit': commit, 'preview-kit.config-hash': 'planted', 'preview-kit.deployed-at': deployedAt },
      StopTimeout: 1,
      HostConfig: { NetworkMode: 'none', RestartPolicy: { Name: 'unless-stopped' } },
    });
    const routeId = `preview-kit-${name}-web-${key}`;
    const planted: Planted = { name, key, networkId: network.Id, containerId: container.Id, routeId, labels };
    this.planted.push(planted);
    const hosts = [`${name}.${this.baseDomain}`];
    if (options.asleep) {
      await this.addRoute(plantedAsleepRoute(routeId, hosts));
      return planted;
    }
    await this.engine('POST', `/containers/${container.Id}/start`, undefined, [204, 304]);
    await this.addRoute({ '@id': routeId, match: [{ host: hosts }], handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: '127.0.0.1:9' }] }], terminal: true });
    return planted;
  }

  /** Queues a route for the next batch (in front of the server's routes) and waits until Caddy has it. */
  private addRoute(route: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ route, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const path = `${this.caddyAdmin}/config/apps/http/servers/${this.server}/routes`;
        const current = JSON.parse((await caddyRequest(path, 'GET')).text) as unknown[] | null;
        const res = await caddyRequest(path, 'PATCH', [...batch.map((b) => b.route), ...(current ?? [])]);
        if (res.status !== 200) throw new Error(`plant: Caddy routes: ${res.status} ${res.text}`);
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error);
      }
    }
    this.flushing = undefined;
  }

  /** Removes every planted container and network (what is already gone is fine); routes go with the Caddy instance. */
  async removeAll(limit = 8): Promise<void> {
    const all = this.planted.splice(0);
    await mapBounded(all, limit, (p) => this.engine('DELETE', `/containers/${p.containerId}?force=1&v=1`, undefined, [200, 204, 404]));
    await mapBounded(all, limit, (p) => this.engine('DELETE', `/networks/${p.networkId}`, undefined, [200, 204, 404]));
  }
}
