/** Whether a real kubectl runs on this machine: where it does, the fake is checked against it (tests, bench). */
import { execFileSync } from 'node:child_process';

export function kubectlRuns(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
