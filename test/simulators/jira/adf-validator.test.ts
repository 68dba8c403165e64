import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adfError, NOT_AN_ADF_DOCUMENT } from '../../../src/simulators/jira/adf-validator.js';

test('accepts a document with a paragraph, heading, list, marks, a link and a mention', () => {
  const doc = {
    type: 'doc',
    version: 1,
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Welcome' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Bold', marks: [{ type: 'strong' }] },
          { type: 'hardBreak' },
          { type: 'text', text: 'wiki', marks: [{ type: 'link', attrs: { href: 'https://example.com' } }] },
          { type: 'mention', attrs: { id: '5f0c1a2b3c4d5e6f70000002' } },
        ],
      },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Laptop' }] }] }] },
      { type: 'codeBlock', content: [{ type: 'text', text: 'ssh-keygen' }] },
    ],
  };
  assert.equal(adfError(doc), undefined);
});

test('accepts an empty document', () => {
  assert.equal(adfError({ type: 'doc', version: 1, content: [] }), undefined);
});

test("refuses a plain string with Jira's ADF message", () => {
  assert.equal(adfError('Free space < 5%'), NOT_AN_ADF_DOCUMENT);
  assert.equal(NOT_AN_ADF_DOCUMENT, 'Operation value must be an Atlassian Document (see the Atlassian Document Format)');
});

test('refuses arrays and null as not being a document', () => {
  assert.equal(adfError([]), NOT_AN_ADF_DOCUMENT);
  assert.equal(adfError(null), NOT_AN_ADF_DOCUMENT);
});

test('names the path of the deepest schema error in an invalid document', () => {
  const message = adfError({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'txt', text: 'hi' }] }] });
  assert.match(message ?? '', /^Invalid Atlassian Document at \/content\/0\/content\/0/);
});

test('refuses empty text nodes and a wrong version', () => {
  assert.match(adfError({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] }) ?? '', /\/content\/0\/content\/0\/text/);
  assert.match(adfError({ type: 'doc', version: 2, content: [] }) ?? '', /^Invalid Atlassian Document at \/version/);
});
