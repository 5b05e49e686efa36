/**
 * The label line appended to a build's Dockerfile: quoting that expands nothing, a last
 * instruction left open, bytes kept; and the tar stream edit that carries it,
 * checked on real `git archive` output (long names in the ustar prefix and in PAX records), fed in
 * chunks of every size and unpacked again by the system's tar.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editTarEntry, escapeCharOf, labelLine, labelsFitALine, withLabelLine } from '../../../src/providers/docker/dockerfile-labels.js';
import { tempRepo } from '../../helpers/cli.js';

const exec = promisify(execFile);

describe('the label line', () => {
  it("quotes values so that nothing in them is expanded or ends them: $, quotes, escape characters", () => {
    const labels = { 'preview-kit.identity': `{"branch":"fix/$HOME-'x'-\`y\`\\\\z"}`, 'a.b': 'plain' };
    expect(labelLine(labels)).toBe(`LABEL a.b='plain' preview-kit.identity='{"branch":"fix/$HOME-'"'"'x'"'"'-\`y\`\\\\z"}'`);
  });

  it('takes the escape character from the parser directives only', () => {
    expect(escapeCharOf('FROM scratch\n')).toBe('\\');
    expect(escapeCharOf('# escape=`\nFROM scratch\n')).toBe('`');
    expect(escapeCharOf('\uFEFF# syntax=docker/dockerfile:1\r\n#  ESCAPE = `\r\nFROM scratch\r\n')).toBe('`');
    // A directive after an instruction, a blank line or a comment is only a comment.
    expect(escapeCharOf('FROM scratch\n# escape=`\n')).toBe('\\');
    expect(escapeCharOf('# a comment\n# escape=`\n')).toBe('\\');
  });

  it('is appended after the last instruction, which it never continues', () => {
    const labels = { k: 'v' };
    expect(withLabelLine(Buffer.from('FROM scratch'), labels).toString()).toBe("FROM scratch\nLABEL k='v'\n");
    expect(withLabelLine(Buffer.from('FROM scratch\n'), labels).toString()).toBe("FROM scratch\nLABEL k='v'\n");
    expect(withLabelLine(Buffer.from('FROM scratch\nRUN echo a \\\n\n# done\n'), labels).toString()).toBe("FROM scratch\nRUN echo a \n\n# done\nLABEL k='v'\n");
    expect(withLabelLine(Buffer.from('# escape=`\r\nFROM scratch\r\nRUN dir `\r\n'), labels).toString()).toBe("# escape=`\r\nFROM scratch\r\nRUN dir \nLABEL k='v'\n");
  });

  it('keeps the Dockerfile bytes that are not UTF-8', () => {
    const original = Buffer.concat([Buffer.from('FROM scratch\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const out = withLabelLine(original, { k: 'é' });
    expect(out.subarray(0, original.length)).toEqual(original);
    expect(out.subarray(original.length).toString('utf8')).toBe("LABEL k='é'\n");
  });

  it('refuses labels a line cannot hold', () => {
    expect(labelsFitALine({ k: 'v', 'preview-kit.identity': '{"a":"$b"}' })).toBe(true);
    expect(labelsFitALine({ k: 'one\ntwo' })).toBe(false);
    expect(labelsFitALine({ 'k=v': 'x' })).toBe(false);
  });
});

describe('editing one entry of a tar stream', () => {
  const deep = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
  const files: Record<string, string> = {
    Dockerfile: 'FROM scratch\nCOPY . /\n',
    [`${deep}/Dockerfile`]: 'FROM scratch\n',
    [`${'p'.repeat(120)}.Dockerfile`]: 'FROM scratch\n',
    'big.bin': 'x'.repeat(70_000),
    'docker/web.Dockerfile': 'FROM scratch\nEXPOSE 80\n',
  };
  let repo: Awaited<ReturnType<typeof tempRepo>>;
  let archive: Buffer;
  let out: string;

  beforeAll(async () => {
    repo = await tempRepo(files, 'main');
    archive = (await exec('git', ['-C', repo.dir, 'archive', '--format=tar', repo.first], { encoding: 'buffer', maxBuffer: 1 << 24 })).stdout;
    out = await mkdtemp(join(tmpdir(), 'pk-tar-edit-'));
  });

  afterAll(async () => {
    await repo?.remove();
    if (out) await rm(out, { recursive: true, force: true });
  });

  async function edited(path: string, chunk: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let at = 0; at < archive.length; at += chunk) parts.push(archive.subarray(at, at + chunk));
    const stream = Readable.from(parts).pipe(editTarEntry(path, (content) => Buffer.concat([content, Buffer.from('LABEL "k"="v"\n')])));
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async function unpacked(tar: Buffer, name: string): Promise<Record<string, string>> {
    const dir = join(out, name);
    await exec('mkdir', ['-p', dir]);
    const child = execFile('tar', ['-xf', '-', '-C', dir]);
    const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    child.stdin!.end(tar);
    expect(await done).toBe(0);
    const result: Record<string, string> = {};
    for (const path of Object.keys(files)) result[path] = await readFile(join(dir, path), 'utf8');
    return result;
  }

  for (const [path, chunk] of [
    ['Dockerfile', 1],
    ['./docker/web.Dockerfile', 511],
    ['docker//./web.Dockerfile', 7],
    [`${deep}/Dockerfile`, 4096],
    [`${'p'.repeat(120)}.Dockerfile`, 65_536],
  ] as const) {
    it(`${path.length > 40 ? `${path.slice(0, 20)}…(${path.length} characters)` : path}, fed ${chunk} bytes at a time: only that file changes`, async () => {
      const tar = await edited(path, chunk);
      const got = await unpacked(tar, `${chunk}`);
      const wanted = posix.normalize(path);
      for (const [name, content] of Object.entries(files)) {
        expect(got[name], name).toBe(name === wanted ? `${content}LABEL "k"="v"\n` : content);
      }
    });
  }

  it('passes an archive without the file through unchanged', async () => {
    expect((await edited('missing/Dockerfile', 1000)).equals(archive)).toBe(true);
  });
});
