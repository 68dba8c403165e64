import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { AppError, validationError, type FieldErrors } from '../../errors.js';
import { hasRole } from '../../platform/actor.js';
import type { AppEnv } from '../app-env.js';
import { setFlash } from '../flash.js';
import { field, readForm } from '../form.js';
import { isHtmx, redirect, triggerMessage } from '../htmx.js';
import { requireRole } from '../middleware/access.js';
import { timedAction } from '../middleware/latency.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

const HELP_TOPIC = 'diagnostics';

/** Most samples one report may carry; the browser sends at most 20 at a time. */
const MAX_SAMPLES = 100;
const MAX_ACTION_CHARS = 120;
/** Ten minutes: anything longer is not a latency worth charting. */
const MAX_SAMPLE_MS = 600_000;

const latencyReport = z.strictObject({
  samples: z
    .array(
      z.strictObject({
        action: z.string().trim().min(1, 'Name the action.').max(MAX_ACTION_CHARS, `An action name is at most ${MAX_ACTION_CHARS} characters.`),
        ms: z.number().min(0, 'A duration cannot be negative.').max(MAX_SAMPLE_MS, `A duration is at most ${MAX_SAMPLE_MS} ms.`),
      }),
    )
    .max(MAX_SAMPLES, `A report carries at most ${MAX_SAMPLES} samples.`),
});

const fieldErrorsOf = (error: z.ZodError): FieldErrors => Object.fromEntries(error.issues.map((i) => [i.path.join('.') || 'body', i.message]));

const formatMs = (ms: number): string => (ms < 10 ? `${ms.toFixed(1)} ms` : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

const formatAge = (ms: number): string => {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
};

const percent = (fraction: number): string => `${Math.round(fraction * 100)} %`;

export const registerDiagnosticsRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {

  const sections = (c: Context<AppEnv>) => ({
    cache: ctx.cache.stats(),
    pools: ctx.runner.pools(),
    latency: ctx.latency.snapshot(),
    latencyWindow: ctx.latency.options.windowSize,
    forgottenActions: ctx.latency.forgotten,
    canAct: hasRole(c.get('actor').role, 'operator'),
    fmt: { ms: formatMs, age: formatAge, percent },
  });

  /** After a cache action: htmx gets the sections again with a toast, a plain form a redirect with a flash. */
  const done = (c: Context<AppEnv>, kind: 'success' | 'info' | 'warning', text: string) => {
    if (isHtmx(c)) {
      triggerMessage(c, kind, text);
      return renderer.fragment(c, 'partials/diagnostics-sections', sections(c));
    }
    setFlash(c, { kind, text });
    return redirect(c, routes.diagnostics);
  };

  const keyField = async (c: Context<AppEnv>): Promise<string> => {
    const key = field(await readForm(c), 'key').trim();
    if (!key) throw validationError('Name the cache key.', { key: 'Name the cache key.' });
    return key;
  };

  app.get(routes.diagnostics, timedAction('Diagnostics page'), (c) =>
    renderer.page(c, 'pages/diagnostics', sections(c), { title: 'Diagnostics', breadcrumbs: [{ label: 'Diagnostics' }], helpTopic: HELP_TOPIC, active: routes.diagnostics }),
  );

  app.get(routes.diagnosticsLive, timedAction('Diagnostics refresh'), (c) => renderer.fragment(c, 'partials/diagnostics-sections', sections(c)));

  app.post(routes.diagnosticsLatency, async (c) => {
    if (!(c.req.header('Content-Type') ?? '').startsWith('application/json')) {
      throw new AppError(415, 'unsupported_media_type', 'Latency reports are sent as JSON (Content-Type: application/json).');
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw validationError('The latency report is not valid JSON.');
    }
    const parsed = latencyReport.safeParse(body);
    if (!parsed.success) throw validationError('The latency report was refused; see the fields for why.', fieldErrorsOf(parsed.error));
    for (const sample of parsed.data.samples) ctx.latency.record('browser', sample.action, sample.ms);
    return c.body(null, 204);
  });

  app.post(routes.diagnosticsCache('purge'), requireRole('operator', 'purge cached entries'), async (c) => {
    const key = await keyField(c);
    const removed = ctx.cacheAdmin.purgeKey(c.get('actor'), key);
    return removed ? done(c, 'success', `Purged ${key}. The next read loads it from the upstream again.`) : done(c, 'info', `Nothing was cached under ${key}; nothing changed.`);
  });

  app.post(routes.diagnosticsCache('purge-prefix'), requireRole('operator', 'purge cached entries'), async (c) => {
    const prefix = field(await readForm(c), 'prefix').trim();
    const n = ctx.cacheAdmin.purgePrefix(c.get('actor'), prefix);
    const scope = prefix ? `starting with ${prefix}` : 'in the cache';
    return done(c, n ? 'success' : 'info', n ? `Purged ${n} entr${n === 1 ? 'y' : 'ies'} ${scope}.` : `No entries ${scope}; nothing changed.`);
  });

  app.post(routes.diagnosticsCache('refresh'), requireRole('operator', 'refresh cached entries'), async (c) => {
    const key = await keyField(c);
    return ctx.cacheAdmin.refresh(c.get('actor'), key)
      ? done(c, 'success', `Refresh queued for ${key}; the new value appears here once the job has run.`)
      : done(c, 'warning', `No plugin refreshes ${key}; purge it instead and the next read loads it again.`);
  });
};
