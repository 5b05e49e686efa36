/**
 * The Dockerfile: its shape (a maintained Node LTS base, only the committed bundle copied, no
 * package manager fetching the CLI, a non-root user, `ENTRYPOINT ["preview-kit"]`), then a real
 * build with podman and no network at all (`--network=none`, `--pull=never`) on a local stand-in
 * for the Node base image (no registry can be reached here, so the default base and its package
 * repository are not exercised), and runs of the image: `--version`, its user, and an `up` against
 * the fake Kubernetes API from a checkout that belongs to another user, as a CI job mounts it.
 */
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes } from '../fakes/kubernetes/index.js';
import { DIST, ROOT, tempRepo } from '../helpers/cli.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/** Instructions with their continuation lines joined and comments left out. */
function instructions(text: string): Array<{ op: string; args: string }> {
  const out: Array<{ op: string; args: string }> = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue;
    current += line.replace(/\\$/, ' ');
    if (line.endsWith('\\')) continue;
    const m = /^\s*(\w+)\s+(.*)$/s.exec(current);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim() });
    current = '';
  }
  return out;
}

describe('Dockerfile: shape', () => {
  const ops = instructions(dockerfile);
  const of = (op: string) => ops.filter((i) => i.op === op);

  it('starts from a maintained Node LTS image, Alpine or slim, overridable for a mirror', () => {
    const arg = of('ARG').map((i) => /^NODE_IMAGE=(.+)$/.exec(i.args)?.[1]).find(Boolean);
    expect(arg).toMatch(/^node:\d+-(alpine|[a-z]+-slim|slim)$/);
    const major = Number(/^node:(\d+)/.exec(arg!)![1]);
    // Even majors are the LTS lines; 20 reached its end of life in April 2026.
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
    expect(of('FROM').map((i) => i.args)).toEqual(['${NODE_IMAGE}']);
  });

  it('copies only the committed bundle and the licence, and fetches no CLI', () => {
    const sources = of('COPY').map((i) => i.args.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1)).flat();
    expect(sources).toEqual(['LICENSE', 'dist/cli/']);
    for (const source of sources) expect(existsSync(join(ROOT, source)), source).toBe(true);
    expect(of('ADD')).toEqual([]);
    for (const run of of('RUN')) expect(run.args).not.toMatch(/\b(npm|npx|yarn|pnpm|curl|wget)\b/);
    // The build context is those two paths: everything else stays out of it.
    const lines = dockerignore.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(['*', '!dist/cli/', '!LICENSE']);
  });

  it('runs as a non-root user with preview-kit as the entrypoint', () => {
    const last = (op: string) => of(op).at(-1)?.args;
    expect(last('USER')).toBeDefined();
    expect(last('USER')).not.toMatch(/^(root|0)(:|$)/);
    expect(ops.findLastIndex((i) => i.op === 'USER')).toBeGreaterThan(ops.findLastIndex((i) => i.op === 'RUN'));
    expect(JSON.parse(last('ENTRYPOINT')!)).toEqual(['preview-kit']);
  });
});

describe('Dockerfile: podman build without network, and runs of the image', () => {
  const base = 'localhost/preview-kit-test-node:latest';
  const image = `localhost/preview-kit-test:${process.pid}`;
  let work: string;
  let env: Record<string, string>;
  let fake: FakeKubernetes;
  const podman = (args: string[], timeout = 120_000) => execa('podman', args, { env, extendEnv: false, reject: false, stdin: 'ignore', timeout, all: true });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'pk-image-'));
    // podman on these machines: runc, low ulimits, no systemd (as scripts/services.sh sets it up).
    writeFileSync(
      join(work, 'containers.conf'),
      '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\nlog_driver = "k8s-file"\n[network]\nnetwork_backend = "netavark"\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n',
    );
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', CONTAINERS_CONF: join(work, 'containers.conf') };
    const made = await execa('bash', [join(ROOT, 'test', 'package', 'local-node-image.sh'), base], { env, extendEnv: false, reject: false, all: true, timeout: 120_000 });
    expect(made.exitCode, made.all).toBe(0);
    fake = await startFakeKubernetes({ token: 'k8s-image-token-7c1d9e2b5a', namespaces: ['default', 'previews'] });
  }, 180_000);

  afterAll(async () => {
    await fake?.close();
    if (env) await podman(['rmi', '--force', image]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds from the bundle with --network=none and --pull=never; the image runs preview-kit as a non-root user', async () => {
    // The build context a clone gives, plus what .dockerignore must keep out of it.
    const context = join(work, 'context');
    mkdirSync(join(context, 'dist'), { recursive: true });
    for (const file of ['Dockerfile', '.dockerignore', 'LICENSE']) cpSync(join(ROOT, file), join(context, file));
    cpSync(join(DIST, 'cli'), join(context, 'dist', 'cli'), { recursive: true });
    mkdirSync(join(context, 'node_modules', 'left-out'), { recursive: true });
    writeFileSync(join(context, 'node_modules', 'left-out', 'index.js'), '');
    const build = await podman(['build', '--pull=never', '--network=none', '--build-arg', `NODE_IMAGE=${base}`, '--tag', image, context], 300_000);
    expect(build.exitCode, build.all).toBe(0);

    const v = await podman(['run', '--rm', '--network=none', image, '--version']);
    expect(v.exitCode, v.all).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const user = await podman(['run', '--rm', '--network=none', '--entrypoint', 'id', image, '-u']);
    expect(user.stdout.trim()).not.toBe('0');
    const git = await podman(['run', '--rm', '--network=none', '--entrypoint', 'git', image, '--version']);
    expect(git.exitCode, git.all).toBe(0);
    const inspect = await podman(['image', 'inspect', image, '--format', '{{json .Config.Entrypoint}} {{.Size}}']);
    const [entrypoint, size] = inspect.stdout.trim().split(' ');
    expect(JSON.parse(entrypoint!)).toEqual(['preview-kit']);
    process.stderr.write(`image: ${size} bytes on the local stand-in base\n`);
  }, 360_000);

  it('runs up from a mounted checkout owned by another user, against the Kubernetes API', async () => {
    const repo = await tempRepo({ 'index.html': '<h1>image</h1>\n' }, 'feature/image');
    try {
      // A CI job's checkout: readable by the job's container user, owned by someone else.
      chmodSync(repo.dir, 0o755);
      const kube = join(work, 'kube');
      mkdirSync(kube, { recursive: true });
      chmodSync(kube, 0o755);
      const kubeconfig = writeKubeconfig(fake, kube, { namespace: 'previews' });
      chmodSync(kubeconfig, 0o644);
      const r = await podman([
        'run', '--rm', '--network=host',
        '-v', `${repo.dir}:/work:ro`, '-w', '/work',
        '-v', `${kube}:/kube:ro`, '-e', 'KUBECONFIG=/kube/kubeconfig',
        image,
        'up', '--provider', 'kubernetes', '--app', 'shop', '--branch', 'feature/image', '--image', 'registry.example.com/shop:{shortCommit}', '--timeout', '1m', '--json',
      ]);
      expect(r.exitCode, r.all).toBe(0);
      const out = JSON.parse(r.stdout) as { name: string; created: boolean; deployed: boolean; commit: string };
      expect(out).toMatchObject({ created: true, deployed: true, commit: repo.first });
      const d = fake.get('Deployment', 'previews', out.name) as Record<string, any>;
      expect(d.spec.template.metadata.annotations['preview-kit/commit']).toBe(repo.first);
      expect(d.spec.template.spec.containers[0].image).toBe(`registry.example.com/shop:${repo.first.slice(0, 7)}`);
    } finally {
      await repo.remove();
    }
  }, 180_000);
});
