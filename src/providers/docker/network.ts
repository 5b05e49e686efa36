/**
 * The preview's network, reconciled like every top-level resource (see ../reconcile.ts): names are
 * unique on the engine, so a concurrent create is answered "already exists" and the run joins the
 * network the other run made, when that one is this preview's.
 */
import { ConflictError, SafetyError } from '../../core/errors.js';
import type { ReconcileContext, ResourceHooks } from '../reconcile.js';
import type { PreviewRef } from '../types.js';
import type { NetworkInspect } from './engine-types.js';
import { identityLabels, LABEL, marksOf } from './labels.js';
import type { DockerRuntime } from './runtime.js';

/** What reconcile needs to know about the run. */
export function reconcileContext(rt: DockerRuntime, ref: PreviewRef): ReconcileContext {
  const { plan, logger, deadline, adopt } = rt.context;
  return { plan, logger, deadline, adopt, identity: ref.identity, preview: ref.name };
}

export const PLANNED_NETWORK_ID = '(planned)';

/** A new network's labels: the preview's identity, and when it was made (what `list` shows as created). */
function networkLabels(ref: PreviewRef): Record<string, string> {
  return { ...identityLabels(ref), [LABEL.createdAt]: new Date().toISOString() };
}

export function networkHooks(rt: DockerRuntime, ref: PreviewRef): ResourceHooks<NetworkInspect> {
  const labels = networkLabels(ref);
  return {
    noun: 'network',
    name: ref.name,
    list: () => rt.engine.networksNamed(ref.name),
    id: (n) => n.Id.slice(0, 12),
    createdAt: (n) => Date.parse(n.Created),
    marks: (n) => marksOf(n.Labels),
    async create() {
      const id = await rt.engine.createNetwork(ref.name, labels);
      return (await rt.engine.inspectNetwork(id)) ?? { Id: id, Name: ref.name, Created: new Date().toISOString(), Labels: labels };
    },
    planned: () => ({ Id: PLANNED_NETWORK_ID, Name: ref.name, Created: '', Labels: labels }),
    async remove(n) {
      await rt.engine.removeNetwork(n.Id);
    },
    mark: (n) => relabel(rt, ref, n),
    // Our key without the marker: ours, whatever took the marker off.
    provablyOurs: (n) => n.Labels?.[LABEL.key] === ref.key,
    uniqueNames: true,
    // podman answers 500 "network already exists", Docker 409: the engine client maps both.
    isNameTaken: (error) => error instanceof ConflictError,
  };
}

/**
 * An engine cannot change a network's labels, so taking one over (`--adopt`, or repairing lost
 * marks) means making it again under the same name with our labels — only while no container is
 * connected to it, since re-making it would cut them off.
 */
async function relabel(rt: DockerRuntime, ref: PreviewRef, network: NetworkInspect): Promise<NetworkInspect> {
  const current = await rt.engine.inspectNetwork(network.Id, { containers: true });
  const connected = Object.keys(current?.Containers ?? {});
  if (connected.length > 0) {
    throw new SafetyError(`network ${ref.name} (${network.Id.slice(0, 12)}) has ${connected.length} container(s) connected: it can only be taken over while empty`, {
      hint: 'an engine cannot relabel a network: disconnect or remove its containers, or remove the network',
    });
  }
  await rt.engine.removeNetwork(network.Id);
  // Taken over, not made now: it keeps the time it was made.
  const labels = { ...networkLabels(ref), [LABEL.createdAt]: network.Labels?.[LABEL.createdAt] ?? (network.Created || new Date().toISOString()) };
  const id = await rt.engine.createNetwork(ref.name, labels);
  return (await rt.engine.inspectNetwork(id)) ?? { Id: id, Name: ref.name, Created: new Date().toISOString(), Labels: labels };
}
