/**
 * Admin routes of the fake (outside `/v2`: no auth, no faults, not in the request log), so that a
 * test running the fake as another process can look at the platform from outside and disturb it:
 *
 *   GET  /__fake/requests          the request log (method, path, status, fault, arrival time)
 *   GET  /__fake/git-requests      the git endpoint's requests (method, path, service, status, arrival time)
 *   GET  /__fake/state             apps (with tags), add-ons (with tags and linked apps), pushes
 *   POST /__fake/reset-log         empties the request log, the git request log and the push log
 *   POST /__fake/faults            CleverFaultOptions JSON, or `null` to stop
 *   POST /__fake/list-lag          {"ms": 1000}: listings show new items that much later
 *   POST /__fake/latency           {"ms": 50}: every /v2 request waits that long
 *   POST /__fake/credentials       {"mode": "ok" | "unauthorized" | "forbidden"}
 *   POST /__fake/git-stall         {"stall": true}: git requests get no answer
 *   POST /__fake/fail-next-deploy  {"commit": "<sha>"}
 *   POST /__fake/plant             PlantInput JSON → {"appId", "addonIds"}
 *   POST /__fake/plant-preview     PlantPreviewInput JSON (times in ms) → {"appId"}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, readBody, sendJson } from '../shared/http.js';
import type { CleverFaultOptions } from './faults.js';
import type { PlantInput, PlantPreviewInput } from './plant.js';
import type { CredentialsMode, FakeControls } from './server.js';

const MODES: readonly CredentialsMode[] = ['ok', 'unauthorized', 'forbidden'];

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, fake: FakeControls): Promise<void> {
  const raw = await readBody(req);
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /__fake/requests') return sendJson(res, 200, fake.requests);
  if (route === 'GET /__fake/git-requests') return sendJson(res, 200, fake.gitRequests);
  if (route === 'GET /__fake/state') return sendJson(res, 200, { apps: fake.apps(), addons: fake.addons(), pushes: fake.pushes });
  if (route === 'POST /__fake/reset-log') {
    fake.resetLog();
    return sendJson(res, 200, { ok: true });
  }
  const parsed = parseJson(raw);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  const body = parsed.value as Record<string, unknown> | null | undefined;
  try {
    switch (route) {
      case 'POST /__fake/faults':
        fake.setFaults((body ?? undefined) as CleverFaultOptions | undefined);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/list-lag':
        if (typeof body?.ms !== 'number' || body.ms < 0) return sendJson(res, 400, { error: 'body must be {"ms": <number ≥ 0>}' });
        fake.setListLag(body.ms);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/latency':
        if (typeof body?.ms !== 'number' || body.ms < 0) return sendJson(res, 400, { error: 'body must be {"ms": <number ≥ 0>}' });
        fake.setLatency(body.ms);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/credentials':
        if (!MODES.includes(body?.mode as CredentialsMode)) return sendJson(res, 400, { error: `body must be {"mode": ${MODES.map((m) => `"${m}"`).join(' | ')}}` });
        fake.setCredentials(body!.mode as CredentialsMode);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/git-stall':
        fake.setGitStall(body?.stall === true);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/fail-next-deploy':
        if (typeof body?.commit !== 'string') return sendJson(res, 400, { error: 'body must be {"commit": "<sha>"}' });
        fake.failNextDeployOf(body.commit);
        return sendJson(res, 200, { ok: true });
      case 'POST /__fake/plant':
        if (typeof body?.name !== 'string' || !Array.isArray(body.tags)) return sendJson(res, 400, { error: 'body must be {"name", "tags": [...], "addons"?: [...]}' });
        return sendJson(res, 200, await fake.plant(body as unknown as PlantInput));
      case 'POST /__fake/plant-preview':
        if (typeof body?.name !== 'string' || !Array.isArray(body.tags)) return sendJson(res, 400, { error: 'body must be {"name", "tags": [...], "createdAt"?, "deployedAt"?, "asleep"?}' });
        return sendJson(res, 200, fake.plantPreview(body as unknown as PlantPreviewInput));
    }
  } catch (error) {
    return sendJson(res, 400, { error: (error as Error).message });
  }
  return sendJson(res, 404, { error: `no admin route ${route}` });
}
