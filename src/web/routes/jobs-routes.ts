import type { Context, Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { AppError, isAppError, type FieldErrors } from '../../errors.js';
import { JOB_STATES, type JobView } from '../../jobs/jobs-service.js';
import type { JobFilter, JobState } from '../../jobs/sql/read-jobs.js';
import { hasRole } from '../../platform/actor.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm, type FormFields } from '../form.js';
import { redirect } from '../htmx.js';
import { requireRole } from '../middleware/access.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';
import { liveFragmentStream } from '../sse.js';

const PAGE_SIZE = 50;
const HELP_TOPIC = 'jobs';
/** Every bus event after which the counts may differ. */
const JOB_EVENTS = ['job.queued', 'job.started', 'job.succeeded', 'job.failed', 'job.dead', 'job.changed'] as const;
const FILTER_KEYS = ['task', 'queue', 'state', 'text'] as const;

/** The list filter as the form sends it: strings, '' meaning "any". */
type ListFilter = Record<(typeof FILTER_KEYS)[number], string>;

const readFilter = (get: (name: string) => string | undefined): ListFilter => ({
  task: get('task')?.trim() ?? '',
  queue: get('queue')?.trim() ?? '',
  state: get('state')?.trim() ?? '',
  text: get('text')?.trim() ?? '',
});

/** The service checks the state; an unknown one comes back as a 422 naming the choices. */
const toJobFilter = (f: ListFilter): JobFilter => ({
  ...(f.task ? { task: f.task } : {}),
  ...(f.queue ? { queue: f.queue } : {}),
  ...(f.state ? { state: f.state as JobState } : {}),
  ...(f.text ? { text: f.text } : {}),
});

const filterQuery = (f: ListFilter): string => new URLSearchParams(FILTER_KEYS.filter((k) => f[k] !== '').map((k): [string, string] => [k, f[k]])).toString();

const listUrl = (f: ListFilter, pageNo = 1): string => {
  const query = filterQuery(f);
  const page = pageNo > 1 ? `${query ? '&' : ''}page=${pageNo}` : '';
  return query || page ? `${routes.jobs}?${query}${page}` : routes.jobs;
};

const idParam = (c: Context<AppEnv>): number => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new AppError(400, 'bad_job_id', 'A job id is a positive whole number.');
  return id;
};

/** ids[] from checkboxes: one value arrives as a string, several as a list. */
const idsField = (form: FormFields): string[] => {
  const v = form['ids[]'] ?? form.ids;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** A datetime-local value has no zone; the page shows UTC everywhere, so it is read as UTC. */
const utcFromInput = (value: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value) ? `${value}Z` : value);

const jobsWord = (n: number): string => `${n} job${n === 1 ? '' : 's'}`;

/* Formatting for the page's numbers: sizes, durations and times relative to now. */
const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
};

const formatMs = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
};

const relative = (ms: number, now: number): string => {
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < 5_000) return 'now';
  const span = abs < 60_000 ? `${Math.round(abs / 1000)} s` : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min` : abs < 172_800_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} days`;
  return diff > 0 ? `in ${span}` : `${span} ago`;
};

export const registerJobsRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  let stopping = false;
  ctx.events.on('hub.stopping', () => (stopping = true));

  const fmt = () => {
    const now = ctx.clock.now();
    return { bytes: formatBytes, ms: formatMs, rel: (ms: number) => relative(ms, now) };
  };
  const canAct = (c: Context<AppEnv>) => hasRole(c.get('actor').role, 'operator');

  const listPage = async (c: Context<AppEnv>, filter: ListFilter, pageNo: number, extra: { message?: string; errors?: FieldErrors; actionError?: string } = {}, status = 200) => {
    let list: { jobs: JobView[]; total: number; pages: number } = { jobs: [], total: 0, pages: 1 };
    let errors: FieldErrors = extra.errors ?? {};
    let message = extra.message;
    let deadMatching = 0;
    try {
      list = ctx.jobs.list(toJobFilter(filter), pageNo, PAGE_SIZE);
      deadMatching = ctx.jobs.list({ ...toJobFilter(filter), state: 'dead' }, 1, 1).total;
    } catch (err) {
      if (!isAppError(err) || err.status !== 422) throw err;
      errors = { ...errors, ...err.fieldErrors };
      message = err.message;
      status = 422;
    }
    const overview = ctx.jobs.overview();
    const stats = overview.stats.map((s) => {
      const runs = s.succeeded + s.failed + s.dead;
      return { ...s, avgMs: runs ? s.total_ms / runs : 0 };
    });
    return renderer.page(
      c,
      'pages/jobs',
      {
        ...list,
        counts: { byState: overview.byState, scheduled: overview.scheduled, byQueue: overview.byQueue },
        cron: overview.cron,
        pools: overview.pools,
        stats,
        storage: overview.storage,
        filter,
        tasks: ctx.jobs.tasks(),
        queues: overview.byQueue.map((q) => q.queue).filter((q): q is string => q !== null),
        states: JOB_STATES,
        pageNo,
        listUrl: (p: number) => listUrl(filter, p),
        deadMatching,
        canAct: canAct(c),
        errors,
        message,
        actionError: extra.actionError,
        fmt: fmt(),
      },
      { title: 'Jobs', breadcrumbs: [{ label: 'Jobs' }], helpTopic: HELP_TOPIC, active: routes.jobs, status },
    );
  };

  const detailPage = (c: Context<AppEnv>, id: number, extra: { errors?: FieldErrors; message?: string; values?: { runAt: string; priority: string } } = {}, status = 200) => {
    const job = ctx.jobs.get(id);
    return renderer.page(
      c,
      'pages/job-detail',
      {
        job,
        canAct: canAct(c),
        errors: extra.errors ?? {},
        message: extra.message,
        values: extra.values ?? { runAt: new Date(job.runAt).toISOString().slice(0, 16), priority: String(job.priority) },
        fmt: fmt(),
      },
      { title: `Job #${job.id}`, breadcrumbs: [{ label: 'Jobs', href: routes.jobs }, { label: `Job #${job.id}` }], helpTopic: HELP_TOPIC, helpLabel: 'Jobs', active: routes.jobs, status },
    );
  };

  /* Static paths first: /admin/jobs/:id would otherwise answer them with "bad job id". */

  app.get(routes.jobs, (c) => {
    const pageNo = Math.max(1, Math.min(100_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    return listPage(c, readFilter((n) => c.req.query(n)), pageNo);
  });

  app.get(routes.jobsStream, (c) => {
    if (stopping) throw new AppError(503, 'shutting_down', 'Switchyard is shutting down.');
    const render = () => {
      const { byState, scheduled, byQueue } = ctx.jobs.counts();
      return renderer.eta.render('partials/jobs-counts', { h: renderer.helpers, counts: { byState, scheduled, byQueue } });
    };
    return liveFragmentStream(c, { events: ctx.events, log: c.get('log'), watch: JOB_EVENTS, event: 'counts', render });
  });

  for (const action of ['retry', 'delete'] as const) {
    const done = action === 'retry' ? 'Retried' : 'Deleted';

    app.post(routes.jobsDead(action), requireRole('operator', `${action} jobs`), async (c) => {
      const form = await readForm(c);
      // The filter the page showed, with the state forced to dead; the redirect goes back to that page.
      const filter = readFilter((n) => field(form, n));
      const n = await ctx.jobs.bulk(c.get('actor'), action, { ...toJobFilter(filter), state: 'dead' });
      setFlash(c, n ? { kind: 'success', text: `${done} ${jobsWord(n)}.` } : { kind: 'info', text: 'No dead jobs matched this filter; nothing changed.' });
      return redirect(c, listUrl(filter));
    });

    app.post(routes.jobsSelected(action), requireRole('operator', `${action} jobs`), async (c) => {
      const form = await readForm(c);
      const filter = readFilter((n) => field(form, n));
      const ids = idsField(form);
      let n: number;
      try {
        n = action === 'retry' ? await ctx.jobs.retry(c.get('actor'), ids) : await ctx.jobs.remove(c.get('actor'), ids);
      } catch (err) {
        if (!isAppError(err) || err.status !== 422) throw err;
        return listPage(c, filter, 1, { actionError: err.message }, 422);
      }
      const asked = new Set(ids).size;
      const text = n === asked ? `${done} ${jobsWord(n)}.` : `${done} ${n} of ${jobsWord(asked)}; the others are running or no longer exist.`;
      setFlash(c, { kind: n === asked ? 'success' : 'warning', text });
      return redirect(c, listUrl(filter));
    });
  }

  app.get('/admin/jobs/:id', (c) => detailPage(c, idParam(c)));

  /** A single job's action changed nothing: a missing job is a 404; otherwise it is running right now. */
  const unchanged = (c: Context<AppEnv>, id: number) => {
    ctx.jobs.get(id);
    setFlash(c, { kind: 'warning', text: `Job #${id} is running, so it was not changed. Try again when it finishes.` });
    return redirect(c, routes.job(id));
  };

  app.post('/admin/jobs/:id/retry', requireRole('operator', 'retry jobs'), async (c) => {
    const id = idParam(c);
    if (!(await ctx.jobs.retry(c.get('actor'), [id]))) return unchanged(c, id);
    setFlash(c, { kind: 'success', text: `Job #${id} is queued to run now.` });
    return redirect(c, routes.job(id));
  });

  app.post('/admin/jobs/:id/reschedule', requireRole('operator', 'reschedule jobs'), async (c) => {
    const id = idParam(c);
    const form = await readForm(c);
    const values = { runAt: field(form, 'runAt').trim(), priority: field(form, 'priority').trim() };
    try {
      if (!(await ctx.jobs.reschedule(c.get('actor'), [id], { runAt: utcFromInput(values.runAt), priority: values.priority }))) return unchanged(c, id);
    } catch (err) {
      if (!isAppError(err) || err.status !== 422) throw err;
      return detailPage(c, id, { errors: err.fieldErrors ?? {}, message: err.message, values }, 422);
    }
    setFlash(c, { kind: 'success', text: `Job #${id} rescheduled.` });
    return redirect(c, routes.job(id));
  });

  app.post('/admin/jobs/:id/delete', requireRole('operator', 'delete jobs'), async (c) => {
    const id = idParam(c);
    if (!(await ctx.jobs.remove(c.get('actor'), [id]))) return unchanged(c, id);
    setFlash(c, { kind: 'success', text: `Deleted job #${id}.` });
    return redirect(c, routes.jobs);
  });
};
