export interface PayloadPath {
  /** A JSONPath a condition or mapping can use: $.department.name, $.skills[*].name */
  path: string;
  /** A value seen at the path in the newest payload that has it, shortened for display. */
  example: string;
}

/** Deeper structures are rare in PeopleForce records, and a suggestion list must stay short enough to scan. */
const MAX_DEPTH = 6;
const MAX_EXAMPLE_CHARS = 40;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const member = (name: string): string => (IDENTIFIER.test(name) ? `.${name}` : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`);

const exampleOf = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > MAX_EXAMPLE_CHARS ? `${text.slice(0, MAX_EXAMPLE_CHARS - 1)}…` : text;
};

/**
 * Every path to a value in the given payloads (newest first), each once, with
 * an example from the newest payload that has it: what the rule editor
 * suggests for conditions and PF_PAYLOAD mappings. A list's items share one
 * path with [*], as a condition reads them all.
 */
export const payloadPaths = (payloads: unknown[], limit = 300): PayloadPath[] => {
  const found = new Map<string, string>();
  const walk = (value: unknown, path: string, depth: number): void => {
    if (found.size >= limit && !found.has(path)) return;
    if (Array.isArray(value)) {
      if (!value.length) return;
      for (const item of value) walk(item, `${path}[*]`, depth + 1);
      return;
    }
    if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return;
      for (const [key, child] of Object.entries(value)) walk(child, `${path}${member(key)}`, depth + 1);
      return;
    }
    if (value === null || value === undefined || found.has(path)) return;
    found.set(path, exampleOf(value));
  };
  for (const payload of payloads) walk(payload, '$', 0);
  return [...found].map(([path, example]) => ({ path, example }));
};
