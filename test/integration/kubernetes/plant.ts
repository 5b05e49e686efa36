/**
 * Helpers that stand outside the provider: planting a preview straight into the fake API server's
 * store (as `up` — or `up` then `sleep` — would leave it, with a history), and a model of what the
 * ingress controller answers for a preview's URL when it is behind basic auth.
 *
 * Planting renders the objects with the provider's own renderer (so they are marked exactly as the
 * provider marks them and a later `up` of the same commit writes nothing) and writes them without a
 * request: a thousand previews plant in well under a second of store writes.
 *
 * No ingress controller runs here, so `routedStatus` answers from the objects the way the
 * controllers decide it, and says so: ingress-nginx (`nginx.ingress.kubernetes.io/auth-type:
 * basic`, the htpasswd file in the Secret's `auth` key, checked by nginx's auth_basic) and Traefik
 * (`traefik.ingress.kubernetes.io/router.middlewares` naming `<namespace>-<name>@kubernetescrd`, a
 * Middleware with `basicAuth.secret`, whose Secret holds the lines under its only key). Hashes are
 * checked with `openssl passwd -apr1` (an implementation that is not ours) and `{SHA}`/`{PLAIN}`
 * as nginx and go-http-auth read them; any other hash never matches, as with a libc without it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { previewName } from '../../../src/core/naming.js';
import { DEPLOYED_AT_ANNOTATION, SLEEPING_REPLICAS_ANNOTATION, type KubeObject } from '../../../src/providers/kubernetes/labels.js';
import { configHashOf, envSecretName, renderFromSettings, secretObject, withHash, type RenderContext } from '../../../src/providers/kubernetes/render.js';
import type { KubernetesSettings } from '../../../src/providers/kubernetes/settings.js';
import type { FakeKubernetes } from '../../fakes/kubernetes/index.js';

const run = promisify(execFile);
type Obj = Record<string, any>;

export interface PlantOptions {
  createdAt?: Date;
  deployedAt?: Date;
  asleep?: boolean;
  /** The commit the preview runs; a stand-in by default. */
  commit?: string;
  env?: Record<string, string>;
}

/** API-server timestamps have whole seconds. */
const stamp = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Writes a complete preview of `identity` into the fake's store: what `up` makes (asleep: and `sleep`). */
export function plantPreview(
  fake: FakeKubernetes,
  settings: KubernetesSettings,
  namespace: string,
  domain: (name: string) => string,
  identity: PreviewIdentity,
  options: PlantOptions = {},
): string {
  const name = previewName({ app: identity.project, branch: identity.branch, pr: identity.pr, prefix: identity.prefix });
  const base: RenderContext = {
    name,
    key: identityKey(identity),
    identity,
    app: identity.project,
    branch: identity.branch,
    namespace: settings.namespacePerPreview ? name : namespace,
    env: options.env ?? {},
    domains: [domain(name)],
    configHash: '',
  };
  const configHash = configHashOf([secretObject(base, envSecretName(name), base.env, 'env')]);
  const commit = options.commit ?? createHash('sha1').update(`planted ${name}`).digest('hex');
  const createdAt = stamp(options.createdAt ?? new Date());
  const deployedAt = (options.deployedAt ?? new Date()).toISOString();
  for (const object of renderFromSettings({ ...base, commit, configHash }, settings)) {
    let planted: KubeObject = object;
    if (object.kind === 'Deployment') {
      planted = { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [DEPLOYED_AT_ANNOTATION]: deployedAt } } };
    }
    planted = withHash(planted);
    if (object.kind === 'Deployment' && options.asleep) {
      const replicas = (planted.spec as { replicas: number }).replicas;
      planted = { ...planted, metadata: { ...planted.metadata, annotations: { ...planted.metadata.annotations, [SLEEPING_REPLICAS_ANNOTATION]: String(replicas) } }, spec: { ...(planted.spec as Obj), replicas: 0 } };
    }
    fake.plant(planted as Obj, { createdAt });
  }
  return name;
}

/** `openssl passwd -apr1` (or `-1`) with the stored salt, the password on stdin. */
async function cryptWithOpenssl(stored: string, password: string): Promise<string | undefined> {
  const m = /^\$(apr1|1)\$([^$]{0,8})\$/.exec(stored);
  if (!m) return undefined;
  const child = run('openssl', ['passwd', `-${m[1]}`, '-salt', m[2]!, '-stdin']);
  child.child.stdin!.end(`${password}\n`);
  return (await child).stdout.trim();
}

/** Whether htpasswd `file` lets `user:password` in, as nginx's auth_basic / go-http-auth decide it. */
export async function htpasswdAllows(file: string, user: string, password: string): Promise<boolean> {
  for (const line of file.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon) !== user) continue;
    const stored = line.slice(colon + 1).trim();
    if (stored.startsWith('{PLAIN}')) return stored.slice(7) === password;
    if (stored.startsWith('{SHA}')) return stored.slice(5) === createHash('sha1').update(password).digest('base64');
    return (await cryptWithOpenssl(stored, password)) === stored;
  }
  return false;
}

const secretText = (secret: Obj | undefined, key?: string): string | undefined => {
  const data = (secret?.data ?? {}) as Record<string, string>;
  const value = key ? data[key] : Object.keys(data).length === 1 ? Object.values(data)[0] : undefined;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
};

/**
 * The HTTP status the ingress controller would answer for the preview's Ingress: 404 without an
 * Ingress (or, with Traefik, when a Middleware it names is missing), 401 when it is protected and the credentials are missing or do not verify, 503 when the
 * protection names a Secret that is not there or unreadable (ingress-nginx denies the location),
 * else 200. A model of the controllers' behaviour, read from the objects.
 */
export async function routedStatus(fake: FakeKubernetes, namespace: string, ingressName: string, credentials?: { user: string; password: string }): Promise<number> {
  const ingress = fake.get('Ingress', namespace, ingressName) as Obj | undefined;
  if (!ingress) return 404;
  const annotations = (ingress.metadata.annotations ?? {}) as Record<string, string>;
  const files: Array<string | undefined> = [];
  if (annotations['nginx.ingress.kubernetes.io/auth-type'] === 'basic') {
    const ref = annotations['nginx.ingress.kubernetes.io/auth-secret'] ?? '';
    const [ns, name] = ref.includes('/') ? ref.split('/', 2) : [namespace, ref];
    files.push(secretText(fake.get('Secret', ns, name!) as Obj | undefined, 'auth'));
  }
  for (const entry of (annotations['traefik.ingress.kubernetes.io/router.middlewares'] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) {
    const id = entry.replace(/@kubernetescrd$/, '');
    const middleware = fake.objects({ kind: 'Middleware' }).find((m) => `${(m.metadata as Obj).namespace}-${(m.metadata as Obj).name}` === id) as Obj | undefined;
    // Traefik makes no router that names a missing middleware: the host is not served.
    if (!middleware) return 404;
    const secret = middleware.spec?.basicAuth?.secret;
    if (secret === undefined) continue;
    files.push(secretText(fake.get('Secret', middleware.metadata.namespace, secret) as Obj | undefined));
  }
  if (!files.length) return 200;
  if (files.some((f) => f === undefined)) return 503;
  if (!credentials) return 401;
  for (const file of files) if (!(await htpasswdAllows(file!, credentials.user, credentials.password))) return 401;
  return 200;
}
