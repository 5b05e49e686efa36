/**
 * Where the API server is and how to authenticate: from explicit settings (--kube-server), from
 * kubeconfig files (KUBECONFIG / --kubeconfig, else ~/.kube/config) or from the in-cluster service
 * account — in that order, as kubectl does. Credentials: bearer token (inline or file), client
 * certificate and key, basic auth, or an exec credential plugin (the managed clusters' default:
 * kubelogin, `aws eks get-token`, gke-gcloud-auth-plugin), which runs only when a request needs it
 * (exec-credential.ts). The legacy auth-provider plugins are refused with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isIPv6 } from 'node:net';
import { parse } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import { execExtension, parseExec, type ExecPlugin } from './exec-config.js';
import type { KubernetesSettings } from './settings.js';

export interface ClusterConnection {
  /** API server base URL, no trailing slash. */
  server: string;
  /** Default namespace of the context (or the pod's), when it has one. */
  namespace?: string;
  token?: string;
  basic?: { username: string; password: string };
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  /** An exec credential plugin gives the credentials (when no static ones are set). */
  exec?: ExecPlugin;
  /** Where it came from, for messages: `kubeconfig /x (context ci)`. */
  source: string;
}

/** File access, injectable so tests can use a temp dir without touching the real home. */
export interface ConfigFiles {
  read(path: string): Buffer;
  exists(path: string): boolean;
  homeDir(): string;
}

export const nodeFiles: ConfigFiles = {
  read: (path) => readFileSync(path),
  exists: (path) => existsSync(path),
  homeDir: () => homedir(),
};

type Entry = Record<string, unknown>;
interface Named {
  name: string;
  value: Entry;
}

interface MergedConfig {
  clusters: Map<string, { entry: Entry; dir: string }>;
  users: Map<string, { entry: Entry; dir: string }>;
  contexts: Map<string, Entry>;
  currentContext?: string;
  files: string[];
}

function asEntry(value: unknown): Entry {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Entry) : {};
}

function namedList(doc: Entry, key: string, inner: string, file: string): Named[] {
  const list = doc[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConfigError(`invalid kubeconfig ${file}: "${key}" must be a list`);
  return list.map((item) => {
    const e = asEntry(item);
    if (typeof e.name !== 'string') throw new ConfigError(`invalid kubeconfig ${file}: an entry of "${key}" has no name`);
    return { name: e.name, value: asEntry(e[inner]) };
  });
}

/** Loads and merges kubeconfig files the way kubectl does: the first file to define a name wins. */
export function loadKubeconfig(paths: string[], files: ConfigFiles = nodeFiles): MergedConfig {
  const merged: MergedConfig = { clusters: new Map(), users: new Map(), contexts: new Map(), files: [] };
  for (const path of paths) {
    let text: string;
    try {
      text = files.read(path).toString('utf8');
    } catch (error) {
      throw new ConfigError(`cannot read kubeconfig ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'check KUBECONFIG / --kubeconfig',
      });
    }
    let doc: Entry;
    try {
      doc = asEntry(parse(text));
    } catch (error) {
      throw new ConfigError(`invalid kubeconfig ${path}: ${(error as Error).message.split('\n')[0]}`);
    }
    const dir = dirname(resolve(path));
    merged.files.push(path);
    for (const c of namedList(doc, 'clusters', 'cluster', path)) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, { entry: c.value, dir });
    for (const u of namedList(doc, 'users', 'user', path)) if (!merged.users.has(u.name)) merged.users.set(u.name, { entry: u.value, dir });
    for (const c of namedList(doc, 'contexts', 'context', path)) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, c.value);
    const current = doc['current-context'];
    if (merged.currentContext === undefined && typeof current === 'string' && current) merged.currentContext = current;
  }
  return merged;
}

function str(entry: Entry, key: string): string | undefined {
  const v = entry[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function fileOrData(entry: Entry, fileKey: string, dataKey: string, dir: string, files: ConfigFiles, what: string): Buffer | undefined {
  const data = str(entry, dataKey);
  if (data) return Buffer.from(data, 'base64');
  const file = str(entry, fileKey);
  if (!file) return undefined;
  const path = isAbsolute(file) ? file : join(dir, file);
  try {
    return files.read(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Picks the context and turns cluster + user into a connection. */
export function connectionFromKubeconfig(config: MergedConfig, contextName: string | undefined, files: ConfigFiles = nodeFiles): ClusterConnection {
  const where = `kubeconfig ${config.files.join(':')}`;
  const name = contextName ?? config.currentContext;
  if (!name) {
    throw new ConfigError(`${where} has no current-context`, { hint: 'pass --kube-context or set current-context' });
  }
  const context = config.contexts.get(name);
  if (!context) {
    throw new ConfigError(`context "${name}" not found in ${where}`, {
      hint: `known contexts: ${[...config.contexts.keys()].join(', ') || 'none'}`,
    });
  }
  const clusterName = str(context, 'cluster');
  const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
  if (!cluster) throw new ConfigError(`context "${name}" in ${where} names cluster "${clusterName ?? ''}", which is not defined`);
  const server = str(cluster.entry, 'server');
  if (!server) throw new ConfigError(`cluster "${clusterName}" in ${where} has no server`);
  if (str(cluster.entry, 'proxy-url')) {
    throw new ConfigError(`cluster "${clusterName}" in ${where} uses proxy-url, which preview-kit does not support`, {
      hint: 'reach the API server directly',
    });
  }
  const connection: ClusterConnection = {
    server: server.replace(/\/+$/, ''),
    namespace: str(context, 'namespace'),
    insecureSkipTlsVerify: cluster.entry['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster.entry, 'tls-server-name'),
    ca: fileOrData(cluster.entry, 'certificate-authority', 'certificate-authority-data', cluster.dir, files, 'certificate authority'),
    source: `${where} (context ${name})`,
  };
  const userName = str(context, 'user');
  const user = userName ? config.users.get(userName) : undefined;
  if (userName && !user) throw new ConfigError(`context "${name}" in ${where} names user "${userName}", which is not defined`);
  if (!user) return connection;
  const u = user.entry;
  if (u['auth-provider']) {
    if (u.exec) throw new ConfigError(`kubeconfig user "${userName}" has both an auth-provider and an exec plugin; only one may be given`);
    const provider = str(asEntry(u['auth-provider']), 'name') ?? 'an auth provider';
    throw new ConfigError(`kubeconfig user "${userName}" uses the ${provider} auth-provider plugin, which preview-kit does not support`, {
      hint: 'use an exec credential plugin (e.g. kubelogin convert-kubeconfig), a token with --kube-token / K8S_TOKEN, or a client certificate',
    });
  }
  connection.token = str(u, 'token');
  const tokenFile = str(u, 'tokenFile');
  if (!connection.token && tokenFile) {
    const path = isAbsolute(tokenFile) ? tokenFile : join(user.dir, tokenFile);
    try {
      connection.token = files.read(path).toString('utf8').trim();
    } catch (error) {
      throw new ConfigError(`cannot read token file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  connection.cert = fileOrData(u, 'client-certificate', 'client-certificate-data', user.dir, files, 'client certificate');
  connection.key = fileOrData(u, 'client-key', 'client-key-data', user.dir, files, 'client key');
  if (Boolean(connection.cert) !== Boolean(connection.key)) {
    throw new ConfigError(`kubeconfig user "${userName}" has a client certificate without its key (or a key without its certificate)`);
  }
  const username = str(u, 'username');
  if (username && !connection.token && !connection.cert) connection.basic = { username, password: str(u, 'password') ?? '' };
  // Static credentials win over a plugin, as in client-go (the plugin does not even run).
  if (u.exec && !connection.token && !connection.cert && !connection.basic) {
    const entry = cluster.entry;
    connection.exec = parseExec(userName!, u.exec, user.dir, () => ({
      server: connection.server,
      ...(connection.tlsServerName ? { 'tls-server-name': connection.tlsServerName } : {}),
      ...(connection.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(connection.ca ? { 'certificate-authority-data': connection.ca.toString('base64') } : {}),
      ...(entry['disable-compression'] === true ? { 'disable-compression': true } : {}),
      config: execExtension(entry),
    }));
  }
  return connection;
}

function inClusterConnection(settings: KubernetesSettings, files: ConfigFiles): ClusterConnection {
  const inCluster = settings.inCluster!;
  const host = isIPv6(inCluster.host) ? `[${inCluster.host}]` : inCluster.host;
  const dir = inCluster.serviceAccountDir;
  const read = (file: string): Buffer => {
    try {
      return files.read(join(dir, file));
    } catch (error) {
      throw new ConfigError(`in-cluster config: cannot read ${join(dir, file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'mount a service-account token or pass --kubeconfig',
      });
    }
  };
  const namespacePath = join(dir, 'namespace');
  return {
    server: `https://${host}:${inCluster.port}`,
    token: read('token').toString('utf8').trim(),
    ca: read('ca.crt'),
    namespace: files.exists(namespacePath) ? files.read(namespacePath).toString('utf8').trim() || undefined : undefined,
    insecureSkipTlsVerify: false,
    source: 'in-cluster service account',
  };
}

/**
 * The connection for these settings: --kube-server (+ token), else the kubeconfig chain, else
 * ~/.kube/config when it exists, else the in-cluster service account. A --kube-token given with a
 * kubeconfig replaces the kubeconfig user's credentials.
 */
export function resolveConnection(settings: KubernetesSettings, files: ConfigFiles = nodeFiles): ClusterConnection {
  let connection: ClusterConnection;
  if (settings.server) {
    connection = {
      server: settings.server.replace(/\/+$/, ''),
      insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
      source: '--kube-server',
    };
    if (settings.caFile) {
      try {
        connection.ca = files.read(settings.caFile);
      } catch (error) {
        throw new ConfigError(`cannot read --kube-ca-file ${settings.caFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
  } else {
    const paths = (settings.kubeconfig ?? '').split(':').filter((p) => p !== '');
    if (paths.length === 0) {
      const home = join(files.homeDir(), '.kube', 'config');
      if (files.exists(home)) paths.push(home);
    }
    if (paths.length > 0) {
      if (settings.token) {
        // Credentials come from --kube-token: the kubeconfig user (maybe an exec plugin) is not used.
        const config = loadKubeconfig(paths, files);
        const name = settings.kubeContext ?? config.currentContext;
        const context = name ? config.contexts.get(name) : undefined;
        const withoutUser = { ...config, contexts: new Map(config.contexts) };
        if (name && context) withoutUser.contexts.set(name, { ...context, user: undefined });
        connection = connectionFromKubeconfig(withoutUser, settings.kubeContext, files);
      } else {
        connection = connectionFromKubeconfig(loadKubeconfig(paths, files), settings.kubeContext, files);
      }
    } else if (settings.inCluster) {
      connection = inClusterConnection(settings, files);
    } else {
      throw new ConfigError('no Kubernetes cluster configured', {
        hint: 'set KUBECONFIG or --kubeconfig, or --kube-server with --kube-token, or run in a pod',
      });
    }
  }
  if (settings.token) {
    connection.token = settings.token;
    connection.cert = undefined;
    connection.key = undefined;
    connection.basic = undefined;
    connection.exec = undefined;
  }
  if (!/^https?:\/\//.test(connection.server)) {
    throw new ConfigError(`API server "${connection.server}" from ${connection.source} is not an http(s) URL`);
  }
  return connection;
}
