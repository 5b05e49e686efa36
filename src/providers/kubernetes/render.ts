/**
 * The objects of one preview, rendered from settings: a Secret with the preview's env, a Service,
 * a Deployment and, when there are domains, an Ingress (plus a Namespace with --namespace-per-preview).
 * Every object carries our labels; the pod template carries the commit so that the same image tag
 * still rolls out on a new commit.
 */
import { ConfigError } from '../../core/errors.js';
import type { PreviewIdentity } from '../../core/identity.js';
import { slugify } from '../../core/naming.js';
import { desiredHash, hashOf } from './compare.js';
import {
  APP_NAME,
  COMMIT_ANNOTATION,
  COMMIT_LABEL,
  COMPONENT,
  CONFIG_HASH_ANNOTATION,
  HASH_ANNOTATION,
  ownerAnnotations,
  ownerLabels,
  PREVIEW_LABEL,
  RESTARTED_AT_ANNOTATION,
  shortCommit,
  type KubeObject,
} from './labels.js';
import type { KubernetesSettings } from './settings.js';

export interface RenderContext {
  name: string;
  /** The preview's identity key and identity, recorded on every object. */
  key: string;
  identity: PreviewIdentity;
  app: string;
  branch?: string;
  namespace: string;
  /** Commit being deployed; undefined before the first deploy (only non-workload objects are used then). */
  commit?: string;
  /** Kept from the live Deployment (or set now by --force), so that only --force restarts pods. */
  restartedAt?: string;
  env: Record<string, string>;
  domains: string[];
  /** Name of the Secret with the database URL, when the preview has a database. */
  databaseSecret?: string;
  /** Hash of the Secrets the pods read. */
  configHash: string;
  /** `--basic-auth`: the Ingress gets the annotations that protect it (protection.ts). */
  basicAuth?: { user: string; password: string };
}

export function envSecretName(name: string): string {
  return `${name}-env`;
}
export function databaseSecretName(name: string): string {
  return `${name}-db`;
}

/** Replaces `{key}` placeholders; unknown ones are an error in templates the user wrote for us. */
export function expandTemplate(template: string, values: Record<string, string | undefined>, what: string, strict = true): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) {
      if (!strict) return whole;
      throw new ConfigError(`invalid settings: ${what}: unknown or unavailable placeholder ${whole} in "${template}"`, {
        hint: 'placeholders: {name}, {app}, {branch}, {commit}, {shortCommit}, {namespace}, {host}',
      });
    }
    return value;
  });
}

export function placeholderValues(ctx: RenderContext): Record<string, string | undefined> {
  return {
    name: ctx.name,
    app: slugify(ctx.app),
    branch: ctx.branch === undefined ? undefined : slugify(ctx.branch),
    commit: ctx.commit,
    shortCommit: ctx.commit?.slice(0, 7),
    namespace: ctx.namespace,
    host: ctx.domains[0],
  };
}

function meta(ctx: RenderContext, name: string, extraLabels: Record<string, string> = {}): KubeObject['metadata'] {
  return {
    name,
    namespace: ctx.namespace,
    labels: { ...ownerLabels(ctx), [APP_NAME]: slugify(ctx.app) || ctx.name, ...extraLabels },
    annotations: ownerAnnotations(ctx),
  };
}

export function secretObject(ctx: RenderContext, name: string, data: Record<string, string>, component: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, name, { [COMPONENT]: component }),
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
}

export function namespaceObject(ctx: RenderContext): KubeObject {
  const m = meta(ctx, ctx.namespace);
  delete m.namespace;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: m };
}

/** Pod-template metadata every workload gets: our labels, the commit, the config hash. */
export function podTemplateAdditions(ctx: RenderContext, settings: KubernetesSettings): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = { ...ownerLabels(ctx) };
  if (settings.commitLabel && ctx.commit) labels[COMMIT_LABEL] = shortCommit(ctx.commit);
  const annotations: Record<string, string> = { [CONFIG_HASH_ANNOTATION]: ctx.configHash };
  if (ctx.commit) annotations[COMMIT_ANNOTATION] = ctx.commit;
  if (ctx.restartedAt) annotations[RESTARTED_AT_ANNOTATION] = ctx.restartedAt;
  return { labels, annotations };
}

export function envFromSecrets(ctx: RenderContext): Array<{ secretRef: { name: string } }> {
  const refs = [{ secretRef: { name: envSecretName(ctx.name) } }];
  if (ctx.databaseSecret) refs.push({ secretRef: { name: ctx.databaseSecret } });
  return refs;
}

function resources(settings: KubernetesSettings): Record<string, Record<string, string>> | undefined {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (settings.cpu) requests.cpu = settings.cpu;
  if (settings.memory) requests.memory = settings.memory;
  if (settings.cpuLimit) limits.cpu = settings.cpuLimit;
  if (settings.memoryLimit) limits.memory = settings.memoryLimit;
  const out: Record<string, Record<string, string>> = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}

export function ingressObject(ctx: RenderContext, settings: KubernetesSettings, serviceName: string, servicePort: number | string): KubeObject {
  const metadata = meta(ctx, ctx.name, { [COMPONENT]: 'app' });
  const annotations = { ...metadata.annotations, ...settings.ingressAnnotations };
  let tlsSecret = settings.tlsSecret ? expandTemplate(settings.tlsSecret, placeholderValues(ctx), 'tlsSecret') : undefined;
  if (settings.certManagerIssuer) {
    annotations[settings.certManagerIssuerKind === 'Issuer' ? 'cert-manager.io/issuer' : 'cert-manager.io/cluster-issuer'] = settings.certManagerIssuer;
    tlsSecret ??= `${ctx.name}-tls`;
  }
  metadata.annotations = annotations;
  const backend = { service: { name: serviceName, port: typeof servicePort === 'number' ? { number: servicePort } : { name: servicePort } } };
  const spec: Record<string, unknown> = {
    rules: ctx.domains.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } })),
  };
  if (settings.ingressClass) spec.ingressClassName = settings.ingressClass;
  if (tlsSecret) spec.tls = [{ hosts: [...ctx.domains], secretName: tlsSecret }];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
}

/**
 * Whether every commit deploys the same image reference (`app:nightly`, `app:{branch}`): a mutable
 * tag. Kubernetes defaults such tags (all but `latest`) to IfNotPresent, so a node that already
 * holds the previous image would start the new pods on it: the forced rollout would change nothing.
 */
export function reusedTag(template: string): boolean {
  return !/\{(commit|shortCommit)\}/.test(template) && !template.includes('@sha256:');
}

/** The objects rendered from settings (no manifests directory). */
export function renderFromSettings(ctx: RenderContext, settings: KubernetesSettings): KubeObject[] {
  const selector = { [PREVIEW_LABEL]: ctx.name, [COMPONENT]: 'app' };
  const objects: KubeObject[] = [];
  if (settings.namespacePerPreview) objects.push(namespaceObject(ctx));
  objects.push(secretObject(ctx, envSecretName(ctx.name), ctx.env, 'env'));
  objects.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, ctx.name, { [COMPONENT]: 'app' }),
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  });
  if (ctx.domains.length) objects.push(ingressObject(ctx, settings, ctx.name, 80));
  if (ctx.commit !== undefined) {
    if (!settings.image) {
      throw new ConfigError('invalid settings: --image is required to deploy on Kubernetes without --manifests', {
        hint: 'set --image / PREVIEW_IMAGE, e.g. registry.example.com/app:{commit}',
      });
    }
    const image = expandTemplate(settings.image, placeholderValues(ctx), '--image');
    const extra = podTemplateAdditions(ctx, settings);
    const container: Record<string, unknown> = {
      name: 'app',
      image,
      ports: [{ name: 'http', containerPort: settings.port, protocol: 'TCP' }],
      envFrom: envFromSecrets(ctx),
    };
    if (reusedTag(settings.image)) container.imagePullPolicy = 'Always';
    const res = resources(settings);
    if (res) container.resources = res;
    if (settings.readinessPath) container.readinessProbe = { httpGet: { path: settings.readinessPath, port: 'http' }, periodSeconds: 5 };
    const podSpec: Record<string, unknown> = { containers: [container] };
    if (settings.imagePullSecrets.length) podSpec.imagePullSecrets = settings.imagePullSecrets.map((name) => ({ name }));
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(ctx, ctx.name, { [COMPONENT]: 'app' }),
      spec: {
        replicas: settings.replicas,
        selector: { matchLabels: selector },
        strategy: { type: settings.strategy },
        template: {
          metadata: { labels: { ...extra.labels, ...selector }, annotations: extra.annotations },
          spec: podSpec,
        },
      },
    });
  }
  return objects;
}

/** Stamps the hash of the object as desired into its annotations (what `upToDate` compares). */
export function withHash(object: KubeObject): KubeObject {
  const hash = desiredHash(object);
  return { ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations ?? {}), [HASH_ANNOTATION]: hash } } };
}

/** Hash of the Secrets the pods read, so a changed env value rolls the pods. */
export function configHashOf(secrets: KubeObject[]): string {
  return hashOf(secrets.map((s) => [s.metadata.name, s.data]));
}
