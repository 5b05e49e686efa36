/**
 * A user's own manifests directory turned into one preview's objects, the way kustomize's
 * namePrefix + commonLabels would: every name gets the `<preview>-` prefix, references between the
 * objects of the set follow the rename, selectors and pod templates get the preview label (so two
 * previews in one namespace never select each other's pods), and `{name}`-style placeholders in
 * string values are replaced (unknown `{…}` text is left alone).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import { ownerAnnotations, ownerLabels, PREVIEW_LABEL, type KubeObject } from './labels.js';
import { envFromSecrets, placeholderValues, podTemplateAdditions, type RenderContext } from './render.js';
import { resourceType } from './resources.js';
import type { KubernetesSettings } from './settings.js';

export interface ManifestSource {
  file: string;
  object: KubeObject;
}

/** Reads every `.yaml`/`.yml`/`.json` file of the directory (sorted; multi-document files and `List`s allowed). */
export function readManifests(dir: string): ManifestSource[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    entries = readdirSync(dir).sort();
  } catch (error) {
    throw new ConfigError(`invalid settings: --manifests ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const out: ManifestSource[] = [];
  for (const entry of entries) {
    if (!['.yaml', '.yml', '.json'].includes(extname(entry))) continue;
    const file = join(dir, entry);
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length) throw new ConfigError(`invalid manifest ${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      const objects = (value as { kind?: string }).kind === 'List' ? ((value as { items?: unknown[] }).items ?? []) : [value];
      for (const object of objects) {
        const o = object as KubeObject;
        if (!o || typeof o !== 'object' || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
          throw new ConfigError(`invalid manifest ${file}: every object needs apiVersion, kind and metadata.name`);
        }
        out.push({ file, object: o });
      }
    }
  }
  if (!out.length) throw new ConfigError(`invalid settings: --manifests ${dir}: no Kubernetes objects found`);
  return out;
}

function replacePlaceholders(value: unknown, values: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  }
  if (Array.isArray(value)) return value.map((v) => replacePlaceholders(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePlaceholders(v, values)]));
  }
  return value;
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => asObj(x)) as Obj[]) : []);

/** Renames `holder[key]` when it names an object of `kind` in the set. */
function renameRef(holder: Obj | undefined, key: string, kind: string, renames: Map<string, string>): void {
  if (!holder || typeof holder[key] !== 'string') return;
  const renamed = renames.get(`${kind}/${holder[key] as string}`);
  if (renamed) holder[key] = renamed;
}

function podSpecOf(object: KubeObject): Obj | undefined {
  const spec = asObj(object.spec);
  if (object.kind === 'CronJob') return asObj(asObj(asObj(asObj(spec?.jobTemplate)?.spec)?.template)?.spec);
  return asObj(asObj(spec?.template)?.spec);
}

function renamePodSpecRefs(podSpec: Obj | undefined, renames: Map<string, string>): void {
  if (!podSpec) return;
  renameRef(podSpec, 'serviceAccountName', 'ServiceAccount', renames);
  for (const volume of asList(podSpec.volumes)) {
    renameRef(asObj(volume.secret), 'secretName', 'Secret', renames);
    renameRef(asObj(volume.configMap), 'name', 'ConfigMap', renames);
    renameRef(asObj(volume.persistentVolumeClaim), 'claimName', 'PersistentVolumeClaim', renames);
  }
  for (const container of [...asList(podSpec.containers), ...asList(podSpec.initContainers)]) {
    for (const from of asList(container.envFrom)) {
      renameRef(asObj(from.secretRef), 'name', 'Secret', renames);
      renameRef(asObj(from.configMapRef), 'name', 'ConfigMap', renames);
    }
    for (const env of asList(container.env)) {
      const valueFrom = asObj(env.valueFrom);
      renameRef(asObj(valueFrom?.secretKeyRef), 'name', 'Secret', renames);
      renameRef(asObj(valueFrom?.configMapKeyRef), 'name', 'ConfigMap', renames);
    }
  }
}

/** The preview's objects from the user's manifests. */
export function renderFromManifests(sources: ManifestSource[], ctx: RenderContext, settings: KubernetesSettings): KubeObject[] {
  const values = placeholderValues(ctx);
  const renames = new Map<string, string>();
  for (const { object } of sources) renames.set(`${object.kind}/${object.metadata.name}`, `${ctx.name}-${object.metadata.name}`);
  const template = podTemplateAdditions(ctx, settings);
  const out: KubeObject[] = [];
  for (const { file, object: original } of sources) {
    const type = resourceType(original.apiVersion, original.kind);
    if (!type.namespaced) throw new ConfigError(`invalid manifest ${file}: ${original.kind} is cluster-wide; a preview may only hold namespaced objects`);
    if (type.workload && ctx.commit === undefined) continue;
    const object = replacePlaceholders(structuredClone(original), values) as KubeObject;
    object.metadata = {
      ...object.metadata,
      name: renames.get(`${original.kind}/${original.metadata.name}`),
      namespace: ctx.namespace,
      labels: { ...(object.metadata.labels ?? {}), ...ownerLabels(ctx) },
      annotations: { ...(object.metadata.annotations ?? {}), ...ownerAnnotations(ctx) },
    };
    const spec = asObj(object.spec);
    if (object.kind === 'Service' && spec && asObj(spec.selector)) {
      spec.selector = { ...asObj(spec.selector), [PREVIEW_LABEL]: ctx.name };
    }
    if (object.kind === 'Ingress' && spec) {
      const renameBackend = (backend: unknown) => renameRef(asObj(asObj(backend)?.service), 'name', 'Service', renames);
      renameBackend(spec.defaultBackend);
      for (const rule of asList(spec.rules)) for (const path of asList(asObj(rule.http)?.paths)) renameBackend(path.backend);
      for (const tls of asList(spec.tls)) renameRef(tls, 'secretName', 'Secret', renames);
    }
    if ((object.kind === 'HorizontalPodAutoscaler' || object.kind === 'PodDisruptionBudget') && spec) {
      const target = asObj(spec.scaleTargetRef);
      if (target && typeof target.kind === 'string') renameRef(target, 'name', target.kind, renames);
      const selector = asObj(spec.selector);
      if (selector && asObj(selector.matchLabels)) selector.matchLabels = { ...asObj(selector.matchLabels), [PREVIEW_LABEL]: ctx.name };
    }
    if (object.kind === 'RoleBinding' && asObj(object.roleRef)) renameRef(asObj(object.roleRef), 'name', 'Role', renames);
    if (object.kind === 'RoleBinding') for (const subject of asList(object.subjects)) if (subject.kind === 'ServiceAccount') renameRef(subject, 'name', 'ServiceAccount', renames);
    if ((type.workload || object.kind === 'Job' || object.kind === 'CronJob') && spec) {
      if (type.workload) {
        const selector = asObj(spec.selector) ?? {};
        spec.selector = { ...selector, matchLabels: { ...(asObj(selector.matchLabels) ?? {}), [PREVIEW_LABEL]: ctx.name } };
        if (object.kind === 'StatefulSet') renameRef(spec, 'serviceName', 'Service', renames);
      }
      const templateHolder = object.kind === 'CronJob' ? asObj(asObj(asObj(spec.jobTemplate)?.spec)) : spec;
      const podTemplate = asObj(templateHolder?.template);
      if (podTemplate) {
        const m = asObj(podTemplate.metadata) ?? {};
        const isWorkload = type.workload === true;
        podTemplate.metadata = {
          ...m,
          labels: { ...(asObj(m.labels) ?? {}), ...template.labels },
          annotations: { ...(asObj(m.annotations) ?? {}), ...(isWorkload ? template.annotations : {}) },
        };
      }
      const podSpec = podSpecOf(object);
      renamePodSpecRefs(podSpec, renames);
      for (const container of asList(podSpec?.containers)) {
        container.envFrom = [...asList(container.envFrom), ...envFromSecrets(ctx)];
      }
    }
    out.push(object);
  }
  return out;
}
