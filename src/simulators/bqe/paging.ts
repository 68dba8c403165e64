import { SimError } from './sim-error.js';

/**
 * The one documented paging parameter, `page=<pageNumber>,<pageSize>` (contract §4).
 * Official samples start at 0 and an exporter at 1, so both mean the first
 * page here: number n ≥ 1 is rows (n-1)·size onwards, and 0 is the same as 1.
 */
export interface PageRequest {
  /** 0-based page index. */
  index: number;
  size: number;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

const PAGE_FORMAT = /^(\d{1,9}),(\d{1,9})$/;

export const parsePage = (raw: string | undefined, limits: PageLimits): PageRequest => {
  if (raw === undefined) return { index: 0, size: limits.defaultPageSize };
  const m = PAGE_FORMAT.exec(raw);
  if (!m) throw new SimError(400, `page must be "<pageNumber>,<pageSize>" with whole numbers, such as page=1,100 (got "${raw}")`);
  const number = Number(m[1]);
  const size = Number(m[2]);
  if (size < 1 || size > limits.maxPageSize) throw new SimError(400, `The page size in page must be between 1 and ${limits.maxPageSize} (got ${size})`);
  return { index: Math.max(0, number - 1), size };
};

/** `repeat` models a server that ignores the page number and always answers with the first page. */
export const slicePage = <T>(rows: T[], page: PageRequest, repeat: boolean): T[] => {
  const index = repeat ? 0 : page.index;
  return rows.slice(index * page.size, (index + 1) * page.size);
};
