import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { packSource } from '../../../src/providers/convox/source.js';
import { readTarGz } from '../../fakes/convox/tar.js';
import { APP_FILES, TempRepo } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function repo(files: ConstructorParameters<typeof TempRepo>[0]): TempRepo {
  const r = new TempRepo(files);
  repos.push(r);
  return r;
}

describe('packSource', () => {
  it('packs the commit minus what .dockerignore leaves out', async () => {
    const r = repo(APP_FILES);
    const sha = r.commit();
    const packed = await packSource(r.dir, sha);
    const files = readTarGz(packed.data);
    const paths = files.filter((f) => f.type === 'file').map((f) => f.path).sort();
    expect(paths).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'convox.yml', 'keep.log']);
    expect(packed.files).toBe(5);
    expect(packed.ignored).toBe(2);
    expect(files.find((f) => f.path === 'app.js')!.data.toString()).toBe(APP_FILES['app.js']);
  });

  it('takes the commit, not the working tree', async () => {
    const r = repo(APP_FILES);
    const first = r.commit();
    r.write({ 'app.js': 'changed but not committed\n', 'new.txt': 'untracked\n' });
    const files = readTarGz((await packSource(r.dir, first)).data);
    expect(files.find((f) => f.path === 'app.js')!.data.toString()).toBe(APP_FILES['app.js']);
    expect(files.some((f) => f.path === 'new.txt')).toBe(false);
    expect(files.some((f) => f.path.startsWith('.git/'))).toBe(false);
  });

  it('uses the .dockerignore of that commit', async () => {
    const r = repo({ ...APP_FILES, '.dockerignore': 'app.js\n' });
    const sha = r.commit();
    r.write({ '.dockerignore': '' });
    r.commit();
    const files = readTarGz((await packSource(r.dir, sha)).data);
    expect(files.some((f) => f.path === 'app.js')).toBe(false);
    expect(files.some((f) => f.path === 'node_modules/left/index.js')).toBe(true);
  });

  it('keeps modes, symlinks, long and non-ASCII names, and parent directories', async () => {
    const long = `${'deep/'.repeat(25)}file.txt`;
    const r = repo({
      'bin/run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o755 },
      'link.js': { symlink: 'app.js' },
      'app.js': 'x\n',
      [long]: 'far down\n',
      'données/été.txt': 'accents\n',
    });
    const files = readTarGz((await packSource(r.dir, r.commit())).data);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(byPath.get('bin/run.sh')!.mode).toBe(0o755);
    expect(byPath.get('app.js')!.mode).toBe(0o644);
    expect(byPath.get('link.js')).toMatchObject({ type: 'symlink', linkname: 'app.js' });
    expect(byPath.get(long)!.data.toString()).toBe('far down\n');
    expect(byPath.get('données/été.txt')!.data.toString()).toBe('accents\n');
    expect(byPath.get('bin')!.type).toBe('dir');
    expect(byPath.get('deep/deep')!.type).toBe('dir');
  });

  it('agrees with GNU tar on what it wrote', async () => {
    const r = repo(APP_FILES);
    const packed = await packSource(r.dir, r.commit());
    const out = mkdtempSync(join(tmpdir(), 'pk-untar-'));
    try {
      execFileSync('tar', ['-xzf', '-', '-C', out], { input: packed.data });
      const listed = execFileSync('tar', ['-tzf', '-'], { input: packed.data, encoding: 'utf8' }).trim().split('\n').sort();
      expect(listed).toContain('app.js');
      expect(listed).toContain('keep.log');
      expect(listed).not.toContain('debug.log');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('is reproducible: same commit, same bytes', async () => {
    const r = repo(APP_FILES);
    const sha = r.commit();
    const a = await packSource(r.dir, sha);
    const b = await packSource(r.dir, sha);
    expect(Buffer.compare(a.data, b.data)).toBe(0);
  });

  it('says so when the commit is not in the repository', async () => {
    const r = repo(APP_FILES);
    r.commit();
    await expect(packSource(r.dir, '0123456789abcdef0123456789abcdef01234567')).rejects.toBeInstanceOf(ConfigError);
  });
});
