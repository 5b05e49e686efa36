/**
 * What a provider learnt in one call, carried inside the Preview it returns to the next call of
 * the same run — ensure → setDomains → deploy of an `up`, list → destroy or sleep of a `prune` —
 * so that each thing is read once. It sits under a symbol key of the provider's own: copied along
 * when a command spreads the Preview, never in its JSON (JSON.stringify skips symbol keys), shown
 * by `console.log` only as a placeholder (what it holds may reach a client with credentials),
 * never seen by another provider. The provider itself keeps nothing between calls; whose the
 * carried reads are, and whether they are still fresh enough to decide on, the taker checks
 * (`accept`).
 */
import { inspect } from 'node:util';

export interface Carry<T> {
  /** Puts `value` into the preview, in place of what it carried; returns the preview. */
  put<P extends object>(preview: P, value: T): P;
  /** What the preview carries, when `accept` (if given) takes it. */
  take(preview: object | undefined, accept?: (value: T) => boolean): T | undefined;
}

interface Held<T> {
  value: T;
}

/** A carry slot; `what` names it in debuggers and in the placeholder. */
export function carry<T>(what: string): Carry<T> {
  const slot = Symbol(what);
  return {
    put(preview, value) {
      const held: Held<T> = { value };
      Object.defineProperty(held, inspect.custom, { value: () => `[${what}]`, enumerable: false });
      Object.defineProperty(preview, slot, { value: held, enumerable: true, configurable: true, writable: true });
      return preview;
    },
    take(preview, accept) {
      const held = preview === undefined ? undefined : (preview as Record<symbol, Held<T> | undefined>)[slot];
      return held !== undefined && (!accept || accept(held.value)) ? held.value : undefined;
    },
  };
}
