import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stableJson } from '../../src/platform/stable-json.js';

test('serialises objects with their keys sorted at every level, so key order never changes the text', () => {
  assert.equal(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  assert.equal(stableJson({ b: 1, a: 2 }), stableJson({ a: 2, b: 1 }));
});

test('leaves out undefined properties, as JSON.stringify does', () => {
  assert.equal(stableJson({ a: undefined, b: 'x' }), '{"b":"x"}');
});
