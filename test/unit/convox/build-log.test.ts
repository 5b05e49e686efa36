import { describe, expect, it } from 'vitest';
import { BuildFailedError } from '../../../src/providers/convox/provider.js';
import { telltaleLine } from '../../../src/providers/convox/build-log.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { GENERATIONS, harness, settingsFor, specFor, TempRepo, useRackAndRepo } from './helpers.js';

describe('the line that says why a build failed', () => {
  it('skips the builder’s own "build failed" and picks the first cause', () => {
    const log = ['Building: web', 'Running: docker build -t web .', 'npm ERR! missing script: build', 'npm ERR! A complete log of this run can be found in /root/.npm/_logs', 'ERROR: build failed'];
    expect(telltaleLine(log)).toBe('npm ERR! missing script: build');
  });

  it('finds Docker’s non-zero exit behind "exit status 1"', () => {
    const log = ['Step 4/6 : RUN make', "The command '/bin/sh -c make' returned a non-zero code: 2", 'ERROR: exit status 1'];
    expect(telltaleLine(log)).toBe("The command '/bin/sh -c make' returned a non-zero code: 2");
  });

  it('falls back to the last line when nothing looks like a cause', () => {
    expect(telltaleLine(['Building: web', 'ERROR: build failed'])).toBe('Building: web');
    expect(telltaleLine(['ERROR: build failed'])).toBe('ERROR: build failed');
    expect(telltaleLine([])).toBe('');
  });
});

describe.each(GENERATIONS)('a failed build on a $label', ({ generation }) => {
  let rack: FakeRack;
  let repo: TempRepo;
  useRackAndRepo(generation, { create: 10, buildStart: 5, build: 10, promote: 10, delete: 10 }, (r, t) => {
    [rack, repo] = [r, t];
  });

  it('names the cause in the one-line error, not the builder’s "build failed"', async () => {
    const h = harness(settingsFor(rack));
    const ensured = await h.provider.ensure(specFor('shop-feature-cart'));
    rack.failNextBuild('npm ERR! missing script: build\nnpm ERR! A complete log of this run can be found in /root/.npm/_logs');
    const error = await h.provider.deploy(ensured.preview, specFor('shop-feature-cart'), { dir: repo.dir, commit: repo.commit('first'), force: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(/failed: npm ERR! missing script: build$/);
  });
});
