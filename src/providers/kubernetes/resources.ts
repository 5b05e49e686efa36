/**
 * The resource types preview-kit creates, reads and deletes, with their REST paths. A fixed table
 * (instead of discovery) keeps a run to the calls it needs; a manifest of another kind is refused
 * with a message rather than guessed at.
 */
import { ConfigError } from '../../core/errors.js';

export interface ResourceType {
  kind: string;
  apiVersion: string;
  /** Lowercase plural used in the URL. */
  plural: string;
  namespaced: boolean;
  /** Applied by `ensure`, `setDomains` (routes) or `deploy` (workloads). */
  phase: 'ensure' | 'routes' | 'deploy';
  /** Has a pod template whose change triggers a rollout. */
  workload?: boolean;
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false, phase: 'ensure' },
  { kind: 'ServiceAccount', apiVersion: 'v1', plural: 'serviceaccounts', namespaced: true, phase: 'ensure' },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true, phase: 'ensure' },
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true, phase: 'ensure' },
  { kind: 'PersistentVolumeClaim', apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true, phase: 'ensure' },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true, phase: 'ensure' },
  { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true, phase: 'ensure' },
  { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true, phase: 'ensure' },
  { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', plural: 'networkpolicies', namespaced: true, phase: 'ensure' },
  { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', plural: 'poddisruptionbudgets', namespaced: true, phase: 'ensure' },
  { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true, phase: 'routes' },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true, phase: 'deploy', workload: true },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', plural: 'statefulsets', namespaced: true, phase: 'deploy', workload: true },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', namespaced: true, phase: 'deploy' },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', namespaced: true, phase: 'deploy' },
  { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', namespaced: true, phase: 'deploy' },
];

/** Objects the cluster makes from ours (not applied by us, but carrying our labels through templates). */
export const DERIVED_TYPES: readonly ResourceType[] = [
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true, phase: 'deploy' },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true, phase: 'deploy' },
];

/**
 * Traefik's Middleware (CRD `middlewares.traefik.io`, served only where Traefik is installed):
 * made for `--basic-auth` when the Ingress class is Traefik, and only then looked for.
 */
export const MIDDLEWARE_TYPE: ResourceType = { kind: 'Middleware', apiVersion: 'traefik.io/v1alpha1', plural: 'middlewares', namespaced: true, phase: 'routes' };

export function resourceType(apiVersion: string, kind: string): ResourceType {
  if (kind === MIDDLEWARE_TYPE.kind && apiVersion === MIDDLEWARE_TYPE.apiVersion) return MIDDLEWARE_TYPE;
  const type = RESOURCE_TYPES.find((t) => t.kind === kind && t.apiVersion === apiVersion);
  if (!type) {
    throw new ConfigError(`unsupported Kubernetes object ${apiVersion} ${kind}`, {
      hint: `supported: ${RESOURCE_TYPES.map((t) => `${t.apiVersion} ${t.kind}`).join(', ')}`,
    });
  }
  return type;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` otherwise. */
export function groupPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Collection path (namespace given, or `allNamespaces` for a cluster-scope list) or item path (name given). */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, allNamespaces = false): string {
  let path = groupPath(type.apiVersion);
  if (type.namespaced && !allNamespaces) {
    if (!namespace) throw new Error(`${type.kind} needs a namespace`);
    path += `/namespaces/${encodeURIComponent(namespace)}`;
  }
  path += `/${type.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  return path;
}
