/**
 * A preview as `status`, `list` and `prune` see it, read back from the platform: its identity from
 * the labels, its hosts from its Caddy routes (what visitors reach), its state from the containers.
 */
import type { PreviewIdentity } from '../../core/identity.js';
import type { PreviewDomain } from '../types.js';
import { publicUrl, routeId } from './caddy-routes.js';
import type { ContainerSummary, NetworkInspect } from './engine-types.js';
import { LABEL, marksOf } from './labels.js';
import { nameOf, publishedPort, serviceOf, type CaddyView, type DockerPreview, type DockerRuntime } from './runtime.js';
import { planServices, type ServicePlan } from './services.js';

export interface PreviewParts {
  name: string;
  key?: string;
  network?: NetworkInspect;
  containers: ContainerSummary[];
  /** Caddy as read by this call; without it URLs are plain http:// on the default hosts. */
  view?: CaddyView;
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

/** A route's hosts, from its host matcher. */
function hostsOfRoute(view: CaddyView | undefined, id: string): string[] | undefined {
  const route = view?.config.routes?.find((r) => r['@id'] === id);
  const hosts = (route?.match?.[0] as { host?: unknown } | undefined)?.host;
  return Array.isArray(hosts) && hosts.every((h) => typeof h === 'string') ? (hosts as string[]) : undefined;
}

export function previewOf(rt: DockerRuntime, parts: PreviewParts): DockerPreview {
  const { name, network, containers, view } = parts;
  const marks = marksOf(network?.Labels ?? containers[0]?.Labels);
  const identity = marks.identity;
  const key = parts.key ?? marks.key;
  const plans = plansOf(rt, name, identity);
  const services = plans?.map((p) => p.service) ?? [...new Set(containers.map(serviceOf))];
  const domains: PreviewDomain[] = services.flatMap((service) => {
    const routed = key ? hostsOfRoute(view, routeId({ name, key }, service)) : undefined;
    return (routed ?? plans?.find((p) => p.service === service)?.hosts ?? []).map((host) => ({ host }));
  });
  const urlOf = (host: string) => (view ? publicUrl(host, view.listener) : `http://${host}`);
  const primary = containers.find((c) => serviceOf(c) === services[0]) ?? containers[0];
  const created = [network?.Created, ...containers.map((c) => new Date(c.Created * 1000).toISOString())].filter((d): d is string => !!d).sort()[0];
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
    ...(primary
      ? {
          lastDeployment: {
            id: primary.Id,
            state: running ? 'ok' : primary.State,
            ...(primary.Labels?.[LABEL.commit] ? { commit: primary.Labels[LABEL.commit] } : {}),
            createdAt: new Date(primary.Created * 1000).toISOString(),
          },
        }
      : {}),
    details: {
      network: network?.Name,
      ...(key ? { key } : {}),
      containers: containers.map((c) => ({ name: nameOf(c), service: serviceOf(c), state: c.State, commit: c.Labels?.[LABEL.commit], port: portOf(c) })),
    },
  };
}

/** Groups what `list` found by preview: name and identity key (two previews may share a name). */
export function groupPreviews(networks: NetworkInspect[], containers: ContainerSummary[]): Array<Omit<PreviewParts, 'view'>> {
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
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.key ?? '') < (b.key ?? '') ? -1 : 1));
}
