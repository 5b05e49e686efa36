/**
 * Carrying out a deploy's decisions: start new containers, route new services at once and check
 * replacements on staging routes, wait until everything serves through Caddy, then switch the
 * routes over and clean up. Any failure before the switch rolls back.
 */
import { randomBytes } from 'node:crypto';
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { Deadline } from '../../core/retry.js';
import type { DeployResult, SourceRef } from '../types.js';
import { isPreviewRoute, liveRoute, routeId, stagingRoute, stagingRouteId, stagingToken, STAGING_HEADER, syncRoutes, type RouteWishes } from './caddy-routes.js';
import { cleanUp } from './cleanup.js';
import { createContainerOnce } from './container-body.js';
import { dial, settleAll, type DeployRun, type ServiceStep } from './deploy-steps.js';
import type { ContainerSummary } from './engine-types.js';
import { removeUnclaimedImage, tagForPreview, type ResolvedImage } from './images.js';
import { rollBack } from './rollback.js';
import { startKept } from './sleep.js';
import { canonicalName, inspectedPort, nameOf, routesSnapshot, syncContext } from './runtime.js';
import { showLogs, waitServing, type WaitTarget } from './wait-serving.js';

/** Creates (or starts) each changing service's container; in parallel, plan steps in service order. */
async function startContainers(run: DeployRun, steps: ServiceStep[], source: SourceRef): Promise<void> {
  const { rt, ref } = run;
  const { plan: runPlan } = rt.context;
  await settleAll(
    steps.map(async (step) => {
      if (step.action === 'start') {
        const target = `container ${nameOf(step.current!)}`;
        // A dry run of `up` planned this wake in ensure already: plan it once.
        const planned = runPlan.dryRun && runPlan.steps.some((s) => s.target === target && s.detail === 'start');
        if (!planned) await runPlan.apply({ kind: 'update', target, detail: 'start' }, () => startKept(rt, { Id: step.current!.Id, name: nameOf(step.current!) }), undefined);
        step.containerId = step.current!.Id;
      }
      if (step.action !== 'create' && step.action !== 'replace') return;
      const tempName = `${canonicalName(ref.name, step.plan.service)}-${source.commit.slice(0, 7)}-${randomBytes(3).toString('hex')}`;
      step.containerId = await runPlan.apply(
        {
          kind: step.action === 'create' ? 'create' : 'update',
          target: `container ${canonicalName(ref.name, step.plan.service)}`,
          detail: `${source.commit.slice(0, 7)}${step.action === 'replace' ? ', replacing the running one' : ''}`,
        },
        async () => {
          const created = await createContainerOnce(rt, tempName, step.body);
          step.fresh = { id: created, name: tempName, created: Date.now() / 1000 };
          await rt.engine.startContainer(created);
          return created;
        },
        `dry-run-${step.plan.service}`,
      );
    }),
  );
  if (runPlan.dryRun) return;
  await settleAll(
    steps.map(async (step) => {
      if (step.action === 'keep') return;
      const inspected = await rt.engine.inspectContainer(step.containerId!);
      const port = inspected ? inspectedPort(inspected, step.plan.port) : undefined;
      if (!inspected || port === undefined) {
        throw new ProviderError(
          `service ${step.plan.service}: container ${step.containerId!.slice(0, 12)} has no published port for ${step.plan.port}/tcp${inspected && !inspected.State.Running ? ` (it exited with code ${inspected.State.ExitCode})` : ''}`,
        );
      }
      step.port = port;
      // The engine's clock, not ours, orders containers (the engine may be remote).
      if (step.fresh) step.fresh.created = Date.parse(inspected.Created) / 1000;
    }),
  );
}

/** New services get their real route at once (nothing served there before); replacements are checked on a staging route only this run's probes reach. */
async function stageAndWait(run: DeployRun, changing: ServiceStep[], token: string, waitDeadline: Deadline): Promise<void> {
  const { rt, ref, view } = run;
  const { plan: runPlan, logger } = rt.context;
  const stage: RouteWishes = new Map();
  for (const step of changing) {
    const port = step.port ?? 0;
    if (step.action === 'create') stage.set(routeId(ref, step.plan.service), liveRoute(routeId(ref, step.plan.service), step.plan.hosts, dial(rt, port), run.auth?.handler));
    else stage.set(stagingRouteId(ref, step.plan.service), stagingRoute(stagingRouteId(ref, step.plan.service), stagingToken(token, step.plan.service), dial(rt, port)));
  }
  if (stage.size && !runPlan.dryRun) await syncRoutes(syncContext(rt), view.server, stage, { ensureCatchAll: true });
  if (runPlan.dryRun || changing.length === 0) return;
  await logger.group(`wait for ${changing.map((s) => s.plan.service).join(', ')} through Caddy`, () =>
    waitServing(
      rt,
      view,
      changing.map((step): WaitTarget => ({ step, headers: step.action === 'replace' ? { [STAGING_HEADER]: stagingToken(token, step.plan.service) } : { ...run.auth?.headers } })),
      waitDeadline,
    ),
  );
}

/**
 * Every service's route to its serving container; staging routes, and routes of this preview's
 * services no longer configured, go away. On a no-op re-run this reads and writes nothing.
 */
async function switchRoutes(run: DeployRun, steps: ServiceStep[]): Promise<void> {
  const { rt, ref, view } = run;
  const final: RouteWishes = new Map();
  for (const step of steps) final.set(routeId(ref, step.plan.service), liveRoute(routeId(ref, step.plan.service), step.plan.hosts, dial(rt, step.port ?? 0), run.auth?.handler));
  for (const step of steps) if (step.action === 'replace') final.set(stagingRouteId(ref, step.plan.service), null);
  for (const route of view.config.routes ?? []) {
    const id = route['@id'];
    if (id && isPreviewRoute(id, ref) && !final.has(id)) final.set(id, null);
  }
  // Nothing written since Caddy was read (a re-run that keeps everything): decided from that read.
  await syncRoutes(syncContext(rt), view.server, final, { ensureCatchAll: true, initial: routesSnapshot(rt, view) });
}

export async function applySteps(run: DeployRun, steps: ServiceStep[], unconfigured: ContainerSummary[], source: SourceRef, url: string): Promise<DeployResult> {
  const { rt, ref } = run;
  const { logger, plan: runPlan, deadline } = rt.context;
  const changing = steps.filter((s) => s.action === 'create' || s.action === 'replace');
  const token = randomBytes(12).toString('hex');
  // Keep time to roll back if the new containers never answer.
  const reserve = Math.min(15_000, deadline.remaining() / 4);
  const waitDeadline = new Deadline(Math.max(1_000, deadline.remaining() - reserve), deadline.clock);

  try {
    await startContainers(run, steps, source);
    await stageAndWait(run, changing, token, waitDeadline);
    await switchRoutes(run, steps);
  } catch (error) {
    if (!runPlan.dryRun && changing.length) {
      await showLogs(rt, steps);
      await rollBack(run, steps);
      if (error instanceof ProviderError || error instanceof TimeoutError) {
        const kept = steps.some((s) => s.action === 'replace') ? '; rolled back, the previous containers still serve' : '; rolled back';
        throw Object.assign(error, { message: `${error.message}${kept}` });
      }
    }
    throw error;
  }

  if (!runPlan.dryRun) {
    const unverified = steps.filter((s) => s.action === 'keep' || s.action === 'start');
    if (unverified.length) await waitServing(rt, run.view, unverified.map((step) => ({ step, headers: { ...run.auth?.headers } })), deadline);
  }

  await cleanUp(run, steps, unconfigured);
  const imageCtx = { engine: rt.engine, plan: runPlan, logger, childEnv: rt.context.childEnv };
  // One tag per repository (services with the same build share one), looked up in parallel.
  const tags = new Map<string, ResolvedImage>();
  for (const step of steps) {
    if (!step.plan.build || runPlan.dryRun || tags.has(step.plan.build.repo)) continue;
    // The image the serving container runs: after a concurrent build of the same commit, the
    // commit's tag may name a twin of it.
    tags.set(step.plan.build.repo, (step.action === 'keep' || step.action === 'start') && step.current ? { ...step.image, id: step.current.ImageID } : step.image);
  }
  await settleAll([...tags].map(([repo, serving]) => tagForPreview(imageCtx, serving, repo, ref.name)));
  if (rt.settings.removeImages && !runPlan.dryRun) {
    const replaced = new Set(steps.filter((s) => s.action === 'replace' && s.current && s.current.ImageID !== s.image.id).map((s) => s.current!.ImageID));
    for (const id of replaced) await removeUnclaimedImage(imageCtx, id);
  }

  const primary = steps[0]!;
  const deployed = changing.length > 0;
  return {
    deployed,
    url,
    ...(deployed ? {} : { reason: `commit ${source.commit.slice(0, 12)} is already live` }),
    deployment: { id: primary.containerId ?? '', state: runPlan.dryRun ? 'pending' : 'ok', commit: source.commit },
  };
}
