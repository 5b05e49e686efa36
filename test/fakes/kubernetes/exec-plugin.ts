/**
 * A stand-in for a client-go credential plugin (kubelogin, `aws eks get-token`,
 * gke-gcloud-auth-plugin), written by a test into a temp dir as a small node script. It answers
 * the way those plugins do — an ExecCredential on stdout, messages on stderr — and records each
 * run (arguments, KUBERNETES_EXEC_INFO, what it read on stdin, chosen env vars) in
 * `$PLUGIN_STATE/runs.jsonl`. Run n hands out the token `${PLUGIN_TOKEN_PREFIX}${n}`.
 *
 * Behaviour, from the plugin's environment (the parent's or the kubeconfig's `env` entries):
 *   PLUGIN_MODE        token (default) | cert | both | fail | nostatus | version:<apiVersion>
 *   PLUGIN_EXPIRES_IN  seconds from now for expirationTimestamp (may be negative; other text is
 *                      passed as is); unset: none
 *   PLUGIN_CERT, PLUGIN_KEY  PEM files for the cert modes
 *   PLUGIN_SHOW        comma-separated env names to record
 *   PLUGIN_LEAK        print the token on stderr too (a badly behaved plugin)
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PluginOptions {
  /**
   * `echo`: answer with the apiVersion KUBERNETES_EXEC_INFO asks for, v1beta1 without it
   * (kubelogin, aws-cli); a version: always that one (gke-gcloud-auth-plugin answers v1beta1).
   */
  answers?: 'echo' | string;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('fs');
const ANSWERS = __ANSWERS__;
const env = process.env;
const info = env.KUBERNETES_EXEC_INFO;
let n = 1;
if (env.PLUGIN_STATE) {
  fs.mkdirSync(env.PLUGIN_STATE, { recursive: true });
  const counter = env.PLUGIN_STATE + '/count';
  n = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;
  fs.writeFileSync(counter, String(n));
  let stdin = '';
  try { stdin = fs.readFileSync(0, 'utf8'); } catch (e) { stdin = 'error:' + e.code; }
  const shown = {};
  for (const name of (env.PLUGIN_SHOW || '').split(',').filter(Boolean)) shown[name] = env[name] === undefined ? null : env[name];
  fs.appendFileSync(env.PLUGIN_STATE + '/runs.jsonl', JSON.stringify({ n, argv: process.argv.slice(2), info: info === undefined ? null : info, stdin, env: shown }) + '\\n');
}
const mode = env.PLUGIN_MODE || 'token';
if (mode === 'fail') {
  process.stderr.write('Error: failed to authenticate: AADSTS7000215: Invalid client secret provided.\\n');
  process.exit(1);
}
let version = 'client.authentication.k8s.io/v1beta1';
if (ANSWERS === 'echo') { if (info) version = JSON.parse(info).apiVersion || version; } else version = ANSWERS;
if (mode.startsWith('version:')) version = mode.slice('version:'.length);
const out = { kind: 'ExecCredential', apiVersion: version, spec: { interactive: false } };
const token = (env.PLUGIN_TOKEN_PREFIX || 'plugin-token-') + n;
if (mode !== 'nostatus') {
  const status = {};
  if (mode === 'token' || mode === 'both' || mode.startsWith('version:')) status.token = token;
  if (mode === 'cert' || mode === 'both') {
    status.clientCertificateData = fs.readFileSync(env.PLUGIN_CERT, 'utf8');
    status.clientKeyData = fs.readFileSync(env.PLUGIN_KEY, 'utf8');
  }
  const seconds = Number(env.PLUGIN_EXPIRES_IN);
  if (env.PLUGIN_EXPIRES_IN) status.expirationTimestamp = Number.isFinite(seconds) ? new Date(Date.now() + seconds * 1000).toISOString().replace(/\\.\\d+Z$/, 'Z') : env.PLUGIN_EXPIRES_IN;
  out.status = status;
}
process.stderr.write('plugin: issued credential number ' + n + (env.PLUGIN_LEAK ? ' ' + token : '') + '\\n');
process.stdout.write(JSON.stringify(out));
`;

/** Writes an executable plugin at `path` (its directory is made). */
export function writePlugin(path: string, options: PluginOptions = {}): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, SCRIPT.replace('__ANSWERS__', JSON.stringify(options.answers ?? 'echo')));
  chmodSync(path, 0o755);
  return path;
}

export interface PluginRun {
  n: number;
  argv: string[];
  info: string | null;
  stdin: string;
  env: Record<string, string | null>;
}

/** The runs a plugin recorded in its state directory. */
export function pluginRuns(state: string): PluginRun[] {
  const file = join(state, 'runs.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PluginRun);
}

/**
 * The `users[].user.exec` stanzas that managed clusters' own CLIs write (az aks get-credentials
 * then kubelogin convert-kubeconfig, aws eks update-kubeconfig, gcloud container clusters
 * get-credentials), as the research notes record them.
 */
export const MANAGED_STANZAS = {
  aks: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
    command: 'kubelogin',
    env: null,
    installHint: '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
    provideClusterInfo: false,
  },
  eks: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'previews', '--output', 'json'],
    command: 'aws',
    env: [{ name: 'AWS_PROFILE', value: 'ci' }],
  },
  gke: {
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    command: 'gke-gcloud-auth-plugin',
    installHint: 'Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
    provideClusterInfo: true,
  },
} as const;

/** How each of those plugins answers: gke-gcloud-auth-plugin always with v1beta1, the others echo. */
export const MANAGED_ANSWERS: Record<keyof typeof MANAGED_STANZAS, PluginOptions> = {
  aks: { answers: 'echo' },
  eks: { answers: 'echo' },
  gke: { answers: 'client.authentication.k8s.io/v1beta1' },
};
