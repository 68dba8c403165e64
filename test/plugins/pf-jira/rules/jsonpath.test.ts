import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePath, jsonPathError, PathReader, selectAll, selectOne } from '../../../../src/plugins/pf-jira/rules/jsonpath.js';

const payload = {
  full_name: 'Olena Koval',
  department: { id: 5094, name: 'IT' },
  reporting_to: null,
  tags: ['remote', 'contractor'],
  custom_fields: [
    { name: 'Shirt size', value: 'M' },
    { name: 'Badge', value: null },
  ],
  'odd-key': 1,
};

describe('jsonPathError', () => {
  test('accepts a valid path and explains an invalid one', () => {
    assert.equal(jsonPathError('$.department.name'), null);
    assert.match(jsonPathError('department.name') ?? '', /must start with \$/);
    assert.match(jsonPathError('$.department[') ?? '', /not a valid JSONPath/);
  });
});

describe('selectAll and selectOne', () => {
  test('select every match, or the first', () => {
    assert.deepEqual(selectAll(payload, '$.tags[*]'), ['remote', 'contractor']);
    assert.equal(selectOne(payload, '$.department.name'), 'IT');
    assert.deepEqual(selectAll(payload, '$.['), []);
  });
});

describe('compilePath', () => {
  const paths = [
    '$',
    '$.full_name',
    '$.department.name',
    '$.department.missing',
    '$.reporting_to',
    '$.reporting_to.email',
    '$.tags[0]',
    '$.tags[-1]',
    '$.tags[2]',
    '$.tags[-3]',
    '$.tags.length',
    '$.department[0]',
    '$.custom_fields[1].value',
    '$.custom_fields[*].name',
    "$.custom_fields[?@.name=='Shirt size'].value",
    "$['odd-key']",
    '$..name',
  ];

  test('selects exactly what the library selects, for plain and complex paths alike', () => {
    for (const p of paths) assert.deepEqual(compilePath(p).select(payload), selectAll(payload, p), p);
  });

  test('reads plain paths from payloads that are not objects', () => {
    for (const input of [null, 'text', 3, [1, 2]]) {
      assert.deepEqual(compilePath('$.a').select(input), selectAll(input, '$.a'));
      assert.deepEqual(compilePath('$[1]').select(input), selectAll(input, '$[1]'));
    }
  });

  test('does not read inherited properties', () => {
    assert.deepEqual(compilePath('$.toString').select({}), []);
  });
});

describe('PathReader', () => {
  test('reads each path once per payload, compiled or not', () => {
    const reader = new PathReader(payload);
    let calls = 0;
    const counted = { expression: '$.department.name', select: (p: unknown) => (calls++, compilePath('$.department.name').select(p)) };
    assert.deepEqual(reader.read(counted), ['IT']);
    assert.deepEqual(reader.read(counted), ['IT']);
    assert.deepEqual(reader.all('$.department.name'), ['IT']);
    assert.equal(calls, 1);
  });
});
