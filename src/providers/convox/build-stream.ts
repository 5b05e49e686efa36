/**
 * Following a running build's log, the way `convox deploy` does: `GET /apps/{app}/builds/{id}/logs`
 * is a websocket route of the rack (`SOCKET` in pkg/api/routes.go). The rack sends the output as
 * text messages and ends the stream with an empty binary message (stdapi `websocket`, stdsdk reads
 * any binary message as the end) once the build process exits — after it saved the build's status.
 * So the end of the stream is the moment to look at the build again; the stream is a signal, never
 * the fact: a stream that fails, ends early or never opens (a proxy without websockets) leaves the
 * wait to its polls. An error is a text message `ERROR: …`.
 */
import type { Rack } from './client.js';

export interface BuildLogStream {
  /** Settles (never rejects) when the stream ended, for whatever reason. */
  ended: Promise<void>;
  close(): void;
}

export type FollowBuildLog = (rack: Rack, app: string, id: string) => BuildLogStream;

/** Lines of build output kept for `--debug`, at most. */
const DEBUG_LINES = 200;

export const followBuildLog: FollowBuildLog = (rack, app, id) => {
  let finish!: () => void;
  const ended = new Promise<void>((resolve) => (finish = resolve));
  let socket: { close(): void } | undefined;
  let closed = false;
  const { logger } = rack.context;
  let lines = 0;
  const done = (why: string) => {
    if (closed) return;
    closed = true;
    logger.debug(`build ${id}: log stream ended (${why})`);
    try {
      socket?.close();
    } catch {
      // Closing a socket that never opened: nothing to release.
    }
    finish();
  };
  void (async () => {
    try {
      const { WebSocket, Agent } = await import('undici');
      if (closed) return;
      const url = new URL(`apps/${encodeURIComponent(app)}/builds/${encodeURIComponent(id)}/logs`, rack.settings.rackUrl.endsWith('/') ? rack.settings.rackUrl : `${rack.settings.rackUrl}/`);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const tls = rack.tls;
      const dispatcher = tls ? new Agent({ connect: { ...(tls.ca ? { ca: tls.ca } : {}), rejectUnauthorized: !tls.insecure } }) : undefined;
      const ws = new WebSocket(url, { headers: rack.headers(), ...(dispatcher ? { dispatcher } : {}) });
      socket = ws;
      ws.binaryType = 'arraybuffer';
      ws.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return done('end of the log');
        if (event.data.startsWith('ERROR: ')) return done(event.data.trim());
        for (const line of event.data.split('\n')) if (line.trim() && lines++ < DEBUG_LINES) logger.debug(`build ${id} | ${line}`);
      });
      ws.addEventListener('close', () => done('closed'));
      ws.addEventListener('error', () => done('no stream'));
    } catch (error) {
      done((error as Error).message);
    }
  })();
  return { ended, close: () => done('no longer needed') };
};
