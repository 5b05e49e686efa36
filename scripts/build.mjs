#!/usr/bin/env node
// Builds the committed bundles: dist/cli (the `preview-kit` command, used by the GitHub actions
// and GitLab templates), dist/lib (the library API) and dist/types (the library's declarations).
// Reproducible: same sources, same bytes.
import ncc from '@vercel/ncc';
import { transform } from 'esbuild';
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

// ncc minifies only the entry file, not the chunks it splits off (most of the code), so every
// script is minified here, its source map composed with ncc's. The maps keep only the mappings
// (no sources' text): enough for `--debug` stack traces to name our source files and lines.
async function minify(name, code, map) {
  const input = `${code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '')}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
  const out = await transform(input, { minify: true, format: 'esm', target: 'es2022', loader: 'js', sourcemap: 'external', sourcesContent: false, sourcefile: name, legalComments: 'none' });
  return { code: `${out.code}//# sourceMappingURL=${name}.map\n`, map: out.map };
}

async function bundle(entry, outDir) {
  // No cache: ncc's default one is shared by every build on the machine, and chunks it restores
  // come back without their source maps, so the output would depend on earlier builds.
  const { code, map, assets } = await ncc(join(root, entry), {
    cache: false,
    minify: false,
    sourceMap: true,
    sourceMapRegister: false,
    sourceMapBasePrefix: '../../',
    quiet: true,
    target: 'es2022',
    transpileOnly: true,
    license: 'licenses.txt',
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const scripts = { 'index.js': { code, map } };
  for (const [name, asset] of Object.entries(assets)) {
    if (!name.endsWith('.js')) continue;
    // A chunk without its map would be committed unminified: stop rather than write it.
    if (!assets[`${name}.map`]) throw new Error(`ncc emitted ${name} without a source map`);
    scripts[name] = { code: asset.source.toString(), map: assets[`${name}.map`].source.toString() };
  }
  for (const [name, asset] of Object.entries(assets)) {
    if (scripts[name] || (name.endsWith('.map') && scripts[name.slice(0, -4)])) continue;
    const file = join(outDir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, asset.source, asset.permissions ? { mode: asset.permissions } : undefined);
  }
  for (const [name, script] of Object.entries(scripts)) {
    const out = await minify(name, script.code, script.map);
    await writeFile(join(outDir, name), out.code);
    await writeFile(join(outDir, `${name}.map`), out.map);
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
