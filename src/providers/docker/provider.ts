/**
 * The Docker host + Caddy provider: a preview is a labelled network plus one labelled container
 * per service on a Docker Engine, and one Caddy route per service host.
 */
import type { CommonSettings } from '../../core/settings.js';
import type { DeployResult, DestroyResult, EnsureResult, ImagePruneOptions, Preview, PreviewDomain, PreviewSpec, Provider, ProviderContext, SourceRef } from '../types.js';
import { CaddyAdmin } from './caddy-admin.js';
import { liveRoute, publicUrl, routeId, syncRoutes, type Listener, type RouteWishes } from './caddy-routes.js';
import { deployPreview } from './deploy.js';
import { pruneOldImages } from './image-prune.js';
import { DockerEngine, type ContainerSummary, type NetworkInspect } from './engine.js';
import { isOurs, LABEL, OWNED, previewFilter } from './labels.js';
import { ensureNetwork, identityOf, nameOf, ownNetwork, publishedPort, readCaddy, serviceOf, servicePlans, syncContext, type DockerRuntime } from './runtime.js';
import type { DockerSettings } from './settings.js';
import { destroyPreview } from './teardown.js';

export interface DockerProviderInternals {
  /** Replaces the `ssh` binary used for `ssh://` engines (tests). */
  sshCommand?: string;
}

export class DockerProvider implements Provider {
  readonly id = 'docker' as const;
  readonly engine: DockerEngine;
  readonly caddy: CaddyAdmin;
  private readonly rt: DockerRuntime;
  private listenerCache: Listener | undefined;

  constructor(settings: DockerSettings, common: CommonSettings, context: ProviderContext, internals: DockerProviderInternals = {}) {
    this.engine = new DockerEngine({
      dockerHost: settings.dockerHost,
      logger: context.logger,
      deadline: context.deadline,
      ...(internals.sshCommand ? { sshCommand: internals.sshCommand } : {}),
    });
    this.caddy = new CaddyAdmin({ adminUrl: settings.caddyAdmin, logger: context.logger, deadline: context.deadline });
    this.rt = { settings, common, context, engine: this.engine, caddy: this.caddy };
  }

  /** For messages and URLs only: a Caddy that cannot be read gives plain http:// URLs here. */
  private async listener(): Promise<Listener | undefined> {
    if (!this.listenerCache) {
      try {
        this.listenerCache = (await readCaddy(this.rt)).listener;
      } catch (error) {
        this.rt.context.logger.debug(`Caddy not readable for the preview URL: ${(error as Error).message}`);
      }
    }
    return this.listenerCache;
  }

  private async previewOf(name: string, network: NetworkInspect | undefined, containers: ContainerSummary[]): Promise<Preview> {
    const branch = network?.Labels?.[LABEL.branch] ?? containers[0]?.Labels?.[LABEL.branch];
    const app = network?.Labels?.[LABEL.app] ?? containers[0]?.Labels?.[LABEL.app];
    let plans;
    try {
      plans = servicePlans(this.rt, identityOf(this.rt, name, branch));
    } catch {
      plans = undefined;
    }
    const listener = await this.listener();
    const urlOf = (host: string) => (listener ? publicUrl(host, listener) : `http://${host}`);
    const domains: PreviewDomain[] = (plans ?? []).flatMap((p) => p.hosts.map((host) => ({ host })));
    const primary = containers.find((c) => serviceOf(c) === plans?.[0]?.service) ?? containers[0];
    const created = [network?.Created, ...containers.map((c) => new Date(c.Created * 1000).toISOString())].filter((d): d is string => !!d).sort()[0];
    const running = containers.length > 0 && containers.every((c) => c.State === 'running');
    return {
      name,
      id: network?.Id ?? primary?.Id ?? name,
      url: plans?.[0]?.hosts[0] ? urlOf(plans[0].hosts[0]) : '',
      domains,
      ...(branch ? { branch } : {}),
      ...(app ? { app } : {}),
      ...(created ? { createdAt: created } : {}),
      ...(primary
        ? {
            lastDeployment: {
              id: primary.Id,
              state: running ? 'ok' : primary.State,
              ...(primary.Labels?.[LABEL.commit] ? { commit: primary.Labels[LABEL.commit] } : {}),
              createdAt: new Date(primary.Created * 1000).toISOString(),
            },
          }
        : {}),
      details: {
        network: network?.Name,
        containers: containers.map((c) => ({
          name: nameOf(c),
          service: serviceOf(c),
          state: c.State,
          commit: c.Labels?.[LABEL.commit],
          port: plans?.find((p) => p.service === serviceOf(c)) ? publishedPort(c, plans.find((p) => p.service === serviceOf(c))!.port) : undefined,
        })),
      },
    };
  }

  async find(name: string): Promise<Preview | undefined> {
    const network = await ownNetwork(this.rt, name);
    const containers = await this.engine.listContainers(previewFilter(name));
    if (!network && containers.length === 0) return undefined;
    return this.previewOf(name, network, containers);
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    // Caddy first: when it is unreachable nothing gets created on the engine.
    this.listenerCache = (await readCaddy(this.rt)).listener;
    const { network, created } = await ensureNetwork(this.rt, spec.name);
    const containers = await this.engine.listContainers(previewFilter(spec.name));
    const preview = await this.previewOf(spec.name, network, containers);
    return { preview, created, changed: false };
  }

  /** Routes need the containers' ports, so hosts take effect at deploy; here only running services are re-routed. */
  async setDomains(preview: Preview, _spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const view = await readCaddy(this.rt);
    this.listenerCache = view.listener;
    const plans = servicePlans(this.rt);
    const domains = plans.flatMap((p) => p.hosts.map((host) => ({ host })));
    const containers = await this.engine.listContainers(previewFilter(preview.name));
    const wishes: RouteWishes = new Map();
    for (const plan of plans) {
      const c = containers.find((x) => serviceOf(x) === plan.service && x.State === 'running' && nameOf(x) === `${preview.name}-${plan.service}`);
      const port = c ? publishedPort(c, plan.port) : undefined;
      if (port === undefined) continue;
      const id = routeId(preview.name, plan.service);
      wishes.set(id, liveRoute(id, plan.hosts, `${this.rt.settings.upstreamHost}:${port}`));
    }
    if (wishes.size === 0) return { changed: false, domains };
    const written = await syncRoutes(syncContext(this.rt), view.server, wishes, { ensureCatchAll: true });
    return { changed: written.length > 0, domains };
  }

  async deploy(_preview: Preview, source: SourceRef): Promise<DeployResult> {
    try {
      return await deployPreview(this.rt, source);
    } catch (error) {
      await this.dropNewEmptyNetwork();
      throw error;
    }
  }

  /**
   * A first deploy that failed (build error, container that never serves) leaves no preview
   * behind: the network this run created goes again, unless some container already uses it.
   */
  private async dropNewEmptyNetwork(): Promise<void> {
    const { plan, logger } = this.rt.context;
    const name = this.rt.common.name;
    if (!this.rt.createdNetwork || plan.dryRun) return;
    try {
      if ((await this.engine.listContainers(previewFilter(name))).length > 0) return;
      await plan.apply({ kind: 'delete', target: `network ${name}`, detail: 'roll back: the first deploy failed' }, () => this.engine.removeNetwork(name), true);
      this.rt.createdNetwork = false;
    } catch (error) {
      logger.warn(`roll back: could not remove network ${name}: ${(error as Error).message}`);
    }
  }

  destroy(name: string): Promise<DestroyResult> {
    return destroyPreview(this.rt, name);
  }

  /** `prune --ttl`: old images of the project that no container uses (see image-prune.ts). */
  pruneImages(olderThanMs: number, options: ImagePruneOptions): Promise<string[]> {
    const { plan, logger } = this.rt.context;
    return pruneOldImages({ engine: this.engine, plan, logger }, olderThanMs, options);
  }

  async list(): Promise<Preview[]> {
    const networks = await this.engine.listNetworks([OWNED]);
    const containers = await this.engine.listContainers([OWNED, LABEL.name]);
    const names = new Set<string>();
    for (const n of networks) if (n.Labels?.[LABEL.name] && isOurs(n.Labels, n.Labels[LABEL.name]!) && n.Name === n.Labels[LABEL.name]) names.add(n.Name);
    for (const c of containers) if (c.Labels?.[LABEL.name]) names.add(c.Labels[LABEL.name]!);
    const previews: Preview[] = [];
    for (const name of [...names].sort()) {
      previews.push(
        await this.previewOf(
          name,
          networks.find((n) => n.Name === name),
          containers.filter((c) => c.Labels?.[LABEL.name] === name),
        ),
      );
    }
    return previews;
  }
}

export function createDockerProvider(settings: DockerSettings, common: CommonSettings, context: ProviderContext, internals?: DockerProviderInternals): DockerProvider {
  return new DockerProvider(settings, common, context, internals);
}
