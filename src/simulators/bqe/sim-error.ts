import type { z } from 'zod';

/**
 * A refusal from the REST API or /__sim, rendered as `{"message": ...}`: the
 * contract (§6) confirms no error shape, only that there is a human message.
 */
export class SimError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 429,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** A refusal from the identity server, in standard OAuth form: `{"error", "error_description"}`. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    readonly error: string,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** Parses /__sim input or throws a 400 naming every bad field. */
export const parseInput = <T extends z.ZodType>(schema: T, input: unknown): z.output<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new SimError(400, `Invalid input: ${problems.join('; ')}`);
};
