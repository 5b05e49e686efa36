/**
 * Every name a preview writes under — its network, each service's container, each service's Caddy
 * routes — is judged before the first write: when any of them belongs to another preview (or is
 * unmarked and `--adopt` is not given), nothing is created, started or routed.
 */
import { SafetyError } from '../../core/errors.js';
import { classify, refusal, type Lookup, type ResourceHooks } from '../reconcile.js';
import type { PreviewRef } from '../types.js';
import { routeKey, type CaddyServer } from './caddy-routes.js';
import type { ContainerSummary, NetworkInspect } from './engine-types.js';
import { LABEL, marksOf } from './labels.js';
import { networkHooks, reconcileContext } from './network.js';
import { canonicalName, nameOf, previewContainers, summaryOf, writesSoFar, type DockerRuntime } from './runtime.js';

/**
 * The container named `name`. A label set without our preview's name is not ours, whatever else it
 * carries: containers inherit the labels of their image, and our images carry our marker.
 */
export function containerHooks(rt: DockerRuntime, ref: PreviewRef, name: string): ResourceHooks<ContainerSummary> {
  return {
    noun: 'container',
    name,
    async list() {
      const found = await rt.engine.inspectContainer(name);
      return found ? [summaryOf(found)] : [];
    },
    id: (c) => c.Id.slice(0, 12),
    createdAt: (c) => c.Created * 1000,
    marks: (c) => (c.Labels?.[LABEL.name] === ref.name ? marksOf(c.Labels) : { marker: false }),
    create: () => Promise.reject(new Error('containers are created by the deploy')),
    planned: () => ({ Id: '', Names: [name], Image: '', ImageID: '', Created: 0, State: 'created', Labels: null }),
    remove: async (c) => void (await rt.engine.removeContainer(c.Id)),
    uniqueNames: true,
  };
}

/**
 * The two engine listings every write decision starts from: the preview's containers (by label)
 * and the networks named after it (its own, twins of a create race, its deploy lock). Containers
 * first: that answer says whether the engine is podman, whose own network listing is the cheap one.
 */
export interface TargetReads {
  containers: ContainerSummary[];
  networks: NetworkInspect[];
  /** Writes this provider had made when these were read (see writesSoFar). */
  writes: number;
}

export async function readTargets(rt: DockerRuntime, ref: PreviewRef): Promise<TargetReads> {
  const writes = writesSoFar(rt);
  const containers = await previewContainers(rt, ref);
  const networks = await rt.engine.networksMatching(ref.name);
  return { containers, networks, writes };
}

export interface TargetCheck {
  network: Lookup<NetworkInspect>;
  /** Canonical containers without our marker that `--adopt` lets this run replace. */
  strays: ContainerSummary[];
}

/** Routes named after this preview that another preview made, in any of Caddy's servers. */
export function otherRoutes(servers: Record<string, CaddyServer>, ref: PreviewRef): string[] {
  const ids: string[] = [];
  for (const config of Object.values(servers)) {
    for (const route of config.routes ?? []) {
      const key = routeKey(route['@id'], ref.name);
      if (key !== undefined && key !== ref.key) ids.push(route['@id']!);
    }
  }
  return [...new Set(ids)];
}

/**
 * Judges every target from the listings: the network, the canonical container of each service, the
 * Caddy routes named after the preview. A canonical name missing from our containers is looked up
 * (it may be held by a container without our labels). Throws the refusal (exit 6) of the first
 * target that is not ours.
 */
export async function checkTargets(rt: DockerRuntime, ref: PreviewRef, services: string[], servers: Record<string, CaddyServer>, reads: TargetReads): Promise<TargetCheck> {
  const ctx = reconcileContext(rt, ref);
  const hooks = networkHooks(rt, ref);
  const network = classify(
    reads.networks.filter((n) => n.Name === ref.name),
    hooks,
    ref.identity,
  );
  const refused = refusal(network, hooks, ctx);
  if (refused) throw refused;
  const strays: ContainerSummary[] = [];
  for (const service of services) {
    const containers = containerHooks(rt, ref, canonicalName(ref.name, service));
    // Names are unique on an engine: one of ours under the name is all there is under it.
    const listed = reads.containers.find((c) => nameOf(c) === containers.name);
    const found = classify(listed ? [listed] : await containers.list(), containers, ref.identity);
    const stop = refusal(found, containers, ctx);
    if (stop) throw stop;
    for (const stray of found.foreign) {
      rt.context.logger.warn(`container ${containers.name} lacks preview-kit's labels; replacing it because of --adopt`);
      strays.push(stray.item);
    }
  }
  refuseOtherRoutes(servers, ref);
  return { network, strays };
}

/** A route named after this preview but made for another one claims its hosts: exit 6. */
export function refuseOtherRoutes(servers: Record<string, CaddyServer>, ref: PreviewRef): void {
  const routes = otherRoutes(servers, ref);
  if (routes.length === 0) return;
  throw new SafetyError(`caddy route ${routes[0]} was made for another preview named ${ref.name}, not for this one: refusing to route its hosts`, {
    hint: 'both previews get the same name: give this one a distinct name with --prefix (PREVIEW_PREFIX), e.g. --prefix review; or stop the other preview',
  });
}
