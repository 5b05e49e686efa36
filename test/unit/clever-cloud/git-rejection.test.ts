import { describe, expect, it } from 'vitest';
import { classifyGitFailure, rejectionOf } from '../../../src/providers/clever-cloud/git.js';

describe('a push the remote refuses', () => {
  // What `git push --porcelain` prints on stdout when a shallow clone is pushed to an empty repository.
  const porcelain = 'To https://push-par-clevercloud-customers.services.clever-cloud.com/app_x.git\n!\te50a4b2:refs/heads/master\t[remote rejected] (shallow update not allowed)\nDone\n';

  it('reads the reason from the porcelain status line', () => {
    expect(rejectionOf(porcelain)).toBe('shallow update not allowed');
    expect(rejectionOf('!\tHEAD:refs/heads/master\t[rejected] (fetch first)\n')).toBe('fetch first');
    expect(rejectionOf('=\tHEAD:refs/heads/master\t[up to date]\nDone\n')).toBeUndefined();
  });

  it('a shallow clone is a fatal mistake, not a repository that is not ready yet', () => {
    // stderr alone only says "failed to push some refs": retrying that would take minutes.
    expect(classifyGitFailure("error: failed to push some refs to 'https://x/app_x.git'")).toBe('retry');
    expect(classifyGitFailure(`error: failed to push some refs\n${rejectionOf(porcelain)}`)).toBe('fatal');
  });
});
