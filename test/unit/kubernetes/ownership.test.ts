/**
 * Whose an object or a database is, read from its marks: the identity key decides, the name never
 * does. Pure functions, judged by the one reconcile algorithm.
 */
import { describe, expect, it } from 'vitest';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { ownershipOf, refusal } from '../../../src/providers/reconcile.js';
import { databaseComment, databaseMarks } from '../../../src/providers/kubernetes/database-marks.js';
import { marksOf, type KubeObject } from '../../../src/providers/kubernetes/labels.js';
import { judgeObject, objectHooks } from '../../../src/providers/kubernetes/ownership.js';

const mine: PreviewIdentity = { project: 'shop', branch: 'admin-main' };
const theirs: PreviewIdentity = { project: 'shop-admin', branch: 'main' };
const owner = { name: 'shop-admin-main', key: identityKey(mine), identity: mine };

function service(labels: Record<string, string>, annotations: Record<string, string> = {}, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop-admin-main', namespace: 'previews', uid: 'u-1', labels, annotations, ...extra } };
}
function marked(identity: PreviewIdentity): KubeObject {
  const labels = { 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': 'shop-admin-main', 'preview-kit/key': identityKey(identity) };
  return service(labels, { 'preview-kit/identity': identityJson(identity) });
}

describe('ownership of Kubernetes objects', () => {
  it.each([
    ['ours', marked(mine), 'ours'],
    ['another preview’s, same name', marked(theirs), 'other'],
    ['made before identities were recorded', service({ 'app.kubernetes.io/managed-by': 'preview-kit', 'preview-kit/name': 'shop-admin-main' }), 'other'],
    ['unmarked', service({ team: 'payments' }), 'foreign'],
  ])('%s → %s', (_what, object, kind) => {
    expect(ownershipOf(marksOf(object), owner.key).kind).toBe(kind);
  });

  it('another preview’s object is refused naming whose it is and --prefix, even with --adopt', () => {
    const object = marked(theirs);
    for (const adopt of [false, true]) {
      const refused = refusal(judgeObject(object, object, owner), objectHooks(object, owner), { identity: mine, adopt });
      expect(refused?.exitCode).toBe(6);
      expect(refused?.message).toContain('belongs to the preview of shop-admin, branch main, not to shop, branch admin-main');
      expect(refused?.hint).toContain('--prefix');
    }
  });

  it('an unmarked object is refused unless adopting; one being deleted, or none, is no obstacle', () => {
    const object = service({});
    const hooks = objectHooks(object, owner);
    expect(refusal(judgeObject(object, object, owner), hooks, { identity: mine, adopt: false })?.hint).toContain('--adopt');
    expect(refusal(judgeObject(object, object, owner), hooks, { identity: mine, adopt: true })).toBeUndefined();
    const going = service({}, {}, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    expect(refusal(judgeObject(going, going, owner), hooks, { identity: mine, adopt: false })).toBeUndefined();
    expect(refusal(judgeObject(object, undefined, owner), hooks, { identity: mine, adopt: false })).toBeUndefined();
  });

  it('our key without the managed-by label is provably ours: repaired, not refused', () => {
    const stripped = service({ 'preview-kit/name': 'shop-admin-main', 'preview-kit/key': owner.key });
    const found = judgeObject(stripped, stripped, owner);
    expect(found.repairable).toHaveLength(1);
  });
});

describe('ownership of the PostgreSQL database and role', () => {
  it('the comment carries the marker, the key and the identity, and reads back', () => {
    const comment = databaseComment(owner);
    expect(comment).toBe(`preview-kit key=${owner.key} identity={"project":"shop","branch":"admin-main"}`);
    expect(databaseMarks(comment)).toEqual({ marker: true, key: owner.key, identity: mine });
  });

  it.each([
    ['another preview’s', databaseComment({ key: identityKey(theirs), identity: theirs }), 'other'],
    ['a comment of the first release (name only)', 'preview-kit:shop-admin-main', 'other'],
    ['someone else’s comment', 'billing database', 'foreign'],
    ['no comment', null, 'foreign'],
  ])('%s → %s', (_what, comment, kind) => {
    expect(ownershipOf(databaseMarks(comment), owner.key).kind).toBe(kind);
  });
});
