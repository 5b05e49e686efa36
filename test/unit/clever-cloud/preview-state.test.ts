/**
 * Pure readings of a Clever Cloud app: its preview state from the run state and the deployments,
 * its last deploy time; and the fleet's joining of the summary with the application listing,
 * including the fallback to per-app tag reads when a summary carries no `customerTags`.
 */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/logger.js';
import type { CleverApi, CleverApp, CleverDeployment, CleverSummary } from '../../../src/providers/clever-cloud/api.js';
import { fleetOf, fleetRecords, readFleet, withFleet } from '../../../src/providers/clever-cloud/fleet.js';
import { lastDeployedAt, newestFirst, previewStateOf } from '../../../src/providers/clever-cloud/preview-state.js';

const d = (state: string, action: string, date: number, commit = 'c1'): CleverDeployment => ({ uuid: `deployment_${date}`, state, action, date, commit });

describe('previewStateOf', () => {
  const ok = d('OK', 'DEPLOY', 100);
  const cases: Array<[string, string | undefined, CleverDeployment[], boolean, string]> = [
    ['up with a good deployment', 'SHOULD_BE_UP', [ok], true, 'running'],
    ['stopped after running', 'SHOULD_BE_DOWN', [d('OK', 'UNDEPLOY', 200), ok], true, 'sleeping'],
    ['stopped, the commit known only from the deployments', 'SHOULD_BE_DOWN', [d('OK', 'UNDEPLOY', 200), ok], false, 'sleeping'],
    ['never started', 'SHOULD_BE_DOWN', [], false, 'unknown'],
    ['starting', 'WANTS_TO_BE_UP', [d('OK', 'UNDEPLOY', 200), ok], true, 'deploying'],
    ['a deployment in progress', 'SHOULD_BE_UP', [d('WIP', 'DEPLOY', 300), ok], true, 'deploying'],
    ['a task running', 'SHOULD_BE_UP', [d('TASK_RUNNING', 'DEPLOY', 300), ok], true, 'deploying'],
    ['the newest deployment failed, the old commit still runs', 'SHOULD_BE_UP', [d('FAIL', 'DEPLOY', 300), ok], true, 'failed'],
    ['a failed deploy, then put to sleep', 'SHOULD_BE_DOWN', [d('OK', 'UNDEPLOY', 400), d('FAIL', 'DEPLOY', 300), ok], true, 'sleeping'],
    ['a cancelled deployment is not a failure', 'SHOULD_BE_UP', [d('CANCELLED', 'DEPLOY', 300), ok], true, 'running'],
    ['stopped by Clever Cloud for an unpaid bill', 'DEFAULT_OF_PAYMENT', [ok], true, 'failed'],
    ['moderated', 'MODERATED', [ok], true, 'failed'],
    ['a state we do not know', 'TO_DELETE', [ok], true, 'unknown'],
    ['no state at all', undefined, [], false, 'unknown'],
  ];
  it.each(cases)('%s', (_what, appState, deployments, hasRun, expected) => {
    expect(previewStateOf(appState, deployments, hasRun)).toBe(expected);
  });
});

describe('lastDeployedAt', () => {
  it('is the newest push or restart whatever its outcome, never a stop; numbers, digits and ISO text alike', () => {
    const list = newestFirst([d('OK', 'DEPLOY', 1_000), d('OK', 'UNDEPLOY', 5_000), d('FAIL', 'DEPLOY', 3_000)]);
    expect(lastDeployedAt(list)).toBe(new Date(3_000).toISOString());
    expect(lastDeployedAt([{ uuid: 'x', state: 'OK', date: '7000' }])).toBe(new Date(7_000).toISOString());
    expect(lastDeployedAt([{ uuid: 'x', state: 'OK', action: 'DEPLOY', date: '2026-01-02T03:04:05.000Z' }])).toBe('2026-01-02T03:04:05.000Z');
    expect(lastDeployedAt([d('OK', 'UNDEPLOY', 5_000)])).toBeUndefined();
    expect(lastDeployedAt(undefined)).toBeUndefined();
  });
});

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {}, progress() {}, addSecret() {}, group: (_t, fn) => fn() };

/** An API that answers from fixed data and counts what it was asked. */
function stubApi(summary: CleverSummary, apps: CleverApp[], deployments: Record<string, CleverDeployment[]>, tags: Record<string, string[]> = {}) {
  const asked: string[] = [];
  const api = {
    owner: async () => ({ path: '/v2/organisations/orga_1', id: 'orga_1' }),
    summary: async () => (asked.push('summary'), summary),
    listApps: async () => (asked.push('apps'), apps),
    ownerDeployments: async (id: string) => (asked.push(`deployments ${id}`), deployments),
    appTags: async (id: string) => (asked.push(`tags ${id}`), tags[id] ?? []),
  } as unknown as CleverApi;
  return { api, asked };
}

describe('readFleet', () => {
  const apps: CleverApp[] = [
    { id: 'app_1', name: 'one', creationDate: 1_000, state: 'SHOULD_BE_UP', commitId: 'c1', vhosts: [{ fqdn: 'one.example.com/' }] },
    { id: 'app_2', name: 'two', creationDate: 2_000 },
  ];
  const deployments = { app_1: [d('OK', 'DEPLOY', 10), d('OK', 'DEPLOY', 20)] };

  it('joins the summary’s tags, state and commit with the listing, newest deployment first; an app the summary lacks is left out', async () => {
    const summary: CleverSummary = {
      user: { id: 'user_1', name: 'me', applications: [] },
      organisations: [{ id: 'orga_1', name: 'org', applications: [{ id: 'app_1', name: 'one', state: 'SHOULD_BE_DOWN', commit: 'c1', customerTags: ['t1'] }, { id: 'app_3', name: 'three', state: 'SHOULD_BE_UP', commit: 'c3', customerTags: ['t3'] }] }],
    };
    const { api, asked } = stubApi(summary, apps, deployments);
    const fleet = await readFleet(api, 0, quiet);
    expect(asked.sort()).toEqual(['apps', 'deployments orga_1', 'summary']);
    expect(fleet.apps.map((a) => [a.record.app.id, a.record.tags, a.record.app.state, a.record.app.commitId])).toEqual([
      ['app_1', ['t1'], 'SHOULD_BE_UP', 'c1'],
      ['app_3', ['t3'], 'SHOULD_BE_UP', 'c3'],
    ]);
    expect(fleet.apps[0]!.deployments.map((x) => x.date)).toEqual([20, 10]);
    expect(fleet.apps[0]!.record.app.vhosts).toEqual([{ fqdn: 'one.example.com/' }]);
  });

  it('reads each app’s tags when the summary carries no customerTags, rather than seeing no preview', async () => {
    const summary: CleverSummary = { organisations: [{ id: 'orga_1', name: 'org', applications: [{ id: 'app_1', name: 'one' }, { id: 'app_2', name: 'two' }] }] };
    const { api, asked } = stubApi(summary, apps, deployments, { app_1: ['a'], app_2: ['b'] });
    const fleet = await readFleet(api, 0, quiet);
    expect(asked).toContain('tags app_1');
    expect(fleet.apps.map((a) => a.record.tags)).toEqual([['a'], ['b']]);
  });

  it('answers destroy and sleep only for names it shows, and only through the Preview it was listed with', async () => {
    const summary: CleverSummary = { organisations: [{ id: 'orga_1', name: 'org', applications: [{ id: 'app_1', name: 'one', customerTags: [] }] }] };
    const fleet = await readFleet(stubApi(summary, apps, {}).api, 1_000, quiet);
    expect(fleetRecords(fleet, 'one')?.map((r) => r.app.id)).toEqual(['app_1']);
    expect(fleetRecords(fleet, 'two')).toBeUndefined();
    expect(fleetRecords(undefined, 'one')).toBeUndefined();
    const listed = withFleet({ name: 'one' }, fleet);
    expect(fleetOf({ ...listed })).toBe(fleet);
    expect(JSON.parse(JSON.stringify(listed))).toEqual({ name: 'one' });
    expect(fleetOf({ name: 'one' })).toBeUndefined();
  });
});
