import { createRequire } from 'node:module';

type Library = typeof import('jsonpath-rfc9535');
type Json = Parameters<Library['query']>[0];

let library: Library | undefined;
/**
 * The library's parser costs about 8 MB of memory once loaded, and most rule
 * paths never need it (see compilePath), so it is loaded on first use.
 */
const query = (payload: Json, expression: string): ReturnType<Library['query']> => {
  library ??= createRequire(import.meta.url)('jsonpath-rfc9535') as Library;
  return library.query(payload, expression);
};

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

const libraryQuery = (payload: unknown, expression: string): unknown[] => {
  try {
    return query(payload as Json, expression);
  } catch {
    return [];
  }
};

const compiled = new Map<string, CompiledPath>();
const MAX_COMPILED = 5_000;

/** Every value the path selects; an invalid path selects nothing (paths are checked when a rule is saved). */
export const selectAll = (payload: unknown, expression: string): unknown[] => {
  let path = compiled.get(expression);
  if (!path) {
    path = compilePath(expression);
    // Paths come from a bounded set of rules; the cap only guards against a caller passing arbitrary text.
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(expression, path);
  }
  return path.select(payload);
};

/** The single value a path names: the first match, or undefined when there is none. */
export const selectOne = (payload: unknown, expression: string): unknown => selectAll(payload, expression)[0];

/** A path parsed once, for code that reads the same path from many payloads. */
export interface CompiledPath {
  readonly expression: string;
  select(payload: unknown): unknown[];
}

type Step = string | number;

// Member names in shorthand form and plain indexes: what nearly every rule path is.
const SIMPLE_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|-?[1-9][0-9]*)\])*$/;
const STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?[0-9]+)\]/g;

const walk = (payload: unknown, steps: Step[]): unknown[] => {
  let value = payload;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return [];
      const index = step < 0 ? value.length + step : step;
      if (index < 0 || index >= value.length) return [];
      value = value[index];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return [];
      value = (value as Record<string, unknown>)[step];
    }
  }
  return [value];
};

/**
 * Compiles a path for repeated use. Plain member/index chains ($.a.b[0]) are
 * walked directly, with RFC 9535's meaning, because the library parses the
 * expression on every call (about 15 µs) and a rule set reads hundreds of
 * paths per event; anything else goes through the library.
 */
export const compilePath = (expression: string): CompiledPath => {
  if (!SIMPLE_PATH.test(expression)) return { expression, select: (payload) => libraryQuery(payload, expression) };
  const steps: Step[] = [...expression.matchAll(STEP)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  return { expression, select: (payload) => walk(payload, steps) };
};

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

  /** Like `all`, through a path compiled once by the caller. */
  read(path: CompiledPath): unknown[] {
    let found = this.#cache.get(path.expression);
    if (!found) {
      found = path.select(this.payload);
      this.#cache.set(path.expression, found);
    }
    return found;
  }
}
