/**
 * Deploying a commit: images first, then one container per service, replaced only when the
 * commit or the container's settings changed. A new container is checked through Caddy on a
 * staging route before it gets the real hosts, so a failed deploy leaves the old one serving.
 */
import { randomBytes } from 'node:crypto';
import { ProviderError, SafetyError, TimeoutError } from '../../core/errors.js';
import { Deadline, poll } from '../../core/retry.js';
import type { DeployResult, SourceRef } from '../types.js';
import { OWNER_MARKER } from '../types.js';
import { liveRoute, previewRoutePattern, publicUrl, routeId, routesPath, stagingRoute, stagingRouteId, stagingToken, STAGING_HEADER, syncRoutes, type CaddyRoute, type RouteWishes } from './caddy-routes.js';
import type { ContainerSummary } from './engine.js';
import { acquireDeployLock } from './deploy-lock.js';
import { prepareBuiltImage, preparePrebuiltImage, removeUnclaimedImage, tagForPreview, type ResolvedImage } from './images.js';
import { hashOf, isOurs, LABEL, previewFilter } from './labels.js';
import { isServing, probe } from './probe.js';
import { canonicalName, ensureNetwork, inspectedPort, nameOf, publishedPort, readCaddy, serviceOf, servicePlans, syncContext, type CaddyView, type DockerRuntime } from './runtime.js';
import type { ServicePlan } from './services.js';

/** Bumped when the shape of the containers we create changes, so old ones get replaced. */
const CONTAINER_SHAPE = 1;

interface ServiceStep {
  plan: ServicePlan;
  image: ResolvedImage;
  url: string;
  hash: string;
  body: Record<string, unknown>;
  /** The container serving now, if any. */
  current?: ContainerSummary;
  /** Other containers of this service (crashed runs, adopted strays). */
  others: ContainerSummary[];
  action: 'keep' | 'start' | 'create' | 'replace';
  /** Set once the container that will serve is known. */
  containerId?: string;
  port?: number;
  /** The new container, while it is still under its temporary name. */
  fresh?: { id: string; name: string; created: number };
}

/**
 * Like Promise.all, but waits for every task before throwing the first failure, so a rollback
 * never runs while a sibling is still creating something it would miss.
 */
async function settleAll<T>(tasks: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function envNameOf(service: string): string {
  return service.toUpperCase();
}

function containerBody(rt: DockerRuntime, step: Omit<ServiceStep, 'body' | 'hash' | 'action' | 'others'>, urls: Record<string, string>, network: string, commit: string): { body: Record<string, unknown>; hash: string } {
  const { plan, image } = step;
  const name = rt.common.name;
  const env: Record<string, string> = {
    ...plan.env,
    PREVIEW_NAME: name,
    PREVIEW_URL: step.url,
    ...Object.fromEntries(Object.entries(urls).map(([service, url]) => [`PREVIEW_URL_${envNameOf(service)}`, url])),
  };
  const portKey = `${plan.port}/tcp`;
  const shape = {
    shape: CONTAINER_SHAPE,
    image: image.identity,
    env,
    command: plan.command,
    port: plan.port,
    publishHost: rt.settings.publishHost,
    network,
    service: plan.service,
  };
  const hash = hashOf(shape);
  const labels: Record<string, string> = {
    [LABEL.managedBy]: OWNER_MARKER,
    [LABEL.name]: name,
    [LABEL.app]: rt.common.app,
    ...(rt.common.branch ? { [LABEL.branch]: rt.common.branch } : {}),
    [LABEL.service]: plan.service,
    [LABEL.commit]: commit,
    [LABEL.configHash]: hash,
  };
  const body: Record<string, unknown> = {
    Image: image.id.startsWith('sha256:dry-run') ? image.ref : image.id,
    Env: Object.entries(env)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ExposedPorts: { [portKey]: {} },
    HostConfig: {
      NetworkMode: network,
      // An empty HostPort lets the engine pick a free port: no scanning, no race between previews.
      PortBindings: { [portKey]: [{ HostIp: rt.settings.publishHost, HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped' },
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [plan.service] } } },
    ...(plan.command ? { Cmd: plan.command } : {}),
  };
  return { body, hash };
}

function dial(rt: DockerRuntime, port: number): string {
  return `${rt.settings.upstreamHost}:${port}`;
}

/** The container a service is served by: the canonical name wins, else the newest. */
function pickCurrent(name: string, service: string, mine: ContainerSummary[]): ContainerSummary | undefined {
  const canonical = canonicalName(name, service);
  return mine.find((c) => nameOf(c) === canonical) ?? [...mine].sort((a, b) => b.Created - a.Created)[0];
}

async function checkCanonicalNames(rt: DockerRuntime, plans: ServicePlan[]): Promise<ContainerSummary[]> {
  const strays: ContainerSummary[] = [];
  for (const plan of plans) {
    const canonical = canonicalName(rt.common.name, plan.service);
    const found = await rt.engine.inspectContainer(canonical);
    if (!found || isOurs(found.Config?.Labels, rt.common.name)) continue;
    if (!rt.context.adopt) {
      throw new SafetyError(`container ${canonical} exists but was not created by preview-kit`, { hint: 'remove or rename it, or pass --adopt to replace it' });
    }
    rt.context.logger.warn(`container ${canonical} lacks preview-kit's labels; replacing it because of --adopt`);
    strays.push({ Id: found.Id, Names: [found.Name], Image: found.Image, ImageID: found.Image, Created: Date.parse(found.Created) / 1000, State: found.State.Status, Labels: found.Config?.Labels ?? {} });
  }
  return strays;
}

/** Decides every image at once (reads only), then builds or pulls the missing ones in parallel. */
async function resolveImages(rt: DockerRuntime, plans: ServicePlan[], source: SourceRef): Promise<Map<string, ResolvedImage>> {
  const ctx = { engine: rt.engine, plan: rt.context.plan, logger: rt.context.logger };
  const unique = [...new Map(plans.map((p) => [keyOf(p), p])).values()];
  const prepared = await Promise.all(
    unique.map((plan) => (plan.build ? prepareBuiltImage(ctx, plan.build, source, rt.common.app) : preparePrebuiltImage(ctx, plan.image!))),
  );
  const resolved = await Promise.all(
    prepared.map((p, i) => p.ready ?? rt.context.logger.group(`${unique[i]!.build ? 'build' : 'pull'} ${keyOf(unique[i]!)}`, p.make)),
  );
  return new Map(unique.map((plan, i) => [keyOf(plan), resolved[i]!]));
}

function keyOf(plan: ServicePlan): string {
  return plan.build ? plan.build.repo : `image ${plan.image}`;
}

interface WaitTarget {
  step: ServiceStep;
  headers: Record<string, string>;
}

/** Polls each service through Caddy until it answers; a container that exits fails at once. */
async function waitServing(rt: DockerRuntime, view: CaddyView, targets: WaitTarget[], deadline: Deadline): Promise<void> {
  await Promise.all(
    targets.map(async ({ step, headers }) => {
      const host = step.plan.hosts[0]!;
      const where = `${view.listener.tls ? 'https' : 'http'}://${view.listener.host}:${view.listener.port}${step.plan.healthPath} (Host: ${host})`;
      let last = 'no answer yet';
      try {
        await poll(
          async () => {
            const result = await probe(view.listener, host, step.plan.healthPath, headers, Math.min(10_000, Math.max(500, deadline.remaining())));
            last = result.summary;
            rt.context.logger.debug(`probe ${step.plan.service} (Host: ${host}${headers[STAGING_HEADER] ? ', staging' : ''}): ${result.summary}`);
            if (isServing(result)) return true;
            const id = step.containerId;
            if (id && (result.status === undefined || result.status >= 500)) {
              const c = await rt.engine.inspectContainer(id);
              if (c && !c.State.Running) {
                throw new ProviderError(`service ${step.plan.service}: container exited with code ${c.State.ExitCode}${c.State.Error ? ` (${c.State.Error})` : ''}`, {
                  hint: 'see the container output above',
                });
              }
            }
            return undefined;
          },
          {
            deadline,
            what: `service ${step.plan.service} to answer through Caddy at ${where}`,
            initialMs: 100,
            maxMs: 2_000,
            onWait: (elapsed) => rt.context.logger.progress(`${step.plan.service}: ${last} after ${(elapsed / 1000).toFixed(1)}s`),
          },
        );
      } catch (error) {
        if (error instanceof TimeoutError) {
          throw new TimeoutError(`service ${step.plan.service} did not answer through Caddy at ${where}: last ${last}`, { hint: 'check the container output above, --health-path, and the service port' });
        }
        throw error;
      }
    }),
  );
}

async function showLogs(rt: DockerRuntime, steps: ServiceStep[]): Promise<void> {
  for (const step of steps) {
    if (!step.fresh) continue;
    const logs = (await rt.engine.containerLogs(step.fresh.id)).trim();
    if (logs) rt.context.logger.info(`last output of ${step.plan.service} (${step.fresh.name}):\n  ${logs.split('\n').slice(-20).join('\n  ')}`);
  }
}

/**
 * Puts routes back as they were (new services unrouted, replaced ones dialling their old
 * container, no staging routes) and removes the containers this run created.
 */
async function rollBack(rt: DockerRuntime, view: CaddyView, steps: ServiceStep[]): Promise<void> {
  const { logger, plan } = rt.context;
  const name = rt.common.name;
  const restore: RouteWishes = new Map();
  for (const step of steps) {
    const live = routeId(name, step.plan.service);
    if (step.action === 'create') restore.set(live, null);
    if (step.action !== 'replace') continue;
    restore.set(stagingRouteId(name, step.plan.service), null);
    const oldPort = step.current ? publishedPort(step.current, step.plan.port) : undefined;
    if (oldPort !== undefined) restore.set(live, liveRoute(live, step.plan.hosts, dial(rt, oldPort)));
  }
  if (restore.size) {
    try {
      await syncRoutes(syncContext(rt), view.server, restore, { ensureCatchAll: false });
    } catch (error) {
      logger.warn(`roll back: could not restore the Caddy routes of ${name}: ${(error as Error).message}`);
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

/** The host port a route dials, from its first upstream. */
function dialedPort(route: CaddyRoute | undefined): number | undefined {
  const upstreams = (route?.handle?.[0] as { upstreams?: Array<{ dial?: string }> } | undefined)?.upstreams;
  const m = /:(\d+)$/.exec(upstreams?.[0]?.dial ?? '');
  return m ? Number(m[1]) : undefined;
}

export async function deployPreview(rt: DockerRuntime, source: SourceRef): Promise<DeployResult> {
  const { plan: runPlan } = rt.context;
  const name = rt.common.name;
  const view = await readCaddy(rt);
  const plans = servicePlans(rt);
  const urls = Object.fromEntries(plans.map((p) => [p.service, publicUrl(p.hosts[0]!, view.listener)]));
  const url = urls[plans[0]!.service]!;
  await ensureNetwork(rt, name);
  const strays = await checkCanonicalNames(rt, plans);
  const images = await resolveImages(rt, plans, source);

  const configured = new Set(plans.map((p) => p.service));
  const decide = (containers: ContainerSummary[]) => {
    const steps: ServiceStep[] = plans.map((plan) => {
      const image = images.get(keyOf(plan))!;
      const mine = containers.filter((c) => serviceOf(c) === plan.service);
      const current = pickCurrent(name, plan.service, mine);
      const base = { plan, image, url: urls[plan.service]! };
      const { body, hash } = containerBody(rt, base, urls, name, source.commit);
      const others = [...mine.filter((c) => c !== current), ...strays.filter((s) => nameOf(s) === canonicalName(name, plan.service))];
      let action: ServiceStep['action'];
      const port = current ? publishedPort(current, plan.port) : undefined;
      if (!current) action = 'create';
      else if (source.force || current.Labels?.[LABEL.commit] !== source.commit || current.Labels?.[LABEL.configHash] !== hash) action = 'replace';
      else if (current.State !== 'running' || port === undefined) action = 'start';
      else action = 'keep';
      return { ...base, body, hash, current, others, action, ...(action === 'keep' ? { containerId: current!.Id, port } : {}) };
    });
    // Containers of services no longer configured go once the new ones serve.
    return { steps, unconfigured: containers.filter((c) => !configured.has(serviceOf(c))) };
  };

  let decided = decide(await rt.engine.listContainers(previewFilter(name)));
  if (runPlan.dryRun || decided.steps.every((s) => s.action === 'keep')) return applySteps(rt, view, decided.steps, decided.unconfigured, source, url);
  // Something changes: one run at a time. A run that waited decides again, since the other run
  // may have deployed this very commit meanwhile.
  const lock = await acquireDeployLock(rt, name);
  try {
    decided = decide(await rt.engine.listContainers(previewFilter(name)));
    return await applySteps(rt, view, decided.steps, decided.unconfigured, source, url);
  } finally {
    await lock.release();
  }
}

async function applySteps(rt: DockerRuntime, view: CaddyView, steps: ServiceStep[], unconfigured: ContainerSummary[], source: SourceRef, url: string): Promise<DeployResult> {
  const { logger, plan: runPlan, deadline } = rt.context;
  const name = rt.common.name;
  const changing = steps.filter((s) => s.action === 'create' || s.action === 'replace');
  const token = randomBytes(12).toString('hex');
  const stagingIds = steps.filter((s) => s.action === 'replace').map((s) => stagingRouteId(name, s.plan.service));
  // Keep time to roll back if the new containers never answer.
  const reserve = Math.min(15_000, deadline.remaining() / 4);
  const waitDeadline = new Deadline(Math.max(1_000, deadline.remaining() - reserve), deadline.clock);

  try {
    // One service's create/start does not wait for another's; plan steps still go in service order.
    await settleAll(
      steps.map(async (step) => {
        if (step.action === 'start') {
          await runPlan.apply({ kind: 'update', target: `container ${nameOf(step.current!)}`, detail: 'start' }, () => rt.engine.startContainer(step.current!.Id), undefined);
          step.containerId = step.current!.Id;
        }
        if (step.action !== 'create' && step.action !== 'replace') return;
        const tempName = `${canonicalName(name, step.plan.service)}-${source.commit.slice(0, 7)}-${randomBytes(3).toString('hex')}`;
        step.containerId = await runPlan.apply(
          {
            kind: step.action === 'create' ? 'create' : 'update',
            target: `container ${canonicalName(name, step.plan.service)}`,
            detail: `${source.commit.slice(0, 7)}${step.action === 'replace' ? ', replacing the running one' : ''}`,
          },
          async () => {
            const created = await rt.engine.createContainer(tempName, step.body);
            step.fresh = { id: created, name: tempName, created: Date.now() / 1000 };
            await rt.engine.startContainer(created);
            return created;
          },
          `dry-run-${step.plan.service}`,
        );
      }),
    );
    if (!runPlan.dryRun) {
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
    // New services get their real route at once (nothing served there before); replacements are
    // checked on a staging route only this run's probes can reach.
    const stage: RouteWishes = new Map();
    for (const step of changing) {
      const port = step.port ?? 0;
      if (step.action === 'create') stage.set(routeId(name, step.plan.service), liveRoute(routeId(name, step.plan.service), step.plan.hosts, dial(rt, port)));
      else stage.set(stagingRouteId(name, step.plan.service), stagingRoute(stagingRouteId(name, step.plan.service), stagingToken(token, step.plan.service), dial(rt, port)));
    }
    if (stage.size && !runPlan.dryRun) await syncRoutes(syncContext(rt), view.server, stage, { ensureCatchAll: true });
    if (!runPlan.dryRun && changing.length) {
      await logger.group(`wait for ${changing.map((s) => s.plan.service).join(', ')} through Caddy`, () =>
        waitServing(
          rt,
          view,
          changing.map((step): WaitTarget => ({ step, headers: step.action === 'replace' ? { [STAGING_HEADER]: stagingToken(token, step.plan.service) } : {} })),
          waitDeadline,
        ),
      );
    }
    // Switch: every service's route to its serving container; staging routes and routes of
    // services no longer configured go away. On a no-op re-run this reads and writes nothing.
    const final: RouteWishes = new Map();
    for (const step of steps) final.set(routeId(name, step.plan.service), liveRoute(routeId(name, step.plan.service), step.plan.hosts, dial(rt, step.port ?? 0)));
    for (const id of stagingIds) final.set(id, null);
    const pattern = previewRoutePattern(name);
    for (const route of view.config.routes ?? []) {
      const id = route['@id'];
      if (id && pattern.test(id) && !final.has(id)) final.set(id, null);
    }
    await syncRoutes(syncContext(rt), view.server, final, { ensureCatchAll: true });
  } catch (error) {
    if (!runPlan.dryRun && changing.length) {
      await showLogs(rt, steps);
      await rollBack(rt, view, steps);
      if (error instanceof ProviderError || error instanceof TimeoutError) {
        const kept = steps.some((s) => s.action === 'replace') ? '; rolled back, the previous containers still serve' : '; rolled back';
        throw Object.assign(error, { message: `${error.message}${kept}` });
      }
    }
    throw error;
  }

  if (!runPlan.dryRun) {
    const unverified = steps.filter((s) => s.action === 'keep' || s.action === 'start');
    if (unverified.length) await waitServing(rt, view, unverified.map((step) => ({ step, headers: {} })), deadline);
  }

  await cleanUp(rt, view, steps, unconfigured);
  const imageCtx = { engine: rt.engine, plan: runPlan, logger };
  for (const step of steps) {
    if (!step.plan.build || runPlan.dryRun) continue;
    // The image the serving container runs: after a concurrent build of the same commit, the
    // commit's tag may name a twin of it.
    const serving = (step.action === 'keep' || step.action === 'start') && step.current ? { ...step.image, id: step.current.ImageID } : step.image;
    await tagForPreview(imageCtx, serving, step.plan.build.repo, name);
  }
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

/**
 * Removes what no longer serves: replaced containers, leftovers of crashed runs, services no
 * longer configured. A container the live route dials is never removed, and one newer than ours
 * belongs to a concurrent run that cleans up after itself.
 */
async function cleanUp(rt: DockerRuntime, view: CaddyView, steps: ServiceStep[], unconfigured: ContainerSummary[]): Promise<void> {
  const { plan } = rt.context;
  const name = rt.common.name;
  let routes: CaddyRoute[] = view.config.routes ?? [];
  if (!plan.dryRun && steps.some((s) => s.others.length || s.action === 'replace' || s.fresh)) {
    routes = (await rt.caddy.get<CaddyRoute[] | null>(routesPath(view.server), 'read Caddy routes')).body ?? [];
  }
  const removals: Array<Promise<unknown>> = [];
  const remove = (c: { Id: string }, label: string, detail?: string) =>
    removals.push(plan.apply({ kind: 'delete', target: `container ${label}`, ...(detail ? { detail } : {}) }, () => rt.engine.removeContainer(c.Id), true));
  const renames: Array<() => Promise<void>> = [];
  for (const step of steps) {
    const target = dialedPort(routes.find((r) => r['@id'] === routeId(name, step.plan.service)));
    const reference = step.fresh?.created ?? step.current?.Created ?? Number.POSITIVE_INFINITY;
    const candidates = [...(step.action === 'replace' && step.current ? [step.current] : []), ...step.others];
    for (const c of candidates) {
      if (!plan.dryRun && target !== undefined && publishedPort(c, step.plan.port) === target) continue;
      if (c.Created > reference + 1) continue;
      remove(c, nameOf(c));
    }
    const fresh = step.fresh;
    if (!fresh || plan.dryRun) continue;
    if (target !== undefined && target !== step.port) {
      rt.context.logger.warn(`service ${step.plan.service}: another run switched the route meanwhile; removing this run's container`);
      remove({ Id: fresh.id }, fresh.name);
      continue;
    }
    const canonical = canonicalName(name, step.plan.service);
    renames.push(async () => {
      try {
        await plan.apply({ kind: 'update', target: `container ${fresh.name}`, detail: `rename to ${canonical}` }, () => rt.engine.renameContainer(fresh.id, canonical), undefined);
      } catch (error) {
        rt.context.logger.warn(`could not rename ${fresh.name} to ${canonical}: ${(error as Error).message}`);
      }
    });
  }
  for (const c of unconfigured) remove(c, nameOf(c), 'service no longer configured');
  // Renames wait for the removals: the old container still holds the canonical name.
  await settleAll(removals);
  await settleAll(renames.map((rename) => rename()));
}
