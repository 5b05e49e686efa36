/**
 * A kubeconfig user's `exec` credential plugin (`users[].user.exec`), read and checked the way
 * client-go reads it (tools/clientcmd/api/v1/types.go ExecConfig, defaults.go, validation.go,
 * loader.go): `command`, `args`, `env`, `apiVersion` (v1 or v1beta1), `interactiveMode` (required
 * for v1, `IfAvailable` by default for v1beta1), `installHint`, `provideClusterInfo`. A command
 * with a path separator that is not absolute is relative to the kubeconfig file it came from;
 * a bare name is looked up in PATH when it runs. Running it is exec-credential.ts's job.
 */
import { isAbsolute, resolve, sep } from 'node:path';
import { ConfigError } from '../../core/errors.js';

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];
export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';
const MODES: readonly InteractiveMode[] = ['Never', 'IfAvailable', 'Always'];

/** The cluster extension whose content client-go hands to the plugin as `spec.cluster.config`. */
export const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** `spec.cluster` of the ExecCredential in KUBERNETES_EXEC_INFO (pkg/apis/clientauthentication/v1 Cluster). */
export interface ExecCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** Base64, like in kubeconfig; read from `certificate-authority` when the kubeconfig names a file. */
  'certificate-authority-data'?: string;
  'disable-compression'?: boolean;
  config: unknown;
}

export interface ExecPlugin {
  /** The kubeconfig user it belongs to, for messages. */
  user: string;
  /** As written, for messages. */
  commandText: string;
  /** What to run: an absolute path, or a bare name found in PATH. */
  command: string;
  args: string[];
  /** Entries added to the plugin's environment (after the parent's, before KUBERNETES_EXEC_INFO). */
  env: Array<{ name: string; value: string }>;
  apiVersion: ExecApiVersion;
  interactiveMode: InteractiveMode;
  installHint?: string;
  /** Set when `provideClusterInfo` is true. */
  cluster?: ExecCluster;
}

type Entry = Record<string, unknown>;

/**
 * client-go strips ANSI escape sequences from the hint (client_config.go cleanANSIEscapeCodes);
 * its lines are joined too, since our errors are one line.
 */
function cleanHint(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').trim().replace(/\s*\n\s*/g, ' ');
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
    throw new ConfigError(`${what} must be a list of strings`);
  }
  return value.map(String);
}

/**
 * Reads `exec` of kubeconfig user `user`, defined in a file in `dir`. `cluster` gives what
 * `provideClusterInfo` passes on; it is only asked for when that is set.
 */
export function parseExec(user: string, raw: unknown, dir: string, cluster: () => ExecCluster): ExecPlugin {
  const exec: Entry = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Entry) : {};
  const where = `kubeconfig user "${user}": exec`;
  const command = typeof exec.command === 'string' ? exec.command : '';
  if (!command) throw new ConfigError(`${where}: command must be specified to use an exec authentication plugin`);
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : '';
  if (!apiVersion) throw new ConfigError(`${where}: apiVersion must be specified to use an exec authentication plugin`);
  if (!(EXEC_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    throw new ConfigError(`${where}: exec plugin: invalid apiVersion "${apiVersion}"`, {
      hint: `use ${EXEC_API_VERSIONS.join(' or ')} (v1alpha1 was removed in Kubernetes 1.24); regenerate the kubeconfig with a current CLI`,
    });
  }
  let interactiveMode = exec.interactiveMode;
  if (interactiveMode === undefined || interactiveMode === null || interactiveMode === '') {
    // v1 must say whether it wants stdin; v1beta1 keeps the old behaviour (defaults.go).
    if (apiVersion === 'client.authentication.k8s.io/v1beta1') interactiveMode = 'IfAvailable';
    else throw new ConfigError(`${where}: interactiveMode must be specified to use an exec authentication plugin with ${apiVersion}`, { hint: 'add interactiveMode: Never (or IfAvailable)' });
  }
  if (!MODES.includes(interactiveMode as InteractiveMode)) throw new ConfigError(`${where}: invalid interactiveMode "${String(interactiveMode)}"`, { hint: `one of ${MODES.join(', ')}` });
  const env: Array<{ name: string; value: string }> = [];
  if (exec.env !== undefined && exec.env !== null) {
    if (!Array.isArray(exec.env)) throw new ConfigError(`${where}: env must be a list of {name, value}`);
    for (const item of exec.env as unknown[]) {
      const e = (item && typeof item === 'object' ? item : {}) as Entry;
      if (typeof e.name !== 'string' || e.name === '') throw new ConfigError(`${where}: env variable name must be specified to use an exec authentication plugin`);
      env.push({ name: e.name, value: e.value === undefined || e.value === null ? '' : String(e.value) });
    }
  }
  // Only a command with a separator is a path (loader.go GetAuthInfoFileReferences); `/` is one everywhere.
  const isPath = command.includes('/') || command.includes(sep);
  const resolved = isPath && !isAbsolute(command) ? resolve(dir, command) : command;
  const hint = typeof exec.installHint === 'string' ? cleanHint(exec.installHint) : '';
  return {
    user,
    commandText: command,
    command: resolved,
    args: stringList(exec.args, `${where}: args`),
    env,
    apiVersion: apiVersion as ExecApiVersion,
    interactiveMode: interactiveMode as InteractiveMode,
    ...(hint ? { installHint: hint } : {}),
    ...(exec.provideClusterInfo === true ? { cluster: cluster() } : {}),
  };
}

/** The `client.authentication.k8s.io/exec` extension of a kubeconfig cluster entry, or null. */
export function execExtension(cluster: Entry): unknown {
  const list = cluster.extensions;
  if (!Array.isArray(list)) return null;
  for (const item of list as unknown[]) {
    const e = (item && typeof item === 'object' ? item : {}) as Entry;
    if (e.name === EXEC_EXTENSION) return e.extension ?? null;
  }
  return null;
}
