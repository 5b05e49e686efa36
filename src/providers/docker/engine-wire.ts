/**
 * How engine requests and answers look on the wire: the API version prefix, query strings, the
 * request line --debug prints (build argument values left out), and container log frames.
 */
import type { EngineCall } from './engine-types.js';

/** Oldest API version with everything we use; Docker 20.10+ and podman 4 serve it. */
export const API_VERSION = 'v1.41';

export function queryString(query: EngineCall['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The request line for --debug: build argument values are left out. They are how people hand
 * a registry token to a build (NPM_TOKEN…), and nothing else shows them; their names stay.
 */
export function loggedPath(path: string, query: EngineCall['query'], version = API_VERSION): string {
  const args = query?.buildargs;
  if (typeof args !== 'string') return `/${version}${path}${queryString(query)}`;
  let names: string[];
  try {
    names = Object.keys(JSON.parse(args) as Record<string, unknown>);
  } catch {
    names = [];
  }
  const masked = JSON.stringify(Object.fromEntries(names.map((n) => [n, '***'])));
  return `/${version}${path}${queryString({ ...query, buildargs: masked })}`;
}

/**
 * Container logs without a TTY come in frames: 1 byte stream, 3 zero bytes, a 4-byte big-endian
 * length, then the payload. Anything else is taken as plain text.
 */
export function demuxLogs(buf: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buf.length) {
    const kind = buf[offset]!;
    if (kind > 2 || buf[offset + 1] !== 0 || buf[offset + 2] !== 0 || buf[offset + 3] !== 0) return buf.toString('utf8');
    const size = buf.readUInt32BE(offset + 4);
    parts.push(buf.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return offset === buf.length ? parts.join('') : buf.toString('utf8');
}
