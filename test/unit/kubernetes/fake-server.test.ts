/**
 * The fake API server's own contract: what the provider tests rely on must behave like a cluster.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubernetes, type FakeKubernetes } from '../../fakes/kubernetes/server.js';
import { parseLabelSelector, matchesLabels } from '../../fakes/kubernetes/selectors.js';

type Obj = Record<string, any>;
let fake: FakeKubernetes;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json', token?: string) {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token ?? fake.token}`, 'content-type': contentType, 'user-agent': 'tester/1.0' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as Obj };
}

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const apply = (name: string, object: Obj, manager: string, force = false) =>
  call('PATCH', `${DEPLOY}/${name}?fieldManager=${manager}${force ? '&force=true' : ''}`, object, 'application/apply-patch+yaml');
const deployment = (replicas: number | undefined, extra: Obj = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    ...(replicas === undefined ? {} : { replicas }),
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    ...extra,
  },
});

beforeEach(async () => {
  fake = await startFakeKubernetes({ readyDelayMs: 10, controllerIntervalMs: 5, deletionDelayMs: 10 });
});
afterEach(async () => {
  await fake.close();
});

describe('fake Kubernetes API: errors are real Status bodies', () => {
  it('401 on a bad token', async () => {
    const res = await call('GET', CM, undefined, undefined, 'bad');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
  });

  it('404 NotFound for a missing object, a plain 404 for an unknown path', async () => {
    const res = await call('GET', `${CM}/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "nope" not found', details: { name: 'nope', kind: 'configmaps' } });
    const unknown = await call('GET', '/apis/example.com/v1/widgets');
    expect(unknown).toEqual({ status: 404, body: '404 page not found\n' });
  });

  it('409 AlreadyExists on a second create, 409 Conflict on a stale resourceVersion', async () => {
    const created = await call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'a', namespace: 'default', resourceVersion: expect.any(String), uid: expect.any(String), creationTimestamp: expect.any(String) });
    const again = await call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
    const put = await call('PUT', `${CM}/a`, { ...created.body, data: { k: 'w' } });
    expect(put.status).toBe(200);
    expect(Number(put.body.metadata.resourceVersion)).toBeGreaterThan(Number(created.body.metadata.resourceVersion));
    const stale = await call('PUT', `${CM}/a`, { ...created.body, data: { k: 'x' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'Conflict', message: expect.stringContaining('the object has been modified') });
  });

  it('422 Invalid with causes; 404 for a missing namespace', async () => {
    const res = await apply('web', deployment(1, { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), 'me');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ reason: 'Invalid', details: { kind: 'Deployment', causes: [{ field: 'spec.strategy.rollingUpdate', reason: 'FieldValueForbidden' }] } });
    const bad = await call('POST', CM, { metadata: { name: 'Not_Valid' } });
    expect(bad.status).toBe(422);
    const noNs = await call('POST', '/api/v1/namespaces/missing/configmaps', { metadata: { name: 'a' } });
    expect(noNs.status).toBe(404);
    expect(noNs.body.message).toBe('namespaces "missing" not found');
  });
});

describe('fake Kubernetes API: server-side apply', () => {
  it('creates, then a second identical apply changes nothing (same resourceVersion)', async () => {
    const first = await apply('web', deployment(2), 'preview-kit');
    expect(first.status).toBe(201);
    expect(first.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'preview-kit', operation: 'Apply', fieldsType: 'FieldsV1' })]);
    expect(first.body.spec.strategy.type).toBe('RollingUpdate'); // defaulted
    const second = await apply('web', deployment(2), 'preview-kit');
    expect(second.status).toBe(200);
    expect(second.body.metadata.generation).toBe(1);
    // a ConfigMap has no controller writing its status: its resourceVersion must not move
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } };
    const a = await call('PATCH', `${CM}/c?fieldManager=me`, cm, 'application/apply-patch+yaml');
    const b = await call('PATCH', `${CM}/c?fieldManager=me`, cm, 'application/apply-patch+yaml');
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.metadata.resourceVersion).toBe(a.body.metadata.resourceVersion);
    expect(b.body.metadata.managedFields).toEqual(a.body.metadata.managedFields);
  });

  it('reports a conflict with another manager, takes the field over with force', async () => {
    await apply('web', deployment(2), 'team-a');
    const conflict = await apply('web', deployment(5), 'team-b');
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "team-a" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas' }] },
    });
    // same value: shared ownership, no conflict
    expect((await apply('web', deployment(2), 'team-b')).status).toBe(200);
    const forced = await apply('web', deployment(5), 'team-b', true);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    expect(forced.body.metadata.generation).toBe(2);
    const teamA = forced.body.metadata.managedFields.find((m: Obj) => m.manager === 'team-a');
    expect(teamA.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('removes a field the manager stops applying (defaults come back)', async () => {
    await apply('web', deployment(3, { minReadySeconds: 5 }), 'me');
    const res = await apply('web', deployment(undefined), 'me');
    expect(res.body.spec.minReadySeconds).toBeUndefined();
    expect(res.body.spec.replicas).toBe(1);
  });

  it('needs a fieldManager and matching kind', async () => {
    const noManager = await call('PATCH', `${DEPLOY}/web`, deployment(1), 'application/apply-patch+yaml');
    expect(noManager.status).toBe(400);
    const wrong = await call('PATCH', `${CM}/web?fieldManager=me`, deployment(1), 'application/apply-patch+yaml');
    expect(wrong.status).toBe(400);
  });

  it('a manual edit makes the editor own the field', async () => {
    await apply('web', deployment(2), 'preview-kit');
    const edited = await call('PATCH', `${DEPLOY}/web`, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    expect(edited.status).toBe(200);
    const managers = edited.body.metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(['preview-kit/Apply', 'tester-patch/Update']);
    expect(edited.body.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect((await apply('web', deployment(2), 'preview-kit')).status).toBe(409);
  });
});

describe('fake Kubernetes API: lists, controllers, deletion', () => {
  it('filters lists by label selector and field selector, and pages with continue', async () => {
    for (const [name, labels] of [
      ['a', { tier: 'web', env: 'prod' }],
      ['b', { tier: 'web' }],
      ['c', { tier: 'db' }],
    ] as const) {
      await call('POST', CM, { metadata: { name, labels } });
    }
    const names = async (query: string) => ((await call('GET', `${CM}?${query}`)).body.items as Obj[]).map((i) => i.metadata.name);
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['a', 'b']);
    expect(await names('labelSelector=tier%3Dweb%2C!env')).toEqual(['b']);
    expect(await names('labelSelector=tier%20in%20(db%2Cweb)%2Cenv!%3Dprod')).toEqual(['b', 'c']);
    expect(await names('fieldSelector=metadata.name%3Dc')).toEqual(['c']);
    const page = await call('GET', `${CM}?limit=2`);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.metadata.continue).toBeDefined();
    const rest = await call('GET', `${CM}?limit=2&continue=${page.body.metadata.continue}`);
    expect(rest.body.items.map((i: Obj) => i.metadata.name)).toEqual(['c']);
    expect((await call('GET', `${CM}?labelSelector=bad%20key%3D%3Dx`)).status).toBe(400);
  });

  it('rolls a Deployment out through a ReplicaSet and ready pods', async () => {
    await apply('web', deployment(2), 'me');
    let d: Obj = {};
    for (let i = 0; i < 200 && d.status?.availableReplicas !== 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      d = fake.get('Deployment', 'default', 'web') as Obj;
    }
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const pods = fake.objects({ kind: 'Pod', namespace: 'default' });
    expect(pods).toHaveLength(2);
    expect((pods[0] as Obj).metadata.ownerReferences[0].kind).toBe('ReplicaSet');
  });

  it('keeps a told-to-fail rollout waiting with the reason', async () => {
    fake.failRollout('web', 'CrashLoopBackOff');
    await apply('web', deployment(1), 'me');
    let pod: Obj | undefined;
    for (let i = 0; i < 200 && !pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason?.includes('Crash'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      pod = fake.objects({ kind: 'Pod' })[0] as Obj | undefined;
    }
    expect(pod?.status.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect((fake.get('Deployment', 'default', 'web') as Obj).status.availableReplicas).toBe(0);
  });

  it('foreground deletion marks the object, removes dependents, then the object', async () => {
    await apply('web', deployment(1), 'me');
    while (!fake.objects({ kind: 'Pod' }).length) await new Promise((r) => setTimeout(r, 5));
    const res = await call('DELETE', `${DEPLOY}/web`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    expect(res.status).toBe(200);
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    expect(res.body.metadata.finalizers).toContain('foregroundDeletion');
    for (let i = 0; i < 200 && fake.objects({ namespace: 'default' }).length; i++) await new Promise((r) => setTimeout(r, 5));
    expect(fake.objects({ namespace: 'default' })).toEqual([]);
    expect((await call('DELETE', `${DEPLOY}/web`)).status).toBe(404);
  });

  it('watches from a resourceVersion', async () => {
    const list = await call('GET', CM);
    const controller = new AbortController();
    const res = await fetch(`${fake.url}${CM}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, {
      headers: { authorization: `Bearer ${fake.token}` },
      signal: controller.signal,
    });
    await call('POST', CM, { metadata: { name: 'w' } });
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    controller.abort();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0]!);
    expect(event).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'w' } } });
  });
});

describe('fake Kubernetes API: what lists, watches and delays say', () => {
  it('a list without a label selector serves the latest version of every object', async () => {
    await call('POST', CM, { metadata: { name: 'a' }, data: { v: '1' } });
    await call('PUT', `${CM}/a`, { metadata: { name: 'a' }, data: { v: '2' } });
    const listed = (await call('GET', `${CM}?fieldSelector=metadata.name%3Da`)).body.items as Obj[];
    expect(listed.map((i) => i.data.v)).toEqual(['2']);
    expect(((await call('GET', CM)).body.items as Obj[]).find((i) => i.metadata.name === 'a')?.data.v).toBe('2');
  });

  it('a watch from a resourceVersion older than the watch cache holds gets an ERROR event with 410 Expired', async () => {
    const first = (await call('GET', CM)).body.metadata.resourceVersion as string;
    for (let i = 0; i < 5_100; i++) fake.plant({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: {} });
    const res = await fetch(`${fake.url}${CM}?watch=true&resourceVersion=${Number(first) - 1}`, { headers: { authorization: `Bearer ${fake.token}` } });
    const event = JSON.parse((await res.text()).split('\n')[0]!) as Obj;
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });
});

describe('fake Kubernetes API: the cluster keeps its pace', () => {
  let slow: FakeKubernetes;
  afterEach(async () => {
    await slow?.close();
  });

  it('a new pod is ready no sooner than readyDelayMs after it was made, though the API’s timestamps have whole seconds', async () => {
    slow = await startFakeKubernetes({ readyDelayMs: 1_200, controllerIntervalMs: 5 });
    const made = new Map<string, number>();
    const readyAfter: number[] = [];
    const watcher = setInterval(() => {
      for (const pod of slow.objects({ kind: 'Pod' }) as Obj[]) {
        if (!made.has(pod.metadata.uid)) made.set(pod.metadata.uid, Date.now());
        const ready = pod.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True');
        if (ready && !readyAfter.length) readyAfter.push(Date.now() - made.get(pod.metadata.uid)!);
      }
    }, 2);
    try {
      await fetch(`${slow.url}${DEPLOY}/web?fieldManager=me`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${slow.token}`, 'content-type': 'application/apply-patch+yaml' },
        body: JSON.stringify(deployment(1)),
      });
      for (let i = 0; i < 800 && !readyAfter.length; i++) await new Promise((r) => setTimeout(r, 5));
    } finally {
      clearInterval(watcher);
    }
    // Seen by polling every 2 ms (later under load, hence the margin): with the timestamps' whole
    // seconds it would be ready up to a second early.
    expect(readyAfter[0]).toBeGreaterThanOrEqual(1_200 - 200);
  });
});

describe('label selector parsing', () => {
  it.each([
    ['a=b', { a: 'b' }, true],
    ['a==b', { a: 'c' }, false],
    ['a!=b', {}, true],
    ['a in (x, y)', { a: 'y' }, true],
    ['a notin (x)', { a: 'x' }, false],
    ['a', { a: '' }, true],
    ['!a', { a: '1' }, false],
    ['app.kubernetes.io/managed-by=preview-kit,preview-kit/name', { 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': 'x' }, true],
  ])('%s on %j is %s', (selector, labels, expected) => expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected));
});

describe('fake Kubernetes API: credentials, write faults and the request log', () => {
  it('accepts the tokens it is given and stops accepting a revoked one', async () => {
    expect((await call('GET', CM, undefined, undefined, 'handed-out')).status).toBe(401);
    fake.tokens.add('handed-out');
    expect((await call('GET', CM, undefined, undefined, 'handed-out')).status).toBe(200);
    fake.tokens.delete('handed-out');
    expect((await call('GET', CM, undefined, undefined, 'handed-out')).status).toBe(401);
  });

  it('answers everything 401, or 403 with the RBAC authorizer’s reason, when told', async () => {
    fake.credentials('unauthorized');
    expect(await call('GET', CM)).toMatchObject({ status: 401, body: { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401 } });
    fake.credentials('forbidden');
    const res = await call('PATCH', `${DEPLOY}/web?fieldManager=t`, deployment(1), 'application/apply-patch+yaml');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      message: 'deployments.apps "web" is forbidden: User "system:serviceaccount:ci:preview-kit" cannot patch resource "deployments" in API group "apps" in the namespace "default"',
    });
    expect((await call('GET', CM)).body.message).toBe('configmaps is forbidden: User "system:serviceaccount:ci:preview-kit" cannot list resource "configmaps" in API group "" in the namespace "default"');
    fake.credentials('ok');
    expect((await call('GET', CM)).status).toBe(200);
  });

  it('faults writes only: refused (not applied), dropped, or applied and answered 504', async () => {
    fake.faultWrites(1, 3);
    const seen = new Map<string, boolean>();
    for (let i = 0; i < 24; i++) {
      const name = `cm-${i}`;
      const res = await call('POST', CM, { metadata: { name } }).catch(() => ({ status: 0, body: {} as Obj }));
      const stored = fake.get('ConfigMap', 'default', name) !== undefined;
      const kind = res.status === 0 ? 'dropped' : res.status === 503 ? 'refused' : res.status === 504 ? 'applied' : `other ${res.status}`;
      seen.set(kind, stored);
      if (kind === 'refused') expect(res.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
      if (kind === 'applied') expect(res.body).toMatchObject({ kind: 'Status', reason: 'Timeout', code: 504 });
    }
    expect([...seen.keys()].sort()).toEqual(['applied', 'dropped', 'refused']);
    expect(seen.get('applied')).toBe(true);
    expect(seen.get('refused')).toBe(false);
    const counts = fake.faultCounts();
    expect(counts.applied + counts.dropped + counts.refused).toBe(24);
    expect((await call('GET', CM)).status).toBe(200);
    fake.faultWrites(0);
    expect((await call('POST', CM, { metadata: { name: 'after' } })).status).toBe(201);
  });

  it('a fault rate deals faults to about that share of the writes, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      fake.faultWrites(0.2, seed);
      const statuses: number[] = [];
      for (let i = 0; i < 50; i++) statuses.push((await call('PATCH', `${CM}/c-${i}?fieldManager=t`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` } }, 'application/apply-patch+yaml').catch(() => ({ status: 0 }))).status);
      return statuses.map((s) => (s === 201 || s === 200 ? 'ok' : 'fault'));
    };
    const first = await run(11);
    const faulted = first.filter((x) => x === 'fault').length;
    expect(faulted).toBeGreaterThan(2);
    expect(faulted).toBeLessThan(20);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
  });

  it('logs every request with its method; mutatingRequests counts writes since resetLog', async () => {
    await call('GET', CM);
    await call('POST', CM, { metadata: { name: 'x' } });
    await call('DELETE', `${CM}/x`);
    expect(fake.mutatingRequests()).toBe(2);
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'DELETE']);
    fake.resetLog();
    expect(fake.mutatingRequests()).toBe(0);
    expect(fake.requests).toEqual([]);
  });
});
