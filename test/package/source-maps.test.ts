/**
 * The bundles are minified; their source maps (mappings only, no sources' text) let a stack trace
 * name the project's own files and lines when source maps are on — which `--debug` turns on.
 */
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIST } from '../helpers/cli.js';

const bundles = ['cli', 'lib'];

describe('source maps of the bundles', () => {
  it.each(bundles)('every file of dist/%s points to a lean map beside it', (bundle) => {
    const dir = join(DIST, bundle);
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(1);
    for (const file of scripts) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`), file).toBe(true);
      const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[]; sourcesContent?: unknown; mappings: string };
      expect(map.sourcesContent, file).toBeUndefined();
      expect(map.mappings.length, file).toBeGreaterThan(0);
      // Minified: source-shaped code has some 30 characters a line; minified code, hundreds
      // (the line breaks left are those inside template strings).
      if (text.length > 4096) expect(text.length / text.split('\n').length, file).toBeGreaterThan(300);
    }
  });

  it('maps a stack frame back to the source file and line when source maps are on', async () => {
    const lib = pathToFileURL(join(DIST, 'lib', 'index.js')).href;
    const script = (enable: boolean) =>
      `${enable ? 'process.setSourceMapsEnabled(true);' : ''} const m = await import(${JSON.stringify(lib)}); try { m.slugify(null) } catch (e) { console.log(e.stack) }`;
    const on = await execa(process.execPath, ['--input-type=module', '-e', script(true)]);
    expect(on.stdout).toMatch(/src\/core\/naming\.ts:\d+/);
    const off = await execa(process.execPath, ['--input-type=module', '-e', script(false)]);
    expect(off.stdout).not.toMatch(/naming\.ts/);
    expect(off.stdout).toMatch(/lib\/index\.js:\d+:\d+/);
  });

  it('the CLI turns source maps on only when debugging', () => {
    const entry = readFileSync(join(DIST, 'cli', 'index.js'), 'utf8');
    expect(entry).toContain('setSourceMapsEnabled');
    expect(existsSync(join(DIST, 'cli', 'index.js.map'))).toBe(true);
  });
});
