/**
 * Refuses to deploy a pull request from a fork. A preview runs the PR's code with the workflow's
 * secrets (on `pull_request_target`, or with a PAT), so a stranger's PR could read them.
 */
import { SafetyError } from '../../core/errors.js';
import { readEvent } from './event.js';
import { loadGitHubSettings } from './options.js';

/** Commands that run the pull request's code or touch the platform with our credentials. */
const DEPLOYING = new Set(['ensure-app', 'set-domain', 'deploy', 'up']);

export function assertForkAllowed(command: string, env: Record<string, string | undefined>): void {
  if (!DEPLOYING.has(command)) return;
  const pr = readEvent(env).pullRequest;
  if (!pr?.fromFork) return;
  if (loadGitHubSettings(env).allowForks) return;
  const from = pr.headRepo ?? 'a deleted fork';
  throw new SafetyError(`${command}: pull request #${pr.number} comes from a fork (${from}); refusing to deploy its code with this repository's secrets`, {
    hint: 'set the action input allow-forks: true (PREVIEW_ALLOW_FORKS=true) only if you trust every fork',
  });
}
