/**
 * The resource types the fake API server serves, and the discovery documents built from them
 * (`/api`, `/api/v1`, `/apis`, `/apis/<group>/<version>`), enough for kubectl's REST mapping.
 */

export interface FakeResource {
  group: string; // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has a `status` the main resource ignores on writes. */
  hasStatus: boolean;
  /** Writes to `spec` bump `metadata.generation`. */
  generation: boolean;
}

const r = (group: string, version: string, kind: string, plural: string, namespaced: boolean, extra: Partial<FakeResource> = {}): FakeResource => ({
  group,
  version,
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  hasStatus: false,
  generation: false,
  ...extra,
});

export const FAKE_RESOURCES: FakeResource[] = [
  r('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], hasStatus: true }),
  r('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], hasStatus: true }),
  r('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], hasStatus: true }),
  r('', 'v1', 'Secret', 'secrets', true),
  r('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  r('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], hasStatus: true }),
  r('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  r('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'], hasStatus: true, generation: true }),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'], hasStatus: true, generation: true }),
  r('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'], hasStatus: true, generation: true }),
  r('batch', 'v1', 'Job', 'jobs', true, { hasStatus: true, generation: true }),
  r('batch', 'v1', 'CronJob', 'cronjobs', true, { shortNames: ['cj'], hasStatus: true, generation: true }),
  r('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { shortNames: ['ing'], hasStatus: true, generation: true }),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'], generation: true }),
  r('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], hasStatus: true, generation: true }),
  r('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { shortNames: ['hpa'], hasStatus: true }),
  r('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  r('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
];

/**
 * Traefik's Middleware, a custom resource (traefik/traefik
 * docs/content/reference/dynamic-configuration/traefik.io_middlewares.yaml: group traefik.io,
 * version v1alpha1, plural middlewares, Namespaced, no status subresource). Served only by a fake
 * started with `traefik: true`, as only a cluster with Traefik's CRDs serves it. Custom resources
 * bump `metadata.generation` on every change outside metadata.
 */
export const TRAEFIK_RESOURCES: FakeResource[] = [r('traefik.io', 'v1alpha1', 'Middleware', 'middlewares', true, { generation: true })];

/** What one fake serves: the built-in resources, plus the custom ones it was started with. */
export function servedResources(traefik: boolean): FakeResource[] {
  return traefik ? [...FAKE_RESOURCES, ...TRAEFIK_RESOURCES] : FAKE_RESOURCES;
}

export function apiVersionOf(res: FakeResource): string {
  return res.group ? `${res.group}/${res.version}` : res.version;
}

export function findResource(group: string, version: string, plural: string, served: FakeResource[] = FAKE_RESOURCES): FakeResource | undefined {
  return served.find((x) => x.group === group && x.version === version && x.plural === plural);
}

export function resourceOfKind(apiVersion: string, kind: string): FakeResource | undefined {
  return FAKE_RESOURCES.find((x) => apiVersionOf(x) === apiVersion && x.kind === kind);
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** Kinds with a `/scale` subresource. */
export const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

export function resourceList(group: string, version: string, served: FakeResource[] = FAKE_RESOURCES): Record<string, unknown> | undefined {
  const resources = served.filter((x) => x.group === group && x.version === version);
  if (!resources.length) return undefined;
  const items = resources.flatMap((x) => {
    const main = {
      name: x.plural,
      singularName: x.singular,
      namespaced: x.namespaced,
      kind: x.kind,
      verbs: VERBS,
      ...(x.shortNames ? { shortNames: x.shortNames } : {}),
    };
    const out: Record<string, unknown>[] = [main];
    if (x.hasStatus) out.push({ name: `${x.plural}/status`, singularName: '', namespaced: x.namespaced, kind: x.kind, verbs: ['get', 'patch', 'update'] });
    if (SCALABLE.has(x.kind)) out.push({ name: `${x.plural}/scale`, singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    return out;
  });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: items };
}

export function apiGroupList(served: FakeResource[] = FAKE_RESOURCES): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const x of served) {
    if (!x.group) continue;
    const versions = groups.get(x.group) ?? [];
    if (!versions.includes(x.version)) versions.push(x.version);
    groups.set(x.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/**
 * OpenAPI v3 discovery (`/openapi/v3`) and one document per group-version with just enough for
 * kubectl: each PATCH operation names its kind and declares the `fieldValidation` parameter, so
 * kubectl's default validation (`--validate=strict`) lets the server validate instead of
 * downloading schemas. No schemas are served.
 */
export function openApiRoot(served: FakeResource[] = FAKE_RESOURCES): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const x of served) {
    const gv = x.group ? `apis/${x.group}/${x.version}` : `api/${x.version}`;
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=fake` };
  }
  return { paths };
}

export function openApiGroupVersion(group: string, version: string, served: FakeResource[] = FAKE_RESOURCES): Record<string, unknown> | undefined {
  const resources = served.filter((x) => x.group === group && x.version === version);
  if (!resources.length) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  for (const x of resources) {
    const item = x.namespaced ? `${prefix}/namespaces/{namespace}/${x.plural}/{name}` : `${prefix}/${x.plural}/{name}`;
    const parameter = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
    paths[item] = {
      patch: {
        operationId: `patch${x.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: x.kind },
        parameters: [parameter('dryRun'), parameter('fieldManager'), parameter('fieldValidation'), parameter('force')],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0-fake' }, paths, components: { schemas: {} } };
}
