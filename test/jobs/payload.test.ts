import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobSpecError } from '../../src/jobs/errors.js';
import { serializePayload } from '../../src/jobs/payload.js';

const refused = (pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof JobSpecError, `expected a JobSpecError, got ${String(err)}`);
  assert.match(err.message, /^payload is not JSON-serializable: /);
  assert.match(err.message, pattern);
  return true;
};

test('stores plain JSON values exactly as JSON.stringify does', () => {
  const payload = { a: 1, b: 'two', c: [true, null, { d: 1.5 }], e: { f: -0.25 } };
  assert.equal(serializePayload(payload), JSON.stringify(payload));
  assert.equal(serializePayload([1, 'x']), '[1,"x"]');
  assert.equal(serializePayload('text'), '"text"');
  assert.equal(serializePayload(null), 'null');
});

test('stores a missing payload as an empty object', () => {
  assert.equal(serializePayload(undefined), '{}');
});

test('keeps objects with toJSON (such as dates) in their JSON form', () => {
  const at = new Date(Date.UTC(2026, 0, 2));
  assert.equal(serializePayload({ at }), '{"at":"2026-01-02T00:00:00.000Z"}');
});

test('leaves out object properties that are undefined, as JSON does', () => {
  assert.equal(serializePayload({ a: 1, b: undefined }), '{"a":1}');
});

test('refuses a function and names where it is', () => {
  assert.throws(() => serializePayload({ nested: { fn: () => 1 } }), refused(/payload\.nested\.fn is a function/));
});

test('refuses a symbol and a bigint', () => {
  assert.throws(() => serializePayload({ s: Symbol('x') }), refused(/payload\.s is a symbol/));
  assert.throws(() => serializePayload({ n: 10n }), refused(/payload\.n is a bigint/));
});

test('refuses NaN and the infinities', () => {
  assert.throws(() => serializePayload({ n: Number.NaN }), refused(/payload\.n is NaN/));
  assert.throws(() => serializePayload([Infinity]), refused(/payload\[0\] is Infinity/));
  assert.throws(() => serializePayload({ n: -Infinity }), refused(/payload\.n is -Infinity/));
});

test('refuses undefined inside an array, which JSON would turn into null', () => {
  assert.throws(() => serializePayload({ list: [1, undefined, 3] }), refused(/payload\.list\[1\] is undefined/));
});

test('refuses a payload that refers back to itself', () => {
  const loop: Record<string, unknown> = { name: 'a' };
  loop.self = { parent: loop };
  assert.throws(() => serializePayload(loop), refused(/payload\.self\.parent refers back to itself/));
  const list: unknown[] = [];
  list.push(list);
  assert.throws(() => serializePayload(list), refused(/payload\[0\] refers back to itself/));
});

test('accepts the same object twice when it is shared, not circular', () => {
  const shared = { x: 1 };
  assert.equal(serializePayload({ a: shared, b: [shared] }), '{"a":{"x":1},"b":[{"x":1}]}');
});
