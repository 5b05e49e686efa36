import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempRepo } from '../helpers/cli.js';

let repo: Awaited<ReturnType<typeof tempRepo>>;
beforeAll(async () => {
  repo = await tempRepo();
});
afterAll(async () => {
  await repo.remove();
});

describe('CLI basics', () => {
  it('--version prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands and exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['ensure-app', 'set-domain', 'deploy', 'up', 'stop', 'status', 'prune', 'name']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes');
    const sub = await runCli(['up', '--help']);
    expect(sub.stdout).toContain('Usage: preview-kit up');
    expect(sub.stdout).toContain('--rack-url');
    const one = await runCli(['up', '--help', '--provider', 'docker']);
    expect(one.stdout).toContain('--caddy-admin');
    expect(one.stdout).not.toContain('--rack-url');
  });

  it('name is pure and prints name and URL', async () => {
    const r = await runCli(['name', '--app', 'shop', '--branch', 'feature/Cart', '--domain', '{name}.preview.example.com', '--json']);
    expect(r.code).toBe(0);
    const out = r.json<{ name: string; url: string }>();
    expect(out.name).toMatch(/^shop-feature-cart-[0-9a-f]{6}$/);
    expect(out.url).toBe(`https://${out.name}.preview.example.com`);
  });

  it('docker adds {domain}, its base domain, to domain templates', async () => {
    const r = await runCli(['name', '--provider', 'docker', '--app', 'shop', '--branch', 'main', '--domain', '{name}.{domain}', '--base-domain', 'review.test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ url: string }>().url).toBe('https://shop-main.review.test');
  });

  it('name takes the branch from git when nothing else gives it', async () => {
    const r = await runCli(['name', '--app', 'shop', '--json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.json<{ name: string }>().name).toMatch(/^shop-feature-login-/);
  });

  it('name takes the branch from the CI environment', async () => {
    const r = await runCli(['name', '--json'], { cwd: repo.dir, env: { GITLAB_CI: 'true', CI_COMMIT_REF_NAME: 'fix-42', CI_PROJECT_NAME: 'web' } });
    expect(r.json<{ name: string }>().name).toBe('web-fix-42');
  });
});

describe('bad input exits 2 with one line naming the field', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp, string?]> = [
    ['unknown command', ['deploy-all'], {}, /unknown command "deploy-all"/],
    ['unknown flag', ['up', '--colour'], {}, /usage: Unknown option '--colour'/],
    ['unknown provider', ['up', '--provider', 'heroku', '--app', 'a', '--branch', 'b'], {}, /--provider: unknown provider "heroku"/],
    ['unknown provider from env', ['up', '--app', 'a', '--branch', 'b'], { PREVIEW_PROVIDER: 'heroku' }, /PREVIEW_PROVIDER: unknown provider "heroku"/],
    ['missing provider', ['up', '--app', 'a', '--branch', 'b'], {}, /--provider \/ PREVIEW_PROVIDER \/ \.preview\.yml provider: is required/],
    ['missing provider setting names every way to give it', ['up', '--provider', 'convox', '--app', 'a', '--branch', 'b'], {}, /--rack-url \/ RACK_URL \/ \.preview\.yml convox\.rackUrl/],
    ['invalid --env', ['up', '--provider', 'clever-cloud', '--app', 'a', '--branch', 'b', '--env', 'NOEQUALS'], {}, /invalid --env "NOEQUALS"/],
    ['invalid --env key', ['up', '--provider', 'clever-cloud', '--app', 'a', '--branch', 'b', '--env', '1X=2'], {}, /invalid --env "1X"/],
    ['bad timeout', ['up', '--provider', 'clever-cloud', '--app', 'a', '--branch', 'b', '--timeout', 'soon'], {}, /--timeout: "soon" is not a duration/],
    ['bad domain placeholder', ['name', '--app', 'a', '--branch', 'b', '--domain', '{nam}.x.io'], {}, /--domain: unknown placeholder \{nam\}/],
    ['missing config file', ['up', '--config', 'nope.yml'], {}, /--config: .*nope\.yml does not exist/],
  ];
  it.each(cases)('%s', async (_label, args, env, pattern) => {
    const r = await runCli(args, { env, cwd: repo.dir });
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^preview-kit: /);
    expect(lines[0]).toMatch(pattern);
  });

  it('malformed .preview.yml names the file and line', async () => {
    await writeFile(join(repo.dir, 'bad.yml'), 'provider: clever-cloud\napp: [unclosed\n');
    const r = await runCli(['up', '--config', 'bad.yml'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^preview-kit: invalid settings: .*bad\.yml line \d+: not valid YAML/);
  });

  it('an unknown key in .preview.yml is named', async () => {
    await writeFile(join(repo.dir, 'typo.yml'), 'provider: clever-cloud\ndomian: x.example.com\n');
    const r = await runCli(['up', '--config', 'typo.yml', '--app', 'a'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key "domian"/);
  });

  it('a wrong type in .preview.yml is named with its key', async () => {
    await writeFile(join(repo.dir, 'type.yml'), 'provider: clever-cloud\napp: a\ntimeout: [1]\n');
    const r = await runCli(['up', '--config', 'type.yml'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/type\.yml timeout: expected a text value, got a list/);
  });
});
