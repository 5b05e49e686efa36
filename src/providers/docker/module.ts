/**
 * The Docker host + Caddy provider's entry in the provider factory.
 */
import type { ProviderModule } from '../types.js';
import { dockerOptions, dockerSchema, type DockerSettings } from './settings.js';

export type { DockerSettings } from './settings.js';

export const dockerModule: ProviderModule<DockerSettings> = {
  id: 'docker',
  description: 'containers on a Docker Engine behind Caddy',
  // Caddy's `authentication` handler, with a bcrypt hash of the password (basic-auth.ts).
  capabilities: { basicAuth: true },
  options: dockerOptions,
  schema: dockerSchema,
  // `--domain '{name}.{domain}'` reads like the service host templates of .preview.yml.
  domainValues: (settings) => ({ domain: settings.baseDomain }),
  create: async (settings, context) => {
    const { createDockerProvider } = await import('./provider.js');
    return createDockerProvider(settings, context);
  },
};
