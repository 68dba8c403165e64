import { EventEmitter } from 'node:events';

/**
 * The in-process bus: services announce what happened, and SSE streams,
 * alerts and metrics listen. Event names are declared here so a typo fails to compile.
 */
export interface EventMap {
  'domain-config.changed': { domain: string; version: number };
  'user.changed': { userId: number };
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

  on<K extends EventName>(name: K, listener: (payload: EventMap[K]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }
}
