import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isoTimestamp } from './calendar.js';
import type { WebhookConfig } from './input-schemas.js';

export interface Delivery {
  id: number;
  topic: string;
  url: string;
  /** The envelope as sent: `{action, data}`. */
  payload: { action: string; data: unknown };
  signed: boolean;
  outcome: 'pending' | 'delivered' | 'failed';
  /** HTTP status of the last attempt; null when no answer came. */
  status: number | null;
  attempts: number;
  /** Time spent on all attempts, backoff included. */
  ms: number | null;
  error: string | null;
  /** When the change happened, by the simulator's clock. */
  at: string;
}

export interface WebhookSenderOptions {
  now: () => number;
  /** Pauses before the 2nd, 3rd, … attempt; its length + 1 is the number of attempts. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** Oldest deliveries are dropped beyond this, so a long trickle run stays small. */
  logLimit?: number;
}

export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts webhook envelopes one at a time, in the order the changes happened,
 * without holding up the API call that caused them. Network errors and 5xx
 * answers are retried; other answers are final.
 */
export class WebhookSender {
  #config: WebhookConfig | undefined;
  #log: Delivery[] = [];
  #queue: Promise<void> = Promise.resolve();
  #nextId = 1;
  readonly #now: () => number;
  readonly #retryDelaysMs: number[];
  readonly #timeoutMs: number;
  readonly #logLimit: number;
  delivered = 0;
  failed = 0;

  constructor(options: WebhookSenderOptions) {
    this.#now = options.now;
    this.#retryDelaysMs = options.retryDelaysMs ?? [250, 1_000];
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#logLimit = options.logLimit ?? 500;
  }

  get config(): WebhookConfig | undefined {
    return this.#config;
  }

  configure(config: WebhookConfig | undefined): void {
    this.#config = config;
  }

  /** Queues a delivery for a change, if a webhook is set and subscribes to the topic. */
  notify(topic: string, data: unknown): void {
    const topics = this.#config?.topics;
    if (!this.#config || (topics && topics.length > 0 && !topics.includes(topic))) return;
    void this.send(topic, data);
  }

  /** Queues a delivery whatever the topic filter says; resolves once it is delivered or given up. */
  send(topic: string, data: unknown): Promise<Delivery> {
    const config = this.#config;
    if (!config) return Promise.reject(new Error('no webhook is configured'));
    const delivery: Delivery = {
      id: this.#nextId++,
      topic,
      url: config.url,
      payload: { action: topic, data },
      signed: config.secret !== undefined,
      outcome: 'pending',
      status: null,
      attempts: 0,
      ms: null,
      error: null,
      at: isoTimestamp(this.#now()),
    };
    this.#log.push(delivery);
    if (this.#log.length > this.#logLimit) this.#log.splice(0, this.#log.length - this.#logLimit);
    const done = this.#queue.then(() => this.#deliver(delivery, config.secret));
    this.#queue = done;
    return done.then(() => delivery);
  }

  async #deliver(delivery: Delivery, secret: string | undefined): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'PeopleForce-Webhooks (simulator)' };
    if (secret !== undefined) headers['X-PeopleForce-Signature'] = signBody(secret, body);
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      delivery.attempts = attempt + 1;
      let retryable: boolean;
      try {
        const res = await fetch(delivery.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.#timeoutMs) });
        await res.arrayBuffer();
        delivery.status = res.status;
        delivery.error = res.ok ? null : `HTTP ${res.status}`;
        retryable = res.status >= 500;
        if (res.ok) break;
      } catch (err) {
        delivery.status = null;
        delivery.error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
        retryable = true;
      }
      const pause = this.#retryDelaysMs[attempt];
      if (!retryable || pause === undefined) break;
      await sleep(pause);
    }
    delivery.ms = Math.round(performance.now() - started);
    delivery.outcome = delivery.error === null ? 'delivered' : 'failed';
    if (delivery.outcome === 'delivered') this.delivered++;
    else this.failed++;
  }

  deliveries(): Delivery[] {
    return this.#log.map((d) => ({ ...d }));
  }

  /** Resolves when every queued delivery has been delivered or given up. */
  idle(): Promise<void> {
    return this.#queue;
  }

  clearLog(): void {
    this.#log = [];
    this.delivered = 0;
    this.failed = 0;
  }
}
