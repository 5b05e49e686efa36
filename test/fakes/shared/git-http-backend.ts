/**
 * Serves git's smart HTTP protocol by running the real `git http-backend` as a CGI program, so
 * fakes receive real pushes and fetches from real git clients. Bodies are streamed both ways;
 * gzip request bodies (git sends them for large negotiations) are inflated by http-backend itself
 * from HTTP_CONTENT_ENCODING.
 */
import { execFile, spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface GitCgiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Directory holding the bare repositories (GIT_PROJECT_ROOT). */
  projectRoot: string;
  /** Path below the project root, e.g. `/app_x.git/info/refs`. */
  pathInfo: string;
  /** Raw query string without `?`. */
  query: string;
  /** Authenticated user; its presence is what lets http-backend accept receive-pack. */
  remoteUser?: string;
  /**
   * Runs after the backend exited and before the response ends, so that whatever it records
   * (a push, a deployment) is visible by the time the git client returns.
   */
  beforeEnd?: (status: number) => Promise<void>;
}

/** Git's own config files of the machine never leak into the fake's behaviour. */
export function hermeticGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LANG: 'C',
    ...extra,
  };
}

/** Runs one CGI request through `git http-backend` and resolves with the HTTP status once it is answered. */
export function runGitHttpBackend(request: GitCgiRequest): Promise<number> {
  const { req, res } = request;
  const header = (name: string): string => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  const env = hermeticGitEnv({
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.query,
    CONTENT_TYPE: header('content-type'),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    // Protocol v2 is negotiated through this header.
    HTTP_GIT_PROTOCOL: header('git-protocol'),
    ...(request.remoteUser ? { REMOTE_USER: request.remoteUser } : {}),
    // Chunked uploads have no length: http-backend then reads until EOF.
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: header('content-length') } : {}),
  });

  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let status = 500;
    let headersSent = false;
    let pending = Buffer.alloc(0);
    let stderr = '';

    child.stdin.on('error', () => {
      // The backend may stop reading early (e.g. on an error); the client gets its answer anyway.
    });
    req.pipe(child.stdin);
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });

    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      const split = findHeaderEnd(pending);
      if (!split) return;
      const head = pending.subarray(0, split.headerEnd).toString('latin1');
      const rest = pending.subarray(split.bodyStart);
      const headers: Record<string, string> = {};
      status = 200;
      for (const line of head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      if (rest.length > 0) res.write(rest);
    });

    child.on('close', (code) => {
      if (!headersSent) {
        status = 500;
        const text = `git http-backend failed (exit ${code}): ${stderr.trim()}\n`;
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
        resolve(status);
        return;
      }
      const hook = request.beforeEnd ? request.beforeEnd(status) : Promise.resolve();
      hook
        .catch(() => undefined)
        .finally(() => {
          res.end();
          resolve(status);
        });
    });
    child.on('error', () => {
      // 'close' follows and answers 500.
    });
    res.on('close', () => {
      if (!res.writableFinished) child.kill('SIGTERM');
    });
  });
}

function findHeaderEnd(buf: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headerEnd: lf, bodyStart: lf + 2 };
  return undefined;
}

/** Creates an empty bare repository whose default branch is `branch`. */
export async function initBareRepo(dir: string, branch = 'master'): Promise<void> {
  await execFileAsync('git', ['init', '--bare', '--quiet', `--initial-branch=${branch}`, dir], { env: hermeticGitEnv() });
}

/** The commit a branch points at in a bare repository, or undefined when the branch does not exist. */
export async function readBranch(dir: string, branch: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['--git-dir', dir, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
      env: hermeticGitEnv(),
    });
    const sha = stdout.trim();
    return sha === '' ? undefined : sha;
  } catch {
    return undefined;
  }
}
