/**
 * The Kubernetes provider. A preview is a set of objects in a shared namespace (or its own), each
 * labelled with the preview's name and identity key and annotated with its identity: `ensure`
 * applies the Secrets, Service and the database, `setDomains` the Ingress, `deploy` the workloads
 * and waits for the rollout; `destroy` removes what carries this preview's key; `sleep` scales the
 * workloads to zero, and `ensure`/`deploy` scale them back. Each call gets
 * the preview through its ref/spec; the provider keeps only the connection to the cluster.
 */
import type { DeployResult, DestroyResult, EnsureResult, Preview, PreviewDomain, PreviewRef, PreviewSpec, Provider, ProviderContext, SleepResult, SourceRef } from '../types.js';
import { Cluster, type KubernetesTuning } from './cluster.js';
import { deployPreview } from './deploy.js';
import { ensurePreview, setPreviewDomains } from './ensure.js';
import { findPreview } from './find.js';
import { listPreviews } from './listing.js';
import type { KubernetesSettings } from './settings.js';
import { sleepPreview } from './sleep.js';
import { destroyPreview } from './teardown.js';

export type { KubernetesTuning } from './cluster.js';

export class KubernetesProvider implements Provider {
  readonly id = 'kubernetes' as const;
  private readonly cluster: Cluster;

  constructor(settings: KubernetesSettings, context: ProviderContext, tuning: KubernetesTuning = {}) {
    this.cluster = new Cluster(settings, context, tuning);
  }

  /** Requests made so far, by method (benchmarks, --debug). */
  get stats() {
    return this.cluster.stats;
  }

  close(): void {
    this.cluster.close();
  }

  namespaceOf(name: string): string {
    return this.cluster.namespaceOf(name);
  }

  find(ref: PreviewRef): Promise<Preview | undefined> {
    return findPreview(this.cluster, ref);
  }

  ensure(spec: PreviewSpec): Promise<EnsureResult> {
    return ensurePreview(this.cluster, spec);
  }

  setDomains(preview: Preview, spec: PreviewSpec): Promise<{ changed: boolean; domains: PreviewDomain[] }> {
    return setPreviewDomains(this.cluster, preview, spec);
  }

  deploy(preview: Preview, spec: PreviewSpec, source: SourceRef): Promise<DeployResult> {
    return deployPreview(this.cluster, preview, spec, source);
  }

  destroy(ref: PreviewRef): Promise<DestroyResult> {
    return destroyPreview(this.cluster, ref);
  }

  list(): Promise<Preview[]> {
    return listPreviews(this.cluster);
  }

  sleep(ref: PreviewRef): Promise<SleepResult> {
    return sleepPreview(this.cluster, ref);
  }
}
