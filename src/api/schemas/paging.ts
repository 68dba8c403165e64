import { z } from '@hono/zod-openapi';

/** Rows per page when the client does not say, and the most it may ask for. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `limit` and `offset` query parameters; spread into a list operation's query schema. */
export const pagingQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .openapi({ param: { name: 'limit', in: 'query' }, description: `How many items to return (1–${MAX_LIMIT}).`, example: DEFAULT_LIMIT }),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    // Coercion would let null through as 0, so the generator calls it nullable; a query value is never null.
    .openapi({ param: { name: 'offset', in: 'query' }, type: 'integer', minimum: 0, default: 0, description: 'How many matching items to skip.', example: 0 }),
};

export interface Paging {
  limit: number;
  offset: number;
}

export interface Page<T> extends Paging {
  items: T[];
  total: number;
}

/** The list answer: one page of items and the count of everything that matched. */
export const pageSchema = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int().openapi({ description: 'Everything that matched, across pages.' }),
      limit: z.number().int(),
      offset: z.number().int(),
    })
    .openapi(name);

/** One page of a list a service returns whole (rules, connections, settings domains). */
export const pageOfList = <T>(all: readonly T[], paging: Paging): Page<T> => ({
  items: all.slice(paging.offset, paging.offset + paging.limit),
  total: all.length,
  limit: paging.limit,
  offset: paging.offset,
});

/**
 * One page of a list a service reads by page number: the pages of `limit`
 * rows that hold offset … offset + limit, joined (two reads when the offset
 * falls inside a page).
 */
export const pageOfPages = <T>(paging: Paging, read: (page: number, pageSize: number) => { items: T[]; total: number }): Page<T> => {
  const { limit, offset } = paging;
  const first = Math.floor(offset / limit) + 1;
  const skip = offset % limit;
  const head = read(first, limit);
  const rows = skip === 0 || head.items.length < limit ? head.items : [...head.items, ...read(first + 1, limit).items];
  return { items: rows.slice(skip, skip + limit), total: head.total, limit, offset };
};
