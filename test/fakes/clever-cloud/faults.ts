/**
 * The fake's fault plan: the shared kinds (`../shared/faults.ts`: load-balancer 503s, JSON 503s,
 * 429, latency, a change applied then answered 503) plus two of this fake's own — the answer
 * dropped (connection closed, no status), before or after the change is made — and the choice to
 * disturb writes only (POST/PUT/PATCH/DELETE) or only some paths, so that a run's lookups stay
 * readable while its creates, tags, links and deletes fail. Reproducible from the seed, like the
 * shared injector: every request that may get a fault draws two numbers.
 */
import { ALL_FAULT_KINDS, DEFAULT_LATENCY_MS, type FaultKind, type FaultOptions } from '../shared/faults.js';
import { seededRandom, type Random } from '../shared/prng.js';

export type CleverFaultKind = FaultKind | 'drop' | 'applied-drop';

export const CLEVER_FAULT_KINDS: readonly CleverFaultKind[] = [...ALL_FAULT_KINDS, 'drop', 'applied-drop'];

/** Kinds whose change is made before the answer goes wrong. */
export const APPLIED_KINDS: ReadonlySet<CleverFaultKind> = new Set(['applied-503', 'applied-drop']);

export interface CleverFaultOptions extends Omit<FaultOptions, 'kinds'> {
  /** Default: the shared kinds (no drops), as the shared injector picks them. */
  kinds?: CleverFaultKind[];
  /** Only writes may get a fault; reads are always answered. */
  writesOnly?: boolean;
  /** Only requests whose path matches this regular expression may get a fault. */
  paths?: string;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class CleverFaults {
  private readonly random: Random;
  private readonly kinds: readonly CleverFaultKind[];
  private readonly paths: RegExp | undefined;
  readonly latencyMs: number;

  constructor(readonly options: CleverFaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${options.rate}`);
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : ALL_FAULT_KINDS;
    for (const kind of this.kinds) {
      if (!CLEVER_FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind ${kind}`);
    }
    this.latencyMs = options.latencyMs ?? DEFAULT_LATENCY_MS;
    this.paths = options.paths === undefined ? undefined : new RegExp(options.paths);
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The fault for the next request, or undefined. */
  next(method: string, path: string): CleverFaultKind | undefined {
    if (this.options.writesOnly && !WRITES.has(method)) return undefined;
    if (this.paths && !this.paths.test(path)) return undefined;
    const hit = this.random();
    const pick = this.random();
    if (hit >= this.options.rate) return undefined;
    return this.kinds[Math.min(this.kinds.length - 1, Math.floor(pick * this.kinds.length))];
  }
}
