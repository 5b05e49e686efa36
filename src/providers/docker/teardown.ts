/**
 * `stop`: routes first (so visitors get the catch-all, not a 502), then containers, network,
 * volumes and, when asked, images. Reads everything before removing anything, so an unreachable
 * Caddy stops the run with nothing removed.
 */
import type { DestroyResult } from '../types.js';
import { previewRoutePattern, syncRoutes, type RouteWishes } from './caddy-routes.js';
import { removePreviewImages } from './images.js';
import { lockName } from './deploy-lock.js';
import { isOurs, previewFilter } from './labels.js';
import { nameOf, ownNetwork, syncContext, type DockerRuntime } from './runtime.js';
import type { CaddyServer } from './caddy-routes.js';
import { SERVERS_PATH } from './caddy-routes.js';

export async function destroyPreview(rt: DockerRuntime, name: string): Promise<DestroyResult> {
  const { plan, logger } = rt.context;
  const servers = (await rt.caddy.get<Record<string, CaddyServer> | null>(SERVERS_PATH, 'read the HTTP servers from the Caddy admin API')).body ?? {};
  const pattern = previewRoutePattern(name);
  const routeIds = new Map<string, string[]>();
  for (const [server, config] of Object.entries(servers)) {
    const ids = [...new Set((config.routes ?? []).map((r) => r['@id']).filter((id): id is string => !!id && pattern.test(id)))];
    if (ids.length) routeIds.set(server, ids);
  }
  const network = await ownNetwork(rt, name);
  const containers = await rt.engine.listContainers(previewFilter(name));
  const volumes = await rt.engine.listVolumes(previewFilter(name));
  const lock = await rt.engine.inspectNetwork(lockName(name));

  const removed: string[] = [];
  for (const [server, ids] of routeIds) {
    const wishes: RouteWishes = new Map(ids.map((id) => [id, null]));
    const written = await syncRoutes(syncContext(rt), server, wishes, { ensureCatchAll: false });
    removed.push(...[...new Set(written)].map((id) => `route ${id}`));
  }
  const gone = await Promise.allSettled(containers.map((c) => plan.apply({ kind: 'delete', target: `container ${nameOf(c)}` }, () => rt.engine.removeContainer(c.Id), true)));
  gone.forEach((result, i) => {
    if (result.status === 'fulfilled' && result.value) removed.push(`container ${nameOf(containers[i]!)}`);
  });
  const failed = gone.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (network) {
    const gone = await plan.apply({ kind: 'delete', target: `network ${name}` }, () => rt.engine.removeNetwork(name), true);
    if (gone) removed.push(`network ${name}`);
  }
  // A deploy lock left by a run that crashed.
  if (lock && isOurs(lock.Labels, name)) {
    const gone = await plan.apply({ kind: 'delete', target: `network ${lock.Name}` }, () => rt.engine.removeNetwork(lock.Name), true);
    if (gone) removed.push(`network ${lock.Name}`);
  }
  for (const v of volumes) {
    const gone = await plan.apply({ kind: 'delete', target: `volume ${v.Name}` }, () => rt.engine.removeVolume(v.Name), true);
    if (gone) removed.push(`volume ${v.Name}`);
  }
  if (rt.settings.removeImages) removed.push(...(await removePreviewImages({ engine: rt.engine, plan, logger }, name, rt.common.app)));
  return { deleted: removed.length > 0, removed };
}
