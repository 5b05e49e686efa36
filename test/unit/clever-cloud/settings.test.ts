import { describe, expect, it } from 'vitest';
import { cleverCloudModule } from '../../../src/providers/clever-cloud/module.js';
import { cleverOptions, cleverSchema, parseAddonRequest } from '../../../src/providers/clever-cloud/settings.js';
import { commonOptions } from '../../../src/core/settings.js';

describe('Clever Cloud settings', () => {
  it('defaults: node in par, nothing else decided', () => {
    expect(cleverSchema.parse({})).toEqual({ type: 'node', zone: 'par', addons: [] });
  });

  it('accepts flavors and zones in any case, instances as text, add-ons as PROVIDER:PLAN', () => {
    const s = cleverSchema.parse({ flavor: 'xs', zone: 'RBX', instances: '3', buildFlavor: 'm', addons: ['postgresql-addon:dev', 'redis-addon:s_mono'], region: 'par' });
    expect(s).toMatchObject({
      flavor: 'XS',
      zone: 'rbx',
      instances: 3,
      buildFlavor: 'M',
      addons: [
        { provider: 'postgresql-addon', plan: 'dev' },
        { provider: 'redis-addon', plan: 's_mono' },
      ],
      region: 'par',
    });
    expect(cleverSchema.parse({ buildFlavor: 'Disabled' }).buildFlavor).toBe('disabled');
  });

  it.each([
    [{ zone: 'mars' }, /unknown zone "mars"/],
    [{ flavor: 'XXL' }, /unknown flavor "XXL"/],
    [{ instances: '0' }, /1 to 40/],
    [{ instances: 'two' }, /1 to 40/],
    [{ addons: ['postgresql'] }, /is not PROVIDER:PLAN/],
    [{ addons: ['pg:dev', 'pg:s'] }, /listed twice/],
    [{ type: 'Node JS' }, /runtime slug/],
    [{ apiUrl: 'ftp://x' }, /http/],
    [{ apiUrl: 'not a url' }, /URL/],
    [{ org: '' }, /empty/],
  ])('rejects %j with a message a person can act on', (raw, message) => {
    const result = cleverSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(message);
  });

  it('parses add-on requests strictly', () => {
    expect(parseAddonRequest(' mysql-addon:xxs_sml ')).toEqual({ provider: 'mysql-addon', plan: 'xxs_sml' });
    expect(parseAddonRequest('mysql-addon:')).toBeUndefined();
    expect(parseAddonRequest(':dev')).toBeUndefined();
    expect(parseAddonRequest('a:b:c')).toBeUndefined();
  });

  it('secrets come from env only and are marked secret; flags do not clash with the common options', () => {
    for (const key of ['token', 'secret', 'apiToken', 'consumerSecret']) {
      const spec = cleverOptions.find((o) => o.key === key)!;
      expect(spec.secret).toBe(true);
      expect(spec.flag).toBeUndefined();
    }
    expect(cleverOptions.find((o) => o.key === 'token')!.env).toEqual(['CLEVER_TOKEN']);
    expect(cleverOptions.find((o) => o.key === 'apiUrl')!.env).toEqual(['CLEVER_API_URL', 'API_HOST']);
    const common = new Set(commonOptions.flatMap((o) => [o.flag, o.short]).filter(Boolean));
    for (const o of cleverOptions) {
      if (o.flag) expect(common.has(o.flag), o.flag).toBe(false);
    }
    expect(cleverOptions.map((o) => o.flag).filter(Boolean)).not.toContain('context');
  });

  it('is the module the registry loads', () => {
    expect(cleverCloudModule.id).toBe('clever-cloud');
    expect(cleverCloudModule.options).toBe(cleverOptions);
  });
});
