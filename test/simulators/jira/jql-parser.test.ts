import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JqlSyntaxError, parseJql } from '../../../src/simulators/jira/jql-parser.js';

test('parses AND / OR with AND binding tighter, and parentheses overriding it', () => {
  const flat = parseJql('project = IT OR project = HR AND labels = x');
  assert.equal(flat.where?.kind, 'or');
  const grouped = parseJql('(project = IT OR project = HR) AND labels = x');
  assert.equal(grouped.where?.kind, 'and');
});

test('reads quoted and bare values, IN lists and NOT IN', () => {
  const q = parseJql(`labels in ("a b", 'c', d) AND key not in (IT-1) AND updated >= "2026-01-01 10:00"`);
  const and = q.where as { kind: 'and'; left: { kind: 'and'; left: { values: { text: string }[] }; right: { operator: string } }; right: { operator: string; values: { text: string }[] } };
  assert.deepEqual(and.left.left.values.map((v) => v.text), ['a b', 'c', 'd']);
  assert.equal(and.left.right.operator, 'not in');
  assert.equal(and.right.operator, '>=');
  assert.equal(and.right.values[0]?.text, '2026-01-01 10:00');
});

test('reads relative periods and keys as bare values', () => {
  const q = parseJql('updated>=-48h and key=IT-12');
  const and = q.where as { kind: 'and'; left: { values: { text: string }[] }; right: { values: { text: string }[] } };
  assert.equal(and.left.values[0]?.text, '-48h');
  assert.equal(and.right.values[0]?.text, 'IT-12');
});

test('keywords are case-insensitive', () => {
  const q = parseJql('project In (IT) Order By updated desc, created');
  assert.deepEqual(q.orderBy.map((o) => [o.field, o.direction]), [['updated', 'DESC'], ['created', undefined]]);
});

test('accepts a bare ORDER BY and an empty query', () => {
  assert.equal(parseJql('ORDER BY created ASC').where, undefined);
  assert.equal(parseJql('  ').where, undefined);
});

test('keeps issue.property[...] field names whole for the evaluator to refuse', () => {
  const q = parseJql('issue.property[sync-meta].sourceId = "abc-123"');
  assert.equal((q.where as { field: string }).field, 'issue.property[sync-meta].sourceId');
});

const syntaxError = (jql: string): string => {
  try {
    parseJql(jql);
  } catch (err) {
    assert.ok(err instanceof JqlSyntaxError);
    return err.message;
  }
  assert.fail(`expected a syntax error for ${jql}`);
};

test('a missing operator names the character position', () => {
  assert.equal(
    syntaxError('project IT'),
    "Error in the JQL Query: Expecting operator but got 'IT'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN' and 'NOT IN'. (line 1, character 9)",
  );
});

test('reports an unclosed parenthesis, a dangling AND and an unfinished string with positions', () => {
  assert.match(syntaxError('(project = IT'), /Expecting '\)' but got end of query\. \(line 1, character 14\)/);
  assert.match(syntaxError('project = IT AND'), /Expecting a field name but got end of query/);
  assert.match(syntaxError('labels = "abc'), /quoted string 'abc' has not been completed\. \(line 1, character 10\)/);
  assert.match(syntaxError('project = IT labels = x'), /Expecting either 'OR' or 'AND' but got 'labels'\. \(line 1, character 14\)/);
  assert.match(syntaxError('project = IT ORDER updated'), /Expecting 'by'/);
  assert.match(syntaxError('project = IT ! labels = x'), /The character '!' is a reserved JQL character\. \(line 1, character 14\)/);
});
