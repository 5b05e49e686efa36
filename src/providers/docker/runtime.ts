/**
 * What the provider's operations share: settings, the two API clients, and the reads every
 * operation starts with (Caddy's servers, the preview's services). Nothing here is about one
 * preview: that comes with each call's ref or spec.
 */
import { carry } from '../carry.js';
import type { Preview, PreviewRef, ProviderContext } from '../types.js';
import type { CaddyAdmin } from './caddy-admin.js';
import { chooseServer, listenerOf, SERVERS_PATH, type CaddyServer, type Listener, type RouteSnapshot, type SyncContext } from './caddy-routes.js';
import type { ContainerInspect, ContainerSummary } from './engine-types.js';
import type { DockerEngine } from './engine.js';
import { isPreviewResource, LABEL, previewFilter } from './labels.js';
import { planServices, type ServiceInputs, type ServicePlan } from './services.js';
import type { DockerSettings } from './settings.js';
import type { TargetReads } from './targets.js';

export interface DockerRuntime {
  settings: DockerSettings;
  context: ProviderContext;
  engine: DockerEngine;
  caddy: CaddyAdmin;
}

/**
 * A preview as this provider returns it. `networkCreated` travels from `ensure` to `deploy` inside
 * one `up`, so that a failed first deploy can take back the network that run created.
 */
export interface DockerPreview extends Preview {
  networkCreated?: boolean;
}

export interface CaddyView {
  servers: Record<string, CaddyServer>;
  server: string;
  config: CaddyServer;
  listener: Listener;
  /** The Etag of the servers read: good for If-Match on any write below it. */
  etag: string | undefined;
  /** How many writes this provider had made when Caddy was read (see writesSoFar). */
  writes: number;
}

/**
 * Writes made so far through both clients. A read taken when the count was the same is still
 * what this run last saw, so a decision to write nothing can rest on it; a run that wrote anything
 * reads again.
 */
export function writesSoFar(rt: Pick<DockerRuntime, 'engine' | 'caddy'>): number {
  return rt.engine.stats.mutating + rt.caddy.stats.mutating;
}

/** The chosen server's routes as Caddy's servers read saw them, while this run has written nothing since. */
export function routesSnapshot(rt: DockerRuntime, view: CaddyView): RouteSnapshot | undefined {
  return view.writes === writesSoFar(rt) ? { routes: view.config.routes, etag: view.etag } : undefined;
}

/**
 * The reads `ensure` starts with — Caddy's servers, the preview's containers, the networks named
 * after it (its lock among them) — handed to `setDomains` and `deploy` of the same `up`, so a
 * re-run with nothing to change reads each kind once. Used only while the provider has written
 * nothing since and for a few seconds: a library caller that deploys later reads afresh.
 */
export interface RunReads extends TargetReads {
  key: string;
  view: CaddyView;
  /** When the first of them was read (the command's clock). */
  at: number;
}

/** How long ensure's reads may stand in for deploy's: far longer than an `up` takes between the two. */
export const READS_FRESH_MS = 5_000;

const READS = carry<RunReads>('docker reads of this run');

/** What `ensure` read, carried by `preview` (../carry.ts), while this run has written nothing since and for READS_FRESH_MS. */
export function freshReads(rt: DockerRuntime, ref: PreviewRef, preview: Preview): RunReads | undefined {
  const now = rt.context.deadline.clock.now();
  return READS.take(preview, (reads) => reads.key === ref.key && reads.writes === writesSoFar(rt) && now - reads.at <= READS_FRESH_MS);
}

/** Lets `preview` carry ensure's reads — Caddy read first, then the engine's listings — to setDomains and deploy. */
export function carryReads<P extends Preview>(preview: P, ref: PreviewRef, view: CaddyView, targets: TargetReads, at: number): P {
  return READS.put(preview, { ...targets, key: ref.key, view, at, writes: Math.min(view.writes, targets.writes) });
}

export function syncContext(rt: DockerRuntime): SyncContext {
  return { admin: rt.caddy, plan: rt.context.plan, logger: rt.context.logger, deadline: rt.context.deadline };
}

/** Reads Caddy's HTTP servers and picks ours. The first call of every mutating operation, so an unreachable Caddy stops us before anything is created. */
export async function readCaddy(rt: DockerRuntime): Promise<CaddyView> {
  const writes = writesSoFar(rt);
  const read = await rt.caddy.get<Record<string, CaddyServer> | null>(SERVERS_PATH, 'read the HTTP servers from the Caddy admin API');
  const servers = read.status === 404 ? {} : (read.body ?? {});
  const server = chooseServer(servers, rt.settings.caddyServer);
  const config = servers[server]!;
  return { servers, server, config, listener: listenerOf(config, rt.caddy.endpoint.host), etag: read.status === 404 ? undefined : read.etag, writes };
}

export function servicePlans(rt: DockerRuntime, spec: ServiceInputs): ServicePlan[] {
  return planServices(rt.settings, spec);
}

/** This preview's containers: the label filter, and every label checked again (see labels.ts). */
export async function previewContainers(rt: DockerRuntime, ref: PreviewRef): Promise<ContainerSummary[]> {
  return (await rt.engine.listContainers(previewFilter(ref))).filter((c) => isPreviewResource(c.Labels, ref));
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

/** A container list entry from an inspect, for code that works on list entries. */
export function summaryOf(found: ContainerInspect): ContainerSummary {
  return {
    Id: found.Id,
    Names: [found.Name],
    Image: found.Config?.Image ?? found.Image,
    ImageID: found.Image,
    Created: Date.parse(found.Created) / 1000,
    State: found.State.Status,
    Labels: found.Config?.Labels ?? {},
  };
}
