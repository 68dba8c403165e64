import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import pino from 'pino';
import type { DbHandle } from '../../../../src/db/connection.js';
import { ManualClock } from '../../../../src/platform/clock.js';
import { EventBus, type EventMap } from '../../../../src/platform/events.js';
import { createLinkRepository, type LinkRepository } from '../../../../src/plugins/pf-jira/db/link-repository.js';
import { pluginDb } from '../../../../src/plugins/pf-jira/db/plugin-db.js';
import { createJiraClient } from '../../../../src/plugins/pf-jira/jira/jira-client.js';
import type { PfJiraSettings } from '../../../../src/plugins/pf-jira/settings.js';
import { createReverseSweep } from '../../../../src/plugins/pf-jira/sync/reverse-sweep.js';
import type { SyncJira, SyncProperty } from '../../../../src/plugins/pf-jira/sync/sync-types.js';
import { createJiraSimulator, type JiraSimulator } from '../../../../src/simulators/jira/jira-simulator.js';
import { startSimServer, type RunningSim } from '../../../../src/simulators/sim-kit.js';
import { migratedDb } from '../../../helpers/db.js';

const silent = pino({ level: 'silent' });

const settings: PfJiraSettings = {
  enabled: true,
  pollIntervalSeconds: 300,
  fallbackProjects: ['OPS'],
  peopleforceUrl: 'https://app.peopleforce.io',
  peopleforceApiVersion: 'v3',
  pollLeaveRequests: false,
  jiraSiteUrl: '',
  jiraEmail: '',
  trackingLabel: 'switchyard',
  entityLabelPrefix: 'pf-',
  issuePropertyKey: 'switchyard.sync',
  noMatchAction: 'fallback',
  fallbackIssueType: 'Task',
  ghostAction: 'recreate',
  createmetaFreshSeconds: 3600,
  createmetaMaxStaleSeconds: 604_800,
  searchIndexGraceSeconds: 120,
  jiraTimeoutSeconds: 5,
  peopleforceTimeoutSeconds: 5,
  maxInlineWaitSeconds: 1,
  sweepLookbackHours: 48,
  eventRetentionDays: 90,
};

let clock: ManualClock;
let sim: JiraSimulator;
let server: RunningSim;
let jira: ReturnType<typeof createJiraClient>;

before(async () => {
  clock = new ManualClock(Date.UTC(2026, 2, 1, 9));
  sim = createJiraSimulator({ clock: () => clock.now() });
  server = await startSimServer(sim.app, 0);
  jira = createJiraClient({ siteUrl: server.url, email: sim.credentials.email, apiToken: sim.credentials.apiToken, timeoutMs: 5000, maxInlineWaitMs: 1000, logger: silent });
});

after(() => server.close());

let handle: DbHandle;
let links: LinkRepository;
let bus: EventBus;
let alerts: EventMap['alert.raised'][];

beforeEach(() => {
  sim.reset();
  handle = migratedDb();
  links = createLinkRepository(pluginDb(handle));
  bus = new EventBus();
  alerts = [];
  bus.on('alert.raised', (a) => alerts.push(a));
});

afterEach(() => handle.close());

/** Creates an issue the way the sync engine does: tracking and entity labels, plus the sync property. */
const createTracked = (employeeId: number, property: SyncProperty | undefined, projectKey = 'OPS') =>
  jira.createIssue({
    fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary: `Employee ${employeeId}`, labels: ['switchyard', `pf-employee-${employeeId}`] },
    ...(property ? { properties: [{ key: 'switchyard.sync', value: property }] } : {}),
  });

const prop = (employeeId: number, clientToken: string, scope = 'fallback'): SyncProperty => ({ entityKey: `employee:${employeeId}`, scope, clientToken, source: 'switchyard' });

const sweep = (overrides: { jira?: () => SyncJira | undefined; projects?: () => string[]; entityExists?: (key: string) => Promise<boolean | undefined> } = {}) =>
  createReverseSweep({
    jira: overrides.jira ?? (() => jira),
    links,
    projects: overrides.projects ?? (() => ['OPS']),
    entityExists: overrides.entityExists ?? (async () => true),
    settings: () => settings,
    clock,
    bus,
    logger: silent,
  });

test('adopts an issue we created whose link the database lost', async () => {
  const created = await createTracked(42, prop(42, 'tok-a'));
  const summary = await sweep()();
  assert.ok(summary);
  assert.deepEqual(summary.repaired, [{ issueKey: created.key, entityKey: 'employee:42' }]);
  assert.equal(summary.checked, 1);
  const link = links.get('employee:42', 'fallback');
  assert.deepEqual(
    [link?.state, link?.issueKey, link?.issueId, link?.projectKey, link?.clientToken, link?.createdAt],
    ['linked', created.key, created.id, 'OPS', 'tok-a', clock.now()],
  );
  assert.deepEqual(alerts, []);
});

test('confirms a pending link whose client token matches the issue', async () => {
  const pending = links.recordIntent({ entityKey: 'employee:42', scope: 'rule:7', projectKey: 'OPS', clientToken: 'tok-a', ruleId: 7, ruleVersion: 1, now: clock.now() });
  const created = await createTracked(42, prop(42, 'tok-a', 'rule:7'));
  const summary = await sweep()();
  assert.deepEqual(summary?.repaired, [{ issueKey: created.key, entityKey: 'employee:42' }]);
  const link = links.get('employee:42', 'rule:7');
  assert.deepEqual([link?.id, link?.state, link?.issueKey, link?.ruleId], [pending.id, 'linked', created.key, 7]);
  assert.equal(links.count(), 1);
});

test('leaves a pending link alone when the issue carries another client token', async () => {
  links.recordIntent({ entityKey: 'employee:42', scope: 'fallback', projectKey: 'OPS', clientToken: 'tok-new', ruleId: null, ruleVersion: null, now: clock.now() });
  await createTracked(42, prop(42, 'tok-old'));
  const summary = await sweep()();
  assert.deepEqual(summary?.repaired, []);
  assert.equal(links.get('employee:42', 'fallback')?.state, 'pending');
});

test('leaves a linked link alone', async () => {
  const created = await createTracked(42, prop(42, 'tok-a'));
  const link = links.recordIntent({ entityKey: 'employee:42', scope: 'fallback', projectKey: 'OPS', clientToken: 'tok-a', ruleId: null, ruleVersion: null, now: clock.now() });
  links.confirm(link.id, created, clock.now());
  const summary = await sweep()();
  assert.deepEqual([summary?.checked, summary?.repaired], [1, []]);
});

test('reports an issue with our label but no sync property as unrecognised', async () => {
  const bare = await createTracked(43, undefined);
  const partial = await jira.createIssue({
    fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Half', labels: ['switchyard'] },
    properties: [{ key: 'switchyard.sync', value: { entityKey: 'employee:44' } }],
  });
  const summary = await sweep()();
  assert.deepEqual([...(summary?.unrecognised ?? [])].sort(), [bare.key, partial.key].sort());
  assert.deepEqual(summary?.repaired, []);
  assert.equal(summary?.checked, 2);
  assert.equal(links.count(), 0);
});

test('reports issues of people no longer in PeopleForce as orphans and raises one alert', async () => {
  const gone1 = await createTracked(50, prop(50, 'tok-1'));
  const gone2 = await createTracked(50, prop(50, 'tok-2', 'rule:7'));
  const kept = await createTracked(51, prop(51, 'tok-3'));
  const asked: string[] = [];
  const summary = await sweep({
    entityExists: async (key) => {
      asked.push(key);
      return key !== 'employee:50';
    },
  })();
  assert.deepEqual(
    summary?.orphans.map((o) => o.issueKey).sort(),
    [gone1.key, gone2.key].sort(),
  );
  assert.ok(!summary?.orphans.some((o) => o.issueKey === kept.key));
  assert.deepEqual([...asked].sort(), ['employee:50', 'employee:51']);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.severity, 'warning');
  assert.equal(alerts[0]?.title, '2 Jira issue(s) point at people no longer in PeopleForce');
  assert.match(alerts[0]?.message ?? '', new RegExp(`${gone1.key} \\(employee:50\\)`));
});

test('does not count an entity whose existence is unknown as an orphan', async () => {
  await createTracked(60, prop(60, 'tok-1'));
  const summary = await sweep({ entityExists: async () => undefined })();
  assert.deepEqual(summary?.orphans, []);
  assert.deepEqual(alerts, []);
});

test('ignores issues outside the swept projects and without the tracking label', async () => {
  await createTracked(42, prop(42, 'tok-a'), 'HR');
  await jira.createIssue({
    fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Untracked', labels: ['pf-employee-42'] },
    properties: [{ key: 'switchyard.sync', value: prop(42, 'tok-b') }],
  });
  const summary = await sweep()();
  assert.deepEqual([summary?.checked, summary?.repaired], [0, []]);
});

test('ignores issues not updated within the lookback window', async () => {
  await createTracked(42, prop(42, 'tok-a'));
  clock.advance((settings.sweepLookbackHours + 1) * 3_600_000);
  const summary = await sweep()();
  assert.equal(summary?.checked, 0);
  assert.equal(links.count(), 0);
});

test('does nothing without a Jira client', async () => {
  await createTracked(42, prop(42, 'tok-a'));
  assert.equal(await sweep({ jira: () => undefined })(), undefined);
  assert.equal(links.count(), 0);
});

test('checks nothing when no project is configured', async () => {
  await createTracked(42, prop(42, 'tok-a'));
  const summary = await sweep({ projects: () => [] })();
  assert.deepEqual(summary, { at: clock.now(), projects: [], checked: 0, repaired: [], orphans: [], unrecognised: [] });
  assert.equal(links.count(), 0);
});

test('a second sweep changes nothing', async () => {
  await createTracked(42, prop(42, 'tok-a'));
  await sweep()();
  const again = await sweep()();
  assert.deepEqual([again?.checked, again?.repaired], [1, []]);
  assert.equal(links.count(), 1);
});
