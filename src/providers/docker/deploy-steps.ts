/**
 * What a deploy decides per service, and the small helpers its phases share.
 */
import type { PreviewRef } from '../types.js';
import type { RouteAuth } from './basic-auth.js';
import type { ContainerSummary } from './engine-types.js';
import type { ResolvedImage } from './images.js';
import type { CaddyView, DockerRuntime } from './runtime.js';
import type { ServicePlan } from './services.js';

export interface ServiceStep {
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

/** One deploy of one preview: who it is for, and the Caddy server it routes through. */
export interface DeployRun {
  rt: DockerRuntime;
  ref: PreviewRef;
  view: CaddyView;
  /** Basic auth in front of the routes, and what the probes send to get past it. */
  auth?: RouteAuth;
}

/**
 * Like Promise.all, but waits for every task before throwing the first failure, so a rollback
 * never runs while a sibling is still creating something it would miss.
 */
export async function settleAll<T>(tasks: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** What Caddy dials to reach a published port. */
export function dial(rt: DockerRuntime, port: number): string {
  return `${rt.settings.upstreamHost}:${port}`;
}

