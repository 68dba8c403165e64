import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBus } from '../../src/platform/events.js';

test('delivers an event to every listener of its name, with its payload', () => {
  const bus = new EventBus();
  const a: unknown[] = [];
  const b: unknown[] = [];
  bus.on('user.changed', (p) => a.push(p));
  bus.on('user.changed', (p) => b.push(p));
  bus.emit('user.changed', { userId: 3 });
  assert.deepEqual(a, [{ userId: 3 }]);
  assert.deepEqual(b, [{ userId: 3 }]);
});

test('does not deliver an event to listeners of another name', () => {
  const bus = new EventBus();
  let called = false;
  bus.on('domain-config.changed', () => {
    called = true;
  });
  bus.emit('user.changed', { userId: 1 });
  assert.equal(called, false);
});

test('stops delivering once the returned function unsubscribes', () => {
  const bus = new EventBus();
  const seen: number[] = [];
  const off = bus.on('domain-config.changed', (p) => seen.push(p.version));
  bus.emit('domain-config.changed', { domain: 'platform', version: 2 });
  off();
  bus.emit('domain-config.changed', { domain: 'platform', version: 3 });
  assert.deepEqual(seen, [2]);
});

test('takes many listeners without a leak warning', () => {
  const bus = new EventBus();
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const offs = Array.from({ length: 50 }, () => bus.on('user.changed', () => undefined));
    bus.emit('user.changed', { userId: 1 });
    for (const off of offs) off();
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning'), []);
});
