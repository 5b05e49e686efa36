/**
 * podman's own network endpoints, used in place of the Docker-compatible ones when the engine is
 * podman (its answers carry `Libpod-Api-Version`). Before podman 4.9 the compatible listing and
 * inspect look at every container for every network they return
 * (pkg/api/handlers/compat/networks.go, `convertLibpodNetworktoDockerNetwork`): with a thousand
 * previews one listing takes minutes, one lookup a second. podman's own endpoints read only the
 * network's configuration (pkg/api/handlers/libpod/networks.go); they say nothing of containers.
 */
import type { EngineCall, EngineResponse, LibpodNetwork, NetworkInspect } from './engine-types.js';

/** The oldest podman API version with these endpoints. */
const LIBPOD_API = 'v4.0.0';

interface Caller {
  call<T>(req: EngineCall): Promise<EngineResponse<T>>;
}

function fromLibpod(n: LibpodNetwork): NetworkInspect {
  return { Id: n.id, Name: n.name, Created: n.created ?? '', Labels: n.labels ?? null };
}

/** Networks matching the filters (`label`, `name`…), as the Docker API would list them, without `Containers`. */
export async function libpodNetworks(engine: Caller, filters: Record<string, string[]>, what: string): Promise<NetworkInspect[]> {
  const res = await engine.call<LibpodNetwork[] | null>({ method: 'GET', path: '/libpod/networks/json', apiVersion: LIBPOD_API, query: { filters: JSON.stringify(filters) }, what });
  return (res.body ?? []).map(fromLibpod);
}

/** One network by name or id, without `Containers`; undefined when there is none. */
export async function libpodNetwork(engine: Caller, name: string, what: string): Promise<NetworkInspect | undefined> {
  const res = await engine.call<LibpodNetwork>({ method: 'GET', path: `/libpod/networks/${encodeURIComponent(name)}/json`, apiVersion: LIBPOD_API, allow: [404], what });
  return res.status === 404 ? undefined : fromLibpod(res.body);
}
