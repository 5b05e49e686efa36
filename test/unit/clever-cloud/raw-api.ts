/**
 * Direct calls to the fake API for setting up what "someone else" did: an app created by hand
 * without our tags, a concurrent run's duplicate, a vhost held by another app.
 */
import { credentialsFrom, oauthHeader } from '../../../src/providers/clever-cloud/auth.js';
import type { CleverApp, CleverInstanceProduct } from '../../../src/providers/clever-cloud/api.js';
import { pickRuntime } from '../../../src/providers/clever-cloud/app-body.js';
import type { FakeCleverCloud } from '../../fakes/clever-cloud/server.js';
import { ORG, SECRET, TOKEN } from './harness.js';

const creds = credentialsFrom({ token: TOKEN, secret: SECRET });
if (creds.kind !== 'oauth') throw new Error('unreachable');
const authorization = oauthHeader(creds);

export async function rawCall<T = unknown>(fake: FakeCleverCloud, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Creates an app the way a person or another tool would, with the tags given (none by default). */
export async function rawCreateApp(fake: FakeCleverCloud, name: string, tags: string[] = []): Promise<CleverApp> {
  const products = (await rawCall<CleverInstanceProduct[]>(fake, 'GET', '/v2/products/instances')).body;
  const runtime = pickRuntime(products, 'node');
  const res = await rawCall<CleverApp>(fake, 'POST', `/v2/organisations/${ORG}/applications`, {
    deploy: 'git',
    name,
    description: 'made by hand',
    zone: 'par',
    instanceType: runtime.type,
    instanceVersion: runtime.version,
    instanceVariant: runtime.variant!.id,
    minFlavor: 'nano',
    maxFlavor: 'nano',
    minInstances: 1,
    maxInstances: 1,
    tags,
  });
  if (res.status !== 200) throw new Error(`raw create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates an add-on the way a person or another tool would (unlinked), then writes the tags given. */
export async function rawCreateAddon(fake: FakeCleverCloud, name: string, providerId: string, tags: string[] = [], linkedApp?: string): Promise<{ id: string }> {
  const providers = (await rawCall<Array<{ id: string; plans: Array<{ id: string; slug: string }> }>>(fake, 'GET', '/v2/products/addonproviders')).body;
  const plan = providers.find((p) => p.id === providerId)!.plans.find((p) => p.slug === 'dev')!;
  const res = await rawCall<{ id: string }>(fake, 'POST', `/v2/organisations/${ORG}/addons`, {
    name,
    providerId,
    plan: plan.id,
    region: 'par',
    options: {},
    ...(linkedApp ? { linkedApp } : {}),
  });
  if (res.status !== 200) throw new Error(`raw add-on create failed: ${res.status} ${JSON.stringify(res.body)}`);
  for (const tag of tags) await rawCall(fake, 'PUT', `/v2/organisations/${ORG}/addons/${res.body.id}/tags/${encodeURIComponent(tag)}`);
  return res.body;
}
