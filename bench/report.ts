/**
 * The README's "Measured" tables, rendered from bench/results.json alone, so that the README
 * always says what the last `npm run bench` measured (a test compares the two).
 */
import type { ProviderBench, Row } from './types.js';

export const README_START = '<!-- bench:start (generated from bench/results.json by npm run bench) -->';
export const README_END = '<!-- bench:end -->';

export interface PruneFigures {
  previews: number;
  oneListingSeconds: number;
  /** `decision`: the dry run inside a running process (no start-up), as the listing is timed. */
  dryRun: { requests: number; seconds: number; ratioToListing: number; decision?: { seconds: number; ratioToListing: number } };
  prune: { requests: number; seconds: number; removed: number };
}

export interface BenchResults {
  date: string;
  node: string;
  machine?: string;
  coldStart: { runs: number; nodeMs: number; cliMs: number; ratio: number };
  bundle?: { cliBytes: number; cliMapBytes: number; libBytes: number; libMapBytes: number; noopUpChunks?: Record<string, number> };
  providers: Record<string, ProviderBench | { skipped: string }>;
  prune?: Record<string, PruneFigures | { skipped: string }>;
}

const s = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
const requests = (m: { reads?: number; writes?: number }) => (m.reads === undefined && m.writes === undefined ? '' : ` (${m.reads ?? '?'} r / ${m.writes ?? '?'} w)`);

function providerRow(provider: string, r: Row): string {
  const floor = r.floorSeconds === undefined ? '' : `${s(r.floorSeconds)} s (${r.floorRatio}×)`;
  return `| ${provider} | ${r.step} | ${s(r.previewKit.seconds)} s${requests(r.previewKit)} | ${s(r.baseline.seconds)} s${requests(r.baseline)} | **${r.ratio}×** | ${floor} |`;
}

export function renderReadme(results: BenchResults): string {
  const out: string[] = [README_START, ''];
  const c = results.coldStart;
  out.push(`Measured ${results.date.slice(0, 10)} with Node ${results.node}${results.machine ? ` on ${results.machine}` : ''}; all on loopback against the simulators and local servers.`, '');
  out.push('| measure | result | goal |', '|---|---|---|');
  out.push(`| cold start: \`preview-kit --version\` / \`node -e 0\` (median of ${c.runs}) | ${c.cliMs} ms / ${c.nodeMs} ms = **${c.ratio}×** | ≤ 1.2× |`);
  if (results.bundle) {
    const b = results.bundle;
    out.push(`| bundle (minified): CLI / library | ${kb(b.cliBytes)} / ${kb(b.libBytes)} (+ source maps ${kb(b.cliMapBytes)} / ${kb(b.libMapBytes)}) | |`);
    if (b.noopUpChunks) {
      const chunks = Object.entries(b.noopUpChunks).map(([p, n]) => `${p} ${kb(n)}`).join(', ');
      out.push(`| code loaded by a no-op \`up\` | ${chunks} | the chosen provider only |`);
    }
  }
  out.push('');
  out.push('Each step against the shell a user would otherwise write (baseline), medians; r / w = read / write requests (git pushes count as writes); the floor is the simulator\'s own latency for the work.', '');
  out.push('| provider | step | preview-kit | baseline | ratio | floor (ratio) |', '|---|---|---|---|---|---|');
  const notes: string[] = [];
  for (const [provider, bench] of Object.entries(results.providers)) {
    if ('skipped' in bench) {
      out.push(`| ${provider} | — | not measured: ${bench.skipped} | | | |`);
      continue;
    }
    for (const r of bench.rows) out.push(providerRow(provider, r));
    notes.push(`- **${provider}**: baseline ${bench.baselineName}.${bench.notes?.length ? ` ${bench.notes.join(' ')}` : ''}`);
  }
  out.push('', ...notes);
  if (results.prune) {
    out.push('', 'Prune over 1 000 previews of one project (990 idle for 10 days, 10 deployed an hour ago), `prune --ttl 3d`:', '');
    out.push(
      '| provider | one listing | dry run: requests, CLI process (× listing) | dry-run decision in a running process (× listing) | real prune (--parallel 4): requests, time, removed |',
      '|---|---|---|---|---|',
    );
    for (const [provider, p] of Object.entries(results.prune)) {
      if ('skipped' in p) {
        out.push(`| ${provider} | not measured: ${p.skipped} | | | |`);
        continue;
      }
      const decision = p.dryRun.decision ? `${s(p.dryRun.decision.seconds)} s (${p.dryRun.decision.ratioToListing}×)` : 'not measured';
      out.push(`| ${provider} | ${s(p.oneListingSeconds)} s | ${p.dryRun.requests}, ${s(p.dryRun.seconds)} s (${p.dryRun.ratioToListing}×) | ${decision} | ${p.prune.requests}, ${s(p.prune.seconds)} s, ${p.prune.removed} |`);
    }
  }
  out.push('', README_END);
  return out.join('\n');
}

/** The README with its generated section replaced (or `undefined` when the markers are missing). */
export function withBenchSection(readme: string, results: BenchResults): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + renderReadme(results) + readme.slice(end + README_END.length);
}
