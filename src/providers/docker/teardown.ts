/**
 * `stop`: routes first (so visitors get the catch-all, not a 502), then containers, network, lock,
 * volumes and, when asked, images. Everything is read and judged before anything is removed, so an
 * unreachable Caddy stops the run with nothing removed; what carries the preview's name but
 * another preview's identity (or no marker) is left alone with a warning.
 */
import { classify, lookup, teardownTargets, type ResourceHooks } from '../reconcile.js';
import type { DestroyResult, Preview, PreviewRef } from '../types.js';
import { isPreviewRoute, routeKey, SERVERS_PATH, syncRoutes, type CaddyServer, type RouteWishes } from './caddy-routes.js';
import { lockOf } from './deploy-lock.js';
import type { ContainerSummary } from './engine-types.js';
import { removePreviewImages } from './images.js';
import { isPreviewResource, LABEL, marksOf, nameFilter } from './labels.js';
import { networkHooks, reconcileContext } from './network.js';
import { nameOf, syncContext, writesSoFar, type DockerRuntime } from './runtime.js';

/** Every container that carries the preview's name, whoever's; only the marks decide. */
function namedContainers(rt: DockerRuntime, ref: PreviewRef): ResourceHooks<ContainerSummary> {
  return {
    noun: 'container',
    name: `${ref.name}-*`,
    list: () => rt.engine.listContainers(nameFilter(ref.name)),
    id: (c) => nameOf(c),
    createdAt: (c) => c.Created * 1000,
    marks: (c) => marksOf(c.Labels),
    create: () => Promise.reject(new Error('not used by stop')),
    planned: () => ({ Id: '', Names: [], Image: '', ImageID: '', Created: 0, State: '', Labels: null }),
    remove: async (c) => void (await rt.engine.removeContainer(c.Id)),
  };
}

/** Our routes per server, and the ids of routes named after us that another preview made. */
function routesToRemove(servers: Record<string, CaddyServer>, ref: PreviewRef): { ours: Map<string, string[]>; others: string[] } {
  const ours = new Map<string, string[]>();
  const others = new Set<string>();
  for (const [server, config] of Object.entries(servers)) {
    const ids = new Set<string>();
    for (const route of config.routes ?? []) {
      const id = route['@id'];
      if (isPreviewRoute(id, ref)) ids.add(id!);
      else if (routeKey(id, ref.name) !== undefined) others.add(id!);
    }
    if (ids.size) ours.set(server, [...ids]);
  }
  return { ours, others: [...others] };
}

export async function destroyPreview(rt: DockerRuntime, ref: PreviewRef): Promise<DestroyResult> {
  const { plan, logger } = rt.context;
  const ctx = reconcileContext(rt, ref);
  const read = await rt.caddy.get<Record<string, CaddyServer> | null>(SERVERS_PATH, 'read the HTTP servers from the Caddy admin API');
  const servers = read.body ?? {};
  const routes = routesToRemove(servers, ref);
  for (const id of routes.others) logger.warn(`caddy route ${id} was made for another preview named ${ref.name}: left alone`);
  // Containers first: their answer says whether the engine is podman (see engine.listNetworks).
  const containerHooks = namedContainers(rt, ref);
  const containers = await lookup(containerHooks, ctx);
  // One listing holds the preview's network and its deploy lock.
  const netHooks = networkHooks(rt, ref);
  const named = await rt.engine.networksMatching(ref.name);
  const networks = classify(
    named.filter((n) => n.Name === ref.name),
    netHooks,
    ref.identity,
  );
  const lock = lockOf(named, ref.name);
  // podman ORs label filters on volumes: filter on the key, then check every label.
  const volumes = (await rt.engine.listVolumes([`${LABEL.key}=${ref.key}`])).filter((v) => isPreviewResource(v.Labels, ref));
  const networkTargets = teardownTargets(networks, netHooks, ctx);
  const containerTargets = teardownTargets(containers, containerHooks, ctx);
  const sharedName = routes.others.length > 0 || networks.others.length > 0 || containers.others.length > 0;

  const removed: string[] = [];
  const writes = writesSoFar(rt);
  for (const [server, ids] of routes.ours) {
    const wishes: RouteWishes = new Map(ids.map((id) => [id, null]));
    // The servers read decides the first removal (its Etag guards it) while nothing was written since.
    const initial = read.status === 200 && writesSoFar(rt) === writes ? { routes: servers[server]!.routes, etag: read.etag } : undefined;
    const written = await syncRoutes(syncContext(rt), server, wishes, { ensureCatchAll: false, initial });
    removed.push(...[...new Set(written)].map((id) => `route ${id}`));
  }
  const gone = await Promise.allSettled(
    containerTargets.map((c) => plan.apply({ kind: 'delete', target: `container ${c.id}` }, () => rt.engine.removeContainer(c.item.Id), true)),
  );
  gone.forEach((result, i) => {
    if (result.status === 'fulfilled' && result.value) removed.push(`container ${containerTargets[i]!.id}`);
  });
  const failed = gone.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  for (const network of networkTargets) {
    const done = await plan.apply({ kind: 'delete', target: `network ${ref.name}` }, () => rt.engine.removeNetwork(network.item.Id), true);
    if (done) removed.push(`network ${ref.name}`);
  }
  // A deploy lock left by a run that crashed; another preview's lock is its own.
  if (lock && isPreviewResource(lock.Labels, ref)) {
    const done = await plan.apply({ kind: 'delete', target: `network ${lock.Name}` }, () => rt.engine.removeNetwork(lock.Id), true);
    if (done) removed.push(`network ${lock.Name}`);
  } else if (lock) {
    logger.warn(`network ${lock.Name} is not this preview's deploy lock: left alone`);
  }
  for (const v of volumes) {
    const done = await plan.apply({ kind: 'delete', target: `volume ${v.Name}` }, () => rt.engine.removeVolume(v.Name), true);
    if (done) removed.push(`volume ${v.Name}`);
  }
  if (rt.settings.removeImages) {
    // Another preview's image tags look like ours when it has our name in our project.
    if (sharedName) logger.warn(`images of ${ref.name} left alone: another preview has this name`);
    else removed.push(...(await removePreviewImages({ engine: rt.engine, plan, logger }, ref)));
  }
  return { deleted: removed.length > 0, removed };
}

/** What `list` said of a preview, as previewOf (preview-view.ts) records it in `details`. */
interface KnownDetails {
  network?: string;
  routes?: string[];
  containers?: Array<{ name: string; state: string }>;
}

/**
 * A dry run of `stop` (or `prune`) for a preview `list` returned moments ago: the plan from what
 * the listing said — its routes, containers and network — without reading anything again. Only
 * when the listing read Caddy (else the routes are unknown: undefined, read as usual).
 */
export function plannedTeardown(rt: DockerRuntime, ref: PreviewRef, known: Preview): Promise<DestroyResult> | undefined {
  const details = known.details as KnownDetails | undefined;
  if (!rt.context.plan.dryRun || !details?.routes || known.identity === undefined) return undefined;
  return (async () => {
    const { plan } = rt.context;
    const removed: string[] = [];
    for (const id of details.routes!) {
      await plan.apply({ kind: 'delete', target: `caddy route ${id}` }, async () => undefined, undefined);
      removed.push(`route ${id}`);
    }
    for (const c of details.containers ?? []) {
      await plan.apply({ kind: 'delete', target: `container ${c.name}` }, async () => undefined, undefined);
      removed.push(`container ${c.name}`);
    }
    if (details.network) {
      await plan.apply({ kind: 'delete', target: `network ${ref.name}` }, async () => undefined, undefined);
      removed.push(`network ${ref.name}`);
    }
    if (rt.settings.removeImages) removed.push(...(await removePreviewImages({ engine: rt.engine, plan, logger: rt.context.logger }, ref)));
    return { deleted: removed.length > 0, removed };
  })();
}
