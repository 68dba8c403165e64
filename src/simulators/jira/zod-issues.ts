import type { z } from 'zod';

/** One readable line from zod's issues, e.g. `fields: expected record; maxResults: expected number`. */
export const describeIssues = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
