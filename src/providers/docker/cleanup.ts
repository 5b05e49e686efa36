/**
 * After the switch: what no longer serves goes — replaced containers, leftovers of crashed runs,
 * services no longer configured — and each new container takes its service's canonical name.
 */
import { ProviderError } from '../../core/errors.js';
import { backoffDelay, WAIT_BACKOFF } from '../../core/retry.js';
import type { CaddyRoute } from './caddy-routes.js';
import { routeId, routesPath } from './caddy-routes.js';
import { settleAll, type DeployRun, type ServiceStep } from './deploy-steps.js';
import { dialedPort } from './route-shapes.js';
import type { ContainerSummary } from './engine-types.js';
import { canonicalName, nameOf, publishedPort } from './runtime.js';

/**
 * A container the live route dials is never removed, and one newer than ours belongs to a
 * concurrent run that cleans up after itself.
 */
export async function cleanUp(run: DeployRun, steps: ServiceStep[], unconfigured: ContainerSummary[]): Promise<void> {
  const { rt, ref, view } = run;
  const { plan } = rt.context;
  let routes: CaddyRoute[] = view.config.routes ?? [];
  if (!plan.dryRun && steps.some((s) => s.others.length || s.action === 'replace' || s.fresh)) {
    routes = (await rt.caddy.get<CaddyRoute[] | null>(routesPath(view.server), 'read Caddy routes')).body ?? [];
  }
  const removals: Array<Promise<unknown>> = [];
  const remove = (c: { Id: string }, label: string, detail?: string) =>
    removals.push(plan.apply({ kind: 'delete', target: `container ${label}`, ...(detail ? { detail } : {}) }, () => rt.engine.removeContainer(c.Id), true));
  const renames: Array<() => Promise<void>> = [];
  for (const step of steps) {
    const target = dialedPort(routes.find((r) => r['@id'] === routeId(ref, step.plan.service)));
    const reference = step.fresh?.created ?? step.current?.Created ?? Number.POSITIVE_INFINITY;
    const candidates = [...(step.action === 'replace' && step.current ? [step.current] : []), ...step.others];
    for (const c of candidates) {
      if (!plan.dryRun && target !== undefined && publishedPort(c, step.plan.port) === target) continue;
      if (c.Created > reference + 1) continue;
      remove(c, nameOf(c));
    }
    const canonical = canonicalName(ref.name, step.plan.service);
    // A container left serving under its temporary name by an interrupted run takes its name now.
    const kept = (step.action === 'keep' || step.action === 'start') && step.current && nameOf(step.current) !== canonical ? step.current : undefined;
    if (kept && !plan.dryRun) {
      renames.push(() => rename(run, { id: kept.Id, name: nameOf(kept) }, canonical));
      continue;
    }
    const fresh = step.fresh;
    if (!fresh || plan.dryRun) continue;
    if (target !== undefined && target !== step.port) {
      rt.context.logger.warn(`service ${step.plan.service}: another run switched the route meanwhile; removing this run's container`);
      remove({ Id: fresh.id }, fresh.name);
      continue;
    }
    renames.push(() => rename(run, fresh, canonical));
  }
  for (const c of unconfigured) remove(c, nameOf(c), 'service no longer configured');
  // Renames wait for the removals: the old container still holds the canonical name.
  await settleAll(removals);
  await settleAll(renames.map((rename) => rename()));
}

async function rename(run: DeployRun, container: { id: string; name: string }, canonical: string): Promise<void> {
  try {
    await run.rt.context.plan.apply({ kind: 'update', target: `container ${container.name}`, detail: `rename to ${canonical}` }, () => renameOnce(run, container.id, canonical), undefined);
  } catch (error) {
    run.rt.context.logger.warn(`could not rename ${container.name} to ${canonical}: ${(error as Error).message}`);
  }
}

/**
 * A rename whose answer was lost may have been applied: the container's name says so. One refused
 * by something in front of the engine (502-504) is tried again.
 */
async function renameOnce(run: DeployRun, id: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run.rt.engine.renameContainer(id, name);
      return;
    } catch (error) {
      const now = await run.rt.engine.inspectContainer(id);
      if (now?.Name.replace(/^\//, '') === name) return;
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= 3) throw error;
      await run.rt.context.deadline.clock.sleep(Math.min(backoffDelay(attempt - 1, WAIT_BACKOFF), run.rt.context.deadline.remaining()));
    }
  }
}
