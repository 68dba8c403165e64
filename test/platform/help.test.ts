import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { AppError } from '../../src/errors.js';
import { HelpLibrary, slugify } from '../../src/platform/help.js';
import { projectPath } from '../../src/paths.js';

const topicsDir = (files: Record<string, string>): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-help-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};

const GUIDE = `# Connecting Jira

Switchyard talks to *Jira* through an [API token](https://example.com).

## Before you start

You need an admin account.

### Token scopes

Read and write.

## Troubleshooting

<script>alert("x")</script>

<b>bold?</b>

#### Too deep for the contents
`;

const isNotFound = (err: unknown): boolean => err instanceof AppError && err.status === 404 && err.code === 'not_found';

describe('HelpLibrary', () => {
  test('lists topics sorted by the title from their first heading, with a plain summary', () => {
    const library = new HelpLibrary(topicsDir({ 'jira.md': GUIDE, 'another.md': '# Audit log\n\nWho did what.\n', 'untitled.md': 'Just text.\n' }));
    assert.deepEqual(library.list(), [
      { name: 'another', title: 'Audit log', summary: 'Who did what.' },
      { name: 'jira', title: 'Connecting Jira', summary: 'Switchyard talks to Jira through an API token(https://example.com).' },
      { name: 'untitled', title: 'untitled', summary: 'Just text.' },
    ]);
  });

  test('ignores files that are not markdown or whose names are not topic names', () => {
    const library = new HelpLibrary(topicsDir({ 'ok.md': '# Ok\n', 'notes.txt': '# Txt\n', 'Bad Name.md': '# Bad\n', '_hidden.md': '# Hidden\n' }));
    assert.deepEqual(library.list().map((t) => t.name), ['ok']);
  });

  test('renders a topic with a contents list of h2 and h3 headings and their ids', () => {
    const topic = new HelpLibrary(topicsDir({ 'jira.md': GUIDE })).get('jira');
    assert.equal(topic.name, 'jira');
    assert.equal(topic.title, 'Connecting Jira');
    assert.deepEqual(topic.toc, [
      { level: 2, id: 'before-you-start', text: 'Before you start' },
      { level: 3, id: 'token-scopes', text: 'Token scopes' },
      { level: 2, id: 'troubleshooting', text: 'Troubleshooting' },
    ]);
    assert.match(topic.html, /<h2 id="before-you-start" tabindex="-1"><a class="header-anchor" href="#before-you-start">/);
    assert.match(topic.html, /<h3 id="token-scopes"/);
    assert.match(topic.html, /<em>Jira<\/em>/);
    assert.match(topic.html, /<a href="https:\/\/example.com">API token<\/a>/);
  });

  test('escapes raw HTML in markdown instead of rendering it', () => {
    const { html } = new HelpLibrary(topicsDir({ 'jira.md': GUIDE })).get('jira');
    assert.ok(!html.includes('<script>'), 'no script element');
    assert.ok(!html.includes('<b>'), 'no bold element');
    assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
    assert.match(html, /&lt;b&gt;bold\?&lt;\/b&gt;/);
  });

  test('refuses an unknown topic with a 404 AppError', () => {
    const library = new HelpLibrary(topicsDir({ 'jira.md': GUIDE }));
    assert.equal(library.has('missing'), false);
    assert.throws(() => library.get('missing'), (err: unknown) => isNotFound(err) && /no help topic named "missing"/.test((err as Error).message));
  });

  test('does not find names that are paths', () => {
    const root = topicsDir({});
    const inner = path.join(root, 'guides');
    fs.mkdirSync(path.join(inner, 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'outside.md'), '# Outside\n');
    fs.writeFileSync(path.join(inner, 'a', 'b.md'), '# Nested\n');
    const library = new HelpLibrary(inner);
    for (const name of ['../etc/passwd', '../outside', 'a/b', '..', '.', 'A', '', `x${'y'.repeat(64)}`]) {
      assert.equal(library.has(name), false, name);
      assert.throws(() => library.get(name), isNotFound, name);
    }
  });

  test('cuts a very long unknown name in the message', () => {
    const library = new HelpLibrary(topicsDir({}));
    assert.throws(() => library.get('z'.repeat(500)), (err: unknown) => isNotFound(err) && (err as Error).message.length < 120);
  });

  test('adds plugin folders, first folder winning on equal names', () => {
    const base = topicsDir({ 'shared.md': '# Base version\n' });
    const plugin = topicsDir({ 'shared.md': '# Plugin version\n', 'crm.md': '# CRM sync\n\nKeeps contacts in step.\n' });
    const library = new HelpLibrary(base);
    assert.equal(library.has('crm'), false);
    library.addDirectory(plugin);
    library.addDirectory(plugin);
    assert.equal(library.has('crm'), true);
    assert.equal(library.get('crm').title, 'CRM sync');
    assert.equal(library.get('shared').title, 'Base version');
    assert.deepEqual(library.list().map((t) => t.name), ['shared', 'crm']);
  });

  test('skips a folder that does not exist', () => {
    const library = new HelpLibrary(path.join(os.tmpdir(), 'switchyard-no-such-help-dir'));
    library.addDirectory(topicsDir({ 'one.md': '# One\n' }));
    assert.deepEqual(library.list().map((t) => t.name), ['one']);
  });

  test('serves the shipped user guides', () => {
    const library = new HelpLibrary(projectPath('user_guides'));
    const topics = library.list();
    assert.ok(topics.some((t) => t.name === 'getting-started'));
    assert.ok(library.get('getting-started').html.length > 0);
  });

  test('shortens a long summary to 200 characters', () => {
    const library = new HelpLibrary(topicsDir({ 'long.md': `# Long\n\n${'word '.repeat(100)}\n` }));
    assert.equal(library.list()[0]!.summary.length, 200);
  });
});

describe('slugify', () => {
  test('makes lower-case dash-separated ids without punctuation or accents', () => {
    assert.equal(slugify('Before you start'), 'before-you-start');
    assert.equal(slugify('  What is "HR_Sync"?  '), 'what-is-hr-sync');
    assert.equal(slugify('Café  --  Crème'), 'cafe-creme');
  });
});
