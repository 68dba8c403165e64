import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartupError } from '../../../src/errors.js';
import { loadProvider, providerSchemaValidator, requiredScopes, statusLabel, validateProvider } from '../../../src/plugins/bqe/provider.js';
import * as generated from '../../../src/plugins/bqe/provider-validator.generated.js';
import providerSchema from '../../../src/plugins/bqe/provider.schema.json' with { type: 'json' };

const refusal = (mutate: (m: Record<string, any>) => void): string => {
  const meta = structuredClone(loadProvider()) as unknown as Record<string, any>;
  mutate(meta);
  try {
    validateProvider(meta, 'test/provider.json');
  } catch (err) {
    assert.ok(err instanceof StartupError);
    return err.message;
  }
  assert.fail('the metadata should have been refused');
};

describe('provider metadata', () => {
  test('the shipped provider.json is valid and holds every figure the code reads', () => {
    const meta = loadProvider();
    assert.equal(meta.api.paging.param, 'page');
    assert.ok(meta.api.paging.pageSize > 0);
    assert.ok(meta.rateLimits.perConnection.requestsPerMinute > 0);
    assert.deepEqual(requiredScopes(meta), ['offline_access', 'read:core']);
  });

  test('names the file, the JSON path and the schema rule that is broken', () => {
    const message = refusal((m) => {
      m.api.paging.pageSize = 5000;
    });
    assert.match(message, /^test\/provider\.json does not match provider\.schema\.json: \/api\/paging\/pageSize must be <= 1000 \[rule: #\/properties\/api\/properties\/paging\/properties\/pageSize\/maximum\]/);
  });

  test('refuses an undocumented paging parameter and an unknown key', () => {
    assert.match(refusal((m) => (m.api.paging.param = 'pageSize')), /\/api\/paging\/param must be equal to constant/);
    assert.match(refusal((m) => (m.api.updatedSince = 'x')), /must NOT have additional properties "updatedSince"/);
  });

  test('refuses a scope list without read:core', () => {
    assert.match(refusal((m) => (m.scopes = [{ name: 'openid', purpose: 'Sign-in identity only.' }])), /\/scopes must contain at least 1 valid item/);
  });

  test('refuses a cursor field that is not a datetime field of the object', () => {
    assert.match(refusal((m) => (m.objects.client.cursorField = 'name')), /\/objects\/client\/cursorField names "name", which must be listed in \/objects\/client\/fields as "datetime"/);
  });

  test('refuses a provider-wide cap below the per-connection cap', () => {
    assert.match(refusal((m) => (m.rateLimits.provider.requestsPerMinute = 10)), /\/rateLimits\/provider\/requestsPerMinute must be at least/);
  });

  test('labels known status codes and shows unknown ones as numbers', () => {
    const meta = loadProvider();
    assert.equal(statusLabel(meta.objects.project, 3), 'On hold');
    assert.equal(statusLabel(meta.objects.project, 1), 'status 1');
    assert.equal(statusLabel(meta.objects.client, null), null);
    assert.match(refusal((m) => (m.objects.project.statusLabels = { active: 'Active' })), /\/objects\/project\/statusLabels/);
  });

  test('refuses an inverted UTC offset range', () => {
    assert.match(refusal((m) => (m.api.utcOffsetMinutes = { min: 0, max: 0 })), /min \(0\) must be below max \(0\)/);
  });
});

describe('the provider schema validator', () => {
  test('is the generated one while the schema is unchanged', async () => {
    assert.equal(await providerSchemaValidator(), generated.validate);
  });

  test('checks against an edited schema in process rather than with the stale generated validator', async () => {
    const edited = structuredClone(providerSchema) as { properties: { api: { properties: { paging: { properties: { pageSize: { maximum: number } } } } } } };
    edited.properties.api.properties.paging.properties.pageSize.maximum = 10;
    const validate = await providerSchemaValidator(edited);
    assert.notEqual(validate, generated.validate);
    const meta = structuredClone(loadProvider());
    assert.equal(validate(meta), false);
    assert.match(JSON.stringify(validate.errors), /must be <= 10/);
    assert.equal(generated.validate(meta), true);
  });
});
