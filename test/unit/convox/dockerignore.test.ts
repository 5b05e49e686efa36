import { describe, expect, it } from 'vitest';
import { IgnoreMatcher, readIgnoreFile } from '../../../src/providers/convox/dockerignore.js';

// Expected answers are Docker's (moby/patternmatcher tests and documented behaviour).
describe('.dockerignore patterns', () => {
  const single: Array<[string, string, boolean]> = [
    ['**', 'file', true],
    ['**', 'dir/file', true],
    ['**/**', 'dir/file', true],
    ['dir/**', 'dir/file', true],
    ['dir/**', 'dir/dir2/file', true],
    ['**/dir', 'dir', true],
    ['**/dir', 'dir/file', true],
    ['**/dir2/*', 'dir/dir2/file', true],
    ['**/dir2/**', 'dir/dir2/dir3/file', true],
    ['**file', 'file', true],
    ['**file', 'dir/file', true],
    ['**/file', 'dir/dir/file', true],
    ['**/file*.txt', 'dir/dir/file.txt', true],
    ['**/**/*.txt', 'dir/dir/file.txt', true],
    ['**/**/*.txt2', 'dir/dir/file.txt', false],
    ['**/*.txt', 'file.txt', true],
    ['a**/*.txt', 'a/dir/dir/file.txt', true],
    ['a/*.txt', 'a/dir/file.txt', false],
    ['a/*.txt', 'a/file.txt', true],
    ['a[b-d]e', 'ae', false],
    ['a[b-d]e', 'ace', true],
    ['a[^b-d]e', 'aze', true],
    ['.*', '.foo', true],
    ['.*', 'foo', false],
    ['abc.def', 'abcdef', false],
    ['abc.def', 'abc.def', true],
    ['abc?def', 'abcZdef', true],
    ['abc?def', 'abcdef', false],
    ['**/foo/bar', 'dir/dir2/foo/bar', true],
    ['abc/**', 'abc', false],
    ['abc/**', 'abc/def/ghi', true],
    ['**/.foo', 'bar.foo', false],
    ['*.go', '.go', true],
    ['node_modules', 'node_modules/a/b.js', true],
    ['node_modules', 'src/node_modules/a.js', false],
    ['/build', 'build/out.o', true],
    ['./docs/', 'docs/x.md', true],
    ['*', 'dir/file', true],
    ['*/*.md', 'a/b.md', true],
    ['*/*.md', 'a/b/c.md', false], // one level only, as Docker's docs say of */temp*
  ];
  it.each(single)('%s matches %s: %s', (pattern, path, expected) => {
    expect(new IgnoreMatcher(readIgnoreFile(pattern)).ignores(path)).toBe(expected);
  });

  const lists: Array<[string[], string, boolean]> = [
    [['!fileutils.go', '*.go'], 'fileutils.go', true],
    [['*.go', '!fileutils.go'], 'fileutils.go', false],
    [['docs', '!docs/README.md'], 'docs/README.md', false],
    [['docs/', '!docs/README.md'], 'docs/README.md', false],
    [['docs/*', '!docs/README.md'], 'docs/README.md', false],
    [['docs/*', '!docs/README.md'], 'docs/other.md', true],
    [['*.log', '!keep.log'], 'keep.log', false],
    [['*.log', '!keep.log', 'keep.log'], 'keep.log', true],
  ];
  it.each(lists)('%j on %s: %s', (patterns, path, expected) => {
    expect(new IgnoreMatcher(readIgnoreFile(patterns.join('\n'))).ignores(path)).toBe(expected);
  });

  it('reads the file as Docker does: BOM, comments, blank lines, ! with spaces, leading slash', () => {
    expect(readIgnoreFile('\uFEFF# comment\n\n  /tmp/ \n! keep \n./a/../b\n #not a comment\n')).toEqual(['tmp', '!keep', 'b', '#not a comment']);
  });

  it('an empty file ignores nothing', () => {
    const m = IgnoreMatcher.fromFile('');
    expect(m.empty).toBe(true);
    expect(m.ignores('anything/at/all')).toBe(false);
  });

  it('refuses a lone "!"', () => {
    expect(() => new IgnoreMatcher(['!'])).toThrow(/"!"/);
  });
});
