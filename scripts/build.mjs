#!/usr/bin/env node
// Builds the committed bundles: dist/cli (the `preview-kit` command, used by the GitHub actions
// and GitLab templates), dist/lib (the library API) and dist/types (the library's declarations).
// Reproducible: same sources, same bytes.
import ncc from '@vercel/ncc';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDeclarations } from './declarations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

// The version is compiled in, so `--version` needs no file read at start-up.
const versionFile = join(root, 'src/version.ts');
const versionSource = `// Written by scripts/build.mjs from package.json.\nexport const VERSION = '${pkg.version}';\n`;
if ((await readFile(versionFile, 'utf8').catch(() => '')) !== versionSource) await writeFile(versionFile, versionSource);

async function bundle(entry, outDir) {
  const { code, assets } = await ncc(join(root, entry), {
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    transpileOnly: true,
    license: 'licenses.txt',
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    const file = join(outDir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, asset.source, asset.permissions ? { mode: asset.permissions } : undefined);
  }
  return Object.keys(assets).length;
}

// PREVIEW_KIT_DIST builds elsewhere (a scratch copy for tests run side by side); the default is
// the committed dist/.
const out = process.env.PREVIEW_KIT_DIST || join(root, 'dist');
const started = Date.now();
const cliAssets = await bundle('src/bin.ts', join(out, 'cli'));
const libAssets = await bundle('src/index.ts', join(out, 'lib'));
const typeFiles = await writeDeclarations(root, join(out, 'types'));
await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
process.stderr.write(`built cli (${cliAssets} assets), lib (${libAssets} assets) and types (${typeFiles} files) to ${out === join(root, "dist") ? "dist/" : out} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
