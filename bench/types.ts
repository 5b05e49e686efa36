/** What each provider's benchmark returns to bench/run.ts, which writes bench/results.json. */
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
