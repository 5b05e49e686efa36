import type { PreviewIdentity } from '../core/identity.js';
/** Which preview: its name (the lookup key on the platform) and its identity (what decides ownership). */
export interface PreviewRef {
    /** The preview's name (DESIGN.md § Naming). */
    name: string;
    identity: PreviewIdentity;
    /** `identityKey(identity)`, recorded on every resource the preview creates. */
    key: string;
}
/** What the user asked for: the desired state of one preview. */
export interface PreviewSpec extends PreviewRef {
    /** Environment variables the preview must have (exactly these, for keys we manage). */
    env: Record<string, string>;
    /** Host names to attach, first is primary. */
    domains: string[];
    /** Make the first domain the primary/favourite one. */
    favourite: boolean;
    /** Path that answers when the preview serves (`--health-path`), for health checks. */
    healthPath: string;
    /**
     * HTTP basic auth in front of the preview (`--basic-auth USER:PASSWORD`, a secret), or undefined
     * for none — then protection a provider put there earlier is removed. Providers whose routing
     * cannot do it never get one: the settings refuse it with exit 2 (`capabilities.basicAuth`).
     */
    basicAuth?: {
        user: string;
        password: string;
    };
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
/**
 * What a preview is doing: serving (`running`), stopped by `sleep` with its data, domains and URL
 * kept (`sleeping`), deploying, failed (its last deployment or its compute), or `unknown` when the
 * platform does not say.
 */
export type PreviewState = 'running' | 'sleeping' | 'deploying' | 'failed' | 'unknown';
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
    /** The identity recorded on the preview's resources: `prune` and `list` judge by it, never by name. */
    identity?: PreviewIdentity;
    createdAt?: string;
    /** When the preview was last deployed (ISO 8601), as recorded or read on the platform: what `prune --ttl` measures. */
    lastDeployedAt?: string;
    state?: PreviewState;
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
export interface SleepResult {
    /** Whether this call stopped anything (false: it was asleep already, or absent). */
    slept: boolean;
    /** What was stopped, in words, for the log and the report. */
    stopped: string[];
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
    readonly id: string;
    /**
     * Finds this preview: resources with its name *and* its identity. Undefined when absent, and when
     * the name is held by another preview or by something unmarked (said in debug output); auth and
     * network errors throw.
     */
    find(ref: PreviewRef): Promise<Preview | undefined>;
    /**
     * Finds or creates the preview (and its sub-resources) and converges its settings. A resource of
     * that name that belongs to another preview, or an unmarked one without `--adopt`, is refused
     * (SafetyError) before anything is written.
     */
    ensure(spec: PreviewSpec): Promise<EnsureResult>;
    /** Attaches the domains that are missing; no call when all are present. */
    setDomains(preview: Preview, spec: PreviewSpec): Promise<{
        changed: boolean;
        domains: PreviewDomain[];
    }>;
    /** Deploys the commit unless it is already live; waits until the deployment ends. */
    deploy(preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult>;
    /**
     * Removes everything this preview owns; `deleted: false` when it was already gone. Resources of
     * that name that belong to another preview, or that are unmarked, are left alone with a warning.
     * `known`: this preview as this provider's `list()` returned it moments ago (prune, the fleet
     * cap): a provider may act on what it carries instead of reading the platform again.
     */
    destroy(ref: PreviewRef, known?: Preview): Promise<DestroyResult>;
    /**
     * All previews of ours (marker), each with its recorded identity, state, creation and last
     * deployment times, URL and commit where the platform tells, for `prune`, `list` and the fleet
     * cap — read with as few listing calls as the platform allows (a listing that carries tags or
     * labels, label selectors, filters), never one call per preview when a listing can say it.
     */
    list(): Promise<Preview[]>;
    /**
     * Stops the preview's compute and keeps its data, domains and URL (`sleeping`); a no-op (no
     * mutating call) when it sleeps already or is absent. `ensure` and `deploy` wake it: `up` brings
     * it back, and `deploy` of the commit it runs starts it again without a rebuild.
     */
    sleep(ref: PreviewRef, known?: Preview): Promise<SleepResult>;
    /**
     * Optional, for platforms whose builds outlive the previews that ran them (Docker images):
     * removes the project's images that carry our marker, are older than `olderThanMs` and that no
     * container or other workload uses. Never touches anything without our marker; every removal
     * goes through `plan.apply`. Returns one entry per image removed (or, in a dry run, to be removed).
     */
    pruneImages?(olderThanMs: number, options: ImagePruneOptions): Promise<string[]>;
}
