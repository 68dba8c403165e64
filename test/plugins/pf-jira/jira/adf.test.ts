import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { isAdfDoc, textToAdf } from '../../../../src/plugins/pf-jira/jira/adf.js';

const require = createRequire(import.meta.url);
const schema = require('@atlaskit/adf-schema/dist/json-schema/v1/full.json') as object;
// ajv-draft-04 is CommonJS; under NodeNext its class is reached through `default`.
const validate = new Ajv.default({ strict: false }).compile(schema);

const assertValidAdf = (doc: unknown) => {
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
};

test('turns one line of text into a doc with one paragraph', () => {
  const doc = textToAdf('Laptop needed');
  assert.deepEqual(doc, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Laptop needed' }] }] });
  assertValidAdf(doc);
});

test('makes a paragraph of each blank-line-separated block and a hard break of each single newline', () => {
  const doc = textToAdf('Start: Monday\r\nDesk: 4B\n\n  \nManager: Ana\n');
  assert.deepEqual(doc.content, [
    { type: 'paragraph', content: [{ type: 'text', text: 'Start: Monday' }, { type: 'hardBreak' }, { type: 'text', text: 'Desk: 4B' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Manager: Ana' }] },
  ]);
  assertValidAdf(doc);
});

test('gives empty text a doc with one empty paragraph, since a text node must not be empty', () => {
  for (const text of ['', '   ', '\n\n\n']) {
    const doc = textToAdf(text);
    assert.deepEqual(doc.content, [{ type: 'paragraph', content: [] }]);
    assertValidAdf(doc);
  }
});

test('turns dash lines into a bullet list, keeping the lines around them as paragraphs', () => {
  const doc = textToAdf('Equipment:\n- Laptop\n- Badge\nThanks');
  assert.deepEqual(doc.content, [
    { type: 'paragraph', content: [{ type: 'text', text: 'Equipment:' }] },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Laptop' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Badge' }] }] },
      ],
    },
    { type: 'paragraph', content: [{ type: 'text', text: 'Thanks' }] },
  ]);
  assertValidAdf(doc);
});

test('keeps an empty bullet valid and does not treat a dash without a space as a bullet', () => {
  const doc = textToAdf('- \n-5 degrees');
  assertValidAdf(doc);
  assert.equal(doc.content[0]?.type, 'bulletList');
  assert.deepEqual(doc.content[1], { type: 'paragraph', content: [{ type: 'text', text: '-5 degrees' }] });
});

test('produces schema-valid ADF for awkward text', () => {
  for (const text of ['a\n\n\n\nb', '\n\nx\n', 'tab\tinside', '🙂 emoji\n• dot bullet', '  indented\n\n- a\n\n- b']) assertValidAdf(textToAdf(text));
});

test('recognises an ADF document and nothing else', () => {
  assert.equal(isAdfDoc(textToAdf('x')), true);
  assert.equal(isAdfDoc({ type: 'doc', version: 1, content: [] }), true);
  assert.equal(isAdfDoc({ type: 'doc', version: 2, content: [] }), false);
  assert.equal(isAdfDoc({ type: 'paragraph', content: [] }), false);
  assert.equal(isAdfDoc('doc'), false);
  assert.equal(isAdfDoc(null), false);
  assert.equal(isAdfDoc([]), false);
});

test('the schema check used here does refuse an empty text node', () => {
  assert.equal(validate({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] }), false);
});
