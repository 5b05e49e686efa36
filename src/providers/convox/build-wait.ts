/**
 * Waiting for a build to end. The build's status (`GET /apps/{app}/builds/{id}`) is the fact, polled
 * with WAIT_BACKOFF; while the build runs, its log stream (build-stream.ts) is followed too, and its
 * end — the build process exited, after saving its status — wakes the poll at once instead of at
 * its next step. A failed build is exit 5 with the end of its log.
 */
import { ProviderError, TimeoutError } from '../../core/errors.js';
import { Deadline, poll, realClock, type Clock } from '../../core/retry.js';
import { telltaleLine } from './build-log.js';
import { followBuildLog, type BuildLogStream, type FollowBuildLog } from './build-stream.js';
import type { Rack } from './client.js';
import type { RackBuild } from './rack-api.js';

/** Lines of a failed build's log worth showing. */
const LOG_TAIL_LINES = 20;
/** Log streams opened for one build at most (one that ends early is opened again while it runs). */
const STREAMS_PER_BUILD = 3;

/** A failed build: exit 5, with the end of its log for the person reading the job output. */
export class BuildFailedError extends ProviderError {
  constructor(
    message: string,
    readonly buildId: string,
    readonly logTail: string,
    hint: string,
  ) {
    super(message, { hint });
  }
}

function tail(text: string, lines: number): string {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

async function buildFailure(rack: Rack, name: string, build: RackBuild, commit: string): Promise<BuildFailedError> {
  let log = '';
  const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.logs ?? '');
  if (where) {
    try {
      log = await rack.api.fetchObject(where[1]!, where[2]!);
    } catch (error) {
      rack.context.logger.debug(`could not read the log of build ${build.id}: ${(error as Error).message}`);
    }
  }
  const lastLines = tail(log, LOG_TAIL_LINES);
  if (lastLines) rack.context.logger.error(`last lines of the log of build ${build.id}:\n${lastLines}`);
  const reason = build.reason && !/^\s*build failed\s*$/i.test(build.reason) ? build.reason : '';
  const why = (reason || telltaleLine(lastLines.split('\n'))).slice(0, 300);
  return new BuildFailedError(`deploy: build ${build.id} of ${name} (commit ${commit.slice(0, 12)}) failed${why ? `: ${why}` : ''}`, build.id, lastLines, `full log: convox builds logs ${build.id} -a ${name}`);
}

/**
 * A clock whose sleeps end early when `wake()` is called: the poll looks again at once. A wake while
 * no sleep is under way (the look was in flight) ends the next sleep at once instead. On the real
 * clock the cut sleep's timer is cleared, so nothing keeps the process waiting afterwards.
 */
function wakeableClock(clock: Clock): Clock & { wake(): void } {
  let pending = false;
  let cut: (() => void) | undefined;
  return {
    now: () => clock.now(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false;
          return resolve();
        }
        let stop: () => void = () => undefined;
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          if (cut === stop) cut = undefined;
          resolve();
        };
        if (clock === realClock) {
          const timer = setTimeout(end, ms);
          stop = () => {
            clearTimeout(timer);
            end();
          };
        } else {
          void clock.sleep(ms).then(end);
          stop = end;
        }
        cut = stop;
      }),
    wake: () => {
      if (cut) cut();
      else pending = true;
    },
  };
}

export async function waitBuild(rack: Rack, name: string, id: string, commit: string, follow: FollowBuildLog = followBuildLog): Promise<RackBuild> {
  const { deadline, logger } = rack.context;
  const clock = wakeableClock(deadline.clock);
  let status = 'created';
  let stream: BuildLogStream | undefined;
  let streams = 0;
  let streaming = false;
  const check = async (): Promise<RackBuild | undefined> => {
    const build = await rack.api.getBuild(name, id);
    status = build.status;
    switch (build.status) {
      case 'created':
        return undefined;
      case 'running':
        // A v2 rack streams a build only once it runs (before, it answers its empty `Logs`).
        if (!streaming && streams < STREAMS_PER_BUILD) {
          streams++;
          streaming = true;
          stream = follow(rack, name, id);
          void stream.ended.then(() => {
            streaming = false;
            clock.wake();
          });
        }
        return undefined;
      case 'complete':
        return build;
      case 'failed':
        throw await buildFailure(rack, name, build, commit);
      default:
        throw new ProviderError(`deploy: build ${id} of ${name} is in an unexpected status "${build.status}"`, { hint: `see \`convox builds info ${id} -a ${name}\`` });
    }
  };
  const what = `build ${id} of ${name}`;
  try {
    // The command's deadline, seen through the clock the stream can wake.
    const local = new Deadline(deadline.remaining(), clock);
    return await poll(check, { ...rack.pollOptions(what, local), onWait: (ms) => logger.progress(`build ${id}: ${status} (${Math.round(ms / 1000)}s)`) });
  } catch (error) {
    // Said with the command's --timeout, not with what was left of it when the build started.
    throw error instanceof TimeoutError ? deadline.timeoutError(what, error.cause) : error;
  } finally {
    stream?.close();
  }
}
