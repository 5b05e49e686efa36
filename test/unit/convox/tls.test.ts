/**
 * Racks behind a self-signed certificate, the usual case: a loopback TLS terminator with a
 * throwaway certificate in front of the fake rack. Verification stays on by default and fails
 * fast with a hint; --rack-ca-file trusts the certificate; --rack-insecure-skip-tls-verify
 * accepts any, with a warning. Checked at the provider and through the built CLI (whose undici
 * is loaded lazily from its own chunk).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../../src/core/errors.js';
import { networkFailure } from '../../../src/providers/http.js';
import { convoxSchema } from '../../../src/providers/convox/settings.js';
import { startFakeRack, type FakeRack } from '../../fakes/convox/server.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { followBuildLog } from '../../../src/providers/convox/build-stream.js';
import { APP_FILES, harness, refFor, settingsFor, specFor, TempRepo, up } from './helpers.js';

interface SelfSigned {
  dir: string;
  certFile: string;
  cert: string;
  key: string;
}

/** A self-signed certificate for 127.0.0.1, as `convox rack install` leaves on a rack; undefined without openssl. */
function selfSigned(): SelfSigned | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pk-convox-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'rack.key', '-out', 'rack.crt', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const certFile = join(dir, 'rack.crt');
  return { dir, certFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(join(dir, 'rack.key'), 'utf8') };
}

/** TLS in front of the plain-HTTP fake rack; counts TCP connections (one per attempt at a handshake). */
async function tlsFront(rack: FakeRack, certificate: SelfSigned): Promise<{ url: string; urlWithPassword: string; connections: () => number; server: TlsServer }> {
  const backend = new URL(rack.url);
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: certificate.key, cert: certificate.cert }, (clear) => {
    const upstream = connect(Number(backend.port), backend.hostname);
    clear.pipe(upstream).pipe(clear);
    const close = () => {
      clear.destroy();
      upstream.destroy();
    };
    clear.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  return {
    url: `https://127.0.0.1:${port}`,
    urlWithPassword: `https://convox:${encodeURIComponent(rack.password)}@127.0.0.1:${port}`,
    connections: () => connections,
    server,
  };
}

const certificate = selfSigned();
const NAME = 'shop-feature-cart';
const HINT = /--rack-ca-file.*--rack-insecure-skip-tls-verify/;

describe('TLS failures are classified, not retried', () => {
  const fetchError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });
  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'certificate'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'certificate'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'certificate'],
    ['CERT_HAS_EXPIRED', 'certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'protocol'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'protocol'],
  ])('%s → %s, final', (code, kind) => {
    expect(networkFailure(fetchError(code), 30_000)).toMatchObject({ retryable: false, tls: kind });
  });
  it('a reset connection is still worth another try, and not a TLS problem', () => {
    const failure = networkFailure(fetchError('ECONNRESET'), 30_000);
    expect(failure.retryable).toBe(true);
    expect(failure.tls).toBeUndefined();
  });
});

describe('convox settings for the rack certificate', () => {
  it('verification is on unless asked otherwise; the CA file is only a path until the provider reads it', () => {
    const base = { rackUrl: 'https://convox:pw@rack.example.test' };
    expect(convoxSchema.parse(base)).toMatchObject({ insecureSkipTlsVerify: false });
    expect(convoxSchema.parse(base).rackCaFile).toBeUndefined();
    expect(convoxSchema.parse({ ...base, insecureSkipTlsVerify: true, rackCaFile: ' /nowhere/ca.pem ' })).toMatchObject({ insecureSkipTlsVerify: true, rackCaFile: '/nowhere/ca.pem' });
  });

  it('an unreadable or non-PEM CA file is a configuration error (exit 2) when the provider is made', () => {
    expect(() => harness({ rackUrl: 'https://127.0.0.1:1', password: 'pw', domainEnv: 'PREVIEW_HOST', claimWaitMs: 100, rackCaFile: join(tmpdir(), 'pk-no-such-ca.pem') })).toThrow(ConfigError);
    const dir = mkdtempSync(join(tmpdir(), 'pk-convox-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'not a certificate\n');
      expect(() => harness({ rackUrl: 'https://127.0.0.1:1', password: 'pw', domainEnv: 'PREVIEW_HOST', claimWaitMs: 100, rackCaFile: join(dir, 'ca.pem') })).toThrow(/no PEM certificate/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!certificate)('convox: a rack with a self-signed certificate', () => {
  let rack: FakeRack;
  let front: Awaited<ReturnType<typeof tlsFront>>;
  let repo: TempRepo;

  beforeAll(async () => {
    rack = await startFakeRack({ delays: { create: 10, buildStart: 5, build: 10, promote: 10, delete: 10 } });
    front = await tlsFront(rack, certificate!);
    repo = new TempRepo(APP_FILES);
  });

  afterAll(async () => {
    await new Promise((resolve) => front?.server.close(resolve));
    await rack?.close();
    repo?.remove();
    if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
  });

  it('by default the certificate is refused after one attempt: exit 5 with a hint naming both options, and no request reached the rack', async () => {
    const h = harness({ ...settingsFor(rack), rackUrl: front.url });
    const [before, requestsBefore] = [front.connections(), rack.requests.length];
    const error = await h.provider.find(refFor(NAME)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    const e = error as ProviderError;
    expect(e.exitCode).toBe(5);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/self-signed TLS certificate/);
    expect(e.hint).toMatch(HINT);
    expect(front.connections() - before).toBe(1);
    expect(rack.requests.length).toBe(requestsBefore);
    expect(h.logger.lines.filter((l) => l.startsWith('warn:'))).toEqual([]);
  });

  it('with --rack-ca-file the whole flow runs over TLS, and nothing is said about it', async () => {
    const h = harness(settingsFor(rack, { rackUrl: front.url, rackCaFile: certificate!.certFile }));
    const commit = repo.commit('first');
    const requestsBefore = rack.requests.length;
    const result = await up(h, specFor(NAME), { dir: repo.dir, commit });
    expect(result.deployed.deployed).toBe(true);
    expect(rack.app(NAME)?.status).toBe('running');
    expect(rack.requests.length).toBeGreaterThan(requestsBefore);
    expect(h.logger.lines.filter((l) => l.startsWith('warn:'))).toEqual([]);
  });

  it('the build log stream (a websocket) trusts the rack the same way', async () => {
    const trusted = harness(settingsFor(rack, { rackUrl: front.url, rackCaFile: certificate!.certFile }));
    const before = rack.requests.length;
    await followBuildLog(trusted.provider.rack, NAME, 'BNOPENOPENO').ended;
    // The rack's answer came over the socket: it was upgraded (101) through TLS with the given CA.
    expect(rack.requests.slice(before)).toMatchObject([{ path: `/apps/${NAME}/builds/BNOPENOPENO/logs`, status: 101 }]);
    expect(trusted.logger.text()).toMatch(/log stream ended \(ERROR: build not found: BNOPENOPENO\)/);
    const refused = harness(settingsFor(rack, { rackUrl: front.url }));
    await followBuildLog(refused.provider.rack, NAME, 'BNOPENOPENO').ended;
    expect(rack.requests.length).toBe(before + 1);
    expect(refused.logger.text()).not.toContain(refused.provider.rack.settings.password);
  });

  it('a CA file that is not the rack\'s is still refused, fast', async () => {
    const other = selfSigned()!;
    try {
      const h = harness(settingsFor(rack, { rackUrl: front.url, rackCaFile: other.certFile }));
      const before = front.connections();
      await expect(h.provider.find(refFor(NAME))).rejects.toMatchObject({ retryable: false, hint: expect.stringMatching(HINT) });
      expect(front.connections() - before).toBe(1);
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  });

  it('with --rack-insecure-skip-tls-verify it works and warns once', async () => {
    const h = harness(settingsFor(rack, { rackUrl: front.url, insecureSkipTlsVerify: true }));
    expect((await h.provider.find(refFor(NAME)))?.name).toBe(NAME);
    await h.provider.find(refFor(NAME));
    const warnings = h.logger.lines.filter((l) => l.startsWith('warn:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not verifying the rack TLS certificate/);
  });

  it('an https URL on a port that speaks plain HTTP fails at once and says to check the scheme', async () => {
    const h = harness(settingsFor(rack, { rackUrl: rack.url.replace(/^http:/, 'https:'), rackCaFile: certificate!.certFile }));
    const requestsBefore = rack.requests.length;
    const error = (await h.provider.find(refFor(NAME)).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/wrong version number/);
    expect(error.hint).toMatch(/scheme/);
    expect(rack.requests.length).toBe(requestsBefore);
  });

  describe.skipIf(!existsSync(CLI))('through the built CLI', () => {
    const status = (env: Record<string, string>, extra: string[] = []) =>
      runCli(['status', '--provider', 'convox', '--app', 'shop', '--branch', 'feature/cart', '--timeout', '1m', ...extra], { cwd: repo.dir, env: { RACK_URL: front.urlWithPassword, ...env } });
    let cliName = '';

    beforeAll(async () => {
      // The CLI names the preview with a hash suffix: make that app, over TLS, for status to find.
      cliName = (await runCli(['name', '--app', 'shop', '--branch', 'feature/cart'])).stdout.trim();
      expect(cliName).toMatch(/^shop-feature-cart-/);
      await harness(settingsFor(rack, { rackUrl: front.url, rackCaFile: certificate!.certFile })).provider.ensure(specFor(cliName));
    });

    it('default: exit 5 after one connection, with the hint', async () => {
      const before = front.connections();
      const r = await status({});
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toMatch(/self-signed TLS certificate/);
      expect(r.stderr).toMatch(HINT);
      expect(r.stderr).not.toContain(rack.password);
      expect(front.connections() - before).toBe(1);
    });

    it('--rack-ca-file: the preview is found', async () => {
      const r = await status({}, ['--rack-ca-file', certificate!.certFile, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ name: cliName });
      expect(r.stderr).not.toMatch(/not verifying/);
    });

    it('CONVOX_INSECURE_SKIP_TLS_VERIFY=true: the preview is found, with one warning', async () => {
      const r = await status({ CONVOX_INSECURE_SKIP_TLS_VERIFY: 'true' }, ['--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ name: cliName });
      expect(r.stderr.match(/not verifying the rack TLS certificate/g)).toHaveLength(1);
    });
  });
});
