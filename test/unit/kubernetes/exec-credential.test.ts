/**
 * Exec credential plugins run as client-go runs them, with a small plugin script written into a
 * temp dir: what the plugin is given (args, env, KUBERNETES_EXEC_INFO, no stdin), what its answer
 * must be, how long a credential is kept, and what a person reads when it goes wrong.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AuthError, ConfigError } from '../../../src/core/errors.js';
import { Deadline, type Clock } from '../../../src/core/retry.js';
import { ExecCredentials } from '../../../src/providers/kubernetes/exec-credential.js';
import { resolveConnection, nodeFiles } from '../../../src/providers/kubernetes/kubeconfig.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import { makeCertificates } from '../../fakes/kubernetes/tls.js';
import { pluginRuns, writePlugin, type PluginOptions } from '../../fakes/kubernetes/exec-plugin.js';
import { MemoryLogger } from '../../integration/kubernetes/helpers.js';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

let dir: string;
let state: string;
let bin: string;
let now: number;
const clock: Clock = { now: () => now, sleep: async () => undefined };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exec-plugin-'));
  state = join(dir, 'state');
  bin = join(dir, 'bin');
  now = Date.now();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Setup {
  exec: Record<string, unknown>;
  plugin?: PluginOptions & { name?: string };
  env?: Record<string, string>;
  cluster?: Record<string, unknown>;
}

/** A kubeconfig with this exec stanza, the plugin script in `bin`, and the source that runs it. */
function setup({ exec, plugin = {}, env = {}, cluster = {} }: Setup) {
  writePlugin(join(bin, plugin.name ?? 'plugin'), plugin);
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    stringify({
      clusters: [{ name: 'c', cluster: { server: 'https://api.example.test:6443', ...cluster } }],
      users: [{ name: 'ci', user: { exec } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'ci' } }],
      'current-context': 'x',
    }),
  );
  const connection = resolveConnection(kubernetesSchema.parse({ kubeconfig: path }), nodeFiles);
  const logger = new MemoryLogger();
  const environ = () => ({ PATH: `${bin}:${process.env.PATH}`, HOME: dir, PLUGIN_STATE: state, PARENT_ONLY: 'from-parent', K8S_TOKEN: 'withheld-token-value', ...env });
  const source = new ExecCredentials({ plugin: connection.exec!, logger, deadline: new Deadline(86_400_000, clock), environ, withheld: ['K8S_TOKEN'] });
  return { source, logger, connection };
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error);

describe('exec credential plugins', () => {
  it('v1: gets a token, with args, env entries over the parent env, KUBERNETES_EXEC_INFO and no stdin; keeps it without expiry', async () => {
    const { source } = setup({
      exec: { apiVersion: V1, command: 'plugin', args: ['get-token', '--server-id', 'abc'], env: [{ name: 'FROM_KUBECONFIG', value: 'yes' }, { name: 'PARENT_ONLY', value: 'overridden' }], interactiveMode: 'Never' },
      env: { PLUGIN_SHOW: 'FROM_KUBECONFIG,PARENT_ONLY,K8S_TOKEN,HOME' },
    });
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    const runs = pluginRuns(state);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.argv).toEqual(['get-token', '--server-id', 'abc']);
    expect(JSON.parse(runs[0]!.info!)).toEqual({ kind: 'ExecCredential', apiVersion: V1, spec: { interactive: false } });
    expect(runs[0]!.env).toEqual({ FROM_KUBECONFIG: 'yes', PARENT_ONLY: 'overridden', K8S_TOKEN: null, HOME: dir });
    expect(runs[0]!.stdin).toBe('');
  });

  it('v1beta1: interactiveMode defaults to IfAvailable and the plugin still gets no terminal', async () => {
    const { source, connection } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin', args: null, env: null } });
    expect(connection.exec?.interactiveMode).toBe('IfAvailable');
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    expect(JSON.parse(pluginRuns(state)[0]!.info!)).toEqual({ kind: 'ExecCredential', apiVersion: V1BETA1, spec: { interactive: false } });
  });

  it('passes the cluster, with its exec extension, when provideClusterInfo is set', async () => {
    const { source } = setup({
      exec: { apiVersion: V1BETA1, command: 'plugin', provideClusterInfo: true },
      cluster: { 'certificate-authority-data': Buffer.from('CA').toString('base64'), extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'previews' } }] },
    });
    await source.get();
    const info = JSON.parse(pluginRuns(state)[0]!.info!);
    expect(info.spec).toEqual({ interactive: false, cluster: { server: 'https://api.example.test:6443', 'certificate-authority-data': Buffer.from('CA').toString('base64'), config: { audience: 'previews' } } });
  });

  it('gets a client certificate and key', async () => {
    const certs = makeCertificates();
    if (!certs) return;
    writeFileSync(join(dir, 'c.crt'), certs.clientCert);
    writeFileSync(join(dir, 'c.key'), certs.clientKey);
    const { source } = setup({ exec: { apiVersion: V1, command: 'plugin', interactiveMode: 'Never' }, env: { PLUGIN_MODE: 'cert', PLUGIN_CERT: join(dir, 'c.crt'), PLUGIN_KEY: join(dir, 'c.key') } });
    const credential = await source.get();
    expect(credential.token).toBeUndefined();
    expect(credential.cert?.toString()).toBe(certs.clientCert);
    expect(credential.key?.toString()).toBe(certs.clientKey);
  });

  it('keeps a token until its expirationTimestamp, then runs the plugin again', async () => {
    const { source } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' }, env: { PLUGIN_EXPIRES_IN: '3600' } });
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    now += 30 * 60_000;
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    now += 31 * 60_000;
    expect(await source.get()).toEqual({ token: 'plugin-token-2' });
    expect(pluginRuns(state)).toHaveLength(2);
  });

  it('runs one plugin at a time: concurrent requests share its answer', async () => {
    const { source } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' } });
    const tokens = await Promise.all(Array.from({ length: 6 }, () => source.get()));
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['plugin-token-1']));
    expect(pluginRuns(state)).toHaveLength(1);
  });

  it('after a 401, runs the plugin again once, unless another request already did', async () => {
    const { source } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' } });
    const first = await source.get();
    expect(await source.renew(first)).toBe(true);
    const second = await source.get();
    expect(second).toEqual({ token: 'plugin-token-2' });
    expect(await source.renew(first)).toBe(true);
    expect(pluginRuns(state)).toHaveLength(2);
  });

  it('resolves a relative command against the kubeconfig directory, a bare one through PATH', async () => {
    mkdirSync(join(dir, 'tools'));
    writePlugin(join(dir, 'tools', 'local-plugin'));
    const { source, connection } = setup({ exec: { apiVersion: V1BETA1, command: './tools/local-plugin' } });
    expect(connection.exec?.command).toBe(join(dir, 'tools', 'local-plugin'));
    expect(await source.get()).toEqual({ token: 'plugin-token-1' });
    const bare = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' } });
    expect(bare.connection.exec?.command).toBe('plugin');
  });

  it('a missing command is exit 3 with the kubeconfig installHint', async () => {
    const { source } = setup({ exec: { apiVersion: V1BETA1, command: 'kubelogin', installHint: '\n\u001b[1mkubelogin is not installed\u001b[0m which is required.\n' } });
    const error = await failure(source.get());
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).exitCode).toBe(3);
    expect(error!.message).toMatch(/exec plugin kubelogin: executable kubelogin not found/);
    expect((error as AuthError).hint).toBe('kubelogin is not installed which is required.');
  });

  it('a failing plugin is exit 3 with the tail of what it said', async () => {
    const { source } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' }, env: { PLUGIN_MODE: 'fail' } });
    const error = await failure(source.get());
    expect(error).toBeInstanceOf(AuthError);
    expect(error!.message).toMatch(/executable plugin failed with exit code 1: Error: failed to authenticate: AADSTS7000215/);
  });

  it.each([
    ['a different apiVersion', { PLUGIN_MODE: `version:${V1BETA1}` }, /configured to use API version client\.authentication\.k8s\.io\/v1, plugin returned version client\.authentication\.k8s\.io\/v1beta1/],
    ['no status', { PLUGIN_MODE: 'nostatus' }, /didn't return a status field/],
    ['a malformed expirationTimestamp', { PLUGIN_MODE: 'version:client.authentication.k8s.io/v1', PLUGIN_EXPIRES_IN: 'soon' }, /expirationTimestamp .* is not an RFC 3339 time/],
  ])('an answer with %s is refused (exit 3)', async (_what, env, message) => {
    const { source } = setup({ exec: { apiVersion: V1, command: 'plugin', interactiveMode: 'Never' }, env });
    const error = await failure(source.get());
    expect(error).toBeInstanceOf(AuthError);
    expect(error!.message).toMatch(message);
  });

  it('interactiveMode Always is a usage error (exit 2): a pipeline has no terminal; the plugin never runs', async () => {
    const { source } = setup({ exec: { apiVersion: V1, command: 'plugin', interactiveMode: 'Always' } });
    const error = await failure(source.get());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/needs a terminal/);
    expect(pluginRuns(state)).toEqual([]);
  });

  it.each([
    [{ apiVersion: V1, command: 'plugin' }, /interactiveMode must be specified/],
    [{ apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'plugin' }, /invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"/],
    [{ command: 'plugin' }, /apiVersion must be specified/],
    [{ apiVersion: V1BETA1 }, /command must be specified/],
    [{ apiVersion: V1BETA1, command: 'plugin', env: [{ value: 'x' }] }, /env variable name must be specified/],
    [{ apiVersion: V1, command: 'plugin', interactiveMode: 'Sometimes' }, /invalid interactiveMode "Sometimes"/],
  ])('refuses the stanza %j as a usage error', (exec, message) => {
    expect(() => setup({ exec })).toThrow(ConfigError);
    expect(() => setup({ exec })).toThrow(message);
  });

  it('the token never reaches the log, even when the plugin prints it on stderr', async () => {
    const { source, logger } = setup({ exec: { apiVersion: V1BETA1, command: 'plugin' }, env: { PLUGIN_LEAK: '1' } });
    await source.get();
    const log = logger.lines.join('\n');
    expect(log).toContain('plugin: issued credential number 1');
    expect(log).not.toContain('plugin-token-1');
  });
});
