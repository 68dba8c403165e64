import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { EventBus } from '../../src/platform/events.js';
import { createLogger } from '../../src/platform/logger.js';
import { liveEventStream, liveFragmentStream } from '../../src/web/sse.js';

const silent = createLogger({ level: 'silent', format: 'json' });

/** An app with one live stream whose fragment is whatever `state.html` says (or a render error). */
const streamApp = (events: EventBus, options: { coalesceMs?: number; heartbeatMs?: number } = {}) => {
  const state = { html: '<p>one</p>', renders: 0, fail: false };
  const app = new Hono();
  app.get('/stream', (c) =>
    liveFragmentStream(c, {
      events,
      log: silent,
      watch: ['job.queued', 'job.changed'],
      event: 'counts',
      render: () => {
        state.renders++;
        if (state.fail) throw new Error('database closed');
        return state.html;
      },
      ...options,
    }),
  );
  return { app, state };
};

const reader = async (app: Hono) => {
  const res = await app.request('/stream');
  const r = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // A read outlasting one readFor() is kept for the next, so no chunk is lost.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  /** Everything received within `ms`, or up to the end of the stream. */
  const readFor = async (ms: number): Promise<{ text: string; done: boolean }> => {
    const deadline = Date.now() + ms;
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      pending ??= r.read();
      const next = await Promise.race([pending, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()))))]);
      clearTimeout(timer);
      if (next === 'timeout') {
        const out = text;
        text = '';
        return { text: out, done: false };
      }
      pending = undefined;
      if (next.done) return { text, done: true };
      text += decoder.decode(next.value, { stream: true });
    }
  };
  return { res, readFor, cancel: () => r.cancel() };
};

test('sends the fragment on connect as one SSE event with a data line per HTML line', async () => {
  const events = new EventBus();
  const { app, state } = streamApp(events);
  state.html = '<ul>\n<li>1</li>\n</ul>';
  const s = await reader(app);
  try {
    assert.match(s.res.headers.get('Content-Type') ?? '', /^text\/event-stream/);
    assert.equal(s.res.headers.get('Connection'), 'close');
    assert.equal((await s.readFor(200)).text, 'event: counts\ndata: <ul>\ndata: <li>1</li>\ndata: </ul>\n\n');
  } finally {
    await s.cancel();
  }
});

test('coalesces a burst of events into one message, at most one per interval', async () => {
  const events = new EventBus();
  const { app, state } = streamApp(events, { coalesceMs: 150 });
  const s = await reader(app);
  try {
    await s.readFor(50);
    state.html = '<p>two</p>';
    for (let i = 0; i < 10; i++) events.emit('job.queued', { id: i, task: 't', pool: 'default', runAt: 0 });
    events.emit('job.changed', { action: 'delete', ids: [1] });
    const burst = await s.readFor(400);
    assert.equal(burst.text, 'event: counts\ndata: <p>two</p>\n\n');
    assert.equal(state.renders, 2);
  } finally {
    await s.cancel();
  }
});

test('ignores bus events it does not watch', async () => {
  const events = new EventBus();
  const { app, state } = streamApp(events, { coalesceMs: 10 });
  const s = await reader(app);
  try {
    await s.readFor(50);
    events.emit('user.changed', { userId: 1 });
    assert.equal((await s.readFor(100)).text, '');
    assert.equal(state.renders, 1);
  } finally {
    await s.cancel();
  }
});

test('writes a keep-alive comment while nothing happens', async () => {
  const events = new EventBus();
  const { app } = streamApp(events, { heartbeatMs: 40 });
  const s = await reader(app);
  try {
    await s.readFor(20);
    assert.match((await s.readFor(150)).text, /^(: keep-alive\n\n)+$/);
  } finally {
    await s.cancel();
  }
});

test('ends the stream and its listeners when the fragment cannot be rendered', async () => {
  const events = new EventBus();
  const { app, state } = streamApp(events, { coalesceMs: 10 });
  const s = await reader(app);
  await s.readFor(50);
  state.fail = true;
  events.emit('job.queued', { id: 1, task: 't', pool: 'default', runAt: 0 });
  assert.equal((await s.readFor(1000)).done, true);
  assert.equal(events.listening('job.queued'), false);
  assert.equal(events.listening('hub.stopping'), false);
});

test('a client that leaves takes its listeners with it', async () => {
  const events = new EventBus();
  const { app } = streamApp(events);
  const s = await reader(app);
  await s.readFor(50);
  assert.equal(events.listening('job.changed'), true);
  await s.cancel();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(events.listening('job.changed'), false);
  assert.equal(events.listening('hub.stopping'), false);
});

/** A multi-event stream: `initial` sends the state on connect; job events queue a named message per job id. */
const multiApp = (events: EventBus, state: { initial: string[]; renders: string[] }) => {
  const app = new Hono();
  app.get('/stream', (c) =>
    liveEventStream(c, {
      events,
      log: silent,
      coalesceMs: 100,
      initial: (queue) => state.initial.forEach((name) => queue(name, () => `${name} now`)),
      subscribe: (queue) => [
        events.on('job.queued', ({ id }) =>
          queue(`job-${id}`, () => {
            state.renders.push(`job-${id}`);
            return `job ${id} queued`;
          }),
        ),
      ],
    }),
  );
  return app;
};

test('a multi-event stream sends the initial messages, then one message per name for a burst', async () => {
  const events = new EventBus();
  const state = { initial: ['panel', 'list'], renders: [] as string[] };
  const s = await reader(multiApp(events, state));
  try {
    assert.equal((await s.readFor(80)).text, 'event: panel\ndata: panel now\n\nevent: list\ndata: list now\n\n');
    for (const id of [1, 2, 1, 1]) events.emit('job.queued', { id, task: 't', pool: 'default', runAt: 0 });
    assert.equal((await s.readFor(300)).text, 'event: job-2\ndata: job 2 queued\n\nevent: job-1\ndata: job 1 queued\n\n');
    assert.deepEqual(state.renders, ['job-2', 'job-1']);
  } finally {
    await s.cancel();
  }
});

test('a multi-event stream with nothing to say on connect stays quiet until something happens', async () => {
  const events = new EventBus();
  const s = await reader(multiApp(events, { initial: [], renders: [] }));
  try {
    assert.equal((await s.readFor(80)).text, '');
    events.emit('job.queued', { id: 7, task: 't', pool: 'default', runAt: 0 });
    assert.equal((await s.readFor(300)).text, 'event: job-7\ndata: job 7 queued\n\n');
  } finally {
    await s.cancel();
  }
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(events.listening('job.queued'), false);
});
