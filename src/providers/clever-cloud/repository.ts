/**
 * Whether an application's git repository exists yet, asked the way git itself starts a fetch:
 * `GET <remote>/info/refs?service=git-upload-pack` (smart HTTP). Right after an application is
 * created its repository is still being made, and the remote answers 404 like an unknown
 * repository (the window CI scripts cover with `sleep 10`). A push into that window only fails, so
 * a deploy to a repository that never received code asks this first and pushes the moment it
 * answers. The question is a read: no push is attempted, nothing is counted as one.
 */
import type { BackoffOptions, Deadline } from '../../core/retry.js';
import { poll } from '../../core/retry.js';
import type { Logger } from '../../core/logger.js';

/** `ready`: it answers; `absent`: 404, not made yet; `unknown`: anything else (the push will say what). */
export type RepositoryProbe = 'ready' | 'absent' | 'unknown';

/** One probe takes at most this long; a remote that does not answer is left to the push to report. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Probes the repository. The authorization is the push's own (Basic token:secret or Bearer), sent
 * only to the remote's own URL: redirects are not followed (git follows them for the first request
 * only, and never with our header to another host), a redirect reads as `unknown`.
 */
export async function probeRepository(url: string, authorization: string, deadline: Deadline): Promise<RepositoryProbe> {
  const target = `${url.replace(/\/+$/, '')}/info/refs?service=git-upload-pack`;
  try {
    const res = await fetch(target, {
      headers: { authorization, 'user-agent': 'git/2 (preview-kit)', accept: '*/*' },
      redirect: 'manual',
      signal: AbortSignal.timeout(Math.max(1, Math.min(PROBE_TIMEOUT_MS, deadline.remaining()))),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 404) return 'absent';
    return res.ok ? 'ready' : 'unknown';
  } catch {
    // Network trouble or a timeout: not a fact about the repository. The push reports it properly.
    return 'unknown';
  }
}

/**
 * How repository probes are spaced: 100 ms, 200 ms, then every 250 ms. Shorter than the API's
 * polls (up to 1 s) on purpose: a probe goes to the git front, not the API, and is a small GET; the
 * wait it serves is bounded (a repository is made within seconds of its application), so this is
 * at most four small requests a second for a few seconds, and the push starts within a quarter of
 * a second of the repository answering.
 */
export const PROBE_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 250, factor: 2, jitter: 0.2 };

export interface RepositoryWait {
  probe: (url: string) => Promise<RepositoryProbe>;
  deadline: Deadline;
  logger: Logger;
  backoff: BackoffOptions;
  appName: string;
}

/** Waits until the repository is no longer `absent`. True when it had to wait. */
export async function waitForRepository(wait: RepositoryWait, url: string): Promise<boolean> {
  let waited = false;
  await poll(
    async () => ((await wait.probe(url)) === 'absent' ? undefined : true),
    {
      ...wait.backoff,
      deadline: wait.deadline,
      what: `the git repository of ${wait.appName} to be created`,
      onWait: (ms) => {
        waited = true;
        wait.logger.progress(`git repository of ${wait.appName}: being created ${(ms / 1000).toFixed(1)}s`);
      },
    },
  );
  return waited;
}
