import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../../../src/platform/actor.js';
import { startTestHub, type TestHub } from '../../helpers/hub.js';
import { html, mainText, type HtmlDocument } from '../web-helpers.js';

const actor = (email: string): Actor => ({ userId: null, email, role: 'admin', ip: '10.0.0.1', requestId: 'req-1' });

/** Records an entry at a given UTC time, then puts the clock back. */
const recordAt = (hub: TestHub, iso: string, email: string, action: string, targetId: string, after?: unknown) => {
  const now = hub.clock.now();
  hub.clock.set(Date.parse(iso));
  hub.ctx.audit.record(actor(email), { action, targetType: 'thing', targetId, ...(after === undefined ? {} : { after }) });
  hub.clock.set(now);
};

const rows = (doc: HtmlDocument) => doc.findAll('table[aria-label="Audit entries"] tbody tr');
const targets = (doc: HtmlDocument) => rows(doc).map((r) => r.findAll('td')[3]!.text());

/** A hub with an admin and three known entries, older than the admin's own creation and sign-in. */
const seeded = async () => {
  const hub = await startTestHub();
  const admin = await hub.signIn('admin');
  recordAt(hub, '2026-01-10T09:00:00Z', 'alice@example.com', 'widget.create', 'w-1', { colour: 'red' });
  recordAt(hub, '2026-01-11T12:00:00Z', 'bob@example.com', 'widget.delete', 'w-2', { colour: 'blue' });
  recordAt(hub, '2026-01-12T23:59:00Z', 'alice@example.com', 'widget.delete', 'w-3', { note: 'needle in here' });
  return { hub, admin };
};

test('the audit page lists entries newest first with who, what, target and change', async () => {
  const { hub, admin } = await seeded();
  try {
    const doc = await html(await admin.get('/admin/audit'));
    assert.match(mainText(doc), /5 entries\./);
    const first = rows(doc)[0]!.findAll('td');
    assert.equal(first[1]!.text(), 'admin@example.com', 'the sign-in just now is newest');
    const w3 = rows(doc).find((r) => /w-3/.test(r.text()))!;
    const cells = w3.findAll('td');
    assert.equal(cells[0]!.text(), '2026-01-12 23:59:00 UTC');
    assert.equal(cells[1]!.text(), 'alice@example.com');
    assert.equal(cells[2]!.text(), 'widget.delete');
    assert.match(cells[5]!.text(), /"note": "needle in here"/);
    assert.match(cells[6]!.text(), /10\.0\.0\.1\s*req-1/);
    assert.deepEqual(targets(doc).slice(2), ['thing w-3', 'thing w-2', 'thing w-1']);
  } finally {
    await hub.close();
  }
});

test('filters by actor, action and text, and keeps the filters in the form', async () => {
  const { hub, admin } = await seeded();
  try {
    const byActor = await html(await admin.get('/admin/audit?actor=alice'));
    assert.deepEqual(targets(byActor), ['thing w-3', 'thing w-1']);
    assert.equal(byActor.get('#audit-actor').attr('value'), 'alice');

    const byAction = await html(await admin.get('/admin/audit?action=widget.delete'));
    assert.deepEqual(targets(byAction), ['thing w-3', 'thing w-2']);
    assert.equal(byAction.get('#audit-action option[selected]').attr('value'), 'widget.delete');
    const actions = byAction.findAll('#audit-action option').map((o) => o.attr('value'));
    assert.ok(actions.includes('widget.create') && actions.includes('auth.login'), 'every recorded action is offered');

    const byText = await html(await admin.get('/admin/audit?text=needle'));
    assert.deepEqual(targets(byText), ['thing w-3']);
    const byTarget = await html(await admin.get('/admin/audit?text=w-2'));
    assert.deepEqual(targets(byTarget), ['thing w-2']);

    const combined = await html(await admin.get('/admin/audit?actor=alice&action=widget.delete'));
    assert.deepEqual(targets(combined), ['thing w-3']);
    assert.match(mainText(combined), /1 entry\./);
  } finally {
    await hub.close();
  }
});

test('filters by date, with the "to" day included whole', async () => {
  const { hub, admin } = await seeded();
  try {
    assert.deepEqual(targets(await html(await admin.get('/admin/audit?from=2026-01-11&to=2026-01-11'))), ['thing w-2']);
    assert.deepEqual(targets(await html(await admin.get('/admin/audit?from=2026-01-11&to=2026-01-12'))), ['thing w-3', 'thing w-2']);
    assert.deepEqual(targets(await html(await admin.get('/admin/audit?to=2026-01-10'))), ['thing w-1']);
    const doc = await html(await admin.get('/admin/audit?from=2026-01-11'));
    assert.equal(doc.get('#audit-from').attr('value'), '2026-01-11');
  } finally {
    await hub.close();
  }
});

test('a bad date is refused with 422 and a message naming the field and the expected form', async () => {
  const { hub, admin } = await seeded();
  try {
    for (const [query, field] of [['from=yesterday', 'from'], ['to=2026-13-45', 'to'], ['from=2026-02-31', 'from'], ['to=31.01.2026', 'to']] as const) {
      const res = await admin.get(`/admin/audit?${query}`);
      assert.equal(res.status, 422, query);
      const text = mainText(await html(res));
      assert.match(text, new RegExp(`The "${field}" date .* is not a date; use one like 2026-01-31\\.`), query);
    }
    const json = await admin.get('/admin/audit?from=yesterday', { Accept: 'application/json' });
    const body = (await json.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    assert.equal(body.error.code, 'validation_failed');
    assert.deepEqual(body.error.details.fields, { from: 'Use a date like 2026-01-31.' });
  } finally {
    await hub.close();
  }
});

test('pages through long results 50 at a time, keeping the filters in the links', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    for (let i = 0; i < 120; i++) recordAt(hub, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), 'bulk@example.com', 'bulk.item', `item-${String(i).padStart(3, '0')}`);
    const first = await html(await admin.get('/admin/audit?actor=bulk'));
    assert.equal(rows(first).length, 50);
    assert.equal(targets(first)[0], 'thing item-119');
    assert.match(first.get('nav.pagination').text(), /Page 1 of 3/);
    assert.equal(first.find('.pagination-previous'), undefined);
    assert.equal(first.get('.pagination-next').attr('href'), '?actor=bulk&page=2');

    const last = await html(await admin.get('/admin/audit?actor=bulk&page=3'));
    assert.equal(rows(last).length, 20);
    assert.equal(targets(last).at(-1), 'thing item-000');
    assert.equal(last.get('.pagination-previous').attr('href'), '?actor=bulk&page=2');
    assert.equal(last.find('.pagination-next'), undefined);

    const junk = await html(await admin.get('/admin/audit?actor=bulk&page=abc'));
    assert.match(junk.get('nav.pagination').text(), /Page 1 of 3/);
    const beyond = await html(await admin.get('/admin/audit?actor=bulk&page=99'));
    assert.equal(rows(beyond).length, 0, 'past the end is empty, not an error');
  } finally {
    await hub.close();
  }
});

test('one page of results shows no pagination', async () => {
  const { hub, admin } = await seeded();
  try {
    assert.equal((await html(await admin.get('/admin/audit'))).find('nav.pagination'), undefined);
  } finally {
    await hub.close();
  }
});

test('entries are shown as text, never as markup', async () => {
  const hub = await startTestHub();
  try {
    const admin = await hub.signIn('admin');
    recordAt(hub, '2026-01-10T09:00:00Z', '<b>x</b>@example.com', 'widget.create', '<script>alert(1)</script>', { name: '<img src=x>' });
    const doc = await html(await admin.get('/admin/audit'));
    assert.equal(doc.find('main script'), undefined);
    assert.equal(doc.find('main img'), undefined);
    assert.equal(doc.find('main b'), undefined);
    assert.match(mainText(doc), /<script>alert\(1\)<\/script>/);
  } finally {
    await hub.close();
  }
});

test('filter values with LIKE wildcards match literally', async () => {
  const { hub, admin } = await seeded();
  try {
    assert.equal(rows(await html(await admin.get('/admin/audit?actor=%25'))).length, 0, '"%" is not a wildcard');
    assert.equal(rows(await html(await admin.get('/admin/audit?text=w_1'))).length, 0, '"_" is not a wildcard');
  } finally {
    await hub.close();
  }
});
