import type { JiraState, SearchDoc } from './jira-model.js';
import { parseJqlDate, parseJqlPeriod } from './jira-time.js';
import type { JqlClause, JqlNode, JqlOperator, JqlOrder, JqlQuery } from './jql-parser.js';

/**
 * Gives a parsed query its meaning against the site: resolves projects, issue
 * types and keys (refusing unknown ones as Jira does), and yields a predicate
 * and a sort order over search-index documents.
 */

export class JqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JqlError';
  }
}

export interface CompiledJql {
  /** Whether the query restricts the search, which /search/jql insists on (contract §5). */
  bounded: boolean;
  matches(doc: SearchDoc): boolean;
  compare(a: SearchDoc, b: SearchDoc): number;
}

type Predicate = (doc: SearchDoc) => boolean;
type FieldName = 'project' | 'labels' | 'key' | 'issuetype' | 'created' | 'updated';

const ALIASES: Record<string, FieldName> = {
  project: 'project',
  labels: 'labels',
  key: 'key',
  issuekey: 'key',
  id: 'key',
  issuetype: 'issuetype',
  type: 'issuetype',
  created: 'created',
  createddate: 'created',
  updated: 'updated',
  updateddate: 'updated',
};

const EQUALITY: JqlOperator[] = ['=', '!=', 'in', 'not in'];
const COMPARISON: JqlOperator[] = ['=', '!=', '>', '>=', '<', '<='];

const unknownField = (field: string): JqlError => {
  const property = /^issue\.property\[([^\]]*)\]/i.exec(field);
  const base = `Field '${field}' does not exist or you do not have permission to view it.`;
  // Entity properties are only searchable when an installed app indexes them (contract §4).
  if (property) return new JqlError(`${base} Issue property '${property[1]}' is not indexed: only properties an installed app declares for indexing can be searched.`);
  return new JqlError(base);
};

const fieldName = (field: string): FieldName => {
  const name = ALIASES[field.toLowerCase()];
  if (!name) throw unknownField(field);
  return name;
};

const isPositive = (op: JqlOperator): boolean => op === '=' || op === 'in';

/** Turns each clause value into the ids it names, refusing values Jira would call nonexistent. */
const resolveIds = (state: JiraState, field: FieldName, text: string): string => {
  if (field === 'project') {
    const project = state.projects.find((p) => p.id === text || p.key === text.toUpperCase() || p.name.toLowerCase() === text.toLowerCase());
    if (!project) throw new JqlError(`The value '${text}' does not exist for the field 'project'.`);
    return project.id;
  }
  if (field === 'issuetype') {
    const type = Object.values(state.issueTypes).find((t) => t.id === text || t.name.toLowerCase() === text.toLowerCase());
    if (!type) throw new JqlError(`The value '${text}' does not exist for the field 'issuetype'.`);
    return type.id;
  }
  if (!/^\d+$/.test(text) && !/^[A-Z][A-Z0-9_]+-\d+$/i.test(text)) throw new JqlError(`The issue key '${text}' for field 'key' is invalid.`);
  const issue = state.issues.find((i) => !i.deleted && (i.id === text || i.key === text.toUpperCase()));
  if (!issue) throw new JqlError(`An issue with key '${text}' does not exist for field 'key'.`);
  return issue.id;
};

const setPredicate = (clause: JqlClause, ids: Set<string>, pick: (doc: SearchDoc) => string): Predicate =>
  isPositive(clause.operator) ? (doc) => ids.has(pick(doc)) : (doc) => !ids.has(pick(doc));

/** Multi-value `!=` / `NOT IN` never match an issue without labels, as in Jira. */
const labelPredicate = (clause: JqlClause): Predicate => {
  const wanted = new Set(clause.values.map((v) => v.text.toLowerCase()));
  const hasAny = (doc: SearchDoc) => doc.labels.some((l) => wanted.has(l.toLowerCase()));
  return isPositive(clause.operator) ? hasAny : (doc) => doc.labels.length > 0 && !hasAny(doc);
};

const datePredicate = (clause: JqlClause, field: 'created' | 'updated', now: number): Predicate => {
  const text = (clause.values[0] as { text: string }).text;
  const at = parseJqlPeriod(text, now) ?? parseJqlDate(text);
  if (at === undefined) {
    throw new JqlError(
      `Date value '${text}' for field '${clause.field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  }
  const compare: Record<string, (t: number) => boolean> = {
    '=': (t) => t === at,
    '!=': (t) => t !== at,
    '>': (t) => t > at,
    '>=': (t) => t >= at,
    '<': (t) => t < at,
    '<=': (t) => t <= at,
  };
  const test = compare[clause.operator] as (t: number) => boolean;
  return (doc) => test(doc[field]);
};

const clausePredicate = (state: JiraState, clause: JqlClause, now: number): Predicate => {
  const field = fieldName(clause.field);
  const allowed = field === 'created' || field === 'updated' ? COMPARISON : EQUALITY;
  if (!allowed.includes(clause.operator)) throw new JqlError(`The operator '${clause.operator.toUpperCase()}' is not supported by the '${clause.field}' field.`);
  switch (field) {
    case 'created':
    case 'updated':
      return datePredicate(clause, field, now);
    case 'labels':
      return labelPredicate(clause);
    case 'project':
      return setPredicate(clause, new Set(clause.values.map((v) => resolveIds(state, field, v.text))), (d) => d.projectId);
    case 'issuetype':
      return setPredicate(clause, new Set(clause.values.map((v) => resolveIds(state, field, v.text))), (d) => d.issueTypeId);
    case 'key':
      return setPredicate(clause, new Set(clause.values.map((v) => resolveIds(state, field, v.text))), (d) => d.id);
  }
};

const compile = (state: JiraState, node: JqlNode, now: number): Predicate => {
  if (node.kind === 'clause') return clausePredicate(state, node, now);
  const left = compile(state, node.left, now);
  const right = compile(state, node.right, now);
  return node.kind === 'and' ? (d) => left(d) && right(d) : (d) => left(d) || right(d);
};

/** Bounded when every OR branch restricts to named projects or issues. */
const isBounded = (node: JqlNode | undefined): boolean => {
  if (!node) return false;
  if (node.kind === 'clause') return isPositive(node.operator) && (fieldName(node.field) === 'project' || fieldName(node.field) === 'key');
  return node.kind === 'and' ? isBounded(node.left) || isBounded(node.right) : isBounded(node.left) && isBounded(node.right);
};

const byNumber = (a: number, b: number): number => a - b;

const orderKey = (state: JiraState, order: JqlOrder): ((a: SearchDoc, b: SearchDoc) => number) => {
  const projectKey = (doc: SearchDoc) => state.projects.find((p) => p.id === doc.projectId)?.key ?? '';
  const typeName = (doc: SearchDoc) => state.issueTypes[doc.issueTypeId]?.name ?? '';
  const issueNumber = (doc: SearchDoc) => Number(doc.key.split('-')[1]);
  const field = fieldName(order.field);
  switch (field) {
    case 'created':
    case 'updated':
      return (a, b) => byNumber(a[field], b[field]);
    case 'key':
      return (a, b) => projectKey(a).localeCompare(projectKey(b)) || byNumber(issueNumber(a), issueNumber(b));
    case 'project':
      return (a, b) => projectKey(a).localeCompare(projectKey(b));
    case 'issuetype':
      return (a, b) => typeName(a).localeCompare(typeName(b));
    case 'labels':
      throw new JqlError(`Field '${order.field}' does not support sorting.`);
  }
};

export const compileJql = (state: JiraState, query: JqlQuery, now: number): CompiledJql => {
  const matches = query.where ? compile(state, query.where, now) : () => true;
  const orders = query.orderBy.map((o) => ({ cmp: orderKey(state, o), sign: o.direction === 'DESC' ? -1 : 1 }));
  return {
    bounded: isBounded(query.where),
    matches,
    // Newest first when nothing else decides, so pages are stable.
    compare: (a, b) => {
      for (const { cmp, sign } of orders) {
        const r = cmp(a, b) * sign;
        if (r !== 0) return r;
      }
      return Number(b.id) - Number(a.id);
    },
  };
};
