import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../src/core/errors.js';
import { loadSettings, type FlagValues } from '../../../src/core/settings.js';
import { dockerModule } from '../../../src/providers/docker/module.js';
import { expandBuildArgs, expandHost, planServices } from '../../../src/providers/docker/services.js';
import type { DockerSettings } from '../../../src/providers/docker/settings.js';

function load(options: { flags?: FlagValues; env?: Record<string, string>; yaml?: string } = {}) {
  return loadSettings<DockerSettings>(
    {
      flags: { provider: 'docker', app: 'Shop', branch: 'feature/cart', ...options.flags },
      env: options.env ?? {},
      ...(options.yaml !== undefined ? { file: { path: '.preview.yml', data: parseYaml(options.yaml) } } : {}),
    },
    { ids: ['docker'], pick: () => dockerModule },
  );
}

function plans(options: Parameters<typeof load>[0] = {}) {
  const { common, provider } = load(options);
  return planServices(provider!, { name: common.name, identity: common.identity!, env: common.env, healthPath: common.healthPath, domains: common.domains });
}

describe('docker settings', () => {
  it('has defaults that talk to a local engine and Caddy', () => {
    const { provider } = load();
    expect(provider).toEqual({
      dockerHost: 'unix:///var/run/docker.sock',
      caddyAdmin: 'http://localhost:2019',
      buildContext: '.',
      buildArgs: {},
      port: 8080,
      removeImages: false,
      baseDomain: 'localhost',
      publishHost: '127.0.0.1',
      upstreamHost: '127.0.0.1',
    });
  });

  it('reads DOCKER_HOST and CADDY_ADMIN, and flags win over them', () => {
    const fromEnv = load({ env: { DOCKER_HOST: 'ssh://deploy@box', CADDY_ADMIN: 'http://127.0.0.1:2999' } }).provider!;
    expect([fromEnv.dockerHost, fromEnv.caddyAdmin]).toEqual(['ssh://deploy@box', 'http://127.0.0.1:2999']);
    const fromFlags = load({ env: { DOCKER_HOST: 'ssh://deploy@box' }, flags: { 'docker-host': 'tcp://10.0.0.2:2375', 'build-arg': ['A=1', 'B={commit}'] } }).provider!;
    expect(fromFlags.dockerHost).toBe('tcp://10.0.0.2:2375');
    expect(fromFlags.buildArgs).toEqual({ A: '1', B: '{commit}' });
  });

  it('reads services from the docker section or the top level of .preview.yml', () => {
    const yaml = 'services:\n  web:\n    port: 3000\n  sigver:\n    dockerfile: sigver.Dockerfile\n    env:\n      DEBUG: 1\n';
    expect(load({ yaml }).provider!.services).toEqual({ web: { port: 3000 }, sigver: { dockerfile: 'sigver.Dockerfile', env: { DEBUG: '1' } } });
    const nested = `docker:\n  ${yaml.replace(/\n(?=.)/g, '\n  ')}`;
    expect(load({ yaml: nested }).provider!.services).toEqual(load({ yaml }).provider!.services);
  });

  it.each([
    ['services:\n  Web-1: {}\n', /services \(Web-1\).*lowercase letters and digits/],
    ['services:\n  web:\n    port: http\n', /port number/],
    ['services:\n  web:\n    mounts: []\n', /mounts/],
    ['docker:\n  dockerfile: ../outside/Dockerfile\n', /inside the repository/],
    ['docker:\n  colour: blue\n', /docker\.colour: unknown key/],
  ])('rejects %j with a message naming the field', (yaml, message) => {
    expect(() => load({ yaml })).toThrow(ConfigError);
    expect(() => load({ yaml })).toThrow(message);
  });

  it('rejects a container port that is not a port', () => {
    expect(() => load({ flags: { 'container-port': '99999' } })).toThrow(/--container-port: expected a port number/);
  });
});

describe('planServices', () => {
  it('makes one service "web" on {name}.localhost by default, built from ./Dockerfile', () => {
    const [web, ...rest] = plans();
    expect(rest).toEqual([]);
    expect(web).toMatchObject({ service: 'web', port: 8080, healthPath: '/', build: { context: '.', dockerfile: 'Dockerfile', repo: 'localhost/shop' } });
    expect(web!.hosts).toHaveLength(1);
    expect(web!.hosts[0]).toMatch(/^shop-feature-cart-[0-9a-f]{6}\.localhost$/);
  });

  it('gives the first service the --domain hosts and the others their own templates', () => {
    const yaml = 'docker:\n  baseDomain: review.example.com\n  services:\n    web: {}\n    sigver:\n      dockerfile: sigver.Dockerfile\n      host: "{name}-sigver.{domain}"\n    api:\n      image: localhost/api:1\n';
    const [web, sigver, api] = plans({ yaml, flags: { domain: ['{name}.preview.example.com', 'cart.example.com'], pr: '12' } });
    expect(web!.hosts).toEqual(['shop-pr-12.preview.example.com', 'cart.example.com']);
    expect(sigver!.hosts).toEqual(['shop-pr-12-sigver.review.example.com']);
    expect(api!.hosts).toEqual(['shop-pr-12-api.review.example.com']);
    expect(api!.image).toBe('localhost/api:1');
    expect(api!.build).toBeUndefined();
    // distinct builds get distinct repositories; the first keeps the app's name
    expect(web!.build!.repo).toBe('localhost/shop');
    expect(sigver!.build!.repo).toBe('localhost/shop-sigver');
  });

  it('lets services with the same build share one image repository', () => {
    const yaml = 'services:\n  web: {}\n  worker:\n    command: "busybox httpd -f -p 9000"\n    port: 9000\n';
    const [web, worker] = plans({ yaml });
    expect(worker!.build!.repo).toBe(web!.build!.repo);
    expect(worker!.command).toEqual(['/bin/sh', '-c', 'busybox httpd -f -p 9000']);
  });

  it('resolves the Dockerfile relative to the build context and refuses one outside it', () => {
    const [web] = plans({ yaml: 'docker:\n  buildContext: app\n' });
    expect(web!.build).toMatchObject({ context: 'app', dockerfile: 'Dockerfile' });
    const [web2] = plans({ yaml: 'docker:\n  buildContext: app/\n  dockerfile: app/docker/Prod.Dockerfile\n' });
    expect(web2!.build).toMatchObject({ context: 'app', dockerfile: 'docker/Prod.Dockerfile' });
    expect(() => plans({ yaml: 'docker:\n  buildContext: app\n  dockerfile: Dockerfile\n' })).toThrow(/outside the build context/);
  });

  it('merges env: service values over --env', () => {
    const [web] = plans({ flags: { env: ['A=1', 'B=2'] }, yaml: 'services:\n  web:\n    env:\n      B: three\n' });
    expect(web!.env).toEqual({ A: '1', B: 'three' });
  });

  it('takes {app}, {branch} and {pr} of host templates from the identity, and the --domain hosts as the spec gives them', () => {
    const spec = { name: 'shop-feature-cart', env: {}, healthPath: '/', domains: ['Cart.Example.com'] };
    const byBranch = load({ yaml: 'services:\n  web: {}\n  api:\n    host: "{branch}.{app}.example.com"\n' }).provider!;
    const [web, api] = planServices(byBranch, { ...spec, identity: { project: 'Shop', branch: 'feature/cart' } });
    expect(web!.hosts).toEqual(['cart.example.com']);
    expect(api!.hosts).toEqual(['feature-cart.shop.example.com']);
    const byPr = load({ yaml: 'services:\n  web: {}\n  docs:\n    host: "pr{pr}-{app}.example.com"\n' }).provider!;
    const pr = { ...spec, name: 'shop-pr-7', identity: { project: 'Shop', pr: 7, fork: 'someone/shop' } };
    expect(planServices(byPr, pr)[1]!.hosts).toEqual(['pr7-shop.example.com']);
    // a pull request's preview has no branch: a {branch} template says so instead of making ".shop.example.com"
    expect(() => planServices(byBranch, pr)).toThrow(/uses \{branch\}, but this preview is for pull request #7/);
    expect(() => planServices(byPr, { ...spec, identity: { project: 'Shop', branch: 'main' } })).toThrow(/uses \{pr\}, but this preview is for a branch/);
  });

  it('refuses one host for two services', () => {
    expect(() => plans({ yaml: 'services:\n  web: {}\n  api:\n    host: "{name}.{domain}"\n' })).toThrow(/given to two services/);
  });
});

describe('host templates and build args', () => {
  const id = { name: 'shop-main', app: 'Shop', branch: 'main' };

  it('expands {domain} and the shared placeholders', () => {
    expect(expandHost('{name}-sigver.{domain}', id, 'review.example.com')).toBe('shop-main-sigver.review.example.com');
    expect(expandHost('{branch}.{app}.example.com', id, 'x')).toBe('main.shop.example.com');
  });

  it('refuses unknown placeholders and results that are not host names', () => {
    expect(() => expandHost('{nme}.example.com', id, 'x')).toThrow(/unknown placeholder \{nme\}/);
    expect(() => expandHost('{name}..example.com', id, 'x')).toThrow(/not a host name/);
  });

  it('replaces {commit} and {app} in build args, and nothing else', () => {
    expect(expandBuildArgs({ COMMIT: '{commit}', APP: '{app}', OTHER: '{name} {branch}' }, { commit: 'abc123', app: 'shop' })).toEqual({
      COMMIT: 'abc123',
      APP: 'shop',
      OTHER: '{name} {branch}',
    });
  });
});
