/**
 * Rollout state of a Deployment, decided the way `kubectl rollout status` decides it, and the
 * reasons pods give when they cannot start (ImagePullBackOff, CrashLoopBackOff…), for error messages.
 */
import { COMMIT_ANNOTATION, type KubeObject } from './labels.js';

export type RolloutState = 'complete' | 'progressing' | 'failed';

export interface RolloutStatus {
  state: RolloutState;
  message: string;
  replicas: number;
  updated: number;
  available: number;
}

interface DeploymentLike {
  metadata: { name?: string; generation?: number };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

export function deploymentRollout(deployment: DeploymentLike): RolloutStatus {
  const name = deployment.metadata.name ?? '';
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const total = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const base = { replicas: desired, updated, available };
  if ((deployment.metadata.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return { ...base, state: 'progressing', message: `waiting for deployment "${name}" spec update to be observed` };
  }
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { ...base, state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  }
  if (updated < desired) {
    return { ...base, state: 'progressing', message: `${updated} out of ${desired} new replicas have been updated` };
  }
  if (total > updated) {
    return { ...base, state: 'progressing', message: `${total - updated} old replicas are pending termination` };
  }
  if (available < updated) {
    return { ...base, state: 'progressing', message: `${available} of ${updated} updated replicas are available` };
  }
  return { ...base, state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

/** Waiting reasons that will not clear by themselves soon: worth failing fast on. */
export const FATAL_WAITING_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export interface PodProblem {
  pod: string;
  container: string;
  reason: string;
  message?: string;
  /** The pod runs the commit being rolled out. */
  current: boolean;
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

/** What keeps each pod from being ready, from its container statuses and conditions. */
export function podProblems(pods: KubeObject[], commit: string | undefined): PodProblem[] {
  const problems: PodProblem[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const status = (pod.status ?? {}) as {
      phase?: string;
      reason?: string;
      message?: string;
      containerStatuses?: ContainerStatus[];
      initContainerStatuses?: ContainerStatus[];
      conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    };
    const current = commit === undefined || pod.metadata.annotations?.[COMMIT_ANNOTATION] === commit;
    const name = pod.metadata.name ?? '';
    const before = problems.length;
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
        problems.push({ pod: name, container: c.name ?? '', reason: waiting.reason, message: waiting.message, current });
      } else if (terminated && terminated.exitCode !== 0 && terminated.reason) {
        problems.push({ pod: name, container: c.name ?? '', reason: `${terminated.reason} (exit ${terminated.exitCode})`, message: terminated.message, current });
      }
    }
    if (problems.length === before && status.phase === 'Pending') {
      const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (unschedulable) problems.push({ pod: name, container: '', reason: unschedulable.reason ?? 'Unschedulable', message: unschedulable.message, current });
    }
    if (problems.length === before && status.phase === 'Failed') {
      problems.push({ pod: name, container: '', reason: status.reason ?? 'Failed', message: status.message, current });
    }
  }
  return problems;
}

export function describeProblems(problems: PodProblem[]): string {
  return problems
    .map((p) => `pod ${p.pod}${p.container ? ` container ${p.container}` : ''}: ${p.reason}${p.message ? ` (${p.message.slice(0, 200)})` : ''}`)
    .join('; ');
}

/**
 * Why each pod is not ready yet, slow states included (ContainerCreating, running but not ready):
 * what a person needs when a rollout runs out of time rather than failing. Pods of `commit` are
 * shown when there are any, else all; ready pods are left out.
 */
export function notReadyPods(pods: KubeObject[], commit: string | undefined): PodProblem[] {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ofCommit = live.filter((p) => commit === undefined || p.metadata.annotations?.[COMMIT_ANNOTATION] === commit);
  const out: PodProblem[] = [];
  for (const pod of ofCommit.length ? ofCommit : live) {
    const current = ofCommit.includes(pod);
    const problems = podProblems([pod], commit);
    if (problems.length) {
      out.push(...problems);
      continue;
    }
    const status = (pod.status ?? {}) as {
      phase?: string;
      conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
      containerStatuses?: ContainerStatus[];
      initContainerStatuses?: ContainerStatus[];
    };
    if (status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const name = pod.metadata.name ?? '';
    const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].filter((c) => !c.ready);
    const waiting = containers.find((c) => c.state?.waiting?.reason);
    if (waiting) {
      out.push({ pod: name, container: waiting.name ?? '', reason: waiting.state!.waiting!.reason!, message: waiting.state!.waiting!.message, current });
    } else if (containers.length && status.phase === 'Running') {
      out.push({ pod: name, container: containers[0]!.name ?? '', reason: 'running but not ready', message: 'readiness probe not passing yet', current });
    } else {
      const ready = status.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
      out.push({ pod: name, container: '', reason: ready?.reason ?? status.phase ?? 'not ready', message: ready?.message, current });
    }
  }
  return out;
}
