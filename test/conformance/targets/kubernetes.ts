/**
 * The Kubernetes conformance target: the fake API server (test/fakes/kubernetes) in this process,
 * a kubeconfig for it, a repository to deploy, and — when the tests can reach PostgreSQL
 * (PREVIEW_TEST_POSTGRES_URL) — a per-preview database on it. What exists is read from the fake's
 * store, its request log and PostgreSQL's catalogue, never through the provider.
 *
 * `compute()` reads the Deployment (spec.replicas 0: stopped; replicas available: running);
 * `plantPreview()` writes what `up` (and `sleep`) leave straight into the fake's store
 * (../../integration/kubernetes/plant.ts); `protectedStatus()` answers from the Ingress, Secret and
 * Middleware what the ingress controller would (a model: no controller runs here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { kubernetesSchema } from '../../../src/providers/kubernetes/settings.js';
import { startFakeKubernetes, writeKubeconfig } from '../../fakes/kubernetes/index.js';
import { tempRepo } from '../../helpers/cli.js';
import { plantPreview, routedStatus } from '../../integration/kubernetes/plant.js';
import type { Backend, ConformanceTarget, PlatformResource } from '../target.js';

const NAMESPACE = 'previews';
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', NAMESPACE]);
/** Made by the cluster from our objects, not by preview-kit: not counted as resources. */
const DERIVED = new Set(['Pod', 'ReplicaSet', 'Event']);
const MARKER = 'preview-kit';
const IMAGE = 'registry.example.com/shop:{shortCommit}';
const DOMAIN = (name: string) => `${name}.preview.example.com`;

type Obj = Record<string, any>;

async function sql<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The key in a database or role comment, read the way a person would: `preview-kit key=<hex> …`. */
function commentKey(comment: string | null): string | undefined {
  return comment ? /\bkey=([0-9a-f]{20})\b/.exec(comment)?.[1] : undefined;
}

const target: ConformanceTarget = {
  id: 'kubernetes',
  variants: [{ label: 'shared namespace', options: {} }],
  uniqueNames: true,
  async start(): Promise<Backend> {
    const fake = await startFakeKubernetes({ namespaces: [...BUILT_IN_NAMESPACES], readyDelayMs: 20, deletionDelayMs: 10, controllerIntervalMs: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'pk-conformance-k8s-'));
    const kubeconfig = writeKubeconfig(fake, dir, { namespace: NAMESPACE });
    const repo = await tempRepo({ 'index.html': '<h1>conformance</h1>\n' }, 'main');
    const postgres = process.env.PREVIEW_TEST_POSTGRES_URL;
    const plantSettings = kubernetesSchema.parse({ image: IMAGE, namespace: NAMESPACE });
    let commits = 0;

    // Preview names this backend has been asked about (from the request paths): the shared
    // PostgreSQL server also holds other tests' databases, which are none of this backend's business.
    const seen = new Set<string>();
    const remember = () => {
      for (const r of fake.requests) {
        const name = /\/namespaces\/[^/]+\/[a-z]+\/([^/?]+)$/.exec(r.path)?.[1] ?? /^\/api\/v1\/namespaces\/([^/?]+)$/.exec(r.path)?.[1];
        if (name) seen.add(decodeURIComponent(name).replace(/-(env|db)$/, ''));
      }
    };
    const databaseResources = async (): Promise<PlatformResource[]> => {
      if (!postgres) return [];
      remember();
      const names = [...seen].map((n) => n.replace(/-/g, '_'));
      if (!names.length) return [];
      const rows = await sql<{ kind: string; name: string; comment: string | null }>(
        postgres,
        `SELECT 'PostgreSQL database' AS kind, datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = ANY($1)
         UNION ALL SELECT 'PostgreSQL role', rolname, shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ANY($1)`,
        [names],
      );
      return rows.map((r) => {
        const key = commentKey(r.comment);
        return { kind: r.kind, name: r.name, id: r.name, marked: (r.comment ?? '').startsWith(MARKER), ...(key ? { key } : {}) };
      });
    };
    const objectResource = (o: Obj): PlatformResource => {
      const labels = (o.metadata.labels ?? {}) as Record<string, string>;
      return {
        kind: String(o.kind),
        name: String(o.metadata.name),
        id: String(o.metadata.uid),
        marked: labels['app.kubernetes.io/managed-by'] === MARKER,
        ...(labels['preview-kit/key'] ? { key: labels['preview-kit/key'] } : {}),
      };
    };
    const objects = () => fake.objects().filter((o) => !(o.kind === 'Namespace' && BUILT_IN_NAMESPACES.has(String((o.metadata as Obj).name)))) as Obj[];

    return {
      args: ['--provider', 'kubernetes', '--image', IMAGE, '--domain', DOMAIN('{name}')],
      // The database URL reaches every command, as a pipeline's variables reach its stop job too:
      // `stop` needs it to drop the preview's database.
      env: { KUBECONFIG: kubeconfig, ...(postgres ? { PREVIEW_DATABASE_URL: postgres } : {}) },
      repo: repo.dir,
      commit: () => repo.commit({ 'index.html': `<h1>commit ${++commits}</h1>\n` }, `commit ${commits}`),
      async resources(previewName) {
        const own = (name: string) => previewName === undefined || name === previewName || name.startsWith(`${previewName}-`) || name === previewName.replace(/-/g, '_');
        const found = objects()
          .filter((o) => !DERIVED.has(String(o.kind)) && own(String(o.metadata.name)))
          .map(objectResource);
        return [...found, ...(await databaseResources()).filter((r) => own(r.name))];
      },
      async marked() {
        const found = objects()
          .map(objectResource)
          .filter((r) => r.marked || r.key !== undefined);
        return [...found, ...(await databaseResources()).filter((r) => r.marked || r.key !== undefined)];
      },
      async mutatingRequests() {
        return fake.mutatingRequests();
      },
      async requests() {
        return fake.requests.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`);
      },
      async compute(previewName) {
        // A preview that was just woken or planted may still be starting its pod: give it a moment.
        for (let attempt = 0; ; attempt++) {
          const deployment = fake.get('Deployment', NAMESPACE, previewName) as Obj | undefined;
          if (!deployment) return 'absent';
          if (deployment.spec.replicas === 0) return 'stopped';
          if ((deployment.status?.availableReplicas ?? 0) > 0) return 'running';
          if (attempt >= 100) return 'stopped';
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      async plantPreview(identity, options = {}) {
        seen.add(plantPreview(fake, plantSettings, NAMESPACE, DOMAIN, identity, options));
      },
      async protectedStatus(previewName, credentials) {
        return routedStatus(fake, NAMESPACE, previewName, credentials);
      },
      async resetLog() {
        remember();
        fake.resetLog();
      },
      async plant(previewName, identity: PreviewIdentity | undefined) {
        seen.add(previewName);
        const labels: Record<string, string> = identity
          ? { 'app.kubernetes.io/managed-by': MARKER, 'preview-kit/name': previewName, 'preview-kit/key': identityKey(identity), 'app.kubernetes.io/instance': previewName }
          : { app: previewName };
        const annotations: Record<string, string> = identity ? { 'preview-kit/identity': identityJson(identity) } : {};
        const metadata = (name: string) => ({ name, namespace: NAMESPACE, labels, annotations });
        const selector: Record<string, string> = identity ? { 'preview-kit/name': previewName, 'app.kubernetes.io/component': 'app' } : { app: previewName };
        fake.seed({ apiVersion: 'v1', kind: 'Secret', metadata: metadata(`${previewName}-env`), type: 'Opaque', data: { GREETING: Buffer.from('theirs').toString('base64') } });
        fake.seed({ apiVersion: 'v1', kind: 'Service', metadata: metadata(previewName), spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } });
        fake.seed({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: metadata(previewName),
          spec: { selector: { matchLabels: selector }, template: { metadata: { labels: { ...labels, ...selector } }, spec: { containers: [{ name: 'app', image: 'theirs:1' }] } } },
        });
        if (postgres && identity) {
          const db = previewName.replace(/-/g, '_');
          const comment = `${MARKER} key=${identityKey(identity)} identity=${identityJson(identity)}`.replace(/'/g, "''");
          await sql(postgres, `CREATE ROLE "${db}" LOGIN`);
          await sql(postgres, `COMMENT ON ROLE "${db}" IS '${comment}'`);
          await sql(postgres, `CREATE DATABASE "${db}" OWNER "${db}"`);
          await sql(postgres, `COMMENT ON DATABASE "${db}" IS '${comment}'`);
        }
      },
      async faultWrites(rate, seed) {
        fake.faultWrites(rate, seed);
      },
      async credentials(mode) {
        fake.credentials(mode);
      },
      ...(postgres ? { subResourceArgs: ['--database-url', postgres] } : {}),
      // A listing per kind (Secret, Service, Ingress, Deployment); with a database, its Secret is
      // read again by name inside the database's turn, where a run that went before may have
      // changed the password (ensure.ts).
      noopReads: postgres ? 5 : 4,
      forbiddenHint: /RBAC/,
      async stop() {
        // What this backend left on the shared PostgreSQL server (planted, or a failed test's) goes.
        if (postgres) {
          for (const r of (await databaseResources()).sort((a, b) => (a.kind < b.kind ? -1 : 1))) {
            await sql(postgres, r.kind === 'PostgreSQL database' ? `DROP DATABASE IF EXISTS "${r.name}" WITH (FORCE)` : `DROP ROLE IF EXISTS "${r.name}"`).catch(() => undefined);
          }
        }
        await fake.close();
        await repo.remove();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export default target;
