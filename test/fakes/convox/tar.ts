/**
 * A tar reader for the fake rack's builder and for tests: ustar, the ustar name prefix, PAX
 * (`x`/`g`) records and GNU long names, which covers what git, GNU tar and Go write.
 */
import { gunzipSync } from 'node:zlib';

export interface TarFile {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  data: Buffer;
  linkname?: string;
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const text = field(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function paxRecords(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!length) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return out;
}

export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  while (offset + 512 <= archive.length) {
    const block = archive.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) break;
    const expected = octal(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
    if (sum !== expected) throw new Error(`tar: bad header checksum at offset ${offset}`);
    const size = octal(block, 124, 12);
    const type = String.fromCharCode(block[156] || 0x30);
    const data = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const prefix = field(block, 345, 155);
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    const linkname = pax.linkpath ?? field(block, 157, 100);
    pax = {};
    longName = undefined;
    const kind = type === '0' || type === '\0' || type === '7' ? 'file' : type === '5' ? 'dir' : type === '2' ? 'symlink' : 'other';
    files.push({
      path: name.replace(/^\.\//, '').replace(/\/$/, ''),
      type: kind,
      mode: octal(block, 100, 8),
      data: Buffer.from(data),
      ...(kind === 'symlink' ? { linkname } : {}),
    });
  }
  return files;
}

export function readTarGz(archive: Buffer): TarFile[] {
  return readTar(gunzipSync(archive));
}
