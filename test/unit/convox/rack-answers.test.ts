/**
 * What a pipeline user sees when the rack is not quite what was expected: a RACK_URL that serves a
 * web page, an app stuck `updating`, a convox.yml that cannot route the preview host.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProviderError, TimeoutError } from '../../../src/core/errors.js';
import type { FakeRack } from '../../fakes/convox/server.js';
import { GENERATIONS, harness, refFor, settingsFor, specFor, TempRepo, up, useRackAndRepo } from './helpers.js';

const NAME = 'shop-feature-cart';

let rack: FakeRack;
let repo: TempRepo;


/** A web server that answers every path with a 200 HTML page, as a mistyped RACK_URL would. */
async function webPage(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(GENERATIONS)('convox: rack answers a user must understand ($label)', ({ generation }) => {
  useRackAndRepo(generation, { create: 10, buildStart: 5, build: 10, promote: 10, delete: 10 }, (r, t) => {
    [rack, repo] = [r, t];
  });

  it('a RACK_URL that serves a web page with 200 is an error naming RACK_URL, never an app called "undefined"', async () => {
    const page = await webPage();
    try {
      const h = harness({ rackUrl: page.url, password: 'pw', domainEnv: 'PREVIEW_HOST', claimWaitMs: 100 }, { timeoutMs: 3_000 });
      for (const attempt of [() => h.provider.find(refFor(NAME)), () => h.provider.ensure(specFor(NAME)), () => h.provider.destroy(refFor(NAME)), () => h.provider.list()]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).not.toBeInstanceOf(TimeoutError);
        expect((error as ProviderError).message).toMatch(/not JSON.*Welcome to nginx/);
        expect((error as ProviderError).message).not.toMatch(/undefined/);
        expect((error as ProviderError).hint).toMatch(/RACK_URL/);
      }
    } finally {
      page.server.close();
    }
  });

  it('an app stuck "updating" times out saying so, with where to look', async () => {
    const h0 = harness(settingsFor(rack));
    await up(h0, specFor(NAME), { dir: repo.dir, commit: repo.commit('first') });
    const stuck = JSON.stringify({ name: NAME, status: 'updating', release: rack.app(NAME)!.release, generation });
    rack.setFaults([{ method: 'GET', path: `/apps/${NAME}`, status: 200, body: stuck, times: 100_000 }]);
    repo.write({ 'app.js': 'console.log("two")\n' });
    const h = harness(settingsFor(rack), { timeoutMs: 600 });
    const error = await up(h, specFor(NAME), { dir: repo.dir, commit: repo.commit('second') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/still "updating"/);
    expect((error as TimeoutError).hint).toContain(`convox apps info ${NAME}`);
  });

  it('the warning that convox.yml does not route the preview host is given once per run', async () => {
    repo.write({ 'convox.yml': 'services:\n  web:\n    build: .\n    port: 3000\n' });
    await up(harness(settingsFor(rack)), specFor(NAME), { dir: repo.dir, commit: repo.commit('no domain') });
    repo.write({ 'app.js': 'console.log("two")\n' });
    const h = harness(settingsFor(rack));
    await up(h, specFor(NAME), { dir: repo.dir, commit: repo.commit('second') });
    expect(h.logger.lines.filter((l) => l.includes('does not use ${PREVIEW_HOST}'))).toHaveLength(1);
  });
});
