/**
 * A Convox app as a Preview: its URL (the preview's domain, else the rack's host of the service
 * that serves it), its domains, the release it runs and the commit that release was built from,
 * and the identity recorded in its environment.
 */
import type { Preview, PreviewDeployment, PreviewDomain, PreviewSpec, PreviewState } from '../types.js';
import type { AppState } from './app-state.js';
import type { Rack } from './client.js';
import { CREATED_KEY, marksOf } from './env.js';
import type { RackApp, RackBuild, RackRelease, RackService } from './rack-api.js';
import { FAILED } from './waiting.js';

export function builtFrom(build: RackBuild | undefined, commit: string): boolean {
  if (!build) return false;
  const want = commit.toLowerCase();
  const sha = (build['git-sha'] ?? '').toLowerCase();
  if (sha) return sha === want || (sha.length >= 7 && want.startsWith(sha)) || (want.length >= 7 && sha.startsWith(want));
  // Racks that drop git-sha still keep the description, where we put the full commit.
  return want.length >= 7 && (build.description ?? '').toLowerCase().includes(want);
}

export function deploymentState(status: string): PreviewDeployment['state'] {
  if (status === 'running') return 'ok';
  if (FAILED.has(status)) return 'failed';
  if (status === 'creating' || status === 'updating') return 'running';
  return status;
}

/**
 * What the preview is doing, from the app's status and the instances its services run (`counts`,
 * when known): every one at zero is asleep. An app that never ran a release is `unknown`.
 */
export function previewState(app: RackApp, counts: number[] | undefined): PreviewState {
  if (FAILED.has(app.status)) return 'failed';
  if (app.status === 'creating' || app.status === 'updating') return 'deploying';
  if (app.status !== 'running' || !app.release) return 'unknown';
  return counts && counts.length > 0 && counts.every((c) => c <= 0) ? 'sleeping' : 'running';
}

/** The commit a release was built from, when its description says it: a build's release carries the build's `preview-kit <sha>`. */
export function commitOfRelease(release: RackRelease | undefined): string | undefined {
  return /^preview-kit ([0-9a-f]{7,40})\b/i.exec(release?.description ?? '')?.[1];
}

/** The live release as a deployment: when it was made is when the preview was last deployed. */
export function liveDeployment(app: RackApp, release: RackRelease | undefined, commit: string | undefined): PreviewDeployment | undefined {
  if (!app.release) return undefined;
  return { id: app.release, state: deploymentState(app.status), ...(commit ? { commit } : {}), ...(release?.created ? { createdAt: release.created } : {}) };
}

export function hostsOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
}

function pickService(rack: Rack, services: RackService[]): RackService | undefined {
  const withDomain = services.filter((s) => s.domain);
  if (rack.settings.service) return withDomain.find((s) => s.name === rack.settings.service);
  const isPublic = (s: RackService) => (s.ports ?? []).length > 0;
  return withDomain.find((s) => s.name === 'web' && isPublic(s)) ?? withDomain.find(isPublic) ?? withDomain.find((s) => s.name === 'web');
}

/** `full`: also the services, the live release and its build (for `status`); `list` skips them. */
export async function toPreview(rack: Rack, state: AppState, full = true): Promise<Preview> {
  const { app, env } = state;
  const hosts = hostsOf(env[rack.settings.domainEnv]);
  let services: RackService[] = [];
  let lastDeployment: PreviewDeployment | undefined;
  const details: Record<string, unknown> = {
    status: app.status,
    release: app.release || undefined,
    latestRelease: state.latest?.id,
    generation: app.generation,
    locked: app.locked ?? false,
  };
  let counts: number[] | undefined;
  if (full && app.release) {
    services = await rack.api.listServices(app.name, { reuse: true });
    counts = services.map((s) => s.count ?? 0);
    const release = state.latest?.id === app.release ? state.latest : await rack.api.getRelease(app.name, app.release);
    const build = release.build ? await rack.api.getBuild(app.name, release.build, { reuse: true }) : undefined;
    lastDeployment = liveDeployment(app, release, build?.['git-sha'] || commitOfRelease(release));
    details.build = build?.id;
    details.services = services.map((s) => ({ name: s.name, domain: s.domain, url: s.domain ? `https://${s.domain}` : undefined, count: s.count }));
  }
  const primary = pickService(rack, services);
  const domains: PreviewDomain[] = [...hosts.map((host) => ({ host })), ...services.filter((s) => s.domain && !hosts.includes(s.domain)).map((s) => ({ host: s.domain, builtIn: true }))];
  const url = hosts[0] ? `https://${hosts[0]}` : primary ? `https://${primary.domain}` : '';
  const identity = marksOf(env, app.name).identity;
  return {
    name: app.name,
    id: app.name,
    url,
    domains,
    ...(lastDeployment ? { lastDeployment } : {}),
    ...(lastDeployment?.createdAt ? { lastDeployedAt: lastDeployment.createdAt } : {}),
    state: previewState(app, counts),
    ...(identity ? { identity } : {}),
    ...(env[CREATED_KEY] ? { createdAt: env[CREATED_KEY] } : {}),
    details,
  };
}

export function plannedPreview(spec: PreviewSpec): Preview {
  return {
    name: spec.name,
    id: spec.name,
    url: spec.domains[0] ? `https://${spec.domains[0]}` : '',
    domains: spec.domains.map((host) => ({ host })),
    identity: spec.identity,
  };
}

/** Convox attaches domains only through convox.yml: say so when the manifest cannot route ours. */
export function checkManifestRoutes(rack: Rack, state: AppState): void {
  const key = rack.settings.domainEnv;
  const manifest = state.latest?.manifest;
  if (!state.env[key] || !manifest || manifest.includes(`\${${key}}`)) return;
  rack.context.logger.warn(
    `convox.yml of ${state.app.name} does not use \${${key}}: the rack will not route ${hostsOf(state.env[key]).join(', ')} ` +
      `(add \`domain: \${${key}}\` to the service that serves the preview)`,
  );
}
