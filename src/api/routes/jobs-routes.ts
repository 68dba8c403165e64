import type { OpenAPIHono } from '@hono/zod-openapi';
import type { JobsService } from '../../jobs/jobs-service.js';
import type { AppEnv } from '../../web/app-env.js';
import { apiRoute, apiRouter, jsonBody, jsonRequest } from '../api-route.js';
import { DeadJobFilterSchema, JobIdParamSchema, JobIdsSchema, JobListQuerySchema, JobPageSchema, JobSchema, JobsChangedSchema } from '../schemas/jobs-schemas.js';
import { pageOfPages } from '../schemas/paging.js';

const TAG = 'Jobs';

const listJobs = apiRoute('jobs:read', {
  method: 'get',
  path: '/',
  operationId: 'listJobs',
  summary: 'List and search background jobs',
  description: 'Newest first, as on the Jobs page. Every filter narrows; succeeded jobs are removed, so they are not listed.',
  tags: [TAG],
  request: { query: JobListQuerySchema },
  responses: { 200: jsonBody(JobPageSchema, 'One page of matching jobs.') },
});

const getJob = apiRoute('jobs:read', {
  method: 'get',
  path: '/{id}',
  operationId: 'getJob',
  summary: 'Read one job with its error history',
  tags: [TAG],
  request: { params: JobIdParamSchema },
  responses: { 200: jsonBody(JobSchema, 'The job.') },
});

const byIds = (action: 'retry' | 'discard') =>
  apiRoute('jobs:write', {
    method: 'post',
    path: `/${action}`,
    operationId: action === 'retry' ? 'retryJobs' : 'discardJobs',
    summary: action === 'retry' ? 'Retry jobs now, by id' : 'Discard jobs, by id',
    description:
      action === 'retry'
        ? 'Queues each job to run now; a dead job gets one more attempt. Running jobs are left alone.'
        : 'Removes each job from the queue without running it. Running jobs are left alone.',
    tags: [TAG],
    request: { body: jsonRequest(JobIdsSchema) },
    responses: { 200: jsonBody(JobsChangedSchema, 'How many of the jobs changed.') },
  });

const deadMatching = (action: 'retry' | 'discard') =>
  apiRoute('jobs:write', {
    method: 'post',
    path: `/dead/${action}`,
    operationId: action === 'retry' ? 'retryDeadJobs' : 'discardDeadJobs',
    summary: action === 'retry' ? 'Retry every dead job matching a filter' : 'Discard every dead job matching a filter',
    description: 'The bulk action of the Jobs page: applies to dead jobs only, in batches.',
    tags: [TAG],
    request: { body: jsonRequest(DeadJobFilterSchema) },
    responses: { 200: jsonBody(JobsChangedSchema, 'How many dead jobs changed.') },
  });

/** /api/v1/jobs: the Jobs page's list, detail and actions, through the same jobs service. */
export const jobsApiRoutes = (jobs: JobsService): OpenAPIHono<AppEnv> =>
  apiRouter()
    .openapi(listJobs, (c) => {
      const { limit, offset, ...filter } = c.req.valid('query');
      const page = pageOfPages({ limit, offset }, (pageNo, pageSize) => {
        const found = jobs.list(filter, pageNo, pageSize);
        return { items: found.jobs, total: found.total };
      });
      return c.json(page, 200);
    })
    .openapi(getJob, (c) => c.json(jobs.get(c.req.valid('param').id), 200))
    .openapi(byIds('retry'), async (c) => c.json({ changed: await jobs.retry(c.var.actor, c.req.valid('json').ids) }, 200))
    .openapi(byIds('discard'), async (c) => c.json({ changed: await jobs.remove(c.var.actor, c.req.valid('json').ids) }, 200))
    .openapi(deadMatching('retry'), async (c) => c.json({ changed: await jobs.bulk(c.var.actor, 'retry', { ...c.req.valid('json').filter, state: 'dead' }) }, 200))
    .openapi(deadMatching('discard'), async (c) => c.json({ changed: await jobs.bulk(c.var.actor, 'delete', { ...c.req.valid('json').filter, state: 'dead' }) }, 200));
