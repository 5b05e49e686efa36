/**
 * The connection to one cluster, made when the first call needs it and shared by every call of a
 * run: API client, object store, the shared PostgreSQL server when there is one. Nothing about a
 * single preview lives here; that comes with each call.
 */
import type { ProviderContext } from '../types.js';
import { KubeClient } from './client.js';
import { fixedCredentials, type CredentialSource } from './credentials.js';
import { PreviewDatabase } from './database.js';
import { ExecCredentials } from './exec-credential.js';
import { nodeFiles, resolveConnection, type ClusterConnection, type ConfigFiles } from './kubeconfig.js';
import { ObjectStore } from './objects.js';
import { kubernetesOptions, type KubernetesSettings } from './settings.js';

/** Knobs for tests; production uses the defaults. */
export interface KubernetesTuning {
  /** First and largest step of the waits on the cluster (default: core/retry.ts WAIT_BACKOFF, 100 ms to 1 s). */
  pollInitialMs?: number;
  pollMaxMs?: number;
  requestTimeoutMs?: number;
  files?: ConfigFiles;
  /** The environment an exec credential plugin inherits; default this process's. */
  environ?: () => Record<string, string | undefined>;
}

/** Our own secrets' variables: an exec plugin inherits the environment, but never needs these. */
const WITHHELD = kubernetesOptions.filter((o) => o.secret).flatMap((o) => o.env ?? []);

export class Cluster {
  readonly pollInitialMs: number | undefined;
  readonly pollMaxMs: number | undefined;
  private connectionValue: ClusterConnection | undefined;
  private clientValue: KubeClient | undefined;
  private storeValue: ObjectStore | undefined;
  private databaseValue: PreviewDatabase | undefined;

  constructor(
    readonly settings: KubernetesSettings,
    readonly context: ProviderContext,
    private readonly tuning: KubernetesTuning = {},
  ) {
    this.pollInitialMs = tuning.pollInitialMs;
    this.pollMaxMs = tuning.pollMaxMs;
    context.logger.addSecret(settings.token);
    if (settings.databaseUrl) context.logger.addSecret(settings.databaseUrl);
  }

  get connection(): ClusterConnection {
    if (!this.connectionValue) {
      const c = resolveConnection(this.settings, this.tuning.files ?? nodeFiles);
      this.context.logger.addSecret(c.token);
      this.context.logger.addSecret(c.basic?.password);
      this.context.logger.addSecret(c.key?.toString('utf8'));
      const via = c.exec ? `, credentials from exec plugin ${c.exec.commandText}` : '';
      this.context.logger.debug(`Kubernetes API ${c.server} from ${c.source}${via}`);
      this.connectionValue = c;
    }
    return this.connectionValue;
  }

  private credentials(connection: ClusterConnection): CredentialSource {
    if (!connection.exec) return fixedCredentials(connection);
    return new ExecCredentials({
      plugin: connection.exec,
      logger: this.context.logger,
      deadline: this.context.deadline,
      withheld: WITHHELD,
      ...(this.tuning.environ ? { environ: this.tuning.environ } : {}),
    });
  }

  get client(): KubeClient {
    this.clientValue ??= new KubeClient({
      connection: this.connection,
      credentials: this.credentials(this.connection),
      logger: this.context.logger,
      deadline: this.context.deadline,
      requestTimeoutMs: this.tuning.requestTimeoutMs,
      backoffMs: this.pollInitialMs,
    });
    return this.clientValue;
  }

  get store(): ObjectStore {
    this.storeValue ??= new ObjectStore({
      client: this.client,
      plan: this.context.plan,
      logger: this.context.logger,
      deadline: this.context.deadline,
      pollInitialMs: this.pollInitialMs,
      pollMaxMs: this.pollMaxMs,
    });
    return this.storeValue;
  }

  get database(): PreviewDatabase | undefined {
    if (!this.settings.databaseUrl) return undefined;
    this.databaseValue ??= new PreviewDatabase({
      adminUrl: this.settings.databaseUrl,
      appHost: this.settings.databaseAppHost,
      logger: this.context.logger,
      plan: this.context.plan,
      deadline: this.context.deadline,
      adopt: this.context.adopt,
    });
    return this.databaseValue;
  }

  /** The namespace of a preview: its own with --namespace-per-preview, else the shared one. */
  namespaceOf(name: string): string {
    if (this.settings.namespacePerPreview) return name;
    return this.settings.namespace ?? this.connection.namespace ?? 'default';
  }

  /** Requests made so far, by method, once a request was made. */
  get stats() {
    return this.clientValue?.stats;
  }

  close(): void {
    this.clientValue?.close();
  }
}
