/// <reference lib="dom" />
// End-to-end: the routing rules dashboard in the built hub, with both simulators in this process.
// Rules are reordered by drag and drop and from the keyboard, a change to the simulated Jira schema
// turns a badge Invalid (and the rule off) live over SSE without a reload, and Sync now shows its summary.
// Any console error, page error, failed request or CSP violation fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './e2e-harness.js';
import { rulesStreamAbort, startPfJiraE2e, type PfJiraE2e } from './pf-jira-e2e-fixture.js';

const OFFBOARDING = 'Terminations → HR offboarding';
const ONBOARDING = 'New hires → IT onboarding';
const CONTRACTORS = 'Contractors are not onboarded';

describe('the routing rules dashboard in a real browser', () => {
  let t: PfJiraE2e;
  let page: Page;
  let jira: PfJiraE2e['jira'];
  let pf: PfJiraE2e['pf'];
  const url = (p: string) => t.url(p);
  const names = () => page.locator('#rules-body a.sy-rule-name').allTextContents();
  const row = (name: string) => page.locator('#rules-body tr', { has: page.getByRole('link', { name, exact: true }) });
  const waitForOrder = async (expected: string[]) => {
    await page.waitForFunction((want) => [...document.querySelectorAll('#rules-body a.sy-rule-name')].map((a) => a.textContent).join('|') === want.join('|'), expected);
  };
  const live = () => page.getByText('Live updates: on').waitFor();

  before(async () => {
    t = await startPfJiraE2e({ name: 'rules', connections: true, watch: { expectedAbort: rulesStreamAbort } });
    ({ page, jira, pf } = t);
    await t.signIn();
  });

  after(async () => {
    await t?.close();
  });

  it('reorders two rules by drag and drop, and the order survives a reload', async () => {
    await page.goto(url('/admin/pf-jira/rules'));
    await live();
    assert.deepEqual((await names()).slice(0, 2), [CONTRACTORS, ONBOARDING]);

    await page.getByRole('button', { name: `Move ${ONBOARDING}`, exact: true }).dragTo(row(CONTRACTORS), { targetPosition: { x: 40, y: 3 } });
    await waitForOrder([ONBOARDING, CONTRACTORS, OFFBOARDING, 'Other employee changes are not ticketed']);
    await page.getByRole('status').filter({ hasText: `${ONBOARDING} is now number 1 of 4.` }).waitFor({ state: 'attached' });

    await page.reload();
    await live();
    assert.deepEqual((await names()).slice(0, 2), [ONBOARDING, CONTRACTORS]);
  });

  it('moves a rule with the keyboard (the Up button and Alt+↓ on the handle), and the order survives a reload', async () => {
    const up = page.getByRole('button', { name: `Move ${OFFBOARDING} up` });
    await up.focus();
    await page.keyboard.press('Enter');
    await waitForOrder([ONBOARDING, OFFBOARDING, CONTRACTORS, 'Other employee changes are not ticketed']);
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.endsWith('offboarding up'));

    await page.getByRole('button', { name: `Move ${ONBOARDING}`, exact: true }).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await waitForOrder([OFFBOARDING, ONBOARDING, CONTRACTORS, 'Other employee changes are not ticketed']);
    await page.getByRole('status').filter({ hasText: `${ONBOARDING} is now number 2 of 4.` }).waitFor({ state: 'attached' });

    await page.reload();
    await live();
    assert.deepEqual((await names()).slice(0, 3), [OFFBOARDING, ONBOARDING, CONTRACTORS]);
  });

  it('after a Jira schema change, validation turns the badge Invalid and the rule off, live and without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { syNoReload: boolean }).syNoReload = true));
    jira.sim.setFieldRequired({ project: 'HR', issueTypeId: 'Offboarding', fieldId: 'duedate', required: true });
    await page.getByRole('button', { name: 'Validate all rules now' }).click();
    await page.getByText('Validation of every enabled rule was queued').waitFor();

    const badge = row(OFFBOARDING).locator('[data-testid=rule-status]');
    await badge.and(page.locator('[data-status=invalid]')).waitFor({ timeout: 15_000 });
    await row(OFFBOARDING).getByRole('switch').and(page.locator('[aria-checked=false]')).waitFor({ timeout: 15_000 });
    await row(ONBOARDING).locator('[data-status=valid]').waitFor({ timeout: 15_000 });
    assert.match((await badge.getAttribute('data-tip')) ?? '', /Due date/);
    await badge.hover();
    await page.waitForFunction(() => {
      const el = [...document.querySelectorAll('[data-status=invalid]')][0];
      return el ? getComputedStyle(el, '::after').opacity === '1' : false;
    });
    assert.equal(await page.evaluate(() => (window as unknown as { syNoReload?: boolean }).syNoReload), true, 'the page was not reloaded');
  });

  it('Sync now shows progress and then the summary of the run', async () => {
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByTestId('sync-last').waitFor({ timeout: 20_000 });
    assert.ok(Number(await page.getByTestId('sync-seen').textContent()) > 0);
    for (const id of ['sync-events', 'sync-synced', 'sync-dropped', 'sync-failed']) await page.getByTestId(id).waitFor();
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss message' }).all()) await dismiss.click();
    await page.screenshot({ path: path.join(ARTIFACTS, 'rules-dashboard.png'), fullPage: true });
  });

  it('had no console errors, failed requests or CSP violations', () => {
    assert.deepEqual(t.problems, []);
  });
});
