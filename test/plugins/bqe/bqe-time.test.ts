import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BqeTimeError, compareNaive, formatNaive, isNaiveTimestamp, naiveToEpochMs, normalizeNaive, parseNaive, shiftNaive } from '../../../src/plugins/bqe/bqe-time.js';

const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof BqeTimeError && err.status === 422 && err.code === 'bqe_time_invalid' && pattern.test(err.message));

describe('isNaiveTimestamp', () => {
  test('accepts a real naive timestamp, including a leap day', () => {
    assert.equal(isNaiveTimestamp('2025-01-15T10:22:31'), true);
    assert.equal(isNaiveTimestamp('2024-02-29T23:59:59'), true);
  });

  test('refuses impossible dates and times', () => {
    for (const text of ['2025-02-30T00:00:00', '2025-02-29T00:00:00', '2025-13-01T00:00:00', '2025-01-01T24:00:00', '2025-01-01T23:60:00', '2025-12-31T23:59:60']) {
      assert.equal(isNaiveTimestamp(text), false, text);
    }
  });

  test('refuses other shapes: fractions, zones, dates alone, spaces, non-strings', () => {
    for (const text of ['2025-01-15T10:22:31.5', '2025-01-15T10:22:31Z', '2025-01-15T10:22:31+01:00', '2025-01-15', '2025-01-15 10:22:31', '2025-01-15T10:22', ' 2025-01-15T10:22:31', 1736936551000, null]) {
      assert.equal(isNaiveTimestamp(text), false, String(text));
    }
  });
});

describe('normalizeNaive', () => {
  test('keeps a canonical value as it is', () => {
    assert.equal(normalizeNaive('2025-01-15T10:22:31'), '2025-01-15T10:22:31');
  });

  test('cuts fractional seconds off instead of rounding, so a cursor never moves past a record', () => {
    assert.equal(normalizeNaive('2025-01-15T10:22:31.9999999'), '2025-01-15T10:22:31');
    assert.equal(normalizeNaive('2025-01-15T10:22:31.1'), '2025-01-15T10:22:31');
  });

  test('converts a value in UTC (Z) to the wall-clock time at the connection offset', () => {
    assert.equal(normalizeNaive('2025-01-15T10:22:31Z', -300), '2025-01-15T05:22:31');
    assert.equal(normalizeNaive('2025-01-15T23:30:00.250Z', 60), '2025-01-16T00:30:00');
  });

  test('converts a value with an explicit offset to the connection offset', () => {
    assert.equal(normalizeNaive('2025-01-15T10:22:31+02:00', 60), '2025-01-15T09:22:31');
    assert.equal(normalizeNaive('2025-01-15T10:22:31-0500', -300), '2025-01-15T10:22:31');
  });

  test('refuses a zoned value without the connection offset rather than guessing', () => {
    refused(() => normalizeNaive('2025-01-15T10:22:31Z'), /carries a time zone.*UTC offset is needed/);
  });

  test('refuses values that are not BQE timestamps, naming the value', () => {
    refused(() => normalizeNaive('2025-02-30T00:00:00'), /"2025-02-30T00:00:00" is not a BQE timestamp/);
    refused(() => normalizeNaive('yesterday'), /"yesterday" is not a BQE timestamp.*YYYY-MM-DDThh:mm:ss/);
    refused(() => normalizeNaive('2025-01-15T10:22:31+25:00', 0), /impossible time zone "\+25:00"/);
    refused(() => normalizeNaive('2025-01-15T10:22:31Z', 1.5), /whole number of minutes/);
  });
});

describe('formatNaive and naiveToEpochMs', () => {
  const instant = Date.UTC(2025, 0, 15, 15, 22, 31, 780);

  test('writes the wall-clock time at an east-positive offset, without milliseconds', () => {
    assert.equal(formatNaive(instant, 0), '2025-01-15T15:22:31');
    assert.equal(formatNaive(instant, -300), '2025-01-15T10:22:31');
    assert.equal(formatNaive(instant, 60), '2025-01-15T16:22:31');
    assert.equal(formatNaive(instant, 840), '2025-01-16T05:22:31');
  });

  test('reads a naive value back to the real instant at that offset', () => {
    assert.equal(naiveToEpochMs('2025-01-15T10:22:31', -300), Date.UTC(2025, 0, 15, 15, 22, 31));
    assert.equal(naiveToEpochMs(formatNaive(instant, 330), 330), instant - 780);
  });

  test('refuses offsets that are not whole minutes and instants BQE cannot write', () => {
    refused(() => formatNaive(instant, 0.5), /whole number of minutes/);
    refused(() => formatNaive(Number.NaN, 0), /outside the years/);
    refused(() => formatNaive(Date.UTC(10000, 0, 1), 0), /outside the years 0000–9999/);
  });
});

describe('parseNaive', () => {
  test('gives the canonical text and milliseconds read as if UTC', () => {
    assert.deepEqual(parseNaive('2025-01-15T10:22:31.123'), { naive: '2025-01-15T10:22:31', epochMsAsIfUtc: Date.UTC(2025, 0, 15, 10, 22, 31) });
  });

  test('reads early years literally rather than as 19xx', () => {
    assert.equal(parseNaive('0050-06-01T00:00:00').epochMsAsIfUtc, new Date('0050-06-01T00:00:00Z').getTime());
  });
});

describe('shiftNaive', () => {
  test('moves back by the overlap window in naive arithmetic', () => {
    assert.equal(shiftNaive('2025-01-15T10:22:31', -300), '2025-01-15T10:17:31');
  });

  test('crosses midnight, month ends and leap days', () => {
    assert.equal(shiftNaive('2025-03-01T00:02:00', -300), '2025-02-28T23:57:00');
    assert.equal(shiftNaive('2024-03-01T00:02:00', -300), '2024-02-29T23:57:00');
    assert.equal(shiftNaive('2024-12-31T23:59:59', 1), '2025-01-01T00:00:00');
  });

  test('ignores daylight saving: the same wall-clock arithmetic on any date', () => {
    assert.equal(shiftNaive('2025-03-30T02:30:00', 3600), '2025-03-30T03:30:00');
  });

  test('normalises what BQE sent before shifting', () => {
    assert.equal(shiftNaive('2025-01-15T10:22:31.999', -60), '2025-01-15T10:21:31');
    assert.equal(shiftNaive('2025-01-15T10:22:31Z', -60, -300), '2025-01-15T05:21:31');
  });

  test('refuses a fractional shift and an invalid timestamp', () => {
    refused(() => shiftNaive('2025-01-15T10:22:31', 0.5), /whole seconds/);
    refused(() => shiftNaive('2025-02-30T10:22:31', -300), /not a BQE timestamp/);
  });
});

describe('compareNaive', () => {
  test('orders by time, treating equal seconds as equal whatever the fraction', () => {
    assert.equal(compareNaive('2025-01-15T10:22:31', '2025-01-15T10:22:32'), -1);
    assert.equal(compareNaive('2025-01-16T00:00:00', '2025-01-15T23:59:59'), 1);
    assert.equal(compareNaive('2025-01-15T10:22:31.7', '2025-01-15T10:22:31'), 0);
  });

  test('compares a zoned value with a naive one at the connection offset', () => {
    assert.equal(compareNaive('2025-01-15T15:22:31Z', '2025-01-15T10:22:31', -300), 0);
  });

  test('sorts a list of BQE timestamps', () => {
    const sorted = ['2025-01-02T00:00:00', '2024-12-31T23:59:59', '2025-01-01T12:00:00'].sort((a, b) => compareNaive(a, b));
    assert.deepEqual(sorted, ['2024-12-31T23:59:59', '2025-01-01T12:00:00', '2025-01-02T00:00:00']);
  });
});
