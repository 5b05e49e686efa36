/**
 * The Provider interface every platform implements, and the values that cross it. Providers get
 * a typed settings object and a context; they never read env vars or flags.
 */
import type { Logger } from '../core/logger.js';
import type { Plan } from '../core/plan.js';
import type { Deadline } from '../core/retry.js';
import type { CommonSettings, ProviderId, ProviderSettingsModule } from '../core/settings.js';

/** Label/tag value that marks a resource as created and owned by preview-kit. */
export const OWNER_MARKER = 'preview-kit';

export interface ProviderContext {
  logger: Logger;
  deadline: Deadline;
  /** Every mutating call goes through `plan.apply` (dry run, change report). */
  plan: Plan;
  /** Take over a resource that has the right name but lacks our marker. */
  adopt: boolean;
}

/** What the user asked for: the desired state of one preview. */
export interface PreviewSpec {
  name: string;
  app: string;
  branch?: string;
  pr?: number;
  /** Environment variables the preview must have (exactly these, for keys we manage). */
  env: Record<string, string>;
  /** Host names to attach, first is primary. */
  domains: string[];
  /** Make the first domain the primary/favourite one. */
  favourite: boolean;
}

export interface PreviewDomain {
  host: string;
  /** The platform's default domain (e.g. `*.cleverapps.io`), not one we attached. */
  builtIn?: boolean;
  favourite?: boolean;
}

export interface PreviewAddon {
  id: string;
  name: string;
  kind: string;
  plan?: string;
}

export interface PreviewDeployment {
  id: string;
  state: 'pending' | 'running' | 'ok' | 'failed' | 'cancelled' | string;
  commit?: string;
  createdAt?: string;
}

/** A preview as it exists on the platform. */
export interface Preview {
  /** Our preview name. */
  name: string;
  /** The platform's id (app id, container id, namespace/name…). */
  id: string;
  /** Primary URL. */
  url: string;
  domains: PreviewDomain[];
  addons?: PreviewAddon[];
  lastDeployment?: PreviewDeployment;
  /** Branch recorded on the resource when created, for `prune`. */
  branch?: string;
  /** Project (`--app`) recorded on the resource when created, so `prune` never judges another project's previews. */
  app?: string;
  createdAt?: string;
  /** Provider-specific extras for `status --json`. */
  details?: Record<string, unknown>;
}

export interface SourceRef {
  /** Directory of the git repository to deploy. */
  dir: string;
  /** Full commit SHA to deploy. */
  commit: string;
  /** Deploy even if this commit is already live. */
  force: boolean;
}

export interface EnsureResult {
  preview: Preview;
  created: boolean;
  changed: boolean;
}

export interface DeployResult {
  deployed: boolean;
  url: string;
  /** Why nothing was deployed, when `deployed` is false. */
  reason?: string;
  deployment?: PreviewDeployment;
}

export interface DestroyResult {
  deleted: boolean;
  /** Human-readable list of what was removed, e.g. `application app_…`, `addon addon_…`. */
  removed: string[];
}

/** What `prune --ttl` tells a provider that keeps build artefacts apart from its previews. */
export interface ImagePruneOptions {
  /** The project (`--app`): only its images are judged, never another project's. */
  app: string;
  /**
   * Previews this prune removes (or, in a dry run, would remove): their containers no longer count
   * as users of an image, so a dry run lists what the real run removes.
   */
  removedPreviews?: string[];
  /** The clock (ms since the epoch), for tests; default now. */
  now?: number;
}

export interface Provider {
  readonly id: ProviderId;
  /** Finds our preview by name and marker. Undefined only when absent; auth errors throw. */
  find(name: string): Promise<Preview | undefined>;
  /** Finds or creates the preview (and its add-ons) and converges its settings. */
  ensure(spec: PreviewSpec): Promise<EnsureResult>;
  /** Attaches the domains that are missing; no call when all are present. */
  setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }>;
  /** Deploys the commit unless it is already live; waits until the deployment ends. */
  deploy(preview: Preview, source: SourceRef): Promise<DeployResult>;
  /** Removes everything the preview owns; `deleted: false` when it was already gone. */
  destroy(name: string): Promise<DestroyResult>;
  /** All previews of ours (marker), for `prune`. */
  list(): Promise<Preview[]>;
  /**
   * Optional, for platforms whose builds outlive the previews that ran them (Docker images):
   * removes the project's images that carry our marker, are older than `olderThanMs` and that no
   * container or other workload uses. Never touches anything without our marker; every removal
   * goes through `plan.apply`. Returns one entry per image removed (or, in a dry run, to be removed).
   */
  pruneImages?(olderThanMs: number, options: ImagePruneOptions): Promise<string[]>;
}

/** One entry of the provider factory: options, schema and constructor of one platform. */
export interface ProviderModule<S = unknown> extends ProviderSettingsModule<S> {
  /** One line for `--help`. */
  description: string;
  create(settings: S, common: CommonSettings, context: ProviderContext): Provider;
}
