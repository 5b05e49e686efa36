/**
 * Deploying a commit: every target judged first, then images, then one container per service,
 * replaced only when the commit or the container's settings changed. A new container is checked
 * through Caddy on a staging route before it gets the real hosts, so a failed deploy leaves the
 * old one serving.
 */
import { ensureResource } from '../reconcile.js';
import type { DeployResult, PreviewSpec, SourceRef } from '../types.js';
import { applySteps } from './apply-steps.js';
import { routeAuthOf } from './basic-auth.js';
import { publicUrl } from './caddy-routes.js';
import { containerBody } from './container-body.js';
import { acquireDeployLock, lockOf, removeStaleLock } from './deploy-lock.js';
import type { DeployRun, ServiceStep } from './deploy-steps.js';
import type { ContainerSummary } from './engine-types.js';
import { imageKey, knownImages, resolveImages } from './deploy-images.js';
import type { ResolvedImage } from './images.js';
import { isPreviewResource, LABEL } from './labels.js';
import { networkHooks, reconcileContext } from './network.js';
import { canonicalName, nameOf, previewContainers, publishedPort, readCaddy, serviceOf, servicePlans, writesSoFar, type DockerRuntime, type RunReads } from './runtime.js';
import { checkTargets, readTargets } from './targets.js';

/** The container a service is served by: the canonical name wins, else the newest. */
function pickCurrent(name: string, service: string, mine: ContainerSummary[]): ContainerSummary | undefined {
  const canonical = canonicalName(name, service);
  return mine.find((c) => nameOf(c) === canonical) ?? [...mine].sort((a, b) => b.Created - a.Created)[0];
}

/**
 * `known`: what ensure read moments ago in the same `up` (see freshReads). A re-run with nothing
 * to change then decides from those reads and makes no request of its own before the checks
 * through Caddy and the preview's image tags.
 */
export async function deployPreview(rt: DockerRuntime, spec: PreviewSpec, source: SourceRef, known?: RunReads): Promise<DeployResult> {
  const { plan: runPlan } = rt.context;
  const name = spec.name;
  const view = known?.view ?? (await readCaddy(rt));
  const plans = servicePlans(rt, spec);
  const auth = routeAuthOf(spec);
  const urls = Object.fromEntries(plans.map((p) => [p.service, publicUrl(p.hosts[0]!, view.listener)]));
  const url = urls[plans[0]!.service]!;
  // Nothing is written before every target is known to be ours.
  const targets = known ?? (await readTargets(rt, spec));
  const { network, strays } = await checkTargets(rt, spec, plans.map((p) => p.service), view.servers, targets);
  // A dry run already planned the network (ensure, then deploy): plan it once.
  const planned = runPlan.dryRun && runPlan.steps.some((s) => s.kind === 'create' && s.target === `network ${name}`);
  if (!planned) await ensureResource(networkHooks(rt, spec), reconcileContext(rt, spec), network);

  const configured = new Set(plans.map((p) => p.service));
  const decide = (containers: ContainerSummary[], images: Map<string, ResolvedImage>) => {
    const steps: ServiceStep[] = plans.map((plan) => {
      const image = images.get(imageKey(plan))!;
      const mine = containers.filter((c) => serviceOf(c) === plan.service);
      const current = pickCurrent(name, plan.service, mine);
      const { body, hash } = containerBody(rt, spec, { plan, image, url: urls[plan.service]!, urls, network: name, commit: source.commit });
      const others = [...mine.filter((c) => c !== current), ...strays.filter((s) => nameOf(s) === canonicalName(name, plan.service))];
      let action: ServiceStep['action'];
      const port = current ? publishedPort(current, plan.port) : undefined;
      if (!current) action = 'create';
      else if (source.force || current.Labels?.[LABEL.commit] !== source.commit || current.Labels?.[LABEL.configHash] !== hash) action = 'replace';
      else if (current.State !== 'running' || port === undefined) action = 'start';
      else action = 'keep';
      return { plan, image, url: urls[plan.service]!, body, hash, current, others, action, ...(action === 'keep' ? { containerId: current!.Id, port } : {}) };
    });
    // Containers of services no longer configured go once the new ones serve.
    return { steps, unconfigured: containers.filter((c) => !configured.has(serviceOf(c))) };
  };
  const allKept = (d: { steps: ServiceStep[] }) => d.steps.every((s) => s.action === 'keep');
  // The listing still holds when nothing was written since (no network made, nothing built).
  const listed = () => (targets.writes === writesSoFar(rt) ? Promise.resolve(targets.containers) : previewContainers(rt, spec));

  const run: DeployRun = { rt, ref: spec, view, ...(auth ? { auth } : {}) };
  let images = await knownImages(rt, spec, plans, source);
  let decided = images && decide(await listed(), images);
  if (!images || !decided || !allKept(decided)) {
    images = await resolveImages(rt, spec, plans, source);
    decided = decide(await listed(), images);
  }
  if (runPlan.dryRun) return applySteps(run, decided.steps, decided.unconfigured, source, url);
  if (allKept(decided)) {
    await removeStaleLock(rt, spec, lockOf(targets.networks, name));
    return applySteps(run, decided.steps, decided.unconfigured, source, url);
  }
  // Something changes: one run at a time. A run that waited decides again, since the other run
  // may have deployed this very commit meanwhile.
  const lock = await acquireDeployLock(rt, spec);
  try {
    decided = decide(await previewContainers(rt, spec), images);
    return await applySteps(run, decided.steps, decided.unconfigured, source, url);
  } finally {
    await lock.release();
  }
}

/**
 * A first deploy that failed (build error, container that never serves) leaves no preview
 * behind: the network the same `up` created goes again, unless some container already uses it.
 */
export async function dropNewEmptyNetwork(rt: DockerRuntime, spec: PreviewSpec): Promise<void> {
  const { plan, logger } = rt.context;
  try {
    if ((await previewContainers(rt, spec)).length > 0) return;
    const [network] = (await rt.engine.networksNamed(spec.name)).filter((n) => isPreviewResource(n.Labels, spec));
    if (!network) return;
    await plan.apply({ kind: 'delete', target: `network ${spec.name}`, detail: 'roll back: the first deploy failed' }, () => rt.engine.removeNetwork(network.Id), true);
  } catch (error) {
    logger.warn(`roll back: could not remove network ${spec.name}: ${(error as Error).message}`);
  }
}
