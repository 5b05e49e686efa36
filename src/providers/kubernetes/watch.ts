/**
 * A watch of one object, the way `kubectl rollout status` and `kubectl delete --wait` follow one:
 * a GET of its collection with `fieldSelector=metadata.name=<name>`, `watch=true` and the
 * resourceVersion last seen, answered with one JSON event per line as the object changes. The
 * server ends a watch after `timeoutSeconds`; a resourceVersion it no longer holds gets an
 * `ERROR` event with a 410 `Status` (the caller reads the object again and watches from there).
 */
import type { IncomingMessage } from 'node:http';
import { createInterface, type Interface } from 'node:readline';
import { ProviderError } from '../../core/errors.js';
import { ForbiddenError } from './api-errors.js';
import type { KubeClient } from './client.js';
import type { KubeObject } from './labels.js';
import { resourcePath, type ResourceType } from './resources.js';

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  /** The stream ended, broke, or the server said the resourceVersion is too old (410). */
  | { type: 'ended'; why: string }
  /** Nothing arrived within the time asked for. */
  | { type: 'quiet' };

/** How long one watch request lasts at most on the server, seconds (a new one follows). */
const WATCH_SECONDS = 60;

export class ObjectWatch {
  private readonly queue: WatchEvent[] = [];
  private wake: (() => void) | undefined;
  private lines: Interface | undefined;
  private closed = false;

  private constructor(private readonly response: IncomingMessage) {
    this.lines = createInterface({ input: response, crlfDelay: Infinity });
    this.lines.on('line', (line) => this.push(parseEvent(line)));
    this.lines.on('close', () => this.push({ type: 'ended', why: 'the server ended the watch' }));
    response.on('error', (error) => this.push({ type: 'ended', why: error.message }));
    response.on('close', () => this.push({ type: 'ended', why: 'the connection closed' }));
  }

  /**
   * Opens a watch of `name` from `resourceVersion`; undefined when this API or account cannot
   * watch (403, or a server or proxy that does not serve watches): the caller polls instead.
   */
  static async open(client: KubeClient, type: ResourceType, namespace: string | undefined, name: string, resourceVersion: string | undefined, what: string): Promise<ObjectWatch | undefined> {
    try {
      const response = await client.stream(
        {
          method: 'GET',
          path: resourcePath(type, namespace),
          query: { fieldSelector: `metadata.name=${name}`, watch: 'true', resourceVersion, timeoutSeconds: String(WATCH_SECONDS) },
          what: `watch ${what}`,
        },
        (WATCH_SECONDS + 15) * 1000,
      );
      if (!/json/.test(String(response.headers['content-type'] ?? 'application/json'))) {
        response.destroy();
        return undefined;
      }
      return new ObjectWatch(response);
    } catch (error) {
      if (error instanceof ForbiddenError) return undefined;
      if (error instanceof ProviderError && (error.status === 404 || error.status === 405 || error.status === 400)) return undefined;
      throw error;
    }
  }

  /** The next event, or `quiet` after `waitMs` without one. */
  async next(waitMs: number): Promise<WatchEvent> {
    if (!this.queue.length && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, waitMs));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const event = this.queue.shift();
    if (event) return event;
    return this.closed ? { type: 'ended', why: 'the watch was closed' } : { type: 'quiet' };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lines?.close();
    this.lines = undefined;
    this.response.destroy();
    this.wake?.();
  }

  private push(event: WatchEvent | undefined): void {
    if (!event || (this.closed && event.type !== 'ended')) return;
    this.queue.push(event);
    if (event.type === 'ended') this.closed = true;
    this.wake?.();
  }
}

function parseEvent(line: string): WatchEvent | undefined {
  if (!line.trim()) return undefined;
  let event: { type?: string; object?: KubeObject & { code?: number; message?: string } };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return { type: 'ended', why: 'the watch sent something that is not JSON' };
  }
  if ((event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') && event.object) return { type: event.type, object: event.object };
  if (event.type === 'ERROR') return { type: 'ended', why: `the watch answered ${event.object?.code ?? ''} ${event.object?.message ?? ''}`.trim() };
  // BOOKMARK and types to come say nothing about the object.
  return undefined;
}
