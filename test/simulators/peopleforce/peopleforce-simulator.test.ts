import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { createPeopleForceSimulator, startPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';
import { startReceiver } from './webhook-receiver.js';

const start = Date.UTC(2026, 0, 14, 10);
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

test('serves the API over HTTP under both versions with the configured key', async () => {
  const running = await startPeopleForceSimulator({ port: 0, apiKey: 'k1', clock: () => start });
  try {
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (const version of ['v2', 'v3']) {
      const res = await fetch(`${running.url}/api/public/${version}/employees/133700`, { headers: { 'X-API-KEY': 'k1' } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { data: { full_name: string } }).data.full_name, 'Taras Shevchuk');
    }
    assert.equal((await fetch(`${running.url}/api/public/v2/employees`)).status, 401);
  } finally {
    await running.close();
  }
});

test('drops the connection when told to, over real HTTP', async () => {
  const running = await startPeopleForceSimulator({ port: 0 });
  try {
    running.sim.faults.add({ kind: 'drop' });
    await assert.rejects(fetch(`${running.url}/api/public/v2/employees`, { headers: { 'X-API-KEY': 'demo-pf-key' } }));
  } finally {
    await running.close();
  }
});

test('sends signed webhooks for a hire starting today: employee_create then employee_start', async () => {
  const receiver = await startReceiver();
  try {
    const sim = createPeopleForceSimulator({ clock: () => start, webhook: { url: receiver.url, secret: 'topsecret' } });
    const hired = sim.hire({ first_name: 'Daria', last_name: 'Boyko', email: 'daria.boyko@example.com', department: 'HR', position: 'Recruiter' });
    await sim.webhooksIdle();
    assert.deepEqual(receiver.received.map((r) => JSON.parse(r.body).action), ['employee_create', 'employee_start']);
    for (const r of receiver.received) assert.equal(r.headers['x-peopleforce-signature'], sign('topsecret', r.body));
    const data = JSON.parse(receiver.received[0]?.body ?? '').data;
    assert.equal(data.id, hired.id);
    assert.deepEqual(data.department, { id: 5094, name: 'HR' });
    assert.deepEqual(sim.deliveries().map((d) => [d.topic, d.outcome, d.status]), [['employee_create', 'delivered', 200], ['employee_start', 'delivered', 200]]);
  } finally {
    await receiver.close();
  }
});

test('returns from a change before its webhook is delivered', async () => {
  const receiver = await startReceiver();
  try {
    const sim = createPeopleForceSimulator({ clock: () => start, webhook: { url: receiver.url } });
    sim.update(133700, { mobile_number: '+380500000000' });
    assert.equal(sim.deliveries()[0]?.outcome, 'pending');
    await sim.webhooksIdle();
    assert.equal(sim.deliveries()[0]?.outcome, 'delivered');
  } finally {
    await receiver.close();
  }
});

test('fires only the subscribed topics for terminations, reverts and leave', async () => {
  const receiver = await startReceiver();
  try {
    const sim = createPeopleForceSimulator({ clock: () => start });
    sim.setWebhook({ url: receiver.url, topics: ['employee_terminate', 'employee_termination_revert', 'leave_request_approve'] });
    sim.terminate(133713, { comment: 'End of contract' });
    sim.revertTermination(133713);
    const leave = sim.addLeaveRequest({ employee_id: 133713, leave_type: 'Day off', starts_on: '2026-01-16', ends_on: '2026-01-16' });
    sim.approveLeave(leave.id);
    await sim.webhooksIdle();
    const envelopes = receiver.received.map((r) => JSON.parse(r.body));
    assert.deepEqual(envelopes.map((e) => e.action), ['employee_terminate', 'employee_termination_revert', 'leave_request_approve']);
    assert.equal(envelopes[0].data.attributes.termination_comment, 'End of contract');
    assert.equal(envelopes[1].data.attributes.termination_effective_date, null);
  } finally {
    await receiver.close();
  }
});

test('sends a raw envelope through sendWebhook, whatever the topic filter', async () => {
  const receiver = await startReceiver();
  try {
    const sim = createPeopleForceSimulator({ webhook: { url: receiver.url, topics: ['employee_create'] } });
    const delivery = await sim.sendWebhook('employee_salary_update', { id: 1, anything: true });
    assert.equal(delivery.outcome, 'delivered');
    assert.deepEqual(JSON.parse(receiver.received[0]?.body ?? ''), { action: 'employee_salary_update', data: { id: 1, anything: true } });
  } finally {
    await receiver.close();
  }
});

test('refuses sendWebhook when no webhook is configured', async () => {
  const sim = createPeopleForceSimulator();
  await assert.rejects(sim.sendWebhook('employee_create', {}), /No webhook is configured/);
});

test('starts an empty company when seeding is off', () => {
  const sim = createPeopleForceSimulator({ seed: false });
  assert.equal(sim.snapshot().employees.length, 0);
  assert.equal(sim.hire({ first_name: 'First', last_name: 'Person', email: 'first@example.com' }).id, 133700);
});

test('counts API requests, refusals and rate-limited calls in the snapshot', async () => {
  const clock = new ManualClock(start);
  const sim = createPeopleForceSimulator({ clock: () => clock.now(), rateLimitPerMinute: 1 });
  const key = { headers: { 'X-API-KEY': 'demo-pf-key' } };
  await sim.app.request('/api/public/v2/employees', key);
  await sim.app.request('/api/public/v2/employees', key);
  await sim.app.request('/api/public/v2/employees');
  assert.deepEqual(sim.snapshot().counters, { apiRequests: 3, unauthorized: 1, rateLimited: 1, webhooksDelivered: 0, webhooksFailed: 0, faultsInjected: 0 });
});
