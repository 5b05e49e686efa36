/**
 * Previews as Convox apps. One app per preview, named after it; our ownership record lives in the
 * app's release environment (racks keep no free-form tags or parameters); code goes up the way
 * `convox deploy` sends it: source tarball as an object, a build from it, promotion of the
 * build's release, then a wait until the app runs that release.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, ConflictError, isRetryable, NotFoundError, ProviderError, SafetyError, TimeoutError } from '../../core/errors.js';
import { Deadline, poll, retry } from '../../core/retry.js';
import { HttpClient, type HttpClientOptions, type HttpTlsOptions } from '../http.js';
import type {
  DeployResult,
  DestroyResult,
  EnsureResult,
  Preview,
  PreviewDeployment,
  PreviewDomain,
  PreviewSpec,
  Provider,
  ProviderContext,
  SourceRef,
} from '../types.js';
import { VERSION } from '../../version.js';
import {
  assertRepresentable,
  BRANCH_KEY,
  CREATED_KEY,
  desiredEnv,
  envChanges,
  formatEnv,
  isOwned,
  OWNER_KEY,
  ownerValue,
  parseEnv,
  sameEnv,
  withManagedVar,
  type Env,
} from './env.js';
import { telltaleLine } from './build-log.js';
import { RackApi, isAlreadyExists, type RackApp, type RackBuild, type RackRelease, type RackService } from './rack-api.js';
import type { ConvoxSettings } from './settings.js';
import { packSource, type PackedSource } from './source.js';

export interface ConvoxTuning {
  /** First delay between two looks at an app or a build, ms. */
  pollInitialMs: number;
  /** Longest delay between two looks, ms. */
  pollMaxMs: number;
  /** Backoff base of HTTP retries, ms. */
  httpBackoffMs: number;
  /** Per-request timeout of API calls, ms. */
  requestTimeoutMs: number;
  /** Per-request timeout of the source upload, ms. */
  uploadTimeoutMs: number;
  now: () => Date;
}

export const DEFAULT_TUNING: ConvoxTuning = {
  pollInitialMs: 500,
  pollMaxMs: 5_000,
  httpBackoffMs: 300,
  requestTimeoutMs: 30_000,
  uploadTimeoutMs: 300_000,
  now: () => new Date(),
};

/** Lines of a failed build's log worth showing. */
const LOG_TAIL_LINES = 20;

/** A failed build: exit 5, with the end of its log for the person reading the job output. */
export class BuildFailedError extends ProviderError {
  constructor(
    message: string,
    readonly buildId: string,
    readonly logTail: string,
    hint: string,
  ) {
    super(message, { hint });
  }
}

interface AppState {
  app: RackApp;
  /** Newest release (promoted or not): the rack forks every new release from it. */
  latest: RackRelease | undefined;
  env: Env;
  owned: boolean;
}

/** App statuses in which nothing is moving: a build or a promotion may start. */
const SETTLED = new Set(['running', 'rollback', 'failed', 'unknown']);
const FAILED = new Set(['rollback', 'failed']);

export function builtFrom(build: RackBuild | undefined, commit: string): boolean {
  if (!build) return false;
  const want = commit.toLowerCase();
  const sha = (build['git-sha'] ?? '').toLowerCase();
  if (sha) return sha === want || (sha.length >= 7 && want.startsWith(sha)) || (want.length >= 7 && sha.startsWith(want));
  // Racks that drop git-sha still keep the description, where we put the full commit.
  return want.length >= 7 && (build.description ?? '').toLowerCase().includes(want);
}

function deploymentState(status: string): PreviewDeployment['state'] {
  if (status === 'running') return 'ok';
  if (FAILED.has(status)) return 'failed';
  if (status === 'creating' || status === 'updating') return 'running';
  return status;
}

function tail(text: string, lines: number): string {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}

function hostsOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
}

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

export class ConvoxProvider implements Provider {
  readonly id = 'convox' as const;
  readonly api: RackApi;
  readonly http: HttpClient;
  private readonly tuning: ConvoxTuning;
  private warnedAdopt = new Set<string>();
  /** Apps whose convox.yml was already said not to route the preview host: once per run is enough. */
  private warnedRoutes = new Set<string>();
  private readonly clientOptions: HttpClientOptions;

  constructor(
    private readonly settings: ConvoxSettings,
    private readonly context: ProviderContext,
    tuning: Partial<ConvoxTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    context.logger.addSecret(settings.password);
    const auth = `Basic ${Buffer.from(`convox:${settings.password}`).toString('base64')}`;
    context.logger.addSecret(auth.slice('Basic '.length));
    const headers: Record<string, string> = { authorization: auth, 'user-agent': `preview-kit/${VERSION}` };
    if (settings.rack) headers.rack = settings.rack;
    const common = (this.clientOptions = {
      baseUrl: settings.rackUrl,
      authHeaders: () => headers,
      logger: context.logger,
      deadline: context.deadline,
      label: 'Convox rack',
      authHint: 'check the rack password in RACK_URL (https://convox:PASSWORD@host) or CONVOX_PASSWORD',
      backoffMs: this.tuning.httpBackoffMs,
      tls: rackTls(settings, context),
      tlsHint: 'racks often serve a self-signed certificate: trust it with --rack-ca-file FILE (CONVOX_RACK_CA_FILE), or skip verification as the convox CLI does with --rack-insecure-skip-tls-verify (CONVOX_INSECURE_SKIP_TLS_VERIFY=true)',
    });
    this.http = new HttpClient({ ...common, requestTimeoutMs: this.tuning.requestTimeoutMs });
    this.api = new RackApi(this.http, new HttpClient({ ...common, requestTimeoutMs: this.tuning.uploadTimeoutMs }));
  }

  // ---------------------------------------------------------------- reading

  private async latestRelease(app: string): Promise<RackRelease | undefined> {
    const [first] = await this.api.listReleases(app, 1);
    if (!first) return undefined;
    // Some racks list releases without their env; the release itself always has it.
    return typeof first.env === 'string' ? first : this.api.getRelease(app, first.id);
  }

  /** The app and its ownership, or undefined when absent. */
  private async inspect(name: string): Promise<AppState | undefined> {
    const app = await this.api.getApp(name);
    if (!app) return undefined;
    let latest: RackRelease | undefined;
    try {
      latest = await this.latestRelease(name);
    } catch (error) {
      // Deleted between the two calls: absent is the truth, but only if the app says so too.
      if (error instanceof ProviderError && error.status === 404 && !(await this.api.getApp(name))) return undefined;
      throw error;
    }
    const env = parseEnv(latest?.env);
    return { app, latest, env, owned: isOwned(env, name) };
  }

  private notOurs(action: string, name: string): SafetyError {
    return new SafetyError(
      `${action}: app ${name} exists on the rack but preview-kit did not create it (its environment has no ${OWNER_KEY}=${ownerValue(name)})`,
      { hint: 'pass --adopt to take it over, or choose another --app or --prefix' },
    );
  }

  private requireOwned(state: AppState, action: string): void {
    if (state.owned) return;
    if (!this.context.adopt) throw this.notOurs(action, state.app.name);
    if (!this.warnedAdopt.has(state.app.name)) {
      this.warnedAdopt.add(state.app.name);
      this.context.logger.warn(`adopting app ${state.app.name}, which preview-kit did not create (--adopt)`);
    }
  }

  private pickService(services: RackService[]): RackService | undefined {
    const withDomain = services.filter((s) => s.domain);
    if (this.settings.service) return withDomain.find((s) => s.name === this.settings.service);
    const isPublic = (s: RackService) => (s.ports ?? []).length > 0;
    return withDomain.find((s) => s.name === 'web' && isPublic(s)) ?? withDomain.find(isPublic) ?? withDomain.find((s) => s.name === 'web');
  }

  private async toPreview(state: AppState, full = true): Promise<Preview> {
    const { app, env } = state;
    const hosts = hostsOf(env[this.settings.domainEnv]);
    let services: RackService[] = [];
    let lastDeployment: PreviewDeployment | undefined;
    const details: Record<string, unknown> = {
      status: app.status,
      release: app.release || undefined,
      latestRelease: state.latest?.id,
      generation: app.generation,
      locked: app.locked ?? false,
    };
    if (full && app.release) {
      services = await this.api.listServices(app.name);
      const release = state.latest?.id === app.release ? state.latest : await this.api.getRelease(app.name, app.release);
      const build = release.build ? await this.api.getBuild(app.name, release.build) : undefined;
      lastDeployment = {
        id: app.release,
        state: deploymentState(app.status),
        ...(build?.['git-sha'] ? { commit: build['git-sha'] } : {}),
        ...(release.created ? { createdAt: release.created } : {}),
      };
      details.build = build?.id;
      details.services = services.map((s) => ({ name: s.name, domain: s.domain, url: s.domain ? `https://${s.domain}` : undefined, count: s.count }));
    }
    const primary = this.pickService(services);
    const domains: PreviewDomain[] = [
      ...hosts.map((host) => ({ host })),
      ...services.filter((s) => s.domain && !hosts.includes(s.domain)).map((s) => ({ host: s.domain, builtIn: true })),
    ];
    const url = hosts[0] ? `https://${hosts[0]}` : primary ? `https://${primary.domain}` : '';
    return {
      name: app.name,
      id: app.name,
      url,
      domains,
      ...(lastDeployment ? { lastDeployment } : {}),
      ...(env[BRANCH_KEY] ? { branch: env[BRANCH_KEY] } : {}),
      ...(env[CREATED_KEY] ? { createdAt: env[CREATED_KEY] } : {}),
      details,
    };
  }

  private plannedPreview(spec: PreviewSpec): Preview {
    return {
      name: spec.name,
      id: spec.name,
      url: spec.domains[0] ? `https://${spec.domains[0]}` : '',
      domains: spec.domains.map((host) => ({ host })),
      ...(spec.branch ? { branch: spec.branch } : {}),
    };
  }

  // ---------------------------------------------------------------- waiting

  private pollOptions(what: string, deadline: Deadline = this.context.deadline) {
    return { deadline, what, initialMs: this.tuning.pollInitialMs, maxMs: this.tuning.pollMaxMs };
  }

  /**
   * Waits until the app runs. `justCreated`: we created it, so a failed status is our failure
   * (exit 5), and the app may not be listed yet; an existing app in a failed state is left for the
   * next promotion to repair.
   */
  private async waitAppRunning(name: string, justCreated: boolean): Promise<RackApp> {
    let status = 'unknown';
    return this.sayStatusOnTimeout(name, () => status, poll(async () => {
      const app = await this.api.getApp(name);
      if (!app) {
        if (justCreated) return undefined;
        throw new ProviderError(`app ${name} disappeared while we waited for it`, { hint: 'did another job stop this preview?' });
      }
      status = app.status;
      if (app.status === 'running') return app;
      if (FAILED.has(app.status)) {
        if (justCreated) {
          throw new ProviderError(`create app ${name}: the rack left it in status "${app.status}"`, {
            hint: `see \`convox apps info ${name}\` and the rack's logs`,
          });
        }
        this.context.logger.warn(`app ${name} is in status "${app.status}"; the next promotion may repair it`);
        return app;
      }
      if (app.status === 'unknown') {
        this.context.logger.warn(`the rack reports app ${name} in status "unknown"; going on`);
        return app;
      }
      if (app.status === 'deleting') {
        throw new ProviderError(`app ${name} is being deleted`, { hint: 'another job is stopping this preview; run again once it is gone' });
      }
      return undefined;
    }, { ...this.pollOptions(`app ${name} to be running`), onWait: (ms) => this.context.logger.progress(`app ${name}: ${status} (${Math.round(ms / 1000)}s)`) }));
  }

  /** A wait that ran out of time says the status the app was stuck in, and where to look. */
  private async sayStatusOnTimeout<T>(name: string, status: () => string, waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      const busy = status() === 'updating' ? '; another deploy or a change of its parameters may still be under way' : '';
      throw new TimeoutError(`${error.message}: the app was still "${status()}"${busy}`, {
        hint: `see \`convox apps info ${name}\` and \`convox logs -a ${name}\`, or raise --timeout`,
      });
    }
  }

  private async waitGone(name: string): Promise<void> {
    let runningSeen = 0;
    await poll(async () => {
      const app = await this.api.getApp(name);
      if (!app) return true;
      // A rack that failed to delete puts the app back to running (CloudFormation DELETE_FAILED).
      runningSeen = app.status === 'running' ? runningSeen + 1 : 0;
      if (runningSeen >= 3) {
        throw new ProviderError(`stop: the rack did not delete app ${name}: it is running again`, { hint: `see \`convox apps info ${name}\` and the rack's logs` });
      }
      return undefined;
    }, { ...this.pollOptions(`app ${name} to be deleted`), onWait: (ms) => this.context.logger.progress(`deleting app ${name} (${Math.round(ms / 1000)}s)`) });
  }

  /**
   * An app without any release and without our record may be another run's app between its
   * creation and its first release: give that run a moment to write the record.
   */
  private async waitForOwner(name: string): Promise<AppState | undefined> {
    const limit = Math.min(this.settings.claimWaitMs, this.context.deadline.remaining());
    const local = new Deadline(limit, this.context.deadline.clock);
    this.context.logger.info(`app ${name} exists without any release yet; waiting up to ${Math.round(limit / 1000)}s for the run that created it`);
    try {
      return await poll(async () => {
        const state = await this.inspect(name);
        if (!state) throw new ProviderError(`app ${name} disappeared while we waited for its owner record`, { hint: 'run again' });
        return state.owned || state.latest ? state : undefined;
      }, this.pollOptions(`the owner record of app ${name}`, local));
    } catch (error) {
      if (error instanceof TimeoutError) return undefined;
      throw error;
    }
  }

  // ---------------------------------------------------------------- writing

  /** `created`: ours; `taken`: another run created it at the same moment; `unknown`: the rack failed but the app exists. */
  private async createApp(name: string): Promise<'created' | 'taken' | 'unknown' | 'dry'> {
    return this.context.plan.apply(
      { kind: 'create', target: `app ${name}`, detail: 'Convox generation 2' },
      async () => {
        try {
          await this.api.createApp(name);
          return 'created' as const;
        } catch (error) {
          if (isAlreadyExists(error)) {
            this.context.logger.info(`app ${name} was created by someone else at the same moment; looking at it again`);
            return 'taken' as const;
          }
          if (/no more than 63 characters/i.test((error as Error).message)) {
            throw new ConfigError(`create app ${name}: the rack refused the name: ${(error as Error).message}`, {
              hint: 'racks on Kubernetes name the namespace <rack>-<app>, 63 characters at most: shorten --app or set a shorter --prefix',
            });
          }
          // The create may have been applied before the error: look before anything else.
          if (isRetryable(error) && (await this.api.getApp(name))) {
            this.context.logger.warn(`the rack failed to answer the creation of ${name} (${(error as Error).message}), but the app exists`);
            return 'unknown' as const;
          }
          throw error;
        }
      },
      'dry' as const,
    );
  }

  /** Writes the environment as a new release (not promoted: the next deploy carries it). */
  private async writeEnv(name: string, from: Env, to: Env, why: string): Promise<void> {
    await this.context.plan.apply(
      { kind: 'update', target: `environment of app ${name}`, detail: `${why}: ${envChanges(from, to).join(' ')}` },
      () =>
        retry(
          async () => {
            try {
              await this.api.createRelease(name, { env: formatEnv(to) });
            } catch (error) {
              // A release answered 5xx may exist all the same: creating it twice would be harmless
              // but noisy, so look first.
              if (isRetryable(error)) {
                const latest = await this.latestRelease(name).catch(() => undefined);
                if (latest && sameEnv(parseEnv(latest.env), to)) return;
              }
              throw error;
            }
          },
          { attempts: 3, deadline: this.context.deadline, initialMs: this.tuning.httpBackoffMs, what: `write the environment of ${name}` },
        ),
      undefined,
    );
  }

  private wantedEnv(spec: PreviewSpec, current: Env): Env {
    // Domains reach convox.yml through an env var; setting it with the rest saves a second release in `up`.
    const wanted = spec.domains.length > 0 ? { ...spec.env, [this.settings.domainEnv]: spec.domains.join(',') } : spec.env;
    return desiredEnv(current, { appName: spec.name, wanted, branch: spec.branch, now: this.tuning.now() });
  }

  /**
   * Deletes an app we created but could not mark: without the record a re-run would have to
   * refuse it. Runs on its own short deadline, since the command's may be what ran out.
   */
  private async removeUnmarked(name: string): Promise<void> {
    this.context.logger.warn(`removing app ${name}: it was created but could not be marked as preview-kit's`);
    const cleanup = new RackApi(new HttpClient({ ...this.clientOptions, deadline: new Deadline(30_000, this.context.deadline.clock), requestTimeoutMs: 10_000 }));
    await cleanup.deleteApp(name).catch((error: unknown) => {
      this.context.logger.warn(`could not remove app ${name} (${(error as Error).message}); remove it with \`convox apps delete ${name}\``);
    });
  }

  async find(name: string): Promise<Preview | undefined> {
    const state = await this.inspect(name);
    if (!state) return undefined;
    this.requireOwned(state, 'find preview');
    return this.toPreview(state);
  }

  async ensure(spec: PreviewSpec): Promise<EnsureResult> {
    assertRepresentable(spec.env);
    const name = spec.name;
    const { logger, plan } = this.context;
    let state = await this.inspect(name);
    if (state?.app.status === 'deleting') {
      logger.info(`app ${name} is being deleted; waiting until it is gone before creating it again`);
      if (plan.dryRun) state = undefined;
      else {
        await this.waitGone(name);
        state = undefined;
      }
    }

    let created = false;
    let triedCreate = false;
    if (!state) {
      const outcome = await this.createApp(name);
      if (outcome === 'dry') {
        await this.writeEnv(name, {}, this.wantedEnv(spec, {}), 'record ownership');
        return { preview: this.plannedPreview(spec), created: true, changed: true };
      }
      triedCreate = true;
      created = outcome === 'created';
      try {
        // A 409 means an app created this very moment, by us or a twin run: same tolerance as our own.
        await this.waitAppRunning(name, outcome !== 'unknown');
        // Record ownership as soon as the rack can store a release (older racks keep releases in
        // storage the app's own stack creates): the twin run that got the 409 waits for it.
        if (created) await this.writeEnv(name, {}, this.wantedEnv(spec, {}), 'record ownership');
      } catch (error) {
        if (created) await this.removeUnmarked(name);
        throw error;
      }
      state = await this.inspect(name);
      if (!state) throw new ProviderError(`create app ${name}: the app disappeared right after its creation`, { hint: 'did another job stop this preview?' });
    } else if (!SETTLED.has(state.app.status)) {
      await this.waitAppRunning(name, false);
      state = (await this.inspect(name)) ?? state;
    }

    if (!state.owned && !this.context.adopt) {
      if (state.latest) throw this.notOurs('ensure-app', name);
      const marked = await this.waitForOwner(name);
      if (marked?.owned) state = marked;
      else if (marked?.latest || !triedCreate) throw this.notOurs('ensure-app', name);
      else logger.warn(`app ${name} appeared empty as we created it and nobody claimed it: taking it as ours`);
    } else if (!state.owned) {
      this.requireOwned(state, 'ensure-app');
    }

    const wanted = this.wantedEnv(spec, state.env);
    let changed = created;
    if (!sameEnv(wanted, state.env)) {
      await this.writeEnv(name, state.env, wanted, state.owned ? 'environment' : 'record ownership');
      state = { ...state, env: wanted, owned: true };
      changed = true;
      if (state.app.release) logger.info(`the new environment of ${name} goes live with the next deploy`);
    }
    return { preview: await this.toPreview(state), created, changed };
  }

  async setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    const name = preview.name;
    const state = await this.inspect(name);
    if (!state) {
      if (this.context.plan.dryRun) return { changed: spec.domains.length > 0, domains: spec.domains.map((host) => ({ host })) };
      throw new NotFoundError(`set-domain: app ${name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
    }
    this.requireOwned(state, 'set-domain');
    const key = this.settings.domainEnv;
    const value = spec.domains.join(',');
    let changed = false;
    if ((state.env[key] ?? '') !== value) {
      const next = withManagedVar(state.env, key, value || undefined);
      await this.writeEnv(name, state.env, next, 'domains');
      state.env = next;
      changed = true;
      this.context.logger.info(`domains of ${name} go live with the next deploy (Convox routes them from convox.yml \`domain: \${${key}}\`)`);
    }
    this.checkManifestRoutes(state);
    const updated = await this.toPreview(state);
    return { changed, domains: updated.domains };
  }

  /** Convox attaches domains only through convox.yml: say so when the manifest cannot route ours. */
  private checkManifestRoutes(state: AppState): void {
    const key = this.settings.domainEnv;
    const manifest = state.latest?.manifest;
    if (!state.env[key] || !manifest) return;
    if (!manifest.includes(`\${${key}}`) && !this.warnedRoutes.has(state.app.name)) {
      this.warnedRoutes.add(state.app.name);
      this.context.logger.warn(
        `convox.yml of ${state.app.name} does not use \${${key}}: the rack will not route ${hostsOf(state.env[key]).join(', ')} ` +
          `(add \`domain: \${${key}}\` to the service that serves the preview)`,
      );
    }
  }

  async deploy(preview: Preview, source: SourceRef): Promise<DeployResult> {
    const name = preview.name;
    const { logger, plan } = this.context;
    const commit = source.commit;
    const short = commit.slice(0, 12);
    const state = await this.inspect(name);
    if (!state) {
      if (plan.dryRun) {
        await plan.apply({ kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` }, async () => undefined, undefined);
        return { deployed: true, url: preview.url };
      }
      throw new NotFoundError(`deploy: app ${name} does not exist on the rack`, { hint: 'run `preview-kit ensure-app` first' });
    }
    this.requireOwned(state, 'deploy');
    let app = state.app;
    if (!SETTLED.has(app.status)) app = await this.waitAppRunning(name, false);

    if (!source.force) {
      const latest = state.latest;
      const liveRelease = app.release ? (latest?.id === app.release ? latest : await this.api.getRelease(name, app.release)) : undefined;
      const liveBuild = liveRelease?.build ? await this.api.getBuild(name, liveRelease.build) : undefined;
      if (builtFrom(liveBuild, commit) && (!latest || latest.id === app.release) && !FAILED.has(app.status)) {
        const current = await this.toPreview({ ...state, app });
        return {
          deployed: false,
          reason: `commit ${short} is already live (release ${app.release}, build ${liveBuild!.id})`,
          url: current.url,
          ...(current.lastDeployment ? { deployment: current.lastDeployment } : {}),
        };
      }
      // A release of this commit that is not live: configuration written since, or a deploy that
      // stopped before its promotion. Promoting it is all that is left to do.
      if (latest && latest.id !== app.release && latest.build) {
        const latestBuild = latest.build === liveBuild?.id ? liveBuild : await this.api.getBuild(name, latest.build);
        if (builtFrom(latestBuild, commit)) {
          logger.info(`release ${latest.id} of ${short} is not live yet: promoting it`);
          return this.promoteAndReport(state, latest.id, commit);
        }
      }
    }

    let build: RackBuild | undefined;
    if (!source.force) {
      // Another pipeline may be building this very commit: wait for its build rather than start a second one.
      build = (await this.api.listBuilds(name, 10)).find((b) => builtFrom(b, commit) && (b.status === 'created' || b.status === 'running'));
      if (build) logger.info(`build ${build.id} of ${short} is already under way: waiting for it`);
    }
    if (!build) {
      const packed = await packSource(source.dir, commit);
      logger.info(`packed ${packed.files} files of ${short} (${packed.ignored} left out by .dockerignore), ${Math.ceil(packed.data.length / 1024)} KiB`);
      const started = await plan.apply(
        { kind: 'deploy', target: `app ${name}`, detail: `build and promote ${short}` },
        () => this.startBuild(name, commit, packed),
        undefined,
      );
      if (!started) return { deployed: true, url: preview.url };
      build = started;
      logger.info(`build ${build.id} started`);
    }
    const done = await this.waitBuild(name, build.id, commit);
    if (!done.release) throw new ProviderError(`deploy: build ${done.id} of ${name} completed without a release`, { hint: `see \`convox builds info ${done.id} -a ${name}\`` });
    return this.promoteAndReport(state, done.release, commit);
  }

  private async startBuild(name: string, commit: string, packed: PackedSource): Promise<RackBuild> {
    const key = `tmp/${randomBytes(15).toString('hex')}.tgz`;
    const url = await this.api.storeObject(name, key, packed.data);
    const fields = { url, description: `preview-kit ${commit}`, gitSha: commit, ...(this.settings.manifest ? { manifest: this.settings.manifest } : {}) };
    try {
      return await this.api.createBuild(name, fields);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      // The build may have started before the error: a second one would build the same commit twice.
      const started = (await this.api.listBuilds(name, 5)).find((b) => builtFrom(b, commit) && (b.status === 'created' || b.status === 'running'));
      if (started) return started;
      return this.api.createBuild(name, fields);
    }
  }

  private async waitBuild(name: string, id: string, commit: string): Promise<RackBuild> {
    let status = 'created';
    return poll(async () => {
      const build = await this.api.getBuild(name, id);
      status = build.status;
      switch (build.status) {
        case 'created':
        case 'running':
          return undefined;
        case 'complete':
          return build;
        case 'failed':
          throw await this.buildFailure(name, build, commit);
        default:
          throw new ProviderError(`deploy: build ${id} of ${name} is in an unexpected status "${build.status}"`, { hint: `see \`convox builds info ${id} -a ${name}\`` });
      }
    }, { ...this.pollOptions(`build ${id} of ${name}`), onWait: (ms) => this.context.logger.progress(`build ${id}: ${status} (${Math.round(ms / 1000)}s)`) });
  }

  private async buildFailure(name: string, build: RackBuild, commit: string): Promise<BuildFailedError> {
    let log = '';
    const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.logs ?? '');
    if (where) {
      try {
        log = await this.api.fetchObject(where[1]!, where[2]!);
      } catch (error) {
        this.context.logger.debug(`could not read the log of build ${build.id}: ${(error as Error).message}`);
      }
    }
    const lastLines = tail(log, LOG_TAIL_LINES);
    if (lastLines) this.context.logger.error(`last lines of the log of build ${build.id}:\n${lastLines}`);
    const reason = build.reason && !/^\s*build failed\s*$/i.test(build.reason) ? build.reason : '';
    const why = (reason || telltaleLine(lastLines.split('\n'))).slice(0, 300);
    return new BuildFailedError(
      `deploy: build ${build.id} of ${name} (commit ${commit.slice(0, 12)}) failed${why ? `: ${why}` : ''}`,
      build.id,
      lastLines,
      `full log: convox builds logs ${build.id} -a ${name}`,
    );
  }

  private async promoteAndReport(state: AppState, releaseId: string, commit: string): Promise<DeployResult> {
    const name = state.app.name;
    await this.promote(name, releaseId);
    if (this.context.plan.dryRun) return { deployed: true, url: (await this.toPreview(state, false)).url };
    const after = await this.inspect(name);
    const preview = after ? await this.toPreview(after) : undefined;
    if (after) this.checkManifestRoutes(after);
    return {
      deployed: true,
      url: preview?.url ?? '',
      deployment: { id: releaseId, state: 'ok', commit, ...(preview?.lastDeployment?.createdAt ? { createdAt: preview.lastDeployment.createdAt } : {}) },
    };
  }

  /** Promotes the release and waits until the app runs it; a rollback is a failure. */
  private async promote(name: string, releaseId: string): Promise<void> {
    await this.context.plan.apply(
      { kind: 'deploy', target: `app ${name}`, detail: `promote release ${releaseId}` },
      async () => {
        try {
          await this.api.promote(name, releaseId);
        } catch (error) {
          if (isRetryable(error) && (await this.api.getApp(name))?.release === releaseId) return;
          throw error;
        }
      },
      undefined,
    );
    if (this.context.plan.dryRun) return;
    let status = 'updating';
    await this.sayStatusOnTimeout(name, () => status, poll(async () => {
      const app = await this.api.getApp(name);
      if (!app) throw new ProviderError(`deploy: app ${name} disappeared during the promotion`, { hint: 'did another job stop this preview?' });
      status = app.status;
      if (FAILED.has(app.status)) {
        throw new ProviderError(`deploy: release ${releaseId} of ${name} did not start: the app is in status "${app.status}"`, {
          hint: `see \`convox logs -a ${name}\` and \`convox releases -a ${name}\``,
        });
      }
      if (app.status !== 'running') return undefined;
      if (app.release === releaseId) return app;
      // The rack switches the release when the promotion starts, so running another one means it was reverted or superseded.
      throw new ProviderError(`deploy: release ${releaseId} of ${name} was not kept: the app runs ${app.release || 'no release'}`, {
        hint: 'it was rolled back, or a concurrent deploy promoted another release',
      });
    }, { ...this.pollOptions(`release ${releaseId} of ${name} to be running`), onWait: (ms) => this.context.logger.progress(`promoting ${releaseId}: ${status} (${Math.round(ms / 1000)}s)`) }));
  }

  async destroy(name: string): Promise<DestroyResult> {
    const state = await this.inspect(name);
    if (!state) return { deleted: false, removed: [] };
    const removed = [`app ${name}`];
    if (state.app.status !== 'deleting') {
      this.requireOwned(state, 'stop');
      await this.context.plan.apply(
        { kind: 'delete', target: `app ${name}`, detail: 'with its builds, releases and resources' },
        async () => {
          try {
            await this.api.deleteApp(name);
          } catch (error) {
            if (error instanceof ConflictError) {
              throw new ProviderError(`stop: the rack refused to delete app ${name}: ${error.message}`, { hint: `if it is locked: convox apps unlock -a ${name}` });
            }
            throw error;
          }
        },
        undefined,
      );
    }
    if (!this.context.plan.dryRun) await this.waitGone(name);
    return { deleted: true, removed };
  }

  async list(): Promise<Preview[]> {
    const out: Preview[] = [];
    for (const app of await this.api.listApps()) {
      let latest: RackRelease | undefined;
      try {
        latest = await this.latestRelease(app.name);
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404) continue; // deleted meanwhile
        throw error;
      }
      const env = parseEnv(latest?.env);
      if (isOwned(env, app.name)) out.push(await this.toPreview({ app, latest, env, owned: true }, false));
    }
    return out;
  }
}
