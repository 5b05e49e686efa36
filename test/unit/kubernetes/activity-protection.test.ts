/**
 * What list/find read from a preview's workloads (state, last deploy time), how deploy stamps the
 * time without making a re-run write, and the Ingress annotations `--basic-auth` adds per controller.
 */
import { describe, expect, it } from 'vitest';
import { lastDeployedAt, previewState, stampDeployedAt } from '../../../src/providers/kubernetes/activity.js';
import type { KubeObject } from '../../../src/providers/kubernetes/labels.js';
import { basicAuthName, protectIngress, protectionObjects } from '../../../src/providers/kubernetes/protection.js';
import { ingressObject, withHash, type RenderContext } from '../../../src/providers/kubernetes/render.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';

type Status = { replicas?: number; updatedReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: Array<{ type: string; reason: string }> };
const deployment = (replicas: number | undefined, status: Status, annotations: Record<string, string> = {}, generation = 1): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation, annotations },
  spec: replicas === undefined ? {} : { replicas },
  status: { observedGeneration: 1, ...status },
});
const ready = { replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } };

describe('previewState', () => {
  it.each([
    ['no workload (ensure-app only)', [service], 'unknown'],
    ['rolled out', [deployment(1, ready)], 'running'],
    ['replicas defaulted to 1, rolled out', [deployment(undefined, ready)], 'running'],
    ['scaled to zero', [deployment(0, { replicas: 0 }, { 'preview-kit/sleeping-replicas': '1' })], 'sleeping'],
    ['new pods not available yet', [deployment(1, { replicas: 1, updatedReplicas: 1, availableReplicas: 0 })], 'deploying'],
    ['spec change not observed yet', [deployment(1, ready, {}, 2)], 'deploying'],
    ['past its progress deadline', [deployment(1, { ...ready, availableReplicas: 0, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] })], 'failed'],
    ['one of two workloads still awake', [deployment(0, { replicas: 0 }), { ...deployment(1, ready), kind: 'StatefulSet' }], 'running'],
  ] as const)('%s → %s', (_what, objects, state) => {
    expect(previewState([...objects])).toBe(state);
  });
});

describe('lastDeployedAt', () => {
  it('is the latest deploy time stamped on the workloads', () => {
    const a = deployment(1, ready, { 'preview-kit/deployed-at': '2025-03-01T10:00:00.000Z' });
    const b = { ...deployment(1, ready, { 'preview-kit/deployed-at': '2025-03-04T08:00:00.000Z' }), kind: 'StatefulSet' };
    expect(lastDeployedAt([a, b, service])).toBe('2025-03-04T08:00:00.000Z');
  });

  it('falls back to the time of our last apply for workloads made before the stamp existed', () => {
    const old = deployment(1, ready);
    old.metadata.managedFields = [
      { manager: 'kubectl', operation: 'Update', time: '2025-05-01T00:00:00Z' },
      { manager: 'preview-kit', operation: 'Apply', time: '2025-02-01T00:00:00Z' },
    ] as unknown as KubeObject['metadata']['managedFields'];
    expect(lastDeployedAt([old])).toBe('2025-02-01T00:00:00Z');
    expect(lastDeployedAt([service])).toBeUndefined();
  });
});

describe('stampDeployedAt', () => {
  const desired = (image: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: {} },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image }] } } },
  });
  const liveOf = (object: KubeObject, at: string) => withHash({ ...object, metadata: { ...object.metadata, annotations: { 'preview-kit/deployed-at': at } } });

  it('keeps the live time when the workload is already as wanted, so a re-run writes nothing', () => {
    const live = liveOf(desired('app:1'), '2025-01-01T00:00:00.000Z');
    const [stamped] = stampDeployedAt([desired('app:1')], () => live, '2025-06-01T00:00:00.000Z');
    expect(stamped!.metadata.annotations!['preview-kit/deployed-at']).toBe('2025-01-01T00:00:00.000Z');
    expect(withHash(stamped!).metadata.annotations!['preview-kit/applied-hash']).toBe(live.metadata.annotations!['preview-kit/applied-hash']);
  });

  it('stamps now on a workload that will be written, or that is new; leaves other kinds alone', () => {
    const live = liveOf(desired('app:1'), '2025-01-01T00:00:00.000Z');
    const [changed, created, other] = stampDeployedAt([desired('app:2'), { ...desired('app:2'), metadata: { name: 'worker' } }, service], (o) => (o.metadata.name === 'web' ? live : undefined), 'NOW');
    expect(changed!.metadata.annotations!['preview-kit/deployed-at']).toBe('NOW');
    expect(created!.metadata.annotations!['preview-kit/deployed-at']).toBe('NOW');
    expect(other).toBe(service);
  });
});

describe('--basic-auth on the Ingress', () => {
  const ctx: RenderContext = { name: 'shop-main', key: '0123456789abcdef0123', identity: { project: 'shop', branch: 'main' }, app: 'shop', namespace: 'previews', env: {}, domains: ['shop-main.example.com'], configHash: '' };

  it('ingress-nginx: auth-type, auth-secret (same namespace), auth-secret-type auth-file, auth-realm; Secret key auth', () => {
    const settings = kubernetesSchema.parse({ ingressClass: 'nginx' });
    expect(settings.ingressController).toBe('nginx');
    const ingress = protectIngress(ingressObject(ctx, settings, 'shop-main', 80), ctx, settings);
    expect(ingress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': basicAuthName('shop-main'),
      'nginx.ingress.kubernetes.io/auth-secret-type': 'auth-file',
      'nginx.ingress.kubernetes.io/auth-realm': 'Preview shop-main',
    });
    const objects = protectionObjects(ctx, settings, 'viewer:$apr1$x$y\n');
    expect(objects.map((o) => o.kind)).toEqual(['Secret']);
    expect(Object.keys(objects[0]!.data as object)).toEqual(['auth']);
    expect(objects[0]!.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/key': ctx.key, 'app.kubernetes.io/component': 'basic-auth' });
  });

  it('Traefik (from the class, or set): a Middleware with basicAuth.secret, a one-key Secret, and the router annotation next to the user’s', () => {
    const settings = kubernetesSchema.parse({ ingressClass: 'traefik', ingressAnnotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'kube-system-ratelimit@kubernetescrd' } });
    expect(settings.ingressController).toBe('traefik');
    expect(kubernetesSchema.parse({ ingressClass: 'public', ingressController: 'traefik' }).ingressController).toBe('traefik');
    const ingress = protectIngress(ingressObject(ctx, settings, 'shop-main', 80), ctx, settings);
    expect(ingress.metadata.annotations!['traefik.ingress.kubernetes.io/router.middlewares']).toBe('previews-shop-main-basic-auth@kubernetescrd,kube-system-ratelimit@kubernetescrd');
    expect(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/auth-type']).toBeUndefined();
    const [secret, middleware] = protectionObjects(ctx, settings, 'viewer:$apr1$x$y\n');
    expect(Object.keys(secret!.data as object)).toHaveLength(1);
    expect(middleware).toMatchObject({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'shop-main-basic-auth', namespace: 'previews' }, spec: { basicAuth: { secret: 'shop-main-basic-auth', removeHeader: true } } });
  });
});
