/**
 * The fake's product catalogue: runtimes (`GET /v2/products/instances`), add-on providers and
 * plans (`GET /v2/products/addonproviders`), flavors and zones, in the shapes the real API uses
 * (field names, `price_id`, `memory`, `variant`, `regions`… as read by clever-client.js and the
 * terraform provider). Values are plausible, not a copy of production; the node and gradle
 * variant ids are the ones public payloads show, the other ids are made up in the same format.
 */

export const ZONES = ['par', 'parhds', 'grahds', 'rbx', 'rbxhds', 'scw', 'ldn', 'mtl', 'sgp', 'syd', 'wsw'] as const;

interface FlavorSpec {
  name: string;
  mem: number;
  cpus: number;
  price: number;
  microservice: boolean;
  nice: number;
}

const FLAVOR_SPECS: FlavorSpec[] = [
  { name: 'pico', mem: 256, cpus: 1, price: 0.1073883162, microservice: true, nice: 5 },
  { name: 'nano', mem: 512, cpus: 1, price: 0.1431844215, microservice: true, nice: 5 },
  { name: 'XS', mem: 1024, cpus: 1, price: 0.3436, microservice: false, nice: 0 },
  { name: 'S', mem: 2048, cpus: 2, price: 0.6873, microservice: false, nice: 0 },
  { name: 'M', mem: 4096, cpus: 4, price: 1.7182, microservice: false, nice: 0 },
  { name: 'L', mem: 8192, cpus: 6, price: 3.4364, microservice: false, nice: 0 },
  { name: 'XL', mem: 16384, cpus: 8, price: 6.8729, microservice: false, nice: 0 },
  { name: '2XL', mem: 24576, cpus: 12, price: 13.7458, microservice: false, nice: 0 },
  { name: '3XL', mem: 32768, cpus: 16, price: 27.4915, microservice: false, nice: 0 },
];

export const FLAVOR_NAMES = FLAVOR_SPECS.map((f) => f.name);

export function flavorView(name: string): Record<string, unknown> {
  const spec = FLAVOR_SPECS.find((f) => f.name === name);
  if (!spec) throw new Error(`unknown flavor ${name}`);
  return {
    name: spec.name,
    mem: spec.mem,
    cpus: spec.cpus,
    gpus: 0,
    disk: 0,
    price: spec.price,
    available: true,
    microservice: spec.microservice,
    machine_learning: false,
    nice: spec.nice,
    price_id: `apps.${spec.name}`,
    memory: { unit: 'B', value: spec.mem * 1024 * 1024, formatted: `${spec.mem} MiB` },
  };
}

/** The real API accepts flavor names case-insensitively (clients send `xs`); this gives the canonical name. */
export function canonicalFlavor(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  return FLAVOR_NAMES.find((f) => f.toLowerCase() === name.toLowerCase());
}

export interface Runtime {
  type: string;
  version: string;
  name: string;
  variant: { id: string; slug: string; name: string; deployType: string; logo: string };
  description: string;
  enabled: boolean;
  comingSoon: boolean;
  defaultFlavor: string;
  buildFlavor: string;
  defaultEnv: Record<string, string>;
}

function runtime(
  type: string,
  slug: string,
  variantId: string,
  variantName: string,
  version: string,
  extra: Partial<Pick<Runtime, 'enabled' | 'comingSoon' | 'defaultFlavor' | 'defaultEnv'>> = {},
): Runtime {
  return {
    type,
    version,
    name: variantName,
    variant: { id: variantId, slug, name: variantName, deployType: type, logo: `https://assets.clever-cloud.com/logos/${slug}.svg` },
    description: `${variantName} runtime`,
    enabled: extra.enabled ?? true,
    comingSoon: extra.comingSoon ?? false,
    defaultFlavor: extra.defaultFlavor ?? 'XS',
    buildFlavor: 'M',
    defaultEnv: extra.defaultEnv ?? {},
  };
}

export const RUNTIMES: Runtime[] = [
  runtime('node', 'node', '395103fb-d6e2-4fdd-93bc-bc99146f1ea2', 'Node.js & Bun', '20250915'),
  // An older image stays listed but disabled: clients must filter on `enabled`.
  runtime('node', 'node', '395103fb-d6e2-4fdd-93bc-bc99146f1ea2', 'Node.js & Bun', '20240110', { enabled: false }),
  runtime('docker', 'docker', '4d3de5c5-1f9b-4c32-8e7a-2a6b0f8e3c11', 'Docker', '20250801'),
  runtime('python', 'python', 'b1e3c2d4-7a5f-4e8b-9c0d-1f2a3b4c5d6e', 'Python', '20250901'),
  runtime('php', 'php', 'a8f2d9c1-3b4e-4f5a-8d7c-6e5f4a3b2c1d', 'PHP', '20250820'),
  runtime('php', 'static-apache', 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', 'Static HTML (Apache)', '20250820', { defaultFlavor: 'nano' }),
  runtime('static', 'static', 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a', 'Static', '20250910', { defaultFlavor: 'nano' }),
  runtime('go', 'go', 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b', 'Go', '20250815'),
  runtime('java', 'gradle', '5163834d-b343-4006-bfdb-ece9d30fbb51', 'Java or Groovy + Gradle', '20250801', {
    defaultEnv: { CC_JAVA_VERSION: '21' },
  }),
  runtime('ruby', 'ruby', 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c', 'Ruby', '20250805'),
  runtime('rust', 'rust', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'Rust', '20250805'),
  runtime('v', 'v', '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', 'V (Vlang)', '20250901', { enabled: false, comingSoon: true }),
];

export function runtimeView(r: Runtime): Record<string, unknown> {
  return {
    type: r.type,
    version: r.version,
    name: r.name,
    variant: r.variant,
    description: r.description,
    enabled: r.enabled,
    comingSoon: r.comingSoon,
    maxInstances: 40,
    tags: [],
    deployments: ['git'],
    flavors: FLAVOR_NAMES.map(flavorView),
    defaultFlavor: flavorView(r.defaultFlavor),
    buildFlavor: flavorView(r.buildFlavor),
  };
}

/** A create body names its runtime by type + version + variant id, as clients read them from the catalogue. */
export function findRuntime(type: unknown, version: unknown, variantId: unknown): Runtime | undefined {
  return RUNTIMES.find((r) => r.type === type && r.version === version && r.variant.id === variantId);
}

export interface AddonPlan {
  id: string;
  name: string;
  slug: string;
  price: number;
}

export interface AddonProvider {
  id: string;
  name: string;
  shortDesc: string;
  logo: string;
  realIdPrefix: string;
  defaultVersion: string;
  regions: readonly string[];
  plans: AddonPlan[];
  /** Env vars an add-on of this provider exposes to linked apps. */
  env: (ctx: { realId: string; version: string; host: string }) => Record<string, string>;
}

const ADDON_REGIONS = ['par', 'rbx', 'rbxhds', 'scw', 'mtl', 'sgp', 'syd', 'wsw'];

export const ADDON_PROVIDERS: AddonProvider[] = [
  {
    id: 'postgresql-addon',
    name: 'PostgreSQL',
    shortDesc: 'A powerful, open source object-relational database system',
    logo: 'pgsql.svg',
    realIdPrefix: 'postgresql',
    defaultVersion: '16',
    regions: ADDON_REGIONS,
    plans: [
      { id: 'plan_0b1d3f5a-7c9e-4a2b-8d4f-6e8a0c2e4f61', name: 'DEV', slug: 'dev', price: 0 },
      { id: 'plan_1c2e4a6b-8d0f-4b3c-9e5a-7f9b1d3f5a72', name: 'XXS Small Space', slug: 'xxs_sml', price: 5.25 },
      { id: 'plan_2d3f5b7c-9e1a-4c4d-8f6b-8a0c2e4a6b83', name: 'XS Small Space', slug: 'xs_sml', price: 10.5 },
    ],
    env: ({ realId, version, host }) => {
      const user = `u${realId.slice(-12).replace(/-/g, '')}`;
      const db = `b${realId.slice(-16).replace(/-/g, '')}`;
      const password = `p${realId.replace(/[^a-f0-9]/g, '').slice(0, 20)}`;
      return {
        POSTGRESQL_ADDON_HOST: host,
        POSTGRESQL_ADDON_PORT: '5432',
        POSTGRESQL_ADDON_DB: db,
        POSTGRESQL_ADDON_USER: user,
        POSTGRESQL_ADDON_PASSWORD: password,
        POSTGRESQL_ADDON_VERSION: version,
        POSTGRESQL_ADDON_URI: `postgresql://${user}:${password}@${host}:5432/${db}`,
      };
    },
  },
  {
    id: 'mysql-addon',
    name: 'MySQL',
    shortDesc: 'An open source relational database management system',
    logo: 'mysql.svg',
    realIdPrefix: 'mysql',
    defaultVersion: '8.4',
    regions: ADDON_REGIONS,
    plans: [
      { id: 'plan_3e4a6c8d-0f2b-4d5e-9a7c-9b1d3f5b7c94', name: 'DEV', slug: 'dev', price: 0 },
      { id: 'plan_4f5b7d9e-1a3c-4e6f-8b8d-0c2e4a6c8da5', name: 'XXS Small Space', slug: 'xxs_sml', price: 5.25 },
    ],
    env: ({ realId, version, host }) => {
      const user = `u${realId.slice(-12).replace(/-/g, '')}`;
      const db = `b${realId.slice(-16).replace(/-/g, '')}`;
      const password = `p${realId.replace(/[^a-f0-9]/g, '').slice(0, 20)}`;
      return {
        MYSQL_ADDON_HOST: host,
        MYSQL_ADDON_PORT: '3306',
        MYSQL_ADDON_DB: db,
        MYSQL_ADDON_USER: user,
        MYSQL_ADDON_PASSWORD: password,
        MYSQL_ADDON_VERSION: version,
        MYSQL_ADDON_URI: `mysql://${user}:${password}@${host}:3306/${db}`,
      };
    },
  },
  {
    id: 'redis-addon',
    name: 'Redis',
    shortDesc: 'An in-memory key-value store',
    logo: 'redis.svg',
    realIdPrefix: 'redis',
    defaultVersion: '7.2',
    regions: ADDON_REGIONS,
    plans: [
      { id: 'plan_5a6c8e0f-2b4d-4f7a-9c9e-1d3f5b7d9eb6', name: 'DEV', slug: 'dev', price: 0 },
      { id: 'plan_6b7d9f1a-3c5e-4a8b-8dab-2e4a6c8e0fc7', name: 'S Mono', slug: 's_mono', price: 10.5 },
    ],
    env: ({ realId, host }) => {
      const password = `p${realId.replace(/[^a-f0-9]/g, '').slice(0, 20)}`;
      return {
        REDIS_HOST: host,
        REDIS_PORT: '6379',
        REDIS_PASSWORD: password,
        REDIS_URL: `redis://:${password}@${host}:6379`,
      };
    },
  },
];

export function findAddonProvider(id: unknown): AddonProvider | undefined {
  return ADDON_PROVIDERS.find((p) => p.id === id);
}

function planView(provider: AddonProvider, plan: AddonPlan): Record<string, unknown> {
  return {
    id: plan.id,
    name: plan.name,
    slug: plan.slug,
    price: plan.price,
    price_id: `${provider.realIdPrefix}.${plan.slug}`,
    features: [{ name: 'Logs', type: 'BOOLEAN', value: 'Yes', computable_value: 'true', name_code: 'has-logs' }],
    zones: [...provider.regions],
  };
}

/** Provider as embedded in an add-on (no plans). */
export function addonProviderView(provider: AddonProvider): Record<string, unknown> {
  return {
    id: provider.id,
    name: provider.name,
    website: 'https://www.clever-cloud.com',
    supportEmail: 'support@clever-cloud.com',
    googlePlusName: '',
    twitterName: '',
    analyticsId: '',
    shortDesc: provider.shortDesc,
    longDesc: provider.shortDesc,
    logoUrl: `https://assets.clever-cloud.com/logos/${provider.logo}`,
    status: 'RELEASE',
    openInNewTab: false,
    canUpgrade: true,
    regions: [...provider.regions],
  };
}

/** Provider as listed by `/v2/products/addonproviders` (with plans and features). */
export function addonProviderFullView(provider: AddonProvider): Record<string, unknown> {
  return {
    ...addonProviderView(provider),
    plans: provider.plans.map((p) => planView(provider, p)),
    features: [{ name: 'Logs', type: 'BOOLEAN', name_code: 'has-logs' }],
  };
}

export function addonPlanView(provider: AddonProvider, planId: string): Record<string, unknown> {
  const plan = provider.plans.find((p) => p.id === planId);
  if (!plan) throw new Error(`unknown plan ${planId}`);
  return planView(provider, plan);
}
