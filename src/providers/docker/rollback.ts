/**
 * Undoing a deploy that failed before its switch: routes as they were (new services unrouted,
 * replaced ones dialling their old container, or showing its asleep page, no staging routes) and
 * this run's containers gone.
 */
import { liveRoute, routeId, stagingRouteId, syncRoutes, type RouteWishes } from './caddy-routes.js';
import { dial, type DeployRun, type ServiceStep } from './deploy-steps.js';
import { authHandlerOf } from './basic-auth.js';
import { findRoute, isAsleepRoute } from './route-shapes.js';
import { publishedPort, syncContext } from './runtime.js';

export async function rollBack(run: DeployRun, steps: ServiceStep[]): Promise<void> {
  const { rt, ref, view } = run;
  const { logger, plan } = rt.context;
  const restore: RouteWishes = new Map();
  for (const step of steps) {
    const live = routeId(ref, step.plan.service);
    if (step.action === 'create') restore.set(live, null);
    if (step.action !== 'replace') continue;
    restore.set(stagingRouteId(ref, step.plan.service), null);
    // As it was before this run: the old container's route, or its asleep page.
    const before = findRoute(view.config.routes, live);
    const oldPort = step.current ? publishedPort(step.current, step.plan.port) : undefined;
    if (isAsleepRoute(before)) restore.set(live, before!);
    else if (oldPort !== undefined) restore.set(live, liveRoute(live, step.plan.hosts, dial(rt, oldPort), before ? authHandlerOf(before) : run.auth?.handler));
  }
  if (restore.size) {
    try {
      await syncRoutes(syncContext(rt), view.server, restore, { ensureCatchAll: false });
    } catch (error) {
      logger.warn(`roll back: could not restore the Caddy routes of ${ref.name}: ${(error as Error).message}`);
    }
  }
  await Promise.all(
    steps.map(async (step) => {
      if (!step.fresh) return;
      try {
        await plan.apply({ kind: 'delete', target: `container ${step.fresh.name}`, detail: 'roll back' }, () => rt.engine.removeContainer(step.fresh!.id), true);
      } catch (error) {
        logger.warn(`roll back: could not remove container ${step.fresh.name}: ${(error as Error).message}`);
      }
    }),
  );
}
