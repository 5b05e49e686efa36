/**
 * What an application is made of: the runtime picked from the catalogue, the create body (with
 * the preview's tags in it, so that no concurrent run ever sees our new app untagged), and the
 * scaler fields that differ from the settings of an app that already exists.
 */
import { ConfigError, ProviderError } from '../../core/errors.js';
import type { CleverApp, CleverInstanceProduct, CreateAppBody, ScalabilityBody } from './api.js';
import type { CleverSettings } from './settings.js';

/** `creationDate` in ms since the epoch (the API sends a number; ISO text is accepted too). */
export function creationTime(item: { creationDate?: number | string }): number {
  const raw = item.creationDate;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isFinite(n)) return n;
  }
  return Number.POSITIVE_INFINITY;
}

function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The enabled runtime whose variant slug is `type`, newest version first (what clever-tools picks). */
export function pickRuntime(products: CleverInstanceProduct[], type: string): CleverInstanceProduct {
  const matching = products.filter((p) => p.enabled && p.variant?.slug === type);
  if (matching.length === 0) {
    const known = [...new Set(products.filter((p) => p.enabled && p.variant?.slug).map((p) => p.variant!.slug))].sort();
    throw new ConfigError(`invalid settings: --type ${type}: Clever Cloud has no such runtime`, { hint: `available: ${known.join(', ') || 'none listed'}` });
  }
  return matching.sort((a, b) => compareVersions(b.version, a.version))[0]!;
}

export function createBody(input: {
  name: string;
  description: string;
  settings: CleverSettings;
  runtime: CleverInstanceProduct;
  env: Record<string, string>;
  tags: string[];
}): CreateAppBody {
  const { settings, runtime } = input;
  const flavor = settings.flavor ?? runtime.defaultFlavor?.name;
  if (!flavor || !runtime.variant) {
    throw new ProviderError(`create application ${input.name}: the runtime catalogue has no default flavor or variant for ${settings.type}`, {
      hint: 'give --flavor',
    });
  }
  const instances = settings.instances ?? 1;
  const body: CreateAppBody = {
    deploy: 'git',
    name: input.name,
    description: input.description,
    zone: settings.zone,
    instanceType: runtime.type,
    instanceVersion: runtime.version,
    instanceVariant: runtime.variant.id,
    minFlavor: flavor,
    maxFlavor: flavor,
    minInstances: instances,
    maxInstances: instances,
    instanceLifetime: 'REGULAR',
    env: input.env,
    tags: input.tags,
  };
  if (settings.buildFlavor === 'disabled') body.separateBuild = false;
  else if (settings.buildFlavor) Object.assign(body, { separateBuild: true, buildFlavor: settings.buildFlavor });
  return body;
}

const sameName = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** The scaler fields that differ from what is asked, or undefined when nothing does. */
export function scalabilityChanges(app: CleverApp, settings: CleverSettings): ScalabilityBody | undefined {
  const body: ScalabilityBody = {};
  const inst = app.instance ?? {};
  if (settings.flavor && !(sameName(inst.minFlavor?.name, settings.flavor) && sameName(inst.maxFlavor?.name, settings.flavor))) {
    body.minFlavor = settings.flavor;
    body.maxFlavor = settings.flavor;
  }
  if (settings.instances !== undefined && !(inst.minInstances === settings.instances && inst.maxInstances === settings.instances)) {
    body.minInstances = settings.instances;
    body.maxInstances = settings.instances;
  }
  if (settings.buildFlavor === 'disabled') {
    if (app.separateBuild) body.separateBuild = false;
  } else if (settings.buildFlavor && !(app.separateBuild && sameName(app.buildFlavor?.name, settings.buildFlavor))) {
    body.separateBuild = true;
    body.buildFlavor = settings.buildFlavor;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}
