import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestHub } from '../helpers/hub.js';

test('an admin signs in and reaches the settings page', async () => {
  const hub = await startTestHub();
  try {
    const agent = await hub.signIn('admin');
    const res = await agent.get('/admin/settings');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /General settings/);
  } finally {
    await hub.close();
  }
});
