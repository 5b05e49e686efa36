/**
 * The container a service runs as: its create body, labelled with the preview's identity, and the
 * hash of everything that, when it changes, calls for a new container.
 */
import { ProviderError } from '../../core/errors.js';
import { backoffDelay, WAIT_BACKOFF } from '../../core/retry.js';
import type { PreviewRef } from '../types.js';
import type { ResolvedImage } from './images.js';
import { hashOf, identityLabels, LABEL } from './labels.js';
import type { DockerRuntime } from './runtime.js';
import type { ServicePlan } from './services.js';

/** Bumped when the shape of the containers we create changes, so old ones get replaced. */
const CONTAINER_SHAPE = 1;

function envNameOf(service: string): string {
  return service.toUpperCase();
}

export interface ContainerInput {
  plan: ServicePlan;
  image: ResolvedImage;
  /** This service's public URL. */
  url: string;
  /** Every service's public URL, by service. */
  urls: Record<string, string>;
  network: string;
  commit: string;
}

export function containerBody(rt: DockerRuntime, ref: PreviewRef, input: ContainerInput): { body: Record<string, unknown>; hash: string } {
  const { plan, image, network } = input;
  const env: Record<string, string> = {
    ...plan.env,
    PREVIEW_NAME: ref.name,
    PREVIEW_URL: input.url,
    ...Object.fromEntries(Object.entries(input.urls).map(([service, url]) => [`PREVIEW_URL_${envNameOf(service)}`, url])),
  };
  const portKey = `${plan.port}/tcp`;
  const shape = {
    shape: CONTAINER_SHAPE,
    image: image.identity,
    env,
    command: plan.command,
    port: plan.port,
    publishHost: rt.settings.publishHost,
    network,
    service: plan.service,
  };
  const hash = hashOf(shape);
  const labels: Record<string, string> = {
    ...identityLabels(ref),
    [LABEL.service]: plan.service,
    [LABEL.commit]: input.commit,
    [LABEL.configHash]: hash,
    // Labels cannot change after the create: each deploy makes a container, and says when.
    [LABEL.deployedAt]: new Date().toISOString(),
  };
  const body: Record<string, unknown> = {
    Image: image.id.startsWith('sha256:dry-run') ? image.ref : image.id,
    Env: Object.entries(env)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ExposedPorts: { [portKey]: {} },
    HostConfig: {
      NetworkMode: network,
      // An empty HostPort lets the engine pick a free port: no scanning, no race between previews.
      PortBindings: { [portKey]: [{ HostIp: rt.settings.publishHost, HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped' },
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [plan.service] } } },
    ...(plan.command ? { Cmd: plan.command } : {}),
  };
  return { body, hash };
}

/**
 * Creates a container under a name nobody else uses (a fresh random suffix). When the answer is
 * lost (a 5xx from a proxy, a dropped connection) the create may have been applied: the name is
 * looked up before trying again, so one attempt never leaves a second container behind.
 */
export async function createContainerOnce(rt: DockerRuntime, name: string, body: Record<string, unknown>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rt.engine.createContainer(name, body);
    } catch (error) {
      const lost = error instanceof ProviderError && (error.retryable || error.status === 409);
      if (!lost || attempt >= 3) throw error;
      const made = await rt.engine.inspectContainer(name);
      if (made && made.Config?.Labels?.[LABEL.key] === (body.Labels as Record<string, string>)[LABEL.key]) return made.Id;
      rt.context.logger.debug(`create container ${name}: ${(error as Error).message}; trying again`);
      await rt.context.deadline.clock.sleep(Math.min(backoffDelay(attempt - 1, WAIT_BACKOFF), rt.context.deadline.remaining()));
    }
  }
}
