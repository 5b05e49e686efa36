/**
 * The processes this one started, and theirs: what must end with us when a job is cancelled. A
 * `git push` runs `git-remote-http` as its own child; killing only our direct children would leave
 * it pushing after the job is gone. Read from /proc where there is one, else from `ps`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** pid → parent pid of every process we can see. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    entries = [];
  }
  if (entries.length > 0) {
    for (const pid of entries) {
      try {
        // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (Number.isInteger(ppid)) out.set(Number(pid), ppid);
      } catch {
        // Gone meanwhile.
      }
    }
    return out;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) out.set(pid!, ppid!);
  }
  return out;
}

/** Every process below `root`, deepest first. */
export function descendants(root: number = process.pid): number[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of byParent.get(pid) ?? []) {
      walk(child);
      out.push(child);
    }
  };
  walk(root);
  return out;
}

/** Sends `signal` to every process below us; one that is already gone is no error. */
export function signalDescendants(signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of descendants()) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // Already gone.
    }
  }
  return sent;
}
