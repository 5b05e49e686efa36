/**
 * The vocabulary of the reconcile algorithm: the marks a resource carries, who owns it, the hooks a
 * provider supplies for each kind of resource, and the context and timings of one run.
 */
import { describeIdentity, identityKey, type PreviewIdentity } from '../../core/identity.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import type { Deadline } from '../../core/retry.js';

export interface Marks {
  marker: boolean;
  key?: string;
  identity?: PreviewIdentity;
}

export type Ownership =
  | { kind: 'ours' }
  /** Made by preview-kit for another preview: never changed, never removed by this one. */
  | { kind: 'other'; whose: string; identity?: PreviewIdentity }
  /** Without our marker: someone else's, unless `--adopt` takes it over. */
  | { kind: 'foreign' };

/** Sorts a resource's marks against the key of the preview being reconciled. */
export function ownershipOf(marks: Marks, key: string): Ownership {
  if (!marks.marker) return { kind: 'foreign' };
  const recorded = marks.key ?? (marks.identity ? identityKey(marks.identity) : undefined);
  if (recorded === key) return { kind: 'ours' };
  const whose = marks.identity ? `the preview of ${describeIdentity(marks.identity)}` : 'another preview (no identity recorded on it)';
  return { kind: 'other', whose, ...(marks.identity ? { identity: marks.identity } : {}) };
}

export interface Candidate<R> {
  item: R;
  id: string;
  ownership: Ownership;
  /** Creation time, ms since the epoch, when the platform tells. */
  createdAt?: number;
}

export interface ResourceHooks<R> {
  /** For messages and plan steps: `application`, `add-on`, `network`, `Deployment`. */
  noun: string;
  /** The resource's name on the platform. */
  name: string;
  /** Every resource of this kind that carries `name`, whoever owns it. Errors propagate: never "absent". */
  list(): Promise<R[]>;
  id(item: R): string;
  /** Creation time in ms, for the oldest-wins rule of a race; ties go to the smaller id. */
  createdAt?(item: R): number | undefined;
  /** Reads our marker and the recorded identity off a resource. */
  marks(item: R): Marks;
  /** Creates the resource with our marker and identity in the same request wherever the API allows. */
  create(): Promise<R>;
  /** What a dry run uses in place of the resource it would create. */
  planned(): R;
  /** Deletes the resource (a duplicate after a lost race); a resource already gone is not an error. */
  remove(item: R): Promise<void>;
  /** Writes our marker and identity onto an existing resource (adoption, repair). */
  mark?(item: R): Promise<R>;
  /**
   * An unmarked resource that is provably this preview's own (it carries our identity key, or our
   * name and a link to our app): its lost marks are repaired, it is not refused.
   */
  provablyOurs?(item: R): boolean;
  /** Marks of ours that are incomplete (a key without the readable identity): repaired when found. */
  needsRepair?(item: R): boolean;
  /**
   * Names are unique on the platform (Docker, Kubernetes, Convox): the platform settles a race by
   * refusing the second create, so there is nothing to settle afterwards.
   */
  uniqueNames?: boolean;
  /** A create refused because the name is taken (409, "already exists"). */
  isNameTaken?(error: unknown): boolean;
  /** Extra words for the plan's create step, e.g. `node XS in par`. */
  createDetail?: string;
}

export interface ReconcileTiming {
  /** Backoff base between a failed create and the look before the next attempt, ms. */
  retryInitialMs: number;
  /** Create attempts in all. */
  createAttempts: number;
  /** First and longest delay between two listings while a created resource is not listed yet, ms. */
  settleInitialMs: number;
  settleMaxMs: number;
  /** How long a created resource may take to show in the listing before we go on without it, ms. */
  settleWindowMs: number;
}

export const DEFAULT_TIMING: ReconcileTiming = {
  retryInitialMs: 1_000,
  createAttempts: 4,
  settleInitialMs: 200,
  settleMaxMs: 2_000,
  settleWindowMs: 30_000,
};

export interface ReconcileContext {
  plan: Plan;
  logger: Logger;
  deadline: Deadline;
  /** Take over an unmarked resource (never another preview's). */
  adopt: boolean;
  /** The preview being reconciled. */
  identity: PreviewIdentity;
  /** Its name, for messages. */
  preview: string;
  timing?: Partial<ReconcileTiming>;
}

export interface Lookup<R> {
  /** Ours, oldest first. */
  ours: Candidate<R>[];
  /** Unmarked but provably ours: repaired on `up`, removed on `stop`. */
  repairable: Candidate<R>[];
  /** Another preview's. */
  others: Candidate<R>[];
  /** Without our marker. */
  foreign: Candidate<R>[];
}

export function timingOf(ctx: ReconcileContext): ReconcileTiming {
  return { ...DEFAULT_TIMING, ...ctx.timing };
}

/** Oldest first; without a creation time, by id, so every run picks the same winner. */
