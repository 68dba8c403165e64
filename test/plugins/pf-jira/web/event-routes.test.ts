import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { html, mainText } from '../../../web/web-helpers.js';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const DAY = 86_400_000;

describe('event trace pages', () => {
  let f: EngineFixture;
  let viewer: Agent;
  let operator: Agent;
  let onboardingId: number;

  const hire = (lastName: string, overrides: Record<string, unknown> = {}) =>
    f.pf.sim.hire({
      first_name: 'Tomas',
      last_name: lastName,
      email: `tomas.${lastName.toLowerCase()}@example.com`,
      department: 'Engineering',
      position: 'Backend Engineer',
      employment_type: 'Full-Time',
      hired_on: new Date(f.hub.clock.now() + 14 * DAY).toISOString().slice(0, 10),
      ...overrides,
    });

  const settled = (employeeId: number, status: string) =>
    eventually(() => f.events.list({ entityId: String(employeeId), limit: 20 }).find((e) => e.status === status), `an event ${status}`, 15_000, () => f.advance(60_000));

  const ids = async (agent: Agent, query: string) => (await html(await agent.get(`${pfRoutes.events}?${query}`))).findAll('.sy-timeline-item').map((li) => Number(li.attr('data-event-id')));

  let synced: { employeeId: number; eventId: number; issueKey: string };
  let dropped: { employeeId: number; eventId: number };
  let dead: { employeeId: number; eventId: number };

  before(async () => {
    f = await engineFixture();
    onboardingId = f.rules.list().find((r) => r.name === 'New hires → IT onboarding')!.id;
    viewer = await f.hub.signIn('viewer');
    operator = await f.hub.signIn('operator');
    const a = hire('Okafor');
    const b = hire('Pereira', { employment_type: 'Contractor' });
    const c = hire('Quist', { department: 'Legal' });
    const sa = await settled(a.id, 'synced');
    synced = { employeeId: a.id, eventId: sa.id, issueKey: sa.issueKey! };
    dropped = { employeeId: b.id, eventId: (await settled(b.id, 'dropped')).id };
    dead = { employeeId: c.id, eventId: (await settled(c.id, 'dead')).id };
  });
  after(async () => {
    await f.close();
  });

  test('lists each event on a timeline with its decision and the synced issue linked to Jira', async () => {
    const doc = await html(await viewer.get(pfRoutes.events));
    const item = doc.get(`.sy-timeline-item[data-event-id="${synced.eventId}"]`);
    assert.equal(item.attr('data-outcome'), 'synced');
    assert.match(item.text(), /Tomas Okafor/);
    const matched = item.get('[data-decision="matched"]');
    assert.match(matched.text(), /Matched “New hires → IT onboarding” v\d+ → IT \/ Onboarding/);
    assert.equal(matched.get('a').attr('href'), pfRoutes.rule(onboardingId));
    assert.equal(item.get(`a[href$="/browse/${synced.issueKey}"]`).text(), synced.issueKey);
    assert.match(doc.get(`.sy-timeline-item[data-event-id="${dropped.eventId}"] [data-decision="dropped-by-rule"]`).text(), /Dropped by “Contractors are not onboarded”/);
    const deadItem = doc.get(`.sy-timeline-item[data-event-id="${dead.eventId}"]`);
    assert.match(deadItem.text(), /Legal/);
    assert.ok(deadItem.find('a[href^="/admin/pf-jira/dead-letters"]'), 'a dead event links the dead letters');
    assert.equal(doc.find('form[action="/admin/pf-jira/poll"]'), undefined, 'Sync now lives on the rules page');
  });

  test('searches by name, email, PeopleForce id, type, outcome and rule', async () => {
    assert.deepEqual(await ids(viewer, 'person=okaf'), [synced.eventId]);
    assert.deepEqual(await ids(viewer, 'person=tomas.pereira%40'), [dropped.eventId]);
    assert.deepEqual(await ids(viewer, `person=${dead.employeeId}`), [dead.eventId]);
    assert.deepEqual(await ids(viewer, 'person=tomas&status=dead'), [dead.eventId]);
    assert.deepEqual(await ids(viewer, 'person=tomas&type=employee_terminate'), []);
    assert.deepEqual((await ids(viewer, `person=tomas&rule=${onboardingId}`)).sort(), [synced.eventId, dead.eventId].sort());
    const empty = await html(await viewer.get(`${pfRoutes.events}?person=nobody-at-all`));
    assert.match(empty.get('[data-testid="events-empty"]').text(), /No events match this search/);
  });

  test('the trace of a synced event shows the receipt, the rule at its version with its conditions, and the issue', async () => {
    const doc = await html(await viewer.get(pfRoutes.event(synced.eventId)));
    assert.match(doc.get('[aria-label="Event facts"]').text(), /employee_create.*Tomas Okafor.*webhook/);
    const version = f.rules.get(onboardingId).version;
    assert.match(doc.get('[data-testid="decided-by"]').text(), new RegExp(`Decided by “New hires → IT onboarding” version ${version}; it is still the current version`));
    assert.match(doc.get('[data-testid="rule-at-version"]').text(), /\$\.status in pending_hire, probation/);
    assert.equal(doc.get('[data-testid="issue-key"] a').text(), synced.issueKey);
    assert.equal(doc.find('[data-testid="event-problems"]'), undefined);
  });

  test('the trace of a dead event shows the problems with fixes and the sync job attempts', async () => {
    const doc = await html(await viewer.get(pfRoutes.event(dead.eventId)));
    const problems = doc.get('[data-testid="event-problems"]');
    assert.match(problems.text(), /“Legal” no longer exists in Department; edit the mapping/);
    assert.equal(problems.get('a[data-fix-link]').attr('href'), pfRoutes.ruleEdit(onboardingId));
    assert.match(doc.get('[data-testid="sync-job"]').text(), /is dead, \d+ of \d+ attempts made/);
    assert.ok(doc.findAll('[aria-label="Sync attempts"] tbody tr').length >= 1);
    assert.equal(doc.find(`form[action="${pfRoutes.eventReplay(dead.eventId)}"]`), undefined, 'viewers cannot replay');
  });

  test('a replay is listed on the original and names it', async () => {
    const page = await html(await operator.get(pfRoutes.event(synced.eventId)));
    assert.ok(page.find(`form[action="${pfRoutes.eventReplay(synced.eventId)}"]`));
    const res = await operator.post(pfRoutes.eventReplay(synced.eventId));
    assert.equal(res.status, 303);
    const replayId = Number(/\/events\/(\d+)$/.exec(res.headers.get('Location') ?? '')?.[1]);
    await eventually(() => f.events.get(replayId)?.status === 'synced', 'the replay to sync', 15_000, () => f.advance(1_000));
    const original = await html(await viewer.get(pfRoutes.event(synced.eventId)));
    assert.match(original.get('[data-testid="replays"]').text(), new RegExp(`Event ${replayId}.*synced`));
    assert.match(mainText(await html(await viewer.get(pfRoutes.event(replayId)))), new RegExp(`a replay of event ${synced.eventId}`));
  });

  test('an unknown event is a 404', async () => {
    assert.equal((await viewer.get(pfRoutes.event(999_999))).status, 404);
  });
});
