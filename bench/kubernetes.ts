/**
 * Kubernetes bench: first `up`, no-op `up`, new-commit `up` (a new image tag, as the conformance
 * target deploys `registry.example.com/shop:{shortCommit}`) and `stop` through the built CLI,
 * against the fake API server (test/fakes/kubernetes) over HTTPS, next to bench/kubernetes-shell.sh
 * — `kubectl apply` + `kubectl rollout status` and `kubectl delete` through the real kubectl when
 * the machine has it, else the same requests with curl. Each way has a preview of its own; they
 * alternate step by step, so that drift hits both alike, and the whole cycle (first up, no-ops,
 * new commits, stop) runs CYCLES times. Requests are counted from the fake's request log.
 *
 *   PREVIEW_KIT_DIST=/tmp/dist node --import tsx bench/kubernetes.ts   # prints the rows as JSON
 *   runKubernetesBench()                                                # what bench/run.ts calls
 */
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kubectlRuns, makeCertificates, startFakeKubernetes, writeKubeconfig } from '../test/fakes/kubernetes/index.js';
import { ROOT, runCli, tempRepo } from '../test/helpers/cli.js';
import { median, round, row, medianMeasure, nodeStartSeconds, readsAndWrites, spreadOf, type ProviderBench, type Timed } from './types.js';

const SHELL = join(ROOT, 'bench', 'kubernetes-shell.sh');
const NAMESPACE = 'previews';
const IMAGE = 'registry.example.com/shop';

/**
 * The cluster's own pace: a new pod is ready 1.5 s after it is made (image present, container
 * start, readiness probe), and a foreground deletion completes 0.5 s after it was asked for.
 */
export const BENCH_LATENCIES = { readyDelayMs: 1_500, deletionDelayMs: 500 };
const CYCLES = 5;
const NOOPS_PER_CYCLE = 2;

export async function runKubernetesBench(): Promise<ProviderBench> {
  // kubectl sends a bearer token only over TLS: the fake serves HTTPS when openssl can make certificates.
  const certs = makeCertificates();
  const client = certs && kubectlRuns() ? 'kubectl' : 'curl';
  const fake = await startFakeKubernetes({ namespaces: ['default', NAMESPACE], ...BENCH_LATENCIES, ...(certs ? { tls: { key: certs.serverKey, cert: certs.serverCert } } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'pk-k8s-bench-'));
  const repo = await tempRepo({ 'index.html': '<h1>bench</h1>\n' }, 'main');
  try {
    const kubeconfig = writeKubeconfig(fake, dir, { namespace: NAMESPACE, ...(certs ? { ca: certs.ca } : {}) });
    const caFile = join(dir, 'ca.crt');
    if (certs) writeFileSync(caFile, certs.ca);
    const commits: string[] = [];
    for (let i = 1; i <= 2 * CYCLES; i++) commits.push(await repo.commit({ 'index.html': `<h1>bench ${i}</h1>\n` }, `change ${i}`));

    const measure = async (fn: () => Promise<void>): Promise<Timed> => {
      fake.resetLog();
      const t = performance.now();
      await fn();
      const seconds = (performance.now() - t) / 1000;
      return { seconds, ...readsAndWrites(fake.requests) };
    };
    const pk = (args: string[]) =>
      measure(async () => {
        const r = await runCli([...args, '--provider', 'kubernetes', '--app', 'shop', '--branch', 'main'], { cwd: repo.dir, env: { KUBECONFIG: kubeconfig }, timeoutMs: 120_000 });
        if (r.code !== 0) throw new Error(`preview-kit ${args[0]} failed (${r.code}): ${r.stderr.slice(-800)}`);
      });
    const pkUp = (commit: string) => pk(['up', '--commit', commit, '--image', `${IMAGE}:{shortCommit}`, '--domain', '{name}.preview.example.com']);
    const pkStop = () => pk(['stop']);
    // The shell's own kubectl cache (discovery), kept warm across its runs as on a developer's machine.
    const shellEnv = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, NAMESPACE, SHELL_CLIENT: client, K8S_SERVER: fake.url, K8S_TOKEN: fake.token, K8S_CA: caFile };
    const shell = (args: string[], extra: Record<string, string> = {}) =>
      measure(async () => {
        const r = await execa('bash', [SHELL, ...args], { env: { ...shellEnv, ...extra }, reject: false });
        if (r.exitCode !== 0) throw new Error(`kubernetes-shell.sh ${args[0]} failed: ${r.stderr.slice(-800)}`);
      });
    const shName = 'shell-main';
    const shUp = (commit: string) => shell(['up', shName, `${IMAGE}:${commit.slice(0, 7)}`, `${shName}.preview.example.com`]);
    const shStop = () => shell(['stop', shName]);

    const runs = { first: { pk: [] as Timed[], sh: [] as Timed[] }, noop: { pk: [] as Timed[], sh: [] as Timed[] }, change: { pk: [] as Timed[], sh: [] as Timed[] }, stop: { pk: [] as Timed[], sh: [] as Timed[] } };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Who goes first alternates, so that neither always runs on a cluster the other just stirred.
      const both = async (step: keyof typeof runs, pkRun: () => Promise<Timed>, shRun: () => Promise<Timed>) => {
        if (cycle % 2 === 0) {
          runs[step].pk.push(await pkRun());
          runs[step].sh.push(await shRun());
        } else {
          runs[step].sh.push(await shRun());
          runs[step].pk.push(await pkRun());
        }
      };
      await both('first', () => pkUp(repo.first), () => shUp(repo.first));
      for (let i = 0; i < NOOPS_PER_CYCLE; i++) await both('noop', () => pkUp(repo.first), () => shUp(repo.first));
      await both('change', () => pkUp(commits[2 * cycle]!), () => shUp(commits[2 * cycle + 1]!));
      await both('stop', pkStop, shStop);
    }

    // For the record: kubectl made to wait for what preview-kit's stop waits for (the pods gone too).
    const foreground: Timed[] = [];
    if (client === 'kubectl') {
      for (let i = 0; i < 3; i++) {
        await shUp(repo.first);
        foreground.push(await shell(['stop', shName], { CASCADE: 'foreground' }));
      }
    }
    const ready = BENCH_LATENCIES.readyDelayMs / 1000;
    const rows = [
      row('first up', medianMeasure(runs.first.pk), medianMeasure(runs.first.sh), { floorSeconds: ready, runs: CYCLES }),
      row('no-op up', medianMeasure(runs.noop.pk), medianMeasure(runs.noop.sh), { runs: CYCLES * NOOPS_PER_CYCLE }),
      row('new-commit up', medianMeasure(runs.change.pk), medianMeasure(runs.change.sh), { floorSeconds: ready, runs: CYCLES }),
      row('stop', medianMeasure(runs.stop.pk), medianMeasure(runs.stop.sh), { floorSeconds: BENCH_LATENCIES.deletionDelayMs / 1000, runs: CYCLES }),
    ];
    const r = runs;
    const baselineName = client === 'kubectl' ? 'kubectl apply + rollout status / delete (bench/kubernetes-shell.sh)' : 'curl + jq, server-side apply, status polled every 1 s (bench/kubernetes-shell.sh)';
    return {
      provider: 'kubernetes',
      baselineName,
      rows,
      notes: [
        `fake API server over ${certs ? 'HTTPS' : 'HTTP'}; latencies: a new pod ready after ${ready} s, a foreground deletion done after ${BENCH_LATENCIES.deletionDelayMs / 1000} s (the floors)`,
        `baseline: ${client === 'kubectl' ? `real kubectl (${kubectlVersion()}), client-side apply, its discovery cache kept warm; \`kubectl delete\` deletes in the background and waits only for the four objects, while preview-kit deletes in the foreground and waits until the pods are gone too — \`kubectl delete --cascade=foreground\` takes ${round(median(foreground.map((f) => f.seconds)), 3)} s (median of ${foreground.length})` : 'curl + jq'}; preview-kit runs as the built CLI, Node start-up (${round(nodeStartSeconds(11), 3)} s median) included`,
        `spread (min–max) preview-kit/baseline: first ${spreadOf(r.first.pk)}/${spreadOf(r.first.sh)}, no-op ${spreadOf(r.noop.pk)}/${spreadOf(r.noop.sh)}, new commit ${spreadOf(r.change.pk)}/${spreadOf(r.change.sh)}, stop ${spreadOf(r.stop.pk)}/${spreadOf(r.stop.sh)}`,
      ],
    };
  } finally {
    await fake.close();
    await repo.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

function kubectlVersion(): string {
  try {
    const out = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    return String((JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown version');
  } catch {
    return 'unknown version';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runKubernetesBench();
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
