/**
 * A preview as `status`, `list` and `prune` see it, read back from the platform: its identity from
 * the labels, its hosts from its Caddy routes (what visitors reach), its state from the containers
 * and routes, its creation and last deployment from the times recorded in labels at each write.
 */
import type { PreviewIdentity } from '../../core/identity.js';
import type { PreviewDomain, PreviewState } from '../types.js';
import { publicUrl, routeId } from './caddy-routes.js';
import { lockName, LOCK_UNTIL } from './deploy-lock.js';
import type { ContainerSummary, NetworkInspect } from './engine-types.js';
import { LABEL, marksOf } from './labels.js';
import { findRoute, hostsOfRoute, isAsleepRoute } from './route-shapes.js';
import { nameOf, publishedPort, serviceOf, type CaddyView, type DockerPreview, type DockerRuntime } from './runtime.js';
import { isAwake } from './sleep.js';
import { planServices, type ServicePlan } from './services.js';

export interface PreviewParts {
  name: string;
  key?: string;
  network?: NetworkInspect;
  containers: ContainerSummary[];
  /** Caddy as read by this call; without it URLs are plain http:// on the default hosts. */
  view?: CaddyView;
  /** A deploy of this preview holds its lock now. */
  deploying?: boolean;
}

/** The services a preview of this identity has under the current settings (no `--domain` hosts). */
function plansOf(rt: DockerRuntime, name: string, identity: PreviewIdentity | undefined): ServicePlan[] | undefined {
  if (!identity) return undefined;
  try {
    return planServices(rt.settings, { name, identity, env: {}, healthPath: '/', domains: [] });
  } catch {
    return undefined;
  }
}

const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();

/** When the deploy that made this container ran: its label, else its creation. */
function deployedAtOf(c: ContainerSummary): string {
  const label = c.Labels?.[LABEL.deployedAt];
  return label && Number.isFinite(Date.parse(label)) ? new Date(Date.parse(label)).toISOString() : isoOf(c.Created);
}

function networkCreatedAt(network: NetworkInspect | undefined): string | undefined {
  const at = Date.parse(network?.Labels?.[LABEL.createdAt] ?? network?.Created ?? '');
  return Number.isFinite(at) ? new Date(at).toISOString() : undefined;
}

/**
 * From the engine and Caddy, as read: a deploy holding the lock is `deploying`; containers that all
 * run are `running`; stopped ones behind the asleep page are `sleeping` (put to sleep, not
 * crashed); other stopped ones `failed`. Without Caddy's view a stopped preview is `unknown`.
 */
export function stateOf(parts: Pick<PreviewParts, 'name' | 'key' | 'view' | 'deploying'>, containers: ContainerSummary[]): PreviewState {
  if (parts.deploying) return 'deploying';
  if (containers.length === 0) return 'unknown';
  if (containers.every((c) => c.State === 'running')) return 'running';
  if (!parts.view || !parts.key) return 'unknown';
  const key = parts.key;
  const asleep = containers.some((c) => isAsleepRoute(findRoute(parts.view!.config.routes, routeId({ name: parts.name, key }, serviceOf(c)))));
  return asleep && !containers.some(isAwake) ? 'sleeping' : 'failed';
}

export function previewOf(rt: DockerRuntime, parts: PreviewParts): DockerPreview {
  const { name, network, containers, view } = parts;
  const marks = marksOf(network?.Labels ?? containers[0]?.Labels);
  const identity = marks.identity;
  const key = parts.key ?? marks.key;
  const plans = plansOf(rt, name, identity);
  const services = plans?.map((p) => p.service) ?? [...new Set(containers.map(serviceOf))];
  const domains: PreviewDomain[] = services.flatMap((service) => {
    const routed = key ? hostsOfRoute(findRoute(view?.config.routes, routeId({ name, key }, service))) : undefined;
    return (routed ?? plans?.find((p) => p.service === service)?.hosts ?? []).map((host) => ({ host }));
  });
  const urlOf = (host: string) => (view ? publicUrl(host, view.listener) : `http://${host}`);
  // The containers that serve; leftovers of an interrupted deploy (temporary names) only when there are no others.
  const canonical = containers.filter((c) => nameOf(c) === `${name}-${serviceOf(c)}`);
  const serving = canonical.length ? canonical : containers;
  const primary = serving.find((c) => serviceOf(c) === services[0]) ?? serving[0];
  const deployedAt = serving.map(deployedAtOf).sort();
  const created = [networkCreatedAt(network), ...deployedAt].filter((d): d is string => !!d).sort()[0];
  const lastDeployedAt = deployedAt[deployedAt.length - 1];
  const running = containers.length > 0 && containers.every((c) => c.State === 'running');
  const portOf = (c: ContainerSummary) => {
    const plan = plans?.find((p) => p.service === serviceOf(c));
    return plan ? publishedPort(c, plan.port) : undefined;
  };
  return {
    name,
    id: network?.Id ?? primary?.Id ?? name,
    url: domains[0] ? urlOf(domains[0].host) : '',
    domains,
    ...(identity ? { identity } : {}),
    ...(created ? { createdAt: created } : {}),
    ...(lastDeployedAt ? { lastDeployedAt } : {}),
    state: stateOf(parts, serving),
    ...(primary
      ? {
          lastDeployment: {
            id: primary.Id,
            state: running ? 'ok' : primary.State,
            ...(primary.Labels?.[LABEL.commit] ? { commit: primary.Labels[LABEL.commit] } : {}),
            createdAt: deployedAtOf(primary),
          },
        }
      : {}),
    details: {
      network: network?.Name,
      ...(key ? { key } : {}),
      // The routes of its services that Caddy has, when it was read: what a dry-run `stop` plans to remove.
      ...(view && key ? { routes: services.map((service) => routeId({ name, key }, service)).filter((id) => findRoute(view.config.routes, id)) } : {}),
      containers: containers.map((c) => ({ name: nameOf(c), service: serviceOf(c), state: c.State, commit: c.Labels?.[LABEL.commit], port: portOf(c) })),
    },
  };
}

/**
 * Groups what `list` found by preview: name and identity key (two previews may share a name). A
 * deploy lock `<name>.lock` of the preview's that has not expired says a deploy is under way.
 */
export function groupPreviews(networks: NetworkInspect[], containers: ContainerSummary[], now = Date.now()): Array<Omit<PreviewParts, 'view'>> {
  const groups = new Map<string, Omit<PreviewParts, 'view'>>();
  const groupOf = (name: string, key: string | undefined) => {
    const id = `${name}\u0000${key ?? ''}`;
    let group = groups.get(id);
    if (!group) {
      group = { name, ...(key ? { key } : {}), containers: [] };
      groups.set(id, group);
    }
    return group;
  };
  for (const n of networks) {
    const name = n.Labels?.[LABEL.name];
    // The deploy lock `<name>.lock` carries the preview's labels too, under another name.
    if (!name || n.Name !== name || !marksOf(n.Labels).marker) continue;
    groupOf(name, n.Labels?.[LABEL.key]).network = n;
  }
  for (const c of containers) {
    const name = c.Labels?.[LABEL.name];
    if (!name || !marksOf(c.Labels).marker) continue;
    groupOf(name, c.Labels?.[LABEL.key]).containers.push(c);
  }
  for (const n of networks) {
    const name = n.Labels?.[LABEL.name];
    const group = groups.get(`${name}\u0000${n.Labels?.[LABEL.key] ?? ''}`);
    if (group && n.Name === lockName(name!) && Number(n.Labels?.[LOCK_UNTIL] ?? 0) > now) group.deploying = true;
  }
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.key ?? '') < (b.key ?? '') ? -1 : 1));
}
