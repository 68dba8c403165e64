import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultSettings, firstMessage, JIRA_PROJECT_KEY, settingSchema, type SettingDefinition } from '../../src/platform/settings-schema.js';

const base = { key: 'k', label: 'K', help: '' };

const accepts = (def: SettingDefinition, input: unknown, expected: unknown): void => {
  const r = settingSchema(def).safeParse(input);
  assert.ok(r.success, `${JSON.stringify(input)} should be accepted: ${r.success ? '' : firstMessage(r.error)}`);
  assert.deepEqual(r.data, expected);
};

const refuses = (def: SettingDefinition, input: unknown, message: string | RegExp): void => {
  const r = settingSchema(def).safeParse(input);
  assert.ok(!r.success, `${JSON.stringify(input)} should be refused`);
  if (typeof message === 'string') assert.equal(firstMessage(r.error), message);
  else assert.match(firstMessage(r.error), message);
};

describe('string settings', () => {
  const def: SettingDefinition = { ...base, type: 'string', default: '' };

  test('trims text and takes the last value of a repeated form field', () => {
    accepts(def, '  hello  ', 'hello');
    accepts(def, ['first', 'second'], 'second');
    accepts(def, '', '');
  });

  test('refuses text that is too long, and non-text', () => {
    refuses(def, 'x'.repeat(501), 'Use at most 500 characters.');
    refuses({ ...def, maxLength: 5 }, 'abcdef', 'Use at most 5 characters.');
    refuses(def, 42, 'Enter text.');
  });

  test('requires a value when required', () => {
    refuses({ ...def, required: true }, '   ', 'This field is required.');
    accepts({ ...def, required: true }, 'x', 'x');
  });

  test('checks a pattern, with its message, but allows empty text', () => {
    const withPattern: SettingDefinition = { ...def, pattern: '^[a-z]+$', patternMessage: 'Lower-case letters only.' };
    accepts(withPattern, 'abc', 'abc');
    accepts(withPattern, '', '');
    refuses(withPattern, 'ABC', 'Lower-case letters only.');
    refuses({ ...def, pattern: '^\\d+$' }, 'abc', 'Must match ^\\d+$.');
  });
});

describe('integer settings', () => {
  const def: SettingDefinition = { ...base, type: 'integer', default: 5, min: 1, max: 10, unit: 'hours' };

  test('parses numbers and numeric form text', () => {
    accepts(def, 7, 7);
    accepts(def, ' 3 ', 3);
    accepts(def, ['2', '9'], 9);
    accepts(def, '1', 1);
    accepts(def, '10', 10);
  });

  test('refuses values below min or above max, naming the unit', () => {
    refuses(def, '0', 'Must be at least 1 hours.');
    refuses(def, 11, 'Must be at most 10 hours.');
    refuses({ ...base, type: 'integer', default: 0, min: 0, max: 3 }, 4, 'Must be at most 3.');
  });

  test('refuses fractions and text', () => {
    refuses(def, 2.5, 'Enter a whole number from 1 to 10.');
    refuses(def, '2.5', 'Enter a whole number from 1 to 10.');
    refuses(def, 'five', 'Enter a whole number from 1 to 10.');
  });
});

describe('boolean settings', () => {
  const def: SettingDefinition = { ...base, type: 'boolean', default: false };

  test('reads the values checkboxes and APIs send', () => {
    for (const on of [true, '1', 'on', 'true', 'YES', ['0', '1']]) accepts(def, on, true);
    for (const off of [false, '0', 'off', 'false', 'no', '', undefined, null, ['1', '0']]) accepts(def, off, false);
  });

  test('refuses anything else', () => {
    refuses(def, 'maybe', 'Choose on or off.');
    refuses(def, 2, 'Choose on or off.');
  });
});

describe('select settings', () => {
  const def: SettingDefinition = { ...base, type: 'select', default: 'a', options: [{ value: 'a', label: 'Alpha' }, { value: 'b', label: 'Beta' }] };

  test('accepts one of the options', () => {
    accepts(def, 'b', 'b');
    accepts(def, ['a', 'b'], 'b');
  });

  test('refuses other values, listing the labels', () => {
    refuses(def, 'c', 'Choose one of: Alpha, Beta.');
  });
});

describe('list settings', () => {
  const def: SettingDefinition = { ...base, type: 'list', default: [] };

  test('splits text on commas and new lines, dropping blanks', () => {
    accepts(def, 'a, b\nc,,\n  ', ['a', 'b', 'c']);
    accepts(def, ['a,b', ' c ', ''], ['a', 'b', 'c']);
    accepts(def, [], []);
  });

  test('checks each entry against the item pattern, naming the bad entry', () => {
    const keys: SettingDefinition = { ...def, itemPattern: '^[A-Z]+$', itemMessage: 'use capitals' };
    accepts(keys, 'ABC, DEF', ['ABC', 'DEF']);
    refuses(keys, 'ABC, def', '"def": use capitals');
    refuses({ ...def, itemPattern: '^\\d+$' }, 'x', '"x": each entry must match ^\\d+$');
  });

  test('limits the number and length of entries', () => {
    refuses({ ...def, maxItems: 2 }, 'a,b,c', 'At most 2 entries.');
    refuses(def, Array.from({ length: 101 }, (_, i) => `e${i}`).join(','), 'At most 100 entries.');
    refuses(def, 'x'.repeat(201), 'Each entry must be at most 200 characters.');
  });

  test('refuses a value that is not a list', () => {
    refuses(def, 42, 'Enter a list, one entry per line.');
  });
});

describe('url settings', () => {
  const def: SettingDefinition = { ...base, type: 'url', default: '' };

  test('accepts http(s) URLs and, when optional, empty text', () => {
    accepts(def, ' https://api.example.com/v1 ', 'https://api.example.com/v1');
    accepts(def, 'http://localhost:8080', 'http://localhost:8080');
    accepts(def, '', '');
  });

  test('refuses other schemes, spaces and empty required values', () => {
    refuses(def, 'ftp://example.com', 'Enter an http(s) URL, or leave it empty.');
    refuses(def, 'https://exa mple.com', 'Enter an http(s) URL, or leave it empty.');
    refuses(def, 'example.com', 'Enter an http(s) URL, or leave it empty.');
    refuses({ ...def, required: true }, '', 'Enter an http(s) URL.');
  });
});

describe('secret settings', () => {
  const def: SettingDefinition = { ...base, type: 'secret' };

  test('accepts text up to 4096 characters, blank included', () => {
    accepts(def, 's3cret', 's3cret');
    accepts(def, '', '');
    refuses(def, 'x'.repeat(4097), 'Use at most 4096 characters.');
  });
});

describe('helpers', () => {
  test('defaultSettings lists every non-secret default', () => {
    assert.deepEqual(
      defaultSettings({
        domain: 'd',
        title: 'D',
        description: '',
        settings: [
          { ...base, key: 'a', type: 'string', default: 'x' },
          { ...base, key: 'b', type: 'integer', default: 3, min: 0, max: 9 },
          { ...base, key: 'c', type: 'secret' },
          { ...base, key: 'd', type: 'list', default: ['p'] },
        ],
      }),
      { a: 'x', b: 3, d: ['p'] },
    );
  });

  test('JIRA_PROJECT_KEY matches Jira project keys only', () => {
    for (const ok of ['HR', 'OPS_2', 'ABCDEFGHIJ']) assert.match(ok, JIRA_PROJECT_KEY);
    for (const bad of ['H', 'hr', '2HR', 'ABCDEFGHIJK', 'H-R']) assert.doesNotMatch(bad, JIRA_PROJECT_KEY);
  });

  test('firstMessage falls back when there is no issue', () => {
    const r = settingSchema({ ...base, type: 'boolean', default: false }).safeParse('maybe');
    assert.ok(!r.success);
    assert.equal(firstMessage({ ...r.error, issues: [] } as never), 'Invalid value.');
  });
});
