import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { runDemo } from '../../src/demo/run-demo.js';
import { tempDir } from '../helpers/hub.js';
import { eventually } from '../plugins/pf-jira/engine-fixture.js';
import { freePort } from '../helpers/net.js';

test('the demo wires the simulators to the hub, prints a working login, and a hire becomes an issue', { timeout: 60_000 }, async () => {
  const dataDir = tempDir('switchyard-demo-');
  const env = { PORT: String(await freePort()), JIRA_SIM_PORT: String(await freePort()), PEOPLEFORCE_SIM_PORT: String(await freePort()), BQE_SIM_PORT: String(await freePort()), HUB_DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOG_FORMAT: 'json', DEMO_TRICKLE_SECONDS: '3600' };
  const lines: string[] = [];
  const demo = await runDemo(env, (line) => lines.push(line));
  try {
    assert.ok(lines.some((l) => l.includes(`demo-admin@example.com / ${demo.adminPassword}`)));
    const login = await fetch(`${demo.hubUrl}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: demo.hubUrl }, body: new URLSearchParams({ email: 'demo-admin@example.com', password: demo.adminPassword }) });
    assert.equal(login.status, 303);
    assert.equal(demo.hub.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM pfj_rules').get() && (demo.hub.ctx.db.sqlite.prepare('SELECT count(*) AS n FROM pfj_rules').get() as { n: number }).n, 4);
    const employee = demo.pf.sim.hire({ first_name: 'Demo', last_name: 'Newcomer', email: 'demo.newcomer@example.com', department: 'Sales', position: 'Account Executive', employment_type: 'Full-Time', hired_on: demo.pf.sim.today() });
    await eventually(() => demo.jira.sim.snapshot().issues.some((i) => i.labels.includes(`pf-employee-${employee.id}`)), 'the onboarding issue', 20_000);
    // The BQE connection waits for the admin's consent, pointed at the simulator with an offset set.
    const bqe = demo.hub.ctx.db.sqlite.prepare('SELECT identity_url, status, utc_offset_minutes FROM bqe_connections').all();
    assert.deepEqual(bqe, [{ identity_url: demo.bqe.identityUrl, status: 'not_connected', utc_offset_minutes: -300 }]);
    assert.ok(lines.some((l) => l.includes(demo.bqe.url) && l.includes('Connect with BQE')));
  } finally {
    await demo.pf.sim.webhooksIdle();
    await demo.stop();
  }
});

test('the demo refuses a bad port or trickle interval with the variable named', async () => {
  await assert.rejects(runDemo({ JIRA_SIM_PORT: 'x', HUB_DATA_DIR: tempDir('switchyard-demo-') }, () => undefined), /JIRA_SIM_PORT must be a port number/);
  await assert.rejects(runDemo({ DEMO_TRICKLE_SECONDS: '0', HUB_DATA_DIR: tempDir('switchyard-demo-'), JIRA_SIM_PORT: String(await freePort()), PEOPLEFORCE_SIM_PORT: String(await freePort()), BQE_SIM_PORT: String(await freePort()) }, () => undefined), /DEMO_TRICKLE_SECONDS must be/);
});

test('a demo that cannot start its hub stops the simulators it had started', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const hubPort = (taken.address() as net.AddressInfo).port;
  const jiraPort = await freePort();
  const pfPort = await freePort();
  try {
    const env = { HOST: '127.0.0.1', PORT: String(hubPort), JIRA_SIM_PORT: String(jiraPort), PEOPLEFORCE_SIM_PORT: String(pfPort), BQE_SIM_PORT: String(await freePort()), HUB_DATA_DIR: tempDir('switchyard-demo-'), LOG_LEVEL: 'silent', LOG_FORMAT: 'json' };
    await assert.rejects(runDemo(env, () => undefined), /EADDRINUSE|in use/);
  } finally {
    taken.close();
  }
  for (const port of [jiraPort, pfPort]) {
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => again.close(() => resolve()));
  }
});
