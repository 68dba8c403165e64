import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { EventBus, EventName } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** Bursts of bus events become at most one message per this interval. */
export const SSE_COALESCE_MS = 500;

/** Queues a named SSE message; its data is rendered when it is sent, so a burst sends the latest state once. */
export type QueueMessage = (event: string, render: () => string) => void;

export interface LiveEventOptions {
  events: EventBus;
  log: Logger;
  /** The messages that bring a page up to date, sent on connect and so again on every reconnect. */
  initial: (queue: QueueMessage) => void;
  /** Subscribes to the bus, queueing messages as things change; returns the unsubscribe functions. */
  subscribe: (queue: QueueMessage) => (() => void)[];
  coalesceMs?: number;
  heartbeatMs?: number;
}

/**
 * A server-sent event stream of several named messages (each an `sse-swap`
 * target or an `sse:` trigger on the page). Messages queued within the
 * coalescing interval go out together, one per name, rendered at sending time.
 * It ends when the browser leaves, the connection is closed, a message cannot
 * be rendered, or the hub stops ('hub.stopping'), and then removes its bus
 * listeners and timers.
 */
export const liveEventStream = (c: Context, options: LiveEventOptions): Response => {
  const coalesceMs = options.coalesceMs ?? SSE_COALESCE_MS;
  const heartbeatMs = options.heartbeatMs ?? SSE_HEARTBEAT_MS;
  const response = streamSSE(c, async (stream) => {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    let timer: NodeJS.Timeout | undefined;
    let lastSent = 0;
    const pending = new Map<string, () => string>();

    const flush = async () => {
      timer = undefined;
      if (stream.aborted || stream.closed) return;
      lastSent = Date.now();
      const batch = [...pending];
      pending.clear();
      for (const [event, render] of batch) {
        let data: string;
        try {
          data = render();
        } catch (err) {
          options.log.warn({ err, event }, 'live message could not be rendered; stream ended');
          end();
          return;
        }
        await stream.writeSSE({ event, data });
      }
    };
    const queue: QueueMessage = (event, render) => {
      pending.delete(event);
      pending.set(event, render);
      if (timer) return;
      timer = setTimeout(() => void flush(), Math.max(0, lastSent + coalesceMs - Date.now()));
      timer.unref();
    };

    const unsubscribe = [...options.subscribe(queue), options.events.on('hub.stopping', () => end())];
    stream.onAbort(() => end());
    const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    try {
      options.initial((event, render) => pending.set(event, render));
      await flush();
      await ended;
    } finally {
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      for (const off of unsubscribe) off();
    }
  });
  // The connection belongs to this stream: when the stream ends (on shutdown) the socket closes
  // with it, rather than idling in keep-alive where server.close() would wait for it.
  response.headers.set('Connection', 'close');
  return response;
};

export interface LiveFragmentOptions {
  events: EventBus;
  log: Logger;
  /** Bus events that mean the fragment may have changed. */
  watch: readonly EventName[];
  /** The SSE event name the page swaps on (`sse-swap`). */
  event: string;
  /** Renders the fragment's current HTML. */
  render: () => string;
  coalesceMs?: number;
  heartbeatMs?: number;
}

/**
 * A stream of one re-rendered fragment: sent once on connect (the page may be
 * stale by then), then again after bus events, coalesced.
 */
export const liveFragmentStream = (c: Context, options: LiveFragmentOptions): Response =>
  liveEventStream(c, {
    events: options.events,
    log: options.log,
    initial: (queue) => queue(options.event, options.render),
    subscribe: (queue) => options.watch.map((name) => options.events.on(name, () => queue(options.event, options.render))),
    ...(options.coalesceMs !== undefined ? { coalesceMs: options.coalesceMs } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
