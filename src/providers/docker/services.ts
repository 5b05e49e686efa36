/**
 * From settings to the services of one preview: their host names, ports, health paths, env and
 * image source (build or prebuilt). Pure, so the rules are unit-tested on their own.
 */
import { posix } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { expandDomain, slugify } from '../../core/naming.js';
import type { PreviewSpec } from '../types.js';
import { hashOf } from './labels.js';
import type { DockerSettings, ServiceSettings } from './settings.js';

export interface BuildSpec {
  /** Context directory, relative to the repository (`.` for its root). */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  /** Build args before `{commit}` is replaced. */
  args: Record<string, string>;
  /** Image repository, `localhost/<app>[-<service>]`: never a short name a registry could expand. */
  repo: string;
}

export interface ServicePlan {
  service: string;
  /** Host names routed to this service, first is primary. */
  hosts: string[];
  port: number;
  healthPath: string;
  env: Record<string, string>;
  command?: string[];
  /** Exactly one of `image` and `build`. */
  image?: string;
  build?: BuildSpec;
}

/** The values of host template placeholders: `{name}`, `{app}`, `{branch}`, `{pr}`. */
export interface HostValues {
  name: string;
  app: string;
  branch?: string;
  pr?: number;
}

/** What one preview's spec says about its services: the hosts of `--domain`, health path, env. */
export type ServiceInputs = Pick<PreviewSpec, 'name' | 'identity' | 'env' | 'healthPath' | 'domains'>;

/** Placeholder values from the preview's identity (a pull request's preview has no `{branch}`). */
export function hostValues(spec: Pick<PreviewSpec, 'name' | 'identity'>): HostValues {
  const { project, branch, pr } = spec.identity;
  return { name: spec.name, app: project, ...(branch !== undefined ? { branch } : {}), ...(pr !== undefined ? { pr } : {}) };
}

function normalisePath(path: string): string {
  const p = posix.normalize(path).replace(/\/+$/, '');
  return p === '' ? '.' : p;
}

/** Expands `{domain}` first (ours), then the shared placeholders of the core. */
export function expandHost(template: string, id: HostValues, baseDomain: string): string {
  if (template.includes('{branch}') && id.branch === undefined) {
    throw new ConfigError(`invalid settings: docker host template "${template}" uses {branch}, but this preview is for pull request #${id.pr ?? '?'}`, { hint: 'use {name} or {pr}' });
  }
  if (template.includes('{pr}') && id.pr === undefined) {
    throw new ConfigError(`invalid settings: docker host template "${template}" uses {pr}, but this preview is for a branch`, { hint: 'use {name} or {branch}' });
  }
  let host: string;
  try {
    host = expandDomain(template.replace(/\{domain\}/g, baseDomain), id);
  } catch (error) {
    throw new ConfigError(`invalid settings: docker host template: ${(error as Error).message}`, { hint: 'placeholders: {name}, {app}, {branch}, {pr}, {domain}' });
  }
  const label = /^(\*|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$/;
  if (host.length > 253 || !host.split('.').every((part) => label.test(part))) {
    throw new ConfigError(`invalid settings: docker host template "${template}" gives "${host}", which is not a host name`);
  }
  return host;
}

export function repoName(app: string, suffix?: string): string {
  const base = slugify(app) || 'preview';
  return `localhost/${suffix ? `${base}-${suffix}` : base}`;
}

/**
 * The services of a preview. Without `services`, one service `web` from the top-level settings.
 * The first service is the primary one: it gets the `--domain` hosts when given (already expanded
 * in the spec), else its `host`, else `{name}.{domain}`; the others default to
 * `{name}-<service>.{domain}`.
 */
export function planServices(settings: DockerSettings, spec: ServiceInputs): ServicePlan[] {
  const id = hostValues(spec);
  const entries: Array<[string, ServiceSettings]> = settings.services ? Object.entries(settings.services) : [['web', {}]];
  const repos = new Map<string, string>();
  const plans: ServicePlan[] = [];
  entries.forEach(([service, s], index) => {
    const primary = index === 0;
    let hosts: string[];
    if (primary && spec.domains.length > 0) hosts = [...new Set(spec.domains.map((d) => d.toLowerCase()))];
    else {
      const templates = s.host === undefined ? [primary ? '{name}.{domain}' : `{name}-${service}.{domain}`] : Array.isArray(s.host) ? s.host : [s.host];
      hosts = [...new Set(templates.map((t) => expandHost(t, id, settings.baseDomain)))];
    }
    const command = s.command === undefined ? undefined : Array.isArray(s.command) ? s.command : ['/bin/sh', '-c', s.command];
    const plan: ServicePlan = {
      service,
      hosts,
      port: s.port ?? settings.port,
      healthPath: s.healthPath ?? spec.healthPath,
      env: { ...spec.env, ...(s.env ?? {}) },
      ...(command ? { command } : {}),
    };
    const image = s.image ?? (s.dockerfile || s.buildContext || s.buildArgs ? undefined : settings.image);
    if (image) {
      plan.image = image;
    } else {
      const context = normalisePath(s.buildContext ?? settings.buildContext);
      const dockerfilePath = normalisePath(s.dockerfile ?? (s.buildContext ? undefined : settings.dockerfile) ?? posix.join(context, 'Dockerfile'));
      const dockerfile = context === '.' ? dockerfilePath : posix.relative(context, dockerfilePath);
      if (dockerfile.startsWith('..')) {
        throw new ConfigError(`invalid settings: service ${service}: the Dockerfile ${dockerfilePath} is outside the build context ${context}`);
      }
      const args = { ...settings.buildArgs, ...(s.buildArgs ?? {}) };
      // Services with the same build share one image repository; others get `<app>-<service>`.
      const key = hashOf({ context, dockerfile, args });
      let repo = repos.get(key);
      if (!repo) {
        repo = repoName(id.app, repos.size === 0 ? undefined : service);
        repos.set(key, repo);
      }
      plan.build = { context, dockerfile, args, repo };
    }
    plans.push(plan);
  });
  const allHosts = plans.flatMap((p) => p.hosts);
  const dup = allHosts.find((h, i) => allHosts.indexOf(h) !== i);
  if (dup) throw new ConfigError(`invalid settings: host ${dup} is given to two services`, { hint: 'give each service its own host template' });
  return plans;
}

/** Build args with `{commit}` and `{app}` replaced: the same for every preview of a commit. */
export function expandBuildArgs(args: Record<string, string>, values: { commit: string; app: string }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    out[key] = value.replace(/\{(commit|app)\}/g, (_m, k: 'commit' | 'app') => values[k]);
  }
  return out;
}
