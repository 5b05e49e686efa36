/**
 * `ensure` and `setDomains`. Before `ensure` writes anything, every object of the whole `up` and
 * the database are judged (ownership.ts): a refused run leaves nothing behind. Then the Namespace
 * (with --namespace-per-preview), the database and its Secret, the env Secret and the other
 * objects the workloads use are applied, and a sleeping preview is woken (sleep.ts); `setDomains`
 * applies the Ingress — with `--basic-auth`, its annotations and the Secret (and Traefik
 * Middleware) of protection.ts, which go again without it — and removes our Ingresses that no
 * domain needs any more.
 */
import type { EnsureResult, Preview, PreviewDomain, PreviewSpec } from '../types.js';
import type { Cluster } from './cluster.js';
import { previewFrom, typeOf } from './find.js';
import { ownSelector, type KubeObject, type Owner } from './labels.js';
import { describeObject, type ApplyOutcome } from './objects.js';
import { resourceType } from './resources.js';
import { snapshotFor, type Objects, type Snapshot } from './snapshot.js';
import { guardTargets, type Guarded } from './ownership.js';
import { databaseSecretName, secretObject, type RenderContext } from './render.js';
import { basicAuthName, htpasswdFor, protectionObjects, removeProtection } from './protection.js';
import { wakeWorkloads } from './sleep.js';
import { ownerOf, phaseOf, protectionTargets, renderContext, routesOf, sortForApply, upTargets } from './targets.js';

/** Applies guarded objects in table order; says what changed (not in a dry run: nothing did). */
export async function applyGuarded(cluster: Cluster, objects: Objects, guarded: Guarded[], owner: Owner): Promise<ApplyOutcome[]> {
  const byObject = new Map(guarded.map((g) => [g.object, g.live]));
  const outcomes: ApplyOutcome[] = [];
  for (const object of sortForApply(guarded.map((g) => g.object))) {
    const outcome = await objects.apply(object, owner, { live: byObject.get(object) });
    if (outcome.action !== 'unchanged' && !cluster.context.plan.dryRun) cluster.context.logger.info(`${outcome.action} ${describeObject(object)}`);
    outcomes.push(outcome);
  }
  return outcomes;
}

function judge(cluster: Cluster, owner: Owner) {
  return { identity: owner.identity, adopt: cluster.context.adopt, logger: cluster.context.logger };
}

/** The database and the Secret that hands its URL to the app, inside the database's turn. */
async function ensureDatabase(cluster: Cluster, objects: Snapshot, ctx: RenderContext, owner: Owner): Promise<{ outcome?: ApplyOutcome; changed: boolean }> {
  const db = cluster.database;
  if (!db) return { changed: false };
  const env = cluster.settings.databaseEnv;
  const name = databaseSecretName(ctx.name);
  let outcome: ApplyOutcome | undefined;
  let live: KubeObject | undefined;
  const result = await db.ensure(owner, {
    // Read again inside the turn: a run that went before may just have written it.
    read: async () => {
      [{ live }] = (await guardTargets({ read: (o) => objects.fresh(o) }, [secretObject(ctx, name, {}, 'database')], owner, judge(cluster, owner))) as [Guarded];
      const stored = (live?.data as Record<string, string> | undefined)?.[env];
      const url = stored ? Buffer.from(stored, 'base64').toString('utf8') : undefined;
      cluster.context.logger.addSecret(url);
      return url;
    },
    write: async (url) => {
      [outcome] = await applyGuarded(cluster, objects, [{ object: secretObject(ctx, name, { [env]: url }, 'database'), live }], owner);
    },
  });
  return { outcome, changed: result.changed };
}

export async function ensurePreview(cluster: Cluster, spec: PreviewSpec): Promise<EnsureResult> {
  const owner = ownerOf(spec);
  const ctx = renderContext(cluster, spec);
  // A new snapshot: what this run reads from here on, one listing per kind (snapshot.ts).
  const objects = snapshotFor(cluster, spec, undefined, true);
  // Renders the workloads too: a missing --image or a bad template is a usage error found here.
  const targets = upTargets(cluster, ctx);
  await objects.prefetch([...targets, ...protectionObjects(ctx, cluster.settings, '')].map((o) => resourceType(o.apiVersion, o.kind)));
  const guarded = await guardTargets(objects, targets, owner, judge(cluster, owner));
  const refused = await cluster.database?.refusal(owner);
  if (refused) throw refused;
  // The database and basic-auth Secrets are written in their own turns (below, and setDomains).
  const later = new Set([databaseSecretName(ctx.name), basicAuthName(ctx.name)]);
  const own = guarded.filter((g) => phaseOf(g.object) === 'ensure' && !(g.object.kind === 'Secret' && later.has(g.object.metadata.name!)));
  // The Namespace first: the database Secret is read and written in it.
  const outcomes = await applyGuarded(cluster, objects, own.filter((g) => g.object.kind === 'Namespace'), owner);
  const db = await ensureDatabase(cluster, objects, ctx, owner);
  if (db.outcome) outcomes.push(db.outcome);
  outcomes.push(...(await applyGuarded(cluster, objects, own.filter((g) => g.object.kind !== 'Namespace'), owner)));
  // A sleeping preview wakes here already; `deploy` waits for its pods.
  const woken = await wakeWorkloads(cluster, guarded.filter((g) => phaseOf(g.object) === 'deploy').map((g) => g.live), objects);
  const created = outcomes.every((o) => o.action === 'created');
  const changed = db.changed || woken.size > 0 || outcomes.some((o) => o.action !== 'unchanged');
  return { preview: objects.attach(previewFrom(spec.name, ctx.namespace, outcomes.map((o) => o.object), spec.domains)), created, changed };
}

export async function setPreviewDomains(cluster: Cluster, preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
  const owner = ownerOf(spec);
  const ctx = renderContext(cluster, spec);
  const { context } = cluster;
  const objects = snapshotFor(cluster, spec, preview);
  const ingresses = routesOf(cluster, ctx, context.logger);
  if (spec.basicAuth && !ingresses.length) context.logger.warn(`--basic-auth: ${spec.name} has no Ingress (no --domain), so there is no route to protect`);
  const targets = [...protectionTargets(cluster, ctx, ingresses), ...ingresses];
  await objects.prefetch([typeOf('Ingress'), ...[...targets, ...protectionObjects(ctx, cluster.settings, '')].map((o) => resourceType(o.apiVersion, o.kind))]);
  const guarded = await guardTargets(objects, targets, owner, judge(cluster, owner));
  // The htpasswd Secret keeps the stored hash while the password still matches it.
  const protectedTargets = guarded.map((g) =>
    g.object.kind === 'Secret' && spec.basicAuth ? { ...g, object: protectionObjects(ctx, cluster.settings, htpasswdFor(g.live, cluster.settings, spec.basicAuth))[0]! } : g,
  );
  const outcomes = await applyGuarded(cluster, objects, protectedTargets, owner);
  let changed = outcomes.some((o) => o.action !== 'unchanged');
  if (!spec.basicAuth || !ingresses.length) changed = (await removeProtection(cluster, objects, ctx, owner)) || changed;
  // Domains removed from the settings: our Ingresses that are no longer wanted go.
  const wanted = new Set(ingresses.map((i) => i.metadata.name));
  const live = await objects.list(typeOf('Ingress'), ctx.namespace, ownSelector(owner));
  for (const ingress of live.filter((i: KubeObject) => !wanted.has(i.metadata.name))) {
    await objects.delete(ingress);
    if (!context.plan.dryRun) await objects.waitGone(ingress);
    changed = true;
  }
  return { changed, domains: spec.domains.map((host) => ({ host })) };
}
