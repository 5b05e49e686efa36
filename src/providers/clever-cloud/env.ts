/**
 * Environment variables of the preview app: read only when some are asked for, write only the
 * keys whose value differs. Variables we were not asked about are left alone (add-ons and people
 * add their own). Values never reach the plan or the logs: they are often secrets.
 */
import type { Plan } from '../../core/plan.js';
import type { CleverApi } from './api.js';

/** Keys of `desired` that are missing or different in `current`, in a stable order. */
export function envChanges(current: ReadonlyArray<{ name: string; value: string }>, desired: Readonly<Record<string, string>>): string[] {
  const now = new Map(current.map((v) => [v.name, v.value]));
  return Object.keys(desired)
    .filter((key) => now.get(key) !== desired[key])
    .sort();
}

export async function convergeEnv(input: {
  api: CleverApi;
  plan: Plan;
  appId: string;
  appName: string;
  desired: Record<string, string>;
}): Promise<boolean> {
  const { api, plan, appId, desired } = input;
  if (Object.keys(desired).length === 0) return false;
  const changed = envChanges(await api.env(appId), desired);
  if (changed.length === 0) return false;
  await plan.apply(
    { kind: 'update', target: `application ${input.appName}`, detail: `env ${changed.join(', ')}` },
    async () => {
      // One PUT per key: the bulk `PUT …/env` replaces everything, including variables that are not ours.
      for (const key of changed) await api.setEnv(appId, key, desired[key]!);
    },
    undefined,
  );
  return true;
}
