/**
 * What each provider's benchmark returns to bench/run.ts, which writes bench/results.json, and the
 * arithmetic the provider benches share: medians, spreads, request counts, Node's start-up.
 */
import { spawnSync } from 'node:child_process';

export interface Measure {
  seconds: number;
  /** HTTP requests that only read (GET/HEAD), where the bench can count them. */
  reads?: number;
  /** Requests that change something (POST/PUT/PATCH/DELETE), git pushes included. */
  writes?: number;
}

export type Step = 'first up' | 'no-op up' | 'new-commit up' | 'stop';

export interface Row {
  step: Step;
  previewKit: Measure;
  baseline: Measure;
  /** previewKit.seconds / baseline.seconds. */
  ratio: number;
  /** The platform's own latencies for this step, where the simulator knows them. */
  floorSeconds?: number;
  /** previewKit.seconds / floorSeconds. */
  floorRatio?: number;
  /** How many runs the seconds are the median of. */
  runs?: number;
}

export interface ProviderBench {
  provider: string;
  /** What the baseline is, e.g. "docker CLI + curl". */
  baselineName: string;
  rows: Row[];
  notes?: string[];
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Builds a row from two measures, computing the ratios. */
export function row(step: Step, previewKit: Measure, baseline: Measure, extra: { floorSeconds?: number; runs?: number } = {}): Row {
  const out: Row = { step, previewKit: roundMeasure(previewKit), baseline: roundMeasure(baseline), ratio: round(previewKit.seconds / baseline.seconds) };
  if (extra.floorSeconds !== undefined) {
    out.floorSeconds = round(extra.floorSeconds);
    out.floorRatio = round(previewKit.seconds / extra.floorSeconds);
  }
  if (extra.runs !== undefined) out.runs = extra.runs;
  return out;
}

function roundMeasure(m: Measure): Measure {
  return { ...m, seconds: round(m.seconds, 3) };
}

/** One timed run, with the requests it made. */
export interface Timed {
  seconds: number;
  reads: number;
  writes: number;
}

/** Reads (GET, HEAD) and writes (every other method) of a request log. */
export function readsAndWrites(requests: Array<{ method: string }>): { reads: number; writes: number } {
  const reads = requests.filter((r) => r.method === 'GET' || r.method === 'HEAD').length;
  return { reads, writes: requests.length - reads };
}

/** The median seconds, reads and writes of some runs. */
export function medianMeasure(runs: Timed[]): Measure {
  return { seconds: median(runs.map((r) => r.seconds)), reads: median(runs.map((r) => r.reads)), writes: median(runs.map((r) => r.writes)) };
}

/** `min–max s` of some runs' seconds: how much they varied. */
export function spreadOf(runs: Array<{ seconds: number }>): string {
  return `${round(Math.min(...runs.map((r) => r.seconds)))}–${round(Math.max(...runs.map((r) => r.seconds)))} s`;
}

/** Median seconds of `node -e 0`: what every CLI run pays before its first line runs. */
export function nodeStartSeconds(runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}
