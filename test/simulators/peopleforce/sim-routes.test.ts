import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { createPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';

const setup = () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 14, 10));
  const sim = createPeopleForceSimulator({ clock: () => clock.now() });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await sim.app.request(`/__sim${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { sim, clock, call };
};

test('shows the whole state without an API key', async () => {
  const { call } = setup();
  const res = await call('GET', '/state');
  assert.equal(res.status, 200);
  assert.equal(res.body.today, '2026-01-14');
  assert.equal(res.body.employees.length, 25);
  assert.equal(res.body.leaveRequests.length, 6);
  assert.equal(res.body.webhook, null);
  assert.ok(res.body.webhookTopics.includes('employee_termination_revert'));
  assert.deepEqual(res.body.deliveries, []);
  assert.deepEqual(res.body.counters, { apiRequests: 0, unauthorized: 0, rateLimited: 0, webhooksDelivered: 0, webhooksFailed: 0, faultsInjected: 0 });
});

test('hires through POST /employees with department, position and employment type by name', async () => {
  const { sim, call } = setup();
  const res = await call('POST', '/employees', { first_name: 'Olha', last_name: 'Marchenko', email: 'olha@example.com', department: 'Sales', position: 'Account Executive', employment_type: 'Contractor', hired_on: '2026-01-19' });
  assert.equal(res.status, 201);
  assert.equal(res.body.data.employment_type.name, 'Contractor');
  assert.equal(res.body.data.status, 'pending_hire');
  assert.equal(sim.employee(res.body.data.id)?.email, 'olha@example.com');
});

test('refuses a hire without the required fields with 400 naming each', async () => {
  const { call } = setup();
  const res = await call('POST', '/employees', { first_name: 'Olha' });
  assert.equal(res.status, 400);
  assert.match(res.body.message, /last_name/);
  assert.match(res.body.message, /email/);
  assert.deepEqual(Object.keys(res.body.errors).sort(), ['email', 'last_name']);
});

test('refuses a body that is not JSON with 400', async () => {
  const { call } = setup();
  const res = await call('POST', '/employees', '{not json');
  assert.equal(res.status, 400);
  assert.deepEqual(res.body, { message: 'The request body must be JSON' });
});

test('changes an employee through PATCH and bumps updated_at', async () => {
  const { clock, call } = setup();
  clock.advance(90_000);
  const res = await call('PATCH', '/employees/133705', { location: 'Remote', division: 'Global' });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.location.name, 'Remote');
  assert.equal(res.body.data.updated_at, '2026-01-14T10:01:30.000Z');
});

test('answers 404 for an unknown or non-integer employee id', async () => {
  const { call } = setup();
  assert.equal((await call('PATCH', '/employees/1', { first_name: 'X' })).status, 404);
  assert.equal((await call('POST', '/employees/abc/terminate')).status, 404);
});

test('terminates with a date and comment, then reverts', async () => {
  const { call } = setup();
  const terminated = await call('POST', '/employees/133712/terminate', { on: '2026-01-14', comment: 'Resigned' });
  assert.equal(terminated.status, 200);
  assert.equal(terminated.body.data.status, 'dismissed');
  assert.equal((await call('POST', '/employees/133712/terminate')).status, 409);
  const reverted = await call('POST', '/employees/133712/revert-termination');
  assert.equal(reverted.body.data.status, 'employed');
  assert.equal(reverted.body.data.termination_effective_date, null);
});

test('refuses a termination date that is not a real day with 400', async () => {
  const { call } = setup();
  const res = await call('POST', '/employees/133712/terminate', { on: '2026-02-30' });
  assert.equal(res.status, 400);
  assert.ok(res.body.errors.on);
});

test('files and approves a leave request', async () => {
  const { call } = setup();
  const filed = await call('POST', '/leave-requests', { employee_id: 133703, leave_type: 'Vacation', starts_on: '2026-02-02', ends_on: '2026-02-06' });
  assert.equal(filed.status, 201);
  assert.equal(filed.body.data.amount, '5.0');
  const approved = await call('POST', `/leave-requests/${filed.body.data.id}/approve`);
  assert.equal(approved.body.data.state, 'approved');
  assert.equal((await call('POST', '/leave-requests/1/approve')).status, 404);
});

test('sets and clears the webhook, never showing the secret', async () => {
  const { call } = setup();
  const set = await call('PUT', '/webhook', { url: 'http://127.0.0.1:9/hook', secret: 'hush', topics: ['employee_create'] });
  assert.deepEqual(set.body, { webhook: { url: 'http://127.0.0.1:9/hook', topics: ['employee_create'], hasSecret: true } });
  assert.doesNotMatch(JSON.stringify((await call('GET', '/state')).body), /hush/);
  assert.equal((await call('DELETE', '/webhook')).status, 204);
  assert.equal((await call('GET', '/state')).body.webhook, null);
});

test('refuses a webhook URL that is not http(s) and a malformed topic', async () => {
  const { call } = setup();
  assert.equal((await call('PUT', '/webhook', { url: 'ftp://example.com' })).status, 400);
  const res = await call('PUT', '/webhook', { url: 'http://example.com', topics: ['employee.created'] });
  assert.equal(res.status, 400);
  assert.match(res.body.message, /topics\.0/);
});

test('sets the rate limit through /config and refuses a negative one', async () => {
  const { sim, call } = setup();
  assert.deepEqual((await call('POST', '/config', { rateLimitPerMinute: 1 })).body, { config: { rateLimitPerMinute: 1 } });
  const key = { headers: { 'X-API-KEY': 'demo-pf-key' } };
  assert.equal((await sim.app.request('/api/public/v2/leave_types', key)).status, 200);
  assert.equal((await sim.app.request('/api/public/v2/leave_types', key)).status, 429);
  assert.equal((await call('POST', '/config', { rateLimitPerMinute: -1 })).status, 400);
});

test('runs the nightly announcements on demand', async () => {
  const { clock, call } = setup();
  clock.advance(7 * 86_400_000);
  assert.deepEqual((await call('POST', '/nightly')).body, { fired: [{ topic: 'employee_start', employeeId: 133722 }] });
});

test('injects a fault through /__sim/faults that the next API call gets', async () => {
  const { sim, call } = setup();
  assert.equal((await call('POST', '/faults', { kind: 'html', status: 502 })).status, 201);
  const res = await sim.app.request('/api/public/v2/employees', { headers: { 'X-API-KEY': 'demo-pf-key' } });
  assert.equal(res.status, 502);
  assert.match(res.headers.get('Content-Type') ?? '', /text\/html/);
  assert.equal((await call('GET', '/state')).body.counters.faultsInjected, 1);
});

test('resets to the seeded company, dropping changes, counters and faults but keeping the webhook', async () => {
  const { sim, call } = setup();
  await call('PUT', '/webhook', { url: 'http://127.0.0.1:9/hook' });
  await call('POST', '/employees', { first_name: 'A', last_name: 'B', email: 'a.b@example.com' });
  await call('POST', '/faults', { kind: 'status', status: 500, count: 5 });
  await sim.app.request('/api/public/v2/employees');
  const reset = await call('POST', '/reset');
  assert.deepEqual(reset.body, { employees: 25, leaveRequests: 6 });
  const state = (await call('GET', '/state')).body;
  assert.equal(state.counters.apiRequests, 0);
  assert.deepEqual(state.faults, []);
  assert.deepEqual(state.deliveries, []);
  assert.equal(state.webhook.url, 'http://127.0.0.1:9/hook');
  assert.equal(sim.employee(133725), undefined);
});
