import Mustache from 'mustache';

/**
 * `{{ path.to.value }}` templates, rendered with mustache (ADR 09) with HTML
 * escaping off: the output goes into Jira fields, not a web page. Only plain
 * placeholders are allowed, so a template stays readable to a non-developer.
 */
type Token = [string, string, number, number, ...unknown[]];

const names = (tokens: Token[]): string[] => tokens.filter((t) => t[0] === 'name' || t[0] === '&').map((t) => t[1]);

export const templateError = (text: string): string | null => {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(text) as unknown as Token[];
  } catch (err) {
    return `The template cannot be read: ${(err as Error).message}.`;
  }
  const other = tokens.find((t) => t[0] !== 'text' && t[0] !== 'name' && t[0] !== '&');
  if (other) return `Only {{ path.to.value }} placeholders are supported; "{{${other[0]}${other[1]}}}" is not.`;
  return null;
};

const lookup = (payload: unknown, name: string): unknown => {
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

export interface RenderedTemplate {
  text: string;
  /** Placeholders that named nothing in the payload (rendered as empty text). */
  missing: string[];
}

export const renderTemplate = (text: string, payload: unknown): RenderedTemplate => {
  const tokens = Mustache.parse(text) as unknown as Token[];
  const missing = names(tokens).filter((n) => {
    const v = lookup(payload, n);
    return v === undefined || v === null || v === '';
  });
  const rendered = Mustache.render(text, payload, undefined, { escape: (v: unknown) => String(v) });
  return { text: rendered, missing: [...new Set(missing)] };
};
