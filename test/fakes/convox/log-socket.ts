/**
 * The rack's build log websocket, `GET /apps/{app}/builds/{id}/logs` with `Upgrade: websocket`
 * (`SOCKET` in pkg/api/routes.go; gorilla/mux matches it only with that header). What the racks do:
 *
 * - stdapi (router.go `websocket`) upgrades first and runs the middleware after, so a wrong password
 *   is a text message `ERROR: invalid authentication\n` on an open socket, not a 401;
 * - output goes as text messages; an error as a text message `ERROR: <message>\n`; the end as an
 *   empty binary message (stdsdk reads any binary message as EOF). The rack does not close the
 *   socket itself: the client does, once it has read the end;
 * - `BuildLogs`: a running build's output is followed until its process exits — after the process
 *   saved the build's status (convox/convox provider/k8s `ProcessLogs`, convox/rack
 *   provider/aws/build_logs.go `tailDockerLogs`); an ended build's stored log is sent whole; a build
 *   still `created` is waited for until it runs on v3 (`streamBuildLogsFromCreated`), and on v2
 *   answers its `Logs` field, empty then (`historicLogs`), so that stream ends at once.
 *
 * Only the frames this needs are spoken: unmasked server frames, masked client frames, close.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { RackModel } from './routes.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TEXT = 0x1;
const BINARY = 0x2;
const CLOSE = 0x8;

function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65_536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(n)]);
  return Buffer.concat([head, payload]);
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** The opcodes of the client frames in `data` (only close matters here). */
function clientOpcodes(data: Buffer): number[] {
  const out: number[] = [];
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at]! & 0x0f;
    let len = data[at + 1]! & 0x7f;
    let offset = at + 2;
    if (len === 126) {
      len = data.readUInt16BE(offset);
      offset += 2;
    } else if (len === 127) {
      len = Number(data.readBigUInt64BE(offset));
      offset += 8;
    }
    const masked = (data[at + 1]! & 0x80) !== 0;
    out.push(opcode);
    at = offset + (masked ? 4 : 0) + len;
  }
  return out;
}

export const BUILD_LOGS_PATH = /^\/apps\/([^/]+)\/builds\/([^/]+)\/logs$/;

export interface LogSocketRequest {
  app: string;
  id: string;
  /** Why the middleware refuses it, or undefined when it is let through. */
  refused: string | undefined;
}

/** Answers the upgrade, then streams the build's log as the rack does. */
export function serveBuildLogs(model: RackModel, req: IncomingMessage, socket: Duplex, r: LogSocketRequest): void {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}${GUID}`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let open = true;
  let forget: () => void = () => undefined;
  const send = (opcode: number, text: string) => {
    if (open) socket.write(frame(opcode, Buffer.from(text)));
  };
  const finish = () => send(BINARY, '');
  socket.on('data', (data: Buffer) => {
    if (!clientOpcodes(data).includes(CLOSE)) return;
    send(CLOSE, '');
    open = false;
    forget();
    socket.end();
  });
  socket.on('close', () => {
    open = false;
    forget();
  });
  socket.on('error', () => undefined);

  if (r.refused) {
    send(TEXT, `ERROR: ${r.refused}\n`);
    return finish();
  }
  const found = model.buildForLogs(r.app, r.id);
  if ('error' in found) {
    send(TEXT, `ERROR: ${found.error}\n`);
    return finish();
  }
  const build = found;
  const stored = () => model.objects.get(`${build.app}/build/${build.id}/logs`)?.toString('utf8') ?? '';
  const follow = () => {
    const sent = RackModel.runningOutput(build);
    send(TEXT, sent);
    forget = model.onBuildEnd(build, () => {
      const rest = stored();
      if (rest.startsWith(sent) && rest.length > sent.length) send(TEXT, rest.slice(sent.length));
      finish();
    });
  };
  switch (build.status) {
    case 'running':
      return follow();
    case 'created': {
      // v2 answers the (empty) Logs field; v3 waits until the build pod runs.
      if (model.rules.generation === '2') return finish();
      const started = () => {
        if (!open) return;
        if (build.status === 'created') return model.later(5, started);
        if (build.status === 'running') return follow();
        send(TEXT, stored());
        finish();
      };
      return started();
    }
    default:
      send(TEXT, stored());
      return finish();
  }
}
