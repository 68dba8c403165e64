import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';

/**
 * Faults a simulator can be told to inject, each for a given number of
 * matching requests: an error status (with Retry-After for 429/503), a slow
 * answer (before or after the request takes effect), a dropped connection, an HTML page or truncated JSON in place of the body.
 */
export const faultSchema = z.object({
  /** slow_after handles the request, then holds the answer: the change is made but the caller hears nothing yet. */
  kind: z.enum(['status', 'slow', 'slow_after', 'drop', 'html', 'truncated']),
  status: z.number().int().min(400).max(599).optional(),
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  /** How many matching requests get the fault. */
  count: z.number().int().min(1).max(100_000).default(1),
  /** Only requests whose "METHOD /path" matches this regular expression. */
  match: z.string().max(200).optional(),
});

export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

export type SimEnv = { Bindings: HttpBindings };

/** A held answer must not keep a finished test process (or a stopped simulator) alive. */
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

export class FaultInjector {
  #faults: (Fault & { re: RegExp | undefined })[] = [];
  injected = 0;

  add(input: FaultInput): Fault {
    const fault = faultSchema.parse(input);
    this.#faults.push({ ...fault, re: fault.match ? new RegExp(fault.match) : undefined });
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Fault[] {
    return this.#faults.map(({ re: _re, ...f }) => f);
  }

  /** Takes the first fault matching this request, counting it down. */
  take(method: string, path: string): Fault | undefined {
    const target = `${method} ${path}`;
    const index = this.#faults.findIndex((f) => !f.re || f.re.test(target));
    if (index < 0) return undefined;
    const fault = this.#faults[index] as Fault & { re: RegExp | undefined };
    fault.count -= 1;
    if (fault.count <= 0) this.#faults.splice(index, 1);
    this.injected++;
    return fault;
  }

  /** Middleware that applies faults to every request outside /__sim. */
  middleware(): MiddlewareHandler<SimEnv> {
    return async (c, next) => {
      if (c.req.path.startsWith('/__sim')) return next();
      const fault = this.take(c.req.method, c.req.path);
      if (!fault) return next();
      switch (fault.kind) {
        case 'slow':
          await pause(fault.delayMs ?? 5_000);
          return next();
        case 'slow_after':
          await next();
          await pause(fault.delayMs ?? 5_000);
          return;
        case 'drop':
          c.env.incoming.socket.destroy();
          // The socket is gone; this response is never sent.
          return c.body(null, 500);
        case 'html':
          return c.html(`<html><body><h1>${fault.status ?? 502} Bad Gateway</h1></body></html>`, (fault.status ?? 502) as 502);
        case 'truncated': {
          await next();
          // After next() the response is already set; it must be replaced, not returned.
          const text = await c.res.text();
          c.res = new Response(text.slice(0, 20), { status: c.res.status, headers: { 'Content-Type': 'application/json' } });
          return;
        }
        case 'status': {
          const status = fault.status ?? 500;
          if (fault.retryAfterSeconds !== undefined) c.header('Retry-After', String(fault.retryAfterSeconds));
          return c.json(faultBody(status), status as 500);
        }
      }
    };
  }

  /** /__sim/faults: GET lists, POST adds one (or a list), DELETE clears. */
  routes(): Hono<SimEnv> {
    const app = new Hono<SimEnv>();
    app.get('/faults', (c) => c.json({ faults: this.list(), injected: this.injected }));
    app.post('/faults', async (c) => {
      const body = await c.req.json().catch(() => undefined);
      const parsed = z.union([faultSchema, z.array(faultSchema)]).safeParse(body);
      if (!parsed.success) return c.json({ error: 'invalid fault', issues: parsed.error.issues }, 400);
      for (const f of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) this.add(f);
      return c.json({ faults: this.list() }, 201);
    });
    app.delete('/faults', (c) => {
      this.clear();
      return c.body(null, 204);
    });
    return app;
  }
}

const faultBody = (status: number) =>
  status === 429 ? { errorMessages: ['Rate limit exceeded.'], errors: {} } : { errorMessages: [`Simulated failure (HTTP ${status}).`], errors: {} };

export interface RunningSim {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a simulator on 127.0.0.1; port 0 picks a free one (what tests use). */
export const startSimServer = (app: Hono<SimEnv>, port: number, host = '127.0.0.1'): Promise<RunningSim> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      const sockets = new Set<import('node:net').Socket>();
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
    server.on('error', reject);
  });


/**
 * A /__sim control body: JSON, with an empty body read as `{}` so bodiless
 * calls need none. `invalid` makes the simulator's own 400 for anything else.
 */
export const readControlJson = async (c: Context<SimEnv>, invalid: () => Error): Promise<unknown> => {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid();
  }
};

/**
 * Runs a simulator's `runCli` when its cli.ts is the script node was started
 * with: prints its lines, stops cleanly on SIGINT/SIGTERM, and exits 1 with
 * one line when it cannot start.
 */
export const serveWhenRunDirectly = async (
  moduleUrl: string,
  name: string,
  runCli: (argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void) => Promise<{ stop(): Promise<void> }>,
): Promise<void> => {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  try {
    const handle = await runCli(process.argv.slice(2), process.env, (line) => console.log(line));
    const shutdown = () => void handle.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
};
