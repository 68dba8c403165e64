import { tokenize, WhereError, type Token } from './where-lexer.js';

/**
 * A `where` expression as a tree. Grammar (keywords case-insensitive):
 *
 *   expression := conjunction ( "or" conjunction )*
 *   conjunction := operand ( "and" operand )*
 *   operand    := "(" expression ")" | predicate
 *   predicate  := field ( op literal | "like" literal | "is" ["not"] "null" | "in" "(" literal ( "," literal )* ")" )
 *   op         := = | != | < | <= | > | >=
 *   literal    := 'single-quoted, '' escapes a quote' | number
 */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like';

export interface FieldRef {
  name: string;
  position: number;
}

export type Literal = { kind: 'string'; value: string; position: number } | { kind: 'number'; value: number; position: number };

export type WhereNode =
  | { kind: 'and' | 'or'; left: WhereNode; right: WhereNode }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal }
  | { kind: 'in'; field: FieldRef; values: Literal[] }
  | { kind: 'null'; field: FieldRef; negated: boolean };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'like']);

const describe = (token: Token): string => {
  switch (token.kind) {
    case 'word':
      return `"${token.text}"`;
    case 'string':
      return 'a quoted string';
    case 'number':
      return `the number ${token.text}`;
    case 'operator':
      return `"${token.text}"`;
    case 'lparen':
      return '"("';
    case 'rparen':
      return '")"';
    case 'comma':
      return '","';
    case 'end':
      return 'the end of the expression';
  }
};

class Parser {
  #at = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): WhereNode {
    if (this.#peek().kind === 'end') throw new WhereError('the expression is empty', 1);
    const node = this.#expression();
    const next = this.#peek();
    if (next.kind !== 'end') throw new WhereError(`unexpected ${describe(next)} after a complete expression`, next.position);
    return node;
  }

  #peek(): Token {
    return this.tokens[this.#at] as Token;
  }

  #take(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#at++;
    return token;
  }

  #isKeyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  #expectKeyword(word: string, context: string): void {
    if (!this.#isKeyword(word)) {
      const token = this.#peek();
      throw new WhereError(`expected "${word}" ${context} but found ${describe(token)}`, token.position);
    }
    this.#take();
  }

  #expression(): WhereNode {
    let left = this.#conjunction();
    while (this.#isKeyword('or')) {
      this.#take();
      left = { kind: 'or', left, right: this.#conjunction() };
    }
    return left;
  }

  #conjunction(): WhereNode {
    let left = this.#operand();
    while (this.#isKeyword('and')) {
      this.#take();
      left = { kind: 'and', left, right: this.#operand() };
    }
    return left;
  }

  #operand(): WhereNode {
    const token = this.#peek();
    if (token.kind !== 'lparen') return this.#predicate();
    this.#take();
    const inner = this.#expression();
    const close = this.#take();
    if (close.kind !== 'rparen') throw new WhereError(`expected ")" to close the "(" at position ${token.position} but found ${describe(close)}`, close.position);
    return inner;
  }

  #predicate(): WhereNode {
    const token = this.#take();
    if (token.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase())) throw new WhereError(`expected a field name but found ${describe(token)}`, token.position);
    const field: FieldRef = { name: token.text, position: token.position };
    const next = this.#peek();
    if (next.kind === 'operator') {
      this.#take();
      return { kind: 'compare', field, op: next.text, value: this.#literal(`after "${next.text}"`) };
    }
    if (this.#isKeyword('like')) {
      this.#take();
      return { kind: 'compare', field, op: 'like', value: this.#literal('after "like"') };
    }
    if (this.#isKeyword('is')) {
      this.#take();
      const negated = this.#isKeyword('not');
      if (negated) this.#take();
      this.#expectKeyword('null', negated ? 'after "is not"' : 'after "is"');
      return { kind: 'null', field, negated };
    }
    if (this.#isKeyword('in')) {
      this.#take();
      return { kind: 'in', field, values: this.#list() };
    }
    throw new WhereError(`expected an operator (=, !=, <, <=, >, >=, like, in, is null) after "${field.name}" but found ${describe(next)}`, next.position);
  }

  #list(): Literal[] {
    const open = this.#take();
    if (open.kind !== 'lparen') throw new WhereError(`expected "(" after "in" but found ${describe(open)}`, open.position);
    const values = [this.#literal('in the "in" list')];
    for (;;) {
      const token = this.#take();
      if (token.kind === 'rparen') return values;
      if (token.kind !== 'comma') throw new WhereError(`expected "," or ")" in the "in" list but found ${describe(token)}`, token.position);
      values.push(this.#literal('in the "in" list'));
    }
  }

  #literal(context: string): Literal {
    const token = this.#take();
    if (token.kind === 'string') return { kind: 'string', value: token.value, position: token.position };
    if (token.kind === 'number') return { kind: 'number', value: token.value, position: token.position };
    throw new WhereError(`expected a value (a quoted string or a number) ${context} but found ${describe(token)}`, token.position);
  }
}

export const parseWhere = (input: string): WhereNode => new Parser(tokenize(input)).parse();
