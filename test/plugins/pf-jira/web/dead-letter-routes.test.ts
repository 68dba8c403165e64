import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../../../../src/platform/actor.js';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { formData, html, mainText, redirectTarget } from '../../../web/web-helpers.js';
import { engineFixture, eventually, type EngineFixture } from '../engine-fixture.js';

const DAY = 86_400_000;

describe('dead-letter page', () => {
  let f: EngineFixture;
  let operator: Agent;
  let viewer: Agent;
  let onboardingId: number;

  const hire = (lastName: string) =>
    f.pf.sim.hire({
      first_name: 'Rosa',
      last_name: lastName,
      email: `rosa.${lastName.toLowerCase()}.${Math.floor(Math.random() * 1e9)}@example.com`,
      department: 'Legal',
      position: 'Counsel',
      employment_type: 'Full-Time',
      hired_on: new Date(f.hub.clock.now() + 14 * DAY).toISOString().slice(0, 10),
    });

  const deadEventOf = (employeeId: number) =>
    eventually(() => f.events.list({ entityId: String(employeeId), limit: 20 }).find((e) => e.status === 'dead'), 'the dead event', 15_000, () => f.advance(60_000));

  const mapDepartment = (mapping: { sourceType: 'STATIC' | 'PF_PAYLOAD'; value: string }) => {
    const rule = f.rules.get(onboardingId);
    f.rules.update(onboardingId, { ...rule, mappings: rule.mappings.map((m) => (m.fieldId === 'customfield_10030' ? { ...m, ...mapping } : m)) }, systemActor, rule.version);
  };

  const flashAfter = async (agent: Agent, res: Response) => mainText(await html(await agent.get(redirectTarget(res))));

  before(async () => {
    f = await engineFixture();
    onboardingId = f.rules.list().find((r) => r.name === 'New hires → IT onboarding')!.id;
    operator = await f.hub.signIn('operator');
    viewer = await f.hub.signIn('viewer');
  });
  after(async () => {
    await f.close();
  });

  test('says so when nothing is dead', async () => {
    const doc = await html(await viewer.get(pfRoutes.deadLetters));
    assert.match(doc.get('[data-testid="dl-empty"]').text(), /No dead deliveries/);
  });

  test('shows a dead delivery with the person, rule version, target, the problem in words and a fix linking the rule editor', async () => {
    const employee = hire('Alvarez');
    const event = await deadEventOf(employee.id);
    const doc = await html(await operator.get(`${pfRoutes.deadLetters}?person=Alvarez`));
    const item = doc.get(`#delivery-${event.id}`);
    const text = item.text();
    assert.match(text, /Rosa Alvarez/);
    assert.match(text, new RegExp(`PeopleForce employee ${employee.id}`));
    assert.match(text, new RegExp(`“New hires → IT onboarding” v${f.rules.get(onboardingId).version}`));
    assert.match(text, /IT \/ Onboarding/);
    assert.match(item.get('[data-field="customfield_10030"]').text(), /Department: “Legal” is not one of the allowed values/);
    assert.equal(item.get('[data-field="customfield_10030"] [data-testid="fix"]').text(), '“Legal” no longer exists in Department; edit the mapping.');
    assert.equal(item.get('[data-field="customfield_10030"] a[data-fix-link]').attr('href'), pfRoutes.ruleEdit(onboardingId));
    assert.equal(item.get('a.is-text').attr('href'), pfRoutes.event(event.id), 'the delivery links its decision trace');
    assert.match(doc.get('[data-testid="dl-total"]').text(), /1 dead delivery \(1 event\) match this filter/);
    assert.ok(doc.find('button[formaction$="/dead-letters/discard"]'));
    assert.match(doc.get('form.sy-bulk').text(), /Retry the 1 matching delivery/);
  });

  test('viewers see the list without checkboxes or buttons, and cannot post actions', async () => {
    const doc = await html(await viewer.get(pfRoutes.deadLetters));
    assert.ok(doc.find('.sy-dl-item'));
    assert.equal(doc.find('.sy-dl-item input'), undefined);
    assert.equal(doc.find('input[data-select-all]'), undefined);
    assert.equal(doc.find('form.sy-bulk'), undefined);
    const res = await viewer.post(pfRoutes.deadLetterAction('retry'), { target: 'matching' });
    assert.equal(res.status, 403);
  });

  test('retrying one delivery after fixing the mapping syncs it, and the page reports the count', async () => {
    const employee = hire('Brandt');
    const event = await deadEventOf(employee.id);
    mapDepartment({ sourceType: 'STATIC', value: 'Operations' });
    try {
      const doc = await html(await operator.get(`${pfRoutes.deadLetters}?person=Brandt`));
      const form = doc.get('#dl-selected');
      const res = await operator.post(pfRoutes.deadLetterAction('retry'), { ...formData(form), only: String(event.id) });
      assert.match(redirectTarget(res), /\/dead-letters\?person=Brandt$/);
      assert.match(await flashAfter(operator, res), /1 delivery queued again/);
      const synced = await eventually(() => (f.events.get(event.id)?.status === 'synced' ? f.events.get(event.id) : undefined), 'the retried event to sync', 15_000, () => f.advance(1_000));
      assert.equal(f.issuesOf(employee.id).length, 1);
      assert.equal(synced.issueKey, f.issuesOf(employee.id)[0]?.key);
    } finally {
      mapDepartment({ sourceType: 'PF_PAYLOAD', value: '$.department.name' });
    }
  });

  test('an empty selection re-renders the page with a message', async () => {
    const res = await operator.post(pfRoutes.deadLetterAction('retry'), { target: 'selected' });
    assert.equal(res.status, 422);
    assert.match((await html(res)).get('[role="alert"]').text(), /Choose at least one delivery/);
  });

  test('discards the ticked deliveries and, by filter, everything matching with its count', async () => {
    const people = [hire('Castillo'), hire('Castillo'), hire('Castillo')];
    const events = [];
    for (const p of people) events.push(await deadEventOf(p.id));
    const ticked = await operator.post(pfRoutes.deadLetterAction('discard'), { target: 'selected', 'ids[]': [String(events[0]!.id)], person: 'Castillo' });
    assert.match(await flashAfter(operator, ticked), /1 delivery discarded/);
    assert.equal(f.events.get(events[0]!.id)?.status, 'discarded');

    const doc = await html(await operator.get(`${pfRoutes.deadLetters}?person=Castillo`));
    const bulk = doc.get('form.sy-bulk');
    assert.match(bulk.text(), /Discard all 2 matching deliveries/);
    assert.match(bulk.get('button[formaction$="/discard"]').attr('data-confirm') ?? '', /Discard all 2 matching deliveries\?/);
    const res = await operator.post(pfRoutes.deadLetterAction('discard'), formData(bulk));
    assert.match(await flashAfter(operator, res), /2 deliveries discarded/);
    assert.deepEqual(events.map((e) => f.events.get(e.id)?.status), ['discarded', 'discarded', 'discarded']);
  });

  test('replaying from the dead letters names the rule version that decided first and opens the new event', async () => {
    const employee = hire('Dahl');
    const event = await deadEventOf(employee.id);
    const version = f.rules.get(onboardingId).version;
    const res = await operator.post(pfRoutes.eventReplay(event.id), { target: 'selected' });
    const location = redirectTarget(res);
    const replayId = Number(/\/events\/(\d+)$/.exec(location)?.[1]);
    assert.ok(replayId > event.id);
    const text = mainText(await html(await operator.get(location)));
    assert.match(text, new RegExp(`First decided by “New hires → IT onboarding” v${version}; replayed as event ${replayId} against the current rules`));
    assert.match(text, new RegExp(`a replay of event ${event.id}`));
  });
});
