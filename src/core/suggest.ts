/**
 * "Did you mean …?": the known word nearest to a typo.
 */

/** The known key nearest to a typo, when one is near enough to be a likely meaning. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (w: string) => w.toLowerCase().replace(/[-_]/g, '');
  let best: { key: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = editDistance(norm(word), norm(candidate));
    if (d <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

/** Edits between two words, a swap of neighbours counting as one (the commonest typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
