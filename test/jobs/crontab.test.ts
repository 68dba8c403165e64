import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextTick, parseCrontab, parseDuration, ticksBetween } from '../../src/jobs/crontab.js';
import { StartupError } from '../../src/errors.js';

const H = 3_600_000;

const badLine = (lineNo: number, text: string, reason: RegExp) => (err: unknown): boolean => {
  assert.ok(err instanceof StartupError, `expected a StartupError, got ${String(err)}`);
  assert.ok(err.message.includes(`line ${lineNo}`), `names line ${lineNo}: ${err.message}`);
  assert.ok(err.message.includes(text), `quotes the line text: ${err.message}`);
  assert.match(err.message, reason);
  return true;
};

describe('parseCrontab', () => {
  test('reads five time fields and a task, with the task as identifier and no fill', () => {
    assert.deepEqual(parseCrontab('*/5 * * * * my-plugin.sync'), [
      { identifier: 'my-plugin.sync', expression: '*/5 * * * *', task: 'my-plugin.sync', payload: {}, fillMs: 0 },
    ]);
  });

  test('reads every option and a JSON payload', () => {
    const [item] = parseCrontab('0 4 * * 1 reports.weekly ?id=weekly-report&fill=1d2h&max=3&queue=reports&priority=-2&jobKey=weekly&jobKeyMode=preserve_run_at {"format":"pdf","to":["a@example.com"]}');
    assert.deepEqual(item, {
      identifier: 'weekly-report',
      expression: '0 4 * * 1',
      task: 'reports.weekly',
      payload: { format: 'pdf', to: ['a@example.com'] },
      fillMs: 26 * H,
      maxAttempts: 3,
      queueName: 'reports',
      priority: -2,
      jobKey: 'weekly',
      jobKeyMode: 'preserve_run_at',
    });
  });

  test('reads a payload without options', () => {
    assert.deepEqual(parseCrontab('0 0 * * * t {"a":1}')[0]!.payload, { a: 1 });
  });

  test('keeps the spacing inside payload strings exactly as written', () => {
    const [item] = parseCrontab('0 0 * * * t ?max=2 {"message": "two  spaces,   three"}');
    assert.deepEqual(item!.payload, { message: 'two  spaces,   three' });
  });

  test('collapses runs of spaces and tabs between fields', () => {
    const [item] = parseCrontab('  0\t12  *  * *   daily.job   ');
    assert.equal(item!.expression, '0 12 * * *');
    assert.equal(item!.task, 'daily.job');
  });

  test('skips blank lines and comments, and keeps counting lines through them', () => {
    const text = '# nightly\n\n0 1 * * * a\n   # indented comment\n0 2 * * * b\n0 2 * * *';
    assert.throws(() => parseCrontab(text), badLine(6, '0 2 * * *', /five time fields and a task/));
    assert.deepEqual(parseCrontab(text.split('\n').slice(0, 5).join('\n')).map((i) => i.task), ['a', 'b']);
  });

  test('names the source in errors', () => {
    assert.throws(() => parseCrontab('bad', 'plugin crm crontab'), (err: unknown) => err instanceof StartupError && err.message.startsWith('plugin crm crontab line 1'));
  });

  test('refuses a line with four time fields', () => {
    assert.throws(() => parseCrontab('0 * * * my.task'), badLine(1, '0 * * * my.task', /expected five time fields and a task identifier/));
  });

  test('refuses a time field out of range', () => {
    assert.throws(() => parseCrontab('\n61 * * * * my.task'), badLine(2, '61 * * * * my.task', /bad time fields "61 \* \* \* \*"/));
    assert.throws(() => parseCrontab('0 25 * * * t'), badLine(1, '0 25 * * * t', /bad time fields/));
  });

  test('refuses a sixth time field (it would be read as the task)', () => {
    assert.throws(() => parseCrontab('0 0 * * * * t'), badLine(1, '0 0 * * * * t', /bad task identifier "\*"/));
  });

  test('refuses an unknown option and lists the known ones', () => {
    assert.throws(() => parseCrontab('0 * * * * t ?every=2'), badLine(1, '?every=2', /unknown option "every" \(known: id, fill, max, queue, priority, jobKey, jobKeyMode\)/));
  });

  test('refuses bad option values', () => {
    assert.throws(() => parseCrontab('0 * * * * t ?max=0'), badLine(1, '?max=0', /max must be a whole number from 1 to 1000/));
    assert.throws(() => parseCrontab('0 * * * * t ?max=two'), badLine(1, '?max=two', /max must be a whole number from 1 to 1000/));
    assert.throws(() => parseCrontab('0 * * * * t ?priority=1.5'), badLine(1, '?priority=1.5', /priority must be a whole number/));
    assert.throws(() => parseCrontab('0 * * * * t ?jobKeyMode=merge'), badLine(1, '?jobKeyMode=merge', /jobKeyMode must be one of replace, preserve_run_at, unsafe_dedupe/));
    assert.throws(() => parseCrontab('0 * * * * t ?fill=soon'), badLine(1, '?fill=soon', /"soon" is not a duration/));
    assert.throws(() => parseCrontab('0 * * * * t ?id=a/b'), badLine(1, '?id=a/b', /bad id "a\/b"/));
  });

  test('refuses a priority or max the queue would refuse at the first tick', () => {
    assert.throws(() => parseCrontab('0 * * * * t ?priority=40000'), badLine(1, '?priority=40000', /priority must be a whole number from -32767 to 32767/));
    assert.throws(() => parseCrontab('0 * * * * t ?max=5000'), badLine(1, '?max=5000', /max must be a whole number from 1 to 1000/));
  });

  test('refuses a payload that is not valid JSON, or not an object', () => {
    assert.throws(() => parseCrontab('0 * * * * t {"a":'), badLine(1, '{"a":', /payload is not valid JSON/));
    assert.throws(() => parseCrontab('0 * * * * t [1,2]'), badLine(1, '[1,2]', /payload must be a JSON object/));
  });

  test('refuses a bad task identifier', () => {
    assert.throws(() => parseCrontab('0 * * * * my/task'), badLine(1, 'my/task', /bad task identifier "my\/task"/));
  });

  test('refuses the same identifier twice, naming the second line and its text', () => {
    const text = '0 * * * * sync\n30 * * * * sync';
    assert.throws(() => parseCrontab(text), badLine(2, '30 * * * * sync', /identifier "sync" is used twice; add \?id=/));
  });

  test('allows one task twice under different ids', () => {
    const items = parseCrontab('0 * * * * sync\n30 * * * * sync ?id=sync-half-past');
    assert.deepEqual(items.map((i) => [i.identifier, i.task]), [['sync', 'sync'], ['sync-half-past', 'sync']]);
  });
});

describe('parseDuration', () => {
  test('reads single units', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('30m'), 30 * 60_000);
    assert.equal(parseDuration('4h'), 4 * H);
    assert.equal(parseDuration('1d'), 24 * H);
    assert.equal(parseDuration('1w'), 7 * 24 * H);
  });

  test('adds up a sequence such as 1d2h or 1w2d3h4m5s', () => {
    assert.equal(parseDuration('1d2h'), 26 * H);
    assert.equal(parseDuration('1w2d3h4m5s'), (7 + 2) * 24 * H + 3 * H + 4 * 60_000 + 5000);
  });

  test('refuses text that is not a duration', () => {
    assert.throws(() => parseDuration('2h30'), /"2h30" is not a duration/);
    assert.throws(() => parseDuration('h'), /not a duration/);
    assert.throws(() => parseDuration('1y'), /not a duration/);
    assert.throws(() => parseDuration('-1h'), /not a duration/);
  });

  test('refuses a zero duration', () => {
    assert.throws(() => parseDuration('0h'), /"0h" is not a positive duration/);
  });
});

describe('ticks', () => {
  const at = (iso: string) => Date.parse(iso);

  test('lists the ticks after the start and up to and including the end, in UTC', () => {
    assert.deepEqual(ticksBetween('0 * * * *', at('2026-01-01T10:00:00Z'), at('2026-01-01T13:00:00Z')), [
      at('2026-01-01T11:00:00Z'),
      at('2026-01-01T12:00:00Z'),
      at('2026-01-01T13:00:00Z'),
    ]);
  });

  test('lists no ticks when none falls in the range', () => {
    assert.deepEqual(ticksBetween('0 3 * * *', at('2026-01-01T04:00:00Z'), at('2026-01-01T05:00:00Z')), []);
  });

  test('matches either day field when both are set, as classic cron does', () => {
    // The 13th, or any Friday: Friday 2 January 2026 and Tuesday 13 January both match.
    const ticks = ticksBetween('0 0 13 * 5', at('2026-01-01T00:00:00Z'), at('2026-01-14T00:00:00Z')).map((t) => new Date(t).toISOString().slice(0, 10));
    assert.deepEqual(ticks, ['2026-01-02', '2026-01-09', '2026-01-13']);
  });

  test('gives the next tick strictly after a time', () => {
    assert.equal(nextTick('*/15 * * * *', at('2026-01-01T10:15:00Z')), at('2026-01-01T10:30:00Z'));
    assert.equal(nextTick('*/15 * * * *', at('2026-01-01T10:16:00Z')), at('2026-01-01T10:30:00Z'));
  });
});
