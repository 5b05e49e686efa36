/**
 * Seeded fault injection for fake API servers: decides, per request, whether to misbehave and
 * how. The decision consumes the same amount of randomness for every request, so a run is
 * reproducible from its seed as long as the requests arrive in the same order.
 */
import { seededRandom, type Random } from './prng.js';

export type FaultKind = '503-html' | '503-json' | '429' | 'latency' | 'applied-503';

export const ALL_FAULT_KINDS: readonly FaultKind[] = ['503-html', '503-json', '429', 'latency', 'applied-503'];

export interface FaultOptions {
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  seed?: number;
  kinds?: FaultKind[];
  /** Delay of a `latency` fault, ms. */
  latencyMs?: number;
}

export const DEFAULT_LATENCY_MS = 250;

/** What a load balancer in front of an API answers when its backends are away. */
export const LOAD_BALANCER_503_HTML =
  '<html><head><title>503 Service Unavailable</title></head><body>' +
  '<h1>503 Service Unavailable</h1><p>No server is available to handle this request.</p></body></html>\n';

export class FaultInjector {
  private random: Random;
  private readonly kinds: readonly FaultKind[];
  readonly latencyMs: number;

  constructor(readonly options: FaultOptions) {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new Error(`fault rate must be within [0, 1], got ${options.rate}`);
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : ALL_FAULT_KINDS;
    for (const kind of this.kinds) {
      if (!ALL_FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind ${kind}`);
    }
    this.latencyMs = options.latencyMs ?? DEFAULT_LATENCY_MS;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The fault for the next request, or undefined. Always draws two numbers. */
  next(): FaultKind | undefined {
    const hit = this.random();
    const pick = this.random();
    if (hit >= this.options.rate) return undefined;
    return this.kinds[Math.min(this.kinds.length - 1, Math.floor(pick * this.kinds.length))];
  }
}
