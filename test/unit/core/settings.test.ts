import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadSettings, type SettingsSources } from '../../../src/core/settings.js';

const module = {
  id: 'docker' as const,
  options: [{ key: 'host', flag: 'docker-host', type: 'string' as const, env: ['DOCKER_HOST'], description: 'x' }],
  schema: z.object({ host: z.string().default('unix:///var/run/docker.sock') }),
};

function load(sources: Partial<SettingsSources>) {
  return loadSettings({ flags: {}, env: {}, ...sources }, { ids: ['clever-cloud', 'docker', 'kubernetes', 'convox'], pick: () => module });
}

describe('loadSettings', () => {
  it('flag beats env beats .preview.yml', () => {
    const file = { path: '.preview.yml', data: { provider: 'docker', app: 'file-app', branch: 'b', timeout: '1m', docker: { host: 'tcp://file:2375' } } };
    expect(load({ file }).common.app).toBe('file-app');
    expect(load({ file, env: { PREVIEW_APP: 'env-app' } }).common.app).toBe('env-app');
    expect(load({ file, env: { PREVIEW_APP: 'env-app' }, flags: { app: 'flag-app' } }).common.app).toBe('flag-app');
    expect(load({ file }).provider).toEqual({ host: 'tcp://file:2375' });
    expect(load({ file, env: { DOCKER_HOST: 'tcp://env:2375' } }).provider).toEqual({ host: 'tcp://env:2375' });
    expect(load({ file }).common.timeoutMs).toBe(60_000);
  });

  it('empty env values count as unset', () => {
    const s = load({ env: { PREVIEW_PROVIDER: 'docker', PREVIEW_APP: 'a', PREVIEW_BRANCH: 'b', PREVIEW_DOMAIN: '', PREVIEW_TIMEOUT: '' } });
    expect(s.common.domains).toEqual([]);
    expect(s.common.timeoutMs).toBe(15 * 60_000);
  });

  it('env maps merge: .preview.yml, then PREVIEW_ENV lines, then --env flags', () => {
    const s = load({
      file: { path: '.preview.yml', data: { provider: 'docker', app: 'a', branch: 'b', env: { A: 'file', B: 'file', N: 3 } } },
      env: { PREVIEW_ENV: '# comment\nB=env\n\n  C=with=equals\n' },
      flags: { env: ['C=flag'] },
    });
    expect(s.common.env).toEqual({ A: 'file', B: 'env', C: 'flag', N: '3' });
  });

  it('names the env variable that holds a bad line', () => {
    expect(() => load({ env: { PREVIEW_PROVIDER: 'docker', PREVIEW_APP: 'a', PREVIEW_BRANCH: 'b', PREVIEW_ENV: 'oops' } })).toThrow(/invalid PREVIEW_ENV "oops"/);
  });

  it('expands domain templates with the preview name', () => {
    const s = load({ flags: { provider: 'docker', app: 'shop', branch: 'fix-1', domain: ['{name}.pr.example.com', 'www-{branch}.example.com'] } });
    expect(s.common.name).toBe('shop-fix-1');
    expect(s.common.domains).toEqual(['shop-fix-1.pr.example.com', 'www-fix-1.example.com']);
  });

  it('lets the provider add placeholders to domain templates', () => {
    const withDomain = { ...module, domainValues: (p: { host: string }) => ({ domain: `${p.host.length}.example.com` }) };
    const flags = { provider: 'docker', app: 'shop', branch: 'main', domain: ['{name}.{domain}'] };
    const s = loadSettings({ flags, env: {} }, { ids: ['docker'], pick: () => withDomain });
    expect(s.common.domains).toEqual(['shop-main.27.example.com']);
    expect(() => load({ flags })).toThrow(/unknown placeholder \{domain\}/);
  });

  it('rejects unknown keys in the provider section and at the top', () => {
    expect(() => load({ file: { path: 'p.yml', data: { provider: 'docker', app: 'a', branch: 'b', docker: { hots: 'x' } } } })).toThrow(/docker\.hots: unknown key/);
    expect(() => load({ file: { path: 'p.yml', data: ['not', 'a', 'map'] } })).toThrow(ConfigError);
  });

  it('boolean env values must be booleans', () => {
    expect(() => load({ env: { PREVIEW_PROVIDER: 'docker', PREVIEW_APP: 'a', PREVIEW_BRANCH: 'b', PREVIEW_FORCE: 'maybe' } })).toThrow(/PREVIEW_FORCE: expected true or false/);
  });
});
