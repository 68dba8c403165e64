/// <reference lib="dom" />
// End-to-end: the PeopleForce → Jira plugin in the built hub, with both simulators running in this
// process. The browser enters both connections and tests them, a hire in the simulated PeopleForce
// reaches the hub by webhook, and the event log shows the decision and the Jira issue it produced.
// Any console error, page error, failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './e2e-harness.js';
import { WEBHOOK_SECRET, startPfJiraE2e, type PfJiraE2e } from './pf-jira-e2e-fixture.js';

describe('PeopleForce → Jira in a real browser', () => {
  let t: PfJiraE2e;
  let page: Page;
  let jira: PfJiraE2e['jira'];
  let pf: PfJiraE2e['pf'];
  const url = (p: string) => t.url(p);

  before(async () => {
    t = await startPfJiraE2e({ name: 'pf' });
    ({ page, jira, pf } = t);
  });

  after(async () => {
    await t?.close();
  });

  it('enters both connections and tests them from the connections page', async () => {
    await t.signIn();
    await page.getByRole('list', { name: 'PeopleForce → Jira' }).getByRole('link', { name: 'Connections' }).click();
    await page.waitForURL(url('/admin/pf-jira/connections'));

    const jiraCard = page.getByRole('form', { name: 'Jira Cloud connection' });
    await jiraCard.getByLabel('Jira site URL').fill(jira.url);
    await jiraCard.getByLabel('Jira account email').fill(jira.sim.credentials.email);
    await jiraCard.getByLabel('Jira API token').fill(jira.sim.credentials.apiToken);
    await jiraCard.getByRole('button', { name: 'Save Jira Cloud' }).click();
    await page.getByText('Jira Cloud connection saved.').waitFor();
    await page.getByRole('form', { name: 'Jira Cloud connection' }).getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connected to Jira as Demo Admin').waitFor();

    const pfCard = page.getByRole('form', { name: 'PeopleForce connection' });
    await pfCard.getByLabel('PeopleForce URL').fill(pf.url);
    await pfCard.getByLabel('PeopleForce API key').fill('demo-pf-key');
    await pfCard.getByLabel('Webhook secret').fill(WEBHOOK_SECRET);
    await pfCard.getByRole('button', { name: 'Save PeopleForce' }).click();
    await page.getByText('PeopleForce connection saved.').waitFor();
    await page.getByRole('form', { name: 'PeopleForce connection' }).getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/Connected to PeopleForce: \d+ employees/).waitFor();
    assert.equal(await page.getByTestId('webhook-url').textContent(), `${t.base}/hooks/pf-jira/peopleforce`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-connections.png'), fullPage: true });
  });

  it('shows a webhook hire in the event log with its decision and the Jira issue', async () => {
    const employee = pf.sim.hire({ first_name: 'Oksana', last_name: 'Browser', email: 'oksana.browser@example.com', department: 'IT', position: 'Support Engineer', employment_type: 'Full-Time', hired_on: pf.sim.today() });
    const deadline = Date.now() + 20_000;
    while (!jira.sim.snapshot().issues.some((i) => i.labels.includes(`pf-employee-${employee.id}`))) {
      assert.ok(Date.now() < deadline, 'the issue did not reach the simulated Jira in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const issue = jira.sim.snapshot().issues.find((i) => i.labels.includes(`pf-employee-${employee.id}`));
    await page.getByRole('link', { name: 'Events' }).click();
    await page.waitForURL(url('/admin/pf-jira/events'));
    const item = page.locator('.sy-timeline-item').filter({ hasText: 'Oksana Browser' }).filter({ hasText: 'employee_create' });
    await item.getByText(issue!.key).waitFor();
    await item.getByRole('link', { name: /Decision trace of event/ }).click();
    await page.getByTestId('decision-reason').getByText(/New hires → IT onboarding/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-event.png'), fullPage: true });
    assert.deepEqual(t.problems, []);
  });
});
