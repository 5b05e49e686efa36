/**
 * Convox for the conformance suite: the fake rack in either generation (v2 convox/rack on AWS,
 * v3 convox/convox on Kubernetes), a repository with a convox.yml, and views of the rack read
 * from the fake's own state and request log, never through the provider. App names are unique on
 * a rack; what marks an app as a preview's is its newest release's environment. A preview's
 * compute is its services' counts (v2 `<Service>Formation` parameters, v3 Deployment replicas).
 */
import { randomBytes } from 'node:crypto';
import { identityJson, identityKey, type PreviewIdentity } from '../../../src/core/identity.js';
import { nameOfIdentity } from '../../../src/core/naming.js';
import { startFakeRack, type AppRecord, type Generation } from '../../fakes/convox/server.js';
import { tempRepo } from '../../helpers/cli.js';
import type { Backend, BackendOptions, ConformanceTarget, PlatformResource } from '../target.js';

const CONVOX_YML = 'services:\n  web:\n    build: .\n    port: 3000\n    domain: ${PREVIEW_HOST}\n';

/** The rack's reading of a release env (KEY=VALUE lines, first `=` splits), done here, apart from the provider's. */
function envOf(app: AppRecord): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of (app.releases.at(-1)?.env ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** The marks preview-kit records in a release env (src/providers/convox/env.ts), written here from the README's description. */
function marksOf(previewName: string, identity: PreviewIdentity): Record<string, string> {
  return { PREVIEW_KIT_OWNER: `preview-kit:${previewName}`, PREVIEW_KIT_KEY: identityKey(identity), PREVIEW_KIT_IDENTITY: identityJson(identity) };
}

function resourceOf(app: AppRecord): PlatformResource {
  const env = envOf(app);
  const key = env.PREVIEW_KIT_KEY;
  return { kind: 'app', name: app.name, id: app.name, marked: env.PREVIEW_KIT_OWNER === `preview-kit:${app.name}`, ...(key ? { key } : {}) };
}

async function start(options: BackendOptions): Promise<Backend> {
  const generation: Generation = options.generation ?? '2';
  const rack = await startFakeRack({ generation });
  const repo = await tempRepo({ 'convox.yml': CONVOX_YML, Dockerfile: 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/server.js"]\n', 'server.js': 'console.log("one")\n' });
  let commits = 0;
  return {
    args: ['--provider', 'convox'],
    // An app left empty by an interrupted run is taken after the claim wait: keep it short here.
    env: { RACK_URL: rack.urlWithPassword, CONVOX_CLAIM_WAIT: '3s' },
    repo: repo.dir,
    commit: () => repo.commit({ 'server.js': `console.log(${++commits})\n` }, `change ${commits}`),
    async resources(previewName) {
      return rack
        .apps()
        .filter((app) => previewName === undefined || app.name === previewName)
        .map(resourceOf);
    },
    async marked() {
      return rack
        .apps()
        .map(resourceOf)
        .filter((r) => r.marked || r.key !== undefined);
    },
    async mutatingRequests() {
      return rack.mutatingRequests().length;
    },
    async requests() {
      return rack.requests.map((r) => `${r.method} ${r.path}`);
    },
    async compute(previewName) {
      const app = rack.app(previewName);
      if (!app) return 'absent';
      return Object.values(app.scale).some((s) => s.count > 0) ? 'running' : 'stopped';
    },
    async plantPreview(identity, options = {}) {
      const name = nameOfIdentity(identity);
      const created = options.createdAt ?? new Date();
      rack.plantDeployed(name, {
        env: { ...marksOf(name, identity), PREVIEW_KIT_CREATED: created.toISOString(), NODE_ENV: 'preview' },
        manifest: CONVOX_YML,
        gitSha: randomBytes(20).toString('hex'),
        created: options.deployedAt ?? created,
        asleep: options.asleep ?? false,
      });
    },
    async resetLog() {
      rack.resetLog();
    },
    async plant(previewName: string, identity: PreviewIdentity | undefined) {
      const env: Record<string, string> = identity ? { ...marksOf(previewName, identity), NODE_ENV: 'theirs' } : { DATABASE_URL: 'postgres://someone-else.example.test/app' };
      rack.seedApp(previewName, { env });
    },
    async faultWrites(rate, seed, appliedShare) {
      rack.faultWrites(rate, seed, appliedShare);
    },
    async credentials(mode) {
      rack.credentials(mode);
    },
    // Releases, services and the live build; v2 also reads the release by id for its env, which
    // v3's release listing carries.
    noopReads: generation === '2' ? 5 : 4,
    forbiddenHint: /permission/,
    async stop() {
      await rack.close();
      await repo.remove();
    },
  };
}

const target: ConformanceTarget = {
  id: 'convox',
  variants: [
    { label: 'v2 rack (AWS)', options: { generation: '2' } },
    { label: 'v3 rack (Kubernetes)', options: { generation: '3' } },
  ],
  uniqueNames: true,
  start,
};

export default target;
