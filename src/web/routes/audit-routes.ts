import type { Hono } from 'hono';
import type { AppContext } from '../../app-context.js';
import { validationError } from '../../errors.js';
import type { AppEnv } from '../app-env.js';
import { requireRole } from '../middleware/access.js';
import type { Renderer } from '../render.js';
import { routes } from '../route-names.js';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;

/** A yyyy-mm-dd filter becomes the start of that day (UTC); anything else is refused by name. */
const parseDay = (value: string | undefined, name: string): number | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // The round trip refuses days a month lacks (2026-02-31), which Date.parse rolls into the next month.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    // The error page shows only the message, so it names the field and the expected form itself.
    throw validationError(`The "${name}" date "${value.slice(0, 40)}" is not a date; use one like 2026-01-31.`, { [name]: 'Use a date like 2026-01-31.' });
  }
  return ms;
};

export const registerAuditRoutes = (app: Hono<AppEnv>, ctx: AppContext, renderer: Renderer): void => {
  app.get(routes.audit, requireRole('admin', 'read the audit log'), (c) => {
    const q = c.req.query();
    const filters = { actor: q.actor?.trim() ?? '', action: q.action?.trim() ?? '', text: q.text?.trim() ?? '', from: q.from ?? '', to: q.to ?? '' };
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const to = parseDay(filters.to || undefined, 'to');
    const result = ctx.audit.search({
      ...(filters.actor ? { actor: filters.actor } : {}),
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.text ? { text: filters.text } : {}),
      ...(filters.from ? { from: parseDay(filters.from, 'from') } : {}),
      ...(to !== undefined ? { to: to + DAY_MS } : {}),
      limit: PAGE_SIZE,
      offset: (pageNo - 1) * PAGE_SIZE,
    });
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    return renderer.page(
      c,
      'pages/audit',
      { ...result, filters, pageNo, pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)), query: params.toString() },
      { title: 'Audit log', breadcrumbs: [{ label: 'Audit log' }], helpTopic: 'users-and-roles', active: routes.audit },
    );
  });
};
