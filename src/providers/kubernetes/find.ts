/**
 * Reading previews back: `find` selects a preview's objects by its name label and keeps those whose
 * identity key is its own (another preview's of the same name are named in debug output);
 * `previewFrom` makes the Preview of a set of objects, for `find` and for `list` (listing.ts).
 */
import { parseIdentityJson } from '../../core/identity.js';
import { urlOf } from '../../core/naming.js';
import { ownershipOf } from '../reconcile.js';
import type { Preview, PreviewAddon, PreviewDomain, PreviewRef } from '../types.js';
import type { Cluster } from './cluster.js';
import { databaseSecretName } from './render.js';
import { lastDeployedAt, previewState } from './activity.js';
import { COMMIT_ANNOTATION, IDENTITY_ANNOTATION, marksOf, type KubeObject } from './labels.js';
import { oursAmong } from './ownership.js';
import { RESOURCE_TYPES } from './resources.js';
import { deploymentRollout } from './rollout.js';
import { snapshotFor } from './snapshot.js';
import { kindsToFind, ownerOf, renderContext } from './targets.js';

export const typeOf = (kind: string) => RESOURCE_TYPES.find((t) => t.kind === kind)!;

export async function findPreview(cluster: Cluster, ref: PreviewRef): Promise<Preview | undefined> {
  const { store, context } = cluster;
  const owner = ownerOf(ref);
  const ctx = renderContext(cluster, ref);
  if (cluster.settings.namespacePerPreview) {
    const ns = await store.get(typeOf('Namespace'), undefined, ctx.namespace);
    if (!ns || oursAmong([{ ...ns, kind: 'Namespace', apiVersion: 'v1' }], owner, context).length === 0) return undefined;
  }
  // The listings stay with the Preview: a `deploy` or `set-domain` after this reads nothing again.
  const snapshot = snapshotFor(cluster, ref, undefined, true);
  await snapshot.prefetch(kindsToFind(cluster, ctx), true);
  const ours = oursAmong(snapshot.listedObjects(), owner, context);
  if (!ours.length) return undefined;
  return snapshot.attach(previewFrom(ref.name, ctx.namespace, ours));
}

/** A Preview from its objects; the identity is the one they record. `hosts`: the spec's, until an Ingress has them. */
export function previewFrom(name: string, namespace: string, objects: KubeObject[], hosts: string[] = []): Preview {
  const domains: PreviewDomain[] = [];
  for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
    const spec = (ingress.spec ?? {}) as { rules?: Array<{ host?: string }> };
    for (const rule of spec.rules ?? []) if (rule.host && !domains.some((d) => d.host === rule.host)) domains.push({ host: rule.host });
  }
  const service = objects.find((o) => o.kind === 'Service');
  // https even without a tls block: ingress controllers commonly serve a wildcard certificate.
  const host = domains[0]?.host ?? hosts[0];
  const url = host ? urlOf(host) : service ? `http://${service.metadata.name}.${namespace}.svc.cluster.local` : '';
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const rollouts = deployments.map((d) => ({ name: d.metadata.name, ...deploymentRollout(d) }));
  const main = deployments.find((d) => d.metadata.name === name) ?? deployments[0];
  const template = (main?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template;
  const commit = template?.metadata?.annotations?.[COMMIT_ANNOTATION];
  const mainRollout = main ? deploymentRollout(main) : undefined;
  const addons: PreviewAddon[] = [];
  if (objects.some((o) => o.kind === 'Secret' && o.metadata.name === databaseSecretName(name))) {
    addons.push({ id: name.replace(/-/g, '_'), name: name.replace(/-/g, '_'), kind: 'postgresql' });
  }
  const created = objects.map((o) => o.metadata.creationTimestamp).filter((t): t is string => !!t).sort()[0];
  const identity = objects.map((o) => parseIdentityJson(o.metadata.annotations?.[IDENTITY_ANNOTATION])).find((i) => i !== undefined);
  const deployedAt = lastDeployedAt(objects);
  return {
    name,
    id: `${namespace}/${name}`,
    url,
    domains,
    addons,
    lastDeployment: main
      ? {
          id: `${namespace}/${main.metadata.name}`,
          state: mainRollout!.state === 'complete' ? 'ok' : mainRollout!.state === 'failed' ? 'failed' : 'running',
          commit,
          createdAt: main.metadata.creationTimestamp,
        }
      : undefined,
    ...(identity ? { identity } : {}),
    createdAt: created,
    state: previewState(objects),
    ...(deployedAt ? { lastDeployedAt: deployedAt } : {}),
    details: {
      namespace,
      objects: objects.map((o) => `${o.kind}/${o.metadata.name}`),
      rollouts,
      commit,
    },
  };
}

/** Whether an object is this preview's (its key), for callers that hold a single object. */
export function isOwn(object: KubeObject, ref: PreviewRef): boolean {
  return ownershipOf(marksOf(object), ref.key).kind === 'ours';
}
