/**
 * A fake of the one GitLab REST endpoint the prune job calls: listing a project's merge requests
 * (`GET /api/v4/projects/:id/merge_requests`), as GitLab answers it — `PRIVATE-TOKEN` or Bearer
 * auth (401 for an unknown token, 404 "Project Not Found" for a project the token cannot see,
 * 403 `insufficient_scope` for a token without read_api), the `state` filter, offset pagination
 * (`per_page` up to 100, `x-next-page` empty on the last page, `x-total`, `Link`), and merge
 * request objects with their nested `milestone` (which carries an `iid` of its own).
 * Binds to 127.0.0.1 and records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen, sendJson } from '../../fakes/shared/http.js';

export interface FakeMergeRequest {
  iid: number;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  sourceBranch: string;
  /** Another project's id: the merge request comes from a fork. */
  sourceProjectId?: number;
}

export interface FakeGitLabOptions {
  projectId: number;
  projectPath: string;
  mergeRequests: FakeMergeRequest[];
  /** Tokens and their scopes. */
  tokens: Record<string, Array<'api' | 'read_api' | 'read_repository'>>;
}

export interface FakeGitLab {
  /** What CI_API_V4_URL holds. */
  apiUrl: string;
  requests: Array<{ method: string; path: string; query: Record<string, string>; status: number }>;
  close(): Promise<void>;
}

const STATES = ['opened', 'closed', 'locked', 'merged', 'all'];

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers['private-token'];
  if (typeof header === 'string') return header;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return bearer?.[1];
}

function mergeRequestJson(mr: FakeMergeRequest, options: FakeGitLabOptions) {
  const source = mr.sourceProjectId ?? options.projectId;
  return {
    id: 10_000 + mr.iid,
    iid: mr.iid,
    project_id: options.projectId,
    title: `Change ${mr.iid}`,
    state: mr.state,
    created_at: '2026-11-01T10:00:00.000Z',
    updated_at: '2026-11-02T10:00:00.000Z',
    target_branch: 'main',
    source_branch: mr.sourceBranch,
    source_project_id: source,
    target_project_id: options.projectId,
    draft: false,
    sha: 'a'.repeat(40),
    // A milestone has an iid too: a client must read the merge request's own.
    milestone: { id: 900, iid: 1, project_id: options.projectId, title: 'v1', state: 'active' },
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${options.projectPath}!${mr.iid}` },
    web_url: `https://gitlab.example.com/${options.projectPath}/-/merge_requests/${mr.iid}`,
  };
}

export async function startFakeGitLab(options: FakeGitLabOptions): Promise<FakeGitLab> {
  const requests: FakeGitLab['requests'] = [];
  let base = '';
  const handle = (req: IncomingMessage, res: ServerResponse): number => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const reply = (r: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number => {
      sendJson(r, status, body, headers);
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query, status });
      return status;
    };
    const match = /^\/api\/v4\/projects\/([^/]+)\/merge_requests$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return reply(res, 404, { error: '404 Not Found' });
    const token = tokenOf(req);
    const scopes = token === undefined ? undefined : options.tokens[token];
    if (token !== undefined && scopes === undefined) return reply(res, 401, { message: '401 Unauthorized' });
    const id = decodeURIComponent(match[1]!);
    if (scopes === undefined || (id !== String(options.projectId) && id !== options.projectPath)) return reply(res, 404, { message: '404 Project Not Found' });
    if (!scopes.includes('api') && !scopes.includes('read_api')) {
      return reply(res, 403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api read_api' });
    }
    const state = query.state ?? 'all';
    if (!STATES.includes(state)) return reply(res, 400, { error: 'state does not have a valid value' });
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 20) || 20));
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const all = options.mergeRequests.filter((mr) => state === 'all' || mr.state === state).sort((a, b) => b.iid - a.iid);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const link = (p: number, rel: string) => `<${base}${url.pathname}?${new URLSearchParams({ ...query, page: String(p), per_page: String(perPage) })}>; rel="${rel}"`;
    const links = [...(page < pages ? [link(page + 1, 'next')] : []), ...(page > 1 ? [link(page - 1, 'prev')] : []), link(1, 'first'), link(pages, 'last')];
    return reply(res, 200, slice.map((mr) => mergeRequestJson(mr, options)), {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': page < pages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      'x-total': String(all.length),
      'x-total-pages': String(pages),
      link: links.join(', '),
    });
  };
  const server = createServer((req, res) => void handle(req, res));
  const address = await listen(server, '127.0.0.1', 0);
  base = `http://127.0.0.1:${address.port}`;
  return { apiUrl: `${base}/api/v4`, requests, close: () => closeServer(server) };
}
