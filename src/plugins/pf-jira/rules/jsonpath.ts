import { query } from 'jsonpath-rfc9535';

type Json = Parameters<typeof query>[0];

/**
 * JSONPath (RFC 9535) into event payloads, through the jsonpath-rfc9535
 * library (ADR 09). The library parses on every call, so a compiled rule set
 * memoizes results per payload (see `PathReader`).
 */
export const jsonPathError = (expression: string): string | null => {
  if (!expression.trim().startsWith('$')) return `"${expression}" is not a JSONPath: it must start with $ (for example $.department.name).`;
  try {
    query({}, expression);
    return null;
  } catch (err) {
    const detail = (err as Error).message.replace(/^Expected /, 'expected ');
    return `"${expression}" is not a valid JSONPath: ${detail}`;
  }
};

/** Every value the path selects; an invalid path selects nothing (paths are checked when a rule is saved). */
export const selectAll = (payload: unknown, expression: string): unknown[] => {
  try {
    return query(payload as Json, expression);
  } catch {
    return [];
  }
};

/** The single value a path names: the first match, or undefined when there is none. */
export const selectOne = (payload: unknown, expression: string): unknown => selectAll(payload, expression)[0];

/** Reads paths from one payload, remembering results: many rules test the same few paths. */
export class PathReader {
  readonly #cache = new Map<string, unknown[]>();
  constructor(readonly payload: unknown) {}

  all(expression: string): unknown[] {
    let found = this.#cache.get(expression);
    if (!found) {
      found = selectAll(this.payload, expression);
      this.#cache.set(expression, found);
    }
    return found;
  }
}
