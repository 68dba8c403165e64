import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../../src/errors.js';
import { parseConnectionInput, parseSyncPolicy, parseUtcOffset } from '../../../../src/plugins/bqe/connections/connection-input.js';
import { loadProvider } from '../../../../src/plugins/bqe/provider.js';

const meta = loadProvider();
const fieldErrors = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 422);
    return err.fieldErrors ?? {};
  }
  assert.fail('the input should have been refused');
};

describe('parseConnectionInput', () => {
  test('takes the identity URL of a named environment from provider.json', () => {
    const input = parseConnectionInput({ name: ' Main ', environment: 'sandbox', clientId: 'abc.apps.bqe.com', clientSecret: 's3cret', utcOffsetMinutes: '-300' }, meta, { secretRequired: true });
    assert.deepEqual(input, { name: 'Main', environment: 'sandbox', identityUrl: 'https://sandbox-api-identity.bqecore.com/idp', clientId: 'abc.apps.bqe.com', clientSecret: 's3cret', utcOffsetMinutes: -300 });
  });

  test('needs a typed identity URL for a custom environment, without its trailing slash', () => {
    const input = parseConnectionInput({ name: 'Sim', environment: 'custom', identityUrl: 'http://127.0.0.1:4030/idp/', clientId: 'x', clientSecret: 'y' }, meta, { secretRequired: true });
    assert.equal(input.identityUrl, 'http://127.0.0.1:4030/idp');
    assert.equal(input.utcOffsetMinutes, null);
    assert.match(fieldErrors(() => parseConnectionInput({ name: 'Sim', environment: 'custom', clientId: 'x', clientSecret: 'y' }, meta, { secretRequired: true })).identityUrl!, /Enter the identity server URL/);
    assert.match(fieldErrors(() => parseConnectionInput({ name: 'Sim', environment: 'custom', identityUrl: 'ftp://x', clientId: 'x', clientSecret: 'y' }, meta, { secretRequired: true })).identityUrl!, /absolute http\(s\) URL/);
  });

  test('reports every problem at once', () => {
    const errors = fieldErrors(() => parseConnectionInput({ name: '', environment: 'staging', clientId: 'has space', utcOffsetMinutes: '900' }, meta, { secretRequired: true }));
    assert.deepEqual(Object.keys(errors).sort(), ['clientId', 'environment', 'name', 'utcOffsetMinutes']);
    assert.match(errors.utcOffsetMinutes!, /from -720 to 840/);
  });

  test('asks for the secret on create but keeps the stored one when an edit leaves it blank', () => {
    const raw = { name: 'A', environment: 'production', clientId: 'x', clientSecret: '' };
    assert.match(fieldErrors(() => parseConnectionInput(raw, meta, { secretRequired: true })).clientSecret!, /Enter the client secret/);
    assert.equal(parseConnectionInput(raw, meta, { secretRequired: false }).clientSecret, null);
  });
});

describe('parseUtcOffset', () => {
  test('accepts whole minutes inside the range, west negative and east positive', () => {
    assert.equal(parseUtcOffset({ utcOffsetMinutes: '-480' }, meta), -480);
    assert.equal(parseUtcOffset({ utcOffsetMinutes: 60 }, meta), 60);
    assert.equal(parseUtcOffset({ utcOffsetMinutes: '840' }, meta), 840);
  });

  test('refuses an offset outside the range, a fraction or text, with the examples', () => {
    for (const bad of ['-721', '841', '60.5', 'PST', '', undefined]) {
      assert.match(fieldErrors(() => parseUtcOffset({ utcOffsetMinutes: bad }, meta)).utcOffsetMinutes!, /EST is -300, PST is -480/, String(bad));
    }
  });
});

describe('parseSyncPolicy', () => {
  test('reads checkboxes, an empty level as every level, and the policies', () => {
    assert.deepEqual(parseSyncPolicy({ syncEnabled: 'on', maxProjectLevel: '', clientSync: 'referenced', deletionPolicy: 'report_only' }, meta), {
      syncEnabled: true,
      parentOnly: false,
      maxProjectLevel: null,
      clientSync: 'referenced',
      deletionPolicy: 'report_only',
    });
  });

  test('refuses a level deeper than provider.json allows and unknown policies', () => {
    const errors = fieldErrors(() => parseSyncPolicy({ maxProjectLevel: '9', clientSync: 'some', deletionPolicy: 'purge' }, meta));
    assert.match(errors.maxProjectLevel!, /from 0 \(top-level projects only\) to 3/);
    assert.ok(errors.clientSync && errors.deletionPolicy);
  });
});
