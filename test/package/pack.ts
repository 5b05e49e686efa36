/**
 * The package as it is published: `npm pack` of this working tree with the bundle under test
 * (DIST: the committed dist/ or a scratch build), and npm run with no registry within reach: an
 * empty cache, `--offline`, and a registry address where nothing listens. A package that needed
 * anything from a registry fails to install here.
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseEnv, DIST, ROOT } from '../helpers/cli.js';

export interface PackedFile {
  path: string;
  size: number;
}

export interface Packed {
  /** The .tgz file. */
  tarball: string;
  /** Bytes of the .tgz. */
  size: number;
  /** Bytes of the files in it. */
  unpackedSize: number;
  files: PackedFile[];
  /** The package.json that was packed. */
  manifest: Record<string, any>;
}

/** An npm environment that cannot reach any registry: every fetch fails at once. */
export function offlineNpmEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const cache = join(home, 'npm-cache');
  mkdirSync(cache, { recursive: true });
  return baseEnv({
    HOME: home,
    npm_config_cache: cache,
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_ignore_scripts: 'true',
    ...extra,
  }) as Record<string, string>;
}

/** Stages the package's files (package.json `files`, with DIST as dist/) and packs them. */
export async function packPackage(work = mkdtempSync(join(tmpdir(), 'pk-pack-'))): Promise<Packed> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const stage = join(work, 'stage');
  mkdirSync(stage, { recursive: true });
  for (const entry of ['package.json', 'README.md', 'LICENSE', ...(manifest.files as string[])]) {
    const from = entry === 'dist' ? DIST : join(ROOT, entry);
    if (existsSync(from)) cpSync(from, join(stage, entry), { recursive: true });
  }
  const out = join(work, 'out');
  mkdirSync(out, { recursive: true });
  const r = await execa('npm', ['pack', '--json', '--pack-destination', out], { cwd: stage, env: offlineNpmEnv(work), extendEnv: false, stdin: 'ignore' });
  const [info] = JSON.parse(r.stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: PackedFile[] }>;
  return { tarball: join(out, info!.filename), size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files, manifest };
}

/** Installs the tarball into a new, empty project; returns the project's folder. */
export async function installTarball(tarball: string, work = mkdtempSync(join(tmpdir(), 'pk-install-'))) {
  const project = join(work, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  const env = offlineNpmEnv(work);
  const r = await execa('npm', ['install', tarball], { cwd: project, env, extendEnv: false, reject: false, stdin: 'ignore', all: true });
  return { project, env, code: r.exitCode ?? -1, output: r.all ?? '' };
}
