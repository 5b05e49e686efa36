import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadSettings, secretValues } from '../../../src/core/settings.js';
import { convoxModule } from '../../../src/providers/convox/module.js';
import { convoxOptions, convoxSchema, splitRackUrl, type ConvoxSettings } from '../../../src/providers/convox/settings.js';

const base = { PREVIEW_PROVIDER: 'convox', PREVIEW_APP: 'shop', PREVIEW_BRANCH: 'feature/x' };

function load(env: Record<string, string>, flags: Record<string, string> = {}) {
  const loaded = loadSettings<ConvoxSettings>({ flags, env: { ...base, ...env } }, { ids: ['convox'], pick: () => convoxModule });
  return { common: loaded.common, provider: loaded.provider! };
}

describe('convox settings', () => {
  it('takes the password from RACK_URL and keeps it out of the URL', () => {
    const { provider } = load({ RACK_URL: 'https://convox:s3cr%40t@api.rack.example.com/' });
    expect(provider).toMatchObject({ rackUrl: 'https://api.rack.example.com', password: 's3cr@t', domainEnv: 'PREVIEW_HOST', claimWaitMs: 30_000 });
  });

  it('takes --rack-url with CONVOX_PASSWORD', () => {
    const { provider } = load({ CONVOX_PASSWORD: 'pw123456' }, { 'rack-url': 'http://127.0.0.1:5443' });
    expect(provider).toMatchObject({ rackUrl: 'http://127.0.0.1:5443', password: 'pw123456' });
  });

  it('reads the other options from flags and env', () => {
    const { provider } = load(
      { RACK_URL: 'https://convox:pw@h.example', CONVOX_RACK: 'org/staging', CONVOX_SERVICE: 'web' },
      { 'convox-domain-env': 'HOST', 'convox-manifest': 'convox.preview.yml' },
    );
    expect(provider).toMatchObject({ rack: 'org/staging', service: 'web', domainEnv: 'HOST', manifest: 'convox.preview.yml' });
  });

  it.each([
    [{}, /RACK_URL/],
    [{ RACK_URL: 'https://api.rack.example.com' }, /no rack password/],
    [{ RACK_URL: 'ftp://convox:pw@x' }, /http\(s\) URL/],
    [{ RACK_URL: 'https://convox:pw@x', CONVOX_DOMAIN_ENV: 'not a name' }, /env var name/],
  ])('refuses %j', (env, message) => {
    expect(() => load(env as Record<string, string>)).toThrow(ConfigError);
    expect(() => load(env as Record<string, string>)).toThrow(message);
  });

  it('marks RACK_URL and CONVOX_PASSWORD as secrets', () => {
    const secrets = secretValues(convoxOptions, { flags: {}, env: { RACK_URL: 'https://convox:pw1234@x', CONVOX_PASSWORD: 'other-pw' } });
    expect(secrets).toEqual(['https://convox:pw1234@x', 'other-pw']);
  });

  it('splits rack URLs', () => {
    expect(splitRackUrl('https://convox:a%2Fb@rack.example:5443/?x=1#y')).toEqual({ url: 'https://rack.example:5443', password: 'a/b' });
    expect(splitRackUrl('not a url')).toBeUndefined();
    expect(convoxSchema.safeParse({ rackUrl: 'https://h', password: 'p', claimWait: '2s' })).toMatchObject({ success: true, data: { claimWaitMs: 2000 } });
  });
});

describe('convox module', () => {
  it('builds a provider from loaded settings and masks the password', async () => {
    const { Plan } = await import('../../../src/core/plan.js');
    const { Deadline } = await import('../../../src/core/retry.js');
    const { MemoryLogger } = await import('./helpers.js');
    const { provider: settings } = load({ RACK_URL: 'https://convox:hunter2-pw@api.rack.example.com' });
    const logger = new MemoryLogger();
    const provider = await convoxModule.create(settings, { logger, deadline: new Deadline(1000), plan: new Plan(true), adopt: false });
    expect(provider.id).toBe('convox');
    logger.info('rack password hunter2-pw in a message');
    expect(logger.text()).not.toContain('hunter2-pw');
  });
});
