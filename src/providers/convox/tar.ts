/**
 * A small tar writer (ustar headers, PAX records for long or non-ASCII names), enough to pack a
 * source tree for the rack's builder, which reads it with Go's archive/tar.
 */

const BLOCK = 512;

export type TarEntry =
  | { type: 'file'; path: string; data: Uint8Array; mode: number }
  | { type: 'dir'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string };

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits then NUL, as GNU and Go write them.
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar: value ${value} does not fit in ${length} bytes`);
  header.write(`${text}\0`, offset, length, 'ascii');
}

function fitsUstar(value: string, max: number): boolean {
  return /^[\x20-\x7e]*$/.test(value) && Buffer.byteLength(value) <= max;
}

function paxRecord(key: string, value: string): Buffer {
  // "<len> key=value\n", where len counts the whole record, its own digits included.
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let digits = String(bodyLength).length;
  let length = bodyLength + digits;
  if (String(length).length !== digits) {
    digits = String(length).length;
    length = bodyLength + digits;
  }
  return Buffer.from(`${length}${body}`, 'utf8');
}

function header(fields: { name: string; mode: number; size: number; mtime: number; type: string; linkname?: string }): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  writeString(h, 0, 100, fields.name);
  writeOctal(h, 100, 8, fields.mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, fields.size);
  writeOctal(h, 136, 12, Math.max(0, Math.floor(fields.mtime)));
  h.fill(0x20, 148, 156);
  h.write(fields.type, 156, 1, 'ascii');
  if (fields.linkname) writeString(h, 157, 100, fields.linkname);
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest, 0);
}

/** Packs the entries in order; `mtime` is seconds since the epoch (the commit time keeps archives reproducible). */
export function writeTar(entries: TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const name = entry.type === 'dir' ? `${entry.path.replace(/\/+$/, '')}/` : entry.path;
    const linkname = entry.type === 'symlink' ? entry.target : '';
    const records: Buffer[] = [];
    if (!fitsUstar(name, 100)) records.push(paxRecord('path', name));
    if (linkname && !fitsUstar(linkname, 100)) records.push(paxRecord('linkpath', linkname));
    if (records.length) {
      const pax = Buffer.concat(records);
      parts.push(header({ name: `PaxHeaders/${asciiTail(name, 80)}`, mode: 0o644, size: pax.length, mtime, type: 'x' }), pax, padding(pax.length));
    }
    const shortName = asciiTail(name, 100);
    if (entry.type === 'file') {
      parts.push(header({ name: shortName, mode: entry.mode, size: entry.data.length, mtime, type: '0' }));
      parts.push(Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.length), padding(entry.data.length));
    } else if (entry.type === 'dir') {
      parts.push(header({ name: shortName, mode: entry.mode, size: 0, mtime, type: '5' }));
    } else {
      parts.push(header({ name: shortName, mode: 0o777, size: 0, mtime, type: '2', linkname: asciiTail(linkname, 100) }));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

/** A printable stand-in of at most `max` bytes, for the ustar field when PAX carries the real name. */
function asciiTail(value: string, max: number): string {
  const ascii = value.replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}
