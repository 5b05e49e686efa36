/**
 * The Docker host + Caddy provider for the conformance suite: a real podman Engine API and a real
 * Caddy (scripts/services.sh, private socket, ports and state per backend), each behind a fault
 * proxy on loopback (test/fakes/shared/fault-proxy.ts) that breaks writes or refuses credentials
 * and counts what the CLI sends. Everything the suite counts is read from the engine's socket and
 * Caddy's admin API directly, never through the provider's code.
 *
 * podman's image and container storage is shared by every backend and by the other Docker tests
 * running beside this one: `marked()` counts only what carries a preview key, app or name that
 * this backend's traffic (or `plant`) used. Caddy is this backend's own.
 *
 * `plantPreview` makes what `up` (or `sleep`) leaves — a labelled network, a labelled `web`
 * container that serves (or, asleep, was never started), its Caddy route (or the asleep page) —
 * directly on the engine and in Caddy (../../integration/docker/plant.ts). Call it many at a time:
 * concurrent plants share one Caddy config load.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { FaultProxy } from '../../fakes/shared/fault-proxy.js';
import { mapBounded, Planter } from '../../integration/docker/plant.js';
import { repoRoot, startServices, stopServices, type DockerServices } from '../../integration/docker/services.js';
import type { Backend, BackendOptions, ConformanceTarget, PlatformResource } from '../target.js';

const run = promisify(execFile);
const MARKER = ['preview-kit.managed-by', 'preview-kit'] as const;
const BASE_IMAGE = 'localhost/preview-kit-base:latest';
/** Route ids: `preview-kit-<name>-<service>-<20 hex key>`, optionally `.next` (a staging route). */
const ROUTE_ID = /^preview-kit-(.+)-[a-z][a-z0-9]*-([0-9a-f]{20})(\.next)?$/;

type Labels = Record<string, string> | null | undefined;

/** A plain Engine API request on the socket itself (not through the proxy, not through our client). */
function engine<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { socketPath, method, path: `/v1.41${path}`, headers: { host: 'docker', ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: (data ? JSON.parse(data) : undefined) as T }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const filters = (value: Record<string, string[]>) => `filters=${encodeURIComponent(JSON.stringify(value))}`;

interface Listed {
  Id: string;
  Name?: string;
  Names?: string[];
  RepoTags?: string[] | null;
  Labels: Labels;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, '-c', 'user.name=preview-kit tests', '-c', 'user.email=tests@preview-kit.invalid', ...args]);
  return stdout.trim();
}

async function makeRepo(): Promise<{ dir: string; commit: () => Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'pk-conformance-docker-'));
  await cp(join(repoRoot, 'examples/hello/Dockerfile'), join(dir, 'Dockerfile'));
  await cp(join(repoRoot, 'examples/hello/index.html'), join(dir, 'index.html'));
  await writeFile(join(dir, '.preview.yml'), 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n');
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'first');
  let n = 0;
  return {
    dir,
    commit: async () => {
      n++;
      await writeFile(join(dir, 'index.html'), `<html><body><h1>__COMMIT__</h1><p>change ${n}</p></body></html>\n`);
      await git(dir, 'commit', '-q', '-am', `change ${n}`);
      return git(dir, 'rev-parse', 'HEAD');
    },
  };
}

/** What the CLI's requests said about the previews they were for: keys, apps and names in labels. */
class Seen {
  readonly keys = new Set<string>();
  readonly apps = new Set<string>();
  readonly names = new Set<string>();

  labels(labels: Labels): void {
    if (!labels) return;
    if (labels['preview-kit.key']) this.keys.add(labels['preview-kit.key']);
    if (labels['preview-kit.app']) this.apps.add(labels['preview-kit.app']);
    if (labels['preview-kit.name']) this.names.add(labels['preview-kit.name']);
  }

  /** Labels of network and container creates (JSON bodies) and of builds (the `labels` query). */
  learn(proxy: FaultProxy): void {
    for (const request of proxy.requests) {
      if (request.method !== 'POST') continue;
      const body = request.json as { Labels?: Labels } | undefined;
      this.labels(body?.Labels);
      const query = new URL(request.path, 'http://x').searchParams.get('labels');
      if (query) {
        try {
          this.labels(JSON.parse(query) as Labels);
        } catch {
          // not labels we wrote
        }
      }
    }
  }

  covers(labels: Labels): boolean {
    return (
      this.keys.has(labels?.['preview-kit.key'] ?? '') || this.apps.has(labels?.['preview-kit.app'] ?? '') || this.names.has(labels?.['preview-kit.name'] ?? '')
    );
  }
}

function marked(labels: Labels): boolean {
  return labels?.[MARKER[0]] === MARKER[1];
}

function resource(kind: string, name: string, id: string, labels: Labels): PlatformResource {
  const key = labels?.['preview-kit.key'];
  return { kind, name, id, marked: marked(labels), ...(key ? { key } : {}) };
}

/** In a stable order, so two readings of an unchanged platform compare equal. */
function sorted(resources: PlatformResource[]): PlatformResource[] {
  return resources.sort((a, b) => (`${a.kind} ${a.name} ${a.id}` < `${b.kind} ${b.name} ${b.id}` ? -1 : 1));
}

async function startBackend(_options: BackendOptions): Promise<Backend> {
  const services: DockerServices = await startServices();
  const socketPath = services.dockerHost.replace(/^unix:\/\//, '');
  const adminPort = Number(new URL(services.caddyAdmin).port);
  const engineProxy = await FaultProxy.start({ socketPath });
  const caddyProxy = await FaultProxy.start({ host: '127.0.0.1', port: adminPort, hostHeader: `127.0.0.1:${adminPort}` });
  const repo = await makeRepo();
  const seen = new Seen();
  const planted: Array<{ kind: 'network' | 'container'; id: string }> = [];
  const planter = new Planter(socketPath, services.caddyAdmin);
  const learn = () => seen.learn(engineProxy);

  const caddyRoutes = async (): Promise<Array<{ '@id'?: string }>> => {
    const res = await fetch(`${services.caddyAdmin}/config/apps/http/servers`);
    const servers = (await res.json()) as Record<string, { routes?: Array<{ '@id'?: string }> }>;
    return Object.values(servers ?? {}).flatMap((s) => s.routes ?? []);
  };

  const everything = async (): Promise<{ networks: Listed[]; containers: Listed[]; images: Listed[]; volumes: Listed[] }> => {
    const networks = (await engine<Listed[]>(socketPath, 'GET', '/networks')).body ?? [];
    const containers = (await engine<Listed[]>(socketPath, 'GET', '/containers/json?all=1')).body ?? [];
    const images = (await engine<Listed[]>(socketPath, 'GET', `/images/json?${filters({ label: [MARKER.join('=')] })}`)).body ?? [];
    const volumes = (await engine<{ Volumes: Listed[] | null }>(socketPath, 'GET', '/volumes')).body?.Volumes ?? [];
    return { networks, containers, images, volumes };
  };

  const backend: Backend = {
    args: ['--provider', 'docker'],
    env: {
      DOCKER_HOST: engineProxy.dockerHost,
      CADDY_ADMIN: caddyProxy.url,
      PREVIEW_CADDY_SERVER: 'preview',
      // stop also takes the images the preview built: nothing of ours is left after it.
      PREVIEW_REMOVE_IMAGES: 'true',
    },
    repo: repo.dir,
    commit: repo.commit,

    async resources(previewName) {
      learn();
      const { networks, containers, images } = await everything();
      const out: PlatformResource[] = [];
      const escaped = (previewName ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // `<name>-<service>`, or the temporary `<name>-<service>-<commit7>-<random>` of a deploy under way.
      const containerName = new RegExp(`^${escaped}-[a-z][a-z0-9]*(-[0-9a-f]{7}-[0-9a-f]{6})?$`);
      // Without a name: what this backend's runs and plants made (the engine is shared).
      const mine = (name: string, labels: Labels) => (previewName === undefined ? seen.covers(labels) : labels?.['preview-kit.name'] === previewName || containerName.test(name));
      for (const n of networks) {
        const name = n.Name ?? '';
        if (previewName === undefined ? !seen.covers(n.Labels) : name !== previewName && name !== `${previewName}.lock`) continue;
        out.push(resource(name.endsWith('.lock') ? 'deploy lock' : 'network', name, n.Id, n.Labels));
      }
      for (const c of containers) {
        const name = (c.Names?.[0] ?? '').replace(/^\//, '');
        if (mine(name, c.Labels)) out.push(resource('container', name, c.Id, c.Labels));
      }
      for (const i of images) {
        const tags = (i.RepoTags ?? []).filter((t) => (previewName === undefined ? seen.covers(i.Labels) : t.endsWith(`:${previewName}`)));
        for (const tag of tags) out.push(resource('image', tag, i.Id, i.Labels));
      }
      for (const route of await caddyRoutes()) {
        const m = ROUTE_ID.exec(route['@id'] ?? '');
        if (!m || (previewName !== undefined && m[1] !== previewName)) continue;
        out.push({ kind: m[3] ? 'staging route' : 'route', name: route['@id']!, id: route['@id']!, marked: true, key: m[2]! });
      }
      return sorted(out);
    },

    async marked() {
      learn();
      const { networks, containers, images, volumes } = await everything();
      const out: PlatformResource[] = [];
      for (const n of networks) if (marked(n.Labels) && seen.covers(n.Labels)) out.push(resource(n.Name?.endsWith('.lock') ? 'deploy lock' : 'network', n.Name ?? '', n.Id, n.Labels));
      for (const c of containers) if (marked(c.Labels) && seen.covers(c.Labels)) out.push(resource('container', (c.Names?.[0] ?? '').replace(/^\//, ''), c.Id, c.Labels));
      for (const i of images) if (seen.covers(i.Labels)) out.push(resource('image', i.RepoTags?.[0] ?? i.Id, i.Id, i.Labels));
      for (const v of volumes) if (marked(v.Labels) && seen.covers(v.Labels)) out.push(resource('volume', v.Name ?? '', v.Name ?? '', v.Labels));
      // This backend's Caddy is its own: every preview route in it counts.
      for (const route of await caddyRoutes()) {
        const m = ROUTE_ID.exec(route['@id'] ?? '');
        if (m) out.push({ kind: m[3] ? 'staging route' : 'route', name: route['@id']!, id: route['@id']!, marked: true, key: m[2]! });
      }
      return sorted(out);
    },

    async mutatingRequests() {
      return engineProxy.stats().mutating + caddyProxy.stats().mutating;
    },

    async requests() {
      return [...engineProxy.requests, ...caddyProxy.requests].map((r) => `${r.method} ${r.path}`);
    },

    async compute(previewName) {
      const listed = (await engine<Listed[]>(socketPath, 'GET', `/containers/json?all=1&${filters({ label: [`preview-kit.name=${previewName}`] })}`)).body ?? [];
      if (listed.length === 0) return 'absent';
      return listed.some((c) => (c as Listed & { State?: string }).State === 'running') ? 'running' : 'stopped';
    },

    async plantPreview(identity, options = {}) {
      const made = await planter.plant(identity, options);
      seen.labels(made.labels);
    },

    async protectedStatus(previewName, credentials) {
      return new Promise<number>((resolve, reject) => {
        const headers: Record<string, string> = { host: `${previewName}.localhost` };
        if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
        const req = http.request({ host: '127.0.0.1', port: services.caddyHttpPort, path: '/', headers, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    },

    async resetLog() {
      learn();
      engineProxy.resetCounts();
      caddyProxy.resetCounts();
    },

    async plant(previewName, identity: PreviewIdentity | undefined) {
      const labels: Record<string, string> = identity
        ? { [MARKER[0]]: MARKER[1], 'preview-kit.name': previewName, 'preview-kit.key': identityKey(identity), 'preview-kit.identity': identityJson(identity), 'preview-kit.app': identity.project }
        : {};
      seen.labels(labels);
      const net = await engine<{ Id: string }>(socketPath, 'POST', '/networks/create', { Name: previewName, Labels: labels });
      if (net.status !== 201 && net.status !== 200) throw new Error(`plant: network ${previewName}: ${net.status} ${JSON.stringify(net.body)}`);
      planted.push({ kind: 'network', id: net.body.Id });
      const name = `${previewName}-web`;
      const container = await engine<{ Id: string }>(socketPath, 'POST', `/containers/create?name=${encodeURIComponent(name)}`, {
        Image: BASE_IMAGE,
        Cmd: ['sleep', '3600'],
        Labels: labels,
        HostConfig: { NetworkMode: previewName },
      });
      if (container.status !== 201) throw new Error(`plant: container ${name}: ${container.status} ${JSON.stringify(container.body)}`);
      planted.push({ kind: 'container', id: container.body.Id });
      if (identity) {
        // Another preview's route for its web service: the hosts it serves are its own.
        const route = { '@id': `preview-kit-${previewName}-web-${identityKey(identity)}`, match: [{ host: [`${previewName}.localhost`] }], handle: [{ handler: 'static_response', body: 'planted' }], terminal: true };
        const res = await fetch(`${services.caddyAdmin}/config/apps/http/servers/preview/routes/0`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(route) });
        if (res.status !== 200) throw new Error(`plant: route: ${res.status} ${await res.text()}`);
      }
    },

    async faultWrites(rate, seed, appliedShare) {
      engineProxy.faultWrites(rate, seed, undefined, appliedShare);
      caddyProxy.faultWrites(rate, seed + 1, undefined, appliedShare);
    },

    async credentials(mode) {
      // The engine is where credentials live (socket permissions, TLS, an authorizing proxy); Caddy's
      // admin API has none to refuse.
      engineProxy.credentials(mode);
    },

    // Containers, the network, the commit's image and Caddy's servers.
    noopReads: 4,
    forbiddenHint: /permissions of the Docker Engine socket|TLS client certificate/,

    async stop() {
      learn();
      await engineProxy.close();
      await caddyProxy.close();
      // What this backend's runs and plants left on the shared engine.
      const { networks, containers, images } = await everything().catch(() => ({ networks: [] as Listed[], containers: [] as Listed[], images: [] as Listed[], volumes: [] as Listed[] }));
      const ours = (labels: Labels) => seen.covers(labels);
      const plantedIds = new Set(planter.all.flatMap((p) => [p.containerId, p.networkId]));
      await planter.removeAll().catch(() => undefined);
      const containerIds = [...containers.filter((c) => ours(c.Labels) && !plantedIds.has(c.Id)).map((c) => c.Id), ...planted.filter((p) => p.kind === 'container').map((p) => p.id)];
      await mapBounded([...new Set(containerIds)], 8, (id) => engine(socketPath, 'DELETE', `/containers/${id}?force=1&v=1`).catch(() => undefined));
      const networkIds = [...networks.filter((n) => ours(n.Labels) && !plantedIds.has(n.Id)).map((n) => n.Id), ...planted.filter((p) => p.kind === 'network').map((p) => p.id)];
      await mapBounded([...new Set(networkIds)], 8, (id) => engine(socketPath, 'DELETE', `/networks/${id}`).catch(() => undefined));
      for (const i of images.filter((image) => ours(image.Labels))) await engine(socketPath, 'DELETE', `/images/${i.Id}?force=1`).catch(() => undefined);
      await stopServices(services);
      await rm(repo.dir, { recursive: true, force: true });
    },
  };
  return backend;
}

const target: ConformanceTarget = {
  id: 'docker',
  variants: [{ label: 'podman Engine API + Caddy', options: {} }],
  uniqueNames: true,
  start: startBackend,
};

export default target;
