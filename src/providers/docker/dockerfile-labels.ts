/**
 * An image's labels written as one `LABEL` line at the end of its Dockerfile, inside the build
 * context, instead of the `labels` parameter of `POST /build`. podman's builder turns each label of
 * that parameter into a build step of its own (a commit each: about 40 ms per label here), where one
 * line is one step whatever the number of labels. The line applies to the last stage, the image
 * the build tags, as the parameter does.
 *
 * Values are quoted so that nothing in them is expanded (`$`) or ends them early (`"`, `'`); a last
 * instruction left open by a trailing escape character (`\`, or the one a `# escape=` directive
 * chose) is closed first, so the line is never read as part of it.
 */
import { posix } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';

/** Labels a Dockerfile line can carry as they are: no control characters (no newline) in them. */
export function labelsFitALine(labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => /^[a-zA-Z0-9._-]+$/.test(k) && !/[\x00-\x1f\x7f]/.test(v));
}

/** The escape character the Dockerfile chose with a parser directive, `\` by default. */
export function escapeCharOf(dockerfile: string): string {
  for (const line of dockerfile.replace(/^(\uFEFF|\xEF\xBB\xBF)/, '').split('\n')) {
    const directive = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*\r?$/.exec(line);
    // Parser directives come first; the first line that is not one ends them.
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) return directive[2];
  }
  return '\\';
}

/**
 * A value in single quotes, where nothing is expanded or escaped; each `'` of it in double quotes,
 * which hold nothing else. No escape character is needed, so the line reads the same whichever
 * the Dockerfile chose (podman's builder does not honour `# escape=` inside quotes).
 */
function quoted(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

/** `LABEL k='v' …`, keys sorted so equal labels give equal lines. Keys are ours: no quoting needed. */
export function labelLine(labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quoted(labels[k]!)}`);
  return `LABEL ${pairs.join(' ')}`;
}

/**
 * The Dockerfile with the label line appended after its last instruction. Its bytes are kept as
 * they are (read as latin1, which maps each byte to one character and back).
 */
export function withLabelLine(dockerfile: Buffer, labels: Record<string, string>): Buffer {
  const text = dockerfile.toString('latin1');
  const escape = escapeCharOf(text);
  const lines = text.split('\n');
  // Blank and comment lines do not end a continued instruction: find its last real line.
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/[ \t\r]+$/, '');
    if (line === '' || /^[ \t]*#/.test(line)) continue;
    let open = line;
    while (open.endsWith(escape)) open = open.slice(0, -1);
    if (open !== line) lines[i] = open;
    break;
  }
  const body = lines.join('\n');
  const separator = body === '' || body.endsWith('\n') ? '' : '\n';
  return Buffer.concat([Buffer.from(body + separator, 'latin1'), Buffer.from(`${labelLine(labels)}\n`, 'utf8')]);
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function sizeOf(header: Buffer): number {
  // Base-256 (high bit set) for sizes past 8 GiB, octal text otherwise.
  if (header[124]! & 0x80) {
    let size = 0;
    for (let i = 125; i < 136; i++) size = size * 256 + header[i]!;
    return size;
  }
  return parseInt(field(header, 124, 12).trim() || '0', 8);
}

/** The `path` record of a PAX extended header, if it has one. */
function paxPath(data: Buffer): string | undefined {
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice(5);
    at += length;
  }
  return undefined;
}

function withSize(header: Buffer, size: number): Buffer {
  const h = Buffer.from(header);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

/**
 * Passes a tar stream through, with the regular file at `path` (relative to the archive's root)
 * replaced by `edit(its content)`. Everything else goes through as it came, without being held.
 */
export function editTarEntry(path: string, edit: (content: Buffer) => Buffer): Transform {
  const wanted = posix.normalize(path);
  let pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current entry's data (and padding) still to pass through untouched. */
  let passing = 0;
  /** The entry being collected: a PAX header, or the file to edit. */
  let collecting: { header: Buffer; size: number; kind: 'pax' | 'edit' } | undefined;
  let paxName: string | undefined;
  let ended = false;

  const step = (push: (b: Buffer) => void): boolean => {
    if (ended) {
      push(pending);
      pending = Buffer.alloc(0);
      return false;
    }
    if (passing > 0) {
      if (pending.length === 0) return false;
      const n = Math.min(passing, pending.length);
      push(pending.subarray(0, n));
      pending = pending.subarray(n);
      passing -= n;
      return true;
    }
    if (collecting) {
      const whole = Math.ceil(collecting.size / BLOCK) * BLOCK;
      if (pending.length < whole) return false;
      const data = pending.subarray(0, collecting.size);
      pending = pending.subarray(whole);
      if (collecting.kind === 'pax') {
        paxName = paxPath(data) ?? paxName;
        push(collecting.header);
        push(padded(Buffer.from(data)));
      } else {
        const edited = edit(Buffer.from(data));
        push(withSize(collecting.header, edited.length));
        push(padded(edited));
      }
      collecting = undefined;
      return true;
    }
    if (pending.length < BLOCK) return false;
    const header = pending.subarray(0, BLOCK);
    pending = pending.subarray(BLOCK);
    if (header.every((b) => b === 0)) {
      // The end of the archive: the rest is its zero blocks.
      ended = true;
      push(Buffer.from(header));
      return true;
    }
    const type = String.fromCharCode(header[156]!);
    const size = sizeOf(header);
    if (type === 'x') {
      collecting = { header: Buffer.from(header), size, kind: 'pax' };
      return true;
    }
    const prefix = field(header, 257, 6) === 'ustar' ? field(header, 345, 155) : '';
    const name = paxName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    if (type !== 'g') paxName = undefined;
    if ((type === '0' || type === '\0') && posix.normalize(name) === wanted) {
      collecting = { header: Buffer.from(header), size, kind: 'edit' };
      return true;
    }
    push(Buffer.from(header));
    passing = Math.ceil(size / BLOCK) * BLOCK;
    return true;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (step((b) => this.push(b)));
      callback();
    },
    flush(callback: TransformCallback) {
      if (pending.length) this.push(pending);
      callback();
    },
  });
}
