/// <reference lib="dom" />
// End-to-end: a hire whose department Jira has no option for dies; the dead-letter page explains it
// and links the rule editor; the admin fixes the mapping there, retries from the dead letters, and the
// event ends synced with a Jira issue. Any console error, page error, failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './e2e-harness.js';
import { rulesStreamAbort, startPfJiraE2e, type PfJiraE2e } from './pf-jira-e2e-fixture.js';

describe('PeopleForce → Jira dead letters in a real browser', () => {
  let t: PfJiraE2e;
  let page: Page;
  let jira: PfJiraE2e['jira'];
  let pf: PfJiraE2e['pf'];
  const url = (p: string) => t.url(p);

  before(async () => {
    // Leaving the rules page right after a save may cut short the list refresh its live stream asks for; the browser aborting that is expected.
    const listRefreshAbort = (u: string, error: string | undefined) => new URL(u).pathname === '/admin/pf-jira/rules' && error === 'net::ERR_ABORTED';
    t = await startPfJiraE2e({ name: 'dlq', connections: true, watch: { expectedAbort: (u, error) => rulesStreamAbort!(u, error) || listRefreshAbort(u, error) } });
    ({ page, jira, pf } = t);
  });

  after(async () => {
    await t?.close();
  });

  it('explains a dead delivery, and a fixed mapping plus a retry turns it into a Jira issue', async () => {
    await t.signIn();

    // Legal is a new PeopleForce department; Jira's Department field has no such option.
    const employee = pf.sim.hire({ first_name: 'Lena', last_name: 'Lawyer', email: 'lena.lawyer@example.com', department: 'Legal', position: 'Counsel', employment_type: 'Full-Time', hired_on: pf.sim.today() });

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.waitForURL(url('/admin/pf-jira/dead-letters'));
    const delivery = page.locator('article.sy-dl-item').filter({ hasText: 'Lena Lawyer' });
    const deadline = Date.now() + 30_000;
    while (!(await delivery.count())) {
      assert.ok(Date.now() < deadline, 'the delivery did not die within 30 s');
      await new Promise((r) => setTimeout(r, 250));
      await page.reload();
    }
    await delivery.getByText('“Legal” no longer exists in Department; edit the mapping.').waitFor();
    await delivery.getByText(/“New hires → IT onboarding” v1/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dead-letters.png'), fullPage: true });

    await delivery.getByRole('link', { name: 'Edit rule “New hires → IT onboarding”' }).click();
    await page.waitForURL(/\/admin\/pf-jira\/rules\/\d+\/edit$/);
    const row = page.locator('[data-row="mapping"]').filter({ has: page.locator('input[value="customfield_10030"]') });
    await row.locator('select[data-source-type]').selectOption('STATIC');
    await row.locator('input[name$=".value"]').fill('Operations');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.waitForURL(url('/admin/pf-jira/rules'));

    await page.goto(url('/admin/pf-jira/dead-letters'));
    await page.locator('article.sy-dl-item').filter({ hasText: 'Lena Lawyer' }).getByRole('button', { name: 'Retry the delivery for Lena Lawyer' }).click();
    await page.getByText('1 delivery queued again').waitFor();

    const synced = Date.now() + 20_000;
    while (!jira.sim.snapshot().issues.some((i) => i.labels.includes(`pf-employee-${employee.id}`))) {
      assert.ok(Date.now() < synced, 'the retried delivery did not reach Jira in 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const issue = jira.sim.snapshot().issues.find((i) => i.labels.includes(`pf-employee-${employee.id}`))!;
    assert.equal((issue.fields.customfield_10030 as { value: string }).value, 'Operations');

    await page.goto(url(`/admin/pf-jira/events?person=${employee.id}`));
    const item = page.locator('.sy-timeline-item').filter({ hasText: 'employee_create' });
    await item.getByText(issue.key).waitFor();
    await item.getByRole('link', { name: /Decision trace of event/ }).click();
    await page.getByTestId('issue-key').getByText(issue.key).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'pf-jira-event-trace.png'), fullPage: true });
    assert.deepEqual(t.problems, []);
  });
});
