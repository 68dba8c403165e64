import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, addMonths, workingDays } from '../../../src/simulators/peopleforce/calendar.js';

test('moves days across month and year ends', () => {
  assert.equal(addDays('2025-12-31', 1), '2026-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
});

test('adds calendar months', () => {
  assert.equal(addMonths('2026-01-14', 3), '2026-04-14');
});

test('counts Monday to Friday only, both ends included', () => {
  assert.deepEqual(workingDays('2026-01-16', '2026-01-19'), ['2026-01-16', '2026-01-19']);
  assert.deepEqual(workingDays('2026-01-17', '2026-01-18'), []);
});
