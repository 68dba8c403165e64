import { z } from '@hono/zod-openapi';
import { JOB_STATES } from '../../jobs/jobs-service.js';
import { pageSchema, pagingQuery } from './paging.js';

const state = z.enum(JOB_STATES as ['queued', 'running', 'retrying', 'dead']);

export const JobSchema = z
  .object({
    id: z.number().int(),
    task: z.string().openapi({ example: 'pf-jira.sync_entity' }),
    pool: z.string().openapi({ description: 'default, or ui_fast for work a page waits on.' }),
    queue: z.string().nullable().openapi({ description: 'Jobs of one queue run one at a time.' }),
    state: z.enum(['queued', 'scheduled', 'running', 'retrying', 'dead']).openapi({ description: 'scheduled: queued with a run time still ahead.' }),
    payload: z.unknown(),
    priority: z.number().int(),
    runAt: z.number().int().openapi({ description: 'Epoch milliseconds.' }),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    lastError: z.string().nullable(),
    errors: z.array(z.object({ attempt: z.number().int().nullable(), at: z.number().int(), message: z.string() })),
    key: z.string().nullable().openapi({ description: 'The job key: one pending job per key.' }),
    lockedBy: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('Job');

export const JobPageSchema = pageSchema(JobSchema, 'JobPage');

const filterFields = {
  task: z.string().max(200).optional().openapi({ description: 'Exact task identifier.' }),
  queue: z.string().max(200).optional().openapi({ description: 'Exact queue name.' }),
  text: z.string().max(200).optional().openapi({ description: 'Matched inside payload values, the error history and the job key.' }),
};

export const JobListQuerySchema = z.strictObject({
  ...filterFields,
  state: state.optional(),
  ...pagingQuery,
});

export const JobIdParamSchema = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

export const JobIdsSchema = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(1000).openapi({ description: 'Job ids; a running job or an id that no longer exists is left out of the count.' }),
  })
  .openapi('JobIds');

export const DeadJobFilterSchema = z
  .strictObject({ filter: z.strictObject(filterFields).default({}).openapi({ description: 'Narrows which dead jobs; empty means every dead job.' }) })
  .openapi('DeadJobFilter');

export const JobsChangedSchema = z
  .object({
    changed: z.number().int().openapi({ description: 'How many jobs this request actually changed.' }),
  })
  .openapi('JobsChanged');
