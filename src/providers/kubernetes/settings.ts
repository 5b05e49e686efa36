/**
 * Kubernetes settings: the option table (flags, env, `.preview.yml` keys under `kubernetes:`) and
 * the schema that turns the resolved values into one typed object. The CLI edge passes the process
 * env to the settings loader, so in-cluster detection (KUBERNETES_SERVICE_HOST/PORT) is declared
 * here as env-only options and never read by the provider itself.
 */
import { z } from 'zod';
import type { OptionSpec } from '../../core/options.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export const kubernetesOptions: OptionSpec[] = [
  // Connection
  { key: 'kubeconfig', flag: 'kubeconfig', type: 'string', env: ['KUBECONFIG'], value: 'FILE', description: 'kubeconfig file(s), separated by ":" like KUBECONFIG', defaultText: '~/.kube/config, else in-cluster' },
  { key: 'kubeContext', flag: 'kube-context', type: 'string', env: ['K8S_CONTEXT', 'KUBE_CONTEXT'], value: 'NAME', description: 'kubeconfig context to use', defaultText: 'current-context' },
  { key: 'namespace', flag: 'namespace', type: 'string', env: ['K8S_NAMESPACE', 'PREVIEW_NAMESPACE'], value: 'NAME', description: 'namespace of the previews (or the prefix source with --namespace-per-preview)', defaultText: "the context's namespace, else default" },
  { key: 'server', flag: 'kube-server', type: 'string', env: ['K8S_SERVER'], value: 'URL', description: 'API server URL; with --kube-token replaces the kubeconfig' },
  { key: 'token', flag: 'kube-token', type: 'string', env: ['K8S_TOKEN'], secret: true, value: 'TOKEN', description: 'bearer token for the API server (overrides the kubeconfig user)' },
  { key: 'caFile', flag: 'kube-ca-file', type: 'string', env: ['K8S_CA_FILE'], value: 'FILE', description: 'CA bundle that signs the API server certificate (with --kube-server)' },
  { key: 'insecureSkipTlsVerify', flag: 'kube-insecure-skip-tls-verify', type: 'boolean', env: ['K8S_INSECURE_SKIP_TLS_VERIFY'], description: 'do not verify the API server certificate (with --kube-server)' },
  { key: 'kubernetesServiceHost', type: 'string', env: ['KUBERNETES_SERVICE_HOST'], description: 'in-cluster API host (set by Kubernetes in every pod)' },
  { key: 'kubernetesServicePort', type: 'string', env: ['KUBERNETES_SERVICE_PORT'], description: 'in-cluster API port (set by Kubernetes in every pod)' },
  { key: 'serviceAccountDir', type: 'string', description: 'directory of the in-cluster service-account token, CA and namespace', defaultText: SERVICE_ACCOUNT_DIR },
  // Objects
  { key: 'manifests', flag: 'manifests', type: 'string', env: ['K8S_MANIFESTS'], value: 'DIR', description: 'directory of your own manifests (YAML); our labels and name prefix are applied' },
  { key: 'namespacePerPreview', flag: 'namespace-per-preview', type: 'boolean', env: ['K8S_NAMESPACE_PER_PREVIEW'], description: 'give every preview its own namespace, named after the preview' },
  { key: 'image', flag: 'image', type: 'string', env: ['PREVIEW_IMAGE'], value: 'IMAGE', description: 'container image; {commit}, {shortCommit}, {name}, {branch} are replaced' },
  { key: 'port', flag: 'port', type: 'string', env: ['PREVIEW_PORT'], value: 'PORT', description: 'port the container listens on', defaultText: '8080' },
  { key: 'replicas', flag: 'replicas', type: 'string', env: ['K8S_REPLICAS'], value: 'N', description: 'pods per preview', defaultText: '1' },
  { key: 'strategy', flag: 'strategy', type: 'string', env: ['K8S_STRATEGY'], value: 'TYPE', description: 'RollingUpdate or Recreate', defaultText: 'RollingUpdate' },
  { key: 'cpu', flag: 'cpu', type: 'string', env: ['K8S_CPU'], value: 'QUANTITY', description: 'CPU request, e.g. 100m' },
  { key: 'memory', flag: 'memory', type: 'string', env: ['K8S_MEMORY'], value: 'QUANTITY', description: 'memory request, e.g. 256Mi' },
  { key: 'cpuLimit', flag: 'cpu-limit', type: 'string', env: ['K8S_CPU_LIMIT'], value: 'QUANTITY', description: 'CPU limit' },
  { key: 'memoryLimit', flag: 'memory-limit', type: 'string', env: ['K8S_MEMORY_LIMIT'], value: 'QUANTITY', description: 'memory limit' },
  { key: 'readinessPath', flag: 'readiness-path', type: 'string', env: ['K8S_READINESS_PATH'], value: 'PATH', description: 'HTTP readiness probe path (none when unset)' },
  { key: 'imagePullSecrets', flag: 'image-pull-secret', type: 'list', env: ['K8S_IMAGE_PULL_SECRETS'], value: 'NAME', description: 'existing Secret(s) to pull the image with (repeatable)' },
  { key: 'ingressClass', flag: 'ingress-class', type: 'string', env: ['K8S_INGRESS_CLASS'], value: 'NAME', description: 'ingressClassName of the Ingress' },
  { key: 'ingressAnnotations', type: 'map', description: 'extra annotations on the Ingress (.preview.yml mapping)' },
  { key: 'ingressController', flag: 'ingress-controller', type: 'string', env: ['K8S_INGRESS_CONTROLLER'], value: 'nginx|traefik', description: 'what serves the Ingress, for --basic-auth: ingress-nginx annotations, or a Traefik Middleware', defaultText: 'traefik when --ingress-class names it, else nginx' },
  { key: 'tlsSecret', flag: 'tls-secret', type: 'string', env: ['K8S_TLS_SECRET'], value: 'NAME', description: 'TLS Secret of the Ingress; {name} is replaced' },
  { key: 'certManagerIssuer', flag: 'cert-manager-issuer', type: 'string', env: ['K8S_CERT_MANAGER_ISSUER'], value: 'NAME', description: 'cert-manager issuer that makes the TLS Secret' },
  { key: 'certManagerIssuerKind', flag: 'cert-manager-issuer-kind', type: 'string', env: ['K8S_CERT_MANAGER_ISSUER_KIND'], value: 'KIND', description: 'ClusterIssuer or Issuer', defaultText: 'ClusterIssuer' },
  { key: 'commitLabel', flag: 'commit-label', type: 'boolean', env: ['K8S_COMMIT_LABEL'], description: 'also label the pods with the first 15 characters of the commit' },
  { key: 'rolloutFailFast', flag: 'rollout-fail-fast', type: 'boolean', env: ['K8S_ROLLOUT_FAIL_FAST'], description: 'fail the rollout as soon as new pods sit in ImagePullBackOff/CrashLoopBackOff', defaultText: 'true' },
  // Per-preview PostgreSQL database on a shared server
  { key: 'databaseUrl', flag: 'database-url', type: 'string', env: ['PREVIEW_DATABASE_URL'], secret: true, value: 'URL', description: 'admin connection string of a shared PostgreSQL server; each preview gets its own database and role' },
  { key: 'databaseEnv', flag: 'database-env', type: 'string', env: ['PREVIEW_DATABASE_ENV'], value: 'NAME', description: 'variable that carries the preview database URL to the app', defaultText: 'DATABASE_URL' },
  { key: 'databaseAppHost', flag: 'database-app-host', type: 'string', env: ['PREVIEW_DATABASE_APP_HOST'], value: 'HOST[:PORT]', description: 'server address as the app reaches it, when it differs from --database-url' },
];

const quantity = z.string().regex(/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[mkMGTPE]|[KMGTPE]i)?$/, 'expected a Kubernetes quantity like 100m, 0.5 or 256Mi');

const wholeNumber = (min: number, max: number) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a whole number from ${min} to ${max}, got "${v}"` });
      return z.NEVER;
    }
    return n;
  });

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a lowercase DNS label').max(63);

const rawSchema = z.object({
  kubeconfig: z.string().min(1).optional(),
  kubeContext: z.string().min(1).optional(),
  namespace: dnsLabel.optional(),
  server: z.string().url('expected a URL like https://host:6443').optional(),
  token: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  insecureSkipTlsVerify: z.boolean().default(false),
  kubernetesServiceHost: z.string().optional(),
  kubernetesServicePort: z.string().optional(),
  serviceAccountDir: z.string().default(SERVICE_ACCOUNT_DIR),
  manifests: z.string().min(1).optional(),
  namespacePerPreview: z.boolean().default(false),
  image: z.string().min(1).optional(),
  port: wholeNumber(1, 65535).default(8080),
  replicas: wholeNumber(0, 1000).default(1),
  strategy: z.enum(['RollingUpdate', 'Recreate'], { errorMap: () => ({ message: 'expected RollingUpdate or Recreate' }) }).default('RollingUpdate'),
  cpu: quantity.optional(),
  memory: quantity.optional(),
  cpuLimit: quantity.optional(),
  memoryLimit: quantity.optional(),
  readinessPath: z.string().startsWith('/', 'must start with /').optional(),
  imagePullSecrets: z.array(z.string().min(1)).default([]),
  ingressClass: z.string().min(1).optional(),
  ingressAnnotations: z.record(z.string()).default({}),
  ingressController: z.enum(['nginx', 'traefik'], { errorMap: () => ({ message: 'expected nginx or traefik' }) }).optional(),
  tlsSecret: z.string().min(1).optional(),
  certManagerIssuer: z.string().min(1).optional(),
  certManagerIssuerKind: z.enum(['ClusterIssuer', 'Issuer'], { errorMap: () => ({ message: 'expected ClusterIssuer or Issuer' }) }).default('ClusterIssuer'),
  commitLabel: z.boolean().default(false),
  rolloutFailFast: z.boolean().default(true),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection string')
    .optional(),
  databaseEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid variable name').default('DATABASE_URL'),
  databaseAppHost: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'expected host or host:port').optional(),
});

/** Where the in-cluster credentials are, when running in a pod. */
export interface InClusterSettings {
  host: string;
  port: string;
  /** Directory holding `token`, `ca.crt` and `namespace`. */
  serviceAccountDir: string;
}

export type KubernetesSettings = Omit<z.infer<typeof rawSchema>, 'kubernetesServiceHost' | 'kubernetesServicePort' | 'serviceAccountDir' | 'ingressController'> & {
  /** Set when the process runs in a pod (the service env vars are present). */
  inCluster?: InClusterSettings;
  /** How `--basic-auth` is put on the Ingress: ingress-nginx annotations, or a Traefik Middleware. */
  ingressController: 'nginx' | 'traefik';
};

export const kubernetesSchema: z.ZodType<KubernetesSettings, z.ZodTypeDef, unknown> = rawSchema.transform((raw) => {
  const { kubernetesServiceHost, kubernetesServicePort, serviceAccountDir, ingressController, ...rest } = raw;
  const settings: KubernetesSettings = { ...rest, ingressController: ingressController ?? (/traefik/i.test(rest.ingressClass ?? '') ? 'traefik' : 'nginx') };
  if (kubernetesServiceHost && kubernetesServicePort) {
    settings.inCluster = { host: kubernetesServiceHost, port: kubernetesServicePort, serviceAccountDir };
  }
  return settings;
});
