/**
 * The Convox entry of the provider factory: options, schema and constructor.
 */
import type { ProviderModule } from '../types.js';
import { convoxOptions, convoxSchema, type ConvoxSettings } from './settings.js';

export type { ConvoxSettings } from './settings.js';

export const convoxModule: ProviderModule<ConvoxSettings> = {
  id: 'convox',
  description: 'Convox rack: one app per preview, built from the commit and promoted (RACK_URL)',
  // The rack's router has no per-app basic auth: protection would be the app's own.
  capabilities: { basicAuth: false },
  options: convoxOptions,
  schema: convoxSchema,
  create: async (settings, context) => {
    const { ConvoxProvider } = await import('./provider.js');
    return new ConvoxProvider(settings, context);
  },
};
