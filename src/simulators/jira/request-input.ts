import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest, INVALID_JSON, JiraApiError } from './jira-errors.js';
import { describeIssues } from './zod-issues.js';

/** Self links point back at whatever address the client used, so they work in-process, on port 0 and behind a proxy. */
export const originOf = (c: Context): string => new URL(c.req.url).origin;

/** The JSON body, or Jira's 400 when it is missing or malformed. */
export const readJson = async (c: Context): Promise<unknown> => {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new JiraApiError(400, INVALID_JSON);
  }
};

/** The JSON body parsed by `schema`, or a Jira 400 naming what is wrong. */
export const readBody = async <S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> => {
  const parsed = schema.safeParse(await readJson(c));
  if (parsed.success) return parsed.data;
  throw badRequest(describeIssues(parsed.error));
};
