import { describe, expect, it } from 'vitest';
import { PlainLogger, progressState } from '../../../src/core/logger.js';
import { Redactor } from '../../../src/core/redact.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (text: string) => void chunks.push(text) };
}

describe('progress lines', () => {
  it.each([
    ['deployment abc1234: WIP 12s', 'deployment abc1234: WIP …'],
    ['https://x.example.com/: HTTP 503 after 1.5s', 'https://x.example.com/: HTTP 503 after …'],
    ['build B123: running (2m3s)', 'build B123: running (…)'],
    ['waiting 800ms', 'waiting …'],
    // Hex digits and names that merely contain a digit and a unit letter stay as they are.
    ['deploy e50a4b2 to app-4s-x', 'deploy e50a4b2 to app-4s-x'],
  ])('%s has the state %s', (message, state) => expect(progressState(message)).toBe(state));

  it('a non-TTY log gets one line per state, not one per poll', () => {
    const out = sink(false);
    const logger = new PlainLogger({ redactor: new Redactor(), sink: out });
    for (const s of [1, 2, 4, 7, 11]) logger.progress(`deployment abc1234: WIP ${s}s`);
    logger.progress('deployment abc1234: OK 12s');
    logger.progress('deployment abc1234: OK 13s');
    expect(out.chunks).toEqual(['  … deployment abc1234: WIP 1s\n', '  … deployment abc1234: OK 12s\n']);
  });

  it('a TTY gets every update, rewritten in place', () => {
    const out = sink(true);
    const logger = new PlainLogger({ redactor: new Redactor(), sink: out });
    logger.progress('deployment abc1234: WIP 1s');
    logger.progress('deployment abc1234: WIP 2s');
    logger.info('done');
    expect(out.chunks.join('')).toBe('\r\x1b[2K  … deployment abc1234: WIP 1s\r\x1b[2K  … deployment abc1234: WIP 2s\ndone\n');
  });

  it('a new group may repeat a state the previous one showed', async () => {
    const out = sink(false);
    const logger = new PlainLogger({ redactor: new Redactor(), sink: out, now: () => 0 });
    await logger.group('one', async () => logger.progress('waiting 1s'));
    await logger.group('two', async () => logger.progress('waiting 1s'));
    expect(out.chunks.filter((c) => c.includes('waiting'))).toHaveLength(2);
  });
});
