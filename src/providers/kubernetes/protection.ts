/**
 * `--basic-auth` on the Ingress, the way its controller reads it:
 *
 * - ingress-nginx (internal/ingress/annotations/auth): `nginx.ingress.kubernetes.io/auth-type:
 *   basic`, `auth-secret: <Secret>` in the Ingress's namespace, `auth-secret-type: auth-file` (the
 *   Secret's key `auth` holds an htpasswd file), `auth-realm`.
 * - Traefik (pkg/provider/kubernetes/crd/kubernetes.go, `createBasicAuthMiddleware`): a
 *   `traefik.io/v1alpha1` Middleware with `basicAuth.secret`, whose Secret holds exactly one key of
 *   htpasswd lines, and the Ingress annotation `traefik.ingress.kubernetes.io/router.middlewares:
 *   <namespace>-<middleware>@kubernetescrd`.
 *
 * The Secret stores only an `$apr1$` hash (htpasswd.ts). A re-run keeps the stored line when the
 * password still verifies against it, so the same setting writes nothing; without `--basic-auth`
 * the annotations go with the next apply and the Secret and Middleware we made are deleted.
 */
import { ProviderError } from '../../core/errors.js';
import type { Cluster } from './cluster.js';
import { htpasswdLine, verifiesLine } from './htpasswd.js';
import { marksOf, type KubeObject, type Owner } from './labels.js';
import { ownershipOf } from '../reconcile.js';
import { secretObject, type RenderContext } from './render.js';
import { MIDDLEWARE_TYPE } from './resources.js';
import type { Snapshot } from './snapshot.js';
import type { KubernetesSettings } from './settings.js';

export const NGINX_AUTH = {
  type: 'nginx.ingress.kubernetes.io/auth-type',
  secret: 'nginx.ingress.kubernetes.io/auth-secret',
  secretType: 'nginx.ingress.kubernetes.io/auth-secret-type',
  realm: 'nginx.ingress.kubernetes.io/auth-realm',
} as const;
export const TRAEFIK_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';

/** Name of the preview's basic-auth Secret (and, with Traefik, Middleware). */
export function basicAuthName(preview: string): string {
  return `${preview}-basic-auth`;
}

/** The key of the htpasswd file in the Secret: `auth` for ingress-nginx; Traefik reads the only key. */
function secretKey(settings: KubernetesSettings): string {
  return settings.ingressController === 'traefik' ? 'users' : 'auth';
}

function realm(ctx: RenderContext): string {
  return `Preview ${ctx.name}`;
}

/** The Ingress with the annotations that turn basic auth on (the input is not changed). */
export function protectIngress(ingress: KubeObject, ctx: RenderContext, settings: KubernetesSettings): KubeObject {
  const annotations = { ...(ingress.metadata.annotations ?? {}) };
  const name = basicAuthName(ctx.name);
  if (settings.ingressController === 'traefik') {
    const ours = `${ctx.namespace}-${name}@kubernetescrd`;
    const others = (annotations[TRAEFIK_MIDDLEWARES] ?? '').split(',').map((m) => m.trim()).filter((m) => m && m !== ours);
    annotations[TRAEFIK_MIDDLEWARES] = [ours, ...others].join(',');
  } else {
    Object.assign(annotations, { [NGINX_AUTH.type]: 'basic', [NGINX_AUTH.secret]: name, [NGINX_AUTH.secretType]: 'auth-file', [NGINX_AUTH.realm]: realm(ctx) });
  }
  return { ...ingress, metadata: { ...ingress.metadata, annotations } };
}

/** The Secret (htpasswd `file`) and, with Traefik, the Middleware that protect the preview. */
export function protectionObjects(ctx: RenderContext, settings: KubernetesSettings, file: string): KubeObject[] {
  const name = basicAuthName(ctx.name);
  const secret = secretObject(ctx, name, { [secretKey(settings)]: file }, 'basic-auth');
  if (settings.ingressController !== 'traefik') return [secret];
  const middleware: KubeObject = {
    apiVersion: MIDDLEWARE_TYPE.apiVersion,
    kind: MIDDLEWARE_TYPE.kind,
    metadata: { ...secret.metadata },
    // removeHeader: the application never sees the preview's password.
    spec: { basicAuth: { secret: name, realm: realm(ctx), removeHeader: true } },
  };
  return [secret, middleware];
}

/**
 * The htpasswd file to store: the live one when it holds the user with this password (a re-run
 * writes nothing), else a new line with a fresh salt.
 */
export function htpasswdFor(live: KubeObject | undefined, settings: KubernetesSettings, credentials: { user: string; password: string }): string {
  const stored = (live?.data as Record<string, string> | undefined)?.[secretKey(settings)];
  const file = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
  if (file && verifiesLine(file, credentials.user, credentials.password)) return file;
  return `${htpasswdLine(credentials.user, credentials.password)}\n`;
}

/**
 * Without `--basic-auth`: deletes the Secret and Middleware an earlier run made for it, when they
 * carry this preview's key; nothing (and no write) when there are none. True when one went.
 */
export async function removeProtection(cluster: Cluster, objects: Snapshot, ctx: RenderContext, owner: Pick<Owner, 'key'>): Promise<boolean> {
  let removed = false;
  for (const object of protectionObjects(ctx, cluster.settings, '')) {
    let live: KubeObject | undefined;
    try {
      live = await objects.readLabelled(object);
    } catch (error) {
      // No Traefik CRDs on this cluster: no Middleware of ours either.
      if (object.kind === MIDDLEWARE_TYPE.kind && error instanceof ProviderError && error.status === 404) continue;
      throw error;
    }
    if (!live || live.metadata.deletionTimestamp || ownershipOf(marksOf(live), owner.key).kind !== 'ours') continue;
    await objects.delete(live);
    if (!cluster.context.plan.dryRun) await objects.waitGone(live);
    removed = true;
  }
  return removed;
}
