/**
 * Images of a preview: built from the commit's own files (`git archive`, so the image tagged with
 * a commit holds exactly that commit), skipped when the commit's image exists with the same build
 * settings, or a prebuilt image pulled when it is missing.
 */
import { spawn } from 'node:child_process';
import { ConfigError, ProviderError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Plan } from '../../core/plan.js';
import { pauseAfter, WAIT_BACKOFF, type Deadline } from '../../core/retry.js';
import type { DockerEngine } from './engine.js';
import { hashOf, identityLabels, LABEL, OWNED } from './labels.js';
import { isOurRepository, tagsOf } from './image-prune.js';
import { expandBuildArgs, type BuildSpec } from './services.js';
import { editTarEntry, labelsFitALine, withLabelLine } from './dockerfile-labels.js';
import { OWNER_MARKER, type PreviewRef } from '../types.js';

export interface ResolvedImage {
  /** `sha256:…`, or a placeholder in a dry run. */
  id: string;
  /** Reference containers are created from. */
  ref: string;
  built: boolean;
  /**
   * What a container's config hash takes from the image. For our builds: the commit's tag and
   * build settings, so two runs that built the same commit at once (two image ids, same content)
   * agree; for prebuilt images: the id, so a moved tag means a new container.
   */
  identity: string;
}

function runGit(dir: string, args: string[], env: Record<string, string> | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function treeish(commit: string, path: string): string {
  return `${commit}:./${path === '.' ? '' : path}`;
}

/**
 * Fails early, with a message a person can act on, when the commit lacks the Dockerfile; tells
 * whether it is a regular file (one the build can get a label line appended to).
 */
async function checkDockerfile(dir: string, commit: string, build: BuildSpec, env: Record<string, string> | undefined): Promise<{ regular: boolean }> {
  const file = build.context === '.' ? build.dockerfile : `${build.context}/${build.dockerfile}`;
  const res = await runGit(dir, ['--literal-pathspecs', 'ls-tree', commit, '--', file], env);
  const mode = /^(\d+) blob /.exec(res.stdout)?.[1];
  if (res.code !== 0 || !mode) {
    throw new ConfigError(`build: ${file} is not in commit ${commit.slice(0, 12)}`, { hint: 'commit the Dockerfile, or set --dockerfile / --build-context' });
  }
  return { regular: mode === '100644' || mode === '100755' };
}

export interface ImageContext {
  engine: DockerEngine;
  plan: Plan;
  logger: Logger;
  deadline?: Deadline;
  /** What `git archive` sees of our environment (none of the credentials). */
  childEnv?: Record<string, string>;
}

/** The label set and tag of a commit's image for one build spec. */
export function buildIdentity(build: BuildSpec, commit: string, app: string): { args: Record<string, string>; hash: string; ref: string } {
  const args = expandBuildArgs(build.args, { commit, app });
  const hash = hashOf({ context: build.context, dockerfile: build.dockerfile, args });
  return { args, hash, ref: `${build.repo}:${commit}` };
}

/**
 * An image that exists (`ready`), or the work that makes it (`make`). Deciding reads only, so
 * several images are decided at once and then made in a fixed order of plan steps.
 */
export type PreparedImage = { ready: ResolvedImage; make?: undefined } | { ready?: undefined; make: () => Promise<ResolvedImage> };

/**
 * The labels of a build: ours, with the identity of the preview that built it (an image of a
 * commit is shared by the project's previews of that commit, but only the builder's `stop` takes
 * its untagged twins), and never the preview's name, which containers would inherit.
 */
export function buildLabels(ref: PreviewRef, hash: string, commit: string): Record<string, string> {
  const { [LABEL.name]: _name, ...labels } = identityLabels(ref);
  return { ...labels, [LABEL.buildHash]: hash, [LABEL.commit]: commit };
}

export async function prepareBuiltImage(ctx: ImageContext, build: BuildSpec, source: { dir: string; commit: string; force: boolean }, ref: PreviewRef): Promise<PreparedImage> {
  const app = ref.identity.project;
  const { args, hash, ref: tag } = buildIdentity(build, source.commit, app);
  const existing = await ctx.engine.inspectImage(tag);
  if (existing && existing.Config?.Labels?.[LABEL.buildHash] === hash && !source.force) {
    ctx.logger.info(`image ${tag.replace(source.commit, source.commit.slice(0, 12))} exists: build skipped`);
    return { ready: { id: existing.Id, ref: tag, built: false, identity: `${tag} ${hash}` } };
  }
  const dockerfile = await checkDockerfile(source.dir, source.commit, build, ctx.childEnv);
  const labels = buildLabels(ref, hash, source.commit);
  const labelsInDockerfile = dockerfile.regular && labelsFitALine(labels);
  const made = async (): Promise<ResolvedImage> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await buildOnce(ctx, build, source, { tag, args, labels, labelsInDockerfile });
        break;
      } catch (error) {
        // A build whose answer was lost may have finished: the tag says so.
        if (!(error instanceof ProviderError) || !error.retryable || attempt >= 3) throw error;
        const now = await ctx.engine.inspectImage(tag);
        if (now && now.Config?.Labels?.[LABEL.buildHash] === hash && now.Id !== existing?.Id) break;
        ctx.logger.warn(`build ${tag}: ${error.message}; building again`);
        const pause = pauseAfter(error, attempt - 1, WAIT_BACKOFF);
        if (ctx.deadline) await ctx.deadline.clock.sleep(Math.min(pause, ctx.deadline.remaining()));
      }
    }
    const image = await ctx.engine.inspectImage(tag);
    if (!image) throw new ProviderError(`build ${tag}: the engine reported success but has no image ${tag}`);
    // Without its labels the image is nobody's: never reused, never pruned. Say so rather than run it.
    if (image.Config?.Labels?.[LABEL.buildHash] !== hash) throw new ProviderError(`build ${tag}: the image lacks preview-kit's labels (build hash ${hash})`);
    return { id: image.Id, ref: tag, built: true, identity: `${tag} ${hash}` };
  };
  return {
    make: () =>
      ctx.plan.apply(
        { kind: 'create', target: `image ${build.repo}:${source.commit.slice(0, 12)}`, detail: `build ${build.context === '.' ? '' : `${build.context}/`}${build.dockerfile}` },
        made,
        { id: `sha256:dry-run-${hash}`, ref: tag, built: true, identity: `${tag} ${hash}` },
      ),
  };
}

/**
 * One `POST /build` of the commit's files; the engine's errors arrive inside the stream. The labels
 * go in as one line appended to the Dockerfile on its way (dockerfile-labels.ts), or, for a
 * Dockerfile that is a symbolic link, as the build's `labels` parameter.
 */
async function buildOnce(
  ctx: ImageContext,
  build: BuildSpec,
  source: { dir: string; commit: string },
  what: { tag: string; args: Record<string, string>; labels: Record<string, string>; labelsInDockerfile: boolean },
): Promise<void> {
  const { tag: ref, args, labels, labelsInDockerfile } = what;
  const git = spawn('git', ['-C', source.dir, 'archive', '--format=tar', treeish(source.commit, build.context)], { stdio: ['ignore', 'pipe', 'pipe'], ...(ctx.childEnv ? { env: ctx.childEnv } : {}) });
  let gitError = '';
  git.stderr.on('data', (c: Buffer) => (gitError += c.toString('utf8')));
  const gitDone = new Promise<number>((resolve) => git.on('close', (code) => resolve(code ?? 1)));
  const tail: string[] = [];
  try {
    await ctx.engine.stream(
      {
        method: 'POST',
        path: '/build',
        query: { t: ref, dockerfile: build.dockerfile, buildargs: JSON.stringify(args), ...(labelsInDockerfile ? {} : { labels: JSON.stringify(labels) }), rm: 1, forcerm: 1 },
        headers: { 'content-type': 'application/x-tar' },
        body: labelsInDockerfile ? git.stdout.pipe(editTarEntry(build.dockerfile, (content) => withLabelLine(content, labels))) : git.stdout,
        what: `build ${ref}`,
      },
      (line) => {
        if (typeof line.stream !== 'string') return;
        for (const text of line.stream.split('\n')) {
          if (!text.trim()) continue;
          ctx.logger.debug(`build: ${text}`);
          tail.push(text);
          if (tail.length > 15) tail.shift();
        }
      },
    );
  } catch (error) {
    git.kill();
    const code = await gitDone;
    if (code !== 0 && gitError) throw new ProviderError(`build ${ref}: git archive failed: ${gitError.trim()}`);
    if (tail.length) ctx.logger.info(`build output (last lines):\n  ${tail.join('\n  ')}`);
    throw error;
  }
  const code = await gitDone;
  if (code !== 0) throw new ProviderError(`build ${ref}: git archive failed: ${gitError.trim() || `exit ${code}`}`);
}

/** A prebuilt image: used as is when present, pulled otherwise. */
export async function preparePrebuiltImage(ctx: ImageContext, ref: string): Promise<PreparedImage> {
  const existing = await ctx.engine.inspectImage(ref);
  if (existing) return { ready: { id: existing.Id, ref, built: false, identity: existing.Id } };
  return {
    make: () =>
      ctx.plan.apply(
        { kind: 'create', target: `image ${ref}`, detail: 'pull' },
        async () => {
          const at = ref.lastIndexOf(':');
          const slash = ref.lastIndexOf('/');
          const [fromImage, tag] = at > slash ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
          await ctx.engine.stream({ method: 'POST', path: '/images/create', query: { fromImage, tag }, what: `pull ${ref}` }, (line) => {
            if (typeof line.status === 'string') ctx.logger.debug(`pull: ${line.status}`);
          });
          const image = await ctx.engine.inspectImage(ref);
          if (!image) throw new ProviderError(`pull ${ref}: the engine has no such image after the pull`);
          return { id: image.Id, ref, built: false, identity: image.Id };
        },
        { id: `sha256:dry-run-${hashOf(ref)}`, ref, built: false, identity: ref },
      ),
  };
}

/** Points `<repo>:<preview name>` at the image, unless it already does: one lookup of that tag. */
export async function tagForPreview(ctx: ImageContext, image: ResolvedImage, repo: string, name: string): Promise<void> {
  const tagged = await ctx.engine.inspectImage(`${repo}:${name}`);
  if (tagged && bareId(tagged.Id) === bareId(image.id)) return;
  await ctx.plan.apply({ kind: 'update', target: `image tag ${repo}:${name}` }, () => ctx.engine.tagImage(image.id, repo, name), undefined);
}

function bareId(id: string): string {
  return id.replace(/^sha256:/, '');
}

function isCommitTag(tag: string): boolean {
  return /^[0-9a-f]{40}$/.test(tag.slice(tag.lastIndexOf(':') + 1));
}

/** Removes commit tags (and with the last, the image) unless another preview's tag still claims it. */
async function removeCommitTags(ctx: ImageContext, tags: string[]): Promise<string[]> {
  const removed: string[] = [];
  // A tag that is not a commit SHA is a preview's name: that preview still needs the image.
  if (tags.some((t) => !isCommitTag(t))) return removed;
  for (const tag of tags) {
    const result = await ctx.plan.apply({ kind: 'delete', target: `image ${tag}` }, () => ctx.engine.removeImage(tag), 'removed' as const);
    if (result === 'removed') removed.push(`image ${tag}`);
    else if (result === 'in-use') ctx.logger.info(`image ${tag} is still used by a container: kept`);
  }
  return removed;
}

/** After a replacement with --remove-images: the image the old containers ran, if nothing claims it. */
export async function removeUnclaimedImage(ctx: ImageContext, id: string): Promise<string[]> {
  const image = await ctx.engine.inspectImage(id);
  if (!image || image.Config?.Labels?.[LABEL.managedBy] !== OWNER_MARKER) return [];
  return removeCommitTags(ctx, image.RepoTags ?? []);
}

/**
 * `stop --remove-images`: the preview's tag in the project's repositories; then, on those images and
 * on every image this preview built, the commit tags no other preview's tag still claims (the
 * engine refuses to remove an image a container uses); then the untagged images this preview built
 * (twins left when two runs built one commit at once). A tag of the same name in another project's
 * repository is another preview's, and an image another preview built is left to it.
 */
export async function removePreviewImages(ctx: ImageContext, ref: PreviewRef): Promise<string[]> {
  const removed: string[] = [];
  const images = await ctx.engine.listImages([OWNED]);
  for (const image of images) {
    const tags = tagsOf(image);
    const built = image.Labels?.[LABEL.key] === ref.key;
    if (tags.length === 0) {
      if (!built) continue;
      const result = await ctx.plan.apply({ kind: 'delete', target: `image ${image.Id.slice(0, 19)}` }, () => ctx.engine.removeImage(image.Id), 'removed' as const);
      if (result === 'removed') removed.push(`image ${image.Id.slice(0, 19)}`);
      continue;
    }
    const mine = tags.filter((t) => t.slice(t.lastIndexOf(':') + 1) === ref.name && isOurRepository(t, ref.identity.project));
    if (mine.length === 0 && !built) continue;
    for (const tag of mine) {
      const result = await ctx.plan.apply({ kind: 'delete', target: `image ${tag}` }, () => ctx.engine.removeImage(tag), 'removed' as const);
      if (result === 'removed') removed.push(`image ${tag}`);
    }
    removed.push(...(await removeCommitTags(ctx, tags.filter((t) => !mine.includes(t)))));
  }
  return removed;
}
