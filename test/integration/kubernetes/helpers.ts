/**
 * Builds a Kubernetes provider wired to a fake API server the way the CLI would: settings through
 * the module's schema, a plan, a deadline and a logger that keeps its lines for assertions.
 */
import { Plan } from '../../../src/core/plan.js';
import { Redactor } from '../../../src/core/redact.js';
import { Deadline } from '../../../src/core/retry.js';
import type { Logger } from '../../../src/core/logger.js';
import { expandDomain, previewName } from '../../../src/core/naming.js';
import type { CommonSettings } from '../../../src/core/settings.js';
import { KubernetesProvider } from '../../../src/providers/kubernetes/provider.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import type { PreviewSpec, SourceRef } from '../../../src/providers/types.js';

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
  app?: string;
  env?: Record<string, string>;
  domains?: string[];
  adopt?: boolean;
  dryRun?: boolean;
  timeoutMs?: number;
}

export function makeProvider(kubeconfig: string, setup: ProviderSetup = {}) {
  const app = setup.app ?? 'shop';
  const branch = setup.branch ?? 'feature/cart';
  const name = previewName({ app, branch });
  const domains = (setup.domains ?? ['{name}.preview.example.com']).map((t) => expandDomain(t, { name, app, branch }));
  const common: CommonSettings = {
    provider: 'kubernetes',
    app,
    branch,
    favourite: false,
    env: setup.env ?? { GREETING: 'hello' },
    source: '.',
    force: false,
    waitUrl: false,
    healthPath: '/',
    adopt: setup.adopt ?? false,
    keep: [],
    json: false,
    dryRun: setup.dryRun ?? false,
    debug: false,
    name,
    domainTemplates: setup.domains ?? [],
    domains,
    timeoutMs: setup.timeoutMs ?? 20_000,
  };
  const settings = kubernetesSchema.parse({ kubeconfig, image: 'registry.example.com/shop:{shortCommit}', ...setup.settings });
  const logger = new MemoryLogger();
  const plan = new Plan(setup.dryRun ?? false);
  const context = { logger, plan, deadline: new Deadline(common.timeoutMs), adopt: common.adopt };
  const provider = new KubernetesProvider(settings, common, context, { pollInitialMs: 10, pollMaxMs: 50 });
  const spec: PreviewSpec = { name, app, branch, env: common.env, domains, favourite: false };
  const source = (commit: string, force = false): SourceRef => ({ dir: '.', commit, force });
  /** What `preview-kit up` does: ensure, set the domains, deploy. */
  const up = async (commit: string, force = false) => {
    const ensured = await provider.ensure(spec);
    const domainResult = await provider.setDomains(ensured.preview, spec);
    const deployed = await provider.deploy(ensured.preview, source(commit, force));
    return { ensured, domainResult, deployed };
  };
  return { provider, name, spec, logger, plan, context, common, settings, up, source };
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
