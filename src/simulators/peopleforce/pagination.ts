import { SimError } from './sim-error.js';

/** Contract §3: per_page defaults to 50 and tops out at 100 (the v3 client's figures). */
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 100;

export interface PageRequest {
  page: number;
  perPage: number;
}

const positiveInteger = (raw: string | undefined, fallback: number, field: string): number => {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new SimError(422, `${field} must be a whole number of at least 1`, { [field]: 'must be a whole number of at least 1' });
  return Number(raw);
};

/** A page number that is not a positive integer is refused; a page size above the maximum is clamped, not refused. */
export const parsePageRequest = (query: { page?: string; per_page?: string }): PageRequest => ({
  page: positiveInteger(query.page, 1, 'page'),
  perPage: Math.min(positiveInteger(query.per_page, DEFAULT_PER_PAGE, 'per_page'), MAX_PER_PAGE),
});

/** The list envelope: `items` is the page size, `pages` the total number of pages (0 for an empty list). */
export const paginate = <T>(rows: T[], { page, perPage }: PageRequest) => ({
  data: rows.slice((page - 1) * perPage, page * perPage),
  metadata: { pagination: { page, pages: Math.ceil(rows.length / perPage), count: rows.length, items: perPage } },
});
