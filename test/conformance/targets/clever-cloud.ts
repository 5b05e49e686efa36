/**
 * The Clever Cloud provider for the conformance suite: the fake Clever Cloud API
 * (test/fakes/clever-cloud, built from the platform's public clients and OpenAPI description) in
 * this process, with its real git smart-HTTP remote, and a git checkout to deploy. Everything the
 * suite counts is read through the fake's admin routes (`/__fake/state`, `/__fake/requests`),
 * never through the provider's code. The lagging variant hides new applications and add-ons from
 * the owner's listings for a second after their creation, as an eventually consistent API does.
 *
 * Timings: the CLI has no setting that shortens Clever Cloud's poll intervals, so, as the CLI
 * tests of this provider do, the fake keeps its own delays short (repositories ready after 300 ms,
 * deployments done after 200 ms) and answers without its default per-request latency, unless
 * `FAKE_CLEVER_LATENCY_MS` says otherwise (a benchmark sets it to `DEFAULT_API_LATENCY_MS`).
 *
 * `compute()` reads the running instances the fake counts for the app; `plantPreview()` writes a
 * tagged, deployed application straight into the fake's state (`/__fake/plant-preview`).
 */
import { identityKey, identitySegments, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { startFakeCleverCloud, type AddonState, type AppSnapshot, type RequestLogEntry } from '../../fakes/clever-cloud/server.js';
import { tempRepo } from '../../helpers/cli.js';
import type { Backend, BackendOptions, ConformanceTarget, PlatformResource } from '../target.js';

const TOKEN = 'tok_conformance_2b4d6f8a0c2e4a6c8e0b';
const SECRET = 'sec_conformance_9f7d5b3a1e9c7a5e3c1b';
const ORG = 'orga_00000000-0000-4000-8000-0000000000c1';
const MARKER = 'preview-kit';
const KEY_TAG = /^preview-kit:key:([0-9a-f]{20})$/;
const ADDON_PROVIDER = 'postgresql-addon';

function resourceOf(kind: 'application' | 'add-on', item: { id: string; name: string; tags: string[] }): PlatformResource {
  const key = item.tags.map((t) => KEY_TAG.exec(t)?.[1]).find((k) => k !== undefined);
  return { kind, name: item.name, id: item.id, marked: item.tags.includes(MARKER), ...(key ? { key } : {}) };
}

const byKindNameId = (a: PlatformResource, b: PlatformResource) =>
  a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** The tags another preview would have put on what it made. */
function tagsOf(identity: PreviewIdentity): string[] {
  return [`preview-kit:key:${identityKey(identity)}`, `preview-kit:id:${identitySegments(identity)}`, MARKER];
}

const target: ConformanceTarget = {
  id: 'clever-cloud',
  variants: [
    { label: 'up-to-date listing', options: {} },
    { label: 'listing lagging 1 s', options: { listLagMs: 1000 } },
  ],
  uniqueNames: false,

  async start(options: BackendOptions): Promise<Backend> {
    const fake = await startFakeCleverCloud({
      token: TOKEN,
      secret: SECRET,
      orgId: ORG,
      gitReadyDelayMs: 300,
      deployDurationMs: 200,
      listLagMs: options.listLagMs ?? 0,
      latencyMs: Number(process.env.FAKE_CLEVER_LATENCY_MS ?? 0),
    });
    const repo = await tempRepo({ 'index.html': '<h1>conformance</h1>\n', 'package.json': '{"name":"conformance","scripts":{"start":"node -e 0"}}\n' }, 'main');
    let changes = 0;

    const admin = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${fake.url}/__fake/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      if (!res.ok) throw new Error(`fake admin ${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    };
    const state = () => admin<{ apps: AppSnapshot[]; addons: AddonState[] }>('GET', 'state');
    const requestLog = () => admin<RequestLogEntry[]>('GET', 'requests');

    return {
      args: ['--provider', 'clever-cloud'],
      env: { CLEVER_TOKEN: TOKEN, CLEVER_SECRET: SECRET, CLEVER_API_URL: fake.url, CLEVER_ORG: ORG },
      repo: repo.dir,
      commit: () => {
        changes += 1;
        return repo.commit({ 'index.html': `<h1>conformance ${changes}</h1>\n` }, `change ${changes}`);
      },

      async resources(previewName?: string) {
        const { apps, addons } = await state();
        const named = previewName === undefined ? apps : apps.filter((a) => a.name === previewName);
        const ids = new Set(named.map((a) => a.id));
        const subs =
          previewName === undefined ? addons : addons.filter((a) => a.name === `${previewName}-${a.providerId}` || a.linkedApps.some((id) => ids.has(id)));
        return [...named.map((a) => resourceOf('application', a)), ...subs.map((a) => resourceOf('add-on', a))].sort(byKindNameId);
      },

      async marked() {
        const { apps, addons } = await state();
        return [...apps.map((a) => resourceOf('application', a)), ...addons.map((a) => resourceOf('add-on', a))]
          .filter((r) => r.marked || r.key !== undefined)
          .sort(byKindNameId);
      },

      async mutatingRequests() {
        const log = await requestLog();
        return log.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').length;
      },

      async requests() {
        return (await requestLog()).map((r) => `${r.method} ${r.path}`);
      },

      async compute(previewName: string) {
        const apps = (await state()).apps.filter((a) => a.name === previewName);
        if (apps.length === 0) return 'absent';
        return apps.some((a) => a.runningInstances > 0) ? 'running' : 'stopped';
      },

      async plantPreview(identity: PreviewIdentity, options: { createdAt?: Date; deployedAt?: Date; asleep?: boolean } = {}) {
        await admin('POST', 'plant-preview', {
          name: nameOfIdentity(identity),
          tags: tagsOf(identity),
          ...(options.createdAt ? { createdAt: options.createdAt.getTime() } : {}),
          ...(options.deployedAt ? { deployedAt: options.deployedAt.getTime() } : {}),
          ...(options.asleep ? { asleep: true } : {}),
        });
      },

      async resetLog() {
        await admin('POST', 'reset-log');
      },

      async plant(previewName: string, identity: PreviewIdentity | undefined) {
        const tags = identity ? tagsOf(identity) : [];
        await admin('POST', 'plant', { name: previewName, tags, addons: [{ providerId: ADDON_PROVIDER, tags }] });
      },

      async faultWrites(rate: number, seed: number) {
        // Half of the failures are applied and then answered 503; the rest fail before the change,
        // with a load balancer's 503 or with no answer at all.
        const faults = rate > 0 ? { rate, seed, writesOnly: true, kinds: ['503-html', 'drop', 'applied-503', 'applied-503'] } : null;
        await admin('POST', 'faults', faults);
      },

      async credentials(mode) {
        await admin('POST', 'credentials', { mode });
      },

      subResourceArgs: ['--addon', `${ADDON_PROVIDER}:dev`],
      // The applications, then the app's tags, deployments and add-ons, and the add-on's tags.
      noopReads: 5,
      // What the provider says on a 403 (auth.ts authHint): rights on the organisation.
      forbiddenHint: /lacks the rights: check that it may act on the organisation/,

      async stop() {
        await fake.close();
        await repo.remove();
      },
    };
  },
};

export default target;
