/**
 * The rack's routes (pkg/api/routes.go of both generations) over the fake's state: what each
 * controller answers, with the generation's own statuses, error texts and timings. The HTTP side
 * (auth, faults, logging, error bodies) is in server.ts.
 */
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { appJson, releaseJson, type GenerationRules, type RackError } from './generation.js';
import { manifestServices, processesOf, promotedScale } from './scale.js';
import { buildJson, envDiff, formatEnvText, rackId, ZERO_TIME, type AppRecord, type BuildRecord, type ReleaseRecord, type ServiceScale } from './state.js';
import { readTarGz } from './tar.js';

export interface FakeRackDelays {
  /** v2 creating → running, v3 updating → running */
  create: number;
  /** build created → running */
  buildStart: number;
  /** build running → complete|failed */
  build: number;
  /** updating → running after a promotion */
  promote: number;
  /** deleting → gone */
  delete: number;
  /** v3: how long the pods of a scale-down keep running (their termination grace period) */
  terminate: number;
}

export type Reply =
  | { status: number; json: unknown }
  | { status: number; text: string }
  | { status: number; raw: Buffer; contentType: string }
  | { status: number; error: string }
  /** stdapi's NotFoundHandler and gorilla/mux's 405: no body at all. */
  | { status: number; empty: true };

export const ok = (): Reply => ({ status: 200, text: 'ok\n' });
const json = (value: unknown): Reply => ({ status: 200, json: value });
const fail = (e: RackError): Reply => ({ status: e.status, error: e.error });
const failWith = (status: number, error: string): Reply => ({ status, error });

/** The routes of pkg/api/routes.go we serve, as path shapes (`*` = one segment, `**` = the rest) and methods. */
const ROUTES: Array<[string[], string[]]> = [
  [['auth'], ['GET']],
  [['system'], ['GET']],
  [['system', 'processes'], ['GET']],
  [['apps'], ['GET', 'POST']],
  [['apps', '*'], ['GET', 'PUT', 'DELETE']],
  [['apps', '*', 'objects', '**'], ['GET', 'HEAD', 'POST', 'DELETE']],
  [['apps', '*', 'builds'], ['GET', 'POST']],
  [['apps', '*', 'builds', '*'], ['GET', 'PUT']],
  [['apps', '*', 'builds', '*', 'logs'], ['GET']],
  [['apps', '*', 'releases'], ['GET', 'POST']],
  [['apps', '*', 'releases', '*'], ['GET']],
  [['apps', '*', 'releases', '*', 'promote'], ['POST']],
  [['apps', '*', 'services'], ['GET']],
  [['apps', '*', 'services', '*'], ['PUT']],
  [['apps', '*', 'processes'], ['GET']],
];

/** Whether a path is a route (`unknown` → 404 with no body, before any auth), and whether the method is one of its. */
export function matchRoute(method: string, parts: string[]): 'ok' | 'unknown' | 'method' {
  const shape = ROUTES.find(([p]) => (p.at(-1) === '**' ? parts.length >= p.length : parts.length === p.length) && p.every((s, i) => s === '*' || s === '**' || s === parts[i]));
  if (!shape) return 'unknown';
  return shape[1].includes(method) ? 'ok' : 'method';
}

export function cleanKey(key: string): string | undefined {
  const cleaned = posix.normalize(`/${key}`).replace(/^\/+/, '').replace(/\/+$/, '');
  if (!cleaned || cleaned === '.' || key.split('/').includes('..')) return undefined;
  return cleaned;
}

export interface RackModelOptions {
  rules: GenerationRules;
  rackName: string;
  domain: string;
  delays: FakeRackDelays;
}

/** The rack's state and its controllers. Test hooks (`failNext…`, races) are fields the server sets. */
export class RackModel {
  readonly apps = new Map<string, AppRecord>();
  readonly objects = new Map<string, Buffer>();
  readonly timers = new Set<NodeJS.Timeout>();
  buildFailures: string[] = [];
  promoteFailures = 0;
  createFailures = 0;
  readonly races = new Map<string, { env?: string; envDelayMs: number }>();
  /** Apps whose next promotion meets an update another client started just before (a parameter change). */
  readonly busyBeforePromote = new Set<string>();
  /** A promotion under way: v2 applies the release when the stack update ends. */
  private readonly updates = new WeakMap<AppRecord, { release: string; previous: string; rollback: boolean }>();
  /** Every build by id, for v2's lookup by id alone (a DynamoDB GetItem, not a scan of every app). */
  private readonly buildsById = new Map<string, { app: AppRecord; build: BuildRecord }>();
  /** Followers of a running build's output (the log websocket), told when its process exits. */
  private readonly buildEndListeners = new Map<BuildRecord, Set<() => void>>();

  constructor(private readonly o: RackModelOptions) {}

  get rules(): GenerationRules {
    return this.o.rules;
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private now(): string {
    return new Date().toISOString();
  }

  newApp(name: string, status: string): AppRecord {
    const app: AppRecord = { name, generation: this.o.rules.generation, locked: false, status, release: '', parameters: this.o.rules.parameters(this.o.rackName), releases: [], builds: [], promotions: [], scale: {}, draining: [] };
    this.apps.set(name, app);
    return app;
  }

  private live(app: AppRecord): boolean {
    return this.apps.get(app.name) === app;
  }

  latestRelease(app: AppRecord): ReleaseRecord | undefined {
    return app.releases[app.releases.length - 1];
  }

  addRelease(app: AppRecord, fields: Partial<ReleaseRecord>): ReleaseRecord {
    const parent = this.latestRelease(app);
    const release: ReleaseRecord = { id: rackId('R'), app: app.name, build: parent?.build ?? '', env: parent?.env ?? '', manifest: parent?.manifest ?? '', description: '', created: this.now(), ...fields };
    app.releases.push(release);
    return release;
  }

  createApp(name: string): AppRecord {
    const app = this.newApp(name, this.o.rules.createStatus);
    const failure = this.createFailures > 0;
    if (failure) this.createFailures--;
    const { during, after } = this.o.rules.createFailure;
    this.later(this.o.delays.create, () => {
      if (!this.live(app) || app.status !== this.o.rules.createStatus) return;
      if (!failure) {
        app.status = 'running';
        return;
      }
      app.status = during;
      this.later(this.o.delays.create * 5, () => {
        if (this.live(app) && app.status === during) app.status = after;
      });
    });
    return app;
  }

  private findRelease(app: AppRecord, id: string): ReleaseRecord | undefined {
    return app.releases.find((r) => this.o.rules.sameId(r.id, id));
  }

  /** `BuildGet` as the log route calls it: the build, or the generation's not-found error. */
  buildForLogs(appName: string, id: string): BuildRecord | RackError {
    return this.findBuild(this.apps.get(appName) ?? this.newDetached(appName), id) ?? this.o.rules.buildNotFound(id);
  }

  /** What a running build has printed so far (its first lines; the rest comes when it ends, see finishBuild). */
  static runningOutput(build: BuildRecord): string {
    return `Building: .\nBuild: ${build.id}\n`;
  }

  /** Calls `fn` once the build's process has exited (after its status was saved), or at once when it has. */
  onBuildEnd(build: BuildRecord, fn: () => void): () => void {
    if (build.status === 'complete' || build.status === 'failed') {
      fn();
      return () => undefined;
    }
    const set = this.buildEndListeners.get(build) ?? new Set<() => void>();
    set.add(fn);
    this.buildEndListeners.set(build, set);
    return () => set.delete(fn);
  }

  private buildEnded(build: BuildRecord): void {
    const set = this.buildEndListeners.get(build);
    this.buildEndListeners.delete(build);
    for (const fn of set ?? []) fn();
  }

  private findBuild(app: AppRecord, id: string): BuildRecord | undefined {
    // v2 BuildGet reads the DynamoDB item by id alone, whatever app it belongs to.
    if (this.o.rules.generation === '2') {
      const hit = this.buildsById.get(id);
      return hit && this.live(hit.app) ? hit.build : undefined;
    }
    return app.builds.find((b) => this.o.rules.sameId(b.id, id));
  }

  private addBuild(app: AppRecord, build: BuildRecord): void {
    app.builds.push(build);
    this.buildsById.set(build.id, { app, build });
  }

  private finishBuild(app: AppRecord, build: BuildRecord): void {
    // The build process dies with its app: the log stream ends with it.
    if (!this.live(app)) return this.buildEnded(build);
    const log: string[] = ['Building: .', `Build: ${build.id}`];
    const end = (status: 'complete' | 'failed', error?: string) => {
      if (error) log.push(`ERROR: ${error}`);
      const key = `build/${build.id}/logs`;
      this.objects.set(`${app.name}/${key}`, Buffer.from(`${log.join('\n')}\n`));
      build.logs = `object://${app.name}/${key}`;
      build.ended = this.now();
      build.status = status;
      // The process exits after saving the build: its followers see the end of the stream now.
      this.buildEnded(build);
    };
    const failure = this.buildFailures.shift();
    const where = /^object:\/\/([^/]+)\/(.+)$/.exec(build.url);
    const source = where ? this.objects.get(`${where[1]}/${cleanKey(where[2]!)}`) : undefined;
    if (!source) return end('failed', `object not found: ${where?.[2] ?? build.url}`);
    let files;
    try {
      files = readTarGz(source);
    } catch (error) {
      return end('failed', `could not extract source: ${(error as Error).message}`);
    }
    log.push(`Extracted ${files.filter((f) => f.type === 'file').length} files`);
    const manifestFile = files.find((f) => f.path === build.manifestPath && f.type === 'file');
    if (!manifestFile) return end('failed', `open ${build.manifestPath}: no such file or directory`);
    const manifest = manifestFile.data.toString('utf8');
    let services: Record<string, unknown>;
    try {
      services = ((parseYaml(manifest) as { services?: Record<string, unknown> } | null)?.services ?? {}) as Record<string, unknown>;
    } catch (error) {
      return end('failed', `could not parse ${build.manifestPath}: ${(error as Error).message}`);
    }
    for (const name of Object.keys(services)) log.push(`Building: ${name}`, `Running: docker build -t ${name} .`);
    if (failure !== undefined) {
      log.push(...failure.split('\n'));
      return end('failed', 'build failed');
    }
    // pkg/build success: ReleaseCreate(app, {build}) forks the newest release, so the env is inherited.
    const release = this.addRelease(app, { build: build.id, manifest, description: build.description });
    build.manifest = manifest;
    build.release = release.id;
    log.push(`Release: ${release.id}`);
    end('complete');
  }

  /**
   * `ServiceList`: v2 the live release's manifest with each service's `<Service>Formation`; v3 the
   * app's Deployments (replicas) with the manifest's `min`/`max`, `cold-start` when both are zero.
   */
  private servicesOf(app: AppRecord): unknown[] {
    const release = app.releases.find((r) => r.id === app.release);
    if (!release?.manifest) return [];
    const generation = this.o.rules.generation;
    return manifestServices(release.manifest, generation)
      .filter((s) => generation === '2' || app.scale[s.name])
      .map((s) => {
        const scale = app.scale[s.name] ?? { count: 0, cpu: s.cpu, memory: s.memory };
        const service: Record<string, unknown> = {
          count: scale.count,
          cpu: scale.cpu,
          domain: `${s.name}.${app.name}.${this.o.domain}`,
          memory: scale.memory,
          name: s.name,
          nlb: null,
          ports: s.port ? [{ balancer: 443, certificate: '', container: s.port }] : [],
        };
        if (generation === '3') Object.assign(service, { gpu: 0, 'gpu-vendor': '', min: s.min, max: s.max, ...(s.min === 0 && scale.count === 0 ? { 'cold-start': true } : {}) });
        return service;
      });
  }

  /**
   * `PUT /apps/{app}/services/{name}` (`ServiceUpdate`, form `count`, `cpu`, `memory`). v2: a stack
   * update of `<Service>Formation` — refused while another update runs or when nothing changes
   * (CloudFormation), the app `updating` until it ends. v3: the Deployment's replicas, at once; the
   * pods scaled away keep running for their grace period.
   */
  private serviceUpdate(app: AppRecord | undefined, appName: string, service: string, form: Record<string, string>): Reply {
    if (!app) return failWith(404, `app not found: ${appName}`);
    const current = app.scale[service];
    if (!current) return fail(this.o.rules.serviceNotFound(service));
    const next: ServiceScale = { ...current };
    for (const key of ['count', 'cpu', 'memory'] as const) {
      const raw = form[key];
      if (raw === undefined) continue;
      if (!/^[+-]?\d+$/.test(raw)) return failWith(500, `strconv.Atoi: parsing ${JSON.stringify(raw)}: invalid syntax`);
      next[key] = Number(raw);
    }
    if (this.o.rules.generation === '2') {
      const stack = `${this.o.rackName}-${app.name}`;
      if (app.status !== 'running') return failWith(500, `ValidationError: Stack:${stack} is in ${app.status === 'creating' ? 'CREATE' : 'UPDATE'}_IN_PROGRESS state and can not be updated.`);
      if (next.count === current.count && next.cpu === current.cpu && next.memory === current.memory) return failWith(500, 'ValidationError: No updates are to be performed.');
      app.status = 'updating';
      this.later(this.o.delays.promote, () => {
        if (!this.live(app) || app.status !== 'updating') return;
        app.scale[service] = next;
        app.status = 'running';
      });
      return ok();
    }
    if (next.count < current.count) app.draining.push({ service, count: current.count - next.count, until: Date.now() + this.o.delays.terminate });
    app.scale[service] = next;
    return ok();
  }

  /** `GET /apps/{app}/processes` (`ProcessList`, query `service`, `release`). */
  private processList(name: string, app: AppRecord | undefined, query: Record<string, string>): Reply {
    if (!app) {
      const missing = this.o.rules.processesWithoutApp(name, this.o.rackName);
      return missing ? fail(missing) : json([]);
    }
    const all = processesOf(app, this.o.rules.generation);
    return json(all.filter((p) => (query.service === undefined || p.name === query.service) && (query.release === undefined || p.release === query.release)));
  }

  /** `GET /system/processes` (`SystemProcesses`): the rack's own; with `all=true`, every app's too. */
  private systemProcesses(all: boolean): Reply {
    const generation = this.o.rules.generation;
    const rackApp = generation === '3' ? 'system' : this.o.rackName;
    const own = ['api', 'router'].map((service, i) => ({
      id: `${service}-rack-${i}`,
      app: rackApp,
      command: '',
      cpu: 0,
      host: `10.0.255.${i + 1}`,
      image: `convox/${generation === '3' ? 'convox' : 'rack'}:fake`,
      instance: generation === '3' ? 'node-1' : 'i-0fake',
      memory: 0,
      name: service,
      ports: [],
      release: generation === '3' ? '3.19.0' : '20240501000000',
      started: ZERO_TIME,
      status: 'running',
      ...(generation === '3' ? { gpu: 0, service } : { task_definition: '' }),
    }));
    if (!all) return json(own);
    const out: unknown[] = [...own];
    for (const app of this.apps.values()) out.push(...processesOf(app, generation));
    return json(out);
  }

  /** Answers one authorised request. */
  route(method: string, parts: string[], query: Record<string, string>, form: Record<string, string>, body: Buffer): Reply {
    const [root, name, sub] = parts;
    if (root === 'auth') return ok();
    if (root === 'system') {
      if (parts[1] === 'processes') return this.systemProcesses(query.all === 'true');
      const version = this.o.rules.generation === '2' ? '20240501000000' : '3.19.0';
      return json({ count: 3, domain: this.o.domain, name: this.o.rackName, provider: this.o.rules.generation === '2' ? 'aws' : 'k8s', region: 'local', status: 'running', type: 'fake', version, parameters: {} });
    }
    if (parts.length === 1) return method === 'GET' ? this.appList() : this.appCreate(form);
    if (sub === 'objects') return this.objectRoute(method, name!, parts.slice(3).join('/'), body);
    const app = this.apps.get(name!);
    if (parts.length === 2) return this.appRoute(method, name!, app, form);
    if (sub === 'builds') return this.buildRoute(method, name!, app, parts, query, form);
    if (sub === 'releases') return this.releaseRoute(method, name!, app, parts, query, form);
    if (sub === 'processes') return this.processList(name!, app, query);
    if (parts.length === 4) return this.serviceUpdate(app, name!, parts[3]!, form);
    if (!app) return failWith(404, `app not found: ${name}`);
    return json(this.servicesOf(app));
  }

  private appList(): Reply {
    return json([...this.apps.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((a) => appJson(a, this.o.rules, this.o.domain)));
  }

  private appCreate(form: Record<string, string>): Reply {
    const appName = form.name ?? '';
    const invalid = this.o.rules.validateName(appName, this.o.rackName);
    if (invalid) return fail(invalid);
    const generation = form.generation || '2';
    if (this.o.rules.generation === '2' && generation !== '2' && generation !== '1') return failWith(500, 'unknown generation');
    const race = this.races.get(appName);
    if (race) {
      this.races.delete(appName);
      const other = this.createApp(appName);
      if (race.env !== undefined) {
        const env = race.env;
        // What the other client writes once its app can hold a release.
        const write = () => {
          if (!this.live(other)) return;
          if (this.o.rules.storageMissing(other)) return this.later(5, write);
          this.addRelease(other, { env, description: this.o.rules.envDescription(envDiff('', env)) ?? '' });
        };
        this.later(race.envDelayMs, write);
      }
    }
    if (this.apps.has(appName)) return fail(this.o.rules.appExists(appName));
    return json(appJson(this.createApp(appName), this.o.rules, this.o.domain));
  }

  private appRoute(method: string, name: string, app: AppRecord | undefined, form: Record<string, string>): Reply {
    if (!app) return failWith(404, `app not found: ${name}`);
    if (method === 'GET') return json(appJson(app, this.o.rules, this.o.domain));
    if (method === 'PUT') {
      if (form.lock !== undefined) app.locked = form.lock === 'true';
      // Only parameters the rack knows are kept.
      for (const [k, v] of new URLSearchParams(form.parameters ?? '')) if (k in app.parameters || ['BuildCpu', 'BuildMem', 'BuildLabels'].includes(k)) app.parameters[k] = v;
      return ok();
    }
    if (app.locked) return fail(this.o.rules.deleteLocked(name, this.o.rackName));
    if (app.status === 'deleting') {
      const refused = this.o.rules.deleteWhileDeleting(name, this.o.rackName);
      return refused ? fail(refused) : ok();
    }
    app.status = 'deleting';
    this.later(this.o.delays.delete, () => {
      if (this.live(app)) this.apps.delete(app.name);
    });
    return ok();
  }

  private objectRoute(method: string, name: string, rawKey: string, body: Buffer): Reply {
    const key = cleanKey(rawKey);
    if (!key) return failWith(400, 'invalid object key');
    const full = `${name}/${key}`;
    const app = this.apps.get(name);
    if (method === 'POST') {
      const missing = app ? this.o.rules.storageMissing(app) : this.o.rules.objectStoreWithoutApp(name, this.o.rackName);
      if (missing) return fail(missing);
      this.objects.set(full, body);
      return json({ Url: `object://${name}/${key}` });
    }
    const data = this.objects.get(full);
    if (!data) return failWith(404, `object not found: ${key}`);
    if (method === 'HEAD') return ok();
    if (method === 'DELETE') {
      this.objects.delete(full);
      return ok();
    }
    return { status: 200, raw: data, contentType: 'application/octet-stream' };
  }

  private buildRoute(method: string, name: string, app: AppRecord | undefined, parts: string[], query: Record<string, string>, form: Record<string, string>): Reply {
    const id = parts[3];
    if (parts.length === 5) {
      // A websocket route on the real rack: a plain request is refused by the upgrader.
      return failWith(400, "Bad Request\nwebsocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header");
    }
    if (id !== undefined) {
      if (id.endsWith('.tgz')) return failWith(501, 'unimplemented');
      const build = this.findBuild(app ?? this.newDetached(name), id);
      if (!build) return fail(this.o.rules.buildNotFound(id));
      return json(buildJson(build, this.o.rules.generation));
    }
    if (!app) return failWith(404, `app not found: ${name}`);
    if (method === 'GET') {
      const limit = Number(query.limit ?? 10) || 10;
      return json([...app.builds].reverse().slice(0, limit).map((b) => buildJson(b, this.o.rules.generation)));
    }
    const build: BuildRecord = {
      id: rackId('B'),
      app: app.name,
      description: form.description ?? '',
      entrypoint: '',
      gitSha: form['git-sha'] ?? '',
      logs: '',
      manifest: '',
      process: '',
      release: '',
      reason: '',
      repository: '',
      status: 'created',
      started: this.now(),
      ended: ZERO_TIME,
      url: form.url ?? '',
      manifestPath: form.manifest || 'convox.yml',
    };
    this.addBuild(app, build);
    const start = () => {
      build.status = 'running';
      build.process = `build-${build.id.toLowerCase()}`;
    };
    if (this.o.rules.buildCreatedStatus === 'running') start();
    const answer = json(buildJson(build, this.o.rules.generation));
    this.later(this.o.delays.buildStart, () => {
      if (build.status === 'created') start();
      this.later(this.o.delays.build, () => this.finishBuild(app, build));
    });
    return answer;
  }

  /** An app record that is not on the rack, for lookups of a missing app's builds. */
  private newDetached(name: string): AppRecord {
    return { name, generation: this.o.rules.generation, locked: false, status: '', release: '', parameters: {}, releases: [], builds: [], promotions: [], scale: {}, draining: [] };
  }

  private releaseRoute(method: string, name: string, app: AppRecord | undefined, parts: string[], query: Record<string, string>, form: Record<string, string>): Reply {
    const id = parts[3];
    if (id === undefined) {
      if (!app) return failWith(404, `app not found: ${name}`);
      if (method === 'GET') {
        const limit = Number(query.limit ?? 10) || 10;
        return json([...app.releases].reverse().slice(0, limit).map((r) => releaseJson(r, this.o.rules.listedEnv(r))));
      }
      return this.releaseCreate(app, form);
    }
    // A missing app's releases are gone with its storage: the release's own not-found answer.
    const release = app ? this.findRelease(app, id) : undefined;
    if (parts.length === 4) return release ? json(releaseJson(release, this.o.rules.fetchedEnv(release))) : fail(this.o.rules.releaseNotFound(id));
    if (!app) return failWith(404, `app not found: ${name}`);
    return this.promote(app, id, release, form.force === 'true');
  }

  private releaseCreate(app: AppRecord, form: Record<string, string>): Reply {
    const parentId = this.o.rules.generation === '3' ? form['parent-release'] : undefined;
    const parent = parentId ? this.findRelease(app, parentId) : this.latestRelease(app);
    if (parentId && !parent) return fail(this.o.rules.releaseNotFound(parentId));
    const fields: Partial<ReleaseRecord> = { build: parent?.build ?? '', env: parent ? this.o.rules.fetchedEnv(parent) : '', manifest: '', description: '' };
    if (form.build !== undefined) fields.build = form.build;
    if (fields.build) {
      const build = this.findBuild(app, fields.build);
      if (!build) return fail(this.o.rules.buildNotFound(fields.build));
      fields.manifest = build.manifest;
      fields.description = build.description;
    }
    if (form.env !== undefined) {
      const description = this.o.rules.envDescription(envDiff(fields.env ?? '', form.env));
      if (description !== undefined) fields.description = description;
      fields.env = form.env;
    }
    if (form.description !== undefined) fields.description = form.description;
    const missing = this.o.rules.storageMissing(app);
    if (missing) return fail(missing);
    const release = this.addRelease(app, fields);
    return json(releaseJson(release, release.env));
  }

  /** ReleasePromoteValidate, then the provider's ReleasePromote. */
  private promote(app: AppRecord, id: string, release: ReleaseRecord | undefined, force: boolean): Reply {
    const rules = this.o.rules;
    if (this.busyBeforePromote.delete(app.name) && app.status === 'running') this.otherUpdate(app);
    if (!force && app.status !== 'running') return failWith(403, 'app is currently updating');
    if (!release) return fail(rules.releaseNotFound(id));
    if (release.manifest.trim() === '') return fail(rules.promoteRefused('can not promote a release with an empty manifest'));
    const live = app.releases.find((r) => r.id === app.release);
    if (live && Date.parse(release.created) < Date.parse(live.created)) return fail(rules.promoteRefused('can not promote an older release, try rollback'));
    if (rules.generation === '2' && app.status === 'updating') {
      return failWith(500, `ValidationError: Stack:${this.o.rackName}-${app.name} is in UPDATE_IN_PROGRESS state and can not be updated.`);
    }
    const rollback = this.promoteFailures > 0;
    if (rollback) this.promoteFailures--;
    const update = { release: release.id, previous: app.release, rollback };
    this.updates.set(app, update);
    app.promotions.push(release.id);
    app.status = 'updating';
    if (rules.releaseMovesAtPromote) {
      // The atom applies the new version's Deployments at once.
      app.release = release.id;
      app.scale = promotedScale(app.scale, release.manifest, rules.generation);
    }
    this.later(this.o.delays.promote, () => {
      if (!this.live(app) || this.updates.get(app) !== update) return;
      this.updates.delete(app);
      if (!rollback) {
        app.release = update.release;
        // v2: the stack's parameters of the new template, as the update leaves them.
        if (!rules.releaseMovesAtPromote) app.scale = promotedScale(app.scale, release.manifest, rules.generation);
        app.status = 'running';
        return;
      }
      // Both generations end a failed update back on the previous release, `running` again.
      app.release = update.previous;
      app.status = 'rollback';
      this.later(this.o.delays.promote * 5, () => {
        if (this.live(app) && app.status === 'rollback') app.status = 'running';
      });
    });
    return ok();
  }

  /** Another client's change of the app (v2: a stack update for new parameters): `updating`, then `running`. */
  private otherUpdate(app: AppRecord): void {
    app.status = 'updating';
    this.later(this.o.delays.promote, () => {
      if (this.live(app) && app.status === 'updating' && !this.updates.has(app)) app.status = 'running';
    });
  }

  /**
   * An app as a deploy leaves it, written straight into the state (lists and prunes of hundreds):
   * a complete build of `gitSha`, its release with `env` created at `created` and promoted, the
   * services scaled as the manifest says, or to zero when `asleep`.
   */
  plantDeployed(name: string, p: { env: Record<string, string>; manifest: string; gitSha: string; created: string; asleep?: boolean }): AppRecord {
    const app = this.newApp(name, 'running');
    const description = `preview-kit ${p.gitSha}`;
    const build: BuildRecord = {
      id: rackId('B'),
      app: name,
      description,
      entrypoint: '',
      gitSha: p.gitSha,
      logs: '',
      manifest: p.manifest,
      process: '',
      release: '',
      reason: '',
      repository: '',
      status: 'complete',
      started: p.created,
      ended: p.created,
      url: '',
      manifestPath: 'convox.yml',
    };
    this.addBuild(app, build);
    const release = this.addRelease(app, { build: build.id, env: formatEnvText(p.env), manifest: p.manifest, description, created: p.created });
    build.release = release.id;
    app.release = release.id;
    app.promotions.push(release.id);
    app.scale = promotedScale({}, p.manifest, this.o.rules.generation);
    if (p.asleep) for (const s of Object.values(app.scale)) s.count = 0;
    return app;
  }

  seed(name: string, seed: { env?: Record<string, string>; status?: string; locked?: boolean } = {}): AppRecord {
    const app = this.newApp(name, seed.status ?? 'running');
    app.locked = seed.locked ?? false;
    if (seed.env) this.addRelease(app, { env: formatEnvText(seed.env), description: 'env' });
    return app;
  }
}
