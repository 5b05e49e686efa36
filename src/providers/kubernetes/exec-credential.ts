/**
 * Runs a kubeconfig's exec credential plugin the way client-go does
 * (plugin/pkg/client/auth/exec/exec.go): the parent's environment, then the kubeconfig's `env`
 * entries, then KUBERNETES_EXEC_INFO (an ExecCredential of the configured apiVersion with
 * `interactive: false` and, with `provideClusterInfo`, the cluster); no stdin, since a pipeline has
 * no terminal. The answer must be an ExecCredential of the same apiVersion with a token and/or a
 * client certificate and key. It is kept until its `expirationTimestamp` (for the whole run when it
 * has none), with one plugin run in flight at a time; a 401 runs the plugin once more.
 *
 * The token and key are registered as secrets the moment they are read, so that no output —
 * debug included — shows them. The plugin's stderr is shown only after that, in debug output or,
 * when it fails, as the tail of the error.
 */
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { AuthError, ConfigError, TimeoutError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Deadline } from '../../core/retry.js';
import type { Credential, CredentialSource } from './credentials.js';
import type { ExecPlugin } from './exec-config.js';

export interface ExecCredentialOptions {
  plugin: ExecPlugin;
  logger: Logger;
  deadline: Deadline;
  /** The environment the plugin inherits (client-go: os.Environ()); default this process's. */
  environ?: () => Record<string, string | undefined>;
  /** Variables of ours the plugin never needs (preview-kit's own secrets): left out of its environment. */
  withheld?: readonly string[];
}

interface Issued {
  credential: Credential;
  /** ms since the epoch; undefined: no expiry. */
  expiresAt?: number;
}

const STDOUT_LIMIT = 4 * 1024 * 1024;
const STDERR_TAIL = 1_500;
/** RFC 3339 as Go's time.RFC3339 parses it: a zone is required, fractions are allowed. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export class ExecCredentials implements CredentialSource {
  private issued: Issued | undefined;
  private inFlight: Promise<Issued> | undefined;

  constructor(private readonly o: ExecCredentialOptions) {}

  private get plugin(): ExecPlugin {
    return this.o.plugin;
  }

  private fresh(issued: Issued | undefined): issued is Issued {
    return issued !== undefined && (issued.expiresAt === undefined || this.o.deadline.clock.now() < issued.expiresAt);
  }

  async get(): Promise<Credential> {
    if (this.fresh(this.issued)) return this.issued.credential;
    return (await this.next()).credential;
  }

  async renew(used: Credential): Promise<boolean> {
    // Renewed by another request meanwhile: its credential is the one to try.
    if (this.issued && this.issued.credential !== used) return true;
    this.issued = undefined;
    this.o.logger.debug(`the API server refused the credential of exec plugin ${this.plugin.commandText}: running it again`);
    await this.next();
    return true;
  }

  /** One run at a time: concurrent requests wait for the run in flight. */
  private next(): Promise<Issued> {
    this.inFlight ??= this.run().then(
      (issued) => {
        this.issued = issued;
        this.inFlight = undefined;
        return issued;
      },
      (error: unknown) => {
        this.inFlight = undefined;
        throw error;
      },
    );
    return this.inFlight;
  }

  private environment(): Record<string, string> {
    const p = this.plugin;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries((this.o.environ ?? (() => process.env))())) if (v !== undefined && !this.o.withheld?.includes(k)) env[k] = v;
    for (const e of p.env) env[e.name] = e.value;
    const spec = { ...(p.cluster ? { cluster: p.cluster } : {}), interactive: false };
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ kind: 'ExecCredential', apiVersion: p.apiVersion, spec });
    return env;
  }

  private failure(message: string, hint?: string): AuthError {
    return new AuthError(`kubeconfig user "${this.plugin.user}": exec plugin ${this.plugin.commandText}: ${message}`, {
      hint: hint ?? 'check the plugin and its login (run it by hand), or give a token with --kube-token / K8S_TOKEN',
    });
  }

  private async run(): Promise<Issued> {
    const p = this.plugin;
    if (p.interactiveMode === 'Always') {
      throw new ConfigError(`kubeconfig user "${p.user}": exec plugin ${p.commandText} needs a terminal (interactiveMode: Always), and preview-kit runs without one`, {
        hint: 'configure a login the plugin can do unattended (a service principal, workload identity, `kubelogin convert-kubeconfig -l azurecli`…) and set interactiveMode: Never or IfAvailable',
      });
    }
    this.o.deadline.check(`exec plugin ${p.commandText}`);
    this.o.logger.debug(`running exec credential plugin ${p.commandText} for kubeconfig user "${p.user}" (${p.apiVersion})`);
    const { stdout, stderr } = await this.spawnPlugin();
    const issued = this.decode(stdout);
    // Only now, with the token known to the redactor, may the plugin's messages be shown.
    for (const line of stderr.split('\n').filter((l) => l.trim())) this.o.logger.debug(`exec plugin ${p.commandText}: ${line}`);
    const what = [issued.credential.token ? 'a token' : '', issued.credential.cert ? 'a client certificate' : ''].filter(Boolean).join(' and ');
    const until = issued.expiresAt === undefined ? 'with no expiry' : `valid until ${new Date(issued.expiresAt).toISOString()}`;
    this.o.logger.debug(`exec plugin ${p.commandText} gave ${what}, ${until}`);
    return issued;
  }

  private spawnPlugin(): Promise<{ stdout: string; stderr: string }> {
    const p = this.plugin;
    return new Promise((resolvePromise, reject) => {
      const child = spawn(p.command, p.args, { env: this.environment(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = '';
      let settled = false;
      const finish = (error: Error | undefined, value?: { stdout: string; stderr: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolvePromise(value!);
      };
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        finish(new TimeoutError(`exec plugin ${p.commandText} gave no credential before the deadline`, { hint: 'the plugin may be waiting for a login; raise --timeout or check it by hand' }));
      }, Math.max(1, this.o.deadline.remaining()));
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (outBytes <= STDOUT_LIMIT) out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err = (err + chunk.toString('utf8')).slice(-STDERR_TAIL * 4);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          finish(
            this.failure(
              `executable ${p.commandText} not found${p.command !== p.commandText ? ` (${p.command})` : ''}`,
              p.installHint ?? `install ${p.commandText} (a client-go credential plugin) on the runner, or give a token with --kube-token / K8S_TOKEN`,
            ),
          );
        } else if (error.code === 'EACCES') {
          finish(this.failure(`${p.command} cannot be run (permission denied)`, `make it executable (chmod +x)${p.installHint ? `; ${p.installHint}` : ''}`));
        } else finish(this.failure(error.message));
      });
      child.on('close', (code, signal) => {
        const tail = err.trim().slice(-STDERR_TAIL).trim();
        if (code !== 0) {
          const how = signal ? `was ended by ${signal}` : `failed with exit code ${code}`;
          finish(this.failure(`executable ${p.commandText} ${how}${tail ? `: ${tail.replace(/\s*\n\s*/g, ' | ')}` : ''}`));
          return;
        }
        if (outBytes > STDOUT_LIMIT) {
          finish(this.failure(`its output is larger than ${STDOUT_LIMIT} bytes`));
          return;
        }
        finish(undefined, { stdout: Buffer.concat(out).toString('utf8'), stderr: err });
      });
    });
  }

  /** Checks the ExecCredential as client-go does (exec.go refreshCredsLocked), in the same order. */
  private decode(stdout: string): Issued {
    const p = this.plugin;
    let doc: unknown;
    try {
      // client-go's universal decoder takes YAML as well as JSON.
      doc = parseYaml(stdout);
    } catch (error) {
      throw this.failure(`decoding stdout: ${(error as Error).message.split('\n')[0]}`);
    }
    const cred = asObj(doc);
    const status = asObj(cred?.status);
    // Secrets first: whatever happens next, they never reach an output.
    for (const secret of [status?.token, status?.clientKeyData]) if (typeof secret === 'string') this.o.logger.addSecret(secret);
    if (!cred) throw this.failure('decoding stdout: no ExecCredential object in its output');
    if (cred.kind !== undefined && cred.kind !== 'ExecCredential') throw this.failure(`decoding stdout: it returned kind "${String(cred.kind)}", not ExecCredential`);
    if (cred.apiVersion !== p.apiVersion) {
      const returned = typeof cred.apiVersion === 'string' && cred.apiVersion ? `version ${cred.apiVersion}` : 'no apiVersion';
      throw this.failure(`exec plugin is configured to use API version ${p.apiVersion}, plugin returned ${returned}`, 'regenerate the kubeconfig, or set its exec apiVersion to the one the plugin answers with');
    }
    if (!status) throw this.failure("exec plugin didn't return a status field");
    const token = typeof status.token === 'string' && status.token ? status.token : undefined;
    const certPem = typeof status.clientCertificateData === 'string' && status.clientCertificateData ? status.clientCertificateData : undefined;
    const keyPem = typeof status.clientKeyData === 'string' && status.clientKeyData ? status.clientKeyData : undefined;
    if (!token && !certPem && !keyPem) throw this.failure("exec plugin didn't return a token or cert/key pair");
    if (Boolean(certPem) !== Boolean(keyPem)) throw this.failure('exec plugin returned only certificate or key, not both');
    if (certPem && keyPem) {
      try {
        new X509Certificate(certPem);
        createPrivateKey(keyPem);
      } catch (error) {
        throw this.failure(`failed parsing client key/certificate: ${(error as Error).message}`);
      }
    }
    let expiresAt: number | undefined;
    const exp = status.expirationTimestamp;
    if (exp !== undefined && exp !== null && exp !== '') {
      const text = exp instanceof Date ? exp.toISOString() : String(exp);
      if (!RFC3339.test(text)) throw this.failure(`decoding stdout: expirationTimestamp "${text}" is not an RFC 3339 time`);
      expiresAt = Date.parse(text);
    }
    return {
      credential: { ...(token ? { token } : {}), ...(certPem && keyPem ? { cert: Buffer.from(certPem), key: Buffer.from(keyPem) } : {}) },
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }
}
