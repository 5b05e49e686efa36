/**
 * Services' scale on the fake rack: what a manifest asks for, where each generation keeps the
 * running count, and the processes that follow from it.
 *
 * - v2 (convox/rack): the count, cpu and memory of a service are the app stack's CloudFormation
 *   parameter `<Service>Formation` = `count,cpu,memory` (`provider/aws/formation/app.json.tmpl`
 *   "service-params", default `Scale.Count.Min,Scale.Cpu,Scale.Memory`). `GET /apps` shows it in
 *   `parameters` (`appFromStack` → `stackParameters`); `ServiceList` and `ServiceUpdate` read and
 *   write it (`provider/aws/service.go`); a promotion keeps the value it had (`updateStack` sends
 *   `UsePreviousValue` for existing parameters, `provider/aws/helpers.go`).
 * - v3 (convox/convox): the count is the Deployment's `spec.replicas` (`provider/k8s/service.go`
 *   `ServiceList`, `ServiceUpdate`); a promotion sets `CoalesceInt(running count, manifest min)`
 *   (`provider/k8s/release.go`), so a service at zero comes back to the manifest's count.
 */
import { parse as parseYaml } from 'yaml';
import type { Generation } from './generation.js';
import type { AppRecord, ServiceScale } from './state.js';

export interface ManifestServiceScale {
  name: string;
  min: number;
  max: number;
  cpu: number;
  memory: number;
  port?: number;
  domain?: string | string[];
}

/** `pkg/manifest/manifest.go` defaults: DefaultCpu 256 (v2) / 250 (v3), DefaultMem 512. */
const DEFAULT_CPU: Record<Generation, number> = { '2': 256, '3': 250 };
const DEFAULT_MEMORY = 512;

/** `ServiceScaleCount.UnmarshalYAML` (`pkg/manifest/yaml.go`): `2`, `"2"`, `"1-3"`, `{min, max}`. */
export function parseScaleCount(value: unknown): { min: number; max: number } | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return { min: value, max: value };
  if (typeof value === 'string') {
    const parts = value.split('-');
    if (parts.length === 2) {
      const [min, max] = parts.map((p) => Number.parseInt(p, 10));
      return Number.isInteger(min) && Number.isInteger(max) ? { min: min!, max: max! } : undefined;
    }
    const min = Number(value.trim());
    return Number.isInteger(min) && value.trim() !== '' ? { min, max: min } : undefined;
  }
  if (value && typeof value === 'object') {
    const { min, max } = value as { min?: unknown; max?: unknown };
    return { min: Number(min ?? 0) || 0, max: Number(max ?? 0) || 0 };
  }
  return undefined;
}

function portOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = typeof value === 'object' ? (value as { port?: unknown }).port : value;
  const n = Number(String(raw).split(':').pop());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const parsed = new Map<string, ManifestServiceScale[]>();

/**
 * The services of a manifest with their scale (`ServiceScale.UnmarshalYAML`: a number, a range,
 * or a map with `count`, `cpu`, `memory`; no count given → 1). Cached: manifests repeat.
 */
export function manifestServices(manifest: string, generation: Generation): ManifestServiceScale[] {
  const key = `${generation}\n${manifest}`;
  const known = parsed.get(key);
  if (known) return known;
  let services: Record<string, Record<string, unknown> | null> = {};
  try {
    services = ((parseYaml(manifest) as { services?: typeof services } | null)?.services ?? {}) as typeof services;
  } catch {
    services = {};
  }
  const out = Object.entries(services).map(([name, s]) => {
    const scale = s?.scale;
    let count: { min: number; max: number } | undefined;
    let cpu: unknown;
    let memory: unknown;
    if (scale && typeof scale === 'object' && !Array.isArray(scale)) {
      ({ cpu, memory } = scale as { cpu?: unknown; memory?: unknown });
      count = parseScaleCount((scale as { count?: unknown }).count);
    } else count = parseScaleCount(scale);
    const port = portOf(s?.port);
    return {
      name,
      min: count?.min ?? 1,
      max: count?.max ?? 1,
      cpu: Number(cpu) || DEFAULT_CPU[generation],
      memory: Number(memory) || DEFAULT_MEMORY,
      ...(port ? { port } : {}),
      ...(s?.domain !== undefined ? { domain: s.domain as string | string[] } : {}),
    };
  });
  parsed.set(key, out);
  return out;
}

/**
 * The scale after a promotion of `manifest`. v2: an existing `<Service>Formation` keeps its value,
 * a new service gets the template default. v3: `CoalesceInt(replicas, manifest min)`: a service at
 * zero comes back to the manifest's count. Services no longer in the manifest go (v2: parameters
 * of the new template only; v3: the atom applies the new version's objects).
 */
export function promotedScale(current: Record<string, ServiceScale>, manifest: string, generation: Generation): Record<string, ServiceScale> {
  const next: Record<string, ServiceScale> = {};
  for (const s of manifestServices(manifest, generation)) {
    const had = current[s.name];
    if (generation === '2') next[s.name] = had ?? { count: s.min, cpu: s.cpu, memory: s.memory };
    else next[s.name] = { count: had?.count || s.min, cpu: s.cpu, memory: s.memory };
  }
  return next;
}

/** `upperName` of `provider/aws/helpers.go`: `web` → `Web`, `my-worker` → `MyWorker`, `_` read as `-`. */
export function upperName(name: string): string {
  if (!name) return '';
  const dashed = name.replace(/_/g, '-');
  return (dashed[0]!.toUpperCase() + dashed.slice(1)).replace(/-(.?)/g, (_m, c: string) => c.toUpperCase());
}

/** v2 `parameters` as `GET /apps` shows them: the stack's own, then one `<Service>Formation` per service. */
export function formationParameters(app: AppRecord): Record<string, string> {
  const out: Record<string, string> = { ...app.parameters };
  for (const [name, s] of Object.entries(app.scale)) out[`${upperName(name)}Formation`] = `${s.count},${s.cpu},${s.memory}`;
  return out;
}

/** Processes still terminating after a scale-down (v3: pods in their grace period), or gone. */
function draining(app: AppRecord, now: number): Array<{ service: string; count: number }> {
  app.draining = app.draining.filter((d) => d.until > now);
  return app.draining;
}

/**
 * One process per running instance (`processFromPod` of v3, `taskProcesses` of v2): `count` per
 * service, plus v3 pods of a scale-down still in their grace period (phase `Running` until gone).
 */
export function processesOf(app: AppRecord, generation: Generation, now = Date.now()): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const add = (service: string, i: number) => {
    const process: Record<string, unknown> = {
      id: `${service}-${app.release.toLowerCase().slice(1, 9) || 'initial'}-${i}`,
      app: app.name,
      command: '',
      cpu: 0,
      host: `10.0.${i % 250}.${(i * 7) % 250}`,
      image: `${app.name}:${service}.${app.release}`,
      instance: generation === '3' ? 'node-1' : 'i-0fake',
      memory: 0,
      name: service,
      ports: [],
      release: app.release,
      started: new Date(now).toISOString(),
      status: 'running',
    };
    if (generation === '3') Object.assign(process, { gpu: 0, service });
    else process.task_definition = `arn:aws:ecs:local:0:task-definition/${app.name}-${service}:1`;
    out.push(process);
  };
  for (const [service, s] of Object.entries(app.scale)) for (let i = 0; i < s.count; i++) add(service, i);
  for (const d of draining(app, now)) for (let i = 0; i < d.count; i++) add(d.service, 1000 + i);
  return out;
}
