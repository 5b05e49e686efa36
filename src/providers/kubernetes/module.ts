/**
 * The Kubernetes entry of the provider factory: options, schema and constructor.
 */
import type { ProviderModule } from '../types.js';
import { kubernetesOptions, kubernetesSchema, type KubernetesSettings } from './settings.js';

export type { KubernetesSettings } from './settings.js';

export const kubernetesModule: ProviderModule<KubernetesSettings> = {
  id: 'kubernetes',
  description: 'Deployments, Services and Ingresses applied with server-side apply (kubeconfig or in-cluster)',
  // ingress-nginx annotations + an htpasswd Secret, or a Traefik Middleware (protection.ts).
  capabilities: { basicAuth: true },
  options: kubernetesOptions,
  schema: kubernetesSchema,
  create: async (settings, context) => {
    const { KubernetesProvider } = await import('./provider.js');
    return new KubernetesProvider(settings, context);
  },
};
