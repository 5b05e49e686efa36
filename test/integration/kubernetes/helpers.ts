/**
 * Builds a Kubernetes provider wired to a fake API server the way the CLI would: settings through
 * the module's schema, a plan, a deadline and a logger that keeps its lines for assertions; and a
 * fresh fake server with its kubeconfig for each test (`useFakeCluster`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import type { Logger } from '../../../src/core/logger.js';
import { identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { expandDomain, previewName } from '../../../src/core/naming.js';
import { KubernetesProvider, type KubernetesTuning } from '../../../src/providers/kubernetes/provider.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import type { PreviewRef, PreviewSpec, SourceRef } from '../../../src/providers/types.js';
import { startFakeKubernetes, writeKubeconfig, type FakeKubernetes, type FakeKubernetesOptions } from '../../fakes/kubernetes/index.js';

export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  readonly redactor = new Redactor();
  private push(prefix: string, message: string) {
    this.lines.push(this.redactor.redact(`${prefix}${message}`));
  }
  info(m: string) {
    this.push('', m);
  }
  warn(m: string) {
    this.push('warning: ', m);
  }
  error(m: string) {
    this.push('error: ', m);
  }
  debug(m: string) {
    this.push('debug: ', m);
  }
  progress(m: string) {
    this.push('… ', m);
  }
  async group<T>(_title: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  addSecret(secret: string | undefined) {
    this.redactor.add(secret);
  }
}

export interface ProviderSetup {
  /** Raw provider settings, as the settings loader would pass them to the schema. */
  settings?: Record<string, unknown>;
  branch?: string;
  pr?: number;
  app?: string;
  prefix?: string;
  env?: Record<string, string>;
  domains?: string[];
  adopt?: boolean;
  dryRun?: boolean;
  timeoutMs?: number;
  tuning?: KubernetesTuning;
}

/** The ref of a preview as the settings loader makes it: name, identity, key. */
export function refOf(setup: Pick<ProviderSetup, 'app' | 'branch' | 'pr' | 'prefix'>): PreviewRef {
  const app = setup.app ?? 'shop';
  const identity: PreviewIdentity =
    setup.pr !== undefined ? { project: app, pr: setup.pr, ...(setup.prefix ? { prefix: setup.prefix } : {}) } : { project: app, branch: setup.branch ?? 'feature/cart', ...(setup.prefix ? { prefix: setup.prefix } : {}) };
  const name = previewName({ app, branch: identity.branch, pr: identity.pr, prefix: setup.prefix });
  return { name, identity, key: identityKey(identity) };
}

export function makeProvider(kubeconfig: string, setup: ProviderSetup = {}) {
  const ref = refOf(setup);
  const { name } = ref;
  const app = ref.identity.project;
  const branch = ref.identity.branch;
  const domains = (setup.domains ?? ['{name}.preview.example.com']).map((t) => expandDomain(t, { name, app, branch, pr: ref.identity.pr }));
  const env = setup.env ?? { GREETING: 'hello' };
  const timeoutMs = setup.timeoutMs ?? 20_000;
  const settings = kubernetesSchema.parse({ kubeconfig, image: 'registry.example.com/shop:{shortCommit}', ...setup.settings });
  const logger = new MemoryLogger();
  const plan = new Plan(setup.dryRun ?? false);
  const context = { logger, plan, deadline: new Deadline(timeoutMs), adopt: setup.adopt ?? false };
  const provider = new KubernetesProvider(settings, context, { pollInitialMs: 10, pollMaxMs: 50, ...setup.tuning });
  const spec: PreviewSpec = { ...ref, env, domains, favourite: false, healthPath: '/' };
  const source = (commit: string, force = false): SourceRef => ({ dir: '.', commit, force });
  /** What `preview-kit up` does: ensure, set the domains, deploy. */
  const up = async (commit: string, force = false) => {
    const ensured = await provider.ensure(spec);
    const domainResult = await provider.setDomains(ensured.preview, spec);
    const deployed = await provider.deploy(ensured.preview, spec, source(commit, force));
    return { ensured, domainResult, deployed };
  };
  return { provider, name, ref, spec, logger, plan, context, settings, up, source };
}

export const COMMIT_A = 'a'.repeat(40);
export const COMMIT_B = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0';
export const COMMIT_C = 'c'.repeat(40);

/** `makeProvider` that remembers what it made, so an afterEach can close every client at once. */
export function providerMaker(kubeconfig: () => string) {
  const made: Array<{ close(): void }> = [];
  return {
    make(setup: ProviderSetup = {}) {
      const result = makeProvider(kubeconfig(), setup);
      made.push(result.provider);
      return result;
    },
    closeAll() {
      for (const p of made.splice(0)) p.close();
    },
  };
}

/**
 * For each test: a fresh fake API server (these options), a scratch folder with a kubeconfig for
 * it (this default namespace), handed to `ready`; after the test, every provider made on it
 * closed, the server closed and the folder removed. `make` builds providers from the kubeconfig,
 * or from the one `useKubeconfig` put in its place for the rest of the test.
 */
export function useFakeCluster(options: FakeKubernetesOptions, namespace: string, ready: (fake: FakeKubernetes, dir: string) => void) {
  let fake: FakeKubernetes | undefined;
  let dir = '';
  let kubeconfig = '';
  const { make, closeAll } = providerMaker(() => kubeconfig);
  beforeEach(async () => {
    fake = await startFakeKubernetes(options);
    dir = mkdtempSync(join(tmpdir(), 'k8s-test-'));
    kubeconfig = writeKubeconfig(fake, dir, { namespace });
    ready(fake, dir);
  });
  afterEach(async () => {
    closeAll();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make,
    /** Closes the providers made so far (their connections), before the test ends. */
    closeAll,
    useKubeconfig(path: string) {
      kubeconfig = path;
    },
  };
}
