/**
 * `--basic-auth USER:PASSWORD` in Caddy: an `authentication` handler with the `http_basic`
 * provider in front of each of the preview's routes, holding only a bcrypt hash of the password
 * (Caddy's modules/caddyhttp/caddyauth: `accounts[{username, password}]`, the hash base64-encoded,
 * `hash: {algorithm: "bcrypt"}` — the one algorithm every Caddy 2 release checks).
 *
 * The salt is derived from the preview's identity key and the user, so the same password gives the
 * same handler: a re-run with an unchanged setting finds the route equal and writes nothing, a new
 * password rewrites it, and no setting removes the handler.
 */
import { createHmac } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import type { PreviewSpec } from '../types.js';
import { BCRYPT_MAX_BYTES, bcryptHash } from './bcrypt.js';

/**
 * log2 of bcrypt's rounds: about 0.1 s to hash here, and what Caddy pays per request it checks.
 * `hash_cache` spares it that for requests repeating credentials it has already checked.
 */
export const BCRYPT_COST = 10;

export type CaddyHandler = Record<string, unknown>;

export interface RouteAuth {
  /** The `authentication` handler that goes first in each of the preview's routes. */
  handler: CaddyHandler;
  /** What our own probes through Caddy send to get past it. */
  headers: Record<string, string>;
}

const hashes = new Map<string, string>();

/** 16 bytes of salt for this preview and user: stable, and unlike any other preview's. */
function saltOf(key: string, user: string): Buffer {
  return createHmac('sha256', 'preview-kit basic-auth salt').update(`${key}\u0000${user}`).digest().subarray(0, 16);
}

function hashOf(key: string, user: string, password: string): string {
  const memo = `${key}\u0000${user}\u0000${password}`;
  let hash = hashes.get(memo);
  if (!hash) {
    hash = bcryptHash(Buffer.from(password, 'utf8'), saltOf(key, user), BCRYPT_COST);
    hashes.set(memo, hash);
  }
  return hash;
}

/** Refuses what Caddy could not check as given: bcrypt reads only the first 72 bytes of a password. */
export function checkBasicAuth(auth: { user: string; password: string }): void {
  if (Buffer.byteLength(auth.password, 'utf8') > BCRYPT_MAX_BYTES) {
    throw new ConfigError(`invalid settings: --basic-auth: the password is longer than ${BCRYPT_MAX_BYTES} bytes`, {
      hint: `Caddy checks passwords with bcrypt, which reads only the first ${BCRYPT_MAX_BYTES} bytes: use a shorter one`,
    });
  }
}

/** The handler and probe headers for a spec's `basicAuth`, or undefined when the preview is open. */
export function routeAuthOf(spec: Pick<PreviewSpec, 'key' | 'basicAuth'>): RouteAuth | undefined {
  const auth = spec.basicAuth;
  if (!auth) return undefined;
  checkBasicAuth(auth);
  const hash = hashOf(spec.key, auth.user, auth.password);
  return {
    handler: {
      handler: 'authentication',
      providers: {
        http_basic: {
          hash: { algorithm: 'bcrypt' },
          accounts: [{ username: auth.user, password: Buffer.from(hash, 'utf8').toString('base64') }],
          hash_cache: {},
        },
      },
    },
    headers: { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}` },
  };
}

/** A route's authentication handler, kept as is when the route changes shape (sleep). */
export function authHandlerOf(route: { handle?: CaddyHandler[] } | undefined): CaddyHandler | undefined {
  return route?.handle?.find((h) => h.handler === 'authentication');
}

