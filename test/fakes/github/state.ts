/**
 * In-memory state of the fake GitHub REST API: one repository's pull requests, issue comments,
 * deployments, deployment statuses and environments, in the shapes the real API returns.
 */

export type Scope = 'issues' | 'pull_requests' | 'deployments' | 'administration';
export type Access = 'read' | 'write';

export interface TokenGrant {
  /** What a workflow's `permissions:` block (or a fine-grained token) grants. */
  permissions: Partial<Record<Scope, Access>>;
  login?: string;
}

export interface PullRequestRecord {
  number: number;
  state: 'open' | 'closed';
  title: string;
  /** Head branch name. */
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository: this repository, a fork's, or null when the fork was deleted. */
  headRepo: string | null;
  baseRef: string;
  login: string;
  createdAt: string;
  closedAt: string | null;
}

/** How a test declares a pull request: a number (open, head `feature/<n>` in this repository) or more. */
export type PullRequestSeed = number | (Partial<Omit<PullRequestRecord, 'number'>> & { number: number });

export interface CommentRecord {
  id: number;
  issue: number;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  payload: unknown;
  login: string;
  createdAt: string;
}

export interface StatusRecord {
  id: number;
  deploymentId: number;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  login: string;
  createdAt: string;
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
}

export class GitHubState {
  readonly comments = new Map<number, CommentRecord>();
  readonly deployments = new Map<number, DeploymentRecord>();
  readonly statuses: StatusRecord[] = [];
  readonly environments = new Map<string, EnvironmentRecord>();
  readonly pulls = new Map<number, PullRequestRecord>();
  private nextId = 1000;
  private tick = 0;

  constructor(
    readonly owner: string,
    readonly repo: string,
    seeds: PullRequestSeed[],
  ) {
    for (const seed of seeds) this.addPullRequest(seed);
  }

  addPullRequest(seed: PullRequestSeed): PullRequestRecord {
    const s = typeof seed === 'number' ? { number: seed } : seed;
    const state = s.state ?? 'open';
    const createdAt = s.createdAt ?? this.timestamp();
    const record: PullRequestRecord = {
      number: s.number,
      state,
      title: s.title ?? `Pull request ${s.number}`,
      headRef: s.headRef ?? `feature/${s.number}`,
      headSha: s.headSha ?? s.number.toString(16).padStart(40, 'a'),
      headRepo: s.headRepo === undefined ? `${this.owner}/${this.repo}` : s.headRepo,
      baseRef: s.baseRef ?? 'main',
      login: s.login ?? 'octocat',
      createdAt,
      closedAt: s.closedAt ?? (state === 'closed' ? this.timestamp() : null),
    };
    this.pulls.set(record.number, record);
    return record;
  }

  id(): number {
    return ++this.nextId;
  }

  /** Strictly increasing timestamps, so "newest first" never ties. */
  timestamp(): string {
    return new Date(Date.UTC(2026, 0, 1) + ++this.tick * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  commentsOf(issue: number): CommentRecord[] {
    return [...this.comments.values()].filter((c) => c.issue === issue).sort((a, b) => a.id - b.id);
  }

  statusesOf(deploymentId: number): StatusRecord[] {
    return this.statuses.filter((s) => s.deploymentId === deploymentId).sort((a, b) => b.id - a.id);
  }

  latestState(deploymentId: number): string | undefined {
    return this.statusesOf(deploymentId)[0]?.state;
  }
}
