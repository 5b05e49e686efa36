/**
 * Managed clusters authenticate through exec credential plugins (issue 10: "the provider refuses
 * every exec plugin"). The kubeconfig stanzas AKS (kubelogin), EKS (`aws eks get-token`) and GKE
 * (gke-gcloud-auth-plugin) write, with small stand-in plugins on PATH, against the fake API server
 * that accepts exactly the tokens the plugins hand out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/core/errors.js';
import { makeCertificates, MANAGED_ANSWERS, MANAGED_STANZAS, pluginRuns, startFakeKubernetes, writeKubeconfig, writePlugin, type FakeKubernetes } from '../../fakes/kubernetes/index.js';
import { runCli, tempRepo } from '../../helpers/cli.js';
import { COMMIT_A, makeProvider, type ProviderSetup } from './helpers.js';

type Shape = keyof typeof MANAGED_STANZAS;

let fake: FakeKubernetes;
let dir: string;
let bin: string;
let state: string;
const closers: Array<{ close(): void }> = [];

beforeEach(async () => {
  fake = await startFakeKubernetes({ readyDelayMs: 10, deletionDelayMs: 5, controllerIntervalMs: 5, namespaces: ['previews'] });
  dir = mkdtempSync(join(tmpdir(), 'k8s-exec-'));
  bin = join(dir, 'bin');
  state = join(dir, 'state');
});

afterEach(async () => {
  for (const c of closers.splice(0)) c.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A provider whose kubeconfig user is this exec stanza; the plugin inherits `env` and finds `bin` on PATH. */
function withPlugin(exec: Record<string, unknown>, env: Record<string, string>, setup: ProviderSetup = {}) {
  const kubeconfig = writeKubeconfig(fake, dir, { namespace: 'previews', exec });
  const environ = () => ({ PATH: `${bin}:${process.env.PATH}`, PLUGIN_STATE: state, ...env });
  const made = makeProvider(kubeconfig, { ...setup, tuning: { environ } });
  closers.push(made.provider);
  return made;
}

describe('kubernetes with the exec plugins of managed clusters', () => {
  it.each(Object.keys(MANAGED_STANZAS) as Shape[])('%s: the kubeconfig its CLI writes works for up, find and stop', async (shape) => {
    const stanza = MANAGED_STANZAS[shape];
    writePlugin(join(bin, stanza.command), MANAGED_ANSWERS[shape]);
    fake.tokens.add(`${shape}-token-1`);
    const p = withPlugin(stanza as unknown as Record<string, unknown>, { PLUGIN_TOKEN_PREFIX: `${shape}-token-`, PLUGIN_SHOW: 'AWS_PROFILE' });
    const { deployed } = await p.up(COMMIT_A);
    expect(deployed.deployed).toBe(true);
    expect(await p.provider.find(p.ref)).toMatchObject({ name: p.name });
    expect((await p.provider.destroy(p.ref)).deleted).toBe(true);
    const runs = pluginRuns(state);
    // One run for the whole process: the token has no expiry.
    expect(runs).toHaveLength(1);
    expect(runs[0]!.argv).toEqual('args' in stanza ? stanza.args : []);
    expect(runs[0]!.stdin).toBe('');
    const info = JSON.parse(runs[0]!.info!);
    expect(info).toMatchObject({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', spec: { interactive: false } });
    if (shape === 'eks') expect(runs[0]!.env).toEqual({ AWS_PROFILE: 'ci' });
    if (shape === 'gke') expect(info.spec.cluster).toEqual({ server: fake.url, config: null });
    else expect(info.spec.cluster).toBeUndefined();
    expect(fake.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('a token the API server stops accepting: the plugin runs again once and the request is sent again', async () => {
    writePlugin(join(bin, 'kubelogin'));
    fake.tokens.add('rotating-1');
    const p = withPlugin(MANAGED_STANZAS.aks as unknown as Record<string, unknown>, { PLUGIN_TOKEN_PREFIX: 'rotating-' });
    await p.up(COMMIT_A);
    fake.tokens.delete('rotating-1');
    fake.tokens.add('rotating-2');
    fake.resetLog();
    expect(await p.provider.find(p.ref)).toMatchObject({ name: p.name });
    // The listings go out together: each one refused is sent again, and the plugin ran once for all of them.
    expect(pluginRuns(state)).toHaveLength(2);
    const refused = fake.requests.filter((r) => r.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(fake.requests.filter((q) => q.path === r.path && q.status === 200)).toHaveLength(1);

    // Refused again: exit 3 after one more run, not a loop.
    fake.tokens.delete('rotating-2');
    const error = await p.provider.find(p.ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(3);
    expect((error as AuthError).hint).toMatch(/exec plugin kubelogin/);
    expect(pluginRuns(state)).toHaveLength(3);
  });

  it('a token past its expirationTimestamp is not sent: the plugin is asked again', async () => {
    writePlugin(join(bin, 'aws'));
    for (let n = 1; n <= 50; n++) fake.tokens.add(`short-${n}`);
    const p = withPlugin(MANAGED_STANZAS.eks as unknown as Record<string, unknown>, { PLUGIN_TOKEN_PREFIX: 'short-', PLUGIN_EXPIRES_IN: '-60' });
    await p.provider.find(p.ref);
    await p.provider.find(p.ref);
    expect(pluginRuns(state).length).toBeGreaterThanOrEqual(2);
    expect(fake.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('a plugin that gives a client certificate authenticates over TLS', async () => {
    const certs = makeCertificates();
    if (!certs) return;
    await fake.close();
    fake = await startFakeKubernetes({ namespaces: ['previews'], tls: { key: certs.serverKey, cert: certs.serverCert, clientCa: certs.ca } });
    writePlugin(join(bin, 'cert-plugin'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'c.crt'), certs.clientCert);
    writeFileSync(join(dir, 'c.key'), certs.clientKey);
    const kubeconfig = writeKubeconfig(fake, dir, { namespace: 'previews', ca: certs.ca, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'cert-plugin', interactiveMode: 'Never' } });
    const environ = () => ({ PATH: `${bin}:${process.env.PATH}`, PLUGIN_STATE: state, PLUGIN_MODE: 'cert', PLUGIN_CERT: join(dir, 'c.crt'), PLUGIN_KEY: join(dir, 'c.key') });
    const p = makeProvider(kubeconfig, { tuning: { environ } });
    closers.push(p.provider);
    expect(await p.provider.find(p.ref)).toBeUndefined();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.status === 200)).toBe(true);
  });
});

describe('kubernetes CLI with an AKS kubeconfig (kubelogin)', () => {
  let repo: Awaited<ReturnType<typeof tempRepo>>;
  let cliFake: FakeKubernetes;
  let cliDir: string;
  let kubeconfig: string;
  const args = ['--provider', 'kubernetes', '--app', 'shop', '--branch', 'aks', '--image', 'registry.example.com/shop:{shortCommit}', '--timeout', '1m'];

  beforeAll(async () => {
    // Each CLI process runs the plugin once; the plugin counts its runs across processes.
    cliFake = await startFakeKubernetes({ namespaces: ['previews'], tokens: Array.from({ length: 9 }, (_, i) => `aks-cli-token-${i + 1}`) });
    cliDir = mkdtempSync(join(tmpdir(), 'k8s-exec-cli-'));
    writePlugin(join(cliDir, 'bin', 'kubelogin'));
    kubeconfig = writeKubeconfig(cliFake, cliDir, { namespace: 'previews', exec: MANAGED_STANZAS.aks as unknown as Record<string, unknown> });
    repo = await tempRepo({ 'index.html': '<h1>aks</h1>\n' }, 'aks');
  });

  afterAll(async () => {
    await cliFake?.close();
    await repo?.remove();
    if (cliDir) rmSync(cliDir, { recursive: true, force: true });
  });

  const run = (command: string, env: Record<string, string>, extra: string[] = []) =>
    runCli([command, ...args, ...extra], { cwd: repo.dir, env: { KUBECONFIG: kubeconfig, PLUGIN_TOKEN_PREFIX: 'aks-cli-token-', PLUGIN_STATE: join(cliDir, 'state'), ...env } });

  it('up and stop work, and the token never shows, --debug included, even when the plugin prints it', async () => {
    const env = { PATH: `${join(cliDir, 'bin')}:${process.env.PATH}`, PLUGIN_LEAK: '1' };
    const up = await run('up', env, ['--debug', '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('exec plugin kubelogin');
    const stop = await run('stop', env, ['--debug']);
    expect(stop.code, stop.stderr).toBe(0);
    for (const r of [up, stop]) expect(`${r.stdout}${r.stderr}`).not.toContain('aks-cli-token-');
  });

  it('without kubelogin on PATH: exit 3 with the kubeconfig’s install hint', async () => {
    const r = await run('status', { PATH: process.env.PATH ?? '/usr/bin:/bin' });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('executable kubelogin not found');
    expect(r.stderr).toContain('kubelogin is not installed which is required to connect to AAD enabled cluster.');
  });

  it('a failing kubelogin: exit 3 with the end of what it said', async () => {
    const r = await run('status', { PATH: `${join(cliDir, 'bin')}:${process.env.PATH}`, PLUGIN_MODE: 'fail' });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/kubelogin failed with exit code 1: Error: failed to authenticate: AADSTS7000215/);
  });
});
