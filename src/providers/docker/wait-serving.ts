/**
 * Waiting until new containers serve: each service is probed through Caddy's listener with its
 * own Host header (or its staging header), the path a visitor's request takes. A container that
 * exits fails the wait at once, with its last output.
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { poll, type Deadline } from '../../core/retry.js';
import { STAGING_HEADER } from './caddy-routes.js';
import type { ServiceStep } from './deploy-steps.js';
import { isServing, probe } from './probe.js';
import type { CaddyView, DockerRuntime } from './runtime.js';

export interface WaitTarget {
  step: ServiceStep;
  headers: Record<string, string>;
}

/** Polls each service through Caddy until it answers; a container that exits fails at once. */
export async function waitServing(rt: DockerRuntime, view: CaddyView, targets: WaitTarget[], deadline: Deadline): Promise<void> {
  await Promise.all(
    targets.map(async ({ step, headers }) => {
      const host = step.plan.hosts[0]!;
      const where = `${view.listener.tls ? 'https' : 'http'}://${view.listener.host}:${view.listener.port}${step.plan.healthPath} (Host: ${host})`;
      let last = 'no answer yet';
      try {
        await poll(
          async () => {
            const result = await probe(view.listener, host, step.plan.healthPath, headers, Math.min(10_000, Math.max(500, deadline.remaining())));
            last = result.summary;
            rt.context.logger.debug(`probe ${step.plan.service} (Host: ${host}${headers[STAGING_HEADER] ? ', staging' : ''}): ${result.summary}`);
            if (isServing(result)) return true;
            const id = step.containerId;
            if (id && (result.status === undefined || result.status >= 500)) {
              const c = await rt.engine.inspectContainer(id);
              if (c && !c.State.Running) {
                throw new ProviderError(`service ${step.plan.service}: container exited with code ${c.State.ExitCode}${c.State.Error ? ` (${c.State.Error})` : ''}`, {
                  hint: 'see the container output above',
                });
              }
            }
            return undefined;
          },
          {
            deadline,
            what: `service ${step.plan.service} to answer through Caddy at ${where}`,
            // A probe is one loopback request through Caddy, and a started process usually listens
            // within tens of milliseconds: the first steps are shorter than the usual 100 ms, and
            // double up to the usual 1 s.
            initialMs: 25,
            onWait: (elapsed) => rt.context.logger.progress(`${step.plan.service}: ${last} after ${(elapsed / 1000).toFixed(1)}s`),
          },
        );
      } catch (error) {
        if (error instanceof TimeoutError) {
          throw new TimeoutError(`service ${step.plan.service} did not answer through Caddy at ${where}: last ${last}`, { hint: 'check the container output above, --health-path, and the service port' });
        }
        throw error;
      }
    }),
  );
}

/** The last lines of each new container, so a failed deploy says why. */
export async function showLogs(rt: DockerRuntime, steps: ServiceStep[]): Promise<void> {
  for (const step of steps) {
    if (!step.fresh) continue;
    const logs = (await rt.engine.containerLogs(step.fresh.id)).trim();
    if (logs) rt.context.logger.info(`last output of ${step.plan.service} (${step.fresh.name}):\n  ${logs.split('\n').slice(-20).join('\n  ')}`);
  }
}
