import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBqeClientsClient, type BQEClientsClient } from '../../../../src/plugins/bqe/api/clients-client.js';
import { startFixture, type BqeFixture } from '../oauth/connection-fixture.js';

let fx: BqeFixture;
let clients: BQEClientsClient;

before(async () => {
  fx = await startFixture();
  await fx.connect();
  clients = createBqeClientsClient(fx.api.forConnection({ id: fx.connectionId, utcOffsetMinutes: 120 }), fx.meta);
});
after(() => fx.close());

test('lists clients page by page with text ids', async () => {
  const first = await clients.listPage({ page: 1, pageSize: 10 });
  const second = await clients.listPage({ page: 2, pageSize: 10 });
  assert.equal(first.length + second.length, fx.sim.sim.data.clients.size);
  assert.equal(new Set([...first, ...second].map((c) => c.id)).size, fx.sim.sim.data.clients.size);
});

test('filters through its own builder, with names quoted safely', async () => {
  const [one] = await clients.listPage({ page: 1, pageSize: 1 });
  const found = await clients.listPage({ page: 1, where: clients.where.eq('name', one?.name as string) });
  assert.deepEqual(found.map((c) => c.id), [one?.id]);
  assert.deepEqual(await clients.listPage({ page: 1, where: clients.where.eq('name', "O'Brien & Sons") }), []);
  assert.throws(() => clients.where.eq('updatedSince' as never, 'x' as never), /not a field of this object/);
});

test('reads one client by id', async () => {
  const [one] = await clients.listPage({ page: 1, pageSize: 1, orderByCursor: true });
  assert.equal((await clients.get(one?.id as string)).id, one?.id);
});
