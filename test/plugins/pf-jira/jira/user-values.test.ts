import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emailLookup } from '../../../../src/plugins/pf-jira/jira/user-values.js';

test('emailLookup finds the account whose email matches, ignoring case, and asks Jira once per address', async () => {
  const asked: string[] = [];
  const lookup = emailLookup(async (query) => {
    asked.push(query);
    return [
      { accountId: 'acc-other', emailAddress: 'ada.other@example.com' },
      { accountId: 'acc-ada', emailAddress: 'Ada@Example.com' },
    ];
  });
  assert.equal(await lookup.byEmail('ada@example.com'), 'acc-ada');
  assert.equal(await lookup.byEmail('ADA@example.com'), 'acc-ada');
  assert.equal(await lookup.byEmail('nobody@example.com'), undefined);
  assert.equal(await lookup.byEmail('nobody@example.com'), undefined);
  assert.deepEqual(asked, ['ada@example.com', 'nobody@example.com']);
});
