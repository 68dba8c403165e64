import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger } from '../../src/platform/logger.js';

const capture = (): { stream: Writable; text: () => string } => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
};

describe('json logs', () => {
  test('write one JSON line per event to the given stream', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    logger.info({ userId: 4 }, 'signed in');
    logger.warn('disk low');
    const lines = out.text().trim().split('\n');
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(first.msg, 'signed in');
    assert.equal(first.userId, 4);
    assert.equal(first.app, 'switchyard');
    assert.equal(first.level, 30);
    assert.equal((JSON.parse(lines[1]!) as { level: number }).level, 40);
  });

  test('drop events below the level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', format: 'json', destination: out.stream });
    logger.info('quiet');
    logger.debug('quieter');
    assert.equal(out.text(), '');
    logger.error('loud');
    assert.match(out.text(), /"msg":"loud"/);
  });

  test('redact passwords, tokens, secrets and auth headers', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    logger.info(
      {
        password: 'hunter2-hunter2',
        token: 'tok-1',
        secret: 'sec-1',
        authorization: 'Bearer abc',
        body: { password: 'nested-pass', token: 'nested-tok' },
        req: { headers: { cookie: 'sid=1', authorization: 'Basic xyz' } },
        email: 'ann@example.com',
      },
      'attempt',
    );
    const text = out.text();
    for (const leaked of ['hunter2', 'tok-1', 'sec-1', 'Bearer abc', 'nested-pass', 'nested-tok', 'sid=1', 'Basic xyz']) {
      assert.ok(!text.includes(leaked), `${leaked} must not be logged`);
    }
    const line = JSON.parse(text) as { password: string; body: { token: string }; req: { headers: { cookie: string } }; email: string };
    assert.equal(line.password, '[redacted]');
    assert.equal(line.body.token, '[redacted]');
    assert.equal(line.req.headers.cookie, '[redacted]');
    assert.equal(line.email, 'ann@example.com');
  });

  test('serialize errors with message and stack', () => {
    const out = capture();
    createLogger({ level: 'info', format: 'json', destination: out.stream }).error({ err: new Error('boom') }, 'failed');
    const line = JSON.parse(out.text()) as { err: { message: string; stack: string; type: string } };
    assert.equal(line.err.message, 'boom');
    assert.equal(line.err.type, 'Error');
    assert.match(line.err.stack, /boom/);
  });

  test('carry child bindings', () => {
    const out = capture();
    createLogger({ level: 'info', format: 'json', destination: out.stream }).child({ plugin: 'crm' }).info('loaded');
    assert.equal((JSON.parse(out.text()) as { plugin: string }).plugin, 'crm');
  });

  test('write to standard output when no stream is given', () => {
    const logger = createLogger({ level: 'silent', format: 'json' });
    assert.equal(logger.level, 'silent');
    logger.info('nothing');
  });
});

describe('pretty logs', () => {
  test('write readable lines without the app, pid and host noise', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.stream });
    logger.info({ userId: 9 }, 'signed in');
    const text = out.text();
    assert.match(text, /INFO/);
    assert.match(text, /signed in/);
    assert.match(text, /userId/);
    assert.ok(!text.trimStart().startsWith('{'), 'not JSON');
    assert.ok(!/switchyard/.test(text), 'the app binding is hidden');
    assert.ok(!text.includes(`${process.pid}`), 'the pid is hidden');
  });

  test('redact secrets too', () => {
    const out = capture();
    createLogger({ level: 'info', format: 'pretty', destination: out.stream }).info({ password: 'hunter2-hunter2' }, 'x');
    assert.ok(!out.text().includes('hunter2'));
    assert.match(out.text(), /\[redacted\]/);
  });
});
