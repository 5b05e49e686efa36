/**
 * `npm run demo`: the whole review-app flow on this machine, printed step by step.
 *
 *   npm run demo                               # Docker + Caddy (podman's Docker API, local Caddy)
 *   npm run demo -- --provider clever-cloud    # the local Clever Cloud simulator
 *
 * It copies examples/hello into a throwaway git repository with two branches, runs `up` for
 * both, shows their URLs and what each answers, shows `status`, then `stop`s both.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baseEnv, CLI, ROOT } from '../test/helpers/cli.js';

const { values } = parseArgs({ options: { provider: { type: 'string', default: 'docker' }, keep: { type: 'boolean', default: false } } });
const provider = values.provider!;
const bold = (t: string) => (process.stdout.isTTY ? `\x1b[1m${t}\x1b[0m` : t);
const say = (t: string) => process.stdout.write(`\n${bold(`▶ ${t}`)}\n`);

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  return r.stdout;
}

async function cli(args: string[], cwd: string, env: Record<string, string>) {
  process.stdout.write(`$ preview-kit ${args.join(' ')}\n`);
  const r = await execa('node', [CLI, ...args], { cwd, env: baseEnv(env), extendEnv: false, reject: false, stdout: 'pipe', stderr: 'inherit' });
  process.stdout.write(`${r.stdout}\n`);
  if (r.exitCode !== 0) throw new Error(`preview-kit ${args[0]} failed with exit ${r.exitCode}`);
  return r.stdout;
}

async function makeRepo(): Promise<{ dir: string; branches: Array<{ branch: string; commit: string }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'preview-kit-demo-'));
  await cp(join(ROOT, 'examples', 'hello'), dir, { recursive: true });
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: baseEnv(), extendEnv: false });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'hello');
  const main = (await git('rev-parse', 'HEAD')).stdout;
  await git('checkout', '-q', '-b', 'feature/greeting');
  await execa('sed', ['-i', 's/Hello/Hello again/', 'index.html'], { cwd: dir });
  await git('commit', '-qam', 'greeting');
  const feature = (await git('rev-parse', 'HEAD')).stdout;
  return { dir, branches: [{ branch: 'main', commit: main }, { branch: 'feature/greeting', commit: feature }] };
}

/** What `curl` gets from a preview URL: `*.localhost` names reach the local Caddy without DNS. */
async function curl(url: string): Promise<string> {
  const r = await execa('curl', ['-s', '--max-time', '10', '-w', '\n%{http_code}', url], { reject: false });
  const lines = r.stdout.split('\n');
  const status = lines.pop();
  const body = lines.join(' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return `HTTP ${status}: ${body.slice(0, 120)}`;
}

async function main() {
  // git, like podman and caddy, comes with the system packages: install before the first use.
  say('installing what the local review-app host needs (git, podman, runc, caddy), if missing');
  sh('bash', ['scripts/install-system-deps.sh']);
  const repo = await makeRepo();
  let env: Record<string, string> = {};
  let closeFake: (() => Promise<void>) | undefined;
  try {
    if (provider === 'docker') {
      say('starting podman (Docker Engine API) and Caddy on loopback');
      sh('bash', ['scripts/services.sh', 'start']);
      for (const m of sh('bash', ['scripts/services.sh', 'env']).matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
    } else if (provider === 'clever-cloud') {
      say('starting the local Clever Cloud simulator (API + git smart-HTTP)');
      const { startFakeCleverCloud } = await import('../test/fakes/clever-cloud/server.js');
      const fake = await startFakeCleverCloud({ gitReadyDelayMs: 2000, deployDurationMs: 1500 });
      closeFake = () => fake.close();
      env = { CLEVER_API_URL: fake.url, CLEVER_TOKEN: 'fake-token', CLEVER_SECRET: 'fake-secret' };
      process.stdout.write(`simulator at ${fake.url}\n`);
    } else {
      throw new Error(`the demo runs --provider docker or clever-cloud, not ${provider}`);
    }

    const common = ['--provider', provider, '--app', 'hello'];
    const urls: string[] = [];
    for (const { branch, commit } of repo.branches) {
      say(`up: preview of branch ${branch}`);
      const out = JSON.parse(await cli(['up', ...common, '--branch', branch, '--commit', commit, '--json'], repo.dir, env)) as { url: string };
      urls.push(out.url);
    }
    say('the previews');
    for (const [i, url] of urls.entries()) {
      const answer = provider === 'docker' ? await curl(url) : '(the simulator runs no application)';
      process.stdout.write(`${repo.branches[i]!.branch.padEnd(18)} ${url}\n${''.padEnd(18)} curl → ${answer}\n`);
    }
    say('up again with nothing to change: no mutating call, nothing redeployed');
    await cli(['up', ...common, '--branch', 'main', '--commit', repo.branches[0]!.commit], repo.dir, env);
    say('status');
    await cli(['status', ...common, '--branch', 'main'], repo.dir, env);
    if (!values.keep) {
      for (const { branch } of repo.branches) {
        say(`stop: branch ${branch} is gone`);
        await cli(['stop', ...common, '--branch', branch], repo.dir, env);
      }
      say('stop again: a no-op');
      await cli(['stop', ...common, '--branch', 'main'], repo.dir, env);
    }
    say('done');
  } finally {
    await closeFake?.();
    await rm(repo.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
