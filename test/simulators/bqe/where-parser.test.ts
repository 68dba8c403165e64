import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WhereError } from '../../../src/simulators/bqe/where-lexer.js';
import { parseWhere } from '../../../src/simulators/bqe/where-parser.js';

const refusal = (input: string): { message: string; position: number } => {
  try {
    parseWhere(input);
  } catch (err) {
    assert.ok(err instanceof WhereError, `expected a WhereError for ${input}`);
    return { message: err.message, position: err.position };
  }
  assert.fail(`"${input}" was accepted`);
};

test('parses the delta-sync clause clients send', () => {
  assert.deepEqual(parseWhere("lastUpdated >= '2025-01-01T00:00:00'"), {
    kind: 'compare',
    field: { name: 'lastUpdated', position: 1 },
    op: '>=',
    value: { kind: 'string', value: '2025-01-01T00:00:00', position: 16 },
  });
});

test('accepts operators without spaces around them', () => {
  const node = parseWhere('status!=4');
  assert.equal(node.kind, 'compare');
  assert.equal(node.kind === 'compare' && node.op, '!=');
});

test('unescapes doubled single quotes inside a string', () => {
  const node = parseWhere("name = 'O''Connell''s'");
  assert.equal(node.kind === 'compare' && node.value.value, "O'Connell's");
});

test('reads is null, is not null, in and like, with keywords in any case', () => {
  const node = parseWhere("parentId IS NULL And clientId is NOT null and status In (0, 2) AND name LIKE 'River%'");
  const kinds: string[] = [];
  const walk = (n: ReturnType<typeof parseWhere>): void => {
    if (n.kind === 'and' || n.kind === 'or') {
      walk(n.left);
      walk(n.right);
    } else if (n.kind === 'in') kinds.push(`in:${n.values.length}`);
    else if (n.kind === 'null') kinds.push(`null:${n.negated}`);
    else if (n.kind === 'compare') kinds.push(n.op);
  };
  walk(node);
  assert.deepEqual(kinds, ['null:false', 'null:true', 'in:2', 'like']);
});

test('binds and tighter than or, and parentheses override it', () => {
  const loose = parseWhere('status = 0 or status = 2 and level = 1');
  assert.equal(loose.kind, 'or');
  const grouped = parseWhere('(status = 0 or status = 2) and level = 1');
  assert.equal(grouped.kind, 'and');
  assert.equal(grouped.kind === 'and' && grouped.left.kind, 'or');
});

test('reads negative and decimal numbers', () => {
  const node = parseWhere('contractAmount > -1.5');
  assert.deepEqual(node.kind === 'compare' && node.value, { kind: 'number', value: -1.5, position: 18 });
});

test('refuses an unterminated string, pointing at its opening quote', () => {
  assert.deepEqual(refusal("name = 'Riverside"), { message: 'unterminated string: a quote opened here is never closed', position: 8 });
});

test('refuses a lone quote that a doubled quote would have escaped', () => {
  assert.deepEqual(refusal("name = 'O'Connell'"), { message: 'unterminated string: a quote opened here is never closed', position: 18 });
  assert.match(refusal("name = 'O'Connell").message, /unexpected "Connell"/);
});

test('refuses control characters anywhere, even inside quotes', () => {
  assert.deepEqual(refusal("name = 'a\nb'"), { message: 'control character U+000A is not allowed', position: 10 });
  assert.equal(refusal('status = 0\tand level = 1').position, 11);
  assert.match(refusal("name = 'x\u0000'").message, /U\+0000/);
});

test('refuses trailing junk after a complete expression', () => {
  assert.deepEqual(refusal('status = 0 level = 1'), { message: 'unexpected "level" after a complete expression', position: 12 });
  assert.match(refusal('status = 0)').message, /unexpected "\)"/);
});

test('refuses a dangling and, a missing value and an empty expression', () => {
  assert.match(refusal("name = 'x' and").message, /expected a field name but found the end/);
  assert.equal(refusal('status =').position, 9);
  assert.equal(refusal('   ').message, 'the expression is empty');
});

test('refuses an unclosed parenthesis, naming where it opened', () => {
  assert.match(refusal('(status = 0 or level = 1').message, /close the "\(" at position 1/);
});

test('refuses double quotes, <> and unknown characters', () => {
  assert.match(refusal('name = "x"').message, /single quotes/);
  assert.match(refusal('status <> 1').message, /use !=/);
  assert.deepEqual(refusal('status = 1; drop table'), { message: 'unexpected character ";"', position: 11 });
});

test('refuses a keyword in place of a field and an operator that is not one', () => {
  assert.match(refusal('and = 1').message, /expected a field name/);
  assert.match(refusal('status == 1').message, /expected a value/);
  assert.match(refusal('status between 1').message, /expected an operator/);
  assert.match(refusal('status in 1, 2').message, /expected "\(" after "in"/);
  assert.match(refusal('status in (1 2)').message, /expected "," or "\)"/);
});

test('refuses a malformed number', () => {
  assert.match(refusal('level = 1.2.3').message, /malformed number/);
  assert.match(refusal('level = 12abc').message, /malformed number/);
});
