/**
 * An image's labels reach it through one line appended to its Dockerfile, on real podman: with
 * the default escape character and with `# escape=\``, for a branch whose name holds `$`, both
 * quotes and a backtick (kept literal, never expanded), and through the build's `labels` parameter when the
 * Dockerfile is a symbolic link. Either way another preview of the same commit finds the image by
 * its labels and skips the build.
 */
import { readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { identityJson } from '../../../src/core/identity.js';
import { dockerCli, runCommand, useDockerServices, viaCaddy, type TestRepo } from './harness.js';
import type { DockerServices } from './services.js';

const ONE_SERVICE = 'docker:\n  buildArgs:\n    COMMIT: "{commit}"\n';
// A branch name git accepts, with what a Dockerfile would otherwise expand or end a string at.
const BRANCH = "fix/$HOME-\"double\"-'single'-`tick`";

let services: DockerServices;
let repo: TestRepo;
let dockerfile: string;
const { newApp } = useDockerServices(async (s, file) => {
  services = s;
  repo = await file.newRepo(ONE_SERVICE);
  dockerfile = await readFile(join(repo.dir, 'Dockerfile'), 'utf8');
});

async function labelsOf(app: string, commit: string): Promise<Record<string, string>> {
  return JSON.parse(await dockerCli(services, 'image', 'inspect', '--format', '{{json .Config.Labels}}', `localhost/${app}:${commit}`)) as Record<string, string>;
}

describe.each([
  { what: 'the default escape character', prepare: () => repo.commitFiles({ Dockerfile: `${dockerfile}# last line\n` }, 'default escape') },
  { what: '`# escape=`', prepare: () => repo.commitFiles({ Dockerfile: `# escape=\`\n${dockerfile}` }, 'backtick escape') },
  {
    what: 'a Dockerfile that is a symbolic link (labels as a build parameter)',
    prepare: async () => {
      await writeFile(join(repo.dir, 'real.Dockerfile'), dockerfile);
      await unlink(join(repo.dir, 'Dockerfile'));
      await symlink('real.Dockerfile', join(repo.dir, 'Dockerfile'));
      await execa('git', ['add', '-A'], { cwd: repo.dir });
      const sha = await repo.commitFiles({}, 'symbolic link');
      await unlink(join(repo.dir, 'Dockerfile'));
      await writeFile(join(repo.dir, 'Dockerfile'), dockerfile);
      return sha;
    },
  },
])('docker provider: build labels with $what', ({ prepare }) => {
  it('the image carries every label as written, and another preview of the commit skips the build', async () => {
    const commit = await prepare();
    const app = newApp('lbl');
    const up = await runCommand('up', { services, repo, app, branch: BRANCH, commit });
    expect((await viaCaddy(services, `${up.result.name}.localhost`)).body).toContain(commit);
    const labels = await labelsOf(app, commit);
    expect(labels['preview-kit.managed-by']).toBe('preview-kit');
    expect(labels['preview-kit.commit']).toBe(commit);
    expect(labels['preview-kit.app']).toBe(app);
    expect(labels['preview-kit.identity']).toBe(identityJson({ project: app, branch: BRANCH }));
    expect(labels['preview-kit.build-hash']).toMatch(/^[0-9a-f]{16}$/);

    // Another preview of the project at the same commit finds the image by its labels.
    const other = await runCommand('up', { services, repo, app, branch: 'other', commit });
    expect(other.logs.join('\n')).toMatch(/build skipped/);
    for (const branch of [BRANCH, 'other']) await runCommand('stop', { services, repo, app, branch });
  }, 180_000);
});
