/** The README's "Measured" section says exactly what bench/results.json holds. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_END, README_START, renderReadme, withBenchSection, type BenchResults } from '../../../bench/report.js';
import { ROOT } from '../../helpers/cli.js';

describe('README bench section', () => {
  it('is the rendering of bench/results.json', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const results = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
    const section = readme.slice(readme.indexOf(README_START), readme.indexOf(README_END) + README_END.length);
    expect(section).toBe(renderReadme(results));
  });

  it('renders every provider row with its ratio, and a provider that was not measured with the reason', () => {
    const results: BenchResults = {
      date: '2026-01-02T00:00:00Z',
      node: 'v20.0.0',
      coldStart: { runs: 3, nodeMs: 40, cliMs: 44, ratio: 1.1 },
      providers: {
        docker: {
          provider: 'docker',
          baselineName: 'docker CLI + curl',
          rows: [{ step: 'no-op up', previewKit: { seconds: 0.1, reads: 4, writes: 0 }, baseline: { seconds: 0.05 }, ratio: 2 }],
        },
        convox: { skipped: 'no rack' },
      },
    };
    const text = renderReadme(results);
    expect(text).toContain('| docker | no-op up | 0.10 s (4 r / 0 w) | 0.05 s | **2×** |  |');
    expect(text).toContain('| convox | — | not measured: no rack |');
    expect(withBenchSection(`a\n${README_START}\nold\n${README_END}\nb`, results)).toBe(`a\n${text}\nb`);
    expect(withBenchSection('no markers', results)).toBeUndefined();
  });
});
