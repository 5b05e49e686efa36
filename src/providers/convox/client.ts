/**
 * What every Convox step works with: the rack's API, the settings, the command's context and the
 * polling tuning. Made once per provider from its settings; it holds nothing about any preview.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';
import { Deadline } from '../../core/retry.js';
import { HttpClient, type HttpClientOptions, type HttpTlsOptions } from '../http.js';
import type { ProviderContext } from '../types.js';
import { VERSION } from '../../version.js';
import { FORBIDDEN_HINT, RackApi } from './rack-api.js';
import type { ConvoxSettings } from './settings.js';

export interface ConvoxTuning {
  /** First delay between two looks at an app or a build, ms (default: core/retry's WAIT_BACKOFF). */
  pollInitialMs?: number;
  /** Longest delay between two looks, ms (default: WAIT_BACKOFF's). */
  pollMaxMs?: number;
  /** Backoff base of HTTP retries, ms. */
  httpBackoffMs: number;
  /** Per-request timeout of API calls, ms. */
  requestTimeoutMs: number;
  /** Per-request timeout of the source upload, ms. */
  uploadTimeoutMs: number;
  now: () => Date;
}

/**
 * Looks at an app or a build follow WAIT_BACKOFF (100 ms doubling to 1 s): a rack answers them from
 * what it holds already (v2 caches its stacks' state, v3 reads the cluster's), so one a second
 * costs it nothing, and a wait ends within a second of the fact.
 */
export const DEFAULT_TUNING: ConvoxTuning = {
  httpBackoffMs: 300,
  requestTimeoutMs: 30_000,
  uploadTimeoutMs: 300_000,
  now: () => new Date(),
};

const AUTH_HINT = 'check the rack password in RACK_URL (https://convox:PASSWORD@host) or CONVOX_PASSWORD';

/** How to trust the rack's certificate: read here, when the provider is made, never at import. */
function rackTls(settings: ConvoxSettings, context: ProviderContext): HttpTlsOptions | undefined {
  if (settings.insecureSkipTlsVerify) {
    context.logger.warn('not verifying the rack TLS certificate (--rack-insecure-skip-tls-verify): anyone on the path can read the rack password; prefer --rack-ca-file');
    return { insecure: true };
  }
  if (!settings.rackCaFile) return undefined;
  let ca: string;
  try {
    ca = readFileSync(settings.rackCaFile, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --rack-ca-file ${settings.rackCaFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`--rack-ca-file ${settings.rackCaFile} holds no PEM certificate`, { hint: 'give the rack certificate (or its CA) in PEM form: -----BEGIN CERTIFICATE-----' });
  }
  return { ca };
}

export class Rack {
  readonly api: RackApi;
  readonly http: HttpClient;
  readonly tuning: ConvoxTuning;
  /** How the rack's certificate is trusted, when not by the system's CAs. */
  readonly tls: HttpTlsOptions | undefined;
  private readonly clientOptions: HttpClientOptions;
  private readonly requestHeaders: Record<string, string>;

  constructor(
    readonly settings: ConvoxSettings,
    readonly context: ProviderContext,
    tuning: Partial<ConvoxTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    context.logger.addSecret(settings.password);
    const auth = `Basic ${Buffer.from(`convox:${settings.password}`).toString('base64')}`;
    context.logger.addSecret(auth.slice('Basic '.length));
    const headers: Record<string, string> = { authorization: auth, 'user-agent': `preview-kit/${VERSION}` };
    if (settings.rack) headers.rack = settings.rack;
    this.requestHeaders = headers;
    this.tls = rackTls(settings, context);
    this.clientOptions = {
      baseUrl: settings.rackUrl,
      authHeaders: () => headers,
      logger: context.logger,
      deadline: context.deadline,
      label: 'Convox rack',
      authHint: AUTH_HINT,
      forbiddenHint: FORBIDDEN_HINT,
      backoffMs: this.tuning.httpBackoffMs,
      tls: this.tls,
      tlsHint:
        'racks often serve a self-signed certificate: trust it with --rack-ca-file FILE (CONVOX_RACK_CA_FILE), or skip verification as the convox CLI does with --rack-insecure-skip-tls-verify (CONVOX_INSECURE_SKIP_TLS_VERIFY=true)',
    };
    this.http = new HttpClient({ ...this.clientOptions, requestTimeoutMs: this.tuning.requestTimeoutMs });
    this.api = new RackApi(this.http, new HttpClient({ ...this.clientOptions, requestTimeoutMs: this.tuning.uploadTimeoutMs }));
  }

  get logger() {
    return this.context.logger;
  }

  /** The headers of every request to the rack (credentials included: never print them). */
  headers(): Record<string, string> {
    return { ...this.requestHeaders };
  }

  /** A client on its own short deadline, for cleaning up after the command's deadline ran out. */
  cleanupApi(): RackApi {
    return new RackApi(new HttpClient({ ...this.clientOptions, deadline: new Deadline(30_000, this.context.deadline.clock), requestTimeoutMs: 10_000 }));
  }

  /** Poll options on the command's deadline (or a shorter one). */
  pollOptions(what: string, deadline: Deadline = this.context.deadline) {
    const { pollInitialMs, pollMaxMs } = this.tuning;
    return { deadline, what, ...(pollInitialMs === undefined ? {} : { initialMs: pollInitialMs }), ...(pollMaxMs === undefined ? {} : { maxMs: pollMaxMs }) };
  }
}
