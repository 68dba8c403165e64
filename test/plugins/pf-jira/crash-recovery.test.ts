import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { systemActor } from '../../../src/platform/actor.js';
import { projectPath } from '../../../src/paths.js';
import { EXAMPLE_RULES } from '../../../src/plugins/pf-jira/rules/example-rules.js';
import { createRuleService } from '../../../src/plugins/pf-jira/rules/rule-service.js';
import { createAuditService } from '../../../src/platform/audit.js';
import { createAuditRepository } from '../../../src/db/repositories/audit-repository.js';
import { transactionRunner } from '../../../src/db/transaction.js';
import { startJiraSimulator } from '../../../src/simulators/jira/jira-simulator.js';
import { startPeopleForceSimulator } from '../../../src/simulators/peopleforce/peopleforce-simulator.js';
import { startTestHub, tempDir } from '../../helpers/hub.js';
import { eventually } from './engine-fixture.js';
import { freePort } from '../../helpers/net.js';

/** The real server in its own process, so it can be killed with SIGKILL mid-call. */
const startServer = async (dataDir: string, port: number): Promise<ChildProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli.ts'), 'serve'], {
    cwd: projectPath(),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok, 'the hub to start', 20_000);
  return child;
};

const kill = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

let jira: Awaited<ReturnType<typeof startJiraSimulator>>;
let pf: Awaited<ReturnType<typeof startPeopleForceSimulator>>;
let server: ChildProcess | undefined;

before(async () => {
  // Jira indexes new issues 4 s late; the engine waits up to 10 s for the index before creating again.
  jira = await startJiraSimulator({ port: 0, indexDelayMs: 4_000 });
  pf = await startPeopleForceSimulator({ port: 0 });
});

after(async () => {
  if (server && server.exitCode === null) await kill(server);
  await pf.sim.webhooksIdle();
  await jira.close();
  await pf.close();
});

test('a SIGKILL between Jira creating the issue and our commit leaves no duplicate after restart', { timeout: 90_000 }, async () => {
  const dataDir = tempDir('switchyard-crash-');
  const port = await freePort();
  const setup = await startTestHub({ plugins: ['pf-jira'], dataDir, startJobs: false });
  setup.ctx.domainConfig.update(systemActor, 'pf-jira', {
    fallbackProjects: ['OPS'],
    settings: {
      jiraSiteUrl: jira.url,
      jiraEmail: jira.sim.credentials.email,
      jiraApiToken: jira.sim.credentials.apiToken,
      peopleforceUrl: pf.url,
      peopleforceApiKey: 'demo-pf-key',
      peopleforceWebhookSecret: 'crash-test-secret',
      jiraTimeoutSeconds: 60,
      searchIndexGraceSeconds: 10,
    },
  });
  const rules = createRuleService({ handle: setup.ctx.db, tx: transactionRunner(setup.ctx.db), audit: createAuditService(createAuditRepository(setup.ctx.db.db), setup.clock), clock: setup.clock });
  for (const rule of EXAMPLE_RULES) rules.create(rule, systemActor);
  await setup.close();

  server = await startServer(dataDir, port);
  pf.sim.setWebhook({ url: `http://127.0.0.1:${port}/hooks/pf-jira/peopleforce`, secret: 'crash-test-secret' });
  // Jira makes the issue and then holds its answer: the hub is killed while it waits.
  jira.sim.faults.add({ kind: 'slow_after', delayMs: 60_000, count: 1, match: '^POST /rest/api/3/issue$' });
  const employee = pf.sim.hire({ first_name: 'Crash', last_name: 'Test', email: 'crash.test@example.com', department: 'IT', position: 'Support', employment_type: 'Full-Time', hired_on: pf.sim.today() });
  const label = `pf-employee-${employee.id}`;
  const issuesOfEmployee = () => jira.sim.snapshot().issues.filter((i) => !i.deleted && i.labels.includes(label));
  await eventually(() => issuesOfEmployee().length === 1, 'Jira to create the issue', 20_000);
  await kill(server);
  jira.sim.faults.clear();

  const db = new Database(path.join(dataDir, 'switchyard.db'), { readonly: true });
  try {
    const pending = db.prepare("SELECT state FROM pfj_links WHERE entity_key = ?").get(`employee:${employee.id}`) as { state: string } | undefined;
    assert.equal(pending?.state, 'pending', 'the intent was committed before Jira was called; the link was not');

    server = await startServer(dataDir, port);
    const statusOf = () => (db.prepare("SELECT status FROM pfj_events WHERE entity_id = ? AND type = 'employee_create'").get(String(employee.id)) as { status: string } | undefined)?.status;
    await eventually(() => statusOf() === 'synced', 'the restarted hub to resolve the unfinished create', 40_000);
    assert.equal(issuesOfEmployee().length, 1, 'exactly one issue for the employee');
    const link = db.prepare('SELECT state, issue_key AS issueKey FROM pfj_links WHERE entity_key = ?').get(`employee:${employee.id}`) as { state: string; issueKey: string };
    assert.deepEqual(link, { state: 'linked', issueKey: issuesOfEmployee()[0]?.key });
  } finally {
    db.close();
  }
});
