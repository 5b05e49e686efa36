/**
 * What the triggering event says about the pull request: its number, head commit and whether it
 * comes from a fork. Read from GITHUB_EVENT_PATH (the runner's copy of the webhook payload).
 */
import { readFileSync } from 'node:fs';

export interface PullRequestInfo {
  number: number;
  /** `opened`, `synchronize`, `reopened`, `closed`… */
  action?: string;
  headSha?: string;
  headRef?: string;
  /** `owner/name` of the head repository; undefined when the fork was deleted. */
  headRepo?: string;
  baseRepo?: string;
  /** The head lives in another repository than the base (or the fork is gone). */
  fromFork: boolean;
}

export interface EventInfo {
  name?: string;
  pullRequest?: PullRequestInfo;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Pure: the pull request of a parsed event payload, when the event carries one. */
export function pullRequestOf(payload: unknown): PullRequestInfo | undefined {
  const root = asObject(payload);
  const pr = asObject(root?.pull_request);
  if (!root || !pr) return undefined;
  const number = typeof pr.number === 'number' ? pr.number : typeof root.number === 'number' ? root.number : undefined;
  if (number === undefined) return undefined;
  const head = asObject(pr.head);
  const base = asObject(pr.base);
  const headRepoObject = asObject(head?.repo);
  const headRepo = asString(headRepoObject?.full_name);
  const baseRepo = asString(asObject(base?.repo)?.full_name) ?? asString(asObject(root.repository)?.full_name);
  // A deleted fork leaves `head.repo: null`: that code still is not ours. A repository that is
  // itself a fork (`repo.fork: true`) has pull requests between its own branches: those are not.
  const headId = headRepoObject?.id;
  const baseId = asObject(base?.repo)?.id;
  const fromFork =
    headRepoObject === undefined ||
    (typeof headId === 'number' && typeof baseId === 'number' ? headId !== baseId : headRepo === undefined || (baseRepo !== undefined && headRepo !== baseRepo));
  const info: PullRequestInfo = { number, fromFork };
  const action = asString(root.action);
  if (action) info.action = action;
  const headSha = asString(head?.sha);
  if (headSha) info.headSha = headSha;
  const headRef = asString(head?.ref);
  if (headRef) info.headRef = headRef;
  if (headRepo) info.headRepo = headRepo;
  if (baseRepo) info.baseRepo = baseRepo;
  return info;
}

/** Reads the event file the runner wrote. A missing or unreadable file means "no event". */
export function readEvent(env: Record<string, string | undefined>): EventInfo {
  const info: EventInfo = {};
  if (env.GITHUB_EVENT_NAME) info.name = env.GITHUB_EVENT_NAME;
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return info;
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return info;
  }
  const pullRequest = pullRequestOf(payload);
  if (pullRequest) info.pullRequest = pullRequest;
  return info;
}
