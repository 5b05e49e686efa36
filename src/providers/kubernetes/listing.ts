/**
 * `list`: every preview of ours from one label-selector listing per kind, never a call per preview.
 *
 * In a shared namespace three kinds say everything: Deployments (identity, key, state from replicas
 * and rollout status, the commit, the deploy time, creation), Ingresses (the URL) and Services (a
 * preview made by `ensure-app` and never deployed, and the in-cluster URL when there is no
 * Ingress); StatefulSets too when the manifests hold some. With --namespace-per-preview the
 * Namespaces, which carry the identity, are listed by label, then Deployments and Ingresses once
 * for the whole cluster (`/apis/apps/v1/deployments?labelSelector=…`). A role that may not list
 * at cluster scope gets one listing per namespace and kind instead — said in debug output, as it
 * costs two requests per preview.
 */
import { ProviderError } from '../../core/errors.js';
import type { Preview } from '../types.js';
import { ForbiddenError } from './client.js';
import type { Cluster } from './cluster.js';
import { previewFrom, typeOf } from './find.js';
import { anyPreviewSelector, KEY_LABEL, PREVIEW_LABEL, type KubeObject } from './labels.js';
import { readManifests } from './manifests.js';
import type { ResourceType } from './resources.js';

/** The kinds whose listing makes up `list`, besides Namespaces. */
function listedKinds(cluster: Cluster): ResourceType[] {
  const kinds = ['Deployment', 'Ingress'];
  if (!cluster.settings.namespacePerPreview) kinds.push('Service');
  if (cluster.settings.manifests) {
    try {
      if (readManifests(cluster.settings.manifests).some((m) => m.object.kind === 'StatefulSet')) kinds.push('StatefulSet');
    } catch {
      // A prune job may run without the checkout: the Deployments still say what they say.
    }
  }
  return kinds.map(typeOf);
}

interface Group {
  name: string;
  namespace: string;
  objects: KubeObject[];
}

export async function listPreviews(cluster: Cluster): Promise<Preview[]> {
  const { store } = cluster;
  const selector = anyPreviewSelector();
  const groups = new Map<string, Group>();
  const add = (object: KubeObject, namespace: string) => {
    const name = object.metadata.labels?.[PREVIEW_LABEL];
    if (!name) return;
    const id = `${namespace}|${name}|${object.metadata.labels?.[KEY_LABEL] ?? ''}`;
    const group = groups.get(id) ?? { name, namespace, objects: [] };
    group.objects.push(object);
    groups.set(id, group);
  };
  if (cluster.settings.namespacePerPreview) {
    const namespaces = await store.list(typeOf('Namespace'), undefined, selector);
    for (const ns of namespaces) add(ns, ns.metadata.name!);
    const ours = new Set(namespaces.map((ns) => ns.metadata.name!));
    for (const object of await listInNamespaces(cluster, listedKinds(cluster), [...ours], selector)) {
      const namespace = object.metadata.namespace!;
      // Only what sits in a preview namespace of ours; a shared-namespace preview is not this target's.
      if (ours.has(namespace) && object.metadata.labels?.[PREVIEW_LABEL] === namespace) add(object, namespace);
    }
  } else {
    const namespace = cluster.namespaceOf('');
    for (const type of listedKinds(cluster)) for (const object of await store.list(type, namespace, selector)) add(object, namespace);
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)).map((g) => previewFrom(g.name, g.namespace, g.objects));
}

/** One cluster-scope listing per kind; per namespace when the role may not list at cluster scope. */
async function listInNamespaces(cluster: Cluster, types: ResourceType[], namespaces: string[], selector: string): Promise<KubeObject[]> {
  const { store, context } = cluster;
  const out: KubeObject[] = [];
  for (const type of types) {
    try {
      out.push(...(await store.listEverywhere(type, selector)));
      continue;
    } catch (error) {
      const unserved = error instanceof ProviderError && error.status === 404;
      if (!(error instanceof ForbiddenError) && !unserved) throw error;
      context.logger.debug(`cannot list ${type.plural} at cluster scope (${unserved ? 'not served' : 'forbidden'}): listing them in each of ${namespaces.length} namespaces instead`);
    }
    for (const namespace of namespaces) out.push(...(await store.list(type, namespace, selector)));
  }
  return out;
}
