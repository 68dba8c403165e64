import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createEntityRepository } from '../../../../src/plugins/pf-jira/db/entity-repository.js';
import { createStateRepository } from '../../../../src/plugins/pf-jira/db/state-repository.js';
import { createPeopleForceClient } from '../../../../src/plugins/pf-jira/peopleforce/peopleforce-client.js';
import type { PollerProgress } from '../../../../src/plugins/pf-jira/peopleforce/poll-progress.js';
import { createPoller, POLL_STATE, type PollSummary } from '../../../../src/plugins/pf-jira/peopleforce/poller.js';
import { intakeFixture, silentLogger } from '../events/intake-fixture.js';

type Rec = Record<string, unknown> & { id: number };

const employee = (id: number, overrides: Record<string, unknown> = {}): Rec => ({
  id,
  first_name: `First${id}`,
  last_name: 'Person',
  email: `p${id}@example.com`,
  hired_on: '2024-01-15',
  termination_effective_date: null,
  department: { id: 1, name: 'IT' },
  updated_at: '2026-01-01T00:00:00Z',
  ...overrides,
});

const leave = (id: number, overrides: Record<string, unknown> = {}): Rec => ({
  id,
  employee_id: 1,
  leave_type: 'Vacation',
  state: 'pending',
  amount: '1.0',
  starts_on: '2026-04-01',
  ends_on: '2026-04-01',
  updated_at: '2026-02-01T00:00:00Z',
  ...overrides,
});

describe('PeopleForce poller', () => {
  let f: ReturnType<typeof intakeFixture>;
  let pf: { employees: Rec[]; leaves: Rec[]; status: number; onPage: (page: number) => void };
  let settings: { pollLeaveRequests: boolean };
  let poller: ReturnType<typeof createPoller>;
  let state: ReturnType<typeof createStateRepository>;
  let entities: ReturnType<typeof createEntityRepository>;

  /** PeopleForce in memory, behind the real client: pages of `per_page` records in the documented envelope. */
  const fakeFetch: typeof fetch = async (input) => {
    const url = new URL(String(input));
    const list = url.pathname.endsWith('/employees') ? pf.employees : pf.leaves;
    const page = Number(url.searchParams.get('page'));
    const perPage = Number(url.searchParams.get('per_page'));
    pf.onPage(page);
    const body = { data: list.slice((page - 1) * perPage, page * perPage), metadata: { pagination: { page, pages: Math.ceil(list.length / perPage), count: list.length, items: perPage } } };
    return new Response(JSON.stringify(pf.status === 200 ? body : { message: 'Server error' }), { status: pf.status, headers: { 'content-type': 'application/json' } });
  };

  const run = (signal = new AbortController().signal): Promise<PollSummary> => poller.poll({ signal, log: silentLogger });
  const events = () => f.events.list({ limit: 1000 }).reverse();
  const types = () => events().map((e) => `${e.type} ${e.entityId}`);

  beforeEach(() => {
    f = intakeFixture();
    pf = { employees: [employee(1), employee(2), employee(3)], leaves: [], status: 200, onPage: () => {} };
    settings = { pollLeaveRequests: false };
    state = createStateRepository(f.db);
    entities = createEntityRepository(f.db);
    poller = createPoller({
      client: () => createPeopleForceClient({ baseUrl: 'https://pf.example', apiVersion: 'v3', apiKey: 'k', timeoutMs: 1000, maxInlineWaitMs: 0, maxRetries: 0, logger: silentLogger, fetch: fakeFetch }),
      entities,
      intake: f.intake,
      settings: () => settings,
      clock: f.clock,
      state,
    });
  });
  afterEach(() => f.close());

  test('the first pass records a baseline and emits no event for existing employees', async () => {
    const summary = await run();
    assert.deepEqual(events(), []);
    assert.deepEqual(f.jobs(), []);
    assert.equal(summary.seen, 3);
    assert.equal(summary.baselined, 3);
    assert.equal(summary.complete, true);
    assert.deepEqual(state.get(POLL_STATE.baselineAt), { employee: f.clock.now() });
    assert.equal(entities.get('employee:2')?.terminated, false);
  });

  test('after the baseline, a new employee gives employee_create with the normalized payload', async () => {
    await run();
    pf.employees.push(employee(4, { updated_at: '2026-03-02T08:00:00Z' }));
    const summary = await run();
    const [created] = events();
    assert.equal(created?.type, 'employee_create');
    assert.equal(created?.source, 'poll');
    assert.equal(created?.entityId, '4');
    assert.equal(created?.occurredAt, Date.parse('2026-03-02T08:00:00Z'));
    assert.equal(created?.payload.full_name, 'First4 Person');
    assert.equal(created?.payload.status, 'employed');
    assert.deepEqual(f.handle.sqlite.prepare('SELECT dedupe_key AS k FROM pfj_events').all(), [{ k: 'poll:employee:4:2026-03-02T08:00:00Z:employee_create' }]);
    assert.deepEqual(f.jobs().map((j) => j.key), ['pf-jira:route:employee:4']);
    assert.deepEqual({ seen: summary.seen, created: summary.created, unchanged: summary.unchanged, baselined: summary.baselined }, { seen: 4, created: 1, unchanged: 3, baselined: 0 });
  });

  test('a changed employee gives employee_update; unchanged ones give nothing', async () => {
    await run();
    pf.employees[1] = employee(2, { department: { id: 2, name: 'Sales' }, updated_at: '2026-03-02T08:30:00Z' });
    const summary = await run();
    assert.deepEqual(types(), ['employee_update 2']);
    assert.equal((events()[0]?.payload.department as { name: string }).name, 'Sales');
    assert.equal(summary.updated, 1);
    assert.equal(summary.unchanged, 2);
  });

  test('a second pass over the same data emits nothing', async () => {
    await run();
    pf.employees.push(employee(4));
    await run();
    const again = await run();
    assert.deepEqual(types(), ['employee_create 4']);
    assert.equal(again.unchanged, 4);
  });

  test('a change only to volatile fields (updated_at, avatar_url) emits nothing', async () => {
    await run();
    pf.employees[0] = employee(1, { avatar_url: 'https://cdn.example/a.png?sig=2', updated_at: '2026-03-02T08:00:00Z' });
    await run();
    assert.deepEqual(types(), []);
  });

  test('a termination date today or earlier gives employee_terminate; clearing it gives employee_termination_revert', async () => {
    await run();
    pf.employees[0] = employee(1, { termination_effective_date: '2026-03-02', updated_at: '2026-03-02T08:00:00Z' });
    const summary = await run();
    assert.equal(summary.terminated, 1);
    assert.equal(entities.get('employee:1')?.terminated, true);
    pf.employees[0] = employee(1, { termination_effective_date: null, updated_at: '2026-03-02T08:10:00Z' });
    const reverted = await run();
    assert.equal(reverted.reverted, 1);
    assert.deepEqual(types(), ['employee_terminate 1', 'employee_termination_revert 1']);
  });

  test('a future termination date is an update, and the termination comes when the date is reached', async () => {
    await run();
    pf.employees[0] = employee(1, { termination_effective_date: '2026-03-05', updated_at: '2026-03-02T08:00:00Z' });
    await run();
    f.clock.advance(2 * 86_400_000);
    await run();
    assert.deepEqual(types(), ['employee_update 1']);
    f.clock.advance(86_400_000);
    await run();
    assert.deepEqual(types(), ['employee_update 1', 'employee_terminate 1']);
    assert.equal(events()[1]?.payload.status, 'dismissed');
  });

  test('the calendar moving an employee out of probation emits nothing', async () => {
    pf.employees[0] = employee(1, { hired_on: '2026-01-05', probation_ends_on: '2026-03-03' });
    await run();
    f.clock.advance(2 * 86_400_000);
    await run();
    assert.deepEqual(types(), []);
  });

  test('an employee PeopleForce marks dismissed is terminated', async () => {
    await run();
    pf.employees[2] = employee(3, { status: 'dismissed', updated_at: '2026-03-02T08:00:00Z' });
    await run();
    assert.deepEqual(types(), ['employee_terminate 3']);
  });

  test('a shutdown between pages stops the pass quietly; the next pass finishes the baseline without events', async () => {
    pf.employees = Array.from({ length: 150 }, (_, i) => employee(i + 1));
    const controller = new AbortController();
    pf.onPage = (page) => page === 1 && controller.abort(new Error('stopping'));
    const cut = await run(controller.signal);
    assert.deepEqual({ seen: cut.seen, pages: cut.pages, complete: cut.complete, error: cut.error }, { seen: 100, pages: 1, complete: false, error: undefined });
    assert.equal(state.get(POLL_STATE.baselineAt), undefined);
    pf.onPage = () => {};
    const rest = await run();
    assert.equal(rest.baselined, 50);
    assert.equal(rest.complete, true);
    assert.deepEqual(events(), []);
  });

  test('reports its progress at the start, after every page and at the end, also when it fails', async () => {
    pf.employees = Array.from({ length: 150 }, (_, i) => employee(i + 1));
    const reports: PollerProgress[] = [];
    const watched = createPoller({ client: () => createPeopleForceClient({ baseUrl: 'https://pf.example', apiVersion: 'v3', apiKey: 'k', timeoutMs: 1000, maxInlineWaitMs: 0, maxRetries: 0, logger: silentLogger, fetch: fakeFetch }), entities, intake: f.intake, settings: () => settings, clock: f.clock, state, onProgress: (p) => reports.push(p) });
    const summary = await watched.poll({ signal: new AbortController().signal, log: silentLogger });
    const at = summary.at;
    assert.deepEqual(reports, [
      { running: true, startedAt: at, pages: 0, seen: 0 },
      { running: true, startedAt: at, pages: 1, seen: 100 },
      { running: true, startedAt: at, pages: 2, seen: 150 },
      { running: false, startedAt: at, pages: 2, seen: 150 },
    ]);
    reports.length = 0;
    pf.status = 500;
    await assert.rejects(watched.poll({ signal: new AbortController().signal, log: silentLogger }), /HTTP 500/);
    assert.deepEqual(
      reports.map((r) => r.running),
      [true, false],
    );
  });

  test('a failed pass throws, and still saves what it saw and why it stopped', async () => {
    await run();
    pf.status = 500;
    await assert.rejects(run(), /HTTP 500/);
    const summary = state.get<PollSummary>(POLL_STATE.lastSummary);
    assert.equal(summary?.complete, false);
    assert.match(summary?.error ?? '', /HTTP 500/);
  });

  test('saves the newest updated_at seen per entity type and the last summary', async () => {
    pf.employees[1] = employee(2, { updated_at: '2026-02-20T10:00:00Z' });
    const summary = await run();
    assert.deepEqual(state.get(POLL_STATE.cursor), { employee: '2026-02-20T10:00:00Z' });
    assert.deepEqual(state.get(POLL_STATE.lastSummary), summary);
  });

  test('leave requests are read only when switched on, with a baseline of their own', async () => {
    pf.leaves = [leave(16)];
    await run();
    assert.equal(entities.get('leave_request:16'), undefined);
    settings.pollLeaveRequests = true;
    const first = await run();
    assert.equal(first.baselined, 1);
    assert.deepEqual(types(), []);
    assert.deepEqual(state.get<Record<string, number>>(POLL_STATE.baselineAt), { employee: f.clock.now(), leave_request: f.clock.now() });
  });

  test('leave requests give create for a new one and the decision when their state changes', async () => {
    settings.pollLeaveRequests = true;
    pf.leaves = [leave(16)];
    await run();
    pf.leaves = [leave(16, { state: 'approved', updated_at: '2026-03-02T08:00:00Z' }), leave(17, { updated_at: '2026-03-02T08:05:00Z' }), leave(18, { state: 'approved' })];
    await run();
    pf.leaves[1] = leave(17, { comment: 'moved', updated_at: '2026-03-02T08:06:00Z' });
    pf.leaves[2] = leave(18, { state: 'withdrawn', updated_at: '2026-03-02T08:07:00Z' });
    await run();
    assert.deepEqual(types(), ['leave_request_approve 16', 'leave_request_create 17', 'leave_request_create 18', 'leave_request_approve 18', 'leave_request_withdraw 18']);
    assert.equal(events()[0]?.payload.amount_number, 1);
  });
});
