/**
 * Settings of the Docker host + Caddy provider: one OptionSpec table (flags, env, `.preview.yml`)
 * and the zod schema that validates it once.
 */
import { z } from 'zod';
import type { OptionSpec } from '../../core/options.js';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
export const DEFAULT_CADDY_ADMIN = 'http://localhost:2019';

/** Service names end up in route ids, container names and env names: keep them plain. */
export const SERVICE_NAME = /^[a-z][a-z0-9]{0,19}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const port = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a port number 1-65535, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

const hostTemplate = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9{}.*_-]+$/, 'expected a host name or template like {name}-api.{domain}');

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'must be a path inside the repository (relative, no ..)');

export const serviceSchema = z
  .object({
    /** A prebuilt image instead of a build. */
    image: z.string().min(1).optional(),
    dockerfile: relativePath.optional(),
    buildContext: relativePath.optional(),
    buildArgs: z.record(z.string().regex(ENV_NAME, 'not a valid build argument name'), scalar).optional(),
    /** Port the service listens on inside the container. */
    port: port.optional(),
    /** Host name template(s); `{name}`, `{app}`, `{branch}`, `{pr}`, `{domain}`. */
    host: z.union([hostTemplate, z.array(hostTemplate).min(1)]).optional(),
    healthPath: z.string().startsWith('/', 'must start with /').optional(),
    env: z.record(z.string().regex(ENV_NAME, 'not a valid variable name'), scalar).optional(),
    /** Command: a string runs through /bin/sh -c, a list is run as is. */
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
  })
  .strict();

export type ServiceSettings = z.infer<typeof serviceSchema>;

export const dockerSchema = z
  .object({
    dockerHost: z.string().min(1).default(DEFAULT_DOCKER_HOST),
    caddyAdmin: z.string().min(1).default(DEFAULT_CADDY_ADMIN),
    caddyServer: z.string().min(1).optional(),
    dockerfile: relativePath.optional(),
    buildContext: relativePath.default('.'),
    buildArgs: z.record(z.string().regex(ENV_NAME, 'not a valid build argument name'), scalar).default({}),
    image: z.string().min(1).optional(),
    port: port.default(8080),
    removeImages: z.boolean().default(false),
    baseDomain: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9.-]+$/, 'expected a domain like preview.example.com')
      .default('localhost'),
    services: z
      .record(z.string().regex(SERVICE_NAME, 'service names are 1-20 lowercase letters and digits, starting with a letter'), serviceSchema)
      .refine((s) => Object.keys(s).length > 0, 'give at least one service')
      .optional(),
    publishHost: z.string().min(1).default('127.0.0.1'),
    upstreamHost: z.string().min(1).default('127.0.0.1'),
  })
  .strict();

export type DockerSettings = z.infer<typeof dockerSchema>;

export const dockerOptions: OptionSpec[] = [
  { key: 'dockerHost', flag: 'docker-host', type: 'string', env: ['DOCKER_HOST'], value: 'URL', description: 'Docker Engine: unix:///path.sock, tcp://host:port or ssh://user@host', defaultText: DEFAULT_DOCKER_HOST },
  { key: 'caddyAdmin', flag: 'caddy-admin', type: 'string', env: ['CADDY_ADMIN'], value: 'URL', description: "Caddy's admin API", defaultText: DEFAULT_CADDY_ADMIN },
  { key: 'caddyServer', flag: 'caddy-server', type: 'string', env: ['PREVIEW_CADDY_SERVER'], value: 'NAME', description: 'Caddy HTTP server that gets the routes', defaultText: 'the one on :443/:80, or the only one' },
  { key: 'dockerfile', flag: 'dockerfile', type: 'string', env: ['PREVIEW_DOCKERFILE'], value: 'PATH', description: 'Dockerfile, relative to the repository', defaultText: '<build context>/Dockerfile' },
  { key: 'buildContext', flag: 'build-context', type: 'string', env: ['PREVIEW_BUILD_CONTEXT'], value: 'DIR', description: 'build context directory, relative to the repository', defaultText: '.' },
  { key: 'buildArgs', flag: 'build-arg', type: 'map', value: 'KEY=VALUE', description: 'build argument (repeatable); {commit} and {app} are replaced' },
  { key: 'image', flag: 'image', type: 'string', env: ['PREVIEW_IMAGE'], value: 'REF', description: 'run this prebuilt image instead of building one' },
  { key: 'port', flag: 'container-port', type: 'string', env: ['PREVIEW_CONTAINER_PORT'], value: 'PORT', description: 'port the service listens on inside the container', defaultText: '8080' },
  { key: 'removeImages', flag: 'remove-images', type: 'boolean', env: ['PREVIEW_REMOVE_IMAGES'], description: 'remove images no preview uses any more: on stop, and the replaced one on deploy' },
  { key: 'baseDomain', flag: 'base-domain', type: 'string', env: ['PREVIEW_BASE_DOMAIN'], value: 'DOMAIN', description: 'value of {domain} in host templates', defaultText: 'localhost' },
  { key: 'publishHost', flag: 'publish-host', type: 'string', env: ['PREVIEW_PUBLISH_HOST'], value: 'IP', description: 'host address container ports are published on', defaultText: '127.0.0.1' },
  { key: 'upstreamHost', flag: 'upstream-host', type: 'string', env: ['PREVIEW_UPSTREAM_HOST'], value: 'HOST', description: 'address Caddy dials to reach published ports', defaultText: '127.0.0.1' },
  // `.preview.yml` only: a mapping of service name → {image|dockerfile, port, host, env, …}.
  { key: 'services', type: 'list', topLevel: true, description: 'services of one preview (.preview.yml only)' },
];
