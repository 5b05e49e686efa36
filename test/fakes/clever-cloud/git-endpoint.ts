/**
 * The app's git remote (`deployment.httpUrl` = `<fake>/git/<appId>.git`) over smart HTTP, served
 * by real `git http-backend`. Right after creation the repository is not there yet
 * (`deployment.repoState` CREATING) and the remote answers 404 like an unknown repository; this
 * is the window CI scripts paper over with `sleep 10`. A push that moves the app's branch starts
 * a deployment for the pushed commit; a push of the same commit is a no-op for git and starts none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from '../shared/http.js';
import { runGitHttpBackend } from '../shared/git-http-backend.js';
import { checkGitAuthorization, type Credentials } from './auth.js';
import type { Repos } from './repos.js';
import type { CleverStore } from './state.js';

/** One push attempt (receive-pack), in arrival order. */
export interface PushRecord {
  appId: string;
  /** Head of the app's deploy branch after the push ('' when the push never reached the repository). */
  commit: string;
  /** The push moved the deploy branch (and so started a deployment). */
  ok: boolean;
  /** When the push was answered (ms since the epoch). */
  at: number;
}

/** One request to the git endpoint (info/refs advertisements, receive-pack, upload-pack), in arrival order. */
export interface GitRequestRecord {
  method: string;
  path: string;
  /** `service` of an `info/refs` request (`git-upload-pack`: a fetch or probe, `git-receive-pack`: a push). */
  service?: string;
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

const GIT_PATH = /^\/git\/(app_[A-Za-z0-9-]+)\.git(\/.*)?$/;

export function isGitPath(pathname: string): boolean {
  return GIT_PATH.test(pathname);
}

export class GitEndpoint {
  /** Last branch head seen per app, to tell a moving push from a no-op. */
  private readonly heads = new Map<string, string>();

  constructor(
    private readonly store: CleverStore,
    private readonly repos: Repos,
    private readonly creds: () => Credentials,
    readonly pushes: PushRecord[],
    readonly requests: GitRequestRecord[] = [],
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = GIT_PATH.exec(url.pathname);
    const appId = match?.[1];
    const app = appId ? this.store.apps.get(appId) : undefined;
    const rest = match?.[2] ?? '';
    const query = url.search.replace(/^\?/, '');
    const service = url.searchParams.get('service') ?? undefined;
    const entry: GitRequestRecord = { method: req.method ?? 'GET', path: url.pathname, ...(service ? { service } : {}), status: 0, at: Date.now() };
    this.requests.push(entry);
    const isReceivePack =
      (req.method === 'POST' && rest === '/git-receive-pack') || (rest === '/info/refs' && url.searchParams.get('service') === 'git-receive-pack');
    const refuse = (status: number, text: string, headers: Record<string, string> = {}) => {
      req.resume();
      // A 401 is git's normal challenge before it sends credentials, not a failed push.
      if (appId && isReceivePack && status !== 401) this.pushes.push({ appId, commit: '', ok: false, at: Date.now() });
      entry.status = status;
      sendText(res, status, text, headers);
    };

    if (!app || !appId) return refuse(404, 'Repository not found\n');
    const auth = checkGitAuthorization(req.headers.authorization, this.creds());
    if (!auth.ok) return refuse(401, 'Authorization Required\n', { 'www-authenticate': 'Basic realm="Clever Cloud"' });
    if (this.store.repoState(app) !== 'CREATED') return refuse(404, 'Repository not found\n');

    await this.repos.ensure(appId);
    const receivePack = req.method === 'POST' && rest === '/git-receive-pack';
    entry.status = await runGitHttpBackend({
      req,
      res,
      projectRoot: this.repos.root,
      pathInfo: `/${appId}.git${rest}`,
      query,
      remoteUser: auth.user,
      beforeEnd: receivePack ? (status) => this.afterReceivePack(appId, status) : undefined,
    });
  }

  private async afterReceivePack(appId: string, status: number): Promise<void> {
    const app = this.store.apps.get(appId);
    if (!app) return;
    const head = await this.repos.head(appId, app.branch);
    // Re-check after the await: the app may have been deleted meanwhile.
    if (this.store.apps.get(appId) !== app) return;
    const moved = head !== undefined && head !== this.heads.get(appId);
    this.pushes.push({ appId, commit: head ?? '', ok: status === 200 && moved, at: Date.now() });
    if (!moved || status !== 200) return;
    this.heads.set(appId, head);
    this.store.startDeployment(app, { commit: head, cause: 'git push' });
  }

  forget(appId: string): void {
    this.heads.delete(appId);
  }
}
