/**
 * GitLab job log sections and the dotenv report, as GitLab parses them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/core/redact.js';
import type { CommandResult } from '../../../src/commands/context.js';
import { GitLabLogger, reportToGitLab, writeDotenv } from '../../../src/forges/gitlab/index.js';

describe('GitLabLogger', () => {
  it('wraps a phase in a collapsible section with matching start and end ids, secrets redacted', async () => {
    const out: string[] = [];
    const redactor = new Redactor();
    const log = new GitLabLogger({ redactor, sink: { write: (t) => void out.push(t) } });
    log.addSecret('hunter2-token');
    await log.group('deploy with hunter2-token', async () => log.info('inside'));
    const text = out.join('');
    const start = /\x1b\[0Ksection_start:(\d+):(preview_kit_\d+)\[collapsed=false\]\r\x1b\[0K(.*)\n/.exec(text);
    const end = /\x1b\[0Ksection_end:(\d+):(preview_kit_\d+)\r\x1b\[0K\n/.exec(text);
    expect(start).not.toBeNull();
    expect(end).not.toBeNull();
    expect(end![2]).toBe(start![2]);
    expect(Number(end![1])).toBeGreaterThanOrEqual(Number(start![1]));
    expect(start![3]).toBe('deploy with ***');
    expect(text.indexOf('inside')).toBeGreaterThan(start!.index);
    expect(text.indexOf('inside')).toBeLessThan(end!.index);
    expect(text).not.toContain('hunter2-token');
  });

  it('gives every section its own id', async () => {
    const out: string[] = [];
    const log = new GitLabLogger({ redactor: new Redactor(), sink: { write: (t) => void out.push(t) } });
    await log.group('one', async () => undefined);
    await log.group('two', async () => undefined);
    const ids = [...out.join('').matchAll(/section_start:\d+:(\w+)/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('reportToGitLab', () => {
  it('ends the log with the report table in an open section of its own, with no phase lines around it', async () => {
    const out: string[] = [];
    const log = new GitLabLogger({ redactor: new Redactor(), sink: { write: (t) => void out.push(t) } });
    const result = { command: 'up', name: 'shop-feature-cart', url: 'https://shop-feature-cart.example.com', commit: 'abcdef0123456789', deployed: true, plan: ['deploy application shop-feature-cart (push abcdef0)'] } as CommandResult;
    await reportToGitLab({ result, logger: log, now: new Date('2026-12-01T10:00:00Z') });
    const lines = out.join('').split('\n');
    expect(lines[0]).toMatch(/^\x1b\[0Ksection_start:\d+:preview_kit_report\[collapsed=false\]\r\x1b\[0Kpreview-kit up: shop-feature-cart$/);
    expect(lines[1]).toMatch(/^Preview\s+Commit\s+State\s+URL\s+Last deployed\s+Changed in this run$/);
    expect(lines[2]).toMatch(/^shop-feature-cart\s+abcdef012345\s+deployed\s+https:\/\/shop-feature-cart\.example\.com\s+2026-12-01T10:00:00Z\s+deploy application/);
    expect(lines[3]).toMatch(/^\x1b\[0Ksection_end:\d+:preview_kit_report\r\x1b\[0K$/);
    expect(lines.slice(4)).toEqual(['']);
  });
});

describe('writeDotenv', () => {
  it('writes KEY=VALUE lines GitLab accepts: no empty values, no newlines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pk-dotenv-'));
    const path = join(dir, 'preview.env');
    await writeDotenv(path, { PREVIEW_NAME: 'shop-x', PREVIEW_URL: 'https://shop-x.example.com', PREVIEW_ID: undefined, NOTE: 'a\nb' });
    expect(await readFile(path, 'utf8')).toBe('PREVIEW_NAME=shop-x\nPREVIEW_URL=https://shop-x.example.com\nNOTE=a b\n');
    await rm(dir, { recursive: true, force: true });
  });
});
