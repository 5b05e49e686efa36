/**
 * examples/circleci/config.yml: its structure as CircleCI reads it (version 2.1, a declared
 * boolean parameter, jobs and a workflow chosen by a schedule trigger named "nightly" or a run by
 * hand with force), then the nightly job run step by step as CircleCI runs it (test/examples/
 * circleci.ts) against the fake Kubernetes API: the package installed from its tarball with no
 * registry, a stand-in docker client, the kubeconfig from a base64 project variable. Each new
 * commit rolls out under the same image tag through the commit annotation; a quiet night writes
 * nothing; force restarts the pods on the same commit.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes } from '../fakes/kubernetes/index.js';
import { ROOT, tempRepo } from '../helpers/cli.js';
import { offlineNpmEnv, packPackage } from '../package/pack.js';
import { compile, runJob, workflowsToRun, type Config, type Pipeline } from './circleci.js';

type Obj = Record<string, any>;

const CONFIG = readFileSync(join(ROOT, 'examples', 'circleci', 'config.yml'), 'utf8');
const TOKEN = 'k8s-circleci-token-3f9a0c7e51d2b8';
const REGISTRY_PASSWORD = 'registry-pw-circleci-8d2e6b4a';
const SLUG = 'gh/octo-org/shop';

let fake: FakeKubernetes;
let work: string;
let tarball: string;
let repo: Awaited<ReturnType<typeof tempRepo>>;
let kubeconfigData: string;
let dockerLog: string;
let bin: string;

const pipelineOf = (over: Partial<Pipeline> = {}): Pipeline => ({ triggerSource: 'scheduled_pipeline', scheduleName: 'nightly', branch: 'main', revision: 'HEAD', projectSlug: SLUG, ...over });
const deploymentOf = (name: string) => fake.get('Deployment', 'nightly', name) as Obj;
const templateOf = (name: string): Obj => deploymentOf(name).spec.template;

/** One pipeline of the example: compiled for its trigger, then each chosen workflow's job run in a fresh home. */
async function pipeline(over: Partial<Pipeline> = {}) {
  const revision = (await repo.git('rev-parse', 'HEAD')).stdout.trim();
  const p = pipelineOf({ ...over, revision });
  const { config, values } = compile(CONFIG, p);
  const workflows = workflowsToRun(config, values);
  const runs = [];
  for (const workflow of workflows) {
    for (const entry of config.workflows[workflow]!.jobs) {
      const job = typeof entry === 'string' ? entry : Object.keys(entry)[0]!;
      const home = mkdtempSync(join(work, 'home-'));
      const env = offlineNpmEnv(home, {
        PATH: `${bin}:${process.env.PATH}`,
        DOCKER_STUB_LOG: dockerLog,
        CI: 'true',
        CIRCLECI: 'true',
        CIRCLE_BRANCH: p.branch,
        CIRCLE_SHA1: revision,
        CIRCLE_PROJECT_USERNAME: 'octo-org',
        CIRCLE_PROJECT_REPONAME: 'shop',
        CIRCLE_REPOSITORY_URL: 'git@github.com:octo-org/shop.git',
        CIRCLE_BUILD_NUM: '101',
        CIRCLE_WORKFLOW_ID: '5a4b3c2d-0000-4000-8000-000000000001',
        // Project environment variables.
        KUBECONFIG_DATA: kubeconfigData,
        REGISTRY_USER: 'ci',
        REGISTRY_PASSWORD,
        PREVIEW_KIT_PACKAGE: tarball,
      });
      runs.push(await runJob(config, job, { env, repository: repo.dir, branch: p.branch, revision }));
    }
  }
  return { workflows, runs, revision };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pk-circleci-'));
  fake = await startFakeKubernetes({ token: TOKEN, namespaces: ['default', 'nightly'] });
  const kube = join(work, 'kube');
  mkdirSync(kube);
  kubeconfigData = Buffer.from(readFileSync(writeKubeconfig(fake, kube, { namespace: 'nightly' }))).toString('base64');
  tarball = (await packPackage(join(work, 'pack'))).tarball;
  repo = await tempRepo({ 'index.html': '<h1>monday</h1>\n', Dockerfile: 'FROM nginx:alpine\nCOPY index.html /usr/share/nginx/html/\n' }, 'main');
  // No Docker engine here: a stand-in docker client records what the build step asks for.
  bin = join(work, 'bin');
  mkdirSync(bin);
  dockerLog = join(work, 'docker.log');
  writeFileSync(join(bin, 'docker'), '#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$DOCKER_STUB_LOG"\ncase " $* " in *" --password-stdin "*) cat > /dev/null ;; esac\n');
  chmodSync(join(bin, 'docker'), 0o755);
}, 120_000);

afterAll(async () => {
  await fake?.close();
  await repo?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('examples/circleci/config.yml: structure', () => {
  const raw = parse(CONFIG) as Config & Record<string, unknown>;

  it('is a 2.1 config with only the top-level keys CircleCI knows, a declared boolean parameter, and jobs that exist', () => {
    expect(raw.version).toBe(2.1);
    expect(Object.keys(raw).every((k) => ['version', 'setup', 'orbs', 'parameters', 'executors', 'commands', 'jobs', 'workflows'].includes(k))).toBe(true);
    expect(raw.parameters).toEqual({ force: { type: 'boolean', default: false, description: expect.any(String) } });
    for (const [name, job] of Object.entries(raw.jobs)) {
      expect(job.docker?.[0]?.image, name).toMatch(/^cimg\/node:/);
      for (const step of job.steps) {
        const kind = typeof step === 'string' ? step : Object.keys(step);
        expect([['checkout'], ['setup_remote_docker'], ['run'], 'checkout', 'setup_remote_docker']).toContainEqual(kind);
      }
    }
    for (const workflow of Object.values(raw.workflows)) {
      for (const entry of workflow.jobs) expect(Object.keys(raw.jobs)).toContain(typeof entry === 'string' ? entry : Object.keys(entry)[0]);
    }
  });

  it('runs on the schedule trigger named nightly and on a run by hand with force, never on a push; no scheduled-workflow triggers', () => {
    expect(Object.values(raw.workflows).some((w) => 'triggers' in w)).toBe(false);
    const chosen = (p: Partial<Pipeline>) => {
      const { config, values } = compile(CONFIG, pipelineOf({ revision: 'a'.repeat(40), ...p }));
      return workflowsToRun(config, values);
    };
    expect(chosen({})).toEqual(['nightly']);
    expect(chosen({ scheduleName: 'weekly' })).toEqual([]);
    expect(chosen({ triggerSource: 'webhook', scheduleName: undefined })).toEqual([]);
    expect(chosen({ triggerSource: 'api', scheduleName: undefined })).toEqual([]);
    expect(chosen({ triggerSource: 'api', scheduleName: undefined, parameters: { force: true } })).toEqual(['nightly']);
    // Serial: one nightly at a time for the project.
    const { config } = compile(CONFIG, pipelineOf({ revision: 'a'.repeat(40) }));
    expect(config.workflows.nightly!.jobs).toEqual([{ nightly: { 'serial-group': `${SLUG}/nightly` } }]);
  });
});

describe('examples/circleci/config.yml: the nightly job against the Kubernetes API', () => {
  let name = '';

  it('the first night installs the package, builds :nightly and rolls it out with Recreate and the commit on the pod template', async () => {
    const night = await pipeline();
    expect(night.workflows).toEqual(['nightly']);
    const [run] = night.runs;
    expect(run!.exitCode, run!.stderr).toBe(0);
    expect(run!.steps).toEqual(['checkout', 'setup_remote_docker', 'Build and push the nightly image', 'Install preview-kit', 'Write the kubeconfig', 'Roll the nightly out']);
    name = fake.objects({ kind: 'Deployment', namespace: 'nightly' }).map((d) => (d as Obj).metadata.name)[0];
    expect(name).toBe('shop-nightly');
    const d = deploymentOf(name);
    expect(d.spec.strategy.type).toBe('Recreate');
    expect(templateOf(name).spec.containers[0]).toMatchObject({ image: 'registry.example.com/shop:nightly', imagePullPolicy: 'Always' });
    expect(templateOf(name).metadata.annotations['preview-kit/commit']).toBe(night.revision);
    expect(templateOf(name).metadata.labels['preview-kit/commit']).toBe(night.revision.slice(0, 15));
    expect((fake.get('Ingress', 'nightly', name) as Obj).metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
    expect(`${run!.stdout}${run!.stderr}`).toContain('https://nightly.shop.example.com');
  });

  it('a new commit under the same tag rolls out through the commit annotation', async () => {
    const tuesday = await repo.commit({ 'index.html': '<h1>tuesday</h1>\n' }, 'tuesday');
    const night = await pipeline();
    expect(night.runs[0]!.exitCode, night.runs[0]!.stderr).toBe(0);
    const template = templateOf(name);
    expect(template.spec.containers[0].image).toBe('registry.example.com/shop:nightly');
    expect(template.metadata.annotations['preview-kit/commit']).toBe(tuesday);
    expect(template.metadata.labels['preview-kit/commit']).toBe(tuesday.slice(0, 15));
    const d = deploymentOf(name);
    expect(d.status).toMatchObject({ observedGeneration: d.metadata.generation, updatedReplicas: 1, availableReplicas: 1 });
  });

  it('a quiet night sends no write request; a run by hand with force restarts the pods on the same commit', async () => {
    const before = fake.writes().length;
    const quiet = await pipeline();
    expect(quiet.runs[0]!.exitCode, quiet.runs[0]!.stderr).toBe(0);
    expect(fake.writes().slice(before)).toEqual([]);
    expect(templateOf(name).metadata.annotations['preview-kit/restarted-at']).toBeUndefined();

    const forced = await pipeline({ triggerSource: 'api', scheduleName: undefined, parameters: { force: true } });
    expect(forced.workflows).toEqual(['nightly']);
    expect(forced.runs[0]!.exitCode, forced.runs[0]!.stderr).toBe(0);
    expect(templateOf(name).metadata.annotations['preview-kit/restarted-at']).toEqual(expect.any(String));
    expect(templateOf(name).metadata.annotations['preview-kit/commit']).toBe(quiet.revision);
  });

  it('pushed the image every run, logged in through stdin, and printed no secret', async () => {
    const docker = readFileSync(dockerLog, 'utf8');
    expect(docker.match(/^push registry\.example\.com\/shop:nightly$/gm)).toHaveLength(4);
    expect(docker).toMatch(/^login registry\.example\.com --username ci --password-stdin$/m);
    expect(docker).not.toContain(REGISTRY_PASSWORD);
    const again = await pipeline();
    const output = again.runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(again.runs[0]!.exitCode).toBe(0);
    for (const secret of [TOKEN, REGISTRY_PASSWORD, kubeconfigData.slice(0, 24)]) expect(output).not.toContain(secret);
  });
});
