import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/core/errors.js';
import { resolveConnection, type ConfigFiles } from '../../../src/providers/kubernetes/kubeconfig.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import { readFileSync, existsSync } from 'node:fs';

let dir: string;
let home: string;
const files = (): ConfigFiles => ({ read: (p) => readFileSync(p), exists: (p) => existsSync(p), homeDir: () => home });
const settings = (raw: Record<string, unknown>) => kubernetesSchema.parse(raw);

function kubeconfig(name: string, doc: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(doc));
  return path;
}

const base = (user: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    { name: 'prod', cluster: { server: 'https://prod.example.com:6443/', 'certificate-authority-data': Buffer.from('CA-PEM').toString('base64') } },
    { name: 'staging', cluster: { server: 'https://staging.example.com', 'insecure-skip-tls-verify': true } },
  ],
  users: [{ name: 'ci', user }],
  contexts: [
    { name: 'prod', context: { cluster: 'prod', user: 'ci', namespace: 'previews' } },
    { name: 'staging', context: { cluster: 'staging', user: 'ci' } },
  ],
  'current-context': 'prod',
  ...extra,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  home = join(dir, 'home');
  mkdirSync(home);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveConnection from kubeconfig', () => {
  it('uses the current context: server, namespace, CA data and token', () => {
    const path = kubeconfig('config', base({ token: 'tok-123' }));
    const c = resolveConnection(settings({ kubeconfig: path }), files());
    expect(c).toMatchObject({ server: 'https://prod.example.com:6443', namespace: 'previews', token: 'tok-123', insecureSkipTlsVerify: false });
    expect(c.ca?.toString()).toBe('CA-PEM');
    expect(c.source).toContain('context prod');
  });

  it('honours --kube-context and insecure-skip-tls-verify', () => {
    const path = kubeconfig('config', base({ token: 't' }));
    const c = resolveConnection(settings({ kubeconfig: path, kubeContext: 'staging' }), files());
    expect(c).toMatchObject({ server: 'https://staging.example.com', insecureSkipTlsVerify: true, namespace: undefined });
  });

  it('reads client certificate, key and token files relative to the kubeconfig', () => {
    mkdirSync(join(dir, 'creds'));
    writeFileSync(join(dir, 'creds', 'c.crt'), 'CERT');
    writeFileSync(join(dir, 'creds', 'c.key'), 'KEY');
    writeFileSync(join(dir, 'creds', 'token'), 'from-file\n');
    const path = kubeconfig('config', base({ 'client-certificate': 'creds/c.crt', 'client-key': 'creds/c.key', tokenFile: 'creds/token' }));
    const c = resolveConnection(settings({ kubeconfig: path }), files());
    expect(c.cert?.toString()).toBe('CERT');
    expect(c.key?.toString()).toBe('KEY');
    expect(c.token).toBe('from-file');
  });

  it('merges a KUBECONFIG list: the first file to define a name wins', () => {
    const a = kubeconfig('a', { clusters: [{ name: 'prod', cluster: { server: 'https://first' } }], 'current-context': 'prod' });
    const b = kubeconfig('b', base({ token: 'tok' }, { 'current-context': 'staging' }));
    const c = resolveConnection(settings({ kubeconfig: `${a}:${b}` }), files());
    expect(c.server).toBe('https://first');
    expect(c.token).toBe('tok');
  });

  it('reads an exec plugin for later, unless a token is given, which replaces it', () => {
    const path = kubeconfig('config', base({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token'] } }));
    expect(resolveConnection(settings({ kubeconfig: path }), files()).exec).toMatchObject({ command: 'aws', args: ['eks', 'get-token'], interactiveMode: 'IfAvailable' });
    const c = resolveConnection(settings({ kubeconfig: path, token: 'ci-token' }), files());
    expect(c.token).toBe('ci-token');
    expect(c.exec).toBeUndefined();
  });

  it.each([
    ['missing context', { kubeContext: 'nope' }, /context "nope" not found.*/],
    ['missing file', { kubeconfig: '/nonexistent/kubeconfig' }, /cannot read kubeconfig/],
  ])('reports %s as a ConfigError', (_what, extra, message) => {
    const path = kubeconfig('config', base({ token: 't' }));
    const error = (() => {
      try {
        resolveConnection(settings({ kubeconfig: path, ...extra }), files());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('falls back to ~/.kube/config, then to the in-cluster service account', () => {
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), 'sa-token\n');
    writeFileSync(join(sa, 'ca.crt'), 'SA-CA');
    writeFileSync(join(sa, 'namespace'), 'ci-ns');
    const inCluster = settings({ kubernetesServiceHost: 'fd00::1', kubernetesServicePort: '443', serviceAccountDir: sa });
    expect(inCluster.inCluster).toEqual({ host: 'fd00::1', port: '443', serviceAccountDir: sa });
    expect(resolveConnection(inCluster, files())).toMatchObject({ server: 'https://[fd00::1]:443', token: 'sa-token', namespace: 'ci-ns', source: 'in-cluster service account' });

    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), stringify(base({ token: 'home' })));
    expect(resolveConnection(inCluster, files()).token).toBe('home');
  });

  it('uses --kube-server with a token and CA file, and says what to do with nothing configured', () => {
    writeFileSync(join(dir, 'ca.pem'), 'SERVER-CA');
    const c = resolveConnection(settings({ server: 'https://api.example.com:6443', token: 'tok', caFile: join(dir, 'ca.pem') }), files());
    expect(c).toMatchObject({ server: 'https://api.example.com:6443', token: 'tok', source: '--kube-server' });
    expect(c.ca?.toString()).toBe('SERVER-CA');
    expect(() => resolveConnection(settings({}), files())).toThrow(/no Kubernetes cluster configured/);
  });
});
