import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { identityKey } from '../../../src/core/identity.js';
import { loadSettings, secretValues } from '../../../src/core/settings.js';
import { readManifests, renderFromManifests } from '../../../src/providers/kubernetes/manifests.js';
import { kubernetesModule } from '../../../src/providers/kubernetes/module.js';
import { renderFromSettings, type RenderContext } from '../../../src/providers/kubernetes/render.js';
import { kubernetesSchema, type KubernetesSettings } from '../../../src/providers/kubernetes/settings.js';

type Obj = Record<string, any>;

const load = (flags: Record<string, unknown>, env: Record<string, string> = {}, file?: unknown) =>
  loadSettings(
    { flags: { provider: 'kubernetes', app: 'shop', branch: 'main', ...flags } as never, env, file: file === undefined ? undefined : { path: '.preview.yml', data: file } },
    { ids: ['kubernetes'], pick: () => kubernetesModule },
  );

describe('kubernetes settings through the settings loader', () => {
  it('reads flags, env and the kubernetes: section, with in-cluster detection from the env', () => {
    const { provider } = load(
      { 'kube-context': 'ci', strategy: 'Recreate' },
      { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', K8S_NAMESPACE: 'previews', PREVIEW_PORT: '3000' },
      { kubernetes: { image: 'reg/app:{commit}', replicas: 2, memory: '256Mi', ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '10m' } } },
    );
    expect(provider).toMatchObject({
      kubeContext: 'ci',
      strategy: 'Recreate',
      namespace: 'previews',
      port: 3000,
      replicas: 2,
      memory: '256Mi',
      image: 'reg/app:{commit}',
      inCluster: { host: '10.0.0.1', port: '443', serviceAccountDir: '/var/run/secrets/kubernetes.io/serviceaccount' },
      ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '10m' },
      rolloutFailFast: true,
      databaseEnv: 'DATABASE_URL',
    });
  });

  it.each([
    [{ strategy: 'BlueGreen' }, /--strategy: expected RollingUpdate or Recreate/],
    [{ memory: 'lots' }, /--memory: expected a Kubernetes quantity/],
    [{ 'database-url': 'mysql://x' }, /--database-url: expected a postgres:\/\/ connection string/],
  ])('rejects %j with a message naming the flag', (flags, message) => {
    expect(() => load(flags)).toThrow(ConfigError);
    expect(() => load(flags)).toThrow(message);
  });

  it('declares the token and database URL as secrets', () => {
    const values = secretValues(kubernetesModule.options, { flags: {}, env: { K8S_TOKEN: 'tok-secret', PREVIEW_DATABASE_URL: 'postgres://u:pw@db/x' } });
    expect(values).toEqual(expect.arrayContaining(['tok-secret', 'postgres://u:pw@db/x']));
  });
});

const ctx = (extra: Partial<RenderContext> = {}): RenderContext => ({
  name: 'shop-main',
  key: identityKey({ project: 'Shop', branch: 'main' }),
  identity: { project: 'Shop', branch: 'main' },
  app: 'Shop',
  branch: 'main',
  namespace: 'previews',
  commit: '0123456789abcdef0123456789abcdef01234567',
  env: { A: '1' },
  domains: ['shop-main.preview.example.com'],
  configHash: 'h',
  ...extra,
});
const settings = (raw: Record<string, unknown>): KubernetesSettings => kubernetesSchema.parse(raw);

describe('objects rendered from settings', () => {
  it('renders a Deployment with the commit on the pod template, resources and strategy', () => {
    const objects = renderFromSettings(ctx(), settings({ image: 'reg/shop:{shortCommit}-{name}', strategy: 'Recreate', cpu: '100m', memoryLimit: '512Mi', commitLabel: true, readinessPath: '/health' })) as Obj[];
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Service', 'Ingress', 'Deployment']);
    const d = objects[3]!;
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('reg/shop:0123456-shop-main');
    expect(c.resources).toEqual({ requests: { cpu: '100m' }, limits: { memory: '512Mi' } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(d.spec.template.metadata.labels['preview-kit/commit']).toBe('0123456789abcde');
    expect(d.spec.template.metadata.annotations['preview-kit/commit']).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(d.spec.selector.matchLabels).toEqual({ 'preview-kit/name': 'shop-main', 'app.kubernetes.io/component': 'app' });
  });

  it('adds TLS with a cert-manager issuer, or the given secret', () => {
    const withIssuer = renderFromSettings(ctx({ commit: undefined }), settings({ certManagerIssuer: 'letsencrypt', ingressClass: 'nginx' })) as Obj[];
    const ingress = withIssuer.find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop-main.preview.example.com'], secretName: 'shop-main-tls' }]);
    expect(ingress.spec.ingressClassName).toBe('nginx');
    const withSecret = renderFromSettings(ctx({ commit: undefined }), settings({ tlsSecret: 'wildcard-{app}' })) as Obj[];
    expect(withSecret.find((o) => o.kind === 'Ingress')!.spec.tls[0].secretName).toBe('wildcard-shop');
  });

  it('needs an image to deploy, and refuses unknown placeholders', () => {
    expect(() => renderFromSettings(ctx(), settings({}))).toThrow(/--image is required/);
    expect(() => renderFromSettings(ctx(), settings({ image: 'reg/{tag}' }))).toThrow(/unknown or unavailable placeholder \{tag\}/);
  });
});

describe('objects from a manifests directory', () => {
  it('refuses cluster-wide and unknown kinds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifests-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
      expect(() => renderFromManifests(readManifests(dir), ctx(), settings({}))).toThrow(/cluster-wide/);
      writeFileSync(join(dir, 'a.yaml'), 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n');
      expect(() => renderFromManifests(readManifests(dir), ctx(), settings({}))).toThrow(/unsupported Kubernetes object example.com\/v1 Widget/);
      writeFileSync(join(dir, 'a.yaml'), 'kind: ConfigMap\n');
      expect(() => readManifests(dir)).toThrow(/needs apiVersion, kind and metadata.name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
