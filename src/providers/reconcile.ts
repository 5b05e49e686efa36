/**
 * The one reconcile algorithm every provider uses, for its top-level resource (an application, a
 * network, a Convox app, a Kubernetes object) and for every sub-resource (add-ons, databases):
 *
 *   lookup → classify (ours / another preview's / foreign) → create → settle → adopt
 *
 * A provider supplies hooks (list the candidates, read the marks, create, delete, mark); the
 * decisions — what is ours, what is refused, who wins a race, what a `stop` may remove — are made
 * here, once, and tested once for all providers.
 */
export * from './reconcile/types.js';
export { byAge, classify, lookup, otherPreviewError, refusal } from './reconcile/classify.js';
export { ensureResource, type EnsureHow, type EnsureOutcome } from './reconcile/ensure.js';
export { findResource, oursOf, teardownTargets } from './reconcile/teardown.js';
