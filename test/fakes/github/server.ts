/**
 * A fake GitHub REST API for one repository: issue comments, deployments, deployment statuses and
 * environments, with the real paths, verbs, status codes, bodies, pagination (`Link`) and the
 * permission model of a workflow token (403 "Resource not accessible by integration").
 * Binds to 127.0.0.1; records every request so tests can check exactly what was sent.
 *
 *   const gh = await startFakeGitHub({ tokens: { ghs_abc: { permissions: { pull_requests: 'write' } } } });
 *   env.GITHUB_API_URL = gh.url;
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen, parseJson, readBody, sendJson } from '../shared/http.js';
import { GitHubState, type Access, type PullRequestRecord, type PullRequestSeed, type Scope, type StatusRecord, type TokenGrant } from './state.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  token?: string;
  status: number;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** Pull requests that exist (comments on others answer 404); a bare number is an open one. Default: #42. */
  pullRequests?: PullRequestSeed[];
  tokens?: Record<string, TokenGrant>;
  /** Branches and tags a deployment `ref` may name (any 40-hex SHA is accepted too). */
  refs?: string[];
}

export interface FakeGitHub {
  url: string;
  state: GitHubState;
  requests: RecordedRequest[];
  /** Requests that change something (not GET). */
  mutations(): RecordedRequest[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const notFound = () => new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
const denied = () => new HttpError(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
const invalid = (resource: string, field: string, code = 'missing_field') =>
  new HttpError(422, { message: 'Validation Failed', errors: [{ resource, code, field }], documentation_url: DOCS, status: '422' });

function allows(grant: TokenGrant, scopes: Scope[], need: Access): boolean {
  return scopes.some((scope) => {
    const has = grant.permissions[scope];
    return has === 'write' || (need === 'read' && has === 'read');
  });
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'shop';
  const state = new GitHubState(owner, repo, options.pullRequests ?? [{ number: 42, headRef: 'feature/cart' }]);
  const tokens = options.tokens ?? {};
  const refs = new Set(options.refs ?? ['main']);
  const requests: RecordedRequest[] = [];
  let base = '';
  const repoPath = `/repos/${owner}/${repo}`;
  const repoUrl = () => `${base}${repoPath}`;

  const user = (login: string) => ({ login, id: 41898282, type: login.endsWith('[bot]') ? 'Bot' : 'User', site_admin: false });

  const commentJson = (c: ReturnType<typeof state.commentsOf>[number]) => ({
    url: `${repoUrl()}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${repoUrl()}/issues/${c.issue}`,
    id: c.id,
    node_id: `IC_${c.id}`,
    user: user(c.login),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: 'NONE',
    body: c.body,
    performed_via_github_app: null,
  });

  const repoJson = (fullName: string) => {
    const [login, name] = fullName.split('/') as [string, string];
    const ours = fullName === `${owner}/${repo}`;
    return { id: ours ? 650_000_001 : 650_000_000 + fullName.length, node_id: `R_${fullName}`, name, full_name: fullName, private: false, owner: user(login), fork: !ours, url: `${base}/repos/${fullName}`, html_url: `https://github.com/${fullName}` };
  };

  /** A "pull-request-simple" item, as the list endpoint returns it. */
  const pullJson = (p: PullRequestRecord) => ({
    url: `${repoUrl()}/pulls/${p.number}`,
    id: 2_000_000_000 + p.number,
    node_id: `PR_${p.number}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`,
    diff_url: `https://github.com/${owner}/${repo}/pull/${p.number}.diff`,
    patch_url: `https://github.com/${owner}/${repo}/pull/${p.number}.patch`,
    issue_url: `${repoUrl()}/issues/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: user(p.login),
    body: null,
    labels: [],
    milestone: null,
    created_at: p.createdAt,
    updated_at: p.closedAt ?? p.createdAt,
    closed_at: p.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    draft: false,
    head: { label: `${(p.headRepo ?? 'unknown/unknown').split('/')[0]}:${p.headRef}`, ref: p.headRef, sha: p.headSha, user: user((p.headRepo ?? 'ghost/x').split('/')[0]!), repo: p.headRepo ? repoJson(p.headRepo) : null },
    base: { label: `${owner}:${p.baseRef}`, ref: p.baseRef, sha: 'b'.repeat(40), user: user(owner), repo: repoJson(`${owner}/${repo}`) },
    author_association: 'CONTRIBUTOR',
  });

  const deploymentJson = (d: NonNullable<ReturnType<typeof state.deployments.get>>) => ({
    url: `${repoUrl()}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: user(d.login),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    statuses_url: `${repoUrl()}/deployments/${d.id}/statuses`,
    repository_url: repoUrl(),
    transient_environment: d.transient,
    production_environment: d.production,
  });

  const statusJson = (s: StatusRecord) => ({
    url: `${repoUrl()}/deployments/${s.deploymentId}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: user(s.login),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoUrl()}/deployments/${s.deploymentId}`,
    repository_url: repoUrl(),
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
  });

  /** Answers a list with GitHub's page/per_page and Link header. */
  function page<T>(res: ServerResponse, items: T[], query: Record<string, string>, path: string): void {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const current = Math.max(1, Number(query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((current - 1) * perPage, current * perPage);
    const link = (n: number) => {
      const q = new URLSearchParams({ ...query, per_page: String(perPage), page: String(n) });
      return `${base}${path}?${q.toString()}`;
    };
    const links: string[] = [];
    if (current < last) links.push(`<${link(current + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (current > 1) links.push(`<${link(current - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
    sendJson(res, 200, slice, links.length ? { link: links.join(', ') } : {});
  }

  function handle(method: string, path: string, query: Record<string, string>, body: unknown, grant: TokenGrant, res: ServerResponse): void {
    const login = grant.login ?? 'github-actions[bot]';
    const need = (scopes: Scope[], access: Access) => {
      if (!allows(grant, scopes, access)) throw denied();
    };
    if (!path.startsWith(`${repoPath}/`)) throw notFound();
    const rest = path.slice(repoPath.length);
    const obj = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;

    if (rest === '/pulls' && method === 'GET') {
      need(['pull_requests'], 'read');
      const wanted = query.state ?? 'open';
      if (!['open', 'closed', 'all'].includes(wanted)) throw invalid('PullRequest', 'state', 'invalid');
      const list = [...state.pulls.values()]
        .filter((p) => wanted === 'all' || p.state === wanted)
        .sort((a, b) => (query.direction === 'asc' ? a.number - b.number : b.number - a.number))
        .map(pullJson);
      return page(res, list, query, path);
    }
    if ((m = rest.match(/^\/issues\/(\d+)\/comments$/))) {
      const issue = Number(m[1]);
      need(['issues', 'pull_requests'], method === 'GET' ? 'read' : 'write');
      if (!state.pulls.has(issue)) throw notFound();
      if (method === 'GET') return page(res, state.commentsOf(issue).map(commentJson), query, path);
      if (method === 'POST') {
        if (typeof obj.body !== 'string') throw invalid('IssueComment', 'body');
        const now = state.timestamp();
        const comment = { id: state.id(), issue, body: obj.body, login, createdAt: now, updatedAt: now };
        state.comments.set(comment.id, comment);
        return sendJson(res, 201, commentJson(comment), { location: `${repoUrl()}/issues/comments/${comment.id}` });
      }
    }
    if ((m = rest.match(/^\/issues\/comments\/(\d+)$/))) {
      const comment = state.comments.get(Number(m[1]));
      need(['issues', 'pull_requests'], method === 'GET' ? 'read' : 'write');
      if (!comment) throw notFound();
      if (method === 'GET') return sendJson(res, 200, commentJson(comment));
      if (method === 'PATCH') {
        if (typeof obj.body !== 'string') throw invalid('IssueComment', 'body');
        comment.body = obj.body;
        comment.updatedAt = state.timestamp();
        return sendJson(res, 200, commentJson(comment));
      }
      if (method === 'DELETE') {
        state.comments.delete(comment.id);
        return sendJson(res, 204, undefined);
      }
    }
    if (rest === '/deployments') {
      need(['deployments'], method === 'GET' ? 'read' : 'write');
      if (method === 'GET') {
        const list = [...state.deployments.values()]
          .filter((d) => (!query.environment || d.environment === query.environment) && (!query.sha || d.sha === query.sha) && (!query.ref || d.ref === query.ref) && (!query.task || d.task === query.task))
          .sort((a, b) => b.id - a.id)
          .map(deploymentJson);
        return page(res, list, query, path);
      }
      if (method === 'POST') {
        if (typeof obj.ref !== 'string' || obj.ref === '') throw invalid('Deployment', 'ref');
        const ref = obj.ref;
        if (!/^[0-9a-f]{40}$/.test(ref) && !refs.has(ref)) throw new HttpError(422, { message: `No ref found for: ${ref}`, documentation_url: DOCS, status: '422' });
        if (obj.required_contexts !== undefined && !Array.isArray(obj.required_contexts)) throw invalid('Deployment', 'required_contexts', 'invalid');
        const environment = typeof obj.environment === 'string' && obj.environment ? obj.environment : 'production';
        if (!state.environments.has(environment)) state.environments.set(environment, { id: state.id(), name: environment, createdAt: state.timestamp() });
        const deployment = {
          id: state.id(),
          sha: /^[0-9a-f]{40}$/.test(ref) ? ref : 'f'.repeat(40),
          ref,
          task: typeof obj.task === 'string' ? obj.task : 'deploy',
          environment,
          description: typeof obj.description === 'string' ? obj.description : null,
          transient: obj.transient_environment === true,
          production: obj.production_environment === undefined ? environment === 'production' : obj.production_environment === true,
          payload: obj.payload ?? {},
          login,
          createdAt: state.timestamp(),
        };
        state.deployments.set(deployment.id, deployment);
        return sendJson(res, 201, deploymentJson(deployment));
      }
    }
    if ((m = rest.match(/^\/deployments\/(\d+)\/statuses$/))) {
      need(['deployments'], method === 'GET' ? 'read' : 'write');
      const deployment = state.deployments.get(Number(m[1]));
      if (!deployment) throw notFound();
      if (method === 'GET') return page(res, state.statusesOf(deployment.id).map(statusJson), query, path);
      if (method === 'POST') {
        if (typeof obj.state !== 'string' || !STATES.includes(obj.state)) throw invalid('DeploymentStatus', 'state', typeof obj.state === 'string' ? 'invalid' : 'missing_field');
        const status: StatusRecord = {
          id: state.id(),
          deploymentId: deployment.id,
          state: obj.state,
          description: typeof obj.description === 'string' ? obj.description : '',
          environment: typeof obj.environment === 'string' ? obj.environment : deployment.environment,
          environmentUrl: typeof obj.environment_url === 'string' ? obj.environment_url : '',
          logUrl: typeof obj.log_url === 'string' ? obj.log_url : typeof obj.target_url === 'string' ? obj.target_url : '',
          login,
          createdAt: state.timestamp(),
        };
        state.statuses.push(status);
        // auto_inactive (default true): prior successful, non-transient, non-production deployments
        // of the same environment get an inactive status.
        if (status.state === 'success' && obj.auto_inactive !== false) {
          for (const other of state.deployments.values()) {
            if (other.id >= deployment.id || other.environment !== deployment.environment || other.transient || other.production) continue;
            if (state.latestState(other.id) !== 'success') continue;
            state.statuses.push({ ...status, id: state.id(), deploymentId: other.id, state: 'inactive', environmentUrl: '', createdAt: state.timestamp() });
          }
        }
        return sendJson(res, 201, statusJson(status));
      }
    }
    if ((m = rest.match(/^\/environments\/([^/]+)$/))) {
      const name = decodeURIComponent(m[1]!);
      const environment = state.environments.get(name);
      if (method === 'GET') {
        if (!environment) throw notFound();
        return sendJson(res, 200, { id: environment.id, node_id: `EN_${environment.id}`, name, url: `${repoUrl()}/environments/${encodeURIComponent(name)}`, html_url: `https://github.com/${owner}/${repo}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`, created_at: environment.createdAt, updated_at: environment.createdAt, protection_rules: [], deployment_branch_policy: null });
      }
      if (method === 'DELETE') {
        need(['administration'], 'write');
        if (!environment) throw notFound();
        state.environments.delete(name);
        return sendJson(res, 204, undefined);
      }
    }
    throw notFound();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const query = Object.fromEntries(url.searchParams.entries());
      const raw = await readBody(req);
      const parsed = parseJson(raw);
      const auth = req.headers.authorization ?? '';
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
      const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, body: parsed.ok ? parsed.value : raw.toString('utf8'), status: 0, ...(token ? { token } : {}) };
      requests.push(record);
      const respond = (status: number, body: unknown) => {
        record.status = status;
        sendJson(res, status, body, { 'x-github-request-id': `FAKE:${requests.length}` });
      };
      try {
        if (!token) return respond(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
        const grant = tokens[token];
        if (!grant) return respond(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
        if (!parsed.ok) return respond(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
        const original = res.writeHead.bind(res);
        res.writeHead = ((status: number, ...rest: unknown[]) => {
          record.status = status;
          return (original as (...a: unknown[]) => ServerResponse)(status, ...rest);
        }) as typeof res.writeHead;
        handle(record.method, url.pathname, query, parsed.value, grant, res);
      } catch (error) {
        if (error instanceof HttpError) respond(error.status, error.body);
        else respond(500, { message: `fake GitHub: ${(error as Error).message}` });
      }
    })();
  });
  const address = await listen(server, '127.0.0.1', 0);
  base = `http://127.0.0.1:${address.port}`;
  return {
    url: base,
    state,
    requests,
    mutations: () => requests.filter((r) => r.method !== 'GET'),
    close: () => closeServer(server),
  };
}
