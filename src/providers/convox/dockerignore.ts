/**
 * `.dockerignore` matching with Docker's rules, which is what `convox deploy` applies when it
 * packs the source: a line per pattern, `#` comments, `!` re-includes, the last matching pattern
 * wins, `*` and `?` stay within one path segment, `**` crosses segments, and a pattern that
 * matches a directory excludes everything below it.
 */
import { posix } from 'node:path';

interface Pattern {
  /** A `!` line: re-includes what earlier lines excluded. */
  exclusion: boolean;
  test: (path: string) => boolean;
}

/** Lines of a `.dockerignore` file as Docker reads them (BOM, comments, cleaning, leading `/`). */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const raw of lines) {
    // Comments are recognised before trimming, as Docker does: ` # x` is a pattern.
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = clean(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

/** Go's filepath.Clean for slash paths: no `.`, no `..` where resolvable, no double or trailing slash. */
function clean(path: string): string {
  if (path === '') return '.';
  const normal = posix.normalize(path);
  const trimmed = normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
  return trimmed === '' ? '.' : trimmed;
}

const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

function compile(pattern: string): (path: string) => boolean {
  let re = '^';
  type Kind = 'exact' | 'prefix' | 'suffix' | 'regexp';
  let kind: Kind = 'exact';
  const chars = [...pattern];
  for (let i = 0, index = 0; i < chars.length; i++, index++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        if (i + 1 >= chars.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            re += '.*';
            kind = 'regexp';
          }
        } else {
          re += '(.*/)?';
          kind = 'regexp';
        }
        if (index === 0) kind = 'suffix';
      } else {
        re += '[^/]*';
        kind = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += `\\${chars[++i]}`;
        kind = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      kind = 'regexp';
    } else {
      re += ch;
    }
  }
  switch (kind) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    default: {
      let regexp: RegExp;
      try {
        regexp = new RegExp(`${re}$`);
      } catch {
        throw new Error(`invalid .dockerignore pattern "${pattern}"`);
      }
      return (path) => regexp.test(path);
    }
  }
}

export class IgnoreMatcher {
  private readonly patterns: Pattern[] = [];

  constructor(lines: string[]) {
    for (const line of lines) {
      let p = line.trim();
      if (p === '') continue;
      p = clean(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new Error('invalid .dockerignore pattern "!"');
        exclusion = true;
        p = p.slice(1);
      }
      this.patterns.push({ exclusion, test: compile(p) });
    }
  }

  static fromFile(text: string): IgnoreMatcher {
    return new IgnoreMatcher(readIgnoreFile(text));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Whether a file (slash path relative to the context) is left out: it or one of its directories matches. */
  ignores(file: string): boolean {
    const path = clean(file);
    if (path === '.') return false;
    const dirs = posix.dirname(path).split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      // A pattern can only flip the current answer: excludes when kept, re-includes when excluded.
      if (pattern.exclusion !== matched) continue;
      let match = pattern.test(path);
      if (!match && dirs[0] !== '.') {
        for (let i = 1; i <= dirs.length && !match; i++) match = pattern.test(dirs.slice(0, i).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}
