import type { z } from 'zod';

/**
 * A refusal from the simulator, rendered as PeopleForce renders errors:
 * `{"message": ...}` plus, for bad input, `errors` keyed by field.
 */
export class SimError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'SimError';
  }

  get body(): { message: string; errors?: Record<string, string> } {
    return this.errors ? { message: this.message, errors: this.errors } : { message: this.message };
  }
}

/** Parses input or throws a SimError naming every bad field, e.g. "email: Invalid email address". */
export const parseInput = <T extends z.ZodType>(schema: T, input: unknown, status: 400 | 422 = 400): z.output<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    errors[field] ??= issue.message;
  }
  throw new SimError(status, `Invalid input: ${Object.entries(errors).map(([f, m]) => `${f}: ${m}`).join('; ')}`, errors);
};

export const notFound = (what: string): SimError => new SimError(404, `${what} not found`);
