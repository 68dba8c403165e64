import type { MiddlewareHandler } from 'hono';
import type { SimEnv } from '../sim-kit.js';
import { UTC_OFFSET_HEADER } from './utc-offset.js';

/**
 * The last N requests outside /__sim, for tests and the smoke report to check
 * exactly what a client sent: the query as an object (a repeated key becomes
 * a list), the X-UTC-OFFSET header, and whether Authorization was present
 * (never its value).
 */
export interface LoggedRequest {
  /** ISO UTC, on the simulator's clock. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  utcOffset: string | null;
  authorization: boolean;
  status: number;
}

const queryObject = (params: URLSearchParams): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
};

export class RequestLog {
  #entries: LoggedRequest[] = [];
  total = 0;

  constructor(private readonly limit: () => number) {}

  add(entry: LoggedRequest): void {
    this.total++;
    this.#entries.push(entry);
    const excess = this.#entries.length - this.limit();
    if (excess > 0) this.#entries.splice(0, excess);
  }

  list(): LoggedRequest[] {
    return this.#entries.map((e) => ({ ...e, query: { ...e.query } }));
  }

  clear(): void {
    this.#entries = [];
    this.total = 0;
  }

  middleware(now: () => number): MiddlewareHandler<SimEnv> {
    return async (c, next) => {
      if (c.req.path.startsWith('/__sim')) return next();
      const at = new Date(now()).toISOString();
      await next();
      this.add({
        at,
        method: c.req.method,
        path: c.req.path,
        query: queryObject(new URL(c.req.url).searchParams),
        utcOffset: c.req.header(UTC_OFFSET_HEADER) ?? null,
        authorization: c.req.header('authorization') !== undefined,
        status: c.res.status,
      });
    };
  }
}
