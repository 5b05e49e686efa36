/**
 * What the provider conformance suite needs of each provider: a backend to run against (a fake
 * built from the platform's own source, or the real server where one runs here), the CLI
 * arguments and environment that point `preview-kit` at it, and ways to look at and disturb the
 * platform from outside — count what exists, plant a resource under a preview's name, make writes
 * fail, refuse credentials. One target per provider lives in `targets/`; the suite
 * (`conformance.test.ts`) runs the same behaviours against every one of them.
 */
import type { PreviewIdentity } from '../../src/core/identity.js';

/** One resource on the platform, as the backend sees it (not as the provider reports it). */
export interface PlatformResource {
  /** `application`, `add-on`, `container`, `network`, `Deployment`, `app`… */
  kind: string;
  /** The platform's name for it. */
  name: string;
  id: string;
  /** Carries preview-kit's ownership marker. */
  marked: boolean;
  /** The identity key recorded on it, if any. */
  key?: string;
}

export interface BackendOptions {
  /** Clever Cloud: the application and add-on listings show a new item only this long after its creation. */
  listLagMs?: number;
  /** Convox: the rack generation to model (`2`: AWS, `3`: Kubernetes). */
  generation?: '2' | '3';
}

export interface Backend {
  /** Flags that choose the provider and point it at this backend (no preview identity in them). */
  args: string[];
  /** Environment for the CLI: credentials, URLs, fast timings. */
  env: Record<string, string>;
  /** A git checkout to deploy from (with whatever the provider needs to build: Dockerfile, convox.yml…). */
  repo: string;
  /** Commits in `repo`: the first, and a function that makes a new one and returns its SHA. */
  commit(): Promise<string>;
  /** Every resource on the platform named after `previewName` or one of its sub-resources, whoever owns it. */
  resources(previewName?: string): Promise<PlatformResource[]>;
  /** Every resource of the platform carrying preview-kit's marker or an identity key. */
  marked(): Promise<PlatformResource[]>;
  /** Mutating requests the platform received since the last `resetLog()`. */
  mutatingRequests(): Promise<number>;
  /** Every request (reads included) the platform received since the last `resetLog()`, as `METHOD path`. */
  requests(): Promise<string[]>;
  /**
   * The preview's compute as the platform runs it: `running`, `stopped` (asleep: instances,
   * containers or replicas stopped while data, domains and routes stay), or `absent`.
   */
  compute(previewName: string): Promise<'running' | 'stopped' | 'absent'>;
  /**
   * Makes a complete preview of `identity` directly on the platform, marked as preview-kit marks
   * it, created and last deployed at the given times (default now), running or asleep — without
   * running the CLI (lists, prunes and benchmarks of hundreds of previews).
   */
  plantPreview(identity: PreviewIdentity, options?: { createdAt?: Date; deployedAt?: Date; asleep?: boolean }): Promise<void>;
  resetLog(): Promise<void>;
  /**
   * Plants, under `previewName`, what another preview would have made (marked, with the other
   * identity) — or, with `identity: undefined`, something unmarked that preview-kit did not make.
   */
  plant(previewName: string, identity: PreviewIdentity | undefined): Promise<void>;
  /**
   * From now on, `rate` of the writes (POST/PUT/PATCH/DELETE) fail with 5xx or a dropped answer;
   * `appliedShare` of those (default half) are applied first and answered 5xx afterwards. `0`
   * turns faults off. Targets that cannot choose the share may ignore it.
   */
  faultWrites(rate: number, seed: number, appliedShare?: number): Promise<void>;
  /** From now on every request is answered 401 (`unauthorized`), 403 (`forbidden`), or normally (`ok`). */
  credentials(mode: 'ok' | 'unauthorized' | 'forbidden'): Promise<void>;
  /**
   * The most requests a re-run of `up` with nothing changed may make (all reads): one listing or
   * read per kind of resource the preview has, with `subResourceArgs`.
   */
  noopReads: number;
  /** Extra CLI arguments for a preview with sub-resources (add-ons, a database), when the provider has them. */
  subResourceArgs?: string[];
  /** The hint a 403 must carry, e.g. /rights|permission|RBAC/. */
  forbiddenHint: RegExp;
  /**
   * When the provider can put a preview behind basic auth: asks the preview's URL through the
   * platform's routing with these credentials (or none) and answers the HTTP status — or, where no
   * router runs here (Kubernetes), what the routing objects say the router would answer.
   */
  protectedStatus?(previewName: string, credentials?: { user: string; password: string }): Promise<number>;
  stop(): Promise<void>;
}

export interface ConformanceTarget {
  id: 'clever-cloud' | 'docker' | 'kubernetes' | 'convox';
  /** Variants the suite runs this target in, e.g. Convox's two rack generations. */
  variants: Array<{ label: string; options: BackendOptions }>;
  /** Whether the platform's names are unique (a lagging listing cannot make duplicates there). */
  uniqueNames: boolean;
  start(options: BackendOptions): Promise<Backend>;
}
