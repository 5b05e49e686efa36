/**
 * `prune --ttl` for images: the project's images that carry our marker, are older than the TTL
 * and that no container (running or stopped, ours or not) uses. Builds of old commits pile up on
 * a review host otherwise, since `stop` keeps images unless `--remove-images`.
 */
import { slugify } from '../../core/naming.js';
import { OWNER_MARKER, type ImagePruneOptions } from '../types.js';
import type { ContainerSummary, ImageSummary } from './engine.js';
import type { ImageContext } from './images.js';
import { LABEL, OWNED } from './labels.js';
import { repoName } from './services.js';
import { SERVICE_NAME } from './settings.js';

export interface ImageVerdict {
  image: ImageSummary;
  /** What to remove, in order: every tag, or the id of an untagged image. */
  refs: string[];
  ageMs: number;
}

export interface ImagePruneChoice {
  remove: ImageVerdict[];
  keep: Array<ImageVerdict & { why: string }>;
}

export interface ImageSelection {
  app: string;
  olderThanMs: number;
  now: number;
  /** Previews this prune removes: in a dry run their containers are still there, yet will not be. */
  removedPreviews?: Iterable<string>;
}

function bareId(id: string): string {
  return id.replace(/^sha256:/, '');
}

export function tagsOf(image: ImageSummary): string[] {
  return (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
}

/** `localhost/<app>` and `localhost/<app>-<service>`: the repositories our builds are tagged in. */
export function isOurRepository(tag: string, app: string): boolean {
  const repo = tag.slice(0, tag.lastIndexOf(':'));
  const base = repoName(app);
  if (repo === base) return true;
  return repo.startsWith(`${base}-`) && SERVICE_NAME.test(repo.slice(base.length + 1));
}

/** The name a person knows an image by: its commit tag, else any tag, else its short id. */
export function displayName(verdict: Pick<ImageVerdict, 'image' | 'refs'>): string {
  const tags = tagsOf(verdict.image);
  const commit = tags.find((t) => /:[0-9a-f]{40}$/.test(t));
  return commit ?? tags[0] ?? `sha256:${bareId(verdict.image.Id).slice(0, 12)}`;
}

/**
 * Pure, so the rules are tested with any clock. An image is judged only when it has our marker and
 * the project's app label; it is kept when it is tagged anywhere but our repositories (a user's
 * tag, or an image built FROM ours, which inherits our labels), when it is not older than the TTL,
 * or when a container uses it.
 */
export function chooseImagePrunes(images: ImageSummary[], containers: ContainerSummary[], selection: ImageSelection): ImagePruneChoice {
  const leaving = new Set(selection.removedPreviews ?? []);
  const users = new Map<string, string[]>();
  for (const c of containers) {
    const ours = c.Labels?.[LABEL.managedBy] === OWNER_MARKER;
    if (ours && leaving.has(c.Labels?.[LABEL.name] ?? '')) continue;
    const id = bareId(c.ImageID ?? '');
    users.set(id, [...(users.get(id) ?? []), (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '')]);
  }
  const app = slugify(selection.app);
  const choice: ImagePruneChoice = { remove: [], keep: [] };
  for (const image of images) {
    const labels = image.Labels ?? {};
    if (labels[LABEL.managedBy] !== OWNER_MARKER || slugify(labels[LABEL.app] ?? '') !== app) continue;
    const tags = tagsOf(image);
    const verdict: ImageVerdict = { image, refs: tags.length ? tags : [image.Id], ageMs: selection.now - image.Created * 1000 };
    const foreign = tags.filter((t) => !isOurRepository(t, selection.app));
    const usedBy = users.get(bareId(image.Id));
    if (foreign.length) choice.keep.push({ ...verdict, why: `also tagged ${foreign.join(', ')}` });
    else if (!(verdict.ageMs > selection.olderThanMs)) choice.keep.push({ ...verdict, why: 'not old enough' });
    else if (usedBy) choice.keep.push({ ...verdict, why: `used by container ${usedBy.join(', ')}` });
    else choice.remove.push(verdict);
  }
  return choice;
}

export function ageText(ms: number): string {
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)}d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)}h`;
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}m`;
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}

/**
 * Removes the chosen images tag by tag, never with `force` (which on podman also deletes the
 * containers using the image): the engine itself refuses the last tag of an image a container
 * started using since we looked (409), so that image stays. Returns one entry per removed image.
 */
export async function pruneOldImages(ctx: ImageContext, olderThanMs: number, options: ImagePruneOptions): Promise<string[]> {
  const images = await ctx.engine.listImages([OWNED]);
  const containers = await ctx.engine.listContainers([]);
  const choice = chooseImagePrunes(images, containers, {
    app: options.app,
    olderThanMs,
    now: options.now ?? Date.now(),
    ...(options.removedPreviews ? { removedPreviews: options.removedPreviews } : {}),
  });
  for (const kept of choice.keep) {
    if (kept.ageMs > olderThanMs) ctx.logger.info(`image ${displayName(kept)} (${ageText(kept.ageMs)} old) kept: ${kept.why}`);
  }
  const removed: string[] = [];
  for (const verdict of choice.remove) {
    const name = displayName(verdict);
    ctx.logger.info(`${ctx.plan.dryRun ? 'would remove' : 'removing'} image ${name}: ${ageText(verdict.ageMs)} old, no container uses it`);
    let gone = 0;
    let stayed = false;
    for (const ref of verdict.refs) {
      const result = await ctx.plan.apply({ kind: 'delete', target: `image ${ref}`, detail: `${ageText(verdict.ageMs)} old` }, () => ctx.engine.removeImage(ref), 'removed' as const);
      if (result === 'removed') gone++;
      if (result === 'in-use') {
        ctx.logger.info(`image ${name} kept: a container started using it meanwhile`);
        stayed = true;
        break;
      }
    }
    // All refs already missing: another run removed it; not ours to count.
    if (!stayed && gone > 0) removed.push(name);
  }
  return removed;
}
