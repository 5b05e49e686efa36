/**
 * Picks the line of a failed build's log that says why it failed, for the one-line error: the
 * builder's own last words ("ERROR: build failed", "exit status 1") only repeat that it failed.
 */

/** Lines that only say the build failed, without why. */
const GENERIC = /^\s*(error:?\s*)?(the )?(build (step )?failed|exit status \d+|build failed: exit status \d+)[.!:]?\s*$/i;

/** Lines that look like a cause: compiler, package manager or Docker errors. */
const CAUSE = /(\bERR!|\b(?:error|fatal|failed|failure|not found|no such file|denied|cannot|can't|unable|non-zero|exception|panic)\b)/i;

export function telltaleLine(lines: string[]): string {
  const meaningful = lines.map((l) => l.trim()).filter((l) => l !== '' && !GENERIC.test(l));
  // The first cause in the tail: package managers and compilers print the reason, then summaries of it.
  return meaningful.find((l) => CAUSE.test(l)) ?? meaningful.at(-1) ?? lines.map((l) => l.trim()).filter(Boolean).at(-1) ?? '';
}
