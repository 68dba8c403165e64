import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pfRoutes } from '../../../../src/plugins/pf-jira/web/pf-routes.js';
import type { Agent } from '../../../helpers/hub.js';
import { parseHtml } from '../../../web/web-helpers.js';
import { engineFixture, type EngineFixture } from '../engine-fixture.js';

const HX = { 'HX-Request': 'true' };

describe('Jira fragments of the rule editor', () => {
  let f: EngineFixture;
  let admin: Agent;

  before(async () => {
    f = await engineFixture();
    admin = await f.hub.signIn('admin');
  });
  after(async () => f.close());
  beforeEach(() => {
    f.jira.sim.faults.clear();
    f.hub.ctx.cache.purge('pf-jira:');
  });

  it('lists the projects the Jira account sees, with the chosen one selected', async () => {
    const doc = parseHtml(await (await admin.get(`${pfRoutes.jiraProjects}?projectKey=HR`, HX)).text());
    const select = doc.find('select#rule-project');
    assert.equal(select?.attr('name'), 'projectKey');
    assert.deepEqual(doc.findAll('#rule-project option').map((o) => o.attr('value')), ['', 'HR', 'IT', 'OPS']);
    assert.ok(doc.find('#rule-project option[value="HR"]')?.has('selected'));
  });

  it('serves later requests from the cache without asking Jira again', async () => {
    await admin.get(pfRoutes.jiraProjects, HX);
    f.jira.sim.faults.add({ kind: 'status', status: 503, count: 10 });
    const doc = parseHtml(await (await admin.get(pfRoutes.jiraProjects, HX)).text());
    assert.ok(doc.find('select#rule-project'));
    assert.equal(f.jira.sim.faults.list()[0]?.count, 10, 'Jira was not called');
  });

  it('says exactly why when Jira answers 503, and leaves a text input and a Retry button', async () => {
    f.jira.sim.faults.add({ kind: 'status', status: 503, count: 10 });
    const res = await admin.get(`${pfRoutes.jiraProjects}?projectKey=IT`, HX);
    assert.equal(res.status, 200);
    const doc = parseHtml(await res.text());
    assert.match(doc.find('[data-testid="jira-unavailable"]')?.text() ?? '', /Jira answered with a server error \(503\); you can type the project key, and validation will check it when Jira answers\./);
    assert.equal(doc.find('input#rule-project')?.attr('value'), 'IT');
    assert.ok(doc.findAll('button').some((b) => b.text() === 'Retry'));
  });

  it('answers the project picker remote search as JSON', async () => {
    const res = await admin.get(`${pfRoutes.jiraProjects}?format=json&q=operat`);
    assert.deepEqual(await res.json(), [{ value: 'OPS', text: 'OPS · Operations' }]);
  });

  it('answers 503 JSON to a search while Jira is unreachable', async () => {
    f.jira.sim.faults.add({ kind: 'status', status: 503, count: 10 });
    const res = await admin.get(`${pfRoutes.jiraProjects}?format=json&q=it`);
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /503/);
  });

  it('lists the issue types of the chosen project', async () => {
    const doc = parseHtml(await (await admin.get(`${pfRoutes.jiraIssueTypes}?projectKey=IT&issueTypeId=10010`, HX)).text());
    assert.deepEqual(doc.findAll('#rule-issue-type option').map((o) => o.text()), ['Task', 'Onboarding']);
    assert.ok(doc.find('#rule-issue-type option[value="10010"]')?.has('selected'));
    assert.equal(doc.find('input[name="issueTypeName"]')?.attr('value'), 'Onboarding');
  });

  it('flags required create-screen fields that are not mapped yet, with an Add button', async () => {
    const doc = parseHtml(await (await admin.get(`${pfRoutes.jiraFields}?projectKey=IT&issueTypeId=10010&mappings.0.fieldId=summary`, HX)).text());
    const missing = doc.find('[data-testid="required-missing"]');
    assert.match(missing?.text() ?? '', /Department/);
    assert.equal(missing?.find('button')?.attr('value'), 'add-required:customfield_10030');
    assert.match(doc.find('#rule-field-options option[value="customfield_10030"]')?.attr('label') ?? '', /★ required/);
  });

  it('lists the boards of the project and searches them', async () => {
    const doc = parseHtml(await (await admin.get(`${pfRoutes.jiraBoards}?projectKey=IT`, HX)).text());
    const options = doc.findAll('#rule-board option');
    assert.equal(options[0]?.text(), 'No board');
    assert.match(options[1]?.text() ?? '', /IT board/);
    const json = (await (await admin.get(`${pfRoutes.jiraBoards}?projectKey=IT&format=json&q=board`)).json()) as { value: string }[];
    assert.equal(json.length, 1);
    assert.ok(f.hub.ctx.cache.peek('pf-jira:boards:IT'), 'boards are cached under their own key');
  });

  it('refuses a board that is not among the project’s cached boards when saving', async () => {
    await admin.get(`${pfRoutes.jiraProjects}`, HX);
    await admin.get(`${pfRoutes.jiraBoards}?projectKey=IT`, HX);
    const res = await admin.post(
      pfRoutes.rules,
      { name: 'Board check', priority: '777', enabled: '1', action: 'SYNC', projectKey: 'IT', issueTypeId: '10010', boardId: '999', 'mappings.0.fieldId': 'summary', 'mappings.0.sourceType': 'STATIC', 'mappings.0.value': 'x' },
      HX,
    );
    assert.equal(res.status, 422);
    assert.match(parseHtml(await res.text()).find('#err-boardId')?.text() ?? '', /Board 999 is not one of the 1 board Jira shows for project IT/);
  });
  // Last: the hung load goes on in the background after the page gave up, as it should.
  it('gives up waiting after 3 s when Jira hangs, and says so', async () => {
    f.jira.sim.faults.add({ kind: 'slow', delayMs: 8_000, count: 1 });
    const started = performance.now();
    const doc = parseHtml(await (await admin.get(pfRoutes.jiraProjects, HX)).text());
    const ms = performance.now() - started;
    assert.ok(ms < 5_000, `waited ${ms} ms`);
    assert.match(doc.find('[data-testid="jira-unavailable"]')?.text() ?? '', /Jira could not be reached \(timeout after 3 s\)/);
  });
});
