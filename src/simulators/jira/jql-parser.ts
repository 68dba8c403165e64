/**
 * Parses the JQL subset the simulator understands: clauses joined by AND/OR
 * with parentheses, comparison and IN / NOT IN operators, quoted or bare
 * values, and ORDER BY. Meaning (which fields exist, what values are valid)
 * is the evaluator's job; this only knows the grammar.
 */

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in';

export interface JqlValue {
  text: string;
  pos: number;
}

export interface JqlClause {
  kind: 'clause';
  field: string;
  pos: number;
  operator: JqlOperator;
  values: JqlValue[];
}

export interface JqlJunction {
  kind: 'and' | 'or';
  left: JqlNode;
  right: JqlNode;
}

export type JqlNode = JqlClause | JqlJunction;

export interface JqlOrder {
  field: string;
  pos: number;
  direction: 'ASC' | 'DESC' | undefined;
}

export interface JqlQuery {
  where: JqlNode | undefined;
  orderBy: JqlOrder[];
}

export class JqlSyntaxError extends Error {
  constructor(message: string, pos: number) {
    super(`Error in the JQL Query: ${message} (line 1, character ${pos})`);
    this.name = 'JqlSyntaxError';
  }
}

interface Token {
  type: 'word' | 'string' | 'op' | '(' | ')' | ',' | 'end';
  text: string;
  pos: number;
}

const OPERATORS = ['!=', '>=', '<=', '!~', '=', '>', '<', '~'];
const RESERVED = new Set(['and', 'or', 'not', 'in', 'order', 'by', 'is', 'empty', 'null']);
const WORD = /[^\s()=,!<>~"']/;

const tokenize = (jql: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const ch = jql[i] as string;
    const pos = i + 1;
    if (/\s/.test(ch)) i++;
    else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch, text: ch, pos });
      i++;
    } else if (ch === '"' || ch === "'") {
      let text = '';
      i++;
      while (i < jql.length && jql[i] !== ch) {
        if (jql[i] === '\\' && i + 1 < jql.length) i++;
        text += jql[i];
        i++;
      }
      if (i >= jql.length) throw new JqlSyntaxError(`The quoted string '${text}' has not been completed.`, pos);
      tokens.push({ type: 'string', text, pos });
      i++;
    } else {
      const op = OPERATORS.find((o) => jql.startsWith(o, i));
      if (op) {
        tokens.push({ type: 'op', text: op, pos });
        i += op.length;
      } else if (WORD.test(ch)) {
        let text = '';
        while (i < jql.length && WORD.test(jql[i] as string)) text += jql[i++];
        tokens.push({ type: 'word', text, pos });
      } else throw new JqlSyntaxError(`The character '${ch}' is a reserved JQL character.`, pos);
    }
  }
  tokens.push({ type: 'end', text: '', pos: jql.length + 1 });
  return tokens;
};

const describe = (t: Token): string => (t.type === 'end' ? 'end of query' : `'${t.text}'`);

class Parser {
  #i = 0;
  constructor(private readonly tokens: Token[]) {}

  get #peek(): Token {
    return this.tokens[this.#i] as Token;
  }

  #next(): Token {
    return this.tokens[this.#i++] as Token;
  }

  #isKeyword(word: string): boolean {
    return this.#peek.type === 'word' && this.#peek.text.toLowerCase() === word;
  }

  #expect(type: Token['type'], what: string): Token {
    if (this.#peek.type !== type) throw new JqlSyntaxError(`Expecting ${what} but got ${describe(this.#peek)}.`, this.#peek.pos);
    return this.#next();
  }

  query(): JqlQuery {
    const where = this.#peek.type === 'end' || this.#isKeyword('order') ? undefined : this.#or();
    const orderBy = this.#isKeyword('order') ? this.#orderBy() : [];
    if (this.#peek.type !== 'end') throw new JqlSyntaxError(`Expecting either 'OR' or 'AND' but got ${describe(this.#peek)}.`, this.#peek.pos);
    return { where, orderBy };
  }

  #or(): JqlNode {
    let left = this.#and();
    while (this.#isKeyword('or')) {
      this.#next();
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): JqlNode {
    let left = this.#term();
    while (this.#isKeyword('and')) {
      this.#next();
      left = { kind: 'and', left, right: this.#term() };
    }
    return left;
  }

  #term(): JqlNode {
    if (this.#peek.type !== '(') return this.#clause();
    this.#next();
    const node = this.#or();
    this.#expect(')', "')'");
    return node;
  }

  #field(): Token {
    const t = this.#peek;
    if ((t.type !== 'word' && t.type !== 'string') || (t.type === 'word' && RESERVED.has(t.text.toLowerCase()))) {
      throw new JqlSyntaxError(`Expecting a field name but got ${describe(t)}.`, t.pos);
    }
    return this.#next();
  }

  #operator(): JqlOperator {
    const t = this.#peek;
    if (t.type === 'op') return this.#next().text as JqlOperator;
    if (this.#isKeyword('in')) {
      this.#next();
      return 'in';
    }
    if (this.#isKeyword('not')) {
      this.#next();
      if (this.#isKeyword('in')) {
        this.#next();
        return 'not in';
      }
    }
    throw new JqlSyntaxError(
      `Expecting operator but got ${describe(this.#peek)}. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN' and 'NOT IN'.`,
      this.#peek.pos,
    );
  }

  #value(): JqlValue {
    const t = this.#peek;
    if (t.type === 'string' || (t.type === 'word' && !RESERVED.has(t.text.toLowerCase()))) {
      this.#next();
      return { text: t.text, pos: t.pos };
    }
    throw new JqlSyntaxError(`Expecting either a value, list or function but got ${describe(t)}.`, t.pos);
  }

  #clause(): JqlClause {
    const field = this.#field();
    const operator = this.#operator();
    if (operator !== 'in' && operator !== 'not in') return { kind: 'clause', field: field.text, pos: field.pos, operator, values: [this.#value()] };
    this.#expect('(', "'('");
    const values = [this.#value()];
    while (this.#peek.type === ',') {
      this.#next();
      values.push(this.#value());
    }
    this.#expect(')', "')'");
    return { kind: 'clause', field: field.text, pos: field.pos, operator, values };
  }

  #orderBy(): JqlOrder[] {
    this.#next();
    if (!this.#isKeyword('by')) throw new JqlSyntaxError(`Expecting 'by' but got ${describe(this.#peek)}.`, this.#peek.pos);
    this.#next();
    const items: JqlOrder[] = [];
    do {
      if (items.length > 0) this.#next();
      const field = this.#field();
      let direction: JqlOrder['direction'];
      if (this.#isKeyword('asc') || this.#isKeyword('desc')) direction = this.#next().text.toUpperCase() as 'ASC' | 'DESC';
      items.push({ field: field.text, pos: field.pos, direction });
    } while (this.#peek.type === ',');
    return items;
  }
}

export const parseJql = (jql: string): JqlQuery => new Parser(tokenize(jql)).query();
