/**
 * Installable anywhere: the packed package declares no dependency (the bundle carries everything
 * it loads), installs from its tarball into an empty project with no registry reachable, and then
 * works the three ways it is offered: the `preview-kit` command, `import('preview-kit')`, and the
 * type declarations `types`/`exports` name. Every path package.json names is in the tarball.
 */
import { execa } from 'execa';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { installTarball, packPackage, type Packed } from './pack.js';

let work: string;
let packed: Packed;
let installed: Awaited<ReturnType<typeof installTarball>>;

const inProject = (command: string, args: string[]) =>
  execa(command, args, { cwd: installed.project, env: { ...installed.env, PATH: `${join(installed.project, 'node_modules', '.bin')}:${installed.env.PATH}` }, extendEnv: false, reject: false, stdin: 'ignore' });

/** Total bytes of the files under a folder. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pk-pack-install-'));
  packed = await packPackage(join(work, 'pack'));
  installed = await installTarball(packed.tarball, join(work, 'install'));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('declares no runtime dependency of any kind', () => {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(Object.keys(packed.manifest[field] ?? {}), field).toEqual([]);
    }
  });

  it('holds every file that main, types, exports and bin name, and no sources or tests', () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const m = packed.manifest;
    const named = [m.main, m.types, m.exports['.'].types, m.exports['.'].default, ...Object.values(m.bin as Record<string, string>)].map((p: string) => p.replace(/^\.\//, ''));
    expect(named).toEqual(['dist/lib/index.js', 'dist/types/index.d.ts', 'dist/types/index.d.ts', 'dist/lib/index.js', 'dist/cli/index.js']);
    for (const path of named) expect(paths.has(path), path).toBe(true);
    expect([...paths].filter((p) => /^(src|test|node_modules|scripts|bench)\//.test(p))).toEqual([]);
    // The declarations are the library's public types only, not one file per module.
    expect([...paths].filter((p) => p.startsWith('dist/types/')).length).toBeLessThan(15);
  });
});

describe('npm install of the tarball, with no registry', () => {
  it('installs exactly one package', async () => {
    expect(installed.code, installed.output).toBe(0);
    const modules = readdirSync(join(installed.project, 'node_modules')).filter((n) => !n.startsWith('.'));
    expect(modules).toEqual(['preview-kit']);
    const ls = await inProject('npm', ['ls', '--all', '--parseable']);
    expect(ls.stdout.trim().split('\n')).toHaveLength(2);
    process.stderr.write(`package: tarball ${packed.size} bytes (${packed.unpackedSize} unpacked, ${packed.files.length} files); installed node_modules/preview-kit ${sizeOf(join(installed.project, 'node_modules', 'preview-kit'))} bytes\n`);
  });

  it('the preview-kit command runs: --version, and a name computed without network', async () => {
    const version = await inProject('preview-kit', ['--version']);
    expect(version.exitCode, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(packed.manifest.version);
    const viaNpx = await inProject('npx', ['--offline', 'preview-kit', '--version']);
    expect(viaNpx.exitCode, viaNpx.stderr).toBe(0);
    expect(viaNpx.stdout.trim()).toBe(packed.manifest.version);
    const name = await inProject('preview-kit', ['name', '--app', 'shop', '--branch', 'feature/Cart', '--json']);
    expect(name.exitCode, name.stderr).toBe(0);
    expect(JSON.parse(name.stdout)).toMatchObject({ command: 'name', name: expect.stringMatching(/^shop-feature-cart-[0-9a-f]{6}$/) });
  });

  it('import("preview-kit") gives the library API, which runs', async () => {
    const script = [
      "const kit = await import('preview-kit');",
      "const result = await kit.name({ app: 'shop', branch: 'feature/Cart' }, { env: {}, cwd: process.cwd() });",
      'console.log(JSON.stringify({ exports: Object.keys(kit).sort(), name: result.name, error: new kit.ConfigError("x") instanceof kit.PreviewError }));',
    ].join('\n');
    const r = await inProject('node', ['--input-type=module', '-e', script]);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { exports: string[]; name: string; error: boolean };
    expect(out.exports).toEqual(expect.arrayContaining(['up', 'stop', 'status', 'prune', 'list', 'name', 'previewName', 'PreviewError', 'ConfigError']));
    expect(out.name).toMatch(/^shop-feature-cart-[0-9a-f]{6}$/);
    expect(out.error).toBe(true);
  });

  it('the declarations type-check a consumer strictly, without skipLibCheck or @types/node', async () => {
    writeFileSync(
      join(installed.project, 'consumer.ts'),
      [
        "import { up, previewName, PreviewError, type CommandResult, type Preview, type Provider, type PreviewIdentity, type Logger } from 'preview-kit';",
        "export const result: Promise<CommandResult> = up({ provider: 'docker', app: 'shop', branch: 'feature/cart' }, { cwd: '.' });",
        "export const name: string = previewName({ app: 'shop', branch: 'feature/cart' });",
        'export type Public = [Preview, Provider, PreviewIdentity, PreviewError, Logger];',
        // Real types, not `any`: a wrong option type is an error, so this directive is needed.
        '// @ts-expect-error cwd is a string',
        "up({}, { cwd: 42 });",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(installed.project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [], skipLibCheck: false, noEmit: true }, files: ['consumer.ts'] }),
    );
    const tsc = await inProject('node', [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    expect(tsc.exitCode, tsc.stdout + tsc.stderr).toBe(0);
  });
});
