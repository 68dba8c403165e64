import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import type { JiraIssue } from '../../../../src/plugins/pf-jira/jira/jira-types.js';
import { findCreatedIssue, jqlString } from '../../../../src/plugins/pf-jira/sync/intent-resolver.js';
import type { SyncJira } from '../../../../src/plugins/pf-jira/sync/sync-types.js';

const log = pino({ level: 'silent' });
const PROP = 'switchyard.sync';

type SearchQuery = Parameters<SyncJira['searchJql']>[0];

/** Stands in for Jira: answers searches with fixed issues and records each query. */
const fakeJira = (issues: JiraIssue[]) => {
  const searches: SearchQuery[] = [];
  const jira: SyncJira = {
    createIssue: async () => assert.fail('no create expected'),
    editIssue: async () => assert.fail('no edit expected'),
    findUsers: async () => assert.fail('no user search expected'),
    searchJql: async (query) => {
      searches.push(query);
      return { issues, isLast: true };
    },
  };
  return { jira, searches };
};

const issue = (key: string, property?: unknown): JiraIssue => ({
  id: key.replace(/\D/g, ''),
  key,
  fields: { labels: ['switchyard', 'pf-employee-42'] },
  ...(property === undefined ? {} : { properties: { [PROP]: property } }),
});

const target = { projectKey: 'OPS', entityLabel: 'pf-employee-42', propertyKey: PROP, clientToken: 'tok-2', entityKey: 'employee:42', scope: 'rule:7' };

describe('jqlString', () => {
  test('quotes a plain value', () => {
    assert.equal(jqlString('OPS'), '"OPS"');
  });

  test('escapes double quotes and backslashes', () => {
    assert.equal(jqlString('say "hi"'), '"say \\"hi\\""');
    assert.equal(jqlString('a\\b'), '"a\\\\b"');
    assert.equal(jqlString('\\"'), '"\\\\\\""');
  });

  test('leaves other JQL characters alone inside the quotes', () => {
    assert.equal(jqlString("it's (x) AND y = 'z'"), `"it's (x) AND y = 'z'"`);
  });
});

describe('findCreatedIssue', () => {
  test('searches the project by entity label, oldest first, asking for the sync property', async () => {
    const { jira, searches } = fakeJira([]);
    await findCreatedIssue(jira, { ...target, projectKey: 'O"PS' }, log);
    assert.deepEqual(searches, [
      {
        jql: 'project = "O\\"PS" AND labels = "pf-employee-42" ORDER BY created ASC',
        fields: ['labels', 'summary', 'created'],
        properties: [PROP],
        maxResults: 50,
      },
    ]);
  });

  test('picks the issue whose property carries the client token', async () => {
    const { jira } = fakeJira([
      issue('OPS-1', { entityKey: 'employee:42', scope: 'rule:7', clientToken: 'tok-1', source: 'switchyard' }),
      issue('OPS-2', { entityKey: 'employee:42', scope: 'rule:7', clientToken: 'tok-2', source: 'switchyard' }),
    ]);
    assert.equal((await findCreatedIssue(jira, target, log))?.key, 'OPS-2');
  });

  test('falls back to the first issue with the same entity and scope when no token matches', async () => {
    const { jira } = fakeJira([
      issue('OPS-1', { entityKey: 'employee:42', scope: 'fallback', clientToken: 'old-a', source: 'switchyard' }),
      issue('OPS-2', { entityKey: 'employee:42', scope: 'rule:7', clientToken: 'old-b', source: 'switchyard' }),
      issue('OPS-3', { entityKey: 'employee:42', scope: 'rule:7', clientToken: 'old-c', source: 'switchyard' }),
    ]);
    assert.equal((await findCreatedIssue(jira, target, log))?.key, 'OPS-2');
  });

  test('returns undefined when no issue carries our property for this entity and scope', async () => {
    const { jira } = fakeJira([
      issue('OPS-1'),
      issue('OPS-2', 'not an object'),
      issue('OPS-3', null),
      issue('OPS-4', { entityKey: 'employee:43', scope: 'rule:7', clientToken: 'x' }),
      issue('OPS-5', { entityKey: 'employee:42', scope: 'rule:8', clientToken: 'y' }),
    ]);
    assert.equal(await findCreatedIssue(jira, target, log), undefined);
  });

  test('returns undefined when the search finds nothing', async () => {
    const { jira } = fakeJira([]);
    assert.equal(await findCreatedIssue(jira, target, log), undefined);
  });
});
