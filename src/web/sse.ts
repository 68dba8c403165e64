import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { EventBus, EventName } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** Bursts of bus events become at most one message per this interval. */
export const SSE_COALESCE_MS = 500;

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
 * A server-sent event stream of one re-rendered fragment: sent once on connect
 * (the page may be stale by then), then again after bus events, coalesced.
 * It ends when the browser leaves, the connection is closed, or the hub stops
 * ('hub.stopping'), and then removes its bus listeners and timers.
 */
export const liveFragmentStream = (c: Context, options: LiveFragmentOptions): Response => {
  const coalesceMs = options.coalesceMs ?? SSE_COALESCE_MS;
  const heartbeatMs = options.heartbeatMs ?? SSE_HEARTBEAT_MS;
  const response = streamSSE(c, async (stream) => {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    let timer: NodeJS.Timeout | undefined;
    let lastSent = 0;

    const send = async () => {
      timer = undefined;
      if (stream.aborted || stream.closed) return;
      lastSent = Date.now();
      let html: string;
      try {
        html = options.render();
      } catch (err) {
        options.log.warn({ err }, 'live fragment could not be rendered; stream ended');
        end();
        return;
      }
      await stream.writeSSE({ event: options.event, data: html });
    };
    const changed = () => {
      if (timer) return;
      timer = setTimeout(() => void send(), Math.max(0, lastSent + coalesceMs - Date.now()));
      timer.unref();
    };

    const unsubscribe = [...options.watch.map((name) => options.events.on(name, changed)), options.events.on('hub.stopping', () => end())];
    stream.onAbort(() => end());
    const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    try {
      await send();
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
