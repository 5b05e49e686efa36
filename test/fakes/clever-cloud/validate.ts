/**
 * Body validation for application create/update, after the real API's model (`WannabeApplication`:
 * `name`, `deploy`, `zone`, `minInstances`, `maxInstances` required; runtime given by
 * `instanceType` + `instanceVersion` + `instanceVariant` from the catalogue; flavors by name,
 * case-insensitive). Errors answer 400 with a message and the offending `fields`.
 */
import { canonicalFlavor, FLAVOR_NAMES, findRuntime, ZONES } from './catalog.js';
import type { AppState, NewApp } from './state.js';

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string; fields: Record<string, string> };

/** Environment variable names the API accepts (letters, digits, `_`, `-`, `.`). */
export const ENV_NAME = /^[a-zA-Z0-9_.-]+$/;

const LIFETIMES = ['REGULAR', 'MIGRATION', 'TASK'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class FieldErrors {
  readonly fields: Record<string, string> = {};
  add(field: string, why: string): void {
    this.fields[field] ??= why;
  }
  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }
  result<T>(value: () => T, what: string): Validated<T> {
    if (this.empty) return { ok: true, value: value() };
    const list = Object.entries(this.fields)
      .map(([f, why]) => `${f}: ${why}`)
      .join('; ');
    return { ok: false, message: `Invalid ${what}: ${list}`, fields: this.fields };
  }
}

function optionalBoolean(body: Record<string, unknown>, key: string, errors: FieldErrors): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    errors.add(key, 'must be a boolean');
    return undefined;
  }
  return v;
}

function optionalInt(body: Record<string, unknown>, key: string, errors: FieldErrors, min: number, max: number): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.add(key, `must be an integer between ${min} and ${max}`);
    return undefined;
  }
  return v;
}

function optionalFlavor(body: Record<string, unknown>, key: string, errors: FieldErrors): string | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  const name = canonicalFlavor(v);
  if (!name) errors.add(key, `unknown flavor ${JSON.stringify(v)}; one of ${FLAVOR_NAMES.join(', ')}`);
  return name;
}

function optionalString(body: Record<string, unknown>, key: string, errors: FieldErrors): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    errors.add(key, 'must be a string');
    return undefined;
  }
  return v;
}

function readEnv(value: unknown, errors: FieldErrors): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors.add('env', 'must be an object of NAME: value');
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!ENV_NAME.test(name)) errors.add('env', `invalid variable name ${JSON.stringify(name)}`);
    else if (typeof v !== 'string') errors.add('env', `value of ${name} must be a string`);
    else env[name] = v;
  }
  return env;
}

function readTags(value: unknown, errors: FieldErrors): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t.trim() === '')) {
    errors.add('tags', 'must be an array of non-empty strings');
    return undefined;
  }
  return value as string[];
}

function readForceHttps(body: Record<string, unknown>, errors: FieldErrors): AppState['forceHttps'] | undefined {
  const v = body.forceHttps;
  if (v === undefined || v === null) return undefined;
  if (v !== 'ENABLED' && v !== 'DISABLED') {
    errors.add('forceHttps', 'must be ENABLED or DISABLED');
    return undefined;
  }
  return v;
}

function readLifetime(body: Record<string, unknown>, errors: FieldErrors): AppState['instance']['lifetime'] | undefined {
  const v = body.instanceLifetime;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(LIFETIMES as readonly string[]).includes(v)) {
    errors.add('instanceLifetime', `must be one of ${LIFETIMES.join(', ')}`);
    return undefined;
  }
  return v as AppState['instance']['lifetime'];
}

export function validateCreateApp(body: unknown): Validated<NewApp> {
  const errors = new FieldErrors();
  if (!isObject(body)) {
    errors.add('body', 'a JSON object is required');
    return errors.result(() => undefined as never, 'application');
  }
  const name = body.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('name', 'is required');
  const deploy = body.deploy;
  if (typeof deploy !== 'string' || !['git', 'ftp'].includes(deploy.toLowerCase())) errors.add('deploy', 'is required (git or ftp)');
  else if (deploy.toLowerCase() !== 'git') errors.add('deploy', 'only git deployments are supported by this fake');
  const zone = body.zone;
  if (typeof zone !== 'string' || !(ZONES as readonly string[]).includes(zone)) errors.add('zone', `is required, one of ${ZONES.join(', ')}`);
  const minInstances = optionalInt(body, 'minInstances', errors, 1, 40);
  const maxInstances = optionalInt(body, 'maxInstances', errors, 1, 40);
  if (body.minInstances === undefined) errors.add('minInstances', 'is required');
  if (body.maxInstances === undefined) errors.add('maxInstances', 'is required');
  if (minInstances !== undefined && maxInstances !== undefined && minInstances > maxInstances) {
    errors.add('maxInstances', 'must be greater than or equal to minInstances');
  }
  const runtime = findRuntime(body.instanceType, body.instanceVersion, body.instanceVariant);
  if (!runtime) {
    errors.add('instanceType', 'instanceType, instanceVersion and instanceVariant must name a product of /v2/products/instances');
  } else if (!runtime.enabled) {
    errors.add('instanceVersion', `${runtime.type} ${runtime.version} is not available any more`);
  }
  let minFlavor = optionalFlavor(body, 'minFlavor', errors);
  let maxFlavor = optionalFlavor(body, 'maxFlavor', errors);
  if (minFlavor && maxFlavor && FLAVOR_NAMES.indexOf(minFlavor) > FLAVOR_NAMES.indexOf(maxFlavor)) {
    errors.add('maxFlavor', 'must not be smaller than minFlavor');
  }
  const buildFlavor = optionalFlavor(body, 'buildFlavor', errors);
  const env = readEnv(body.env, errors);
  const tags = readTags(body.tags, errors);
  const description = optionalString(body, 'description', errors);
  const branch = optionalString(body, 'branch', errors);
  const forceHttps = readForceHttps(body, errors);
  const lifetime = readLifetime(body, errors);
  const cancelOnPush = optionalBoolean(body, 'cancelOnPush', errors);
  const separateBuild = optionalBoolean(body, 'separateBuild', errors);
  const stickySessions = optionalBoolean(body, 'stickySessions', errors);
  const homogeneous = optionalBoolean(body, 'homogeneous', errors);

  return errors.result(() => {
    minFlavor ??= runtime!.defaultFlavor;
    maxFlavor ??= minFlavor;
    return {
      name: (name as string).trim(),
      description: description ?? '',
      zone: zone as string,
      runtime: runtime!,
      minInstances: minInstances!,
      maxInstances: maxInstances!,
      minFlavor,
      maxFlavor,
      lifetime: lifetime ?? 'REGULAR',
      env,
      tags: tags ?? [],
      branch: branch && branch !== '' ? branch : 'master',
      forceHttps: forceHttps ?? 'DISABLED',
      cancelOnPush: cancelOnPush ?? false,
      separateBuild: separateBuild ?? Boolean(buildFlavor),
      buildFlavor: buildFlavor ?? runtime!.buildFlavor,
      stickySessions: stickySessions ?? false,
      homogeneous: homogeneous ?? false,
    };
  }, 'application');
}

/** `PUT …/applications/{id}`: every field optional, same rules; applied to the app on success. */
export function validateUpdateApp(body: unknown, app: AppState): Validated<(target: AppState) => void> {
  const errors = new FieldErrors();
  if (!isObject(body)) {
    errors.add('body', 'a JSON object is required');
    return errors.result(() => undefined as never, 'application update');
  }
  const name = optionalString(body, 'name', errors);
  if (name !== undefined && name.trim() === '') errors.add('name', 'must not be empty');
  const description = optionalString(body, 'description', errors);
  const zone = optionalString(body, 'zone', errors);
  if (zone !== undefined && !(ZONES as readonly string[]).includes(zone)) errors.add('zone', `one of ${ZONES.join(', ')}`);
  const minInstances = optionalInt(body, 'minInstances', errors, 1, 40);
  const maxInstances = optionalInt(body, 'maxInstances', errors, 1, 40);
  const minFlavor = optionalFlavor(body, 'minFlavor', errors);
  const maxFlavor = optionalFlavor(body, 'maxFlavor', errors);
  const buildFlavor = optionalFlavor(body, 'buildFlavor', errors);
  const branch = optionalString(body, 'branch', errors);
  const forceHttps = readForceHttps(body, errors);
  const lifetime = readLifetime(body, errors);
  const cancelOnPush = optionalBoolean(body, 'cancelOnPush', errors);
  const separateBuild = optionalBoolean(body, 'separateBuild', errors);
  const stickySessions = optionalBoolean(body, 'stickySessions', errors);
  const homogeneous = optionalBoolean(body, 'homogeneous', errors);
  const newEnv = body.env === undefined ? undefined : readEnv(body.env, errors);
  const finalMin = minInstances ?? app.instance.minInstances;
  const finalMax = maxInstances ?? app.instance.maxInstances;
  if (finalMin > finalMax) errors.add('maxInstances', 'must be greater than or equal to minInstances');
  const finalMinFlavor = minFlavor ?? app.instance.minFlavor;
  const finalMaxFlavor = maxFlavor ?? app.instance.maxFlavor;
  if (FLAVOR_NAMES.indexOf(finalMinFlavor) > FLAVOR_NAMES.indexOf(finalMaxFlavor)) errors.add('maxFlavor', 'must not be smaller than minFlavor');

  return errors.result(
    () => (target: AppState) => {
      if (name !== undefined) target.name = name.trim();
      if (description !== undefined) target.description = description;
      if (zone !== undefined) target.zone = zone;
      target.instance.minInstances = finalMin;
      target.instance.maxInstances = finalMax;
      target.instance.minFlavor = finalMinFlavor;
      target.instance.maxFlavor = finalMaxFlavor;
      if (lifetime !== undefined) target.instance.lifetime = lifetime;
      if (buildFlavor !== undefined) {
        target.buildFlavor = buildFlavor;
        target.separateBuild = separateBuild ?? true;
      } else if (separateBuild !== undefined) target.separateBuild = separateBuild;
      if (branch !== undefined && branch !== '') target.branch = branch;
      if (forceHttps !== undefined) target.forceHttps = forceHttps;
      if (cancelOnPush !== undefined) target.cancelOnPush = cancelOnPush;
      if (stickySessions !== undefined) target.stickySessions = stickySessions;
      if (homogeneous !== undefined) target.homogeneous = homogeneous;
      if (newEnv !== undefined) target.env = newEnv;
    },
    'application update',
  );
}
