/**
 * The provider factory: one line per platform. Adding a provider touches its folder and this list.
 */
import { ConfigError } from '../core/errors.js';
import type { CommonSettings, ProviderId } from '../core/settings.js';
import { cleverCloudModule } from './clever-cloud/module.js';
import { convoxModule } from './convox/module.js';
import { dockerModule } from './docker/module.js';
import { kubernetesModule } from './kubernetes/module.js';
import type { Provider, ProviderContext, ProviderModule } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const providerModules: ProviderModule<any>[] = [cleverCloudModule, dockerModule, kubernetesModule, convoxModule];

export function providerModule(id: ProviderId): ProviderModule<unknown> {
  const module = providerModules.find((m) => m.id === id);
  if (!module) {
    throw new ConfigError(`invalid settings: provider "${id}" is not available in this version`, {
      hint: `available: ${providerModules.map((m) => m.id).join(', ')}`,
    });
  }
  return module;
}

export function createProvider(id: ProviderId, settings: unknown, common: CommonSettings, context: ProviderContext): Provider {
  return providerModule(id).create(settings, common, context);
}
