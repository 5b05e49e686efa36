/**
 * What the provider's operations share: settings, the two API clients, and the reads every
 * operation starts with (Caddy's servers, the preview's network and containers).
 */
import { ProviderError, SafetyError } from '../../core/errors.js';
import type { CommonSettings } from '../../core/settings.js';
import type { ProviderContext } from '../types.js';
import { OWNER_MARKER } from '../types.js';
import type { CaddyAdmin } from './caddy-admin.js';
import { chooseServer, listenerOf, SERVERS_PATH, type CaddyServer, type Listener, type SyncContext } from './caddy-routes.js';
import type { ContainerInspect, ContainerSummary, DockerEngine, NetworkInspect } from './engine.js';
import { isOurs, LABEL } from './labels.js';
import { planServices, type PreviewIdentity, type ServicePlan } from './services.js';
import type { DockerSettings } from './settings.js';

export interface DockerRuntime {
  settings: DockerSettings;
  common: CommonSettings;
  context: ProviderContext;
  engine: DockerEngine;
  caddy: CaddyAdmin;
  /** Set when this run created the preview's network, so a failed first deploy can take it back. */
  createdNetwork?: boolean;
}

export interface CaddyView {
  servers: Record<string, CaddyServer>;
  server: string;
  config: CaddyServer;
  listener: Listener;
}

export function syncContext(rt: DockerRuntime): SyncContext {
  return { admin: rt.caddy, plan: rt.context.plan, logger: rt.context.logger, deadline: rt.context.deadline };
}

/** Reads Caddy's HTTP servers and picks ours. The first call of every mutating operation, so an unreachable Caddy stops us before anything is created. */
export async function readCaddy(rt: DockerRuntime): Promise<CaddyView> {
  const read = await rt.caddy.get<Record<string, CaddyServer> | null>(SERVERS_PATH, 'read the HTTP servers from the Caddy admin API');
  const servers = read.status === 404 ? {} : (read.body ?? {});
  const server = chooseServer(servers, rt.settings.caddyServer);
  const config = servers[server]!;
  return { servers, server, config, listener: listenerOf(config, rt.caddy.endpoint.host) };
}

export function identityOf(rt: DockerRuntime, name = rt.common.name, branch = rt.common.branch): PreviewIdentity {
  return { name, app: rt.common.app, ...(branch !== undefined ? { branch } : {}), ...(name === rt.common.name && rt.common.pr !== undefined ? { pr: rt.common.pr } : {}) };
}

export function servicePlans(rt: DockerRuntime, identity = identityOf(rt)): ServicePlan[] {
  return planServices(rt.settings, rt.common, identity);
}

export function canonicalName(name: string, service: string): string {
  return `${name}-${service}`;
}

export function serviceOf(c: ContainerSummary): string {
  return c.Labels?.[LABEL.service] ?? '';
}

export function nameOf(c: ContainerSummary): string {
  return (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
}

/** Host port a container publishes for `port`, from a list entry. */
export function publishedPort(c: ContainerSummary, port: number): number | undefined {
  return c.Ports?.find((p) => p.PrivatePort === port && p.PublicPort)?.PublicPort;
}

/** Host port from an inspect, where Docker reports it once the container runs. */
export function inspectedPort(c: ContainerInspect, port: number): number | undefined {
  const binding = c.NetworkSettings?.Ports?.[`${port}/tcp`]?.find((b) => b.HostPort && b.HostPort !== '0');
  return binding ? Number(binding.HostPort) : undefined;
}

export function networkLabels(rt: DockerRuntime, name: string): Record<string, string> {
  return {
    [LABEL.managedBy]: OWNER_MARKER,
    [LABEL.name]: name,
    [LABEL.app]: rt.common.app,
    ...(rt.common.branch ? { [LABEL.branch]: rt.common.branch } : {}),
  };
}

/** The preview's network, when it is ours. A network of that name without our labels is refused unless adopting. */
export async function ownNetwork(rt: DockerRuntime, name: string): Promise<NetworkInspect | undefined> {
  const net = await rt.engine.inspectNetwork(name);
  if (!net) return undefined;
  if (isOurs(net.Labels, name)) return net;
  if (rt.context.adopt) {
    rt.context.logger.warn(`network ${name} lacks preview-kit's labels; using it because of --adopt`);
    return net;
  }
  throw new SafetyError(`network ${name} exists but was not created by preview-kit`, {
    hint: 'remove or rename it, or pass --adopt to use it',
  });
}

/** Creates the preview's network unless it exists; a concurrent creation by another run is fine. */
export async function ensureNetwork(rt: DockerRuntime, name: string): Promise<{ network: NetworkInspect | undefined; created: boolean }> {
  const existing = await ownNetwork(rt, name);
  if (existing) return { network: existing, created: false };
  const target = `network ${name}`;
  // A dry run already planned it (ensure, then deploy): plan it once.
  if (rt.context.plan.dryRun && rt.context.plan.steps.some((s) => s.kind === 'create' && s.target === target)) return { network: undefined, created: true };
  try {
    await rt.context.plan.apply({ kind: 'create', target }, () => rt.engine.createNetwork(name, networkLabels(rt, name)), '');
  } catch (error) {
    if (!(error instanceof ProviderError) || (error.status !== 409 && !/already exists/i.test(error.message))) throw error;
    rt.context.logger.debug(`network ${name} appeared meanwhile (another run?); checking it`);
    const again = await ownNetwork(rt, name);
    if (!again) throw error;
    return { network: again, created: false };
  }
  if (rt.context.plan.dryRun) return { network: undefined, created: true };
  rt.createdNetwork = true;
  return { network: await rt.engine.inspectNetwork(name), created: true };
}
