import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { overlaySettings } from '../../../src/run/edge.js';

describe('--settings / PREVIEW_SETTINGS laid over .preview.yml', () => {
  const file = { path: '/repo/.preview.yml', data: { provider: 'clever-cloud', timeout: '10m', env: { A: '1', B: '2' }, 'clever-cloud': { type: 'node', flavor: 'XS' } } };

  it('replaces plain keys and merges mappings key by key', () => {
    const out = overlaySettings(file, "timeout: 5m\nenv:\n  B: two\n  C: '3'\nclever-cloud:\n  flavor: S\n");
    expect(out).toEqual({
      path: '/repo/.preview.yml',
      data: { provider: 'clever-cloud', timeout: '5m', env: { A: '1', B: 'two', C: '3' }, 'clever-cloud': { type: 'node', flavor: 'S' } },
      overlaid: ['timeout', 'env', 'env.B', 'env.C', 'clever-cloud', 'clever-cloud.flavor'],
    });
  });

  it('works without a file, and leaves the file alone when empty', () => {
    expect(overlaySettings(undefined, 'provider: docker')).toEqual({ path: '.preview.yml', data: { provider: 'docker' }, overlaid: ['provider'] });
    expect(overlaySettings(file, '  \n')).toBe(file);
  });

  it('refuses what is not a mapping of settings, naming where it came from', () => {
    expect(() => overlaySettings(file, '- a\n- b\n')).toThrow(ConfigError);
    expect(() => overlaySettings(file, 'a: [\n')).toThrow(/PREVIEW_SETTINGS line \d+: not valid YAML/);
  });
});

describe('settings given through --settings are named as such', () => {
  it('a secret in PREVIEW_SETTINGS is refused naming PREVIEW_SETTINGS, not the committed file', async () => {
    const { z } = await import('zod');
    const { loadSettings } = await import('../../../src/core/settings.js');
    const module = {
      id: 'docker' as const,
      options: [{ key: 'token', flag: 'kube-token', type: 'string' as const, env: ['K8S_TOKEN'], secret: true, description: 'x' }],
      schema: z.object({ token: z.string().optional() }),
    };
    const file = overlaySettings(undefined, 'docker:\n  token: abc\n');
    expect(() => loadSettings({ flags: { provider: 'docker', app: 'a', branch: 'b' }, env: {}, file }, { ids: ['docker'], pick: () => module })).toThrow(
      /--settings \/ PREVIEW_SETTINGS docker\.token: a secret does not belong in the settings/,
    );
  });
});
