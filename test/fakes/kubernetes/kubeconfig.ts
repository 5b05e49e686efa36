/**
 * A kubeconfig pointing at a fake API server, for the provider, kubectl and CLI tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FakeKubernetes } from './server.js';

export interface KubeconfigOptions {
  /** Default namespace of the context. */
  namespace?: string;
  /** Token to put in the user entry (default: the fake's own token). */
  token?: string;
  /** Context name (default `fake`). */
  context?: string;
  /** CA certificate (PEM) the server is signed with, for an https fake. */
  ca?: string | Buffer;
  /** Skip TLS verification instead of trusting `ca`. */
  insecureSkipTlsVerify?: boolean;
  /** Client certificate and key (PEM) instead of a token. */
  clientCert?: { cert: string | Buffer; key: string | Buffer };
  /** An exec credential plugin stanza (`users[].user.exec`) instead of a token. */
  exec?: Record<string, unknown>;
  /** `extensions` of the cluster entry (e.g. client.authentication.k8s.io/exec). */
  clusterExtensions?: Array<{ name: string; extension: unknown }>;
  /** File name inside `dir` (default `kubeconfig`). */
  file?: string;
}

/** Writes `<dir>/kubeconfig` for the fake and returns its path. */
export function writeKubeconfig(fake: Pick<FakeKubernetes, 'url' | 'token'>, dir: string, options: KubeconfigOptions = {}): string {
  const context = options.context ?? 'fake';
  const cluster: Record<string, unknown> = { server: fake.url };
  if (options.ca) cluster['certificate-authority-data'] = Buffer.from(options.ca).toString('base64');
  if (options.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (options.clusterExtensions) cluster.extensions = options.clusterExtensions;
  let user: Record<string, unknown> = { token: options.token ?? fake.token };
  if (options.clientCert) {
    user = {
      'client-certificate-data': Buffer.from(options.clientCert.cert).toString('base64'),
      'client-key-data': Buffer.from(options.clientCert.key).toString('base64'),
    };
  }
  if (options.exec) user = { exec: options.exec };
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake-cluster', cluster }],
    users: [{ name: 'fake-user', user }],
    contexts: [{ name: context, context: { cluster: 'fake-cluster', user: 'fake-user', namespace: options.namespace ?? 'default' } }],
    'current-context': context,
    preferences: {},
  };
  const path = join(dir, options.file ?? 'kubeconfig');
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}
