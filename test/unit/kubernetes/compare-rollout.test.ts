import { describe, expect, it } from 'vitest';
import { driftPaths, parseQuantity, upToDate } from '../../../src/providers/kubernetes/compare.js';
import type { KubeObject } from '../../../src/providers/kubernetes/labels.js';
import { withHash } from '../../../src/providers/kubernetes/render.js';
import { deploymentRollout, podProblems } from '../../../src/providers/kubernetes/rollout.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['0.5', 0.5],
    ['2', 2],
    ['1Gi', 2 ** 30],
    ['1024Mi', 2 ** 30],
    ['1k', 1000],
    ['1e3', 1000],
    ['12e-1', 1.2],
  ])('%s is %d', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value));
  it.each(['abc', '1Zi', '', '--1'])('%s is not a quantity', (text) => expect(parseQuantity(text)).toBeUndefined());
});

describe('drift between what we declare and the live object', () => {
  it('ignores defaults and status the server adds, and canonical rewrites', () => {
    const want = { spec: { replicas: 1, containers: [{ name: 'app', resources: { requests: { cpu: '0.5', memory: '1024Mi' } }, envFrom: [] }] } };
    const have = {
      spec: { replicas: 1, revisionHistoryLimit: 10, containers: [{ name: 'app', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
      status: { replicas: 1 },
    };
    expect(driftPaths(want, have)).toEqual([]);
  });

  it('names each field that differs or is missing', () => {
    const want = { spec: { replicas: 1, ports: [{ port: 80 }], selector: { app: 'x' } } };
    const have = { spec: { replicas: 3, ports: [{ port: 80 }, { port: 81 }], selector: {} } };
    expect(driftPaths(want, have)).toEqual(['.spec.replicas', '.spec.ports', '.spec.selector.app']);
  });

  it('needs the same applied hash as well', () => {
    const desired = withHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: 'y' } }, data: { k: 'v' } } as KubeObject);
    expect(upToDate(desired, structuredClone(desired)).equal).toBe(true);
    const changed = withHash({ ...desired, data: { k: 'w' } } as KubeObject);
    expect(upToDate(changed, desired).equal).toBe(false);
    expect(upToDate(desired, undefined).equal).toBe(false);
    const edited = structuredClone(desired) as KubeObject & { data: Record<string, string> };
    edited.data.k = 'by hand';
    expect(upToDate(desired, edited)).toEqual({ equal: false, drift: ['.data.k'] });
  });
});

const deployment = (generation: number, replicas: number, status: Record<string, unknown>) => ({
  metadata: { name: 'web', generation },
  spec: { replicas },
  status,
});

describe('deploymentRollout decides like kubectl rollout status', () => {
  it.each([
    ['spec not observed yet', deployment(2, 1, { observedGeneration: 1, updatedReplicas: 1, replicas: 1, availableReplicas: 1 }), 'progressing', /spec update to be observed/],
    ['new replicas missing', deployment(2, 3, { observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 3 }), 'progressing', /1 out of 3 new replicas/],
    ['old replicas terminating', deployment(2, 2, { observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }), 'progressing', /1 old replicas are pending termination/],
    ['updated not available', deployment(2, 2, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), 'progressing', /1 of 2 updated replicas are available/],
    ['done', deployment(2, 2, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), 'complete', /successfully rolled out/],
    ['scaled to zero', deployment(1, 0, { observedGeneration: 1 }), 'complete', /successfully rolled out/],
    [
      'past its deadline',
      deployment(2, 1, { observedGeneration: 2, updatedReplicas: 1, replicas: 2, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      'failed',
      /exceeded its progress deadline/,
    ],
  ])('%s', (_what, d, state, message) => {
    const status = deploymentRollout(d);
    expect(status.state).toBe(state);
    expect(status.message).toMatch(message);
  });
});

describe('podProblems', () => {
  const pod = (name: string, commit: string, statuses: unknown[], phase = 'Pending') =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations: { 'preview-kit/commit': commit } }, status: { phase, containerStatuses: statuses } }) as KubeObject;
  it('reports waiting reasons and failed terminations, marking pods of the current commit', () => {
    const problems = podProblems(
      [
        pod('new-1', 'c2', [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }]),
        pod('old-1', 'c1', [{ name: 'app', state: { running: {} }, ready: true }], 'Running'),
        pod('new-2', 'c2', [{ name: 'app', state: { terminated: { reason: 'Error', exitCode: 2 } } }]),
        pod('new-3', 'c2', [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }]),
      ],
      'c2',
    );
    expect(problems).toEqual([
      { pod: 'new-1', container: 'app', reason: 'ImagePullBackOff', message: 'not found', current: true },
      { pod: 'new-2', container: 'app', reason: 'Error (exit 2)', message: undefined, current: true },
    ]);
  });
});
