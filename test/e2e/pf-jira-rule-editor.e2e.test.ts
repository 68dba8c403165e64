/// <reference lib="dom" />
// End-to-end: the rule editor modal in the built hub, with both simulators in this process. An admin
// opens "New rule", the Jira parts hydrate, picks a project with Tom Select's remote search, builds a
// condition from a suggested path and mappings with a required field flagged, previews the rule
// against a recorded event (winning rule, request body, a per-field error), fixes it, and saves: the
// modal closes and the new rule's badge goes Validating → Valid without a reload. Any console error, page error,
// failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './e2e-harness.js';
import { startPfJiraE2e, type PfJiraE2e } from './pf-jira-e2e-fixture.js';

describe('the rule editor in a real browser', () => {
  let t: PfJiraE2e;
  let page: Page;
  let jira: PfJiraE2e['jira'];
  let pf: PfJiraE2e['pf'];
  const url = (p: string) => t.url(p);

  before(async () => {
    t = await startPfJiraE2e({ name: 'editor', connections: true });
    ({ page, jira, pf } = t);
    // One recorded event, so the editor has path suggestions and a sample to preview against.
    pf.sim.hire({ first_name: 'Grace', last_name: 'Preview', email: 'grace.preview@example.com', department: 'Engineering', position: 'Engineer', employment_type: 'Full-Time', hired_on: pf.sim.today() });
    await pf.sim.webhooksIdle();
  });

  after(async () => {
    await t?.close();
  });

  /** Resolves once no htmx request is in flight in the modal. */
  const settled = () => page.waitForFunction(() => document.querySelectorAll('#sy-modal-root .htmx-request').length === 0);

  it('builds, previews and saves a rule in the modal', async () => {
    await t.signIn();
    await page.goto(url('/admin/pf-jira/rules'));

    await page.getByRole('link', { name: 'New rule' }).click();
    const modal = page.locator('#sy-modal-root .modal.is-active');
    await modal.waitFor();
    await modal.getByLabel('Name').fill('Engineering hires (editor)');
    await modal.getByLabel('Priority').fill('5');

    // Tom Select with remote search over the cached project list.
    const projectPicker = modal.locator('#rule-project-picker .ts-control');
    await projectPicker.waitFor();
    await projectPicker.click();
    await page.keyboard.type('IT Serv');
    await page.locator('.ts-dropdown .option', { hasText: 'IT · IT Service' }).click();
    const issueType = modal.locator('select#rule-issue-type');
    await issueType.waitFor();
    await issueType.selectOption({ label: 'Onboarding' });
    await modal.locator('[data-testid="required-missing"]', { hasText: 'Department' }).waitFor();

    // A condition from a suggested path.
    const suggestions = await modal.locator('#rule-path-suggestions option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    assert.ok(suggestions.includes('$.department.name'), `suggestions: ${suggestions.join(', ')}`);
    await modal.locator('#rule-conditions-0-path').fill('$.department.name');
    await modal.locator('#rule-conditions-0-value').fill('Engineering');

    // The required Department field, flagged ★, added from the list; first with a value Jira would refuse.
    await modal.getByRole('button', { name: 'Add a mapping for Department' }).first().click();
    const department = modal.locator('#rule-mappings-1-fieldId');
    await department.waitFor();
    assert.equal(await department.inputValue(), 'customfield_10030');
    await modal.locator('#rule-mappings-1-value').fill('Astrophysics');

    // The re-rendered form hydrates its Jira parts again; preview once they have settled, as a person would.
    await modal.locator('select#rule-issue-type').waitFor();
    await settled();
    await modal.getByRole('button', { name: 'Preview' }).click();
    const preview = modal.locator('[data-testid="rule-preview"]');
    await preview.waitFor({ timeout: 20_000 });
    const decision = preview.locator('[data-testid="preview-decision"]');
    await decision.waitFor().catch(() => undefined);
    assert.match((await decision.textContent().catch(() => null)) ?? '', /This rule \(the draft\)/, `the preview said: ${(await preview.textContent())?.replace(/\s+/g, ' ')}`);
    await preview.locator('[data-testid="preview-body"]').waitFor();
    assert.match((await preview.locator('[data-testid="preview-body"]').textContent()) ?? '', /"project": \{\s*"key": "IT"/);
    await preview.locator('[data-testid="preview-problems"]', { hasText: 'Department' }).waitFor();
    await preview.locator('[data-testid="preview-decision"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'rule-modal.png') });

    await modal.locator('#rule-mappings-1-value').fill('IT');
    await modal.getByRole('button', { name: 'Preview' }).click();
    await preview.locator('[data-testid="preview-clean"]').waitFor();

    // Jira takes its time describing the project, so the check that follows the save is seen running.
    jira.sim.faults.add({ kind: 'slow', delayMs: 2_000, count: 2, match: 'createmeta/IT' });
    await modal.getByRole('button', { name: 'Save rule' }).click();
    await page.locator('#sy-modal-root .modal').waitFor({ state: 'detached' });
    await page.getByText(/Rule “Engineering hires \(editor\)” saved as version 1/).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Engineering hires (editor)' });
    await row.locator('[data-testid="rule-status"][data-status="validating"]').waitFor({ timeout: 10_000 });
    await row.locator('[data-testid="rule-status"][data-status="valid"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'the badge changed without a reload');
    assert.deepEqual(t.problems, []);
  });
});
