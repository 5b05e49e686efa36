/**
 * A tag every commit reuses (`app:nightly`) must be pulled again on each rollout: Kubernetes
 * defaults every tag but `latest` to IfNotPresent, and a node holding yesterday's image would run
 * it under today's pod template.
 */
import { describe, expect, it } from 'vitest';
import { identityKey } from '../../../src/core/identity.js';
import { renderFromSettings, reusedTag, type RenderContext } from '../../../src/providers/kubernetes/render.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';

type Obj = Record<string, any>;

const ctx: RenderContext = {
  name: 'shop-nightly',
  key: identityKey({ project: 'shop', branch: 'nightly' }),
  identity: { project: 'shop', branch: 'nightly' },
  app: 'shop',
  branch: 'nightly',
  namespace: 'previews',
  commit: '0123456789abcdef0123456789abcdef01234567',
  env: {},
  domains: [],
  configHash: 'h',
};

function container(image: string): Obj {
  const objects = renderFromSettings(ctx, kubernetesSchema.parse({ image })) as Obj[];
  return objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
}

describe('image pull policy of rendered Deployments', () => {
  it.each([
    ['registry.example.com/shop:nightly', true],
    ['registry.example.com/shop:{branch}', true],
    ['registry.example.com/shop', true],
    ['registry.example.com/shop:{commit}', false],
    ['registry.example.com/shop:{shortCommit}-{name}', false],
    ['registry.example.com/shop@sha256:' + 'a'.repeat(64), false],
  ])('%s is a reused reference: %s', (image, reused) => {
    expect(reusedTag(image)).toBe(reused);
  });

  it('pulls a reused tag on every pod start, and leaves per-commit tags to the cluster default', () => {
    expect(container('registry.example.com/shop:nightly').imagePullPolicy).toBe('Always');
    expect(container('registry.example.com/shop:{commit}')).not.toHaveProperty('imagePullPolicy');
  });
});
