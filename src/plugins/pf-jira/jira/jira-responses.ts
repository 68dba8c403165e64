import { z } from 'zod';

/**
 * The shapes of Jira Cloud answers we rely on (contracts/jira-cloud.md), checked
 * once at the client so a surprising answer fails there with a clear message
 * instead of as a TypeError deep in a sync job. Only fields we read are
 * declared; everything else Jira sends is dropped.
 */

const id = z.union([z.string(), z.number()]).transform(String);
const fieldsRecord = z.record(z.string(), z.unknown());

export const userShape = z.object({
  accountId: z.string({ error: 'the user has no accountId' }),
  displayName: z.string().default(''),
  emailAddress: z.string().optional(),
  active: z.boolean().optional(),
});

export const usersShape = z.array(userShape, { error: 'the user search did not return a list' });

const pageFields = {
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
};

export const projectPageShape = z.object({
  ...pageFields,
  values: z.array(z.object({ id, key: z.string(), name: z.string() }), { error: 'the project search has no values list' }),
});

export const boardPageShape = z.object({
  ...pageFields,
  values: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      type: z.string(),
      location: z.object({ projectKey: z.string().optional() }).optional(),
    }),
    { error: 'the board list has no values list' },
  ),
});

export const issueTypePageShape = z.object({
  ...pageFields,
  issueTypes: z.array(
    z.object({
      id,
      name: z.string(),
      description: z.string().optional(),
      subtask: z.boolean().default(false),
      hierarchyLevel: z.number().optional(),
    }),
    // Data Center answers the same path with `values`; Cloud with `issueTypes`.
    { error: 'there is no issueTypes list (is this a Jira Cloud site?)' },
  ),
});

const fieldSchemaShape = z.object({
  type: z.string(),
  items: z.string().optional(),
  system: z.string().optional(),
  custom: z.string().optional(),
  customId: z.number().optional(),
});

export const fieldPageShape = z.object({
  ...pageFields,
  fields: z.array(
    z.object({
      fieldId: z.string(),
      key: z.string().optional(),
      name: z.string(),
      required: z.boolean().default(false),
      // A field without a schema is still listed, so a mapping to it can be explained rather than crash.
      schema: fieldSchemaShape.default({ type: 'any' }),
      allowedValues: z.array(z.looseObject({ id: id.optional(), value: z.string().optional(), name: z.string().optional() })).optional(),
      hasDefaultValue: z.boolean().optional(),
      defaultValue: z.unknown().optional(),
      operations: z.array(z.string()).optional(),
      autoCompleteUrl: z.string().nullable().optional(),
    }),
    { error: 'there is no fields list (is this a Jira Cloud site?)' },
  ),
});

export const createdIssueShape = z.object({
  id: z.string({ error: 'the created issue has no id' }),
  key: z.string({ error: 'the created issue has no key' }),
});

export const issueShape = z.object({
  id: z.string({ error: 'the issue has no id' }),
  key: z.string({ error: 'the issue has no key' }),
  fields: fieldsRecord.default({}),
  properties: fieldsRecord.optional(),
});

export const searchPageShape = z.object({
  issues: z.array(issueShape, { error: 'issues is not a list' }),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
});

export const propertyShape = z.object({ key: z.string(), value: z.unknown() });
