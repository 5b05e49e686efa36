/**
 * What a preview's route says once written: its hosts, the port it dials, whether it is the
 * "asleep" page that stands in for the app while its containers are stopped by `sleep`.
 *
 * The asleep page answers 503 with `Retry-After`, not 200: the app is temporarily unavailable,
 * which is what sleep is. A 200 would pass for the app itself — to uptime monitors, to crawlers
 * (which would index the placeholder), and to preview-kit's own probes, which take any answer
 * below 500 other than 404 for "serving" and so would call a waking preview ready before its
 * container answers. `Cache-Control: no-store` keeps browsers and proxies from showing the page
 * after the preview is awake again.
 */
import type { CaddyHandler } from './basic-auth.js';
import type { CaddyRoute } from './caddy-routes.js';

export const ASLEEP_STATUS = 503;
/** Seconds: a hint for crawlers and clients; the preview wakes only when a pipeline runs `up`. */
export const ASLEEP_RETRY_AFTER = 3600;

const ASLEEP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>This preview is asleep</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:4em auto">
<h1>This preview is asleep</h1>
<p>It was put to sleep to save resources: its data and address are kept.
It wakes on its next deployment (<code>preview-kit up</code>).</p>
</body></html>
`;

/** The route a service's hosts get while its container sleeps: same id and hosts, same protection. */
export function asleepRoute(id: string, hosts: string[], auth?: CaddyHandler): CaddyRoute {
  const page: CaddyHandler = {
    handler: 'static_response',
    status_code: ASLEEP_STATUS,
    headers: {
      'Content-Type': ['text/html; charset=utf-8'],
      'Retry-After': [String(ASLEEP_RETRY_AFTER)],
      'Cache-Control': ['no-store'],
    },
    body: ASLEEP_PAGE,
  };
  return { '@id': id, match: [{ host: hosts }], handle: [...(auth ? [auth] : []), page], terminal: true };
}

/** Our live routes always end in `reverse_proxy`; one that answers by itself is the asleep page. */
export function isAsleepRoute(route: CaddyRoute | undefined): boolean {
  return route?.handle?.some((h) => h.handler === 'static_response') === true;
}

/** A route's hosts, from its host matcher. */
export function hostsOfRoute(route: CaddyRoute | undefined): string[] | undefined {
  const hosts = (route?.match?.[0] as { host?: unknown } | undefined)?.host;
  return Array.isArray(hosts) && hosts.every((h) => typeof h === 'string') ? (hosts as string[]) : undefined;
}

/** The host port a route dials, from its proxy's first upstream (an authentication handler may come first). */
export function dialedPort(route: CaddyRoute | undefined): number | undefined {
  const proxy = route?.handle?.find((h) => h.handler === 'reverse_proxy') as { upstreams?: Array<{ dial?: string }> } | undefined;
  const m = /:(\d+)$/.exec(proxy?.upstreams?.[0]?.dial ?? '');
  return m ? Number(m[1]) : undefined;
}

export function findRoute(routes: CaddyRoute[] | null | undefined, id: string): CaddyRoute | undefined {
  return routes?.find((r) => r['@id'] === id);
}
