/**
 * The per-preview deploy lock: a lock left by a run that was interrupted on this machine does not
 * block the next deploy for the rest of its expiry, and running out of time while waiting says
 * what was waited for.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ProviderError, TimeoutError } from '../../../src/core/errors.js';
import { PlainLogger } from '../../../src/core/logger.js';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { identityKey, identityJson, type PreviewIdentity } from '../../../src/core/identity.js';
import { Deadline, type Clock } from '../../../src/core/retry.js';
import { acquireDeployLock, holderIsGone, LOCK_HOLDER, LOCK_UNTIL, lockName } from '../../../src/providers/docker/deploy-lock.js';
import type { NetworkInspect } from '../../../src/providers/docker/engine.js';
import type { DockerRuntime } from '../../../src/providers/docker/runtime.js';

const NAME = 'shop-main';
const IDENTITY: PreviewIdentity = { project: 'shop', branch: 'main' };
const REF = { name: NAME, identity: IDENTITY, key: identityKey(IDENTITY) };

function fakeClock(): Clock {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

/** A pid that surely runs no process any more: a child that already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** Networks by name, with podman's answer to a taken name (500 "already exists", read as 409). */
function fakeEngine(deadline: Deadline) {
  const networks = new Map<string, NetworkInspect>();
  const removed: string[] = [];
  let creates = 0;
  let timeoutOnCreate: number | undefined;
  /** Creates applied but answered 503 (a proxy in front of the engine lost the answer). */
  let lostAnswers = 0;
  const engine = {
    async createNetwork(name: string, labels: Record<string, string>): Promise<string> {
      creates++;
      if (timeoutOnCreate !== undefined && creates >= timeoutOnCreate) throw deadline.timeoutError(`create network ${name}`);
      if (networks.has(name)) throw new ProviderError(`create network ${name}: conflict`, { status: 409 });
      const id = `id-${creates}`;
      networks.set(name, { Id: id, Name: name, Created: new Date().toISOString(), Labels: labels });
      if (lostAnswers > 0) {
        lostAnswers--;
        throw new ProviderError(`create network ${name}: the Docker Engine answered 503`, { status: 503, retryable: true });
      }
      return id;
    },
    async inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
      return networks.get(name);
    },
    async removeNetwork(nameOrId: string): Promise<boolean> {
      removed.push(nameOrId);
      for (const [name, n] of networks) {
        if (n.Id === nameOrId || name === nameOrId) {
          networks.delete(name);
          return true;
        }
      }
      return false;
    },
  };
  return {
    engine,
    networks,
    removed,
    timeoutOnCreateNumber(n: number) {
      timeoutOnCreate = n;
    },
    loseAnswers(n: number) {
      lostAnswers = n;
    },
    get creates() {
      return creates;
    },
  };
}

function runtime(totalMs: number) {
  const clock = fakeClock();
  const deadline = new Deadline(totalMs, clock);
  const fake = fakeEngine(deadline);
  const lines: string[] = [];
  const logger = new PlainLogger({ redactor: new Redactor(), sink: { write: (t) => void lines.push(t) }, debug: false });
  const rt = { engine: fake.engine, context: { logger, deadline, plan: new Plan(false), adopt: false } } as unknown as DockerRuntime;
  return { rt, fake, lines };
}

function heldBy(fake: ReturnType<typeof fakeEngine>, holder: string, identity: PreviewIdentity = IDENTITY) {
  fake.networks.set(lockName(NAME), {
    Id: 'old-lock',
    Name: lockName(NAME),
    Created: new Date().toISOString(),
    // Far from expired: only the holder tells that it is stale.
    Labels: {
      'preview-kit.managed-by': 'preview-kit',
      'preview-kit.name': NAME,
      'preview-kit.key': identityKey(identity),
      'preview-kit.identity': identityJson(identity),
      [LOCK_UNTIL]: String(Date.now() + 3_600_000),
      [LOCK_HOLDER]: holder,
    },
  });
}

describe('deploy lock', () => {
  it('takes over at once a lock whose holder on this machine is gone (Ctrl-C), removing it by id', async () => {
    const { rt, fake, lines } = runtime(60_000);
    heldBy(fake, `${hostname()} ${deadPid()} abc123`);
    const lock = await acquireDeployLock(rt, REF);
    expect(fake.removed).toEqual(['old-lock']);
    expect(fake.networks.get(lockName(NAME))?.Labels?.[LOCK_HOLDER]).toMatch(new RegExp(`^${hostname()} ${process.pid} [0-9a-f]+$`));
    expect(lines.join('')).toMatch(/stale deploy lock of shop-main \(the run that took it on this machine is gone\)/);
    await lock.release();
    expect(fake.networks.has(lockName(NAME))).toBe(false);
  });

  it('waits for a live holder, and running out of time says what it waited for', async () => {
    const { rt, fake } = runtime(5_000);
    heldBy(fake, `${hostname()} ${process.ppid} abc123`);
    const error = await acquireDeployLock(rt, REF).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/waiting for another deploy of shop-main to finish/);
    expect(fake.networks.get(lockName(NAME))?.Id).toBe('old-lock');
  });

  it('a deadline that runs out inside the engine call while waiting also names the other deploy, not the lock network', async () => {
    const { rt, fake } = runtime(5_000);
    heldBy(fake, `another-machine 1 abc123`);
    fake.timeoutOnCreateNumber(2);
    const error = await acquireDeployLock(rt, REF).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/waiting for another deploy of shop-main to finish/);
    expect((error as TimeoutError).hint).toContain(`docker network rm ${lockName(NAME)}`);
  });

  it('records the preview identity on the lock, and a create answered 503 after it was applied still takes the lock', async () => {
    const { rt, fake } = runtime(60_000);
    fake.loseAnswers(1);
    const lock = await acquireDeployLock(rt, REF);
    expect(fake.creates).toBe(1);
    const labels = fake.networks.get(lockName(NAME))?.Labels;
    expect(labels?.['preview-kit.key']).toBe(REF.key);
    expect(JSON.parse(labels?.['preview-kit.identity'] ?? '{}')).toEqual({ project: 'shop', branch: 'main' });
    await lock.release();
    expect(fake.networks.has(lockName(NAME))).toBe(false);
  });

  it("never takes over another preview's lock of the same name, even a stale one: it says whose it is", async () => {
    const { rt, fake } = runtime(60_000);
    heldBy(fake, `${hostname()} ${deadPid()} abc123`, { project: 'shop-admin', branch: 'main' });
    const error = await acquireDeployLock(rt, REF).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(/deploy lock of the preview of shop-admin, branch main, not of shop, branch main/);
    expect(fake.removed).toEqual([]);
    expect(fake.networks.get(lockName(NAME))?.Id).toBe('old-lock');
  });

  it.each([
    ['another machine', 'ci-runner-7 1 r1', false],
    ['this process, a run it no longer holds', `HERE ${process.pid} r1`, true],
    ['this process, a run it holds', `HERE ${process.pid} r2`, false],
    ['a live process here', `HERE 4242 r1`, false],
    ['a dead process here', `HERE 4343 r1`, true],
    ['no holder label (older preview-kit)', undefined, false],
    ['garbage', 'HERE notapid', false],
  ])('holder on %s: gone=%s', (_what, holder, gone) => {
    const here = { host: 'HERE', pid: process.pid, held: new Set(['r2']), alive: (pid: number) => pid === 4242 };
    expect(holderIsGone(holder, here)).toBe(gone);
  });
});
