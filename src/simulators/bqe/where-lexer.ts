/**
 * Tokens of a `where` expression (contract §4). Positions are 1-based
 * character offsets into the expression, so an error can say where it is.
 */
export type Token =
  | { kind: 'word'; text: string; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'operator'; text: '=' | '!=' | '<' | '<=' | '>' | '>='; position: number }
  | { kind: 'lparen' | 'rparen' | 'comma'; position: number }
  | { kind: 'end'; position: number };

export class WhereError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'WhereError';
  }
}

const isControl = (code: number): boolean => code < 0x20 || (code >= 0x7f && code <= 0x9f);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isWordStart = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z_]/.test(ch);
const isWordPart = (ch: string | undefined): boolean => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

const codePoint = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Control characters are refused anywhere, even inside quotes: the only whitespace is the space. */
const refuseControlCharacters = (input: string): void => {
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (isControl(code)) throw new WhereError(`control character ${codePoint(code)} is not allowed`, i + 1);
  }
};

const readString = (input: string, start: number): { value: string; end: number } => {
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i];
    if (ch === "'") {
      if (input[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new WhereError('unterminated string: a quote opened here is never closed', start + 1);
};

const readNumber = (input: string, start: number): { text: string; end: number } => {
  const m = /^-?\d+(\.\d+)?/.exec(input.slice(start));
  const text = m?.[0] ?? '';
  const end = start + text.length;
  if (isWordPart(input[end]) || input[end] === '.') throw new WhereError(`malformed number starting "${input.slice(start, end + 1)}"`, start + 1);
  return { text, end };
};

export const tokenize = (input: string): Token[] => {
  refuseControlCharacters(input);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    const position = i + 1;
    if (ch === ' ') {
      i++;
    } else if (ch === "'") {
      const { value, end } = readString(input, i);
      tokens.push({ kind: 'string', value, position });
      i = end;
    } else if (isDigit(ch) || (ch === '-' && isDigit(input[i + 1]))) {
      const { text, end } = readNumber(input, i);
      tokens.push({ kind: 'number', value: Number(text), text, position });
      i = end;
    } else if (isWordStart(ch)) {
      let end = i + 1;
      while (isWordPart(input[end])) end++;
      tokens.push({ kind: 'word', text: input.slice(i, end), position });
      i = end;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', position });
      i++;
    } else if (ch === '<' && input[i + 1] === '>') {
      throw new WhereError('"<>" is not an operator; use !=', position);
    } else if (ch === '=' || ch === '<' || ch === '>' || (ch === '!' && input[i + 1] === '=')) {
      const two = input.slice(i, i + 2);
      const text = two === '<=' || two === '>=' || two === '!=' ? two : (ch as '=' | '<' | '>');
      tokens.push({ kind: 'operator', text, position });
      i += text.length;
    } else if (ch === '"') {
      throw new WhereError('strings take single quotes, not double quotes', position);
    } else {
      throw new WhereError(`unexpected character "${ch}"`, position);
    }
  }
  tokens.push({ kind: 'end', position: input.length + 1 });
  return tokens;
};
