/**
 * Clever Cloud's entry in the provider factory: its options, its settings schema and its constructor.
 */
import type { ProviderModule } from '../types.js';
import { cleverOptions, cleverSchema, type CleverSettings } from './settings.js';

export type { CleverSettings } from './settings.js';

export const cleverCloudModule: ProviderModule<CleverSettings> = {
  id: 'clever-cloud',
  description: 'Clever Cloud: one git-deployed application per preview, with its domains and add-ons',
  options: cleverOptions,
  schema: cleverSchema,
  // Clever Cloud's routing (its load balancers in front of every app) has no HTTP basic auth to
  // switch on per application: protection would have to live in the app itself.
  capabilities: { basicAuth: false },
  create: async (settings, context) => {
    const { CleverCloudProvider } = await import('./provider.js');
    return new CleverCloudProvider(settings, context);
  },
};
