/**
 * An in-process fake of the Clever Cloud API for what preview-kit uses: the `/v2` REST paths,
 * verbs, status codes and bodies of the real API (as public clients use them), OAuth1 PLAINTEXT
 * and bearer auth, seeded fault injection, listings that may lag behind creates, and a real git
 * smart-HTTP remote per application. Admin routes under `/__fake/` (admin.ts) let other
 * processes inspect and disturb it.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { LOAD_BALANCER_503_HTML } from '../shared/faults.js';
import { BodyTooLargeError, closeServer, listen, parseJson, readBody, sendJson, sleep } from '../shared/http.js';
import { handleAdmin } from './admin.js';
import { handleApi } from './api.js';
import { checkApiAuthorization, type Credentials } from './auth.js';
import { APPLIED_KINDS, CleverFaults, type CleverFaultKind, type CleverFaultOptions } from './faults.js';
import { GitEndpoint, isGitPath, type GitRequestRecord, type PushRecord } from './git-endpoint.js';
import { plant, plantPreview, type PlantInput, type Planted, type PlantPreviewInput } from './plant.js';
import { Repos } from './repos.js';
import { apiError, ERROR_IDS, type ApiResult } from './router.js';
import { CleverStore, type AddonState, type AppState } from './state.js';

export type { FaultKind, FaultOptions } from '../shared/faults.js';
export type { CleverFaultKind, CleverFaultOptions } from './faults.js';
export type { AddonRecord, AddonState, AppState, DeploymentRecord } from './state.js';
export type { GitRequestRecord, PushRecord } from './git-endpoint.js';
export type { PlantInput, Planted, PlantPreviewInput } from './plant.js';

/** An application as the admin routes show it: the stored record, tags included, and its running instances. */
export type AppSnapshot = AppState & { runningInstances: number };

/** `ok`: credentials are checked as usual; otherwise every request is refused with 401 or 403. */
export type CredentialsMode = 'ok' | 'unauthorized' | 'forbidden';

/**
 * clever-tools' own OAuth consumer (its config.js: "The disclosure of these tokens is not
 * considered as a vulnerability"): the tokens CI users hold in CLEVER_TOKEN/CLEVER_SECRET belong to it.
 */
export const CLEVER_TOOLS_CONSUMER_KEY = 'T5nFjKeHH4AIlEveuGhB5S3xg8T19e';
export const CLEVER_TOOLS_CONSUMER_SECRET = 'MgVMqTr6fWlf2M0tkC2MXOnhfqBWDT';
export const DEFAULT_ORG_ID = 'orga_00000000-0000-4000-8000-000000000001';
export const DEFAULT_ORG_NAME = 'preview-kit-fake-org';
/** The personal space's id is the user's id, as on the real API. */
export const DEFAULT_USER_ID = 'user_00000000-0000-4000-8000-000000000002';
/**
 * What every `/v2` request waits before it is answered, unless told otherwise: a round trip to the
 * API from a runner in the same region plus the API's own time (see the README). Tests that count
 * requests rather than time them pass 0.
 */
export const DEFAULT_API_LATENCY_MS = 50;

export interface FakeCleverOptions {
  host?: string;
  port?: number;
  consumerKey?: string;
  consumerSecret?: string;
  token?: string;
  secret?: string;
  apiToken?: string;
  orgId?: string;
  /** Name of that organisation (resolvable through `/v2/summary`). */
  orgName?: string;
  gitReadyDelayMs?: number;
  deployDurationMs?: number;
  faults?: CleverFaultOptions;
  /** Owner listings show a new application or add-on only this long after its creation. */
  listLagMs?: number;
  /** Added to every `/v2` request, ms (default `DEFAULT_API_LATENCY_MS`). */
  latencyMs?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  fault?: string;
  /** When the request arrived (ms since the epoch), before the per-request latency. */
  at: number;
}

export interface FakeCleverCloud {
  url: string;
  requests: RequestLogEntry[];
  pushes: PushRecord[];
  /** Requests the git endpoint answered (probes, fetches, pushes), in arrival order. */
  gitRequests: GitRequestRecord[];
  /** Every application, tags included (which no API view carries), with its running instances. */
  apps(): AppSnapshot[];
  /** Every add-on, with its tags and the applications it is linked to. */
  addons(): AddonState[];
  failNextDeployOf(commit: string): void;
  setFaults(f: CleverFaultOptions | undefined): void;
  setListLag(ms: number): void;
  setLatency(ms: number): void;
  setCredentials(mode: CredentialsMode): void;
  /** Git requests get no answer until this is turned off again (or the fake closes). */
  setGitStall(stall: boolean): void;
  plant(input: PlantInput): Promise<Planted>;
  plantPreview(input: PlantPreviewInput): { appId: string };
  resetLog(): void;
  close(): Promise<void>;
}

/** What the admin routes may read and change. */
export interface FakeControls {
  requests: RequestLogEntry[];
  pushes: PushRecord[];
  gitRequests: GitRequestRecord[];
  apps(): AppSnapshot[];
  addons(): AddonState[];
  resetLog(): void;
  setFaults(f: CleverFaultOptions | undefined): void;
  setListLag(ms: number): void;
  setLatency(ms: number): void;
  setCredentials(mode: CredentialsMode): void;
  setGitStall(stall: boolean): void;
  failNextDeployOf(commit: string): void;
  plant(input: PlantInput): Promise<Planted>;
  plantPreview(input: PlantPreviewInput): { appId: string };
}

function sendResult(res: ServerResponse, result: ApiResult): void {
  sendJson(res, result.status, result.body, result.headers);
}

function sendFault(res: ServerResponse, kind: CleverFaultKind): number {
  if (kind === 'drop' || kind === 'applied-drop') {
    // The answer never comes: the connection closes without a status line.
    res.socket?.destroy();
    return 0;
  }
  if (kind === '503-json') {
    sendResult(res, apiError(503, ERROR_IDS.unavailable, 'Service Unavailable'));
    return 503;
  }
  if (kind === '429') {
    sendResult(res, { ...apiError(429, ERROR_IDS.tooManyRequests, 'Too Many Requests'), headers: { 'retry-after': '1' } });
    return 429;
  }
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(LOAD_BALANCER_503_HTML)) });
  res.end(LOAD_BALANCER_503_HTML);
  return 503;
}

export async function startFakeCleverCloud(options: FakeCleverOptions = {}): Promise<FakeCleverCloud> {
  const creds: Credentials = {
    consumerKey: options.consumerKey ?? CLEVER_TOOLS_CONSUMER_KEY,
    consumerSecret: options.consumerSecret ?? CLEVER_TOOLS_CONSUMER_SECRET,
    token: options.token ?? 'fake-token',
    secret: options.secret ?? 'fake-secret',
    apiToken: options.apiToken ?? 'fake-api-token',
  };
  let baseUrl = '';
  const store = new CleverStore({
    user: { id: DEFAULT_USER_ID, name: 'Fake User', kind: 'user' },
    organisation: { id: options.orgId ?? DEFAULT_ORG_ID, name: options.orgName ?? DEFAULT_ORG_NAME, kind: 'organisation' },
    gitReadyDelayMs: options.gitReadyDelayMs ?? 2000,
    deployDurationMs: options.deployDurationMs ?? 1000,
    baseUrl: () => baseUrl,
    listLagMs: options.listLagMs ?? 0,
  });
  const repos = await Repos.create();
  const requests: RequestLogEntry[] = [];
  const pushes: PushRecord[] = [];
  const gitRequests: GitRequestRecord[] = [];
  const git = new GitEndpoint(store, repos, () => creds, pushes, gitRequests);
  let faults = options.faults ? new CleverFaults(options.faults) : undefined;
  let credentialsMode: CredentialsMode = 'ok';
  let gitStall = false;
  let latencyMs = options.latencyMs ?? DEFAULT_API_LATENCY_MS;

  const snapshotApps = (): AppSnapshot[] => [...store.apps.values()].map((a) => ({ ...structuredClone(a), runningInstances: store.runningInstances(a) }));
  const snapshotAddons = () => [...store.addons.values()].map((a) => store.addonState(a));
  const resetLog = () => {
    requests.length = 0;
    pushes.length = 0;
    gitRequests.length = 0;
  };
  const setFaults = (f: CleverFaultOptions | undefined) => {
    faults = f ? new CleverFaults(f) : undefined;
  };
  const controls: FakeControls = {
    requests,
    pushes,
    gitRequests,
    apps: snapshotApps,
    addons: snapshotAddons,
    resetLog,
    setFaults,
    setListLag: (ms) => {
      store.listLagMs = ms;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setCredentials: (mode) => {
      credentialsMode = mode;
    },
    setGitStall: (stall) => {
      gitStall = stall;
    },
    failNextDeployOf: (commit) => store.failNextDeployOf(commit),
    plant: (input) => plant(store, repos, input),
    plantPreview: (input) => plantPreview(store, input),
  };

  /** The refusal every request gets while credentials are forced to fail. */
  function forcedRefusal(): ApiResult | undefined {
    if (credentialsMode === 'unauthorized') return apiError(401, ERROR_IDS.unauthorized, 'Invalid credentials');
    if (credentialsMode === 'forbidden') return apiError(403, ERROR_IDS.forbidden, "You don't have the rights to do this");
    return undefined;
  }

  async function handleV2(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, status: 0, at: Date.now() };
    requests.push(entry);
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      entry.status = 413;
      return sendResult(res, apiError(413, ERROR_IDS.badRequest, error.message));
    }
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults?.next(entry.method, url.pathname);
    if (fault) entry.fault = fault;
    if (fault === 'latency') await sleep(faults!.latencyMs);
    if (fault === '503-html' || fault === '503-json' || fault === '429' || fault === 'drop') {
      entry.status = sendFault(res, fault);
      return;
    }

    let result: ApiResult;
    const auth = checkApiAuthorization(req.headers.authorization, creds);
    const refused = forcedRefusal();
    if (refused) {
      result = refused;
    } else if (!auth.ok) {
      result = apiError(401, ERROR_IDS.unauthorized, auth.reason === 'missing' ? 'Not connected' : 'Invalid credentials');
    } else {
      const parsed = parseJson(raw);
      result = await handleApi(
        {
          method: entry.method,
          path: url.pathname.slice('/v2'.length),
          query: url.searchParams,
          body: parsed.ok ? parsed.value : undefined,
          badJson: !parsed.ok,
        },
        store,
        repos,
      );
      if (entry.method === 'DELETE' && result.status === 200 && /\/applications\/[^/]+$/.test(url.pathname)) {
        git.forget(decodeURIComponent(url.pathname.split('/').pop()!));
      }
    }
    // The nasty case: the change is made, yet the client is told it failed (or told nothing).
    if (fault && APPLIED_KINDS.has(fault)) {
      entry.status = sendFault(res, fault === 'applied-drop' ? 'drop' : '503-html');
      return;
    }
    entry.status = result.status;
    sendResult(res, result);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    if (url.pathname === '/v2' || url.pathname.startsWith('/v2/')) return handleV2(req, res, url);
    if (isGitPath(url.pathname)) {
      if (gitStall) {
        // Read the request and never answer: what a remote that hangs looks like to git.
        req.resume();
        return;
      }
      const refused = forcedRefusal();
      if (refused) {
        req.resume();
        return sendResult(res, refused);
      }
      return git.handle(req, res, url);
    }
    if (url.pathname.startsWith('/__fake/')) return handleAdmin(req, res, url, controls);
    req.resume();
    sendResult(res, apiError(404, ERROR_IDS.notFound, 'Not Found'));
  }

  const server = http.createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { id: 5000, message: `fake error: ${(error as Error).message}`, type: 'error' });
      else res.destroy();
    });
  });
  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    url: baseUrl,
    ...controls,
    close: async () => {
      store.close();
      await closeServer(server);
      await repos.dispose();
    },
  };
}
