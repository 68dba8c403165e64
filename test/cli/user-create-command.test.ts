import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { readPassword } from '../../src/cli/user-create-command.js';

/** A stream pair standing in for stdin/stderr; `tty` makes them look like a terminal. */
const streams = (tty: boolean) => {
  const input = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.ReadStream & PassThrough;
  const output = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.WriteStream & PassThrough;
  let written = '';
  output.on('data', (d: Buffer) => (written += d.toString()));
  return { input, output, written: () => written };
};

describe('readPassword', () => {
  test('reads one line from piped input without prompting', async () => {
    const s = streams(false);
    const read = readPassword(s.input, s.output);
    s.input.end('piped-password-1\nsecond line\n');
    assert.equal(await read, 'piped-password-1');
    assert.equal(s.written(), '');
  });

  test('returns an empty password when the input closes without a line', async () => {
    const s = streams(false);
    const read = readPassword(s.input, s.output);
    s.input.end();
    assert.equal(await read, '');
  });

  test('prompts on a terminal and does not echo what is typed', async () => {
    const s = streams(true);
    const read = readPassword(s.input, s.output);
    s.input.write('typed-secret-99\r');
    assert.equal(await read, 'typed-secret-99');
    assert.ok(s.written().startsWith('Password: '), JSON.stringify(s.written()));
    assert.ok(s.written().endsWith('\n'));
    assert.ok(!s.written().includes('typed-secret'), 'the password is not echoed');
  });
});
