import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import pino from 'pino';
import { createJiraClient } from '../../../../src/plugins/pf-jira/jira/jira-client.js';
import { UpstreamError } from '../../../../src/platform/upstream-error.js';
import { closeLocal, listenLocal } from '../../../helpers/net.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Handler = (req: Seen, res: ServerResponse) => void;

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
};

let handler: Handler = (_req, res) => send(res, 500, {});
let seen: Seen[] = [];
let baseUrl = '';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = Buffer.concat(chunks).toString('utf8');
    const s = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
    seen.push(s);
    handler(s, res);
  });
});

before(async () => {
  baseUrl = await listenLocal(server);
});

after(() => closeLocal(server));

beforeEach(() => {
  seen = [];
});

const client = (overrides: { timeoutMs?: number; maxInlineWaitMs?: number } = {}) =>
  createJiraClient({
    siteUrl: `${baseUrl}/`,
    email: 'bot@example.com',
    apiToken: 'tok-123',
    timeoutMs: overrides.timeoutMs ?? 2000,
    maxInlineWaitMs: overrides.maxInlineWaitMs ?? 1000,
    logger: pino({ level: 'silent' }),
  });

const rejectsWith = async (promise: Promise<unknown>, check: (err: UpstreamError) => void) => {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof UpstreamError, String(err));
    check(err);
    return true;
  });
};

test('authenticates with Basic email:token and asks for JSON', async () => {
  handler = (_req, res) => send(res, 200, { accountId: 'acc-1', displayName: 'Sync Bot', emailAddress: 'bot@example.com', active: true, self: 'x' });
  const me = await client().myself();
  assert.deepEqual(me, { accountId: 'acc-1', displayName: 'Sync Bot', emailAddress: 'bot@example.com', active: true });
  assert.equal(seen[0]?.path, '/rest/api/3/myself');
  assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('bot@example.com:tok-123').toString('base64')}`);
  assert.equal(seen[0]?.headers.accept, 'application/json');
});

test('reads every page of projects until Jira says isLast', async () => {
  handler = (req, res) => {
    const startAt = Number(req.query.get('startAt'));
    const all = [
      { id: '10000', key: 'OPS', name: 'Operations', projectTypeKey: 'software' },
      { id: '10001', key: 'HR', name: 'People' },
      { id: '10002', key: 'IT', name: 'IT Help' },
    ];
    const values = all.slice(startAt, startAt + 2);
    send(res, 200, { startAt, maxResults: 2, total: 3, isLast: startAt + values.length >= 3, values });
  };
  const projects = await client().allProjects();
  assert.deepEqual(projects.map((p) => p.key), ['OPS', 'HR', 'IT']);
  assert.deepEqual(projects[0], { id: '10000', key: 'OPS', name: 'Operations' });
  assert.deepEqual(seen.map((s) => s.query.get('startAt')), ['0', '2']);
});

test('searches one page of projects by text', async () => {
  handler = (_req, res) => send(res, 200, { startAt: 0, maxResults: 5, total: 9, isLast: false, values: [{ id: '1', key: 'OPS', name: 'Operations' }] });
  const page = await client().searchProjects({ query: 'op', maxResults: 5 });
  assert.equal(seen[0]?.path, '/rest/api/3/project/search');
  assert.equal(seen[0]?.query.get('query'), 'op');
  assert.equal(seen[0]?.query.get('maxResults'), '5');
  assert.deepEqual(page, { values: [{ id: '1', key: 'OPS', name: 'Operations' }], startAt: 0, total: 9, isLast: false });
});

test('lists boards of a project with their project key', async () => {
  handler = (_req, res) =>
    send(res, 200, { startAt: 0, maxResults: 50, total: 1, isLast: true, values: [{ id: 7, self: 'x', name: 'OPS board', type: 'scrum', location: { projectId: 10000, projectKey: 'OPS' } }] });
  const page = await client().boards({ projectKeyOrId: 'OPS' });
  assert.equal(seen[0]?.path, '/rest/agile/1.0/board');
  assert.equal(seen[0]?.query.get('projectKeyOrId'), 'OPS');
  assert.deepEqual(page.values, [{ id: 7, name: 'OPS board', type: 'scrum', projectKey: 'OPS' }]);
  assert.equal(page.isLast, true);
});

test('reads every page of a project\'s issue types by total', async () => {
  handler = (req, res) => {
    const startAt = Number(req.query.get('startAt'));
    const issueTypes = startAt === 0 ? [{ id: '10001', name: 'Task', subtask: false, hierarchyLevel: 0, iconUrl: 'x' }] : [{ id: '10002', name: 'Sub-task', subtask: true }];
    send(res, 200, { issueTypes, startAt, maxResults: 1, total: 2 });
  };
  const types = await client().issueTypes('OPS');
  assert.deepEqual(types, [
    { id: '10001', name: 'Task', subtask: false, hierarchyLevel: 0 },
    { id: '10002', name: 'Sub-task', subtask: true },
  ]);
  assert.deepEqual(seen.map((s) => `${s.path}?${s.query.get('startAt')}`), ['/rest/api/3/issue/createmeta/OPS/issuetypes?0', '/rest/api/3/issue/createmeta/OPS/issuetypes?1']);
});

test('reads every page of a create screen and keeps what the resolver needs', async () => {
  const severity = {
    fieldId: 'customfield_10030',
    key: 'customfield_10030',
    name: 'Severity',
    required: true,
    schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10030 },
    allowedValues: [{ self: 'x', id: '10100', value: 'Red' }],
    hasDefaultValue: false,
    defaultValue: null,
    operations: ['set'],
  };
  handler = (req, res) => {
    const startAt = Number(req.query.get('startAt'));
    const fields = startAt === 0 ? [{ fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } }] : [severity, { fieldId: 'customfield_1', name: 'Odd', required: false }];
    send(res, 200, { fields, startAt, maxResults: 50, total: 3 });
  };
  const fields = await client().createMetaFields('OPS', '10001');
  assert.equal(seen[0]?.path, '/rest/api/3/issue/createmeta/OPS/issuetypes/10001');
  assert.deepEqual(fields.map((f) => f.fieldId), ['summary', 'customfield_10030', 'customfield_1']);
  assert.deepEqual(fields[1]?.allowedValues, [{ self: 'x', id: '10100', value: 'Red' }]);
  assert.deepEqual(fields[2]?.schema, { type: 'any' });
});

test('refuses a create screen in the Data Center shape with a clear message', async () => {
  handler = (_req, res) => send(res, 200, { values: [], isLast: true, startAt: 0, maxResults: 50, total: 0 });
  await rejectsWith(client().createMetaFields('OPS', '10001'), (err) => {
    assert.equal(err.kind, 'bad_response');
    assert.match(err.message, /no fields list \(is this a Jira Cloud site\?\)/);
  });
});

test('creates an issue and returns its id and key', async () => {
  handler = (_req, res) => send(res, 201, { id: '10000', key: 'OPS-24', self: 'x' });
  const body = { fields: { project: { key: 'OPS' }, issuetype: { id: '10001' }, summary: 'Disk full' }, properties: [{ key: 'switchyard.sync', value: { sourceId: 'e-1' } }] };
  assert.deepEqual(await client().createIssue(body), { id: '10000', key: 'OPS-24' });
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.path, '/rest/api/3/issue');
  assert.equal(seen[0]?.headers['content-type'], 'application/json');
  assert.deepEqual(seen[0]?.body, body);
});

test('says so when Jira answers a create without an issue key', async () => {
  handler = (_req, res) => send(res, 201, { id: '10000' });
  await rejectsWith(client().createIssue({ fields: {} }), (err) => {
    assert.equal(err.kind, 'bad_response');
    assert.equal(err.status, 201);
    assert.match(err.message, /POST \/rest\/api\/3\/issue .*the created issue has no key \(at key\)/);
  });
});

test('edits an issue with PUT and accepts 204', async () => {
  handler = (_req, res) => {
    res.writeHead(204);
    res.end();
  };
  await client().editIssue('OPS-24', { fields: { summary: 'New' } });
  assert.equal(seen[0]?.method, 'PUT');
  assert.equal(seen[0]?.path, '/rest/api/3/issue/OPS-24');
  assert.deepEqual(seen[0]?.body, { fields: { summary: 'New' } });
});

test('gets an issue with the fields and properties asked for', async () => {
  handler = (_req, res) => send(res, 200, { id: '10000', key: 'OPS-24', self: 'x', fields: { summary: 'Disk full' }, properties: { 'switchyard.sync': { v: 1 } } });
  const issue = await client().getIssue('OPS-24', { fields: ['summary', 'labels'], properties: ['switchyard.sync'] });
  assert.equal(seen[0]?.query.get('fields'), 'summary,labels');
  assert.equal(seen[0]?.query.get('properties'), 'switchyard.sync');
  assert.deepEqual(issue, { id: '10000', key: 'OPS-24', fields: { summary: 'Disk full' }, properties: { 'switchyard.sync': { v: 1 } } });
});

test('reports a gone issue as an HTTP 404 with Jira\'s own words', async () => {
  handler = (_req, res) => send(res, 404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
  await rejectsWith(client().getIssue('OPS-99'), (err) => {
    assert.equal(err.kind, 'http');
    assert.equal(err.status, 404);
    assert.equal(err.transient, false);
    assert.match(err.message, /Issue does not exist or you do not have permission to see it\./);
  });
});

test('writes an issue property and reads it back, or undefined when absent', async () => {
  const stored = new Map<string, unknown>();
  handler = (req, res) => {
    if (req.method === 'PUT') {
      stored.set(req.path, req.body);
      return send(res, 201, undefined);
    }
    if (!stored.has(req.path)) return send(res, 404, { errorMessages: ['The property with key x does not exist.'], errors: {} });
    send(res, 200, { key: 'switchyard.sync', value: stored.get(req.path) });
  };
  const jira = client();
  assert.equal(await jira.getIssueProperty('OPS-24', 'switchyard.sync'), undefined);
  await jira.setIssueProperty('OPS-24', 'switchyard.sync', { entity: 'employee:1' });
  assert.equal(seen[1]?.path, '/rest/api/3/issue/OPS-24/properties/switchyard.sync');
  assert.deepEqual(await jira.getIssueProperty('OPS-24', 'switchyard.sync'), { entity: 'employee:1' });
});

test('still throws other failures while reading an issue property', async () => {
  handler = (_req, res) => send(res, 403, { errorMessages: ['You do not have permission.'], errors: {} });
  await rejectsWith(client().getIssueProperty('OPS-24', 'x'), (err) => assert.equal(err.authFailure, true));
});

test('searches with POST /search/jql and sends reconcileIssues as numbers', async () => {
  handler = (_req, res) => send(res, 200, { issues: [{ id: '1', key: 'OPS-1', fields: { labels: ['a'] } }], nextPageToken: 'tok-2', isLast: false });
  const page = await client().searchJql({ jql: 'project = OPS', fields: ['labels'], maxResults: 10, reconcileIssues: ['10000'] });
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.path, '/rest/api/3/search/jql');
  assert.deepEqual(seen[0]?.body, { jql: 'project = OPS', fields: ['labels'], maxResults: 10, reconcileIssues: [10000] });
  assert.deepEqual(page, { issues: [{ id: '1', key: 'OPS-1', fields: { labels: ['a'] } }], nextPageToken: 'tok-2', isLast: false });
});

test('treats a search page without a next token as the last one', async () => {
  handler = (_req, res) => send(res, 200, { issues: [{ id: '1', key: 'OPS-1' }] });
  const page = await client().searchJql({ jql: 'project = OPS' });
  assert.equal(page.isLast, true);
  assert.deepEqual(page.issues[0]?.fields, {});
});

test('refuses a search answer whose issues is not a list', async () => {
  handler = (_req, res) => send(res, 200, { issues: { total: 3 }, isLast: true });
  await rejectsWith(client().searchJql({ jql: 'project = OPS' }), (err) => {
    assert.equal(err.kind, 'bad_response');
    assert.match(err.message, /issues is not a list \(at issues\)/);
  });
});

test('follows next-page tokens up to the limit, asking only for what is still wanted', async () => {
  handler = (req, res) => {
    const body = req.body as { nextPageToken?: string; maxResults: number };
    const n = body.nextPageToken === undefined ? 0 : Number(body.nextPageToken);
    const issues = Array.from({ length: Math.min(2, body.maxResults) }, (_v, i) => ({ id: String(n + i), key: `OPS-${n + i}` }));
    send(res, 200, { issues, nextPageToken: String(n + issues.length), isLast: false });
  };
  const issues = await client().searchAllJql('project = OPS', { fields: ['summary'], limit: 5 });
  assert.deepEqual(issues.map((i) => i.key), ['OPS-0', 'OPS-1', 'OPS-2', 'OPS-3', 'OPS-4']);
  assert.deepEqual(seen.map((s) => (s.body as { maxResults: number }).maxResults), [5, 3, 1]);
  assert.deepEqual(seen.map((s) => (s.body as { nextPageToken?: string }).nextPageToken), [undefined, '2', '4']);
});

test('stops following tokens on the last page', async () => {
  handler = (_req, res) => send(res, 200, { issues: [{ id: '1', key: 'OPS-1' }], isLast: true, nextPageToken: null });
  assert.equal((await client().searchAllJql('project = OPS', { limit: 100 })).length, 1);
  assert.equal(seen.length, 1);
});

test('finds users by query', async () => {
  handler = (_req, res) => send(res, 200, [{ accountId: 'acc-9', displayName: 'Ana', emailAddress: 'ana@example.com', active: true }]);
  const users = await client().findUsers('ana@example.com');
  assert.equal(seen[0]?.path, '/rest/api/3/user/search');
  assert.equal(seen[0]?.query.get('query'), 'ana@example.com');
  assert.deepEqual(users.map((u) => u.accountId), ['acc-9']);
});

test('turns Jira\'s error body into a message and per-field errors', async () => {
  handler = (_req, res) =>
    send(res, 400, { errorMessages: ['Bad request.'], errors: { summary: 'You must specify a summary of the issue.', customfield_10030: "Option id '999' is not valid." } });
  await rejectsWith(client().createIssue({ fields: {} }), (err) => {
    assert.equal(err.status, 400);
    assert.equal(err.message, "Jira refused the request (HTTP 400): Bad request.; summary: You must specify a summary of the issue.; customfield_10030: Option id '999' is not valid.");
    assert.deepEqual(err.fieldErrors, { summary: 'You must specify a summary of the issue.', customfield_10030: "Option id '999' is not valid." });
  });
});

test('waits out a short Retry-After and tries again', async () => {
  let calls = 0;
  handler = (_req, res) => (++calls === 1 ? send(res, 429, { errorMessages: ['Rate limited'] }, { 'Retry-After': '0' }) : send(res, 200, { accountId: 'a', displayName: 'A' }));
  assert.equal((await client().myself()).accountId, 'a');
  assert.equal(seen.length, 2);
});

test('gives up on a long Retry-After and says when to come back', async () => {
  handler = (_req, res) => send(res, 429, { errorMessages: ['Rate limited'] }, { 'Retry-After': '120' });
  await rejectsWith(client({ maxInlineWaitMs: 1000 }).myself(), (err) => {
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 120_000);
    assert.equal(err.transient, true);
  });
  assert.equal(seen.length, 1);
});

test('reports an HTML page instead of JSON as a bad response', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body>Atlassian maintenance</body></html>');
  };
  await rejectsWith(client().myself(), (err) => {
    assert.equal(err.kind, 'bad_response');
    assert.match(err.message, /an HTML page/);
  });
});

test('reports truncated JSON as a bad response', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"issues": [{"id": "1", "ke');
  };
  await rejectsWith(client().searchJql({ jql: 'project = OPS' }), (err) => {
    assert.equal(err.kind, 'bad_response');
    assert.match(err.message, /malformed or truncated JSON/);
  });
});

test('times out when Jira does not answer', async () => {
  handler = () => undefined;
  await rejectsWith(client({ timeoutMs: 50 }).myself(), (err) => {
    assert.equal(err.kind, 'timeout');
    assert.equal(err.transient, true);
  });
});

test('encodes keys it puts in a path', async () => {
  handler = (_req, res) => send(res, 200, { issueTypes: [], startAt: 0, maxResults: 50, total: 0 });
  await client().issueTypes('A B/C');
  assert.equal(seen[0]?.path, '/rest/api/3/issue/createmeta/A%20B%2FC/issuetypes');
});
