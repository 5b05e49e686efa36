/**
 * The images a deploy runs. A re-run whose containers already run the commit needs none made:
 * a build's identity is its commit tag and build settings, known without asking the engine, so
 * only prebuilt images are looked up. Otherwise every image is decided (reads only), then the
 * missing ones are built or pulled in parallel.
 */
import type { PreviewSpec, SourceRef } from '../types.js';
import { buildIdentity, prepareBuiltImage, preparePrebuiltImage, type ResolvedImage } from './images.js';
import type { DockerRuntime } from './runtime.js';
import type { ServicePlan } from './services.js';

/** Services with the same build (or the same prebuilt image) share one image. */
export function imageKey(plan: ServicePlan): string {
  return plan.build ? plan.build.repo : `image ${plan.image}`;
}

function uniqueImages(plans: ServicePlan[]): ServicePlan[] {
  return [...new Map(plans.map((p) => [imageKey(p), p])).values()];
}

/**
 * What each image would be if nothing had to be made: builds from their tag and settings (their
 * `id` unknown: only a container that keeps running may use these), prebuilt images as present on
 * the engine. Undefined when a prebuilt image is missing or `--force` rebuilds.
 */
export async function knownImages(rt: DockerRuntime, spec: PreviewSpec, plans: ServicePlan[], source: SourceRef): Promise<Map<string, ResolvedImage> | undefined> {
  if (source.force) return undefined;
  const unique = uniqueImages(plans);
  const found = await Promise.all(
    unique.map(async (plan): Promise<ResolvedImage | undefined> => {
      if (plan.build) {
        const { hash, ref } = buildIdentity(plan.build, source.commit, spec.identity.project);
        return { id: '', ref, built: false, identity: `${ref} ${hash}` };
      }
      const image = await rt.engine.inspectImage(plan.image!);
      return image ? { id: image.Id, ref: plan.image!, built: false, identity: image.Id } : undefined;
    }),
  );
  if (found.some((image) => image === undefined)) return undefined;
  return new Map(unique.map((plan, i) => [imageKey(plan), found[i]!]));
}

/** Decides every image at once (reads only), then builds or pulls the missing ones in parallel. */
export async function resolveImages(rt: DockerRuntime, spec: PreviewSpec, plans: ServicePlan[], source: SourceRef): Promise<Map<string, ResolvedImage>> {
  const ctx = { engine: rt.engine, plan: rt.context.plan, logger: rt.context.logger, deadline: rt.context.deadline, childEnv: rt.context.childEnv };
  const unique = uniqueImages(plans);
  const prepared = await Promise.all(unique.map((plan) => (plan.build ? prepareBuiltImage(ctx, plan.build, source, spec) : preparePrebuiltImage(ctx, plan.image!))));
  const resolved = await Promise.all(prepared.map((p, i) => p.ready ?? rt.context.logger.group(`${unique[i]!.build ? 'build' : 'pull'} ${imageKey(unique[i]!)}`, p.make)));
  return new Map(unique.map((plan, i) => [imageKey(plan), resolved[i]!]));
}
