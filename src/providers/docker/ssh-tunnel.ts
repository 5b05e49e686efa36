/**
 * `DOCKER_HOST=ssh://user@host`: every connection is an `ssh … docker system dial-stdio` process
 * whose stdin/stdout carry the HTTP bytes, the way the docker CLI does it. Keep-alive reuses one
 * process for many requests, so the ssh handshake is paid once per concurrent request, not per call.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { ConfigError } from '../../core/errors.js';

export interface SshTarget {
  user?: string;
  host: string;
  port?: string;
  /** Remote engine socket, when the URL carries a path. */
  socketPath?: string;
}

/** Parses `ssh://[user@]host[:port][/socket/path]`; passwords, queries and fragments are refused. */
export function parseSshUrl(text: string): SshTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`invalid settings: --docker-host: "${text}" is not a valid ssh:// URL`);
  }
  if (url.password) {
    throw new ConfigError('invalid settings: --docker-host: ssh:// URLs must not carry a password', { hint: 'use an ssh key or agent' });
  }
  if (url.search || url.hash) throw new ConfigError('invalid settings: --docker-host: ssh:// URLs take no query or fragment');
  if (!url.hostname) throw new ConfigError('invalid settings: --docker-host: ssh:// URL has no host');
  const path = decodeURIComponent(url.pathname);
  return {
    host: url.hostname,
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.port ? { port: url.port } : {}),
    ...(path.replace(/\//g, '') ? { socketPath: path } : {}),
  };
}

/** Arguments after `ssh`: non-interactive, no tty, `--` before the host so it is never read as an option. */
export function sshArguments(target: SshTarget): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=30', '-T'];
  if (target.user) args.push('-l', target.user);
  if (target.port) args.push('-p', target.port);
  args.push('--', target.host);
  args.push(...(target.socketPath ? ['docker', `--host=unix://${target.socketPath}`, 'system', 'dial-stdio'] : ['docker', 'system', 'dial-stdio']));
  return args;
}

/** A socket-shaped stream over a child process, enough for node:http's client and agent. */
export class ChildProcessSocket extends Duplex {
  private stderrTail = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private idleMs = 0;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-500);
    });
    child.on('error', (error) => this.fail(error));
    // 'close' comes after stderr is drained, so ssh's own last words make the message.
    // It is also when the stream ends: a failed ssh must not look like a server closing cleanly.
    child.on('close', (code, signal) => {
      this.exited = true;
      if (this.destroyed) return;
      if (code !== 0) this.destroy(this.exitError(code, signal));
      else this.push(null);
    });
    // Writing to an ssh that already gave up fails with EPIPE; its exit status says why.
    child.stdin.on('error', (error) => this.fail(error));
  }

  private exited = false;

  private exitError(code: number | null, signal: NodeJS.Signals | null): Error {
    const why = this.stderrTail.trim().split('\n').pop() || `exit ${code ?? signal}`;
    // ssh names itself in its own messages ("ssh: connect to host …"): say it once.
    return Object.assign(new Error(/^ssh: /.test(why) ? why : `ssh: ${why}`), { code: 'ESSH' });
  }

  private fail(error: Error): void {
    if (this.destroyed) return;
    if (this.exited) {
      this.destroy(error);
      return;
    }
    const timer = setTimeout(() => this.destroy(error), 2_000);
    timer.unref();
    this.child.once('close', () => clearTimeout(timer));
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    // A write error (EPIPE) only means ssh is gone; fail() reports why it went.
    this.child.stdin.write(chunk, (error) => {
      if (error) this.fail(error);
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    callback(error);
  }

  private touch(): void {
    if (this.idleMs > 0) {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
      this.idleTimer.unref();
    }
  }

  // The methods node:http's client and agent call on a net.Socket.
  setTimeout(ms: number, callback?: () => void): this {
    this.idleMs = ms;
    if (ms === 0) {
      if (callback) this.removeListener('timeout', callback);
      if (this.idleTimer) clearTimeout(this.idleTimer);
    } else {
      if (callback) this.once('timeout', callback);
      this.touch();
    }
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    this.child.ref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { ref?: () => void }).ref?.();
    return this;
  }
  /** Idle keep-alive tunnels must not keep the CLI alive; the remote side ends when our stdin closes. */
  unref(): this {
    this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    return this;
  }
}

/** An http.Agent whose connections are ssh tunnels. `command` is replaceable for tests. */
export class SshAgent extends http.Agent {
  constructor(
    private readonly target: SshTarget,
    private readonly command = 'ssh',
    /** What ssh sees of our environment (HOME, the agent socket; none of the credentials). */
    private readonly env?: Record<string, string>,
  ) {
    super({ keepAlive: true, maxSockets: 8 });
  }

  /** node:http's Agent uses the returned socket directly when one is returned. */
  override createConnection(): Duplex {
    const child = spawn(this.command, sshArguments(this.target), { stdio: ['pipe', 'pipe', 'pipe'], ...(this.env ? { env: this.env } : {}) });
    return new ChildProcessSocket(child);
  }
}
