/**
 * The provider registry: the one list of platforms. `--help`, the settings loader, the GitHub
 * action inputs and the GitLab templates all read it. Adding a provider touches its folder and
 * this list. A module holds only options, schema and a loader: the provider's code is imported
 * when it is chosen.
 */
import { ConfigError } from '../core/errors.js';
import type { ProviderChoice, ProviderId } from '../core/settings.js';
import { cleverCloudModule } from './clever-cloud/module.js';
import { convoxModule } from './convox/module.js';
import { dockerModule } from './docker/module.js';
import { kubernetesModule } from './kubernetes/module.js';
import type { Provider, ProviderContext, ProviderModule } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const providerModules: ProviderModule<any>[] = [cleverCloudModule, dockerModule, kubernetesModule, convoxModule];

export const providerIds: readonly ProviderId[] = providerModules.map((m) => m.id);

export function providerModule(id: ProviderId): ProviderModule<unknown> {
  const module = providerModules.find((m) => m.id === id);
  if (!module) {
    throw new ConfigError(`invalid settings: provider "${id}" is not available in this version`, {
      hint: `available: ${providerIds.join(', ')}`,
    });
  }
  return module;
}

/** What the settings loader needs of the registry. */
export const providerChoice: ProviderChoice<unknown> = { ids: providerIds, pick: providerModule };

export function createProvider(id: ProviderId, settings: unknown, context: ProviderContext): Promise<Provider> {
  return providerModule(id).create(settings, context);
}
