import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/platform/clock.js';
import { createPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';

const KEY = 'test-key';
const start = Date.UTC(2026, 0, 14, 10);

const setup = (options: { rateLimitPerMinute?: number } = {}) => {
  const clock = new ManualClock(start);
  const sim = createPeopleForceSimulator({ apiKey: KEY, clock: () => clock.now(), ...options });
  const get = async (path: string, key: string | null = KEY) => {
    const res = await sim.app.request(path, { headers: key === null ? {} : { 'X-API-KEY': key } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  return { sim, clock, get };
};

test('refuses a request without the API key with 401 and the Bad Credentials body', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/employees', null);
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, { message: 'Bad Credentials' });
});

test('refuses a wrong API key the same way', async () => {
  const { get } = setup();
  const res = await get('/api/public/v3/employees/133700', 'not-the-key');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, { message: 'Bad Credentials' });
});

test('serves the same employee list under v2 and v3', async () => {
  const { get } = setup();
  const v2 = await get('/api/public/v2/employees');
  const v3 = await get('/api/public/v3/employees');
  assert.equal(v2.status, 200);
  assert.deepEqual(v2.body, v3.body);
});

test('pages the list 50 at a time by default with page, pages, count and items', async () => {
  const { sim, get } = setup();
  for (let i = 0; i < 30; i++) sim.hire({ first_name: 'New', last_name: `Hire${i}`, email: `new${i}@example.com` });
  const first = await get('/api/public/v2/employees');
  assert.equal(first.body.data.length, 50);
  assert.deepEqual(first.body.metadata, { pagination: { page: 1, pages: 2, count: 55, items: 50 } });
  const second = await get('/api/public/v2/employees?page=2');
  assert.equal(second.body.data.length, 5);
  assert.equal(second.body.metadata.pagination.page, 2);
});

test('orders employees by id across pages', async () => {
  const { get } = setup();
  const ids: number[] = [];
  for (let page = 1; page <= 3; page++) ids.push(...(await get(`/api/public/v2/employees?per_page=10&page=${page}`)).body.data.map((e: { id: number }) => e.id));
  assert.equal(ids.length, 25);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
  assert.equal(ids[0], 133700);
});

test('clamps a per_page above 100 to 100 instead of refusing it', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/employees?per_page=500');
  assert.equal(res.status, 200);
  assert.equal(res.body.metadata.pagination.items, 100);
});

test('answers an empty page past the end with the real totals', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/employees?page=9');
  assert.deepEqual(res.body.data, []);
  assert.deepEqual(res.body.metadata.pagination, { page: 9, pages: 1, count: 25, items: 50 });
});

test('refuses a page of 0, a negative page or a non-number with 422 and a message', async () => {
  const { get } = setup();
  for (const page of ['0', '-1', 'two', '1.5']) {
    const res = await get(`/api/public/v2/employees?page=${page}`);
    assert.equal(res.status, 422, page);
    assert.match(res.body.message, /page/);
    assert.ok(res.body.errors.page);
  }
});

test('filters employees by status', async () => {
  const { get } = setup();
  const statuses = async (status: string) => (await get(`/api/public/v2/employees?status=${status}`)).body.data.map((e: { status: string }) => e.status);
  assert.deepEqual(await statuses('dismissed'), ['dismissed']);
  assert.deepEqual(await statuses('pending_hire'), ['pending_hire']);
  assert.deepEqual(await statuses('probation'), ['probation']);
  assert.equal((await statuses('employed')).length, 22);
  assert.deepEqual(await statuses('not_hired'), []);
});

test('refuses an unknown status filter with 422', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/employees?status=active');
  assert.equal(res.status, 422);
  assert.match(res.body.message, /employed, probation/);
});

test('returns one employee wrapped in data, in the contract shape', async () => {
  const { get } = setup();
  const res = await get('/api/public/v3/employees/133701');
  assert.equal(res.status, 200);
  const e = res.body.data;
  assert.deepEqual(Object.keys(e).sort(), [
    'active', 'avatar_url', 'created_at', 'custom_fields', 'date_of_birth', 'department', 'division', 'email', 'employee_number',
    'employment_type', 'first_name', 'full_name', 'gender', 'hired_on', 'id', 'last_name', 'location', 'middle_name', 'mobile_number',
    'personal_email', 'position', 'probation_ends_on', 'reporting_to', 'status', 'termination_comment', 'termination_effective_date',
    'updated_at', 'work_phone_number',
  ]);
  assert.equal(e.full_name, 'Olena Koval');
  assert.deepEqual(e.department, { id: 5090, name: 'Engineering' });
  assert.deepEqual(e.location, { id: 28690, name: 'Kyiv', holiday_policy_id: null });
  assert.deepEqual(e.reporting_to, { id: 133700, first_name: 'Taras', last_name: 'Shevchuk', full_name: 'Taras Shevchuk', email: 'taras.shevchuk@example.com' });
  assert.deepEqual(Object.keys(e.custom_fields[0]), ['uuid', 'name', 'value', 'group']);
  assert.match(e.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('answers 404 Not Found for an unknown or non-integer employee id', async () => {
  const { get } = setup();
  for (const id of ['999999', 'abc', '133700.5']) {
    const res = await get(`/api/public/v2/employees/${id}`);
    assert.equal(res.status, 404, id);
    assert.deepEqual(res.body, { message: 'Not Found' });
  }
});

test('answers 404 Not Found for a path the API does not have', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/payroll');
  assert.equal(res.status, 404);
  assert.deepEqual(res.body, { message: 'Not Found' });
});

test('shows a change with a later updated_at', async () => {
  const { sim, clock, get } = setup();
  const before = (await get('/api/public/v2/employees/133702')).body.data.updated_at;
  clock.advance(60_000);
  sim.update(133702, { position: 'Staff Engineer' });
  const after = (await get('/api/public/v2/employees/133702')).body.data;
  assert.equal(after.updated_at, new Date(start + 60_000).toISOString());
  assert.ok(after.updated_at > before);
  assert.equal(after.position.name, 'Staff Engineer');
});

test('lists leave requests filtered by employee and state', async () => {
  const { get } = setup();
  const all = await get('/api/public/v2/leave_requests');
  assert.equal(all.body.metadata.pagination.count, 6);
  const pending = await get('/api/public/v2/leave_requests?state=pending');
  assert.ok(pending.body.data.length > 0);
  assert.ok(pending.body.data.every((l: { state: string }) => l.state === 'pending'));
  const mine = await get('/api/public/v3/leave_requests?employee_id=133702');
  assert.deepEqual(mine.body.data.map((l: { employee_id: number }) => l.employee_id), [133702]);
  const item = mine.body.data[0];
  assert.equal(item.leave_type, 'Vacation');
  assert.equal(typeof item.amount, 'string');
  assert.deepEqual(Object.keys(item.entries[0]), ['date', 'amount']);
});

test('filters leave requests by leave type id', async () => {
  const { get } = setup();
  const res = await get('/api/public/v2/leave_requests?leave_type_id=4104');
  assert.deepEqual(res.body.data.map((l: { leave_type: string }) => l.leave_type), ['Doctor appointment']);
});

test('refuses an unknown leave state or a non-numeric employee_id with 422', async () => {
  const { get } = setup();
  assert.equal((await get('/api/public/v2/leave_requests?state=withdrawn')).status, 422);
  assert.equal((await get('/api/public/v2/leave_requests?employee_id=me')).status, 422);
});

test('lists the leave types with their units', async () => {
  const { get } = setup();
  const res = await get('/api/public/v3/leave_types');
  assert.deepEqual(res.body.data[0], { id: 4101, name: 'Vacation', unit: 'days' });
  assert.equal(res.body.metadata.pagination.count, 4);
});

test('answers 429 with Retry-After once the per-minute limit is spent, and serves again in the next minute', async () => {
  const { get, clock } = setup({ rateLimitPerMinute: 2 });
  assert.equal((await get('/api/public/v2/employees')).status, 200);
  clock.advance(15_000);
  assert.equal((await get('/api/public/v2/employees')).status, 200);
  const limited = await get('/api/public/v2/employees');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('Retry-After'), '45');
  clock.advance(45_000);
  assert.equal((await get('/api/public/v2/employees')).status, 200);
});

test('applies an injected fault to the API and then recovers', async () => {
  const { sim, get } = setup();
  sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 7, match: 'GET /api/public/v2/employees' });
  const failed = await get('/api/public/v2/employees');
  assert.equal(failed.status, 503);
  assert.equal(failed.headers.get('Retry-After'), '7');
  assert.equal((await get('/api/public/v2/employees')).status, 200);
});
