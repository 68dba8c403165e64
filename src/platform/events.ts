import { EventEmitter } from 'node:events';

/**
 * Plugins add their own events by augmenting EventMap from their folder
 * (`declare module '…/platform/events.js'`), so the platform never imports them.
 *
 * The in-process bus: services announce what happened, and SSE streams,
 * alerts and metrics listen. Event names are declared here so a typo fails to compile.
 */
export interface EventMap {
  'domain-config.changed': { domain: string; version: number };
  'user.changed': { userId: number };
  'job.queued': { id: number; task: string; pool: string; runAt: number };
  'job.started': { id: number; task: string; pool: string; attempt: number };
  'job.succeeded': { id: number; task: string; pool: string; attempt: number; ms: number };
  'job.failed': { id: number; task: string; pool: string; attempt: number; ms: number; error: string; retryAt: number };
  'tick.completed': { domain: string; ran: boolean; ms: number; error: string | null };
  'job.dead': { id: number; task: string; pool: string; attempt: number; ms: number; error: string };
  /** An admin retried, rescheduled or deleted jobs (the runner's own events do not cover these). */
  'job.changed': { action: 'retry' | 'delete' | 'reschedule'; ids: number[] };
  /** Something an admin should look at (a rule disabled by validation, a connection failing). */
  'alert.raised': { source: string; severity: 'info' | 'warning' | 'critical'; title: string; message: string; link?: string };
  /** The hub is shutting down: long-lived streams end so the HTTP server can close at once. */
  'hub.stopping': Record<string, never>;
}

export type EventName = keyof EventMap;

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // SSE clients each add a listener; a busy admin page must not trip the leak warning.
    this.#emitter.setMaxListeners(0);
  }

  emit<K extends EventName>(name: K, payload: EventMap[K]): void {
    this.#emitter.emit(name, payload);
  }

  /** Lets hot paths skip building a payload nobody will read. */
  listening(name: EventName): boolean {
    return this.#emitter.listenerCount(name) > 0;
  }

  on<K extends EventName>(name: K, listener: (payload: EventMap[K]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }
}
