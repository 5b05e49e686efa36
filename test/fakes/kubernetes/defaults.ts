/**
 * Server-side defaulting and validation of the fake, for the fields a preview touches: what a real
 * API server fills in (Deployment strategy, replicas, container pull policy, Service cluster IP…)
 * and what it refuses with 422 Invalid (bad names and labels, a selector that does not match the
 * template, `rollingUpdate` with Recreate, immutable selectors).
 */
import { isObject, type Json, type JsonObject } from './fields.js';

export interface FieldCause {
  reason: string;
  message: string;
  field: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function obj(parent: JsonObject, key: string): JsonObject {
  if (!isObject(parent[key])) parent[key] = {};
  return parent[key] as JsonObject;
}

function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? (spec[list] as Json[]) : []) {
      if (!isObject(c)) continue;
      const image = typeof c.image === 'string' ? c.image : '';
      const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
      c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObject(p)) p.protocol ??= 'TCP';
    }
  }
}

let nextIp = 10;

/** Fills in what the API server defaults. Mutates and returns the object. */
export function applyDefaults(object: JsonObject): JsonObject {
  const kind = object.kind;
  const spec = isObject(object.spec) ? object.spec : undefined;
  if (kind === 'Namespace') {
    const meta = obj(object, 'metadata');
    const labels = obj(meta, 'labels');
    labels['kubernetes.io/metadata.name'] = meta.name as string;
    obj(object, 'spec').finalizers ??= ['kubernetes'];
  }
  if (kind === 'Secret') {
    object.type ??= 'Opaque';
    if (isObject(object.stringData)) {
      const data = obj(object, 'data');
      for (const [k, v] of Object.entries(object.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete object.stringData;
    }
  }
  if (kind === 'Service' && spec) {
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.clusterIP === undefined) {
      spec.clusterIP = `10.96.${Math.floor(nextIp / 250)}.${(nextIp % 250) + 1}`;
      nextIp++;
      spec.clusterIPs = [spec.clusterIP];
    }
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
      if (!isObject(p)) continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port ?? null;
    }
  }
  if ((kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet') && spec) {
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    if (kind === 'Deployment') {
      spec.progressDeadlineSeconds ??= 600;
      const strategy = obj(spec, 'strategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = obj(strategy, 'rollingUpdate');
        ru.maxUnavailable ??= '25%';
        ru.maxSurge ??= '25%';
      }
    }
    const template = isObject(spec.template) ? spec.template : undefined;
    if (template && isObject(template.spec)) defaultPodSpec(template.spec);
  }
  if (kind === 'Pod' && spec) defaultPodSpec(spec);
  return object;
}

function validateLabels(labels: Json | undefined, field: string, causes: FieldCause[]): void {
  if (labels === undefined || labels === null) return;
  if (!isObject(labels)) {
    causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: must be a map of strings', field });
    return;
  }
  for (const [k, v] of Object.entries(labels)) {
    const [prefix, name] = k.includes('/') ? k.split('/', 2) : [undefined, k];
    if (!name || !LABEL_NAME.test(name) || name.length > 63 || (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix))) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`, field });
    }
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
      causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`, field: `${field}` });
    }
  }
}

function matches(selector: JsonObject, labels: JsonObject): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** 422 causes for an object about to be stored; `old` is the stored one on updates. */
export function validate(object: JsonObject, old: JsonObject | undefined): FieldCause[] {
  const causes: FieldCause[] = [];
  const meta = isObject(object.metadata) ? object.metadata : {};
  const name = meta.name;
  const labelLike = object.kind === 'Namespace' || object.kind === 'Service';
  if (typeof name !== 'string' || !name) causes.push({ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' });
  else if (!(labelLike ? DNS_LABEL : DNS_SUBDOMAIN).test(name) || name.length > (labelLike ? 63 : 253)) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 ${labelLike ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'`, field: 'metadata.name' });
  }
  validateLabels(meta.labels, 'metadata.labels', causes);
  const spec = isObject(object.spec) ? object.spec : undefined;
  if (object.kind === 'Deployment' || object.kind === 'StatefulSet' || object.kind === 'ReplicaSet') {
    const selector = isObject(spec?.selector) ? spec.selector : undefined;
    const template = isObject(spec?.template) ? spec.template : undefined;
    const templateLabels = isObject(template?.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
    if (!selector || !isObject(selector.matchLabels) || !Object.keys(selector.matchLabels).length) {
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
    } else if (!matches(selector.matchLabels, templateLabels)) {
      causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: selector does not match template labels', field: 'spec.template.metadata.labels' });
    }
    if (template && isObject(template.metadata)) validateLabels(template.metadata.labels, 'spec.template.metadata.labels', causes);
    const containers = isObject(template?.spec) ? template.spec.containers : undefined;
    if (!Array.isArray(containers) || !containers.length) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers' });
    for (const [i, c] of (Array.isArray(containers) ? containers : []).entries()) {
      if (!isObject(c) || typeof c.name !== 'string' || !c.name) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].name` });
      if (!isObject(c) || typeof c.image !== 'string' || !c.image) causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].image` });
    }
    const strategy = isObject(spec?.strategy) ? spec.strategy : undefined;
    if (strategy?.type === 'Recreate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      causes.push({ reason: 'FieldValueForbidden', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'", field: 'spec.strategy.rollingUpdate' });
    }
    const oldSelector = old && isObject(old.spec) ? old.spec.selector : undefined;
    if (oldSelector !== undefined && JSON.stringify(oldSelector) !== JSON.stringify(selector)) {
      causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: field is immutable', field: 'spec.selector' });
    }
  }
  if (object.kind === 'Ingress') {
    for (const [i, rule] of (Array.isArray(spec?.rules) ? spec.rules : []).entries()) {
      const paths = isObject(rule) && isObject(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      for (const [j, p] of paths.entries()) {
        if (!isObject(p) || !p.pathType) causes.push({ reason: 'FieldValueRequired', message: 'Required value: pathType must be specified', field: `spec.rules[${i}].http.paths[${j}].pathType` });
      }
    }
  }
  if (object.kind === 'Secret' && isObject(object.data)) {
    for (const [k, v] of Object.entries(object.data)) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: illegal base64 data', field: `data[${k}]` });
    }
  }
  if (object.kind === 'Service' && old && isObject(old.spec) && spec && spec.clusterIP !== old.spec.clusterIP && spec.clusterIP !== undefined) {
    causes.push({ reason: 'FieldValueInvalid', message: 'Invalid value: field is immutable', field: 'spec.clusterIP' });
  }
  return causes;
}
