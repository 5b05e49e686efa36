/**
 * Which objects a preview has: rendered from settings or from the user's manifests, for one call's
 * ref/spec. `upTargets` is everything a whole `up` writes — its own objects, the Ingress, the
 * workloads (rendered with a stand-in commit) and the database Secret — so that ownership of all
 * of them is known before the first write.
 */
import type { Logger } from '../../core/logger.js';
import type { PreviewRef, PreviewSpec } from '../types.js';
import type { Cluster } from './cluster.js';
import type { KubeObject, Owner } from './labels.js';
import { readManifests, renderFromManifests } from './manifests.js';
import { databaseSecretName, envSecretName, ingressObject, renderFromSettings, secretObject, type RenderContext } from './render.js';
import { protectIngress, protectionObjects } from './protection.js';
import { MIDDLEWARE_TYPE, RESOURCE_TYPES, resourceType, type ResourceType } from './resources.js';

/** A commit for rendering workloads before the real one is known. */
export const STAND_IN_COMMIT = '0'.repeat(40);

export function ownerOf(ref: PreviewRef): Owner {
  return { name: ref.name, key: ref.key, identity: ref.identity };
}

/** The render context of one call: everything comes from its ref/spec, nothing from earlier calls. */
export function renderContext(cluster: Cluster, ref: PreviewRef & Partial<Pick<PreviewSpec, 'env' | 'domains' | 'basicAuth'>>, extra: Partial<RenderContext> = {}): RenderContext {
  cluster.context.logger.addSecret(ref.basicAuth?.password);
  return {
    name: ref.name,
    key: ref.key,
    identity: ref.identity,
    app: ref.identity.project,
    branch: ref.identity.branch,
    namespace: cluster.namespaceOf(ref.name),
    env: ref.env ?? {},
    domains: ref.domains ?? [],
    configHash: '',
    ...(ref.basicAuth ? { basicAuth: ref.basicAuth } : {}),
    ...extra,
  };
}

export function render(cluster: Cluster, ctx: RenderContext): KubeObject[] {
  const settings = cluster.settings;
  if (settings.manifests) {
    const objects = renderFromManifests(readManifests(settings.manifests), ctx, settings);
    const extra: KubeObject[] = [];
    if (settings.namespacePerPreview) extra.push(renderFromSettings({ ...ctx, commit: undefined, domains: [] }, settings)[0]!);
    extra.push(secretObject(ctx, envSecretName(ctx.name), ctx.env, 'env'));
    return [...extra, ...objects];
  }
  return renderFromSettings(ctx, settings);
}

export function phaseOf(object: KubeObject): ResourceType['phase'] {
  return resourceType(object.apiVersion, object.kind).phase;
}

/**
 * The Ingresses for the spec's domains. Manifests without an Ingress get one in front of their
 * only Service; with several Services there is no telling which one serves (said once, when `warn`).
 */
export function routesOf(cluster: Cluster, ctx: RenderContext, logger?: Logger): KubeObject[] {
  const protect = (ingresses: KubeObject[]) => (ctx.basicAuth ? ingresses.map((i) => protectIngress(i, ctx, cluster.settings)) : ingresses);
  const rendered = render(cluster, ctx);
  const ingresses = rendered.filter((o) => phaseOf(o) === 'routes');
  if (!cluster.settings.manifests || ingresses.length || !ctx.domains.length) return protect(ingresses);
  const services = rendered.filter((o) => o.kind === 'Service');
  const port = ((services[0]?.spec as { ports?: Array<{ port?: number }> } | undefined)?.ports ?? [])[0]?.port;
  if (services.length === 1 && port) return protect([ingressObject(ctx, cluster.settings, services[0]!.metadata.name!, port)]);
  logger?.warn('--domain is set but the manifests hold no Ingress and not exactly one Service: no route made');
  return [];
}

/** The basic-auth Secret (and Middleware) a run with `--basic-auth` and a route writes; none otherwise. */
export function protectionTargets(cluster: Cluster, ctx: RenderContext, routes: KubeObject[]): KubeObject[] {
  return ctx.basicAuth && routes.length ? protectionObjects(ctx, cluster.settings, '') : [];
}

/** Everything a whole `up` writes, workloads rendered with a stand-in commit, Namespace first. */
export function upTargets(cluster: Cluster, ctx: RenderContext): KubeObject[] {
  const withDatabase = cluster.database !== undefined;
  const databaseSecret = withDatabase ? databaseSecretName(ctx.name) : undefined;
  const all = render(cluster, { ...ctx, commit: STAND_IN_COMMIT, databaseSecret });
  const routes = routesOf(cluster, ctx);
  const out = [...all.filter((o) => phaseOf(o) === 'ensure'), ...routes, ...protectionTargets(cluster, ctx, routes), ...all.filter((o) => phaseOf(o) === 'deploy')];
  if (databaseSecret) out.push(secretObject(ctx, databaseSecret, {}, 'database'));
  return sortForApply(out);
}

/** Table order: Namespace first, then what the workloads use, the workloads last. */
export function sortForApply(objects: KubeObject[]): KubeObject[] {
  const ingress = RESOURCE_TYPES.findIndex((t) => t.kind === 'Ingress');
  // A Traefik Middleware goes just before the Ingress that names it.
  const order = (o: KubeObject) => (o.kind === MIDDLEWARE_TYPE.kind ? ingress - 0.5 : RESOURCE_TYPES.findIndex((t) => t.kind === o.kind && t.apiVersion === o.apiVersion));
  return [...objects].sort((a, b) => order(a) - order(b));
}

/** Kinds a preview of this configuration may hold, for find/status and stop. */
export function kindsToFind(cluster: Cluster, ctx: RenderContext): ResourceType[] {
  const kinds = new Set<string>(['Secret', 'Service', 'Ingress', 'Deployment']);
  if (cluster.settings.manifests) {
    try {
      for (const o of render(cluster, { ...ctx, commit: ctx.commit ?? STAND_IN_COMMIT })) kinds.add(o.kind);
    } catch {
      // A stop/status job may run without the checkout: then look at every kind we know.
      for (const t of RESOURCE_TYPES) kinds.add(t.kind);
    }
  }
  kinds.delete('Namespace');
  return RESOURCE_TYPES.filter((t) => kinds.has(t.kind));
}
