/**
 * Sleep and wake. Asleep, a preview's containers are stopped (not removed: image, volumes, network
 * and name stay) and each service's route answers with the asleep page instead of proxying — same
 * route id, hosts and basic auth — so the URL keeps answering and `list` can tell "asleep" from
 * "crashed" by the route. Waking starts the same containers (no build, no new container) and puts
 * the live routes back. Both decide from one read, write only what differs, and take the deploy
 * lock when they write, so they never interleave with a deploy of the same preview.
 */
import { ProviderError } from '../../core/errors.js';
import type { Preview, PreviewRef, PreviewSpec, SleepResult } from '../types.js';
import { authHandlerOf, type RouteAuth } from './basic-auth.js';
import { liveRoute, routeId, syncRoutes, type RouteWishes } from './caddy-routes.js';
import { acquireDeployLock } from './deploy-lock.js';
import { dial } from './deploy-steps.js';
import type { ContainerSummary } from './engine-types.js';
import { asleepRoute, findRoute, hostsOfRoute, isAsleepRoute } from './route-shapes.js';
import { canonicalName, inspectedPort, nameOf, previewContainers, readCaddy, routesSnapshot, serviceOf, servicePlans, syncContext, type CaddyView, type DockerRuntime } from './runtime.js';

/**
 * Starts a container that was stopped (asleep, or exited). podman keeps the host port it picked at
 * create; when another process took it meanwhile, only a new container gets a free one.
 */
export async function startKept(rt: DockerRuntime, c: Pick<ContainerSummary, 'Id'> & { name: string }): Promise<void> {
  try {
    await rt.engine.startContainer(c.Id);
  } catch (error) {
    if (error instanceof ProviderError && /address already in use/i.test(error.message)) {
      throw new ProviderError(`start container ${c.name}: its host port is taken by another process now`, { hint: 'run up --force: it replaces the container, and the engine picks a free port' });
    }
    throw error;
  }
}

/** States in which a container still runs something to stop. */
const AWAKE = new Set(['running', 'restarting', 'paused']);

export function isAwake(c: ContainerSummary): boolean {
  return AWAKE.has(c.State);
}

interface SleepPlan {
  wishes: RouteWishes;
  running: ContainerSummary[];
  found: boolean;
}

async function planSleep(rt: DockerRuntime, ref: PreviewRef, view: CaddyView): Promise<SleepPlan> {
  const containers = await previewContainers(rt, ref);
  const wishes: RouteWishes = new Map();
  for (const service of new Set(containers.map(serviceOf))) {
    const id = routeId(ref, service);
    const route = findRoute(view.config.routes, id);
    const hosts = hostsOfRoute(route);
    if (!route || !hosts || isAsleepRoute(route)) continue;
    wishes.set(id, asleepRoute(id, hosts, authHandlerOf(route)));
  }
  return { wishes, running: containers.filter(isAwake), found: containers.length > 0 };
}

/**
 * Routes first (visitors get the asleep page, never a 502), then the containers stop. A preview
 * that sleeps already, or has no containers, gets no mutating call.
 */
export async function sleepPreview(rt: DockerRuntime, ref: PreviewRef): Promise<SleepResult> {
  const { plan } = rt.context;
  let view = await readCaddy(rt);
  let todo = await planSleep(rt, ref, view);
  if (!todo.found || (todo.wishes.size === 0 && todo.running.length === 0)) return { slept: false, stopped: [] };
  const lock = plan.dryRun ? undefined : await acquireDeployLock(rt, ref);
  try {
    if (lock) {
      // A deploy may have run while we waited for the lock: decide again.
      view = await readCaddy(rt);
      todo = await planSleep(rt, ref, view);
    }
    const stopped: string[] = [];
    if (todo.wishes.size) {
      const written = await syncRoutes(syncContext(rt), view.server, todo.wishes, { ensureCatchAll: false, initial: routesSnapshot(rt, view) });
      stopped.push(...[...new Set(written)].map((id) => `route ${id} (asleep page)`));
    }
    await Promise.all(
      todo.running.map(async (c) => {
        await plan.apply({ kind: 'update', target: `container ${nameOf(c)}`, detail: 'stop' }, () => rt.engine.stopContainer(c.Id), undefined);
        stopped.push(`container ${nameOf(c)}`);
      }),
    );
    return { slept: stopped.length > 0, stopped: stopped.sort() };
  } finally {
    await lock?.release();
  }
}

/** The services of this spec whose canonical container is stopped behind an asleep route. */
function asleepServices(rt: DockerRuntime, spec: PreviewSpec, view: CaddyView, containers: ContainerSummary[]): Array<{ service: string; hosts: string[]; port: number; container: ContainerSummary }> {
  return servicePlans(rt, spec).flatMap((plan) => {
    const container = containers.find((c) => serviceOf(c) === plan.service && nameOf(c) === canonicalName(spec.name, plan.service));
    const route = findRoute(view.config.routes, routeId(spec, plan.service));
    return container && !isAwake(container) && isAsleepRoute(route) ? [{ service: plan.service, hosts: plan.hosts, port: plan.port, container }] : [];
  });
}

/**
 * `ensure` wakes a sleeping preview: starts its containers and routes its hosts to them again
 * (with the protection the spec asks for). The deploy that follows in `up` keeps them when the
 * commit is the same, checks them through Caddy, or replaces them with a new commit.
 */
export async function wakePreview(rt: DockerRuntime, spec: PreviewSpec, view: CaddyView, containers: ContainerSummary[], auth: RouteAuth | undefined): Promise<boolean> {
  const { plan } = rt.context;
  let asleep = asleepServices(rt, spec, view, containers);
  if (asleep.length === 0) return false;
  if (plan.dryRun) {
    for (const s of asleep) await plan.apply({ kind: 'update', target: `container ${nameOf(s.container)}`, detail: 'start' }, async () => undefined, undefined);
    return true;
  }
  const lock = await acquireDeployLock(rt, spec);
  try {
    const current = await readCaddy(rt);
    asleep = asleepServices(rt, spec, current, await previewContainers(rt, spec));
    const wishes: RouteWishes = new Map();
    await Promise.all(
      asleep.map(async (s) => {
        await plan.apply({ kind: 'update', target: `container ${nameOf(s.container)}`, detail: 'start' }, () => startKept(rt, { Id: s.container.Id, name: nameOf(s.container) }), undefined);
        // The engine may publish another port after a restart.
        const inspected = await rt.engine.inspectContainer(s.container.Id);
        const port = inspected ? inspectedPort(inspected, s.port) : undefined;
        const id = routeId(spec, s.service);
        if (port !== undefined) wishes.set(id, liveRoute(id, s.hosts, dial(rt, port), auth?.handler));
      }),
    );
    if (wishes.size) await syncRoutes(syncContext(rt), current.server, wishes, { ensureCatchAll: true });
    return asleep.length > 0;
  } finally {
    await lock.release();
  }
}

/**
 * A dry run of `sleep` for a preview `list` returned moments ago (prune --sleep-after, the fleet
 * cap): the plan from its state, routes and containers, nothing read again. Undefined outside a
 * dry run, or when the listing did not read Caddy.
 */
export function plannedSleep(rt: DockerRuntime, known: Preview): Promise<SleepResult> | undefined {
  const details = known.details as { routes?: string[]; containers?: Array<{ name: string; state: string }> } | undefined;
  if (!rt.context.plan.dryRun || !details?.routes) return undefined;
  return (async () => {
    if (known.state === 'sleeping') return { slept: false, stopped: [] };
    const { plan } = rt.context;
    const stopped: string[] = [];
    for (const id of details.routes!) {
      await plan.apply({ kind: 'update', target: `caddy route ${id}`, detail: 'asleep page' }, async () => undefined, undefined);
      stopped.push(`route ${id} (asleep page)`);
    }
    for (const c of (details.containers ?? []).filter((x) => AWAKE.has(x.state))) {
      await plan.apply({ kind: 'update', target: `container ${c.name}`, detail: 'stop' }, async () => undefined, undefined);
      stopped.push(`container ${c.name}`);
    }
    return { slept: stopped.length > 0, stopped: stopped.sort() };
  })();
}
