/**
 * What `list`, `status` and `prune` read off one listing of the engine and one read of Caddy:
 * state (running, sleeping, failed, deploying, unknown), creation and last deployment from the
 * labels written at each write (falling back to the engine's times for older previews).
 */
import { describe, expect, it } from 'vitest';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { liveRoute, type CaddyRoute } from '../../../src/providers/docker/caddy-routes.js';
import type { ContainerSummary, NetworkInspect } from '../../../src/providers/docker/engine-types.js';
import { groupPreviews, previewOf, stateOf } from '../../../src/providers/docker/preview-view.js';
import { asleepRoute } from '../../../src/providers/docker/route-shapes.js';
import type { CaddyView, DockerRuntime } from '../../../src/providers/docker/runtime.js';
import type { DockerSettings } from '../../../src/providers/docker/settings.js';

const identity: PreviewIdentity = { project: 'shop', branch: 'main' };
const key = identityKey(identity);
const name = 'shop-main';
const routeId = (service = 'web') => `preview-kit-${name}-${service}-${key}`;

const settings = {
  dockerHost: 'unix:///var/run/docker.sock',
  caddyAdmin: 'http://localhost:2019',
  buildContext: '.',
  buildArgs: {},
  port: 8080,
  removeImages: false,
  baseDomain: 'localhost',
  publishHost: '127.0.0.1',
  upstreamHost: '127.0.0.1',
} as DockerSettings;
const rt = { settings } as DockerRuntime;

const marks = { 'preview-kit.managed-by': 'preview-kit', 'preview-kit.name': name, 'preview-kit.key': key, 'preview-kit.identity': identityJson(identity), 'preview-kit.app': 'shop' };

function container(state: string, extra: Record<string, string> = {}, options: { service?: string; created?: number; name?: string } = {}): ContainerSummary {
  const service = options.service ?? 'web';
  return {
    Id: `${service}-${state}-${Math.random().toString(16).slice(2)}`,
    Names: [`/${options.name ?? `${name}-${service}`}`],
    Image: 'localhost/shop:abc',
    ImageID: 'sha256:abc',
    Created: options.created ?? 1_700_000_000,
    State: state,
    Labels: { ...marks, 'preview-kit.service': service, 'preview-kit.commit': 'a'.repeat(40), ...extra },
  };
}

function network(labels: Record<string, string> = {}, created = '2024-01-01T00:00:00Z', netName = name): NetworkInspect {
  return { Id: `net-${netName}`, Name: netName, Created: created, Labels: { ...marks, ...labels } };
}

function view(routes: CaddyRoute[]): CaddyView {
  return { servers: { preview: { routes } }, server: 'preview', config: { routes }, listener: { host: '127.0.0.1', port: 8080, tls: false }, etag: undefined, writes: 0 };
}

const live = liveRoute(routeId(), [`${name}.localhost`], '127.0.0.1:40000');
const asleep = asleepRoute(routeId(), [`${name}.localhost`]);
const parts = (routes: CaddyRoute[] | undefined, deploying = false) => ({ name, key, ...(routes ? { view: view(routes) } : {}), deploying });

describe('state of a preview', () => {
  it.each([
    ['running', [container('running')], [live], false],
    ['sleeping', [container('exited')], [asleep], false],
    // never started (a planted or half-made one) reads as stopped
    ['sleeping', [container('created')], [asleep], false],
    ['failed', [container('exited')], [live], false],
    ['failed', [container('running', {}, { service: 'web' }), container('exited', {}, { service: 'api' })], [live], false],
    ['deploying', [container('running')], [live], true],
    ['unknown', [], [live], false],
  ] as const)('%s', (state, containers, routes, deploying) => {
    expect(stateOf(parts([...routes], deploying), [...containers])).toBe(state);
  });

  it('a stopped preview whose routes cannot be read is unknown, not failed', () => {
    expect(stateOf(parts(undefined), [container('exited')])).toBe('unknown');
  });

  it('an asleep route does not make a preview with a running container asleep', () => {
    expect(stateOf(parts([asleep]), [container('running'), container('exited', {}, { service: 'api' })])).toBe('failed');
  });
});

describe('times of a preview', () => {
  it('creation from the network label, last deployment from the newest container label', () => {
    const p = previewOf(rt, {
      name,
      key,
      network: network({ 'preview-kit.created-at': '2024-03-01T10:00:00.000Z' }),
      containers: [
        container('running', { 'preview-kit.deployed-at': '2024-03-05T10:00:00.000Z' }),
        container('running', { 'preview-kit.deployed-at': '2024-03-07T10:00:00.000Z' }, { service: 'api' }),
      ],
      view: view([live]),
    });
    expect(p.createdAt).toBe('2024-03-01T10:00:00.000Z');
    expect(p.lastDeployedAt).toBe('2024-03-07T10:00:00.000Z');
    expect(p.state).toBe('running');
    expect(p.identity).toEqual(identity);
    expect(p.lastDeployment?.commit).toBe('a'.repeat(40));
    expect(p.url).toBe(`http://${name}.localhost:8080`);
  });

  it("without labels (previews made before they were written): the engine's times", () => {
    const p = previewOf(rt, { name, key, network: network({}, '2024-02-01T00:00:00Z'), containers: [container('running', {}, { created: 1_710_000_000 })] });
    expect(p.createdAt).toBe('2024-02-01T00:00:00.000Z');
    expect(p.lastDeployedAt).toBe(new Date(1_710_000_000_000).toISOString());
  });

  it('leftovers of an interrupted deploy (temporary names) neither date nor judge the preview', () => {
    const p = previewOf(rt, {
      name,
      key,
      containers: [container('running', { 'preview-kit.deployed-at': '2024-03-05T10:00:00.000Z' }), container('exited', { 'preview-kit.deployed-at': '2024-03-09T00:00:00.000Z' }, { name: `${name}-web-abcdef1-123456` })],
      view: view([live]),
    });
    expect(p.lastDeployedAt).toBe('2024-03-05T10:00:00.000Z');
    expect(p.state).toBe('running');
  });
});

describe('grouping one listing', () => {
  const lock = (until: number) => network({ 'preview-kit.lock-until': String(until) }, '2024-01-01T00:00:00Z', `${name}.lock`);

  it('a deploy lock that has not expired marks its preview deploying; an expired one does not', () => {
    const now = Date.parse('2024-06-01T00:00:00Z');
    const [held] = groupPreviews([network(), lock(now + 60_000)], [container('running')], now);
    expect(held!.deploying).toBe(true);
    expect(held!.network?.Name).toBe(name);
    const [expired] = groupPreviews([network(), lock(now - 1)], [container('running')], now);
    expect(expired!.deploying).toBeFalsy();
  });

  it('a lock alone is no preview', () => {
    expect(groupPreviews([lock(Date.now() + 60_000)], [])).toEqual([]);
  });
});
