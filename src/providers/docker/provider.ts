/**
 * The Docker host + Caddy provider: a preview is a labelled network plus one labelled container
 * per service on a Docker Engine, and one Caddy route per service host. Everything about one
 * preview comes with each call (its ref or spec); the provider object holds only the clients.
 */
import { AuthError } from '../../core/errors.js';
import { ensureResource, findResource } from '../reconcile.js';
import type { DeployResult, DestroyResult, EnsureResult, ImagePruneOptions, Preview, PreviewDomain, PreviewRef, PreviewSpec, Provider, ProviderContext, SleepResult, SourceRef } from '../types.js';
import { routeAuthOf } from './basic-auth.js';
import { CaddyAdmin } from './caddy-admin.js';
import { liveRoute, routeId, syncRoutes, type RouteWishes } from './caddy-routes.js';
import { deployPreview, dropNewEmptyNetwork } from './deploy.js';
import { DockerEngine } from './engine.js';
import { pruneOldImages } from './image-prune.js';
import { LABEL, OWNED } from './labels.js';
import { networkHooks, PLANNED_NETWORK_ID, reconcileContext } from './network.js';
import { groupPreviews, previewOf } from './preview-view.js';
import { asleepRoute, findRoute, isAsleepRoute } from './route-shapes.js';
import { freshReads, nameOf, previewContainers, publishedPort, readCaddy, routesSnapshot, carryReads, serviceOf, servicePlans, syncContext, type CaddyView, type DockerPreview, type DockerRuntime } from './runtime.js';
import type { DockerSettings } from './settings.js';
import { checkTargets, readTargets, refuseOtherRoutes } from './targets.js';
import { plannedSleep, sleepPreview, wakePreview } from './sleep.js';
import { destroyPreview, plannedTeardown } from './teardown.js';

export interface DockerProviderInternals {
  /** Replaces the `ssh` binary used for `ssh://` engines (tests). */
  sshCommand?: string;
}

export class DockerProvider implements Provider {
  readonly id = 'docker' as const;
  readonly engine: DockerEngine;
  readonly caddy: CaddyAdmin;
  private readonly rt: DockerRuntime;

  constructor(settings: DockerSettings, context: ProviderContext, internals: DockerProviderInternals = {}) {
    this.engine = new DockerEngine({
      dockerHost: settings.dockerHost,
      logger: context.logger,
      deadline: context.deadline,
      ...(internals.sshCommand ? { sshCommand: internals.sshCommand } : {}),
      ...(context.childEnv ? { childEnv: context.childEnv } : {}),
    });
    this.caddy = new CaddyAdmin({ adminUrl: settings.caddyAdmin, logger: context.logger, deadline: context.deadline });
    this.rt = { settings, context, engine: this.engine, caddy: this.caddy };
  }

  /** For URLs and hosts only: a Caddy that cannot be read gives plain http:// URLs (a refusal still fails). */
  private async caddyForUrls(): Promise<CaddyView | undefined> {
    try {
      return await readCaddy(this.rt);
    } catch (error) {
      if (error instanceof AuthError) throw error;
      this.rt.context.logger.debug(`Caddy not readable for the preview URL: ${(error as Error).message}`);
      return undefined;
    }
  }

  async find(ref: PreviewRef): Promise<Preview | undefined> {
    const network = await findResource(networkHooks(this.rt, ref), reconcileContext(this.rt, ref));
    const containers = await previewContainers(this.rt, ref);
    if (!network && containers.length === 0) return undefined;
    const view = await this.caddyForUrls();
    return previewOf(this.rt, { name: ref.name, key: ref.key, ...(network ? { network } : {}), containers, ...(view ? { view } : {}) });
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    const at = this.rt.context.deadline.clock.now();
    // Caddy first: when it is unreachable nothing gets created on the engine.
    const view = await readCaddy(this.rt);
    const plans = servicePlans(this.rt, spec);
    // A password Caddy could not check fails here, before anything is written.
    const auth = routeAuthOf(spec);
    // Every target (network, each service's container, the routes) is judged before the first write.
    const targets = await readTargets(this.rt, spec);
    const { network } = await checkTargets(this.rt, spec, plans.map((p) => p.service), view.servers, targets);
    const outcome = await ensureResource(networkHooks(this.rt, spec), reconcileContext(this.rt, spec), network);
    const planned = outcome.planned === true || outcome.id === PLANNED_NETWORK_ID;
    let containers = planned ? [] : targets.containers;
    const woken = await wakePreview(this.rt, spec, view, containers, auth);
    if (woken && !this.rt.context.plan.dryRun) containers = await previewContainers(this.rt, spec);
    const preview: DockerPreview = carryReads(
      { ...previewOf(this.rt, { name: spec.name, key: spec.key, ...(planned ? {} : { network: outcome.item }), containers, view }), ...(planned ? { id: outcome.id } : {}) },
      spec,
      view,
      targets,
      at,
    );
    if (outcome.created && !planned) preview.networkCreated = true;
    return { preview, created: outcome.created, changed: outcome.changed || woken };
  }

  /**
   * Routes need the containers' ports, so hosts take effect at deploy; here only running services
   * are re-routed, and the asleep page of sleeping ones follows the hosts and protection asked for.
   */
  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const reads = freshReads(this.rt, spec, preview);
    const view = reads?.view ?? (await readCaddy(this.rt));
    const plans = servicePlans(this.rt, spec);
    const auth = routeAuthOf(spec);
    const domains = plans.flatMap((p) => p.hosts.map((host) => ({ host })));
    refuseOtherRoutes(view.servers, spec);
    const containers = reads?.containers ?? (await previewContainers(this.rt, spec));
    const wishes: RouteWishes = new Map();
    for (const plan of plans) {
      const id = routeId(spec, plan.service);
      const c = containers.find((x) => serviceOf(x) === plan.service && nameOf(x) === `${preview.name}-${plan.service}`);
      if (c && c.State !== 'running' && isAsleepRoute(findRoute(view.config.routes, id))) {
        wishes.set(id, asleepRoute(id, plan.hosts, auth?.handler));
        continue;
      }
      const port = c && c.State === 'running' ? publishedPort(c, plan.port) : undefined;
      if (port === undefined) continue;
      wishes.set(id, liveRoute(id, plan.hosts, `${this.rt.settings.upstreamHost}:${port}`, auth?.handler));
    }
    if (wishes.size === 0) return { changed: false, domains };
    const written = await syncRoutes(syncContext(this.rt), view.server, wishes, { ensureCatchAll: true, initial: routesSnapshot(this.rt, view) });
    return { changed: written.length > 0, domains };
  }

  async deploy(preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
    try {
      return await deployPreview(this.rt, spec, source, freshReads(this.rt, spec, preview));
    } catch (error) {
      // Only the `up` that made the network takes it back (ensure said so in the preview).
      if ((preview as DockerPreview).networkCreated && !this.rt.context.plan.dryRun) await dropNewEmptyNetwork(this.rt, spec);
      throw error;
    }
  }

  /** With `known` (prune, the fleet cap) a dry run plans from the listing; a real run always reads first. */
  destroy(ref: PreviewRef, known?: Preview): Promise<DestroyResult> {
    return (known && plannedTeardown(this.rt, ref, known)) || destroyPreview(this.rt, ref);
  }

  /** `prune --ttl`: old images of the project that no container uses (see image-prune.ts). */
  pruneImages(olderThanMs: number, options: ImagePruneOptions): Promise<string[]> {
    const { plan, logger } = this.rt.context;
    return pruneOldImages({ engine: this.engine, plan, logger }, olderThanMs, options);
  }

  /**
   * Three reads, however many previews: our containers (state, commit, last deploy) and our networks
   * (identity, creation, deploy locks) by label filter — containers first, whose answer says whether
   * the engine is podman (see listNetworks) — and Caddy's servers once (URLs, asleep pages).
   */
  async list(): Promise<Preview[]> {
    const containers = await this.engine.listContainers([OWNED, LABEL.name]);
    const networks = await this.engine.listNetworks([OWNED]);
    const groups = groupPreviews(networks, containers);
    const view = groups.length ? await this.caddyForUrls() : undefined;
    return groups.map((group) => previewOf(this.rt, { ...group, ...(view ? { view } : {}) }));
  }

  /** Stops the containers and shows the asleep page on the preview's hosts; nothing when asleep already or absent. */
  sleep(ref: PreviewRef, known?: Preview): Promise<SleepResult> {
    return (known && plannedSleep(this.rt, known)) || sleepPreview(this.rt, ref);
  }
}

export function createDockerProvider(settings: DockerSettings, context: ProviderContext, internals?: DockerProviderInternals): DockerProvider {
  return new DockerProvider(settings, context, internals);
}
